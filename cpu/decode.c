/* decode.c -- the one decoder: bytes to struct insn, driven by the rows of
 * opcodes.def.  It knows prefixes, ModR/M and SIB, displacements and
 * immediates, the length limit (15 bytes, 10 on the 80286) and which
 * encodings are invalid (#UD) for a CPU model.  It reads only the buffer
 * it is given, so the interpreter, translator, debugger and tests all use
 * it the same way. */
#include <string.h>

#include "cpu.h"
#include "insn.h"

struct reader {
    const uint8_t *buf;
    int avail, pos;
    int maxlen;          /* 15 bytes; the 80286 stops at 10 */
};

/* Returns the next byte, or -1 when the buffer is exhausted (DEC_MORE) or
 * the length limit is passed (DEC_TOOLONG). */
static int next(struct reader *r, int *err)
{
    if (r->pos >= r->maxlen) {
        *err = DEC_TOOLONG;
        return -1;
    }
    if (r->pos >= r->avail) {
        *err = DEC_MORE;
        return -1;
    }
    return r->buf[r->pos++];
}

static uint32_t next_n(struct reader *r, int n, int *err)
{
    uint32_t v = 0;
    for (int k = 0; k < n; k++) {
        int b = next(r, err);
        if (b < 0)
            return 0;
        v |= (uint32_t)b << (8 * k);
    }
    return v;
}

/* 16-bit addressing: the eight base/index pairs of ModR/M.rm. */
static const uint8_t rm16_base[8] = {
    R_EBX, R_EBX, R_EBP, R_EBP, R_NONE, R_NONE, R_EBP, R_EBX };
static const uint8_t rm16_index[8] = {
    R_ESI, R_EDI, R_ESI, R_EDI, R_ESI, R_EDI, R_NONE, R_NONE };

static void modrm16(struct insn *i, struct reader *r, int *err, int *def_seg)
{
    if (i->mod == 0 && i->rm == 6) {
        i->disp = next_n(r, 2, err);
        return;
    }
    i->base = rm16_base[i->rm];
    i->index = rm16_index[i->rm];
    if (i->base == R_EBP)
        *def_seg = S_SS;
    if (i->mod == 1)
        i->disp = (uint32_t)(int8_t)next_n(r, 1, err);
    else if (i->mod == 2)
        i->disp = next_n(r, 2, err);
}

static void modrm32(struct insn *i, struct reader *r, int *err, int *def_seg)
{
    int base = i->rm;
    if (i->rm == 4) {
        int sib = next(r, err);
        if (sib < 0)
            return;
        i->scale = (uint8_t)(sib >> 6);
        i->index = ((sib >> 3) & 7) == 4 ? R_NONE : (uint8_t)((sib >> 3) & 7);
        base = sib & 7;
        if (base == 5 && i->mod == 0) {
            i->disp = next_n(r, 4, err);
            return;
        }
    } else if (i->rm == 5 && i->mod == 0) {
        i->disp = next_n(r, 4, err);
        return;
    }
    i->base = (uint8_t)base;
    if (base == R_ESP || base == R_EBP)
        *def_seg = S_SS;
    if (i->mod == 1)
        i->disp = (uint32_t)(int8_t)next_n(r, 1, err);
    else if (i->mod == 2)
        i->disp = next_n(r, 4, err);
}

static void immediates(struct insn *i, uint32_t dec, struct reader *r, int *err)
{
    if (dec & D_IB)
        i->imm = next_n(r, 1, err);
    else if (dec & (D_IBS | D_JB))
        i->imm = (uint32_t)(int8_t)next_n(r, 1, err);
    else if (dec & D_IW)
        i->imm = next_n(r, 2, err);
    else if (dec & D_IZ)
        i->imm = next_n(r, i->o32 ? 4 : 2, err);
    else if (dec & D_JZ)
        i->imm = i->o32 ? next_n(r, 4, err)
                        : (uint32_t)(int16_t)next_n(r, 2, err);
    else if (dec & D_AP) {
        i->imm = next_n(r, i->o32 ? 4 : 2, err);
        i->imm2 = next_n(r, 2, err);
    } else if (dec & D_MOFFS)
        i->disp = next_n(r, i->a32 ? 4 : 2, err);
    else if (dec & D_IW_IB) {
        i->imm = next_n(r, 2, err);
        i->imm2 = next_n(r, 1, err);
    }
}

/* Reads the prefixes; returns the first non-prefix byte or -1. */
static int prefixes(struct insn *i, struct reader *r, int code32, int model,
                    int *err, int *seg)
{
    for (;;) {
        int b = next(r, err);
        if (b < 0)
            return -1;
        const struct op_row *row = optable_row(b);
        if (!(row->decode & D_PREFIX) || row->model > model)
            return b;
        switch (b) {
        case 0x66: i->o32 = !code32; break;
        case 0x67: i->a32 = !code32; break;
        case 0xF0: i->prefixes |= PFX_LOCK; break;
        case 0xF2: i->prefixes = (uint8_t)((i->prefixes & ~PFX_REP) | PFX_REPNE); break;
        case 0xF3: i->prefixes = (uint8_t)((i->prefixes & ~PFX_REPNE) | PFX_REP); break;
        default:
            *seg = row->arg;
            i->seg_override = 1;
            break;
        }
    }
}

int decode(struct insn *i, const uint8_t *buf, int avail, int code32, int model)
{
    struct reader r = { buf, avail, 0, model == CPU_286 ? 10 : 15 };
    int err = 0, seg = -1, def_seg = S_DS;

    i->o32 = i->a32 = (uint8_t)(code32 != 0);
    i->prefixes = 0;
    i->seg_override = 0;
    i->modrm = i->mod = i->reg = i->rm = 0;
    i->base = i->index = R_NONE;
    i->scale = 0;
    i->disp = i->imm = i->imm2 = 0;
    i->row = NULL;
    i->fn = NULL;
    i->len = 0;

    int b = prefixes(i, &r, code32, model, &err, &seg);
    if (b < 0)
        return err;
    int opcode = b;
    if (b == 0x0F) {
        b = next(&r, &err);
        if (b < 0)
            return err;
        opcode = 0x100 | b;
    }
    i->opcode = (uint16_t)opcode;
    const struct op_row *row = optable_row(opcode);
    uint32_t dec = row->decode;
    int ud = !row->mnem || row->model > model || (dec & D_INVALID);

    if (!ud && (dec & D_MODRM)) {
        int m = next(&r, &err);
        if (m < 0)
            return err;
        i->modrm = (uint8_t)m;
        i->mod = (uint8_t)(m >> 6);
        i->reg = (uint8_t)((m >> 3) & 7);
        i->rm = (uint8_t)(m & 7);
        if (dec & D_GROUP) {
            row = optable_group_row(row->arg, i->reg, i->mod == 3);
            ud = !row->mnem || row->model > model;
            dec |= row->decode;
        }
        if (dec & D_REGONLY)
            i->mod = 3;
        if (i->mod != 3) {
            if (i->a32)
                modrm32(i, &r, &err, &def_seg);
            else
                modrm16(i, &r, &err, &def_seg);
        } else if (dec & D_MEM) {
            ud = 1;
        }
    }
    if (err)
        return err;
    immediates(i, dec, &r, &err);
    if (err)
        return err;
    if ((i->prefixes & PFX_LOCK) && model >= CPU_386 &&
        (!(dec & D_LOCK) || i->mod == 3))
        ud = 1;
    i->seg = (uint8_t)(seg >= 0 ? seg : def_seg);
    i->row = row;
    i->fn = row->fn;
    i->len = (uint8_t)r.pos;
    return ud ? DEC_UD : r.pos;
}
