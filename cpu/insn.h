/* insn.h -- the decoded instruction record and the instruction-table row.
 * The decoder (decode.c) fills a struct insn from bytes using the rows of
 * opcodes.def; the interpreter, translator and debugger all read it. */
#ifndef X86LAB_INSN_H
#define X86LAB_INSN_H

#include <stdint.h>

struct cpu;
struct insn;
typedef void (*insn_fn)(struct cpu *c, const struct insn *i);

/* How the decoder reads the bytes after the opcode. */
enum {
    D_MODRM    = 1 << 0,   /* a ModR/M byte follows */
    D_IB       = 1 << 1,   /* 8-bit immediate */
    D_IBS      = 1 << 2,   /* 8-bit immediate, sign-extended into imm */
    D_IW       = 1 << 3,   /* 16-bit immediate */
    D_IZ       = 1 << 4,   /* 16- or 32-bit immediate by operand size */
    D_AP       = 1 << 5,   /* far pointer: offset (Iz) then selector (imm2) */
    D_MOFFS    = 1 << 6,   /* 16/32-bit offset by address size, in disp */
    D_IW_IB    = 1 << 7,   /* ENTER: Iw then Ib (imm2) */
    D_JB       = 1 << 8,   /* rel8, sign-extended into imm */
    D_JZ       = 1 << 9,   /* rel16/rel32 */
    D_GROUP    = 1 << 10,  /* ModR/M.reg selects a row of group `arg` */
    D_MEM      = 1 << 11,  /* ModR/M must name memory, else #UD */
    D_REGONLY  = 1 << 12,  /* ModR/M always names a register (MOV CRn) */
    D_LOCK     = 1 << 13,  /* LOCK allowed (with a memory destination) */
    D_PREFIX   = 1 << 14,  /* a prefix byte, handled by the decoder */
    D_INVALID  = 1 << 15,  /* no instruction here: #UD */
    D_ESC0F    = 1 << 16,  /* the 0F escape */
    D_MODEXT   = 1 << 17,  /* group rows differ for register forms (0F 01) */
};

/* What an instruction is, for the translator's plan, the trap statistics
 * and the debugger. */
enum insn_class {
    CL_PLAIN,        /* innocuous: computes on registers and memory */
    CL_BRANCH,       /* control transfer within the segment */
    CL_FAR,          /* far transfer, may change CS and privilege */
    CL_STACKSEG,     /* loads a segment register or flags: sensitive */
    CL_IO,           /* port I/O */
    CL_PRIV,         /* privileged: #GP outside ring 0 */
    CL_SENSITIVE,    /* reads or changes system state (PUSHF, SGDT, CPUID...) */
    CL_INT,          /* software interrupt, IRET */
    CL_X87,
    CL_COUNT
};

/* Instruction groups: ModR/M.reg selects a row (opcodes.def). */
enum {
    G_NONE, G_80, G_81, G_82, G_83, G_8F, G_C0, G_C1, G_D0, G_D1, G_D2, G_D3,
    G_C6, G_C7, G_F6, G_F7, G_FE, G_FF, G_0F00, G_0F01, G_0FBA, G_0FC7,
    G_COUNT
};

/* One row of the instruction table. */
struct op_row {
    const char *mnem;
    insn_fn fn;
    const char *operands;  /* in the manuals' notation: "Eb,Gb" */
    uint32_t decode;       /* D_* */
    uint32_t flags_read;   /* F_* bits the instruction reads */
    uint32_t flags_write;  /* F_* bits it writes (or leaves undefined) */
    uint32_t flags_undef;  /* F_* bits the manuals call undefined after it */
    uint8_t cls;           /* enum insn_class */
    uint8_t model;         /* first CPU model that has it */
    uint8_t arg;           /* handler argument (ALU op, condition, group) */
};

enum { PFX_REP = 1, PFX_REPNE = 2, PFX_LOCK = 4 };

/* The decoded instruction.  Effective address: seg:(r[base] +
 * (r[index] << scale) + disp), truncated to 16 bits when !a32. */
struct insn {
    insn_fn fn;            /* row->fn, copied for the dispatch */
    const struct op_row *row;
    uint16_t opcode;       /* 0x000-0x0FF one byte, 0x100-0x1FF after 0F */
    uint8_t len;
    uint8_t o32, a32;      /* operand and address size are 32-bit */
    uint8_t seg;           /* segment for the memory operand (S_*) */
    uint8_t seg_override;  /* 1 if a segment prefix was given */
    uint8_t prefixes;      /* PFX_* */
    uint8_t modrm, mod, reg, rm;
    uint8_t base, index, scale;   /* R_NONE when absent */
    uint32_t disp;
    uint32_t imm, imm2;
};

/* Decoder results (negative values of decode()). */
enum { DEC_MORE = -1, DEC_UD = -2, DEC_TOOLONG = -3 };

/* Decode one instruction from buf[0..avail).  Returns its length, DEC_MORE
 * if it needs more bytes than avail, DEC_UD for an invalid encoding (the
 * record still says how far the decoder got) or DEC_TOOLONG past 15 bytes. */
int decode(struct insn *i, const uint8_t *buf, int avail, int code32, int model);

/* Rows of the table, for the debugger and tests. */
const struct op_row *optable_row(int opcode);        /* 0x000-0x1FF */
const struct op_row *optable_group_row(int group, int reg, int mod3);
const char *insn_class_name(int cls);

#endif
