/* x87_control.c -- the FPU's control instructions that move state rather
 * than compute: FNINIT, FNCLEX, FNSTENV/FLDENV and FNSAVE/FRSTOR in their
 * four formats (16/32-bit operand size, real/V86 or protected mode), and
 * FXSAVE/FXRSTOR (0F AE /0 /1, P6) with CR4.OSFXSR. */
#include "mem.h"
#include "x87.h"

static void put16(uint8_t *p, uint32_t v) { uint16_t w = (uint16_t)v; memcpy(p, &w, 2); }
static void put32(uint8_t *p, uint32_t v) { memcpy(p, &v, 4); }
static uint16_t get16(const uint8_t *p) { uint16_t v; memcpy(&v, p, 2); return v; }
static uint32_t get32(const uint8_t *p) { uint32_t v; memcpy(&v, p, 4); return v; }

void x87_finit(struct x87 *f)
{
    f->cw = X87_CW_INIT;
    f->sw = 0;
    f->tw = X87_TW_EMPTY;
    f->fop = 0;
    f->fip = f->fdp = 0;
    f->fcs = f->fds = 0;
}

void x87_fnclex(struct x87 *f)
{
    f->sw &= (uint16_t)~(SW_EXC | SW_SF | SW_ES | SW_B);
}

/* Control word as loaded: bit 6 reads as one, bits 7 and 13-15 as zero
 * (what the host's FLDCW keeps of 0x0000 and 0xFFFF). */
static uint16_t cw_loaded(uint32_t v)
{
    return (uint16_t)((v & 0x1F3F) | 0x40);
}

/* Real-address and virtual-8086 modes use the real-mode layout, which
 * holds 20/32-bit linear pointers and no selectors. */
static bool real_format(const struct cpu *c)
{
    return !cpu_pm(c) || cpu_v86(c);
}

/* The environment (14 or 28 bytes) into b.  Reserved halves of the
 * 32-bit layout read as ones, as the host stores them. */
static unsigned env_store(const struct cpu *c, bool o32, uint8_t *b)
{
    const struct x87 *f = &c->fpu;
    uint16_t tw = x87_full_tags(f);
    bool real = real_format(c);
    uint32_t ip = real ? ((uint32_t)f->fcs << 4) + f->fip : f->fip;
    uint32_t dp = real ? ((uint32_t)f->fds << 4) + f->fdp : f->fdp;
    if (!o32) {
        put16(b + 0, f->cw);
        put16(b + 2, f->sw);
        put16(b + 4, tw);
        put16(b + 6, ip);
        put16(b + 8, real ? (((ip >> 16) & 0xF) << 12) | f->fop : f->fcs);
        put16(b + 10, dp);
        put16(b + 12, real ? ((dp >> 16) & 0xF) << 12 : f->fds);
        return 14;
    }
    put32(b + 0, 0xFFFF0000u | f->cw);
    put32(b + 4, 0xFFFF0000u | f->sw);
    put32(b + 8, 0xFFFF0000u | tw);
    if (real) {
        put32(b + 12, 0xFFFF0000u | (ip & 0xFFFF));
        put32(b + 16, ((ip >> 16) << 12) | f->fop);
        put32(b + 20, 0xFFFF0000u | (dp & 0xFFFF));
        put32(b + 24, (dp >> 16) << 12);
    } else {
        put32(b + 12, ip);
        put32(b + 16, f->fcs | ((uint32_t)f->fop << 16));
        put32(b + 20, dp);
        put32(b + 24, 0xFFFF0000u | f->fds);
    }
    return 28;
}

/* The environment from b; the registers' tags are recomputed from their
 * contents later (only "empty" is kept from memory, as the hardware). */
static unsigned env_load(struct cpu *c, bool o32, const uint8_t *b)
{
    struct x87 *f = &c->fpu;
    bool real = real_format(c);
    unsigned w = o32 ? 4 : 2;
    f->cw = cw_loaded(get16(b));
    f->sw = get16(b + w);
    f->tw = get16(b + 2 * w);
    if (!o32) {
        uint16_t w4 = get16(b + 8), w6 = get16(b + 12);
        f->fip = real ? get16(b + 6) | (uint32_t)(w4 >> 12) << 16 : get16(b + 6);
        f->fcs = real ? 0 : w4;
        f->fop = real ? w4 & 0x7FF : f->fop;
        f->fdp = real ? get16(b + 10) | (uint32_t)(w6 >> 12) << 16 : get16(b + 10);
        f->fds = real ? 0 : w6;
        return 14;
    }
    uint32_t d4 = get32(b + 16), d6 = get32(b + 24);
    if (real) {
        f->fip = (get32(b + 12) & 0xFFFF) | ((d4 >> 12) & 0xFFFF) << 16;
        f->fop = d4 & 0x7FF;
        f->fdp = (get32(b + 20) & 0xFFFF) | ((d6 >> 12) & 0xFFFF) << 16;
        f->fcs = f->fds = 0;
    } else {
        f->fip = get32(b + 12);
        f->fcs = (uint16_t)d4;
        f->fop = (d4 >> 16) & 0x7FF;
        f->fdp = get32(b + 20);
        f->fds = (uint16_t)d6;
    }
    return 28;
}

/* After a load: tags from the contents, ES/B from flags and masks. */
static void loaded(struct x87 *f)
{
    f->tw = x87_full_tags(f);
    x87_fix_es(f);
}

void x87_fnstenv(struct cpu *c, const struct insn *i)
{
    uint8_t b[28];
    unsigned n = env_store(c, i->o32, b);
    uint32_t lin = x87_check_write(c, i->seg, ea(c, i), n);
    x87_write_lin(c, lin, b, n);
    c->fpu.cw |= SW_EXC;         /* FNSTENV masks every exception */
    x87_fix_es(&c->fpu);
}

void x87_fldenv(struct cpu *c, const struct insn *i)
{
    uint8_t b[28];
    unsigned n = i->o32 ? 28 : 14;
    x87_read(c, i->seg, ea(c, i), b, n);
    env_load(c, i->o32, b);
    loaded(&c->fpu);
}

void x87_fnsave(struct cpu *c, const struct insn *i)
{
    uint8_t b[108];
    struct x87 *f = &c->fpu;
    unsigned n = env_store(c, i->o32, b);
    for (unsigned k = 0; k < 8; k++)
        memcpy(b + n + 10 * k, f->st[x87_phys(f, k)], 10);
    uint32_t lin = x87_check_write(c, i->seg, ea(c, i), n + 80);
    x87_write_lin(c, lin, b, n + 80);
    x87_finit(f);
}

void x87_frstor(struct cpu *c, const struct insn *i)
{
    uint8_t b[108];
    struct x87 *f = &c->fpu;
    unsigned n = i->o32 ? 28 : 14;
    x87_read(c, i->seg, ea(c, i), b, n + 80);
    env_load(c, i->o32, b);
    for (unsigned k = 0; k < 8; k++)
        memcpy(f->st[x87_phys(f, k)], b + n + 10 * k, 10);
    loaded(f);
}

/* ---- FXSAVE / FXRSTOR ---- */

enum { FX_SIZE = 512, MXCSR_MASK = 0xFFBF };

/* The 512-byte area must be 16-byte aligned: #GP(0) otherwise. */
static uint32_t fx_offset(struct cpu *c, const struct insn *i)
{
    uint32_t off = ea(c, i);
    if ((c->seg[i->seg].base + off) & 15)
        cpu_fault(c, EXC_GP, 0);
    return off;
}

/* Only the defined fields are written: reserved bytes and, without
 * CR4.OSFXSR, the SSE part (MXCSR and XMM) are left as they were. */
static void fxsave(struct cpu *c, const struct insn *i)
{
    struct x87 *f = &c->fpu;
    uint8_t b[FX_SIZE];
    uint32_t lin = x87_check_write(c, i->seg, fx_offset(c, i), FX_SIZE);
    memset(b, 0, sizeof b);
    put16(b + 0, f->cw);
    put16(b + 2, f->sw);
    for (unsigned p = 0; p < 8; p++)
        if (((f->tw >> (2 * p)) & 3) != 3)
            b[4] |= (uint8_t)(1u << p);
    put16(b + 6, f->fop);
    put32(b + 8, f->fip);
    put16(b + 12, f->fcs);
    put32(b + 16, f->fdp);
    put16(b + 20, f->fds);
    for (unsigned k = 0; k < 8; k++)
        memcpy(b + 32 + 16 * k, f->st[x87_phys(f, k)], 10);
    x87_write_lin(c, lin, b, 24);
    if (c->cr4 & CR4_OSFXSR) {
        put32(b + 24, f->mxcsr);
        put32(b + 28, MXCSR_MASK);
        memcpy(b + 160, f->xmm, sizeof f->xmm);
        x87_write_lin(c, lin + 24, b + 24, 288 - 24);
    } else {
        x87_write_lin(c, lin + 32, b + 32, 160 - 32);
    }
}

static void fxrstor(struct cpu *c, const struct insn *i)
{
    struct x87 *f = &c->fpu;
    uint8_t b[FX_SIZE];
    x87_read(c, i->seg, fx_offset(c, i), b, FX_SIZE);
    bool sse = (c->cr4 & CR4_OSFXSR) != 0;
    if (sse && (get32(b + 24) & ~(uint32_t)MXCSR_MASK))
        cpu_fault(c, EXC_GP, 0);
    f->cw = cw_loaded(get16(b + 0));
    f->sw = get16(b + 2);
    f->fop = get16(b + 6) & 0x7FF;
    f->fip = get32(b + 8);
    f->fcs = get16(b + 12);
    f->fdp = get32(b + 16);
    f->fds = get16(b + 20);
    for (unsigned k = 0; k < 8; k++)
        memcpy(f->st[x87_phys(f, k)], b + 32 + 16 * k, 10);
    f->tw = 0;
    for (unsigned p = 0; p < 8; p++)
        if (!((b[4] >> p) & 1))
            f->tw |= (uint16_t)(3u << (2 * p));
    loaded(f);
    if (sse) {
        f->mxcsr = get32(b + 24);
        memcpy(f->xmm, b + 160, sizeof f->xmm);
    }
    x87_update_ferr(c);
}

/* 0F AE: /0 FXSAVE, /1 FXRSTOR (memory only: the row has D_MEM); the
 * other members are SSE and later, #UD here.  #NM with CR0.EM or TS; no
 * pending-exception check. */
void fxsave_fxrstor(struct cpu *c, const struct insn *i)
{
    if (i->reg > 1)
        cpu_fault(c, EXC_UD, 0);
    if (c->cr0 & (CR0_EM | CR0_TS))
        cpu_fault(c, EXC_NM, 0);
    if (i->reg == 0)
        fxsave(c, i);
    else
        fxrstor(c, i);
}
