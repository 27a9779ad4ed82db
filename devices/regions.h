/* regions.h -- guest-marked measurement regions (docs/regions.md): the
 * guest names a region on port 0xEA, opens and closes it on port 0xEB and
 * may attach its own figures (operation count, RDTSC cycles) through the
 * data port 0xEC; the machine snapshots its counters at each mark. */
#ifndef X86LAB_REGIONS_H
#define X86LAB_REGIONS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "machine/stats.h"

struct bus;
struct cpu;

enum {
    REGION_PORT = 0xEA,        /* 0xEA name, 0xEB command, 0xEC-0xEF data */
    REGION_NAME_MAX = 32,      /* with the NUL: longer names are cut */
    REGION_DEPTH = 8,          /* regions open at once (nested) */
    REGION_MAX = 128,          /* closed regions kept; more are counted only */
};

/* Commands written to port 0xEB. */
enum region_cmd {
    REGION_BEGIN = 1,          /* open a region named by the bytes sent to 0xEA */
    REGION_END = 2,            /* close the innermost open region */
    REGION_SET_OPS = 3,        /* the last closed region: data = operations done */
    REGION_SET_CYCLES_LO = 4,  /* ... data = low 32 bits of the guest's cycles */
    REGION_SET_CYCLES_HI = 5,  /* ... data = high 32 bits */
};

/* What the machine counts, as a snapshot (at a mark) or a difference. */
struct region_counts {
    uint64_t host_ns;                    /* host monotonic clock */
    uint64_t insns;                      /* retired (not counted under KVM) */
    uint64_t exceptions, hw_interrupts, soft_ints;
    uint64_t io;                         /* port reads + writes */
    uint64_t hypercalls;
    uint64_t traps[TRAP_COUNT];          /* translator + trap-and-emulate */
    uint64_t trap_ns[TRAP_COUNT];        /* (the translator times its traps) */
    uint64_t kvm_exits[VMEXIT_COUNT], kvm_exit_ns[VMEXIT_COUNT];
    uint64_t kvm_guest_ns, kvm_injected_irqs;
};

struct region {
    char name[REGION_NAME_MAX];
    int depth;                           /* 0: outermost */
    uint64_t ops;                        /* REGION_SET_OPS (0: not given) */
    uint64_t guest_cycles;               /* REGION_SET_CYCLES_* */
    bool has_cycles;
    struct region_counts d;              /* end - begin */
};

struct region_log {
    const struct stats *stats;           /* the machine's (NULL: not counted) */
    const struct cpu *cpu;
    const struct bus *bus;
    char name[REGION_NAME_MAX];          /* being sent on 0xEA */
    int name_len;
    uint32_t data;                       /* the last dword on 0xEC */
    struct { char name[REGION_NAME_MAX]; struct region_counts at; } open[REGION_DEPTH];
    int nopen;
    struct region done[REGION_MAX];      /* in the order they closed */
    int ndone;
    uint64_t dropped;                    /* closed beyond REGION_MAX */
    uint64_t errors;                     /* bad commands, END with none open... */
};

int regions_init(struct region_log *r, struct bus *b, const struct cpu *c);
/* The counters as they are now. */
void regions_snapshot(const struct region_log *r, struct region_counts *out);
/* One line per closed region (for --stats). */
void regions_print(const struct region_log *r, FILE *f);

#endif
