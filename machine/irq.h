/* irq.h -- an interrupt request line: what a device holds to raise or lower
 * its IRQ without knowing who listens (the PIC, later the I/O APIC). */
#ifndef X86LAB_IRQ_H
#define X86LAB_IRQ_H

struct irq_line {
    void (*set)(void *opaque, int n, int level);
    void *opaque;
    int n;
};

static inline void irq_set(const struct irq_line *l, int level)
{
    if (l->set)
        l->set(l->opaque, l->n, level);
}

static inline void irq_raise(const struct irq_line *l) { irq_set(l, 1); }
static inline void irq_lower(const struct irq_line *l) { irq_set(l, 0); }

/* Raise then lower: an edge for edge-triggered inputs. */
static inline void irq_pulse(const struct irq_line *l)
{
    irq_set(l, 1);
    irq_set(l, 0);
}

#endif
