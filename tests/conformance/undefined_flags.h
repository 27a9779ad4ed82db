/* undefined_flags.h -- which arithmetic flags the Intel manuals leave
 * undefined after an instruction (undefined_flags.c holds the table). */
#ifndef X86LAB_UNDEFINED_FLAGS_H
#define X86LAB_UNDEFINED_FLAGS_H

#include <stdint.h>

/* opcode: 0x00-0xFF, or 0x100 | byte after 0F; reg: ModR/M.reg (for
 * groups); count: the shift or rotate count as encoded (CL, Ib or 1),
 * ignored for other instructions; size: operand size in bits.  Returns the
 * F_* bits whose value after the instruction the manuals do not define. */
uint32_t undefined_flags(int opcode, int reg, unsigned count, unsigned size);

#endif
