/* capstone_check.c -- cross-checks the lengths our decoder (cpu/decode.c,
 * model CPU_P6) gives random byte sequences against capstone's, in 16- and
 * 32-bit code.  Capstone is an independent decoder: where both call a
 * sequence a valid i686 instruction, the lengths must agree.
 *
 * Which capstone instructions count as i686 (the filter):
 *  - instruction groups the P6 does not have are excluded: VT-x/SVM, 3DNow!,
 *    MMX, every SSE/AVX/AVX-512 level, AES, SHA, PCLMUL, BMI, ADX, F16C,
 *    FMA, XOP, TBM, RTM, SGX, SMAP, FSGSBASE, 64-bit only;
 *  - so are VEX/EVEX encodings (C4, C5, 62 read as a vector prefix) and
 *    the instructions of later CPUs that capstone files under no such
 *    group (not_i686[] below: SYSCALL/SYSRET, RDTSCP, XSAVE family,
 *    FXSAVE/FXRSTOR, fences, prefetches, POPCNT, MOVBE, CRC32, RDRAND,
 *    MONITOR/MWAIT, CLAC/STAC, TSX, VIA PadLock, ...), and the
 *    undefined-opcode instructions UD0/UD1 whose ModR/M capstone 4 does
 *    not read (the SDM gives them one).
 * Everything else that capstone decodes (the integer instructions, x87,
 * system instructions, CMOV, SYSENTER, CMPXCHG8B...) is compared.
 *
 * Capstone-valid instructions that our decoder calls invalid are counted by
 * opcode.  Two reasons are legitimate: LOCK on an instruction or operand
 * form that the SDM says raises #UD (capstone accepts any LOCK), and RSM,
 * #UD outside system-management mode, which x86lab does not model.
 * Anything else is reported as unexplained and fails the check, as do
 * length disagreements.  One capstone 4 bug is allowed for: its length for
 * a near CALL/JMP with 66 and F2/F3 prefixes depends on the prefixes'
 * order (66 F3 E8 reads a rel32 in 32-bit code, F3 66 E8 a rel16); the
 * hardware ignores the order, so a length that capstone gives for another
 * order of the same prefixes is accepted and counted apart.  Sequences
 * only our decoder accepts are listed for information: capstone 4 rejects
 * some valid ones (hint NOPs 0F 18-1F with a register, UD0, A0-A3 with 66
 * and F2/F3), and some are invalid encodings whose handler raises #UD. */
#include <capstone/capstone.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpu/cpu.h"
#include "cpu/insn.h"

enum { SEQ_LEN = 16, TABLE_SIZE = 8192, SHOW_MAX = 200 };

/* ---- deterministic random numbers (xorshift64*) ---- */

struct rng {
    uint64_t s;
};

static uint32_t rnd(struct rng *r)
{
    r->s ^= r->s >> 12;
    r->s ^= r->s << 25;
    r->s ^= r->s >> 27;
    return (uint32_t)((r->s * 0x2545F4914F6CDD1DULL) >> 32);
}

static const uint8_t prefix_bytes[] = {
    0x26, 0x2E, 0x36, 0x3E, 0x64, 0x65, 0x66, 0x67, 0xF0, 0xF2, 0xF3 };

/* Half the sequences start with 1-4 prefixes; a third of the opcodes are
 * two-byte (0F xx); the rest of the bytes are uniform. */
static void make_sequence(struct rng *r, uint8_t *buf)
{
    int n = 0;
    if (rnd(r) & 1) {
        int np = 1 + (int)(rnd(r) % 4);
        for (int k = 0; k < np; k++)
            buf[n++] = prefix_bytes[rnd(r) % sizeof prefix_bytes];
    }
    if (rnd(r) % 3 == 0)
        buf[n++] = 0x0F;
    while (n < SEQ_LEN)
        buf[n++] = (uint8_t)rnd(r);
}

/* ---- counting by opcode ---- */

struct entry {
    char key[64];
    uint64_t count;
    uint8_t example[SEQ_LEN];
    int ours, theirs;          /* lengths (or DEC_*) of the example */
};

struct tally {
    struct entry *e;           /* TABLE_SIZE slots, open addressing */
    uint64_t total;
    int used;
};

static unsigned hash_str(const char *s)
{
    unsigned h = 2166136261u;
    while (*s)
        h = (h ^ (uint8_t)*s++) * 16777619u;
    return h;
}

static void tally_add(struct tally *t, const char *key, const uint8_t *seq,
                      int ours, int theirs)
{
    t->total++;
    unsigned h = hash_str(key) & (TABLE_SIZE - 1);
    while (t->e[h].count && strcmp(t->e[h].key, key))
        h = (h + 1) & (TABLE_SIZE - 1);
    struct entry *e = &t->e[h];
    if (!e->count) {
        if (t->used >= TABLE_SIZE / 2)
            return;            /* full: counted in total only */
        t->used++;
        snprintf(e->key, sizeof e->key, "%s", key);
        memcpy(e->example, seq, SEQ_LEN);
        e->ours = ours;
        e->theirs = theirs;
    }
    e->count++;
}

static int by_count(const void *a, const void *b)
{
    const struct entry *x = a, *y = b;
    if (x->count != y->count)
        return x->count < y->count ? 1 : -1;
    return strcmp(x->key, y->key);
}

static void tally_print(struct tally *t, const char *title)
{
    printf("  %s: %llu", title, (unsigned long long)t->total);
    if (!t->total) {
        printf("\n");
        return;
    }
    printf(", by opcode:\n");
    qsort(t->e, TABLE_SIZE, sizeof *t->e, by_count);
    for (int k = 0; k < t->used && k < SHOW_MAX; k++) {
        const struct entry *e = &t->e[k];
        printf("    %-34s %8llu   e.g.", e->key, (unsigned long long)e->count);
        for (int b = 0; b < SEQ_LEN && b < 12; b++)
            printf(" %02x", e->example[b]);
        printf("  (ours %d, capstone %d)\n", e->ours, e->theirs);
    }
    if (t->used > SHOW_MAX)
        printf("    ... %d more opcodes\n", t->used - SHOW_MAX);
}

/* ---- the filter ---- */

static const uint8_t excluded_groups[] = {
    X86_GRP_VM, X86_GRP_3DNOW, X86_GRP_AES, X86_GRP_ADX, X86_GRP_AVX,
    X86_GRP_AVX2, X86_GRP_AVX512, X86_GRP_BMI, X86_GRP_BMI2, X86_GRP_F16C,
    X86_GRP_FMA, X86_GRP_FMA4, X86_GRP_FSGSBASE, X86_GRP_MMX, X86_GRP_MODE64,
    X86_GRP_RTM, X86_GRP_SHA, X86_GRP_SSE1, X86_GRP_SSE2, X86_GRP_SSE3,
    X86_GRP_SSE41, X86_GRP_SSE42, X86_GRP_SSE4A, X86_GRP_SSSE3, X86_GRP_PCLMUL,
    X86_GRP_XOP, X86_GRP_CDI, X86_GRP_ERI, X86_GRP_TBM, X86_GRP_SGX,
    X86_GRP_DQI, X86_GRP_BWI, X86_GRP_PFI, X86_GRP_VLX, X86_GRP_SMAP,
    X86_GRP_NOVLX,
};

/* Later instructions that capstone puts in no excluded group. */
static const unsigned not_i686[] = {
    X86_INS_SYSCALL, X86_INS_SYSRET,           /* AMD K6+ */
    X86_INS_RDTSCP, X86_INS_SWAPGS,
    X86_INS_MONITOR, X86_INS_MWAIT,            /* SSE3 era */
    X86_INS_XGETBV, X86_INS_XSETBV, X86_INS_XSAVE, X86_INS_XSAVEOPT,
    X86_INS_XSAVEC, X86_INS_XSAVES, X86_INS_XRSTOR, X86_INS_XRSTORS,
    X86_INS_FXSAVE, X86_INS_FXRSTOR,           /* Pentium II with SSE */
    X86_INS_CLFLUSH, X86_INS_CLFLUSHOPT, X86_INS_CLWB,
    X86_INS_LFENCE, X86_INS_MFENCE, X86_INS_SFENCE,
    X86_INS_PREFETCH, X86_INS_PREFETCHW, X86_INS_PREFETCHNTA,
    X86_INS_PREFETCHT0, X86_INS_PREFETCHT1, X86_INS_PREFETCHT2,
    X86_INS_POPCNT, X86_INS_LZCNT, X86_INS_TZCNT, X86_INS_MOVBE,
    X86_INS_CRC32, X86_INS_CMPXCHG16B, X86_INS_RDRAND, X86_INS_RDSEED,
    X86_INS_INVPCID, X86_INS_VMFUNC, X86_INS_GETSEC, X86_INS_ENCLS,
    X86_INS_ENCLU, X86_INS_FEMMS, X86_INS_FISTTP,
    X86_INS_XSTORE, X86_INS_XCRYPTECB, X86_INS_XCRYPTCBC, X86_INS_XCRYPTCTR,
    X86_INS_XCRYPTCFB, X86_INS_XCRYPTOFB, X86_INS_MONTMUL, X86_INS_XSHA1,
    X86_INS_XSHA256,                           /* VIA PadLock */
    X86_INS_CLAC, X86_INS_STAC,                /* SMAP */
    X86_INS_XTEST, X86_INS_XBEGIN, X86_INS_XEND, X86_INS_XABORT, /* TSX */
    X86_INS_UD0, X86_INS_UD2B,                 /* capstone 4 reads no ModR/M */
};

static bool is_excluded(const cs_insn *ci)
{
    const cs_detail *d = ci->detail;
    /* VEX (C4/C5) and EVEX (62) encodings: on the i686 these bytes are
     * LES, LDS and BOUND, which capstone names as such. */
    uint8_t op0 = d->x86.opcode[0];
    if ((op0 == 0xC4 || op0 == 0xC5 || op0 == 0x62) &&
        ci->id != X86_INS_LES && ci->id != X86_INS_LDS && ci->id != X86_INS_BOUND)
        return true;
    for (int g = 0; g < d->groups_count; g++)
        for (size_t k = 0; k < sizeof excluded_groups; k++)
            if (d->groups[g] == excluded_groups[k])
                return true;
    for (size_t k = 0; k < sizeof not_i686 / sizeof not_i686[0]; k++)
        if (ci->id == not_i686[k])
            return true;
    return false;
}

/* SDM "LOCK": #UD unless the instruction is one of these with a memory
 * destination. */
static const unsigned lockable[] = {
    X86_INS_ADD, X86_INS_ADC, X86_INS_AND, X86_INS_BTC, X86_INS_BTR,
    X86_INS_BTS, X86_INS_CMPXCHG, X86_INS_CMPXCHG8B, X86_INS_DEC,
    X86_INS_INC, X86_INS_NEG, X86_INS_NOT, X86_INS_OR, X86_INS_SBB,
    X86_INS_SUB, X86_INS_XOR, X86_INS_XADD, X86_INS_XCHG,
};

static bool is_prefix(uint8_t b)
{
    return memchr(prefix_bytes, b, sizeof prefix_bytes) != NULL;
}

/* The legacy prefixes at the start of seq. */
static int prefix_run(const uint8_t *seq)
{
    int n = 0;
    while (n < SEQ_LEN && is_prefix(seq[n]))
        n++;
    return n;
}

/* Capstone's detail keeps one prefix per group (a later F2/F3 hides an
 * F0), so LOCK is looked for in the bytes. */
static bool lock_is_ud(const cs_insn *ci, const uint8_t *seq)
{
    const cs_x86 *x = &ci->detail->x86;
    if (!memchr(seq, 0xF0, (size_t)prefix_run(seq)))
        return false;
    bool mem_dest = x->op_count > 0 && x->operands[0].type == X86_OP_MEM;
    if (ci->id == X86_INS_XCHG && x->op_count > 1)
        mem_dest |= x->operands[1].type == X86_OP_MEM;
    for (size_t k = 0; k < sizeof lockable / sizeof lockable[0]; k++)
        if (ci->id == lockable[k])
            return !mem_dest;
    return true;
}

/* Instructions of the i686 that our machine rightly refuses: LOCK where
 * the SDM says #UD, and RSM, which is #UD outside system-management mode
 * (x86lab does not model SMM).  Returns a short reason, or NULL. */
static const char *legit_ud_reason(const cs_insn *ci, const uint8_t *seq)
{
    if (lock_is_ud(ci, seq))
        return "LOCK #UD";
    if (ci->id == X86_INS_RSM)
        return "RSM, no SMM";
    return NULL;
}

/* Legacy prefixes may come in any order on the hardware.  Capstone 4's
 * length sometimes depends on the order (66 F3 E8 in 32-bit code reads a
 * rel32, F3 66 E8 a rel16): true when some order of seq's prefixes (up to
 * five of them) makes capstone agree with want. */
static bool swap_agrees(csh h, cs_insn *ci, uint8_t *s, int k, int n, int want)
{
    if (k == n) {
        const uint8_t *p = s;
        size_t size = SEQ_LEN;
        uint64_t addr = 0x1000;
        return cs_disasm_iter(h, &p, &size, &addr, ci) && ci->size == want;
    }
    for (int j = k; j < n; j++) {
        uint8_t t = s[k]; s[k] = s[j]; s[j] = t;
        bool ok = swap_agrees(h, ci, s, k + 1, n, want);
        t = s[k]; s[k] = s[j]; s[j] = t;
        if (ok)
            return true;
    }
    return false;
}

static bool prefix_order_quirk(csh h, const uint8_t *seq, int want)
{
    int n = prefix_run(seq);
    if (n < 2 || n > 5)
        return false;
    uint8_t copy[SEQ_LEN];
    memcpy(copy, seq, SEQ_LEN);
    cs_insn *tmp = cs_malloc(h);
    bool ok = swap_agrees(h, tmp, copy, 0, n, want);
    cs_free(tmp, 1);
    return ok;
}

/* ---- the comparison ---- */

struct mode_stats {
    uint64_t compared, passed, excluded, both_invalid;
    struct tally mismatch;     /* both valid, lengths differ: failures */
    struct tally order;        /* lengths differ only in capstone's prefix order */
    struct tally ud_legit;     /* capstone valid, we rightly say #UD */
    struct tally ud_other;     /* capstone valid, we say invalid: failures */
    struct tally ours_only;    /* we decode it, capstone does not */
};

static void capstone_key(const cs_insn *ci, char *key, size_t n)
{
    const uint8_t *op = ci->detail->x86.opcode;
    int len = snprintf(key, n, "%02x", op[0]);
    for (int k = 1; k < 4 && op[k]; k++)
        len += snprintf(key + len, n - (size_t)len, " %02x", op[k]);
    snprintf(key + len, n - (size_t)len, " %s", ci->mnemonic);
}

static void our_key(const struct insn *i, char *key, size_t n)
{
    const char *m = i->row && i->row->mnem ? i->row->mnem : "?";
    if (i->opcode >= 0x100)
        snprintf(key, n, "0f %02x /%d %s", i->opcode & 0xFF, i->reg, m);
    else
        snprintf(key, n, "%02x /%d %s", i->opcode, i->reg, m);
}

static void check_one(csh h, cs_insn *ci, const uint8_t *seq, int code32,
                      struct mode_stats *st)
{
    struct insn i;
    int ours = decode(&i, seq, SEQ_LEN, code32, CPU_P6);
    const uint8_t *p = seq;
    size_t size = SEQ_LEN;
    uint64_t addr = 0x1000;
    bool valid = cs_disasm_iter(h, &p, &size, &addr, ci) && ci->size <= 15;
    char key[64];
    if (!valid) {
        if (ours > 0) {
            our_key(&i, key, sizeof key);
            tally_add(&st->ours_only, key, seq, ours, 0);
        } else {
            st->both_invalid++;
        }
        return;
    }
    if (is_excluded(ci)) {
        st->excluded++;
        return;
    }
    capstone_key(ci, key, sizeof key);
    if (ours <= 0) {
        const char *why = legit_ud_reason(ci, seq);
        if (why) {
            char k2[96];
            snprintf(k2, sizeof k2, "%s: %s", why, key);
            tally_add(&st->ud_legit, k2, seq, ours, ci->size);
        } else {
            tally_add(&st->ud_other, key, seq, ours, ci->size);
        }
        return;
    }
    st->compared++;
    int theirs = ci->size;
    if (ours == theirs)
        st->passed++;
    else if (prefix_order_quirk(h, seq, ours))
        tally_add(&st->order, key, seq, ours, theirs);
    else
        tally_add(&st->mismatch, key, seq, ours, theirs);
}

struct result {
    uint64_t passed, failed;
};

static void print_mode(int bits, uint64_t count, struct mode_stats *st)
{
    printf("%d-bit code: %llu sequences: %llu i686 instructions compared, %llu "
           "of the same length; %llu capstone-valid but not i686 (excluded); "
           "%llu invalid for both\n", bits, (unsigned long long)count,
           (unsigned long long)st->compared, (unsigned long long)st->passed,
           (unsigned long long)st->excluded, (unsigned long long)st->both_invalid);
    tally_print(&st->mismatch, "LENGTH DISAGREEMENTS");
    tally_print(&st->ud_other, "UNEXPLAINED: capstone decodes an i686 instruction, we call it invalid");
    tally_print(&st->order, "lengths differ only by capstone's prefix order (hardware ignores it)");
    tally_print(&st->ud_legit, "we rightly call invalid");
    tally_print(&st->ours_only, "we decode, capstone does not (information)");
}

static struct result run_mode(csh h, int bits, uint64_t count, uint64_t seed)
{
    cs_insn *ci = cs_malloc(h);
    struct mode_stats *st = calloc(1, sizeof *st);
    struct tally *tallies[] = { &st->mismatch, &st->order, &st->ud_legit,
                                &st->ud_other, &st->ours_only };
    enum { NT = sizeof tallies / sizeof tallies[0] };
    for (int k = 0; k < NT; k++)
        tallies[k]->e = calloc(TABLE_SIZE, sizeof(struct entry));
    struct rng r = { seed * 2 + (uint64_t)bits + 0x9E3779B97F4A7C15ULL };
    uint8_t seq[SEQ_LEN];
    for (uint64_t n = 0; n < count; n++) {
        make_sequence(&r, seq);
        check_one(h, ci, seq, bits == 32, st);
    }
    print_mode(bits, count, st);
    struct result res = {
        st->passed + st->order.total + st->ud_legit.total,
        st->mismatch.total + st->ud_other.total };
    for (int k = 0; k < NT; k++)
        free(tallies[k]->e);
    free(st);
    cs_free(ci, 1);
    return res;
}

static int parse_u64(const char *s, uint64_t *v)
{
    char *end;
    *v = strtoull(s, &end, 0);
    return *s && !*end && *s != '-' ? 0 : -1;
}

int main(int argc, char **argv)
{
    uint64_t count = 1000000, seed = 1;
    for (int k = 1; k < argc; k++) {
        if (!strcmp(argv[k], "--count") && k + 1 < argc && !parse_u64(argv[k + 1], &count)) {
            k++;
        } else if (!strcmp(argv[k], "--seed") && k + 1 < argc && !parse_u64(argv[k + 1], &seed)) {
            k++;
        } else {
            fprintf(stderr, "usage: capstone_check [--count N] [--seed S]\n"
                    "  N random byte sequences (default 1000000) in 16- and in 32-bit code\n");
            return 2;
        }
    }
    struct result total = { 0, 0 };
    for (int bits = 16; bits <= 32; bits += 16) {
        csh h;
        if (cs_open(CS_ARCH_X86, bits == 32 ? CS_MODE_32 : CS_MODE_16, &h) != CS_ERR_OK) {
            fprintf(stderr, "capstone_check: cs_open failed\n");
            return 2;
        }
        cs_option(h, CS_OPT_DETAIL, CS_OPT_ON);
        struct result r = run_mode(h, bits, count, seed);
        cs_close(&h);
        total.passed += r.passed;
        total.failed += r.failed;
    }
    printf("capstone_check (seed %llu, %llu sequences per mode): %llu passed, %llu failed\n",
           (unsigned long long)seed, (unsigned long long)count,
           (unsigned long long)total.passed, (unsigned long long)total.failed);
    return total.failed ? 1 : 0;
}
