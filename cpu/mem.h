/* mem.h -- how instructions reach memory: effective addresses, segment
 * checks (limit, rights, expand-down), and linear accesses through the
 * software TLB.  The inline fast paths cover a TLB hit on RAM that does
 * not cross a page; everything else goes to mmu.c, which walks the page
 * tables, sets accessed/dirty bits, raises #PF and handles MMIO. */
#ifndef X86LAB_MEM_H
#define X86LAB_MEM_H

#include <stdint.h>
#include <string.h>

#include "cpu.h"
#include "insn.h"

#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)

/* Access kinds for the slow path. */
enum {
    ACC_READ = 0, ACC_WRITE = 1, ACC_EXEC = 2,
    ACC_SYS = 4,      /* supervisor access whatever the CPL (descriptor tables, TSS) */
};

/* ---- slow paths (mmu.c) ---- */
uint32_t mmu_read_slow(struct cpu *c, uint32_t lin, unsigned size, unsigned acc);
void mmu_write_slow(struct cpu *c, uint32_t lin, unsigned size, uint32_t v, unsigned acc);
/* Checks that [lin, lin+size) is writable (and sets dirty bits) without
 * writing: used before multi-part stores so that they fault first. */
void mmu_probe_write(struct cpu *c, uint32_t lin, unsigned size, unsigned acc);
/* Translate for access; raises #PF. Returns the physical address. */
uint32_t mmu_translate(struct cpu *c, uint32_t lin, unsigned acc);
/* Translation without side effects or faults (debugger): 0 on success. */
int mmu_peek(struct cpu *c, uint32_t lin, uint32_t *phys);
void tlb_flush(struct cpu *c, bool keep_global);
void tlb_flush_page(struct cpu *c, uint32_t lin);

_Noreturn void seg_fault(struct cpu *c, int seg);

/* ---- effective address ---- */
static inline uint32_t ea(const struct cpu *c, const struct insn *i)
{
    uint32_t off = c->r[i->base] + (c->r[i->index] << i->scale) + i->disp;
    return i->a32 ? off : (off & 0xFFFF);
}

/* ---- segmentation ---- */
static inline uint32_t seg_lin(struct cpu *c, int s, uint32_t off,
                               unsigned size, unsigned need)
{
    const struct seg *sg = &c->seg[s];
    if (unlikely(!(sg->rights & need) || off < sg->lo ||
                 (uint64_t)off + size - 1 > sg->hi))
        seg_fault(c, s);
    return sg->base + off;
}

/* ---- linear accesses at the current privilege ---- */
static inline uint32_t lin_rd(struct cpu *c, uint32_t lin, unsigned size)
{
    const struct tlb_entry *e = &c->tlb[(lin >> 12) & (TLB_SIZE - 1)];
    if (likely(e->vpage == ((lin & ~0xFFFu) | TLB_VALID) &&
               (e->perm & c->tlb_rd) && (lin & 0xFFF) <= 0x1000 - size)) {
        uint32_t v = 0;
        memcpy(&v, e->host + (lin & 0xFFF), size);
        return v;
    }
    return mmu_read_slow(c, lin, size, ACC_READ);
}

static inline void lin_wr(struct cpu *c, uint32_t lin, unsigned size, uint32_t v)
{
    const struct tlb_entry *e = &c->tlb[(lin >> 12) & (TLB_SIZE - 1)];
    if (likely(e->vpage == ((lin & ~0xFFFu) | TLB_VALID) &&
               (e->perm & c->tlb_wr) && (lin & 0xFFF) <= 0x1000 - size)) {
        memcpy(e->host + (lin & 0xFFF), &v, size);
        return;
    }
    mmu_write_slow(c, lin, size, v, ACC_WRITE);
}

/* Supervisor accesses (GDT/LDT/IDT/TSS), whatever the CPL. */
static inline uint32_t sys_rd(struct cpu *c, uint32_t lin, unsigned size)
{
    return mmu_read_slow(c, lin, size, ACC_READ | ACC_SYS);
}
static inline void sys_wr(struct cpu *c, uint32_t lin, unsigned size, uint32_t v)
{
    mmu_write_slow(c, lin, size, v, ACC_WRITE | ACC_SYS);
}

/* ---- segment:offset accesses ---- */
static inline uint32_t mem_rd(struct cpu *c, int s, uint32_t off, unsigned size)
{
    return lin_rd(c, seg_lin(c, s, off, size, SEG_READ), size);
}
static inline void mem_wr(struct cpu *c, int s, uint32_t off, unsigned size, uint32_t v)
{
    lin_wr(c, seg_lin(c, s, off, size, SEG_WRITE), size, v);
}

/* Read-modify-write: check write rights on the segment and the page before
 * reading, so the instruction faults before it changes anything. */
static inline uint32_t mem_rd_rmw(struct cpu *c, int s, uint32_t off,
                                  unsigned size, uint32_t *lin)
{
    *lin = seg_lin(c, s, off, size, SEG_READ | SEG_WRITE);
    const struct tlb_entry *e = &c->tlb[(*lin >> 12) & (TLB_SIZE - 1)];
    if (likely(e->vpage == ((*lin & ~0xFFFu) | TLB_VALID) &&
               (e->perm & c->tlb_wr) && (*lin & 0xFFF) <= 0x1000 - size)) {
        uint32_t v = 0;
        memcpy(&v, e->host + (*lin & 0xFFF), size);
        return v;
    }
    mmu_probe_write(c, *lin, size, ACC_WRITE);
    return mmu_read_slow(c, *lin, size, ACC_READ);
}

/* ---- operands: E (register or memory) and G (register) by size ---- */
static inline uint32_t reg_rd(struct cpu *c, int n, unsigned size)
{
    if (size == 8)
        return *cpu_reg8(c, n);
    return size == 16 ? (c->r[n] & 0xFFFF) : c->r[n];
}

static inline void reg_wr(struct cpu *c, int n, unsigned size, uint32_t v)
{
    if (size == 8)
        *cpu_reg8(c, n) = (uint8_t)v;
    else if (size == 16)
        *cpu_reg16(c, n) = (uint16_t)v;
    else
        c->r[n] = v;
}

static inline unsigned opsize(const struct insn *i)
{
    return i->o32 ? 32 : 16;
}

static inline uint32_t E_rd(struct cpu *c, const struct insn *i, unsigned size)
{
    if (i->mod == 3)
        return reg_rd(c, i->rm, size);
    return mem_rd(c, i->seg, ea(c, i), size / 8);
}

static inline void E_wr(struct cpu *c, const struct insn *i, unsigned size, uint32_t v)
{
    if (i->mod == 3)
        reg_wr(c, i->rm, size, v);
    else
        mem_wr(c, i->seg, ea(c, i), size / 8, v);
}

/* A read of E for a later E_wr_lin: for memory, *lin gets the checked linear
 * address; for registers it is unused. */
static inline uint32_t E_rd_rmw(struct cpu *c, const struct insn *i,
                                unsigned size, uint32_t *lin)
{
    if (i->mod == 3)
        return reg_rd(c, i->rm, size);
    return mem_rd_rmw(c, i->seg, ea(c, i), size / 8, lin);
}

static inline void E_wr_lin(struct cpu *c, const struct insn *i, unsigned size,
                            uint32_t lin, uint32_t v)
{
    if (i->mod == 3)
        reg_wr(c, i->rm, size, v);
    else
        lin_wr(c, lin, size / 8, v);
}

#endif
