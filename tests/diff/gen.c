/* gen.c -- the differential tester's random numbers, start states and the
 * encoder's shared parts: prefixes, ModR/M register forms and memory
 * operands in every addressing form that means the same in 32- and 64-bit
 * mode (no 0x67, no [disp32] without SIB: that is RIP-relative on the host). */
#include <string.h>

#include "tests/diff/diff.h"

uint64_t rng_next(struct rng *g)
{
    g->s ^= g->s >> 12;
    g->s ^= g->s << 25;
    g->s ^= g->s >> 27;
    return g->s * 0x2545F4914F6CDD1Dull;
}

/* Operand values: edge cases a third of the time, buffer addresses and
 * small numbers (indexes, counts) often, else anything. */
uint32_t rng_val(struct rng *g)
{
    static const uint32_t edge[] = {
        0, 1, 2, 0x7F, 0x80, 0x81, 0xFF, 0x100, 0x7FFF, 0x8000, 0x8001, 0xFFFF,
        0x10000, 0x7FFFFFFF, 0x80000000u, 0x80000001u, 0xFFFFFFFFu, 0xFFFFFFFEu,
        0x0F, 0x10, 0x09, 0x99, 0x1F, 0x20, 0x21,
    };
    switch (rngn(g, 8)) {
    case 0:
    case 1: {
        uint32_t v = edge[rngn(g, sizeof edge / sizeof edge[0])];
        return rngn(g, 2) ? v : v | (rng32(g) & 0xFFFF0000u);
    }
    case 2:
        return BUF_ADDR + rngn(g, BUF_SIZE);
    case 3:
        return rngn(g, 40);
    default:
        return rng32(g);
    }
}

/* A start state: random registers, arithmetic flags and DF, buffer. */
void gen_state(struct gen *g, struct state *s, bool engine)
{
    memset(s, 0, sizeof *s);
    for (int k = 0; k < 8; k++)
        s->r[k] = rng_val(&g->rng);
    /* Engines keep their stack in the buffer, so pushes are compared. */
    s->r[R_ESP] = engine ? STACK_TOP - 32 - 4 * rngn(&g->rng, 16) : G_STACK;
    if (engine)
        s->page_mode = rngn(&g->rng, 8) ? PAGE_RW : rngn(&g->rng, 2) ? PAGE_RO : PAGE_ABSENT;
    s->flags = rng32(&g->rng) & (F_ARITH | (rngn(&g->rng, 4) == 0 ? F_DF : 0));
    for (int k = 0; k < BUF_SIZE; k += 8) {
        uint64_t v = rng_next(&g->rng);
        if (rngn(&g->rng, 4) == 0)   /* some small values, some edges */
            v = rng_val(&g->rng);
        memcpy(s->buf + k, &v, 8);
    }
}

void enc_put(struct enc *e, uint8_t v)
{
    if (e->n < (int)sizeof e->b)
        e->b[e->n++] = v;
}

void enc_imm(struct enc *e, uint32_t v, int bytes)
{
    for (int k = 0; k < bytes; k++)
        enc_put(e, (uint8_t)(v >> (8 * k)));
}

bool seq_append(struct seq *q, const struct enc *e)
{
    if (q->n >= MAX_INSNS || q->size + e->n > CODE_MAX - 1 || e->n == 0)
        return false;
    q->off[q->n] = (uint16_t)q->size;
    q->len[q->n] = (uint8_t)e->n;
    memcpy(q->code + q->size, e->b, (size_t)e->n);
    q->size += e->n;
    q->n++;
    return true;
}

void enc_modrm_reg(struct enc *e, int reg, int rm)
{
    enc_put(e, (uint8_t)(0xC0 | reg << 3 | rm));
}

/* One addressing form: mod, optional SIB, base (-1: none), index (-1: none). */
struct form {
    int mod;
    bool sib;
    int base, index, scale;
};

static bool pick_form(struct gen *g, struct form *f)
{
    f->mod = (int)rngn(&g->rng, 3);
    f->sib = rngn(&g->rng, 2);
    f->base = (int)rngn(&g->rng, 8);
    f->index = -1;
    f->scale = 0;
    if (f->base == R_ESP)            /* the host's RSP is not the guest's */
        return false;
    if (f->sib) {
        f->index = (int)rngn(&g->rng, 8);
        f->scale = (int)rngn(&g->rng, 4);
        if (f->index == 4)           /* no index (the scale is ignored) */
            f->index = -1;
        if (f->base == R_EBP && f->mod == 0)
            f->base = -1;            /* [index*scale + disp32] */
    } else if (f->base == R_EBP && f->mod == 0) {
        return false;                /* [disp32]: RIP-relative on the host */
    }
    if ((f->base >= 0 && (g->avoid >> f->base & 1)) ||
        (f->index >= 0 && (g->avoid >> f->index & 1)))
        return false;
    return true;
}

static void emit_form(struct enc *e, const struct form *f, int reg, int64_t disp)
{
    enc_put(e, (uint8_t)(f->mod << 6 | reg << 3 | (f->sib ? 4 : f->base)));
    if (f->sib)
        enc_put(e, (uint8_t)(f->scale << 6 | (f->index < 0 ? 4 : f->index) << 3 |
                             (f->base < 0 ? 5 : f->base)));
    if (f->mod == 1)
        enc_imm(e, (uint32_t)disp, 1);
    else if (f->mod == 2 || f->base < 0)
        enc_imm(e, (uint32_t)disp, 4);
}

/* The host computes base + index*scale + sign-extended disp in 64 bits from
 * zero-extended registers, the guest the same modulo 2^32: they agree when
 * the sum lands in [lo, hi] (below 4 GiB).  The displacement is chosen for
 * that; a form whose registers are too far from the buffer is skipped, and
 * [disp32] through a SIB byte always fits. */
void enc_mem(struct gen *g, const struct view *v, struct enc *e, int reg,
             uint32_t lo, uint32_t hi, uint32_t *addr)
{
    struct form f;
    for (int tries = 0; tries < 16; tries++) {
        if (!pick_form(g, &f))
            continue;
        int64_t sum = 0;
        if (f.base >= 0)
            sum += v->r[f.base];
        if (f.index >= 0)
            sum += (int64_t)v->r[f.index] << f.scale;
        int64_t dlo = -2147483648LL, dhi = 2147483647LL;
        if (f.mod == 0 && f.base >= 0)
            dlo = dhi = 0;
        else if (f.mod == 1)
            dlo = -128, dhi = 127;
        int64_t a = (int64_t)lo - sum, b = (int64_t)hi - sum;
        if (a < dlo)
            a = dlo;
        if (b > dhi)
            b = dhi;
        if (a > b)
            continue;
        int64_t disp = a + (int64_t)(rng_next(&g->rng) % (uint64_t)(b - a + 1));
        emit_form(e, &f, reg, disp);
        *addr = (uint32_t)(sum + disp);
        return;
    }
    f = (struct form){ .mod = 0, .sib = true, .base = -1, .index = -1, .scale = 0 };
    *addr = lo + (uint32_t)(rng_next(&g->rng) % ((uint64_t)hi - lo + 1));
    emit_form(e, &f, reg, *addr);
}
