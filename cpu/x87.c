/* x87.c -- the coprocessor escape (D8-DF) and FWAIT.  There is no FPU yet:
 * the CPU behaves as one with no coprocessor attached, except for the
 * device-not-available (#NM) checks that CR0.EM, TS and MP ask for. */
#include "mem.h"

/* ESC: CR0.EM (emulate) or CR0.TS (task switched) -> #NM.  Otherwise the
 * instruction does nothing and touches no memory operand, so the usual
 * probe (FNINIT; FNSTSW to a word holding a non-zero value) finds the
 * word unchanged and concludes "no FPU".  CR0.ET is left as reset sets
 * it: it names the coprocessor type, not its presence. */
void esc_x87(struct cpu *c, const struct insn *i)
{
    (void)i;
    if (c->cr0 & (CR0_EM | CR0_TS))
        cpu_fault(c, EXC_NM, 0);
}

/* FWAIT: #NM only when both TS and MP are set.  With no FPU there is no
 * pending x87 exception to report. */
void fwait(struct cpu *c, const struct insn *i)
{
    (void)i;
    if ((c->cr0 & (CR0_TS | CR0_MP)) == (CR0_TS | CR0_MP))
        cpu_fault(c, EXC_NM, 0);
}
