/* stats_json.c -- --stats-json FILE: everything --stats prints, and the
 * guest's regions, as one JSON object, so that `x86lab compare` (and any
 * script) reads a run's figures without parsing text.  Keys are stable;
 * docs/regions.md describes them. */
#include "machine/stats_json.h"

#include <inttypes.h>

#include "machine/machine.h"

const char *trap_class_key(enum trap_class t)
{
    static const char *const keys[TRAP_COUNT] = {
        [TRAP_IF] = "if", [TRAP_FLAGS] = "flags", [TRAP_IO] = "io", [TRAP_INT] = "int",
        [TRAP_FAR] = "far", [TRAP_DESC] = "desc", [TRAP_CRDR] = "crdr", [TRAP_TLB] = "tlb",
        [TRAP_MSR] = "msr", [TRAP_HLT] = "hlt", [TRAP_PF] = "pf", [TRAP_SMC] = "smc",
        [TRAP_TLBMISS] = "tlbmiss", [TRAP_OTHER] = "other",
    };
    return (unsigned)t < TRAP_COUNT ? keys[t] : "?";
}

const char *vmexit_reason_key(enum vmexit_reason r)
{
    static const char *const keys[VMEXIT_COUNT] = {
        [VMEXIT_IO] = "io", [VMEXIT_MMIO] = "mmio", [VMEXIT_HLT] = "hlt",
        [VMEXIT_IRQ_WINDOW] = "irq_window", [VMEXIT_SHUTDOWN] = "shutdown",
        [VMEXIT_DEBUG] = "debug", [VMEXIT_INTR] = "intr", [VMEXIT_FAIL_ENTRY] = "fail_entry",
        [VMEXIT_INTERNAL] = "internal", [VMEXIT_OTHER] = "other",
    };
    return (unsigned)r < VMEXIT_COUNT ? keys[r] : "?";
}

void json_put_string(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s; s++) {
        unsigned char ch = (unsigned char)*s;
        if (ch == '"' || ch == '\\')
            fprintf(f, "\\%c", ch);
        else if (ch < 0x20 || ch >= 0x7F)
            fprintf(f, "\\u%04x", ch);
        else
            fputc(ch, f);
    }
    fputc('"', f);
}

static void put_u64(FILE *f, const char *key, uint64_t v, bool comma)
{
    fprintf(f, "\"%s\": %" PRIu64 "%s", key, v, comma ? ", " : "");
}

/* {"if": {"count": n, "ns": n}, ...}: the classes with a count only. */
static void put_traps(FILE *f, const uint64_t *count, const uint64_t *ns)
{
    bool first = true;
    fputc('{', f);
    for (int k = 0; k < TRAP_COUNT; k++)
        if (count[k] || ns[k]) {
            fprintf(f, "%s\"%s\": {\"count\": %" PRIu64 ", \"ns\": %" PRIu64 "}",
                    first ? "" : ", ", trap_class_key((enum trap_class)k), count[k], ns[k]);
            first = false;
        }
    fputc('}', f);
}

static void put_exits(FILE *f, const uint64_t *count, const uint64_t *ns)
{
    bool first = true;
    fputc('{', f);
    for (int k = 0; k < VMEXIT_COUNT; k++)
        if (count[k] || ns[k]) {
            fprintf(f, "%s\"%s\": {\"count\": %" PRIu64 ", \"ns\": %" PRIu64 "}",
                    first ? "" : ", ", vmexit_reason_key((enum vmexit_reason)k), count[k], ns[k]);
            first = false;
        }
    fputc('}', f);
}

/* {"14": n, ...}: the non-zero entries of a per-vector array. */
static void put_vectors(FILE *f, const uint64_t *v, int n)
{
    bool first = true;
    fputc('{', f);
    for (int k = 0; k < n; k++)
        if (v[k]) {
            fprintf(f, "%s\"%d\": %" PRIu64, first ? "" : ", ", k, v[k]);
            first = false;
        }
    fputc('}', f);
}

static void put_cpu(FILE *f, const struct machine *m)
{
    const struct cpu_counters *n = &m->cpu.count;
    uint64_t exc = 0, irq = 0;
    for (int v = 0; v < 32; v++)
        exc += n->exceptions[v];
    for (int v = 0; v < 256; v++)
        irq += n->interrupts[v];
    fprintf(f, "  ");
    put_u64(f, "instructions", n->insns, true);
    put_u64(f, "exceptions", exc, true);
    put_u64(f, "hw_interrupts", irq, true);
    put_u64(f, "soft_ints", n->soft_ints, true);
    put_u64(f, "io_reads", m->bus.io_reads, true);
    put_u64(f, "io_writes", m->bus.io_writes, false);
    fprintf(f, ",\n  \"exceptions_by_vector\": ");
    put_vectors(f, n->exceptions, 32);
    fprintf(f, ",\n  \"interrupts_by_vector\": ");
    put_vectors(f, n->interrupts, 256);
    fprintf(f, ",\n");
}

static void put_engines(FILE *f, const struct stats *s)
{
    fprintf(f, "  \"engine_ns\": {");
    for (int k = 0; k < ENGINE_COUNT; k++) {
        const struct engine_ops *ops = engine_ops((enum engine_kind)k);
        fprintf(f, "%s\"%s\": %" PRIu64, k ? ", " : "", ops ? ops->name : "?", s->engine_ns[k]);
    }
    fprintf(f, "},\n  \"engine_insns\": {");
    for (int k = 0; k < ENGINE_COUNT; k++) {
        const struct engine_ops *ops = engine_ops((enum engine_kind)k);
        fprintf(f, "%s\"%s\": %" PRIu64, k ? ", " : "", ops ? ops->name : "?", s->engine_insns[k]);
    }
    fprintf(f, "},\n  ");
    put_u64(f, "switches", s->switches, true);
    put_u64(f, "hypercalls", s->hypercalls, false);
    fprintf(f, ",\n  \"bt\": {");
    put_u64(f, "blocks", s->bt_blocks, true);
    put_u64(f, "host_bytes", s->bt_host_bytes, true);
    put_u64(f, "translate_ns", s->bt_translate_ns, true);
    put_u64(f, "insns_translated", s->bt_insns_translated, true);
    put_u64(f, "insns_interpreted", s->bt_insns_interpreted, true);
    put_u64(f, "invalidations", s->bt_invalidations, true);
    put_u64(f, "flushes", s->bt_flushes, true);
    fprintf(f, "\"traps\": ");
    put_traps(f, s->bt_traps, s->bt_trap_ns);
    fprintf(f, "},\n  \"kvm\": {");
    put_u64(f, "guest_ns", s->kvm_guest_ns, true);
    put_u64(f, "injected_irqs", s->kvm_injected_irqs, true);
    put_u64(f, "injected_nmis", s->kvm_injected_nmis, true);
    fprintf(f, "\"exits\": ");
    put_exits(f, s->kvm_exits, s->kvm_exit_ns);
    fprintf(f, "},\n  \"tae\": {");
    put_u64(f, "reflected", s->tae_reflected, true);
    put_u64(f, "irqs", s->tae_irqs, true);
    put_u64(f, "monitor_ns", s->tae_monitor_ns, true);
    uint64_t no_ns[TRAP_COUNT] = { 0 };
    fprintf(f, "\"traps\": ");
    put_traps(f, s->tae_traps, no_ns);
    fprintf(f, "},\n");
}

static void put_region(FILE *f, const struct region *g, bool comma)
{
    const struct region_counts *d = &g->d;
    fprintf(f, "    {\"name\": ");
    json_put_string(f, g->name);
    fprintf(f, ", \"depth\": %d, ", g->depth);
    put_u64(f, "ops", g->ops, true);
    if (g->has_cycles)
        put_u64(f, "guest_cycles", g->guest_cycles, true);
    else
        fprintf(f, "\"guest_cycles\": null, ");
    put_u64(f, "host_ns", d->host_ns, true);
    put_u64(f, "instructions", d->insns, true);
    put_u64(f, "exceptions", d->exceptions, true);
    put_u64(f, "hw_interrupts", d->hw_interrupts, true);
    put_u64(f, "soft_ints", d->soft_ints, true);
    put_u64(f, "io", d->io, true);
    put_u64(f, "hypercalls", d->hypercalls, true);
    put_u64(f, "kvm_guest_ns", d->kvm_guest_ns, true);
    fprintf(f, "\"traps\": ");
    put_traps(f, d->traps, d->trap_ns);
    fprintf(f, ", \"exits\": ");
    put_exits(f, d->kvm_exits, d->kvm_exit_ns);
    fprintf(f, "}%s\n", comma ? "," : "");
}

static void put_regions(FILE *f, const struct region_log *r)
{
    fprintf(f, "  \"regions\": [\n");
    for (int k = 0; k < r->ndone; k++)
        put_region(f, &r->done[k], k + 1 < r->ndone);
    fprintf(f, "  ],\n  ");
    put_u64(f, "regions_open", (uint64_t)r->nopen, true);
    put_u64(f, "regions_dropped", r->dropped, true);
    put_u64(f, "region_errors", r->errors, false);
    fprintf(f, "\n");
}

int stats_write_json(const struct machine *m, const struct stats_run *run, FILE *f)
{
    const struct engine_ops *ops = engine_ops(m->engine);
    fprintf(f, "{\n  \"format\": \"x86lab-stats-1\",\n  \"engine\": ");
    json_put_string(f, ops ? ops->name : "?");
    fprintf(f, ", \"engine_title\": ");
    json_put_string(f, ops ? ops->title : "?");
    fprintf(f, ",\n  \"deterministic\": %s, \"wall_ns\": %" PRIu64 ", \"exit_status\": %d, \"stop\": ",
            m->cfg.deterministic ? "true" : "false", (uint64_t)(run->wall_s * 1e9),
            run->exit_status);
    json_put_string(f, run->stop ? run->stop : "?");
    fprintf(f, ",\n");
    put_cpu(f, m);
    put_engines(f, &m->stats);
    put_regions(f, &m->debugport.regions);
    fprintf(f, "}\n");
    return ferror(f) ? -1 : 0;
}
