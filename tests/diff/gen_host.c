/* gen_host.c -- the instruction families the host CPU can run with the same
 * meaning in 64-bit mode (no REX, no 40-4F, no 0x67, no stack, no segment
 * loads): ALU, shifts and rotates, multiply/divide, bit operations,
 * CMOVcc/SETcc, XADD/CMPXCHG/BSWAP, string instructions, LEA, moves.
 * Each family may first append setup moves (a count in ECX, pointers into
 * the buffer) whose effect it predicts in its copy of the view. */
#include <string.h>

#include "tests/diff/diff.h"

enum { BUF_END = BUF_ADDR + BUF_SIZE };

static unsigned rn(struct gen *g, unsigned n) { return rngn(&g->rng, n); }

/* A register for an operand of `size` bits: 8-bit ones are all safe (AH..BH
 * without REX), wider ones are never ESP. */
static int rreg(struct gen *g, int size)
{
    int r;
    do
        r = (int)rn(g, 8);
    while (size != 8 && r == R_ESP);
    return r;
}

static int rsize(struct gen *g)
{
    static const int sizes[4] = { 8, 16, 32, 32 };
    return sizes[rn(g, 4)];
}

static uint32_t mask_of(int size)
{
    return size == 32 ? 0xFFFFFFFFu : (1u << size) - 1;
}

/* Register values as the view predicts them. */
static uint32_t vreg(const struct view *v, int size, int n)
{
    if (size == 8)
        return (v->r[n & 3] >> (n & 4 ? 8 : 0)) & 0xFF;
    return v->r[n] & mask_of(size);
}

static uint32_t vmem(const struct view *v, uint32_t addr, int size)
{
    uint32_t x = 0;
    if (addr + 4 <= v->ram_size)
        memcpy(&x, v->ram + addr, 4);
    return x & mask_of(size);
}

/* Optional segment override (ignored by the host, flat and writable in
 * the guest),
 * then the operand-size prefix. */
static void prefixes(struct gen *g, struct enc *e, int size)
{
    static const uint8_t seg[3] = { 0x26, 0x36, 0x3E };   /* CS: would be read-only */
    if (rn(g, 24) == 0)
        enc_put(e, seg[rn(g, 3)]);
    if (size == 16)
        enc_put(e, 0x66);
}

/* The E operand: memory in the buffer (true, address in *addr) or a
 * register (its number in *addr). */
static bool put_E(struct gen *g, const struct view *v, struct enc *e, int reg,
                  int size, bool mem, uint32_t *addr)
{
    if (mem) {
        /* Engine targets: often across the page boundary that may fault. */
        if (g->mix == MIX_FULL && rn(g, 6) == 0)
            enc_mem(g, v, e, reg, PAGE_SPLIT - 7, PAGE_SPLIT - 1, addr);
        else
            enc_mem(g, v, e, reg, BUF_ADDR, BUF_END - 8, addr);
        return true;
    }
    *addr = (uint32_t)rreg(g, size);
    enc_modrm_reg(e, reg, (int)*addr);
    return false;
}

static uint32_t E_value(const struct view *v, bool mem, uint32_t where, int size)
{
    return mem ? vmem(v, where, size) : vreg(v, size, (int)where);
}

/* Appends a setup MOV r32, imm32 and predicts it. */
static int setup_mov(struct view *v, struct seq *q, int r, uint32_t value)
{
    struct enc e = { .n = 0 };
    enc_put(&e, (uint8_t)(0xB8 + r));
    enc_imm(&e, value, 4);
    if (!seq_append(q, &e))
        return 0;
    v->r[r] = value;
    return 1;
}

static int finish(struct seq *q, const struct enc *e, int done)
{
    return done + (seq_append(q, e) ? 1 : 0);
}

/* ---- families ---- */

static int fam_alu(struct gen *g, struct view *v, struct seq *q)
{
    struct enc e = { .n = 0 };
    int op = (int)rn(g, 8), size = rsize(g), dir = (int)rn(g, 2);
    bool mem = rn(g, 2);
    uint32_t w;
    if (mem && dir == 0 && op != 7 && rn(g, 16) == 0)
        enc_put(&e, 0xF0);                       /* LOCK */
    prefixes(g, &e, size);
    enc_put(&e, (uint8_t)(op << 3 | dir << 1 | (size != 8)));
    put_E(g, v, &e, rreg(g, size), size, mem, &w);
    return finish(q, &e, 0);
}

static int fam_alu_imm(struct gen *g, struct view *v, struct seq *q)
{
    struct enc e = { .n = 0 };
    int op = (int)rn(g, 8), size = rsize(g), form = (int)rn(g, 3);
    uint32_t w;
    if (form == 0) {                             /* AL/eAX, imm */
        prefixes(g, &e, size);
        enc_put(&e, (uint8_t)(op << 3 | 4 | (size != 8)));
        enc_imm(&e, rng_val(&g->rng), size / 8);
        return finish(q, &e, 0);
    }
    bool mem = rn(g, 2);
    if (mem && op != 7 && rn(g, 16) == 0)
        enc_put(&e, 0xF0);
    prefixes(g, &e, size);
    bool ibs = size != 8 && form == 2;           /* 83 /op Ibs */
    enc_put(&e, size == 8 ? 0x80 : ibs ? 0x83 : 0x81);
    put_E(g, v, &e, op, size, mem, &w);
    enc_imm(&e, rng_val(&g->rng), ibs ? 1 : size / 8);
    return finish(q, &e, 0);
}

/* TEST, NOT, NEG, INC, DEC. */
static int fam_unary(struct gen *g, struct view *v, struct seq *q)
{
    struct enc e = { .n = 0 };
    int size = rsize(g), kind = (int)rn(g, 7);
    bool mem = rn(g, 2);
    uint32_t w;
    if (kind == 6) {                             /* TEST AL/eAX, imm */
        prefixes(g, &e, size);
        enc_put(&e, size == 8 ? 0xA8 : 0xA9);
        enc_imm(&e, rng_val(&g->rng), size / 8);
        return finish(q, &e, 0);
    }
    if (kind == 5) {                             /* TEST Ev, Gv */
        prefixes(g, &e, size);
        enc_put(&e, size == 8 ? 0x84 : 0x85);
        put_E(g, v, &e, rreg(g, size), size, mem, &w);
        return finish(q, &e, 0);
    }
    /* F6/F7 /0 /1(alias) /2 /3, FE/FF /0 /1 */
    static const struct { uint8_t op8, op; int reg; bool imm; } u[5] = {
        { 0xF6, 0xF7, 0, true }, { 0xF6, 0xF7, 2, false }, { 0xF6, 0xF7, 3, false },
        { 0xFE, 0xFF, 0, false }, { 0xFE, 0xFF, 1, false },
    };
    int reg = u[kind].reg;
    if (kind == 0 && rn(g, 8) == 0 && !g->sandbox)
        reg = 1;                                 /* the TEST alias F6 /1 */
    if (mem && kind > 0 && rn(g, 16) == 0)
        enc_put(&e, 0xF0);
    prefixes(g, &e, size);
    enc_put(&e, size == 8 ? u[kind].op8 : u[kind].op);
    put_E(g, v, &e, reg, size, mem, &w);
    if (u[kind].imm)
        enc_imm(&e, rng_val(&g->rng), size / 8);
    return finish(q, &e, 0);
}

/* Shifts and rotates (all eight, SAL alias included) by imm, 1 and CL. */
static int fam_shift(struct gen *g, struct view *v, struct seq *q)
{
    struct enc e = { .n = 0 };
    int op = (int)rn(g, 8), size = rsize(g), form = (int)rn(g, 3), done = 0;
    bool mem = rn(g, 2);
    uint32_t w;
    if (form == 2 && rn(g, 2)) {                 /* MOV CL, count first */
        struct enc s = { .n = 0 };
        uint32_t cnt = rn(g, 8) ? rn(g, 36) : rng32(&g->rng) & 0xFF;
        enc_put(&s, 0xB1);
        enc_imm(&s, cnt, 1);
        if (!seq_append(q, &s))
            return 0;
        v->r[R_ECX] = (v->r[R_ECX] & ~0xFFu) | cnt;
        done = 1;
    }
    prefixes(g, &e, size);
    static const uint8_t base[3][2] = { { 0xC0, 0xC1 }, { 0xD0, 0xD1 }, { 0xD2, 0xD3 } };
    enc_put(&e, base[form][size != 8]);
    put_E(g, v, &e, op, size, mem, &w);
    if (form == 0)
        enc_imm(&e, rn(g, 6) ? rn(g, 36) : rng32(&g->rng), 1);
    return finish(q, &e, done);
}

/* SHLD/SHRD; on AMD a 16-bit count over 16 leaves the result undefined, so
 * the counts stay at or below 16 there. */
static int fam_dshift(struct gen *g, struct view *v, struct seq *q)
{
    struct enc e = { .n = 0 };
    int size = rn(g, 2) ? 16 : 32, right = (int)rn(g, 2), cl = (int)rn(g, 2), done = 0;
    bool limit = size == 16 && !g->intel;
    bool mem = rn(g, 2);
    uint32_t w;
    if (cl && (rn(g, 2) || (limit && (v->r[R_ECX] & 31) > 16))) {
        struct enc s = { .n = 0 };
        uint32_t cnt = limit ? rn(g, 17) : rn(g, 40);
        enc_put(&s, 0xB1);
        enc_imm(&s, cnt, 1);
        if (!seq_append(q, &s))
            return 0;
        v->r[R_ECX] = (v->r[R_ECX] & ~0xFFu) | cnt;
        done = 1;
    }
    prefixes(g, &e, size);
    enc_put(&e, 0x0F);
    enc_put(&e, (uint8_t)(0xA4 | right << 3 | cl));
    put_E(g, v, &e, rreg(g, size), size, mem, &w);
    if (!cl)
        enc_imm(&e, limit ? rn(g, 17) | rn(g, 8) << 5 : rn(g, 256), 1);
    return finish(q, &e, done);
}

/* Would DIV/IDIV (op 6/7) of the view's dividend by d fault? */
static bool div_faults(const struct view *v, int op, int size, uint32_t d)
{
    if (d == 0)
        return true;
    uint64_t n = size == 8 ? (v->r[R_EAX] & 0xFFFF)
               : size == 16 ? ((v->r[R_EDX] & 0xFFFF) << 16 | (v->r[R_EAX] & 0xFFFF))
               : ((uint64_t)v->r[R_EDX] << 32 | v->r[R_EAX]);
    if (op == 6)
        return n / d > mask_of(size);
    int64_t sn = size == 8 ? (int16_t)n : size == 16 ? (int32_t)n : (int64_t)n;
    int64_t sd = size == 8 ? (int8_t)d : size == 16 ? (int16_t)d : (int32_t)d;
    if (size == 32 && sn == INT64_MIN && sd == -1)
        return true;
    int64_t quo = sn / sd, lim = (int64_t)1 << (size - 1);
    return quo >= lim || quo < -lim;
}

/* Setup that makes a division fit: zero or sign-extend the dividend. */
static int div_setup(struct view *v, struct seq *q, int op, int size)
{
    struct enc s = { .n = 0 };
    if (size == 8) {
        if (op == 6) {
            enc_put(&s, 0xB4);                   /* mov ah, 0 */
            enc_put(&s, 0);
        } else {
            enc_put(&s, 0x66);                   /* cbw */
            enc_put(&s, 0x98);
        }
    } else if (op == 6) {
        if (size == 16)
            enc_put(&s, 0x66);
        enc_put(&s, 0x31);                       /* xor (e)dx, (e)dx */
        enc_put(&s, 0xD2);
    } else {
        if (size == 16)
            enc_put(&s, 0x66);
        enc_put(&s, 0x99);                       /* cwd / cdq */
    }
    if (!seq_append(q, &s))
        return 0;
    uint32_t a = v->r[R_EAX];
    if (size == 8)
        v->r[R_EAX] = (a & ~0xFF00u) | (op == 6 ? 0 : ((a & 0x80) ? 0xFF00 : 0));
    else if (size == 16)
        v->r[R_EDX] = (v->r[R_EDX] & ~0xFFFFu) | (op == 6 || !(a & 0x8000) ? 0 : 0xFFFF);
    else
        v->r[R_EDX] = op == 6 || !(a & 0x80000000u) ? 0 : 0xFFFFFFFFu;
    return 1;
}

/* MUL IMUL DIV IDIV (F6/F7), IMUL Gv,Ev (0F AF) and Gv,Ev,imm (69, 6B).
 * Divisions mostly fit; one in eight that would not is kept (#DE on both). */
static int fam_muldiv(struct gen *g, struct view *v, struct seq *q)
{
    struct enc e = { .n = 0 };
    int size = rsize(g), kind = (int)rn(g, 7), done = 0;
    bool mem = rn(g, 2);
    uint32_t w;
    if (kind >= 4) {
        if (size == 8)
            size = 32;
        prefixes(g, &e, size);
        if (kind == 4) {
            enc_put(&e, 0x0F);
            enc_put(&e, 0xAF);
        } else {
            enc_put(&e, kind == 5 ? 0x69 : 0x6B);
        }
        put_E(g, v, &e, rreg(g, size), size, mem, &w);
        if (kind == 5)
            enc_imm(&e, rng_val(&g->rng), size / 8);
        else if (kind == 6)
            enc_imm(&e, rng_val(&g->rng), 1);
        return finish(q, &e, 0);
    }
    int op = 4 + kind;
    g->avoid = 1u << R_EAX | 1u << R_EDX;       /* the setup changes them */
    prefixes(g, &e, size);
    enc_put(&e, size == 8 ? 0xF6 : 0xF7);
    put_E(g, v, &e, op, size, mem, &w);
    g->avoid = 0;
    if (op >= 6 && rn(g, 8) != 0) {
        if (div_faults(v, op, size, E_value(v, mem, w, size)))
            done = div_setup(v, q, op, size);
        if (div_faults(v, op, size, E_value(v, mem, w, size)) && rn(g, 4) != 0)
            return done;                          /* drop it: no #DE this time */
    }
    return finish(q, &e, done);
}

/* BT/BTS/BTR/BTC by register and immediate, BSF/BSR. */
static int fam_bit(struct gen *g, struct view *v, struct seq *q)
{
    struct enc e = { .n = 0 };
    int size = rn(g, 2) ? 16 : 32, kind = (int)rn(g, 3), op = (int)rn(g, 4), done = 0;
    bool mem = rn(g, 2);
    uint32_t w;
    if (kind == 0) {                             /* Ev, Gv: offset may leave the operand */
        int reg = rreg(g, size);
        int64_t off = size == 16 ? (int16_t)v->r[reg] : (int32_t)v->r[reg];
        int64_t delta = size == 16 ? (off >> 4) * 2 : (off >> 5) * 4;
        int64_t lo = (int64_t)BUF_ADDR - delta, hi = (int64_t)BUF_END - 8 - delta;
        if (mem && (lo < 0 || hi > 0xFFFFFFFFLL))
            mem = false;
        if (mem && op > 0 && rn(g, 16) == 0)
            enc_put(&e, 0xF0);
        prefixes(g, &e, size);
        enc_put(&e, 0x0F);
        enc_put(&e, (uint8_t)(0xA3 | op << 3));
        if (mem) {
            g->avoid = 0;
            enc_mem(g, v, &e, reg, (uint32_t)lo, (uint32_t)hi, &w);
        } else {
            enc_modrm_reg(&e, reg, rreg(g, size));
        }
        return finish(q, &e, 0);
    }
    if (kind == 1) {                             /* 0F BA /4-7 Ib */
        if (mem && op > 0 && rn(g, 16) == 0)
            enc_put(&e, 0xF0);
        prefixes(g, &e, size);
        enc_put(&e, 0x0F);
        enc_put(&e, 0xBA);
        put_E(g, v, &e, 4 + op, size, mem, &w);
        enc_imm(&e, rn(g, 4) ? rn(g, 40) : rng32(&g->rng), 1);
        return finish(q, &e, 0);
    }
    int src = rreg(g, size);
    if (!mem && rn(g, 6) == 0)                  /* zero sources too */
        done = setup_mov(v, q, src, rn(g, 2) ? 0 : v->r[src] & ~mask_of(size));
    prefixes(g, &e, size);
    enc_put(&e, 0x0F);
    enc_put(&e, (uint8_t)(0xBC | (op & 1)));
    if (mem)
        enc_mem(g, v, &e, rreg(g, size), BUF_ADDR, BUF_END - 8, &w);
    else
        enc_modrm_reg(&e, rreg(g, size), src);
    return finish(q, &e, done);
}

/* SETcc Eb and CMOVcc Gv,Ev. */
static int fam_cond(struct gen *g, struct view *v, struct seq *q)
{
    struct enc e = { .n = 0 };
    int cc = (int)rn(g, 16), size = rn(g, 3) == 0 ? 8 : rn(g, 2) ? 16 : 32;
    bool mem = rn(g, 2);
    uint32_t w;
    prefixes(g, &e, size);
    enc_put(&e, 0x0F);
    enc_put(&e, (uint8_t)((size == 8 ? 0x90 : 0x40) | cc));
    put_E(g, v, &e, size == 8 ? 0 : rreg(g, size), size, mem, &w);
    return finish(q, &e, 0);
}

/* XADD, CMPXCHG (half the time with a matching accumulator), CMPXCHG8B,
 * BSWAP (16-bit BSWAP is undefined: only where the host is Intel). */
static int fam_x486(struct gen *g, struct view *v, struct seq *q)
{
    struct enc e = { .n = 0 };
    int kind = (int)rn(g, 4), size = rsize(g), done = 0;
    bool mem = rn(g, 2);
    uint32_t w;
    if (kind == 2 && g->sandbox)
        kind = 3;                                /* see struct gen's sandbox */
    if (kind == 3) {
        if (size == 8 || (size == 16 && !g->intel))
            size = 32;
        prefixes(g, &e, size);
        enc_put(&e, 0x0F);
        enc_put(&e, (uint8_t)(0xC8 + rreg(g, 32)));
        return finish(q, &e, 0);
    }
    if (kind == 2) {                             /* CMPXCHG8B */
        g->avoid = 1u << R_EAX | 1u << R_EDX;
        if (rn(g, 16) == 0)
            enc_put(&e, 0xF0);
        prefixes(g, &e, 32);
        enc_put(&e, 0x0F);
        enc_put(&e, 0xC7);
        enc_mem(g, v, &e, 1, BUF_ADDR, BUF_END - 8, &w);
        g->avoid = 0;
        if (rn(g, 2)) {
            done = setup_mov(v, q, R_EAX, vmem(v, w, 32));
            done += setup_mov(v, q, R_EDX, vmem(v, w + 4, 32));
        }
        return finish(q, &e, done);
    }
    g->avoid = 1u << R_EAX;
    if (mem && rn(g, 16) == 0)
        enc_put(&e, 0xF0);
    prefixes(g, &e, size);
    enc_put(&e, 0x0F);
    enc_put(&e, (uint8_t)((kind ? 0xB0 : 0xC0) | (size != 8)));
    put_E(g, v, &e, rreg(g, size), size, mem, &w);
    g->avoid = 0;
    if (kind == 1 && rn(g, 2) && !(!mem && size == 8 && (w & 3) == 0)) {
        uint32_t d = E_value(v, mem, w, size);
        done = setup_mov(v, q, R_EAX, (v->r[R_EAX] & ~mask_of(size)) | d);
    }
    return finish(q, &e, done);
}

/* Does [x, x + count*step) (or downwards with DF) stay in the buffer? */
static bool str_fits(uint32_t x, uint32_t count, int step, bool df)
{
    uint64_t span = (uint64_t)count * (uint64_t)step;
    if (count == 0)
        return true;
    if (x < BUF_ADDR || x + (uint64_t)step > BUF_END)
        return false;
    return df ? x - span + step >= BUF_ADDR : x + span <= BUF_END;
}

static uint32_t str_start(struct gen *g, uint32_t count, int step, bool df)
{
    uint32_t st = (uint32_t)step, span = count ? count * st : st;
    uint32_t lo = df ? BUF_ADDR + span - st : (uint32_t)BUF_ADDR;
    uint32_t hi = df ? BUF_END - st : BUF_END - span;
    return lo + rn(g, hi - lo + 1);
}

/* MOVS CMPS STOS LODS SCAS, byte/word/dword, with REP/REPE/REPNE or not,
 * DF either way; ECX, ESI and EDI are set first when they do not fit. */
static int fam_string(struct gen *g, struct view *v, struct seq *q)
{
    static const uint8_t ops[5] = { 0xA4, 0xA6, 0xAA, 0xAC, 0xAE };
    int k = (int)rn(g, 5), size = rsize(g), rep = (int)rn(g, 3), done = 0;
    int step = size / 8;
    if (rn(g, 4) == 0) {                         /* CLD / STD */
        struct enc s = { .n = 0 };
        bool std = rn(g, 2);
        enc_put(&s, std ? 0xFD : 0xFC);
        if (!seq_append(q, &s))
            return 0;
        v->flags = std ? v->flags | F_DF : v->flags & ~F_DF;
        done++;
    }
    bool df = v->flags & F_DF;
    if (rep && (v->r[R_ECX] > 12 || rn(g, 3) == 0))
        done += setup_mov(v, q, R_ECX, rn(g, 10));
    uint32_t count = rep ? v->r[R_ECX] : 1;
    bool si = k == 0 || k == 1 || k == 3, di = k != 3;
    if (si && (!str_fits(v->r[R_ESI], count, step, df) || rn(g, 4) == 0))
        done += setup_mov(v, q, R_ESI, str_start(g, count, step, df));
    if (di && (!str_fits(v->r[R_EDI], count, step, df) || rn(g, 4) == 0))
        done += setup_mov(v, q, R_EDI, str_start(g, count, step, df));
    struct enc e = { .n = 0 };
    prefixes(g, &e, size);
    if (rep)
        enc_put(&e, rep == 1 ? 0xF3 : 0xF2);
    enc_put(&e, (uint8_t)(ops[k] | (size != 8)));
    return finish(q, &e, done);
}

/* LEA in every addressing form over any registers (no memory access, so
 * the address need not be in the buffer). */
static int fam_lea(struct gen *g, struct view *v, struct seq *q)
{
    struct enc e = { .n = 0 };
    int size = rn(g, 4) == 0 ? 16 : 32;
    uint32_t w;
    (void)v;
    prefixes(g, &e, size);
    enc_put(&e, 0x8D);
    struct view any = { .ram = NULL };
    for (int k = 0; k < 8; k++)
        any.r[k] = rng32(&g->rng);
    /* enc_mem with a made-up view and the whole address space picks a
     * random form and displacement; only the bytes are kept. */
    enc_mem(g, &any, &e, rreg(g, size), 0, 0xFFFFFFFFu, &w);
    return finish(q, &e, 0);
}

/* MOV (88-8B, B0-BF, C6/C7), MOVZX/MOVSX, XCHG (86/87, 90+r). */
static int fam_mov(struct gen *g, struct view *v, struct seq *q)
{
    struct enc e = { .n = 0 };
    int size = rsize(g), kind = (int)rn(g, 6);
    bool mem = rn(g, 2);
    uint32_t w;
    switch (kind) {
    case 0:
        prefixes(g, &e, size);
        enc_put(&e, (uint8_t)(0x88 | rn(g, 2) << 1 | (size != 8)));
        put_E(g, v, &e, rreg(g, size), size, mem, &w);
        break;
    case 1:
        prefixes(g, &e, size);
        enc_put(&e, (uint8_t)((size == 8 ? 0xB0 : 0xB8) + rreg(g, size)));
        enc_imm(&e, rng_val(&g->rng), size / 8);
        break;
    case 2:
        prefixes(g, &e, size);
        enc_put(&e, size == 8 ? 0xC6 : 0xC7);
        put_E(g, v, &e, 0, size, mem, &w);
        enc_imm(&e, rng_val(&g->rng), size / 8);
        break;
    case 3: {
        int src = rn(g, 2) ? 8 : 16;
        if (size == 8)
            size = 32;
        prefixes(g, &e, size);
        enc_put(&e, 0x0F);
        enc_put(&e, (uint8_t)((rn(g, 2) ? 0xB6 : 0xBE) | (src == 16)));
        if (mem)
            enc_mem(g, v, &e, rreg(g, size), BUF_ADDR, BUF_END - 8, &w);
        else
            enc_modrm_reg(&e, rreg(g, size), rreg(g, src));
        break;
    }
    case 4:
        if (mem && rn(g, 16) == 0)
            enc_put(&e, 0xF0);
        prefixes(g, &e, size);
        enc_put(&e, size == 8 ? 0x86 : 0x87);
        put_E(g, v, &e, rreg(g, size), size, mem, &w);
        break;
    default:
        if (size == 8)
            size = 32;
        prefixes(g, &e, size);
        enc_put(&e, (uint8_t)(0x90 + rreg(g, 32)));
        break;
    }
    return finish(q, &e, 0);
}

/* Pointers and small indexes, so that short addressing forms fit. */
static int fam_ptr(struct gen *g, struct view *v, struct seq *q)
{
    int r = rreg(g, 32);
    return setup_mov(v, q, r, rn(g, 3) ? BUF_ADDR + rn(g, BUF_SIZE) : rn(g, 16));
}

/* CBW/CWDE, CWD/CDQ, CLC STC CMC CLD STD, LAHF SAHF, NOP, XLAT. */
static int fam_misc(struct gen *g, struct view *v, struct seq *q)
{
    static const uint8_t one[] = { 0x98, 0x99, 0xF5, 0xF8, 0xF9, 0xFC, 0xFD, 0x9E, 0x9F, 0x90, 0xD7 };
    struct enc e = { .n = 0 };
    uint8_t op = one[rn(g, sizeof one)];
    int done = 0;
    if ((op == 0x9E || op == 0x9F) && !g->lahf)
        op = 0x90;
    if (op == 0xD7 && (v->r[R_EBX] < BUF_ADDR || v->r[R_EBX] > BUF_END - 256))
        done = setup_mov(v, q, R_EBX, BUF_ADDR + rn(g, BUF_SIZE - 256));
    prefixes(g, &e, (op == 0x98 || op == 0x99) && rn(g, 2) ? 16 : 32);
    enc_put(&e, op);
    return finish(q, &e, done);
}

typedef int (*family_fn)(struct gen *g, struct view *v, struct seq *q);

int gen_next(struct gen *g, struct view *v, struct seq *q)
{
    static const struct { family_fn fn; unsigned weight; } fams[] = {
        { fam_alu, 14 }, { fam_alu_imm, 10 }, { fam_unary, 8 }, { fam_shift, 12 },
        { fam_dshift, 4 }, { fam_muldiv, 8 }, { fam_bit, 8 }, { fam_cond, 8 },
        { fam_x486, 6 }, { fam_string, 8 }, { fam_lea, 6 }, { fam_mov, 10 },
        { fam_ptr, 5 }, { fam_misc, 5 },
    };
    enum { NFAM = sizeof fams / sizeof fams[0] };
    if (g->want <= 0)
        return 0;
    if (g->mix == MIX_FULL && rn(g, 3) == 0) {
        int n = gen32_next(g, v, q);
        g->want -= n;
        if (n)
            return n;
    }
    unsigned total = 0;
    for (int k = 0; k < NFAM; k++)
        total += fams[k].weight;
    unsigned pick = rn(g, total);
    int k = 0;
    while (pick >= fams[k].weight)
        pick -= fams[k++].weight;
    int n = fams[k].fn(g, v, q);
    g->want -= n;
    return n;
}
