/* tae.h -- the trap-and-emulate engine's private state (tae.c) and the
 * classification of the instructions that trap (classify.c).  The engine
 * is a teaching device: see README.md. */
#ifndef X86LAB_TAE_H
#define X86LAB_TAE_H

#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>

#include "cpu/cpu.h"
#include "machine/stats.h"

struct machine;

/* The monitor's tables, in guest RAM below the EBDA (linear = physical:
 * a guest that pages must map them 1:1, as the examples' low 4 MiB are;
 * a real monitor would map itself through its shadow page tables). */
enum {
    TAE_GDT = 0x9C000, TAE_GDT_MAX = 0x2000,   /* the guest's GDT copied, + 2 */
    TAE_IDT = 0x9E000,                         /* 256 gates into the monitor */
    TAE_TSS = 0x9E800,                         /* the monitor's TSS (no I/O bitmap) */
    TAE_END = 0x9F000,
};

/* What the guest believes while the real CPU runs it deprivileged. */
struct tae_virtual {
    uint8_t cpl;
    uint32_t flags;                 /* its IF and IOPL */
    struct dtr gdtr, idtr;
    struct seg ldtr, tr;
    uint32_t cr0;
    uint32_t sysenter_cs;
};

/* The event that brought the CPU into the monitor. */
struct tae_event {
    int vector, kind;               /* kind: enum int_kind */
    bool has_error;
    uint32_t error;
};

struct tae {
    struct machine *m;
    bool deprived;                  /* the CPU state is the real one */
    struct tae_virtual v;
    uint16_t tss_sel, ldt_sel;      /* the monitor's, in its GDT */
    struct tae_event ev;
    jmp_buf *trap_jmp;              /* back into the monitor from the CPU */
    bool pending_irq[256];          /* acknowledged while the guest's IF was 0 */
};

/* The statistics class of the instruction at CS:EIP (virtual state). */
enum trap_class tae_trap_class(struct cpu *c);

#endif
