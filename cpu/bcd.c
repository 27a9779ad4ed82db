/* bcd.c -- decimal and ASCII adjust (DAA DAS AAA AAS AAM AAD) and the
 * undocumented SALC, after the SDM pseudo-code; flags the SDM leaves
 * undefined get the deterministic values noted at each instruction. */
#include "cpu.h"
#include "flags.h"
#include "insn.h"
#include "mem.h"
#include "ops.h"

static inline uint32_t szp8(uint32_t r)
{
    r &= 0xFF;
    return ((r & 0x80) ? F_SF : 0) | (r == 0 ? F_ZF : 0) |
           (__builtin_parity(r) ? 0 : F_PF);
}

static inline uint8_t get_al(struct cpu *c) { return *cpu_reg8(c, 0); }
static inline uint8_t get_ah(struct cpu *c) { return *cpu_reg8(c, 4); }
static inline void set_al(struct cpu *c, uint32_t v) { *cpu_reg8(c, 0) = (uint8_t)v; }
static inline void set_ah(struct cpu *c, uint32_t v) { *cpu_reg8(c, 4) = (uint8_t)v; }

/* DAA / DAS: correct AL after adding / subtracting two packed BCD bytes.
 * OF (undefined) is the signed overflow of the whole correction, AL plus
 * or minus 0x00/0x06/0x60/0x66. */
static void decimal_adjust(struct cpu *c, bool sub)
{
    uint32_t f = flags_arith(c);
    uint32_t old = get_al(c), al = old, corr = 0;
    bool cf = f & F_CF, af = f & F_AF;
    if ((old & 0x0F) > 9 || af) {
        corr |= 0x06;
        af = true;
    }
    if (old > 0x99 || cf) {
        corr |= 0x60;
        cf = true;
    }
    /* DAS: CF also takes the borrow of AL - 6 (SDM pseudo-code; AL=00
     * with AF gives FA and CF=1).  DAA's carry of AL + 6 needs AL > 0x99,
     * which sets CF above anyway. */
    if (sub && (corr & 0x06) && old < 6)
        cf = true;
    al = (sub ? old - corr : old + corr) & 0xFF;
    uint32_t of = sub ? (old ^ corr) & (old ^ al) & 0x80
                      : (old ^ al) & (corr ^ al) & 0x80;
    set_al(c, al);
    flags_set_eager(c, szp8(al) | (cf ? F_CF : 0) | (af ? F_AF : 0) |
                           (of ? F_OF : 0));
}

void daa(struct cpu *c, const struct insn *i) { (void)i; decimal_adjust(c, false); }
void das(struct cpu *c, const struct insn *i) { (void)i; decimal_adjust(c, true); }

/* AAA / AAS: unpacked BCD after an add / subtract.  The 386+ forms: AAA
 * adds 0x106 to AX; AAS subtracts 6 from AX and 1 from AH.  SF, ZF and
 * PF (undefined) follow the final AL, OF (undefined) is 0. */
static void ascii_adjust(struct cpu *c, bool sub)
{
    uint32_t f = flags_arith(c);
    uint32_t ax = c->r[R_EAX] & 0xFFFF;
    bool adj = (ax & 0x0F) > 9 || (f & F_AF);
    if (adj && !sub)
        ax += 0x106;
    else if (adj)
        ax = ax - 6 - 0x100;
    ax = (ax & 0xFF00) | (ax & 0x0F);
    *cpu_reg16(c, R_EAX) = (uint16_t)ax;
    flags_set_eager(c, szp8(ax) | (adj ? F_AF | F_CF : 0));
}

void aaa(struct cpu *c, const struct insn *i) { (void)i; ascii_adjust(c, false); }
void aas(struct cpu *c, const struct insn *i) { (void)i; ascii_adjust(c, true); }

/* AAM: AH = AL / imm, AL = AL % imm; #DE when imm is 0.  SF/ZF/PF from
 * AL; OF, AF and CF (undefined) are 0, as after a logical operation. */
void aam_Ib(struct cpu *c, const struct insn *i)
{
    uint32_t base = i->imm & 0xFF, al = get_al(c);
    if (base == 0)
        cpu_fault(c, EXC_DE, 0);
    set_ah(c, al / base);
    set_al(c, al % base);
    flags_set(c, LF_LOGIC, 8, al % base, 0, al % base);
}

/* AAD: AL = AL + AH * imm, AH = 0.  The flags are those of that 8-bit
 * addition (OF, AF and CF are undefined in the SDM, and this is what the
 * hardware's adder leaves). */
void aad_Ib(struct cpu *c, const struct insn *i)
{
    uint32_t al = get_al(c), prod = (get_ah(c) * (i->imm & 0xFF)) & 0xFF;
    uint32_t r = (al + prod) & 0xFF;
    *cpu_reg16(c, R_EAX) = (uint16_t)r;
    flags_set(c, LF_ADD, 8, al, prod, r);
}

/* SALC (D6, undocumented): AL = CF ? 0xFF : 0, flags unchanged. */
void salc(struct cpu *c, const struct insn *i)
{
    (void)i;
    set_al(c, flag_cf(c) ? 0xFF : 0);
}
