/* far.c -- far JMP, CALL, RET and IRET (SDM Vol. 2 pseudo-code) in real,
 * virtual-8086 and protected mode: code segments, call gates with the
 * inner-stack switch and parameter copying, task gates and TSSs, returns
 * to outer rings, IRET back to virtual-8086 mode and nested task returns.
 * Every check comes before the first change of state (precise faults). */
#include "flags.h"
#include "insn.h"
#include "mem.h"
#include "ops.h"
#include "pm.h"
#include "stack.h"
#include "task.h"

static bool real_like(const struct cpu *c)
{
    return !cpu_pm(c) || cpu_v86(c);
}

static unsigned iopl(const struct cpu *c)
{
    return (c->eflags >> 12) & 3;
}

/* The far pointer of a memory operand: offset, then the selector. */
static void read_far_ptr(struct cpu *c, const struct insn *i, uint32_t *off,
                         uint16_t *sel)
{
    unsigned size = i->o32 ? 4 : 2;
    uint32_t a = ea(c, i);
    uint32_t a2 = a + size;
    if (!i->a32)
        a2 &= 0xFFFF;
    *off = mem_rd(c, i->seg, a, size);
    *sel = (uint16_t)mem_rd(c, i->seg, a2, 2);
}

/* ---- real and virtual-8086 mode: CS = selector << 4 ---- */

static void jmp_real(struct cpu *c, uint16_t sel, uint32_t off)
{
    if (off > c->seg[S_CS].hi)
        cpu_fault(c, EXC_GP, 0);
    seg_set_real(c, S_CS, sel);
    c->eip = off;
}

static void call_real(struct cpu *c, uint16_t sel, uint32_t off, unsigned size)
{
    push(c, size, c->seg[S_CS].sel);
    push(c, size, c->eip);
    jmp_real(c, sel, off);
}

/* ---- protected mode: privilege checks shared by JMP and CALL ---- */

/* A direct JMP or CALL to a code segment keeps the CPL. */
static void check_direct_code(struct cpu *c, uint16_t sel, const struct descriptor *d)
{
    unsigned dpl = ar_dpl(d->ar);
    if (ar_conforming(d->ar) ? dpl > c->cpl : ((sel & 3u) > c->cpl || dpl != c->cpl))
        cpu_fault(c, EXC_GP, sel_err(sel, 0));
    if (!ar_present(d->ar))
        cpu_fault(c, EXC_NP, sel_err(sel, 0));
}

/* A gate (call or task) may be used when its DPL >= CPL and >= RPL. */
static void check_gate(struct cpu *c, uint16_t sel, const struct descriptor *g)
{
    unsigned dpl = ar_dpl(g->ar);
    if (dpl < c->cpl || dpl < (sel & 3u))
        cpu_fault(c, EXC_GP, sel_err(sel, 0));
    if (!ar_present(g->ar))
        cpu_fault(c, EXC_NP, sel_err(sel, 0));
}

/* The code segment a call gate names: must exist; the caller checks type
 * and privilege, which differ for JMP and CALL. */
static uint16_t gate_code(struct cpu *c, const struct descriptor *g, struct descriptor *cd)
{
    uint16_t cs = gate_sel(g);
    if (sel_null(cs))
        cpu_fault(c, EXC_GP, 0);
    desc_fetch_or(c, cs, cd, EXC_GP, 0);
    return cs;
}

static void check_entry(struct cpu *c, const struct descriptor *cd, uint32_t off)
{
    if (!desc_in_limit(cd, off))
        cpu_fault(c, EXC_GP, 0);
}

/* JMP or CALL to a TSS, directly or through a task gate. */
static void far_task(struct cpu *c, uint16_t tss, enum task_reason why)
{
    struct descriptor d;
    if (tss & 4)
        cpu_fault(c, EXC_GP, sel_err(tss, 0));
    desc_fetch_or(c, tss, &d, EXC_GP, 0);
    if (!ar_tss(d.ar) || ar_tss_busy(d.ar))
        cpu_fault(c, EXC_GP, sel_err(tss, 0));
    if (!ar_present(d.ar))
        cpu_fault(c, EXC_NP, sel_err(tss, 0));
    task_switch(c, tss, &d, why, 0);
    if (c->eip > c->seg[S_CS].hi)
        cpu_fault(c, EXC_GP, 0);
}

static void far_tss(struct cpu *c, uint16_t sel, const struct descriptor *d,
                    enum task_reason why)
{
    unsigned dpl = ar_dpl(d->ar);
    if (dpl < c->cpl || dpl < (sel & 3u) || ar_tss_busy(d->ar))
        cpu_fault(c, EXC_GP, sel_err(sel, 0));
    if (!ar_present(d->ar))
        cpu_fault(c, EXC_NP, sel_err(sel, 0));
    far_task(c, sel, why);
}

static void far_task_gate(struct cpu *c, uint16_t sel, const struct descriptor *g,
                          enum task_reason why)
{
    check_gate(c, sel, g);
    far_task(c, gate_sel(g), why);
}

/* Reads the descriptor a far JMP/CALL names; #GP for anything that is not
 * code, a call gate, a task gate or a TSS. */
static void far_target(struct cpu *c, uint16_t sel, struct descriptor *d)
{
    if (sel_null(sel))
        cpu_fault(c, EXC_GP, 0);
    desc_fetch_or(c, sel, d, EXC_GP, 0);
    if (ar_code(d->ar))
        return;
    if (ar_system(d->ar)) {
        unsigned t = ar_type(d->ar);
        if (t == SYS_CALL16 || t == SYS_CALL32 || t == SYS_TASK || ar_tss(d->ar))
            return;
    }
    cpu_fault(c, EXC_GP, sel_err(sel, 0));
}

/* ---- JMP ---- */

static void jmp_gate(struct cpu *c, uint16_t sel, const struct descriptor *g)
{
    struct descriptor cd;
    check_gate(c, sel, g);
    uint16_t cs = gate_code(c, g, &cd);
    unsigned dpl = ar_dpl(cd.ar);
    if (!ar_code(cd.ar) || (ar_conforming(cd.ar) ? dpl > c->cpl : dpl != c->cpl))
        cpu_fault(c, EXC_GP, sel_err(cs, 0));
    if (!ar_present(cd.ar))
        cpu_fault(c, EXC_NP, sel_err(cs, 0));
    uint32_t off = gate_offset(g);
    check_entry(c, &cd, off);
    load_cs(c, cs, &cd, c->cpl);
    c->eip = off;
}

static void jmp_pm(struct cpu *c, uint16_t sel, uint32_t off)
{
    struct descriptor d;
    far_target(c, sel, &d);
    if (ar_code(d.ar)) {
        check_direct_code(c, sel, &d);
        check_entry(c, &d, off);
        load_cs(c, sel, &d, c->cpl);
        c->eip = off;
    } else if (ar_tss(d.ar)) {
        far_tss(c, sel, &d, TASK_JMP);
    } else if (ar_type(d.ar) == SYS_TASK) {
        far_task_gate(c, sel, &d, TASK_JMP);
    } else {
        jmp_gate(c, sel, &d);
    }
}

static void far_jmp(struct cpu *c, uint16_t sel, uint32_t off, bool o32)
{
    if (!o32)
        off &= 0xFFFF;
    if (real_like(c))
        jmp_real(c, sel, off);
    else
        jmp_pm(c, sel, off);
}

void jmpf_Ap(struct cpu *c, const struct insn *i)
{
    far_jmp(c, (uint16_t)i->imm2, i->imm, i->o32);
}

void jmpf_Mp(struct cpu *c, const struct insn *i)
{
    uint32_t off;
    uint16_t sel;
    read_far_ptr(c, i, &off, &sel);
    far_jmp(c, sel, off, i->o32);
}

/* ---- CALL ---- */

/* A call to a more privileged, non-conforming segment through a gate:
 * new stack from the TSS; it receives the caller's SS:ESP, the gate's
 * parameter count of words or dwords copied from the caller's stack, and
 * the return address. */
static void call_gate_inner(struct cpu *c, const struct descriptor *g,
                            uint16_t cs, struct descriptor *cd)
{
    unsigned dpl = ar_dpl(cd->ar);
    unsigned size = gate_is32(g) ? 4 : 2;
    uint16_t ss;
    uint32_t esp;
    struct descriptor ssd;
    tss_inner_stack(c, dpl, 0, &ss, &esp, &ssd);

    struct seg stack;
    seg_set_cache(&stack, ss, ssd.base, ssd.limit, ssd.ar);
    struct frame f;
    frame_init(&f, &stack, esp, size, true);
    frame_push(&f, c->seg[S_SS].sel);
    frame_push(&f, c->r[R_ESP]);
    for (int k = (int)gate_params(g) - 1; k >= 0; k--)
        frame_push(&f, stack_peek(c, (uint32_t)k * size, size));
    frame_push(&f, c->seg[S_CS].sel);
    frame_push(&f, c->eip);
    frame_check(c, &f, EXC_SS, sel_err(ss, 0));
    uint32_t off = gate_offset(g);
    check_entry(c, cd, off);
    esp = frame_write(c, &f, EXC_SS, sel_err(ss, 0));

    desc_set_accessed(c, ss, &ssd);
    desc_set_accessed(c, cs, cd);
    seg_set_cache(&c->seg[S_SS], ss, ssd.base, ssd.limit, ssd.ar);
    c->r[R_ESP] = esp;
    load_cs(c, cs, cd, dpl);
    c->eip = off;
}

static void call_gate(struct cpu *c, uint16_t sel, const struct descriptor *g)
{
    struct descriptor cd;
    check_gate(c, sel, g);
    uint16_t cs = gate_code(c, g, &cd);
    unsigned dpl = ar_dpl(cd.ar);
    if (!ar_code(cd.ar) || dpl > c->cpl)
        cpu_fault(c, EXC_GP, sel_err(cs, 0));
    if (!ar_present(cd.ar))
        cpu_fault(c, EXC_NP, sel_err(cs, 0));
    if (!ar_conforming(cd.ar) && dpl < c->cpl) {
        call_gate_inner(c, g, cs, &cd);
        return;
    }
    unsigned size = gate_is32(g) ? 4 : 2;
    push(c, size, c->seg[S_CS].sel);
    push(c, size, c->eip);
    uint32_t off = gate_offset(g);
    check_entry(c, &cd, off);
    load_cs(c, cs, &cd, c->cpl);
    c->eip = off;
}

static void call_pm(struct cpu *c, uint16_t sel, uint32_t off, unsigned size)
{
    struct descriptor d;
    far_target(c, sel, &d);
    if (ar_code(d.ar)) {
        check_direct_code(c, sel, &d);
        push(c, size, c->seg[S_CS].sel);
        push(c, size, c->eip);
        check_entry(c, &d, off);
        load_cs(c, sel, &d, c->cpl);
        c->eip = off;
    } else if (ar_tss(d.ar)) {
        far_tss(c, sel, &d, TASK_CALL);
    } else if (ar_type(d.ar) == SYS_TASK) {
        far_task_gate(c, sel, &d, TASK_CALL);
    } else {
        call_gate(c, sel, &d);
    }
}

static void far_call(struct cpu *c, uint16_t sel, uint32_t off, bool o32)
{
    unsigned size = o32 ? 4 : 2;
    if (!o32)
        off &= 0xFFFF;
    if (real_like(c))
        call_real(c, sel, off, size);
    else
        call_pm(c, sel, off, size);
}

void callf_Ap(struct cpu *c, const struct insn *i)
{
    far_call(c, (uint16_t)i->imm2, i->imm, i->o32);
}

void callf_Mp(struct cpu *c, const struct insn *i)
{
    uint32_t off;
    uint16_t sel;
    read_far_ptr(c, i, &off, &sel);
    far_call(c, sel, off, i->o32);
}

/* ---- RETF ---- */

/* After a return to an outer ring, data segment registers the new CPL may
 * not use are nulled (conforming code stays usable from every ring). */
static void null_outer_segs(struct cpu *c)
{
    static const int segs[] = { S_ES, S_DS, S_FS, S_GS };
    for (unsigned k = 0; k < sizeof segs / sizeof segs[0]; k++) {
        uint16_t ar = c->seg[segs[k]].ar;
        if (!ar_conforming(ar) && ar_dpl(ar) < c->cpl)
            seg_load_null(c, segs[k], 0);
    }
}

/* The code segment a far return or IRET goes back to. */
static void check_return_cs(struct cpu *c, uint16_t sel, struct descriptor *d)
{
    if (sel_null(sel))
        cpu_fault(c, EXC_GP, 0);
    desc_fetch_or(c, sel, d, EXC_GP, 0);
    unsigned dpl = ar_dpl(d->ar), rpl = sel & 3u;
    if (!ar_code(d->ar) || rpl < c->cpl ||
        (ar_conforming(d->ar) ? dpl > rpl : dpl != rpl))
        cpu_fault(c, EXC_GP, sel_err(sel, 0));
    if (!ar_present(d->ar))
        cpu_fault(c, EXC_NP, sel_err(sel, 0));
}

/* The stack of the outer ring: SS must fit the return CS's RPL. */
static void check_return_ss(struct cpu *c, uint16_t ss, unsigned rpl,
                            struct descriptor *d)
{
    if (sel_null(ss))
        cpu_fault(c, EXC_GP, 0);
    desc_fetch_or(c, ss, d, EXC_GP, 0);
    if ((ss & 3u) != rpl || !ar_writable_data(d->ar) || ar_dpl(d->ar) != rpl)
        cpu_fault(c, EXC_GP, sel_err(ss, 0));
    if (!ar_present(d->ar))
        cpu_fault(c, EXC_SS, sel_err(ss, 0));
}

/* Switches to the outer ring's CS and SS:ESP (all checked). */
static void enter_outer(struct cpu *c, uint16_t cs, struct descriptor *cd,
                        uint16_t ss, struct descriptor *sd, uint32_t esp)
{
    desc_set_accessed(c, cs, cd);
    desc_set_accessed(c, ss, sd);
    load_cs(c, cs, cd, cs & 3u);
    seg_set_cache(&c->seg[S_SS], ss, sd->base, sd->limit, sd->ar);
    if (sd->ar & AR_DB)
        c->r[R_ESP] = esp;
    else
        c->r[R_ESP] = (c->r[R_ESP] & 0xFFFF0000u) | (esp & 0xFFFF);
    null_outer_segs(c);
}

static void retf_pm(struct cpu *c, unsigned size, uint32_t imm)
{
    uint32_t off = stack_peek(c, 0, size);
    uint16_t sel = (uint16_t)stack_peek(c, size, size);
    struct descriptor d;
    check_return_cs(c, sel, &d);
    unsigned rpl = sel & 3u;
    if (rpl == c->cpl) {
        check_entry(c, &d, off);
        load_cs(c, sel, &d, c->cpl);
        c->eip = off;
        set_sp(c, c->r[R_ESP] + 2 * size + imm);
        return;
    }
    uint32_t at = 2 * size + imm;
    uint32_t esp = stack_peek(c, at, size);
    uint16_t ss = (uint16_t)stack_peek(c, at + size, size);
    struct descriptor sd;
    check_return_ss(c, ss, rpl, &sd);
    check_entry(c, &d, off);
    enter_outer(c, sel, &d, ss, &sd, esp + imm);
    c->eip = off;
}

static void far_ret(struct cpu *c, const struct insn *i, uint32_t imm)
{
    unsigned size = i->o32 ? 4 : 2;
    if (!real_like(c)) {
        retf_pm(c, size, imm);
        return;
    }
    uint32_t off = pop(c, size);
    uint16_t sel = (uint16_t)pop(c, size);
    jmp_real(c, sel, off);
    set_sp(c, c->r[R_ESP] + imm);
}

void retf(struct cpu *c, const struct insn *i)
{
    far_ret(c, i, 0);
}

void retf_Iw(struct cpu *c, const struct insn *i)
{
    far_ret(c, i, i->imm & 0xFFFF);
}

/* ---- IRET ---- */

/* AC and ID exist from the 486 on (as POPF has them, stack.c). */
static uint32_t model_flags(const struct cpu *c)
{
    return c->model >= CPU_486 ? (F_AC | F_ID) : 0;
}

/* The EFLAGS bits a protected-mode IRET at privilege cpl may change. */
static uint32_t iret_mask(const struct cpu *c, bool o32)
{
    uint32_t m = F_ARITH | F_TF | F_DF | F_NT | F_RF;
    if (o32)
        m |= model_flags(c);
    if (c->cpl <= iopl(c))
        m |= F_IF;
    if (c->cpl == 0)
        m |= F_IOPL | F_VIF | F_VIP;
    if (!o32)
        m &= 0xFFFF;
    return m;
}

static void set_flags_masked(struct cpu *c, uint32_t value, uint32_t mask)
{
    cpu_set_eflags(c, (cpu_get_eflags(c) & ~mask) | (value & mask));
}

static void iret_real(struct cpu *c, bool o32)
{
    unsigned size = o32 ? 4 : 2;
    uint32_t off = pop(c, size);
    uint16_t sel = (uint16_t)pop(c, size);
    uint32_t fl = pop(c, size);
    jmp_real(c, sel, off);
    /* Real mode: a 16-bit IRET loads FLAGS; a 32-bit one everything but
     * VM, VIF, VIP (kept) and RF (cleared).  The 286 keeps bits 12-15
     * clear in real mode. */
    uint32_t mask = F_ARITH | F_TF | F_IF | F_DF | F_IOPL | F_NT;
    if (c->model == CPU_286)
        mask &= ~(uint32_t)(F_IOPL | F_NT);
    uint32_t keep = 0xFFFF0000u;
    if (o32) {
        mask |= model_flags(c);
        keep = F_VM | F_VIF | F_VIP;
    }
    cpu_set_eflags(c, (cpu_get_eflags(c) & keep) | (fl & mask));
}

/* Virtual-8086 mode: IRET works like in real mode when IOPL is 3 (and
 * never changes IOPL or VM); otherwise the monitor must emulate it. */
static void iret_v86(struct cpu *c, bool o32)
{
    if (iopl(c) < 3)
        cpu_fault(c, EXC_GP, 0);
    unsigned size = o32 ? 4 : 2;
    uint32_t off = pop(c, size);
    uint16_t sel = (uint16_t)pop(c, size);
    uint32_t fl = pop(c, size);
    jmp_real(c, sel, off);
    uint32_t mask = F_ARITH | F_TF | F_IF | F_DF | F_NT;
    if (o32)
        mask |= F_RF | model_flags(c);
    set_flags_masked(c, fl, mask);
}

/* IRET with NT: back to the task in the back link. */
static void iret_task(struct cpu *c)
{
    uint16_t link = tss_back_link(c);
    struct descriptor d;
    if (link & 4)
        cpu_fault(c, EXC_TS, sel_err(link, 0));
    desc_fetch_or(c, link, &d, EXC_TS, 0);
    if (!ar_tss_busy(d.ar))
        cpu_fault(c, EXC_TS, sel_err(link, 0));
    if (!ar_present(d.ar))
        cpu_fault(c, EXC_NP, sel_err(link, 0));
    task_switch(c, link, &d, TASK_IRET, 0);
    if (c->eip > c->seg[S_CS].hi)
        cpu_fault(c, EXC_GP, 0);
}

/* From ring 0 back to virtual-8086 mode: the frame also holds SS:ESP and
 * ES, DS, FS, GS (each a dword). */
static void iret_to_v86(struct cpu *c, uint32_t off, uint16_t cs, uint32_t fl)
{
    uint32_t esp = stack_peek(c, 12, 4);
    uint16_t segs[6];
    static const int order[] = { S_SS, S_ES, S_DS, S_FS, S_GS };
    for (unsigned k = 0; k < 5; k++)
        segs[order[k]] = (uint16_t)stack_peek(c, 16 + 4 * k, 4);
    segs[S_CS] = cs;
    if (off > 0xFFFF)
        cpu_fault(c, EXC_GP, 0);
    cpu_set_eflags(c, fl);
    for (int s = 0; s < S_COUNT; s++)
        seg_set_real(c, s, segs[s]);
    c->r[R_ESP] = esp;
    c->eip = off;
    cpu_set_cpl(c, 3);
}

static void iret_pm(struct cpu *c, bool o32)
{
    if (c->eflags & F_NT) {
        iret_task(c);
        return;
    }
    unsigned size = o32 ? 4 : 2;
    uint32_t off = stack_peek(c, 0, size);
    uint16_t sel = (uint16_t)stack_peek(c, size, size);
    uint32_t fl = stack_peek(c, 2 * size, size);
    if (o32 && (fl & F_VM) && c->cpl == 0) {
        iret_to_v86(c, off, sel, fl);
        return;
    }
    struct descriptor d;
    check_return_cs(c, sel, &d);
    unsigned rpl = sel & 3u;
    uint32_t mask = iret_mask(c, o32);
    if (rpl == c->cpl) {
        check_entry(c, &d, off);
        load_cs(c, sel, &d, c->cpl);
        c->eip = off;
        set_sp(c, c->r[R_ESP] + 3 * size);
        set_flags_masked(c, fl, mask);
        return;
    }
    uint32_t esp = stack_peek(c, 3 * size, size);
    uint16_t ss = (uint16_t)stack_peek(c, 4 * size, size);
    struct descriptor sd;
    check_return_ss(c, ss, rpl, &sd);
    check_entry(c, &d, off);
    enter_outer(c, sel, &d, ss, &sd, esp);
    set_flags_masked(c, fl, mask);
    c->eip = off;
}

void iret(struct cpu *c, const struct insn *i)
{
    if (!cpu_pm(c))
        iret_real(c, i->o32);
    else if (cpu_v86(c))
        iret_v86(c, i->o32);
    else
        iret_pm(c, i->o32);
    /* IRET ends the NMI handler's blocking of further NMIs. */
    c->nmi_blocked = false;
}
