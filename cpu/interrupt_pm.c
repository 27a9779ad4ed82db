/* interrupt_pm.c -- protected-mode and virtual-8086 interrupt delivery
 * through the IDT (SDM Vol. 2 "INT n" and Vol. 3 ch. 6): interrupt, trap
 * and task gates, privilege changes with the stack from the TSS,
 * interrupts out of virtual-8086 mode, error codes with the EXT bit. */
#include "interrupt.h"

#include "mem.h"
#include "pm.h"
#include "task.h"

/* What one delivery needs to carry between its steps. */
struct delivery {
    int vector;
    bool has_error;
    uint32_t error;
    uint32_t ext;            /* EXT bit for error codes raised here */
    bool fault;              /* a fault-class exception: RF=1 in the image */
    struct descriptor gate;
    uint16_t cs;             /* target code segment selector */
    struct descriptor code;  /* and its descriptor */
};

static unsigned gate_size(const struct delivery *v)
{
    return gate_is32(&v->gate) ? 4 : 2;
}

/* The flags every interrupt clears; interrupt gates also clear IF. */
static void clear_flags(struct cpu *c, const struct delivery *v)
{
    uint32_t clear = F_TF | F_NT | F_RF | F_VM;
    if ((ar_type(v->gate.ar) & 7) == SYS_INT16)
        clear |= F_IF;
    c->eflags &= ~clear;
}

/* SDM Vol. 3 "Instruction-Breakpoint Exception Condition": a fault-class
 * exception (other than an instruction-breakpoint #DB) pushes EFLAGS with
 * RF set, so that IRET back to the faulting instruction is not stopped by
 * an instruction breakpoint on it a second time. */
static bool fault_class(int vector, enum int_kind kind)
{
    if (kind != INT_EXCEPTION)
        return false;
    switch (vector) {
    case EXC_DE: case EXC_BR: case EXC_UD: case EXC_NM: case EXC_TS: case EXC_NP:
    case EXC_SS: case EXC_GP: case EXC_PF: case EXC_MF: case EXC_AC:
        return true;
    default:
        return false;
    }
}

static void push_return(struct frame *f, struct cpu *c, const struct delivery *v)
{
    frame_push(f, cpu_get_eflags(c) | (v->fault ? F_RF : 0));
    frame_push(f, c->seg[S_CS].sel);
    frame_push(f, c->eip);
    if (v->has_error)
        frame_push(f, v->error);
}

static void check_entry(struct cpu *c, const struct delivery *v)
{
    if (!desc_in_limit(&v->code, gate_offset(&v->gate)))
        cpu_fault(c, EXC_GP, v->ext);
}

/* Same privilege: the frame goes on the current stack. */
static void int_same(struct cpu *c, const struct delivery *v)
{
    struct frame f;
    frame_init(&f, &c->seg[S_SS], c->r[R_ESP], gate_size(v), false);
    push_return(&f, c, v);
    frame_check(c, &f, EXC_SS, v->ext);
    check_entry(c, v);
    uint32_t esp = frame_write(c, &f, EXC_SS, v->ext);
    struct descriptor code = v->code;
    load_cs(c, v->cs, &code, c->cpl);
    c->r[R_ESP] = esp;
    c->eip = gate_offset(&v->gate);
    clear_flags(c, v);
}

/* To an inner ring (or out of virtual-8086 mode to ring 0): switch to the
 * stack the TSS holds for the new ring, push the old SS:ESP there. */
static void int_inner(struct cpu *c, const struct delivery *v)
{
    unsigned dpl = ar_dpl(v->code.ar);
    bool from_v86 = cpu_v86(c);
    uint16_t ss;
    uint32_t esp;
    struct descriptor ssd;
    tss_inner_stack(c, dpl, v->ext, &ss, &esp, &ssd);

    struct seg stack;
    seg_set_cache(&stack, ss, ssd.base, ssd.limit, ssd.ar);
    struct frame f;
    frame_init(&f, &stack, esp, gate_size(v), true);
    if (from_v86) {
        frame_push(&f, c->seg[S_GS].sel);
        frame_push(&f, c->seg[S_FS].sel);
        frame_push(&f, c->seg[S_DS].sel);
        frame_push(&f, c->seg[S_ES].sel);
    }
    frame_push(&f, c->seg[S_SS].sel);
    frame_push(&f, c->r[R_ESP]);
    push_return(&f, c, v);
    frame_check(c, &f, EXC_SS, sel_err(ss, v->ext));
    check_entry(c, v);
    esp = frame_write(c, &f, EXC_SS, sel_err(ss, v->ext));

    /* Commit: nothing below can fault except the accessed-bit writes,
     * which come first. */
    struct descriptor code = v->code;
    desc_set_accessed(c, ss, &ssd);
    desc_set_accessed(c, v->cs, &code);
    clear_flags(c, v);
    seg_set_cache(&c->seg[S_SS], ss, ssd.base, ssd.limit, ssd.ar);
    c->r[R_ESP] = esp;
    load_cs(c, v->cs, &code, dpl);
    c->eip = gate_offset(&v->gate);
    if (from_v86) {
        seg_load_null(c, S_ES, 0);
        seg_load_null(c, S_DS, 0);
        seg_load_null(c, S_FS, 0);
        seg_load_null(c, S_GS, 0);
    }
}

/* Interrupt and trap gates: check the target code segment, then pick the
 * same-ring or inner-ring path. */
static void int_gate(struct cpu *c, struct delivery *v)
{
    v->cs = gate_sel(&v->gate);
    if (sel_null(v->cs))
        cpu_fault(c, EXC_GP, v->ext);
    desc_fetch_or(c, v->cs, &v->code, EXC_GP, v->ext);
    uint16_t ar = v->code.ar;
    unsigned dpl = ar_dpl(ar);
    if (!ar_code(ar) || dpl > c->cpl)
        cpu_fault(c, EXC_GP, sel_err(v->cs, v->ext));
    if (!ar_present(ar))
        cpu_fault(c, EXC_NP, sel_err(v->cs, v->ext));
    if (!ar_conforming(ar) && dpl < c->cpl) {
        if (cpu_v86(c) && dpl != 0)
            cpu_fault(c, EXC_GP, sel_err(v->cs, v->ext));
        int_inner(c, v);
        return;
    }
    /* Same ring: impossible from virtual-8086 mode (CPL 3 there). */
    if (cpu_v86(c))
        cpu_fault(c, EXC_GP, sel_err(v->cs, v->ext));
    int_same(c, v);
}

/* Task gates: switch tasks, then push the error code on the new stack. */
static void int_task(struct cpu *c, const struct delivery *v)
{
    uint16_t tss = gate_sel(&v->gate);
    struct descriptor d;
    if (tss & 4)
        cpu_fault(c, EXC_GP, sel_err(tss, v->ext));
    desc_fetch_or(c, tss, &d, EXC_GP, v->ext);
    if (!ar_tss(d.ar) || ar_tss_busy(d.ar))
        cpu_fault(c, EXC_GP, sel_err(tss, v->ext));
    if (!ar_present(d.ar))
        cpu_fault(c, EXC_NP, sel_err(tss, v->ext));
    task_switch(c, tss, &d, TASK_INT, v->ext);
    if (v->has_error) {
        struct frame f;
        frame_init(&f, &c->seg[S_SS], c->r[R_ESP], (d.ar & 8) ? 4 : 2, false);
        frame_push(&f, v->error);
        c->r[R_ESP] = frame_write(c, &f, EXC_SS, v->ext);
    }
    if (c->eip > c->seg[S_CS].hi)
        cpu_fault(c, EXC_GP, v->ext);
}

static bool gate_type_ok(uint16_t ar)
{
    if (!ar_system(ar))
        return false;
    unsigned t = ar_type(ar);
    return t == SYS_TASK || t == SYS_INT16 || t == SYS_TRAP16 ||
           t == SYS_INT32 || t == SYS_TRAP32;
}

void int_protected(struct cpu *c, int vector, enum int_kind kind,
                   bool has_error, uint32_t error)
{
    struct delivery v = {
        .vector = vector, .has_error = has_error, .error = error,
        .ext = kind == INT_SOFTWARE ? 0 : 1, .fault = fault_class(vector, kind),
    };
    uint32_t idt_err = (uint32_t)vector * 8 + 2;
    uint32_t at = (uint32_t)vector * 8;
    if (at + 7 > c->idtr.limit)
        cpu_fault(c, EXC_GP, idt_err | v.ext);
    v.gate.lo = sys_rd(c, c->idtr.base + at, 4);
    v.gate.hi = sys_rd(c, c->idtr.base + at + 4, 4);
    desc_decode(&v.gate);
    if (!gate_type_ok(v.gate.ar))
        cpu_fault(c, EXC_GP, idt_err | v.ext);
    if (kind == INT_SOFTWARE && ar_dpl(v.gate.ar) < c->cpl)
        cpu_fault(c, EXC_GP, idt_err);
    if (!ar_present(v.gate.ar))
        cpu_fault(c, EXC_NP, idt_err | v.ext);
    if (ar_type(v.gate.ar) == SYS_TASK)
        int_task(c, &v);
    else
        int_gate(c, &v);
}
