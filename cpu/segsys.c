/* segsys.c -- the protected-mode system-segment instructions: LLDT, LTR,
 * SLDT, STR, VERR, VERW, LAR, LSL and ARPL (all #UD outside protected
 * mode, and LLDT/LTR need CPL 0). */
#include "flags.h"
#include "insn.h"
#include "mem.h"
#include "ops.h"
#include "pm.h"

static void require_pm(struct cpu *c)
{
    if (!cpu_pm(c) || cpu_v86(c))
        cpu_fault(c, EXC_UD, 0);
}

static void require_ring0(struct cpu *c)
{
    require_pm(c);
    if (c->cpl != 0)
        cpu_fault(c, EXC_GP, 0);
}

static void set_zf(struct cpu *c, bool zf)
{
    flags_set_eager(c, (flags_arith(c) & ~(uint32_t)F_ZF) | (zf ? F_ZF : 0));
}

/* SLDT/STR: a register destination with 32-bit operand size gets the
 * selector zero-extended; memory always receives 16 bits. */
static void store_selector(struct cpu *c, const struct insn *i, uint16_t sel)
{
    E_wr(c, i, (i->mod == 3 && i->o32) ? 32 : 16, sel);
}

void sldt_Ew(struct cpu *c, const struct insn *i)
{
    require_pm(c);
    store_selector(c, i, c->ldtr.sel);
}

void str_Ew(struct cpu *c, const struct insn *i)
{
    require_pm(c);
    store_selector(c, i, c->tr.sel);
}

void lldt_Ew(struct cpu *c, const struct insn *i)
{
    require_ring0(c);
    uint16_t sel = (uint16_t)E_rd(c, i, 16);
    if (sel_null(sel)) {
        seg_set_cache(&c->ldtr, sel, 0, 0, 0);   /* no LDT: TI=1 faults */
        return;
    }
    struct descriptor d;
    if (sel & 4)
        cpu_fault(c, EXC_GP, sel_err(sel, 0));
    desc_fetch_or(c, sel, &d, EXC_GP, 0);
    if (!ar_system(d.ar) || ar_type(d.ar) != SYS_LDT)
        cpu_fault(c, EXC_GP, sel_err(sel, 0));
    if (!ar_present(d.ar))
        cpu_fault(c, EXC_NP, sel_err(sel, 0));
    seg_set_cache(&c->ldtr, sel, d.base, d.limit, d.ar);
}

/* LTR marks the TSS busy in its descriptor. */
void ltr_Ew(struct cpu *c, const struct insn *i)
{
    require_ring0(c);
    uint16_t sel = (uint16_t)E_rd(c, i, 16);
    if (sel_null(sel))
        cpu_fault(c, EXC_GP, 0);
    struct descriptor d;
    if (sel & 4)
        cpu_fault(c, EXC_GP, sel_err(sel, 0));
    desc_fetch_or(c, sel, &d, EXC_GP, 0);
    if (!ar_tss(d.ar) || ar_tss_busy(d.ar))
        cpu_fault(c, EXC_GP, sel_err(sel, 0));
    if (!ar_present(d.ar))
        cpu_fault(c, EXC_NP, sel_err(sel, 0));
    d.ar |= TSS_BUSY_BIT;
    sys_wr(c, c->gdtr.base + (sel & ~7u) + 5, 1, d.ar & 0xFF);
    seg_set_cache(&c->tr, sel, d.base, d.limit, d.ar);
}

/* The privilege rule of VERR/VERW/LAR/LSL: DPL >= CPL and DPL >= RPL,
 * except for conforming code segments. */
static bool visible(const struct cpu *c, uint16_t sel, uint16_t ar)
{
    unsigned dpl = ar_dpl(ar);
    return ar_conforming(ar) || (dpl >= c->cpl && dpl >= (sel & 3u));
}

/* Fetches sel's descriptor without faulting on a bad selector. */
static bool probe(struct cpu *c, uint16_t sel, struct descriptor *d)
{
    return !sel_null(sel) && desc_fetch(c, sel, d);
}

static bool can_read(struct cpu *c, uint16_t sel)
{
    struct descriptor d;
    if (!probe(c, sel, &d) || ar_system(d.ar))
        return false;
    if (ar_code(d.ar) && !(d.ar & AR_R))
        return false;
    return visible(c, sel, d.ar);
}

static bool can_write(struct cpu *c, uint16_t sel)
{
    struct descriptor d;
    if (!probe(c, sel, &d) || !ar_writable_data(d.ar))
        return false;
    return visible(c, sel, d.ar);
}

void verr_Ew(struct cpu *c, const struct insn *i)
{
    require_pm(c);
    set_zf(c, can_read(c, (uint16_t)E_rd(c, i, 16)));
}

void verw_Ew(struct cpu *c, const struct insn *i)
{
    require_pm(c);
    set_zf(c, can_write(c, (uint16_t)E_rd(c, i, 16)));
}

/* System descriptor types LAR accepts (bit t set) and those LSL accepts
 * (only the ones with a limit). */
enum {
    LAR_TYPES = 1u << SYS_TSS16 | 1u << SYS_LDT | 1u << SYS_TSS16_BUSY |
                1u << SYS_CALL16 | 1u << SYS_TASK | 1u << SYS_TSS32 |
                1u << SYS_TSS32_BUSY | 1u << SYS_CALL32,
    LSL_TYPES = 1u << SYS_TSS16 | 1u << SYS_LDT | 1u << SYS_TSS16_BUSY |
                1u << SYS_TSS32 | 1u << SYS_TSS32_BUSY,
};

static bool lar_lsl_ok(struct cpu *c, uint16_t sel, struct descriptor *d,
                       unsigned sys_types)
{
    if (!probe(c, sel, d))
        return false;
    if (ar_system(d->ar) && !(sys_types & (1u << ar_type(d->ar))))
        return false;
    return visible(c, sel, d->ar);
}

void lar_Gv_Ew(struct cpu *c, const struct insn *i)
{
    require_pm(c);
    struct descriptor d;
    bool ok = lar_lsl_ok(c, (uint16_t)E_rd(c, i, 16), &d, LAR_TYPES);
    if (ok)
        reg_wr(c, i->reg, opsize(i), d.hi & (i->o32 ? 0x00FFFF00u : 0xFF00u));
    set_zf(c, ok);
}

void lsl_Gv_Ew(struct cpu *c, const struct insn *i)
{
    require_pm(c);
    struct descriptor d;
    bool ok = lar_lsl_ok(c, (uint16_t)E_rd(c, i, 16), &d, LSL_TYPES);
    if (ok)
        reg_wr(c, i->reg, opsize(i), d.limit);
    set_zf(c, ok);
}

/* ARPL raises the RPL of the destination selector to the source's. */
void arpl_Ew_Gw(struct cpu *c, const struct insn *i)
{
    require_pm(c);
    uint32_t lin = 0;
    uint32_t dst = E_rd_rmw(c, i, 16, &lin);
    uint32_t src = reg_rd(c, i->reg, 16);
    bool raise = (dst & 3) < (src & 3);
    if (raise)
        E_wr_lin(c, i, 16, lin, (dst & ~3u) | (src & 3));
    set_zf(c, raise);
}
