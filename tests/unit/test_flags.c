/* test_flags.c -- the lazy flags (cpu/flags.c) and the integer instruction
 * families (alu.c shift.c muldiv.c bcd.c bit.c mov.c) on edge values, with
 * divide errors and precise faults on memory operands. */

/* Edge values: 0, 1, 0x7F/0x80, 0x7FFF/0x8000, 0x7FFFFFFF/0x80000000, all
 * ones, carries in and out, shift counts 0, 1, width-1, width, 31.
 * Instructions run in real mode on a P6 model (32-bit forms through the
 * 66 prefix): bytes at 0000:1000, data at 0000:2000, each exception
 * vector v pointing at a NOP at 0000:0600+v, so after cpu_run(c, n) an
 * exception shows as IP = 0x601 + v. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpu/cpu.h"
#include "cpu/flags.h"
#include "cpu/seg.h"
#include "machine/machine.h"
#include "tests/unit/check.h"

enum { CODE = 0x1000, DATA = 0x2000, VEC_BASE = 0x600, STACK = 0x8000 };
enum { NO_EXC = -1 };

/* ================= lazy flags, directly ================= */

static void lazy_case(struct cpu *c, const char *what, enum lf_op op, unsigned size,
                      uint32_t a, uint32_t b, uint32_t res, uint32_t want)
{
    c->lf.op = LF_NONE;
    c->eflags = 0x2;
    flags_set(c, op, size, a, b, res);
    uint32_t got = flags_arith(c);
    check(got == want, "lazy %-28s flags %03x (want %03x)", what, got, want);
}

static void test_lazy(struct cpu *c)
{
    const uint32_t CF = F_CF, PF = F_PF, AF = F_AF, ZF = F_ZF, SF = F_SF, OF = F_OF;
    lazy_case(c, "add8 7F+1", LF_ADD, 8, 0x7F, 1, 0x80, OF | SF | AF);
    lazy_case(c, "add8 FF+1", LF_ADD, 8, 0xFF, 1, 0x100, CF | ZF | AF | PF);
    lazy_case(c, "add8 80+80", LF_ADD, 8, 0x80, 0x80, 0x100, CF | ZF | PF | OF);
    lazy_case(c, "add16 7FFF+1", LF_ADD, 16, 0x7FFF, 1, 0x8000, OF | SF | AF | PF);
    lazy_case(c, "add16 FFFF+1", LF_ADD, 16, 0xFFFF, 1, 0x10000, CF | ZF | AF | PF);
    lazy_case(c, "add32 7FFFFFFF+1", LF_ADD, 32, 0x7FFFFFFF, 1, 0x80000000u, OF | SF | AF | PF);
    lazy_case(c, "add32 FFFFFFFF+1", LF_ADD, 32, 0xFFFFFFFFu, 1, 0, CF | ZF | AF | PF);
    lazy_case(c, "adc8 FF+FF+1", LF_ADC, 8, 0xFF, 0xFF, 0x1FF, CF | AF | SF | PF);
    lazy_case(c, "adc8 7F+0+1", LF_ADC, 8, 0x7F, 0, 0x80, OF | SF | AF);
    lazy_case(c, "adc32 FFFFFFFF+0+1", LF_ADC, 32, 0xFFFFFFFFu, 0, 0, CF | ZF | AF | PF);
    lazy_case(c, "sub8 0-1", LF_SUB, 8, 0, 1, 0xFF, CF | SF | AF | PF);
    lazy_case(c, "sub8 80-1", LF_SUB, 8, 0x80, 1, 0x7F, OF | AF);
    lazy_case(c, "sub16 8000-1", LF_SUB, 16, 0x8000, 1, 0x7FFF, OF | AF | PF);
    lazy_case(c, "sub32 0-80000000", LF_SUB, 32, 0, 0x80000000u, 0x80000000u, CF | OF | SF | PF);
    lazy_case(c, "sbb8 0-FF-1", LF_SBB, 8, 0, 0xFF, 0, CF | ZF | PF | AF);
    lazy_case(c, "sbb8 80-0-1", LF_SBB, 8, 0x80, 0, 0x7F, OF | AF);
    lazy_case(c, "sbb16 0-0-1", LF_SBB, 16, 0, 0, 0xFFFF, CF | SF | AF | PF);
    lazy_case(c, "logic8 result 0", LF_LOGIC, 8, 0xF0, 0x0F, 0, ZF | PF);
    lazy_case(c, "logic32 result 80000000", LF_LOGIC, 32, 0x80000000u, 0xFFFFFFFFu,
              0x80000000u, SF | PF);

    /* INC/DEC keep a lazily computed CF. */
    c->lf.op = LF_NONE;
    flags_set(c, LF_SUB, 8, 0, 1, 0xFF);           /* CF = 1 */
    flags_set_incdec(c, LF_INC, 8, 0x7F, 0x80);
    check(flags_arith(c) == (CF | OF | SF | AF), "lazy inc8 7F keeps CF=1 from sub: %03x",
          flags_arith(c));
    flags_set_incdec(c, LF_DEC, 16, 0x8000, 0x7FFF);
    check(flags_arith(c) == (CF | OF | AF | PF), "lazy dec16 8000 after inc still CF=1: %03x",
          flags_arith(c));
    flags_set(c, LF_ADD, 32, 1, 1, 2);               /* CF = 0 */
    flags_set_incdec(c, LF_DEC, 32, 0, 0xFFFFFFFFu);
    check(flags_arith(c) == (SF | AF | PF), "lazy dec32 0 keeps CF=0 from add: %03x",
          flags_arith(c));

    /* cond_true agrees with the flags it is computed from, for every
     * condition, after a range of lazy operations. */
    static const struct { enum lf_op op; unsigned size; uint32_t a, b; } ops[] = {
        { LF_ADD, 8, 0x7F, 1 }, { LF_SUB, 8, 0x80, 1 }, { LF_SUB, 16, 5, 5 },
        { LF_SUB, 32, 1, 2 }, { LF_SBB, 32, 0x80000000u, 0 }, { LF_ADC, 16, 0xFFFF, 0 },
        { LF_LOGIC, 8, 0x80, 0x80 }, { LF_INC, 32, 0x7FFFFFFF, 1 }, { LF_DEC, 8, 0, 1 },
    };
    int bad = 0;
    for (unsigned k = 0; k < sizeof ops / sizeof ops[0]; k++) {
        uint32_t a = ops[k].a, b = ops[k].b, r;
        switch (ops[k].op) {
        case LF_ADD: r = a + b; break;
        case LF_ADC: r = a + b + 1; break;
        case LF_SUB: r = a - b; break;
        case LF_SBB: r = a - b - 1; break;
        case LF_INC: r = a + 1; break;
        case LF_DEC: r = a - 1; break;
        default: r = a & b; break;
        }
        c->lf.op = LF_NONE;
        c->eflags = 0x2 | F_CF;
        flags_set(c, ops[k].op, ops[k].size, a, b, r);
        uint32_t f = flags_arith(c);
        bool o = f & OF, cf = f & CF, z = f & ZF, s = f & SF, p = f & PF;
        bool want[8] = { o, cf, z, cf || z, s, p, s != o, z || s != o };
        for (unsigned cc = 0; cc < 16; cc++)
            if (cond_true(c, cc) != (want[cc >> 1] ^ (cc & 1)))
                bad++;
    }
    check(bad == 0, "cond_true matches flags_arith for 16 conditions x 9 operations (%d bad)", bad);

    cpu_set_eflags(c, 0x2 | F_ARITH | F_DF);
    check((cpu_get_eflags(c) & (F_ARITH | F_DF)) == (F_ARITH | F_DF),
          "cpu_set_eflags / cpu_get_eflags round trip");
}

/* ================= instructions ================= */

static struct machine *m;

static void setup_machine(void)
{
    struct machine_config cfg = { .ram_mb = 1, .model = CPU_P6 };
    m = calloc(1, sizeof *m);
    if (!m || machine_init(m, &cfg) < 0) {
        printf("FAIL machine_init\n");
        exit(1);
    }
    for (uint32_t v = 0; v < 32; v++) {
        uint16_t vec[2] = { (uint16_t)(VEC_BASE + v), 0 };
        bus_load(&m->bus, v * 4, vec, sizeof vec);
        const uint8_t nop = 0x90;
        bus_load(&m->bus, VEC_BASE + v, &nop, 1);
    }
}

/* One table row: code, inputs, expected outputs.  Registers not named
 * (out_* left 0 with keep_*) are checked to be unchanged. */
struct row {
    const char *name;
    const char *code;          /* hex bytes */
    int n;                     /* instructions to run (0 means 1) */
    uint32_t a, c, d, b, si, f;            /* EAX ECX EDX EBX ESI, FLAGS */
    uint32_t oa, oc, od, ob, of;           /* expected */
    uint32_t fmask;            /* flags compared (0: all six arithmetic) */
    int exc;                   /* expected exception vector, NO_EXC */
    uint32_t mem_addr;         /* optional memory operand (0: none) */
    uint64_t mem_in, mem_out;
    unsigned mem_len;
};

static int hexbytes(const char *s, uint8_t *out)
{
    int n = 0;
    while (*s) {
        if (*s == ' ') {
            s++;
            continue;
        }
        unsigned v;
        if (sscanf(s, "%2x", &v) != 1)
            break;
        out[n++] = (uint8_t)v;
        s += 2;
    }
    return n;
}

static void run_row(const struct row *r)
{
    struct cpu *c = &m->cpu;
    uint8_t code[32];
    int len = hexbytes(r->code, code);
    bus_load(&m->bus, CODE, code, (size_t)len);
    if (r->mem_len)
        bus_load(&m->bus, r->mem_addr, &r->mem_in, r->mem_len);
    machine_entry_real(m, 0, CODE);
    for (int s = 0; s < S_COUNT; s++)
        if (s != S_CS)
            seg_set_real(c, s, 0);
    c->r[R_EAX] = r->a;
    c->r[R_ECX] = r->c;
    c->r[R_EDX] = r->d;
    c->r[R_EBX] = r->b;
    c->r[R_ESI] = r->si;
    c->r[R_EDI] = 0x5A5A5A5A;
    c->r[R_EBP] = 0xA5A5A5A5;
    c->r[R_ESP] = STACK;
    cpu_set_eflags(c, 0x2 | r->f);
    cpu_run(c, r->n ? (uint64_t)r->n : 1);

    int exc = NO_EXC;
    if (c->eip > VEC_BASE && c->eip <= VEC_BASE + 32)
        exc = (int)(c->eip - VEC_BASE - 1);
    uint32_t fmask = r->fmask ? r->fmask : F_ARITH;
    uint32_t f = cpu_get_eflags(c);
    bool ok = exc == r->exc;
    char why[160] = "";
    if (!ok)
        snprintf(why, sizeof why, " exception %d, want %d", exc, r->exc);
    if (exc != NO_EXC) {
        /* A fault leaves every register as it was (flags after delivery
         * keep their arithmetic bits). */
        if (c->r[R_EAX] != r->a || c->r[R_ECX] != r->c || c->r[R_EDX] != r->d ||
            c->r[R_EBX] != r->b || (f & F_ARITH) != (r->f & F_ARITH)) {
            ok = false;
            snprintf(why, sizeof why, " registers or flags changed by the fault");
        }
    } else {
        const uint32_t got[4] = { c->r[R_EAX], c->r[R_ECX], c->r[R_EDX], c->r[R_EBX] };
        const uint32_t want[4] = { r->oa, r->oc, r->od, r->ob };
        static const char *names[4] = { "eax", "ecx", "edx", "ebx" };
        for (int k = 0; k < 4; k++)
            if (got[k] != want[k]) {
                ok = false;
                snprintf(why, sizeof why, " %s %08x want %08x", names[k], got[k], want[k]);
            }
        if ((f ^ r->of) & fmask) {
            ok = false;
            snprintf(why, sizeof why, " flags %03x want %03x (mask %03x)", f & fmask,
                     r->of & fmask, fmask);
        }
    }
    if (r->mem_len) {
        uint64_t mem = 0;
        memcpy(&mem, m->bus.ram + r->mem_addr, r->mem_len);
        uint64_t want = exc != NO_EXC ? r->mem_in : r->mem_out;
        if (mem != want) {
            ok = false;
            snprintf(why, sizeof why, " memory %llx want %llx", (unsigned long long)mem,
                     (unsigned long long)want);
        }
    }
    check(ok, "%-44s%s", r->name, why);
}

/* Unchanged registers are spelled out in each row (oa = a ...). */
enum { NOFL = F_ARITH & ~F_AF, MUL_DEF = F_CF | F_OF };

static const struct row rows[] = {
    /* ---- ADD ADC SUB SBB CMP AND OR XOR TEST NEG NOT INC DEC ---- */
    { "add al,1: 7F -> 80 (OF SF AF)", "04 01", 0, 0x7F, 0, 0, 0, 0, 0,
      0x80, 0, 0, 0, F_OF | F_SF | F_AF, 0, NO_EXC, 0, 0, 0, 0 },
    { "add al,1: FF -> 00 (CF ZF AF PF)", "04 01", 0, 0xFF, 0, 0, 0, 0, 0,
      0x00, 0, 0, 0, F_CF | F_ZF | F_AF | F_PF, 0, NO_EXC, 0, 0, 0, 0 },
    { "add ax,1: 7FFF -> 8000", "05 01 00", 0, 0x7FFF, 0, 0, 0, 0, 0,
      0x8000, 0, 0, 0, F_OF | F_SF | F_AF | F_PF, 0, NO_EXC, 0, 0, 0, 0 },
    { "add eax,1: 7FFFFFFF -> 80000000", "66 05 01 00 00 00", 0, 0x7FFFFFFF, 0, 0, 0, 0, 0,
      0x80000000u, 0, 0, 0, F_OF | F_SF | F_AF | F_PF, 0, NO_EXC, 0, 0, 0, 0 },
    { "add eax,1: FFFFFFFF -> 0", "66 05 01 00 00 00", 0, 0xFFFFFFFFu, 0, 0, 0, 0, 0,
      0, 0, 0, 0, F_CF | F_ZF | F_AF | F_PF, 0, NO_EXC, 0, 0, 0, 0 },
    { "add ax,bx keeps upper EAX", "01 D8", 0, 0x1234FFFF, 0, 0, 1, 0, 0,
      0x12340000, 0, 0, 1, F_CF | F_ZF | F_AF | F_PF, 0, NO_EXC, 0, 0, 0, 0 },
    { "adc al,0 with CF: FF -> 00", "14 00", 0, 0xFF, 0, 0, 0, 0, F_CF,
      0x00, 0, 0, 0, F_CF | F_ZF | F_AF | F_PF, 0, NO_EXC, 0, 0, 0, 0 },
    { "adc al,7F with CF: 00 -> 80", "14 7F", 0, 0x00, 0, 0, 0, 0, F_CF,
      0x80, 0, 0, 0, F_OF | F_SF | F_AF, 0, NO_EXC, 0, 0, 0, 0 },
    { "adc eax,ebx with CF: FFFFFFFF+FFFFFFFF+1", "66 11 D8", 0, 0xFFFFFFFFu, 0, 0, 0xFFFFFFFFu, 0, F_CF,
      0xFFFFFFFFu, 0, 0, 0xFFFFFFFFu, F_CF | F_SF | F_AF | F_PF, 0, NO_EXC, 0, 0, 0, 0 },
    { "sbb al,0 with CF: 00 -> FF", "1C 00", 0, 0x00, 0, 0, 0, 0, F_CF,
      0xFF, 0, 0, 0, F_CF | F_SF | F_AF | F_PF, 0, NO_EXC, 0, 0, 0, 0 },
    { "sbb al,0 with CF: 80 -> 7F (OF)", "1C 00", 0, 0x80, 0, 0, 0, 0, F_CF,
      0x7F, 0, 0, 0, F_OF | F_AF, 0, NO_EXC, 0, 0, 0, 0 },
    { "sbb ax,FFFF with CF: 0 -> 0 (CF ZF)", "1D FF FF", 0, 0, 0, 0, 0, 0, F_CF,
      0, 0, 0, 0, F_CF | F_ZF | F_AF | F_PF, 0, NO_EXC, 0, 0, 0, 0 },
    { "sub al,1: 00 -> FF", "2C 01", 0, 0x00, 0, 0, 0, 0, 0,
      0xFF, 0, 0, 0, F_CF | F_SF | F_AF | F_PF, 0, NO_EXC, 0, 0, 0, 0 },
    { "sub eax,1: 80000000 -> 7FFFFFFF", "66 2D 01 00 00 00", 0, 0x80000000u, 0, 0, 0, 0, 0,
      0x7FFFFFFF, 0, 0, 0, F_OF | F_AF | F_PF, 0, NO_EXC, 0, 0, 0, 0 },
    { "cmp al,80: 7F (no write)", "3C 80", 0, 0x7F, 0, 0, 0, 0, 0,
      0x7F, 0, 0, 0, F_CF | F_OF | F_SF | F_PF, 0, NO_EXC, 0, 0, 0, 0 },
    { "cmp ax,ax: equal", "39 C0", 0, 0x8000, 0, 0, 0, 0, F_CF,
      0x8000, 0, 0, 0, F_ZF | F_PF, 0, NO_EXC, 0, 0, 0, 0 },
    { "and al,0 clears CF OF (AF undefined)", "24 00", 0, 0xFF, 0, 0, 0, 0, F_ARITH,
      0x00, 0, 0, 0, F_ZF | F_PF, NOFL, NO_EXC, 0, 0, 0, 0 },
    { "xor ax,ax", "31 C0", 0, 0x1234, 0, 0, 0, 0, F_CF | F_OF,
      0, 0, 0, 0, F_ZF | F_PF, NOFL, NO_EXC, 0, 0, 0, 0 },
    { "or al,80", "0C 80", 0, 0x00, 0, 0, 0, 0, 0,
      0x80, 0, 0, 0, F_SF, NOFL, NO_EXC, 0, 0, 0, 0 },
    { "or eax,ebx: sign of 32 bits", "66 09 D8", 0, 0, 0, 0, 0x80000000u, 0, 0,
      0x80000000u, 0, 0, 0x80000000u, F_SF | F_PF, NOFL, NO_EXC, 0, 0, 0, 0 },
    { "test al,80 (no write)", "A8 80", 0, 0x80, 0, 0, 0, 0, F_CF | F_OF,
      0x80, 0, 0, 0, F_SF, NOFL, NO_EXC, 0, 0, 0, 0 },
    { "83 /0 add ax,-1 (sign-extended Ibs)", "83 C0 FF", 0, 0x0001, 0, 0, 0, 0, 0,
      0x0000, 0, 0, 0, F_CF | F_ZF | F_AF | F_PF, 0, NO_EXC, 0, 0, 0, 0 },
    { "83 /7 cmp eax,-1", "66 83 F8 FF", 0, 0xFFFFFFFFu, 0, 0, 0, 0, 0,
      0xFFFFFFFFu, 0, 0, 0, F_ZF | F_PF, 0, NO_EXC, 0, 0, 0, 0 },
    { "neg al: 00 -> 00 (CF=0)", "F6 D8", 0, 0x00, 0, 0, 0, 0, F_CF,
      0x00, 0, 0, 0, F_ZF | F_PF, 0, NO_EXC, 0, 0, 0, 0 },
    { "neg al: 80 -> 80 (CF OF)", "F6 D8", 0, 0x80, 0, 0, 0, 0, 0,
      0x80, 0, 0, 0, F_CF | F_OF | F_SF, 0, NO_EXC, 0, 0, 0, 0 },
    { "neg ax: 8000 -> 8000", "F7 D8", 0, 0x8000, 0, 0, 0, 0, 0,
      0x8000, 0, 0, 0, F_CF | F_OF | F_SF | F_PF, 0, NO_EXC, 0, 0, 0, 0 },
    { "neg eax: 1 -> FFFFFFFF", "66 F7 D8", 0, 1, 0, 0, 0, 0, 0,
      0xFFFFFFFFu, 0, 0, 0, F_CF | F_SF | F_AF | F_PF, 0, NO_EXC, 0, 0, 0, 0 },
    { "not al: no flags change", "F6 D0", 0, 0x0F, 0, 0, 0, 0, F_ARITH,
      0xF0, 0, 0, 0, F_ARITH, 0, NO_EXC, 0, 0, 0, 0 },
    { "inc al: 7F -> 80 keeps CF=1", "FE C0", 0, 0x7F, 0, 0, 0, 0, F_CF,
      0x80, 0, 0, 0, F_CF | F_OF | F_SF | F_AF, 0, NO_EXC, 0, 0, 0, 0 },
    { "dec al: 80 -> 7F keeps CF=0", "FE C8", 0, 0x80, 0, 0, 0, 0, 0,
      0x7F, 0, 0, 0, F_OF | F_AF, 0, NO_EXC, 0, 0, 0, 0 },
    { "inc ax (40): FFFF -> 0 keeps CF=1", "40", 0, 0xFFFF, 0, 0, 0, 0, F_CF,
      0, 0, 0, 0, F_CF | F_ZF | F_AF | F_PF, 0, NO_EXC, 0, 0, 0, 0 },
    { "dec eax (66 48): 0 -> FFFFFFFF", "66 48", 0, 0, 0, 0, 0, 0, 0,
      0xFFFFFFFFu, 0, 0, 0, F_SF | F_AF | F_PF, 0, NO_EXC, 0, 0, 0, 0 },
    { "sub al,1 then inc al: CF survives", "2C 01 FE C0", 2, 0x00, 0, 0, 0, 0, 0,
      0x00, 0, 0, 0, F_CF | F_ZF | F_AF | F_PF, 0, NO_EXC, 0, 0, 0, 0 },
    { "add byte [2000],1 (memory)", "80 06 00 20 01", 0, 0, 0, 0, 0, 0, 0,
      0, 0, 0, 0, F_OF | F_SF | F_AF, 0, NO_EXC, DATA, 0x7F, 0x80, 1 },
    { "sub dword [2000],eax (memory)", "66 29 06 00 20", 0, 1, 0, 0, 0, 0, 0,
      1, 0, 0, 0, F_CF | F_SF | F_AF | F_PF, 0, NO_EXC, DATA, 0, 0xFFFFFFFFu, 4 },
    { "cmp word [2000],ax does not write", "39 06 00 20", 0, 2, 0, 0, 0, 0, 0,
      2, 0, 0, 0, F_CF | F_SF | F_AF | F_PF, 0, NO_EXC, DATA, 1, 1, 2 },

    /* ---- shifts and rotates ---- */
    { "shl al,1: 80 -> 00 (CF OF ZF)", "D0 E0", 0, 0x80, 0, 0, 0, 0, 0,
      0x00, 0, 0, 0, F_CF | F_OF | F_ZF | F_PF, NOFL, NO_EXC, 0, 0, 0, 0 },
    { "shl al,1: 40 -> 80 (OF, no CF)", "D0 E0", 0, 0x40, 0, 0, 0, 0, F_CF,
      0x80, 0, 0, 0, F_OF | F_SF, NOFL, NO_EXC, 0, 0, 0, 0 },
    { "shr al,1: 81 -> 40 (CF, OF=old MSB)", "D0 E8", 0, 0x81, 0, 0, 0, 0, 0,
      0x40, 0, 0, 0, F_CF | F_OF, NOFL, NO_EXC, 0, 0, 0, 0 },
    { "sar al,1: 81 -> C0 (CF, OF=0)", "D0 F8", 0, 0x81, 0, 0, 0, 0, F_OF,
      0xC0, 0, 0, 0, F_CF | F_SF | F_PF, NOFL, NO_EXC, 0, 0, 0, 0 },
    { "sal /6 alias: shl al,1", "D0 F0", 0, 0x81, 0, 0, 0, 0, 0,
      0x02, 0, 0, 0, F_CF | F_OF, NOFL, NO_EXC, 0, 0, 0, 0 },
    { "rol al,1: 80 -> 01 (CF OF, ZF kept)", "D0 C0", 0, 0x80, 0, 0, 0, 0, F_ZF,
      0x01, 0, 0, 0, F_CF | F_OF | F_ZF, 0, NO_EXC, 0, 0, 0, 0 },
    { "ror al,1: 01 -> 80 (CF OF)", "D0 C8", 0, 0x01, 0, 0, 0, 0, 0,
      0x80, 0, 0, 0, F_CF | F_OF, 0, NO_EXC, 0, 0, 0, 0 },
    { "rcl al,1: 80,CF=0 -> 00 (CF OF, ZF kept 0)", "D0 D0", 0, 0x80, 0, 0, 0, 0, 0,
      0x00, 0, 0, 0, F_CF | F_OF, 0, NO_EXC, 0, 0, 0, 0 },
    { "rcr al,1: 01,CF=1 -> 80 (CF OF)", "D0 D8", 0, 0x01, 0, 0, 0, 0, F_CF,
      0x80, 0, 0, 0, F_CF | F_OF, 0, NO_EXC, 0, 0, 0, 0 },
    { "shl al,cl: CL=0 changes nothing", "D2 E0", 0, 0x81, 0, 0, 0, 0, F_ARITH,
      0x81, 0, 0, 0, F_ARITH, 0, NO_EXC, 0, 0, 0, 0 },
    { "shl al,cl: CL=32 is masked to 0", "D2 E0", 0, 0x81, 32, 0, 0, 0, F_CF | F_ZF,
      0x81, 32, 0, 0, F_CF | F_ZF, 0, NO_EXC, 0, 0, 0, 0 },
    { "shl al,cl: CL=7 (width-1)", "D2 E0", 0, 0x03, 7, 0, 0, 0, 0,
      0x80, 7, 0, 0, F_CF | F_SF, F_CF | F_SF | F_ZF | F_PF, NO_EXC, 0, 0, 0, 0 },
    { "shl al,cl: CL=8 (width): 01 -> 00 CF=1", "D2 E0", 0, 0x01, 8, 0, 0, 0, 0,
      0x00, 8, 0, 0, F_CF | F_ZF | F_PF, F_CF | F_SF | F_ZF | F_PF, NO_EXC, 0, 0, 0, 0 },
    { "shl al,cl: CL=9: CF=0", "D2 E0", 0, 0xFF, 9, 0, 0, 0, F_CF,
      0x00, 9, 0, 0, F_ZF | F_PF, F_CF | F_SF | F_ZF | F_PF, NO_EXC, 0, 0, 0, 0 },
    { "shr ax,cl: CL=16: 8000 -> 0 CF=1", "D3 E8", 0, 0x8000, 16, 0, 0, 0, 0,
      0, 16, 0, 0, F_CF | F_ZF | F_PF, F_CF | F_SF | F_ZF | F_PF, NO_EXC, 0, 0, 0, 0 },
    { "sar al,cl: CL=31: 80 -> FF CF=1", "D2 F8", 0, 0x80, 31, 0, 0, 0, 0,
      0xFF, 31, 0, 0, F_CF | F_SF | F_PF, F_CF | F_SF | F_ZF | F_PF, NO_EXC, 0, 0, 0, 0 },
    { "shl eax,cl: CL=31: 1 -> 80000000", "66 D3 E0", 0, 1, 31, 0, 0, 0, 0,
      0x80000000u, 31, 0, 0, F_SF | F_PF, F_CF | F_SF | F_ZF | F_PF, NO_EXC, 0, 0, 0, 0 },
    { "shr eax,cl: CL=31: 80000000 -> 1", "66 D3 E8", 0, 0x80000000u, 31, 0, 0, 0, F_CF,
      1, 31, 0, 0, 0, F_CF | F_SF | F_ZF | F_PF, NO_EXC, 0, 0, 0, 0 },
    { "rcl al,cl: CL=9 rotates modulo 9", "D2 D0", 0, 0x55, 9, 0, 0, 0, F_CF,
      0x55, 9, 0, 0, F_CF, F_CF | F_SF | F_ZF | F_PF | F_AF, NO_EXC, 0, 0, 0, 0 },
    { "rcr ax,cl: CL=17 rotates modulo 17", "D3 D8", 0, 0x1234, 17, 0, 0, 0, 0,
      0x1234, 17, 0, 0, 0, F_CF | F_SF | F_ZF | F_PF | F_AF, NO_EXC, 0, 0, 0, 0 },
    { "rcl ax,cl: CL=16, CF=1: 0001 -> 8000 CF=1", "D3 D0", 0, 0x0001, 16, 0, 0, 0, F_CF,
      0x8000, 16, 0, 0, F_CF, F_CF, NO_EXC, 0, 0, 0, 0 },
    { "rcl eax,cl: CL=31: 1 -> 80000000 CF=0", "66 D3 D0", 0, 1, 31, 0, 0, 0, 0,
      0x80000000u, 31, 0, 0, 0, F_CF, NO_EXC, 0, 0, 0, 0 },
    { "rol ax,cl: CL=16: same value, CF=LSB", "D3 C0", 0, 0x8001, 16, 0, 0, 0, 0,
      0x8001, 16, 0, 0, F_CF, F_CF, NO_EXC, 0, 0, 0, 0 },
    { "ror eax,cl: CL=1: 1 -> 80000000", "66 D3 C8", 0, 1, 1, 0, 0, 0, 0,
      0x80000000u, 1, 0, 0, F_CF | F_OF, 0, NO_EXC, 0, 0, 0, 0 },
    { "shl byte [2000],cl (memory)", "D2 26 00 20", 0, 0, 4, 0, 0, 0, 0,
      0, 4, 0, 0, F_CF | F_SF | F_PF, F_CF | F_SF | F_ZF | F_PF, NO_EXC, DATA, 0x1F, 0xF0, 1 },
    { "shld eax,edx,4", "66 0F A4 D0 04", 0, 0x12345678, 0, 0x9ABCDEF0u, 0, 0, 0,
      0x23456789, 0, 0x9ABCDEF0u, 0, F_CF, F_CF | F_SF | F_ZF | F_PF, NO_EXC, 0, 0, 0, 0 },
    { "shrd eax,edx,4", "66 0F AC D0 04", 0, 0x12345678, 0, 0x9ABCDEF0u, 0, 0, 0,
      0x01234567, 0, 0x9ABCDEF0u, 0, F_CF, F_CF | F_SF | F_ZF | F_PF, NO_EXC, 0, 0, 0, 0 },
    { "shld ax,dx,1: sign change sets OF", "0F A4 D0 01", 0, 0x4000, 0, 0, 0, 0, 0,
      0x8000, 0, 0, 0, F_OF | F_SF | F_PF, NOFL, NO_EXC, 0, 0, 0, 0 },
    { "shld ax,dx,20 (count > 16, as Intel)", "0F A4 D0 14", 0, 0xABCD, 0, 0x1234, 0, 0, 0,
      0x234A, 0, 0x1234, 0, F_CF, F_CF | F_SF | F_ZF | F_PF, NO_EXC, 0, 0, 0, 0 },
    { "shrd ax,dx,20 (count > 16, as Intel)", "0F AC D0 14", 0, 0xABCD, 0, 0x1234, 0, 0, 0,
      0xD123, 0, 0x1234, 0, F_SF, F_CF | F_SF | F_ZF | F_PF, NO_EXC, 0, 0, 0, 0 },
    { "shld eax,edx,cl: CL=0 changes nothing", "66 0F A5 D0", 0, 0x12345678, 0, 0xFFFFFFFFu, 0, 0, F_ARITH,
      0x12345678, 0, 0xFFFFFFFFu, 0, F_ARITH, 0, NO_EXC, 0, 0, 0, 0 },

    /* ---- multiply and divide ---- */
    { "mul bl: 80*2 = 0100 (CF OF)", "F6 E3", 0, 0x80, 0, 0, 2, 0, 0,
      0x0100, 0, 0, 2, MUL_DEF, MUL_DEF, NO_EXC, 0, 0, 0, 0 },
    { "mul bl: 7F*1 fits (no CF OF)", "F6 E3", 0, 0x7F, 0, 0, 1, 0, F_CF | F_OF,
      0x007F, 0, 0, 1, 0, MUL_DEF, NO_EXC, 0, 0, 0, 0 },
    { "imul bl: -1*-128 = 128 overflows", "F6 EB", 0, 0xFF, 0, 0, 0x80, 0, 0,
      0x0080, 0, 0, 0x80, MUL_DEF, MUL_DEF, NO_EXC, 0, 0, 0, 0 },
    { "imul bl: -1*-1 = 1", "F6 EB", 0, 0xFF, 0, 0, 0xFF, 0, F_CF | F_OF,
      0x0001, 0, 0, 0xFF, 0, MUL_DEF, NO_EXC, 0, 0, 0, 0 },
    { "mul bx: FFFF*FFFF -> DX:AX", "F7 E3", 0, 0xFFFF, 0, 0, 0xFFFF, 0, 0,
      0x0001, 0, 0xFFFE, 0xFFFF, MUL_DEF, MUL_DEF, NO_EXC, 0, 0, 0, 0 },
    { "mul ebx: FFFFFFFF^2 -> EDX:EAX", "66 F7 E3", 0, 0xFFFFFFFFu, 0, 0, 0xFFFFFFFFu, 0, 0,
      0x00000001, 0, 0xFFFFFFFEu, 0xFFFFFFFFu, MUL_DEF, MUL_DEF, NO_EXC, 0, 0, 0, 0 },
    { "imul ebx: 80000000*-1 overflows", "66 F7 EB", 0, 0x80000000u, 0, 0, 0xFFFFFFFFu, 0, 0,
      0x80000000u, 0, 0, 0xFFFFFFFFu, MUL_DEF, MUL_DEF, NO_EXC, 0, 0, 0, 0 },
    { "imul ax,bx,100h (69): 100h*100h truncates", "69 C3 00 01", 0, 0x5555, 0, 0, 0x100, 0, 0,
      0x0000, 0, 0, 0x100, MUL_DEF, MUL_DEF, NO_EXC, 0, 0, 0, 0 },
    { "imul ax,bx,-1 (6B): 8000h*-1 overflows", "6B C3 FF", 0, 0, 0, 0, 0x8000, 0, 0,
      0x8000, 0, 0, 0x8000, MUL_DEF, MUL_DEF, NO_EXC, 0, 0, 0, 0 },
    { "imul ax,bx,-2 (69, imm 16 bits): 2*-2", "69 C3 FE FF", 0, 0, 0, 0, 2, 0, 0,
      0xFFFC, 0, 0, 2, 0, MUL_DEF, NO_EXC, 0, 0, 0, 0 },
    { "imul eax,ebx (0F AF): -1*-1", "66 0F AF C3", 0, 0xFFFFFFFFu, 0, 0, 0xFFFFFFFFu, 0, F_CF,
      1, 0, 0, 0xFFFFFFFFu, 0, MUL_DEF, NO_EXC, 0, 0, 0, 0 },
    { "div bl: 0100/1 overflows -> #DE", "F6 F3", 0, 0x0100, 0, 0, 1, 0, F_CF,
      0, 0, 0, 0, 0, 0, EXC_DE, 0, 0, 0, 0 },
    { "div bl: by zero -> #DE", "F6 F3", 0, 0x0005, 0, 0, 0, 0, 0,
      0, 0, 0, 0, 0, 0, EXC_DE, 0, 0, 0, 0 },
    { "div bl: 00FF/10 = 0F r 0F", "F6 F3", 0, 0x00FF, 0, 0, 0x10, 0, 0,
      0x0F0F, 0, 0, 0x10, 0, 0, NO_EXC, 0, 0, 0, 0 },
    { "div bx: DX:AX=FFFF:FFFF / FFFF -> #DE", "F7 F3", 0, 0xFFFF, 0, 0xFFFF, 0xFFFF, 0, 0,
      0, 0, 0, 0, 0, 0, EXC_DE, 0, 0, 0, 0 },
    { "div ebx: EDX:EAX = 1:0 / 2", "66 F7 F3", 0, 0, 0, 1, 2, 0, 0,
      0x80000000u, 0, 0, 2, 0, 0, NO_EXC, 0, 0, 0, 0 },
    { "idiv bl: 8000/-1 -> #DE", "F6 FB", 0, 0x8000, 0, 0, 0xFF, 0, 0,
      0, 0, 0, 0, 0, 0, EXC_DE, 0, 0, 0, 0 },
    { "idiv bl: -128/1 = -128 fits", "F6 FB", 0, 0xFF80, 0, 0, 1, 0, 0,
      0x0080, 0, 0, 1, 0, 0, NO_EXC, 0, 0, 0, 0 },
    { "idiv bl: 128/1 -> #DE", "F6 FB", 0, 0x0080, 0, 0, 1, 0, 0,
      0, 0, 0, 0, 0, 0, EXC_DE, 0, 0, 0, 0 },
    { "idiv ebx: INT64_MIN/-1 -> #DE", "66 F7 FB", 0, 0, 0, 0x80000000u, 0xFFFFFFFFu, 0, 0,
      0, 0, 0, 0, 0, 0, EXC_DE, 0, 0, 0, 0 },
    { "idiv ebx: -7/2 = -3 r -1", "66 F7 FB", 0, 0xFFFFFFF9u, 0, 0xFFFFFFFFu, 2, 0, 0,
      0xFFFFFFFDu, 0, 0xFFFFFFFFu, 2, 0, 0, NO_EXC, 0, 0, 0, 0 },
    { "idiv bx: 7/-2 = -3 r 1", "F7 FB", 0, 7, 0, 0, 0xFFFE, 0, 0,
      0xFFFD, 0, 1, 0xFFFE, 0, 0, NO_EXC, 0, 0, 0, 0 },
    { "div leaves the flags unchanged", "F6 F3", 0, 0x0010, 0, 0, 3, 0, F_ARITH,
      0x0105, 0, 0, 3, F_ARITH, 0, NO_EXC, 0, 0, 0, 0 },
    { "div byte [2000]: #DE leaves memory alone", "F6 36 00 20", 0, 0x1234, 0, 0, 0, 0, 0,
      0, 0, 0, 0, 0, 0, EXC_DE, DATA, 0, 0, 1 },

    /* ---- BCD ---- */
    { "daa: 0F -> 15 (AF)", "27", 0, 0x0F, 0, 0, 0, 0, 0,
      0x15, 0, 0, 0, F_AF, F_ARITH & ~F_OF, NO_EXC, 0, 0, 0, 0 },
    { "daa: 9A -> 00 (CF AF ZF)", "27", 0, 0x9A, 0, 0, 0, 0, 0,
      0x00, 0, 0, 0, F_CF | F_AF | F_ZF | F_PF, F_ARITH & ~F_OF, NO_EXC, 0, 0, 0, 0 },
    { "daa: 00 with CF -> 60", "27", 0, 0x00, 0, 0, 0, 0, F_CF,
      0x60, 0, 0, 0, F_CF | F_PF, F_ARITH & ~F_OF, NO_EXC, 0, 0, 0, 0 },
    { "das: 00 with CF -> A0", "2F", 0, 0x00, 0, 0, 0, 0, F_CF,
      0xA0, 0, 0, 0, F_CF | F_SF | F_PF, F_ARITH & ~F_OF, NO_EXC, 0, 0, 0, 0 },
    { "das: 1F with AF -> 19", "2F", 0, 0x1F, 0, 0, 0, 0, F_AF,
      0x19, 0, 0, 0, F_AF, F_ARITH & ~F_OF, NO_EXC, 0, 0, 0, 0 },
    { "aaa: AX=000B -> 0101 (CF AF)", "37", 0, 0x000B, 0, 0, 0, 0, 0,
      0x0101, 0, 0, 0, F_CF | F_AF, F_CF | F_AF, NO_EXC, 0, 0, 0, 0 },
    { "aaa: AX=00FA -> 0200 (AX + 106h)", "37", 0, 0x00FA, 0, 0, 0, 0, 0,
      0x0200, 0, 0, 0, F_CF | F_AF, F_CF | F_AF, NO_EXC, 0, 0, 0, 0 },
    { "aaa: AX=0005 no adjust, high nibble cleared", "37", 0, 0x0035, 0, 0, 0, 0, F_CF,
      0x0005, 0, 0, 0, 0, F_CF | F_AF, NO_EXC, 0, 0, 0, 0 },
    { "aas: AX=0200 with AF -> 000A", "3F", 0, 0x0200, 0, 0, 0, 0, F_AF,
      0x000A, 0, 0, 0, F_CF | F_AF, F_CF | F_AF, NO_EXC, 0, 0, 0, 0 },
    { "aam 10: AL=63h -> AX=0909", "D4 0A", 0, 0x0063, 0, 0, 0, 0, 0,
      0x0909, 0, 0, 0, F_PF, F_SF | F_ZF | F_PF, NO_EXC, 0, 0, 0, 0 },
    { "aam 0 -> #DE", "D4 00", 0, 0x0063, 0, 0, 0, 0, 0,
      0, 0, 0, 0, 0, 0, EXC_DE, 0, 0, 0, 0 },
    { "aad 10: AX=0909 -> 0063", "D5 0A", 0, 0x0909, 0, 0, 0, 0, 0,
      0x0063, 0, 0, 0, F_PF, F_SF | F_ZF | F_PF, NO_EXC, 0, 0, 0, 0 },
    { "aad 16: AX=0102 -> 0012", "D5 10", 0, 0x0102, 0, 0, 0, 0, 0,
      0x0012, 0, 0, 0, F_PF, F_SF | F_ZF | F_PF, NO_EXC, 0, 0, 0, 0 },
    { "salc: CF=1 -> AL=FF", "D6", 0, 0x1200, 0, 0, 0, 0, F_CF,
      0x12FF, 0, 0, 0, F_CF, 0, NO_EXC, 0, 0, 0, 0 },
    { "salc: CF=0 -> AL=00", "D6", 0, 0x12AA, 0, 0, 0, 0, 0,
      0x1200, 0, 0, 0, 0, 0, NO_EXC, 0, 0, 0, 0 },

    /* ---- bit instructions, SETcc, CMOVcc, BSWAP, XADD, CMPXCHG ---- */
    { "bt ax,cx: bit 15", "0F A3 C8", 0, 0x8000, 15, 0, 0, 0, 0,
      0x8000, 15, 0, 0, F_CF, F_CF, NO_EXC, 0, 0, 0, 0 },
    { "bt ax,cx: 31 is taken modulo 16", "0F A3 C8", 0, 0x8000, 31, 0, 0, 0, 0,
      0x8000, 31, 0, 0, F_CF, F_CF, NO_EXC, 0, 0, 0, 0 },
    { "bts [bx],cx: bit -1 is bit 15 of [bx-2]", "0F AB 0F", 0, 0, 0xFFFF, 0, DATA + 2, 0, F_CF,
      0, 0xFFFF, 0, DATA + 2, 0, F_CF, NO_EXC, DATA, 0, 0x8000, 2 },
    { "btr [bx],ecx: bit 33 is bit 1 of [bx+4]", "66 0F B3 0F", 0, 0, 33, 0, DATA - 4, 0, 0,
      0, 33, 0, DATA - 4, F_CF, F_CF, NO_EXC, DATA, 0xFFFFFFFFu, 0xFFFFFFFDu, 4 },
    { "btc ax,cx: complements", "0F BB C8", 0, 0x0001, 0, 0, 0, 0, 0,
      0x0000, 0, 0, 0, F_CF, F_CF, NO_EXC, 0, 0, 0, 0 },
    { "bt ax,11h (imm modulo 16)", "0F BA E0 11", 0, 0x0002, 0, 0, 0, 0, 0,
      0x0002, 0, 0, 0, F_CF, F_CF, NO_EXC, 0, 0, 0, 0 },
    { "bts dword [2000],33 stays in the operand", "66 0F BA 2E 00 20 21", 0, 0, 0, 0, 0, 0, F_CF,
      0, 0, 0, 0, 0, F_CF, NO_EXC, DATA, 0, 2, 4 },
    { "bsf ax,bx: source 0 -> ZF, AX unchanged", "0F BC C3", 0, 0x1234, 0, 0, 0, 0, 0,
      0x1234, 0, 0, 0, F_ZF, F_ZF, NO_EXC, 0, 0, 0, 0 },
    { "bsf ax,bx: 8000 -> 15", "0F BC C3", 0, 0x1234, 0, 0, 0x8000, 0, F_ZF,
      15, 0, 0, 0x8000, 0, F_ZF, NO_EXC, 0, 0, 0, 0 },
    { "bsr eax,ebx: 1 -> 0", "66 0F BD C3", 0, 0xFFFFFFFFu, 0, 0, 1, 0, F_ZF,
      0, 0, 0, 1, 0, F_ZF, NO_EXC, 0, 0, 0, 0 },
    { "bsr eax,ebx: 80000001 -> 31", "66 0F BD C3", 0, 0, 0, 0, 0x80000001u, 0, 0,
      31, 0, 0, 0x80000001u, 0, F_ZF, NO_EXC, 0, 0, 0, 0 },
    { "setz al (ZF=1)", "0F 94 C0", 0, 0xFF00, 0, 0, 0, 0, F_ZF,
      0xFF01, 0, 0, 0, F_ZF, 0, NO_EXC, 0, 0, 0, 0 },
    { "setl byte [2000] (SF != OF)", "0F 9C 06 00 20", 0, 0, 0, 0, 0, 0, F_SF,
      0, 0, 0, 0, F_SF, 0, NO_EXC, DATA, 0xFF, 1, 1 },
    { "setnbe al after cmp 2,1", "3C 01 0F 97 C4", 2, 0x0002, 0, 0, 0, 0, 0,
      0x0102, 0, 0, 0, 0, 0, NO_EXC, 0, 0, 0, 0 },
    { "cmovz eax,ebx false: EAX unchanged", "66 0F 44 C3", 0, 0x11111111, 0, 0, 0x22222222, 0, 0,
      0x11111111, 0, 0, 0x22222222, 0, 0, NO_EXC, 0, 0, 0, 0 },
    { "cmovz ax,bx true", "0F 44 C3", 0, 0x11111111, 0, 0, 0x22222222, 0, F_ZF,
      0x11112222, 0, 0, 0x22222222, F_ZF, 0, NO_EXC, 0, 0, 0, 0 },
    { "cmovz ax,[FFFF] false still faults", "0F 44 06 FF FF", 0, 0, 0, 0, 0, 0, 0,
      0, 0, 0, 0, 0, 0, EXC_GP, 0, 0, 0, 0 },
    { "bswap eax", "66 0F C8", 0, 0x12345678, 0, 0, 0, 0, 0,
      0x78563412, 0, 0, 0, 0, 0, NO_EXC, 0, 0, 0, 0 },
    { "bswap ax (16-bit): low half cleared", "0F C8", 0, 0x12345678, 0, 0, 0, 0, 0,
      0x12340000, 0, 0, 0, 0, 0, NO_EXC, 0, 0, 0, 0 },
    { "xadd ax,bx", "0F C1 D8", 0, 1, 0, 0, 0xFFFF, 0, 0,
      0, 0, 0, 1, F_CF | F_ZF | F_AF | F_PF, 0, NO_EXC, 0, 0, 0, 0 },
    { "xadd ax,ax: the sum wins", "0F C1 C0", 0, 5, 0, 0, 0, 0, 0,
      10, 0, 0, 0, F_PF, 0, NO_EXC, 0, 0, 0, 0 },
    { "xadd byte [2000],al", "0F C0 06 00 20", 0, 0x7F, 0, 0, 0, 0, 0,
      0x01, 0, 0, 0, F_OF | F_SF | F_AF, 0, NO_EXC, DATA, 0x01, 0x80, 1 },
    { "cmpxchg cx,bx: equal -> CX=BX, ZF", "0F B1 D9", 0, 5, 5, 0, 7, 0, 0,
      5, 7, 0, 7, F_ZF | F_PF, 0, NO_EXC, 0, 0, 0, 0 },
    { "cmpxchg cx,bx: different -> AX=CX", "0F B1 D9", 0, 4, 5, 0, 7, 0, 0,
      5, 5, 0, 7, F_CF | F_SF | F_AF | F_PF, 0, NO_EXC, 0, 0, 0, 0 },
    { "cmpxchg [2000],bl: different, memory kept", "0F B0 1E 00 20", 0, 0x10, 0, 0, 0x33, 0, 0,
      0x20, 0, 0, 0x33, F_CF | F_SF | F_PF, 0, NO_EXC, DATA, 0x20, 0x20, 1 },
    { "cmpxchg8b [si]: equal", "0F C7 0C", 0, 0x22222222, 0x33333333, 0x11111111, 0x44444444, DATA, 0,
      0x22222222, 0x33333333, 0x11111111, 0x44444444, F_ZF, F_ZF, NO_EXC, DATA,
      0x1111111122222222ull, 0x3333333344444444ull, 8 },
    { "cmpxchg8b [si]: different", "0F C7 0C", 0, 0, 0x33333333, 0, 0x44444444, DATA, F_ZF | F_CF,
      0x22222222, 0x33333333, 0x11111111, 0x44444444, F_CF, F_ZF | F_CF, NO_EXC, DATA,
      0x1111111122222222ull, 0x1111111122222222ull, 8 },

    /* ---- moves, exchanges, conversions, flag instructions ---- */
    { "mov al,[2000] (A0 moffs)", "A0 00 20", 0, 0xFFFF, 0, 0, 0, 0, 0,
      0xFF5A, 0, 0, 0, 0, 0, NO_EXC, DATA, 0x5A, 0x5A, 1 },
    { "mov eax,[2000] (66 A1)", "66 A1 00 20", 0, 0, 0, 0, 0, 0, 0,
      0x89ABCDEFu, 0, 0, 0, 0, 0, NO_EXC, DATA, 0x89ABCDEFu, 0x89ABCDEFu, 4 },
    { "mov [2000],ax (A3)", "A3 00 20", 0, 0xBEEF, 0, 0, 0, 0, 0,
      0xBEEF, 0, 0, 0, 0, 0, NO_EXC, DATA, 0x11111111, 0x1111BEEF, 4 },
    { "mov cl,bh (8A CF)", "8A CF", 0, 0, 0, 0, 0xAB00, 0, 0,
      0, 0xAB, 0, 0xAB00, 0, 0, NO_EXC, 0, 0, 0, 0 },
    { "mov bx,1234 (BB)", "BB 34 12", 0, 0, 0, 0, 0xFFFFFFFFu, 0, 0,
      0, 0, 0, 0xFFFF1234, 0, 0, NO_EXC, 0, 0, 0, 0 },
    { "mov ah,12 (B4)", "B4 12", 0, 0xFFFF, 0, 0, 0, 0, 0,
      0x12FF, 0, 0, 0, 0, 0, NO_EXC, 0, 0, 0, 0 },
    { "mov word [2000],5678 (C7)", "C7 06 00 20 78 56", 0, 0, 0, 0, 0, 0, 0,
      0, 0, 0, 0, 0, 0, NO_EXC, DATA, 0, 0x5678, 2 },
    { "movsx eax,bl", "66 0F BE C3", 0, 0, 0, 0, 0x80, 0, 0,
      0xFFFFFF80u, 0, 0, 0x80, 0, 0, NO_EXC, 0, 0, 0, 0 },
    { "movzx eax,bx", "66 0F B7 C3", 0, 0xFFFFFFFFu, 0, 0, 0x8000, 0, 0,
      0x8000, 0, 0, 0x8000, 0, 0, NO_EXC, 0, 0, 0, 0 },
    { "movsx ax,bl keeps upper EAX", "0F BE C3", 0, 0x12340000, 0, 0, 0xFF, 0, 0,
      0x1234FFFF, 0, 0, 0xFF, 0, 0, NO_EXC, 0, 0, 0, 0 },
    { "lea ax,[bx+si-1] wraps at 16 bits", "8D 40 FF", 0, 0, 0, 0, 0, 0, 0,
      0xFFFF, 0, 0, 0, 0, 0, NO_EXC, 0, 0, 0, 0 },
    { "lea eax,[bx+si-1] (a16, zero-extended)", "66 8D 40 FF", 0, 0xFFFFFFFFu, 0, 0, 0, 0, 0,
      0x0000FFFF, 0, 0, 0, 0, 0, NO_EXC, 0, 0, 0, 0 },
    { "lea ax,[ebx+ecx*4+10] (a32, truncated)", "67 8D 44 8B 10", 0, 0, 0x40000000, 0, 0x12345678, 0, 0,
      0x5688, 0x40000000, 0, 0x12345678, 0, 0, NO_EXC, 0, 0, 0, 0 },
    { "xchg al,ah", "86 C4", 0, 0x1234, 0, 0, 0, 0, 0,
      0x3412, 0, 0, 0, 0, 0, NO_EXC, 0, 0, 0, 0 },
    { "xchg ax,bx (93)", "93", 0, 0x11111111, 0, 0, 0x22222222, 0, 0,
      0x11112222, 0, 0, 0x22221111, 0, 0, NO_EXC, 0, 0, 0, 0 },
    { "xchg [2000],eax", "66 87 06 00 20", 0, 0xAAAAAAAAu, 0, 0, 0, 0, 0,
      0x55555555, 0, 0, 0, 0, 0, NO_EXC, DATA, 0x55555555, 0xAAAAAAAAu, 4 },
    { "cbw: 80 -> FF80", "98", 0, 0xAAAA0080u, 0, 0, 0, 0, 0,
      0xAAAAFF80u, 0, 0, 0, 0, 0, NO_EXC, 0, 0, 0, 0 },
    { "cwde: 8000 -> FFFF8000", "66 98", 0, 0x00008000, 0, 0, 0, 0, 0,
      0xFFFF8000u, 0, 0, 0, 0, 0, NO_EXC, 0, 0, 0, 0 },
    { "cwd: 8000 -> DX=FFFF", "99", 0, 0x8000, 0, 0x12340000, 0, 0, 0,
      0x8000, 0, 0x1234FFFF, 0, 0, 0, NO_EXC, 0, 0, 0, 0 },
    { "cdq: 7FFFFFFF -> EDX=0", "66 99", 0, 0x7FFFFFFF, 0, 0xFFFFFFFFu, 0, 0, 0,
      0x7FFFFFFF, 0, 0, 0, 0, 0, NO_EXC, 0, 0, 0, 0 },
    { "lahf: all flags -> AH=D7", "9F", 0, 0, 0, 0, 0, 0, F_ARITH,
      0xD700, 0, 0, 0, F_ARITH, 0, NO_EXC, 0, 0, 0, 0 },
    { "sahf: AH=0 keeps OF", "9E", 0, 0x0000, 0, 0, 0, 0, F_ARITH,
      0, 0, 0, 0, F_OF, 0, NO_EXC, 0, 0, 0, 0 },
    { "sahf: AH=FF sets SF ZF AF PF CF", "9E", 0, 0xFF00, 0, 0, 0, 0, 0,
      0xFF00, 0, 0, 0, F_ARITH & ~F_OF, 0, NO_EXC, 0, 0, 0, 0 },
    { "xlat: AL = [BX+AL]", "D7", 0, 0x0003, 0, 0, DATA, 0, 0,
      0x0044, 0, 0, DATA, 0, 0, NO_EXC, DATA, 0x44332211, 0x44332211, 4 },
    { "cmc", "F5", 0, 0, 0, 0, 0, 0, F_ZF,
      0, 0, 0, 0, F_ZF | F_CF, 0, NO_EXC, 0, 0, 0, 0 },
    { "clc after a lazy add that carried", "04 01 F8", 2, 0xFF, 0, 0, 0, 0, 0,
      0, 0, 0, 0, F_ZF | F_AF | F_PF, 0, NO_EXC, 0, 0, 0, 0 },
    { "stc", "F9", 0, 0, 0, 0, 0, 0, F_OF,
      0, 0, 0, 0, F_OF | F_CF, 0, NO_EXC, 0, 0, 0, 0 },

    /* ---- precise faults: a memory operand past the segment limit ---- */
    { "add [FFFF],ax: #GP, memory and flags kept", "01 06 FF FF", 0, 1, 0, 0, 0, 0, F_ZF,
      0, 0, 0, 0, 0, 0, EXC_GP, 0xFFFE, 0x1111, 0x1111, 2 },
    { "shl word [FFFF],cl with CL=0 still faults", "D3 26 FF FF", 0, 0, 0, 0, 0, 0, 0,
      0, 0, 0, 0, 0, 0, EXC_GP, 0, 0, 0, 0 },
    { "xchg [FFFF],ax: #GP, AX kept", "87 06 FF FF", 0, 0x4321, 0, 0, 0, 0, 0,
      0, 0, 0, 0, 0, 0, EXC_GP, 0, 0, 0, 0 },
    { "inc word [FFFF]: #GP", "FF 06 FF FF", 0, 0, 0, 0, 0, 0, F_CF,
      0, 0, 0, 0, 0, 0, EXC_GP, 0, 0, 0, 0 },
    { "cmpxchg8b [FFFC]: #GP, nothing written", "0F C7 0E FC FF", 0, 0, 0, 0, 0, 0, 0,
      0, 0, 0, 0, 0, 0, EXC_GP, 0xFFF8, 0x0123456789ABCDEFull, 0x0123456789ABCDEFull, 8 },
    { "mov ax,[FFFF]: #GP", "A1 FF FF", 0, 0x7777, 0, 0, 0, 0, 0,
      0, 0, 0, 0, 0, 0, EXC_GP, 0, 0, 0, 0 },
};

/* DF is outside the arithmetic flags: CLD/STD on their own. */
static void test_direction(void)
{
    struct cpu *c = &m->cpu;
    static const uint8_t code[] = { 0xFD, 0xFC };   /* std; cld */
    bus_load(&m->bus, CODE, code, sizeof code);
    machine_entry_real(m, 0, CODE);
    cpu_set_eflags(c, 0x2 | F_CF);
    cpu_run(c, 1);
    check((cpu_get_eflags(c) & (F_DF | F_CF)) == (F_DF | F_CF), "std sets DF, keeps CF");
    cpu_run(c, 1);
    check((cpu_get_eflags(c) & (F_DF | F_CF)) == F_CF, "cld clears DF, keeps CF");
}

int main(void)
{
    setup_machine();
    test_lazy(&m->cpu);
    for (unsigned k = 0; k < sizeof rows / sizeof rows[0]; k++)
        run_row(&rows[k]);
    test_direction();
    printf("%d passed, %d failed\n", passed, failed);
    machine_free(m);
    free(m);
    return failed != 0;
}
