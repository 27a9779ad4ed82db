/* mmu.c -- linear to physical translation (SDM Vol. 3, chapter 4, 32-bit
 * paging): the software TLB, two-level page walks with 4 KiB and 4 MiB
 * pages, accessed/dirty bits, #PF, and accesses that cross pages or MMIO. */
#include "mem.h"

#include "../machine/bus.h"

/* Page-directory and page-table entry bits. */
enum {
    PTE_P = 1u << 0, PTE_W = 1u << 1, PTE_U = 1u << 2, PTE_A = 1u << 5,
    PTE_D = 1u << 6, PTE_PS = 1u << 7, PTE_G = 1u << 8,
};

/* #PF error code bits. */
enum { PF_P = 1, PF_W = 2, PF_U = 4 };

/* A TLB entry's perm byte: the low nibble (TLB_SR..TLB_UW) says which
 * accesses may use e->host directly (what mem.h's fast paths test); the
 * high nibble, the same bits shifted by TLB_OK_SHIFT, says which accesses
 * the translation allows at all.  MMIO pages, ROM writes and pages of
 * cached code have a high bit without the low one: the slow path then
 * skips the walk and goes through the bus. */
enum { TLB_OK_SHIFT = 4, TLB_ALL = TLB_SR | TLB_SW | TLB_UR | TLB_UW };

static struct tlb_entry *tlb_slot(struct cpu *c, uint32_t lin)
{
    return &c->tlb[(lin >> 12) & (TLB_SIZE - 1)];
}

static bool tlb_hit(const struct tlb_entry *e, uint32_t lin)
{
    return e->vpage == ((lin & ~0xFFFu) | TLB_VALID);
}

/* The TLB permission bit an access needs: ACC_SYS accesses are supervisor
 * ones whatever the CPL. */
static unsigned need_bit(const struct cpu *c, unsigned acc)
{
    if (acc & ACC_WRITE)
        return (acc & ACC_SYS) ? TLB_SW : c->tlb_wr;
    return (acc & ACC_SYS) ? TLB_SR : c->tlb_rd;
}

void tlb_flush(struct cpu *c, bool keep_global)
{
    for (int k = 0; k < TLB_SIZE; k++)
        if (!keep_global || !c->tlb[k].global)
            c->tlb[k].vpage = 0;
}

/* INVLPG: the page's entry, and every entry made from the same 4 MiB page
 * (the TLB holds large pages as 4 KiB pieces).  Large entries exist only
 * while CR4.PSE is set: clearing it flushes the whole TLB. */
void tlb_flush_page(struct cpu *c, uint32_t lin)
{
    struct tlb_entry *e = tlb_slot(c, lin);
    if ((e->vpage & ~0xFFFu) == (lin & ~0xFFFu))
        e->vpage = 0;
    if (!(c->cr4 & CR4_PSE))
        return;
    for (int k = 0; k < TLB_SIZE; k++) {
        e = &c->tlb[k];
        if (e->large && ((e->vpage ^ lin) & 0xFFC00000u) == 0)
            e->vpage = 0;
    }
}

/* Fills the TLB entry of lin.  ok: the TLB_* accesses the translation
 * allows; direct host access is granted only where the bus gives a
 * pointer (RAM, or ROM for reads). */
static void tlb_fill(struct cpu *c, uint32_t lin, uint32_t ppage, unsigned ok,
                     bool global, bool large)
{
    struct tlb_entry *e = tlb_slot(c, lin);
    unsigned direct = 0;
    uint8_t *host = bus_page_ptr(c->bus, ppage, true);
    if (host) {
        direct = ok;
    } else {
        host = bus_page_ptr(c->bus, ppage, false);
        if (host)
            direct = ok & (TLB_SR | TLB_UR);
    }
    if (c->watch_page && c->watch_page(c->hook_opaque, lin & ~0xFFFu))
        direct = 0;              /* watched: every access takes the slow path */
    e->vpage = (lin & ~0xFFFu) | TLB_VALID;
    e->ppage = ppage;
    e->host = host;
    e->perm = (uint8_t)((ok << TLB_OK_SHIFT) | direct);
    e->global = global;
    e->large = large;
}

/* The entries that map a linear address, as read from memory. */
struct pt_walk {
    uint32_t pde_pa, pte_pa;   /* physical addresses of the entries */
    uint32_t pde, pte;         /* their values (pte == pde for 4 MiB) */
    uint32_t ppage;            /* physical page, masked */
    bool large;
};

/* Reads the entries for lin without changing anything.  Returns false
 * when an entry is not present.  Addresses beyond RAM read all ones. */
static bool pt_lookup(struct cpu *c, uint32_t lin, struct pt_walk *w)
{
    uint32_t mask = c->addr_mask & c->a20_mask;
    w->pde_pa = ((c->cr3 & ~0xFFFu) | ((lin >> 20) & 0xFFC)) & mask;
    w->pde = bus_mem_read(c->bus, w->pde_pa, 4);
    if (!(w->pde & PTE_P))
        return false;
    w->large = (w->pde & PTE_PS) && (c->cr4 & CR4_PSE);
    if (w->large) {
        w->pte_pa = w->pde_pa;
        w->pte = w->pde;
        w->ppage = ((w->pde & 0xFFC00000u) | (lin & 0x003FF000u)) & mask;
        return true;
    }
    w->pte_pa = ((w->pde & ~0xFFFu) | ((lin >> 10) & 0xFFC)) & mask;
    w->pte = bus_mem_read(c->bus, w->pte_pa, 4);
    w->ppage = w->pte & ~0xFFFu & mask;
    return (w->pte & PTE_P) != 0;
}

/* TLB_* accesses allowed by the combined U/S and R/W bits of the entries.
 * Writes are allowed in the TLB only once the dirty bit is set, so the
 * first write walks and sets it.  CR0.WP makes read-only pages read-only
 * for the supervisor too (the bit does not exist on the 386: MOV CR0
 * keeps it clear there). */
static unsigned allowed(const struct cpu *c, uint32_t rights, bool dirty)
{
    unsigned ok = TLB_SR;
    if (rights & PTE_U)
        ok |= TLB_UR;
    if (!dirty)
        return ok;
    if ((rights & PTE_W) || !(c->cr0 & CR0_WP))
        ok |= TLB_SW;
    if ((rights & PTE_U) && (rights & PTE_W))
        ok |= TLB_UW;
    return ok;
}

static _Noreturn void page_fault(struct cpu *c, uint32_t lin, uint32_t err)
{
    c->cr2 = lin;
    cpu_fault(c, EXC_PF, err);
}

/* Sets bits in a paging entry if they are not set yet. */
static void pt_set(struct cpu *c, uint32_t pa, uint32_t old, uint32_t bits)
{
    if ((old & bits) != bits)
        bus_mem_write(c->bus, pa, 4, old | bits);
}

static uint32_t walk(struct cpu *c, uint32_t lin, unsigned acc)
{
    bool write = (acc & ACC_WRITE) != 0;
    bool user = c->cpl == 3 && !(acc & ACC_SYS);
    uint32_t err = (write ? PF_W : 0) | (user ? PF_U : 0);
    struct pt_walk w;
    if (!pt_lookup(c, lin, &w))
        page_fault(c, lin, err);
    uint32_t rights = w.large ? w.pde : (w.pde & w.pte);
    unsigned ok = allowed(c, rights, true);
    if (!(ok & need_bit(c, acc)))
        page_fault(c, lin, err | PF_P);
    /* The access is allowed: accessed bits on the way, dirty on writes. */
    uint32_t leaf_bits = PTE_A | (write ? PTE_D : 0);
    if (w.large) {
        pt_set(c, w.pde_pa, w.pde, leaf_bits);
    } else {
        pt_set(c, w.pde_pa, w.pde, PTE_A);
        pt_set(c, w.pte_pa, w.pte, leaf_bits);
    }
    bool dirty = write || (w.pte & PTE_D);
    bool global = (w.pte & PTE_G) && (c->cr4 & CR4_PGE);
    tlb_fill(c, lin, w.ppage, allowed(c, rights, dirty), global, w.large);
    return w.ppage | (lin & 0xFFF);
}

uint32_t mmu_translate(struct cpu *c, uint32_t lin, unsigned acc)
{
    if (c->cr0 & CR0_PG)
        return walk(c, lin, acc);
    uint32_t phys = lin & c->addr_mask & c->a20_mask;
    tlb_fill(c, lin, phys & ~0xFFFu, TLB_ALL, false, false);
    return phys;
}

int mmu_peek(struct cpu *c, uint32_t lin, uint32_t *phys)
{
    if (!(c->cr0 & CR0_PG)) {
        *phys = lin & c->addr_mask & c->a20_mask;
        return 0;
    }
    struct pt_walk w;
    if (!pt_lookup(c, lin, &w))
        return -1;
    *phys = w.ppage | (lin & 0xFFF);
    return 0;
}

/* Translates one page's part of an access, using the TLB when it already
 * allows the access.  Returns the entry, which then maps lin. */
static struct tlb_entry *xlate(struct cpu *c, uint32_t lin, unsigned acc)
{
    struct tlb_entry *e = tlb_slot(c, lin);
    if (!tlb_hit(e, lin) || !(e->perm & (need_bit(c, acc) << TLB_OK_SHIFT)))
        mmu_translate(c, lin, acc);
    return e;
}

/* Host loads and stores (up to 4 bytes) with a constant size per case,
 * so the compiler inlines them instead of calling memcpy. */
static uint32_t host_load(const uint8_t *p, unsigned size)
{
    uint32_t v = 0;
    switch (size) {
    case 1: v = *p; break;
    case 2: { uint16_t h; memcpy(&h, p, 2); v = h; break; }
    case 4: memcpy(&v, p, 4); break;
    default:
        for (unsigned k = 0; k < size; k++)
            v |= (uint32_t)p[k] << (8 * k);
    }
    return v;
}

static void host_store(uint8_t *p, unsigned size, uint32_t v)
{
    switch (size) {
    case 1: *p = (uint8_t)v; break;
    case 2: { uint16_t h = (uint16_t)v; memcpy(p, &h, 2); break; }
    case 4: memcpy(p, &v, 4); break;
    default:
        for (unsigned k = 0; k < size; k++)
            p[k] = (uint8_t)(v >> (8 * k));
    }
}

static bool crosses(uint32_t lin, unsigned size)
{
    return (lin & 0xFFF) > 0x1000 - size;
}

/* Data accesses to watched pages come through here (see tlb_fill). */
static void watch(struct cpu *c, uint32_t lin, unsigned size, unsigned acc, uint32_t v)
{
    if (c->watch_hook && !(acc & ACC_EXEC))
        c->watch_hook(c->hook_opaque, c, lin, size, (acc & ACC_WRITE) != 0, v);
}

uint32_t mmu_read_slow(struct cpu *c, uint32_t lin, unsigned size, unsigned acc)
{
    if (unlikely(c->watch_hook))
        watch(c, lin, size, acc, 0);
    if (!crosses(lin, size)) {
        const struct tlb_entry *e = xlate(c, lin, acc);
        if (e->perm & need_bit(c, acc))
            return host_load(e->host + (lin & 0xFFF), size);
        return bus_mem_read(c->bus, e->ppage | (lin & 0xFFF), (int)size);
    }
    /* Both pages are translated (and may fault) before anything is read. */
    unsigned n1 = 0x1000 - (lin & 0xFFF);
    uint32_t lin2 = lin + n1;
    uint32_t p1 = xlate(c, lin, acc)->ppage | (lin & 0xFFF);
    uint32_t p2 = xlate(c, lin2, acc)->ppage;
    uint32_t v = 0;
    for (unsigned k = 0; k < size; k++) {
        uint32_t pa = k < n1 ? p1 + k : p2 + (k - n1);
        v |= bus_mem_read(c->bus, pa, 1) << (8 * k);
    }
    return v;
}

/* Every page of [lin, lin + size), in order, so the lowest faulting page
 * is the one reported. */
void mmu_probe_write(struct cpu *c, uint32_t lin, unsigned size, unsigned acc)
{
    if (size == 0)
        return;
    acc |= ACC_WRITE;
    xlate(c, lin, acc);
    uint32_t pages = (((lin & 0xFFF) + size - 1) >> 12);
    for (uint32_t k = 1; k <= pages; k++)
        xlate(c, (lin & ~0xFFFu) + (k << 12), acc);
}

void mmu_write_slow(struct cpu *c, uint32_t lin, unsigned size, uint32_t v, unsigned acc)
{
    acc |= ACC_WRITE;
    if (unlikely(c->watch_hook))
        watch(c, lin, size, acc, v);
    if (!crosses(lin, size)) {
        const struct tlb_entry *e = xlate(c, lin, acc);
        if (e->perm & need_bit(c, acc))
            host_store(e->host + (lin & 0xFFF), size, v);
        else
            bus_mem_write(c->bus, e->ppage | (lin & 0xFFF), (int)size, v);
        return;
    }
    /* A write that crosses pages translates both before writing a byte,
     * so a fault on the second page leaves the first one untouched. */
    unsigned n1 = 0x1000 - (lin & 0xFFF);
    uint32_t lin2 = lin + n1;
    uint32_t p1 = xlate(c, lin, acc)->ppage | (lin & 0xFFF);
    uint32_t p2 = xlate(c, lin2, acc)->ppage;
    for (unsigned k = 0; k < size; k++) {
        uint32_t pa = k < n1 ? p1 + k : p2 + (k - n1);
        bus_mem_write(c->bus, pa, 1, (v >> (8 * k)) & 0xFF);
    }
}

_Noreturn void seg_fault(struct cpu *c, int seg)
{
    /* The 286 in real mode reports an SS overrun as interrupt 13 like any
     * other (80286 hardware captures); the 386 and later raise #SS. */
    bool ss = seg == S_SS && !(c->model == CPU_286 && !cpu_pm(c));
    cpu_fault(c, ss ? EXC_SS : EXC_GP, 0);
}
