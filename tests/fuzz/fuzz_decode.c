/* fuzz_decode.c -- libFuzzer harness for the instruction decoder
 * (cpu/decode.c): every input is decoded from an exactly-sized buffer (no
 * read past `avail`) for every CPU model, then cross-checked against
 * capstone's length in 16- and 32-bit code with the very filter of
 * tests/decoder/capstone_check.c (included here, its main renamed), so a
 * length disagreement or an unexplained #UD aborts with the bytes. */
#define main capstone_check_main
#include "tests/decoder/capstone_check.c"
#undef main

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct checker {
    csh h[2];
    cs_insn *ci;
    struct mode_stats st[2];
};

static struct checker *checker_get(void)
{
    static struct checker *ck;   /* libFuzzer's one process-wide harness state */
    if (ck)
        return ck;
    ck = calloc(1, sizeof *ck);
    for (int m = 0; m < 2; m++) {
        if (cs_open(CS_ARCH_X86, m ? CS_MODE_32 : CS_MODE_16, &ck->h[m]) != CS_ERR_OK)
            abort();
        cs_option(ck->h[m], CS_OPT_DETAIL, CS_OPT_ON);
        struct tally *t[] = { &ck->st[m].mismatch, &ck->st[m].order, &ck->st[m].ud_legit,
                              &ck->st[m].ud_other, &ck->st[m].ours_only };
        for (size_t k = 0; k < sizeof t / sizeof t[0]; k++)
            t[k]->e = calloc(TABLE_SIZE, sizeof(struct entry));
    }
    ck->ci = cs_malloc(ck->h[0]);
    return ck;
}

static void report(const char *what, const uint8_t *seq, int bits)
{
    fprintf(stderr, "fuzz_decode: %s in %d-bit code:", what, bits);
    for (int k = 0; k < SEQ_LEN; k++)
        fprintf(stderr, " %02x", seq[k]);
    fprintf(stderr, "\n");
    abort();
}

/* The sequence with its legacy prefixes reduced to one of each kind (the
 * last segment override, the last of F2/F3, 66, 67 and F0 once), in their
 * order of last appearance: the same instruction to the hardware.  Capstone
 * 4's prefix-order quirk (capstone_check.c) is only searched for up to five
 * prefixes, so longer runs are compared in this form.  Returns how many
 * prefixes were dropped. */
static int dedupe_prefixes(const uint8_t *seq, uint8_t *out)
{
    int n = prefix_run(seq), w = 0;
    for (int k = 0; k < n; k++) {
        bool later = false;
        for (int j = k + 1; j < n; j++) {
            bool seg_a = seq[k] == 0x26 || seq[k] == 0x2E || seq[k] == 0x36 ||
                         seq[k] == 0x3E || seq[k] == 0x64 || seq[k] == 0x65;
            bool seg_b = seq[j] == 0x26 || seq[j] == 0x2E || seq[j] == 0x36 ||
                         seq[j] == 0x3E || seq[j] == 0x64 || seq[j] == 0x65;
            bool rep_a = seq[k] == 0xF2 || seq[k] == 0xF3, rep_b = seq[j] == 0xF2 || seq[j] == 0xF3;
            if (seq[j] == seq[k] || (seg_a && seg_b) || (rep_a && rep_b))
                later = true;
        }
        if (!later)
            out[w++] = seq[k];
    }
    memcpy(out + w, seq + n, (size_t)(SEQ_LEN - n));
    memset(out + w + SEQ_LEN - n, 0, (size_t)(n - w));
    return n - w;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct checker *ck = checker_get();
    struct insn i;
    /* The exact buffer: a decoder that reads past avail is an ASan report. */
    for (int model = CPU_286; model <= CPU_P6; model++)
        for (int code32 = 0; code32 < 2; code32++) {
            int n = decode(&i, data, (int)(size > 64 ? 64 : size), code32, model);
            if (n > 15 || (n > 0 && (size_t)n > size) || n < DEC_TOOLONG)
                report("impossible decode result", data, code32 ? 32 : 16);
        }
    uint8_t seq[SEQ_LEN] = { 0 };
    memcpy(seq, data, size < SEQ_LEN ? size : SEQ_LEN);
    for (int m = 0; m < 2; m++) {
        struct mode_stats *st = &ck->st[m];
        uint64_t mismatch = st->mismatch.total, ud_other = st->ud_other.total;
        check_one(ck->h[m], ck->ci, seq, m, st);
        uint8_t short_seq[SEQ_LEN];
        if ((st->mismatch.total != mismatch || st->ud_other.total != ud_other) &&
            prefix_run(seq) > 5 && dedupe_prefixes(seq, short_seq) > 0) {
            /* Compared again in the reduced form; only its verdict counts. */
            st->mismatch.total = mismatch;
            st->ud_other.total = ud_other;
            check_one(ck->h[m], ck->ci, short_seq, m, st);
        }
        if (st->mismatch.total != mismatch)
            report("length disagrees with capstone", seq, m ? 32 : 16);
        if (st->ud_other.total != ud_other)
            report("capstone-valid i686 instruction called invalid", seq, m ? 32 : 16);
    }
    return 0;
}
