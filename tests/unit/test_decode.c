/* test_decode.c -- unit tests of the decoder (cpu/decode.c): prefixes,
 * 16- and 32-bit ModR/M and SIB forms, displacements, every immediate kind
 * of the D_* columns, groups, the #UD cases, the length limits (15 bytes,
 * 10 on the 80286) and DEC_MORE on every truncation of an instruction. */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "cpu/cpu.h"
#include "cpu/insn.h"

struct tally {
    int passed, failed;
};

static void check(struct tally *t, bool ok, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    printf("%s ", ok ? "ok  " : "FAIL");
    vprintf(fmt, ap);
    printf("\n");
    va_end(ap);
    if (ok)
        t->passed++;
    else
        t->failed++;
}

/* A decoding: bytes, mode, model; the test then looks at the fields. */
struct dec {
    struct insn i;
    int ret;
};

static struct dec dec(const char *hex, int code32, int model)
{
    uint8_t buf[32];
    int n = 0;
    unsigned v;
    int used;
    while (n < 32 && sscanf(hex, " %2x%n", &v, &used) == 1) {
        buf[n++] = (uint8_t)v;
        hex += used;
    }
    struct dec d;
    memset(&d, 0xAA, sizeof d);     /* stale fields must be overwritten */
    d.ret = decode(&d.i, buf, n, code32, model);
    return d;
}

/* The length (or DEC_*) of hex in the given mode on a P6. */
static void len_is(struct tally *t, const char *hex, int code32, int want)
{
    struct dec d = dec(hex, code32, CPU_P6);
    check(t, d.ret == want, "%s-bit  %-32s -> %d (want %d)",
          code32 ? "32" : "16", hex, d.ret, want);
}

/* ---- prefixes ---- */

static void test_prefixes(struct tally *t)
{
    struct dec d = dec("66 b8 78 56 34 12", 0, CPU_P6);
    check(t, d.ret == 6 && d.i.o32 && !d.i.a32 && d.i.imm == 0x12345678,
          "66 in 16-bit code: 32-bit operand, imm %08x", d.i.imm);
    d = dec("66 b8 34 12", 1, CPU_P6);
    check(t, d.ret == 4 && !d.i.o32 && d.i.a32 && d.i.imm == 0x1234,
          "66 in 32-bit code: 16-bit operand, imm %x", d.i.imm);
    d = dec("66 66 b8 78 56 34 12", 0, CPU_P6);
    check(t, d.ret == 7 && d.i.o32, "66 66 does not toggle back");
    d = dec("67 8b 00", 0, CPU_P6);
    check(t, d.ret == 3 && d.i.a32 && d.i.base == R_EAX, "67 in 16-bit code: [eax]");
    d = dec("67 8b 07", 1, CPU_P6);
    check(t, d.ret == 3 && !d.i.a32 && d.i.base == R_EBX && d.i.index == R_NONE,
          "67 in 32-bit code: [bx]");
    d = dec("2e 3e 26 8b 07", 1, CPU_P6);
    check(t, d.ret == 5 && d.i.seg == S_ES && d.i.seg_override, "last segment prefix wins (ES)");
    d = dec("8b 45 00", 1, CPU_P6);
    check(t, d.i.seg == S_SS && !d.i.seg_override, "[ebp+0] defaults to SS");
    d = dec("3e 8b 45 00", 1, CPU_P6);
    check(t, d.i.seg == S_DS && d.i.seg_override, "DS override on [ebp+0]");
    d = dec("64 a1 00 00 00 00", 1, CPU_P6);
    check(t, d.i.seg == S_FS && d.ret == 6, "FS override on a moffs");
    d = dec("65 8b 04 24", 1, CPU_P6);
    check(t, d.i.seg == S_GS, "GS override on [esp]");
    d = dec("f3 f2 a6", 1, CPU_P6);
    check(t, d.ret == 3 && d.i.prefixes == PFX_REPNE, "F3 F2: REPNE wins");
    d = dec("f2 f3 a6", 1, CPU_P6);
    check(t, d.ret == 3 && d.i.prefixes == PFX_REP, "F2 F3: REP wins");
    d = dec("f0 f3 01 00", 1, CPU_P6);
    check(t, d.ret == 4 && d.i.prefixes == (PFX_LOCK | PFX_REP), "LOCK and REP together");
    d = dec("64 90", 0, CPU_286);
    check(t, d.ret == DEC_UD && d.i.len == 1, "64 on the 286 is an invalid opcode, not a prefix");
    d = dec("66 90", 0, CPU_286);
    check(t, d.ret == DEC_UD, "66 on the 286 is an invalid opcode");
    d = dec("26 90", 0, CPU_286);
    check(t, d.ret == 2 && d.i.seg == S_ES, "26 is a prefix on the 286");
}

/* ---- ModR/M and SIB ---- */

static void test_modrm16(struct tally *t)
{
    static const struct { const char *hex; int len, base, index; uint32_t disp; int seg; } c[] = {
        { "8b 00", 2, R_EBX, R_ESI, 0, S_DS },             /* [bx+si] */
        { "8b 01", 2, R_EBX, R_EDI, 0, S_DS },             /* [bx+di] */
        { "8b 02", 2, R_EBP, R_ESI, 0, S_SS },             /* [bp+si] */
        { "8b 03", 2, R_EBP, R_EDI, 0, S_SS },             /* [bp+di] */
        { "8b 04", 2, R_NONE, R_ESI, 0, S_DS },            /* [si] */
        { "8b 05", 2, R_NONE, R_EDI, 0, S_DS },            /* [di] */
        { "8b 06 34 12", 4, R_NONE, R_NONE, 0x1234, S_DS },/* [disp16] */
        { "8b 07", 2, R_EBX, R_NONE, 0, S_DS },            /* [bx] */
        { "8b 46 fe", 3, R_EBP, R_NONE, 0xFFFFFFFEu, S_SS },/* [bp-2] */
        { "8b 47 7f", 3, R_EBX, R_NONE, 0x7F, S_DS },      /* [bx+7f] */
        { "8b 86 34 12", 4, R_EBP, R_NONE, 0x1234, S_SS }, /* [bp+1234] */
        { "8b 80 00 80", 4, R_EBX, R_ESI, 0x8000, S_DS },  /* [bx+si+8000] */
        { "8b c3", 2, R_NONE, R_NONE, 0, S_DS },           /* register */
    };
    for (unsigned k = 0; k < sizeof c / sizeof c[0]; k++) {
        struct dec d = dec(c[k].hex, 0, CPU_P6);
        bool ok = d.ret == c[k].len && d.i.base == c[k].base && d.i.index == c[k].index &&
                  d.i.disp == c[k].disp && d.i.seg == c[k].seg && d.i.opcode == 0x8B;
        check(t, ok, "16-bit modrm %-14s len %d base %d index %d disp %x seg %d",
              c[k].hex, d.ret, d.i.base, d.i.index, d.i.disp, d.i.seg);
    }
    struct dec d = dec("8b d9", 0, CPU_P6);
    check(t, d.i.mod == 3 && d.i.reg == 3 && d.i.rm == 1 && d.i.modrm == 0xD9,
          "modrm fields mod %d reg %d rm %d", d.i.mod, d.i.reg, d.i.rm);
}

static void test_modrm32(struct tally *t)
{
    static const struct {
        const char *hex; int len, base, index, scale; uint32_t disp; int seg;
    } c[] = {
        { "8b 00", 2, R_EAX, R_NONE, 0, 0, S_DS },                   /* [eax] */
        { "8b 05 78 56 34 12", 6, R_NONE, R_NONE, 0, 0x12345678, S_DS }, /* [disp32] */
        { "8b 45 fc", 3, R_EBP, R_NONE, 0, 0xFFFFFFFCu, S_SS },      /* [ebp-4] */
        { "8b 04 24", 3, R_ESP, R_NONE, 0, 0, S_SS },                /* [esp] */
        { "8b 04 98", 3, R_EAX, R_EBX, 2, 0, S_DS },                 /* [eax+ebx*4] */
        { "8b 04 cd 00 10 00 00", 7, R_NONE, R_ECX, 3, 0x1000, S_DS }, /* [ecx*8+1000] */
        { "8b 44 24 08", 4, R_ESP, R_NONE, 0, 8, S_SS },             /* [esp+8] */
        { "8b 44 2d 80", 4, R_EBP, R_EBP, 0, 0xFFFFFF80u, S_SS },    /* [ebp+ebp-80] */
        { "8b 84 26 00 00 01 00", 7, R_ESI, R_NONE, 0, 0x10000, S_DS }, /* index 100: none */
        { "8b 84 5e 10 00 00 00", 7, R_ESI, R_EBX, 1, 0x10, S_DS },  /* [esi+ebx*2+10] */
        { "8b 80 ff ff ff ff", 6, R_EAX, R_NONE, 0, 0xFFFFFFFFu, S_DS },
    };
    for (unsigned k = 0; k < sizeof c / sizeof c[0]; k++) {
        struct dec d = dec(c[k].hex, 1, CPU_P6);
        bool ok = d.ret == c[k].len && d.i.base == c[k].base && d.i.index == c[k].index &&
                  d.i.scale == c[k].scale && d.i.disp == c[k].disp && d.i.seg == c[k].seg;
        check(t, ok, "32-bit modrm %-22s len %d base %d index %d*%d disp %x seg %d",
              c[k].hex, d.ret, d.i.base, d.i.index, 1 << d.i.scale, d.i.disp, d.i.seg);
    }
}

/* ---- immediates of every D_* kind ---- */

static void test_immediates(struct tally *t)
{
    struct dec d = dec("04 ff", 1, CPU_P6);
    check(t, d.ret == 2 && d.i.imm == 0xFF, "D_IB: add al,ff -> imm %x (not sign-extended)", d.i.imm);
    d = dec("83 c0 ff", 1, CPU_P6);
    check(t, d.ret == 3 && d.i.imm == 0xFFFFFFFFu, "D_IBS (group): add eax,-1 -> imm %x", d.i.imm);
    d = dec("6a 80", 0, CPU_P6);
    check(t, d.ret == 2 && d.i.imm == 0xFFFFFF80u, "D_IBS: push -80h -> imm %x", d.i.imm);
    d = dec("6b c0 fe", 1, CPU_P6);
    check(t, d.ret == 3 && d.i.imm == 0xFFFFFFFEu, "imul Gv,Ev,Ibs -> imm %x", d.i.imm);
    d = dec("c2 08 00", 1, CPU_P6);
    check(t, d.ret == 3 && d.i.imm == 8, "D_IW: ret 8");
    d = dec("66 ca 34 12", 1, CPU_P6);
    check(t, d.ret == 4 && d.i.imm == 0x1234, "D_IW is 16 bits whatever the operand size");
    d = dec("05 34 12", 0, CPU_P6);
    check(t, d.ret == 3 && d.i.imm == 0x1234, "D_IZ 16-bit");
    d = dec("05 78 56 34 12", 1, CPU_P6);
    check(t, d.ret == 5 && d.i.imm == 0x12345678, "D_IZ 32-bit");
    d = dec("66 05 34 12", 1, CPU_P6);
    check(t, d.ret == 4 && d.i.imm == 0x1234, "D_IZ with 66 in 32-bit code");
    d = dec("69 c0 78 56 34 12", 1, CPU_P6);
    check(t, d.ret == 6 && d.i.imm == 0x12345678, "imul Gv,Ev,Iz");
    d = dec("ea 78 56 34 12 08 00", 1, CPU_P6);
    check(t, d.ret == 7 && d.i.imm == 0x12345678 && d.i.imm2 == 8, "D_AP 32-bit: jmp 8:12345678");
    d = dec("9a 34 12 00 f0", 0, CPU_P6);
    check(t, d.ret == 5 && d.i.imm == 0x1234 && d.i.imm2 == 0xF000, "D_AP 16-bit: call f000:1234");
    d = dec("66 ea 78 56 34 12 08 00", 0, CPU_P6);
    check(t, d.ret == 8 && d.i.imm == 0x12345678, "D_AP with 66 in 16-bit code");
    d = dec("a1 34 12", 0, CPU_P6);
    check(t, d.ret == 3 && d.i.disp == 0x1234, "D_MOFFS 16-bit address");
    d = dec("a1 78 56 34 12", 1, CPU_P6);
    check(t, d.ret == 5 && d.i.disp == 0x12345678, "D_MOFFS 32-bit address");
    d = dec("67 a1 34 12", 1, CPU_P6);
    check(t, d.ret == 4 && d.i.disp == 0x1234, "D_MOFFS follows the address size (67)");
    d = dec("66 a1 78 56 34 12", 1, CPU_P6);
    check(t, d.ret == 6, "D_MOFFS ignores the operand size");
    d = dec("c8 10 00 02", 1, CPU_P6);
    check(t, d.ret == 4 && d.i.imm == 0x10 && d.i.imm2 == 2, "D_IW_IB: enter 10h,2");
    d = dec("eb fe", 1, CPU_P6);
    check(t, d.ret == 2 && d.i.imm == 0xFFFFFFFEu, "D_JB: jmp $ -> rel %x", d.i.imm);
    d = dec("e8 fd ff", 0, CPU_P6);
    check(t, d.ret == 3 && d.i.imm == 0xFFFFFFFDu, "D_JZ 16-bit sign-extended: %x", d.i.imm);
    d = dec("e8 00 00 00 80", 1, CPU_P6);
    check(t, d.ret == 5 && d.i.imm == 0x80000000u, "D_JZ 32-bit");
    d = dec("66 e9 00 80", 1, CPU_P6);
    check(t, d.ret == 4 && d.i.imm == 0xFFFF8000u, "D_JZ with 66 in 32-bit code");
    d = dec("0f 84 10 00 00 00", 1, CPU_P6);
    check(t, d.ret == 6 && d.i.opcode == 0x184 && d.i.imm == 0x10, "jz rel32 (0F 84)");
    d = dec("c7 05 00 10 00 00 78 56 34 12", 1, CPU_P6);
    check(t, d.ret == 10 && d.i.disp == 0x1000 && d.i.imm == 0x12345678,
          "modrm displacement then immediate: mov dword [1000h],12345678h");
    d = dec("c6 44 24 04 7f", 1, CPU_P6);
    check(t, d.ret == 5 && d.i.disp == 4 && d.i.imm == 0x7F, "SIB + disp8 + imm8");
}

/* ---- groups ---- */

static void test_groups(struct tally *t)
{
    struct dec d = dec("f6 c1 0f", 1, CPU_P6);
    check(t, d.ret == 3 && !strcmp(d.i.row->mnem, "test") && d.i.imm == 0x0F,
          "F6 /0 is TEST Eb,Ib with an immediate");
    d = dec("f6 d1", 1, CPU_P6);
    check(t, d.ret == 2 && !strcmp(d.i.row->mnem, "not"), "F6 /2 is NOT Eb without one");
    d = dec("f7 c0 78 56 34 12", 1, CPU_P6);
    check(t, d.ret == 6 && d.i.imm == 0x12345678, "F7 /0 TEST Ev,Iz (32-bit)");
    d = dec("f7 c0 34 12", 0, CPU_P6);
    check(t, d.ret == 4, "F7 /0 TEST Ev,Iz (16-bit)");
    d = dec("f7 f3", 1, CPU_P6);
    check(t, d.ret == 2 && !strcmp(d.i.row->mnem, "div"), "F7 /6 DIV");
    d = dec("c1 e0 04", 1, CPU_P6);
    check(t, d.ret == 3 && !strcmp(d.i.row->mnem, "shl") && d.i.imm == 4, "C1 /4 shl eax,4");
    d = dec("d3 f8", 1, CPU_P6);
    check(t, d.ret == 2 && !strcmp(d.i.row->mnem, "sar") && d.i.row->arg == 7, "D3 /7 sar, arg 7");
    d = dec("ff 15 00 10 00 00", 1, CPU_P6);
    check(t, d.ret == 6 && !strcmp(d.i.row->mnem, "call"), "FF /2 call [mem]");
    d = dec("0f ba e0 05", 1, CPU_P6);
    check(t, d.ret == 4 && !strcmp(d.i.row->mnem, "bt") && d.i.imm == 5, "0F BA /4 bt eax,5");
    d = dec("0f 01 16 00 10", 0, CPU_P6);
    check(t, d.ret == 5 && !strcmp(d.i.row->mnem, "lgdt"), "0F 01 /2 lgdt [1000h]");
    d = dec("0f 01 e0", 1, CPU_P6);
    check(t, d.ret == 3 && !strcmp(d.i.row->mnem, "smsw"), "0F 01 /4 smsw eax (register form)");
    d = dec("0f 20 c0", 1, CPU_P6);
    check(t, d.ret == 3 && d.i.mod == 3, "mov eax,cr0");
    d = dec("0f 20 00", 1, CPU_P6);
    check(t, d.ret == 3 && d.i.mod == 3 && d.i.base == R_NONE,
          "MOV CRn ignores mod: 0F 20 00 is mov eax,cr0, no memory operand");
    d = dec("0f c7 0e", 1, CPU_P6);
    check(t, d.ret == 3 && !strcmp(d.i.row->mnem, "cmpxchg8b"), "0F C7 /1 cmpxchg8b [esi]");
    d = dec("8f 00", 1, CPU_P6);
    check(t, d.ret == 2 && !strcmp(d.i.row->mnem, "pop"), "8F /0 pop [eax]");
}

/* ---- invalid encodings ---- */

static void ud(struct tally *t, const char *hex, int code32, int model, const char *why)
{
    struct dec d = dec(hex, code32, model);
    check(t, d.ret == DEC_UD, "#UD %-20s %s (got %d)", hex, why, d.ret);
}

static void valid(struct tally *t, const char *hex, int code32, int model, int len,
                  const char *why)
{
    struct dec d = dec(hex, code32, model);
    check(t, d.ret == len, "ok  %-20s %s (got %d, want %d)", hex, why, d.ret, len);
}

static void test_invalid(struct tally *t)
{
    /* LOCK: only the listed instructions, only with a memory destination. */
    ud(t, "f0 01 c0", 1, CPU_P6, "lock add eax,eax: register destination");
    valid(t, "f0 01 00", 1, CPU_P6, 3, "lock add [eax],eax");
    ud(t, "f0 03 00", 1, CPU_P6, "lock add eax,[eax]: memory is the source");
    ud(t, "f0 90", 1, CPU_P6, "lock nop");
    ud(t, "f0 80 38 01", 1, CPU_P6, "lock cmp byte [eax],1");
    valid(t, "f0 80 30 01", 1, CPU_P6, 4, "lock xor byte [eax],1");
    ud(t, "f0 0f a3 00", 1, CPU_P6, "lock bt [eax],eax (BT is not lockable)");
    valid(t, "f0 0f ab 00", 1, CPU_P6, 4, "lock bts [eax],eax");
    valid(t, "f0 0f c7 0e", 1, CPU_P6, 4, "lock cmpxchg8b [esi]");
    ud(t, "f0 87 c0", 1, CPU_P6, "lock xchg eax,eax");
    valid(t, "f0 86 00", 1, CPU_P6, 3, "lock xchg [eax],al");
    ud(t, "f0 ff c0", 1, CPU_P6, "lock inc eax");
    valid(t, "f0 01 c0", 0, CPU_286, 3, "the 286 does not check LOCK");
    /* Invalid group members. */
    ud(t, "fe d0", 1, CPU_P6, "FE /2");
    ud(t, "ff f8", 1, CPU_P6, "FF /7");
    ud(t, "8f c8", 1, CPU_P6, "8F /1");
    ud(t, "c6 c8 00", 1, CPU_P6, "C6 /1");
    ud(t, "c7 f8 00 00 00 00", 1, CPU_P6, "C7 /7");
    ud(t, "0f 00 f0", 1, CPU_P6, "0F 00 /6");
    ud(t, "0f 01 e8", 1, CPU_P6, "0F 01 /5");
    ud(t, "0f ba c0 01", 1, CPU_P6, "0F BA /0");
    ud(t, "0f c7 c0", 1, CPU_P6, "0F C7 /0");
    /* Memory-only forms with a register operand. */
    ud(t, "c4 c0", 0, CPU_P6, "LES with a register operand");
    ud(t, "c5 c0", 1, CPU_P6, "LDS with a register operand");
    ud(t, "8d c0", 1, CPU_P6, "LEA with a register operand");
    ud(t, "62 c0", 1, CPU_P6, "BOUND with a register operand");
    ud(t, "ff d8", 1, CPU_P6, "CALLF with a register operand");
    ud(t, "ff e8", 1, CPU_P6, "JMPF with a register operand");
    ud(t, "0f b2 c0", 1, CPU_P6, "LSS with a register operand");
    ud(t, "0f 01 c0", 1, CPU_P6, "SGDT with a register operand (VMX encodings)");
    ud(t, "0f 01 f8", 1, CPU_P6, "INVLPG with a register operand (SWAPGS)");
    ud(t, "0f c7 c8", 1, CPU_P6, "CMPXCHG8B with a register operand");
    /* Opcodes that do not exist, or not yet on a model. */
    ud(t, "0f 0b", 1, CPU_PENTIUM, "UD2 before the P6 is simply undefined");
    valid(t, "0f 0b", 1, CPU_P6, 2, "UD2 decodes on the P6 (its handler raises #UD)");
    ud(t, "0f a2", 1, CPU_386, "CPUID on the 386");
    valid(t, "0f a2", 1, CPU_486, 2, "CPUID on the 486");
    ud(t, "0f 44 c0", 1, CPU_PENTIUM, "CMOVZ on the Pentium");
    valid(t, "0f 44 c0", 1, CPU_P6, 3, "CMOVZ on the P6");
    ud(t, "0f c7 0e", 1, CPU_486, "CMPXCHG8B on the 486");
    ud(t, "0f 31", 1, CPU_486, "RDTSC on the 486");
    ud(t, "0f b0 00", 1, CPU_386, "CMPXCHG on the 386");
    ud(t, "0f c8", 1, CPU_386, "BSWAP on the 386");
    ud(t, "0f 20 c0", 0, CPU_286, "MOV from CR0 on the 286");
    ud(t, "0f b6 c0", 0, CPU_286, "MOVZX on the 286");
    ud(t, "0f 80 00 00", 0, CPU_286, "Jcc rel16 on the 286");
    ud(t, "0f 0f c0 00", 1, CPU_P6, "3DNow! escape");
    ud(t, "0f 38 00 c0", 1, CPU_P6, "three-byte map 0F 38");
    ud(t, "0f 05", 1, CPU_P6, "SYSCALL");
    ud(t, "0f 10 c0", 1, CPU_P6, "SSE movups");
    ud(t, "0f aa", 1, CPU_P6, "RSM (no SMM)");
    ud(t, "f1", 0, CPU_286, "INT1 (ICEBP) before the 386");
}

/* A #UD decoding still reports how far it read (the fetch needs it). */
static void test_ud_length(struct tally *t)
{
    struct dec d = dec("2e 0f 0f c0 00", 1, CPU_P6);
    check(t, d.ret == DEC_UD && d.i.len == 3, "UD record: len %d (prefix + 0F 0F)", d.i.len);
}

/* ---- the length limits and truncation ---- */

static void test_limits(struct tally *t)
{
    len_is(t, "26 26 26 26 26 26 26 26 26 26 26 26 26 26 90", 1, 15);
    len_is(t, "26 26 26 26 26 26 26 26 26 26 26 26 26 26 26 90", 1, DEC_TOOLONG);
    len_is(t, "26 f0 3e 64 81 84 88 00 00 00 01 78 56 34 12", 1, 15);
    len_is(t, "26 26 f0 3e 64 81 84 88 00 00 00 01 78 56 34 12", 1, DEC_TOOLONG);
    len_is(t, "66 67 f0 3e 81 84 88 00 78 56", 1, 10);
    struct dec d = dec("26 26 26 26 26 26 26 26 26 90", 0, CPU_286);
    check(t, d.ret == 10, "the 286 takes 10 bytes (got %d)", d.ret);
    d = dec("26 26 26 26 26 26 26 26 26 26 90", 0, CPU_286);
    check(t, d.ret == DEC_TOOLONG, "the 286 refuses 11 bytes (got %d)", d.ret);
    /* The limit holds even when the buffer is shorter than it. */
    d = dec("26 26 26 26 26 26 26 26 26 26 26 26 26 26 26", 1, CPU_P6);
    check(t, d.ret == DEC_TOOLONG, "15 prefixes with nothing after: DEC_TOOLONG (got %d)", d.ret);
}

/* Every proper prefix of a valid instruction is DEC_MORE. */
static void truncations(struct tally *t, const char *hex, int code32)
{
    uint8_t buf[16];
    int n = 0;
    unsigned v;
    int used;
    const char *p = hex;
    while (n < 16 && sscanf(p, " %2x%n", &v, &used) == 1) {
        buf[n++] = (uint8_t)v;
        p += used;
    }
    struct insn i;
    int full = decode(&i, buf, n, code32, CPU_P6);
    bool ok = full == n;
    int bad = -1;
    for (int k = 0; k < n && ok; k++) {
        if (decode(&i, buf, k, code32, CPU_P6) != DEC_MORE) {
            ok = false;
            bad = k;
        }
    }
    check(t, ok, "DEC_MORE for every truncation of %s (full %d, first bad at %d)", hex, full, bad);
}

static void test_truncated(struct tally *t)
{
    truncations(t, "66 67 2e c7 84 88 78 56 34 12 01 00 00 00", 0);
    truncations(t, "0f 84 78 56 34 12", 1);
    truncations(t, "c7 44 24 08 78 56 34 12", 1);
    truncations(t, "9a 78 56 34 12 08 00", 1);
    truncations(t, "c8 10 00 02", 1);
    truncations(t, "0f ba 20 07", 0);
    truncations(t, "f3 a5", 1);
    truncations(t, "8b 86 34 12", 0);
}

int main(void)
{
    struct tally t = { 0, 0 };
    test_prefixes(&t);
    test_modrm16(&t);
    test_modrm32(&t);
    test_immediates(&t);
    test_groups(&t);
    test_invalid(&t);
    test_ud_length(&t);
    test_limits(&t);
    test_truncated(&t);
    printf("%d passed, %d failed\n", t.passed, t.failed);
    return t.failed != 0;
}
