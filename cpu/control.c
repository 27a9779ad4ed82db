/* control.c -- near control transfers (Jcc, JMP, CALL, RET, LOOP, JCXZ and
 * the indirect forms), BOUND, HLT, CLI and STI (SDM Vol. 2).  Far
 * transfers, INT and IRET live with the descriptor code. */
#include "cpu.h"
#include "flags.h"
#include "insn.h"
#include "mem.h"
#include "ops.h"
#include "stack.h"

/* A near target: 16-bit operand size truncates EIP to IP; a target past
 * the CS limit raises #GP(0) before anything else changes. */
static uint32_t near_target(struct cpu *c, const struct insn *i, uint32_t t)
{
    if (!i->o32)
        t &= 0xFFFF;
    if (t > c->seg[S_CS].hi)
        cpu_fault(c, EXC_GP, 0);
    return t;
}

static void near_jump(struct cpu *c, const struct insn *i, uint32_t t)
{
    c->eip = near_target(c, i, t);
}

/* The return address is pushed after the target is known to be good. */
static void near_call(struct cpu *c, const struct insn *i, uint32_t t)
{
    uint32_t target = near_target(c, i, t);
    push(c, i->o32 ? 4 : 2, c->eip);
    c->eip = target;
}

/* ---- jumps ---- */

void jcc_Jb(struct cpu *c, const struct insn *i)
{
    if (cond_true(c, i->row->arg))
        near_jump(c, i, c->eip + i->imm);
}

void jcc_Jz(struct cpu *c, const struct insn *i)
{
    if (cond_true(c, i->row->arg))
        near_jump(c, i, c->eip + i->imm);
}

/* E9 rel16/32 and EB rel8 (the decoder sign-extends both into imm). */
void jmp_Jz(struct cpu *c, const struct insn *i)
{
    near_jump(c, i, c->eip + i->imm);
}

void jmp_Ev(struct cpu *c, const struct insn *i)
{
    near_jump(c, i, E_rd(c, i, opsize(i)));
}

/* ---- calls and returns ---- */

void call_Jz(struct cpu *c, const struct insn *i)
{
    near_call(c, i, c->eip + i->imm);
}

/* CALL r/m: the operand is read before the push (CALL [ESP] uses the old
 * ESP). */
void call_Ev(struct cpu *c, const struct insn *i)
{
    near_call(c, i, E_rd(c, i, opsize(i)));
}

void ret(struct cpu *c, const struct insn *i)
{
    uint32_t t = pop(c, i->o32 ? 4 : 2);
    near_jump(c, i, t);
}

/* RET Iw: the immediate is added to ESP or SP by the stack size. */
void ret_Iw(struct cpu *c, const struct insn *i)
{
    uint32_t t = pop(c, i->o32 ? 4 : 2);
    near_jump(c, i, t);
    set_sp(c, c->r[R_ESP] + (i->imm & 0xFFFF));
}

/* ---- loops: CX or ECX by the ADDRESS size ---- */

static uint32_t count_mask(const struct insn *i)
{
    return i->a32 ? 0xFFFFFFFFu : 0xFFFFu;
}

/* Decrements the count and branches if it is not zero and `more` holds.
 * The target is checked before the count is written. */
static void loop_common(struct cpu *c, const struct insn *i, bool more)
{
    uint32_t m = count_mask(i);
    uint32_t cx = (c->r[R_ECX] - 1) & m;
    bool taken = cx != 0 && more;
    uint32_t t = taken ? near_target(c, i, c->eip + i->imm) : 0;
    c->r[R_ECX] = (c->r[R_ECX] & ~m) | cx;
    if (taken)
        c->eip = t;
}

void loop_Jb(struct cpu *c, const struct insn *i)
{
    loop_common(c, i, true);
}

void loope_Jb(struct cpu *c, const struct insn *i)
{
    loop_common(c, i, flag_zf(c));
}

void loopne_Jb(struct cpu *c, const struct insn *i)
{
    loop_common(c, i, !flag_zf(c));
}

void jcxz_Jb(struct cpu *c, const struct insn *i)
{
    if ((c->r[R_ECX] & count_mask(i)) == 0)
        near_jump(c, i, c->eip + i->imm);
}

/* ---- BOUND ---- */

static int32_t sext(uint32_t v, unsigned size)
{
    return size == 16 ? (int32_t)(int16_t)v : (int32_t)v;
}

/* BOUND r, m: the signed index must lie within [lower, upper], the two
 * bounds stored one after the other at m; otherwise #BR, a fault. */
void bound_Gv_Ma(struct cpu *c, const struct insn *i)
{
    unsigned size = opsize(i), n = size / 8;
    uint32_t off = ea(c, i);
    uint32_t amask = i->a32 ? 0xFFFFFFFFu : 0xFFFFu;
    int32_t lower = sext(mem_rd(c, i->seg, off, n), size);
    int32_t upper = sext(mem_rd(c, i->seg, (off + n) & amask, n), size);
    int32_t idx = sext(reg_rd(c, i->reg, size), size);
    if (idx < lower || idx > upper)
        cpu_fault_noerr(c, EXC_BR);
}

/* ---- HLT, CLI, STI ---- */

void hlt(struct cpu *c, const struct insn *i)
{
    (void)i;
    if (cpu_pm(c) && c->cpl != 0)
        cpu_fault(c, EXC_GP, 0);
    c->halted = true;
}

static unsigned iopl(const struct cpu *c)
{
    return (c->eflags & F_IOPL) >> 12;
}

/* Where CLI/STI act: on IF (allowed), on VIF (virtual-8086 mode with
 * CR4.VME, or CPL 3 with CR4.PVI, when IOPL forbids IF), or nowhere
 * (#GP(0)). */
enum if_target { IF_REAL, IF_VIRTUAL, IF_DENIED };

static enum if_target if_target(const struct cpu *c)
{
    if (!cpu_pm(c))
        return IF_REAL;
    if (cpu_v86(c)) {
        if (iopl(c) == 3)
            return IF_REAL;
        return (c->cr4 & CR4_VME) ? IF_VIRTUAL : IF_DENIED;
    }
    if (c->cpl <= iopl(c))
        return IF_REAL;
    if (c->cpl == 3 && (c->cr4 & CR4_PVI))
        return IF_VIRTUAL;
    return IF_DENIED;
}

void cli(struct cpu *c, const struct insn *i)
{
    (void)i;
    switch (if_target(c)) {
    case IF_REAL:
        c->eflags &= ~F_IF;
        break;
    case IF_VIRTUAL:
        c->eflags &= ~F_VIF;
        break;
    case IF_DENIED:
        cpu_fault(c, EXC_GP, 0);
    }
}

/* STI that sets IF delays interrupts until after the next instruction. */
void sti(struct cpu *c, const struct insn *i)
{
    (void)i;
    switch (if_target(c)) {
    case IF_REAL:
        if (!(c->eflags & F_IF))
            c->inhibit_irq = 1;
        c->eflags |= F_IF;
        break;
    case IF_VIRTUAL:
        if (c->eflags & F_VIP)
            cpu_fault(c, EXC_GP, 0);
        c->eflags |= F_VIF;
        break;
    case IF_DENIED:
        cpu_fault(c, EXC_GP, 0);
    }
}
