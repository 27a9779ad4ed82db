/* report_html_regions.c -- the HTML report's region part: every region the
 * guest marked (docs/regions.md), and for examples/nanobench the chart and
 * tables of the cost of each operation under each engine and natively,
 * beside the operations of Adams and Agesen's paper. */
#include "compare/compare_int.h"

#include <inttypes.h>
#include <string.h>

#include "compare/svg.h"

static void regions_table(const struct comparison *c, FILE *f)
{
    const char *names[64];
    const struct engine_result *e[ENGINE_COUNT];
    int nr = region_names(c, names, 64), n = ran_engines(c, e);
    if (!nr)
        return;
    fprintf(f, "<h2>Guest-marked regions</h2>\n<table>\n<tr><th>region</th>");
    for (int k = 0; k < n; k++)
        fprintf(f, "<th>%s: host time</th><th>instructions</th><th>traps / exits</th>", e[k]->name);
    fprintf(f, "</tr>\n");
    for (int r = 0; r < nr; r++) {
        fprintf(f, "<tr><td>");
        html_escape(f, names[r]);
        fprintf(f, "</td>");
        for (int k = 0; k < n; k++) {
            const struct region_result *g = find_region(e[k], names[r]);
            char t[48];
            if (!g) {
                fprintf(f, "<td>-</td><td>-</td><td>-</td>");
                continue;
            }
            svg_format(t, sizeof t, (double)g->host_ns, SVG_NS);
            fprintf(f, "<td>%s</td><td>%" PRIu64 "</td><td>%" PRIu64 "</td>", t, g->insns,
                    sum_u64(g->traps, TRAP_COUNT) + sum_u64(g->exits, VMEXIT_COUNT));
        }
        fprintf(f, "</tr>\n");
    }
    fprintf(f, "</table>\n<p class=\"explain\">The guest marked these regions on the region "
            "ports (docs/regions.md); x86lab took its counters at each mark, so these figures are "
            "for that part of the run only. Instructions under KVM are not counted.</p>\n");
}

static void nano_chart(const struct comparison *c, FILE *f)
{
    const struct engine_result *e[ENGINE_COUNT];
    int n = ran_engines(c, e);
    struct svg_chart ch = { .title = "Host time per operation", .unit = SVG_NS, .log_scale = true };
    ch.series[ch.nseries++] = "native (host)";
    for (int k = 0; k < n; k++)
        ch.series[ch.nseries++] = e[k]->title;
    for (int r = 0; r < nano_nops && r < SVG_MAX_ROWS; r++) {
        const struct native_op *nat = find_native(c, nano_ops[r].region);
        ch.row[r] = nano_ops[r].region;
        ch.v[r][0] = nat && nat->ok ? nat->ns : -1;
        for (int k = 0; k < n; k++) {
            const struct region_result *g = find_region(e[k], nano_ops[r].region);
            ch.v[r][k + 1] = g ? ns_per(g->host_ns, g->ops) : -1;
        }
        ch.nrows++;
    }
    fprintf(f, "<h2>Nanobenchmarks: the cost of one operation</h2>\n");
    svg_chart(f, &ch);
    fprintf(f, "<p class=\"explain\">Host time per operation (log scale), from the host clock "
            "read at the guest's region marks, divided by the number of operations the guest "
            "did. Native: the same operation done by a host process where one can (n/a: a user "
            "process cannot run it). An operation the translator must trap on, or that makes KVM "
            "exit, costs a transition into x86lab; one that needs neither runs at the speed of "
            "translated code, or natively inside KVM.</p>\n");
}

enum nano_kind { NANO_NS, NANO_CYCLES, NANO_TRANSITIONS };

static void nano_cell(FILE *f, const struct engine_result *e, const char *op, enum nano_kind kind)
{
    const struct region_result *g = find_region(e, op);
    char t[48];
    if (!g || !g->ops || (kind == NANO_CYCLES && !g->has_cycles)) {
        fprintf(f, "<td class=\"bad\">missing</td>");
        return;
    }
    if (kind == NANO_NS)
        svg_format(t, sizeof t, ns_per(g->host_ns, g->ops), SVG_NS);
    else if (kind == NANO_CYCLES)
        snprintf(t, sizeof t, "%.1f", (double)g->guest_cycles / (double)g->ops);
    else
        snprintf(t, sizeof t, "%.2f", (double)(e->kind == ENGINE_KVM ? sum_u64(g->exits, VMEXIT_COUNT)
                                              : sum_u64(g->traps, TRAP_COUNT)) / (double)g->ops);
    fprintf(f, "<td>%s</td>", t);
}

static void nano_table(const struct comparison *c, FILE *f, enum nano_kind kind, const char *title,
                       const char *note)
{
    const struct engine_result *e[ENGINE_COUNT];
    int n = ran_engines(c, e);
    fprintf(f, "<h3>%s</h3>\n<table>\n<tr><th>operation</th><th>paper's</th>", title);
    if (kind != NANO_TRANSITIONS)
        fprintf(f, "<th>native (host)</th>");
    for (int k = 0; k < n; k++)
        fprintf(f, "<th>%s</th>", e[k]->title);
    fprintf(f, "</tr>\n");
    for (int r = 0; r < nano_nops; r++) {
        const struct native_op *nat = find_native(c, nano_ops[r].region);
        fprintf(f, "<tr><td>%s: %s</td><td>%s</td>", nano_ops[r].region, nano_ops[r].what,
                nano_ops[r].paper_op ? nano_ops[r].paper_op : "-");
        if (kind == NANO_NS && nat && nat->ok) {
            char t[48];
            svg_format(t, sizeof t, nat->ns, SVG_NS);
            fprintf(f, "<td title=\"%s\">%s</td>", nat->how, t);
        } else if (kind == NANO_CYCLES && nat && nat->ok) {
            fprintf(f, "<td title=\"%s\">%.1f</td>", nat->how, nat->cycles);
        } else if (kind != NANO_TRANSITIONS) {
            fprintf(f, "<td>n/a</td>");
        }
        for (int k = 0; k < n; k++)
            nano_cell(f, e[k], nano_ops[r].region, kind);
        fprintf(f, "</tr>\n");
    }
    fprintf(f, "</table>\n<p class=\"explain\">%s</p>\n", note);
}

static void native_list(const struct comparison *c, FILE *f)
{
    if (!c->have_native)
        return;
    fprintf(f, "<p class=\"explain\">Native measurements, on this host:</p>\n<ul>\n");
    for (int k = 0; k < c->native.n; k++) {
        fprintf(f, "<li>%s: ", c->native.ops[k].op);
        html_escape(f, c->native.ops[k].how);
        fprintf(f, "</li>\n");
    }
    fprintf(f, "</ul>\n");
}

void report_html_regions(const struct comparison *c, FILE *f);

void report_html_regions(const struct comparison *c, FILE *f)
{
    regions_table(c, f);
    if (!nano_present(c))
        return;
    nano_chart(c, f);
    nano_table(c, f, NANO_NS, "Host time per operation",
               "Host nanoseconds: what one guest operation cost this computer under each engine.");
    nano_table(c, f, NANO_CYCLES, "Guest TSC cycles per operation",
               "What the guest measured itself with RDTSC around its loop, divided by the count "
               "(loop overhead, DEC and JNZ, included). Under --deterministic (interpreter, "
               "translator) the guest's TSC counts retired instructions, one per instruction, so "
               "these are instructions per operation, the same in both; under KVM the TSC is the "
               "real one. Native: the host's TSC.");
    nano_table(c, f, NANO_TRANSITIONS, "Transitions into x86lab per operation",
               "Translator: traps into the emulator's C code per operation; trap-and-emulate: "
               "privileged instructions that faulted and were emulated; KVM: VM exits that reached "
               "x86lab (KVM handles CPUID itself, in the kernel); the interpreter has no "
               "transitions (everything is emulated).");
    native_list(c, f);
    fprintf(f, "<h3>Reference</h3>\n<p>");
    html_escape(f, nano_paper_citation);
    fprintf(f, "</p>\n<p class=\"explain\">");
    html_escape(f, nano_paper_note);
    fprintf(f, "</p>\n");
}
