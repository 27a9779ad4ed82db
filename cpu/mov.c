/* mov.c -- moves that touch no segment register or stack (MOV, MOVZX/MOVSX,
 * LEA, XCHG, NOP, CBW/CWD and their 32-bit forms, XLAT) and the flag-bit
 * instructions LAHF SAHF CMC CLC STC CLD STD. */
#include "cpu.h"
#include "flags.h"
#include "insn.h"
#include "mem.h"
#include "ops.h"

/* ---- MOV between E and G ---- */
void mov_Eb_Gb(struct cpu *c, const struct insn *i) { E_wr(c, i, 8, reg_rd(c, i->reg, 8)); }
void mov_Ev_Gv(struct cpu *c, const struct insn *i) { E_wr(c, i, opsize(i), reg_rd(c, i->reg, opsize(i))); }
void mov_Gb_Eb(struct cpu *c, const struct insn *i) { reg_wr(c, i->reg, 8, E_rd(c, i, 8)); }
void mov_Gv_Ev(struct cpu *c, const struct insn *i) { reg_wr(c, i->reg, opsize(i), E_rd(c, i, opsize(i))); }

/* ---- MOV with a direct offset (moffs in i->disp, already sized by the
 * address size) ---- */
void mov_AL_Ob(struct cpu *c, const struct insn *i) { reg_wr(c, R_EAX, 8, mem_rd(c, i->seg, i->disp, 1)); }
void mov_eAX_Ov(struct cpu *c, const struct insn *i) { reg_wr(c, R_EAX, opsize(i), mem_rd(c, i->seg, i->disp, opsize(i) / 8)); }
void mov_Ob_AL(struct cpu *c, const struct insn *i) { mem_wr(c, i->seg, i->disp, 1, reg_rd(c, R_EAX, 8)); }
void mov_Ov_eAX(struct cpu *c, const struct insn *i) { mem_wr(c, i->seg, i->disp, opsize(i) / 8, reg_rd(c, R_EAX, opsize(i))); }

/* ---- MOV immediate ---- */
void mov_Zb_Ib(struct cpu *c, const struct insn *i) { reg_wr(c, i->opcode & 7, 8, i->imm); }
void mov_Zv_Iz(struct cpu *c, const struct insn *i) { reg_wr(c, i->opcode & 7, opsize(i), i->imm); }
void mov_Eb_Ib(struct cpu *c, const struct insn *i) { E_wr(c, i, 8, i->imm); }
void mov_Ev_Iz(struct cpu *c, const struct insn *i) { E_wr(c, i, opsize(i), i->imm); }

/* ---- MOVZX / MOVSX: the register gets the operand size ---- */
void movzx_Gv_Eb(struct cpu *c, const struct insn *i) { reg_wr(c, i->reg, opsize(i), E_rd(c, i, 8)); }
void movzx_Gv_Ew(struct cpu *c, const struct insn *i) { reg_wr(c, i->reg, opsize(i), E_rd(c, i, 16)); }
void movsx_Gv_Eb(struct cpu *c, const struct insn *i) { reg_wr(c, i->reg, opsize(i), (uint32_t)(int8_t)E_rd(c, i, 8)); }
void movsx_Gv_Ew(struct cpu *c, const struct insn *i) { reg_wr(c, i->reg, opsize(i), (uint32_t)(int16_t)E_rd(c, i, 16)); }

/* LEA: the offset (already cut to the address size by ea()), cut again
 * to the operand size; no memory is touched. */
void lea_Gv_M(struct cpu *c, const struct insn *i) { reg_wr(c, i->reg, opsize(i), ea(c, i)); }

/* ---- XCHG: the memory operand is checked for writing before either
 * side changes ---- */
static inline void xchg_E_G(struct cpu *c, const struct insn *i, unsigned size)
{
    uint32_t lin = 0;
    uint32_t g = reg_rd(c, i->reg, size);
    uint32_t e = E_rd_rmw(c, i, size, &lin);
    E_wr_lin(c, i, size, lin, g);
    reg_wr(c, i->reg, size, e);
}

void xchg_Eb_Gb(struct cpu *c, const struct insn *i) { xchg_E_G(c, i, 8); }
void xchg_Ev_Gv(struct cpu *c, const struct insn *i) { xchg_E_G(c, i, opsize(i)); }

void xchg_Zv_eAX(struct cpu *c, const struct insn *i)
{
    unsigned size = opsize(i);
    int n = i->opcode & 7;
    uint32_t a = reg_rd(c, R_EAX, size);
    reg_wr(c, R_EAX, size, reg_rd(c, n, size));
    reg_wr(c, n, size, a);
}

/* 90 (also PAUSE with F3) and the 0F 18-1F hint space: the ModR/M
 * operand is not accessed. */
void nop(struct cpu *c, const struct insn *i) { (void)c; (void)i; }
void nop_Ev(struct cpu *c, const struct insn *i) { (void)c; (void)i; }

/* ---- sign extension of the accumulator ---- */
/* 98: CBW (AX = AL sign-extended) or CWDE (EAX = AX sign-extended). */
void cbw(struct cpu *c, const struct insn *i)
{
    if (i->o32)
        c->r[R_EAX] = (uint32_t)(int16_t)c->r[R_EAX];
    else
        *cpu_reg16(c, R_EAX) = (uint16_t)(int8_t)c->r[R_EAX];
}

/* 99: CWD (DX = sign of AX) or CDQ (EDX = sign of EAX). */
void cwd(struct cpu *c, const struct insn *i)
{
    if (i->o32)
        c->r[R_EDX] = (c->r[R_EAX] & 0x80000000u) ? 0xFFFFFFFFu : 0;
    else
        *cpu_reg16(c, R_EDX) = (c->r[R_EAX] & 0x8000) ? 0xFFFF : 0;
}

/* XLAT: AL = [seg:(eBX + AL)], eBX by the address size. */
void xlat(struct cpu *c, const struct insn *i)
{
    uint32_t off = c->r[R_EBX] + (c->r[R_EAX] & 0xFF);
    if (!i->a32)
        off &= 0xFFFF;
    reg_wr(c, R_EAX, 8, mem_rd(c, i->seg, off, 1));
}

/* ---- flags to and from AH ---- */
enum { AH_FLAGS = F_SF | F_ZF | F_AF | F_PF | F_CF };

/* AH = SF ZF 0 AF 0 PF 1 CF */
void lahf(struct cpu *c, const struct insn *i)
{
    (void)i;
    reg_wr(c, 4, 8, (flags_arith(c) & AH_FLAGS) | 0x02);
}

/* SF ZF AF PF CF from AH; OF is kept. */
void sahf(struct cpu *c, const struct insn *i)
{
    (void)i;
    uint32_t ah = reg_rd(c, 4, 8);
    flags_set_eager(c, (flags_arith(c) & F_OF) | (ah & AH_FLAGS));
}

/* ---- single flag bits ---- */
static inline void set_cf(struct cpu *c, bool on)
{
    flags_set_eager(c, (flags_arith(c) & ~F_CF) | (on ? F_CF : 0));
}

void cmc(struct cpu *c, const struct insn *i) { (void)i; set_cf(c, !flag_cf(c)); }
void clc(struct cpu *c, const struct insn *i) { (void)i; set_cf(c, false); }
void stc(struct cpu *c, const struct insn *i) { (void)i; set_cf(c, true); }
void cld(struct cpu *c, const struct insn *i) { (void)i; c->eflags &= ~(uint32_t)F_DF; }
void std(struct cpu *c, const struct insn *i) { (void)i; c->eflags |= F_DF; }
