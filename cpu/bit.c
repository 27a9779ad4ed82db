/* bit.c -- bit tests (BT BTS BTR BTC), bit scans (BSF BSR), SETcc and
 * CMOVcc, BSWAP, and the 486+ exchange family (XADD, CMPXCHG, CMPXCHG8B):
 * single bits and conditional or swapping moves. */
#include "cpu.h"
#include "flags.h"
#include "insn.h"
#include "mem.h"
#include "ops.h"

/* Changes only CF (BT*) or only ZF (CMPXCHG8B): the other arithmetic
 * flags are made concrete first. */
static inline void set_one_flag(struct cpu *c, uint32_t bit, bool on)
{
    uint32_t f = flags_arith(c);
    flags_set_eager(c, (f & ~bit) | (on ? bit : 0));
}

/* ---- BT / BTS / BTR / BTC ----
 * op is the ModR/M.reg value of group 8: 4 BT, 5 BTS, 6 BTR, 7 BTC. */
enum { BT_TEST = 4, BT_SET = 5, BT_RESET = 6, BT_COMPLEMENT = 7 };

static inline uint32_t bt_apply(unsigned op, uint32_t v, unsigned bit)
{
    switch (op) {
    case BT_SET:   return v | (1u << bit);
    case BT_RESET: return v & ~(1u << bit);
    default:       return v ^ (1u << bit);
    }
}

/* Tests (and changes) bit `bit` of the operand at offset off in segment
 * i->seg, or of register rm when i->mod == 3. */
static inline void bt_at(struct cpu *c, const struct insn *i, unsigned op,
                         unsigned size, uint32_t off, unsigned bit)
{
    uint32_t v, lin = 0;
    if (op == BT_TEST) {
        v = i->mod == 3 ? reg_rd(c, i->rm, size) : mem_rd(c, i->seg, off, size / 8);
        set_one_flag(c, F_CF, (v >> bit) & 1);
        return;
    }
    if (i->mod == 3) {
        v = reg_rd(c, i->rm, size);
        reg_wr(c, i->rm, size, bt_apply(op, v, bit));
    } else {
        v = mem_rd_rmw(c, i->seg, off, size / 8, &lin);
        lin_wr(c, lin, size / 8, bt_apply(op, v, bit));
    }
    set_one_flag(c, F_CF, (v >> bit) & 1);
}

/* Register bit offset: for a memory operand it is a signed bit index
 * relative to the effective address (the SDM's "bit base"), so the
 * operand read is the word/dword that holds that bit. */
static inline void bt_G(struct cpu *c, const struct insn *i, unsigned op)
{
    unsigned size = opsize(i);
    uint32_t g = reg_rd(c, i->reg, size), off = 0;
    if (i->mod != 3) {
        int32_t sbit = size == 16 ? (int16_t)g : (int32_t)g;
        int32_t units = size == 16 ? sbit >> 4 : sbit >> 5;   /* arithmetic */
        off = ea(c, i) + (uint32_t)units * (size / 8);
        if (!i->a32)
            off &= 0xFFFF;
    }
    bt_at(c, i, op, size, off, g & (size - 1));
}

void bt_Ev_Gv(struct cpu *c, const struct insn *i) { bt_G(c, i, BT_TEST); }
void bts_Ev_Gv(struct cpu *c, const struct insn *i) { bt_G(c, i, BT_SET); }
void btr_Ev_Gv(struct cpu *c, const struct insn *i) { bt_G(c, i, BT_RESET); }
void btc_Ev_Gv(struct cpu *c, const struct insn *i) { bt_G(c, i, BT_COMPLEMENT); }

/* Immediate bit offset: taken modulo the operand size, never leaves the
 * addressed operand. */
void bt_Ev_Ib(struct cpu *c, const struct insn *i)
{
    unsigned size = opsize(i);
    uint32_t off = i->mod == 3 ? 0 : ea(c, i);
    bt_at(c, i, i->row->arg, size, off, i->imm & (size - 1));
}

/* ---- BSF / BSR ----
 * A zero source sets ZF and leaves the destination unchanged.  The other
 * flags are undefined; as on current Intel CPUs, CF OF SF AF are cleared
 * and PF is the parity of the index found (of 0 for a zero source). */
static inline void bitscan(struct cpu *c, const struct insn *i, bool reverse)
{
    unsigned size = opsize(i);
    uint32_t src = E_rd(c, i, size), idx = 0;
    if (src != 0) {
        idx = reverse ? 31u - (uint32_t)__builtin_clz(src) : (uint32_t)__builtin_ctz(src);
        reg_wr(c, i->reg, size, idx);
    }
    flags_set_eager(c, (src == 0 ? F_ZF : 0) | (__builtin_parity(idx) ? 0 : F_PF));
}

void bsf_Gv_Ev(struct cpu *c, const struct insn *i) { bitscan(c, i, false); }
void bsr_Gv_Ev(struct cpu *c, const struct insn *i) { bitscan(c, i, true); }

/* ---- SETcc / CMOVcc (argument = condition code) ---- */
void setcc_Eb(struct cpu *c, const struct insn *i)
{
    E_wr(c, i, 8, cond_true(c, i->row->arg) ? 1 : 0);
}

/* The source is read (and can fault) whatever the condition.  In 32-bit
 * code a false condition leaves the destination untouched (only 64-bit
 * mode would zero-extend it). */
void cmovcc_Gv_Ev(struct cpu *c, const struct insn *i)
{
    unsigned size = opsize(i);
    uint32_t v = E_rd(c, i, size);
    if (cond_true(c, i->row->arg))
        reg_wr(c, i->reg, size, v);
}

/* ---- BSWAP ----
 * With a 16-bit operand the result is undefined; Intel CPUs clear the
 * low 16 bits (the upper half is not touched), and so do we. */
void bswap_Zd(struct cpu *c, const struct insn *i)
{
    int n = i->opcode & 7;
    if (i->o32)
        c->r[n] = __builtin_bswap32(c->r[n]);
    else
        *cpu_reg16(c, n) = 0;
}

/* ---- XADD: TEMP = SRC + DEST; SRC = DEST; DEST = TEMP ----
 * DEST is written last, so XADD with the same register twice leaves the
 * sum.  Memory is written before the register (it can no longer fault
 * after E_rd_rmw). */
static inline void xadd(struct cpu *c, const struct insn *i, unsigned size)
{
    uint32_t lin = 0;
    uint32_t src = reg_rd(c, i->reg, size);
    uint32_t dst = E_rd_rmw(c, i, size, &lin);
    uint32_t r = (src + dst) & lf_mask(size);
    if (i->mod == 3) {
        reg_wr(c, i->reg, size, dst);
        reg_wr(c, i->rm, size, r);
    } else {
        E_wr_lin(c, i, size, lin, r);
        reg_wr(c, i->reg, size, dst);
    }
    flags_set(c, LF_ADD, size, dst, src, r);
}

void xadd_Eb_Gb(struct cpu *c, const struct insn *i) { xadd(c, i, 8); }
void xadd_Ev_Gv(struct cpu *c, const struct insn *i) { xadd(c, i, opsize(i)); }

/* ---- CMPXCHG: compare the accumulator with DEST ----
 * Flags as CMP accumulator, DEST.  Equal: DEST = SRC.  Different: the
 * accumulator gets DEST.  DEST is written either way (a locked
 * read-modify-write on hardware writes the old value back). */
static inline void cmpxchg(struct cpu *c, const struct insn *i, unsigned size)
{
    uint32_t lin = 0;
    uint32_t src = reg_rd(c, i->reg, size);
    uint32_t acc = reg_rd(c, R_EAX, size);
    uint32_t dst = E_rd_rmw(c, i, size, &lin);
    if (acc == dst) {
        E_wr_lin(c, i, size, lin, src);
    } else {
        E_wr_lin(c, i, size, lin, dst);
        reg_wr(c, R_EAX, size, dst);
    }
    flags_set(c, LF_SUB, size, acc, dst, acc - dst);
}

void cmpxchg_Eb_Gb(struct cpu *c, const struct insn *i) { cmpxchg(c, i, 8); }
void cmpxchg_Ev_Gv(struct cpu *c, const struct insn *i) { cmpxchg(c, i, opsize(i)); }

/* ---- CMPXCHG8B m64: compare EDX:EAX with m64 ----
 * Equal: m64 = ECX:EBX, ZF = 1.  Different: EDX:EAX = m64, ZF = 0, and
 * m64 is written back unchanged.  Both dwords are checked for writing
 * before anything is written (an operand that crosses the segment limit
 * faults, even with 16-bit addressing); only ZF changes. */
void cmpxchg8b_Mq(struct cpu *c, const struct insn *i)
{
    uint32_t off = ea(c, i), lin_lo = 0, lin_hi = 0;
    uint32_t lo = mem_rd_rmw(c, i->seg, off, 4, &lin_lo);
    uint32_t hi = mem_rd_rmw(c, i->seg, off + 4, 4, &lin_hi);
    bool eq = lo == c->r[R_EAX] && hi == c->r[R_EDX];
    if (eq) {
        lin_wr(c, lin_lo, 4, c->r[R_EBX]);
        lin_wr(c, lin_hi, 4, c->r[R_ECX]);
    } else {
        lin_wr(c, lin_lo, 4, lo);
        lin_wr(c, lin_hi, 4, hi);
        c->r[R_EAX] = lo;
        c->r[R_EDX] = hi;
    }
    set_one_flag(c, F_ZF, eq);
}
