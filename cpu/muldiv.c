/* muldiv.c -- MUL, IMUL (one, two and three operands), DIV and IDIV for
 * 8/16/32-bit operands, with #DE for a zero divisor or a quotient that
 * does not fit. */

/* CF and OF tell whether the product needed its upper half; SF, ZF, AF
 * and PF are undefined after a multiply and are computed as current Intel
 * CPUs do (checked on the host): SF from the top bit of the low half, PF
 * from its low byte, ZF = AF = 0.  All six are undefined after a divide;
 * like Intel CPUs we leave them unchanged. */
#include "cpu.h"
#include "flags.h"
#include "insn.h"
#include "mem.h"
#include "ops.h"

static inline int32_t sext(uint32_t v, unsigned size)
{
    return (int32_t)(v << (32 - size)) >> (32 - size);
}

/* lo is the low half of the product (the destination for IMUL r, r/m). */
static void mul_flags(struct cpu *c, uint32_t lo, unsigned size, bool wide)
{
    uint32_t f = (wide ? F_CF | F_OF : 0) |
                 (((lo >> (size - 1)) & 1) ? F_SF : 0) |
                 (__builtin_parity(lo & 0xFF) ? 0 : F_PF);
    flags_set_eager(c, f);
}

/* The accumulator halves by size: AL:AH, AX:DX, EAX:EDX. */
static uint32_t acc_lo(struct cpu *c, unsigned size)
{
    return reg_rd(c, R_EAX, size);
}

static uint32_t acc_hi(struct cpu *c, unsigned size)
{
    return size == 8 ? reg_rd(c, 4, 8) : reg_rd(c, R_EDX, size);   /* AH or eDX */
}

static void acc_write(struct cpu *c, unsigned size, uint32_t lo, uint32_t hi)
{
    reg_wr(c, R_EAX, size, lo);
    if (size == 8)
        reg_wr(c, 4, 8, hi);            /* AH */
    else
        reg_wr(c, R_EDX, size, hi);
}

static inline void mul_E(struct cpu *c, const struct insn *i, unsigned size)
{
    uint64_t p = (uint64_t)acc_lo(c, size) * E_rd(c, i, size);
    uint32_t lo = (uint32_t)p & lf_mask(size), hi = (uint32_t)(p >> size) & lf_mask(size);
    acc_write(c, size, lo, hi);
    mul_flags(c, lo, size, hi != 0);
}

static inline void imul_E(struct cpu *c, const struct insn *i, unsigned size)
{
    int64_t p = (int64_t)sext(acc_lo(c, size), size) * sext(E_rd(c, i, size), size);
    uint32_t lo = (uint32_t)p & lf_mask(size), hi = (uint32_t)((uint64_t)p >> size) & lf_mask(size);
    acc_write(c, size, lo, hi);
    mul_flags(c, lo, size, p != sext(lo, size));
}

/* The dividend is hi:lo of twice the size; the quotient must fit in size. */
static inline void div_E(struct cpu *c, const struct insn *i, unsigned size)
{
    uint32_t d = E_rd(c, i, size);
    uint64_t n = ((uint64_t)acc_hi(c, size) << size) | acc_lo(c, size);
    if (d == 0)
        cpu_fault(c, EXC_DE, 0);
    uint64_t q = n / d;
    if (q > lf_mask(size))
        cpu_fault(c, EXC_DE, 0);
    acc_write(c, size, (uint32_t)q, (uint32_t)(n % d));
}

static inline void idiv_E(struct cpu *c, const struct insn *i, unsigned size)
{
    int64_t d = sext(E_rd(c, i, size), size);
    uint64_t raw = ((uint64_t)acc_hi(c, size) << size) | acc_lo(c, size);
    /* Sign-extend the 2*size-bit dividend. */
    int64_t n = (int64_t)(raw << (64 - 2 * size)) >> (64 - 2 * size);
    if (d == 0 || (d == -1 && n == INT64_MIN))
        cpu_fault(c, EXC_DE, 0);
    int64_t q = n / d, r = n % d;
    int64_t lim = (int64_t)1 << (size - 1);
    if (q < -lim || q >= lim)
        cpu_fault(c, EXC_DE, 0);
    acc_write(c, size, (uint32_t)q & lf_mask(size), (uint32_t)r & lf_mask(size));
}

void mul_Eb(struct cpu *c, const struct insn *i) { mul_E(c, i, 8); }
void mul_Ev(struct cpu *c, const struct insn *i) { mul_E(c, i, opsize(i)); }
void imul_Eb(struct cpu *c, const struct insn *i) { imul_E(c, i, 8); }
void imul_Ev(struct cpu *c, const struct insn *i) { imul_E(c, i, opsize(i)); }
void div_Eb(struct cpu *c, const struct insn *i) { div_E(c, i, 8); }
void div_Ev(struct cpu *c, const struct insn *i) { div_E(c, i, opsize(i)); }
void idiv_Eb(struct cpu *c, const struct insn *i) { idiv_E(c, i, 8); }
void idiv_Ev(struct cpu *c, const struct insn *i) { idiv_E(c, i, opsize(i)); }

/* IMUL Gv, Ev, imm (69 and 6B) and IMUL Gv, Ev (0F AF): the product is
 * truncated to the operand size; CF = OF = it did not fit. */
static inline void imul_G(struct cpu *c, const struct insn *i, uint32_t a, uint32_t b)
{
    unsigned size = opsize(i);
    int64_t p = (int64_t)sext(a, size) * sext(b, size);
    uint32_t lo = (uint32_t)p & lf_mask(size);
    reg_wr(c, i->reg, size, lo);
    mul_flags(c, lo, size, p != sext(lo, size));
}

void imul_Gv_Ev(struct cpu *c, const struct insn *i)
{
    uint32_t b = E_rd(c, i, opsize(i));
    imul_G(c, i, reg_rd(c, i->reg, opsize(i)), b);
}

/* The 16-bit Iz immediate arrives zero-extended, Ibs sign-extended:
 * imul_G sign-extends both from the operand size. */
void imul_Gv_Ev_Iz(struct cpu *c, const struct insn *i)
{
    imul_G(c, i, E_rd(c, i, opsize(i)), i->imm);
}
