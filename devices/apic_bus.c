/* apic_bus.c -- the APIC message bus: which local APICs a message names
 * (physical ID, logical flat/cluster, shorthands, lowest priority) and the
 * register page at IA32_APIC_BASE, which reaches the running CPU's local
 * APIC.  The local APIC itself: lapic.c. */
#include "lapic.h"

#include <string.h>

#include "machine/bus.h"

/* Accesses reach the running CPU's APIC; a globally disabled one no
 * longer decodes its page (reads float high, writes are lost). */
static struct lapic *page_owner(struct apic_bus *b)
{
    struct lapic *l = b->current >= 0 && b->current < b->ncpus ? b->cpu[b->current] : NULL;
    return l && lapic_hw_enabled(l) ? l : NULL;
}

static uint32_t page_read(void *opaque, uint32_t addr, int size)
{
    struct lapic *l = page_owner(opaque);
    uint32_t ones = 0xFFFFFFFFu >> (32 - 8 * size);
    if (!l)
        return ones;
    unsigned within = addr & 0xF;
    if (within >= 4)
        return 0;                    /* the reserved rest of each 16-byte slot */
    return (lapic_read(l, addr) >> (8 * within)) & ones;
}

static void page_write(void *opaque, uint32_t addr, int size, uint32_t value)
{
    struct lapic *l = page_owner(opaque);
    (void)size;
    if (l && (addr & 0xF) == 0)
        lapic_write(l, addr, value);
}

int apic_bus_init(struct apic_bus *b, struct bus *sys)
{
    memset(b, 0, sizeof *b);
    if (!sys)
        return 0;
    if (bus_add_mmio(sys, APIC_DEFAULT_BASE, 0x1000, page_read, page_write, b) < 0)
        return -1;
    b->mmio = &sys->mmio[sys->nmmio - 1];
    return 0;
}

/* Moves the register page (IA32_APIC_BASE written). */
void apic_bus_relocate(struct apic_bus *b, uint32_t base)
{
    if (!b->mmio)
        return;
    b->mmio->start = base;
    b->mmio->end = base + 0xFFF;
}

/* Does a message with this destination reach APIC l?  (Shorthands
 * aside.) */
static bool names(const struct lapic *l, const struct apic_msg *m)
{
    if (m->dest == 0xFF)
        return true;                 /* broadcast, physical or logical */
    if (!m->logical)
        return m->dest == (uint8_t)(l->id >> 24);
    return lapic_match_logical(l, m->dest);
}

static bool targeted(const struct apic_bus *b, int k, const struct apic_msg *m)
{
    const struct lapic *l = b->cpu[k];
    if (!l || !lapic_hw_enabled(l))
        return false;
    switch (m->shorthand) {
    case 1: return k == m->source;
    case 2: return true;
    case 3: return k != m->source;
    default: return names(l, m);
    }
}

void apic_bus_send(struct apic_bus *b, const struct apic_msg *m)
{
    if (m->mode == APIC_DM_LOWEST && m->shorthand == 0) {
        /* One APIC: the lowest arbitration priority, the lowest index
         * among equals (the P6's rotating arbitration ID, frozen). */
        struct lapic *best = NULL;
        for (int k = 0; k < b->ncpus; k++)
            if (targeted(b, k, m) &&
                (!best || lapic_arb_priority(b->cpu[k]) < lapic_arb_priority(best)))
                best = b->cpu[k];
        if (best)
            lapic_deliver(best, m);
        return;
    }
    for (int k = 0; k < b->ncpus; k++)
        if (targeted(b, k, m))
            lapic_deliver(b->cpu[k], m);
}
