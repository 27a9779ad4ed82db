/* emit.h -- the translator's x86-64 encoder: the few instruction forms the
 * translated code needs (moves between host registers and the guest CPU
 * state, ALU ops, jumps and calls), each written straight into the code
 * cache.  tests/unit/test_bt_emit.c decodes every form back with capstone. */
#ifndef X86LAB_BT_EMIT_H
#define X86LAB_BT_EMIT_H

#include <stdbool.h>
#include <stdint.h>

/* Host registers in encoding order. */
enum {
    H_RAX, H_RCX, H_RDX, H_RBX, H_RSP, H_RBP, H_RSI, H_RDI,
    H_R8, H_R9, H_R10, H_R11, H_R12, H_R13, H_R14, H_R15,
    H_NONE = 0xFF
};
/* Byte registers without REX: 4-7 are AH CH DH BH. */
enum { H_AH = 4, H_CH = 5 };

struct emit {
    uint8_t *p, *end;
    bool full;           /* ran out of room: the caller flushes and retries */
};

void emit_init(struct emit *e, uint8_t *start, uint8_t *end);
void emit_u8(struct emit *e, uint8_t b);
void emit_u16(struct emit *e, uint16_t v);
void emit_u32(struct emit *e, uint32_t v);
void emit_u64(struct emit *e, uint64_t v);

/* A memory operand [base + index*scale + disp] (index H_NONE: none). */
struct mem { uint8_t base, index, scale; int32_t disp; };
static inline struct mem M(uint8_t base, int32_t disp)
{
    return (struct mem){ base, H_NONE, 0, disp };
}
static inline struct mem MX(uint8_t base, uint8_t index, uint8_t scale, int32_t disp)
{
    return (struct mem){ base, index, scale, disp };
}

/* Generic forms.  op: one opcode byte, or 0x0Fxx for two; w: REX.W. */
void emit_op_rr(struct emit *e, unsigned op, bool w, unsigned reg, unsigned rm);
void emit_op_rm(struct emit *e, unsigned op, bool w, unsigned reg, struct mem m);

/* Moves. */
void emit_mov_r32_m(struct emit *e, unsigned dst, struct mem m);
void emit_mov_m_r32(struct emit *e, struct mem m, unsigned src);
void emit_mov_r64_m(struct emit *e, unsigned dst, struct mem m);
void emit_mov_m_r64(struct emit *e, struct mem m, unsigned src);
void emit_mov_m32_imm(struct emit *e, struct mem m, uint32_t imm);
void emit_mov_m8_imm(struct emit *e, struct mem m, uint8_t imm);
void emit_mov_r32_imm(struct emit *e, unsigned dst, uint32_t imm);
void emit_mov_r64_imm(struct emit *e, unsigned dst, uint64_t imm);
void emit_mov_r64_r64(struct emit *e, unsigned dst, unsigned src);
void emit_mov_r32_r32(struct emit *e, unsigned dst, unsigned src);
void emit_movzx_r32_m8(struct emit *e, unsigned dst, struct mem m);
void emit_movzx_r32_m16(struct emit *e, unsigned dst, struct mem m);
void emit_mov_m16_r16(struct emit *e, struct mem m, unsigned src);
void emit_mov_m8_r8(struct emit *e, struct mem m, unsigned src);
void emit_lea_r64(struct emit *e, unsigned dst, struct mem m);

/* ALU: op is the /digit of group 1 (0 add, 1 or, 4 and, 5 sub, 6 xor, 7 cmp). */
enum { ALU_ADD, ALU_OR, ALU_ADC, ALU_SBB, ALU_AND, ALU_SUB, ALU_XOR, ALU_CMP };
void emit_alu_r32_imm(struct emit *e, unsigned alu, unsigned dst, uint32_t imm);
void emit_alu_r64_imm(struct emit *e, unsigned alu, unsigned dst, uint32_t imm);
void emit_alu_m32_imm(struct emit *e, unsigned alu, struct mem m, uint32_t imm);
void emit_alu_m64_imm(struct emit *e, unsigned alu, struct mem m, uint32_t imm);
void emit_alu_m8_imm(struct emit *e, unsigned alu, struct mem m, uint8_t imm);
void emit_alu_r32_r32(struct emit *e, unsigned alu, unsigned dst, unsigned src);
void emit_alu_r32_m(struct emit *e, unsigned alu, unsigned dst, struct mem m);
void emit_alu_r64_m(struct emit *e, unsigned alu, unsigned dst, struct mem m);
void emit_shift_r32_imm(struct emit *e, unsigned sh, unsigned dst, uint8_t n);
void emit_test_r8_r8(struct emit *e, unsigned a, unsigned b);
void emit_test_m8_imm(struct emit *e, struct mem m, uint8_t imm);
void emit_bt_m32_imm(struct emit *e, struct mem m, uint8_t bit);

/* Flags. */
void emit_pushfq(struct emit *e);
void emit_popfq(struct emit *e);
void emit_lahf(struct emit *e);
void emit_sahf(struct emit *e);
void emit_push_r64(struct emit *e, unsigned r);
void emit_pop_r64(struct emit *e, unsigned r);
void emit_push_m64(struct emit *e, struct mem m);
void emit_pop_m64(struct emit *e, struct mem m);

/* Control.  The rel32 forms return the address of their displacement so
 * that a jump can be patched later (emit_patch_rel32). */
uint8_t *emit_jmp_rel32(struct emit *e, const uint8_t *target);
uint8_t *emit_jcc_rel32(struct emit *e, unsigned cc, const uint8_t *target);
uint8_t *emit_jcc_rel8(struct emit *e, unsigned cc);
void emit_patch_rel8(uint8_t *site, const uint8_t *target);
void emit_call_abs(struct emit *e, const void *fn);
void emit_jmp_r64(struct emit *e, unsigned r);
void emit_ret(struct emit *e);
/* add dword [rip + (target - end of instruction)], imm8: a counter kept
 * beside the code. */
void emit_add_rip_m32_imm8(struct emit *e, const void *target, int8_t imm);
/* Points a rel32 displacement at target. */
void emit_patch_rel32(uint8_t *site, const uint8_t *target);

#endif
