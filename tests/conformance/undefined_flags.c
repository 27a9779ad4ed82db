/* undefined_flags.c -- the conformance runner's own table of flags that the
 * Intel SDM (Vol. 2, "Flags Affected" of each instruction) calls undefined.
 * It is written from the manual, independently of the suite's metadata and
 * of opcodes.def, so a wrong row in either does not hide a wrong result. */
#include "undefined_flags.h"

#include "cpu/cpu.h"

/* Group 1 (80-83), TEST forms of group 3 (F6/F7 /0 /1): AND, OR, XOR and
 * TEST leave AF undefined ("The OF and CF flags are cleared; the SF, ZF,
 * and PF flags are set according to the result. The state of the AF flag
 * is undefined."). */
static uint32_t group1(int reg)
{
    return (reg == 1 || reg == 4 || reg == 6) ? F_AF : 0;
}

/* Group 2 (C0 C1 D0 D1 D2 D3).  The count is masked to 5 bits (the 286
 * does so too).  Count 0: no flag changes.  Rotates (reg 0-3): "The OF
 * flag is defined only for the 1-bit rotates; it is undefined in all other
 * cases."  Shifts (reg 4-7): "For a non-zero count, the AF flag is
 * undefined"; OF "is affected only for 1-bit shifts" (undefined for more);
 * CF "is undefined for SHL and SHR instructions where the count is greater
 * than or equal to the size (in bits) of the destination operand". */
static uint32_t group2(int reg, unsigned count, unsigned size)
{
    unsigned n = count & 0x1F;
    if (n == 0)
        return 0;
    if (reg < 4)
        return n == 1 ? 0 : F_OF;
    uint32_t u = F_AF | (n == 1 ? 0 : F_OF);
    if (reg != 7 && n >= size)
        u |= F_CF;
    return u;
}

/* Group 3 (F6/F7): TEST: AF; MUL, IMUL: "The SF, ZF, AF, and PF flags are
 * undefined"; DIV, IDIV: "The CF, OF, SF, ZF, AF, and PF flags are
 * undefined."  NOT and NEG define every flag they touch. */
static uint32_t group3(int reg)
{
    switch (reg) {
    case 0: case 1: return F_AF;
    case 4: case 5: return F_SF | F_ZF | F_AF | F_PF;
    case 6: case 7: return F_ARITH;
    default: return 0;
    }
}

/* SHLD/SHRD (0F A4 A5 AC AD): AF undefined for a non-zero count, OF for
 * counts above 1; a count above the operand size leaves every flag (and
 * the destination) undefined. */
static uint32_t double_shift(unsigned count, unsigned size)
{
    unsigned n = count & 0x1F;
    if (n == 0)
        return 0;
    if (n > size)
        return F_ARITH;
    return F_AF | (n == 1 ? 0 : F_OF);
}

static uint32_t two_byte(int op, unsigned count, unsigned size)
{
    switch (op) {
    case 0xA3: case 0xAB: case 0xB3: case 0xBB: case 0xBA:
        /* BT, BTS, BTR, BTC: "The ZF flag is unaffected. The OF, SF, AF,
         * and PF flags are undefined." */
        return F_OF | F_SF | F_AF | F_PF;
    case 0xA4: case 0xA5: case 0xAC: case 0xAD:
        return double_shift(count, size);
    case 0xAF:
        return F_SF | F_ZF | F_AF | F_PF;      /* IMUL Gv,Ev */
    case 0xBC: case 0xBD:
        /* BSF, BSR: "The CF, OF, SF, AF, and PF flags are undefined." */
        return F_CF | F_OF | F_SF | F_AF | F_PF;
    default:
        return 0;
    }
}

static uint32_t one_byte(int op, int reg, unsigned count, unsigned size)
{
    switch (op) {
    case 0x08: case 0x09: case 0x0A: case 0x0B: case 0x0C: case 0x0D:  /* OR */
    case 0x20: case 0x21: case 0x22: case 0x23: case 0x24: case 0x25:  /* AND */
    case 0x30: case 0x31: case 0x32: case 0x33: case 0x34: case 0x35:  /* XOR */
    case 0x84: case 0x85: case 0xA8: case 0xA9:                        /* TEST */
        return F_AF;
    case 0x27: case 0x2F:
        return F_OF;                               /* DAA, DAS */
    case 0x37: case 0x3F:
        return F_OF | F_SF | F_ZF | F_PF;          /* AAA, AAS */
    case 0xD4: case 0xD5:
        return F_OF | F_AF | F_CF;                 /* AAM, AAD */
    case 0x69: case 0x6B:
        return F_SF | F_ZF | F_AF | F_PF;          /* IMUL Gv,Ev,I */
    case 0x80: case 0x81: case 0x82: case 0x83:
        return group1(reg);
    case 0xC0: case 0xC1: case 0xD0: case 0xD1: case 0xD2: case 0xD3:
        return group2(reg, count, size);
    case 0xF6: case 0xF7:
        return group3(reg);
    default:
        return 0;
    }
}

uint32_t undefined_flags(int opcode, int reg, unsigned count, unsigned size)
{
    if (opcode >= 0x100)
        return two_byte(opcode & 0xFF, count, size);
    return one_byte(opcode, reg, count, size);
}
