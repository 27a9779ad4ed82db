/* interrupt.h -- delivering exceptions and interrupts: the real-mode IVT
 * (interrupt.c), protected-mode and virtual-8086 gates with privilege and
 * stack switches (interrupt_pm.c), double and triple faults. */
#ifndef X86LAB_INTERRUPT_H
#define X86LAB_INTERRUPT_H

#include <stdbool.h>
#include <stdint.h>

#include "cpu.h"

enum int_kind {
    INT_EXCEPTION,   /* fault or trap raised by the CPU */
    INT_SOFTWARE,    /* INT n, INT3, INTO: gate DPL checked against CPL */
    INT_HARDWARE,    /* INTR from the interrupt controller */
    INT_NMI,
    INT_ICEBP,       /* F1: like an exception (no DPL check) */
};

/* Transfers control to the handler for vector; returns with CS:EIP at the
 * handler.  May fault (cpu_fault), which the run loop turns into #DF or a
 * triple fault as the manuals say. */
void cpu_interrupt(struct cpu *c, int vector, enum int_kind kind,
                   bool has_error, uint32_t error);
void int_real(struct cpu *c, int vector);
void int_protected(struct cpu *c, int vector, enum int_kind kind,
                   bool has_error, uint32_t error);

/* Does this exception vector push an error code? */
static inline bool exc_has_error(int v)
{
    return v == EXC_DF || (v >= EXC_TS && v <= EXC_PF) || v == EXC_AC;
}

#endif
