/* ops.h -- prototypes of every instruction handler named in opcodes.def.
 * Handlers live in one file per family (alu.c, shift.c, string.c, ...). */
#ifndef X86LAB_OPS_H
#define X86LAB_OPS_H

#include "insn.h"

#define OP(code, mnem, fn, operands, dec, fr, fw, fu, cls, model, arg) \
    void fn(struct cpu *c, const struct insn *i);
#define GRP(g, reg, mnem, fn, operands, dec, fr, fw, fu, cls, model, arg) \
    void fn(struct cpu *c, const struct insn *i);
#include "opcodes.def"
#undef OP
#undef GRP

#endif
