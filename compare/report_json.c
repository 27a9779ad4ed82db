/* report_json.c -- `x86lab compare --json`: the comparison's figures for
 * scripts: the host, every engine (run or why not), the derived figures
 * of the table, the regions and the nanobenchmark rows. */
#include "compare/compare_int.h"

#include <inttypes.h>

#include "machine/stats_json.h"

static void put_num(FILE *f, const char *key, double v, bool comma)
{
    if (v < 0)
        fprintf(f, "\"%s\": null%s", key, comma ? ", " : "");
    else
        fprintf(f, "\"%s\": %.3f%s", key, v, comma ? ", " : "");
}

static void put_classes(FILE *f, const uint64_t *count, const uint64_t *ns, int n, bool traps)
{
    bool first = true;
    fputc('{', f);
    for (int k = 0; k < n; k++)
        if (count[k]) {
            fprintf(f, "%s\"%s\": {\"count\": %" PRIu64 ", \"ns\": %" PRIu64 "}", first ? "" : ", ",
                    traps ? trap_class_key((enum trap_class)k) : vmexit_reason_key((enum vmexit_reason)k),
                    count[k], ns[k]);
            first = false;
        }
    fputc('}', f);
}

static void put_region(FILE *f, const struct region_result *r, bool comma)
{
    fprintf(f, "        {\"name\": ");
    json_put_string(f, r->name);
    fprintf(f, ", \"depth\": %d, \"ops\": %" PRIu64 ", \"host_ns\": %" PRIu64 ", \"instructions\": %"
            PRIu64 ", \"exceptions\": %" PRIu64 ", \"io\": %" PRIu64 ", \"hypercalls\": %" PRIu64 ", ",
            r->depth, r->ops, r->host_ns, r->insns, r->exceptions, r->io, r->hypercalls);
    if (r->has_cycles)
        fprintf(f, "\"guest_cycles\": %" PRIu64 ", ", r->guest_cycles);
    else
        fprintf(f, "\"guest_cycles\": null, ");
    put_num(f, "ns_per_op", ns_per(r->host_ns, r->ops), true);
    put_num(f, "cycles_per_op", r->has_cycles ? ns_per(r->guest_cycles, r->ops) : -1, true);
    fprintf(f, "\"traps\": ");
    put_classes(f, r->traps, r->trap_ns, TRAP_COUNT, true);
    fprintf(f, ", \"exits\": ");
    put_classes(f, r->exits, r->exit_ns, VMEXIT_COUNT, false);
    fprintf(f, "}%s\n", comma ? "," : "");
}

static void put_ran(FILE *f, const struct comparison *c, const struct engine_result *e)
{
    struct time_part p[SPLIT_MAX];
    int n = time_split(e, p);
    fprintf(f, "      \"exit_status\": %d, \"stop\": ", e->exit_status);
    json_put_string(f, e->stop);
    fprintf(f, ", \"deterministic\": %s, \"wall_ns\": %" PRIu64 ", \"instructions\": %" PRIu64 ",\n      ",
            e->deterministic ? "true" : "false", e->wall_ns, e->insns);
    put_num(f, "mips", mips(e), true);
    put_num(f, "slowdown", slowdown(c, e), false);
    fprintf(f, ",\n      \"time_ns\": {");
    for (int k = 0; k < n; k++)
        fprintf(f, "%s\"%s\": %" PRIu64, k ? ", " : "", p[k].key, p[k].ns);
    fprintf(f, "},\n      \"hw_interrupts\": %" PRIu64 ", \"exceptions\": %" PRIu64
            ", \"soft_ints\": %" PRIu64 ", \"io\": %" PRIu64 ", \"hypercalls\": %" PRIu64 ",\n",
            e->hw_interrupts, e->exceptions, e->soft_ints, e->io, e->hypercalls);
    fprintf(f, "      \"traps\": ");
    put_classes(f, e->traps, e->trap_ns, TRAP_COUNT, true);
    fprintf(f, ",\n      \"exits\": ");
    put_classes(f, e->exits, e->exit_ns, VMEXIT_COUNT, false);
    fprintf(f, ",\n      ");
    put_num(f, "ns_per_trap", ns_per(sum_u64(e->trap_ns, TRAP_COUNT), sum_u64(e->traps, TRAP_COUNT)), true);
    put_num(f, "ns_per_exit", ns_per(sum_u64(e->exit_ns, VMEXIT_COUNT), sum_u64(e->exits, VMEXIT_COUNT)), false);
    fprintf(f, ",\n      \"regions\": [\n");
    for (int k = 0; k < e->nregions; k++)
        put_region(f, &e->regions[k], k + 1 < e->nregions);
    fprintf(f, "      ]");
}

static void put_engine(FILE *f, const struct comparison *c, const struct engine_result *e, bool comma)
{
    fprintf(f, "    {\"name\": ");
    json_put_string(f, e->name);
    fprintf(f, ", \"title\": ");
    json_put_string(f, e->title);
    fprintf(f, ", \"selected\": %s, \"available\": %s, \"why\": ", e->selected ? "true" : "false",
            e->available ? "true" : "false");
    json_put_string(f, e->why);
    fprintf(f, ", \"ran\": %s", e->ran ? "true" : "false");
    if (e->selected && e->available && !e->ran) {
        fprintf(f, ", \"failure\": ");
        json_put_string(f, e->failure);
    }
    if (e->ran) {
        fprintf(f, ",\n");
        put_ran(f, c, e);
    }
    fprintf(f, "}%s\n", comma ? "," : "");
}

static void put_native(FILE *f, const struct comparison *c)
{
    fprintf(f, "  \"native\": [");
    for (int k = 0; c->have_native && k < c->native.n; k++) {
        const struct native_op *n = &c->native.ops[k];
        fprintf(f, "%s\n    {\"op\": ", k ? "," : "");
        json_put_string(f, n->op);
        fprintf(f, ", \"how\": ");
        json_put_string(f, n->how);
        fprintf(f, ", ");
        put_num(f, "ns", n->ok ? n->ns : -1, true);
        put_num(f, "cycles", n->ok ? n->cycles : -1, false);
        fputc('}', f);
    }
    fprintf(f, "],\n");
}

int report_json(const struct comparison *c, FILE *f)
{
    fprintf(f, "{\n  \"format\": \"x86lab-compare-1\",\n  \"x86lab_version\": ");
    json_put_string(f, X86LAB_VERSION);
    fprintf(f, ",\n  \"host_cpu\": ");
    json_put_string(f, c->cpu_model);
    fprintf(f, ",\n  \"nested_kvm\": %s,\n  \"guest_args\": [", c->nested_kvm ? "true" : "false");
    for (int k = 0; k < c->guest_argc; k++) {
        fprintf(f, "%s", k ? ", " : "");
        json_put_string(f, c->guest_argv[k]);
    }
    fprintf(f, "],\n  \"agree\": %s, \"disagreement\": ", c->agree ? "true" : "false");
    json_put_string(f, c->disagreement);
    fprintf(f, ",\n  \"instructions_consistent\": %s,\n", insns_consistent(c) ? "true" : "false");
    fprintf(f, "  \"fastest\": ");
    json_put_string(f, c->fastest >= 0 ? c->eng[c->fastest].name : "");
    fprintf(f, ",\n");
    put_native(f, c);
    fprintf(f, "  \"paper\": ");
    json_put_string(f, nano_paper_citation);
    fprintf(f, ",\n  \"engines\": [\n");
    for (int k = 0; k < ENGINE_COUNT; k++)
        put_engine(f, c, &c->eng[k], k + 1 < ENGINE_COUNT);
    fprintf(f, "  ]\n}\n");
    return ferror(f) ? -1 : 0;
}
