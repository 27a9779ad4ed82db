/* test_lapic.c -- the local APIC through its registers and pins, without a
 * machine: reset values, the 8259 virtual wire on LINT0, self-IPIs,
 * acceptance by priority class against the PPR, EOI order, the error
 * status register, the timer in one-shot and periodic modes with every
 * divide value on a deterministic virtual clock, logical destinations
 * (flat and cluster), NMI/INIT/STARTUP messages, lowest-priority delivery
 * and EOI broadcast for level-triggered vectors, software and global
 * disable, the spurious vector. */
#include <stdio.h>
#include <string.h>

#include "devices/lapic.h"
#include "tests/unit/check.h"

static uint64_t insns;           /* the clock's source: 10 ns each */
static struct vclock clk;
static struct apic_bus abus;
static struct lapic lap[2];
static int intr[2], nmis[2], inits[2], startups[2], extint_acks;
static int startup_vector = -1, eoi_vector = -1, eois;

static void intr_set(void *opaque, int n, int level) { (void)opaque; intr[n] = level; }
static void on_nmi(void *opaque) { nmis[*(int *)opaque]++; }
static int on_extint_ack(void *opaque) { (void)opaque; extint_acks++; return 0x08; }
static void on_init(void *opaque, int index) { (void)opaque; inits[index]++; }
static void on_startup(void *opaque, int index, uint8_t vector)
{
    (void)opaque;
    startups[index]++;
    startup_vector = vector;
}
static void on_eoi(void *opaque, uint8_t vector) { (void)opaque; eois++; eoi_vector = vector; }

static int ids[2] = { 0, 1 };

/* A fresh bus with `n` local APICs (CPU 0 the BSP) at virtual time 0. */
static void setup(int n)
{
    for (int k = 0; k < 2; k++)
        if (lap[k].clock)
            lapic_free(&lap[k]);
    memset(lap, 0, sizeof lap);
    insns = 0;
    vclock_init(&clk, true, &insns);
    apic_bus_init(&abus, NULL);
    abus.eoi = on_eoi;
    memset(intr, 0, sizeof intr);
    memset(nmis, 0, sizeof nmis);
    memset(inits, 0, sizeof inits);
    memset(startups, 0, sizeof startups);
    extint_acks = eois = 0;
    startup_vector = eoi_vector = -1;
    for (int k = 0; k < n; k++) {
        struct lapic_wiring w = {
            .intr = { intr_set, NULL, k }, .nmi = on_nmi, .extint_ack = on_extint_ack,
            .init = on_init, .startup = on_startup, .opaque = &ids[k],
        };
        lapic_init(&lap[k], &abus, k, &clk, &w);
    }
}

static uint32_t rd(int k, uint32_t reg) { return lapic_read(&lap[k], reg); }
static void wr(int k, uint32_t reg, uint32_t v) { lapic_write(&lap[k], reg, v); }
static bool irr(int k, int v) { return (rd(k, LAPIC_IRR + (v >> 5) * 0x10) >> (v & 31)) & 1; }
static bool isr(int k, int v) { return (rd(k, LAPIC_ISR + (v >> 5) * 0x10) >> (v & 31)) & 1; }
static bool tmr(int k, int v) { return (rd(k, LAPIC_TMR + (v >> 5) * 0x10) >> (v & 31)) & 1; }

static void self_ipi(int k, uint8_t vector) { wr(k, LAPIC_ICR_LO, (1u << 18) | vector); }
static int ack(int k) { return lapic_intr_ack(&lap[k]); }

/* Moves virtual time to `ns` and runs the timers due. */
static void advance_to(uint64_t ns)
{
    insns = ns / 10;
    vclock_run_due(&clk);
}

static void test_reset(void)
{
    setup(1);
    check(rd(0, LAPIC_ID) == 0, "ID 0 for CPU 0");
    check(rd(0, LAPIC_VER) == 0x00040014, "version 14h, max LVT 4 (%08x)", rd(0, LAPIC_VER));
    check(rd(0, LAPIC_SVR) == 0xFF, "SVR FFh: software disabled");
    check(rd(0, LAPIC_DFR) == 0xFFFFFFFFu, "DFR flat model");
    check(rd(0, LAPIC_LVT_LINT0) == 0x700, "BSP LINT0: ExtINT, unmasked (virtual wire)");
    check(rd(0, LAPIC_LVT_LINT1) == APIC_LVT_MASKED && rd(0, LAPIC_LVT_TIMER) == APIC_LVT_MASKED &&
          rd(0, LAPIC_LVT_ERROR) == APIC_LVT_MASKED, "other LVT entries masked");
    check(rd(0, LAPIC_TPR) == 0 && rd(0, LAPIC_PPR) == 0, "TPR and PPR 0");
    check(lapic_hw_enabled(&lap[0]) && (lap[0].base & APIC_BASE_BSP), "globally enabled, BSP");
}

static void test_virtual_wire(void)
{
    setup(1);
    lapic_set_lint(&lap[0], 0, true);
    check(intr[0] == 1, "8259 INT on LINT0 raises INTR (software-disabled APIC)");
    check(ack(0) == 0x08 && extint_acks == 1, "INTA goes to the 8259");
    lapic_set_lint(&lap[0], 0, false);
    check(intr[0] == 0, "INT low: INTR low");
    wr(0, LAPIC_SVR, 0x1FF);
    wr(0, LAPIC_LVT_LINT0, APIC_LVT_MASKED | 0x700);
    lapic_set_lint(&lap[0], 0, true);
    check(intr[0] == 0, "masked LINT0 keeps the 8259 out");
    wr(0, LAPIC_LVT_LINT0, 0x700);
    check(intr[0] == 1, "unmasking LINT0 lets the active INT in");
    lapic_set_base(&lap[0], APIC_DEFAULT_BASE | APIC_BASE_BSP);
    check(intr[0] == 1 && ack(0) == 0x08, "globally disabled: LINT0 is INTR");
    check((rd(0, LAPIC_LVT_LINT0) & APIC_LVT_MASKED) && !(rd(0, LAPIC_SVR) & APIC_SVR_ENABLE),
          "global disable masks the LVT and clears the software enable");
    lapic_set_lint(&lap[0], 1, true);
    check(nmis[0] == 1, "globally disabled: LINT1 is the NMI pin");
    lapic_set_lint(&lap[0], 1, false);
}

static void test_self_ipi(void)
{
    setup(1);
    check(rd(0, LAPIC_SVR) == 0xFF, "disabled");
    wr(0, LAPIC_SVR, 0x1F0);
    check(rd(0, LAPIC_SVR) == 0x1FF, "SVR vector bits 0-3 read as ones (P6)");
    self_ipi(0, 0x40);
    check(irr(0, 0x40) && intr[0] == 1, "self-IPI 40h: IRR set, INTR high");
    check(ack(0) == 0x40, "INTA returns 40h");
    check(!irr(0, 0x40) && isr(0, 0x40) && intr[0] == 0, "40h moved from IRR to ISR");
    check(rd(0, LAPIC_PPR) == 0x40, "PPR = class of the vector in service");
    wr(0, LAPIC_EOI, 0);
    check(!isr(0, 0x40) && rd(0, LAPIC_PPR) == 0, "EOI clears ISR");
    check(eois == 0, "edge vector: no EOI broadcast");
    check(ack(0) == 0xFF, "INTA with nothing pending: the spurious vector");
    check(rd(0, LAPIC_ISR + 0x70) == 0, "spurious INTA sets no ISR bit");
    /* the all-including-self shorthand */
    wr(0, LAPIC_ICR_LO, (2u << 18) | 0x41);
    check(irr(0, 0x41), "all-including-self reaches self");
    wr(0, LAPIC_ICR_LO, (3u << 18) | 0x42);
    check(!irr(0, 0x42), "all-excluding-self does not");
    wr(0, LAPIC_ICR_HI, 0u << 24);
    wr(0, LAPIC_ICR_LO, 0x43);
    check(irr(0, 0x43), "physical destination 0 = own ID");
    check((rd(0, LAPIC_ICR_LO) & (1u << 12)) == 0, "delivery status idle after the send");
}

static void test_priority(void)
{
    setup(1);
    wr(0, LAPIC_SVR, 0x1FF);
    wr(0, LAPIC_TPR, 0x50);
    self_ipi(0, 0x45);
    check(irr(0, 0x45) && intr[0] == 0, "45h held: class 4 <= TPR class 5");
    check(rd(0, LAPIC_PPR) == 0x50, "PPR = TPR");
    self_ipi(0, 0x61);
    check(intr[0] == 1 && ack(0) == 0x61, "61h above the TPR is delivered");
    check(rd(0, LAPIC_PPR) == 0x60, "PPR 60h while 61h is in service");
    self_ipi(0, 0x65);
    check(intr[0] == 0, "65h (same class as the one in service) waits");
    self_ipi(0, 0x71);
    check(intr[0] == 1 && ack(0) == 0x71, "71h nests above 61h");
    check(rd(0, LAPIC_APR) == 0x70, "APR: the class in service (%02x)", rd(0, LAPIC_APR));
    wr(0, LAPIC_EOI, 0);
    check(!isr(0, 0x71) && isr(0, 0x61), "EOI ends the highest in service first");
    check(intr[0] == 0, "65h still blocked by 61h");
    wr(0, LAPIC_EOI, 0);
    check(intr[0] == 1 && ack(0) == 0x65, "after 61h's EOI: 65h");
    wr(0, LAPIC_EOI, 0);
    check(intr[0] == 0, "45h still below the TPR");
    wr(0, LAPIC_TPR, 0x00);
    check(intr[0] == 1 && ack(0) == 0x45, "TPR lowered: 45h delivered");
    wr(0, LAPIC_EOI, 0);
    self_ipi(0, 0x80);
    self_ipi(0, 0x90);
    check(ack(0) == 0x90, "highest vector first");
}

static void test_errors(void)
{
    setup(1);
    wr(0, LAPIC_SVR, 0x1FF);
    self_ipi(0, 0x05);
    check(!irr(0, 0x05), "illegal vector 5 not sent");
    check(rd(0, LAPIC_ESR) == 0, "ESR reads the value latched at the last write");
    wr(0, LAPIC_ESR, 0);
    check(rd(0, LAPIC_ESR) == APIC_ESR_SEND_ILLEGAL, "send illegal vector latched (%02x)",
          rd(0, LAPIC_ESR));
    wr(0, LAPIC_ESR, 0);
    check(rd(0, LAPIC_ESR) == 0, "a write with no new error clears it");
    wr(0, LAPIC_LVT_ERROR, 0xEE);
    struct apic_msg m = { .vector = 0x0A, .mode = APIC_DM_FIXED, .dest = 0, .source = -1 };
    apic_bus_send(&abus, &m);
    check(!irr(0, 0x0A) && irr(0, 0xEE), "receive illegal vector: error interrupt EEh");
    wr(0, LAPIC_ESR, 0);
    check(rd(0, LAPIC_ESR) == APIC_ESR_RECV_ILLEGAL, "receive illegal vector latched");
}

/* Divide configuration register values and their divisors. */
static const struct { uint32_t dcr, div; } divides[] = {
    { 0x0, 2 }, { 0x1, 4 }, { 0x2, 8 }, { 0x3, 16 },
    { 0x8, 32 }, { 0x9, 64 }, { 0xA, 128 }, { 0xB, 1 },
};

static void test_timer_oneshot(void)
{
    setup(1);
    wr(0, LAPIC_SVR, 0x1FF);
    wr(0, LAPIC_TIMER_DCR, 0xB);
    wr(0, LAPIC_LVT_TIMER, 0x30);
    wr(0, LAPIC_TIMER_ICR, 1000);            /* 1000 ticks of 10 ns */
    check(rd(0, LAPIC_TIMER_CCR) == 1000, "current count starts at the initial count");
    advance_to(5000);
    check(rd(0, LAPIC_TIMER_CCR) == 500, "half-way: 500 (%u)", rd(0, LAPIC_TIMER_CCR));
    check(!irr(0, 0x30), "no interrupt before the count ends");
    advance_to(9990);
    check(!irr(0, 0x30), "none at 9.99 us");
    advance_to(10000);
    check(irr(0, 0x30) && intr[0] == 1, "one-shot expiry at 10 us: vector 30h");
    check(rd(0, LAPIC_TIMER_CCR) == 0, "count stays 0");
    ack(0);
    wr(0, LAPIC_EOI, 0);
    advance_to(100000);
    check(!irr(0, 0x30) && lap[0].timer_fires == 1, "one-shot fires once");
    wr(0, LAPIC_TIMER_ICR, 100);
    wr(0, LAPIC_TIMER_ICR, 0);
    advance_to(200000);
    check(lap[0].timer_fires == 1 && rd(0, LAPIC_TIMER_CCR) == 0, "initial count 0 stops it");
    for (size_t k = 0; k < sizeof divides / sizeof divides[0]; k++) {
        setup(1);
        wr(0, LAPIC_TIMER_DCR, divides[k].dcr);
        wr(0, LAPIC_TIMER_ICR, 100000);
        advance_to(10ull * divides[k].div * 250);  /* 250 ticks */
        uint32_t ccr = rd(0, LAPIC_TIMER_CCR);
        check(ccr == 100000 - 250, "divide config %x: by %u (count %u)", divides[k].dcr,
              divides[k].div, ccr);
    }
}

static void test_timer_periodic(void)
{
    setup(1);
    wr(0, LAPIC_SVR, 0x1FF);
    wr(0, LAPIC_TIMER_DCR, 0x3);             /* by 16: 160 ns per tick */
    wr(0, LAPIC_LVT_TIMER, APIC_LVT_PERIODIC | 0x31);
    wr(0, LAPIC_TIMER_ICR, 100);             /* period 16 us */
    int got = 0;
    for (uint64_t t = 0; t <= 16000 * 5 + 100; t += 1000) {
        advance_to(t);
        if (intr[0] && ack(0) == 0x31) {
            got++;
            wr(0, LAPIC_EOI, 0);
        }
    }
    check(got == 5, "periodic: 5 interrupts in 5 periods (%d)", got);
    advance_to(16000 * 5 + 160 * 30);
    check(rd(0, LAPIC_TIMER_CCR) == 70, "reloaded count counts down again (%u)",
          rd(0, LAPIC_TIMER_CCR));
    wr(0, LAPIC_LVT_TIMER, APIC_LVT_MASKED | APIC_LVT_PERIODIC | 0x31);
    uint64_t fires = lap[0].timer_fires;
    for (uint64_t t = 16000 * 5 + 4800; t <= 16000 * 9; t += 1000)
        advance_to(t);
    advance_to(16000 * 9);
    check(lap[0].timer_fires == fires + 4 && !irr(0, 0x31), "masked: counts on, no interrupt");
    advance_to(16000 * 9 + 160 * 40);
    wr(0, LAPIC_LVT_TIMER, 0x31);            /* back to one-shot */
    check(rd(0, LAPIC_TIMER_CCR) == 60, "to one-shot: the count goes on (%u)",
          rd(0, LAPIC_TIMER_CCR));
    fires = lap[0].timer_fires;
    advance_to(16000 * 10 - 10);
    check(lap[0].timer_fires == fires, "not before the count ends");
    advance_to(16000 * 10);
    check(lap[0].timer_fires == fires + 1 && irr(0, 0x31), "expiry at the end of the count");
    advance_to(16000 * 20);
    check(lap[0].timer_fires == fires + 1, "one-shot: no more");
    /* missed periods merge into one interrupt */
    setup(1);
    wr(0, LAPIC_SVR, 0x1FF);
    wr(0, LAPIC_TIMER_DCR, 0xB);
    wr(0, LAPIC_LVT_TIMER, APIC_LVT_PERIODIC | 0x32);
    wr(0, LAPIC_TIMER_ICR, 10);              /* 100 ns */
    advance_to(100000);
    check(lap[0].timer_fires == 1 && irr(0, 0x32), "1000 periods missed: one expiry, one IRR bit");
    check(lap[0].timer.armed && lap[0].timer.when == 100100, "next expiry on the period grid");
}

static void test_logical(void)
{
    setup(1);
    wr(0, LAPIC_SVR, 0x1FF);
    wr(0, LAPIC_LDR, 0x02000000);
    struct apic_msg m = { .vector = 0x50, .mode = APIC_DM_FIXED, .logical = true, .dest = 0x02,
                          .source = -1 };
    apic_bus_send(&abus, &m);
    check(irr(0, 0x50), "flat: logical destination 02h matches LDR 02h");
    m.vector = 0x51, m.dest = 0x01;
    apic_bus_send(&abus, &m);
    check(!irr(0, 0x51), "flat: 01h does not");
    wr(0, LAPIC_DFR, 0x0FFFFFFF);
    check(rd(0, LAPIC_DFR) == 0x0FFFFFFF, "DFR cluster model");
    wr(0, LAPIC_LDR, 0x32000000);            /* cluster 3, member bit 1 */
    m.vector = 0x52, m.dest = 0x32;
    apic_bus_send(&abus, &m);
    m.vector = 0x53, m.dest = 0x22;
    apic_bus_send(&abus, &m);
    m.vector = 0x54, m.dest = 0xF2;
    apic_bus_send(&abus, &m);
    m.vector = 0x55, m.dest = 0x31;
    apic_bus_send(&abus, &m);
    check(irr(0, 0x52) && !irr(0, 0x53), "cluster: 32h matches, 22h (other cluster) not");
    check(irr(0, 0x54) && !irr(0, 0x55), "cluster F = all clusters; other member bit not");
    m.logical = false, m.vector = 0x56, m.dest = 0xFF;
    apic_bus_send(&abus, &m);
    check(irr(0, 0x56), "physical FFh: broadcast");
}

static void test_two_cpus(void)
{
    setup(2);
    wr(0, LAPIC_SVR, 0x1FF);
    wr(1, LAPIC_SVR, 0x1FF);
    check(rd(1, LAPIC_ID) == 0x01000000 && !(lap[1].base & APIC_BASE_BSP), "CPU 1: ID 1, an AP");
    check(rd(1, LAPIC_LVT_LINT0) == APIC_LVT_MASKED, "AP LINT0 masked");
    wr(0, LAPIC_ICR_HI, 1u << 24);
    wr(0, LAPIC_ICR_LO, 0x60);
    check(irr(1, 0x60) && !irr(0, 0x60) && intr[1] == 1, "fixed IPI to ID 1");
    wr(0, LAPIC_ICR_LO, (3u << 18) | 0x61);
    check(irr(1, 0x61) && !irr(0, 0x61), "all-excluding-self");
    wr(0, LAPIC_ICR_LO, (3u << 18) | (APIC_DM_NMI << 8));
    check(nmis[1] == 1 && nmis[0] == 0, "NMI IPI");
    wr(0, LAPIC_ICR_LO, (3u << 18) | APIC_LVT_LEVEL | (APIC_DM_INIT << 8));
    check(inits[1] == 0, "INIT level de-assert: no INIT");
    wr(0, LAPIC_ICR_LO, APIC_ICR_ASSERT | (APIC_DM_INIT << 8));
    check(inits[1] == 1 && inits[0] == 0, "INIT to ID 1");
    wr(0, LAPIC_ICR_LO, (APIC_DM_STARTUP << 8) | 0x9A);
    check(startups[1] == 1 && startup_vector == 0x9A, "STARTUP 9Ah to the waiting AP");
    wr(0, LAPIC_ICR_LO, (APIC_DM_STARTUP << 8) | 0x9B);
    check(startups[1] == 1, "a second STARTUP is ignored (running)");
    wr(1, LAPIC_ICR_HI, 0u << 24);
    wr(1, LAPIC_ICR_LO, (APIC_DM_STARTUP << 8) | 0x9C);
    check(startups[0] == 0, "STARTUP to the BSP is ignored");
    /* lowest priority: the APIC with the lower TPR wins */
    setup(2);
    wr(0, LAPIC_SVR, 0x1FF);
    wr(1, LAPIC_SVR, 0x1FF);
    wr(0, LAPIC_TPR, 0x20);
    wr(1, LAPIC_TPR, 0x10);
    struct apic_msg m = { .vector = 0x70, .mode = APIC_DM_LOWEST, .logical = true, .dest = 0xFF,
                          .source = -1 };
    apic_bus_send(&abus, &m);
    check(irr(1, 0x70) && !irr(0, 0x70), "lowest priority: CPU 1 (TPR 10h)");
    wr(1, LAPIC_TPR, 0x30);
    m.vector = 0x71;
    apic_bus_send(&abus, &m);
    check(irr(0, 0x71) && !irr(1, 0x71), "lowest priority: CPU 0 (TPR 20h < 30h)");
}

static void test_level_eoi(void)
{
    setup(1);
    wr(0, LAPIC_SVR, 0x1FF);
    struct apic_msg m = { .vector = 0x39, .mode = APIC_DM_FIXED, .level = true, .assert = true,
                          .dest = 0, .source = -1 };
    apic_bus_send(&abus, &m);
    check(irr(0, 0x39) && tmr(0, 0x39), "level message: IRR and TMR set");
    check(ack(0) == 0x39, "delivered");
    wr(0, LAPIC_EOI, 0);
    check(eois == 1 && eoi_vector == 0x39, "EOI broadcast with vector 39h");
    self_ipi(0, 0x39);
    check(!tmr(0, 0x39), "an edge acceptance clears the TMR bit");
    ack(0);
    wr(0, LAPIC_EOI, 0);
    check(eois == 1, "edge EOI: no broadcast");
    /* NMI on LINT1, fixed level on LINT0 with remote IRR */
    wr(0, LAPIC_LVT_LINT1, APIC_DM_NMI << 8);
    lapic_set_lint(&lap[0], 1, true);
    check(nmis[0] == 1, "LINT1 NMI on the rising edge");
    lapic_set_lint(&lap[0], 1, false);
    wr(0, LAPIC_LVT_LINT0, APIC_LVT_LEVEL | 0x3A);
    lapic_set_lint(&lap[0], 0, true);
    check(irr(0, 0x3A) && (rd(0, LAPIC_LVT_LINT0) & APIC_LVT_REMOTE_IRR), "LINT0 level: remote IRR");
    check(ack(0) == 0x3A, "LINT0 fixed vector delivered");
    wr(0, LAPIC_EOI, 0);
    check(irr(0, 0x3A), "still active after EOI: delivered again");
    lapic_set_lint(&lap[0], 0, false);
    ack(0);
    wr(0, LAPIC_EOI, 0);
    check(!(rd(0, LAPIC_LVT_LINT0) & APIC_LVT_REMOTE_IRR) && !irr(0, 0x3A), "inactive: done");
}

static void test_disable(void)
{
    setup(1);
    wr(0, LAPIC_SVR, 0x1FF);
    wr(0, LAPIC_LVT_TIMER, 0x30);
    wr(0, LAPIC_SVR, 0x0FF);
    check(rd(0, LAPIC_LVT_TIMER) & APIC_LVT_MASKED, "software disable masks the LVT");
    wr(0, LAPIC_LVT_TIMER, 0x30);
    check(rd(0, LAPIC_LVT_TIMER) & APIC_LVT_MASKED, "and the mask cannot be cleared");
    self_ipi(0, 0x40);
    check(irr(0, 0x40) && intr[0] == 0, "a fixed IPI is held while disabled");
    wr(0, LAPIC_SVR, 0x1FF);
    check(intr[0] == 1 && ack(0) == 0x40, "delivered once enabled");
}

int main(void)
{
    test_reset();
    test_virtual_wire();
    test_self_ipi();
    test_priority();
    test_errors();
    test_timer_oneshot();
    test_timer_periodic();
    test_logical();
    test_two_cpus();
    test_level_eoi();
    test_disable();
    printf("%d passed, %d failed\n", passed, failed);
    return failed != 0;
}
