/* diff.h -- the differential tester (tests/diff): random instruction
 * sequences run in the interpreter (the reference) and in a target (the host
 * CPU, the binary translator or KVM) from the same state, then compared. */
#ifndef X86LAB_DIFF_H
#define X86LAB_DIFF_H

#include <stdbool.h>
#include <stdint.h>

#include "cpu/cpu.h"
#include "machine/engine.h"

struct machine;

/* Guest layout: flat 32-bit protected mode, ring 0.  The scratch buffer
 * sits at the same address in the guest (linear = physical) and in the host
 * process (a fixed low mapping), so a register holding a buffer address
 * means the same on both sides and no operand is rewritten.  It straddles
 * the page boundary PAGE_SPLIT: for the engine targets paging is on and
 * the page above PAGE_SPLIT is, per sequence, writable, read-only (CR0.WP
 * set) or not present, so accesses across it fault in the middle of the
 * buffer; the stack stays below PAGE_SPLIT. */
enum {
    G_GDT = 0x800, G_IDT = 0x1000, G_HANDLER = 0x2000, G_TSS = 0x2800,
    G_CODE = 0x3000, G_PD = 0x6000, G_PT = 0x7000, G_STACK = 0x70000,
    BUF_ADDR = 0x001FFE00, BUF_SIZE = 1024, PAGE_SPLIT = 0x00200000,
    STACK_TOP = PAGE_SPLIT - 16,
    HANDLER_STRIDE = 8,           /* one HLT per vector, 8 bytes apart */
    G_TSS_B = G_TSS + 0x100,      /* the task sequences switch to */
    SEL_TSS_A = 0x40, SEL_TSS_B = 0x48,
    TSS_B_ESP = STACK_TOP - 256,
    GUEST_RAM_MB = 4,
};
enum page_mode { PAGE_RW, PAGE_RO, PAGE_ABSENT };

enum { MAX_INSNS = 24, CODE_MAX = 384 };

/* A sequence: instructions back to back, each remembered by offset and
 * length so that the shrinker can drop single instructions. */
struct seq {
    int n;
    uint16_t off[MAX_INSNS];
    uint8_t len[MAX_INSNS];
    uint8_t code[CODE_MAX];
    int size;
};

/* A machine state that both sides can start from and end in. */
struct state {
    uint32_t r[8];               /* EAX..EDI; ESP only matters to engines */
    uint32_t flags;              /* arithmetic flags and DF (IF stays 0) */
    uint16_t sel[S_COUNT];       /* selectors (engine targets only) */
    uint8_t page_mode;           /* enum page_mode of the page at PAGE_SPLIT */
    uint32_t cr2;                /* at the end (engine targets only) */
    uint8_t buf[BUF_SIZE];
};

/* How a run ended: state at the end, or at the faulting instruction. */
struct outcome {
    struct state s;
    int vector;                  /* exception taken, -1 for none */
    int fault_off;               /* offset in seq->code of the faulting insn
                                  * (VEC_LOST: where the run ended instead) */
    int end;                     /* seq->size: where a normal run ends */
    uint32_t undef;              /* flags undefined at the end (reference only) */
    bool valid;                  /* false: sequence not comparable (see interp.c) */
};

/* outcome.vector when the run ended neither at the end nor in a handler,
 * and after a triple fault. */
enum { VEC_LOST = 32, VEC_SHUTDOWN = 33 };
/* Where guest_result finds EIP after a triple fault (set by the runner). */
enum { SHUTDOWN_EIP = 0xFFFFFFF0u };

/* ---- random numbers (xorshift64*) ---- */
struct rng {
    uint64_t s;
};
uint64_t rng_next(struct rng *g);
static inline uint32_t rng32(struct rng *g) { return (uint32_t)(rng_next(g) >> 32); }
static inline unsigned rngn(struct rng *g, unsigned n) { return (unsigned)(rng_next(g) % n); }
uint32_t rng_val(struct rng *g);     /* operand values with edge cases */

/* ---- the generator (gen.c, gen32.c) ---- */
enum gen_mix {
    MIX_HOST,      /* forms valid with the same meaning in 32- and 64-bit mode */
    MIX_FULL,      /* plus 32-bit-only forms (BCD, PUSHA, segments, far...) */
};
struct gen {
    struct rng rng;
    enum gen_mix mix;
    bool intel;                  /* host vendor (for result-undefined cases) */
    bool lahf;                   /* the host has LAHF/SAHF in 64-bit mode */
    /* KVM nested under QEMU's software CPU (the kvm-sandbox): forms that
     * QEMU 7.2 itself gets wrong are not generated: the TEST alias F6/F7
     * /1 (#UD there) and CMPXCHG8B (other flags than ZF change, and the
     * wrong flags spread).  The host CPU target tests both. */
    bool sandbox;
    int want;                    /* instructions still to generate */
    uint8_t avoid;               /* registers enc_mem must not use (bit n: reg n) */
};
/* What the generator may know of the reference machine before the next
 * instruction: registers, flags and guest RAM (for memory operands). */
struct view {
    uint32_t r[8];
    uint32_t flags;
    const uint8_t *ram;
    uint32_t ram_size;
};
void gen_state(struct gen *g, struct state *s, bool engine);
/* Appends one or a few instructions (setup moves, then the instruction of
 * a family) to q for the state v.  Returns how many, 0 when q is full. */
int gen_next(struct gen *g, struct view *v, struct seq *q);
/* 32-bit-only forms (gen32.c); same contract. */
int gen32_next(struct gen *g, struct view *v, struct seq *q);

/* Encoding helpers shared by gen.c and gen32.c. */
struct enc {
    uint8_t b[16];
    int n;
};
void enc_put(struct enc *e, uint8_t v);
void enc_imm(struct enc *e, uint32_t v, int bytes);
bool seq_append(struct seq *q, const struct enc *e);
/* ModR/M (+SIB, disp) with reg naming memory at an address in [lo, hi]
 * for the registers of v, in a random addressing form; the address chosen
 * in *addr.  Every form means the same in 32- and 64-bit mode. */
void enc_mem(struct gen *g, const struct view *v, struct enc *e, int reg,
             uint32_t lo, uint32_t hi, uint32_t *addr);
void enc_modrm_reg(struct enc *e, int reg, int rm);

/* ---- the reference: x86lab's interpreter (interp.c) ---- */
struct ref;
struct ref *ref_open(bool engine, bool intel, char *why, size_t len);
void ref_close(struct ref *r);
struct machine *ref_machine(struct ref *r);
/* Runs q (extending it with g when g != NULL) from in, one instruction at
 * a time, checking that every instruction is comparable (memory inside the
 * buffer, no undefined flag read, no undefined result). */
void ref_run(struct ref *r, struct seq *q, const struct state *in,
             struct outcome *out, struct gen *g);
/* Guest setup shared with the engine target. */
int guest_setup(struct machine *m);
void guest_load(struct machine *m, const struct seq *q, const struct state *in, bool engine);
void guest_result(struct machine *m, struct outcome *o, bool engine);

/* ---- targets ---- */
struct target {
    const char *name;
    bool engine;                 /* state includes ESP/segments/stack (engines) */
    void *priv;
    void (*run)(void *priv, const struct seq *q, const struct state *in,
                struct outcome *out);
    void (*close)(void *priv);
};
int target_host_open(struct target *t, char *why, size_t len);
int target_engine_open(struct target *t, enum engine_kind k, char *why, size_t len);

/* ---- what the comparison forgives (known.c) ---- */
/* Undefined flags (ref->undef) also in the exception frame's EFLAGS image:
 * the target's undefined bits there become the reference's. */
void outcome_mask_undefined(const struct seq *q, const struct outcome *ref, struct outcome *t);
/* Mismatch classes with an established cause outside the engine under
 * test: the sandbox CPU's (sandbox: KVM nested under QEMU's TCG).
 * known_class gives one or -1. */
enum { KNOWN_ICEBP, KNOWN_NO_LIMIT, KNOWN_RMW_PF, KNOWN_PF_FLAGS, KNOWN_CMPS_ORDER,
       KNOWN_QEMU_RF, KNOWN_COUNT };
extern const char *const known_class_names[KNOWN_COUNT];
int known_class(const struct seq *q, const struct outcome *r, const struct outcome *t,
                bool engine, bool sandbox);

/* ---- reporting (report.c) ---- */
void print_seq(const struct seq *q);
void print_state_diff(const struct state *in, const struct outcome *a,
                      const struct outcome *b, const char *na, const char *nb,
                      bool engine);
/* True when the outcomes agree (undefined flags of a masked). */
bool outcomes_equal(const struct outcome *a, const struct outcome *b, bool engine);

#endif
