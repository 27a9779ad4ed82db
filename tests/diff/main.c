/* main.c -- the differential tester's driver: options, the loop over
 * random sequences (reference = x86lab's interpreter, target = the host
 * CPU, the binary translator or KVM), shrinking a mismatch to a minimal
 * sequence, and the summary (last line "N passed, N failed").
 *   difftest [--target=host|bt|kvm] [--seed S] [--count N] [--first I]
 *            [--show N] [--inject-bug] [--rows] */
#include <cpuid.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cpu/insn.h"
#include "tests/diff/diff.h"

struct options {
    const char *target;
    uint64_t seed, count, first;
    long show;                   /* mismatches printed in full */
    bool inject;                 /* self-check: a made-up target bug (see inject_run) */
    bool rows;                   /* list the instruction-table rows exercised */
};

struct totals {
    uint64_t seqs, insns, faults[VEC_SHUTDOWN + 1], mismatches, mnem_seen;
    uint64_t known[KNOWN_COUNT];       /* mismatches of a known class (known.c) */
    const struct op_row *rows[1024];   /* distinct table rows exercised */
    int nrows;
};

static int usage(const char *why)
{
    fprintf(stderr, "difftest: %s\n"
            "usage: difftest [--target=host|bt|kvm] [--seed S] [--count N] [--first I] [--show N]"
            " [--inject-bug] [--rows]\n",
            why);
    return 2;
}

static bool parse_u64(const char *s, uint64_t *v)
{
    char *end;
    errno = 0;
    unsigned long long x = strtoull(s, &end, 0);
    if (errno || end == s || *end || *s == '-')
        return false;
    *v = x;
    return true;
}

static int parse(int argc, char **argv, struct options *o)
{
    *o = (struct options){ .target = "host", .seed = 1, .count = 1000000, .show = 3 };
    for (int k = 1; k < argc; k++) {
        const char *a = argv[k];
        uint64_t v;
        if (!strncmp(a, "--target=", 9)) {
            o->target = a + 9;
        } else if (!strcmp(a, "--seed") || !strcmp(a, "--count") ||
                   !strcmp(a, "--first") || !strcmp(a, "--show")) {
            if (k + 1 >= argc || !parse_u64(argv[k + 1], &v))
                return usage("option needs a number");
            if (!strcmp(a, "--seed"))
                o->seed = v;
            else if (!strcmp(a, "--count"))
                o->count = v;
            else if (!strcmp(a, "--first"))
                o->first = v;
            else
                o->show = (long)v;
            k++;
        } else if (!strcmp(a, "--rows")) {
            o->rows = true;
        } else if (!strcmp(a, "--inject-bug")) {
            o->inject = true;
        } else {
            return usage("unknown option");
        }
    }
    if (strcmp(o->target, "host") && strcmp(o->target, "bt") && strcmp(o->target, "kvm"))
        return usage("--target must be host, bt or kvm");
    return 0;
}

static void host_vendor(char *vendor, bool *intel, bool *lahf)
{
    unsigned a = 0, b = 0, c = 0, d = 0;
    __get_cpuid(0, &a, &b, &c, &d);
    memcpy(vendor, &b, 4);
    memcpy(vendor + 4, &d, 4);
    memcpy(vendor + 8, &c, 4);
    vendor[12] = 0;
    *intel = strcmp(vendor, "GenuineIntel") == 0;
    *lahf = __get_cpuid(0x80000001, &a, &b, &c, &d) && (c & 1);
}

/* KVM nested under QEMU's software CPU (the kvm-sandbox): the host's
 * hypervisor vendor (CPUID 0x40000000) is QEMU TCG's. */
static bool under_tcg(void)
{
    unsigned a = 0, b = 0, c = 0, d = 0;
    char v[13] = "";
    if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & (1u << 31)))
        return false;
    __cpuid(0x40000000, a, b, c, d);
    memcpy(v, &b, 4);
    memcpy(v + 4, &c, 4);
    memcpy(v + 8, &d, 4);
    return strcmp(v, "TCGTCGTCGTCG") == 0;
}

/* Sequence i of seed s has its own generator state, so that --first i
 * --count 1 reproduces it alone (splitmix64 of both). */
static uint64_t seq_seed(uint64_t seed, uint64_t i)
{
    uint64_t z = seed * 0x9E3779B97F4A7C15ull + i + 1;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    z ^= z >> 31;
    return z ? z : 1;
}

static void drop(const struct seq *q, int k, struct seq *out)
{
    *out = (struct seq){ .n = 0 };
    for (int j = 0; j < q->n; j++) {
        if (j == k)
            continue;
        out->off[out->n] = (uint16_t)out->size;
        out->len[out->n] = q->len[j];
        memcpy(out->code + out->size, q->code + q->off[j], q->len[j]);
        out->size += q->len[j];
        out->n++;
    }
}

/* Drops instructions while the sequence still mismatches (and stays valid:
 * no undefined flag read, memory in the buffer; a candidate whose target
 * faults where the original did not is a different problem). */
static void shrink(struct ref *r, struct target *t, struct seq *q, const struct state *in,
                   int target_vector)
{
    bool changed = true;
    while (changed && q->n > 1) {
        changed = false;
        for (int k = q->n - 1; k >= 0 && q->n > 1; k--) {
            struct seq c;
            struct outcome ro, to;
            drop(q, k, &c);
            ref_run(r, &c, in, &ro, NULL);
            if (!ro.valid)
                continue;
            t->run(t->priv, &c, in, &to);
            outcome_mask_undefined(&c, &ro, &to);
            if (outcomes_equal(&ro, &to, t->engine))
                continue;
            if (to.vector != target_vector && to.vector != ro.vector)
                continue;
            *q = c;
            changed = true;
        }
    }
}

static void report_mismatch(struct ref *r, struct target *t, const struct options *o,
                            uint64_t i, struct seq *q, const struct state *in,
                            const struct outcome *ro, const struct outcome *to)
{
    struct outcome ro2, to2;
    if (getenv("DIFFTEST_DEBUG"))
        print_state_diff(in, ro, to, "x86lab", t->name, t->engine);
    printf("MISMATCH in sequence %llu (reproduce: --seed %llu --first %llu --count 1"
           " --target=%s), %d instructions; minimal sequence:\n",
           (unsigned long long)i, (unsigned long long)o->seed, (unsigned long long)i,
           o->target, q->n);
    if (!getenv("DIFFTEST_NO_SHRINK"))   /* for sorting mismatches into classes */
        shrink(r, t, q, in, to->vector);
    print_seq(q);
    ref_run(r, q, in, &ro2, NULL);
    t->run(t->priv, q, in, &to2);
    outcome_mask_undefined(q, &ro2, &to2);
    print_state_diff(in, &ro2, &to2, "x86lab", t->name, t->engine);
}

static void count_rows(struct totals *tt, const struct seq *q)
{
    for (int k = 0; k < q->n; k++) {
        struct insn i;
        if (decode(&i, q->code + q->off[k], q->len[k], 1, CPU_P6) <= 0 || !i.row)
            continue;
        int j = 0;
        while (j < tt->nrows && tt->rows[j] != i.row)
            j++;
        if (j == tt->nrows && tt->nrows < 1024)
            tt->rows[tt->nrows++] = i.row;
    }
}

/* --inject-bug: the target gets EAX bit 0 wrong after any ADC Ev,Gv (11 /r),
 * so that the test suite can check that a mismatch is found, shrunk to
 * that one instruction and reported. */
struct injected {
    struct target inner;
};

static void inject_run(void *priv, const struct seq *q, const struct state *in,
                       struct outcome *out)
{
    struct target *t = &((struct injected *)priv)->inner;
    t->run(t->priv, q, in, out);
    for (int k = 0; k < q->n; k++) {
        struct insn i;
        if (decode(&i, q->code + q->off[k], q->len[k], 1, CPU_P6) > 0 && i.opcode == 0x11)
            out->s.r[R_EAX] ^= 1;
    }
}

static void inject_close(void *priv)
{
    struct target *t = &((struct injected *)priv)->inner;
    t->close(t->priv);
}

static int open_target(struct target *t, const char *name, char *why, size_t len)
{
    if (!strcmp(name, "host"))
        return target_host_open(t, why, len);
    return target_engine_open(t, !strcmp(name, "bt") ? ENGINE_BT : ENGINE_KVM, why, len);
}

int main(int argc, char **argv)
{
    struct options o;
    char vendor[13], why[256] = "";
    bool intel, lahf;
    if (parse(argc, argv, &o))
        return 2;
    setvbuf(stdout, NULL, _IOLBF, 0);   /* progress visible in logs and sandboxes */
    host_vendor(vendor, &intel, &lahf);
    struct target t;
    if (open_target(&t, o.target, why, sizeof why) < 0) {
        printf("difftest: target %s not available: %s\n", o.target, why);
        return 3;
    }
    static struct injected inj;
    if (o.inject) {
        inj.inner = t;
        t.priv = &inj;
        t.run = inject_run;
        t.close = inject_close;
    }
    struct ref *r = ref_open(t.engine, intel, why, sizeof why);
    if (!r) {
        printf("difftest: %s\n", why);
        return 1;
    }
    printf("difftest: x86lab interpreter vs %s (host %s), seed %llu, sequences %llu..%llu\n",
           t.name, vendor, (unsigned long long)o.seed, (unsigned long long)o.first,
           (unsigned long long)(o.first + o.count - 1));
    static struct totals tt;
    bool sandbox = !strcmp(o.target, "kvm") && under_tcg();
    if (sandbox)
        printf("difftest: KVM nested under QEMU's software CPU: its known differences "
               "(tests/diff/known.c) are counted apart\n");
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (uint64_t i = o.first; i < o.first + o.count; i++) {
        struct gen g = { .rng = { seq_seed(o.seed, i) }, .intel = intel, .lahf = lahf,
                         .mix = t.engine ? MIX_FULL : MIX_HOST, .sandbox = sandbox };
        struct state in;
        struct seq q = { .n = 0 };
        struct outcome ro, to;
        gen_state(&g, &in, t.engine);
        g.want = 1 + (int)rngn(&g.rng, 8);
        ref_run(r, &q, &in, &ro, &g);
        if (q.n == 0)
            continue;
        t.run(t.priv, &q, &in, &to);
        outcome_mask_undefined(&q, &ro, &to);
        tt.seqs++;
        tt.insns += (uint64_t)q.n;
        if (ro.vector >= 0)
            tt.faults[ro.vector]++;
        if ((i & 63) == 0)
            count_rows(&tt, &q);
        int cls = outcomes_equal(&ro, &to, t.engine) ? -1
                : known_class(&q, &ro, &to, t.engine, sandbox);
        if (cls >= 0) {
            if (tt.known[cls]++ == 0 && getenv("DIFFTEST_SHOW_KNOWN"))
                report_mismatch(r, &t, &o, i, &q, &in, &ro, &to);
        } else if (!outcomes_equal(&ro, &to, t.engine)) {
            if ((long)tt.mismatches < o.show)
                report_mismatch(r, &t, &o, i, &q, &in, &ro, &to);
            tt.mismatches++;
        }
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    printf("%llu sequences, %llu instructions (%d distinct table rows), %.1f s\n",
           (unsigned long long)tt.seqs, (unsigned long long)tt.insns, tt.nrows, secs);
    for (int k = 0; o.rows && k < tt.nrows; k++)
        printf("%s%s %s;", k % 8 ? " " : "\n  rows: ", tt.rows[k]->mnem, tt.rows[k]->operands);
    if (o.rows)
        printf("\n");
    for (int v = 0; v <= VEC_SHUTDOWN; v++)
        if (tt.faults[v])
            printf("  %llu sequences end in exception %d (in the reference)\n",
                   (unsigned long long)tt.faults[v], v);
    for (int k = 0; k < KNOWN_COUNT; k++)
        if (tt.known[k])
            printf("  %llu known mismatches: %s\n", (unsigned long long)tt.known[k],
                   known_class_names[k]);
    printf("%llu mismatches\n", (unsigned long long)tt.mismatches);
    printf("%llu passed, %llu failed\n", (unsigned long long)(tt.seqs - tt.mismatches),
           (unsigned long long)tt.mismatches);
    ref_close(r);
    t.close(t.priv);
    return tt.mismatches != 0 || tt.seqs == 0;
}
