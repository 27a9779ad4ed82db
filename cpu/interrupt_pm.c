/* interrupt_pm.c -- protected-mode and virtual-8086 interrupt delivery. */
#include "interrupt.h"

void int_protected(struct cpu *c, int vector, enum int_kind kind,
                   bool has_error, uint32_t error)
{
    (void)vector; (void)kind; (void)has_error; (void)error;
    c->count.triple_faults++;
}
