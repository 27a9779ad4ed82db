/* test_x87_host.c -- the x87 FPU (cpu/x87*.c) against the host CPU's x87:
 * every valid D8-DF encoding of the P6 model on random operands and edge
 * values, compared bit for bit (registers, control/status/tag words,
 * memory, EFLAGS of FCOMI/FCMOV), plus the pointers the guest records. */

/* The same bytes run twice: in x86lab (flat 32-bit protected mode, one
 * instruction through cpu_run, the FPU state set directly) and on the
 * host in 64-bit mode, inside a generated stub that loads the same FPU
 * state with FRSTOR and the same RFLAGS, runs the instruction and stores
 * everything back with FNSAVE/PUSHFQ.  Memory forms use [esi] / [rsi]
 * pointing at identical buffers.  The operands are random 80-bit values
 * of every class (normals over the whole exponent range, zeros,
 * denormals, pseudo-denormals, infinities, QNaN, SNaN, the indefinite,
 * pseudo-NaN/pseudo-infinity/unnormals), random m32/m64/m80 reals,
 * integers and packed BCD (with invalid digits); the control word takes
 * every rounding and precision control and random exception masks (so
 * unmasked exceptions are exercised: destination unchanged, re-biased
 * results, no store); random empty tags give stack overflow/underflow.
 * Deterministic seed. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "check.h"

#include "cpu/cpu.h"
#include "machine/bus.h"
#include "machine/machine.h"

enum {
    G_GDT = 0x800, G_IDT = 0x900, G_CODE = 0x1000, G_HANDLER = 0x3000,
    G_BUF = 0x20000, G_STACK = 0x70000,
};
enum { BUF = 1024, MID = 256, IMG = 108 };

/* Host stub: rdi = struct hio.  FRSTOR the image, load RFLAGS and RSI,
 * save MXCSR, run the bytes, store RFLAGS, FNSAVE, restore MXCSR. */
struct hio {
    uint8_t img[IMG];          /* 0 */
    uint32_t pad;
    uint64_t rflags;           /* 112 */
    uint64_t rsi;              /* 120 */
    uint32_t mxcsr;            /* 128 */
};
static const uint8_t stub_pre[] = {
    0x53,                         /* push rbx */
    0x48, 0x89, 0xfb,             /* mov rbx, rdi */
    0x0f, 0xae, 0x9b, 0x80, 0x00, 0x00, 0x00, /* stmxcsr [rbx+128] */
    0xdd, 0x23,                   /* frstor [rbx] */
    0xff, 0x73, 0x70, 0x9d,       /* push qword [rbx+112]; popfq */
    0x48, 0x8b, 0x73, 0x78,       /* mov rsi, [rbx+120] */
};
static const uint8_t stub_post[] = {
    0x9c, 0x8f, 0x43, 0x70,       /* pushfq; pop qword [rbx+112] */
    0xdd, 0x33,                   /* fnsave [rbx] */
    0x0f, 0xae, 0x93, 0x80, 0x00, 0x00, 0x00, /* ldmxcsr [rbx+128] */
    0xfc, 0x5b, 0xc3,             /* cld; pop rbx; ret */
};

struct ctx {
    struct machine *m;
    uint8_t *code;
    uint8_t *hbuf;                /* 16-byte aligned */
    uint64_t rng;
    long run, fail, shown, unmasked, stores_suppressed;
    long fam_run[8], fam_fail[8];
};

/* One case. */
struct tc {
    uint8_t bytes[4];
    int n;
    bool mem;
    uint8_t img[IMG];             /* input FPU state (FNSAVE layout) */
    uint32_t flags;
    uint8_t buf[BUF];
};

struct outcome {
    uint8_t img[IMG];
    uint32_t flags;
    uint8_t buf[BUF];
};

/* ---- random numbers (xorshift64*) ---- */
static uint64_t rnd(struct ctx *x)
{
    x->rng ^= x->rng >> 12;
    x->rng ^= x->rng << 25;
    x->rng ^= x->rng >> 27;
    return x->rng * 0x2545F4914F6CDD1Dull;
}
static unsigned rndn(struct ctx *x, unsigned n) { return (unsigned)(rnd(x) % n); }

static void put80(uint8_t *p, uint64_t m, unsigned se)
{
    memcpy(p, &m, 8);
    uint16_t w = (uint16_t)se;
    memcpy(p + 8, &w, 2);
}

/* An 80-bit value of a random class. */
static void rnd80(struct ctx *x, uint8_t *p)
{
    uint64_t m = rnd(x), top = 1ull << 63;
    unsigned e;
    switch (rndn(x, 18)) {
    case 0: m = 0; e = 0; break;                                   /* zero */
    case 1: m = (m >> (1 + rndn(x, 63))) & ~top; m |= !m; e = 0; break; /* denormal */
    case 2: m |= top; e = 0; break;                                /* pseudo-denormal */
    case 3: m = top; e = 0x7FFF; break;                            /* infinity */
    case 4: m |= 3ull << 62; e = 0x7FFF; break;                    /* QNaN */
    case 5: m = (m & ~(3ull << 62)) | top | 1; e = 0x7FFF; break;  /* SNaN */
    case 6: m = 3ull << 62; e = 0xFFFF; break;                     /* indefinite */
    case 7: m &= ~top; e = rndn(x, 2) ? 0x7FFF : 1 + rndn(x, 0x7FFE); break; /* unsupported */
    case 8: {                                                      /* small integer */
        long v = (long)rndn(x, 2001) - 1000;
        unsigned long a = (unsigned long)(v < 0 ? -v : v);
        if (!a) { m = 0; e = 0; break; }
        int sh = __builtin_clzl(a);
        m = (uint64_t)a << sh;
        e = 0x3FFF + 63 - (unsigned)sh;
        if (v < 0) e |= 0x8000;
        put80(p, m, e);
        return;
    }
    case 9: m |= top; e = 0x7FFE - rndn(x, 80); break;             /* huge */
    case 10: m |= top; e = 1 + rndn(x, 80); break;                 /* tiny */
    case 11: m = (m | top) & ~((1ull << (11 + rndn(x, 40))) - 1); e = 0x3FFF - 30 + rndn(x, 60); break;
    case 12: m |= top; e = 0x3FFF + 40 + rndn(x, 40); break;       /* big for FPREM/FSIN */
    case 13: m = top | (m >> 50); e = 0x3FFF + rndn(x, 3); break;  /* near 1, 2, 4 */
    default: m |= top; e = 0x3FFF - 100 + rndn(x, 200); break;     /* normal */
    }
    if (rndn(x, 2))
        e |= 0x8000;
    put80(p, m, e);
}

/* Memory operand of n bytes for escape esc (its type). */
static void rnd_mem(struct ctx *x, uint8_t *p, unsigned esc, unsigned reg, unsigned n)
{
    uint64_t v = rnd(x);
    bool integer = esc == 2 || esc == 6 || (esc == 3 && reg < 4) || (esc == 7 && reg != 4 && reg != 6);
    bool bcd = esc == 7 && (reg == 4 || reg == 6);
    memset(p, 0, 16);
    if (n == 10 && !bcd) {
        rnd80(x, p);
        return;
    }
    if (bcd) {
        for (int k = 0; k < 9; k++)
            p[k] = (uint8_t)(rndn(x, 10) | rndn(x, 10) << 4);
        if (rndn(x, 8) == 0)
            p[rndn(x, 9)] |= 0xA0;                 /* an invalid digit */
        p[9] = (uint8_t)(rndn(x, 2) ? 0x80 : 0) | (uint8_t)(rndn(x, 8) == 0 ? rndn(x, 128) : 0);
        return;
    }
    if (integer) {
        static const int64_t edge[] = { 0, 1, -1, 2, 0x7FFF, -0x8000, 0x7FFFFFFF,
                                        -0x7FFFFFFFll - 1, INT64_MAX, INT64_MIN, 100, -3 };
        if (rndn(x, 3) == 0)
            v = (uint64_t)edge[rndn(x, sizeof edge / sizeof edge[0])];
        else if (rndn(x, 2))
            v >>= rndn(x, 64);
        memcpy(p, &v, n);
        return;
    }
    /* reals: random bits, or a special of the format */
    unsigned r = rndn(x, 6);
    if (n == 4) {
        uint32_t w = (uint32_t)v;
        static const uint32_t sp[] = { 0, 0x80000000u, 0x7F800000u, 0xFF800000u, 0x7FC00000u,
                                       0x7F800001u, 0x00000001u, 0x007FFFFFu, 0x7F7FFFFFu, 0x3F800000u };
        if (r == 0) w = sp[rndn(x, 10)];
        else if (r == 1) w &= 0x807FFFFFu;         /* denormal */
        else if (r == 2) w = (w & 0x807FFFFFu) | 0x3F800000u;
        memcpy(p, &w, 4);
    } else {
        static const uint64_t sp[] = { 0, 1ull << 63, 0x7FF0000000000000ull, 0xFFF0000000000000ull,
                                       0x7FF8000000000000ull, 0x7FF0000000000001ull, 1, 0x7FEFFFFFFFFFFFFFull,
                                       0x3FF0000000000000ull };
        if (r == 0) v = sp[rndn(x, 9)];
        else if (r == 1) v &= 0x800FFFFFFFFFFFFFull;
        else if (r == 2) v = (v & 0x800FFFFFFFFFFFFFull) | 0x3FF0000000000000ull;
        memcpy(p, &v, 8);
    }
}

/* A random FPU state with no unmasked exception pending. */
static void rnd_state(struct ctx *x, uint8_t *img)
{
    memset(img, 0, IMG);
    uint16_t cw = (uint16_t)(0x40 | (rndn(x, 4) << 10) | (rndn(x, 4) << 8));
    cw |= rndn(x, 3) ? 0x3F : (uint16_t)rndn(x, 64);
    uint16_t sw = (uint16_t)((rndn(x, 8) << 11) | (rnd(x) & 0x4700));
    sw |= (uint16_t)(rnd(x) & cw & 0x3F);        /* masked flags only */
    if (rndn(x, 4) == 0)
        sw |= 0x40 & (uint16_t)rnd(x);
    uint16_t tw = 0;
    unsigned mode = rndn(x, 8);                  /* 0: all full, 1: all empty */
    for (int p = 0; p < 8; p++) {
        bool empty = mode == 0 ? false : mode == 1 ? true : rndn(x, 4) == 0;
        if (empty)
            tw |= (uint16_t)(3u << (2 * p));
    }
    memcpy(img + 0, &cw, 2);
    memcpy(img + 4, &sw, 2);
    memcpy(img + 8, &tw, 2);
    for (int k = 0; k < 8; k++)
        rnd80(x, img + 28 + 10 * k);
}

/* ---- running ---- */
static void run_host(struct ctx *x, const struct tc *t, struct outcome *o)
{
    struct hio h;
    memset(&h, 0, sizeof h);
    memcpy(x->code + sizeof stub_pre, t->bytes, (size_t)t->n);
    memcpy(x->code + sizeof stub_pre + t->n, stub_post, sizeof stub_post);
    memcpy(h.img, t->img, IMG);
    h.rflags = 0x202 | t->flags;
    h.rsi = (uint64_t)(uintptr_t)(x->hbuf + MID);
    memcpy(x->hbuf, t->buf, BUF);
    void (*fn)(struct hio *) = (void (*)(struct hio *))(void *)x->code;
    fn(&h);
    memcpy(o->img, h.img, IMG);
    o->flags = (uint32_t)h.rflags & F_ARITH;
    memcpy(o->buf, x->hbuf, BUF);
}

static void set_guest_fpu(struct x87 *f, const uint8_t *img)
{
    memcpy(&f->cw, img + 0, 2);
    memcpy(&f->sw, img + 4, 2);
    memcpy(&f->tw, img + 8, 2);
    unsigned top = (f->sw >> 11) & 7;
    for (unsigned i = 0; i < 8; i++)
        memcpy(f->st[(top + i) & 7], img + 28 + 10 * i, 10);
}

static void get_guest_fpu(const struct x87 *f, uint8_t *img)
{
    memset(img, 0, IMG);
    memcpy(img + 0, &f->cw, 2);
    memcpy(img + 4, &f->sw, 2);
    memcpy(img + 8, &f->tw, 2);
    unsigned top = (f->sw >> 11) & 7;
    for (unsigned i = 0; i < 8; i++)
        memcpy(img + 28 + 10 * i, f->st[(top + i) & 7], 10);
}

/* Returns false when the guest took an exception. */
static bool run_guest(struct ctx *x, const struct tc *t, struct outcome *o)
{
    struct cpu *c = &x->m->cpu;
    bus_load(&x->m->bus, G_CODE, t->bytes, (size_t)t->n);
    bus_load(&x->m->bus, G_BUF, t->buf, BUF);
    memset(&c->fpu, 0, sizeof c->fpu);
    c->fpu.mxcsr = 0x1F80;
    set_guest_fpu(&c->fpu, t->img);
    c->r[R_ESI] = G_BUF + MID;
    c->r[R_ESP] = G_STACK;
    c->eip = G_CODE;
    cpu_set_eflags(c, 0x2 | t->flags);
    uint64_t exc = 0;
    for (int v = 0; v < 32; v++)
        exc += c->count.exceptions[v];
    cpu_run(c, 1);
    uint64_t after = 0;
    for (int v = 0; v < 32; v++)
        after += c->count.exceptions[v];
    get_guest_fpu(&c->fpu, o->img);
    o->flags = cpu_get_eflags(c) & F_ARITH;
    memcpy(o->buf, x->m->bus.ram + G_BUF, BUF);
    return after == exc && c->eip == G_CODE + (uint32_t)t->n;
}

/* The pointers of a non-control instruction. */
static bool pointers_ok(struct ctx *x, const struct tc *t)
{
    const struct cpu *c = &x->m->cpu;
    const struct x87 *f = &c->fpu;
    uint16_t fop = (uint16_t)(((t->bytes[0] & 7) << 8) | t->bytes[1]);
    if (f->fip != G_CODE || f->fcs != c->seg[S_CS].sel || f->fop != fop)
        return false;
    return !t->mem || (f->fdp == G_BUF + MID && f->fds == c->seg[S_DS].sel);
}

static void show(const struct tc *t, const struct outcome *h, const struct outcome *g,
                 const char *why)
{
    printf("  FAIL (%s): bytes %02x %02x, flags in %03x\n", why, t->bytes[0], t->bytes[1], t->flags);
    const char *names[3] = { "in", "host", "x86lab" };
    const uint8_t *imgs[3] = { t->img, h->img, g->img };
    for (int k = 0; k < 3; k++) {
        uint16_t cw, sw, tw;
        memcpy(&cw, imgs[k], 2);
        memcpy(&sw, imgs[k] + 4, 2);
        memcpy(&tw, imgs[k] + 8, 2);
        printf("    %-6s cw %04x sw %04x tw %04x |", names[k], cw, sw, tw);
        for (int i = 0; i < 3; i++) {
            uint16_t se;
            uint64_t m;
            memcpy(&m, imgs[k] + 28 + 10 * i, 8);
            memcpy(&se, imgs[k] + 36 + 10 * i, 2);
            printf(" st%d %04x.%016llx", i, se, (unsigned long long)m);
        }
        printf("\n");
    }
    printf("    mem in  ");
    for (int k = 0; k < 10; k++)
        printf("%02x", t->buf[MID + k]);
    printf(" host ");
    for (int k = 0; k < 10; k++)
        printf("%02x", h->buf[MID + k]);
    printf(" x86lab ");
    for (int k = 0; k < 10; k++)
        printf("%02x", g->buf[MID + k]);
    printf("  eflags host %03x x86lab %03x\n", h->flags, g->flags);
}

/* Bytes of the image compared: cw, sw, tw and the eight registers (the
 * pointers are not: the host's FCS/FDS/FOP are deprecated). */
static bool same_state(const uint8_t *a, const uint8_t *b)
{
    return memcmp(a, b, 2) == 0 && memcmp(a + 4, b + 4, 2) == 0 &&
           memcmp(a + 8, b + 8, 2) == 0 && memcmp(a + 28, b + 28, 80) == 0;
}

static void one(struct ctx *x, struct tc *t, bool control)
{
    struct outcome h, g;
    run_host(x, t, &h);
    bool ran = run_guest(x, t, &g);
    const char *why = NULL;
    if (!ran)
        why = "exception in the guest";
    else if (!same_state(h.img, g.img))
        why = "FPU state";
    else if (memcmp(h.buf, g.buf, BUF) != 0)
        why = "memory";
    else if (h.flags != g.flags)
        why = "EFLAGS";
    else if (!control && !pointers_ok(x, t))
        why = "FIP/FCS/FOP/FDP/FDS";
    uint16_t cw, sw;
    memcpy(&cw, h.img, 2);
    memcpy(&sw, h.img + 4, 2);
    if (sw & ~cw & 0x3F) {
        x->unmasked++;
        if (t->mem && memcmp(t->buf, h.buf, BUF) == 0)
            x->stores_suppressed++;
    }
    unsigned esc = t->bytes[0] & 7;
    x->run++;
    x->fam_run[esc]++;
    if (why) {
        x->fail++;
        x->fam_fail[esc]++;
        if (x->shown++ < 20 || getenv("X87_SHOW_ALL"))
            show(t, &h, &g, why);
    }
}

/* ---- the encodings ---- */

/* Register forms valid on the P6 (the table cpu/x87.c implements, here
 * restated from the SDM's opcode map), without FNSTSW AX, FNINIT and
 * FNCLEX, tested in the guest programs. */
static bool reg_form(unsigned esc, unsigned modrm)
{
    unsigned lo = modrm & 7, row = modrm & 0xF8;
    switch (esc) {
    case 1:
        if (row == 0xD0) return lo == 0;
        if (modrm == 0xE2 || modrm == 0xE3 || modrm == 0xE6 || modrm == 0xE7 || modrm == 0xEF)
            return false;
        return true;
    case 2: return modrm < 0xE0 || modrm == 0xE9;
    case 3: return modrm < 0xE0 || modrm == 0xE0 || modrm == 0xE1 || modrm == 0xE4 ||
                   (modrm >= 0xE8 && modrm < 0xF8);
    case 5: return modrm < 0xF0;
    case 6: return row != 0xD8 || lo == 1;
    case 7: return modrm < 0xE0 || (modrm >= 0xE8 && modrm < 0xF8);
    default: return true;
    }
    (void)row;
}

/* Memory forms: bytes of the operand, 0 for none/control. */
static unsigned mem_bytes(unsigned esc, unsigned reg)
{
    static const uint8_t n[8][8] = {
        { 4, 4, 4, 4, 4, 4, 4, 4 }, { 4, 0, 4, 4, 0, 2, 0, 0 },
        { 4, 4, 4, 4, 4, 4, 4, 4 }, { 4, 0, 4, 4, 0, 10, 0, 10 },
        { 8, 8, 8, 8, 8, 8, 8, 8 }, { 8, 0, 8, 8, 0, 0, 0, 2 },
        { 2, 2, 2, 2, 2, 2, 2, 2 }, { 2, 0, 2, 2, 10, 8, 10, 8 },
    };
    return n[esc][reg];
}

static void tc_new(struct ctx *x, struct tc *t)
{
    memset(t, 0, sizeof *t);
    rnd_state(x, t->img);
    t->flags = (uint32_t)rnd(x) & F_ARITH;
    for (int k = 0; k < BUF; k++)
        t->buf[k] = (uint8_t)rnd(x);
}

static void fam_reg(struct ctx *x, int per_form)
{
    for (unsigned esc = 0; esc < 8; esc++)
        for (unsigned modrm = 0xC0; modrm < 0x100; modrm++) {
            if (!reg_form(esc, modrm))
                continue;
            for (int n = 0; n < per_form; n++) {
                struct tc t;
                tc_new(x, &t);
                t.bytes[0] = (uint8_t)(0xD8 + esc);
                t.bytes[1] = (uint8_t)modrm;
                t.n = 2;
                /* FENI, FDISI, FSETPM: no-ops that record no pointers */
                one(x, &t, esc == 3 && modrm >= 0xE0 && modrm <= 0xE4);
            }
        }
}

static void fam_mem(struct ctx *x, int per_form)
{
    for (unsigned esc = 0; esc < 8; esc++)
        for (unsigned reg = 0; reg < 8; reg++) {
            unsigned n = mem_bytes(esc, reg);
            if (!n)
                continue;
            bool control = esc == 1 && reg == 5;      /* FLDCW */
            bool store = esc == 5 && reg == 7;        /* FNSTSW m16 */
            for (int k = 0; k < per_form; k++) {
                struct tc t;
                tc_new(x, &t);
                t.bytes[0] = (uint8_t)(0xD8 + esc);
                t.bytes[1] = (uint8_t)(0x06 | reg << 3);
                t.n = 2;
                t.mem = true;
                if (control) {
                    uint16_t cw = (uint16_t)rnd(x);
                    memcpy(t.buf + MID, &cw, 2);
                } else {
                    rnd_mem(x, t.buf + MID, esc, reg, n);
                }
                one(x, &t, control || store);
            }
        }
}

/* FNSTCW, FNSTENV, FNSAVE (32-bit protected-mode format): compared with
 * the host except the pointer fields (bytes 12-27).  FLDENV and FRSTOR
 * from a random image: the resulting state is compared. */
static void fam_env(struct ctx *x, int per_form)
{
    static const uint8_t forms[5][2] = {
        { 0xD9, 0x3E }, { 0xD9, 0x36 }, { 0xDD, 0x36 }, { 0xD9, 0x26 }, { 0xDD, 0x26 } };
    for (int f = 0; f < 5; f++)
        for (int k = 0; k < per_form; k++) {
            struct tc t;
            struct outcome h, g;
            tc_new(x, &t);
            memcpy(t.bytes, forms[f], 2);
            t.n = 2;
            t.mem = true;
            if (f >= 3) {               /* a random environment to load */
                uint8_t img[IMG];
                rnd_state(x, img);
                uint16_t sw = (uint16_t)rnd(x);     /* any flags, even unmasked */
                memcpy(img + 4, &sw, 2);
                memcpy(t.buf + MID, img, 28);
                if (f == 4)
                    memcpy(t.buf + MID + 28, img + 28, 80);
            }
            run_host(x, &t, &h);
            bool ran = run_guest(x, &t, &g);
            unsigned bytes = f == 0 ? 2 : f == 1 ? 28 : 108;
            const char *why = NULL;
            if (!ran)
                why = "exception in the guest";
            else if (!same_state(h.img, g.img))
                why = "FPU state";
            else if (f < 3 && (memcmp(h.buf + MID, g.buf + MID, bytes < 12 ? bytes : 12) != 0 ||
                               memcmp(h.buf + MID + 28, g.buf + MID + 28, bytes > 28 ? bytes - 28 : 0) != 0))
                why = "stored image";
            x->run++;
            x->fam_run[t.bytes[0] & 7]++;
            if (why) {
                x->fail++;
                x->fam_fail[t.bytes[0] & 7]++;
                if (x->shown++ < 20 || getenv("X87_SHOW_ALL"))
                    show(&t, &h, &g, why);
            }
        }
}

/* Which models have what: FCMOVcc/FCOMI/FUCOMI only on the P6; an FPU
 * on the 386 (a 387) and Pentium; none on the 286 and the 486SX model,
 * where FNSTSW stores nothing. */
static void models(struct ctx *x)
{
    static const struct { enum cpu_model model; const char *name; bool fpu, p6; } m[] = {
        { CPU_286, "286", false, false }, { CPU_386, "386", true, false },
        { CPU_486, "486SX", false, false }, { CPU_PENTIUM, "Pentium", true, false },
        { CPU_P6, "P6", true, true },
    };
    static const uint8_t p6_forms[4][2] = {
        { 0xDB, 0xF1 }, { 0xDF, 0xE9 }, { 0xDA, 0xC1 }, { 0xDB, 0xD9 } };
    struct cpu *c = &x->m->cpu;
    enum cpu_model saved = c->model;
    for (size_t k = 0; k < sizeof m / sizeof m[0]; k++) {
        c->model = m[k].model;
        for (int f = 0; f < 4; f++) {
            struct tc t;
            tc_new(x, &t);
            memcpy(t.bytes, p6_forms[f], 2);
            t.n = 2;
            struct outcome g;
            uint64_t ud = c->count.exceptions[EXC_UD];
            bool ran = run_guest(x, &t, &g);
            bool got_ud = c->count.exceptions[EXC_UD] != ud;
            bool want_ud = m[k].fpu && !m[k].p6;
            check(got_ud == want_ud && ran == !want_ud, "%s: %02X %02X %s", m[k].name,
                  t.bytes[0], t.bytes[1], want_ud ? "#UD" : "runs");
        }
        /* FNINIT; FNSTSW [esi] over a non-zero word: stored only with an FPU */
        struct tc t;
        tc_new(x, &t);
        memcpy(t.bytes, (const uint8_t[4]){ 0xDB, 0xE3, 0xDD, 0x3E }, 4);
        t.n = 4;
        t.buf[MID] = t.buf[MID + 1] = 0x5A;
        struct outcome g;
        run_guest(x, &t, &g);
        cpu_run(c, 1);
        memcpy(g.buf, x->m->bus.ram + G_BUF, BUF);
        bool stored = g.buf[MID] == 0 && g.buf[MID + 1] == 0;
        check(stored == m[k].fpu, "%s: FNINIT; FNSTSW m16 %s", m[k].name,
              m[k].fpu ? "stores 0 (FPU present)" : "stores nothing (no FPU)");
    }
    c->model = saved;
}

static int guest_setup(struct machine *m)
{
    struct machine_config cfg = { .ram_mb = 2, .model = CPU_P6 };
    if (machine_init(m, &cfg) < 0)
        return -1;
    machine_entry_flat32(m, G_CODE);
    struct cpu *c = &m->cpu;
    c->cr0 |= CR0_NE;             /* x87 errors as #MF: no IRQ 13 here */
    const uint32_t gdt[6] = { 0, 0, 0x0000FFFF, 0x00CF9A00, 0x0000FFFF, 0x00CF9200 };
    bus_load(&m->bus, G_GDT, gdt, sizeof gdt);
    c->gdtr.base = G_GDT;
    c->gdtr.limit = sizeof gdt - 1;
    for (uint32_t v = 0; v < 32; v++) {
        uint32_t gate[2] = { (0x08u << 16) | (G_HANDLER & 0xFFFF),
                             (G_HANDLER & 0xFFFF0000u) | 0x8E00 };
        bus_load(&m->bus, G_IDT + v * 8, gate, sizeof gate);
    }
    c->idtr.base = G_IDT;
    c->idtr.limit = 32 * 8 - 1;
    const uint8_t nop = 0x90;
    bus_load(&m->bus, G_HANDLER, &nop, 1);
    return 0;
}

int main(int argc, char **argv)
{
    struct ctx x;
    memset(&x, 0, sizeof x);
    x.rng = 0x2545F4914F6CDD1Dull;
    int scale = argc > 1 ? atoi(argv[1]) : 1;
    if (scale < 1) {
        printf("usage: test_x87_host [SCALE >= 1]\n");
        return 2;
    }
    x.m = malloc(sizeof *x.m);
    x.code = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC,
                  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    x.hbuf = aligned_alloc(16, BUF);
    if (!x.m || x.code == MAP_FAILED || !x.hbuf || guest_setup(x.m) < 0) {
        printf("setup failed\n0 passed, 1 failed\n");
        return 1;
    }
    memcpy(x.code, stub_pre, sizeof stub_pre);

    fam_reg(&x, 200 * scale);
    fam_mem(&x, 1000 * scale);
    fam_env(&x, 1000 * scale);
    models(&x);

    for (int e = 0; e < 8; e++)
        printf("%02X: %7ld cases vs host: %ld mismatches\n", 0xD8 + e, x.fam_run[e], x.fam_fail[e]);
    printf("%ld cases raised an unmasked exception (%ld with memory left unchanged)\n",
           x.unmasked, x.stores_suppressed);
    bool enough = x.run >= 100000;
    printf("%s %ld cases (at least 100000)\n", enough ? "ok" : "FAIL", x.run);
    printf("%ld passed, %ld failed\n", x.run - x.fail + passed, x.fail + !enough + failed);
    machine_free(x.m);
    free(x.m);
    free(x.hbuf);
    munmap(x.code, 4096);
    return x.fail != 0 || !enough || failed != 0;
}
