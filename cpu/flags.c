/* flags.c -- the slow half of lazy flags: OF, PF, AF, the whole arithmetic
 * set and condition codes, computed from the last recorded operation. */
#include "flags.h"

bool flag_cf_slow(const struct cpu *c)
{
    return flag_cf(c);
}

bool flag_of(const struct cpu *c)
{
    if (c->lf.op == LF_NONE)
        return (c->eflags & F_OF) != 0;
    uint32_t a = c->lf.a, b = c->lf.b, r = c->lf.res, s = lf_sign(c->lf.size);
    switch (c->lf.op) {
    case LF_ADD:
    case LF_ADC:
        return ((a ^ r) & (b ^ r) & s) != 0;
    case LF_SUB:
    case LF_SBB:
        return ((a ^ b) & (a ^ r) & s) != 0;
    case LF_LOGIC:
        return false;
    case LF_INC:
        return r == s;                      /* 0x7F.. + 1 */
    case LF_DEC:
        return r == s - 1;                  /* 0x80.. - 1 */
    default:
        return (c->eflags & F_OF) != 0;
    }
}

bool flag_pf(const struct cpu *c)
{
    if (c->lf.op == LF_NONE)
        return (c->eflags & F_PF) != 0;
    return !__builtin_parity(c->lf.res & 0xFF);
}

bool flag_af(const struct cpu *c)
{
    switch (c->lf.op) {
    case LF_NONE:
        return (c->eflags & F_AF) != 0;
    case LF_LOGIC:
        return false;
    default:
        /* Carry out of bit 3: the same formula for add and subtract. */
        return ((c->lf.a ^ c->lf.b ^ c->lf.res) & 0x10) != 0;
    }
}

uint32_t flags_arith(const struct cpu *c)
{
    if (c->lf.op == LF_NONE)
        return c->eflags & F_ARITH;
    return (flag_cf(c) ? F_CF : 0) | (flag_pf(c) ? F_PF : 0) |
           (flag_af(c) ? F_AF : 0) | (flag_zf(c) ? F_ZF : 0) |
           (flag_sf(c) ? F_SF : 0) | (flag_of(c) ? F_OF : 0);
}

bool cond_true(const struct cpu *c, unsigned cc)
{
    bool r;
    switch (cc >> 1) {
    case 0: r = flag_of(c); break;
    case 1: r = flag_cf(c); break;
    case 2: r = flag_zf(c); break;
    case 3: r = flag_cf(c) || flag_zf(c); break;
    case 4: r = flag_sf(c); break;
    case 5: r = flag_pf(c); break;
    case 6: r = flag_sf(c) != flag_of(c); break;
    default: r = flag_zf(c) || (flag_sf(c) != flag_of(c)); break;
    }
    return r ^ (cc & 1);
}
