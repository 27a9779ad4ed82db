/* lapic.c -- one CPU's local APIC: its registers, interrupt acceptance by
 * priority class (IRR/ISR/TMR, TPR/PPR), the acknowledge cycle and EOI,
 * the LVT inputs (LINT0/LINT1, error) and the timer on the virtual clock.
 * Message routing between APICs and the register page: apic_bus.c. */
#include "lapic.h"

#include <string.h>

/* Writable bits of each LVT entry on the P6 (the timer has no delivery
 * mode; LINT1 is edge only but keeps the bit). */
static const uint32_t lvt_writable[LVT_COUNT] = {
    [LVT_TIMER] = 0x300FF, [LVT_PERF] = 0x107FF, [LVT_LINT0] = 0x1A7FF,
    [LVT_LINT1] = 0x1A7FF, [LVT_ERROR] = 0x100FF,
};

/* ---- the 256-bit registers ---- */

static bool bit_test(const uint32_t *v, unsigned n) { return (v[n >> 5] >> (n & 31)) & 1; }
static void bit_set(uint32_t *v, unsigned n) { v[n >> 5] |= 1u << (n & 31); }
static void bit_clear(uint32_t *v, unsigned n) { v[n >> 5] &= ~(1u << (n & 31)); }

/* The highest vector set, or -1. */
static int highest(const uint32_t *v)
{
    for (int k = 7; k >= 0; k--)
        if (v[k])
            return k * 32 + 31 - __builtin_clz(v[k]);
    return -1;
}

static bool sw_enabled(const struct lapic *l) { return (l->svr & APIC_SVR_ENABLE) != 0; }

/* Processor priority: the TPR, or the class of the highest vector in
 * service when that is higher. */
static uint32_t ppr(const struct lapic *l)
{
    int isrv = highest(l->isr);
    uint32_t isr_class = isrv < 0 ? 0 : (uint32_t)isrv & 0xF0;
    return (l->tpr & 0xF0) >= isr_class ? l->tpr & 0xFF : isr_class;
}

/* Arbitration priority (lowest-priority delivery and the APR register). */
static uint32_t apr(const struct lapic *l)
{
    int irrv = highest(l->irr), isrv = highest(l->isr);
    uint32_t tpr = l->tpr & 0xFF;
    uint32_t irr_class = irrv < 0 ? 0 : (uint32_t)irrv & 0xF0;
    uint32_t isr_class = isrv < 0 ? 0 : (uint32_t)isrv & 0xF0;
    if ((tpr & 0xF0) >= irr_class && (tpr & 0xF0) > isr_class)
        return tpr;
    uint32_t m = tpr & 0xF0;
    if (irr_class > m)
        m = irr_class;
    return isr_class > m ? isr_class : m;
}

/* The fixed interrupt the CPU would get now, or -1. */
static int deliverable(const struct lapic *l)
{
    if (!sw_enabled(l))
        return -1;
    int irrv = highest(l->irr);
    if (irrv < 0 || ((uint32_t)irrv & 0xF0) <= (ppr(l) & 0xF0))
        return -1;
    return irrv;
}

/* The 8259 asks through LINT0 (ExtINT, unmasked) or an ExtINT message. */
static bool extint_pending(const struct lapic *l)
{
    uint32_t lvt = l->lvt[LVT_LINT0];
    bool active = l->lint[0] != ((lvt & APIC_LVT_ACTIVE_LOW) != 0);
    bool wire = !(lvt & APIC_LVT_MASKED) && ((lvt >> 8) & 7) == APIC_DM_EXTINT && active;
    return l->extint_msg || wire;
}

/* Recomputes the INTR output. */
static void update(struct lapic *l)
{
    bool out;
    if (!lapic_hw_enabled(l))
        out = l->lint[0];            /* no APIC: LINT0 is the INTR pin */
    else
        out = extint_pending(l) || deliverable(l) >= 0;
    if (out != l->intr_out) {
        l->intr_out = out;
        irq_set(&l->w.intr, out);
    }
}

static void raise_error(struct lapic *l, uint32_t bits);
static void lapic_init_state(struct lapic *l);

/* The CPU's NMI input. */
static void raise_nmi(struct lapic *l)
{
    if (l->w.nmi_index)
        l->w.nmi_index(l->w.opaque, l->index);
    else if (l->w.nmi)
        l->w.nmi(l->w.opaque);
}

/* A fixed (or lowest-priority) interrupt arrives: into the IRR, its
 * trigger mode into the TMR.  Vectors 0-15 are illegal. */
static void accept(struct lapic *l, uint8_t vector, bool level)
{
    if (vector < 16) {
        raise_error(l, APIC_ESR_RECV_ILLEGAL);
        return;
    }
    bit_set(l->irr, vector);
    if (level)
        bit_set(l->tmr, vector);
    else
        bit_clear(l->tmr, vector);
    update(l);
}

/* An error is latched and, when the error LVT lets it, interrupts (a bad
 * error vector is latched too, but does not recurse). */
static void raise_error(struct lapic *l, uint32_t bits)
{
    l->esr_pending |= bits;
    uint32_t lvt = l->lvt[LVT_ERROR];
    if (!(lvt & APIC_LVT_MASKED) && (lvt & 0xFF) >= 16)
        accept(l, (uint8_t)lvt, false);
    else if (!(lvt & APIC_LVT_MASKED))
        l->esr_pending |= APIC_ESR_RECV_ILLEGAL;
}

/* An LVT entry fires as an edge: fixed vector or NMI. */
static void lvt_fire(struct lapic *l, int n)
{
    uint32_t lvt = l->lvt[n];
    if (lvt & APIC_LVT_MASKED)
        return;
    unsigned mode = n == LVT_TIMER || n == LVT_ERROR ? APIC_DM_FIXED : (lvt >> 8) & 7;
    if (mode == APIC_DM_NMI) {
        raise_nmi(l);
    } else if (mode == APIC_DM_FIXED) {
        accept(l, (uint8_t)lvt, false);
    }
}

/* ---- messages from the bus ---- */

void lapic_deliver(struct lapic *l, const struct apic_msg *m)
{
    switch (m->mode) {
    case APIC_DM_FIXED:
    case APIC_DM_LOWEST:
        accept(l, m->vector, m->level);
        break;
    case APIC_DM_NMI:
        raise_nmi(l);
        break;
    case APIC_DM_INIT:
        if (m->level && !m->assert)
            break;                   /* INIT level de-assert: arbitration IDs only */
        if (l->index != 0) {
            /* An AP's APIC goes back to its power-on state but for its
             * ID, and waits for STARTUP (SDM Vol. 3, 10.4.7.3). */
            lapic_init_state(l);
            l->wait_sipi = true;
            update(l);
        }
        if (l->w.init)
            l->w.init(l->w.opaque, l->index);
        break;
    case APIC_DM_STARTUP:
        if (l->wait_sipi && l->w.startup) {
            l->wait_sipi = false;
            l->w.startup(l->w.opaque, l->index, m->vector);
        }
        break;
    case APIC_DM_EXTINT:
        l->extint_msg = m->assert;
        update(l);
        break;
    default:
        break;                       /* SMI: there is no SMM */
    }
}

bool lapic_match_logical(const struct lapic *l, uint8_t dest)
{
    uint8_t ldr = (uint8_t)(l->ldr >> 24);
    if ((l->dfr >> 28) == 0xF)
        return (ldr & dest) != 0;
    if ((dest >> 4) != 0xF && (dest >> 4) != (ldr >> 4))
        return false;
    return (ldr & dest & 0x0F) != 0;
}

uint32_t lapic_arb_priority(const struct lapic *l) { return apr(l); }

/* ---- the CPU side ---- */

int lapic_intr_ack(void *opaque)
{
    struct lapic *l = opaque;
    if (!lapic_hw_enabled(l) || extint_pending(l)) {
        int v = l->w.extint_ack ? l->w.extint_ack(l->w.extint_opaque) : -1;
        update(l);
        return v;
    }
    int v = deliverable(l);
    if (v < 0)
        return (int)(l->svr & 0xFF);     /* spurious: no ISR bit, no EOI */
    bit_clear(l->irr, (unsigned)v);
    bit_set(l->isr, (unsigned)v);
    update(l);
    return v;
}

static void eoi(struct lapic *l)
{
    int v = highest(l->isr);
    if (v < 0)
        return;
    bit_clear(l->isr, (unsigned)v);
    /* A level-triggered LINT0 in service: remote IRR off, and again if
     * the pin is still active. */
    uint32_t *lint0 = &l->lvt[LVT_LINT0];
    if ((*lint0 & APIC_LVT_REMOTE_IRR) && (*lint0 & 0xFF) == (uint32_t)v) {
        *lint0 &= ~APIC_LVT_REMOTE_IRR;
        lapic_set_lint(l, 0, l->lint[0]);
    }
    if (bit_test(l->tmr, (unsigned)v) && l->bus && l->bus->eoi)
        l->bus->eoi(l->bus->eoi_opaque, (uint8_t)v);
    update(l);
}

void lapic_set_lint(struct lapic *l, int pin, bool level)
{
    bool was = l->lint[pin];
    l->lint[pin] = level;
    uint32_t *lvt = &l->lvt[pin ? LVT_LINT1 : LVT_LINT0];
    bool active = level != ((*lvt & APIC_LVT_ACTIVE_LOW) != 0);
    bool rising = level != was && active;
    unsigned mode = (*lvt >> 8) & 7;
    if (!lapic_hw_enabled(l) && pin == 1 && level && !was)
        raise_nmi(l);                /* no APIC: LINT1 is the NMI pin */
    if (lapic_hw_enabled(l) && !(*lvt & APIC_LVT_MASKED)) {
        if (mode == APIC_DM_NMI && rising) {
            lvt_fire(l, pin ? LVT_LINT1 : LVT_LINT0);
        } else if (mode == APIC_DM_FIXED && pin == 0 && (*lvt & APIC_LVT_LEVEL)) {
            if (active && !(*lvt & APIC_LVT_REMOTE_IRR)) {
                *lvt |= APIC_LVT_REMOTE_IRR;
                accept(l, (uint8_t)*lvt, true);
            }
        } else if (mode == APIC_DM_FIXED && rising) {
            accept(l, (uint8_t)*lvt, false);
        }
    }
    update(l);
}

/* ---- the timer ---- */

static uint32_t timer_divide(const struct lapic *l)
{
    unsigned v = (l->timer_dcr & 3) | ((l->timer_dcr >> 1) & 4);
    return v == 7 ? 1 : 2u << v;
}

static uint64_t tick_ns(const struct lapic *l)
{
    return (uint64_t)LAPIC_BUS_NS * timer_divide(l);
}

static bool periodic(const struct lapic *l) { return l->lvt[LVT_TIMER] & APIC_LVT_PERIODIC; }

/* Ticks since the count was start_count. */
static uint64_t ticks_since_start(const struct lapic *l)
{
    uint64_t now = vclock_now(l->clock);
    return now > l->start_ns ? (now - l->start_ns) / tick_ns(l) : 0;
}

static uint32_t current_count(const struct lapic *l)
{
    if (!l->running)
        return 0;
    uint64_t t = ticks_since_start(l);
    if (t < l->start_count)
        return (uint32_t)(l->start_count - t);
    if (!periodic(l) || l->timer_initial == 0)
        return 0;
    return l->timer_initial - (uint32_t)((t - l->start_count) % l->timer_initial);
}

/* Arms the clock for the first expiry after `after` (virtual ns). */
static void timer_schedule(struct lapic *l, uint64_t after)
{
    uint64_t tn = tick_ns(l);
    uint64_t first = l->start_ns + (uint64_t)l->start_count * tn;
    uint64_t when = first;
    if (when <= after) {
        if (!periodic(l) || l->timer_initial == 0) {
            l->running = false;
            timer_cancel(l->clock, &l->timer);
            return;
        }
        uint64_t period = (uint64_t)l->timer_initial * tn;
        when = first + ((after - first) / period + 1) * period;
    }
    l->next_fire = when;
    timer_arm(l->clock, &l->timer, when);
}

static void timer_fire(void *opaque)
{
    struct lapic *l = opaque;
    if (!l->running)
        return;
    l->timer_fires++;
    lvt_fire(l, LVT_TIMER);
    /* Expiries missed while nobody looked are merged into this one. */
    uint64_t now = vclock_now(l->clock);
    timer_schedule(l, now > l->next_fire ? now : l->next_fire);
}

/* Starts counting down from `count` now (0 stops the timer). */
static void timer_start(struct lapic *l, uint32_t count)
{
    timer_cancel(l->clock, &l->timer);
    l->running = count != 0;
    if (!l->running)
        return;
    l->start_ns = vclock_now(l->clock);
    l->start_count = count;
    timer_schedule(l, l->start_ns);
}

/* ---- registers ---- */

static void lapic_init_state(struct lapic *l)
{
    memset(l->irr, 0, sizeof l->irr);
    memset(l->isr, 0, sizeof l->isr);
    memset(l->tmr, 0, sizeof l->tmr);
    l->tpr = l->ldr = 0;
    l->dfr = 0xFFFFFFFFu;
    l->svr = 0xFF;
    l->esr = l->esr_pending = 0;
    l->icr_lo = l->icr_hi = 0;
    for (int n = 0; n < LVT_COUNT; n++)
        l->lvt[n] = APIC_LVT_MASKED;
    if (l->index == 0)
        l->lvt[LVT_LINT0] = APIC_DM_EXTINT << 8;   /* the virtual wire (see lapic.h) */
    l->timer_initial = l->timer_dcr = 0;
    l->running = false;
    l->extint_msg = false;
    if (l->clock)
        timer_cancel(l->clock, &l->timer);
}

void lapic_reset(struct lapic *l)
{
    l->id = (uint32_t)l->index << 24;
    l->base = APIC_DEFAULT_BASE | APIC_BASE_ENABLE | (l->index == 0 ? APIC_BASE_BSP : 0);
    l->wait_sipi = l->index != 0;
    if (l->bus && l->index == 0)
        apic_bus_relocate(l->bus, APIC_DEFAULT_BASE);
    lapic_init_state(l);
    update(l);
}

void lapic_init(struct lapic *l, struct apic_bus *b, int index, struct vclock *clock,
                const struct lapic_wiring *w)
{
    memset(l, 0, sizeof *l);
    l->bus = b;
    l->index = index;
    l->clock = clock;
    l->w = *w;
    timer_init(&l->timer, timer_fire, l);
    if (b && index < APIC_MAX_CPUS) {
        b->cpu[index] = l;
        if (b->ncpus <= index)
            b->ncpus = index + 1;
    }
    lapic_reset(l);
}

void lapic_set_base(struct lapic *l, uint64_t value)
{
    bool was_on = lapic_hw_enabled(l);
    uint32_t old = (uint32_t)l->base & 0xFFFFF000u;
    l->base = value;
    if (was_on && !lapic_hw_enabled(l)) {
        /* Globally disabled: as a software disable, and LINT0/LINT1 become
         * the CPU's INTR and NMI pins (update). */
        l->svr &= ~APIC_SVR_ENABLE;
        for (int n = 0; n < LVT_COUNT; n++)
            l->lvt[n] |= APIC_LVT_MASKED;
        timer_cancel(l->clock, &l->timer);
        l->running = false;
    }
    if (((uint32_t)value & 0xFFFFF000u) != old && l->bus && l->index == 0)
        apic_bus_relocate(l->bus, (uint32_t)value & 0xFFFFF000u);
    update(l);
}

void lapic_free(struct lapic *l)
{
    if (l->clock)
        timer_cancel(l->clock, &l->timer);
}

static uint32_t read_256(const uint32_t *v, uint32_t offset, uint32_t base)
{
    return v[(offset - base) >> 4];
}

uint32_t lapic_read(struct lapic *l, uint32_t offset)
{
    offset &= 0xFF0;
    if (offset >= LAPIC_ISR && offset < LAPIC_ISR + 0x80)
        return read_256(l->isr, offset, LAPIC_ISR);
    if (offset >= LAPIC_TMR && offset < LAPIC_TMR + 0x80)
        return read_256(l->tmr, offset, LAPIC_TMR);
    if (offset >= LAPIC_IRR && offset < LAPIC_IRR + 0x80)
        return read_256(l->irr, offset, LAPIC_IRR);
    if (offset >= LAPIC_LVT_TIMER && offset <= LAPIC_LVT_ERROR && offset != 0x330)
        return l->lvt[(offset - LAPIC_LVT_TIMER) / 0x10 - (offset > 0x330)];
    switch (offset) {
    case LAPIC_ID: return l->id;
    case LAPIC_VER: return LAPIC_VERSION | (LVT_COUNT - 1) << 16;
    case LAPIC_TPR: return l->tpr;
    case LAPIC_APR: return apr(l);
    case LAPIC_PPR: return ppr(l);
    case LAPIC_LDR: return l->ldr;
    case LAPIC_DFR: return l->dfr;
    case LAPIC_SVR: return l->svr;
    case LAPIC_ESR: return l->esr;
    case LAPIC_ICR_LO: return l->icr_lo;     /* delivery status: always idle */
    case LAPIC_ICR_HI: return l->icr_hi;
    case LAPIC_TIMER_ICR: return l->timer_initial;
    case LAPIC_TIMER_CCR: return current_count(l);
    case LAPIC_TIMER_DCR: return l->timer_dcr;
    }
    return 0;
}

static void write_lvt(struct lapic *l, int n, uint32_t value)
{
    uint32_t left = current_count(l);
    bool was_periodic = periodic(l);
    uint32_t keep = l->lvt[n] & APIC_LVT_REMOTE_IRR;
    l->lvt[n] = (value & lvt_writable[n]) | keep;
    if (!(value & APIC_LVT_LEVEL))
        l->lvt[n] &= ~APIC_LVT_REMOTE_IRR;
    if (!sw_enabled(l))
        l->lvt[n] |= APIC_LVT_MASKED;   /* software-disabled: masks stick */
    if (n == LVT_TIMER && l->running && periodic(l) != was_periodic)
        timer_start(l, left ? left : 1);   /* one-shot <-> periodic: the count goes on */
    if (n == LVT_LINT0 || n == LVT_LINT1)
        lapic_set_lint(l, n == LVT_LINT1, l->lint[n == LVT_LINT1]);
    update(l);
}

static void write_svr(struct lapic *l, uint32_t value)
{
    l->svr = (value & 0x3F0) | 0x0F;     /* P6: vector bits 0-3 are ones */
    if (!sw_enabled(l))
        for (int n = 0; n < LVT_COUNT; n++)
            l->lvt[n] |= APIC_LVT_MASKED;
    update(l);
}

static void write_dcr(struct lapic *l, uint32_t value)
{
    uint32_t left = current_count(l);
    l->timer_dcr = value & 0xB;
    if (l->running)
        timer_start(l, left ? left : 1);   /* rebased: the count goes on */
}

/* Writing the low half of the ICR sends the IPI. */
static void send_ipi(struct lapic *l)
{
    uint32_t lo = l->icr_lo;
    struct apic_msg m = {
        .vector = (uint8_t)lo, .mode = (uint8_t)((lo >> 8) & 7),
        .dest = (uint8_t)(l->icr_hi >> 24), .shorthand = (uint8_t)((lo >> 18) & 3),
        .logical = (lo & APIC_ICR_LOGICAL) != 0, .level = (lo & APIC_LVT_LEVEL) != 0,
        .assert = (lo & APIC_ICR_ASSERT) != 0, .source = l->index,
    };
    if (!m.level)
        m.assert = true;             /* edge messages are always asserted */
    if ((m.mode == APIC_DM_FIXED || m.mode == APIC_DM_LOWEST) && m.vector < 16) {
        raise_error(l, APIC_ESR_SEND_ILLEGAL);
        return;
    }
    l->ipis_sent++;
    if (l->bus)
        apic_bus_send(l->bus, &m);
    else if (m.shorthand == 1)
        lapic_deliver(l, &m);
}

void lapic_write(struct lapic *l, uint32_t offset, uint32_t value)
{
    offset &= 0xFF0;
    if (offset >= LAPIC_LVT_TIMER && offset <= LAPIC_LVT_ERROR && offset != 0x330) {
        write_lvt(l, (int)((offset - LAPIC_LVT_TIMER) / 0x10 - (offset > 0x330)), value);
        return;
    }
    switch (offset) {
    case LAPIC_ID: l->id = value & 0xFF000000u; break;
    case LAPIC_TPR: l->tpr = value & 0xFF; update(l); break;
    case LAPIC_EOI: eoi(l); break;
    case LAPIC_LDR: l->ldr = value & 0xFF000000u; break;
    case LAPIC_DFR: l->dfr = value | 0x0FFFFFFFu; break;
    case LAPIC_SVR: write_svr(l, value); break;
    case LAPIC_ESR:
        l->esr = l->esr_pending;
        l->esr_pending = 0;
        break;
    case LAPIC_ICR_LO:
        l->icr_lo = value & 0x000CDFFFu;
        send_ipi(l);
        break;
    case LAPIC_ICR_HI: l->icr_hi = value & 0xFF000000u; break;
    case LAPIC_TIMER_ICR:
        l->timer_initial = value;
        timer_start(l, value);
        break;
    case LAPIC_TIMER_DCR: write_dcr(l, value); break;
    default: break;                  /* read-only or reserved */
    }
}
