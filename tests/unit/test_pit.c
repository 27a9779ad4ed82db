/* test_pit.c -- the 8254 and port B on a deterministic virtual clock whose
 * time the test sets: counter values and OUT clock by clock in modes 0-5,
 * GATE rules, counts changed while counting, BCD, the three access modes,
 * latch and read-back commands with status and null count, IRQ 0 edges at
 * their exact clocks (also when the timer runs late), and port 0x61. */
#include <stdio.h>
#include <string.h>

#include "devices/pit.h"
#include "devices/port61.h"
#include "machine/bus.h"
#include "tests/unit/check.h"

static uint64_t insns;           /* the virtual clock follows this */
static struct vclock clock;
static struct bus bus;
static struct pit pit;
static struct port61 p61;

enum { MAX_EDGES = 4096 };
static int irq_level;
static int nrises, nfalls;
static uint64_t rise_at[MAX_EDGES];

static uint64_t now_tick(void) { return pit_ticks(vclock_now(&clock)); }

static void irq0_set(void *opaque, int n, int level)
{
    (void)opaque;
    (void)n;
    if (level && !irq_level && nrises < MAX_EDGES)
        rise_at[nrises++] = now_tick();
    if (!level && irq_level)
        nfalls++;
    irq_level = level;
}

static void outb(uint16_t port, uint8_t v) { bus_io_write(&bus, port, 1, v); }
static uint8_t inb(uint16_t port) { return (uint8_t)bus_io_read(&bus, port, 1); }

/* First ns at which clock t has happened. */
static uint64_t tick_ns(uint64_t t)
{
    return t / PIT_HZ * NS_PER_SEC + (t % PIT_HZ * NS_PER_SEC + PIT_HZ - 1) / PIT_HZ;
}

static void set_ns(uint64_t ns) { insns = (ns + clock.ns_per_insn - 1) / clock.ns_per_insn; }

/* Moves time to clock t, firing every timer at its own time on the way. */
static void run_to(uint64_t t)
{
    for (;;) {
        uint64_t next = vclock_next(&clock);
        if (next > tick_ns(t))
            break;
        set_ns(next);
        vclock_run_due(&clock);
    }
    set_ns(tick_ns(t));
    vclock_run_due(&clock);
}

/* Moves time without running timers (a late machine loop). */
static void jump_to(uint64_t t) { set_ns(tick_ns(t)); }

static void setup(void)
{
    bus_free(&bus);
    if (bus_init(&bus, 4096) < 0) {
        perror("bus_init");
        return;
    }
    insns = 0;
    vclock_init(&clock, true, &insns);
    memset(&pit, 0, sizeof pit);
    memset(&p61, 0, sizeof p61);
    irq_level = 0;
    nrises = nfalls = 0;
    pit_init(&pit, &bus, &clock, (struct irq_line){ irq0_set, NULL, 0 });
    port61_init(&p61, &bus, &clock, (struct port61_timer2){ pit_gate2, pit_out2, &pit });
    run_to(1000);
}

static void count16(int ch, uint16_t n)
{
    outb((uint16_t)(0x40 + ch), (uint8_t)n);
    outb((uint16_t)(0x40 + ch), (uint8_t)(n >> 8));
}

static uint16_t read16(int ch)
{
    uint16_t lo = inb((uint16_t)(0x40 + ch));
    return (uint16_t)(lo | inb((uint16_t)(0x40 + ch)) << 8);
}

static uint16_t latched(int ch)
{
    outb(0x43, (uint8_t)(ch << 6));
    return read16(ch);
}

static uint8_t status(int ch)
{
    outb(0x43, (uint8_t)(0xE0 | 2 << ch));       /* read-back: status only */
    return inb((uint16_t)(0x40 + ch));
}

static bool out_of(int ch) { return (status(ch) & 0x80) != 0; }

static void test_mode0(void)
{
    setup();
    uint64_t t = now_tick();
    outb(0x43, 0x30);                            /* counter 0, LSB/MSB, mode 0, binary */
    check(status(0) == 0x70, "mode 0 control word: status = null count | rw 3 | mode 0, OUT low");
    count16(0, 100);
    check(status(0) == 0x70, "count written: null count until the next clock");
    run_to(t + 1);
    check(latched(0) == 100 && status(0) == 0x30, "next clock: CE = 100, null count clear, OUT low");
    run_to(t + 51);
    check(latched(0) == 50, "50 clocks later: 50");
    run_to(t + 100);
    check(latched(0) == 1 && !out_of(0) && nrises == 0, "CE 1: OUT still low");
    run_to(t + 101);
    check(latched(0) == 0 && out_of(0), "CE 0: OUT high (N + 1 clocks after the write)");
    check(nrises == 1 && rise_at[0] == t + 101, "IRQ 0 rises at that very clock");
    run_to(t + 102);
    check(latched(0) == 0xFFFF && out_of(0), "the counter wraps to FFFF, OUT stays high");
    run_to(t + 101 + 70000);
    check(nrises == 1 && irq_level == 1, "no second edge after the wrap");
    /* a new count: OUT low at once, counting again */
    t = now_tick();
    count16(0, 10);
    check(!out_of(0) && irq_level == 0 && nfalls == 1, "new count: OUT and IRQ 0 low at once");
    run_to(t + 11);
    check(nrises == 2 && rise_at[1] == t + 11, "new count 10: edge 11 clocks later");
    /* the first byte of a two-byte count stops counting with OUT low */
    t = now_tick();
    count16(0, 1000);
    run_to(t + 101);
    check(latched(0) == 900, "counting 1000: 900 after 100 clocks");
    outb(0x40, 0x20);
    run_to(t + 201);
    check(latched(0) == 900 && !out_of(0), "LSB written: counting stops (still 900)");
    outb(0x40, 0x00);
    run_to(t + 202);
    check(latched(0) == 0x20, "MSB written: the new count 0x0020 is loaded on the next clock");
    run_to(t + 202 + 32);
    check(out_of(0) && nrises == 3 && rise_at[2] == t + 202 + 32, "and counts down to OUT high");
}

static void test_mode2(void)
{
    setup();
    uint64_t t = now_tick();
    outb(0x43, 0x34);                            /* counter 0, LSB/MSB, mode 2 */
    check(out_of(0) && nrises == 1 && rise_at[0] == t, "mode 2: OUT (and IRQ 0) high at the control word");
    count16(0, 10);
    run_to(t + 1);
    check(latched(0) == 10 && out_of(0), "loaded: 10, OUT high");
    run_to(t + 9);
    check(latched(0) == 2 && out_of(0), "CE 2: OUT high");
    run_to(t + 10);
    check(latched(0) == 1 && !out_of(0), "CE 1: OUT low for one clock");
    run_to(t + 11);
    check(latched(0) == 10 && out_of(0), "reloaded: 10, OUT high");
    run_to(t + 1001);
    int ok = nrises == 101;
    for (int k = 1; k < nrises && ok; k++)
        ok = rise_at[k] == t + 1 + 10 * (uint64_t)k;
    check(ok, "100 IRQ 0 edges in 1000 clocks, each exactly 10 clocks apart");
    check(nfalls == 100, "and as many falls (one-clock pulses)");
    /* a new count waits for the end of the period */
    t = now_tick();                              /* a period boundary: CE just reloaded */
    run_to(t + 3);
    check(latched(0) == 7, "mid-period: 7");
    count16(0, 5);
    check(status(0) & 0x40, "new count written: null count set");
    run_to(t + 9);
    check(latched(0) == 1 && !out_of(0) && (status(0) & 0x40), "the old period runs out (CE 1)");
    run_to(t + 10);
    check(latched(0) == 5 && out_of(0) && !(status(0) & 0x40), "the new count 5 takes over at the period end");
    int before = nrises;
    run_to(t + 10 + 50);
    check(nrises - before == 10 && rise_at[nrises - 1] == t + 60, "then a 5-clock period");
    /* mode 6 is mode 2; the status shows the bits as written */
    outb(0x43, 0x3C);
    check((status(0) & 0x0E) == 0x0C, "mode 6: status keeps M2-M0 = 110");
    count16(0, 4);
    t = now_tick();
    run_to(t + 4);
    check(latched(0) == 1 && !out_of(0), "mode 6 counts as mode 2");
}

static void test_mode3(void)
{
    setup();
    uint64_t t = now_tick();
    outb(0x43, 0x36);                            /* counter 0, mode 3 */
    count16(0, 10);
    static const uint16_t even[] = { 10, 8, 6, 4, 2, 10, 8, 6, 4, 2, 10 };
    static const bool even_out[] = { 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 1 };
    int ok = 1;
    for (int k = 0; k < 11; k++) {
        run_to(t + 1 + (uint64_t)k);
        ok &= latched(0) == even[k] && out_of(0) == even_out[k];
    }
    check(ok, "mode 3 count 10: 10 8 6 4 2 high, 10 8 6 4 2 low");
    t = now_tick();
    count16(0, 11);                               /* while counting: from the half-cycle end */
    run_to(t + 5);                                /* the high half ends at t + 5 */
    t = now_tick();
    static const uint16_t odd[] = { 11, 8, 6, 4, 2, 11, 10, 8, 6, 4, 2, 11 };
    static const bool odd_out[] = { 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 0 };
    ok = 1;
    for (int k = 0; k < 12; k++) {
        run_to(t + (uint64_t)k);
        ok &= latched(0) == odd[k] && out_of(0) == odd_out[k];
    }
    check(ok, "count 11 from the next half-cycle: low 11 8 6 4 2, high 11 10 8 6 4 2");
    int before = nrises;
    uint64_t from = now_tick();
    run_to(from + 1100);
    ok = nrises - before == 100;
    for (int k = before + 1; k < nrises && ok; k++)
        ok = rise_at[k] - rise_at[k - 1] == 11;
    check(ok, "count 11: IRQ 0 rises every 11 clocks");
}

static void test_mode4(void)
{
    setup();
    uint64_t t = now_tick();
    outb(0x43, 0x38);                            /* counter 0, mode 4 */
    check(out_of(0), "mode 4: OUT high");
    count16(0, 5);
    run_to(t + 5);
    check(latched(0) == 1 && out_of(0), "CE 1: OUT high");
    run_to(t + 6);
    check(latched(0) == 0 && !out_of(0), "CE 0: the strobe (OUT low one clock)");
    run_to(t + 7);
    check(latched(0) == 0xFFFF && out_of(0), "then OUT high, counter wraps");
    check(nrises == 2 && rise_at[1] == t + 7 && nfalls == 1, "IRQ 0: one low pulse");
    run_to(t + 7 + 70000);
    check(nrises == 2, "a single strobe");
}

/* Counter 2 through port B: GATE is bit 0, OUT is bit 5. */
static void gate2(bool on)
{
    outb(0x61, (uint8_t)((inb(0x61) & 0x0F & ~1) | on));
}

static bool out2(void) { return (inb(0x61) & 0x20) != 0; }

static void test_mode1_and_5(void)
{
    setup();
    uint64_t t = now_tick();
    outb(0x43, 0xB2);                            /* counter 2, mode 1 */
    count16(2, 5);
    run_to(t + 10);
    check(out2() && (status(2) & 0x40), "mode 1: no trigger yet: OUT high, null count");
    t = now_tick();
    gate2(true);
    check(out2(), "GATE rises: OUT high until the next clock");
    run_to(t + 1);
    check(!out2() && latched(2) == 5 && !(status(2) & 0x40), "next clock: loaded, OUT low");
    run_to(t + 3);
    gate2(false);
    gate2(true);                                 /* retrigger */
    run_to(t + 4);
    check(latched(2) == 5 && !out2(), "retriggered: reloaded");
    run_to(t + 8);
    check(!out2() && latched(2) == 1, "one-shot still running");
    run_to(t + 9);
    check(out2() && latched(2) == 0, "OUT high at the end of the count");
    run_to(t + 20);
    check(out2(), "stays high");
    /* mode 5: a strobe after the trigger */
    outb(0x43, 0xBA);
    count16(2, 3);
    gate2(false);
    t = now_tick();
    gate2(true);
    run_to(t + 3);
    check(out2() && latched(2) == 1, "mode 5: counting after the trigger, OUT high");
    run_to(t + 4);
    check(!out2(), "mode 5: strobe at the end of the count");
    run_to(t + 5);
    check(out2(), "mode 5: one clock only");
}

static void test_gate(void)
{
    setup();
    gate2(false);
    outb(0x43, 0xB0);                            /* counter 2, mode 0 */
    uint64_t t = now_tick();
    count16(2, 100);
    run_to(t + 50);
    check(latched(2) == 100 && !(status(2) & 0x40), "mode 0, GATE low: loaded but not counting");
    gate2(true);
    run_to(t + 60);
    check(latched(2) == 90, "GATE high: counts");
    gate2(false);
    run_to(t + 80);
    check(latched(2) == 90, "GATE low: held");
    gate2(true);
    run_to(t + 170);
    check(latched(2) == 0 && out2(), "GATE high again: reaches 0, OUT high");
    /* mode 2: GATE low forces OUT high and stops; rising reloads */
    outb(0x43, 0xB4);
    count16(2, 10);
    t = now_tick();
    run_to(t + 10);
    check(!out2(), "mode 2 on counter 2: OUT low at CE 1");
    gate2(false);
    check(out2(), "mode 2: GATE low forces OUT high at once");
    run_to(t + 30);
    check(latched(2) == 1, "mode 2: GATE low holds the count");
    t = now_tick();
    gate2(true);
    run_to(t + 1);
    check(latched(2) == 10 && out2(), "mode 2: GATE rising reloads on the next clock");
    run_to(t + 6);
    check(latched(2) == 5, "and counts");
    /* mode 3 on counter 2: the speaker square wave */
    outb(0x43, 0xB6);
    count16(2, 1000);
    t = now_tick();
    int changes = 0;
    bool last = out2();
    for (uint64_t k = 1; k <= 5001; k++) {
        run_to(t + k);
        if (out2() != last) {
            changes++;
            last = out2();
        }
    }
    check(changes == 10, "mode 3 count 1000: OUT changes every 500 clocks on port B bit 5");
}

static void test_bcd(void)
{
    setup();
    gate2(true);
    outb(0x43, 0xB1);                            /* counter 2, mode 0, BCD */
    check((status(2) & 0x01) == 1, "status shows BCD");
    uint64_t t = now_tick();
    count16(2, 0x0100);
    run_to(t + 1);
    check(latched(2) == 0x0100, "BCD 0100 loaded");
    run_to(t + 2);
    check(latched(2) == 0x0099, "one clock later: 0099");
    run_to(t + 91);
    check(latched(2) == 0x0010, "0010");
    run_to(t + 101);
    check(latched(2) == 0x0000 && out2(), "0000, OUT high after 100 clocks");
    run_to(t + 102);
    check(latched(2) == 0x9999, "BCD wraps to 9999");
    t = now_tick();
    count16(2, 0x0000);                           /* 0 = 10000 in BCD */
    run_to(t + 1);
    check(latched(2) == 0x0000, "BCD count 0 loads as 10000 (reads 0000)");
    run_to(t + 2);
    check(latched(2) == 0x9999, "then 9999");
    run_to(t + 10001);
    check(out2() && latched(2) == 0, "10000 clocks to OUT high");
}

static void test_latch_and_access(void)
{
    setup();
    gate2(true);
    outb(0x43, 0xB0);
    uint64_t t = now_tick();
    count16(2, 1000);
    run_to(t + 101);
    outb(0x43, 0x80);                            /* latch counter 2 */
    run_to(t + 201);
    outb(0x43, 0x80);                            /* ignored: the first latch stands */
    check(read16(2) == 900, "latched value is the one at the latch command");
    check(read16(2) == 800, "after reading it out, reads follow the counter");
    /* read-back: status and count together, status first */
    run_to(t + 301);
    outb(0x43, 0xC8);                            /* read-back counter 2, count and status */
    run_to(t + 401);
    uint8_t st = inb(0x42);
    check(st == 0x30 && read16(2) == 700, "read-back: status byte first (0x30), then the count at the command");
    /* read-back of two counters at once */
    outb(0x43, 0x34);
    count16(0, 50);
    run_to(t + 402);
    outb(0x43, 0xDA);                            /* latch counts of counters 0 and 2 */
    run_to(t + 450);
    check(read16(0) == 50 && read16(2) == 599, "read-back latches several counters at once");
    /* LSB-only and MSB-only access */
    outb(0x43, 0x90);                            /* counter 2, LSB only, mode 0 */
    t = now_tick();
    outb(0x42, 0x80);
    run_to(t + 17);
    check(inb(0x42) == 0x70 && (status(2) & 0x30) == 0x10, "LSB only: count 0x80, reads 0x70 after 16 clocks");
    outb(0x43, 0xA0);                            /* counter 2, MSB only, mode 0 */
    t = now_tick();
    outb(0x42, 0x12);
    run_to(t + 1 + 0x100);
    check(inb(0x42) == 0x11, "MSB only: count 0x1200, MSB 0x11 after 256 clocks");
    outb(0x43, 0x80);
    run_to(t + 1 + 0x300);
    check(inb(0x42) == 0x11 && inb(0x42) == 0x0F, "MSB only: a latch is one byte, then live reads");
    /* reads and writes have separate byte flip-flops */
    outb(0x43, 0xB0);
    t = now_tick();
    count16(2, 0x1234);
    run_to(t + 1);
    uint8_t lo = inb(0x42);
    outb(0x42, 0x00);                            /* LSB of a new count (mode 0: stops) */
    uint8_t hi = inb(0x42);
    outb(0x42, 0x20);
    check(lo == 0x34 && hi == 0x12, "read LSB, write LSB, read MSB: the read sequence is kept");
    run_to(t + 2);
    check(latched(2) == 0x2000, "write MSB completes the new count");
    check(inb(0x43) == 0xFF, "the control register reads as FF");
}

static void test_late_timer(void)
{
    setup();
    outb(0x43, 0x34);
    count16(0, 10);
    uint64_t t = now_tick();
    nrises = 0;                                  /* the control word's rise */
    jump_to(t + 1001);                           /* the loop was late: nothing ran */
    vclock_run_due(&clock);
    check(nrises == 100 && nfalls == 100, "a late loop still gives every one-clock pulse as an edge");
    jump_to(t + 1001 + 5 * PIT_HZ);              /* five seconds stalled */
    vclock_run_due(&clock);
    check(nrises < 200 && irq_level == 1, "after a long stall the missed edges are skipped");
    int before = nrises;
    run_to(now_tick() + 100);
    check(nrises - before == 10, "and the rate goes on");
}

static void test_port61(void)
{
    setup();
    outb(0x61, 0xFF);
    check((inb(0x61) & 0xCF) == 0x0F, "port B: bits 0-3 read back, bits 6-7 read 0");
    outb(0x61, 0x00);
    check((inb(0x61) & 0x0F) == 0x00, "port B: bits 0-3 cleared");
    int toggles = 0;
    bool last = inb(0x61) & 0x10;
    uint64_t t = now_tick();
    for (uint64_t k = 1; k <= 18 * 100; k++) {
        run_to(t + k);
        bool b = inb(0x61) & 0x10;
        toggles += b != last;
        last = b;
    }
    check(toggles == 100, "refresh bit 4 toggles every 18 clocks (15.09 us)");
    outb(0x43, 0xB0);
    count16(2, 5);
    t = now_tick();
    run_to(t + 20);
    check(!(inb(0x61) & 0x20), "GATE 2 low (bit 0 clear): counter 2 does not count");
    outb(0x61, 0x03);
    check(p61.bits == 0x03 && pit.ch[2].gate, "bit 0 drives GATE 2");
    run_to(t + 26);
    check(inb(0x61) & 0x20, "bit 5 shows OUT 2");
    check(port61_speaker(&p61), "speaker: OUT 2 and bit 1");
    port61_reset(&p61);
    check(!pit.ch[2].gate && inb(0x61) == (inb(0x61) & 0x30), "reset: bits 0-3 clear, GATE 2 low");
}

static void test_count0_and_pending_gate(void)
{
    setup();
    outb(0x43, 0x34);                            /* counter 0, mode 2, binary */
    uint64_t t = now_tick();
    count16(0, 0);                               /* 0 = 65536 */
    run_to(t + 1);
    check(latched(0) == 0, "binary count 0 loads as 65536 (reads 0000)");
    run_to(t + 2);
    check(latched(0) == 0xFFFF, "then FFFF");
    int before = nrises;
    run_to(t + 1 + 3 * 65536);
    check(nrises - before == 3 && rise_at[nrises - 1] == t + 1 + 3 * 65536,
          "count 0 in mode 2: a period of 65536 clocks (18.2 Hz)");
    /* mode 2 on counter 2: a count waiting for the period end, then GATE
     * low: it stays in the count register (null count) until GATE reloads */
    gate2(true);
    outb(0x43, 0xB4);
    t = now_tick();
    count16(2, 10);
    run_to(t + 3);
    count16(2, 20);
    gate2(false);
    run_to(t + 30);
    check((status(2) & 0x40) != 0, "GATE low before the period end: null count stays set");
    t = now_tick();
    gate2(true);
    run_to(t + 1);
    check(latched(2) == 20 && !(status(2) & 0x40), "GATE high: the new count 20 loads");
}

static void test_reset(void)
{
    setup();
    outb(0x43, 0x30);
    count16(0, 3);
    run_to(now_tick() + 10);
    check(irq_level == 1, "IRQ 0 high before the reset");
    pit_reset(&pit);
    check(irq_level == 0 && !pit.timer.armed, "pit_reset lowers IRQ 0 and stops the timer");
    run_to(now_tick() + 100000);
    check(nrises == 1, "nothing counts after reset");
}

int main(void)
{
    test_mode0();
    test_mode2();
    test_mode3();
    test_mode4();
    test_mode1_and_5();
    test_gate();
    test_bcd();
    test_latch_and_access();
    test_late_timer();
    test_port61();
    test_count0_and_pending_gate();
    test_reset();
    bus_free(&bus);
    printf("%d passed, %d failed\n", passed, failed);
    return failed != 0;
}
