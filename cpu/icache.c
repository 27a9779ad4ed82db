/* icache.c -- decoded-block cache: lookup by physical address, building a
 * block by decoding until an instruction that ends it, marking the page as
 * holding code so that writes to it invalidate the block. */
#include "icache.h"

#include <string.h>

#include "../machine/bus.h"
#include "cpu.h"
#include "mem.h"

static unsigned slot(uint32_t pa)
{
    return (pa ^ (pa >> 11) ^ (pa >> 19)) & (ICACHE_BLOCKS - 1);
}

/* Instructions after which the block ends: they transfer control or may
 * change CS, paging, the mode or the interrupt flag. */
static int ends_block(const struct insn *i)
{
    return i->row->cls != CL_PLAIN;
}

/* A page now holds decoded code: withdraw write permission from TLB
 * entries that map it, so writes take the slow path and invalidate. */
static void protect_code_page(struct cpu *c, uint32_t pa)
{
    struct bus *b = c->bus;
    uint32_t page = pa & ~0xFFFu;
    if (pa >= b->ram_size || b->code_page[pa >> 12])
        return;
    bus_mark_code(b, pa);
    for (int k = 0; k < TLB_SIZE; k++)
        if (c->tlb[k].ppage == page)
            c->tlb[k].perm &= (uint8_t)~(TLB_SW | TLB_UW);
}

static void build(struct cpu *c, struct iblock *b, const uint8_t *page,
                  uint32_t off, uint32_t pa, int code32, uint64_t limit_left)
{
    b->pa = pa;
    b->code32 = (uint8_t)code32;
    b->n = 0;
    b->span = 0;
    protect_code_page(c, pa);
    b->gen = bus_page_gen(c->bus, pa);
    while (b->n < IBLOCK_MAX) {
        uint32_t at = off + b->span;
        if (at + 15 > 0x1000 || (uint64_t)b->span + 15 > limit_left)
            break;          /* near the page or limit end: not cached */
        struct insn *i = &b->ins[b->n];
        if (decode(i, page + at, 15, code32, c->model) <= 0)
            break;          /* invalid: raise #UD on the slow path */
        b->n++;
        b->span = (uint16_t)(b->span + i->len);
        if (ends_block(i))
            break;
    }
    b->valid = b->n > 0;
    c->icache->built++;
}

const struct iblock *icache_block(struct cpu *c)
{
    const struct seg *cs = &c->seg[S_CS];
    uint32_t eip = c->eip;
    if (eip > cs->hi)
        return NULL;
    uint32_t lin = cs->base + eip;
    const struct tlb_entry *e = &c->tlb[(lin >> 12) & (TLB_SIZE - 1)];
    if (e->vpage != ((lin & ~0xFFFu) | TLB_VALID) || !(e->perm & c->tlb_rd))
        return NULL;
    uint32_t pa = e->ppage | (lin & 0xFFF);
    int code32 = (cs->ar & AR_DB) != 0;
    struct icache *ic = c->icache;
    struct iblock *b = &ic->blocks[slot(pa)];
    uint64_t limit_left = (uint64_t)cs->hi - eip + 1;
    if (b->valid && b->pa == pa && b->code32 == code32 &&
        b->gen == bus_page_gen(c->bus, pa)) {
        if (b->span > limit_left)
            return NULL;
        ic->hits++;
        return b;
    }
    ic->misses++;
    build(c, b, e->host, lin & 0xFFF, pa, code32, limit_left);
    return b->valid ? b : NULL;
}

void icache_flush(struct icache *ic)
{
    for (int k = 0; k < ICACHE_BLOCKS; k++)
        ic->blocks[k].valid = 0;
}
