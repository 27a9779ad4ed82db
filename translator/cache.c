/* cache.c -- the translator's cache layer: the executable code cache and
 * the block descriptors (flushed whole when either is full), the block
 * key of the current CPU state, lookup by hash, chaining of exits and
 * their undoing, and invalidation by physical page. */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "cpu/mem.h"
#include "machine/bus.h"
#include "translator/bt_int.h"
#include "translator/emit.h"

int bt_cache_init(struct bt *bt, size_t bytes, char *why, size_t len)
{
    void *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE | PROT_EXEC,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED) {
        snprintf(why, len, "cannot map a %zu MiB executable code cache", bytes >> 20);
        return -1;
    }
    bt->code = p;
    bt->code_size = bytes;
    bt->code_end = bt->code + bytes;
    /* Descriptors: as much again, so that both run out at about once. */
    bt->meta = malloc(bytes);
    if (!bt->meta) {
        munmap(p, bytes);
        snprintf(why, len, "no memory for the translator's block table");
        return -1;
    }
    bt->meta_end = bt->meta + bytes;
    bt->meta_free = bt->meta;
    bt_emit_runtime(bt);
    return 0;
}

void bt_cache_free(struct bt *bt)
{
    if (bt->code)
        munmap(bt->code, bt->code_size);
    free(bt->meta);
    bt->code = NULL;
    bt->meta = NULL;
}

void *bt_meta_alloc(struct bt *bt, size_t n)
{
    n = (n + 15) & ~(size_t)15;
    if ((size_t)(bt->meta_end - bt->meta_free) < n)
        return NULL;
    void *p = bt->meta_free;
    bt->meta_free += n;
    return p;
}

void bt_flush(struct bt *bt)
{
    memset(bt->hash, 0, sizeof bt->hash);
    if (bt->page_blocks)
        memset(bt->page_blocks, 0, bt->ram_pages * sizeof *bt->page_blocks);
    bt->meta_free = bt->meta;
    bt->code_free = bt->code_blocks;
    bt->st->bt_flushes++;
}

/* A segment usable with no checks: every offset, read and write; base 0
 * (flat) or page-aligned (based: an offset past the limit then always
 * crosses a page of the linear address too, so the slow path sees it). */
static bool no_checks(const struct seg *s)
{
    return s->lo == 0 && s->hi == 0xFFFFFFFFu &&
           (s->rights & (SEG_READ | SEG_WRITE)) == (SEG_READ | SEG_WRITE);
}

static bool flat(const struct seg *s)
{
    return s->base == 0 && no_checks(s);
}

static bool based(const struct seg *s)
{
    return s->base != 0 && !(s->base & 0xFFF) && no_checks(s);
}

/* The key of the code at CS:EIP, when its first byte is mapped by the TLB
 * for execution on RAM or ROM; false sends the caller to the interpreter
 * (which fetches, fills the TLB or faults). */
bool bt_key_now(struct bt *bt, struct bt_key *k, uint8_t **host_page)
{
    struct cpu *c = bt->cpu;
    const struct seg *cs = &c->seg[S_CS];
    if (c->eip > cs->hi)
        return false;
    uint32_t lin = cs->base + c->eip;
    const struct tlb_entry *e = &c->tlb[(lin >> 12) & (TLB_SIZE - 1)];
    if (e->vpage != ((lin & ~0xFFFu) | TLB_VALID) || !(e->perm & c->tlb_rd) || !e->host)
        return false;
    uint32_t mode = ((cs->ar & AR_DB) ? MODE_CODE32 : 0) |
                    ((c->seg[S_SS].ar & AR_DB) ? MODE_SS32 : 0) |
                    (cpu_pm(c) ? MODE_PE : 0) | (cpu_v86(c) ? MODE_VM : 0) |
                    ((uint32_t)c->cpl << MODE_CPL_SHIFT) |
                    ((c->eflags & F_DF) ? MODE_DF : 0);
    for (int s = 0; s < S_COUNT; s++)
        if (s != S_CS && flat(&c->seg[s]))
            mode |= 1u << (MODE_FLAT_SHIFT + s);
        else if (s != S_CS && based(&c->seg[s]))
            mode |= 1u << (MODE_BASED_SHIFT + s);
    *k = (struct bt_key){ lin, e->ppage | (lin & 0xFFF), cs->base, cs->hi, mode };
    if (host_page)
        *host_page = e->host;
    return true;
}

static unsigned hash_of(const struct bt_key *k)
{
    uint32_t h = k->lin * 0x9E3779B1u ^ k->phys ^ (k->mode << 7);
    return (h ^ (h >> 16)) & (BT_HASH - 1);
}

static bool same_key(const struct bt_key *a, const struct bt_key *b)
{
    return a->lin == b->lin && a->phys == b->phys && a->cs_base == b->cs_base &&
           a->cs_hi == b->cs_hi && a->mode == b->mode;
}

struct bt_block *bt_lookup(struct bt *bt, const struct bt_key *k)
{
    for (struct bt_block *b = bt->hash[hash_of(k)]; b; b = b->hash_next)
        if (same_key(&b->key, k))
            return b;
    return NULL;
}

/* A new, cold block (no code yet); NULL when the descriptors are full. */
struct bt_block *bt_insert(struct bt *bt, const struct bt_key *k)
{
    struct bt_block *b = bt_meta_alloc(bt, sizeof *b);
    if (!b)
        return NULL;
    memset(b, 0, sizeof *b);
    b->key = *k;
    b->valid = true;
    b->gen = bus_page_gen(bt->cpu->bus, k->phys);
    unsigned h = hash_of(k);
    b->hash_next = bt->hash[h];
    bt->hash[h] = b;
    uint32_t page = k->phys >> 12;
    if (page < bt->ram_pages) {
        b->page_next = bt->page_blocks[page];
        bt->page_blocks[page] = b;
    }
    return b;
}

void bt_chain(struct bt *bt, struct bt_exit *x, struct bt_block *to)
{
    emit_patch_rel32(x->site, x->cross ? to->checked : to->host);
    x->to = to;
    x->in_next = to->incoming;
    to->incoming = x;
    bt->st->bt_chain_patches++;
}

static void unchain(struct bt *bt, struct bt_exit *x)
{
    emit_patch_rel32(x->site, x->stub);
    x->to = NULL;
    bt->st->bt_chain_unpatches++;
}

/* Removes b from the hash and undoes every chain into and out of it; its
 * code stays in the cache (it may be running) until the next flush. */
static void drop_block(struct bt *bt, struct bt_block *b)
{
    struct bt_block **pp = &bt->hash[hash_of(&b->key)];
    while (*pp && *pp != b)
        pp = &(*pp)->hash_next;
    if (*pp)
        *pp = b->hash_next;
    for (struct bt_exit *x = b->incoming; x; x = x->in_next)
        unchain(bt, x);
    b->incoming = NULL;
    for (int k = 0; k < b->nexits; k++) {
        struct bt_exit *x = &b->exits[k];
        if (!x->to)
            continue;
        struct bt_exit **ip = &x->to->incoming;
        while (*ip && *ip != x)
            ip = &(*ip)->in_next;
        if (*ip)
            *ip = x->in_next;
        unchain(bt, x);
    }
    b->valid = false;
}

void bt_invalidate(struct bt *bt, uint32_t paddr, uint32_t len)
{
    uint64_t last = (uint64_t)paddr + (len ? len : 1) - 1;
    for (uint64_t p = paddr >> 12; p <= last >> 12 && p < bt->ram_pages; p++) {
        struct bt_block *b = bt->page_blocks[p];
        if (!b)
            continue;
        bt->page_blocks[p] = NULL;
        for (; b; b = b->page_next) {
            if (b->host)
                bt->st->bt_invalidations++;
            drop_block(bt, b);
        }
        bt->st->bt_traps[TRAP_SMC]++;
    }
    bt->cpu->exit_block = 1;
    bt->rt.stale = 1;
}

/* The page now holds translated code: guest writes to it must come through
 * the bus (which invalidates), so TLB entries lose direct write access. */
void bt_protect_page(struct bt *bt, uint32_t phys)
{
    struct cpu *c = bt->cpu;
    struct bus *b = c->bus;
    uint32_t page = phys & ~0xFFFu;
    if (phys >= b->ram_size || b->code_page[phys >> 12])
        return;
    bus_mark_code(b, phys);
    for (int k = 0; k < TLB_SIZE; k++)
        if (c->tlb[k].ppage == page)
            c->tlb[k].perm &= (uint8_t)~(TLB_SW | TLB_UW);
}
