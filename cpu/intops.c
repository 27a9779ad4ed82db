/* intops.c -- the software interrupt instructions INT n, INT3, INTO and
 * INT1 (ICEBP).  Delivery itself is interrupt.c / interrupt_pm.c; EIP
 * already points past the instruction, which is the return address. */
#include "flags.h"
#include "insn.h"
#include "interrupt.h"
#include "ops.h"

/* INT n in virtual-8086 mode is IOPL-sensitive: with IOPL < 3 the monitor
 * gets #GP(0) and emulates it.  (CR4.VME redirection is not implemented:
 * INT n behaves as if VME were clear.)  INT3 and INTO are not
 * IOPL-sensitive; the gate DPL check still applies to them. */
void int_Ib(struct cpu *c, const struct insn *i)
{
    if (cpu_v86(c) && ((c->eflags & F_IOPL) >> 12) < 3)
        cpu_fault(c, EXC_GP, 0);
    cpu_interrupt(c, i->imm & 0xFF, INT_SOFTWARE, false, 0);
}

void int3(struct cpu *c, const struct insn *i)
{
    (void)i;
    cpu_interrupt(c, EXC_BP, INT_SOFTWARE, false, 0);
}

void into(struct cpu *c, const struct insn *i)
{
    (void)i;
    if (flag_of(c))
        cpu_interrupt(c, EXC_OF, INT_SOFTWARE, false, 0);
}

/* ICEBP: a #DB trap delivered like an external event (no gate DPL check,
 * EXT set in error codes). */
void int1(struct cpu *c, const struct insn *i)
{
    (void)i;
    cpu_interrupt(c, EXC_DB, INT_ICEBP, false, 0);
}
