/* tae.c -- the trap-and-emulate engine (--engine=trap-and-emulate): what a
 * naive virtual machine monitor on a pre-VT x86 does.  The guest kernel
 * runs deprivileged (ring 3 in the real CPU state, its own CPL kept by the
 * monitor); what faults there is emulated at the guest's own privilege,
 * and what does not fault runs with its ring-3 meaning.  README.md. */
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpu/interrupt.h"
#include "cpu/mem.h"
#include "cpu/pm.h"
#include "machine/machine.h"
#include "tae/tae.h"

/* ---- the monitor's own tables: what SGDT, SIDT, SLDT and STR show ---- */

/* The real GDT is a copy of the guest's (synced at every trap) followed by
 * two descriptors of the monitor's: its TSS and its LDT. */
static uint32_t gdt_copy(struct tae *t)
{
    struct cpu *c = &t->m->cpu;
    struct bus *b = &t->m->bus;
    uint32_t len = ((uint32_t)t->v.gdtr.limit + 1) & ~7u;
    if (len > TAE_GDT_MAX - 16)
        len = TAE_GDT_MAX - 16;
    for (uint32_t off = 0; off < len; off += 4) {
        uint32_t phys, v = 0;
        if (mmu_peek(c, t->v.gdtr.base + off, &phys) == 0 && phys <= b->ram_size - 4)
            memcpy(&v, b->ram + phys, 4);
        memcpy(b->ram + TAE_GDT + off, &v, 4);
    }
    return len;
}

/* An 8-byte system descriptor (type: 0x89 TSS, 0x82 LDT) at GDT offset. */
static void put_desc(struct tae *t, uint32_t off, uint32_t base, uint32_t limit, uint8_t type)
{
    uint32_t lo = (base << 16) | (limit & 0xFFFF);
    uint32_t hi = (base & 0xFF000000u) | (limit & 0xF0000u) | (uint32_t)type << 8 |
                  ((base >> 16) & 0xFF);
    memcpy(t->m->bus.ram + TAE_GDT + off, &lo, 4);
    memcpy(t->m->bus.ram + TAE_GDT + off + 4, &hi, 4);
}

static void install_monitor_tables(struct tae *t)
{
    struct cpu *c = &t->m->cpu;
    uint32_t n = gdt_copy(t);
    t->tss_sel = (uint16_t)n;
    t->ldt_sel = (uint16_t)(n + 8);
    put_desc(t, n, TAE_TSS, 0x67, 0x89);
    put_desc(t, n + 8, t->v.ldtr.base, t->v.ldtr.limit, 0x82);
    /* No I/O bitmap in the monitor's TSS: IN/OUT at CPL 3 fault. */
    uint16_t no_bitmap = 0xFFFF;
    memcpy(t->m->bus.ram + TAE_TSS + 0x66, &no_bitmap, 2);
    c->gdtr.base = TAE_GDT;
    c->gdtr.limit = (uint16_t)(n + 16 - 1);
    c->idtr.base = TAE_IDT;                 /* never read: see tae_intercept */
    c->idtr.limit = 0x7FF;
    /* The LDT itself is not copied: the monitor's descriptor points at it. */
    c->ldtr.sel = sel_null(t->v.ldtr.sel) ? 0 : t->ldt_sel;
    seg_set_cache(&c->tr, t->tss_sel, TAE_TSS, 0x67, AR_P | SYS_TSS32_BUSY);
}

/* ---- the two states: what the guest believes, and what the CPU runs ---- */

/* Virtual -> real: the guest's protected-mode state, deprivileged. */
static void deprivilege(struct tae *t)
{
    struct cpu *c = &t->m->cpu;
    t->v.cpl = c->cpl;
    t->v.flags = c->eflags & (F_IF | F_IOPL);
    t->v.gdtr = c->gdtr;
    t->v.idtr = c->idtr;
    t->v.ldtr = c->ldtr;
    t->v.tr = c->tr;
    t->v.cr0 = c->cr0;
    t->v.sysenter_cs = c->msr.sysenter_cs;
    install_monitor_tables(t);
    /* The monitor keeps interrupts on and IOPL 0, so CLI/STI, IN/OUT fault. */
    c->eflags = (c->eflags & ~F_IOPL) | F_IF;
    c->cr0 |= CR0_MP | CR0_NE;              /* the monitor's own CR0 bits */
    c->msr.sysenter_cs = 0;                 /* SYSENTER faults into the monitor */
    c->seg[S_CS].sel |= 3;
    c->seg[S_SS].sel |= 3;
    cpu_set_cpl(c, 3);
    /* Shadow page tables would give the deprivileged kernel its own
     * (supervisor) pages: the same thing, done on the TLB's permissions. */
    if (t->v.cpl < 3) {
        c->tlb_rd = TLB_SR;
        c->tlb_wr = TLB_SW;
    }
    t->deprived = true;
}

/* Real -> virtual.  The guest's CPL is its code segment's DPL (a native
 * far transfer at CPL 3 may have changed it), except in a conforming one. */
static void virtualize(struct tae *t)
{
    struct cpu *c = &t->m->cpu;
    const struct seg *cs = &c->seg[S_CS];
    unsigned cpl = ar_conforming(cs->ar) ? t->v.cpl : ar_dpl(cs->ar);
    c->eflags = (c->eflags & ~(F_IF | F_IOPL)) | t->v.flags;
    c->gdtr = t->v.gdtr;
    c->idtr = t->v.idtr;
    c->ldtr = t->v.ldtr;
    c->tr = t->v.tr;
    c->cr0 = t->v.cr0;
    c->msr.sysenter_cs = t->v.sysenter_cs;
    c->seg[S_CS].sel = (uint16_t)((c->seg[S_CS].sel & ~3u) | cpl);
    c->seg[S_SS].sel = (uint16_t)((c->seg[S_SS].sel & ~3u) | cpl);
    cpu_set_cpl(c, cpl);
    t->deprived = false;
}

/* Only protected mode is deprivileged: real mode (which a real monitor
 * would run in virtual-8086 mode) and virtual-8086 mode run as they are. */
static bool deprivilegeable(const struct cpu *c)
{
    return cpu_pm(c) && !cpu_v86(c);
}

/* ---- the monitor's trap handler ---- */

/* Every exception and interrupt the real CPU raises while the guest runs
 * deprivileged comes here first (the real IDT is the monitor's). */
static void tae_intercept(void *opaque, struct cpu *c, int vector, int kind,
                          bool has_error, uint32_t error)
{
    struct tae *t = opaque;
    (void)c;
    if (!t->deprived)
        return;                     /* the monitor itself, or real mode */
    t->ev.vector = vector;
    t->ev.kind = kind;
    t->ev.has_error = has_error;
    t->ev.error = error;
    longjmp(*t->trap_jmp, 1);
}

/* Delivers an event through the guest's own IDT in the virtual state, with
 * the CPU's double-fault rules for faults raised on the way. */
static bool reflect(struct cpu *c, int vector, int kind, bool has_error, uint32_t error)
{
    jmp_buf jb;
    jmp_buf *outer = c->fault_jmp;
    volatile bool ok = true;
    c->fault_jmp = &jb;
    c->insn_eip = c->eip;
    c->insn_esp = c->r[R_ESP];
    if (!setjmp(jb)) {
        if (kind == INT_EXCEPTION) {
            c->pending_vector = vector;
            c->pending_error = (int)error;
            c->pending_has_error = has_error;
            ok = cpu_deliver_fault(c);
        } else {
            c->delivering = 0;      /* a benign event (exec.c's classes) */
            cpu_interrupt(c, vector, (enum int_kind)kind, has_error, error);
        }
    } else {
        c->eip = c->insn_eip;       /* a fault while delivering */
        c->r[R_ESP] = c->insn_esp;
        ok = cpu_deliver_fault(c);
    }
    c->delivering = -1;
    c->fault_jmp = outer;
    return ok;
}

/* The descriptor privilege of IDT gate `vector` in the guest's IDT. */
static unsigned gate_dpl(struct tae *t, int vector)
{
    struct cpu *c = &t->m->cpu;
    uint32_t phys;
    if ((uint32_t)vector * 8 + 7 > c->idtr.limit ||
        mmu_peek(c, c->idtr.base + (uint32_t)vector * 8 + 4, &phys))
        return 0;
    return (bus_mem_read(&t->m->bus, phys, 4) >> 13) & 3;
}

/* Runs the instruction at CS:EIP once in the virtual state: the guest's
 * own privilege.  A fault caused only by deprivileging does not happen
 * again (the instruction is emulated); a genuine one does, and the CPU
 * delivers it through the guest's IDT (reflected). */
static enum cpu_exit emulate(struct tae *t)
{
    struct cpu *c = &t->m->cpu;
    struct stats *st = &t->m->stats;
    enum trap_class cls = tae_trap_class(c);
    uint64_t before = c->count.insns;
    enum cpu_exit why = cpu_run(c, 1);
    if (c->count.insns != before)
        st->tae_traps[cls]++;
    else
        st->tae_reflected++;
    return why;
}

/* The guest may take interrupts again: inject those the monitor held. */
static bool inject_pending(struct tae *t)
{
    struct cpu *c = &t->m->cpu;
    for (int v = 0; v < 256 && (c->eflags & F_IF); v++) {
        if (!t->pending_irq[v])
            continue;
        t->pending_irq[v] = false;
        t->m->stats.tae_irqs++;
        if (!reflect(c, v, INT_HARDWARE, false, 0))
            return false;
    }
    return true;
}

/* What the monitor does with the event the CPU raised (virtual state). */
static enum cpu_exit handle_trap(struct tae *t)
{
    struct cpu *c = &t->m->cpu;
    const struct tae_event *e = &t->ev;
    enum cpu_exit why = CPU_EXIT_BUDGET;
    bool ok = true;
    switch (e->kind) {
    case INT_HARDWARE:
        t->pending_irq[e->vector & 0xFF] = true;  /* acknowledged: hold it */
        break;
    case INT_SOFTWARE:
        /* INT n: the CPU checks the gate's DPL against the real CPL (3),
         * not the guest's: a kernel's INT through a DPL-0 gate is #GP. */
        c->eip = c->insn_eip;
        c->r[R_ESP] = c->insn_esp;
        if (gate_dpl(t, e->vector) < 3) {
            t->m->stats.tae_reflected++;
            ok = reflect(c, EXC_GP, INT_EXCEPTION, true, (uint32_t)e->vector * 8 + 2);
        } else {
            why = emulate(t);
        }
        break;
    default:
        /* A fault leaves CS:EIP at its instruction: run it again.  A debug
         * trap (after its instruction), an NMI or ICEBP is passed on. */
        if (e->kind == INT_EXCEPTION && e->vector != EXC_DB) {
            why = emulate(t);
        } else {
            t->m->stats.tae_reflected++;
            ok = reflect(c, e->vector, e->kind, e->has_error, e->error);
        }
        break;
    }
    if (!ok || !inject_pending(t))
        return CPU_EXIT_SHUTDOWN;
    return why;
}

/* ---- the engine ---- */

/* Runs the deprivileged guest until the budget ends or the CPU raises an
 * event; then `trapped` is set and the state is virtual again. */
static enum cpu_exit run_guest(struct tae *t, uint64_t budget, bool *trapped)
{
    struct cpu *c = &t->m->cpu;
    jmp_buf jb;
    jmp_buf *outer = c->fault_jmp;
    *trapped = false;
    t->trap_jmp = &jb;
    deprivilege(t);
    if (setjmp(jb)) {
        /* From tae_intercept, out of the middle of cpu_run. */
        c->fault_jmp = outer;
        c->delivering = -1;
        virtualize(t);
        *trapped = true;
        return CPU_EXIT_BUDGET;
    }
    enum cpu_exit why = cpu_run(c, budget);
    virtualize(t);
    return why;
}

static enum cpu_exit tae_run(void *priv, uint64_t budget)
{
    struct tae *t = priv;
    struct cpu *c = &t->m->cpu;
    enum cpu_exit why = CPU_EXIT_BUDGET;
    uint64_t spent = 0;             /* instructions retired, plus traps */
    c->intercept = tae_intercept;
    c->intercept_opaque = t;
    while (spent < budget && why == CPU_EXIT_BUDGET) {
        uint64_t before = c->count.insns;
        if (!deprivilegeable(c)) {
            /* One instruction at a time, to deprivilege at once when the
             * guest sets CR0.PE. */
            why = cpu_run(c, 1);
        } else {
            bool trapped;
            uint64_t t0 = 0;
            why = run_guest(t, budget - spent, &trapped);
            if (trapped) {
                t0 = stats_now_ns();
                why = handle_trap(t);
                t->m->stats.tae_monitor_ns += stats_now_ns() - t0;
                spent++;
            }
        }
        spent += c->count.insns - before;
        if (c->stop_request && why == CPU_EXIT_BUDGET)
            why = CPU_EXIT_REQUEST;
    }
    /* HLT ran deprivileged with the monitor's IF (always set). */
    if (why == CPU_EXIT_IDLE && !(c->eflags & F_IF))
        why = CPU_EXIT_HALT;
    c->intercept = NULL;
    return why;
}

static bool tae_available(char *why, size_t len)
{
    (void)why;
    (void)len;
    return true;
}

static void *tae_open(struct machine *m, char *why, size_t len)
{
    if (m->bus.ram_size < TAE_END) {
        snprintf(why, len, "trap-and-emulate needs at least 1 MiB of RAM "
                 "(its monitor's tables are at 0x%X)", TAE_GDT);
        return NULL;
    }
    struct tae *t = calloc(1, sizeof *t);
    if (!t) {
        snprintf(why, len, "out of memory");
        return NULL;
    }
    t->m = m;
    return t;
}

static void tae_close(void *priv)
{
    free(priv);
}

static void tae_invalidate(void *priv, uint32_t paddr, uint32_t len)
{
    struct tae *t = priv;
    (void)paddr;
    (void)len;
    t->m->cpu.exit_block = 1;
}

static void tae_report(void *priv, void *file)
{
    const struct stats *s = &((struct tae *)priv)->m->stats;
    uint64_t n = 0;
    for (int k = 0; k < TRAP_COUNT; k++)
        n += s->tae_traps[k];
    fprintf(file, "x86lab:   trap-and-emulate: %llu privileged instructions emulated, "
            "%llu events reflected, %llu interrupts injected, monitor %.3f ms\n",
            (unsigned long long)n, (unsigned long long)s->tae_reflected,
            (unsigned long long)s->tae_irqs, (double)s->tae_monitor_ns / 1e6);
    for (int k = 0; k < TRAP_COUNT; k++)
        if (s->tae_traps[k])
            fprintf(file, "x86lab:     tae trap %-8s %llu\n", trap_class_name((enum trap_class)k),
                    (unsigned long long)s->tae_traps[k]);
}

const struct engine_ops tae_engine_ops = {
    .kind = ENGINE_TAE,
    .name = "trap-and-emulate",
    .title = "trap-and-emulate",
    .available = tae_available,
    .open = tae_open,
    .close = tae_close,
    .run = tae_run,
    .invalidate = tae_invalidate,
    .report = tae_report,
};
