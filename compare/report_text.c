/* report_text.c -- the terminal table of `x86lab compare`: one column per
 * engine that ran, the rows of the issue (wall time, instructions, MIPS,
 * slowdown, time split, traps, exits, interrupts, cost per event), the
 * guest's regions and, for examples/nanobench, the per-operation table. */
#include "compare/compare_int.h"

#include <inttypes.h>
#include <string.h>

enum { LABEL_W = 34, CELL_W = 19, CELL = 40 };

struct table {
    FILE *f;
    const struct engine_result *e[ENGINE_COUNT];
    int n;
};

typedef void (*cell_fn)(const struct engine_result *e, const void *arg, char *out);

static void row(const struct table *t, const char *label, cell_fn fn, const void *arg)
{
    fprintf(t->f, "%-*s", LABEL_W, label);
    for (int k = 0; k < t->n; k++) {
        char cell[CELL] = "";
        fn(t->e[k], arg, cell);
        fprintf(t->f, " %-*s", CELL_W, cell);
    }
    fputc('\n', t->f);
}

static void fmt_ns(char *out, double ns)
{
    if (ns < 0)
        snprintf(out, CELL, "-");
    else if (ns >= 1e9)
        snprintf(out, CELL, "%.3f s", ns / 1e9);
    else if (ns >= 1e6)
        snprintf(out, CELL, "%.2f ms", ns / 1e6);
    else if (ns >= 1e4)
        snprintf(out, CELL, "%.1f us", ns / 1e3);
    else
        snprintf(out, CELL, "%.1f ns", ns);
}

static void c_name(const struct engine_result *e, const void *a, char *o) { (void)a; snprintf(o, CELL, "%s", e->name); }
static void c_title(const struct engine_result *e, const void *a, char *o) { (void)a; snprintf(o, CELL, "%.18s", e->title); }
static void c_status(const struct engine_result *e, const void *a, char *o) { (void)a; snprintf(o, CELL, "%d", e->exit_status); }
static void c_wall(const struct engine_result *e, const void *a, char *o) { (void)a; fmt_ns(o, (double)e->wall_ns); }

static void c_insns(const struct engine_result *e, const void *a, char *o)
{
    (void)a;
    if (e->kind == ENGINE_KVM)
        snprintf(o, CELL, "not counted");
    else
        snprintf(o, CELL, "%" PRIu64, e->insns);
}

static void c_mips(const struct engine_result *e, const void *a, char *o)
{
    (void)a;
    double m = mips(e);
    snprintf(o, CELL, m < 0 ? "n/a" : "%.1f", m);
}

static void c_slow(const struct engine_result *e, const void *c, char *o)
{
    double s = slowdown(c, e);
    snprintf(o, CELL, s < 0 ? "-" : "%.2fx", s);
}

/* arg: the key of a time_split part. */
static void c_part(const struct engine_result *e, const void *key, char *o)
{
    struct time_part p[SPLIT_MAX];
    int n = time_split(e, p);
    for (int k = 0; k < n; k++)
        if (!strcmp(p[k].key, key)) {
            fmt_ns(o, (double)p[k].ns);
            snprintf(o + strlen(o), (size_t)(CELL - (int)strlen(o)), " %2.0f%%",
                     e->wall_ns ? 100.0 * (double)p[k].ns / (double)e->wall_ns : 0.0);
            return;
        }
    snprintf(o, CELL, "-");
}

/* arg: a pointer to the uint64_t field's offset in struct engine_result. */
static void c_u64(const struct engine_result *e, const void *off, char *o)
{
    uint64_t v;
    memcpy(&v, (const char *)e + *(const size_t *)off, sizeof v);
    snprintf(o, CELL, "%" PRIu64, v);
}

static void c_trap(const struct engine_result *e, const void *k, char *o)
{
    int c = *(const int *)k;
    if (!e->traps[c])
        snprintf(o, CELL, "-");
    else if (!e->trap_ns[c])             /* trap-and-emulate does not time each */
        snprintf(o, CELL, "%" PRIu64, e->traps[c]);
    else
        snprintf(o, CELL, "%" PRIu64 " (%.0f ns)", e->traps[c], ns_per(e->trap_ns[c], e->traps[c]));
}

static void c_exit(const struct engine_result *e, const void *k, char *o)
{
    int c = *(const int *)k;
    if (!e->exits[c])
        snprintf(o, CELL, "-");
    else
        snprintf(o, CELL, "%" PRIu64 " (%.0f ns)", e->exits[c], ns_per(e->exit_ns[c], e->exits[c]));
}

static void c_trap_cost(const struct engine_result *e, const void *a, char *o)
{
    (void)a;
    uint64_t ns = sum_u64(e->trap_ns, TRAP_COUNT);
    fmt_ns(o, ns ? ns_per(ns, sum_u64(e->traps, TRAP_COUNT)) : -1);
}

static void c_exit_cost(const struct engine_result *e, const void *a, char *o)
{
    (void)a;
    fmt_ns(o, ns_per(sum_u64(e->exit_ns, VMEXIT_COUNT), sum_u64(e->exits, VMEXIT_COUNT)));
}

static void c_traps(const struct engine_result *e, const void *a, char *o)
{
    (void)a;
    snprintf(o, CELL, "%" PRIu64, sum_u64(e->traps, TRAP_COUNT));
}

static void c_exits(const struct engine_result *e, const void *a, char *o)
{
    (void)a;
    snprintf(o, CELL, "%" PRIu64, sum_u64(e->exits, VMEXIT_COUNT));
}

static void counters(const struct table *t)
{
    static const struct { const char *label; size_t off; } rows[] = {
        { "hardware interrupts taken", offsetof(struct engine_result, hw_interrupts) },
        { "exceptions", offsetof(struct engine_result, exceptions) },
        { "software interrupts (INT n)", offsetof(struct engine_result, soft_ints) },
        { "port I/O accesses", offsetof(struct engine_result, io) },
        { "hypercalls", offsetof(struct engine_result, hypercalls) },
    };
    for (size_t k = 0; k < sizeof rows / sizeof rows[0]; k++)
        row(t, rows[k].label, c_u64, &rows[k].off);
}

static void traps_exits(const struct table *t, const struct comparison *c)
{
    row(t, "traps (translator, T&E)", c_traps, NULL);
    for (int k = 0; k < TRAP_COUNT; k++)
        if (any_trap(c, k)) {
            char label[64];
            snprintf(label, sizeof label, "  %s", trap_class_name((enum trap_class)k));
            row(t, label, c_trap, &k);
        }
    row(t, "cost per trap (mean)", c_trap_cost, NULL);
    row(t, "VM exits", c_exits, NULL);
    for (int k = 0; k < VMEXIT_COUNT; k++)
        if (any_exit(c, k)) {
            char label[64];
            snprintf(label, sizeof label, "  %s", vmexit_reason_name((enum vmexit_reason)k));
            row(t, label, c_exit, &k);
        }
    row(t, "cost per exit (mean)", c_exit_cost, NULL);
}

static void time_rows(const struct table *t)
{
    static const struct { const char *key, *label; } parts[] = {
        { "interpreter", "  interpreter" }, { "translated_code", "  translated code" },
        { "traps", "  traps (emulated in C)" }, { "translation", "  translation" },
        { "kvm_guest", "  guest in KVM_RUN" }, { "vm_exits", "  VM-exit handling" },
        { "kvm_other", "  KVM engine, other" }, { "tae_guest", "  deprivileged guest (T&E)" },
        { "tae_monitor", "  monitor (trap-and-emulate)" },
        { "outside", "  outside engine (devices, idle)" },
    };
    fprintf(t->f, "time split:\n");
    for (size_t k = 0; k < sizeof parts / sizeof parts[0]; k++)
        row(t, parts[k].label, c_part, parts[k].key);
}

/* arg: a region name. */
static void c_region_time(const struct engine_result *e, const void *name, char *o)
{
    const struct region_result *r = find_region(e, name);
    if (r)
        fmt_ns(o, (double)r->host_ns);
    else
        snprintf(o, CELL, "-");
}

static void c_region_events(const struct engine_result *e, const void *name, char *o)
{
    const struct region_result *r = find_region(e, name);
    if (!r)
        snprintf(o, CELL, "-");
    else if (e->kind == ENGINE_KVM)
        snprintf(o, CELL, "%" PRIu64 " exits", sum_u64(r->exits, VMEXIT_COUNT));
    else
        snprintf(o, CELL, "%" PRIu64 " i, %" PRIu64 " t", r->insns, sum_u64(r->traps, TRAP_COUNT));
}

static void regions(const struct table *t, const struct comparison *c, bool skip_nano)
{
    const char *names[64];
    int n = region_names(c, names, 64), shown = 0;
    for (int k = 0; k < n; k++) {
        bool nano = false;
        for (int j = 0; j < nano_nops; j++)
            nano |= !strcmp(names[k], nano_ops[j].region);
        if (nano && skip_nano)
            continue;
        if (!shown++)
            fprintf(t->f, "\nguest-marked regions (host time; instructions i and traps t, or "
                    "VM exits):\n");
        char label[64];
        snprintf(label, sizeof label, "  %.30s", names[k]);
        row(t, label, c_region_time, names[k]);
        row(t, "", c_region_events, names[k]);
    }
}

/* One nanobench row: the label, the native cell, then one cell per engine. */
static void nano_row(const struct table *t, const char *label, const char *native, cell_fn fn,
                     const void *arg)
{
    fprintf(t->f, "%-*s %-*s", 24, label, 12, native);
    for (int k = 0; k < t->n; k++) {
        char cell[CELL] = "";
        fn(t->e[k], arg, cell);
        fprintf(t->f, " %-*s", 16, cell);
    }
    fputc('\n', t->f);
}

static void c_nano_ns(const struct engine_result *e, const void *op, char *o)
{
    const struct region_result *r = find_region(e, op);
    if (!r || !r->ops)
        snprintf(o, CELL, "missing");
    else
        fmt_ns(o, ns_per(r->host_ns, r->ops));
}

static void c_nano_cycles(const struct engine_result *e, const void *op, char *o)
{
    const struct region_result *r = find_region(e, op);
    if (!r || !r->ops || !r->has_cycles)
        snprintf(o, CELL, "missing");
    else
        snprintf(o, CELL, "%.1f", (double)r->guest_cycles / (double)r->ops);
}

static void c_nano_events(const struct engine_result *e, const void *op, char *o)
{
    const struct region_result *r = find_region(e, op);
    uint64_t n = !r ? 0 : e->kind == ENGINE_KVM ? sum_u64(r->exits, VMEXIT_COUNT)
                                                : sum_u64(r->traps, TRAP_COUNT);
    if (!r || !r->ops)
        snprintf(o, CELL, "missing");
    else
        snprintf(o, CELL, "%.2f", (double)n / (double)r->ops);
}

static void nano_table(const struct table *t, const struct comparison *c, const char *title,
                       cell_fn fn, bool native_ns)
{
    fprintf(t->f, "\n%s\n", title);
    char head[CELL];
    nano_row(t, "operation [paper's]", "native", c_name, NULL);
    for (int k = 0; k < nano_nops; k++) {
        const struct native_op *n = find_native(c, nano_ops[k].region);
        char label[64];
        snprintf(label, sizeof label, "%s%s%s%s", nano_ops[k].region,
                 nano_ops[k].paper_op ? " [" : "", nano_ops[k].paper_op ? nano_ops[k].paper_op : "",
                 nano_ops[k].paper_op ? "]" : "");
        if (!n || !n->ok)
            snprintf(head, sizeof head, "n/a");
        else if (native_ns)
            fmt_ns(head, n->ns);
        else
            snprintf(head, sizeof head, "%.1f", n->cycles);
        nano_row(t, label, fn == c_nano_events ? "" : head, fn, nano_ops[k].region);
    }
}

static void report_nano_text(const struct comparison *c, const struct table *t)
{
    nano_table(t, c, "nanobenchmarks: host time per operation (host clock at the guest's region "
               "marks; native: the host itself, n/a where a user process cannot)", c_nano_ns, true);
    nano_table(t, c, "nanobenchmarks: guest TSC cycles per operation (RDTSC in the guest; under "
               "--deterministic the TSC counts retired instructions, 1 per instruction; native: "
               "host TSC)", c_nano_cycles, false);
    nano_table(t, c, "nanobenchmarks: transitions per operation (translator: traps into C; "
               "trap-and-emulate: instructions emulated; KVM: VM exits that reach x86lab; "
               "interpreter: none)", c_nano_events, false);
    fprintf(t->f, "[paper's]: %s\n  %s\n", nano_paper_citation, nano_paper_note);
}

void report_terminal(const struct comparison *c, FILE *f)
{
    struct table t = { .f = f };
    t.n = ran_engines(c, t.e);
    fprintf(f, "\nx86lab compare -- %s, x86lab %s\n", c->cpu_model, X86LAB_VERSION);
    if (c->nested_kvm)
        fprintf(f, "note: nested KVM under emulation: KVM's timings are not hardware performance\n");
    row(&t, "engine", c_name, NULL);
    row(&t, "", c_title, NULL);
    row(&t, "exit status", c_status, NULL);
    row(&t, "wall time", c_wall, NULL);
    row(&t, "guest instructions", c_insns, NULL);
    row(&t, "MIPS", c_mips, NULL);
    row(&t, "slowdown vs the fastest", c_slow, c);
    time_rows(&t);
    counters(&t);
    traps_exits(&t, c);
    bool nano = nano_present(c);
    regions(&t, c, nano);
    if (nano)
        report_nano_text(c, &t);
    fputc('\n', f);
    for (int k = 0; k < ENGINE_COUNT; k++) {
        const struct engine_result *e = &c->eng[k];
        if (!e->selected)
            fprintf(f, "not run: %s (not asked for with --engines)\n", e->name);
        else if (!e->available)
            fprintf(f, "not run: %s: %s\n", e->name, e->why);
        else if (!e->ran)
            fprintf(f, "failed: %s: %s\n", e->name, e->failure);
    }
    fprintf(f, "guest output and exit status: %s%s\n", c->agree ? "the same under every engine"
            : "DIFFERENT: ", c->agree ? "" : c->disagreement);
    fprintf(f, "instructions retired: %s\n", insns_consistent(c)
            ? "the same under every deterministic engine" : "DIFFERENT between deterministic engines");
}
