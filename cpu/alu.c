/* alu.c -- the eight ALU operations (ADD OR ADC SBB AND SUB XOR CMP) in all
 * their encodings, INC/DEC, NOT/NEG and TEST: one inline generic per
 * operand form, and one-line named handlers that the compiler specialises. */
#include "cpu.h"
#include "flags.h"
#include "insn.h"
#include "mem.h"
#include "ops.h"

/* The operation numbers are the ModR/M.reg values of group 1 and bits 3-5
 * of the 00-3F opcodes. */
enum alu_op { ALU_ADD, ALU_OR, ALU_ADC, ALU_SBB, ALU_AND, ALU_SUB, ALU_XOR, ALU_CMP };

static inline uint32_t alu_calc(enum alu_op op, uint32_t a, uint32_t b, bool cf)
{
    switch (op) {
    case ALU_ADD: return a + b;
    case ALU_OR:  return a | b;
    case ALU_ADC: return a + b + cf;
    case ALU_SBB: return a - b - cf;
    case ALU_AND: return a & b;
    case ALU_XOR: return a ^ b;
    default:      return a - b;      /* SUB, CMP */
    }
}

/* Records the operation for the lazy flags.  ADC/SBB without a carry in
 * are plain ADD/SUB as far as the flags go. */
static inline void alu_flags(struct cpu *c, enum alu_op op, unsigned size,
                             uint32_t a, uint32_t b, uint32_t r, bool cf)
{
    enum lf_op lf;
    switch (op) {
    case ALU_ADD: lf = LF_ADD; break;
    case ALU_ADC: lf = cf ? LF_ADC : LF_ADD; break;
    case ALU_SBB: lf = cf ? LF_SBB : LF_SUB; break;
    case ALU_SUB:
    case ALU_CMP: lf = LF_SUB; break;
    default:      lf = LF_LOGIC; break;
    }
    flags_set(c, lf, size, a, b, r);
}

/* The carry in, read only by ADC and SBB (op is a constant after
 * inlining, so the other operations never evaluate CF). */
static inline bool alu_carry_in(const struct cpu *c, enum alu_op op)
{
    return (op == ALU_ADC || op == ALU_SBB) && flag_cf(c);
}

/* Destination in E (register or memory), source already known.  The
 * memory destination is checked for writing before anything changes; CMP
 * only reads it.  Flags are recorded after the write, which cannot fault
 * any more, so a fault leaves them untouched. */
static inline void alu_E(struct cpu *c, const struct insn *i, enum alu_op op,
                         unsigned size, uint32_t b)
{
    uint32_t m = lf_mask(size), lin = 0;
    bool cf = alu_carry_in(c, op);
    b &= m;
    if (op == ALU_CMP) {
        uint32_t a = E_rd(c, i, size);
        alu_flags(c, op, size, a, b, alu_calc(op, a, b, cf) & m, cf);
        return;
    }
    uint32_t a = E_rd_rmw(c, i, size, &lin);
    uint32_t r = alu_calc(op, a, b, cf) & m;
    E_wr_lin(c, i, size, lin, r);
    alu_flags(c, op, size, a, b, r, cf);
}

/* Destination in a register n, source already known. */
static inline void alu_R(struct cpu *c, int n, enum alu_op op, unsigned size,
                         uint32_t b)
{
    uint32_t m = lf_mask(size);
    bool cf = alu_carry_in(c, op);
    uint32_t a = reg_rd(c, n, size);
    b &= m;
    uint32_t r = alu_calc(op, a, b, cf) & m;
    if (op != ALU_CMP)
        reg_wr(c, n, size, r);
    alu_flags(c, op, size, a, b, r, cf);
}

/* ---- the forms ---- */
static inline void alu_E_G(struct cpu *c, const struct insn *i, enum alu_op op, unsigned size)
{
    alu_E(c, i, op, size, reg_rd(c, i->reg, size));
}

static inline void alu_G_E(struct cpu *c, const struct insn *i, enum alu_op op, unsigned size)
{
    uint32_t b = E_rd(c, i, size);
    alu_R(c, i->reg, op, size, b);
}

static inline void alu_A_I(struct cpu *c, const struct insn *i, enum alu_op op, unsigned size)
{
    alu_R(c, R_EAX, op, size, i->imm);
}

static inline void alu_E_I(struct cpu *c, const struct insn *i, enum alu_op op, unsigned size)
{
    alu_E(c, i, op, size, i->imm);
}

/* ---- 00-05 ADD ---- */
void add_Eb_Gb(struct cpu *c, const struct insn *i) { alu_E_G(c, i, ALU_ADD, 8); }
void add_Ev_Gv(struct cpu *c, const struct insn *i) { alu_E_G(c, i, ALU_ADD, opsize(i)); }
void add_Gb_Eb(struct cpu *c, const struct insn *i) { alu_G_E(c, i, ALU_ADD, 8); }
void add_Gv_Ev(struct cpu *c, const struct insn *i) { alu_G_E(c, i, ALU_ADD, opsize(i)); }
void add_AL_Ib(struct cpu *c, const struct insn *i) { alu_A_I(c, i, ALU_ADD, 8); }
void add_eAX_Iz(struct cpu *c, const struct insn *i) { alu_A_I(c, i, ALU_ADD, opsize(i)); }
void add_Eb_Ib(struct cpu *c, const struct insn *i) { alu_E_I(c, i, ALU_ADD, 8); }
void add_Ev_Iz(struct cpu *c, const struct insn *i) { alu_E_I(c, i, ALU_ADD, opsize(i)); }

/* ---- 08-0D OR ---- */
void or_Eb_Gb(struct cpu *c, const struct insn *i) { alu_E_G(c, i, ALU_OR, 8); }
void or_Ev_Gv(struct cpu *c, const struct insn *i) { alu_E_G(c, i, ALU_OR, opsize(i)); }
void or_Gb_Eb(struct cpu *c, const struct insn *i) { alu_G_E(c, i, ALU_OR, 8); }
void or_Gv_Ev(struct cpu *c, const struct insn *i) { alu_G_E(c, i, ALU_OR, opsize(i)); }
void or_AL_Ib(struct cpu *c, const struct insn *i) { alu_A_I(c, i, ALU_OR, 8); }
void or_eAX_Iz(struct cpu *c, const struct insn *i) { alu_A_I(c, i, ALU_OR, opsize(i)); }
void or_Eb_Ib(struct cpu *c, const struct insn *i) { alu_E_I(c, i, ALU_OR, 8); }
void or_Ev_Iz(struct cpu *c, const struct insn *i) { alu_E_I(c, i, ALU_OR, opsize(i)); }

/* ---- 10-15 ADC ---- */
void adc_Eb_Gb(struct cpu *c, const struct insn *i) { alu_E_G(c, i, ALU_ADC, 8); }
void adc_Ev_Gv(struct cpu *c, const struct insn *i) { alu_E_G(c, i, ALU_ADC, opsize(i)); }
void adc_Gb_Eb(struct cpu *c, const struct insn *i) { alu_G_E(c, i, ALU_ADC, 8); }
void adc_Gv_Ev(struct cpu *c, const struct insn *i) { alu_G_E(c, i, ALU_ADC, opsize(i)); }
void adc_AL_Ib(struct cpu *c, const struct insn *i) { alu_A_I(c, i, ALU_ADC, 8); }
void adc_eAX_Iz(struct cpu *c, const struct insn *i) { alu_A_I(c, i, ALU_ADC, opsize(i)); }
void adc_Eb_Ib(struct cpu *c, const struct insn *i) { alu_E_I(c, i, ALU_ADC, 8); }
void adc_Ev_Iz(struct cpu *c, const struct insn *i) { alu_E_I(c, i, ALU_ADC, opsize(i)); }

/* ---- 18-1D SBB ---- */
void sbb_Eb_Gb(struct cpu *c, const struct insn *i) { alu_E_G(c, i, ALU_SBB, 8); }
void sbb_Ev_Gv(struct cpu *c, const struct insn *i) { alu_E_G(c, i, ALU_SBB, opsize(i)); }
void sbb_Gb_Eb(struct cpu *c, const struct insn *i) { alu_G_E(c, i, ALU_SBB, 8); }
void sbb_Gv_Ev(struct cpu *c, const struct insn *i) { alu_G_E(c, i, ALU_SBB, opsize(i)); }
void sbb_AL_Ib(struct cpu *c, const struct insn *i) { alu_A_I(c, i, ALU_SBB, 8); }
void sbb_eAX_Iz(struct cpu *c, const struct insn *i) { alu_A_I(c, i, ALU_SBB, opsize(i)); }
void sbb_Eb_Ib(struct cpu *c, const struct insn *i) { alu_E_I(c, i, ALU_SBB, 8); }
void sbb_Ev_Iz(struct cpu *c, const struct insn *i) { alu_E_I(c, i, ALU_SBB, opsize(i)); }

/* ---- 20-25 AND ---- */
void and_Eb_Gb(struct cpu *c, const struct insn *i) { alu_E_G(c, i, ALU_AND, 8); }
void and_Ev_Gv(struct cpu *c, const struct insn *i) { alu_E_G(c, i, ALU_AND, opsize(i)); }
void and_Gb_Eb(struct cpu *c, const struct insn *i) { alu_G_E(c, i, ALU_AND, 8); }
void and_Gv_Ev(struct cpu *c, const struct insn *i) { alu_G_E(c, i, ALU_AND, opsize(i)); }
void and_AL_Ib(struct cpu *c, const struct insn *i) { alu_A_I(c, i, ALU_AND, 8); }
void and_eAX_Iz(struct cpu *c, const struct insn *i) { alu_A_I(c, i, ALU_AND, opsize(i)); }
void and_Eb_Ib(struct cpu *c, const struct insn *i) { alu_E_I(c, i, ALU_AND, 8); }
void and_Ev_Iz(struct cpu *c, const struct insn *i) { alu_E_I(c, i, ALU_AND, opsize(i)); }

/* ---- 28-2D SUB ---- */
void sub_Eb_Gb(struct cpu *c, const struct insn *i) { alu_E_G(c, i, ALU_SUB, 8); }
void sub_Ev_Gv(struct cpu *c, const struct insn *i) { alu_E_G(c, i, ALU_SUB, opsize(i)); }
void sub_Gb_Eb(struct cpu *c, const struct insn *i) { alu_G_E(c, i, ALU_SUB, 8); }
void sub_Gv_Ev(struct cpu *c, const struct insn *i) { alu_G_E(c, i, ALU_SUB, opsize(i)); }
void sub_AL_Ib(struct cpu *c, const struct insn *i) { alu_A_I(c, i, ALU_SUB, 8); }
void sub_eAX_Iz(struct cpu *c, const struct insn *i) { alu_A_I(c, i, ALU_SUB, opsize(i)); }
void sub_Eb_Ib(struct cpu *c, const struct insn *i) { alu_E_I(c, i, ALU_SUB, 8); }
void sub_Ev_Iz(struct cpu *c, const struct insn *i) { alu_E_I(c, i, ALU_SUB, opsize(i)); }

/* ---- 30-35 XOR ---- */
void xor_Eb_Gb(struct cpu *c, const struct insn *i) { alu_E_G(c, i, ALU_XOR, 8); }
void xor_Ev_Gv(struct cpu *c, const struct insn *i) { alu_E_G(c, i, ALU_XOR, opsize(i)); }
void xor_Gb_Eb(struct cpu *c, const struct insn *i) { alu_G_E(c, i, ALU_XOR, 8); }
void xor_Gv_Ev(struct cpu *c, const struct insn *i) { alu_G_E(c, i, ALU_XOR, opsize(i)); }
void xor_AL_Ib(struct cpu *c, const struct insn *i) { alu_A_I(c, i, ALU_XOR, 8); }
void xor_eAX_Iz(struct cpu *c, const struct insn *i) { alu_A_I(c, i, ALU_XOR, opsize(i)); }
void xor_Eb_Ib(struct cpu *c, const struct insn *i) { alu_E_I(c, i, ALU_XOR, 8); }
void xor_Ev_Iz(struct cpu *c, const struct insn *i) { alu_E_I(c, i, ALU_XOR, opsize(i)); }

/* ---- 38-3D CMP: SUB without the write ---- */
void cmp_Eb_Gb(struct cpu *c, const struct insn *i) { alu_E_G(c, i, ALU_CMP, 8); }
void cmp_Ev_Gv(struct cpu *c, const struct insn *i) { alu_E_G(c, i, ALU_CMP, opsize(i)); }
void cmp_Gb_Eb(struct cpu *c, const struct insn *i) { alu_G_E(c, i, ALU_CMP, 8); }
void cmp_Gv_Ev(struct cpu *c, const struct insn *i) { alu_G_E(c, i, ALU_CMP, opsize(i)); }
void cmp_AL_Ib(struct cpu *c, const struct insn *i) { alu_A_I(c, i, ALU_CMP, 8); }
void cmp_eAX_Iz(struct cpu *c, const struct insn *i) { alu_A_I(c, i, ALU_CMP, opsize(i)); }
void cmp_Eb_Ib(struct cpu *c, const struct insn *i) { alu_E_I(c, i, ALU_CMP, 8); }
void cmp_Ev_Iz(struct cpu *c, const struct insn *i) { alu_E_I(c, i, ALU_CMP, opsize(i)); }

/* ---- INC / DEC: like ADD/SUB 1 but CF is kept ---- */
static inline void incdec_R(struct cpu *c, int n, unsigned size, enum lf_op op)
{
    uint32_t a = reg_rd(c, n, size);
    uint32_t r = (op == LF_INC ? a + 1 : a - 1) & lf_mask(size);
    reg_wr(c, n, size, r);
    flags_set_incdec(c, op, size, a, r);
}

static inline void incdec_E(struct cpu *c, const struct insn *i, unsigned size, enum lf_op op)
{
    uint32_t lin = 0;
    uint32_t a = E_rd_rmw(c, i, size, &lin);
    uint32_t r = (op == LF_INC ? a + 1 : a - 1) & lf_mask(size);
    E_wr_lin(c, i, size, lin, r);
    flags_set_incdec(c, op, size, a, r);
}

void inc_Zv(struct cpu *c, const struct insn *i) { incdec_R(c, i->opcode & 7, opsize(i), LF_INC); }
void dec_Zv(struct cpu *c, const struct insn *i) { incdec_R(c, i->opcode & 7, opsize(i), LF_DEC); }
void inc_Eb(struct cpu *c, const struct insn *i) { incdec_E(c, i, 8, LF_INC); }
void dec_Eb(struct cpu *c, const struct insn *i) { incdec_E(c, i, 8, LF_DEC); }
void inc_Ev(struct cpu *c, const struct insn *i) { incdec_E(c, i, opsize(i), LF_INC); }
void dec_Ev(struct cpu *c, const struct insn *i) { incdec_E(c, i, opsize(i), LF_DEC); }

/* ---- NOT (no flags) and NEG (flags of 0 - x) ---- */
static inline void not_E(struct cpu *c, const struct insn *i, unsigned size)
{
    uint32_t lin = 0;
    uint32_t a = E_rd_rmw(c, i, size, &lin);
    E_wr_lin(c, i, size, lin, ~a & lf_mask(size));
}

static inline void neg_E(struct cpu *c, const struct insn *i, unsigned size)
{
    uint32_t lin = 0;
    uint32_t a = E_rd_rmw(c, i, size, &lin);
    uint32_t r = (0u - a) & lf_mask(size);
    E_wr_lin(c, i, size, lin, r);
    flags_set(c, LF_SUB, size, 0, a, r);
}

void not_Eb(struct cpu *c, const struct insn *i) { not_E(c, i, 8); }
void not_Ev(struct cpu *c, const struct insn *i) { not_E(c, i, opsize(i)); }
void neg_Eb(struct cpu *c, const struct insn *i) { neg_E(c, i, 8); }
void neg_Ev(struct cpu *c, const struct insn *i) { neg_E(c, i, opsize(i)); }

/* ---- TEST: AND without the write ---- */
static inline void test_flags(struct cpu *c, unsigned size, uint32_t a, uint32_t b)
{
    flags_set(c, LF_LOGIC, size, a, b, a & b);
}

void test_Eb_Gb(struct cpu *c, const struct insn *i) { test_flags(c, 8, E_rd(c, i, 8), reg_rd(c, i->reg, 8)); }
void test_Ev_Gv(struct cpu *c, const struct insn *i) { test_flags(c, opsize(i), E_rd(c, i, opsize(i)), reg_rd(c, i->reg, opsize(i))); }
void test_AL_Ib(struct cpu *c, const struct insn *i) { test_flags(c, 8, reg_rd(c, R_EAX, 8), i->imm); }
void test_eAX_Iz(struct cpu *c, const struct insn *i) { test_flags(c, opsize(i), reg_rd(c, R_EAX, opsize(i)), i->imm); }
void test_Eb_Ib(struct cpu *c, const struct insn *i) { test_flags(c, 8, E_rd(c, i, 8), i->imm); }
void test_Ev_Iz(struct cpu *c, const struct insn *i) { test_flags(c, opsize(i), E_rd(c, i, opsize(i)), i->imm); }
