/* flags.h -- lazy arithmetic flags.  An instruction that sets flags records
 * its operands and result (flags_set_*); readers compute only the flag
 * they need (flag_cf, cond_true).  Shifts, multiplies and BCD compute their
 * flags eagerly with flags_set_eager. */
#ifndef X86LAB_FLAGS_H
#define X86LAB_FLAGS_H

#include <stdbool.h>
#include <stdint.h>

#include "cpu.h"

enum lf_op {
    LF_NONE,      /* eflags holds the arithmetic flags */
    LF_ADD,       /* res = a + b */
    LF_ADC,       /* res = a + b + 1 (ADC with carry in; ADC without is ADD) */
    LF_SUB,       /* res = a - b (also CMP, NEG with a = 0) */
    LF_SBB,       /* res = a - b - 1 */
    LF_LOGIC,     /* AND/OR/XOR/TEST: CF = OF = 0, AF = 0 */
    LF_INC,       /* res = a + 1, CF kept in eflags */
    LF_DEC,       /* res = a - 1, CF kept in eflags */
};

static inline uint32_t lf_mask(unsigned size)
{
    return size == 32 ? 0xFFFFFFFFu : (1u << size) - 1;
}

static inline uint32_t lf_sign(unsigned size)
{
    return 1u << (size - 1);
}

static inline void flags_set(struct cpu *c, enum lf_op op, unsigned size,
                             uint32_t a, uint32_t b, uint32_t res)
{
    c->lf.op = (uint8_t)op;
    c->lf.size = (uint8_t)size;
    c->lf.a = a;
    c->lf.b = b;
    c->lf.res = res & lf_mask(size);
}

/* INC and DEC keep CF: make it concrete in eflags before going lazy. */
bool flag_cf_slow(const struct cpu *c);
static inline void flags_set_incdec(struct cpu *c, enum lf_op op,
                                    unsigned size, uint32_t a, uint32_t res)
{
    if (c->lf.op != LF_INC && c->lf.op != LF_DEC) {
        bool cf = flag_cf_slow(c);
        c->eflags = (c->eflags & ~F_CF) | (cf ? F_CF : 0);
    }
    flags_set(c, op, size, a, 1, res);
}

/* Eager: all six arithmetic flags given at once. */
static inline void flags_set_eager(struct cpu *c, uint32_t arith)
{
    c->eflags = (c->eflags & ~F_ARITH) | (arith & F_ARITH);
    c->lf.op = LF_NONE;
}

static inline bool flag_zf(const struct cpu *c)
{
    return c->lf.op == LF_NONE ? (c->eflags & F_ZF) != 0 : c->lf.res == 0;
}

static inline bool flag_sf(const struct cpu *c)
{
    return c->lf.op == LF_NONE ? (c->eflags & F_SF) != 0
                               : (c->lf.res & lf_sign(c->lf.size)) != 0;
}

static inline bool flag_cf(const struct cpu *c)
{
    uint32_t m = lf_mask(c->lf.size);
    switch (c->lf.op) {
    case LF_ADD: return c->lf.res < (c->lf.a & m);
    case LF_ADC: return c->lf.res <= (c->lf.a & m);
    case LF_SUB: return (c->lf.a & m) < (c->lf.b & m);
    case LF_SBB: return (c->lf.a & m) <= (c->lf.b & m);
    case LF_LOGIC: return false;
    default: return (c->eflags & F_CF) != 0;
    }
}

bool flag_of(const struct cpu *c);
bool flag_pf(const struct cpu *c);
bool flag_af(const struct cpu *c);

/* The six arithmetic flags as EFLAGS bits. */
uint32_t flags_arith(const struct cpu *c);

/* Condition codes 0-15 of Jcc/SETcc/CMOVcc. */
bool cond_true(const struct cpu *c, unsigned cc);

#endif
