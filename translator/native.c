/* native.c -- copied guest instructions: integer operations on registers
 * keep their own opcode on the host.  The guest registers they name are
 * loaded into host registers (the destination into EAX, the source into
 * ECX, so that AH..BH stay encodable), the instruction runs with its
 * ModR/M re-aimed at them, and the destination is stored back.  Their
 * flags stay in the host EFLAGS ("dirty") until something needs them in
 * the guest state: a trap, a helper, an exit (t_flags_sync); a following
 * flag writer makes them dead and they are never saved.  A Jcc that ends
 * the block branches on the host flags directly. */
#include "cpu/flags.h"
#include "cpu/mem.h"
#include "translator/tctx.h"

/* What one copied instruction needs. */
struct plan {
    bool byte;          /* 8-bit operands */
    bool has_g;         /* ModR/M.reg names a register operand */
    bool g_dest;        /* the destination is G (else E) */
    bool store;         /* the destination is written (not CMP/TEST) */
    int imm;            /* immediate bytes to copy (0, 1, 2, 4) */
    unsigned fl_write;  /* arithmetic flags written */
    unsigned fl_read;   /* arithmetic flags read */
    bool logic;         /* AF left 0 by the interpreter (AND/OR/XOR/TEST) */
};

enum { ALL = F_ARITH };

/* Guest register n of the given width as an operand of host register h
 * (0 = EAX, 1 = ECX): the 32-bit register holding it and the ModR/M
 * code that names the right part of the host one. */
static unsigned greg(unsigned n, bool byte) { return byte ? (n & 3) : n; }
static unsigned hcode(unsigned h, unsigned n, bool byte) { return byte ? (h | (n & 4)) : h; }

static struct mem reg_m(unsigned n)
{
    return M(H_RBX, (int32_t)(offsetof(struct cpu, r) + 4 * n));
}

/* Plans the register forms of the two-operand ALU rows 00-3F, 84/85, 88-8B. */
static bool plan_alu(const struct insn *i, struct plan *p)
{
    unsigned op = i->opcode;
    if (op < 0x40 && (op & 7) < 4) {
        unsigned alu = op >> 3;
        p->byte = !(op & 1);
        p->has_g = true;
        p->g_dest = (op & 2) != 0;
        p->store = alu != ALU_CMP;
        p->fl_write = ALL;
        p->fl_read = (alu == ALU_ADC || alu == ALU_SBB) ? F_CF : 0;
        p->logic = alu == ALU_AND || alu == ALU_OR || alu == ALU_XOR;
        return true;
    }
    if (op < 0x40 && ((op & 7) == 4 || (op & 7) == 5)) {
        unsigned alu = op >> 3;
        p->byte = (op & 7) == 4;
        p->imm = p->byte ? 1 : (i->o32 ? 4 : 2);
        p->store = alu != ALU_CMP;
        p->fl_write = ALL;
        p->fl_read = (alu == ALU_ADC || alu == ALU_SBB) ? F_CF : 0;
        p->logic = alu == ALU_AND || alu == ALU_OR || alu == ALU_XOR;
        return true;
    }
    switch (op) {
    case 0x84: case 0x85:
        p->byte = op == 0x84;
        p->has_g = true;
        p->fl_write = ALL;
        p->logic = true;
        return true;
    case 0xA8: case 0xA9:
        p->byte = op == 0xA8;
        p->imm = p->byte ? 1 : (i->o32 ? 4 : 2);
        p->fl_write = ALL;
        p->logic = true;
        return true;
    case 0x88: case 0x89: case 0x8A: case 0x8B:
        p->byte = !(op & 1);
        p->has_g = true;
        p->g_dest = (op & 2) != 0;
        p->store = true;
        return true;
    default:
        return false;
    }
}

/* Group rows with a register operand: 80/81/83 (ALU Ib/Iz), F6/F7 /0-/3
 * (TEST, NOT, NEG), FE/FF /0-/1 (INC, DEC), C6/C7 (MOV imm), movzx/sx. */
static bool plan_group(const struct insn *i, struct plan *p)
{
    unsigned op = i->opcode, r = i->reg;
    switch (op) {
    case 0x80: case 0x81: case 0x83:
        p->byte = op == 0x80;
        p->imm = op == 0x81 ? (i->o32 ? 4 : 2) : 1;
        p->store = r != ALU_CMP;
        p->fl_write = ALL;
        p->fl_read = (r == ALU_ADC || r == ALU_SBB) ? F_CF : 0;
        p->logic = r == ALU_AND || r == ALU_OR || r == ALU_XOR;
        return true;
    case 0xF6: case 0xF7:
        if (r > 3)
            return false;
        p->byte = op == 0xF6;
        p->imm = r < 2 ? (p->byte ? 1 : (i->o32 ? 4 : 2)) : 0;
        p->store = r >= 2;
        p->fl_write = r == 2 ? 0 : ALL;
        p->logic = r < 2;
        return true;
    case 0xFE: case 0xFF:
        if (r > 1)
            return false;
        p->byte = op == 0xFE;
        p->store = true;
        p->fl_write = ALL & ~F_CF;
        return true;
    case 0xC6: case 0xC7:
        p->byte = op == 0xC6;
        p->imm = p->byte ? 1 : (i->o32 ? 4 : 2);
        p->store = true;
        return true;
    case 0x1B6: case 0x1B7: case 0x1BE: case 0x1BF:
        p->byte = false;                 /* the destination is Gv */
        p->has_g = true;
        p->g_dest = true;
        p->store = true;
        return true;
    default:
        return false;
    }
}

/* Guest flags into the host EFLAGS (through POPFQ: the helper returns
 * the arithmetic flags with IF and bit 1 set, as user mode has them). */
static uint64_t flags_for_host(struct cpu *c)
{
    uint32_t f = flags_arith(c);
    c->eflags = (c->eflags & ~F_ARITH) | f;
    c->lf.op = LF_NONE;
    return f | 0x202;
}

static void flags_load(struct tctx *t)
{
    emit_mov_r64_r64(&t->e, H_RDI, H_RBX);
    emit_call_abs(&t->e, (const void *)flags_for_host);
    emit_push_r64(&t->e, H_RAX);
    emit_popfq(&t->e);
    t->flags_dirty = true;
    t->af_zero = false;
}

void t_flags_sync(struct tctx *t)
{
    if (!t->flags_dirty)
        return;
    struct emit *e = &t->e;
    uint32_t keep = t->af_zero ? (F_ARITH & ~F_AF) : F_ARITH;
    emit_pushfq(e);
    emit_pop_r64(e, H_RAX);
    emit_alu_r32_imm(e, ALU_AND, H_RAX, keep);
    emit_mov_r32_m(e, H_RCX, CPU_M(eflags));
    emit_alu_r32_imm(e, ALU_AND, H_RCX, ~F_ARITH);
    emit_alu_r32_r32(e, ALU_OR, H_RCX, H_RAX);
    emit_mov_m_r32(e, CPU_M(eflags), H_RCX);
    emit_mov_m8_imm(e, CPU_M(lf.op), LF_NONE);
    t->flags_dirty = false;
}

/* The copy: [66] opcode, ModR/M re-aimed at EAX/ECX, the immediate. */
static void copy_insn(struct tctx *t, const struct insn *i, const struct plan *p)
{
    struct emit *e = &t->e;
    unsigned op = i->opcode;
    unsigned rm_h = hcode(p->g_dest ? 1 : 0, i->rm, p->byte);
    unsigned reg_h = p->has_g ? hcode(p->g_dest ? 0 : 1, i->reg, p->byte && op < 0x100) : i->reg;
    if (!p->byte && !i->o32)
        emit_u8(e, 0x66);
    if (op >= 0x100)
        emit_u8(e, 0x0F);
    emit_u8(e, (uint8_t)op);
    if (op < 0x40 && ((op & 7) == 4 || (op & 7) == 5))
        ;                                /* AL/eAX, imm: no ModR/M */
    else if (op == 0xA8 || op == 0xA9)
        ;
    else
        emit_u8(e, (uint8_t)(0xC0 | ((reg_h & 7) << 3) | (rm_h & 7)));
    if (p->imm == 1)
        emit_u8(e, (uint8_t)i->imm);
    else if (p->imm == 2)
        emit_u16(e, (uint16_t)i->imm);
    else if (p->imm == 4)
        emit_u32(e, i->imm);
}

static bool copy_reg_form(struct tctx *t, const struct insn *i)
{
    struct plan p = { 0 };
    bool implicit_a = (i->opcode < 0x40 && ((i->opcode & 7) == 4 || (i->opcode & 7) == 5)) ||
                      i->opcode == 0xA8 || i->opcode == 0xA9;
    if (!implicit_a && i->mod != 3)
        return false;
    if (!plan_alu(i, &p) && !plan_group(i, &p))
        return false;
    if (i->prefixes & PFX_LOCK)
        return false;
    struct emit *e = &t->e;
    /* E is rm (or AL/eAX); movzx/movsx read a byte or word E. */
    bool e_byte = p.byte || i->opcode == 0x1B6 || i->opcode == 0x1BE;
    unsigned e_n = implicit_a ? 0 : i->rm;
    unsigned dest_n = p.g_dest ? i->reg : e_n;
    bool dest_byte = p.g_dest ? p.byte : e_byte;
    if ((p.fl_read || (p.fl_write && p.fl_write != ALL)) && !t->flags_dirty)
        flags_load(t);
    /* Destination into EAX, the other operand into ECX. */
    emit_mov_r32_m(e, H_RAX, reg_m(greg(dest_n, dest_byte)));
    if (p.has_g) {
        unsigned src_n = p.g_dest ? e_n : i->reg;
        bool src_byte = p.g_dest ? e_byte : p.byte;
        emit_mov_r32_m(e, H_RCX, reg_m(greg(src_n, src_byte)));
    }
    if (i->opcode >= 0x1B6) {
        /* movzx/movsx Gv, Eb/Ew: E in ECX (AH..BH as CH), G is EAX. */
        if (!i->o32)
            emit_u8(e, 0x66);
        emit_u8(e, 0x0F);
        emit_u8(e, (uint8_t)i->opcode);
        emit_u8(e, (uint8_t)(0xC0 | (0 << 3) | hcode(1, i->rm, e_byte)));
    } else {
        copy_insn(t, i, &p);
    }
    if (p.store)
        emit_mov_m_r32(e, reg_m(greg(dest_n, dest_byte)), H_RAX);
    if (p.fl_write) {
        t->flags_dirty = true;
        /* Every writer of AF decides it (INC/DEC too, though they keep CF). */
        if (p.fl_write & F_AF)
            t->af_zero = p.logic;
    }
    return true;
}

/* INC/DEC Zv (40-4F): one-byte forms that are REX prefixes in 64-bit
 * mode, re-encoded as FF /0 and FF /1. */
static bool incdec_zv(struct tctx *t, const struct insn *i)
{
    struct emit *e = &t->e;
    unsigned n = i->opcode & 7;
    if (!t->flags_dirty)
        flags_load(t);
    emit_mov_r32_m(e, H_RAX, reg_m(n));
    if (!i->o32)
        emit_u8(e, 0x66);
    emit_u8(e, 0xFF);
    emit_u8(e, (uint8_t)(0xC0 | ((i->opcode >= 0x48 ? 1u : 0u) << 3)));
    emit_mov_m_r32(e, reg_m(n), H_RAX);
    t->flags_dirty = true;
    t->af_zero = false;         /* INC/DEC compute AF */
    return true;
}

/* MOV Zb,Ib and MOV Zv,Iz: straight into the guest register. */
static bool mov_imm(struct tctx *t, const struct insn *i)
{
    struct emit *e = &t->e;
    unsigned n = i->opcode & 7;
    if (i->opcode < 0xB8) {
        struct mem m = reg_m(n & 3);
        m.disp += (n & 4) ? 1 : 0;
        emit_mov_m8_imm(e, m, (uint8_t)i->imm);
    } else if (i->o32) {
        emit_mov_m32_imm(e, reg_m(n), i->imm);
    } else {
        emit_u8(e, 0x66);
        emit_op_rm(e, 0xC7, false, 0, reg_m(n));
        emit_u16(e, (uint16_t)i->imm);
    }
    return true;
}

/* LEA Gv, M: the effective address, computed as the decoder describes it. */
static bool lea(struct tctx *t, const struct insn *i)
{
    struct emit *e = &t->e;
    emit_mov_r32_imm(e, H_RAX, i->disp);
    if (i->base != R_NONE)
        emit_alu_r32_m(e, ALU_ADD, H_RAX, reg_m(i->base));
    if (i->index != R_NONE) {
        emit_mov_r32_m(e, H_RCX, reg_m(i->index));
        if (i->scale)
            emit_shift_r32_imm(e, 4, H_RCX, i->scale);
        emit_alu_r32_r32(e, ALU_ADD, H_RAX, H_RCX);
    }
    /* The ADDs above changed host flags: save the guest's first. */
    if (!i->a32)
        emit_op_rr(e, 0x0FB7, false, H_RAX, H_RAX);     /* movzx eax, ax */
    if (i->o32)
        emit_mov_m_r32(e, reg_m(i->reg), H_RAX);
    else
        emit_mov_m16_r16(e, reg_m(i->reg), H_RAX);
    return true;
}

static bool is_jcc(const struct insn *i)
{
    return (i->opcode >= 0x70 && i->opcode <= 0x7F) ||
           (i->opcode >= 0x180 && i->opcode <= 0x18F);
}

/* A near jump whose target is known and inside the CS limit (else the
 * handler raises #GP). */
static bool static_jump(const struct tctx *t, const struct insn *i, uint32_t *target)
{
    uint32_t tg = t->next + i->imm;
    if (!i->o32)
        tg &= 0xFFFF;
    *target = tg;
    return tg <= t->b->key.cs_hi;
}

bool t_native(struct tctx *t, int k, bool last)
{
    const struct insn *i = &t->b->ins[k];
    uint32_t target;
    bool done = false;
    if (last) {
        if (is_jcc(i))
            return t->flags_dirty && static_jump(t, i, &target) && (t->b->kind[k] = K_COPIED, true);
        if (i->opcode == 0xEB || i->opcode == 0xE9)
            return static_jump(t, i, &target) && (t->b->kind[k] = K_COPIED, true);
    }
    if (i->row->cls != CL_PLAIN)
        return false;
    if (i->opcode >= 0x40 && i->opcode <= 0x4F)
        done = incdec_zv(t, i);
    else if (i->opcode >= 0xB0 && i->opcode <= 0xBF)
        done = mov_imm(t, i);
    else if (i->opcode == 0x8D) {
        t_flags_sync(t);
        done = lea(t, i);
    } else if (i->opcode == 0x90 && !(i->prefixes & PFX_REP))
        done = true;
    else
        done = copy_reg_form(t, i);
    if (done)
        t->b->kind[k] = K_COPIED;
    return done;
}

/* Exits after the last instruction when it was native: a Jcc on the host
 * flags, a JMP, or the fall-through. */
void t_native_end(struct tctx *t, int k)
{
    const struct insn *i = &t->b->ins[k];
    uint32_t target;
    struct emit *e = &t->e;
    int committed = t->committed;
    if (is_jcc(i)) {
        static_jump(t, i, &target);
        unsigned cc = i->opcode & 15;
        bool af = t->af_zero;
        uint8_t *fall = emit_jcc_rel32(e, cc ^ 1, e->p);
        t_flags_sync(t);
        t_count_to(t, k + 1);
        t_exit_direct(t, -1, target);
        if (!e->full)
            emit_patch_rel32(fall, e->p);
        t->flags_dirty = true;
        t->af_zero = af;
        t->committed = committed;
        t_flags_sync(t);
        t_count_to(t, k + 1);
        t_exit_direct(t, -1, t->next);
        return;
    }
    t_flags_sync(t);
    t_count_to(t, k + 1);
    if (i->opcode == 0xEB || i->opcode == 0xE9) {
        static_jump(t, i, &target);
        t_exit_direct(t, -1, target);
        return;
    }
    t_exit_direct(t, -1, t->next);
}
