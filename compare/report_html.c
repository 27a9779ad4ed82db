/* report_html.c -- `x86lab compare --report FILE.html`: one self-contained
 * page (inline CSS and SVG, no script, nothing fetched) with the machine
 * and version, charts of where each engine's time went and of its traps
 * and exits, a short explanation under each, the comparison table, the
 * guest's regions and, for the nanobenchmarks, the per-operation table.
 * The page is also well-formed XML, so xmllint can check it strictly. */
#include "compare/compare_int.h"

#include <inttypes.h>
#include <string.h>
#include <time.h>

#include "compare/svg.h"

static const char *const css =
    "body{font-family:sans-serif;max-width:60em;margin:1em auto;padding:0 1em;color:#222}"
    "table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;padding:2px 8px;"
    "text-align:right}th{background:#eee}td:first-child,th:first-child{text-align:left}"
    "p.explain{color:#444;font-size:90%;max-width:52em}.bad{color:#b00;font-weight:bold}"
    ".ok{color:#070;font-weight:bold}code{background:#f4f4f4}";

static void header(const struct comparison *c, FILE *f)
{
    char when[64] = "";
    time_t now = time(NULL);
    strftime(when, sizeof when, "%Y-%m-%d %H:%M", localtime(&now));
    fprintf(f, "<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\">\n"
            "<head>\n<meta charset=\"utf-8\"/>\n<title>x86lab compare</title>\n<style>%s</style>\n"
            "</head>\n<body>\n<h1>x86lab compare</h1>\n<p>Guest: <code>x86lab", css);
    for (int k = 0; k < c->guest_argc; k++) {
        fputc(' ', f);
        html_escape(f, c->guest_argv[k]);
    }
    fprintf(f, "</code><br/>\nHost: ");
    html_escape(f, c->cpu_model);
    fprintf(f, "<br/>\nx86lab %s, %s</p>\n", X86LAB_VERSION, when);
    if (c->nested_kvm)
        fprintf(f, "<p class=\"bad\">KVM here is nested KVM under emulation: its timings show "
                "the cost of that arrangement, not of hardware virtualization.</p>\n");
    if (c->agree)
        fprintf(f, "<p class=\"ok\">The guest printed the same output and ended with the same "
                "exit status under every engine.</p>\n");
    else {
        fprintf(f, "<p class=\"bad\">The engines disagree: ");
        html_escape(f, c->disagreement);
        fprintf(f, "</p>\n");
    }
}

static void explain(FILE *f, const char *text)
{
    fprintf(f, "<p class=\"explain\">%s</p>\n", text);
}

static void time_chart(const struct comparison *c, FILE *f)
{
    static const char *const keys[] = { "interpreter", "translated_code", "traps", "translation",
                                        "kvm_guest", "vm_exits", "kvm_other", "tae_guest",
                                        "tae_monitor", "outside" };
    static const char *const names[] = { "interpreter", "translated code", "traps", "translation",
                                         "guest in KVM_RUN", "VM exits", "KVM other",
                                         "deprivileged guest", "monitor", "outside" };
    struct svg_chart ch = { .title = "Wall time per engine, split", .stacked = true,
                            .unit = SVG_NS };
    const struct engine_result *e[ENGINE_COUNT];
    ch.nrows = ran_engines(c, e);
    for (int s = 0; s < 10 && ch.nseries < SVG_MAX_SERIES; s++) {   /* the parts some engine has */
        bool used = false;
        for (int r = 0; r < ch.nrows; r++) {
            struct time_part p[SPLIT_MAX];
            int n = time_split(e[r], p);
            ch.row[r] = e[r]->title;
            for (int k = 0; k < n; k++)
                if (!strcmp(p[k].key, keys[s])) {
                    ch.v[r][ch.nseries] = (double)p[k].ns;
                    used = true;
                }
        }
        if (used)
            ch.series[ch.nseries++] = names[s];
    }
    fprintf(f, "<h2>Where the time went</h2>\n");
    svg_chart(f, &ch);
    explain(f, "One bar per engine: the wall time of the guest's run, split by what the host "
            "was doing. The interpreter decodes and executes every instruction in C. The binary "
            "translator runs translated host code and calls into C (a trap) for the instructions "
            "it does not translate: privileged and sensitive ones, port I/O, faults. Under KVM the "
            "real CPU runs the guest (time inside KVM_RUN) until something needs x86lab: a VM "
            "exit. The trap-and-emulate monitor runs the guest deprivileged and emulates what "
            "faults (time in the monitor). Outside: device timers, idling in HLT, the machine loop.");
}

/* Traps (translator) or exits (KVM) by cause: one row per cause. */
static void cause_chart(const struct comparison *c, FILE *f, bool traps)
{
    struct svg_chart ch = { .title = traps ? "Translator traps by class" : "VM exits by reason",
                            .unit = SVG_COUNT, .log_scale = true };
    const struct engine_result *e[ENGINE_COUNT];
    int n = 0, ncause = traps ? TRAP_COUNT : VMEXIT_COUNT;
    for (int k = 0; k < ENGINE_COUNT; k++) {    /* the engines that have any */
        const struct engine_result *r = &c->eng[k];
        if (r->ran && sum_u64(traps ? r->traps : r->exits, ncause)) {
            e[n++] = r;
            ch.series[ch.nseries++] = r->title;
        }
    }
    for (int k = 0; k < ncause && ch.nrows < SVG_MAX_ROWS; k++) {
        if (traps ? !any_trap(c, k) : !any_exit(c, k))
            continue;
        ch.row[ch.nrows] = traps ? trap_class_name((enum trap_class)k)
                                 : vmexit_reason_name((enum vmexit_reason)k);
        for (int s = 0; s < n; s++)
            ch.v[ch.nrows][s] = (double)(traps ? e[s]->traps[k] : e[s]->exits[k]);
        ch.nrows++;
    }
    fprintf(f, "<h2>%s</h2>\n", traps ? "Traps by class (binary translator, trap-and-emulate)"
                                      : "VM exits by reason (KVM)");
    if (!ch.nrows) {
        fprintf(f, "<p>No %s in any run%s.</p>\n", traps ? "traps" : "VM exits",
                traps ? (c->eng[ENGINE_BT].ran ? "" : " (the translator did not run)")
                      : (c->eng[ENGINE_KVM].ran ? "" : " (KVM did not run)"));
        return;
    }
    svg_chart(f, &ch);
    explain(f, traps
        ? "How often translated code called into the emulator, by the kind of instruction or "
          "event (log scale), and for the trap-and-emulate monitor how often a privileged "
          "instruction of its deprivileged guest faulted and was emulated. The interpreter never "
          "traps: it runs everything in C anyway. The table below gives the mean host time of "
          "each kind (the translator's, estimated: it times one trap in 16)."
        : "Why the real CPU left the guest and returned to x86lab (log scale): port I/O and MMIO "
          "go to x86lab's devices, HLT waits for an interrupt, an interrupt window lets x86lab "
          "inject an interrupt. These are the exits that reach x86lab; KVM handles some in "
          "the kernel (CPUID, most MSRs) without telling it, so they show only as time.");
}

static void cell_u64(FILE *f, uint64_t v) { fprintf(f, "<td>%" PRIu64 "</td>", v); }

static void cell_ns(FILE *f, double ns)
{
    char t[48];
    svg_format(t, sizeof t, ns, SVG_NS);
    fprintf(f, "<td>%s</td>", t);
}

static void table(const struct comparison *c, FILE *f)
{
    const struct engine_result *e[ENGINE_COUNT];
    int n = ran_engines(c, e);
    fprintf(f, "<h2>The figures</h2>\n<table>\n<tr><th>engine</th>");
    for (int k = 0; k < n; k++)
        fprintf(f, "<th>%s<br/>%s</th>", e[k]->name, e[k]->title);
    fprintf(f, "</tr>\n<tr><td>exit status</td>");
    for (int k = 0; k < n; k++)
        fprintf(f, "<td>%d</td>", e[k]->exit_status);
    fprintf(f, "</tr>\n<tr><td>wall time</td>");
    for (int k = 0; k < n; k++)
        cell_ns(f, (double)e[k]->wall_ns);
    fprintf(f, "</tr>\n<tr><td>guest instructions</td>");
    for (int k = 0; k < n; k++)
        if (e[k]->kind == ENGINE_KVM)
            fprintf(f, "<td>not counted</td>");
        else
            cell_u64(f, e[k]->insns);
    fprintf(f, "</tr>\n<tr><td>MIPS</td>");
    for (int k = 0; k < n; k++)
        fprintf(f, mips(e[k]) < 0 ? "<td>n/a</td>" : "<td>%.1f</td>", mips(e[k]));
    fprintf(f, "</tr>\n<tr><td>slowdown against the fastest</td>");
    for (int k = 0; k < n; k++)
        fprintf(f, slowdown(c, e[k]) < 0 ? "<td>-</td>" : "<td>%.2f&#215;</td>", slowdown(c, e[k]));
    static const struct { const char *label; size_t off; } rows[] = {
        { "hardware interrupts taken", offsetof(struct engine_result, hw_interrupts) },
        { "exceptions", offsetof(struct engine_result, exceptions) },
        { "software interrupts", offsetof(struct engine_result, soft_ints) },
        { "port I/O accesses", offsetof(struct engine_result, io) },
        { "hypercalls", offsetof(struct engine_result, hypercalls) },
    };
    for (size_t r = 0; r < sizeof rows / sizeof rows[0]; r++) {
        fprintf(f, "</tr>\n<tr><td>%s</td>", rows[r].label);
        for (int k = 0; k < n; k++) {
            uint64_t v;
            memcpy(&v, (const char *)e[k] + rows[r].off, sizeof v);
            cell_u64(f, v);
        }
    }
    fprintf(f, "</tr>\n");
    for (int t = 0; t < 2; t++) {
        fprintf(f, "<tr><td>%s</td>", t ? "VM exits, mean cost" : "traps, mean cost");
        for (int k = 0; k < n; k++) {
            uint64_t count = t ? sum_u64(e[k]->exits, VMEXIT_COUNT) : sum_u64(e[k]->traps, TRAP_COUNT);
            uint64_t ns = t ? sum_u64(e[k]->exit_ns, VMEXIT_COUNT) : sum_u64(e[k]->trap_ns, TRAP_COUNT);
            if (count && ns)
                fprintf(f, "<td>%" PRIu64 ", %.0f ns</td>", count, ns_per(ns, count));
            else if (count)
                fprintf(f, "<td>%" PRIu64 "</td>", count);
            else
                fprintf(f, "<td>0</td>");
        }
        fprintf(f, "</tr>\n");
    }
    for (int k = 0; k < TRAP_COUNT + VMEXIT_COUNT; k++) {
        bool trap = k < TRAP_COUNT;
        int i = trap ? k : k - TRAP_COUNT;
        if (trap ? !any_trap(c, i) : !any_exit(c, i))
            continue;
        fprintf(f, "<tr><td>&#160;&#160;%s %s</td>", trap ? "trap:" : "exit:",
                trap ? trap_class_name((enum trap_class)i) : vmexit_reason_name((enum vmexit_reason)i));
        for (int j = 0; j < n; j++) {
            uint64_t count = trap ? e[j]->traps[i] : e[j]->exits[i];
            uint64_t ns = trap ? e[j]->trap_ns[i] : e[j]->exit_ns[i];
            if (count && ns)
                fprintf(f, "<td>%" PRIu64 ", %.0f ns each</td>", count, ns_per(ns, count));
            else if (count)
                fprintf(f, "<td>%" PRIu64 "</td>", count);
            else
                fprintf(f, "<td>-</td>");
        }
        fprintf(f, "</tr>\n");
    }
    fprintf(f, "</table>\n");
    explain(f, "Instructions are counted by the interpreter and the translator (the same number "
            "when both run deterministically, as here: the guest did the same work); KVM cannot "
            "count them. Traps happen only in the translator, VM exits only under KVM; the cost of "
            "each is the host time from leaving the guest code to returning to it.");
}

void report_html_regions(const struct comparison *c, FILE *f);

static void missing(const struct comparison *c, FILE *f)
{
    fprintf(f, "<h2>Engines not run</h2>\n<ul>\n");
    int n = 0;
    for (int k = 0; k < ENGINE_COUNT; k++) {
        const struct engine_result *e = &c->eng[k];
        if (e->ran)
            continue;
        fprintf(f, "<li><b>%s</b>: ", e->name);
        html_escape(f, !e->selected ? "not asked for (--engines)" : !e->available ? e->why : e->failure);
        fprintf(f, "</li>\n");
        n++;
    }
    if (!n)
        fprintf(f, "<li>none: every engine ran</li>\n");
    fprintf(f, "</ul>\n");
}

int report_html(const struct comparison *c, FILE *f)
{
    header(c, f);
    time_chart(c, f);
    cause_chart(c, f, true);
    cause_chart(c, f, false);
    table(c, f);
    report_html_regions(c, f);
    missing(c, f);
    fprintf(f, "</body>\n</html>\n");
    return ferror(f) ? -1 : 0;
}
