/* stats.c -- names for the statistics classes and the --stats report:
 * what each engine did (instructions, translations and traps, VM exits),
 * printed from the one counter set so the engines read side by side. */
#include "machine/stats.h"

#include <inttypes.h>
#include <time.h>

#include "machine/machine.h"

const char *trap_class_name(enum trap_class t)
{
    static const char *const names[TRAP_COUNT] = {
        [TRAP_IF] = "interrupt flag", [TRAP_FLAGS] = "flags image",
        [TRAP_IO] = "port I/O", [TRAP_INT] = "software interrupt/return",
        [TRAP_FAR] = "far transfer/segment load", [TRAP_DESC] = "descriptor tables",
        [TRAP_CRDR] = "control/debug registers", [TRAP_TLB] = "TLB/cache control",
        [TRAP_MSR] = "MSR/CPUID/TSC", [TRAP_HLT] = "halt",
        [TRAP_PF] = "page fault", [TRAP_SMC] = "SMC invalidation",
        [TRAP_TLBMISS] = "TLB-miss slow path", [TRAP_OTHER] = "other",
    };
    return (unsigned)t < TRAP_COUNT ? names[t] : "?";
}

const char *vmexit_reason_name(enum vmexit_reason r)
{
    static const char *const names[VMEXIT_COUNT] = {
        [VMEXIT_IO] = "port I/O", [VMEXIT_MMIO] = "MMIO", [VMEXIT_HLT] = "HLT",
        [VMEXIT_IRQ_WINDOW] = "interrupt window", [VMEXIT_SHUTDOWN] = "shutdown",
        [VMEXIT_DEBUG] = "debug", [VMEXIT_INTR] = "signal (kick)",
        [VMEXIT_FAIL_ENTRY] = "entry failure", [VMEXIT_INTERNAL] = "internal error",
        [VMEXIT_OTHER] = "other",
    };
    return (unsigned)r < VMEXIT_COUNT ? names[r] : "?";
}

uint64_t stats_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void print_cpu(const struct machine *m, FILE *f, double seconds)
{
    const struct cpu_counters *n = &m->cpu.count;
    fprintf(f, "x86lab: %" PRIu64 " instructions in %.3f s (%.1f MIPS)\n",
            n->insns, seconds, seconds > 0 ? (double)n->insns / seconds / 1e6 : 0.0);
    for (int v = 0; v < 32; v++)
        if (n->exceptions[v])
            fprintf(f, "x86lab:   exception %2d: %" PRIu64 "\n", v, n->exceptions[v]);
    for (int v = 0; v < 256; v++)
        if (n->interrupts[v])
            fprintf(f, "x86lab:   interrupt 0x%02x: %" PRIu64 "\n", v, n->interrupts[v]);
    if (n->soft_ints)
        fprintf(f, "x86lab:   software interrupts: %" PRIu64 "\n", n->soft_ints);
    fprintf(f, "x86lab:   port reads %" PRIu64 ", port writes %" PRIu64 "\n",
            m->bus.io_reads, m->bus.io_writes);
}

static void print_engines(const struct machine *m, FILE *f)
{
    const struct stats *s = &m->stats;
    for (int k = 0; k < ENGINE_COUNT; k++) {
        const struct engine_ops *ops = engine_ops((enum engine_kind)k);
        if (ops && s->engine_ns[k])
            fprintf(f, "x86lab:   engine %-6s %.3f s, %" PRIu64 " instructions\n",
                    ops->name, (double)s->engine_ns[k] / 1e9, s->engine_insns[k]);
    }
    if (s->switches)
        fprintf(f, "x86lab:   engine switches: %" PRIu64 "\n", s->switches);
    if (s->hypercalls) {
        fprintf(f, "x86lab:   hypercalls: %" PRIu64 "\n", s->hypercalls);
        hypercall_print_stats(&m->hypercall, f);
    }
}

void stats_print(const struct machine *m, FILE *f, double seconds)
{
    print_cpu(m, f, seconds);
    print_engines(m, f);
    for (int k = 0; k < ENGINE_COUNT; k++)
        if (m->engines[k].priv && m->engines[k].ops->report)
            m->engines[k].ops->report(m->engines[k].priv, f);
}
