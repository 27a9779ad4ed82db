/* test_pic.c -- the 8259A pair driven directly through its ports, its IRQ
 * lines and the INTA cycle: initialisation, masks, priority and rotation,
 * EOI commands, OCW3 reads, poll mode, automatic EOI, special mask and
 * special fully nested modes, edge/level triggering (ELCR, LTIM), cascade
 * and spurious IR7 / IR15, reset. */
#include <stdio.h>
#include <string.h>

#include "devices/pic.h"
#include "machine/bus.h"
#include "tests/unit/check.h"

static struct bus bus;
static struct pic pic;
static int intr;                 /* the CPU's INTR as the PIC drives it */

static void intr_set(void *opaque, int n, int level)
{
    (void)opaque;
    (void)n;
    intr = level;
}

static void outb(uint16_t port, uint8_t v) { bus_io_write(&bus, port, 1, v); }
static uint8_t inb(uint16_t port) { return (uint8_t)bus_io_read(&bus, port, 1); }

static void irq(int n, int level)
{
    struct irq_line l = pic_irq(&pic, n);
    irq_set(&l, level);
}

static int ack(void) { return pic_intr_ack(&pic); }

/* OCW3 then a read of A0=0: the IRR or the ISR of the chip at `base`. */
static uint8_t read_irr(uint16_t base) { outb(base, 0x0A); return inb(base); }
static uint8_t read_isr(uint16_t base) { outb(base, 0x0B); return inb(base); }

static void eoi_both(void) { outb(0xA0, 0x20); outb(0x20, 0x20); }

/* A fresh machine-less PIC, initialised like a PC BIOS does with vectors
 * master_base / slave_base and the given ICW4s, everything unmasked. */
static void setup(uint8_t icw4_master, uint8_t icw4_slave)
{
    bus_free(&bus);
    if (bus_init(&bus, 4096) < 0) {
        perror("bus_init");
        return;
    }
    memset(&pic, 0, sizeof pic);
    intr = -1;
    pic_init(&pic, &bus, (struct irq_line){ intr_set, NULL, 0 });
    outb(0x20, 0x11); outb(0x21, 0x20); outb(0x21, 0x04); outb(0x21, icw4_master);
    outb(0xA0, 0x11); outb(0xA1, 0x28); outb(0xA1, 0x02); outb(0xA1, icw4_slave);
    outb(0x21, 0x00);
    outb(0xA1, 0x00);
}

static void test_reset_state(void)
{
    bus_free(&bus);
    bus_init(&bus, 4096);
    memset(&pic, 0, sizeof pic);
    pic_init(&pic, &bus, (struct irq_line){ intr_set, NULL, 0 });
    check(inb(0x21) == 0xFF && inb(0xA1) == 0xFF, "reset: both IMRs all ones (nothing delivered before init)");
    irq(0, 1);
    check(intr == 0 && read_irr(0x20) == 0x01, "reset: a request is latched in the IRR but masked");
    irq(0, 0);
}

static void test_init_and_remap(void)
{
    setup(0x01, 0x01);
    check(intr == 0, "init: INTR low");
    check(inb(0x21) == 0x00 && inb(0xA1) == 0x00, "init: OCW1 cleared the masks");
    irq(0, 1);
    check(intr == 1, "IRQ 0 raises INTR");
    check(read_irr(0x20) == 0x01, "IRR shows IR0 before INTA");
    check(ack() == 0x20, "IRQ 0 -> vector 0x20 (ICW2)");
    check(intr == 0, "INTR falls after INTA");
    check(read_isr(0x20) == 0x01 && read_irr(0x20) == 0x00, "INTA: ISR0 set, edge IRR0 consumed");
    outb(0x20, 0x20);
    check(read_isr(0x20) == 0x00, "non-specific EOI clears ISR0");
    check(intr == 0, "an edge line held high does not request again");
    irq(0, 0);
    irq(12, 1);
    check(intr == 1, "IRQ 12 (slave) raises INTR through the cascade");
    check(read_irr(0x20) == 0x04 && read_irr(0xA0) == 0x10, "IRR: master IR2, slave IR4");
    check(ack() == 0x2C, "IRQ 12 -> vector 0x2C from the slave");
    check(read_isr(0x20) == 0x04 && read_isr(0xA0) == 0x10, "ISR: master IR2 and slave IR4 in service");
    eoi_both();
    check(read_isr(0x20) == 0 && read_isr(0xA0) == 0, "EOI to both chips");
    irq(12, 0);
    /* the low three bits of ICW2 are the IR number, not the base */
    outb(0x20, 0x11); outb(0x21, 0x6D); outb(0x21, 0x04); outb(0x21, 0x01);
    irq(5, 1);
    check(ack() == 0x6D, "ICW2 0x6D: IR5 -> 0x68 | 5");
    irq(5, 0);
}

static void test_word_access(void)
{
    setup(0x01, 0x01);
    bus_io_write(&bus, 0x20, 2, 0x5A0B);        /* OCW3 read ISR, then OCW1 = 0x5A */
    check(inb(0x21) == 0x5A, "a 16-bit OUT to 0x20 writes 0x20 then 0x21");
    check(bus_io_read(&bus, 0x20, 2) == 0x5A00, "a 16-bit IN from 0x20 reads ISR and IMR");
}

static void test_masking(void)
{
    setup(0x01, 0x01);
    outb(0x21, 0x02);
    irq(1, 1);
    check(intr == 0, "masked IRQ 1 does not raise INTR");
    check(read_irr(0x20) == 0x02, "masked request still in the IRR");
    outb(0x21, 0x00);
    check(intr == 1, "unmasking delivers it");
    check(ack() == 0x21, "vector 0x21");
    irq(1, 0);
    outb(0x20, 0x20);
    outb(0x21, 0x04);                            /* masking the cascade masks the slave */
    irq(9, 1);
    check(intr == 0 && read_irr(0xA0) == 0x02, "master IR2 masked: slave request waits");
    outb(0x21, 0x00);
    check(intr == 1 && ack() == 0x29, "unmasked cascade: vector 0x29");
    irq(9, 0);
    eoi_both();
}

static void test_priority(void)
{
    setup(0x01, 0x01);
    irq(3, 1);
    irq(1, 1);
    check(ack() == 0x21, "IRQ 1 before IRQ 3 (fixed priority)");
    check(intr == 0, "IRQ 3 waits while IR1 is in service");
    irq(0, 1);
    check(intr == 1, "IRQ 0 nests over IR1 in service");
    check(ack() == 0x20 && read_isr(0x20) == 0x03, "ISR has IR0 and IR1");
    outb(0x20, 0x20);
    check(read_isr(0x20) == 0x02, "non-specific EOI ends the highest level (IR0)");
    check(intr == 0, "IRQ 3 still blocked by IR1");
    irq(10, 1);
    check(intr == 0, "IRQ 10 (master IR2) is below IR1 too");
    outb(0x20, 0x20);
    check(intr == 1 && ack() == 0x2A, "after EOI: the cascade (IR2) wins over IR3");
    check(intr == 0, "IR3 below IR2 in service");
    eoi_both();
    check(intr == 1 && ack() == 0x23, "then IRQ 3");
    outb(0x20, 0x20);
    irq(0, 0); irq(1, 0); irq(3, 0); irq(10, 0);
}

static void test_specific_eoi(void)
{
    setup(0x01, 0x01);
    irq(4, 1);
    ack();
    irq(0, 1);
    ack();
    check(read_isr(0x20) == 0x11, "IR0 nested in IR4");
    outb(0x20, 0x64);                            /* specific EOI, level 4 */
    check(read_isr(0x20) == 0x01, "specific EOI 4 leaves IR0 in service");
    outb(0x20, 0x60);
    check(read_isr(0x20) == 0x00, "specific EOI 0");
    irq(0, 0); irq(4, 0);
}

static void test_rotation(void)
{
    setup(0x01, 0x01);
    outb(0x20, 0xC3);                            /* set priority: IR3 lowest, IR4 highest */
    irq(1, 1);
    irq(5, 1);
    check(ack() == 0x25, "IR3 lowest: IR5 before IR1");
    check(intr == 0, "IR1 now below IR5 in service");
    outb(0x20, 0xA0);                            /* rotate on non-specific EOI: IR5 lowest */
    check(read_isr(0x20) == 0, "rotating EOI cleared IR5");
    irq(5, 0);
    irq(7, 1);
    check(ack() == 0x27 && read_isr(0x20) == 0x80, "IR5 lowest: IR7 (not spurious) before IR1");
    outb(0x20, 0xE7);                            /* rotate on specific EOI 7: IR0 highest */
    irq(7, 0);
    irq(6, 1);
    check(ack() == 0x21, "IR7 lowest: IR1 before IR6");
    outb(0x20, 0x20);
    check(ack() == 0x26, "then IR6");
    outb(0x20, 0x20);
    irq(1, 0); irq(6, 0);
}

static void test_auto_eoi(void)
{
    setup(0x03, 0x03);
    irq(3, 1);
    check(ack() == 0x23 && read_isr(0x20) == 0x00, "auto-EOI: no ISR bit after INTA");
    irq(1, 1);
    check(intr == 1 && ack() == 0x21, "auto-EOI: next interrupt without an EOI");
    irq(14, 1);
    check(ack() == 0x2E && read_isr(0x20) == 0 && read_isr(0xA0) == 0, "auto-EOI on both chips");
    irq(1, 0); irq(3, 0); irq(14, 0);
    /* rotate in automatic EOI mode: the IR just served becomes the lowest */
    outb(0x20, 0x80);
    irq(1, 1);
    check(ack() == 0x21, "rotate-in-AEOI: IR1 served");
    irq(1, 0);
    irq(1, 1);
    irq(4, 1);
    check(ack() == 0x24, "IR1 became lowest: IR4 first");
    check(ack() == 0x21, "then IR1");
    outb(0x20, 0x00);                            /* rotate-in-AEOI off: IR1 stays lowest */
    irq(1, 0); irq(4, 0);
    irq(4, 1);
    check(ack() == 0x24, "rotation off: IR4 served");
    irq(3, 1);
    irq(5, 1);
    check(ack() == 0x23, "rotation off: IR4 did not become lowest (IR3 before IR5)");
    check(ack() == 0x25, "then IR5");
    irq(3, 0); irq(4, 0); irq(5, 0);
}

static void test_spurious(void)
{
    setup(0x01, 0x01);
    irq(3, 1);
    check(intr == 1, "IRQ 3 raised");
    irq(3, 0);
    check(intr == 0 && read_irr(0x20) == 0, "the request withdrawn: IRR clear, INTR low");
    check(ack() == 0x27, "INTA anyway: spurious IR7 vector");
    check(read_isr(0x20) == 0x00, "spurious IR7 sets no ISR bit");
    /* a real IRQ 7 does set it: the handler tells the two apart by the ISR */
    irq(7, 1);
    check(ack() == 0x27 && read_isr(0x20) == 0x80, "real IRQ 7 sets ISR7");
    outb(0x20, 0x20);
    irq(7, 0);
    /* slave: its request disappears between the master's INTA and its own
     * (done here by masking behind the chip's back, which only the INTA
     * window allows on hardware) */
    irq(11, 1);
    check(intr == 1, "IRQ 11 raised");
    pic.chip[1].irr = 0;
    check(ack() == 0x2F, "slave without a request answers with its IR7 vector (IRQ 15)");
    check(read_isr(0x20) == 0x04 && read_isr(0xA0) == 0x00, "the master keeps IR2 in service, the slave none");
    outb(0x20, 0x20);
    irq(11, 0);
}

static void test_level_triggering(void)
{
    setup(0x01, 0x01);
    outb(0x4D0, 0xFF);
    outb(0x4D1, 0xFF);
    check(inb(0x4D0) == 0xF8 && inb(0x4D1) == 0xDE, "ELCR: IRQ 0-2, 8, 13 cannot be level-triggered");
    outb(0x4D0, 0x00);
    outb(0x4D1, 0x04);                           /* IRQ 10 level */
    irq(10, 1);
    check(ack() == 0x2A, "level IRQ 10 delivered");
    check(read_irr(0xA0) == 0x04, "level: IRR stays while the line is high");
    eoi_both();
    check(intr == 1 && ack() == 0x2A, "level: still high after EOI -> again");
    irq(10, 0);
    check(read_irr(0xA0) == 0x00, "level: IRR follows the line down");
    eoi_both();
    check(intr == 0, "level: nothing once the line is low");
    /* the same line edge-triggered: one interrupt while held */
    outb(0x4D1, 0x00);
    irq(10, 1);
    check(ack() == 0x2A, "edge IRQ 10 delivered");
    eoi_both();
    check(intr == 0, "edge: held high after EOI -> no second interrupt");
    irq(10, 0);
    irq(10, 1);
    check(intr == 1 && ack() == 0x2A, "edge: a new rising edge requests again");
    eoi_both();
    irq(10, 0);
    /* ICW1 LTIM makes every line of that chip level-triggered */
    outb(0x20, 0x19); outb(0x21, 0x20); outb(0x21, 0x04); outb(0x21, 0x01);
    outb(0x21, 0x00);
    irq(0, 1);
    check(ack() == 0x20, "LTIM: IRQ 0");
    outb(0x20, 0x20);
    check(intr == 1 && ack() == 0x20, "LTIM: IRQ 0 held high interrupts again after EOI");
    outb(0x20, 0x20);
    irq(0, 0);
    check(intr == 0, "LTIM: line low, no request");
    /* a line held high before ELCR turns level requests at once */
    irq(11, 1);
    ack();
    eoi_both();
    check(intr == 0, "edge IRQ 11 held: quiet");
    outb(0x4D1, 0x08);
    check(intr == 1 && ack() == 0x2B, "switched to level while high: requests");
    eoi_both();
    irq(11, 0);
    outb(0x4D1, 0x00);
}

static void test_ocw3_reads(void)
{
    setup(0x01, 0x01);
    outb(0x21, 0xF0);
    irq(5, 1);
    irq(1, 1);
    check(inb(0x20) == 0x22, "after init A0=0 reads the IRR");
    ack();
    outb(0x20, 0x0B);
    check(inb(0x20) == 0x02 && inb(0x20) == 0x02, "RR=1 RIS=1: ISR, and it stays selected");
    outb(0x20, 0x08);                            /* RR=0: no change */
    check(inb(0x20) == 0x02, "OCW3 with RR=0 keeps the ISR selected");
    outb(0x20, 0x0A);
    check(inb(0x20) == 0x20, "RR=1 RIS=0: IRR (IR5 still pending, masked)");
    check(inb(0x21) == 0xF0, "A0=1 reads the IMR");
    outb(0x20, 0x20);
    irq(1, 0); irq(5, 0);
}

static void test_poll(void)
{
    setup(0x01, 0x01);
    outb(0x20, 0x0C);
    check(inb(0x20) == 0x07, "poll with nothing pending: bit 7 clear");
    irq(6, 1);
    irq(4, 1);
    outb(0x20, 0x0C);
    check(inb(0x20) == 0x84, "poll: 0x80 | IR4 (highest)");
    check(read_isr(0x20) == 0x10, "poll acknowledged IR4 (ISR)");
    check(inb(0x20) == 0x10, "the read after the poll is an ordinary read again");
    outb(0x20, 0x0C);
    check(inb(0x21) == 0x07, "poll through A0=1: IR6 below IR4 in service -> nothing");
    outb(0x20, 0x20);
    outb(0x20, 0x0C);
    check(inb(0x21) == 0x86, "poll through A0=1 after EOI: IR6");
    outb(0x20, 0x20);
    irq(4, 0); irq(6, 0);
    /* cascaded polling: the master says IR2, then the slave is polled */
    irq(13, 1);
    outb(0x20, 0x0C);
    check(inb(0x20) == 0x82, "poll master: the cascade IR2");
    outb(0xA0, 0x0C);
    check(inb(0xA0) == 0x85, "poll slave: IR5 (IRQ 13)");
    check(read_isr(0xA0) == 0x20, "slave ISR5 set by the poll");
    eoi_both();
    irq(13, 0);
}

static void test_special_mask(void)
{
    setup(0x01, 0x01);
    irq(3, 1);
    check(ack() == 0x23, "IR3 in service");
    irq(5, 1);
    check(intr == 0, "IR5 blocked by IR3 in service");
    outb(0x21, 0x08);                            /* mask IR3 ... */
    check(intr == 0, "masking IR3 alone does not let IR5 in");
    outb(0x20, 0x68);                            /* ... in special mask mode */
    check(intr == 1, "special mask mode: IR5 enabled below the masked IR3");
    check(ack() == 0x25 && read_isr(0x20) == 0x28, "IR5 nests; ISR has IR3 and IR5");
    irq(4, 1);
    check(intr == 1 && ack() == 0x24, "IR4 (above IR5, below masked IR3) nests too");
    outb(0x20, 0x20);
    check(read_isr(0x20) == 0x28, "non-specific EOI in SMM: IR4 cleared");
    outb(0x20, 0x20);
    check(read_isr(0x20) == 0x08, "non-specific EOI in SMM skips the masked IR3");
    outb(0x20, 0x48);                            /* leave special mask mode */
    outb(0x21, 0x00);
    outb(0x20, 0x20);
    check(read_isr(0x20) == 0x00, "out of SMM the EOI clears IR3");
    irq(3, 0); irq(4, 0); irq(5, 0);
}

static void test_special_fully_nested(void)
{
    setup(0x01, 0x01);
    irq(12, 1);
    check(ack() == 0x2C, "IRQ 12 in service");
    irq(9, 1);
    check(intr == 0, "fully nested: IRQ 9 on the same slave waits for the master EOI");
    outb(0xA0, 0x20); outb(0x20, 0x20);
    check(ack() == 0x29, "then IRQ 9");
    eoi_both();
    eoi_both();
    irq(9, 0); irq(12, 0);

    setup(0x11, 0x01);                           /* master in special fully nested mode */
    irq(12, 1);
    check(ack() == 0x2C, "SFNM: IRQ 12 in service");
    irq(9, 1);
    check(intr == 1, "SFNM: higher IRQ 9 on the same slave gets through");
    check(ack() == 0x29 && read_isr(0xA0) == 0x12, "SFNM: slave ISR has IR1 and IR4");
    irq(14, 1);
    check(intr == 0, "SFNM: lower IRQ 14 still waits");
    irq(3, 1);
    check(intr == 0, "SFNM: IR3 is below the cascade in service");
    outb(0xA0, 0x20);
    check(read_isr(0xA0) == 0x10, "slave EOI ends IR1 (the slave reads its ISR to know more remain)");
    outb(0xA0, 0x20);
    outb(0x20, 0x20);
    check(intr == 1 && ack() == 0x2E, "then IRQ 14");
    eoi_both();
    check(ack() == 0x23, "then IRQ 3");
    outb(0x20, 0x20);
    irq(3, 0); irq(9, 0); irq(12, 0); irq(14, 0);
}

static void test_single_and_irq2(void)
{
    setup(0x01, 0x01);
    irq(2, 1);
    check(ack() == 0x29, "the bus's IRQ 2 pin reaches IRQ 9 (vector 0x29)");
    eoi_both();
    irq(2, 0);
    /* single master without ICW3: the next A1 write is ICW4 */
    outb(0x20, 0x13); outb(0x21, 0x40); outb(0x21, 0x01);
    check(inb(0x21) == 0x00, "single mode: ICW1, ICW2, ICW4 then the IMR (cleared)");
    outb(0x21, 0x00);
    irq(10, 1);
    check(ack() == 0x42, "single mode: the slave's INT is a plain IR2 (vector base+2)");
    irq(10, 0);
    outb(0x20, 0x20);
}

static void test_reinit(void)
{
    setup(0x01, 0x01);
    irq(6, 1);
    ack();
    outb(0x21, 0x81);
    outb(0x20, 0x6B);                            /* SMM on, read ISR */
    outb(0x20, 0x11); outb(0x21, 0x30); outb(0x21, 0x04); outb(0x21, 0x01);
    check(inb(0x21) == 0x00, "ICW1 cleared the IMR");
    check(inb(0x20) == 0x00, "ICW1 selects the IRR for reads (edge IRQ 6 held: not requesting)");
    check(intr == 0, "ICW1: an edge line held high needs a new rising edge");
    irq(6, 0);
    irq(6, 1);
    check(ack() == 0x36, "new edge after init: ICW2 0x30 in use");
    outb(0x20, 0x20);
    irq(6, 0);
    pic_reset(&pic);
    check(inb(0x21) == 0xFF && intr == 0, "pic_reset: masked, INTR low");
}

int main(void)
{
    test_reset_state();
    test_init_and_remap();
    test_word_access();
    test_masking();
    test_priority();
    test_specific_eoi();
    test_rotation();
    test_auto_eoi();
    test_spurious();
    test_level_triggering();
    test_ocw3_reads();
    test_poll();
    test_special_mask();
    test_special_fully_nested();
    test_single_and_irq2();
    test_reinit();
    bus_free(&bus);
    printf("%d passed, %d failed\n", passed, failed);
    return failed != 0;
}
