/* runner.c -- the 80286 conformance runner: runs every hardware-captured
 * single-instruction test of the MOO files on the interpreter (CPU model
 * CPU_286, real mode) and compares registers and memory with the capture.
 * Flags the Intel manuals call undefined are masked (undefined_flags.c). */
#include <dirent.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "cpu/cpu.h"
#include "cpu/insn.h"
#include "cpu/seg.h"
#include "machine/bus.h"
#include "translator/bt.h"
#include "moo.h"
#include "undefined_flags.h"

#define DEFAULT_DIR "../shared/conformance/80286-real"
enum { RAM_BYTES = 16 << 20, MAX_FILES = 4096, BASE_BUDGET = 64 };

struct options {
    const char *filter;        /* comma-separated opcode names, or NULL */
    bool verbose;
    int max_shown;             /* failing tests printed per file */
    double bar;                /* pass percentage each file must reach */
    long only;                 /* run only the test with this index, or -1 */
    bool bt;                   /* --engine bt: the binary translator, threshold 0 */
    char **paths;
    int npaths;
};

/* The test machine: a bare CPU on a bus with 16 MiB of RAM and no
 * devices, so every port reads as all ones as the captures assume (the
 * full machine has a debug console and an exit port). */
struct testbox {
    struct bus bus;
    struct cpu cpu;
    struct bt *bt;             /* with --engine bt, else NULL */
    struct stats stats;
};

struct file_result {
    unsigned total, passed, masked;
    bool error;
};

/* ---- setting up and checking one test ---- */

static const char *const reg_names[MOO_NREGS] = {
    "ax", "bx", "cx", "dx", "cs", "ss", "ds", "es",
    "sp", "bp", "si", "di", "ip", "flags" };

/* Where each MOO register lives in struct cpu: a general register index,
 * or a segment register for cs/ss/ds/es. */
static const int gpr_of[MOO_NREGS] = {
    [MOO_AX] = R_EAX, [MOO_BX] = R_EBX, [MOO_CX] = R_ECX, [MOO_DX] = R_EDX,
    [MOO_SP] = R_ESP, [MOO_BP] = R_EBP, [MOO_SI] = R_ESI, [MOO_DI] = R_EDI,
    [MOO_CS] = -1, [MOO_SS] = -1, [MOO_DS] = -1, [MOO_ES] = -1,
    [MOO_IP] = -1, [MOO_FLAGS] = -1 };
static const int sreg_of[MOO_NREGS] = {
    [MOO_CS] = S_CS, [MOO_SS] = S_SS, [MOO_DS] = S_DS, [MOO_ES] = S_ES };

static void setup_cpu(struct cpu *c, const struct moo_state *s)
{
    cpu_reset(c);
    for (int r = 0; r < MOO_NREGS; r++) {
        uint16_t v = s->regs[r];
        if (gpr_of[r] >= 0) {
            c->r[gpr_of[r]] = v;
        } else if (r >= MOO_CS && r <= MOO_ES) {
            seg_set_cache(&c->seg[sreg_of[r]], v, (uint32_t)v << 4, 0xFFFF,
                          AR_P | AR_S | AR_W | AR_ACCESSED);
        }
    }
    c->eip = s->regs[MOO_IP];
    cpu_set_eflags(c, s->regs[MOO_FLAGS] & 0x0FFF);
}

static uint16_t reg_value(struct cpu *c, int r)
{
    if (gpr_of[r] >= 0)
        return (uint16_t)c->r[gpr_of[r]];
    if (r >= MOO_CS && r <= MOO_ES)
        return c->seg[sreg_of[r]].sel;
    if (r == MOO_IP)
        return (uint16_t)c->eip;
    return (uint16_t)cpu_get_eflags(c);
}

static uint16_t expected_reg(const struct moo_test *t, int r)
{
    if (t->final.mask >> r & 1)
        return t->final.regs[r];
    uint16_t v = t->init.regs[r];
    return r == MOO_FLAGS ? (uint16_t)(v & 0x0FFF) : v;
}

/* Writes the test's RAM bytes (or zeros, to clean up after it) through the
 * bus, so that pages holding decoded code are invalidated. */
static void write_ram(struct bus *b, const struct moo_state *s, bool zero)
{
    for (uint32_t k = 0; k < s->nram; k++) {
        struct moo_ram r = moo_ram_at(s, k);
        if (r.addr < RAM_BYTES)
            bus_mem_write(b, r.addr, 1, zero ? 0 : r.value);
    }
}

/* The undefined-flag mask for this test's instruction: decoded with our
 * decoder for the 286, the count of a shift taken from CL or the
 * immediate. */
static uint32_t flag_mask_for(const struct moo_test *t)
{
    struct insn i;
    if (decode(&i, t->bytes, (int)t->nbytes, 0, CPU_286) <= 0)
        return 0;
    unsigned count = 0;
    int op = i.opcode;
    if (op == 0xC0 || op == 0xC1 || op == 0x1A4 || op == 0x1AC)
        count = i.imm & 0xFF;
    else if (op == 0xD0 || op == 0xD1)
        count = 1;
    else if (op == 0xD2 || op == 0xD3 || op == 0x1A5 || op == 0x1AD)
        count = t->init.regs[MOO_CX] & 0xFF;
    bool byte_op = op == 0xC0 || op == 0xD0 || op == 0xD2;
    return undefined_flags(op, i.reg, count, byte_op ? 8 : i.o32 ? 32 : 16);
}

/* What went wrong, for --verbose. */
struct outcome {
    bool reached_hlt;
    enum cpu_exit exit;
    uint64_t insns, exceptions;
    int bad_regs;              /* bit per register */
    int bad_ram;
    bool needed_mask;
};

/* Where an exception or interrupt pushed FLAGS: the first push, at
 * SS:SP-2 of the instruction's start (faults are precise).  The EXCP
 * chunk's address is rounded down to even when SP is odd, so it is not
 * used. */
static uint32_t pushed_flags_addr(const struct moo_test *t, int byte)
{
    uint32_t base = (uint32_t)t->init.regs[MOO_SS] << 4;
    uint32_t sp = (uint32_t)(t->init.regs[MOO_SP] - 2 + byte) & 0xFFFF;
    return (base + sp) & 0xFFFFFF;
}

/* Bits of the RAM byte at addr that the comparison cares about. */
static uint8_t ram_care(const struct moo_test *t, uint32_t addr, uint32_t undef)
{
    if (!t->has_excp)
        return 0xFF;
    if (addr == pushed_flags_addr(t, 0))
        return (uint8_t)~undef;
    if (addr == pushed_flags_addr(t, 1))
        return (uint8_t)~(undef >> 8);
    return 0xFF;
}

/* Compares one test's final state.  Returns true when it passes. */
static bool check(struct testbox *tb, const struct moo_test *t, uint32_t undef,
                  struct outcome *o)
{
    struct cpu *c = &tb->cpu;
    bool raw_flags_differ = false;
    for (int r = 0; r < MOO_NREGS; r++) {
        uint16_t want = expected_reg(t, r), got = reg_value(c, r);
        uint16_t care = r == MOO_FLAGS ? (uint16_t)~undef : 0xFFFF;
        if ((want ^ got) & care)
            o->bad_regs |= 1 << r;
        else if (want != got)
            raw_flags_differ = true;
    }
    for (uint32_t k = 0; k < t->final.nram; k++) {
        struct moo_ram m = moo_ram_at(&t->final, k);
        uint8_t got = m.addr < RAM_BYTES ? tb->bus.ram[m.addr] : 0xFF;
        uint8_t care = ram_care(t, m.addr, undef);
        if ((m.value ^ got) & care)
            o->bad_ram++;
        else if (m.value != got)
            raw_flags_differ = true;
    }
    bool pass = o->reached_hlt && !o->bad_regs && !o->bad_ram;
    o->needed_mask = pass && raw_flags_differ;
    return pass;
}

static uint64_t exceptions_taken(const struct cpu *c)
{
    uint64_t n = 0;
    for (int v = 0; v < 32; v++)
        n += c->count.exceptions[v];
    return n;
}

/* Runs one test and checks it; cleanup() must follow.  A fault loop ends
 * too: each exception delivered uses up one unit of cpu_run's budget. */
static bool run_test(struct testbox *tb, const struct moo_test *t, struct outcome *o)
{
    struct cpu *c = &tb->cpu;
    memset(o, 0, sizeof *o);
    setup_cpu(c, &t->init);
    write_ram(&tb->bus, &t->init, false);
    /* The instruction and the HLT, an exception handler's HLT, and a REP
     * prefix's iterations (each may count as one instruction). */
    uint64_t before = c->count.insns, exc_before = exceptions_taken(c);
    o->exit = tb->bt ? bt_run(tb->bt, BASE_BUDGET + t->init.regs[MOO_CX])
                     : cpu_run(c, BASE_BUDGET + t->init.regs[MOO_CX]);
    o->insns = c->count.insns - before;
    o->exceptions = exceptions_taken(c) - exc_before;
    o->reached_hlt = c->halted;
    return check(tb, t, flag_mask_for(t), o);
}

/* Zeroes every byte the test named, ready for the next one. */
static void cleanup(struct testbox *tb, const struct moo_test *t)
{
    write_ram(&tb->bus, &t->init, true);
    write_ram(&tb->bus, &t->final, true);
}

/* ---- reporting ---- */

static bool below_bar(const struct file_result *r, double bar)
{
    return r->total == 0 || 100.0 * r->passed / r->total < bar;
}

/* Percentages round down, so that 99.999% never shows as 100%. */
static double percent(unsigned passed, unsigned total)
{
    return total ? floor(10000.0 * passed / total) / 100.0 : 0.0;
}

static void print_bytes(const uint8_t *p, uint32_t n)
{
    for (uint32_t k = 0; k < n; k++)
        printf("%s%02x", k ? " " : "", p[k]);
}

static const char *exit_name(enum cpu_exit e)
{
    switch (e) {
    case CPU_EXIT_BUDGET: return "instruction budget ran out";
    case CPU_EXIT_HALT: case CPU_EXIT_IDLE: return "halted";
    case CPU_EXIT_SHUTDOWN: return "triple fault";
    case CPU_EXIT_REQUEST: return "stop requested";
    }
    return "?";
}

static void show_failure(struct testbox *tb, const struct moo_test *t,
                         const struct outcome *o)
{
    printf("  FAIL #%u %.*s  [", t->index, (int)t->name_len, t->name);
    print_bytes(t->bytes, t->nbytes);
    printf("]");
    if (t->has_excp)
        printf("  exception %u, FLAGS pushed at %06x", t->excp_vector, pushed_flags_addr(t, 0));
    printf("\n");
    if (!o->reached_hlt)
        printf("    did not reach the HLT: %s after %llu instructions and %llu exceptions\n",
               exit_name(o->exit), (unsigned long long)o->insns,
               (unsigned long long)o->exceptions);
    uint32_t undef = flag_mask_for(t);
    for (int r = 0; r < MOO_NREGS; r++) {
        if (!(o->bad_regs >> r & 1))
            continue;
        printf("    %-5s expected %04x got %04x", reg_names[r], expected_reg(t, r),
               reg_value(&tb->cpu, r));
        if (r == MOO_FLAGS)
            printf(" (differing bits %04x, undefined mask %04x)",
                   (expected_reg(t, r) ^ reg_value(&tb->cpu, r)) & 0xFFFF, undef);
        printf("\n");
    }
    for (uint32_t k = 0; k < t->final.nram; k++) {
        struct moo_ram m = moo_ram_at(&t->final, k);
        uint8_t got = m.addr < RAM_BYTES ? tb->bus.ram[m.addr] : 0xFF;
        uint8_t care = ram_care(t, m.addr, undef);
        if ((m.value ^ got) & care)
            printf("    [%06x] expected %02x got %02x%s\n", m.addr, m.value, got,
                   care != 0xFF ? " (pushed FLAGS, undefined bits masked)" : "");
    }
}

static const char *base_name(const char *path)
{
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

/* The opcode part of a file name: "D2.4" of ".../D2.4.MOO.gz". */
static void opcode_name(const char *path, char *out, size_t n)
{
    snprintf(out, n, "%s", base_name(path));
    char *dot = strstr(out, ".MOO");
    if (!dot)
        dot = strstr(out, ".moo");
    if (dot)
        *dot = 0;
}

static bool matches_filter(const char *path, const char *filter)
{
    if (!filter)
        return true;
    char name[256];
    opcode_name(path, name, sizeof name);
    const char *f = filter;
    while (*f) {
        size_t len = strcspn(f, ",");
        if (len && !strncasecmp(name, f, len) && (name[len] == 0 || name[len] == '.'))
            return true;
        f += len + (f[len] == ',');
    }
    return false;
}

/* ---- running files ---- */

struct progress {
    bool tty;
    int file_no, nfiles;
    const char *name;
};

static void show_progress(const struct progress *p, unsigned done, unsigned total)
{
    if (!p->tty)
        return;
    printf("\r\033[K[%3d/%d] %s %u/%u", p->file_no, p->nfiles, p->name, done, total);
    fflush(stdout);
}

static struct file_result run_tests(struct testbox *tb, const char *path,
                                    const struct options *opt, const struct progress *p)
{
    struct file_result res = { 0, 0, 0, false };
    struct moo_file f;
    if (moo_open(&f, path) < 0) {
        printf("%s%-22s ERROR: %s\n", p->tty ? "\r\033[K" : "", base_name(path), f.error);
        res.error = true;
        return res;
    }
    struct moo_test t;
    int r, shown = 0;
    while ((r = moo_next(&f, &t)) == 1) {
        if (opt->only >= 0 && t.index != (uint32_t)opt->only)
            continue;
        struct outcome o;
        bool pass = run_test(tb, &t, &o);
        res.total++;
        res.passed += pass;
        res.masked += o.needed_mask;
        if (!pass && opt->verbose && shown < opt->max_shown) {
            if (p->tty)
                printf("\r\033[K");
            show_failure(tb, &t, &o);
            shown++;
        }
        cleanup(tb, &t);
        if ((res.total & 511) == 0)
            show_progress(p, res.total, f.count);
    }
    if (p->tty)
        printf("\r\033[K");
    double pct = percent(res.passed, res.total);
    printf("%-16s %-8s %5u/%-5u %7.2f%%  masked %-5u", base_name(path), f.mnemonic,
           res.passed, res.total, pct, res.masked);
    if (r < 0) {
        printf(" ERROR: %s", f.error);
        res.error = true;
    } else if (res.total != f.count && opt->only < 0) {
        printf(" ERROR: header announces %u tests, file has %u", f.count, res.total);
        res.error = true;
    } else if (below_bar(&res, opt->bar)) {
        printf(" below %.2f%%", opt->bar);
    }
    printf("\n");
    moo_close(&f);
    return res;
}

/* Writes to code pages reach the interpreter's block cache and the
 * translator alike (a machine does this in machine.c). */
static void code_written(void *opaque, uint32_t paddr)
{
    struct testbox *tb = opaque;
    cpu_code_written(&tb->cpu, paddr);
    if (tb->bt)
        bt_invalidate(tb->bt, paddr & ~0xFFFu, 4096);
}

static struct testbox *testbox_new(bool bt)
{
    struct testbox *tb = calloc(1, sizeof *tb);
    if (!tb)
        return NULL;
    if (bus_init(&tb->bus, RAM_BYTES) < 0) {
        free(tb);
        return NULL;
    }
    if (cpu_init(&tb->cpu, CPU_286, &tb->bus) < 0) {
        bus_free(&tb->bus);
        free(tb);
        return NULL;
    }
    if (bt) {
        char why[200] = "";
        struct bt_config cfg = { .threshold = 0, .cache_mb = 16 };
        tb->bt = bt_new(&tb->cpu, &tb->stats, &cfg, why, sizeof why);
        if (!tb->bt) {
            fprintf(stderr, "runner: %s\n", why);
            cpu_free(&tb->cpu);
            bus_free(&tb->bus);
            free(tb);
            return NULL;
        }
        tb->bus.code_written = code_written;
        tb->bus.code_opaque = tb;
    }
    return tb;
}

static void testbox_free(struct testbox *tb)
{
    bt_free(tb->bt);
    cpu_free(&tb->cpu);
    bus_free(&tb->bus);
    free(tb);
}

/* Each file gets a fresh machine: a wrong write that no test lists cannot
 * leak into another file's tests. */
static struct file_result run_file(const char *path, const struct options *opt,
                                   const struct progress *p)
{
    struct testbox *tb = testbox_new(opt->bt);
    if (!tb) {
        printf("%-22s ERROR: cannot create the test machine\n", base_name(path));
        return (struct file_result){ 0, 0, 0, true };
    }
    struct file_result res = run_tests(tb, path, opt, p);
    testbox_free(tb);
    return res;
}

/* ---- the file list ---- */

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool is_moo(const char *name)
{
    size_t n = strlen(name);
    return (n > 7 && !strcasecmp(name + n - 7, ".MOO.gz")) ||
           (n > 4 && !strcasecmp(name + n - 4, ".MOO"));
}

/* Adds path, or the MOO files of the directory path, to files[]. */
static int add_path(const char *path, char **files, int *n)
{
    DIR *d = opendir(path);
    if (!d) {
        if (*n >= MAX_FILES)
            return -1;
        files[(*n)++] = strdup(path);
        return 0;
    }
    int first = *n;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (!is_moo(e->d_name) || *n >= MAX_FILES)
            continue;
        size_t len = strlen(path) + strlen(e->d_name) + 2;
        files[*n] = malloc(len);
        snprintf(files[*n], len, "%s/%s", path, e->d_name);
        (*n)++;
    }
    closedir(d);
    qsort(files + first, (size_t)(*n - first), sizeof *files, cmp_str);
    return 0;
}

/* ---- options ---- */

static void usage(FILE *f)
{
    fprintf(f,
"usage: runner [options] [FILE.MOO.gz | DIR]...\n"
"Runs the 80286 single-instruction tests on x86lab's interpreter (default\n"
"directory: " DEFAULT_DIR ").\n"
"  --filter OPS     only these opcodes, comma-separated (80 = 80.*, D2.4)\n"
"  --verbose        print failing tests: name, bytes, expected and got\n"
"  --max-shown N    failing tests printed per file with --verbose (10)\n"
"  --test N         only the test with index N (for debugging one test)\n"
"  --bar PCT        each file must pass PCT%% of its tests (default 100)\n"
"  --engine E       interp (default) or bt (the binary translator,\n"
"                   translating at the first execution)\n"
"Exit status 1 when a file is below the bar or could not be run.\n");
}

static int parse_options(int argc, char **argv, struct options *o)
{
    for (int k = 1; k < argc; k++) {
        const char *a = argv[k];
        bool has_val = k + 1 < argc;
        if (!strcmp(a, "--filter") && has_val) {
            o->filter = argv[++k];
        } else if (!strcmp(a, "--verbose") || !strcmp(a, "-v")) {
            o->verbose = true;
        } else if (!strcmp(a, "--max-shown") && has_val) {
            o->max_shown = atoi(argv[++k]);
        } else if (!strcmp(a, "--test") && has_val) {
            o->only = atol(argv[++k]);
        } else if (!strcmp(a, "--engine") && has_val) {
            const char *e = argv[++k];
            if (strcmp(e, "interp") && strcmp(e, "bt")) {
                fprintf(stderr, "runner: --engine wants interp or bt, not '%s'\n", e);
                return 2;
            }
            o->bt = !strcmp(e, "bt");
        } else if (!strcmp(a, "--bar") && has_val) {
            char *end;
            o->bar = strtod(argv[++k], &end);
            if (*end || o->bar < 0 || o->bar > 100) {
                fprintf(stderr, "runner: --bar wants a percentage, not '%s'\n", argv[k]);
                return 2;
            }
        } else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            usage(stdout);
            return 0;
        } else if (a[0] == '-') {
            fprintf(stderr, "runner: unknown option or missing value: %s\n", a);
            usage(stderr);
            return 2;
        } else {
            o->paths[o->npaths++] = argv[k];
        }
    }
    return -1;
}

static void print_total(const struct file_result *sum, int nfiles, int below,
                        int errors, double secs)
{
    double pct = percent(sum->passed, sum->total);
    printf("total: %d files, %u/%u tests passed (%.2f%%), %u needed a mask;"
           " %d files below the bar, %d could not be run (%.1f s)\n",
           nfiles, sum->passed, sum->total, pct, sum->masked, below, errors, secs);
}

/* Runs the selected files and prints the total.  Returns the exit status. */
static int run_all(char **files, int n, const struct options *opt)
{
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    struct file_result sum = { 0, 0, 0, false };
    int below = 0, errors = 0;
    struct progress p = { isatty(STDOUT_FILENO), 0, n, NULL };
    for (int k = 0; k < n; k++) {
        p.file_no = k + 1;
        p.name = base_name(files[k]);
        struct file_result fr = run_file(files[k], opt, &p);
        sum.total += fr.total;
        sum.passed += fr.passed;
        sum.masked += fr.masked;
        errors += fr.error;
        below += !fr.error && below_bar(&fr, opt->bar);
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    print_total(&sum, n, below, errors,
                (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
    return below || errors ? 1 : 0;
}

int main(int argc, char **argv)
{
    struct options opt = { .max_shown = 10, .bar = 100.0, .only = -1 };
    opt.paths = calloc((size_t)argc + 1, sizeof *opt.paths);
    int status = parse_options(argc, argv, &opt);
    if (status < 0 && opt.npaths == 0)
        opt.paths[opt.npaths++] = DEFAULT_DIR;

    static char *files[MAX_FILES], *selected[MAX_FILES];
    int nfiles = 0, nsel = 0;
    for (int k = 0; status < 0 && k < opt.npaths; k++)
        if (add_path(opt.paths[k], files, &nfiles) < 0) {
            fprintf(stderr, "runner: more than %d files\n", MAX_FILES);
            status = 2;
        }
    for (int k = 0; k < nfiles; k++)
        if (matches_filter(files[k], opt.filter))
            selected[nsel++] = files[k];
    if (status < 0 && nsel == 0) {
        fprintf(stderr, "runner: no test files selected\n");
        status = 2;
    }
    if (status < 0)
        status = run_all(selected, nsel, &opt);
    for (int k = 0; k < nfiles; k++)
        free(files[k]);
    free(opt.paths);
    return status;
}
