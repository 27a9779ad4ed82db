/* pit.c -- the 8254 after Intel's datasheet (231164): control words,
 * counter latch and read-back, the three access modes, binary and BCD
 * counting, modes 0-5 with their GATE rules, null count, and counter 0's
 * OUT driven onto IRQ 0 by a virtual-clock timer at each change. */
#include "pit.h"

#include "machine/bus.h"

enum {
    CATCH_UP_TICKS = PIT_HZ / 20,   /* further behind than 50 ms: skip missed edges */
    CATCH_UP_STEPS = 8,
};
static const uint64_t NO_TICK = UINT64_MAX;

/* ---- time ---- */

/* Clocks up to virtual time ns, exactly (floor), without overflow. */
uint64_t pit_ticks(uint64_t ns)
{
    return ns / NS_PER_SEC * PIT_HZ + ns % NS_PER_SEC * PIT_HZ / NS_PER_SEC;
}

/* The first virtual ns at which clock t has happened (ceil). */
static uint64_t tick_ns(uint64_t t)
{
    return t / PIT_HZ * NS_PER_SEC + (t % PIT_HZ * NS_PER_SEC + PIT_HZ - 1) / PIT_HZ;
}

static uint64_t now_tick(const struct pit *p)
{
    return pit_ticks(vclock_now(p->clock));
}

/* ---- one counter's state at a tick ---- */

static uint32_t modulus(const struct pit_channel *c)
{
    return c->bcd ? 10000 : 65536;
}

/* A count written while counting in mode 2 or 3 takes over at the end of
 * the period (half-cycle); bring the state up to tick t. */
static void ch_sync(struct pit_channel *c, uint64_t t)
{
    if (!c->counting || !c->pending || t < c->switch_tick)
        return;
    c->pending = false;
    c->n = c->cr;
    c->base = c->switch_tick;
    c->counted = 0;
    c->phase_low = c->pending_low;
}

/* Clocks counted since the load, at tick t >= base. */
static uint64_t ch_elapsed(const struct pit_channel *c, uint64_t t)
{
    return c->counted + (c->running ? t - c->base : 0);
}

struct ce_state {
    uint32_t value;          /* counting element, 1..modulus (modulus reads as 0) */
    bool out;
};

/* Mode 3: a high half of ceil(n/2) clocks, a low half of floor(n/2).  An
 * even count goes down by two; an odd one is reloaded at each half and
 * goes down by one (high half) or three (low half) first, then by two. */
static struct ce_state mode3_state(const struct pit_channel *c, uint64_t e)
{
    uint64_t n = c->n, high = (n + 1) / 2;
    uint64_t pos = (e + (c->phase_low ? high : 0)) % n;
    bool out = pos < high;
    uint64_t k = out ? pos : pos - high;
    uint64_t v = n;
    if (k > 0 && !(n & 1))
        v = n - 2 * k;
    else if (k > 0)
        v = out ? n + 1 - 2 * k : n - 1 - 2 * k;
    return (struct ce_state){ (uint32_t)v, out };
}

static struct ce_state ch_state(const struct pit_channel *c, uint64_t t)
{
    if (!c->counting)
        return (struct ce_state){ c->held, c->idle_out };
    if (t < c->base)
        return (struct ce_state){ c->held, c->pre_out };
    uint64_t e = ch_elapsed(c, t);
    uint32_t m = modulus(c);
    uint32_t down = (uint32_t)((c->n + m - e % m) % m);    /* n - e, wrapping */
    switch (c->mode) {
    case 0:
    case 1:
        return (struct ce_state){ down, e >= c->n };
    case 4:
    case 5:
        return (struct ce_state){ down, e != c->n };
    case 2: {
        uint64_t pos = e % c->n;
        return (struct ce_state){ (uint32_t)(c->n - pos), pos != c->n - 1 };
    }
    default:
        return mode3_state(c, e);
    }
}

/* The first tick after t at which OUT may change (NO_TICK if never). */
static uint64_t ch_next_edge(const struct pit_channel *c, uint64_t t)
{
    if (!c->counting)
        return NO_TICK;
    if (t < c->base)
        return c->base;
    if (!c->running)
        return NO_TICK;
    uint64_t e = ch_elapsed(c, t), n = c->n, next = NO_TICK;
    switch (c->mode) {
    case 0:
    case 1:
        next = e < n ? t + (n - e) : NO_TICK;
        break;
    case 4:
    case 5:
        next = e < n ? t + (n - e) : e == n ? t + 1 : NO_TICK;
        break;
    case 2:
        if (n > 1)
            next = e % n < n - 1 ? t + (n - 1 - e % n) : t + 1;
        break;
    default:
        if (n > 1) {
            uint64_t high = (n + 1) / 2, pos = (e + (c->phase_low ? high : 0)) % n;
            next = t + (pos < high ? high - pos : n - pos);
        }
        break;
    }
    if (c->pending && c->switch_tick < next)
        next = c->switch_tick;
    return next;
}

static bool ch_null_count(const struct pit_channel *c, uint64_t t)
{
    return c->null_count && t < c->null_until;
}

/* ---- counter 0 and IRQ 0 ---- */

static void irq0_schedule(struct pit *p, uint64_t t)
{
    uint64_t e = ch_next_edge(&p->ch[0], t);
    if (e == NO_TICK) {
        timer_cancel(p->clock, &p->timer);
        return;
    }
    p->edge_tick = e;
    timer_arm(p->clock, &p->timer, tick_ns(e));
}

/* Puts OUT0 as of tick t on IRQ 0 and arms the timer for its next change. */
static void irq0_drive(struct pit *p, uint64_t t)
{
    ch_sync(&p->ch[0], t);
    bool out = ch_state(&p->ch[0], t).out;
    if (out != p->out0) {
        p->out0 = out;
        irq_set(&p->irq0, out);
    }
    irq0_schedule(p, t);
}

/* The timer stands for the change at edge_tick, which is made even when the
 * timer runs late (a one-clock low pulse of mode 2 must still reach the
 * PIC as an edge); after a long stall the missed edges are dropped. */
static void irq0_fire(void *opaque)
{
    struct pit *p = opaque;
    uint64_t now = now_tick(p);
    uint64_t t = p->edge_tick;
    if (now > t + CATCH_UP_TICKS)
        t = now;
    irq0_drive(p, t);
}

/* Before counter 0 changes at tick now: changes still due are made first. */
static void irq0_catch_up(struct pit *p, uint64_t now)
{
    for (int k = 0; k < CATCH_UP_STEPS && p->timer.armed && p->edge_tick <= now; k++) {
        timer_cancel(p->clock, &p->timer);
        irq0_fire(p);
    }
}

/* ---- programming ---- */

/* The counting element takes cr at the next clock (tick now + 1). */
static void ch_load(struct pit_channel *c, uint64_t now, bool pre_out)
{
    c->held = ch_state(c, now).value;
    c->counting = true;
    c->n = c->cr;
    c->base = now + 1;
    c->counted = 0;
    c->running = (c->mode == 1 || c->mode == 5) ? true : c->gate;
    c->pre_out = pre_out;
    c->phase_low = false;
    c->pending = false;
    c->null_until = now + 1;
}

/* Stops counting; the element keeps its value and OUT is `out`. */
static void ch_stop(struct pit_channel *c, uint64_t now, bool out)
{
    if (c->counting)
        c->held = ch_state(c, now).value;
    if (c->pending)
        c->null_until = NO_TICK;    /* the new count waits for the next load */
    c->counting = false;
    c->pending = false;
    c->idle_out = out;
}

/* Modes 0 and 4: GATE low holds the count, high lets it go on. */
static void ch_hold(struct pit_channel *c, uint64_t now, bool run)
{
    if (!c->counting)
        return;
    if (now >= c->base) {
        c->counted = ch_elapsed(c, now);
        c->base = now;
    }
    c->running = run;
}

/* Modes 2 and 3: a new count waits for the end of the period (mode 2) or
 * of the half-cycle (mode 3). */
static void ch_defer(struct pit_channel *c, uint64_t now)
{
    uint64_t e = ch_elapsed(c, now), n = c->n;
    if (c->mode == 2) {
        c->switch_tick = now + (n - e % n);
        c->pending_low = false;
    } else {
        uint64_t high = (n + 1) / 2, pos = (e + (c->phase_low ? high : 0)) % n;
        c->switch_tick = now + (pos < high ? high - pos : n - pos);
        c->pending_low = pos < high;
    }
    c->pending = true;
    c->null_until = c->switch_tick;
}

static uint32_t from_bcd(uint32_t v)
{
    return ((v >> 12) & 15) * 1000 + ((v >> 8) & 15) * 100 + ((v >> 4) & 15) * 10 + (v & 15);
}

static uint32_t to_bcd(uint32_t v)
{
    v %= 10000;
    return (v / 1000) << 12 | (v / 100 % 10) << 8 | (v / 10 % 10) << 4 | (v % 10);
}

/* A whole count has been written to the count register. */
static void ch_set_count(struct pit_channel *c, uint64_t now, uint32_t raw)
{
    uint32_t n = c->bcd ? from_bcd(raw) : raw;
    c->cr = n ? n : modulus(c);
    c->have_count = true;
    c->null_count = true;
    c->null_until = NO_TICK;
    switch (c->mode) {
    case 0:
        ch_load(c, now, false);
        break;
    case 4:
        ch_load(c, now, true);
        break;
    case 1:
    case 5:
        break;                      /* loaded by the next GATE trigger */
    default:
        if (c->counting && c->running && now >= c->base)
            ch_defer(c, now);
        else if (c->gate)
            ch_load(c, now, true);
        break;
    }
}

static void ch_write_count(struct pit_channel *c, uint64_t now, uint8_t v)
{
    switch (c->rw) {
    case 1:
        ch_set_count(c, now, v);
        break;
    case 2:
        ch_set_count(c, now, (uint32_t)v << 8);
        break;
    default:
        if (!c->wmsb) {
            c->wlsb = v;
            c->wmsb = true;
            if (c->mode == 0)
                ch_stop(c, now, false);   /* the first byte stops mode 0, OUT low */
        } else {
            c->wmsb = false;
            ch_set_count(c, now, c->wlsb | (uint32_t)v << 8);
        }
        break;
    }
}

/* A control word resets the counter's logic: OUT goes to its initial
 * level (low in mode 0, high otherwise) and nothing counts until a count
 * is written. */
static void ch_control(struct pit_channel *c, uint64_t now, uint8_t v)
{
    ch_stop(c, now, false);
    c->mode_bits = (v >> 1) & 7;
    c->mode = c->mode_bits > 5 ? c->mode_bits - 4 : c->mode_bits;
    c->rw = (v >> 4) & 3;
    c->bcd = v & 1;
    c->idle_out = c->mode != 0;
    c->have_count = false;
    c->wmsb = c->rmsb = false;
    c->count_latched = c->status_latched = false;
    c->null_count = true;
    c->null_until = NO_TICK;
}

static uint16_t ch_read_value(const struct pit_channel *c, uint64_t now)
{
    uint32_t v = ch_state(c, now).value % modulus(c);
    return (uint16_t)(c->bcd ? to_bcd(v) : v);
}

static void ch_latch_count(struct pit_channel *c, uint64_t now)
{
    if (c->count_latched)
        return;                     /* the first latch stands until read */
    c->latch = ch_read_value(c, now);
    c->count_latched = true;
}

static void ch_latch_status(struct pit_channel *c, uint64_t now)
{
    if (c->status_latched)
        return;
    c->status = (uint8_t)((ch_state(c, now).out ? 0x80 : 0) |
                          (ch_null_count(c, now) ? 0x40 : 0) |
                          c->rw << 4 | c->mode_bits << 1 | (c->bcd ? 1 : 0));
    c->status_latched = true;
}

/* Reads go LSB, MSB alternately in access mode 3, from the latch when a
 * latch command holds one, else from the counting element as it runs. */
static uint8_t ch_read(struct pit_channel *c, uint64_t now)
{
    if (c->status_latched) {
        c->status_latched = false;
        return c->status;
    }
    uint16_t v = c->count_latched ? c->latch : ch_read_value(c, now);
    bool msb = c->rw == 2 || (c->rw == 3 && c->rmsb);
    if (c->rw == 3)
        c->rmsb = !c->rmsb;
    if (c->rw != 3 || !c->rmsb)
        c->count_latched = false;   /* the latch is released once read out */
    return (uint8_t)(msb ? v >> 8 : v);
}

/* ---- ports ---- */

static void pit_changed(struct pit *p, int ch, uint64_t now)
{
    if (ch == 0)
        irq0_drive(p, now);
}

static void pit_command(struct pit *p, uint64_t now, uint8_t v)
{
    int sc = v >> 6;
    if (sc == 3) {                  /* read-back: bit 5 low latches counts, bit 4 status */
        for (int k = 0; k < 3; k++) {
            if (!(v & (2u << k)))
                continue;
            ch_sync(&p->ch[k], now);
            if (!(v & 0x20))
                ch_latch_count(&p->ch[k], now);
            if (!(v & 0x10))
                ch_latch_status(&p->ch[k], now);
        }
        return;
    }
    struct pit_channel *c = &p->ch[sc];
    ch_sync(c, now);
    if ((v & 0x30) == 0) {
        ch_latch_count(c, now);
        return;
    }
    ch_control(c, now, v);
    pit_changed(p, sc, now);
}

static uint8_t pit_read_byte(struct pit *p, uint32_t port)
{
    if (port == 0x43)
        return 0xFF;                /* the control register cannot be read */
    struct pit_channel *c = &p->ch[port - 0x40];
    uint64_t now = now_tick(p);
    ch_sync(c, now);
    return ch_read(c, now);
}

static void pit_write_byte(struct pit *p, uint32_t port, uint8_t v)
{
    uint64_t now = now_tick(p);
    irq0_catch_up(p, now);
    if (port == 0x43) {
        pit_command(p, now, v);
        return;
    }
    int ch = (int)(port - 0x40);
    ch_sync(&p->ch[ch], now);
    ch_write_count(&p->ch[ch], now, v);
    pit_changed(p, ch, now);
}

/* A byte-wide chip: wider accesses become byte cycles (AT bus sizing). */
static uint32_t pit_read(void *opaque, uint32_t port, int size)
{
    uint32_t v = 0;
    for (int k = 0; k < size; k++) {
        uint32_t a = port + (uint32_t)k;
        v |= (uint32_t)(a >= 0x40 && a <= 0x43 ? pit_read_byte(opaque, a) : 0xFF) << (8 * k);
    }
    return v;
}

static void pit_write(void *opaque, uint32_t port, int size, uint32_t value)
{
    for (int k = 0; k < size; k++) {
        uint32_t a = port + (uint32_t)k;
        if (a >= 0x40 && a <= 0x43)
            pit_write_byte(opaque, a, (uint8_t)(value >> (8 * k)));
    }
}

/* ---- GATE and OUT ---- */

void pit_set_gate(struct pit *p, int ch, bool level)
{
    struct pit_channel *c = &p->ch[ch];
    if (c->gate == level)
        return;
    uint64_t now = now_tick(p);
    if (ch == 0)
        irq0_catch_up(p, now);
    ch_sync(c, now);
    c->gate = level;
    switch (c->mode) {
    case 0:
    case 4:
        ch_hold(c, now, level);
        break;
    case 1:
    case 5:                         /* a rising GATE (re)triggers */
        if (level && c->have_count)
            ch_load(c, now, c->mode == 5 || ch_state(c, now).out);
        break;
    default:                        /* low: OUT high, counting stops; rising: reload */
        if (!level)
            ch_stop(c, now, true);
        else if (c->have_count)
            ch_load(c, now, true);
        break;
    }
    pit_changed(p, ch, now);
}

bool pit_out(struct pit *p, int ch)
{
    struct pit_channel *c = &p->ch[ch];
    uint64_t now = now_tick(p);
    ch_sync(c, now);
    return ch_state(c, now).out;
}

void pit_gate2(void *pit, bool level)
{
    pit_set_gate(pit, 2, level);
}

bool pit_out2(void *pit)
{
    return pit_out(pit, 2);
}

/* ---- life cycle ---- */

void pit_reset(struct pit *p)
{
    timer_cancel(p->clock, &p->timer);
    for (int k = 0; k < 3; k++) {
        struct pit_channel *c = &p->ch[k];
        bool gate = k < 2 ? true : c->gate;   /* counter 2's GATE is port B's */
        *c = (struct pit_channel){ 0 };
        c->gate = gate;
        c->rw = 3;                 /* undefined at power-on; nothing counts */
        c->null_until = NO_TICK;
    }
    if (p->out0) {
        p->out0 = false;
        irq_set(&p->irq0, 0);
    }
}

int pit_init(struct pit *p, struct bus *b, struct vclock *clock, struct irq_line irq0)
{
    p->clock = clock;
    p->irq0 = irq0;
    p->out0 = false;
    p->ch[2].gate = false;
    timer_init(&p->timer, irq0_fire, p);
    pit_reset(p);
    return bus_add_ports(b, 0x40, 4, pit_read, pit_write, p);
}

void pit_free(struct pit *p)
{
    timer_cancel(p->clock, &p->timer);
}
