/* seg.c -- segment register loads in every mode and the hidden descriptor
 * cache (base, limit, rights, and the precomputed valid-offset range). */
#include "seg.h"

#include "mem.h"

void seg_set_cache(struct seg *sg, uint16_t sel, uint32_t base,
                   uint32_t limit, uint16_t ar)
{
    sg->sel = sel;
    sg->base = base;
    sg->limit = limit;
    sg->ar = ar;
    uint8_t rights = 0;
    if (ar & AR_S) {
        if (ar & AR_CODE) {
            rights = SEG_EXEC | ((ar & AR_R) ? SEG_READ : 0);
        } else {
            rights = SEG_READ | ((ar & AR_W) ? SEG_WRITE : 0);
        }
    }
    if (!(ar & AR_P))
        rights = 0;
    sg->rights = rights;
    if ((ar & AR_S) && !(ar & AR_CODE) && (ar & AR_EC)) {
        /* Expand-down: valid offsets are above the limit. */
        sg->lo = limit + 1;
        sg->hi = (ar & AR_DB) ? 0xFFFFFFFFu : 0xFFFFu;
        if (sg->lo == 0 && limit == 0xFFFFFFFFu)
            sg->hi = 0, sg->lo = 1;     /* empty */
    } else {
        sg->lo = 0;
        sg->hi = limit;
    }
}

void seg_set_real(struct cpu *c, int s, uint16_t sel)
{
    struct seg *sg = &c->seg[s];
    if (cpu_v86(c)) {
        /* Virtual-8086: a 64 KiB, present, writable, DPL 3 segment. */
        uint16_t ar = AR_P | AR_S | AR_W | AR_ACCESSED | AR_DPL;
        seg_set_cache(sg, sel, (uint32_t)sel << 4, 0xFFFF, ar);
        return;
    }
    /* Real mode keeps the limit and rights of the cache ("unreal mode"). */
    sg->sel = sel;
    sg->base = (uint32_t)sel << 4;
}

void seg_load(struct cpu *c, int s, uint16_t sel)
{
    if (!cpu_pm(c) || cpu_v86(c))
        seg_set_real(c, s, sel);
    else
        seg_load_pm(c, s, sel);
}
