/* test_alu_host.c -- differential test of the integer instruction families
 * (alu.c shift.c muldiv.c bit.c mov.c) against the host CPU, which runs the
 * same bytes in 64-bit mode: 8/16/32-bit operands, random inputs. */

/* The same instruction bytes run twice: in x86lab (32-bit flat protected
 * mode, one instruction through cpu_run) and on the host, in 64-bit mode,
 * inside a small generated stub that loads the registers and flags from a
 * struct, executes the bytes and stores everything back.  Every form used
 * here means the same with 8/16/32-bit operands in both modes (no REX, no
 * INC/DEC 40-4F, no BCD).  Memory operands are [esi] / [rsi], pointing at
 * identical 256-byte buffers.  A divide error is caught on the host
 * (SIGFPE) and must be a #DE in the guest.  Results, memory and the
 * arithmetic flags are compared, except flags the SDM calls undefined for
 * that instruction and count; a few behaviours the SDM leaves undefined
 * but Intel defines (16-bit SHLD/SHRD with counts over 16, 16-bit BSWAP)
 * are compared only on Intel hosts.  Deterministic seed. */
#include <cpuid.h>
#include <setjmp.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "cpu/cpu.h"
#include "machine/bus.h"
#include "machine/machine.h"

/* Guest layout (flat 32-bit protected mode). */
enum {
    G_GDT = 0x800, G_IDT = 0x900, G_CODE = 0x1000, G_HANDLER = 0x3000,
    G_BUF = 0x20000, G_STACK = 0x70000,
};
enum { BUF = 256, MID = 128 };

/* The host stub: save callee-saved registers, load rax..rdi and flags
 * from the struct in rdi (kept in r15), run the bytes, store back (see
 * the comments for the instructions). */
static const uint8_t stub_pre[] = {
    0x53, 0x55, 0x41, 0x54, 0x41, 0x55, 0x41, 0x56, 0x41, 0x57, /* push rbx rbp r12-r15 */
    0x49, 0x89, 0xff,                                           /* mov r15, rdi */
    0x49, 0x8b, 0x07, 0x49, 0x8b, 0x4f, 0x08, 0x49, 0x8b, 0x57, 0x10, /* rax rcx rdx */
    0x49, 0x8b, 0x5f, 0x18, 0x49, 0x8b, 0x6f, 0x28,             /* rbx rbp */
    0x49, 0x8b, 0x77, 0x30, 0x49, 0x8b, 0x7f, 0x38,             /* rsi rdi */
    0x41, 0xff, 0x77, 0x40, 0x9d,                               /* push [r15+64]; popfq */
};
static const uint8_t stub_post[] = {
    0x9c, 0x41, 0x8f, 0x47, 0x40,                               /* pushfq; pop [r15+64] */
    0x49, 0x89, 0x07, 0x49, 0x89, 0x4f, 0x08, 0x49, 0x89, 0x57, 0x10,
    0x49, 0x89, 0x5f, 0x18, 0x49, 0x89, 0x6f, 0x28,
    0x49, 0x89, 0x77, 0x30, 0x49, 0x89, 0x7f, 0x38,
    0xfc,                                                       /* cld */
    0x41, 0x5f, 0x41, 0x5e, 0x41, 0x5d, 0x41, 0x5c, 0x5d, 0x5b, 0xc3,
};

struct enc {
    uint8_t b[16];
    int n;
};

/* One test case: the encoded instruction and its inputs. */
struct tc {
    struct enc e;
    uint32_t r[8];       /* eax..edi (r[4], ESP, is not an operand) */
    uint32_t flags;      /* input arithmetic flags */
    bool mem;            /* E is [esi] */
    uint32_t undef;      /* flags not compared */
    bool res_undef;      /* registers and memory not compared either */
    uint8_t buf[BUF];
};

struct family {
    const char *name;
    long run, fail, undef_diff, faults;
};

struct ctx {
    struct machine *m;
    uint8_t *code;       /* host executable page */
    uint8_t *hbuf;       /* host memory operand buffer */
    uint64_t rng;
    bool intel, lahf;
    struct family fam[64];
    int nfam;
    long shown;
};

static sigjmp_buf fpe_jmp;

static void on_fpe(int sig)
{
    (void)sig;
    siglongjmp(fpe_jmp, 1);
}

/* ---- random numbers (xorshift64*) ---- */
static uint64_t rnd(struct ctx *x)
{
    x->rng ^= x->rng >> 12;
    x->rng ^= x->rng << 25;
    x->rng ^= x->rng >> 27;
    return x->rng * 0x2545F4914F6CDD1Dull;
}

static uint32_t rnd32(struct ctx *x) { return (uint32_t)(rnd(x) >> 32); }
static unsigned rndn(struct ctx *x, unsigned n) { return (unsigned)(rnd(x) % n); }

/* Operand values: edge cases a third of the time. */
static uint32_t rval(struct ctx *x)
{
    static const uint32_t edge[] = {
        0, 1, 2, 0x7F, 0x80, 0x81, 0xFF, 0x100, 0x7FFF, 0x8000, 0x8001, 0xFFFF,
        0x10000, 0x7FFFFFFF, 0x80000000u, 0x80000001u, 0xFFFFFFFFu, 0xFFFFFFFEu,
        0x0F, 0x10, 0x09, 0x99,
    };
    if (rndn(x, 3) == 0) {
        uint32_t v = edge[rndn(x, sizeof edge / sizeof edge[0])];
        /* Put 8/16-bit edge values in any byte of the register too. */
        return rndn(x, 2) ? v : v | (rnd32(x) & 0xFFFF0000u);
    }
    return rnd32(x);
}

static uint32_t mask_of(unsigned size)
{
    return size == 32 ? 0xFFFFFFFFu : (1u << size) - 1;
}

/* ---- encoding ---- */
static void put(struct enc *e, uint8_t b) { e->b[e->n++] = b; }

static void put_imm(struct enc *e, uint32_t v, int bytes)
{
    for (int k = 0; k < bytes; k++)
        put(e, (uint8_t)(v >> (8 * k)));
}

/* A register number usable for a size: 8-bit registers are all safe
 * (AH..BH without REX); 16/32-bit ones avoid ESP and, with a memory
 * operand, ESI (the base). */
static int rreg(struct ctx *x, unsigned size, bool mem)
{
    for (;;) {
        int r = (int)rndn(x, 8);
        if (size != 8 && (r == 4 || (mem && r == 6)))
            continue;
        return r;
    }
}

/* [66] opcode bytes, ModR/M with reg and (rm register or [esi]). */
static void enc_op(struct tc *t, unsigned size, const uint8_t *op, int n,
                   int reg, int rm)
{
    if (size == 16)
        put(&t->e, 0x66);
    for (int k = 0; k < n; k++)
        put(&t->e, op[k]);
    if (rm >= -1)
        put(&t->e, (uint8_t)(t->mem ? (0x06 | reg << 3) : (0xC0 | reg << 3 | rm)));
}

/* Fresh random inputs for a case. */
static void tc_init(struct ctx *x, struct tc *t, bool mem)
{
    memset(t, 0, sizeof *t);
    for (int k = 0; k < 8; k++)
        t->r[k] = rval(x);
    t->r[4] = 0;
    t->flags = rnd32(x) & F_ARITH;
    t->mem = mem;
    for (int k = 0; k < BUF; k += 4) {
        uint32_t v = rval(x);
        memcpy(t->buf + k, &v, 4);
    }
}

static void set_mem(struct tc *t, unsigned size, uint32_t v)
{
    memcpy(t->buf + MID, &v, size / 8);
}

/* ---- running ---- */
struct outcome {
    uint32_t r[8], flags;
    uint8_t buf[BUF];
    bool de;
};

static void run_host(struct ctx *x, const struct tc *t, struct outcome *o)
{
    uint64_t s[9];
    memcpy(x->code + sizeof stub_pre, t->e.b, (size_t)t->e.n);
    memcpy(x->code + sizeof stub_pre + t->e.n, stub_post, sizeof stub_post);
    for (int k = 0; k < 8; k++)
        s[k] = t->r[k];
    if (t->mem)
        s[6] = (uint64_t)(uintptr_t)(x->hbuf + MID);
    s[8] = 0x202 | t->flags;
    memcpy(x->hbuf, t->buf, BUF);
    o->de = false;
    if (sigsetjmp(fpe_jmp, 1)) {
        o->de = true;
        return;
    }
    void (*fn)(uint64_t *) = (void (*)(uint64_t *))(void *)x->code;
    fn(s);
    for (int k = 0; k < 8; k++)
        o->r[k] = (uint32_t)s[k];
    if (t->mem)
        o->r[6] = (uint32_t)(s[6] - (uint64_t)(uintptr_t)x->hbuf) + G_BUF;
    o->flags = (uint32_t)s[8];
    memcpy(o->buf, x->hbuf, BUF);
}

static void run_guest(struct ctx *x, const struct tc *t, struct outcome *o)
{
    struct cpu *c = &x->m->cpu;
    uint8_t cur[16];
    memcpy(cur, x->m->bus.ram + G_CODE, sizeof cur);
    if (memcmp(cur, t->e.b, (size_t)t->e.n) != 0)
        bus_load(&x->m->bus, G_CODE, t->e.b, (size_t)t->e.n);
    bus_load(&x->m->bus, G_BUF, t->buf, BUF);
    for (int k = 0; k < 8; k++)
        c->r[k] = t->r[k];
    if (t->mem)
        c->r[R_ESI] = G_BUF + MID;
    c->r[R_ESP] = G_STACK;
    c->eip = G_CODE;
    cpu_set_eflags(c, 0x2 | t->flags);
    uint64_t de = c->count.exceptions[EXC_DE];
    cpu_run(c, 1);
    o->de = c->count.exceptions[EXC_DE] != de;
    for (int k = 0; k < 8; k++)
        o->r[k] = c->r[k];
    o->flags = cpu_get_eflags(c);
    memcpy(o->buf, x->m->bus.ram + G_BUF, BUF);
}

static struct family *family(struct ctx *x, const char *name)
{
    for (int k = 0; k < x->nfam; k++)
        if (strcmp(x->fam[k].name, name) == 0)
            return &x->fam[k];
    struct family *f = &x->fam[x->nfam++];
    f->name = name;
    return f;
}

static void show(const struct tc *t, const struct outcome *h, const struct outcome *g,
                 const char *why)
{
    printf("  FAIL (%s): bytes", why);
    for (int k = 0; k < t->e.n; k++)
        printf(" %02x", t->e.b[k]);
    printf(" | in flags %03x mem[%d]=%02x%02x%02x%02x\n", t->flags, MID,
           t->buf[MID + 3], t->buf[MID + 2], t->buf[MID + 1], t->buf[MID]);
    static const char *names[8] = { "eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi" };
    for (int k = 0; k < 8; k++)
        if (k != 4)
            printf("    %s in %08x host %08x x86lab %08x%s\n", names[k], t->r[k],
                   h->r[k], g->r[k], h->r[k] != g->r[k] ? "  <--" : "");
    printf("    flags host %03x x86lab %03x (undefined %03x) #DE host %d x86lab %d\n",
           h->flags & F_ARITH, g->flags & F_ARITH, t->undef, h->de, g->de);
}

/* Runs one case on both sides and compares. */
static void check(struct ctx *x, const char *fam, struct tc *t)
{
    struct outcome h, g;
    struct family *f = family(x, fam);
    run_host(x, t, &h);
    run_guest(x, t, &g);
    f->run++;
    const char *why = NULL;
    if (h.de != g.de) {
        why = "#DE";
    } else if (h.de) {
        f->faults++;
        /* Faulted on both: the guest must have rolled everything back. */
        for (int k = 0; k < 8; k++)
            if (k != 4 && g.r[k] != (k == 6 && t->mem ? G_BUF + MID : t->r[k]))
                why = "register changed by a faulting instruction";
        if (memcmp(g.buf, t->buf, BUF) != 0)
            why = "memory changed by a faulting instruction";
    } else {
        if (!t->res_undef) {
            for (int k = 0; k < 8; k++)
                if (k != 4 && h.r[k] != g.r[k])
                    why = "register";
            if (memcmp(h.buf, g.buf, BUF) != 0)
                why = "memory";
        }
        uint32_t cmp = F_ARITH & ~t->undef;
        if ((h.flags ^ g.flags) & cmp)
            why = why ? why : "flags";
        if ((h.flags ^ g.flags) & F_ARITH & t->undef)
            f->undef_diff++;
    }
    if (why) {
        f->fail++;
        if (x->shown++ < 25) {
            printf("%s:\n", fam);
            show(t, &h, &g, why);
        }
    }
}

/* ================= the families ================= */

/* ALU ops 00-3B: Eb,Gb Ev,Gv Gb,Eb Gv,Ev, register and memory. */
static void fam_alu(struct ctx *x)
{
    static const unsigned sizes[3] = { 8, 16, 32 };
    for (int op = 0; op < 8; op++)
        for (int dir = 0; dir < 2; dir++)
            for (int s = 0; s < 3; s++)
                for (int mem = 0; mem < 2; mem++)
                    for (int n = 0; n < 600; n++) {
                        struct tc t;
                        unsigned size = sizes[s];
                        tc_init(x, &t, mem);
                        uint8_t opc = (uint8_t)(op << 3 | dir << 1 | (size != 8));
                        enc_op(&t, size, &opc, 1, rreg(x, size, mem), rreg(x, size, false));
                        if (op == 1 || op == 4 || op == 6)
                            t.undef = F_AF;
                        check(x, "alu r/m", &t);
                    }
}

/* AL/eAX,imm (04...3D) and group 1 (80, 81, 83). */
static void fam_alu_imm(struct ctx *x)
{
    static const unsigned sizes[3] = { 8, 16, 32 };
    for (int op = 0; op < 8; op++) {
        uint32_t undef = (op == 1 || op == 4 || op == 6) ? F_AF : 0;
        for (int s = 0; s < 3; s++)
            for (int n = 0; n < 300; n++) {
                struct tc t;
                unsigned size = sizes[s];
                tc_init(x, &t, false);
                uint8_t opc = (uint8_t)(op << 3 | 4 | (size != 8));
                enc_op(&t, size, &opc, 1, 0, -2);
                put_imm(&t.e, rval(x), size / 8);
                t.undef = undef;
                check(x, "alu acc,imm", &t);
            }
        /* 80 Ib (8), 81 Iz (16/32), 83 Ibs (16/32) */
        static const struct { uint8_t opc; unsigned size; int imm; } g1[5] = {
            { 0x80, 8, 1 }, { 0x81, 16, 2 }, { 0x81, 32, 4 }, { 0x83, 16, 1 }, { 0x83, 32, 1 },
        };
        for (int k = 0; k < 5; k++)
            for (int mem = 0; mem < 2; mem++)
                for (int n = 0; n < 300; n++) {
                    struct tc t;
                    tc_init(x, &t, mem);
                    enc_op(&t, g1[k].size, &g1[k].opc, 1, op, rreg(x, g1[k].size, false));
                    put_imm(&t.e, rval(x), g1[k].imm);
                    t.undef = undef;
                    check(x, "alu group1", &t);
                }
    }
}

/* INC/DEC (FE/FF), NOT/NEG/TEST imm (F6/F7), TEST r/m (84/85). */
static void fam_unary(struct ctx *x)
{
    static const unsigned sizes[3] = { 8, 16, 32 };
    static const struct { uint8_t grp8, grp; int reg; uint32_t undef; } u[6] = {
        { 0xFE, 0xFF, 0, 0 }, { 0xFE, 0xFF, 1, 0 }, { 0xF6, 0xF7, 2, 0 },
        { 0xF6, 0xF7, 3, 0 }, { 0xF6, 0xF7, 0, F_AF }, { 0x84, 0x85, -1, F_AF },
    };
    for (int k = 0; k < 6; k++)
        for (int s = 0; s < 3; s++)
            for (int mem = 0; mem < 2; mem++)
                for (int n = 0; n < 400; n++) {
                    struct tc t;
                    unsigned size = sizes[s];
                    tc_init(x, &t, mem);
                    uint8_t opc = size == 8 ? u[k].grp8 : u[k].grp;
                    int reg = u[k].reg >= 0 ? u[k].reg : rreg(x, size, mem);
                    enc_op(&t, size, &opc, 1, reg, rreg(x, size, false));
                    if (opc == 0xF6 || opc == 0xF7)
                        if (u[k].reg == 0)
                            put_imm(&t.e, rval(x), size / 8);
                    t.undef = u[k].undef;
                    check(x, "inc/dec/not/neg/test", &t);
                }
}

/* Flags the SDM leaves undefined after a group 2 shift or rotate with a
 * masked count. */
static uint32_t shift_undef(int op, unsigned size, unsigned count)
{
    uint32_t u = 0;
    if (count == 0)
        return 0;
    if (count > 1)
        u |= F_OF;
    if (op >= 4)
        u |= F_AF;
    if (op >= 4 && op != 7 && count >= size)
        u |= F_CF;
    return u;
}

static void fam_shift(struct ctx *x)
{
    static const unsigned sizes[3] = { 8, 16, 32 };
    for (int op = 0; op < 8; op++)
        for (int s = 0; s < 3; s++) {
            unsigned size = sizes[s];
            uint8_t c0 = size == 8 ? 0xC0 : 0xC1, d0 = size == 8 ? 0xD0 : 0xD1;
            uint8_t d2 = size == 8 ? 0xD2 : 0xD3;
            /* Every count 0-31 by immediate, and a few above. */
            for (unsigned cnt = 0; cnt < 40; cnt++)
                for (int n = 0; n < 40; n++) {
                    struct tc t;
                    unsigned imm = cnt < 32 ? cnt : rndn(x, 256);
                    tc_init(x, &t, n & 1);
                    enc_op(&t, size, &c0, 1, op, rreg(x, size, false));
                    put_imm(&t.e, imm, 1);
                    t.undef = shift_undef(op, size, imm & 31);
                    check(x, "shift/rotate Ib", &t);
                }
            for (int mem = 0; mem < 2; mem++)
                for (int n = 0; n < 300; n++) {
                    struct tc t;
                    tc_init(x, &t, mem);
                    enc_op(&t, size, &d0, 1, op, rreg(x, size, false));
                    t.undef = shift_undef(op, size, 1);
                    check(x, "shift/rotate 1", &t);
                }
            for (int mem = 0; mem < 2; mem++)
                for (int n = 0; n < 500; n++) {
                    struct tc t;
                    tc_init(x, &t, mem);
                    int rm = rreg(x, size, false);
                    enc_op(&t, size, &d2, 1, op, rm);
                    if (n & 1)   /* mostly interesting counts */
                        t.r[R_ECX] = (t.r[R_ECX] & ~0xFFu) | rndn(x, 34);
                    t.undef = shift_undef(op, size, t.r[R_ECX] & 31);
                    check(x, "shift/rotate CL", &t);
                }
        }
}

static void fam_dshift(struct ctx *x)
{
    for (int right = 0; right < 2; right++)
        for (unsigned size = 16; size <= 32; size += 16)
            for (int cl = 0; cl < 2; cl++)
                for (int n = 0; n < 2000; n++) {
                    struct tc t;
                    bool mem = n & 1;
                    tc_init(x, &t, mem);
                    uint8_t op[2] = { 0x0F, (uint8_t)(0xA4 | right << 3 | cl) };
                    int rm = rreg(x, size, false);
                    enc_op(&t, size, op, 2, rreg(x, size, mem), rm);
                    unsigned cnt;
                    if (cl) {
                        t.r[R_ECX] = (t.r[R_ECX] & ~0xFFu) | rndn(x, 40);
                        cnt = t.r[R_ECX] & 31;
                    } else {
                        cnt = (n / 2) % 32;
                        put_imm(&t.e, cnt | (rndn(x, 8) << 5), 1);
                    }
                    if (cnt > 0)
                        t.undef = F_AF | (cnt > 1 ? F_OF : 0);
                    if (size == 16 && cnt > 16 && !x->intel) {
                        t.undef = F_ARITH;
                        t.res_undef = true;
                    }
                    check(x, "shld/shrd", &t);
                }
}

/* MUL IMUL DIV IDIV (F6/F7 /4-/7), IMUL Gv,Ev (0F AF), 69, 6B. */
static void fam_muldiv(struct ctx *x)
{
    static const unsigned sizes[3] = { 8, 16, 32 };
    for (int op = 4; op < 8; op++)
        for (int s = 0; s < 3; s++)
            for (int mem = 0; mem < 2; mem++)
                for (int n = 0; n < 1500; n++) {
                    struct tc t;
                    unsigned size = sizes[s];
                    tc_init(x, &t, mem);
                    uint8_t opc = size == 8 ? 0xF6 : 0xF7;
                    int rm = rreg(x, size, false);
                    enc_op(&t, size, &opc, 1, op, rm);
                    if (op >= 6 && n % 4 != 0) {
                        /* Mostly divisions that fit: a small high half. */
                        uint32_t m = mask_of(size);
                        uint32_t hi = (rnd32(x) & m) >> rndn(x, size);
                        if (size == 8)
                            t.r[R_EAX] = (t.r[R_EAX] & ~0xFF00u) | (hi & 0xFF) << 8;
                        else
                            t.r[R_EDX] = (t.r[R_EDX] & ~m) | hi;
                        if (n % 8 == 1)   /* IDIV: sign-extended dividends */
                            t.r[R_EDX] = (t.r[R_EAX] & 0x80000000u) ? 0xFFFFFFFFu : 0;
                    }
                    t.undef = op < 6 ? (F_SF | F_ZF | F_AF | F_PF) : F_ARITH;
                    check(x, "mul/imul/div/idiv", &t);
                }
    for (unsigned size = 16; size <= 32; size += 16)
        for (int form = 0; form < 3; form++)
            for (int n = 0; n < 2000; n++) {
                struct tc t;
                bool mem = n & 1;
                tc_init(x, &t, mem);
                static const uint8_t af[2] = { 0x0F, 0xAF }, i69 = 0x69, i6b = 0x6B;
                int reg = rreg(x, size, mem), rm = rreg(x, size, false);
                if (form == 0)
                    enc_op(&t, size, af, 2, reg, rm);
                else
                    enc_op(&t, size, form == 1 ? &i69 : &i6b, 1, reg, rm);
                if (form > 0)
                    put_imm(&t.e, rval(x), form == 1 ? (int)size / 8 : 1);
                t.undef = F_SF | F_ZF | F_AF | F_PF;
                check(x, "imul 2/3 operands", &t);
            }
}

/* BT BTS BTR BTC by register and by immediate, BSF, BSR. */
static void fam_bit(struct ctx *x)
{
    uint32_t bt_undef = F_OF | F_SF | F_AF | F_PF | (x->intel ? 0 : F_ZF);
    for (int op = 0; op < 4; op++)
        for (unsigned size = 16; size <= 32; size += 16)
            for (int n = 0; n < 2000; n++) {
                struct tc t;
                bool mem = n & 1;
                tc_init(x, &t, mem);
                int reg = rreg(x, size, mem), rm = rreg(x, size, false);
                uint8_t o[2] = { 0x0F, (uint8_t)(0xA3 | op << 3) };
                enc_op(&t, size, o, 2, reg, rm);
                if (mem)   /* bit offsets within +-64 bytes of the operand */
                    t.r[reg] = (uint32_t)((int32_t)rndn(x, 1024) - 512);
                t.undef = bt_undef;
                check(x, "bt/bts/btr/btc Gv", &t);
            }
    static const uint8_t ba[2] = { 0x0F, 0xBA };
    for (int op = 4; op < 8; op++)
        for (unsigned size = 16; size <= 32; size += 16)
            for (int n = 0; n < 1000; n++) {
                struct tc t;
                tc_init(x, &t, n & 1);
                enc_op(&t, size, ba, 2, op, rreg(x, size, false));
                put_imm(&t.e, rnd32(x), 1);
                t.undef = bt_undef;
                check(x, "bt/bts/btr/btc Ib", &t);
            }
    for (int rev = 0; rev < 2; rev++)
        for (unsigned size = 16; size <= 32; size += 16)
            for (int n = 0; n < 2000; n++) {
                struct tc t;
                bool mem = n & 1;
                tc_init(x, &t, mem);
                uint8_t o[2] = { 0x0F, (uint8_t)(0xBC | rev) };
                int rm = rreg(x, size, false);
                enc_op(&t, size, o, 2, rreg(x, size, mem), rm);
                if (n % 5 == 0) {   /* zero sources */
                    if (mem)
                        set_mem(&t, size, 0);
                    else
                        t.r[rm] &= ~mask_of(size);
                }
                t.undef = F_CF | F_OF | F_SF | F_AF | F_PF;
                check(x, "bsf/bsr", &t);
            }
}

/* SETcc (0F 90-9F) and CMOVcc (0F 40-4F). */
static void fam_cond(struct ctx *x)
{
    for (int cc = 0; cc < 16; cc++) {
        for (int n = 0; n < 600; n++) {
            struct tc t;
            tc_init(x, &t, n & 1);
            uint8_t o[2] = { 0x0F, (uint8_t)(0x90 | cc) };
            enc_op(&t, 8, o, 2, 0, rreg(x, 8, false));
            check(x, "setcc", &t);
        }
        for (unsigned size = 16; size <= 32; size += 16)
            for (int n = 0; n < 600; n++) {
                struct tc t;
                bool mem = n & 1;
                tc_init(x, &t, mem);
                uint8_t o[2] = { 0x0F, (uint8_t)(0x40 | cc) };
                enc_op(&t, size, o, 2, rreg(x, size, mem), rreg(x, size, false));
                check(x, "cmovcc", &t);
            }
    }
}

/* XADD, CMPXCHG, CMPXCHG8B, BSWAP. */
static void fam_xchg486(struct ctx *x)
{
    static const unsigned sizes[3] = { 8, 16, 32 };
    for (int cx = 0; cx < 2; cx++)
        for (int s = 0; s < 3; s++)
            for (int n = 0; n < 2000; n++) {
                struct tc t;
                unsigned size = sizes[s];
                bool mem = n & 1;
                tc_init(x, &t, mem);
                uint8_t o[2] = { 0x0F, (uint8_t)((cx ? 0xB0 : 0xC0) | (size != 8)) };
                int reg = rreg(x, size, mem), rm = rreg(x, size, false);
                enc_op(&t, size, o, 2, reg, rm);
                if (cx && n % 4 < 2) {   /* make the comparison succeed */
                    uint32_t m = mask_of(size);
                    uint32_t dst = mem ? 0 : (size == 8 ? (t.r[rm & 3] >> (rm & 4 ? 8 : 0)) & 0xFF
                                                        : t.r[rm] & m);
                    if (mem)
                        memcpy(&dst, t.buf + MID, size / 8);
                    t.r[R_EAX] = (t.r[R_EAX] & ~m) | (dst & m);
                }
                check(x, cx ? "cmpxchg" : "xadd", &t);
            }
    for (int n = 0; n < 3000; n++) {
        struct tc t;
        tc_init(x, &t, true);
        static const uint8_t c7[2] = { 0x0F, 0xC7 };
        enc_op(&t, 32, c7, 2, 1, 0);
        if (n & 1) {
            memcpy(&t.r[R_EAX], t.buf + MID, 4);
            memcpy(&t.r[R_EDX], t.buf + MID + 4, 4);
        }
        check(x, "cmpxchg8b", &t);
    }
    for (unsigned size = 16; size <= 32; size += 16)
        for (int n = 0; n < 1000; n++) {
            struct tc t;
            tc_init(x, &t, false);
            int r = rreg(x, 32, false);
            uint8_t o[2] = { 0x0F, (uint8_t)(0xC8 | r) };
            enc_op(&t, size, o, 2, 0, -2);
            if (size == 16 && !x->intel)
                t.res_undef = true;
            check(x, "bswap", &t);
        }
}

/* CBW/CWDE CWD/CDQ, LAHF SAHF CMC CLC STC, MOV, MOVZX/MOVSX, XCHG, LEA. */
static void fam_misc(struct ctx *x)
{
    static const uint8_t one[] = { 0x98, 0x99, 0xF5, 0xF8, 0xF9, 0x9E, 0x9F };
    for (unsigned k = 0; k < sizeof one; k++)
        for (unsigned size = 16; size <= 32; size += 16)
            for (int n = 0; n < 500; n++) {
                if ((one[k] == 0x9E || one[k] == 0x9F) && !x->lahf)
                    continue;
                struct tc t;
                tc_init(x, &t, false);
                enc_op(&t, size, &one[k], 1, 0, -2);
                check(x, "cbw/cwd/lahf/sahf/cmc/clc/stc", &t);
            }
    static const uint8_t mv[] = { 0x88, 0x89, 0x8A, 0x8B, 0x86, 0x87 };
    static const unsigned sizes[3] = { 8, 16, 32 };
    for (unsigned k = 0; k < sizeof mv; k++)
        for (int s = 0; s < 3; s++) {
            unsigned size = sizes[s];
            if ((size == 8) != !(mv[k] & 1))
                continue;
            for (int n = 0; n < 500; n++) {
                struct tc t;
                bool mem = n & 1;
                tc_init(x, &t, mem);
                enc_op(&t, size, &mv[k], 1, rreg(x, size, mem), rreg(x, size, false));
                check(x, "mov/xchg", &t);
            }
        }
    for (unsigned size = 16; size <= 32; size += 16) {
        for (int n = 0; n < 500; n++) {
            struct tc t;
            tc_init(x, &t, false);
            uint8_t o = (uint8_t)(0x90 + rreg(x, 32, false));   /* not ESP */
            if (o == 0x90)
                o = 0x97;
            enc_op(&t, size, &o, 1, 0, -2);
            check(x, "mov/xchg", &t);
        }
        for (int k = 0; k < 4; k++)
            for (int n = 0; n < 500; n++) {
                struct tc t;
                bool mem = n & 1;
                tc_init(x, &t, mem);
                static const uint8_t mz[4] = { 0xB6, 0xB7, 0xBE, 0xBF };
                uint8_t o[2] = { 0x0F, mz[k] };
                enc_op(&t, size, o, 2, rreg(x, size, mem), rreg(x, (k & 1) ? 16 : 8, false));
                check(x, "movzx/movsx", &t);
            }
        for (int n = 0; n < 1000; n++) {
            struct tc t;
            tc_init(x, &t, false);
            /* lea reg, [base + index*scale + disp32] */
            int base = rreg(x, 32, false), index = rreg(x, 32, false);
            if (size == 16)
                put(&t.e, 0x66);
            put(&t.e, 0x8D);
            put(&t.e, (uint8_t)(0x84 | rreg(x, size, false) << 3));
            put(&t.e, (uint8_t)(rndn(x, 4) << 6 | index << 3 | base));
            put_imm(&t.e, rval(x), 4);
            check(x, "lea", &t);
        }
    }
    for (int n = 0; n < 500; n++) {
        struct tc t;
        tc_init(x, &t, false);
        uint8_t o = (uint8_t)(0xB0 + rndn(x, 16));
        if (o == 0xBC)   /* not ESP */
            o = 0xBD;
        enc_op(&t, o >= 0xB8 ? (rndn(x, 2) ? 16 : 32) : 8, &o, 1, 0, -2);
        put_imm(&t.e, rnd32(x), o >= 0xB8 ? (t.e.b[0] == 0x66 ? 2 : 4) : 1);
        check(x, "mov/xchg", &t);
    }
}

/* ---- setup ---- */
static int guest_setup(struct machine *m)
{
    struct machine_config cfg = { .ram_mb = 2, .model = CPU_P6 };
    if (machine_init(m, &cfg) < 0)
        return -1;
    machine_entry_flat32(m, G_CODE);
    struct cpu *c = &m->cpu;
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
    /* The exception handler is a NOP: the one-instruction budget ends
     * right after it. */
    const uint8_t nop = 0x90;
    bus_load(&m->bus, G_HANDLER, &nop, 1);
    return 0;
}

int main(void)
{
    struct ctx x;
    memset(&x, 0, sizeof x);
    x.rng = 0x9E3779B97F4A7C15ull;
    x.m = malloc(sizeof *x.m);
    x.code = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC,
                  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    x.hbuf = malloc(BUF);
    if (!x.m || x.code == MAP_FAILED || !x.hbuf || guest_setup(x.m) < 0) {
        printf("setup failed\n0 passed, 1 failed\n");
        return 1;
    }
    memcpy(x.code, stub_pre, sizeof stub_pre);

    unsigned a = 0, b = 0, cc = 0, d = 0;
    char vendor[13] = { 0 };
    __get_cpuid(0, &a, &b, &cc, &d);
    memcpy(vendor, &b, 4);
    memcpy(vendor + 4, &d, 4);
    memcpy(vendor + 8, &cc, 4);
    x.intel = strcmp(vendor, "GenuineIntel") == 0;
    x.lahf = __get_cpuid(0x80000001, &a, &b, &cc, &d) && (cc & 1);
    printf("host %s, LAHF/SAHF in 64-bit mode: %s; Intel-only checks %s\n", vendor,
           x.lahf ? "yes" : "no", x.intel ? "on" : "off");

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_fpe;
    sa.sa_flags = SA_NODEFER;
    sigaction(SIGFPE, &sa, NULL);

    fam_alu(&x);
    fam_alu_imm(&x);
    fam_unary(&x);
    fam_shift(&x);
    fam_dshift(&x);
    fam_muldiv(&x);
    fam_bit(&x);
    fam_cond(&x);
    fam_xchg486(&x);
    fam_misc(&x);

    long run = 0, fail = 0;
    for (int k = 0; k < x.nfam; k++) {
        const struct family *f = &x.fam[k];
        printf("%-32s %7ld cases vs host: %ld mismatches", f->name, f->run, f->fail);
        if (f->faults)
            printf(" (%ld raise #DE on both)", f->faults);
        if (f->undef_diff)
            printf(" (undefined flags differ in %ld, not counted)", f->undef_diff);
        printf("\n");
        run += f->run;
        fail += f->fail;
    }
    printf("%ld passed, %ld failed\n", run - fail, fail);
    machine_free(x.m);
    free(x.m);
    free(x.hbuf);
    munmap(x.code, 4096);
    return fail != 0;
}
