/* test_uart.c -- the 16550A (devices/uart.c) driven directly through its
 * ports on a bus, with a deterministic virtual clock whose time we set, an
 * in-memory backend and an IRQ line that records every level change. */
#include <stdio.h>
#include <string.h>

#include "devices/uart.h"
#include "machine/bus.h"
#include "machine/chardev.h"
#include "machine/clock.h"
#include "tests/unit/check.h"

enum { BASE = 0x3F8 };

/* What the backend received. */
struct sink {
    uint8_t bytes[256];
    unsigned n;
};

static void sink_put(void *opaque, uint8_t b)
{
    struct sink *s = opaque;
    if (s->n < sizeof s->bytes)
        s->bytes[s->n++] = b;
}

/* The IRQ line: its level and how many rising edges it made. */
struct line {
    int level;
    int rises;
};

static void line_set(void *opaque, int n, int level)
{
    struct line *l = opaque;
    (void)n;
    if (level && !l->level)
        l->rises++;
    l->level = level;
}

struct rig {
    struct bus bus;
    struct vclock clock;
    uint64_t insns;            /* deterministic time = insns * 10 ns */
    struct chardev chr;
    struct sink out;
    struct line irq;
    struct uart u;
};

static void rig_init(struct rig *r)
{
    memset(r, 0, sizeof *r);
    if (bus_init(&r->bus, 1 << 20) < 0) {
        perror("bus_init");
        return;
    }
    vclock_init(&r->clock, true, &r->insns);
    chardev_init_memory(&r->chr, sink_put, &r->out);
    struct irq_line l = { line_set, &r->irq, 4 };
    uart_init(&r->u, &r->bus, &r->clock, l, BASE, &r->chr);
    r->u.real_timing = true;   /* the 16550A's timing (--serial-real-timing) */
}

static void rig_free(struct rig *r)
{
    uart_free(&r->u);
    bus_free(&r->bus);
}

/* Moves virtual time to t ns (rounded up to an instruction) and fires what is due. */
static void at(struct rig *r, uint64_t t)
{
    uint64_t target = (t + r->clock.ns_per_insn - 1) / r->clock.ns_per_insn;
    /* Step through each timer so that re-armed timers fire at their time. */
    for (;;) {
        uint64_t next = vclock_next(&r->clock);
        uint64_t next_insn = next == UINT64_MAX ? UINT64_MAX
                           : (next - r->clock.offset + r->clock.ns_per_insn - 1) / r->clock.ns_per_insn;
        if (next_insn > target)
            break;
        if (next_insn > r->insns)
            r->insns = next_insn;
        vclock_run_due(&r->clock);
    }
    r->insns = target;
    vclock_run_due(&r->clock);
}

static uint64_t now(struct rig *r) { return vclock_now(&r->clock); }

static uint8_t in(struct rig *r, unsigned reg) { return (uint8_t)bus_io_read(&r->bus, (uint16_t)(BASE + reg), 1); }
static void out(struct rig *r, unsigned reg, uint8_t v) { bus_io_write(&r->bus, (uint16_t)(BASE + reg), 1, v); }

static void set_divisor(struct rig *r, uint16_t d, uint8_t lcr)
{
    out(r, UART_LCR, LCR_DLAB);
    out(r, UART_DLL, (uint8_t)d);
    out(r, UART_DLM, (uint8_t)(d >> 8));
    out(r, UART_LCR, lcr);
}

static void test_reset_values(void)
{
    struct rig r;
    rig_init(&r);
    check(in(&r, UART_IER) == 0, "reset IER = 00");
    check(in(&r, UART_IIR) == 0x01, "reset IIR = 01 (no interrupt, no FIFO)");
    check(in(&r, UART_LCR) == 0, "reset LCR = 00");
    check(in(&r, UART_MCR) == 0, "reset MCR = 00");
    check(in(&r, UART_LSR) == 0x60, "reset LSR = 60 (THRE TEMT)");
    check(in(&r, UART_MSR) == 0xB0, "reset MSR = B0 with a backend (DCD DSR CTS, no deltas)");
    out(&r, UART_SCR, 0x5A);
    check(in(&r, UART_SCR) == 0x5A, "SCR holds a byte");
    out(&r, UART_IER, 0xFF);
    check(in(&r, UART_IER) == 0x0F, "IER keeps bits 3-0 only (%02x)", in(&r, UART_IER));
    out(&r, UART_MCR, 0xFF);
    check(in(&r, UART_MCR) == 0x1F, "MCR keeps bits 4-0 only");
    rig_free(&r);
}

static void test_divisor(void)
{
    struct rig r;
    rig_init(&r);
    check(uart_char_ns(&r.u) == 729166, "reset: divisor 12 (9600), LCR 0 = 5N1: 7 bits = 729166 ns (%llu)",
          (unsigned long long)uart_char_ns(&r.u));
    set_divisor(&r, 0x1234, 0x83);
    out(&r, UART_LCR, 0x83 | LCR_DLAB);
    check(in(&r, UART_DLL) == 0x34 && in(&r, UART_DLM) == 0x12, "divisor latch reads back 1234");
    check(bus_io_read(&r.bus, BASE, 2) == 0x1234, "16-bit read of DLL/DLM = 1234");
    out(&r, UART_LCR, 0x03);
    check(in(&r, UART_IER) == 0, "DLAB off: offset 1 is IER again");
    set_divisor(&r, 1, 0x03);
    check(uart_char_ns(&r.u) == 86805, "115200 8N1: 10 bits = 86805 ns (%llu)",
          (unsigned long long)uart_char_ns(&r.u));
    set_divisor(&r, 1, 0x0F);   /* 8 bits, 2 stop, parity */
    check(uart_char_ns(&r.u) == 104166, "115200 8E2: 12 bits = 104166 ns");
    set_divisor(&r, 12, 0x04);  /* 5 bits, 1.5 stop */
    check(uart_char_ns(&r.u) == 781250,
          "9600 5N1.5: 7.5 bits = 781250 ns (%llu)", (unsigned long long)uart_char_ns(&r.u));
    rig_free(&r);
}

/* Without --serial-real-timing a character leaves in 1 us at any rate
 * (as QEMU's UART sends at once); THRE and TEMT still go in order. */
static void test_tx_fast(void)
{
    struct rig r;
    rig_init(&r);
    r.u.real_timing = false;
    set_divisor(&r, 12, 0x03);                     /* 9600 8N1: 1.04 ms */
    uint64_t t0 = now(&r);
    out(&r, UART_THR, 'A');
    out(&r, UART_THR, 'B');
    check(in(&r, UART_LSR) == 0x00, "fast: second byte waits in THR");
    at(&r, t0 + 990);
    check(r.out.n == 0, "fast: nothing out before 1 us");
    at(&r, t0 + 1000);
    check(r.out.n == 1 && in(&r, UART_LSR) == 0x20, "fast: A out after 1 us, B shifting");
    at(&r, t0 + 2000);
    check(r.out.n == 2 && in(&r, UART_LSR) == 0x60, "fast: B out after 2 us, THRE and TEMT");
    rig_free(&r);
}

static void test_tx_timing(void)
{
    struct rig r;
    rig_init(&r);
    set_divisor(&r, 1, 0x03);
    uint64_t t0 = now(&r), ch = uart_char_ns(&r.u);
    out(&r, UART_THR, 'A');
    check(in(&r, UART_LSR) == 0x20, "after THR write: THRE (moved to the shift register), not TEMT");
    out(&r, UART_THR, 'B');
    check(in(&r, UART_LSR) == 0x00, "second byte waits in THR: neither THRE nor TEMT");
    at(&r, t0 + ch - 10);
    check(r.out.n == 0, "nothing out before one character time");
    at(&r, t0 + ch);
    check(r.out.n == 1 && r.out.bytes[0] == 'A', "A out after 10 bit times");
    check(in(&r, UART_LSR) == 0x20, "B now shifting: THRE, not TEMT");
    at(&r, t0 + 2 * ch);
    check(r.out.n == 2 && r.out.bytes[1] == 'B', "B out after 20 bit times");
    check(in(&r, UART_LSR) == 0x60, "idle again: THRE TEMT");
    check(r.u.tx_count == 2, "tx_count 2");
    rig_free(&r);
}

static void test_thre_interrupt(void)
{
    struct rig r;
    rig_init(&r);
    set_divisor(&r, 1, 0x03);
    out(&r, UART_IER, IER_THRE);
    check(r.irq.level == 0, "THRE cause but OUT2 off: no IRQ");
    check(in(&r, UART_IIR) == 0x02, "IIR 02: THRE pending after enabling it with THR empty");
    check(in(&r, UART_IIR) == 0x01, "reading IIR acknowledged THRE");
    out(&r, UART_MCR, MCR_OUT2);
    out(&r, UART_IER, 0);
    out(&r, UART_IER, IER_THRE);
    check(r.irq.level == 1 && r.irq.rises == 1, "OUT2 on: IRQ raised");
    out(&r, UART_THR, 'x');
    check(r.irq.level == 1 && r.irq.rises == 2,
          "THR write: line dropped and rose again as THR emptied into the shift register (rises %d)",
          r.irq.rises);
    out(&r, UART_THR, 'y');
    check(r.irq.level == 0, "second byte held in THR: no THRE cause, IRQ low");
    check(in(&r, UART_IIR) == 0x01, "IIR 01");
    at(&r, now(&r) + uart_char_ns(&r.u));
    check(r.irq.level == 1 && in(&r, UART_IIR) == 0x02, "x sent, y moved to TSR: THRE again");
    out(&r, UART_MCR, MCR_OUT2 | MCR_LOOP);
    check(r.irq.level == 0, "loopback forces OUT2 off: IRQ low");
    rig_free(&r);
}

static void test_loopback_fifo(void)
{
    struct rig r;
    rig_init(&r);
    set_divisor(&r, 1, 0x03);
    out(&r, UART_FCR, 0x07);
    check(in(&r, UART_IIR) == 0xC1, "FIFO on: IIR C1");
    out(&r, UART_MCR, MCR_LOOP);
    for (int k = 0; k < 16; k++)
        out(&r, UART_THR, (uint8_t)('a' + k));
    check((in(&r, UART_LSR) & 0x61) == 0, "16 bytes queued: no THRE, no TEMT, no DR");
    at(&r, now(&r) + 16 * uart_char_ns(&r.u));
    check(r.out.n == 0, "loopback: nothing reached the backend");
    check(in(&r, UART_LSR) == 0x61, "all received: DR THRE TEMT");
    int good = 1;
    for (int k = 0; k < 16; k++)
        good &= in(&r, UART_RBR) == 'a' + k;
    check(good, "16 bytes read back in order");
    check(in(&r, UART_LSR) == 0x60, "FIFO empty: no DR");
    /* 17 characters in loopback: the 17th overruns the full RX FIFO. */
    for (int k = 0; k < 17; k++)
        out(&r, UART_THR, (uint8_t)k);
    at(&r, now(&r) + 17 * uart_char_ns(&r.u));
    check(in(&r, UART_LSR) == 0x63, "overrun: OE DR THRE TEMT");
    check(in(&r, UART_LSR) == 0x61, "reading LSR cleared OE");
    good = 1;
    for (int k = 0; k < 16; k++)
        good &= in(&r, UART_RBR) == k;
    check(good && !(in(&r, UART_LSR) & LSR_DR), "the first 16 kept, the 17th lost");
    check(r.u.overruns == 1, "one overrun counted");
    rig_free(&r);
}

static void test_trigger_and_timeout(void)
{
    struct rig r;
    rig_init(&r);
    set_divisor(&r, 1, 0x03);
    uint64_t ch = uart_char_ns(&r.u);
    out(&r, UART_MCR, MCR_LOOP);
    out(&r, UART_IER, IER_RDA);
    static const struct { uint8_t fcr; int level; } t[] = {
        { 0x01, 1 }, { 0x41, 4 }, { 0x81, 8 }, { 0xC1, 14 },
    };
    for (size_t k = 0; k < 4; k++) {
        out(&r, UART_FCR, t[k].fcr | FCR_CLEAR_RX | FCR_CLEAR_TX);
        for (int n = 0; n < t[k].level - 1; n++)
            out(&r, UART_THR, 'z');
        at(&r, now(&r) + (uint64_t)t[k].level * ch);
        uint8_t below = in(&r, UART_IIR);
        out(&r, UART_THR, 'z');
        at(&r, now(&r) + ch);
        uint8_t reached = in(&r, UART_IIR);
        check((t[k].level == 1 || below == 0xC1) && reached == 0xC4,
              "trigger %2d: IIR %02x below, %02x at the level", t[k].level, below, reached);
    }
    /* Character timeout: one byte below a trigger of 4, then 4 quiet characters. */
    out(&r, UART_FCR, 0x41 | FCR_CLEAR_RX);
    out(&r, UART_THR, '1');
    at(&r, now(&r) + ch);
    uint64_t t_in = now(&r);
    check(in(&r, UART_IIR) == 0xC1, "one byte, trigger 4: no interrupt yet");
    at(&r, t_in + 4 * ch - 20);
    check(in(&r, UART_IIR) == 0xC1, "no timeout before 4 character times");
    at(&r, t_in + 4 * ch);
    check(in(&r, UART_IIR) == 0xCC, "timeout after 4 character times: IIR CC");
    check(in(&r, UART_RBR) == '1' && in(&r, UART_IIR) == 0xC1, "reading RBR cleared the timeout");
    rig_free(&r);
}

static void test_backend_rx(void)
{
    struct rig r;
    rig_init(&r);
    set_divisor(&r, 1, 0x03);
    uint64_t ch = uart_char_ns(&r.u);
    /* The line is closed (no DTR, no RTS): bytes wait in the backend. */
    chardev_push(&r.chr, (const uint8_t *)"hi!", 3);
    at(&r, now(&r) + 30000000);
    check(!(in(&r, UART_LSR) & LSR_DR) && r.chr.in_len == 3,
          "DTR and RTS down: nothing sent to the UART in 30 ms");
    out(&r, UART_MCR, MCR_LOOP | MCR_RTS);
    at(&r, now(&r) + 30000000);
    check(!(in(&r, UART_LSR) & LSR_DR) && r.chr.in_len == 3, "loopback: the line is disconnected");
    out(&r, UART_MCR, MCR_RTS);
    uint64_t t0 = now(&r) + ch;
    at(&r, t0 - 10);
    check(!(in(&r, UART_LSR) & LSR_DR), "RTS up: nothing before one character time");
    at(&r, t0);
    check(in(&r, UART_LSR) & LSR_DR, "first byte after the next poll");
    check(in(&r, UART_RBR) == 'h', "h");
    at(&r, t0 + ch - 10);
    check(!(in(&r, UART_LSR) & LSR_DR), "next byte not before a character time");
    at(&r, t0 + ch);
    uint8_t i1 = in(&r, UART_RBR);
    at(&r, t0 + 2 * ch);
    uint8_t i2 = in(&r, UART_RBR);
    check(i1 == 'i' && i2 == '!' && r.u.overruns == 0, "i and ! at the baud rate (%02x %02x)", i1, i2);
    /* 20 bytes, FIFO on, nobody reading: 16 kept, 4 overruns. */
    out(&r, UART_FCR, 0x07);
    chardev_push(&r.chr, (const uint8_t *)"0123456789ABCDEFGHIJ", 20);
    at(&r, now(&r) + 10000000 + 21 * ch);
    uint8_t lsr = in(&r, UART_LSR);
    check(lsr == 0x63 && r.u.overruns == 4, "backend overran the FIFO: LSR %02x, overruns %llu",
          lsr, (unsigned long long)r.u.overruns);
    char got[17] = { 0 };
    for (int k = 0; k < 16; k++)
        got[k] = (char)in(&r, UART_RBR);
    check(!strcmp(got, "0123456789ABCDEF"), "kept the first 16 (%s)", got);
    rig_free(&r);
}

static void test_modem_lines(void)
{
    struct rig r;
    rig_init(&r);
    out(&r, UART_MCR, MCR_LOOP);
    check(in(&r, UART_MSR) == 0x0B, "loopback, MCR 0: CTS DSR DCD dropped (deltas 0B)");
    check(in(&r, UART_MSR) == 0x00, "reading MSR cleared the deltas");
    out(&r, UART_MCR, MCR_LOOP | MCR_DTR | MCR_RTS | MCR_OUT1 | MCR_OUT2);
    check(in(&r, UART_MSR) == 0xFB, "DTR RTS OUT1 OUT2 -> DSR CTS RI DCD, deltas (no TERI on rise)");
    out(&r, UART_MCR, MCR_LOOP | MCR_DTR | MCR_RTS | MCR_OUT2);
    check(in(&r, UART_MSR) == 0xB4, "OUT1 off: RI fell, TERI");
    out(&r, UART_IER, IER_MS);
    out(&r, UART_MCR, MCR_LOOP | MCR_RTS | MCR_OUT2);
    check(in(&r, UART_IIR) == 0x00, "modem status interrupt: IIR 00");
    in(&r, UART_MSR);
    check(in(&r, UART_IIR) == 0x01, "MSR read cleared it");
    rig_free(&r);
}

static void test_break_and_priority(void)
{
    struct rig r;
    rig_init(&r);
    set_divisor(&r, 1, 0x03);
    out(&r, UART_FCR, 0x01);
    out(&r, UART_MCR, MCR_LOOP);
    out(&r, UART_IER, IER_RLS | IER_RDA | IER_THRE | IER_MS);
    check(in(&r, UART_IIR) == 0xC2, "THRE cause alone: C2");
    out(&r, UART_LCR, 0x03 | LCR_BREAK);
    at(&r, now(&r) + uart_char_ns(&r.u));
    check(in(&r, UART_IIR) == 0xC6, "break received: line status outranks data (C6)");
    uint8_t lsr = in(&r, UART_LSR);
    check(lsr == (LSR_BI | LSR_DR | LSR_THRE | LSR_TEMT | LSR_FIFOERR),
          "LSR after break: BI DR THRE TEMT FIFO-error (%02x)", lsr);
    check(in(&r, UART_IIR) == 0xC4, "LSR read: data available next (C4)");
    check(in(&r, UART_RBR) == 0, "the break character reads 00");
    check(in(&r, UART_LSR) == 0x60, "FIFO error gone with the character");
    out(&r, UART_LCR, 0x03);
    rig_free(&r);
}

static void test_non_fifo_overrun(void)
{
    struct rig r;
    rig_init(&r);
    set_divisor(&r, 1, 0x03);
    out(&r, UART_MCR, MCR_LOOP);
    out(&r, UART_THR, 'p');
    out(&r, UART_THR, 'q');
    at(&r, now(&r) + 2 * uart_char_ns(&r.u));
    check(in(&r, UART_LSR) == 0x63, "no FIFO: the second character overruns RBR");
    check(in(&r, UART_RBR) == 'q', "and overwrote it (16450 behaviour)");
    rig_free(&r);
}

int main(void)
{
    test_reset_values();
    test_divisor();
    test_tx_timing();
    test_tx_fast();
    test_thre_interrupt();
    test_loopback_fifo();
    test_trigger_and_timeout();
    test_backend_rx();
    test_modem_lines();
    test_break_and_priority();
    test_non_fifo_overrun();
    printf("test_uart: %d passed, %d failed\n", passed, failed);
    return failed != 0;
}
