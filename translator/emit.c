/* emit.c -- the x86-64 encoder of the translator (see emit.h): REX
 * prefixes, ModR/M and SIB for [base + index*scale + disp], and the
 * instruction forms the translated code is made of. */
#include "translator/emit.h"

#include <string.h>

void emit_init(struct emit *e, uint8_t *start, uint8_t *end)
{
    e->p = start;
    e->end = end;
    e->full = false;
}

/* Writes nothing past the end: the caller sees e->full and retries after
 * a flush, so a translation is never cut short silently. */
void emit_u8(struct emit *e, uint8_t b)
{
    if (e->p >= e->end) {
        e->full = true;
        return;
    }
    *e->p++ = b;
}

void emit_u16(struct emit *e, uint16_t v)
{
    emit_u8(e, (uint8_t)v);
    emit_u8(e, (uint8_t)(v >> 8));
}

void emit_u32(struct emit *e, uint32_t v)
{
    for (int k = 0; k < 4; k++)
        emit_u8(e, (uint8_t)(v >> (8 * k)));
}

void emit_u64(struct emit *e, uint64_t v)
{
    emit_u32(e, (uint32_t)v);
    emit_u32(e, (uint32_t)(v >> 32));
}

static void rex(struct emit *e, bool w, unsigned reg, unsigned index, unsigned base)
{
    uint8_t r = (uint8_t)((w ? 8 : 0) | ((reg & 8) ? 4 : 0) |
                          (index != H_NONE && (index & 8) ? 2 : 0) |
                          (base != H_NONE && (base & 8) ? 1 : 0));
    if (r)
        emit_u8(e, 0x40 | r);
}

static void opcode(struct emit *e, unsigned op)
{
    if (op > 0xFF)
        emit_u8(e, (uint8_t)(op >> 8));
    emit_u8(e, (uint8_t)op);
}

/* ModR/M (+ SIB + displacement) for a memory operand; base H_NONE is
 * [index*scale + disp32]. */
static void modrm_mem(struct emit *e, unsigned reg, struct mem m)
{
    if (m.base == H_NONE) {
        unsigned idx = m.index == H_NONE ? 4 : (m.index & 7);
        emit_u8(e, (uint8_t)(((reg & 7) << 3) | 4));
        emit_u8(e, (uint8_t)((m.scale << 6) | (idx << 3) | 5));
        emit_u32(e, (uint32_t)m.disp);
        return;
    }
    unsigned mod = m.disp == 0 && (m.base & 7) != 5 ? 0
                 : (m.disp >= -128 && m.disp <= 127) ? 1 : 2;
    bool sib = (m.base & 7) == 4 || m.index != H_NONE;
    emit_u8(e, (uint8_t)((mod << 6) | ((reg & 7) << 3) | (sib ? 4 : (m.base & 7))));
    if (sib) {
        unsigned idx = m.index == H_NONE ? 4 : (m.index & 7);
        emit_u8(e, (uint8_t)((m.scale << 6) | (idx << 3) | (m.base & 7)));
    }
    if (mod == 1)
        emit_u8(e, (uint8_t)m.disp);
    else if (mod == 2)
        emit_u32(e, (uint32_t)m.disp);
}

void emit_op_rr(struct emit *e, unsigned op, bool w, unsigned reg, unsigned rm)
{
    rex(e, w, reg, H_NONE, rm);
    opcode(e, op);
    emit_u8(e, (uint8_t)(0xC0 | ((reg & 7) << 3) | (rm & 7)));
}

void emit_op_rm(struct emit *e, unsigned op, bool w, unsigned reg, struct mem m)
{
    rex(e, w, reg, m.index, m.base);
    opcode(e, op);
    modrm_mem(e, reg, m);
}

void emit_mov_r32_m(struct emit *e, unsigned dst, struct mem m) { emit_op_rm(e, 0x8B, false, dst, m); }
void emit_mov_m_r32(struct emit *e, struct mem m, unsigned src) { emit_op_rm(e, 0x89, false, src, m); }
void emit_mov_r64_m(struct emit *e, unsigned dst, struct mem m) { emit_op_rm(e, 0x8B, true, dst, m); }
void emit_mov_m_r64(struct emit *e, struct mem m, unsigned src) { emit_op_rm(e, 0x89, true, src, m); }
void emit_movzx_r32_m8(struct emit *e, unsigned dst, struct mem m) { emit_op_rm(e, 0x0FB6, false, dst, m); }
void emit_movzx_r32_m16(struct emit *e, unsigned dst, struct mem m) { emit_op_rm(e, 0x0FB7, false, dst, m); }
void emit_mov_m8_r8(struct emit *e, struct mem m, unsigned src) { emit_op_rm(e, 0x88, false, src, m); }
void emit_lea_r64(struct emit *e, unsigned dst, struct mem m) { emit_op_rm(e, 0x8D, true, dst, m); }

void emit_mov_m16_r16(struct emit *e, struct mem m, unsigned src)
{
    emit_u8(e, 0x66);
    emit_op_rm(e, 0x89, false, src, m);
}

void emit_mov_m32_imm(struct emit *e, struct mem m, uint32_t imm)
{
    emit_op_rm(e, 0xC7, false, 0, m);
    emit_u32(e, imm);
}

void emit_mov_m8_imm(struct emit *e, struct mem m, uint8_t imm)
{
    emit_op_rm(e, 0xC6, false, 0, m);
    emit_u8(e, imm);
}

void emit_mov_r32_imm(struct emit *e, unsigned dst, uint32_t imm)
{
    rex(e, false, 0, H_NONE, dst);
    emit_u8(e, (uint8_t)(0xB8 + (dst & 7)));
    emit_u32(e, imm);
}

/* The short form when the value fits 32 bits (zero-extended). */
void emit_mov_r64_imm(struct emit *e, unsigned dst, uint64_t imm)
{
    if (imm <= 0xFFFFFFFFu) {
        emit_mov_r32_imm(e, dst, (uint32_t)imm);
        return;
    }
    rex(e, true, 0, H_NONE, dst);
    emit_u8(e, (uint8_t)(0xB8 + (dst & 7)));
    emit_u64(e, imm);
}

void emit_mov_r64_r64(struct emit *e, unsigned dst, unsigned src) { emit_op_rr(e, 0x89, true, src, dst); }
void emit_mov_r32_r32(struct emit *e, unsigned dst, unsigned src) { emit_op_rr(e, 0x89, false, src, dst); }

/* Group 1 with an immediate: the 8-bit form (83) when it fits. */
static void alu_imm(struct emit *e, unsigned alu, bool w, bool mem, unsigned r,
                    struct mem m, uint32_t imm)
{
    bool short_form = (int32_t)imm >= -128 && (int32_t)imm <= 127;
    unsigned op = short_form ? 0x83 : 0x81;
    if (mem)
        emit_op_rm(e, op, w, alu, m);
    else
        emit_op_rr(e, op, w, alu, r);
    if (short_form)
        emit_u8(e, (uint8_t)imm);
    else
        emit_u32(e, imm);
}

void emit_alu_r32_imm(struct emit *e, unsigned alu, unsigned dst, uint32_t imm)
{
    alu_imm(e, alu, false, false, dst, M(0, 0), imm);
}

void emit_alu_r64_imm(struct emit *e, unsigned alu, unsigned dst, uint32_t imm)
{
    alu_imm(e, alu, true, false, dst, M(0, 0), imm);
}

void emit_alu_m32_imm(struct emit *e, unsigned alu, struct mem m, uint32_t imm)
{
    alu_imm(e, alu, false, true, 0, m, imm);
}

void emit_alu_m64_imm(struct emit *e, unsigned alu, struct mem m, uint32_t imm)
{
    alu_imm(e, alu, true, true, 0, m, imm);
}

void emit_alu_m8_imm(struct emit *e, unsigned alu, struct mem m, uint8_t imm)
{
    emit_op_rm(e, 0x80, false, alu, m);
    emit_u8(e, imm);
}

void emit_alu_r32_r32(struct emit *e, unsigned alu, unsigned dst, unsigned src)
{
    emit_op_rr(e, alu * 8 + 1, false, src, dst);
}

void emit_alu_r32_m(struct emit *e, unsigned alu, unsigned dst, struct mem m)
{
    emit_op_rm(e, alu * 8 + 3, false, dst, m);
}

void emit_alu_r64_m(struct emit *e, unsigned alu, unsigned dst, struct mem m)
{
    emit_op_rm(e, alu * 8 + 3, true, dst, m);
}

/* sh: the /digit of group 2 (4 shl, 5 shr, 7 sar). */
void emit_shift_r32_imm(struct emit *e, unsigned sh, unsigned dst, uint8_t n)
{
    emit_op_rr(e, 0xC1, false, sh, dst);
    emit_u8(e, n);
}

void emit_test_r8_r8(struct emit *e, unsigned a, unsigned b) { emit_op_rr(e, 0x84, false, b, a); }

void emit_test_m8_imm(struct emit *e, struct mem m, uint8_t imm)
{
    emit_op_rm(e, 0xF6, false, 0, m);
    emit_u8(e, imm);
}

void emit_bt_m32_imm(struct emit *e, struct mem m, uint8_t bit)
{
    emit_op_rm(e, 0x0FBA, false, 4, m);
    emit_u8(e, bit);
}

void emit_pushfq(struct emit *e) { emit_u8(e, 0x9C); }
void emit_popfq(struct emit *e) { emit_u8(e, 0x9D); }
void emit_lahf(struct emit *e) { emit_u8(e, 0x9F); }
void emit_sahf(struct emit *e) { emit_u8(e, 0x9E); }

void emit_push_r64(struct emit *e, unsigned r)
{
    rex(e, false, 0, H_NONE, r);
    emit_u8(e, (uint8_t)(0x50 + (r & 7)));
}

void emit_pop_r64(struct emit *e, unsigned r)
{
    rex(e, false, 0, H_NONE, r);
    emit_u8(e, (uint8_t)(0x58 + (r & 7)));
}

void emit_patch_rel32(uint8_t *site, const uint8_t *target)
{
    int32_t rel = (int32_t)(target - (site + 4));
    memcpy(site, &rel, 4);
}

uint8_t *emit_jmp_rel32(struct emit *e, const uint8_t *target)
{
    emit_u8(e, 0xE9);
    uint8_t *site = e->p;
    emit_u32(e, 0);
    if (!e->full)
        emit_patch_rel32(site, target);
    return site;
}

uint8_t *emit_jcc_rel32(struct emit *e, unsigned cc, const uint8_t *target)
{
    emit_u8(e, 0x0F);
    emit_u8(e, (uint8_t)(0x80 | (cc & 15)));
    uint8_t *site = e->p;
    emit_u32(e, 0);
    if (!e->full)
        emit_patch_rel32(site, target);
    return site;
}

/* A short forward jump whose target is set with emit_patch_rel8. */
uint8_t *emit_jcc_rel8(struct emit *e, unsigned cc)
{
    emit_u8(e, (uint8_t)(0x70 | (cc & 15)));
    uint8_t *site = e->p;
    emit_u8(e, 0);
    return site;
}

void emit_patch_rel8(uint8_t *site, const uint8_t *target)
{
    *site = (uint8_t)(int8_t)(target - (site + 1));
}

/* mov r11, fn; call r11: helpers are far from the code cache, and R11
 * is scratch for the translated code (RAX holds the guest's EAX). */
void emit_call_abs(struct emit *e, const void *fn)
{
    emit_mov_r64_imm(e, H_R11, (uint64_t)(uintptr_t)fn);
    emit_op_rr(e, 0xFF, false, 2, H_R11);
}

void emit_push_m64(struct emit *e, struct mem m) { emit_op_rm(e, 0xFF, false, 6, m); }
void emit_pop_m64(struct emit *e, struct mem m) { emit_op_rm(e, 0x8F, false, 0, m); }

void emit_jmp_r64(struct emit *e, unsigned r) { emit_op_rr(e, 0xFF, false, 4, r); }
void emit_ret(struct emit *e) { emit_u8(e, 0xC3); }

void emit_add_rip_m32_imm8(struct emit *e, const void *target, int8_t imm)
{
    emit_u8(e, 0x83);
    emit_u8(e, 0x05);               /* mod 00, /0, rm 101: RIP-relative */
    int32_t rel = (int32_t)((const uint8_t *)target - (e->p + 5));
    emit_u32(e, (uint32_t)rel);
    emit_u8(e, (uint8_t)imm);
}
