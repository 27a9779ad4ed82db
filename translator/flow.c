/* flow.c -- stack instructions and control transfers in translated code:
 * PUSH/POP of registers and immediates, LEAVE, CALL rel, RET, JMP and
 * Jcc (on the host flags), CALL/JMP through a register or memory.  The
 * stack accesses are TLB-probed like any memory operand (mem.c); ESP
 * changes only after the access, so a fault leaves it as it was.  Only a
 * 32-bit flat stack (and a flat 4 GiB code segment for indirect targets)
 * is handled here; the rest goes to the interpreter's handlers. */
#include "cpu/mem.h"
#include "translator/tctx.h"

static bool flat_stack(const struct tctx *t, const struct insn *i)
{
    uint32_t m = t->b->key.mode;
    return i->o32 && (m & MODE_SS32) && ((m >> (MODE_FLAT_SHIFT + S_SS)) & 1);
}

static bool flat_code(const struct tctx *t)
{
    return t->b->key.cs_base == 0 && t->b->key.cs_hi == 0xFFFFFFFFu;
}

/* ---- the [R9] parts (mem.c emits them inline and in the slow path) ---- */

static void op_store_reg(struct tctx *t, const struct insn *i, uint32_t n)
{
    (void)i;
    emit_mov_m_r32(&t->e, M(H_PTR, 0), hreg(n));
}

static void op_store_imm(struct tctx *t, const struct insn *i, uint32_t v)
{
    (void)i;
    emit_mov_m32_imm(&t->e, M(H_PTR, 0), v);
}

static void op_load_reg(struct tctx *t, const struct insn *i, uint32_t reg)
{
    (void)i;
    emit_mov_r32_m(&t->e, reg, M(H_PTR, 0));
}

/* String instructions: sized moves between [R9], rt->tmp and AL/AX/EAX. */
static void mov_sized(struct emit *e, unsigned size, bool load, unsigned reg, struct mem m)
{
    if (size == 2)
        emit_u8(e, 0x66);
    emit_op_rm(e, (size == 1 ? 0x8A : 0x8B) - (load ? 0 : 2), false, reg, m);
}

static void op_load_tmp(struct tctx *t, const struct insn *i, uint32_t size)
{
    (void)i;
    mov_sized(&t->e, size, true, H_T1, M(H_PTR, 0));
    emit_mov_m_r32(&t->e, RT_M(tmp), H_T1);
}

static void op_store_tmp(struct tctx *t, const struct insn *i, uint32_t size)
{
    (void)i;
    emit_mov_r32_m(&t->e, H_T1, RT_M(tmp));
    mov_sized(&t->e, size, false, H_T1, M(H_PTR, 0));
}

static void op_store_acc(struct tctx *t, const struct insn *i, uint32_t size)
{
    (void)i;
    mov_sized(&t->e, size, false, H_RAX, M(H_PTR, 0));
}

static void op_load_acc(struct tctx *t, const struct insn *i, uint32_t size)
{
    (void)i;
    mov_sized(&t->e, size, true, H_RAX, M(H_PTR, 0));
}

static bool seg_flat(const struct tctx *t, unsigned seg)
{
    return (t->b->key.mode >> (MODE_FLAT_SHIFT + seg)) & 1;
}

/* MOVS, STOS, LODS without REP, 32-bit addressing, flat segments: the
 * accesses, then ESI/EDI step by the size (down when DF, in the key). */
static bool string_op(struct tctx *t, const struct insn *i)
{
    unsigned op = i->opcode, size = (op & 1) ? (i->o32 ? 4 : 2) : 1;
    int32_t step = (t->b->key.mode & MODE_DF) ? -(int32_t)size : (int32_t)size;
    bool src = op == 0xA4 || op == 0xA5 || op == 0xAC || op == 0xAD;
    bool dst = op == 0xA4 || op == 0xA5 || op == 0xAA || op == 0xAB;
    if (!i->a32 || (src && !seg_flat(t, i->seg)) || (dst && !seg_flat(t, S_ES)))
        return false;
    if (op == 0xA4 || op == 0xA5) {
        emit_mov_r32_r32(&t->e, H_LIN, hreg(R_ESI));
        t_mem_access(t, i->seg, MA_READ, size, op_load_tmp, i, size);
        struct mem_tail tail = { .esi = step, .edi = step };
        emit_mov_r32_r32(&t->e, H_LIN, hreg(R_EDI));
        t_mem_access_tail(t, S_ES, MA_WRITE, size, op_store_tmp, i, size, &tail);
    } else if (dst) {
        struct mem_tail tail = { .edi = step };
        emit_mov_r32_r32(&t->e, H_LIN, hreg(R_EDI));
        t_mem_access_tail(t, S_ES, MA_WRITE, size, op_store_acc, i, size, &tail);
    } else {
        emit_mov_r32_r32(&t->e, H_LIN, hreg(R_ESI));
        t_mem_access(t, i->seg, MA_READ, size, op_load_acc, i, size);
    }
    if (src)
        emit_op_rm(&t->e, 0x8D, false, hreg(R_ESI), M(hreg(R_ESI), step));
    if (dst)
        emit_op_rm(&t->e, 0x8D, false, hreg(R_EDI), M(hreg(R_EDI), step));
    return true;
}

/* ---- pieces ---- */

static void esp_add(struct tctx *t, int32_t n)
{
    emit_op_rm(&t->e, 0x8D, false, hreg(R_ESP), M(hreg(R_ESP), n));
}

/* PUSH of register n (arg) or an immediate; tail: a CALL's target. */
static void push(struct tctx *t, const struct insn *i, op_fn op, uint32_t arg,
                 const struct mem_tail *call)
{
    struct mem_tail tail = { .esp = -4 };
    if (call) {
        tail = *call;
        tail.esp = -4;
    }
    emit_op_rm(&t->e, 0x8D, false, H_LIN, M(hreg(R_ESP), -4));
    t_mem_access_tail(t, S_SS, MA_WRITE, 4, op, i, arg, &tail);
    esp_add(t, -4);
}

/* The last instruction's exits come after its count and flags. */
static void retire(struct tctx *t, int k)
{
    t_flags_sync(t);
    t_count_to(t, k + 1);
    t->ended = true;
}

static bool is_jcc(const struct insn *i)
{
    return (i->opcode >= 0x70 && i->opcode <= 0x7F) ||
           (i->opcode >= 0x180 && i->opcode <= 0x18F);
}

/* A Jcc on the host flags: both ways chainable exits. */
static void jcc(struct tctx *t, int k, const struct insn *i, uint32_t target)
{
    struct emit *e = &t->e;
    int committed = t->committed;
    if (t->of.kind && (i->row->flags_read & F_OF)) {
        t_of_make(t, t->of);
        t->of.kind = 0;
    }
    t_flags_host(t);
    bool af = t->af_zero;
    struct of_due of = t->of;
    uint8_t *fall = NULL;
    if (!t_loop_back(t, k, (unsigned)i->opcode & 15, target)) {
        fall = emit_jcc_rel32(e, (i->opcode & 15) ^ 1, e->p);
        if (!t_loop_back(t, k, -1, target)) {
            retire(t, k);
            t_exit_direct(t, -1, target);
        }
    }
    if (fall && !e->full)
        emit_patch_rel32(fall, e->p);
    t->fl = FL_HOST;
    t->af_zero = af;
    t->of = of;
    t->committed = committed;
    retire(t, k);
    t_exit_direct(t, -1, t->next);
}

/* Transfers that end the block. */
static bool transfer(struct tctx *t, int k, const struct insn *i)
{
    unsigned op = i->opcode;
    uint32_t target = t->next + i->imm;
    if (!i->o32)
        target &= 0xFFFF;
    bool in_limit = target <= t->b->key.cs_hi;
    if (is_jcc(i) && in_limit) {
        jcc(t, k, i, target);
        return true;
    }
    if ((op == 0xEB || op == 0xE9) && in_limit) {
        retire(t, k);
        t_exit_direct(t, -1, target);
        return true;
    }
    if (op == 0xE8 && in_limit && flat_stack(t, i)) {
        struct mem_tail call = { .has_eip = true, .eip = target };
        push(t, i, op_store_imm, t->next, &call);
        retire(t, k);
        t_exit_direct(t, -1, target);
        return true;
    }
    if ((op == 0xC3 || op == 0xC2) && flat_stack(t, i) && flat_code(t)) {
        emit_mov_r32_r32(&t->e, H_LIN, hreg(R_ESP));
        t_mem_access(t, S_SS, MA_READ, 4, op_load_reg, i, H_T1);
        esp_add(t, 4 + (op == 0xC2 ? (int32_t)(i->imm & 0xFFFF) : 0));
        emit_mov_m_r32(&t->e, CPU_M(eip), H_T1);
        retire(t, k);
        t_exit_indirect(t);
        return true;
    }
    if (op == 0xFF && (i->reg == 2 || i->reg == 4) && i->o32 && flat_code(t) &&
        (i->reg == 4 || (i->mod == 3 && flat_stack(t, i)))) {
        if (i->mod == 3) {
            emit_mov_m_r32(&t->e, CPU_M(eip), hreg(i->rm));
        } else if (i->reg == 4 && t_mem_lin(t, i)) {
            t_mem_access(t, i->seg, MA_READ, 4, op_load_reg, i, H_T1);
            emit_mov_m_r32(&t->e, CPU_M(eip), H_T1);
        } else {
            return false;
        }
        struct mem_tail call = { .eip_stored = true };
        if (i->reg == 2)
            push(t, i, op_store_imm, t->next, &call);
        retire(t, k);
        t_exit_indirect(t);
        return true;
    }
    return false;
}

bool t_flow(struct tctx *t, int k, bool last)
{
    const struct insn *i = &t->b->ins[k];
    unsigned op = i->opcode;
    if (i->prefixes & (PFX_LOCK | PFX_REP | PFX_REPNE))
        return false;
    if (last && i->row->cls == CL_BRANCH) {
        if (!transfer(t, k, i))
            return false;
        t->b->kind[k] = (is_jcc(i) || op == 0xEB || op == 0xE9 ||
                         (op == 0xFF && i->mod == 3)) ? K_COPIED : K_TRANSLATED;
        return true;
    }
    if (i->row->cls != CL_PLAIN)
        return false;
    bool stack = (op >= 0x50 && op <= 0x5F) || op == 0x68 || op == 0x6A || op == 0xC9;
    if (stack && !flat_stack(t, i))
        return false;
    if (op >= 0x50 && op <= 0x57) {
        push(t, i, op_store_reg, op & 7, NULL);
    } else if (op == 0x68 || op == 0x6A) {
        push(t, i, op_store_imm, i->imm, NULL);
    } else if (op >= 0x58 && op <= 0x5F && op != 0x5C) {
        emit_mov_r32_r32(&t->e, H_LIN, hreg(R_ESP));
        t_mem_access(t, S_SS, MA_READ, 4, op_load_reg, i, hreg(op & 7));
        esp_add(t, 4);
    } else if ((op >= 0xA4 && op <= 0xA5) || (op >= 0xAA && op <= 0xAD)) {
        if (!string_op(t, i))
            return false;
    } else if (op == 0xC9) {
        emit_mov_r32_r32(&t->e, H_LIN, hreg(R_EBP));
        t_mem_access(t, S_SS, MA_READ, 4, op_load_reg, i, H_T1);
        emit_op_rm(&t->e, 0x8D, false, hreg(R_ESP), M(hreg(R_EBP), 4));
        emit_mov_r32_r32(&t->e, hreg(R_EBP), H_T1);
    } else {
        return false;
    }
    t->b->kind[k] = K_TRANSLATED;
    return true;
}
