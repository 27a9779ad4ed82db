/* cpu.h -- the one guest CPU state that every engine, the debugger and the
 * tests read and write, and the interpreter's public entry points.
 * Architectural state only lives here; engines keep nothing of their own
 * that a switch between them would lose. */
#ifndef X86LAB_CPU_H
#define X86LAB_CPU_H

#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>

struct bus;
struct icache;

/* CPU models: they decide which instructions exist, CPUID values and a few
 * documented behaviours (FLAGS bits 12-15 in real mode on the 286, the
 * 24-bit address bus of the 286). */
enum cpu_model { CPU_286, CPU_386, CPU_486, CPU_PENTIUM, CPU_P6 };

/* General registers in encoding order.  R_NONE is a ninth slot that always
 * holds zero, so effective addresses are base + (index << scale) + disp
 * without branches for absent base or index. */
enum { R_EAX, R_ECX, R_EDX, R_EBX, R_ESP, R_EBP, R_ESI, R_EDI, R_NONE };

/* Segment registers in encoding order (the sreg field of ModR/M). */
enum { S_ES, S_CS, S_SS, S_DS, S_FS, S_GS, S_COUNT };

/* EFLAGS bits. */
enum {
    F_CF = 1u << 0, F_PF = 1u << 2, F_AF = 1u << 4, F_ZF = 1u << 6,
    F_SF = 1u << 7, F_TF = 1u << 8, F_IF = 1u << 9, F_DF = 1u << 10,
    F_OF = 1u << 11, F_IOPL = 3u << 12, F_NT = 1u << 14, F_RF = 1u << 16,
    F_VM = 1u << 17, F_AC = 1u << 18, F_VIF = 1u << 19, F_VIP = 1u << 20,
    F_ID = 1u << 21,
};
#define F_ARITH (F_CF | F_PF | F_AF | F_ZF | F_SF | F_OF)

/* CR0 / CR4 bits. */
enum {
    CR0_PE = 1u << 0, CR0_MP = 1u << 1, CR0_EM = 1u << 2, CR0_TS = 1u << 3,
    CR0_ET = 1u << 4, CR0_NE = 1u << 5, CR0_WP = 1u << 16, CR0_AM = 1u << 18,
    CR0_NW = 1u << 29, CR0_CD = 1u << 30, CR0_PG = 1u << 31,
};
enum {
    CR4_VME = 1u << 0, CR4_PVI = 1u << 1, CR4_TSD = 1u << 2, CR4_DE = 1u << 3,
    CR4_PSE = 1u << 4, CR4_PAE = 1u << 5, CR4_MCE = 1u << 6, CR4_PGE = 1u << 7,
    CR4_PCE = 1u << 8, CR4_OSFXSR = 1u << 9, CR4_OSXMMEXCPT = 1u << 10,
};

/* Exception vectors. */
enum {
    EXC_DE = 0, EXC_DB = 1, EXC_NMI = 2, EXC_BP = 3, EXC_OF = 4, EXC_BR = 5,
    EXC_UD = 6, EXC_NM = 7, EXC_DF = 8, EXC_TS = 10, EXC_NP = 11, EXC_SS = 12,
    EXC_GP = 13, EXC_PF = 14, EXC_MF = 16, EXC_AC = 17, EXC_MC = 18,
};

/* Segment access rights, kept in the VMX/KVM layout: bits 0-7 are the
 * descriptor's type/S/DPL/P byte, bits 12-15 AVL, L, D/B and G. */
enum {
    AR_TYPE = 0x0F, AR_ACCESSED = 0x01, AR_W = 0x02, AR_R = 0x02,
    AR_EC = 0x04, AR_CODE = 0x08, AR_S = 0x10, AR_DPL = 0x60, AR_P = 0x80,
    AR_AVL = 0x1000, AR_DB = 0x4000, AR_G = 0x8000,
};

/* Rights precomputed at each segment load for the access checks. */
enum { SEG_READ = 1, SEG_WRITE = 2, SEG_EXEC = 4 };

/* A segment register with its hidden descriptor cache.  lo..hi is the range
 * of valid offsets (expand-down segments turn the limit around), computed
 * whenever the register is loaded. */
struct seg {
    uint16_t sel;
    uint16_t ar;
    uint32_t base;
    uint32_t limit;      /* byte-granular limit */
    uint32_t lo, hi;     /* valid offsets, inclusive */
    uint8_t rights;      /* SEG_READ | SEG_WRITE | SEG_EXEC */
};

struct dtr {
    uint32_t base;
    uint16_t limit;
};

/* Lazy arithmetic flags: the last flag-setting operation is remembered and
 * CF/PF/AF/ZF/SF/OF are computed from it only when something reads them.
 * When op is LF_NONE the bits in eflags are the truth.  See flags.h. */
struct lazy_flags {
    uint32_t res, a, b;
    uint8_t op;          /* enum lf_op */
    uint8_t size;        /* 8, 16 or 32 */
};

/* x87 register file (cpu/x87*.c).  tw is the full tag word as FNSTENV
 * stores it; fip/fdp are offsets and fcs/fds selectors of the last
 * non-control instruction and its memory operand. */
struct x87 {
    uint16_t cw, sw, tw;
    uint16_t fop;
    uint32_t fip, fdp;
    uint16_t fcs, fds;
    uint8_t st[8][10];   /* 80-bit registers, physical order */
    bool ferr;           /* FERR# asserted (CR0.NE clear, exception pending) */
    bool ignne;          /* IGNNE# asserted by the board (port 0xF0) */
    uint32_t mxcsr;      /* FXSAVE/FXRSTOR's SSE state, kept opaque */
    uint8_t xmm[8][16];
};

/* Model-specific registers the i686 kernels touch. */
struct msrs {
    uint32_t sysenter_cs, sysenter_esp, sysenter_eip;
    uint64_t apic_base;
    uint64_t misc_enable;
    uint64_t tsc_aux;
    uint64_t perfctr[2];         /* performance counters: hold what is written */
    uint32_t perfevtsel[2];
};

/* What the interpreter counted. */
struct cpu_counters {
    uint64_t insns;
    uint64_t exceptions[32];
    uint64_t interrupts[256];   /* hardware interrupts by vector */
    uint64_t soft_ints;         /* INT n / INT3 / INTO / ICEBP */
    uint64_t triple_faults;
    uint64_t string_fast;       /* REP MOVS/STOS elements done by memcpy/memset (string.c) */
};

/* Why cpu_run returned. */
enum cpu_exit {
    CPU_EXIT_BUDGET,     /* the instruction budget ran out */
    CPU_EXIT_HALT,       /* HLT with nothing to wake it (interrupts off) */
    CPU_EXIT_IDLE,       /* HLT waiting for an interrupt */
    CPU_EXIT_SHUTDOWN,   /* triple fault: the machine decides reset or stop */
    CPU_EXIT_REQUEST,    /* the machine asked to stop (exit port, signal) */
};

struct tlb_entry {
    uint32_t vpage;      /* linear page | TLB_VALID, or 0 */
    uint32_t ppage;      /* physical page address */
    uint8_t *host;       /* host address of the page when it is plain RAM */
    uint8_t perm;        /* TLB_SR | TLB_SW | TLB_UR | TLB_UW: direct host access;
                            bits 4-7: mmu.c's own (access allowed via the bus) */
    uint8_t global;
    uint8_t large;       /* from a 4 MiB page: INVLPG drops all of it (mmu.c) */
};
enum { TLB_SIZE = 1024, TLB_VALID = 1 };
enum { TLB_SR = 1, TLB_SW = 2, TLB_UR = 4, TLB_UW = 8 };

struct cpu {
    uint32_t r[9];               /* general registers, r[R_NONE] == 0 */
    uint32_t eip;
    uint32_t eflags;             /* see struct lazy_flags for the arith bits */
    struct lazy_flags lf;
    struct seg seg[S_COUNT];
    struct seg ldtr, tr;
    struct dtr gdtr, idtr;
    uint32_t cr0, cr2, cr3, cr4;
    uint32_t dr[8];
    uint64_t tsc;
    uint64_t tsc_insns;          /* count.insns when tsc was last updated (msr.c) */
    struct msrs msr;
    struct x87 fpu;
    uint8_t cpl;                 /* current privilege level (cached) */
    uint8_t tlb_rd, tlb_wr;      /* TLB permission bits for CPL's accesses */

    /* Pending events and run state. */
    bool halted;
    uint8_t inhibit_irq;         /* STI / MOV SS shadow: instructions left */
    bool irq_hold;               /* INTR and NMI not taken (gdb's single step) */
    bool rf_pending;             /* EFLAGS.RF seen at rf_at: cleared once an */
    uint64_t rf_at;              /* instruction completes (exec.c) */
    bool nmi_pending, nmi_blocked;
    bool intr_line;              /* INTR pin, driven by the interrupt controller */
    volatile int stop_request;   /* set by devices (exit port) or signals */
    uint8_t exit_block;          /* leave the current decoded block now */
    int (*intr_ack)(void *opaque);   /* returns the vector of INTR */
    void *intr_opaque;
    /* The local APIC, when the board has one (devices/lapic.h): msr.c
     * tells it of IA32_APIC_BASE writes; CPUID shows the APIC feature
     * while it is there and enabled (msr.apic_base bit 11). */
    void (*apic_base_written)(void *opaque, uint64_t value);
    void *apic_opaque;
    /* The initial APIC ID CPUID leaf 1 gives in EBX[31:24] (0: the BSP;
     * machine/smp.c numbers the others). */
    uint8_t initial_apic_id;
    /* FERR# output of the FPU (x87.c), wired by the board to IRQ 13. */
    void (*ferr)(void *opaque, int level);
    void *ferr_opaque;

    /* Fault bookkeeping: where the current instruction began, so a fault
     * restores state exactly as before it (precise exceptions). */
    uint32_t insn_eip, insn_esp;
    jmp_buf *fault_jmp;
    int delivering;              /* vector being delivered, or -1 */
    int pending_vector, pending_error; /* fault raised, not yet delivered */
    bool pending_has_error;

    /* Configuration. */
    enum cpu_model model;
    uint32_t addr_mask;          /* address bus width (24 bits on the 286) */
    uint32_t a20_mask;           /* ~(1 << 20) when A20 is off */
    struct bus *bus;

    /* Observers (debugger, traces): when hooks_on is set, cpu_run executes
     * one instruction at a time and calls insn_hook before each (at a
     * boundary, CS:EIP at the instruction; the hook may set stop_request to
     * end the run before it), and event_hook as each exception or
     * interrupt is delivered (kind: enum int_kind).  NULL hooks are skipped. */
    bool hooks_on;
    void (*insn_hook)(void *opaque, struct cpu *c);
    void (*event_hook)(void *opaque, struct cpu *c, int vector, int kind,
                       bool has_error, uint32_t error);
    void *hook_opaque;
    /* Watchpoints (debugger): when watch_page is set, the TLB asks it
     * whether a linear page is watched; a watched page never gets direct
     * host access, so every data access to it reaches mmu.c's slow path,
     * which calls watch_hook (for writes before storing, with the value).
     * Flush the TLB when the set of watched pages changes. */
    bool (*watch_page)(void *opaque, uint32_t lin_page);
    void (*watch_hook)(void *opaque, struct cpu *c, uint32_t lin, unsigned size,
                       bool write, uint32_t value);

    /* A monitor that sees every exception and interrupt before the CPU
     * delivers it, as a VMM owning the real IDT would (tae/: the
     * trap-and-emulate engine sets it only while it runs).  It longjmps
     * away when it takes the event and returns when the CPU should deliver
     * it itself.  kind: enum int_kind. */
    void (*intercept)(void *opaque, struct cpu *c, int vector, int kind,
                      bool has_error, uint32_t error);
    void *intercept_opaque;

    struct tlb_entry tlb[TLB_SIZE];
    struct icache *icache;       /* the interpreter's decoded blocks */
    struct cpu_counters count;
};

/* Returns 0, or -1 when memory for the decoded-block cache is lacking. */
int cpu_init(struct cpu *c, enum cpu_model model, struct bus *bus);
void cpu_free(struct cpu *c);
void cpu_reset(struct cpu *c);
enum cpu_exit cpu_run(struct cpu *c, uint64_t budget);
/* A write hit a physical page holding decoded code (the bus reports it). */
void cpu_code_written(struct cpu *c, uint32_t paddr);

/* Raise a fault from inside an instruction: state is rolled back to the
 * start of the instruction and the exception is delivered. */
_Noreturn void cpu_fault(struct cpu *c, int vector, uint32_t error);
_Noreturn void cpu_fault_noerr(struct cpu *c, int vector);
/* Delivers the fault cpu_fault recorded (double and triple fault rules as
 * in cpu_run) once the caller has rolled the state back to the faulting
 * instruction; false on a triple fault.  For engines with their own loop. */
bool cpu_deliver_fault(struct cpu *c);

uint32_t cpu_get_eflags(struct cpu *c);
void cpu_set_eflags(struct cpu *c, uint32_t value);

/* Every CPL change goes through here: the TLB checks depend on it. */
static inline void cpu_set_cpl(struct cpu *c, unsigned cpl)
{
    c->cpl = (uint8_t)cpl;
    c->tlb_rd = cpl == 3 ? TLB_UR : TLB_SR;
    c->tlb_wr = cpl == 3 ? TLB_UW : TLB_SW;
}

static inline bool cpu_pm(const struct cpu *c) { return c->cr0 & CR0_PE; }
static inline bool cpu_v86(const struct cpu *c) { return c->eflags & F_VM; }

/* 8-bit register access: 0-3 are AL CL DL BL, 4-7 AH CH DH BH. */
static inline uint8_t *cpu_reg8(struct cpu *c, int n)
{
    return (uint8_t *)&c->r[n & 3] + (n >> 2);
}
static inline uint16_t *cpu_reg16(struct cpu *c, int n)
{
    return (uint16_t *)&c->r[n];
}

#endif
