/* compare.c -- `x86lab compare [OPTIONS] -- GUEST-OPTIONS`: boots the same
 * guest once under each engine (run.c), checks that what the guest showed
 * (its output and exit status) is the same everywhere, and reports the
 * figures side by side: a terminal table, --json, --report FILE.html. */
#include "compare/compare.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compare/compare_int.h"

struct compare_opts {
    bool want[ENGINE_COUNT];
    const char *report;        /* --report FILE.html */
    const char *json;          /* --json[=FILE]: "-" for stdout */
    unsigned timeout_s;
    bool native;
    FILE *report_f, *json_f;   /* opened before the runs: a bad path fails at once */
};

static void usage(FILE *f)
{
    fputs(
"usage: x86lab compare [OPTIONS] -- GUEST-OPTIONS...\n"
"Boots the guest GUEST-OPTIONS describe (anything x86lab accepts: -kernel,\n"
"-fda, --load/--entry...) once under each engine -- interpreter, binary\n"
"translator, KVM -- in deterministic mode where the engine allows it,\n"
"checks that the guest's output and exit status agree, and reports wall\n"
"time, instructions, MIPS, slowdown, the time split, traps by class, VM\n"
"exits by reason, interrupts and the guest's marked regions\n"
"(docs/regions.md) side by side.\n"
"\n"
"  --engines=LIST     engines to run, comma-separated (default: every one\n"
"                     built in; one this host cannot run is listed with why)\n"
"  --report=FILE      also write a self-contained HTML report (SVG charts)\n"
"  --json[=FILE]      the figures as JSON on stdout (or into FILE) instead\n"
"                     of the table\n"
"  --timeout=SECONDS  per run (default 600; 0: none)\n"
"  --ignore-prefix=P  guest output lines starting with P are measurements\n"
"                     that differ by engine, left out of the agreement check\n"
"                     (default \"time:\")\n"
"  --no-native        do not measure the host's own cost of the operations\n"
"                     (the nanobenchmark table's native column)\n"
"\n"
"Exit status: 0 every run agreed, 1 they disagreed or one failed, 2 bad\n"
"options or nothing could run.\n", f);
}

static int bad(const char *fmt, const char *arg)
{
    fprintf(stderr, "x86lab compare: ");
    fprintf(stderr, fmt, arg);
    fputc('\n', stderr);
    return 2;
}

static int parse_engine_list(char *list, bool want[ENGINE_COUNT])
{
    memset(want, 0, sizeof(bool) * ENGINE_COUNT);
    int n = 0;
    for (char *t = strtok(list, ","); t; t = strtok(NULL, ",")) {
        int k = engine_by_name(t);
        if (k < 0)
            return -1;
        want[k] = true;
        n++;
    }
    return n ? 0 : -1;
}

/* Options up to "--"; returns the index of the first guest option, or
 * -(exit status) when done (help, error). */
static int parse_opts(int argc, char **argv, struct compare_opts *o, struct comparison *c)
{
    for (int k = 1; k < argc; k++) {
        char *a = argv[k];
        char *val = strchr(a, '=');
        if (val)
            *val++ = 0;
        if (!strcmp(a, "--"))
            return k + 1;
        if (!strcmp(a, "-h") || !strcmp(a, "--help"))
            return usage(stdout), -0;
        if (!strcmp(a, "--no-native")) {
            o->native = false;
            continue;
        }
        if (!strcmp(a, "--json")) {
            o->json = val ? val : "-";
            continue;
        }
        if (!val && k + 1 < argc && strcmp(argv[k + 1], "--") &&
            (!strcmp(a, "--engines") || !strcmp(a, "--report") || !strcmp(a, "--timeout") ||
             !strcmp(a, "--ignore-prefix")))
            val = argv[++k];
        if (!val)
            return -bad("unknown option or missing value '%s' (see x86lab compare --help)", a);
        if (!strcmp(a, "--engines")) {
            if (parse_engine_list(val, o->want) < 0)
                return -bad("--engines: expected engine names separated by commas (interp, bt, "
                            "kvm), not '%s'", val);
        } else if (!strcmp(a, "--report")) {
            o->report = val;
        } else if (!strcmp(a, "--timeout")) {
            char *end;
            unsigned long t = strtoul(val, &end, 10);
            if (*end || end == val || t > 86400)
                return -bad("--timeout: expected seconds (0-86400), not '%s'", val);
            o->timeout_s = (unsigned)t;
        } else if (!strcmp(a, "--ignore-prefix")) {
            c->ignore_prefix = val;
        } else {
            return -bad("unknown option '%s' (see x86lab compare --help)", a);
        }
    }
    return -bad("%s", "no guest: give its options after --, e.g. "
                "x86lab compare -- -kernel build/examples/nanobench/nanobench.elf");
}

/* The guest options must not choose the engine or the stats file. */
static int check_guest_opts(const struct comparison *c)
{
    static const char *const taken[] = { "--engine", "--stats-json", "--switch-engine-after",
                                         "--switch-engines", "--debug", "--debug-script", "-S" };
    for (int k = 0; k < c->guest_argc; k++)
        for (size_t t = 0; t < sizeof taken / sizeof taken[0]; t++) {
            size_t n = strlen(taken[t]);
            if (!strncmp(c->guest_argv[k], taken[t], n) &&
                (c->guest_argv[k][n] == 0 || c->guest_argv[k][n] == '='))
                return bad("%s: compare chooses the engine and collects the figures itself; "
                           "leave it out of the guest options", taken[t]);
        }
    return -1;
}

/* The guest's output without the lines it marks as measurements. */
static char *comparable_output(const char *out, const char *prefix)
{
    size_t plen = prefix ? strlen(prefix) : 0;
    char *res = malloc(strlen(out ? out : "") + 1), *w = res;
    if (!res)
        return NULL;
    for (const char *p = out ? out : ""; *p;) {
        size_t n = strcspn(p, "\n");
        bool skip = plen && !strncmp(p, prefix, plen);
        if (!skip) {
            memcpy(w, p, n);
            w += n;
            if (p[n])
                *w++ = '\n';
        }
        p += n + (p[n] != 0);
    }
    *w = 0;
    return res;
}

static void check_agreement(struct comparison *c)
{
    const struct engine_result *ran[ENGINE_COUNT];
    int n = ran_engines(c, ran);
    c->agree = true;
    char *first = n ? comparable_output(ran[0]->output, c->ignore_prefix) : NULL;
    for (int k = 1; k < n && first; k++) {
        char *other = comparable_output(ran[k]->output, c->ignore_prefix);
        if (ran[k]->exit_status != ran[0]->exit_status) {
            c->agree = false;
            snprintf(c->disagreement, sizeof c->disagreement, "exit status %d under %s, %d under %s",
                     ran[0]->exit_status, ran[0]->name, ran[k]->exit_status, ran[k]->name);
        } else if (!other || strcmp(first, other)) {
            size_t at = 0;
            while (other && first[at] && first[at] == other[at])
                at++;
            c->agree = false;
            snprintf(c->disagreement, sizeof c->disagreement, "the guest's output differs between "
                     "%s and %s from byte %zu", ran[0]->name, ran[k]->name, at);
        }
        free(other);
    }
    free(first);
}

static void find_fastest(struct comparison *c)
{
    c->fastest = -1;
    for (int k = 0; k < ENGINE_COUNT; k++)
        if (c->eng[k].ran && (c->fastest < 0 || c->eng[k].wall_ns < c->eng[c->fastest].wall_ns))
            c->fastest = k;
}

/* The host CPU's name, and whether KVM would be nested under emulation. */
static void describe_machine(struct comparison *c)
{
    snprintf(c->cpu_model, sizeof c->cpu_model, "unknown CPU");
    FILE *f = fopen("/proc/cpuinfo", "r");
    char line[256];
    while (f && fgets(line, sizeof line, f))
        if (!strncmp(line, "model name", 10) && strchr(line, ':')) {
            char *v = strchr(line, ':') + 1;
            v += strspn(v, " \t");
            v[strcspn(v, "\n")] = 0;
            snprintf(c->cpu_model, sizeof c->cpu_model, "%s", v);
            break;
        }
    if (f)
        fclose(f);
    const struct engine_result *kvm = &c->eng[ENGINE_KVM];
    c->nested_kvm = kvm->available && strstr(kvm->why, "nested") != NULL;
}

static void init_engines(struct comparison *c, const struct compare_opts *o)
{
    for (int k = 0; k < ENGINE_COUNT; k++) {
        struct engine_result *e = &c->eng[k];
        const struct engine_ops *ops = engine_ops((enum engine_kind)k);
        e->kind = (enum engine_kind)k;
        e->name = ops ? ops->name : "?";
        e->title = ops ? ops->title : "not built in";
        e->selected = o->want[k];
        if (!ops)
            snprintf(e->why, sizeof e->why, "not built into this x86lab");
        else
            e->available = !ops->available || ops->available(e->why, sizeof e->why);
    }
}

static int run_all(struct comparison *c, const struct compare_opts *o)
{
    int total = 0, index = 0, failed = 0;
    for (int k = 0; k < ENGINE_COUNT; k++)
        total += c->eng[k].selected && c->eng[k].available;
    if (!total)
        return bad("%s", "none of the engines asked for can run on this host (x86lab --engines)");
    for (int k = 0; k < ENGINE_COUNT; k++) {
        struct engine_result *e = &c->eng[k];
        if (e->selected && e->available && !compare_run_engine(c, e, ++index, total, o->timeout_s)) {
            fprintf(stderr, "x86lab compare: %s: %s\n", e->name, e->failure);
            failed++;
        }
    }
    return failed ? 1 : 0;
}

/* Opens the --report and --json files; 0, or 2 after a message. */
static int open_outputs(struct compare_opts *o)
{
    if (o->report && !(o->report_f = fopen(o->report, "w"))) {
        fprintf(stderr, "x86lab compare: --report %s: %s\n", o->report, strerror(errno));
        return 2;
    }
    o->json_f = !o->json ? NULL : strcmp(o->json, "-") ? fopen(o->json, "w") : stdout;
    if (o->json && !o->json_f) {
        fprintf(stderr, "x86lab compare: --json %s: %s\n", o->json, strerror(errno));
        return 2;
    }
    return 0;
}

/* --report and --json; 0, or 2 after a message. */
static int write_reports(const struct comparison *c, const struct compare_opts *o)
{
    if (o->report_f) {
        int r = report_html(c, o->report_f);
        if (fclose(o->report_f) != 0 || r < 0)
            return bad("--report %s: write error", o->report);
        fprintf(stderr, "compare: HTML report in %s\n", o->report);
    }
    if (o->json_f) {
        int r = report_json(c, o->json_f);
        if ((o->json_f != stdout ? fclose(o->json_f) : fflush(o->json_f)) != 0 || r < 0)
            return bad("--json %s: write error", o->json);
    }
    return 0;
}

static void free_results(struct comparison *c)
{
    for (int k = 0; k < ENGINE_COUNT; k++) {
        free(c->eng[k].output);
        free(c->eng[k].errout);
        free(c->eng[k].regions);
    }
}

int compare_main(int argc, char **argv)
{
    struct compare_opts o = { .timeout_s = 600, .native = true };
    static struct comparison c;
    c.ignore_prefix = "time:";
    for (int k = 0; k < ENGINE_COUNT; k++)
        o.want[k] = engine_ops((enum engine_kind)k) != NULL;
    int first = parse_opts(argc, argv, &o, &c);
    if (first <= 0)
        return -first;
    c.guest_argv = argv + first;
    c.guest_argc = argc - first;
    if (c.guest_argc == 0)
        return bad("%s", "no guest options after --");
    int r = check_guest_opts(&c);
    if (r >= 0)
        return r;
    static char self[4096];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    if (n <= 0)
        return bad("cannot find the x86lab binary: %s", strerror(errno));
    self[n] = 0;
    c.self = self;
    if (open_outputs(&o))
        return 2;
    init_engines(&c, &o);
    describe_machine(&c);
    int status = run_all(&c, &o);
    if (status == 2)
        return 2;
    check_agreement(&c);
    find_fastest(&c);
    if (o.native) {
        native_measure(&c.native);
        c.have_native = true;
    }
    if (!o.json || strcmp(o.json, "-"))
        report_terminal(&c, stdout);
    r = write_reports(&c, &o);
    free_results(&c);
    if (r)
        return r;
    if (!c.agree)
        fprintf(stderr, "x86lab compare: the engines disagree: %s\n", c.disagreement);
    return status || !c.agree ? 1 : 0;
}
