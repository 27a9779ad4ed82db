/* moo.c -- reads MOO test files: gunzip the whole file with zlib, then walk
 * its chunks.  Unknown chunk types are skipped by their length; a length
 * that runs past its container is reported as a damaged file. */
#include "moo.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

static uint32_t rd16(const uint8_t *p) { return (uint32_t)p[0] | (uint32_t)p[1] << 8; }
static uint32_t rd32(const uint8_t *p) { return rd16(p) | rd16(p + 2) << 16; }

/* A chunk: 4-byte type, u32 length, payload.  The cursor walks a range. */
struct span {
    const uint8_t *p;
    size_t len;
};

struct chunk {
    char type[5];
    struct span body;
};

/* Takes the next chunk from *s.  Returns 1, 0 at the end, -1 if the chunk
 * does not fit in what is left. */
static int next_chunk(struct span *s, struct chunk *c)
{
    if (s->len == 0)
        return 0;
    if (s->len < 8)
        return -1;
    memcpy(c->type, s->p, 4);
    c->type[4] = 0;
    uint32_t n = rd32(s->p + 4);
    if (n > s->len - 8)
        return -1;
    c->body = (struct span){ s->p + 8, n };
    s->p += 8 + (size_t)n;
    s->len -= 8 + (size_t)n;
    return 1;
}

static int fail(struct moo_file *f, const char *what, long at)
{
    snprintf(f->error, sizeof f->error, "%s (at byte %ld of the decompressed data)", what, at);
    return -1;
}

static int read_all(struct moo_file *f, const char *path)
{
    gzFile gz = gzopen(path, "rb");
    if (!gz) {
        snprintf(f->error, sizeof f->error, "cannot open: %s", strerror(errno));
        return -1;
    }
    size_t cap = 1 << 22;
    f->data = malloc(cap);
    f->size = 0;
    for (;;) {
        if (!f->data)
            break;
        if (cap - f->size < (1u << 20)) {
            uint8_t *bigger = realloc(f->data, cap * 2);
            if (!bigger)
                break;
            f->data = bigger;
            cap *= 2;
        }
        int n = gzread(gz, f->data + f->size, 1u << 20);
        if (n <= 0) {
            int errnum;
            const char *msg = gzerror(gz, &errnum);
            int bad = n < 0 || (errnum != Z_OK && errnum != Z_STREAM_END);
            if (bad)    /* msg lives in gz: copy it before closing */
                snprintf(f->error, sizeof f->error, "gzip data is damaged or truncated: %s", msg);
            gzclose(gz);
            return bad ? -1 : 0;
        }
        f->size += (size_t)n;
    }
    gzclose(gz);
    snprintf(f->error, sizeof f->error, "out of memory");
    return -1;
}

static int read_header(struct moo_file *f)
{
    struct span s = { f->data, f->size };
    struct chunk c;
    if (next_chunk(&s, &c) != 1 || strcmp(c.type, "MOO ") || c.body.len < 12)
        return fail(f, "not a MOO file (no 'MOO ' header chunk)", 0);
    f->count = rd32(c.body.p + 4);
    memcpy(f->cpu, c.body.p + 8, 4);
    f->cpu[4] = 0;
    f->pos = (size_t)(s.p - f->data);
    return 0;
}

int moo_open(struct moo_file *f, const char *path)
{
    memset(f, 0, sizeof *f);
    if (read_all(f, path) < 0 || read_header(f) < 0) {
        free(f->data);
        f->data = NULL;
        return -1;
    }
    return 0;
}

void moo_close(struct moo_file *f)
{
    free(f->data);
    f->data = NULL;
}

/* REGS: u16 mask, then one u16 per set bit.  Bits past the 14 registers
 * we know are read over, not stored. */
static int parse_regs(struct moo_state *st, struct span b)
{
    if (b.len < 2)
        return -1;
    uint32_t mask = rd16(b.p);
    size_t need = 2 + 2 * (size_t)__builtin_popcount(mask);
    if (need > b.len)
        return -1;
    const uint8_t *v = b.p + 2;
    for (int r = 0; r < 16; r++) {
        if (!(mask >> r & 1))
            continue;
        if (r < MOO_NREGS)
            st->regs[r] = (uint16_t)rd16(v);
        v += 2;
    }
    st->mask = (uint16_t)(mask & ((1u << MOO_NREGS) - 1));
    return 0;
}

static int parse_ram(struct moo_state *st, struct span b)
{
    if (b.len < 4)
        return -1;
    uint32_t n = rd32(b.p);
    if (n > (b.len - 4) / 5)
        return -1;
    st->nram = n;
    st->ram = b.p + 4;
    return 0;
}

static int parse_state(struct moo_state *st, struct span b)
{
    struct chunk c;
    int r;
    memset(st, 0, sizeof *st);
    while ((r = next_chunk(&b, &c)) == 1) {
        if (!strcmp(c.type, "REGS") && parse_regs(st, c.body) < 0)
            return -1;
        if (!strcmp(c.type, "RAM ") && parse_ram(st, c.body) < 0)
            return -1;
    }
    return r;
}

/* NAME and BYTS: u32 length, then that many bytes. */
static int parse_counted(struct span b, const uint8_t **p, uint32_t *n)
{
    if (b.len < 4 || rd32(b.p) > b.len - 4)
        return -1;
    *n = rd32(b.p);
    *p = b.p + 4;
    return 0;
}

/* One sub-chunk of a TEST.  Returns 0, or -1 with a reason in *why. */
static int parse_test_chunk(struct moo_test *t, const struct chunk *c,
                            unsigned *seen, const char **why)
{
    const uint8_t *p;
    if (!strcmp(c->type, "NAME")) {
        *why = "bad NAME";
        if (parse_counted(c->body, &p, &t->name_len) < 0)
            return -1;
        t->name = (const char *)p;
    } else if (!strcmp(c->type, "BYTS")) {
        *why = "bad BYTS";
        if (parse_counted(c->body, &t->bytes, &t->nbytes) < 0)
            return -1;
        *seen |= 1;
    } else if (!strcmp(c->type, "INIT")) {
        *why = "bad INIT";
        if (parse_state(&t->init, c->body) < 0)
            return -1;
        *seen |= 2;
    } else if (!strcmp(c->type, "FINA")) {
        *why = "bad FINA";
        if (parse_state(&t->final, c->body) < 0)
            return -1;
        *seen |= 4;
    } else if (!strcmp(c->type, "EXCP")) {
        *why = "bad EXCP";
        if (c->body.len < 5)
            return -1;
        t->has_excp = 1;
        t->excp_vector = c->body.p[0];
        t->excp_flags_addr = rd32(c->body.p + 1);
    } else if (!strcmp(c->type, "HASH")) {
        *why = "bad HASH";
        if (c->body.len < 20)
            return -1;
        t->hash = c->body.p;
    }
    return 0;
}

static int parse_test(struct moo_file *f, struct moo_test *t, struct span b, long at)
{
    memset(t, 0, sizeof *t);
    if (b.len < 4)
        return fail(f, "TEST chunk shorter than its index", at);
    t->index = rd32(b.p);
    b.p += 4;
    b.len -= 4;
    struct chunk c;
    unsigned seen = 0;
    int r;
    const char *why = "";
    while ((r = next_chunk(&b, &c)) == 1)
        if (parse_test_chunk(t, &c, &seen, &why) < 0)
            break;
    if (r < 0)
        why = "a sub-chunk runs past the end of its TEST";
    if (r != 0) {
        char msg[120];
        snprintf(msg, sizeof msg, "test %u: %s", t->index, why);
        return fail(f, msg, at);
    }
    if (seen != 7) {
        char msg[120];
        snprintf(msg, sizeof msg, "test %u: lacks its %s chunk", t->index,
                 !(seen & 1) ? "BYTS" : !(seen & 2) ? "INIT" : "FINA");
        return fail(f, msg, at);
    }
    return 0;
}

static void parse_meta(struct moo_file *f, struct span b)
{
    if (b.len < 15)
        return;
    f->opcode = rd32(b.p + 3);
    memcpy(f->mnemonic, b.p + 7, 8);
    f->mnemonic[8] = 0;
}

int moo_next(struct moo_file *f, struct moo_test *t)
{
    for (;;) {
        struct span s = { f->data + f->pos, f->size - f->pos };
        long at = (long)f->pos;
        struct chunk c;
        int r = next_chunk(&s, &c);
        if (r == 0)
            return 0;
        if (r < 0)
            return fail(f, "file is truncated: a chunk runs past the end", at);
        f->pos = (size_t)(s.p - f->data);
        if (!strcmp(c.type, "TEST"))
            return parse_test(f, t, c.body, at) < 0 ? -1 : 1;
        if (!strcmp(c.type, "META"))
            parse_meta(f, c.body);
        /* other chunk types (RMSK, GMET...) are not ours to use: skipped */
    }
}
