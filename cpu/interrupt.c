/* interrupt.c -- entry point for every exception and interrupt, and
 * real-mode delivery through the interrupt vector table. */
#include "interrupt.h"

#include "flags.h"
#include "mem.h"
#include "seg.h"
#include "stack.h"

void int_real(struct cpu *c, int vector)
{
    uint32_t entry = (uint32_t)vector * 4;
    if (entry + 3 > c->idtr.limit)
        cpu_fault(c, EXC_GP, (uint32_t)vector * 8 + 2);
    uint32_t ip = sys_rd(c, c->idtr.base + entry, 2);
    uint32_t cs = sys_rd(c, c->idtr.base + entry + 2, 2);
    uint32_t flags = cpu_get_eflags(c);
    push(c, 2, flags);
    push(c, 2, c->seg[S_CS].sel);
    push(c, 2, c->eip);
    c->eflags &= ~(F_IF | F_TF | F_AC);
    seg_set_real(c, S_CS, (uint16_t)cs);
    c->eip = ip;
}

void cpu_interrupt(struct cpu *c, int vector, enum int_kind kind,
                   bool has_error, uint32_t error)
{
    if (c->intercept)
        c->intercept(c->intercept_opaque, c, vector, (int)kind, has_error, error);
    if (kind == INT_HARDWARE || kind == INT_NMI)
        c->count.interrupts[vector & 0xFF]++;
    else if (kind == INT_EXCEPTION && vector < 32)
        c->count.exceptions[vector]++;
    else
        c->count.soft_ints++;
    if (c->event_hook)
        c->event_hook(c->hook_opaque, c, vector, kind, has_error, error);
    c->halted = false;
    if (!cpu_pm(c))
        int_real(c, vector);
    else
        int_protected(c, vector, kind, has_error, error);
}
