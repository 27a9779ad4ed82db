/* test_ioapic.c -- the 82093AA I/O APIC through its index/window registers
 * (also through the MMIO page on a bus) and its input lines, delivering
 * to a local APIC: ID/version/arbitration, the redirection entries'
 * writable bits, edge inputs (one message per rising edge, lost while
 * masked), level inputs with remote IRR and re-delivery after the local
 * APIC's EOI, unmasking an active level, active-low polarity, logical
 * destinations, ExtINT (the 8259 through input 0), and the IMCR ports. */
#include <stdio.h>
#include <string.h>

#include "devices/ioapic.h"
#include "machine/bus.h"
#include "tests/unit/check.h"

static uint64_t insns;
static struct vclock clk;
static struct apic_bus abus;
static struct lapic lap;
static struct ioapic io;
static int intr, extint_acks;

static void intr_set(void *opaque, int n, int level) { (void)opaque, (void)n; intr = level; }
static int on_extint_ack(void *opaque) { (void)opaque; extint_acks++; return 0x20; }

static void setup(void)
{
    if (lap.clock)
        lapic_free(&lap);
    insns = 0;
    vclock_init(&clk, true, &insns);
    apic_bus_init(&abus, NULL);
    abus.eoi = ioapic_eoi;
    abus.eoi_opaque = &io;
    intr = extint_acks = 0;
    struct lapic_wiring w = { .intr = { intr_set, NULL, 0 }, .extint_ack = on_extint_ack };
    lapic_init(&lap, &abus, 0, &clk, &w);
    lapic_write(&lap, LAPIC_SVR, 0x1FF);
    lapic_write(&lap, LAPIC_LVT_LINT0, APIC_LVT_MASKED);
    ioapic_init(&io, NULL, IOAPIC_BASE, &abus, 1);
}

static uint32_t reg(uint8_t r)
{
    ioapic_write(&io, IOAPIC_REGSEL, r);
    return ioapic_read(&io, IOAPIC_WIN);
}

static void set_reg(uint8_t r, uint32_t v)
{
    ioapic_write(&io, IOAPIC_REGSEL, r);
    ioapic_write(&io, IOAPIC_WIN, v);
}

static void redir(int pin, uint32_t lo, uint8_t dest)
{
    set_reg((uint8_t)(IOAPIC_REG_REDIR + 2 * pin + 1), (uint32_t)dest << 24);
    set_reg((uint8_t)(IOAPIC_REG_REDIR + 2 * pin), lo);
}

static bool irr(int v) { return (lapic_read(&lap, LAPIC_IRR + (v >> 5) * 0x10) >> (v & 31)) & 1; }
static bool tmr(int v) { return (lapic_read(&lap, LAPIC_TMR + (v >> 5) * 0x10) >> (v & 31)) & 1; }

/* The CPU takes the interrupt and its handler ends with an EOI. */
static int take(void)
{
    int v = lapic_intr_ack(&lap);
    lapic_write(&lap, LAPIC_EOI, 0);
    return v;
}

static void test_registers(void)
{
    setup();
    check(reg(IOAPIC_REG_ID) == 0x01000000, "ID 1");
    check(reg(IOAPIC_REG_VER) == 0x00170011, "version 11h, 24 entries (%08x)", reg(IOAPIC_REG_VER));
    check(reg(IOAPIC_REG_ARB) == 0x01000000, "arbitration ID");
    bool all_masked = true;
    for (int pin = 0; pin < IOAPIC_PINS; pin++)
        all_masked &= reg((uint8_t)(IOAPIC_REG_REDIR + 2 * pin)) == IOAPIC_MASKED;
    check(all_masked, "every entry masked after reset");
    redir(5, 0xFFFFFFFF, 0xAB);
    check(reg(IOAPIC_REG_REDIR + 10) == 0x1AFFF, "writable low bits (%05x)",
          reg(IOAPIC_REG_REDIR + 10));
    check(reg(IOAPIC_REG_REDIR + 11) == 0xAB000000, "destination in bits 56-63");
    set_reg(IOAPIC_REG_ID, 0x0F000000);
    check(reg(IOAPIC_REG_ID) == 0x0F000000, "ID writable (bits 24-27)");
    ioapic_write(&io, IOAPIC_REGSEL, 0x12);
    check(ioapic_read(&io, IOAPIC_REGSEL) == 0x12, "IOREGSEL reads back");
}

static void test_edge(void)
{
    setup();
    redir(2, 0x30, 0);
    ioapic_set_irq(&io, 2, true);
    check(irr(0x30) && intr == 1 && !tmr(0x30), "edge: pin 2 -> vector 30h, TMR clear");
    check(take() == 0x30, "delivered");
    check(!(reg(IOAPIC_REG_REDIR + 4) & IOAPIC_REMOTE_IRR), "edge entries have no remote IRR");
    ioapic_set_irq(&io, 2, true);
    check(!irr(0x30), "a held line is one edge");
    ioapic_set_irq(&io, 2, false);
    ioapic_set_irq(&io, 2, true);
    check(irr(0x30) && take() == 0x30, "next rising edge: again");
    ioapic_set_irq(&io, 2, false);
    redir(2, IOAPIC_MASKED | 0x30, 0);
    ioapic_set_irq(&io, 2, true);
    ioapic_set_irq(&io, 2, false);
    redir(2, 0x30, 0);
    check(!irr(0x30), "an edge while masked is lost");
    redir(3, 0x31, 5);
    ioapic_set_irq(&io, 3, true);
    check(!irr(0x31), "physical destination 5: not this CPU (ID 0)");
    lapic_write(&lap, LAPIC_LDR, 0x04000000);
    redir(3, IOAPIC_DEST_LOGICAL | 0x31, 0x04);
    ioapic_set_irq(&io, 3, false);
    ioapic_set_irq(&io, 3, true);
    check(irr(0x31), "logical destination 04h: LDR 04h");
    take();
    redir(4, IOAPIC_ACTIVE_LOW | 0x32, 0);
    ioapic_set_irq(&io, 4, true);
    check(!irr(0x32), "active low: a high line is inactive");
    ioapic_set_irq(&io, 4, false);
    check(irr(0x32), "active low: the falling edge asserts");
}

static void test_level(void)
{
    setup();
    redir(9, IOAPIC_LEVEL | 0x39, 0);
    ioapic_set_irq(&io, 9, true);
    check(irr(0x39) && tmr(0x39), "level: vector 39h, TMR set");
    check(reg(IOAPIC_REG_REDIR + 18) & IOAPIC_REMOTE_IRR, "remote IRR set on delivery");
    check(lapic_intr_ack(&lap) == 0x39, "taken");
    check(!irr(0x39), "no second message while remote IRR is set");
    lapic_write(&lap, LAPIC_EOI, 0);
    check(irr(0x39), "EOI with the line still high: delivered again");
    check(reg(IOAPIC_REG_REDIR + 18) & IOAPIC_REMOTE_IRR, "remote IRR set again");
    lapic_intr_ack(&lap);
    ioapic_set_irq(&io, 9, false);           /* the device is served */
    lapic_write(&lap, LAPIC_EOI, 0);
    check(!irr(0x39) && !(reg(IOAPIC_REG_REDIR + 18) & IOAPIC_REMOTE_IRR),
          "line low at EOI: remote IRR clear, nothing more");
    redir(10, IOAPIC_MASKED | IOAPIC_LEVEL | 0x3A, 0);
    ioapic_set_irq(&io, 10, true);
    check(!irr(0x3A), "masked level: held back");
    redir(10, IOAPIC_LEVEL | 0x3A, 0);
    check(irr(0x3A), "unmasking an active level delivers it");
    check(take() == 0x3A, "taken, EOI");
    check(irr(0x3A), "still active: delivered again");
    redir(10, IOAPIC_MASKED | IOAPIC_LEVEL | 0x3A, 0);
    take();
    check(!irr(0x3A), "masked after the EOI: no more");
    redir(11, IOAPIC_LEVEL | 0x3B, 0);
    ioapic_set_irq(&io, 11, true);
    redir(11, 0x3B, 0);
    check(!(reg(IOAPIC_REG_REDIR + 22) & IOAPIC_REMOTE_IRR), "switching to edge clears remote IRR");
}

static void test_extint(void)
{
    setup();
    redir(0, APIC_DM_EXTINT << 8, 0);
    ioapic_set_irq(&io, 0, true);
    check(intr == 1, "ExtINT on input 0: INTR");
    check(lapic_intr_ack(&lap) == 0x20 && extint_acks == 1, "INTA goes to the 8259");
    ioapic_set_irq(&io, 0, false);
    check(intr == 0, "8259 INT low: INTR low");
}

static struct imcr imcr;
static int routes;
static bool apic_mode;
static void on_route(void *opaque, bool mode) { (void)opaque; routes++; apic_mode = mode; }

static void test_page_and_imcr(void)
{
    struct bus b;
    if (bus_init(&b, 4096) < 0) {
        check(false, "bus_init");
        return;
    }
    setup();
    check(ioapic_init(&io, &b, IOAPIC_BASE, &abus, 1) == 0, "page registered");
    bus_mem_write(&b, IOAPIC_BASE, 4, IOAPIC_REG_VER);
    check(bus_mem_read(&b, IOAPIC_BASE + 0x10, 4) == 0x00170011, "version through the page");
    bus_mem_write(&b, IOAPIC_BASE, 1, IOAPIC_REG_REDIR + 2);
    bus_mem_write(&b, IOAPIC_BASE + 0x10, 4, 0x41);
    ioapic_set_irq(&io, 1, true);
    check(irr(0x41), "redirection written through the page delivers");
    check(imcr_init(&imcr, &b, on_route, NULL) == 0, "IMCR ports");
    bus_io_write(&b, 0x22, 1, 0x70);
    check(bus_io_read(&b, 0x23, 1) == 0x00, "IMCR reset: PIC mode");
    bus_io_write(&b, 0x23, 1, 0x01);
    check(routes == 1 && apic_mode && bus_io_read(&b, 0x23, 1) == 0x01, "IMCR 1: symmetric I/O mode");
    bus_io_write(&b, 0x23, 1, 0x00);
    check(routes == 2 && !apic_mode, "IMCR 0: back to PIC mode");
    bus_io_write(&b, 0x22, 1, 0x71);
    bus_io_write(&b, 0x23, 1, 0x01);
    check(routes == 2, "other indexes do nothing");
    bus_free(&b);
}

int main(void)
{
    test_registers();
    test_edge();
    test_level();
    test_extint();
    test_page_and_imcr();
    printf("%d passed, %d failed\n", passed, failed);
    return failed != 0;
}
