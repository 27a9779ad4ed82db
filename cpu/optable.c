/* optable.c -- builds the instruction table from opcodes.def and answers
 * lookups by opcode and group.  The table is constant data shared by every
 * machine in the process. */
#include <stddef.h>

#include "cpu.h"
#include "insn.h"
#include "ops.h"

/* Short flag names used by opcodes.def. */
#define FC   F_CF
#define FPF  F_PF
#define FAF  F_AF
#define FZF  F_ZF
#define FSF  F_SF
#define FTF  F_TF
#define FIF  F_IF
#define FDF  F_DF
#define FOF  F_OF
#define FVM  F_VM
#define FA   F_ARITH
#define FAnC (F_ARITH & ~F_CF)
#define FALL 0x3F7FD5
#define M286 CPU_286
#define M386 CPU_386
#define M486 CPU_486
#define M586 CPU_PENTIUM
#define M686 CPU_P6
#define none NULL

#define OP(code, m, f, ops, dec, fr, fw, fu, c, mo, a) \
    [code] = { .mnem = m, .fn = f, .operands = ops, .decode = dec, \
               .flags_read = fr, .flags_write = fw, .flags_undef = fu, \
               .cls = c, .model = mo, .arg = a },
#define GRP(g, reg, m, f, ops, dec, fr, fw, fu, c, mo, a)
static const struct op_row rows[0x200] = {
#include "opcodes.def"
};
#undef OP
#undef GRP

#define OP(code, m, f, ops, dec, fr, fw, fu, c, mo, a)
#define GRP(g, reg, m, f, ops, dec, fr, fw, fu, c, mo, a) \
    [g][reg] = { .mnem = m, .fn = f, .operands = ops, .decode = dec, \
                 .flags_read = fr, .flags_write = fw, .flags_undef = fu, \
                 .cls = c, .model = mo, .arg = a },
static const struct op_row groups[G_COUNT][8] = {
#include "opcodes.def"
};
#undef OP
#undef GRP

const struct op_row *optable_row(int opcode)
{
    return &rows[opcode & 0x1FF];
}

const struct op_row *optable_group_row(int group, int reg, int mod3)
{
    (void)mod3;
    return &groups[group][reg & 7];
}

const char *insn_class_name(int cls)
{
    static const char *const names[CL_COUNT] = {
        "plain", "branch", "far transfer", "segment/stack load", "port I/O",
        "privileged", "sensitive", "interrupt", "x87",
    };
    return cls >= 0 && cls < CL_COUNT ? names[cls] : "?";
}
