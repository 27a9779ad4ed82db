/* descriptor.c -- protected-mode segment loads: descriptor fetch from the
 * GDT/LDT, type, privilege and presence checks, accessed bits, and the
 * helpers of pm.h that far transfers, gates and task switches share. */
#include "pm.h"

#include "mem.h"

void desc_decode(struct descriptor *d)
{
    uint32_t lo = d->lo, hi = d->hi;
    d->base = (lo >> 16) | ((hi & 0xFF) << 16) | (hi & 0xFF000000u);
    d->limit = (lo & 0xFFFF) | (hi & 0x000F0000u);
    d->ar = (uint16_t)(((hi >> 8) & 0xFF) | ((hi >> 8) & 0xF000));
    if (d->ar & AR_G)
        d->limit = (d->limit << 12) | 0xFFF;
}

/* Linear address of sel's descriptor, or false when it is outside its
 * table (or names the LDT while LDTR holds no valid LDT). */
static bool desc_addr(const struct cpu *c, uint16_t sel, uint32_t *lin)
{
    uint32_t base = c->gdtr.base, limit = c->gdtr.limit;
    if (sel & 4) {
        if (!(c->ldtr.ar & AR_P))
            return false;
        base = c->ldtr.base;
        limit = c->ldtr.limit;
    }
    if ((uint32_t)(sel | 7u) > limit)
        return false;
    *lin = base + (sel & ~7u);
    return true;
}

bool desc_fetch(struct cpu *c, uint16_t sel, struct descriptor *d)
{
    uint32_t lin;
    if (!desc_addr(c, sel, &lin))
        return false;
    d->lo = sys_rd(c, lin, 4);
    d->hi = sys_rd(c, lin + 4, 4);
    desc_decode(d);
    return true;
}

void desc_set_accessed(struct cpu *c, uint16_t sel, struct descriptor *d)
{
    uint32_t lin;
    if ((d->ar & AR_ACCESSED) || !(d->ar & AR_S) || !desc_addr(c, sel, &lin))
        return;
    d->hi |= 0x100;
    d->ar |= AR_ACCESSED;
    sys_wr(c, lin + 5, 1, (d->hi >> 8) & 0xFF);
}

void desc_fetch_or(struct cpu *c, uint16_t sel, struct descriptor *d,
                   int vector, uint32_t ext)
{
    if (!desc_fetch(c, sel, d))
        cpu_fault(c, vector, sel_err(sel, ext));
}

bool desc_in_limit(const struct descriptor *d, uint32_t off)
{
    return off <= d->limit;
}

/* SS must be a present, writable data segment with RPL = DPL = CPL. */
static void check_ss(struct cpu *c, uint16_t sel, unsigned cpl, int bad,
                     uint32_t ext, struct descriptor *d)
{
    if (sel_null(sel))
        cpu_fault(c, bad, ext);
    desc_fetch_or(c, sel, d, bad, ext);
    if ((sel & 3u) != cpl || !ar_writable_data(d->ar) || ar_dpl(d->ar) != cpl)
        cpu_fault(c, bad, sel_err(sel, ext));
    if (!ar_present(d->ar))
        cpu_fault(c, EXC_SS, sel_err(sel, ext));
}

/* DS/ES/FS/GS: data or readable code; the privilege rule spares conforming
 * code, which may be used from any ring. */
static void check_ds(struct cpu *c, uint16_t sel, unsigned cpl, int bad,
                     uint32_t ext, struct descriptor *d)
{
    desc_fetch_or(c, sel, d, bad, ext);
    uint16_t ar = d->ar;
    bool readable_code = ar_code(ar) && (ar & AR_R);
    if (!ar_data(ar) && !readable_code)
        cpu_fault(c, bad, sel_err(sel, ext));
    unsigned dpl = ar_dpl(ar);
    if (!ar_conforming(ar) && ((sel & 3u) > dpl || cpl > dpl))
        cpu_fault(c, bad, sel_err(sel, ext));
    if (!ar_present(ar))
        cpu_fault(c, EXC_NP, sel_err(sel, ext));
}

bool seg_check_data(struct cpu *c, int s, uint16_t sel, unsigned cpl,
                    int bad, uint32_t ext, struct descriptor *d)
{
    if (s == S_SS) {
        check_ss(c, sel, cpl, bad, ext, d);
        return true;
    }
    if (sel_null(sel))
        return false;
    check_ds(c, sel, cpl, bad, ext, d);
    return true;
}

void seg_commit(struct cpu *c, int s, uint16_t sel, struct descriptor *d)
{
    desc_set_accessed(c, sel, d);
    seg_set_cache(&c->seg[s], sel, d->base, d->limit, d->ar);
}

void seg_load_null(struct cpu *c, int s, uint16_t sel)
{
    seg_set_cache(&c->seg[s], sel, 0, 0, 0);
}

void load_cs(struct cpu *c, uint16_t sel, struct descriptor *d, unsigned cpl)
{
    sel = (uint16_t)((sel & ~3u) | cpl);
    desc_set_accessed(c, sel, d);
    seg_set_cache(&c->seg[S_CS], sel, d->base, d->limit, d->ar);
    cpu_set_cpl(c, cpl);
}

void seg_load_pm(struct cpu *c, int s, uint16_t sel)
{
    struct descriptor d;
    if (seg_check_data(c, s, sel, c->cpl, EXC_GP, 0, &d))
        seg_commit(c, s, sel, &d);
    else
        seg_load_null(c, s, sel);
}

void frame_init(struct frame *f, const struct seg *ss, uint32_t sp,
                unsigned size, bool sup)
{
    f->ss = *ss;
    f->sp = sp;
    f->size = size;
    f->sup = sup;
    f->n = 0;
}

/* Offset of slot k (0 = first pushed) below the frame's stack pointer. */
static uint32_t frame_slot(const struct frame *f, int k)
{
    uint32_t mask = (f->ss.ar & AR_DB) ? 0xFFFFFFFFu : 0xFFFFu;
    return (f->sp - f->size * (uint32_t)(k + 1)) & mask;
}

void frame_check(struct cpu *c, const struct frame *f, int vector, uint32_t error)
{
    for (int k = 0; k < f->n; k++) {
        uint32_t off = frame_slot(f, k);
        if (!(f->ss.rights & SEG_WRITE) || off < f->ss.lo ||
            (uint64_t)off + f->size - 1 > f->ss.hi)
            cpu_fault(c, vector, error);
    }
}

uint32_t frame_write(struct cpu *c, const struct frame *f, int vector, uint32_t error)
{
    frame_check(c, f, vector, error);
    for (int k = 0; k < f->n; k++) {
        uint32_t lin = f->ss.base + frame_slot(f, k);
        if (f->sup)
            sys_wr(c, lin, f->size, f->v[k]);
        else
            lin_wr(c, lin, f->size, f->v[k]);
    }
    uint32_t mask = (f->ss.ar & AR_DB) ? 0xFFFFFFFFu : 0xFFFFu;
    return (f->sp & ~mask) | frame_slot(f, f->n - 1);
}
