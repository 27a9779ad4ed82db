/* compare_int.h -- what the parts of `x86lab compare` share: one engine's
 * run (its figures as read back from --stats-json), the whole comparison,
 * the host's native measurements, the nanobenchmark table. */
#ifndef X86LAB_COMPARE_INT_H
#define X86LAB_COMPARE_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "machine/engine.h"
#include "machine/stats.h"

#ifndef X86LAB_VERSION
#define X86LAB_VERSION "unknown"
#endif

struct jv;

/* One guest-marked region of one run. */
struct region_result {
    char name[32];
    int depth;
    uint64_t ops, guest_cycles;
    bool has_cycles;
    uint64_t host_ns, insns, exceptions, hw_interrupts, io, hypercalls, kvm_guest_ns;
    uint64_t traps[TRAP_COUNT], trap_ns[TRAP_COUNT];
    uint64_t exits[VMEXIT_COUNT], exit_ns[VMEXIT_COUNT];
};

/* One engine: whether it could run, and what its run did. */
struct engine_result {
    enum engine_kind kind;
    const char *name, *title;
    bool selected;             /* asked for (--engines) */
    bool available;            /* this host can run it */
    char why[256];             /* available(): why not, or a caveat (nested KVM) */
    bool ran;                  /* a run finished and its figures were read */
    char failure[300];         /* why the run gave no figures */
    bool deterministic;
    int exit_status;           /* x86lab's */
    char stop[64];
    char *output;              /* the guest's stdout (debug console, serial) */
    size_t output_len;
    char *errout;              /* x86lab's stderr */
    /* whole-run figures */
    uint64_t wall_ns, insns, exceptions, hw_interrupts, soft_ints, io, hypercalls;
    uint64_t engine_ns[ENGINE_COUNT], engine_insns[ENGINE_COUNT];
    uint64_t bt_blocks, bt_translate_ns, bt_insns_translated, bt_insns_interpreted;
    uint64_t traps[TRAP_COUNT], trap_ns[TRAP_COUNT];
    uint64_t exits[VMEXIT_COUNT], exit_ns[VMEXIT_COUNT];
    uint64_t kvm_guest_ns, kvm_injected_irqs;
    uint64_t tae_monitor_ns;   /* trap-and-emulate: time in the monitor */
    int nregions;
    struct region_result *regions;
};

/* The host's own cost of an operation (native_ops.c); ok false: n/a. */
enum { NATIVE_MAX = 16 };
struct native_op {
    const char *op;            /* the nanobench region name it matches */
    const char *how;           /* what was measured on the host */
    bool ok;
    double ns, cycles;         /* per operation (cycles: host TSC) */
};
struct native_result {
    int n;
    struct native_op ops[NATIVE_MAX];
};

struct comparison {
    char **guest_argv;         /* the guest's options */
    int guest_argc;
    const char *self;          /* the x86lab binary */
    const char *ignore_prefix; /* output lines left out of the agreement check */
    struct engine_result eng[ENGINE_COUNT];
    bool agree;                /* every run's output and exit status the same */
    char disagreement[512];
    int fastest;               /* engine with the least wall time, -1: none */
    char cpu_model[128];
    bool nested_kvm;
    struct native_result native;
    bool have_native;
};

/* Sums of the per-class arrays. */
uint64_t sum_u64(const uint64_t *v, int n);
/* The engines that ran, in kind order; returns how many. */
int ran_engines(const struct comparison *c, const struct engine_result *out[ENGINE_COUNT]);

/* run.c: runs the guest under e (progress on stderr); false + e->failure. */
bool compare_run_engine(struct comparison *c, struct engine_result *e, int index, int total,
                        unsigned timeout_s);
/* Reads one --stats-json text into e; false + e->failure. */
bool compare_read_stats(struct engine_result *e, const char *json_text);

/* native_ops.c: the host's cost of the operations it can run. */
void native_measure(struct native_result *out);

/* nanobench.c: the table of operations, the paper's reference. */
struct nano_op {
    const char *region;        /* the region name the nanobench kernel uses */
    const char *what;          /* a short description */
    const char *paper_op;      /* Adams & Agesen's name for it, NULL: not in the paper */
};
extern const struct nano_op nano_ops[];
extern const int nano_nops;
extern const char *const nano_paper_citation;
extern const char *const nano_paper_note;
/* Does any run have regions named as the nanobench's? */
bool nano_present(const struct comparison *c);
const struct region_result *find_region(const struct engine_result *e, const char *name);
const struct native_op *find_native(const struct comparison *c, const char *op);

/* figures.c: derived figures, the same in every report. */
enum { SPLIT_MAX = 10 };
struct time_part {
    const char *label;
    const char *key;           /* for JSON */
    uint64_t ns;
};
/* Where e's wall time went; returns the number of parts (zero ones left out). */
int time_split(const struct engine_result *e, struct time_part out[SPLIT_MAX]);
double mips(const struct engine_result *e);          /* < 0: not counted (KVM) */
double slowdown(const struct comparison *c, const struct engine_result *e);
double ns_per(uint64_t ns, uint64_t n);              /* < 0 when n is 0 */
/* Is this trap class / exit reason non-zero in any run? */
bool any_trap(const struct comparison *c, int k);
bool any_exit(const struct comparison *c, int k);
/* Do the deterministic runs all retire the same number of instructions? */
bool insns_consistent(const struct comparison *c);
/* Region names in first-seen order over all runs; returns how many. */
int region_names(const struct comparison *c, const char *out[], int max);

/* Reports. */
void report_terminal(const struct comparison *c, FILE *f);
int report_json(const struct comparison *c, FILE *f);
int report_html(const struct comparison *c, FILE *f);

#endif
