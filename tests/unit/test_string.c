/* test_string.c -- the string instructions (cpu/string.c) and the I/O
 * permission check (cpu/io.c): every REP form, both directions, 16- and
 * 32-bit address sizes, segment overrides, counts 0/1/many, REPE/REPNE
 * termination, precise faults in the middle of a REP, the REP MOVS/STOS
 * fast path against the per-element path (overlaps included), REP runs
 * interrupted and resumed, and the TSS I/O permission bitmap. */
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpu/flags.h"
#include "cpu/insn.h"
#include "cpu/seg.h"
#include "machine/machine.h"
#include "tests/unit/check.h"

/* ---- a small real-mode machine ---- */

/* Code runs at 0000:7C00 and ends with a HLT.  Exception vector v goes to
 * 0000:0500+v, a HLT, so the vector taken can be read off IP.  Vector
 * 0x20 (INTR) records CX at 0:0702 and counts at 0:0700, then IRETs.
 * DS = 1000h, ES = 2000h, FS = 3000h, SS:SP = 0:7000. */
enum { CODE = 0x7C00, EXC_BASE = 0x500, IRQ_HANDLER = 0x600, STACK = 0x7000 };
enum { DS_BASE = 0x10000, ES_BASE = 0x20000, FS_BASE = 0x30000 };
enum { RUN_DONE = -1, RUN_STUCK = -2, RUN_ELSEWHERE = -3 };

static struct machine m;

struct pic_stub {
    struct cpu *cpu;
    int acks;
};
static struct pic_stub pic;

static int ack(void *opaque)
{
    struct pic_stub *p = opaque;
    p->acks++;
    p->cpu->intr_line = false;
    return 0x20;
}

static void new_machine(enum cpu_model model)
{
    struct machine_config cfg = { .ram_mb = 1, .model = model };
    machine_free(&m);
    if (machine_init(&m, &cfg) < 0) {
        perror("machine_init");
        exit(2);
    }
    pic.cpu = &m.cpu;
    pic.acks = 0;
    m.cpu.intr_ack = ack;
    m.cpu.intr_opaque = &pic;
    for (int v = 0; v < 32; v++) {
        uint8_t vec[4] = { (uint8_t)(EXC_BASE + v), (uint8_t)((EXC_BASE + v) >> 8), 0, 0 };
        bus_load(&m.bus, (uint32_t)v * 4, vec, 4);
    }
    memset(m.bus.ram + EXC_BASE, 0xF4, 32);
    /* mov [cs:0x702], cx; inc byte [cs:0x700]; iret */
    static const uint8_t irq[] = { 0x2E, 0x89, 0x0E, 0x02, 0x07,
                                   0x2E, 0xFE, 0x06, 0x00, 0x07, 0xCF };
    uint8_t vec[4] = { IRQ_HANDLER & 0xFF, IRQ_HANDLER >> 8, 0, 0 };
    bus_load(&m.bus, 0x20 * 4, vec, 4);
    bus_load(&m.bus, IRQ_HANDLER, irq, sizeof irq);
}

/* Registers and segments to a known state before each run. */
static void regs_reset(void)
{
    struct cpu *c = &m.cpu;
    for (int r = 0; r < 8; r++)
        c->r[r] = 0;
    c->r[R_ESP] = STACK;
    cpu_set_eflags(c, 0x2);
    seg_set_real(c, S_DS, DS_BASE >> 4);
    seg_set_real(c, S_ES, ES_BASE >> 4);
    seg_set_real(c, S_FS, FS_BASE >> 4);
    seg_set_real(c, S_SS, 0);
}

static void load_code(const uint8_t *code, size_t len)
{
    uint8_t buf[64];
    memcpy(buf, code, len);
    buf[len] = 0xF4;
    bus_load(&m.bus, CODE, buf, len + 1);
}

/* Runs from 0000:7C00 until a HLT.  Returns RUN_DONE when the code's own
 * HLT (at CODE + len) stopped it, or the exception vector taken. */
static int run_loaded(size_t len)
{
    struct cpu *c = &m.cpu;
    machine_entry_real(&m, 0, CODE);
    c->halted = false;
    cpu_run(c, 5000000);
    if (!c->halted)
        return RUN_STUCK;
    if (c->seg[S_CS].sel == 0 && c->eip == CODE + len + 1)
        return RUN_DONE;
    if (c->seg[S_CS].sel == 0 && c->eip > EXC_BASE && c->eip <= EXC_BASE + 32)
        return (int)(c->eip - EXC_BASE - 1);
    return RUN_ELSEWHERE;
}

static int run_code(const uint8_t *code, size_t len)
{
    load_code(code, len);
    return run_loaded(len);
}

static uint8_t *ram(uint32_t addr)
{
    return m.bus.ram + addr;
}

static uint16_t rd16(uint32_t addr)
{
    return (uint16_t)(ram(addr)[0] | ram(addr)[1] << 8);
}

/* The IP an exception pushed (the first word of the IRET frame). */
static uint16_t pushed_ip(void)
{
    return rd16(m.cpu.r[R_ESP] & 0xFFFF);
}

static void fill_random(uint32_t addr, uint32_t len, unsigned seed)
{
    srand(seed);
    for (uint32_t k = 0; k < len; k++)
        ram(addr)[k] = (uint8_t)rand();
}

/* ---- basic forms ---- */

static void test_single_moves(void)
{
    new_machine(CPU_P6);
    struct cpu *c = &m.cpu;
    static const uint8_t movsb[] = { 0xA4 }, movsw[] = { 0xA5 }, movsd[] = { 0x66, 0xA5 };

    regs_reset();
    c->r[R_ESI] = 0x10;
    c->r[R_EDI] = 0x20;
    *ram(DS_BASE + 0x10) = 0xAB;
    int r = run_code(movsb, sizeof movsb);
    check(r == RUN_DONE && *ram(ES_BASE + 0x20) == 0xAB && c->r[R_ESI] == 0x11 &&
          c->r[R_EDI] == 0x21, "MOVSB copies DS:SI to ES:DI and steps +1 with DF=0");

    regs_reset();
    c->r[R_ESI] = 0x10;
    c->r[R_EDI] = 0x30;
    c->eflags |= F_DF;
    r = run_code(movsb, sizeof movsb);
    check(r == RUN_DONE && *ram(ES_BASE + 0x30) == 0xAB && c->r[R_ESI] == 0x0F &&
          c->r[R_EDI] == 0x2F, "MOVSB steps -1 with DF=1");

    regs_reset();
    c->r[R_ESI] = 0x40;
    c->r[R_EDI] = 0x40;
    memcpy(ram(DS_BASE + 0x40), "\x11\x22\x33\x44", 4);
    r = run_code(movsw, sizeof movsw);
    check(r == RUN_DONE && rd16(ES_BASE + 0x40) == 0x2211 && c->r[R_ESI] == 0x42 &&
          c->r[R_EDI] == 0x42, "MOVSW copies a word and steps 2");

    regs_reset();
    c->r[R_ESI] = 0x40;
    c->r[R_EDI] = 0x50;
    r = run_code(movsd, sizeof movsd);
    check(r == RUN_DONE && memcmp(ram(ES_BASE + 0x50), "\x11\x22\x33\x44", 4) == 0 &&
          c->r[R_ESI] == 0x44 && c->r[R_EDI] == 0x54, "MOVSD (66) copies a dword and steps 4");
}

static void test_rep_counts(void)
{
    new_machine(CPU_P6);
    struct cpu *c = &m.cpu;
    static const uint8_t rep_movsb[] = { 0xF3, 0xA4 };
    static const uint8_t repne_movsb[] = { 0xF2, 0xA4 };

    regs_reset();
    *ram(DS_BASE + 0x100) = 0x5A;
    *ram(ES_BASE + 0x100) = 0x00;
    c->r[R_ESI] = 0x100;
    c->r[R_EDI] = 0x100;
    c->r[R_ECX] = 0;
    int r = run_code(rep_movsb, sizeof rep_movsb);
    check(r == RUN_DONE && *ram(ES_BASE + 0x100) == 0 && c->r[R_ESI] == 0x100 &&
          c->r[R_EDI] == 0x100 && c->r[R_ECX] == 0, "REP MOVSB with CX=0 does nothing");

    regs_reset();
    c->r[R_ESI] = 0x100;
    c->r[R_EDI] = 0x100;
    c->r[R_ECX] = 1;
    r = run_code(rep_movsb, sizeof rep_movsb);
    check(r == RUN_DONE && *ram(ES_BASE + 0x100) == 0x5A && c->r[R_ESI] == 0x101 &&
          c->r[R_ECX] == 0, "REP MOVSB with CX=1 moves one byte");

    /* REPNE on MOVS is plain REP: ZF does not end it. */
    regs_reset();
    fill_random(DS_BASE + 0x200, 16, 1);
    c->r[R_ESI] = 0x200;
    c->r[R_EDI] = 0x200;
    c->r[R_ECX] = 16;
    flags_set_eager(c, F_ZF);
    r = run_code(repne_movsb, sizeof repne_movsb);
    check(r == RUN_DONE && c->r[R_ECX] == 0 &&
          memcmp(ram(DS_BASE + 0x200), ram(ES_BASE + 0x200), 16) == 0,
          "REPNE MOVSB runs the full count (no ZF test on MOVS)");

    /* 16-bit address size: CX only, SI wraps at 64K, upper halves kept. */
    regs_reset();
    c->r[R_ECX] = 0xABCD0002;
    c->r[R_ESI] = 0x5555FFFF;
    c->r[R_EDI] = 0x66660010;
    *ram(DS_BASE + 0xFFFF) = 0x77;
    *ram(DS_BASE + 0x0000) = 0x88;
    r = run_code(rep_movsb, sizeof rep_movsb);
    check(r == RUN_DONE && c->r[R_ECX] == 0xABCD0000 && c->r[R_ESI] == 0x55550001 &&
          c->r[R_EDI] == 0x66660012 && *ram(ES_BASE + 0x10) == 0x77 &&
          *ram(ES_BASE + 0x11) == 0x88,
          "a16: CX counts, SI wraps 0xFFFF->0, the upper halves of ECX/ESI/EDI stay");

    /* 32-bit address size (67) in real mode: ECX, ESI, EDI whole. */
    static const uint8_t a32_rep_movsb[] = { 0x67, 0xF3, 0xA4 };
    regs_reset();
    fill_random(DS_BASE + 0xFFF0, 0x20, 2);
    c->r[R_ECX] = 0x20;
    c->r[R_ESI] = 0xFFF0;
    c->r[R_EDI] = 0xFFF0;
    seg_set_real(c, S_ES, 0x4000);
    r = run_code(a32_rep_movsb, sizeof a32_rep_movsb);
    check(r == EXC_GP && c->r[R_ESI] == 0x10000 && c->r[R_ECX] == 0x10 &&
          memcmp(ram(DS_BASE + 0xFFF0), ram(0x40000 + 0xFFF0), 16) == 0,
          "a32: ESI runs past 0xFFFF (no wrap) into the real-mode limit: #GP after 16 bytes");

    regs_reset();
    c->r[R_ECX] = 0x00010003;
    r = run_code(a32_rep_movsb, sizeof a32_rep_movsb);
    check(r == EXC_GP && c->r[R_ECX] == 0x00010003 - 0x10000,
          "a32: the count is all of ECX (65539 here, stopped by the limit)");
}

/* ---- MOVS against a reference, both directions, all sizes ---- */

/* Element-by-element model of (REP) MOVS with 16-bit addresses. */
static void ref_movs(uint8_t *mem, uint32_t src_base, uint32_t dst_base,
                     uint16_t si, uint16_t di, uint32_t count, unsigned n, bool df)
{
    for (uint32_t k = 0; k < count; k++) {
        memmove(mem + dst_base + di, mem + src_base + si, n);
        si = (uint16_t)(si + (df ? -(int)n : (int)n));
        di = (uint16_t)(di + (df ? -(int)n : (int)n));
    }
}

static void test_rep_movs_reference(void)
{
    new_machine(CPU_P6);
    struct cpu *c = &m.cpu;
    static uint8_t want[0x40000];
    for (unsigned n = 1; n <= 4; n *= 2) {
        for (int df = 0; df <= 1; df++) {
            uint8_t code[3] = { 0xF3, 0xA4 }, len = 2;
            if (n == 2)
                code[1] = 0xA5;
            if (n == 4)
                code[0] = 0x66, code[1] = 0xF3, code[2] = 0xA5, len = 3;
            regs_reset();
            uint32_t count = 0x2345 / n;
            uint16_t si = df ? 0x7000 : 0x0123, di = df ? 0x9FF0 : 0x0F10;
            fill_random(DS_BASE, 0x10000, 10 + n + (unsigned)df);
            memset(ram(ES_BASE), 0, 0x10000);
            memcpy(want, ram(0), sizeof want);
            ref_movs(want, DS_BASE, ES_BASE, si, di, count, n, df);
            c->r[R_ESI] = si;
            c->r[R_EDI] = di;
            c->r[R_ECX] = count;
            if (df)
                c->eflags |= F_DF;
            uint64_t fast0 = c->count.string_fast;
            int r = run_code(code, len);
            uint32_t moved = count * n;
            uint16_t esi = (uint16_t)(df ? si - moved : si + moved);
            uint16_t edi = (uint16_t)(df ? di - moved : di + moved);
            check(r == RUN_DONE && memcmp(ram(ES_BASE), want + ES_BASE, 0x10000) == 0 &&
                  c->r[R_ESI] == esi && c->r[R_EDI] == edi && c->r[R_ECX] == 0,
                  "REP MOVS size %u DF=%d: %u elements, memory and SI/DI/CX as the reference",
                  n, df, count);
            bool fast = c->count.string_fast > fast0;
            check(fast == !df, "REP MOVS size %u DF=%d %s the fast path", n, df,
                  df ? "does not take" : "takes");
        }
    }
}

/* ---- segment overrides ---- */

static void test_overrides(void)
{
    new_machine(CPU_P6);
    struct cpu *c = &m.cpu;

    /* ES: MOVSB reads ES:SI, still writes ES:DI. */
    static const uint8_t es_movsb[] = { 0x26, 0xA4 };
    regs_reset();
    *ram(ES_BASE + 0x10) = 0xE5;
    *ram(DS_BASE + 0x10) = 0xD5;
    c->r[R_ESI] = 0x10;
    c->r[R_EDI] = 0x80;
    int r = run_code(es_movsb, sizeof es_movsb);
    check(r == RUN_DONE && *ram(ES_BASE + 0x80) == 0xE5, "ES: MOVSB takes the source from ES");

    /* FS: REP MOVSB. */
    static const uint8_t fs_rep_movsb[] = { 0x64, 0xF3, 0xA4 };
    regs_reset();
    memcpy(ram(FS_BASE + 0x300), "from-fs!", 8);
    memcpy(ram(DS_BASE + 0x300), "from-ds!", 8);
    c->r[R_ESI] = 0x300;
    c->r[R_EDI] = 0x400;
    c->r[R_ECX] = 8;
    r = run_code(fs_rep_movsb, sizeof fs_rep_movsb);
    check(r == RUN_DONE && memcmp(ram(ES_BASE + 0x400), "from-fs!", 8) == 0,
          "FS: REP MOVSB copies from FS");

    /* The destination of STOS is ES whatever the prefix. */
    static const uint8_t fs_stosb[] = { 0x64, 0xAA };
    regs_reset();
    *ram(FS_BASE + 0x90) = 0;
    *ram(ES_BASE + 0x90) = 0;
    c->r[R_EAX] = 0x3C;
    c->r[R_EDI] = 0x90;
    r = run_code(fs_stosb, sizeof fs_stosb);
    check(r == RUN_DONE && *ram(ES_BASE + 0x90) == 0x3C && *ram(FS_BASE + 0x90) == 0,
          "FS: STOSB still stores to ES:DI");

    /* CS: LODSB and SS: CMPSB. */
    static const uint8_t cs_lodsb[] = { 0x2E, 0xAC };
    regs_reset();
    c->r[R_ESI] = CODE;             /* CS = 0: the LODSB's own prefix byte */
    r = run_code(cs_lodsb, sizeof cs_lodsb);
    check(r == RUN_DONE && (c->r[R_EAX] & 0xFF) == 0x2E && c->r[R_ESI] == CODE + 1,
          "CS: LODSB reads the code segment");
    static const uint8_t ss_cmpsb[] = { 0x36, 0xA6 };
    regs_reset();
    *ram(0x6000) = 5;               /* SS = 0 */
    *ram(ES_BASE + 0x20) = 7;
    c->r[R_ESI] = 0x6000;
    c->r[R_EDI] = 0x20;
    r = run_code(ss_cmpsb, sizeof ss_cmpsb);
    check(r == RUN_DONE && flag_cf(c) && !flag_zf(c) && flag_sf(c),
          "SS: CMPSB compares SS:SI with ES:DI (5 - 7: CF, SF, not ZF)");
}

/* ---- STOS, LODS ---- */

static void test_stos_lods(void)
{
    new_machine(CPU_P6);
    struct cpu *c = &m.cpu;

    /* REP STOSW across a page boundary (ES:0F00 .. ES:2100). */
    static const uint8_t rep_stosw[] = { 0xF3, 0xAB };
    regs_reset();
    memset(ram(ES_BASE), 0, 0x4000);
    c->r[R_EAX] = 0xBEEF;
    c->r[R_EDI] = 0x0F00;
    c->r[R_ECX] = 0x900;
    uint64_t fast0 = c->count.string_fast;
    int r = run_code(rep_stosw, sizeof rep_stosw);
    bool ok = r == RUN_DONE && c->r[R_EDI] == 0x2100 && c->r[R_ECX] == 0;
    for (uint32_t a = 0x0F00; a < 0x2100; a += 2)
        ok = ok && rd16(ES_BASE + a) == 0xBEEF;
    ok = ok && rd16(ES_BASE + 0x0EFE) == 0 && rd16(ES_BASE + 0x2100) == 0;
    check(ok, "REP STOSW fills 0x900 words across pages, nothing outside");
    /* Only the first element on each page (a TLB miss) goes the slow way. */
    check(c->count.string_fast - fast0 >= 0x900 - 3, "REP STOSW went (nearly) all through the fast path");

    /* REP STOSD backwards. */
    static const uint8_t rep_stosd[] = { 0x66, 0xF3, 0xAB };
    regs_reset();
    memset(ram(ES_BASE), 0, 0x100);
    c->r[R_EAX] = 0x01020304;
    c->r[R_EDI] = 0x40;
    c->r[R_ECX] = 4;
    c->eflags |= F_DF;
    r = run_code(rep_stosd, sizeof rep_stosd);
    ok = r == RUN_DONE && c->r[R_EDI] == 0x30 && c->r[R_ECX] == 0;
    for (uint32_t a = 0x34; a <= 0x40; a += 4)
        ok = ok && memcmp(ram(ES_BASE + a), "\x04\x03\x02\x01", 4) == 0;
    ok = ok && *ram(ES_BASE + 0x33) == 0 && *ram(ES_BASE + 0x44) == 0;
    check(ok, "REP STOSD with DF=1 stores at 40, 3C, 38, 34 and leaves DI=30");

    /* REP LODSB: AL holds the last byte. */
    static const uint8_t rep_lodsb[] = { 0xF3, 0xAC };
    regs_reset();
    memcpy(ram(DS_BASE + 0x500), "\x01\x02\x03\x04\x05", 5);
    c->r[R_EAX] = 0xFFFF;
    c->r[R_ESI] = 0x500;
    c->r[R_ECX] = 5;
    r = run_code(rep_lodsb, sizeof rep_lodsb);
    check(r == RUN_DONE && c->r[R_EAX] == 0xFF05 && c->r[R_ESI] == 0x505 && c->r[R_ECX] == 0,
          "REP LODSB leaves the last byte in AL, AH untouched");

    static const uint8_t lodsd[] = { 0x66, 0xAD };
    regs_reset();
    memcpy(ram(DS_BASE + 0x600), "\x78\x56\x34\x12", 4);
    c->r[R_ESI] = 0x600;
    c->eflags |= F_DF;
    r = run_code(lodsd, sizeof lodsd);
    check(r == RUN_DONE && c->r[R_EAX] == 0x12345678 && c->r[R_ESI] == 0x5FC,
          "LODSD with DF=1 loads EAX and steps -4");
}

/* ---- CMPS, SCAS and REPE/REPNE ---- */

static void test_compare(void)
{
    new_machine(CPU_P6);
    struct cpu *c = &m.cpu;
    static const uint8_t repe_cmpsb[] = { 0xF3, 0xA6 };
    static const uint8_t repne_cmpsb[] = { 0xF2, 0xA6 };

    regs_reset();
    memcpy(ram(DS_BASE + 0x100), "abcdXf", 6);
    memcpy(ram(ES_BASE + 0x100), "abcdYf", 6);
    c->r[R_ESI] = 0x100;
    c->r[R_EDI] = 0x100;
    c->r[R_ECX] = 6;
    int r = run_code(repe_cmpsb, sizeof repe_cmpsb);
    check(r == RUN_DONE && c->r[R_ECX] == 1 && c->r[R_ESI] == 0x105 && c->r[R_EDI] == 0x105 &&
          !flag_zf(c) && flag_cf(c), "REPE CMPSB stops after the first mismatch ('X' < 'Y': CF)");

    regs_reset();
    memcpy(ram(ES_BASE + 0x100), "abcdXf", 6);
    c->r[R_ESI] = 0x100;
    c->r[R_EDI] = 0x100;
    c->r[R_ECX] = 6;
    r = run_code(repe_cmpsb, sizeof repe_cmpsb);
    check(r == RUN_DONE && c->r[R_ECX] == 0 && c->r[R_ESI] == 0x106 && flag_zf(c),
          "REPE CMPSB over equal strings runs out the count with ZF=1");

    regs_reset();
    memcpy(ram(DS_BASE + 0x100), "abcd", 4);
    memcpy(ram(ES_BASE + 0x100), "wxcz", 4);
    c->r[R_ESI] = 0x100;
    c->r[R_EDI] = 0x100;
    c->r[R_ECX] = 4;
    r = run_code(repne_cmpsb, sizeof repne_cmpsb);
    check(r == RUN_DONE && c->r[R_ECX] == 1 && c->r[R_ESI] == 0x103 && flag_zf(c),
          "REPNE CMPSB stops after the first match");

    /* Count 0: no comparison, the flags stay as they were. */
    regs_reset();
    flags_set_eager(c, F_CF | F_SF);
    c->r[R_ECX] = 0;
    r = run_code(repe_cmpsb, sizeof repe_cmpsb);
    check(r == RUN_DONE && flag_cf(c) && flag_sf(c) && !flag_zf(c) && c->r[R_ESI] == 0,
          "REPE CMPSB with CX=0 compares nothing, flags unchanged");

    /* REPNE SCASB as strlen. */
    static const uint8_t repne_scasb[] = { 0xF2, 0xAE };
    regs_reset();
    memcpy(ram(ES_BASE + 0x200), "hello\0zz", 8);
    c->r[R_EAX] = 0;
    c->r[R_EDI] = 0x200;
    c->r[R_ECX] = 0xFFFF;
    r = run_code(repne_scasb, sizeof repne_scasb);
    check(r == RUN_DONE && c->r[R_EDI] == 0x206 && c->r[R_ECX] == 0xFFFF - 6 && flag_zf(c),
          "REPNE SCASB finds the terminating zero (strlen)");

    /* REPNE SCASB backwards. */
    regs_reset();
    c->r[R_EAX] = 'h';
    c->r[R_EDI] = 0x204;
    c->r[R_ECX] = 100;
    c->eflags |= F_DF;
    r = run_code(repne_scasb, sizeof repne_scasb);
    check(r == RUN_DONE && c->r[R_EDI] == 0x1FF && c->r[R_ECX] == 95 && flag_zf(c),
          "REPNE SCASB with DF=1 searches downwards");

    /* REPE SCASW. */
    static const uint8_t repe_scasw[] = { 0xF3, 0xAF };
    regs_reset();
    memcpy(ram(ES_BASE + 0x300), "\x11\x11\x11\x11\x22\x22\x11\x11", 8);
    c->r[R_EAX] = 0x1111;
    c->r[R_EDI] = 0x300;
    c->r[R_ECX] = 10;
    r = run_code(repe_scasw, sizeof repe_scasw);
    check(r == RUN_DONE && c->r[R_EDI] == 0x306 && c->r[R_ECX] == 7 && !flag_zf(c) && flag_cf(c),
          "REPE SCASW stops after the first different word (0x1111 - 0x2222: CF)");

    /* REPNE SCASD with a32. */
    static const uint8_t a32_repne_scasd[] = { 0x67, 0x66, 0xF2, 0xAF };
    regs_reset();
    memcpy(ram(ES_BASE + 0x400), "\x01\0\0\0\x02\0\0\0\x03\0\0\0", 12);
    c->r[R_EAX] = 3;
    c->r[R_EDI] = 0x400;
    c->r[R_ECX] = 0x10000;          /* counts beyond 16 bits */
    r = run_code(a32_repne_scasd, sizeof a32_repne_scasd);
    check(r == RUN_DONE && c->r[R_EDI] == 0x40C && c->r[R_ECX] == 0x10000 - 3 && flag_zf(c),
          "a32 REPNE SCASD uses ECX and EDI");
}

/* ---- precise faults in the middle of a REP ---- */

static void test_faults(void)
{
    new_machine(CPU_P6);
    struct cpu *c = &m.cpu;

    /* REP MOVSW with DI odd: the 8th word would sit at ES:FFFF. */
    static const uint8_t rep_movsw[] = { 0xF3, 0xA5 };
    regs_reset();
    fill_random(DS_BASE, 0x100, 3);
    memset(ram(ES_BASE + 0xFF00), 0, 0x100);
    *ram(ES_BASE) = 0x99;
    c->r[R_ESI] = 0;
    c->r[R_EDI] = 0xFFF1;
    c->r[R_ECX] = 100;
    int r = run_code(rep_movsw, sizeof rep_movsw);
    check(r == EXC_GP, "REP MOVSW into the segment end raises #GP (got %d)", r);
    check(c->r[R_ECX] == 93 && c->r[R_ESI] == 14 && c->r[R_EDI] == 0xFFFF,
          "registers after 7 completed iterations: CX=93 SI=14 DI=FFFF (got %x %x %x)",
          c->r[R_ECX], c->r[R_ESI], c->r[R_EDI]);
    check(pushed_ip() == CODE, "the pushed IP is the REP instruction itself (restart)");
    check(memcmp(ram(ES_BASE + 0xFFF1), ram(DS_BASE), 14) == 0 &&
          *ram(ES_BASE + 0xFFFF) == 0 && *ram(ES_BASE) == 0x99,
          "the 7 words are stored, nothing of the faulting one");

    /* Resume: with the limit out of the way the instruction finishes. */
    regs_reset();
    c->r[R_ESI] = 0;
    c->r[R_EDI] = 0xFFF1;
    c->r[R_ECX] = 100;
    run_code(rep_movsw, sizeof rep_movsw);
    c->seg[S_ES].hi = c->seg[S_ES].limit = 0xFFFFF;     /* "unreal" ES */
    c->r[R_ESP] = STACK;
    r = run_loaded(sizeof rep_movsw);
    check(r == RUN_DONE && c->r[R_ECX] == 0 && c->r[R_EDI] == 0x00B9 && c->r[R_ESI] == 200,
          "restarted after the fault, it completes where it stopped (DI wraps at 16 bits)");
    c->seg[S_ES].hi = c->seg[S_ES].limit = 0xFFFF;

    /* The source overruns at once: nothing changes. */
    regs_reset();
    c->r[R_ESI] = 0xFFFF;
    c->r[R_EDI] = 0x10;
    c->r[R_ECX] = 5;
    r = run_code(rep_movsw, sizeof rep_movsw);
    check(r == EXC_GP && c->r[R_ESI] == 0xFFFF && c->r[R_EDI] == 0x10 && c->r[R_ECX] == 5,
          "a fault in the first iteration leaves SI, DI, CX untouched");

    /* SS: source: the stack segment raises #SS on a 386 and later. */
    static const uint8_t ss_movsw[] = { 0x36, 0xA5 };
    regs_reset();
    c->r[R_ESI] = 0xFFFF;
    r = run_code(ss_movsw, sizeof ss_movsw);
    check(r == EXC_SS, "an SS: overrun raises #SS (vector 12) on the P6 model (got %d)", r);

    /* REPE CMPSW: the flags of the last completed compare survive. */
    static const uint8_t repe_cmpsw[] = { 0xF3, 0xA7 };
    regs_reset();
    memset(ram(DS_BASE + 0xFFF0), 0x42, 0x10);
    memset(ram(ES_BASE + 0x100), 0x42, 0x10);
    c->r[R_ESI] = 0xFFF9;
    c->r[R_EDI] = 0x100;
    c->r[R_ECX] = 8;
    r = run_code(repe_cmpsw, sizeof repe_cmpsw);
    check(r == EXC_GP && c->r[R_ECX] == 5 && c->r[R_ESI] == 0xFFFF && c->r[R_EDI] == 0x106 &&
          flag_zf(c), "REPE CMPSW faulting in its 4th iteration: CX=5, ZF of the 3rd");

    /* a32 REP STOSD through the fast path into the limit. */
    static const uint8_t a32_rep_stosd[] = { 0x66, 0x67, 0xF3, 0xAB };
    regs_reset();
    memset(ram(ES_BASE + 0xE000), 0, 0x2000);
    c->r[R_EAX] = 0xCAFEF00D;
    c->r[R_EDI] = 0xF000;
    c->r[R_ECX] = 0x2000;
    uint64_t fast0 = c->count.string_fast;
    r = run_code(a32_rep_stosd, sizeof a32_rep_stosd);
    bool ok = r == EXC_GP && c->r[R_EDI] == 0x10000 && c->r[R_ECX] == 0x1C00;
    for (uint32_t a = 0xF000; a < 0x10000; a += 4)
        ok = ok && memcmp(ram(ES_BASE + a), "\x0D\xF0\xFE\xCA", 4) == 0;
    check(ok, "a32 REP STOSD stops at the limit: EDI=10000 ECX=1C00, 4 KiB stored");
    check(c->count.string_fast - fast0 >= 0x400 - 1, "... those stores took the fast path");

    /* The 80286's overrun quirk (hardware capture A5 #280): SI/DI move
     * past the overrunning word and CX drops by two. */
    new_machine(CPU_286);
    regs_reset();
    c->r[R_ECX] = 0x16;
    c->r[R_ESI] = 0x8F67;
    c->r[R_EDI] = 0xFFFF;
    c->eflags |= F_DF;
    r = run_code(rep_movsw, sizeof rep_movsw);
    check(r == EXC_GP && c->r[R_ECX] == 0x14 && c->r[R_ESI] == 0x8F65 && c->r[R_EDI] == 0xFFFD,
          "286 model: REP MOVSW overrun at DI leaves CX-2, SI and DI stepped (as captured)");
    regs_reset();
    c->r[R_ESI] = 0xFFFF;
    r = run_code(ss_movsw, sizeof ss_movsw);
    check(r == EXC_GP, "286 model: an SS: overrun in real mode is interrupt 13 (got %d)", r);
}

/* ---- interruptible REP runs and single-stepping ---- */

static void test_interruptible(void)
{
    new_machine(CPU_P6);
    struct cpu *c = &m.cpu;
    static const uint8_t rep_stosb[] = { 0xF3, 0xAA };
    regs_reset();
    memset(ram(ES_BASE), 0, 0x10000);
    c->r[R_EAX] = 0xA5;
    c->r[R_ECX] = 30000;
    c->eflags |= F_IF;
    load_code(rep_stosb, sizeof rep_stosb);
    machine_entry_real(&m, 0, CODE);
    cpu_run(c, 1);
    check(c->eip == CODE && c->r[R_ECX] == 30000 - 4096 && c->r[R_EDI] == 4096,
          "a long REP STOSB yields after a 4096-element chunk, EIP back on it");
    c->intr_line = true;
    c->halted = false;
    cpu_run(c, 1000);
    bool all = true;
    for (uint32_t a = 0; a < 30000; a++)
        all = all && *ram(ES_BASE + a) == 0xA5;
    check(pic.acks == 1 && *ram(0x700) == 1 && rd16(0x702) == 30000 - 4096,
          "the pending interrupt is taken between chunks (handler saw CX=%u)", rd16(0x702));
    check(c->halted && c->eip == CODE + 3 && c->r[R_ECX] == 0 && all && *ram(ES_BASE + 30000) == 0,
          "after IRET the REP resumes and completes");

    /* TF: one iteration per step, the trap returns to the instruction. */
    static const uint8_t rep_movsb[] = { 0xF3, 0xA4 };
    regs_reset();
    c->r[R_ECX] = 3;
    c->eflags |= F_TF;
    int r = run_code(rep_movsb, sizeof rep_movsb);
    check(r == EXC_DB && c->r[R_ECX] == 2 && c->r[R_ESI] == 1 && pushed_ip() == CODE,
          "with TF each iteration is a step: #DB after one, IP at the REP");
}

/* ---- the fast path against the per-element path ---- */

/* The same copy as REP MOVS, and as a LOOP of single MOVS (which never
 * takes the fast path).  n is 1, 2 or 4; dst = src + dist in one
 * segment (DS = ES), so the runs may overlap either way. */
static void compare_movs(unsigned n, int dist, uint32_t count)
{
    struct cpu *c = &m.cpu;
    static uint8_t after_rep[0x10000], want[0x10000];
    uint8_t rep[3], loop[4];
    size_t rep_len, loop_len;
    if (n == 4) {
        memcpy(rep, "\x66\xF3\xA5", 3), rep_len = 3;
        memcpy(loop, "\x66\xA5\xE2\xFC", 4), loop_len = 4;
    } else {
        rep[0] = 0xF3, rep[1] = n == 1 ? 0xA4 : 0xA5, rep_len = 2;
        loop[0] = rep[1], loop[1] = 0xE2, loop[2] = 0xFD, loop_len = 3;
    }
    uint16_t si = 0x2000, di = (uint16_t)(0x2000 + dist);

    fill_random(DS_BASE, 0x10000, (unsigned)(n * 1000 + (unsigned)dist + 7));
    memcpy(want, ram(DS_BASE), 0x10000);
    ref_movs(want, 0, 0, si, di, count, n, false);

    regs_reset();
    seg_set_real(c, S_ES, DS_BASE >> 4);
    c->r[R_ESI] = si, c->r[R_EDI] = di, c->r[R_ECX] = count;
    uint64_t fast0 = c->count.string_fast;
    int r1 = run_code(rep, rep_len);
    uint32_t rep_regs[3] = { c->r[R_ESI], c->r[R_EDI], c->r[R_ECX] };
    bool used_fast = c->count.string_fast > fast0;
    memcpy(after_rep, ram(DS_BASE), 0x10000);

    fill_random(DS_BASE, 0x10000, (unsigned)(n * 1000 + (unsigned)dist + 7));
    regs_reset();
    seg_set_real(c, S_ES, DS_BASE >> 4);
    c->r[R_ESI] = si, c->r[R_EDI] = di, c->r[R_ECX] = count;
    fast0 = c->count.string_fast;
    int r2 = run_code(loop, loop_len);
    bool loop_fast = c->count.string_fast > fast0;

    check(r1 == RUN_DONE && r2 == RUN_DONE && used_fast && !loop_fast,
          "MOVS n=%u dist=%d count=%u: REP took the fast path, the loop did not", n, dist, count);
    check(memcmp(after_rep, ram(DS_BASE), 0x10000) == 0 &&
          rep_regs[0] == c->r[R_ESI] && rep_regs[1] == c->r[R_EDI] && rep_regs[2] == 0,
          "MOVS n=%u dist=%d: fast and per-element paths agree (memory, SI, DI)", n, dist);
    check(memcmp(after_rep, want, 0x10000) == 0,
          "MOVS n=%u dist=%d: both match the element-by-element model", n, dist);
}

static void test_fast_vs_slow(void)
{
    new_machine(CPU_P6);
    compare_movs(1, 0x3000, 0x1800);    /* disjoint, crosses pages */
    compare_movs(1, 1, 300);            /* dst = src + 1: pattern fill */
    compare_movs(1, 7, 1000);
    compare_movs(1, -5, 1000);          /* dst below src */
    compare_movs(1, 0, 100);            /* onto itself */
    compare_movs(2, 1, 500);            /* overlap smaller than an element */
    compare_movs(2, 0x1001, 0x900);
    compare_movs(4, 2, 400);
    compare_movs(4, 3, 400);
    compare_movs(4, -3, 400);
    compare_movs(4, 4, 400);

    /* STOSW: REP against a loop. */
    struct cpu *c = &m.cpu;
    static uint8_t after_rep[0x4000];
    regs_reset();
    memset(ram(ES_BASE), 0x11, 0x4000);
    c->r[R_EAX] = 0x1234, c->r[R_EDI] = 0x0FFF, c->r[R_ECX] = 0x900;
    run_code((const uint8_t *)"\xF3\xAB", 2);
    memcpy(after_rep, ram(ES_BASE), 0x4000);
    uint32_t rep_di = c->r[R_EDI];
    regs_reset();
    memset(ram(ES_BASE), 0x11, 0x4000);
    c->r[R_EAX] = 0x1234, c->r[R_EDI] = 0x0FFF, c->r[R_ECX] = 0x900;
    run_code((const uint8_t *)"\xAB\xE2\xFD", 3);
    check(memcmp(after_rep, ram(ES_BASE), 0x4000) == 0 && rep_di == c->r[R_EDI],
          "REP STOSW (odd start, crossing pages) agrees with a STOSW loop");
}

/* A REP STOS onto the page of the code that runs: the fast path must not
 * write behind the decoded-block cache. */
static void test_self_modifying(void)
{
    new_machine(CPU_P6);
    struct cpu *c = &m.cpu;
    /* rep stosb; mov al, 1; (hlt) */
    static const uint8_t code[] = { 0xF3, 0xAA, 0xB0, 0x01 };
    regs_reset();
    load_code(code, sizeof code);
    run_loaded(sizeof code);                    /* caches the block */
    regs_reset();
    seg_set_real(c, S_ES, 0);
    c->r[R_EAX] = 0x90;
    c->r[R_EDI] = CODE + 2;
    c->r[R_ECX] = 2;
    uint64_t fast0 = c->count.string_fast;
    int r = run_loaded(sizeof code);
    check(r == RUN_DONE && (c->r[R_EAX] & 0xFF) == 0x90 && c->count.string_fast == fast0,
          "REP STOSB over the next instruction: the NOPs run, not the stale MOV");
}

/* ---- INS and OUTS ---- */

struct port_dev {
    int reads, writes;
    uint8_t next;
    uint32_t log[16];
    int log_sizes[16];
};

static uint32_t dev_read(void *opaque, uint32_t port, int size)
{
    struct port_dev *d = opaque;
    (void)port;
    d->reads++;
    uint32_t v = 0;
    for (int k = 0; k < size; k++)
        v |= (uint32_t)d->next++ << (8 * k);
    return v;
}

static void dev_write(void *opaque, uint32_t port, int size, uint32_t value)
{
    struct port_dev *d = opaque;
    (void)port;
    if (d->writes < 16) {
        d->log[d->writes] = value;
        d->log_sizes[d->writes] = size;
    }
    d->writes++;
}

static void test_ins_outs(void)
{
    static struct port_dev dev;
    new_machine(CPU_P6);
    struct cpu *c = &m.cpu;
    memset(&dev, 0, sizeof dev);
    dev.next = 0x40;
    bus_add_ports(&m.bus, 0x300, 4, dev_read, dev_write, &dev);

    regs_reset();
    c->r[R_EDX] = 0x300;
    c->r[R_EDI] = 0x10;
    c->r[R_ECX] = 4;
    int r = run_code((const uint8_t *)"\xF3\x6C", 2);
    check(r == RUN_DONE && dev.reads == 4 && memcmp(ram(ES_BASE + 0x10), "\x40\x41\x42\x43", 4) == 0 &&
          c->r[R_EDI] == 0x14 && c->r[R_ECX] == 0, "REP INSB reads the port 4 times into ES:DI");

    regs_reset();
    c->r[R_EDX] = 0x300;
    c->r[R_EDI] = 0x30;
    c->eflags |= F_DF;
    r = run_code((const uint8_t *)"\x6D", 1);
    check(r == RUN_DONE && rd16(ES_BASE + 0x30) == 0x4544 && c->r[R_EDI] == 0x2E,
          "INSW with DF=1 stores a word and steps -2");

    regs_reset();
    c->r[R_EDX] = 0x300;
    c->r[R_ECX] = 0;
    int reads0 = dev.reads;
    r = run_code((const uint8_t *)"\xF3\x6C", 2);
    check(r == RUN_DONE && dev.reads == reads0, "REP INSB with CX=0 does not touch the port");

    regs_reset();
    memcpy(ram(DS_BASE + 0x50), "\x01\x02\x03\x04\x05\x06", 6);
    c->r[R_EDX] = 0x302;
    c->r[R_ESI] = 0x50;
    c->r[R_ECX] = 3;
    r = run_code((const uint8_t *)"\xF3\x6F", 2);
    check(r == RUN_DONE && dev.writes == 3 && dev.log[0] == 0x0201 && dev.log[2] == 0x0605 &&
          dev.log_sizes[1] == 2 && c->r[R_ESI] == 0x56, "REP OUTSW writes 3 words from DS:SI");

    /* INS into the segment end: the port is not read for the faulting
     * element. */
    regs_reset();
    c->r[R_EDX] = 0x300;
    c->r[R_EDI] = 0xFFFD;
    c->r[R_ECX] = 5;
    reads0 = dev.reads;
    r = run_code((const uint8_t *)"\xF3\x6D", 2);
    check(r == EXC_GP && dev.reads == reads0 + 1 && c->r[R_EDI] == 0xFFFF && c->r[R_ECX] == 4,
          "REP INSW faulting on its 2nd store read the port once, not twice");
}

/* ---- the I/O permission bitmap (protected mode) ---- */

/* Decodes and executes one instruction at the current CS:EIP without the
 * run loop's exception delivery (protected-mode gates are not needed to
 * see the fault).  Returns the fault vector, or -1; a fault rolls EIP and
 * ESP back as the run loop does. */
static int exec_one(const uint8_t *code, int len, uint32_t *error)
{
    struct cpu *c = &m.cpu;
    struct insn i;
    int code32 = (c->seg[S_CS].ar & AR_DB) != 0;
    if (decode(&i, code, len, code32, c->model) <= 0)
        return -2;
    jmp_buf jb;
    jmp_buf *outer = c->fault_jmp;
    volatile int vector = -1;
    c->fault_jmp = &jb;
    c->insn_eip = c->eip;
    c->insn_esp = c->r[R_ESP];
    if (setjmp(jb) == 0) {
        c->eip += i.len;
        i.fn(c, &i);
    } else {
        vector = c->pending_vector;
        *error = (uint32_t)c->pending_error;
        c->eip = c->insn_eip;
        c->r[R_ESP] = c->insn_esp;
    }
    c->fault_jmp = outer;
    return vector;
}

enum { TSS = 0x9000, BITMAP = 0x68, TSS_LIMIT = BITMAP + 0x80 };

/* A 32-bit TSS whose bitmap covers ports 0-3FF (then the all-ones byte):
 * port 81h and 88h are denied, the rest of 80h-8Fh allowed. */
static void setup_tss(uint16_t ar)
{
    struct cpu *c = &m.cpu;
    memset(ram(TSS), 0, 0x200);
    ram(TSS)[0x66] = BITMAP;
    memset(ram(TSS + BITMAP), 0, 0x80);
    ram(TSS + BITMAP)[0x10] = 0x02;             /* ports 80-87: 81 denied */
    ram(TSS + BITMAP)[0x11] = 0x01;             /* ports 88-8F: 88 denied */
    ram(TSS + BITMAP)[0x80] = 0xFF;
    seg_set_cache(&c->tr, 0x28, TSS, TSS_LIMIT, ar);
}

/* Runs one instruction; a #GP with a non-zero error code counts as a
 * different outcome (100), since every I/O denial is #GP(0). */
static int io_try(const char *code, int len)
{
    uint32_t err = 0;
    int v = exec_one((const uint8_t *)code, len, &err);
    return v == EXC_GP && err != 0 ? 100 : v;
}

static void test_io_bitmap(void)
{
    static struct port_dev dev;
    new_machine(CPU_P6);
    struct cpu *c = &m.cpu;
    memset(&dev, 0, sizeof dev);
    bus_add_ports(&m.bus, 0x80, 0x10, dev_read, dev_write, &dev);
    machine_entry_flat32(&m, CODE);
    c->r[R_ESP] = STACK;
    setup_tss(0x8B);
    cpu_set_cpl(c, 3);
    cpu_set_eflags(c, 0x2);                     /* IOPL 0 < CPL 3 */

    int r = io_try("\xE4\x80", 2);
    check(r == -1 && dev.reads == 1, "CPL3 > IOPL: IN AL,80h allowed by the bitmap");
    r = io_try("\xE4\x81", 2);
    check(r == EXC_GP && dev.reads == 1, "IN AL,81h denied: #GP(0), the port is not read");
    r = io_try("\xE6\x88", 2);
    check(r == EXC_GP && dev.writes == 0, "OUT 88h,AL denied: #GP(0), nothing written");
    r = io_try("\x66\xE5\x86", 3);
    check(r == -1 && dev.reads == 2, "IN AX,86h (86h-87h both allowed)");
    r = io_try("\x66\xE5\x87", 3);
    check(r == EXC_GP && dev.reads == 2, "IN AX,87h straddles into denied 88h: #GP(0)");
    r = io_try("\xE5\x84", 2);
    check(r == -1 && dev.reads == 3, "IN EAX,84h (84h-87h allowed)");
    r = io_try("\xE5\x85", 2);
    check(r == EXC_GP, "IN EAX,85h reaches 88h: #GP(0)");
    c->r[R_EDX] = 0x3FF;
    r = io_try("\xEC", 1);
    check(r == -1, "IN AL,DX at 3FFh: its bit is the last of the bitmap");
    c->r[R_EDX] = 0x400;
    r = io_try("\xEC", 1);
    check(r == EXC_GP, "IN AL,DX at 400h: past the TSS limit, #GP(0)");

    /* INS/OUTS use the same check, before any element. */
    c->r[R_EDX] = 0x81;
    c->r[R_EDI] = 0x5000;
    c->r[R_ECX] = 3;
    r = io_try("\xF3\x6C", 2);
    check(r == EXC_GP && c->r[R_EDI] == 0x5000 && c->r[R_ECX] == 3 && dev.reads == 3,
          "REP INSB from a denied port: #GP(0) before any element");
    c->r[R_ECX] = 0;
    r = io_try("\xF3\x6C", 2);
    check(r == -1, "REP INSB with ECX=0 moves nothing and checks nothing");
    c->r[R_EDX] = 0x80;
    c->r[R_ECX] = 3;
    r = io_try("\xF3\x6C", 2);
    check(r == -1 && c->r[R_EDI] == 0x5003 && dev.reads == 6, "REP INSB from an allowed port");
    c->r[R_EDX] = 0x88;
    c->r[R_ESI] = 0x5000;
    r = io_try("\x6E", 1);
    check(r == EXC_GP && c->r[R_ESI] == 0x5000 && dev.writes == 0, "OUTSB to a denied port: #GP(0)");

    /* CPL <= IOPL: no bitmap. */
    cpu_set_cpl(c, 0);
    r = io_try("\xE4\x81", 2);
    check(r == -1, "CPL 0 (<= IOPL 0): the bitmap is not consulted");
    cpu_set_cpl(c, 3);
    c->eflags |= F_IOPL;
    r = io_try("\xE4\x81", 2);
    check(r == -1, "CPL 3 with IOPL 3: allowed");

    /* Virtual-8086 mode always consults the bitmap. */
    c->eflags |= F_VM;
    seg_set_real(c, S_CS, 0);
    c->eip = CODE;
    r = io_try("\xE4\x81", 2);
    check(r == EXC_GP, "virtual-8086 mode, IOPL 3: the bitmap still denies 81h");
    r = io_try("\xE4\x80", 2);
    check(r == -1, "virtual-8086 mode: 80h allowed");
    c->eflags &= ~(F_VM | F_IOPL);
    machine_entry_flat32(&m, CODE);
    cpu_set_cpl(c, 3);

    /* A 16-bit TSS has no bitmap. */
    setup_tss(0x83);
    r = io_try("\xE4\x80", 2);
    check(r == EXC_GP, "16-bit TSS: no bitmap, #GP(0)");
}

int main(void)
{
    test_single_moves();
    test_rep_counts();
    test_rep_movs_reference();
    test_overrides();
    test_stos_lods();
    test_compare();
    test_faults();
    test_interruptible();
    test_fast_vs_slow();
    test_self_modifying();
    test_ins_outs();
    test_io_bitmap();
    machine_free(&m);
    printf("%d passed, %d failed\n", passed, failed);
    return failed != 0;
}
