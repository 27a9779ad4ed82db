/* system.c -- system instructions: the descriptor-table registers (LGDT,
 * LIDT, SGDT, SIDT), the machine status word (SMSW, LMSW, CLTS), control
 * and debug registers (MOV CRn/DRn), cache and TLB control (INVD, WBINVD,
 * INVLPG) and UD2.  The page walks and the TLB live in mmu.c. */
#include "cpuid.h"
#include "mem.h"

enum { DR6_FIXED = 0xFFFF0FF0u, DR6_BITS = 0x0000E00Fu, DR6_BD = 1u << 13 };
enum { DR7_FIXED = 0x00000400u, DR7_RESERVED = 0x0000D800u, DR7_GD = 1u << 13 };

/* ---- GDTR and IDTR ---- */

/* The 6-byte operand: a 16-bit limit, then the base.  With a 16-bit
 * operand size only 24 bits of the base are used. */
static void load_dtr(struct cpu *c, const struct insn *i, struct dtr *d)
{
    require_cpl0(c);
    uint32_t lin = seg_lin(c, i->seg, ea(c, i), 6, SEG_READ);
    uint32_t limit = lin_rd(c, lin, 2);
    uint32_t base = lin_rd(c, lin + 2, 4);
    if (!i->o32)
        base &= 0x00FFFFFFu;
    d->limit = (uint16_t)limit;
    d->base = base;
}

/* With a 16-bit operand size the sixth byte is 0xFF on the 286 and 0x00
 * on later processors (SDM, SGDT: IA-32 Architecture Compatibility). */
static void store_dtr(struct cpu *c, const struct insn *i, const struct dtr *d)
{
    uint32_t base = d->base;
    if (!i->o32)
        base = (base & 0x00FFFFFFu) | (c->model == CPU_286 ? 0xFF000000u : 0);
    uint32_t lin = seg_lin(c, i->seg, ea(c, i), 6, SEG_WRITE);
    mmu_probe_write(c, lin, 6, ACC_WRITE);      /* fault before any byte */
    lin_wr(c, lin, 2, d->limit);
    lin_wr(c, lin + 2, 4, base);
}

void lgdt_Ms(struct cpu *c, const struct insn *i) { load_dtr(c, i, &c->gdtr); }
void lidt_Ms(struct cpu *c, const struct insn *i) { load_dtr(c, i, &c->idtr); }
void sgdt_Ms(struct cpu *c, const struct insn *i) { store_dtr(c, i, &c->gdtr); }
void sidt_Ms(struct cpu *c, const struct insn *i) { store_dtr(c, i, &c->idtr); }

/* ---- CR0 ---- */

/* Bits of CR0 the model implements; the rest are reserved, and writes to
 * them are ignored (SDM, MOV CR: "reserved bits in CR0 remain clear").
 * ET is writable on the 386 (287 or 387) and hardwired to 1 later. */
static uint32_t cr0_bits(enum cpu_model model)
{
    uint32_t bits = CR0_PE | CR0_MP | CR0_EM | CR0_TS | CR0_PG;
    if (model <= CPU_386)
        return bits | CR0_ET;
    return bits | CR0_NE | CR0_WP | CR0_AM | CR0_NW | CR0_CD;
}

/* Leaving protected mode: the segment caches keep base and limit, but
 * real mode makes no type checks. */
static void enter_real_mode(struct cpu *c)
{
    for (int s = 0; s < S_COUNT; s++)
        c->seg[s].rights = SEG_READ | SEG_WRITE | (s == S_CS ? SEG_EXEC : 0);
    cpu_set_cpl(c, 0);
}

/* The TLB caches permissions computed with PE, PG and WP: changing one
 * flushes it all, global entries included (SDM Vol. 3, 4.10.4.1). */
static void cr0_commit(struct cpu *c, uint32_t v)
{
    uint32_t changed = c->cr0 ^ v;
    c->cr0 = v;
    if (changed & (CR0_PG | CR0_WP | CR0_PE))
        tlb_flush(c, false);
    if ((changed & CR0_PE) && !(v & CR0_PE))
        enter_real_mode(c);
}

static void cr0_write(struct cpu *c, uint32_t v)
{
    v &= cr0_bits(c->model);
    if (c->model >= CPU_486)
        v |= CR0_ET;
    if ((v & CR0_PG) && !(v & CR0_PE))
        cpu_fault(c, EXC_GP, 0);
    if ((v & CR0_NW) && !(v & CR0_CD))
        cpu_fault(c, EXC_GP, 0);
    cr0_commit(c, v);
}

/* The 286's MSW has four bits; SMSW reads the others as ones there. */
void smsw_Ew(struct cpu *c, const struct insn *i)
{
    uint32_t msw = c->cr0;
    if (c->model == CPU_286)
        msw = (msw & 0xF) | 0xFFF0;
    if (i->mod == 3 && i->o32)
        reg_wr(c, i->rm, 32, msw);
    else
        E_wr(c, i, 16, msw & 0xFFFF);
}

/* LMSW loads PE, MP, EM and TS; it can set PE but not clear it. */
void lmsw_Ew(struct cpu *c, const struct insn *i)
{
    require_cpl0(c);
    uint32_t bits = CR0_PE | CR0_MP | CR0_EM | CR0_TS;
    uint32_t v = E_rd(c, i, 16);
    cr0_commit(c, (c->cr0 & ~bits) | (v & bits) | (c->cr0 & CR0_PE));
}

void clts(struct cpu *c, const struct insn *i)
{
    (void)i;
    require_cpl0(c);
    c->cr0 &= ~CR0_TS;
}

/* ---- CR2, CR3, CR4 ---- */

/* CR3 keeps the page directory base, and PWT/PCD from the 486 on; the
 * reserved bits stay clear.  Non-global TLB entries are flushed. */
static void cr3_write(struct cpu *c, uint32_t v)
{
    c->cr3 = v & (c->model >= CPU_486 ? 0xFFFFF018u : 0xFFFFF000u);
    tlb_flush(c, true);
}

/* Setting a bit the model lacks is #GP(0); changing PSE, PGE or PAE
 * flushes the whole TLB. */
static void cr4_write(struct cpu *c, uint32_t v)
{
    if (v & ~cpu_cr4_bits(c->model))
        cpu_fault(c, EXC_GP, 0);
    uint32_t changed = c->cr4 ^ v;
    c->cr4 = v;
    if (changed & (CR4_PSE | CR4_PGE | CR4_PAE))
        tlb_flush(c, false);
}

/* CR1 and CR5-CR7 do not exist, nor CR4 before the Pentium: #UD. */
static void check_cr(struct cpu *c, unsigned n)
{
    bool exists = n == 0 || n == 2 || n == 3 || (n == 4 && cpu_cr4_bits(c->model));
    if (!exists)
        cpu_fault(c, EXC_UD, 0);
}

void mov_Rd_Cd(struct cpu *c, const struct insn *i)
{
    check_cr(c, i->reg);
    require_cpl0(c);
    uint32_t v;
    switch (i->reg) {
    case 0: v = c->cr0; break;
    case 2: v = c->cr2; break;
    case 3: v = c->cr3; break;
    default: v = c->cr4; break;
    }
    c->r[i->rm] = v;
}

void mov_Cd_Rd(struct cpu *c, const struct insn *i)
{
    check_cr(c, i->reg);
    require_cpl0(c);
    uint32_t v = c->r[i->rm];
    switch (i->reg) {
    case 0: cr0_write(c, v); break;
    case 2: c->cr2 = v; break;
    case 3: cr3_write(c, v); break;
    default: cr4_write(c, v); break;
    }
}

/* ---- debug registers ---- */

/* DR4 and DR5 are DR6 and DR7 unless CR4.DE makes them #UD.  With DR7.GD
 * set, any access is a #DB fault with DR6.BD, and GD is cleared so that
 * the handler can use the registers. */
static unsigned dr_access(struct cpu *c, unsigned n)
{
    if (n == 4 || n == 5) {
        if (c->cr4 & CR4_DE)
            cpu_fault(c, EXC_UD, 0);
        n += 2;
    }
    require_cpl0(c);
    if (c->dr[7] & DR7_GD) {
        c->dr[6] |= DR6_BD;
        c->dr[7] &= ~(uint32_t)DR7_GD;
        cpu_fault(c, EXC_DB, 0);
    }
    return n;
}

void mov_Rd_Dd(struct cpu *c, const struct insn *i)
{
    unsigned n = dr_access(c, i->reg);
    c->r[i->rm] = c->dr[n];
}

void mov_Dd_Rd(struct cpu *c, const struct insn *i)
{
    unsigned n = dr_access(c, i->reg);
    uint32_t v = c->r[i->rm];
    if (n == 6)
        v = DR6_FIXED | (v & DR6_BITS);
    else if (n == 7)
        v = (v & ~(uint32_t)DR7_RESERVED) | DR7_FIXED;
    c->dr[n] = v;
}

/* ---- caches, TLB, UD2 ---- */

/* There are no caches to invalidate or write back (WBINVD shares this). */
void invd(struct cpu *c, const struct insn *i)
{
    (void)i;
    require_cpl0(c);
}

/* INVLPG takes the linear address of its operand; it makes no segment
 * limit check and touches no memory. */
void invlpg_M(struct cpu *c, const struct insn *i)
{
    require_cpl0(c);
    tlb_flush_page(c, c->seg[i->seg].base + ea(c, i));
}

void ud2(struct cpu *c, const struct insn *i)
{
    (void)i;
    cpu_fault(c, EXC_UD, 0);
}
