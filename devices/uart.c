/* uart.c -- the 16550A: register file, FIFOs, interrupt identification,
 * modem lines and loopback, and character timing on the virtual clock
 * (transmit, receive from the backend, character timeout, break). */
#include "uart.h"

#include <string.h>

#include "machine/bus.h"
#include "machine/chardev.h"

enum {
    POLL_NS = 10 * 1000 * 1000,   /* backend checked this often when it is quiet */
    TIMEOUT_CHARS = 4,            /* character timeout, as on the 16550A */
};

static const uint8_t trigger_levels[4] = { 1, 4, 8, 14 };

/* ---------------- FIFOs ---------------- */

static bool fifo_mode(const struct uart *u) { return u->fcr & FCR_ENABLE; }

/* Without FIFOs, THR and RBR are single registers. */
static unsigned capacity(const struct uart *u) { return fifo_mode(u) ? UART_FIFO_SIZE : 1; }

static void fifo_clear(struct uart_fifo *f) { f->head = f->count = 0; }

static void fifo_push(struct uart_fifo *f, uint8_t byte, uint8_t err)
{
    unsigned tail = (f->head + f->count) % UART_FIFO_SIZE;
    f->data[tail] = byte;
    f->err[tail] = err;
    f->count++;
}

static uint8_t fifo_pop(struct uart_fifo *f)
{
    uint8_t b = f->data[f->head];
    f->head = (f->head + 1) % UART_FIFO_SIZE;
    f->count--;
    return b;
}

static bool fifo_has_errors(const struct uart_fifo *f)
{
    for (unsigned k = 0; k < f->count; k++)
        if (f->err[(f->head + k) % UART_FIFO_SIZE])
            return true;
    return false;
}

/* PE, FE and BI belong to a character and show in LSR once it is at the
 * top of the receive FIFO (the next one the CPU will read). */
static void reveal_top(struct uart *u)
{
    if (u->rx.count)
        u->lsr_err |= u->rx.err[u->rx.head];
}

/* ---------------- timing ---------------- */

uint64_t uart_char_ns(const struct uart *u)
{
    /* Half-bit units, for the 1.5 stop bits of 5-bit words. */
    unsigned data = 5 + (u->lcr & LCR_WLEN);
    unsigned half_bits = 2 * (1 + data) + ((u->lcr & LCR_PARITY) ? 2 : 0);
    if (!(u->lcr & LCR_STOP))
        half_bits += 2;
    else
        half_bits += data == 5 ? 3 : 4;
    uint64_t div = u->divisor ? u->divisor : 65536;   /* the counter wraps */
    /* One bit lasts 16 * divisor cycles of the 1.8432 MHz clock. */
    return (uint64_t)half_bits * div * 16 * NS_PER_SEC / (2ull * UART_CLOCK_HZ);
}

/* How long the character in the shift register takes to go out: the baud
 * rate's time with real_timing, else at most TX_FAST_NS.  A real 9600-baud
 * console costs Linux ~20 s of its boot in polls for THRE; QEMU's UART
 * sends at once.  Receiving keeps the rate (a fast sender overruns a
 * guest's FIFO). */
enum { TX_FAST_NS = 1000 };
static uint64_t tx_char_ns(const struct uart *u)
{
    uint64_t ns = uart_char_ns(u);
    return u->real_timing || ns < TX_FAST_NS ? ns : TX_FAST_NS;
}

static uint64_t now(const struct uart *u) { return vclock_now(u->clock); }

/* When the character after one that ended at `end` starts: right away
 * (back to back), unless the timer ran more than a character late (on
 * host time, the emulator was descheduled); then from now, so that no
 * burst of characters arrives at once and overruns the guest. */
static uint64_t next_start(const struct uart *u, uint64_t end)
{
    uint64_t t = now(u);
    return end + uart_char_ns(u) > t ? end : t;
}

/* ---------------- interrupts ---------------- */

static bool rx_ready(const struct uart *u)
{
    unsigned level = fifo_mode(u) ? trigger_levels[u->fcr >> 6] : 1;
    return u->rx.count >= level;
}

/* The highest-priority pending cause, in IIR's encoding (bits 3:0). */
static uint8_t pending_cause(const struct uart *u)
{
    if ((u->ier & IER_RLS) && (u->lsr_err & LSR_ERRORS))
        return IIR_RLS;
    if ((u->ier & IER_RDA) && rx_ready(u))
        return IIR_RDA;
    if ((u->ier & IER_RDA) && u->timeout_pending)
        return IIR_CTI;
    if ((u->ier & IER_THRE) && u->thr_ipending)
        return IIR_THRE;
    if ((u->ier & IER_MS) && (u->msr & MSR_DELTAS))
        return IIR_MS;
    return IIR_NONE;
}

/* On a PC the INTR output reaches the bus through a gate driven by OUT2;
 * in loopback the chip forces OUT2's pin inactive, so nothing reaches the
 * PIC (the causes still show in IIR). */
static void update_irq(struct uart *u)
{
    bool level = pending_cause(u) != IIR_NONE && (u->mcr & MCR_OUT2) && !(u->mcr & MCR_LOOP);
    if (level != u->irq_level) {
        u->irq_level = level;
        irq_set(&u->irq, level);
    }
}

/* ---------------- modem lines ---------------- */

static uint8_t modem_inputs(const struct uart *u)
{
    if (u->mcr & MCR_LOOP) {
        uint8_t v = 0;
        if (u->mcr & MCR_RTS) v |= MSR_CTS;
        if (u->mcr & MCR_DTR) v |= MSR_DSR;
        if (u->mcr & MCR_OUT1) v |= MSR_RI;
        if (u->mcr & MCR_OUT2) v |= MSR_DCD;
        return v;
    }
    /* A connected backend looks like a ready modem, with carrier until
     * its input ends (a hangup). */
    uint8_t v = 0;
    if (chardev_connected(u->chr))
        v |= MSR_CTS | MSR_DSR;
    if (chardev_carrier(u->chr))
        v |= MSR_DCD;
    return v;
}

static void update_msr(struct uart *u)
{
    uint8_t old = u->msr & 0xF0, cur = modem_inputs(u), changed = old ^ cur;
    uint8_t delta = 0;
    if (changed & MSR_CTS) delta |= MSR_DCTS;
    if (changed & MSR_DSR) delta |= MSR_DDSR;
    if (changed & MSR_DCD) delta |= MSR_DDCD;
    if ((old & MSR_RI) && !(cur & MSR_RI))
        delta |= MSR_TERI;    /* trailing edge of ring */
    u->msr = cur | (u->msr & MSR_DELTAS) | delta;
}

/* ---------------- receive ---------------- */

static void arm_timeout(struct uart *u)
{
    if (fifo_mode(u) && u->rx.count)
        timer_arm(u->clock, &u->timeout_timer, now(u) + TIMEOUT_CHARS * uart_char_ns(u));
    else
        timer_cancel(u->clock, &u->timeout_timer);
}

/* A character has been fully received (from the line or in loopback). */
static void rx_receive(struct uart *u, uint8_t byte, uint8_t err)
{
    if (u->rx.count == capacity(u)) {
        u->overruns++;
        u->lsr_err |= LSR_OE;
        if (!fifo_mode(u)) {
            /* Without FIFO the new character overwrites RBR; with it, the
             * character in the shift register is lost. */
            u->rx.data[u->rx.head] = byte;
            u->rx.err[u->rx.head] = err;
            u->lsr_err |= err;
        }
        update_irq(u);
        return;
    }
    fifo_push(&u->rx, byte, err);
    u->rx_count++;
    if (u->rx.count == 1)
        reveal_top(u);
    arm_timeout(u);
    update_irq(u);
}

static void rx_clear(struct uart *u)
{
    fifo_clear(&u->rx);
    u->timeout_pending = false;
    timer_cancel(u->clock, &u->timeout_timer);
}

static uint8_t read_rbr(struct uart *u)
{
    if (u->rx.count) {
        u->last_rbr = fifo_pop(&u->rx);
        reveal_top(u);
        u->timeout_pending = false;
        arm_timeout(u);
        update_irq(u);
    }
    return u->last_rbr;
}

/* The host side sends while the guest has the line open: DTR or RTS up
 * (a terminal waits for DTR; RTS/CTS flow control), and not in loopback
 * (the receiver is disconnected from the line).  Until then bytes wait in
 * the backend.  There is no flow control beyond that: a guest that does
 * not read in time overruns. */
static bool line_open(const struct uart *u)
{
    return (u->mcr & (MCR_DTR | MCR_RTS)) && !(u->mcr & MCR_LOOP);
}

/* The backend side: one byte per character time while bytes are ready,
 * otherwise a look every POLL_NS; stops when the input has ended. */
static void rx_poll(void *opaque)
{
    struct uart *u = opaque;
    if (!u->chr)
        return;
    uint64_t ch = uart_char_ns(u), due = next_start(u, u->rx_timer.when);
    if (line_open(u)) {
        int b = chardev_getc(u->chr);
        if (b >= 0) {
            rx_receive(u, (uint8_t)b, 0);
            timer_arm(u->clock, &u->rx_timer, due + ch);
            return;
        }
        if (b == CHARDEV_EOF) {
            update_msr(u);          /* carrier lost */
            update_irq(u);
            return;
        }
    }
    timer_arm(u->clock, &u->rx_timer, due + (ch > POLL_NS ? ch : POLL_NS));
}

static void timeout_fire(void *opaque)
{
    struct uart *u = opaque;
    if (fifo_mode(u) && u->rx.count) {
        u->timeout_pending = true;
        update_irq(u);
    }
}

/* A break held for a whole character in loopback arrives as a 0 with BI. */
static void break_fire(void *opaque)
{
    struct uart *u = opaque;
    if ((u->lcr & LCR_BREAK) && (u->mcr & MCR_LOOP))
        rx_receive(u, 0, LSR_BI);
}

static void arm_break(struct uart *u)
{
    if ((u->lcr & LCR_BREAK) && (u->mcr & MCR_LOOP))
        timer_arm(u->clock, &u->break_timer, now(u) + uart_char_ns(u));
    else
        timer_cancel(u->clock, &u->break_timer);
}

/* ---------------- transmit ---------------- */

/* Moves the next character from THR / the TX FIFO into the idle shift
 * register, to go out from time `start`; THR going empty is a THRE
 * interrupt cause. */
static void tx_start(struct uart *u, uint64_t start)
{
    if (u->tsr_busy || !u->tx.count)
        return;
    u->tsr = fifo_pop(&u->tx);
    u->tsr_busy = true;
    timer_arm(u->clock, &u->tx_timer, start + tx_char_ns(u));
    if (!u->tx.count)
        u->thr_ipending = true;
}

static void tx_done(void *opaque)
{
    struct uart *u = opaque;
    u->tsr_busy = false;
    u->tx_count++;
    if (u->mcr & MCR_LOOP)
        rx_receive(u, u->tsr, 0);
    else if (u->chr)
        chardev_putc(u->chr, u->tsr);
    /* Back to back: the next character starts when this one ended (the
     * timer may run a little late, at an instruction boundary). */
    tx_start(u, next_start(u, u->tx_timer.when));
    update_irq(u);
}

static void write_thr(struct uart *u, uint8_t v)
{
    if (u->tx.count < capacity(u))
        fifo_push(&u->tx, v, 0);
    else if (!fifo_mode(u))
        u->tx.data[u->tx.head] = v;    /* THR overwritten */
    /* (a write to a full TX FIFO is lost) */
    u->thr_ipending = false;
    /* The line drops before THR empties again into the shift register, so
     * an edge-triggered PIC sees a fresh THRE interrupt. */
    update_irq(u);
    tx_start(u, now(u));
    update_irq(u);
}

/* ---------------- registers ---------------- */

static uint8_t read_iir(struct uart *u)
{
    uint8_t cause = pending_cause(u);
    if (cause == IIR_THRE) {
        u->thr_ipending = false;    /* reading IIR acknowledges THRE */
        update_irq(u);
    }
    return cause | (fifo_mode(u) ? IIR_FIFO : 0);
}

static uint8_t read_lsr(struct uart *u)
{
    uint8_t v = u->lsr_err;
    if (u->rx.count)
        v |= LSR_DR;
    if (!u->tx.count) {
        v |= LSR_THRE;
        if (!u->tsr_busy)
            v |= LSR_TEMT;
    }
    if (fifo_mode(u) && fifo_has_errors(&u->rx))
        v |= LSR_FIFOERR;
    u->lsr_err = 0;
    update_irq(u);
    return v;
}

static uint8_t read_msr(struct uart *u)
{
    uint8_t v = u->msr;
    u->msr &= ~MSR_DELTAS;
    update_irq(u);
    return v;
}

uint8_t uart_read(struct uart *u, unsigned reg)
{
    bool dlab = u->lcr & LCR_DLAB;
    switch (reg & 7) {
    case UART_RBR: return dlab ? (uint8_t)u->divisor : read_rbr(u);
    case UART_IER: return dlab ? (uint8_t)(u->divisor >> 8) : u->ier;
    case UART_IIR: return read_iir(u);
    case UART_LCR: return u->lcr;
    case UART_MCR: return u->mcr;
    case UART_LSR: return read_lsr(u);
    case UART_MSR: return read_msr(u);
    default:       return u->scr;
    }
}

static void write_ier(struct uart *u, uint8_t v)
{
    v &= 0x0F;
    /* Enabling THRE while THR is empty raises the cause at once. */
    if ((v & IER_THRE) && !(u->ier & IER_THRE) && !u->tx.count)
        u->thr_ipending = true;
    u->ier = v;
    update_irq(u);
}

static void write_fcr(struct uart *u, uint8_t v)
{
    bool toggled = (v ^ u->fcr) & FCR_ENABLE;
    bool on = v & FCR_ENABLE;
    /* Switching FIFOs on or off empties both. */
    if (toggled || (on && (v & FCR_CLEAR_RX)))
        rx_clear(u);
    if (toggled || (on && (v & FCR_CLEAR_TX))) {
        fifo_clear(&u->tx);
        u->thr_ipending = true;     /* THR is empty now */
    }
    /* Bits 1-2 clear themselves; the other bits are only programmed
     * together with bit 0. */
    u->fcr = on ? v & (FCR_ENABLE | FCR_DMA | 0xC0) : 0;
    update_irq(u);
}

static void write_lcr(struct uart *u, uint8_t v)
{
    bool was_break = u->lcr & LCR_BREAK;
    u->lcr = v;
    if ((bool)(v & LCR_BREAK) != was_break)
        arm_break(u);
}

static void write_mcr(struct uart *u, uint8_t v)
{
    bool was_loop = u->mcr & MCR_LOOP, was_open = line_open(u);
    u->mcr = v & 0x1F;
    update_msr(u);
    if ((bool)(u->mcr & MCR_LOOP) != was_loop)
        arm_break(u);
    /* The line just opened: the first waiting byte arrives a character
     * time from now. */
    if (line_open(u) && !was_open && chardev_may_input(u->chr))
        timer_arm(u->clock, &u->rx_timer, now(u) + uart_char_ns(u));
    update_irq(u);
}

void uart_write(struct uart *u, unsigned reg, uint8_t v)
{
    bool dlab = u->lcr & LCR_DLAB;
    switch (reg & 7) {
    case UART_THR:
        if (dlab)
            u->divisor = (uint16_t)((u->divisor & 0xFF00) | v);
        else
            write_thr(u, v);
        break;
    case UART_IER:
        if (dlab)
            u->divisor = (uint16_t)((u->divisor & 0x00FF) | v << 8);
        else
            write_ier(u, v);
        break;
    case UART_FCR: write_fcr(u, v); break;
    case UART_LCR: write_lcr(u, v); break;
    case UART_MCR: write_mcr(u, v); break;
    case UART_SCR: u->scr = v; break;
    default: break;              /* LSR and MSR are read-only */
    }
}

/* ---------------- bus glue ---------------- */

/* An 8-bit ISA chip: wider accesses reach consecutive registers. */
static uint32_t port_read(void *opaque, uint32_t port, int size)
{
    struct uart *u = opaque;
    uint32_t v = 0;
    for (int k = 0; k < size; k++) {
        uint32_t off = port + (uint32_t)k - u->base;
        uint8_t b = off < 8 ? uart_read(u, off) : 0xFF;
        v |= (uint32_t)b << (8 * k);
    }
    return v;
}

static void port_write(void *opaque, uint32_t port, int size, uint32_t value)
{
    struct uart *u = opaque;
    for (int k = 0; k < size; k++) {
        uint32_t off = port + (uint32_t)k - u->base;
        if (off < 8)
            uart_write(u, off, (uint8_t)(value >> (8 * k)));
    }
}

int uart_init(struct uart *u, struct bus *b, struct vclock *clock,
              struct irq_line irq, uint16_t base, struct chardev *chr)
{
    memset(u, 0, sizeof *u);
    u->clock = clock;
    u->irq = irq;
    u->base = base;
    u->chr = chr;
    timer_init(&u->tx_timer, tx_done, u);
    timer_init(&u->rx_timer, rx_poll, u);
    timer_init(&u->timeout_timer, timeout_fire, u);
    timer_init(&u->break_timer, break_fire, u);
    if (bus_add_ports(b, base, 8, port_read, port_write, u) < 0)
        return -1;
    uart_reset(u);
    return 0;
}

static void cancel_timers(struct uart *u)
{
    timer_cancel(u->clock, &u->tx_timer);
    timer_cancel(u->clock, &u->rx_timer);
    timer_cancel(u->clock, &u->timeout_timer);
    timer_cancel(u->clock, &u->break_timer);
}

/* Master reset: the values of the 16550A data sheet; the divisor (which
 * the reset leaves undefined) starts at 12, 9600 baud. */
void uart_reset(struct uart *u)
{
    cancel_timers(u);
    u->divisor = 12;
    u->ier = u->lcr = u->mcr = u->fcr = u->scr = 0;
    u->lsr_err = 0;
    u->last_rbr = 0;
    fifo_clear(&u->rx);
    fifo_clear(&u->tx);
    u->tsr_busy = false;
    u->thr_ipending = false;
    u->timeout_pending = false;
    u->msr = 0;
    update_msr(u);
    u->msr &= ~MSR_DELTAS;
    if (u->irq_level) {
        u->irq_level = false;
        irq_lower(&u->irq);
    }
    if (chardev_may_input(u->chr))
        timer_arm(u->clock, &u->rx_timer, now(u) + uart_char_ns(u));
}

void uart_free(struct uart *u)
{
    cancel_timers(u);
}
