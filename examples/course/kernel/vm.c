/* vm.c -- segments and pages.  One GDT for all CPUs: flat kernel and user
 * segments plus one TSS per CPU (its ring-0 stack for traps from ring 3).
 * One page directory: 0-8 MiB identity-mapped for the kernel only, the
 * APICs' 4 MiB from FEC00000h uncached, USERSIZE bytes of user memory
 * at USERBASE. */
#include "defs.h"
#include "x86.h"

#define PTE_P   0x001
#define PTE_W   0x002
#define PTE_U   0x004
#define PTE_PWT 0x008
#define PTE_PCD 0x010
#define CR0_PG  0x80000000u
#define CR0_WP  0x00010000u
#define IOBASE  0xFEC00000u         /* I/O APIC and local APIC: 4 MiB from here */

static uint64_t gdt[5 + NCPU];

static uint32_t pgdir[1024] __attribute__((aligned(4096)));
static uint32_t kpt[2][1024] __attribute__((aligned(4096)));
static uint32_t iopt[1024] __attribute__((aligned(4096)));
static uint32_t upt[1024] __attribute__((aligned(4096)));

/* A segment descriptor: limit in bytes (flags bit 3 clear) or pages. */
static uint64_t segdesc(uint32_t base, uint32_t limit, uint8_t access, uint8_t flags)
{
    return (limit & 0xFFFF) | (uint64_t)(base & 0xFFFFFF) << 16 |
           (uint64_t)access << 40 | (uint64_t)((limit >> 16) & 0xF) << 48 |
           (uint64_t)(flags & 0xF) << 52 | (uint64_t)(base >> 24) << 56;
}

/* Called by every CPU: the GDT (built by the first caller), its TSS. */
void seginit(void)
{
    gdt[1] = segdesc(0, 0xFFFFF, 0x9A, 0xC);    /* kernel code: DPL 0, 4 GiB */
    gdt[2] = segdesc(0, 0xFFFFF, 0x92, 0xC);    /* kernel data */
    gdt[3] = segdesc(0, 0xFFFFF, 0xFA, 0xC);    /* user code: DPL 3 */
    gdt[4] = segdesc(0, 0xFFFFF, 0xF2, 0xC);    /* user data */

    pushcli();
    int id = cpuid();
    struct cpu *c = mycpu();
    c->ts.ss0 = SEG_KDATA;
    c->ts.iomb = 0xFFFF;                        /* no I/O bitmap: no port I/O at ring 3 */
    gdt[5 + id] = segdesc((uint32_t)&c->ts, sizeof c->ts - 1, 0x89, 0);
    popcli();

    struct dtr d = { sizeof gdt - 1, (uint32_t)gdt };
    __asm__ volatile("lgdt %0\n\t"
                     "ljmp %1, $1f\n"
                     "1:\n\t"
                     "movw %w2, %%ds\n\t"
                     "movw %w2, %%es\n\t"
                     "movw %w2, %%ss\n\t"
                     "movw %w2, %%fs\n\t"
                     "movw %w2, %%gs"
                     : : "m"(d), "i"(SEG_KCODE), "r"(SEG_KDATA) : "memory");
    ltr(SEG_TSS(id));
}

/* The page tables, once, by the BSP. */
void kvminit(void)
{
    if ((uint32_t)lapic < IOBASE)
        panic("local APIC at %p: not in the mapped page table", (uint32_t)lapic);
    for (uint32_t i = 0; i < 1024; i++) {
        kpt[0][i] = i * 4096 | PTE_P | PTE_W;
        kpt[1][i] = (0x400000 + i * 4096) | PTE_P | PTE_W;
        iopt[i] = (IOBASE + i * 4096) | PTE_P | PTE_W | PTE_PCD | PTE_PWT;
    }
    for (uint32_t i = 0; i < USERSIZE / 4096; i++)
        upt[i] = (USERPHYS + i * 4096) | PTE_P | PTE_W | PTE_U;
    pgdir[0] = (uint32_t)kpt[0] | PTE_P | PTE_W;
    pgdir[1] = (uint32_t)kpt[1] | PTE_P | PTE_W;
    pgdir[IOBASE >> 22] = (uint32_t)iopt | PTE_P | PTE_W;
    pgdir[USERBASE >> 22] = (uint32_t)upt | PTE_P | PTE_W | PTE_U;
}

uint32_t kpgdir(void)
{
    return (uint32_t)pgdir;
}

/* Paging on, with this page directory (the APs do it in apboot.asm). */
void kvmload(void)
{
    lcr3(kpgdir());
    lcr0(rcr0() | CR0_PG | CR0_WP);
}
