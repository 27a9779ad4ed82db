/* stack.c -- the stack family (SDM Vol. 2): PUSH/POP of registers, segment
 * registers, immediates and memory, PUSHA/POPA, PUSHF/POPF with the IOPL,
 * virtual-8086 and CR4.VME rules, ENTER and LEAVE.  Every handler does its
 * reads and checks before it changes a register other than ESP/EIP. */
#include "cpu.h"
#include "flags.h"
#include "insn.h"
#include "mem.h"
#include "ops.h"
#include "seg.h"
#include "stack.h"

static unsigned opbytes(const struct insn *i)
{
    return i->o32 ? 4 : 2;
}

/* ---- segment registers ---- */

/* A 32-bit push of a selector moves only 16 bits into the 4-byte slot
 * (SDM PUSH: what recent processors and Bochs do); the slot is reserved
 * whole, and its upper half keeps its old contents. */
void push_Sw(struct cpu *c, const struct insn *i)
{
    uint16_t sel = c->seg[i->row->arg].sel;
    if (!i->o32) {
        push(c, 2, sel);
        return;
    }
    uint32_t sp = (c->r[R_ESP] - 4) & stack_mask(c);
    uint32_t lin = seg_lin(c, S_SS, sp, 4, SEG_WRITE);
    lin_wr(c, lin, 2, sel);
    set_sp(c, sp);
}

/* POP sreg: the selector is popped (ESP moves with the old SS size), then
 * loaded, which may fault; the run loop then restores ESP.  POP SS blocks
 * interrupts until after the next instruction, so that the following
 * load of ESP happens with no interrupt in between. */
void pop_Sw(struct cpu *c, const struct insn *i)
{
    int s = i->row->arg;
    uint16_t sel = (uint16_t)pop(c, opbytes(i));
    seg_load(c, s, sel);
    if (s == S_SS)
        c->inhibit_irq = 1;
}

/* ---- general registers ---- */

/* PUSH ESP pushes the value ESP had before the instruction. */
void push_Zv(struct cpu *c, const struct insn *i)
{
    unsigned size = opsize(i);
    push(c, size / 8, reg_rd(c, i->opcode & 7, size));
}

/* POP ESP: the increment happens first, then the popped value replaces it. */
void pop_Zv(struct cpu *c, const struct insn *i)
{
    unsigned size = opsize(i);
    uint32_t v = pop(c, size / 8);
    reg_wr(c, i->opcode & 7, size, v);
}

void push_Iz(struct cpu *c, const struct insn *i)
{
    push(c, opbytes(i), i->imm);
}

/* PUSH r/m: the operand is read with the ESP of before the push. */
void push_Ev(struct cpu *c, const struct insn *i)
{
    unsigned size = opsize(i);
    push(c, size / 8, E_rd(c, i, size));
}

/* POP r/m: an address based on ESP is computed after the increment (SDM
 * POP).  If the store faults, the run loop puts ESP back. */
void pop_Ev(struct cpu *c, const struct insn *i)
{
    unsigned size = opsize(i);
    uint32_t v = pop(c, size / 8);
    E_wr(c, i, size, v);
}

/* PUSHA/PUSHAD: AX CX DX BX, the original SP, BP SI DI.  All eight slots
 * are checked (segment and page) before the first store, so a bad stack
 * faults with memory untouched. */
void pusha(struct cpu *c, const struct insn *i)
{
    unsigned n = opbytes(i), size = n * 8;
    uint32_t mask = stack_mask(c), sp = c->r[R_ESP];
    uint32_t lin[8];
    for (int k = 0; k < 8; k++) {
        uint32_t off = (sp - n * (uint32_t)(k + 1)) & mask;
        lin[k] = seg_lin(c, S_SS, off, n, SEG_WRITE);
        mmu_probe_write(c, lin[k], n, ACC_WRITE);
    }
    for (int k = 0; k < 8; k++)
        lin_wr(c, lin[k], n, reg_rd(c, k, size));
    set_sp(c, sp - 8 * n);
}

/* POPA/POPAD: everything is read before any register changes; the saved
 * SP slot is skipped. */
void popa(struct cpu *c, const struct insn *i)
{
    unsigned n = opbytes(i), size = n * 8;
    uint32_t mask = stack_mask(c), sp = c->r[R_ESP];
    uint32_t v[8];
    for (int k = 0; k < 8; k++)
        v[7 - k] = mem_rd(c, S_SS, (sp + n * (uint32_t)k) & mask, n);
    for (int k = 0; k < 8; k++)
        if (k != R_ESP)
            reg_wr(c, k, size, v[k]);
    set_sp(c, sp + 8 * n);
}

/* ---- flags ---- */

static unsigned iopl(const struct cpu *c)
{
    return (c->eflags & F_IOPL) >> 12;
}

/* Virtual-8086 mode with IOPL < 3 and CR4.VME: 16-bit PUSHF/POPF work on
 * the virtual interrupt flag (SDM Vol. 3, 20.3). */
static bool vme_flags(const struct cpu *c, const struct insn *i)
{
    return (c->cr4 & CR4_VME) && !i->o32;
}

void pushf_Fv(struct cpu *c, const struct insn *i)
{
    uint32_t f = cpu_get_eflags(c);
    if (cpu_v86(c) && iopl(c) < 3) {
        if (!vme_flags(c, i))
            cpu_fault(c, EXC_GP, 0);
        /* IF is replaced by VIF, IOPL reads as 3. */
        f = (f & ~F_IF) | ((f & F_VIF) ? F_IF : 0) | F_IOPL;
    }
    if (i->o32)
        push(c, 4, f & 0x00FCFFFFu);     /* VM and RF read as 0 */
    else
        push(c, 2, f & 0xFFFF);
}

/* The EFLAGS bits a POPF may change in the current mode; VM, RF, VIP and
 * VIF never change.  CPL 0 may change IOPL, CPL <= IOPL may change IF. */
static uint32_t popf_mask(const struct cpu *c, const struct insn *i)
{
    uint32_t m = F_ARITH | F_TF | F_DF | F_NT;
    if (i->o32 && c->model >= CPU_486)
        m |= F_AC | F_ID;                /* the 386 has neither */
    if (!cpu_pm(c)) {
        m |= F_IF | F_IOPL;
        if (c->model == CPU_286)
            m &= ~(F_IOPL | F_NT);       /* bits 12-15 stay 0 in real mode */
    } else if (cpu_v86(c)) {
        m |= F_IF;                       /* IOPL is 3 here, or we faulted */
    } else {
        if (c->cpl == 0)
            m |= F_IOPL;
        if (c->cpl <= iopl(c))
            m |= F_IF;
    }
    if (!i->o32)
        m &= 0xFFFF;
    return m;
}

/* POPF in virtual-8086 mode with IOPL < 3 and CR4.VME: the popped IF goes
 * to VIF; IF and IOPL stay.  Setting VIF with VIP pending, or setting TF,
 * raises #GP(0) instead. */
static void popf_vme(struct cpu *c)
{
    uint32_t sp = c->r[R_ESP] & stack_mask(c);
    uint32_t v = mem_rd(c, S_SS, sp, 2);
    if (((c->eflags & F_VIP) && (v & F_IF)) || (v & F_TF))
        cpu_fault(c, EXC_GP, 0);
    set_sp(c, sp + 2);
    uint32_t m = F_ARITH | F_TF | F_DF | F_NT;      /* TF is 0 here */
    uint32_t f = (cpu_get_eflags(c) & ~m) | (v & m);
    f = (f & ~F_VIF) | ((v & F_IF) ? F_VIF : 0);
    cpu_set_eflags(c, f);
}

void popf_Fv(struct cpu *c, const struct insn *i)
{
    if (cpu_v86(c) && iopl(c) < 3) {
        if (!vme_flags(c, i))
            cpu_fault(c, EXC_GP, 0);
        popf_vme(c);
        return;
    }
    uint32_t v = pop(c, opbytes(i));
    uint32_t m = popf_mask(c, i);
    cpu_set_eflags(c, (cpu_get_eflags(c) & ~m) | (v & m));
}

/* ---- procedure frames ---- */

/* ENTER Iw, Ib (SDM ENTER): the nesting level is taken mod 32.  The stack
 * size (SS.B) decides ESP/SP and the width of the frame-pointer walk, the
 * operand size what is pushed and whether BP or EBP is set.  EBP is
 * committed last, so a fault in the middle changes no register. */
void enter_Iw_Ib(struct cpu *c, const struct insn *i)
{
    unsigned n = opbytes(i), size = n * 8;
    uint32_t mask = stack_mask(c);
    unsigned level = i->imm2 & 31;
    push(c, n, reg_rd(c, R_EBP, size));
    uint32_t frame = c->r[R_ESP];
    if (level > 0) {
        uint32_t bp = c->r[R_EBP];
        for (unsigned k = 1; k < level; k++) {
            bp -= n;
            push(c, n, mem_rd(c, S_SS, bp & mask, n));
        }
        push(c, n, frame);
    }
    uint32_t sp = (c->r[R_ESP] - (i->imm & 0xFFFF)) & mask;
    /* The new top of stack must be inside SS (#SS otherwise, SDM). */
    seg_lin(c, S_SS, sp, n, SEG_WRITE);
    set_sp(c, sp);
    reg_wr(c, R_EBP, size, frame);
}

/* LEAVE: ESP (or SP, by stack size) from EBP, then pop EBP (or BP). */
void leave(struct cpu *c, const struct insn *i)
{
    unsigned n = opbytes(i);
    uint32_t sp = c->r[R_EBP] & stack_mask(c);
    uint32_t v = mem_rd(c, S_SS, sp, n);
    set_sp(c, sp + n);
    reg_wr(c, R_EBP, n * 8, v);
}
