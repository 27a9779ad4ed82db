/* stats.h -- the one statistics set every engine fills where it can, and
 * that --stats, the monitor, the SDL overlay and `x86lab compare` read.
 * The interpreter's own counts (instructions, exceptions, interrupts by
 * vector) are in struct cpu_counters (cpu/cpu.h), shared by all engines. */
#ifndef X86LAB_STATS_H
#define X86LAB_STATS_H

#include <stdint.h>
#include <stdio.h>

#include "machine/engine.h"

/* Why translated code called into the emulator (binary translator). */
enum trap_class {
    TRAP_IF,            /* CLI, STI */
    TRAP_FLAGS,         /* PUSHF, POPF, SAHF/LAHF when not copied */
    TRAP_IO,            /* IN, OUT, INS, OUTS */
    TRAP_INT,           /* INT n, INTO, INT3, IRET */
    TRAP_FAR,           /* far CALL/JMP/RET, segment register loads */
    TRAP_DESC,          /* LGDT/LIDT/LLDT/LTR/SGDT/SIDT/SLDT/STR/LAR/LSL/VERR/VERW/ARPL */
    TRAP_CRDR,          /* MOV CRn/DRn, SMSW/LMSW, CLTS */
    TRAP_TLB,           /* INVLPG, WBINVD, INVD */
    TRAP_MSR,           /* RDMSR, WRMSR, CPUID, RDTSC */
    TRAP_HLT,           /* HLT */
    TRAP_PF,            /* a guest page fault raised from translated code */
    TRAP_SMC,           /* self-modifying code invalidation */
    TRAP_TLBMISS,       /* memory access slow path (TLB miss, MMIO, code page) */
    TRAP_OTHER,         /* any other instruction run by the C semantics */
    TRAP_COUNT
};

/* Why KVM_RUN returned (KVM engine). */
enum vmexit_reason {
    VMEXIT_IO, VMEXIT_MMIO, VMEXIT_HLT, VMEXIT_IRQ_WINDOW, VMEXIT_SHUTDOWN,
    VMEXIT_DEBUG, VMEXIT_INTR,    /* signalled out (deadline, switch, stop) */
    VMEXIT_FAIL_ENTRY, VMEXIT_INTERNAL, VMEXIT_OTHER, VMEXIT_COUNT
};

struct stats {
    /* All engines. */
    uint64_t engine_ns[ENGINE_COUNT];    /* host time spent in run() */
    uint64_t engine_insns[ENGINE_COUNT]; /* retired under each (where counted) */
    uint64_t switches;                   /* engine switches */
    uint64_t hypercalls;                 /* paravirtual calls (BIOS, guests) */

    /* Binary translator. */
    uint64_t bt_blocks;                  /* blocks translated */
    uint64_t bt_host_bytes;              /* bytes of host code emitted */
    uint64_t bt_translate_ns;
    uint64_t bt_insns_translated;        /* guest instructions run in host code */
    uint64_t bt_insns_interpreted;       /* guest instructions the BT interpreted */
    uint64_t bt_chain_patches, bt_chain_unpatches;
    uint64_t bt_indirect_lookups, bt_indirect_hits;
    uint64_t bt_invalidations, bt_flushes;
    uint64_t bt_traps[TRAP_COUNT];
    uint64_t bt_trap_ns[TRAP_COUNT];

    /* KVM. */
    uint64_t kvm_exits[VMEXIT_COUNT];
    uint64_t kvm_exit_ns[VMEXIT_COUNT];  /* host time handling each kind */
    uint64_t kvm_guest_ns;               /* time inside KVM_RUN */
    uint64_t kvm_injected_irqs, kvm_injected_nmis;

    /* Trap-and-emulate (tae/): instructions that trapped and were emulated,
     * by class; exceptions and INT n passed on to the guest's IDT;
     * interrupts the monitor held and injected; host time in the monitor. */
    uint64_t tae_traps[TRAP_COUNT];
    uint64_t tae_reflected;
    uint64_t tae_irqs;
    uint64_t tae_monitor_ns;
};

const char *trap_class_name(enum trap_class t);
const char *vmexit_reason_name(enum vmexit_reason r);
/* Host monotonic time in ns (for the *_ns figures). */
uint64_t stats_now_ns(void);

#endif
