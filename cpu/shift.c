/* shift.c -- group 2 rotates and shifts (ROL ROR RCL RCR SHL SHR SAL SAR by
 * 1, CL or an immediate) and the double shifts SHLD/SHRD; their flags
 * depend on the count, so they are computed eagerly (flags_set_eager). */

/* Counts are masked to 5 bits (286 and later); a masked count of 0 changes
 * nothing, not even the flags, but a memory operand is still read (and
 * checked for writing), so it can fault.  For counts above 1, where the
 * SDM calls OF undefined, OF follows the last one-bit step: that is what
 * the 80286 captures show for every rotate and shift (current Intel CPUs
 * compute something else there).  AF, undefined for every shift, is 0 as
 * on current Intel CPUs (the 286 sets it after SHR/SAR). */
#include "cpu.h"
#include "flags.h"
#include "insn.h"
#include "mem.h"
#include "ops.h"

/* i->row->arg of the group 2 rows (ModR/M.reg). */
enum { SH_ROL, SH_ROR, SH_RCL, SH_RCR, SH_SHL, SH_SHR, SH_SAL, SH_SAR };

static inline uint32_t bit_of(uint32_t v, unsigned n)
{
    return (v >> n) & 1;
}

/* SF, ZF and PF of a result. */
static inline uint32_t szp(uint32_t r, unsigned size)
{
    return (bit_of(r, size - 1) ? F_SF : 0) | (r == 0 ? F_ZF : 0) |
           (__builtin_parity(r & 0xFF) ? 0 : F_PF);
}

/* Rotates change only CF and OF: old holds the current arithmetic flags
 * (made concrete only for rotates, which keep the other four). */
static inline uint32_t rot_flags(uint32_t old, uint32_t cf, uint32_t of)
{
    return (old & ~(F_CF | F_OF)) | (cf ? F_CF : 0) | (of ? F_OF : 0);
}

static uint32_t rol(const struct cpu *c, uint32_t v, unsigned size, unsigned count, uint32_t *f)
{
    uint32_t old = flags_arith(c);
    unsigned n = count % size;
    uint32_t r = n ? ((v << n) | (v >> (size - n))) & lf_mask(size) : v;
    uint32_t cf = r & 1;
    *f = rot_flags(old, cf, bit_of(r, size - 1) ^ cf);
    return r;
}

static uint32_t ror(const struct cpu *c, uint32_t v, unsigned size, unsigned count, uint32_t *f)
{
    uint32_t old = flags_arith(c);
    unsigned n = count % size;
    uint32_t r = n ? ((v >> n) | (v << (size - n))) & lf_mask(size) : v;
    *f = rot_flags(old, bit_of(r, size - 1),
                   bit_of(r, size - 1) ^ bit_of(r, size - 2));
    return r;
}

/* RCL/RCR rotate the size+1 bit value CF:v, so 8- and 16-bit operands
 * rotate modulo 9 and 17 (a count that is a multiple keeps CF and v). */
static uint32_t rcl(const struct cpu *c, uint32_t v, unsigned size, unsigned count, uint32_t *f)
{
    uint32_t old = flags_arith(c);
    unsigned w = size + 1, n = count % w;
    uint64_t x = ((uint64_t)((old & F_CF) != 0) << size) | v;
    uint64_t wm = (1ull << w) - 1;
    if (n)
        x = ((x << n) | (x >> (w - n))) & wm;
    uint32_t r = (uint32_t)x & lf_mask(size);
    uint32_t cf = (uint32_t)(x >> size) & 1;
    *f = rot_flags(old, cf, bit_of(r, size - 1) ^ cf);
    return r;
}

static uint32_t rcr(const struct cpu *c, uint32_t v, unsigned size, unsigned count, uint32_t *f)
{
    uint32_t old = flags_arith(c);
    unsigned w = size + 1, n = count % w;
    uint64_t x = ((uint64_t)((old & F_CF) != 0) << size) | v;
    uint64_t wm = (1ull << w) - 1;
    if (n)
        x = ((x >> n) | (x << (w - n))) & wm;
    uint32_t r = (uint32_t)x & lf_mask(size);
    uint32_t cf = (uint32_t)(x >> size) & 1;
    *f = rot_flags(old, cf, bit_of(r, size - 1) ^ bit_of(r, size - 2));
    return r;
}

/* Shifts: the last bit shifted out goes to CF; counts at or above the
 * width shift everything out (CF then comes from beyond the operand: 0
 * for SHL/SHR, the sign for SAR). */
static uint32_t shl(uint32_t v, unsigned size, unsigned count, uint32_t *f)
{
    uint64_t x = (uint64_t)v << count;
    uint32_t r = (uint32_t)x & lf_mask(size);
    uint32_t cf = (uint32_t)(x >> size) & 1;
    *f = szp(r, size) | (cf ? F_CF : 0) | ((bit_of(r, size - 1) ^ cf) ? F_OF : 0);
    return r;
}

static uint32_t shr(uint32_t v, unsigned size, unsigned count, uint32_t *f)
{
    uint32_t r = v >> count;
    uint32_t cf = bit_of(v, count - 1);
    /* OF is the sign before the last one-bit step. */
    uint32_t of = bit_of(v >> (count - 1), size - 1);
    *f = szp(r, size) | (cf ? F_CF : 0) | (of ? F_OF : 0);
    return r;
}

static uint32_t sar(uint32_t v, unsigned size, unsigned count, uint32_t *f)
{
    int32_t sv = (int32_t)(v << (32 - size)) >> (32 - size);
    uint32_t r = (uint32_t)(sv >> count) & lf_mask(size);
    uint32_t cf = (uint32_t)(sv >> (count - 1)) & 1;
    *f = szp(r, size) | (cf ? F_CF : 0);
    return r;
}

/* One rotate or shift by a non-zero masked count; *f gets the new
 * arithmetic flags. */
static uint32_t shift_calc(struct cpu *c, unsigned op, unsigned size,
                           uint32_t v, unsigned count, uint32_t *f)
{
    switch (op) {
    case SH_ROL: return rol(c, v, size, count, f);
    case SH_ROR: return ror(c, v, size, count, f);
    case SH_RCL: return rcl(c, v, size, count, f);
    case SH_RCR: return rcr(c, v, size, count, f);
    case SH_SHR: return shr(v, size, count, f);
    case SH_SAR: return sar(v, size, count, f);
    default:     return shl(v, size, count, f);   /* SHL and its alias /6 */
    }
}

/* The count is read before the operand (SHL CL,CL shifts by the old CL). */
static inline void shift_E(struct cpu *c, const struct insn *i, unsigned size,
                           unsigned count)
{
    uint32_t lin = 0, f = 0;
    uint32_t v = E_rd_rmw(c, i, size, &lin);
    count &= 31;
    if (count == 0)
        return;
    uint32_t r = shift_calc(c, i->row->arg, size, v, count, &f);
    E_wr_lin(c, i, size, lin, r);
    flags_set_eager(c, f);
}

void shift_Eb_Ib(struct cpu *c, const struct insn *i) { shift_E(c, i, 8, i->imm); }
void shift_Ev_Ib(struct cpu *c, const struct insn *i) { shift_E(c, i, opsize(i), i->imm); }
void shift_Eb_1(struct cpu *c, const struct insn *i) { shift_E(c, i, 8, 1); }
void shift_Ev_1(struct cpu *c, const struct insn *i) { shift_E(c, i, opsize(i), 1); }
void shift_Eb_CL(struct cpu *c, const struct insn *i) { shift_E(c, i, 8, c->r[R_ECX] & 0xFF); }
void shift_Ev_CL(struct cpu *c, const struct insn *i) { shift_E(c, i, opsize(i), c->r[R_ECX] & 0xFF); }

/* ---- SHLD / SHRD ----
 * The destination is shifted and the vacated bits are filled from the
 * source.  Both are computed on the 48-bit (16-bit operands) or 64-bit
 * value dest:src:dest (32-bit: src:dest / dest:src), which is also what
 * Intel P6 and later CPUs do for 16-bit operands with a count of 17-31
 * (undefined in the SDM; checked against the host CPU in
 * tests/unit/test_alu_host.c): the bits that enter after the source are
 * the destination's own.  CF is the last bit shifted out, OF (defined for
 * a count of 1) tells whether the sign changed, AF is 0. */
static uint32_t dshift(bool left, unsigned size, uint32_t dst, uint32_t src,
                       unsigned n, uint32_t *f)
{
    uint32_t r, cf;
    if (size == 16) {
        uint64_t x = ((uint64_t)dst << 32) | ((uint64_t)src << 16) | dst;
        r = (uint32_t)(left ? x >> (32 - n) : x >> n) & 0xFFFF;
        cf = (uint32_t)(left ? x >> (48 - n) : x >> (n - 1)) & 1;
    } else if (left) {
        uint64_t x = ((uint64_t)dst << 32) | src;
        r = (uint32_t)(x >> (32 - n));
        cf = (uint32_t)(x >> (64 - n)) & 1;
    } else {
        uint64_t x = ((uint64_t)src << 32) | dst;
        r = (uint32_t)(x >> n);
        cf = (uint32_t)(x >> (n - 1)) & 1;
    }
    uint32_t of = bit_of(r ^ dst, size - 1);
    *f = szp(r, size) | (cf ? F_CF : 0) | (of ? F_OF : 0);
    return r;
}

static inline void dshift_E(struct cpu *c, const struct insn *i, bool left,
                            unsigned count)
{
    unsigned size = opsize(i);
    uint32_t lin = 0, f = 0;
    uint32_t src = reg_rd(c, i->reg, size);
    uint32_t dst = E_rd_rmw(c, i, size, &lin);
    count &= 31;
    if (count == 0)
        return;
    uint32_t r = dshift(left, size, dst, src, count, &f);
    E_wr_lin(c, i, size, lin, r);
    flags_set_eager(c, f);
}

void shld_Ev_Gv_Ib(struct cpu *c, const struct insn *i) { dshift_E(c, i, true, i->imm); }
void shld_Ev_Gv_CL(struct cpu *c, const struct insn *i) { dshift_E(c, i, true, c->r[R_ECX] & 0xFF); }
void shrd_Ev_Gv_Ib(struct cpu *c, const struct insn *i) { dshift_E(c, i, false, i->imm); }
void shrd_Ev_Gv_CL(struct cpu *c, const struct insn *i) { dshift_E(c, i, false, c->r[R_ECX] & 0xFF); }
