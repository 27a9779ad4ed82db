/* exec.c -- the interpreter: reset, the fetch-decode-execute loop, precise
 * faults (state rolled back to the instruction's start, then delivered),
 * double and triple faults, and interrupts at instruction boundaries. */
#include <stdlib.h>
#include <string.h>

#include "../machine/bus.h"
#include "cpu.h"
#include "flags.h"
#include "icache.h"
#include "insn.h"
#include "interrupt.h"
#include "mem.h"
#include "seg.h"

/* The bus tells us when a write hit a page holding decoded code. */
void cpu_code_written(struct cpu *c, uint32_t paddr)
{
    (void)paddr;
    c->exit_block = 1;
    c->icache->invalidated++;
}

static void code_written(void *opaque, uint32_t paddr)
{
    cpu_code_written(opaque, paddr);
}

/* The chipset remapped memory (shadow RAM): drop stale translations. */
static void map_changed(void *opaque)
{
    struct cpu *c = opaque;
    tlb_flush(c, false);
    c->exit_block = 1;
}

int cpu_init(struct cpu *c, enum cpu_model model, struct bus *bus)
{
    memset(c, 0, sizeof *c);
    c->model = model;
    c->bus = bus;
    c->icache = calloc(1, sizeof *c->icache);
    if (!c->icache)
        return -1;
    bus->code_written = code_written;
    bus->code_opaque = c;
    bus->map_changed = map_changed;
    bus->map_opaque = c;
    cpu_reset(c);
    return 0;
}

void cpu_free(struct cpu *c)
{
    free(c->icache);
    c->icache = NULL;
}

void cpu_reset(struct cpu *c)
{
    enum cpu_model model = c->model;
    struct bus *bus = c->bus;
    struct icache *icache = c->icache;
    int (*ack)(void *) = c->intr_ack;
    void *opaque = c->intr_opaque;
    void (*apic_base_written)(void *, uint64_t) = c->apic_base_written;
    void *apic_opaque = c->apic_opaque;
    void (*ferr)(void *, int) = c->ferr;
    void *ferr_opaque = c->ferr_opaque;
    struct cpu_counters count = c->count;
    /* Observers (debugger, traces) stay attached across a reset. */
    bool hooks_on = c->hooks_on;
    void (*insn_hook)(void *, struct cpu *) = c->insn_hook;
    void (*event_hook)(void *, struct cpu *, int, int, bool, uint32_t) = c->event_hook;
    void *hook_opaque = c->hook_opaque;
    bool (*watch_page)(void *, uint32_t) = c->watch_page;
    void (*watch_hook)(void *, struct cpu *, uint32_t, unsigned, bool, uint32_t) = c->watch_hook;

    memset(c, 0, sizeof *c);
    c->hooks_on = hooks_on;
    c->insn_hook = insn_hook;
    c->event_hook = event_hook;
    c->hook_opaque = hook_opaque;
    c->watch_page = watch_page;
    c->watch_hook = watch_hook;
    c->model = model;
    c->bus = bus;
    c->icache = icache;
    c->intr_ack = ack;
    c->intr_opaque = opaque;
    c->apic_base_written = apic_base_written;
    c->apic_opaque = apic_opaque;
    c->ferr = ferr;
    c->ferr_opaque = ferr_opaque;
    c->count = count;
    c->tsc_insns = count.insns;          /* the TSC restarts at 0 (msr.c) */

    c->addr_mask = model == CPU_286 ? 0x00FFFFFFu : 0xFFFFFFFFu;
    c->a20_mask = 0xFFFFFFFFu;
    c->eflags = 0x2;
    c->eip = 0xFFF0;
    for (int s = 0; s < S_COUNT; s++)
        seg_set_cache(&c->seg[s], 0, 0, 0xFFFF, AR_P | AR_S | AR_W | AR_ACCESSED);
    /* CS = F000 with base FFFF0000: the first fetch is 16 bytes below 4 GiB. */
    seg_set_cache(&c->seg[S_CS], 0xF000, 0xFFFF0000u & c->addr_mask, 0xFFFF,
                  AR_P | AR_S | AR_W | AR_ACCESSED);
    c->ldtr.ar = 0x82 | AR_P;
    c->ldtr.limit = c->ldtr.hi = 0xFFFF;
    c->tr.ar = 0x8B;
    c->tr.limit = c->tr.hi = 0xFFFF;
    c->idtr.limit = 0x3FF;
    c->gdtr.limit = 0xFFFF;
    c->cr0 = model >= CPU_486 ? (CR0_CD | CR0_NW | CR0_ET) : CR0_ET;
    c->dr[6] = 0xFFFF0FF0u;
    c->dr[7] = 0x400;
    c->fpu.cw = 0x40;
    c->fpu.tw = 0x5555;
    c->fpu.mxcsr = 0x1F80;
    /* EDX holds the processor signature after reset. */
    static const uint32_t signature[] = { 0x0000, 0x0303, 0x0421, 0x0543, 0x0633 };
    c->r[R_EDX] = signature[model];
    c->delivering = -1;
    c->msr.apic_base = 0xFEE00900u;
    cpu_set_cpl(c, 0);
    tlb_flush(c, false);
}

uint32_t cpu_get_eflags(struct cpu *c)
{
    uint32_t f = (c->eflags & ~F_ARITH) | flags_arith(c) | 0x2;
    if (c->model == CPU_286)
        f &= cpu_pm(c) ? 0x7FFF : 0x0FFF;   /* no IOPL/NT in real mode */
    return f;
}

void cpu_set_eflags(struct cpu *c, uint32_t value)
{
    c->eflags = (value & ~0x28u) | 0x2;
    c->lf.op = LF_NONE;
}

_Noreturn void cpu_fault(struct cpu *c, int vector, uint32_t error)
{
    c->pending_vector = vector;
    c->pending_error = (int)error;
    c->pending_has_error = exc_has_error(vector);
    longjmp(*c->fault_jmp, 1);
}

_Noreturn void cpu_fault_noerr(struct cpu *c, int vector)
{
    cpu_fault(c, vector, 0);
}

/* Exception classes for the double-fault rules (SDM Vol. 3, Table 6-5). */
enum { CLS_BENIGN, CLS_CONTRIB, CLS_PF, CLS_DF };

static int exc_class(int v)
{
    if (v == EXC_DE || (v >= EXC_TS && v <= EXC_GP))
        return CLS_CONTRIB;
    if (v == EXC_PF)
        return CLS_PF;
    if (v == EXC_DF)
        return CLS_DF;
    return CLS_BENIGN;
}

/* Delivers the fault recorded by cpu_fault.  Returns false on a triple
 * fault.  A fault raised while delivering comes back here through the
 * same setjmp, with c->delivering telling what was being delivered. */
static bool deliver_pending(struct cpu *c)
{
    int v = c->pending_vector;
    int cls = exc_class(v);
    bool has_err = c->pending_has_error;
    uint32_t err = (uint32_t)c->pending_error;

    if (c->delivering >= 0) {
        int first = c->delivering;
        if (first == CLS_DF) {
            c->count.triple_faults++;
            c->delivering = -1;
            return false;
        }
        if ((first == CLS_CONTRIB && cls == CLS_CONTRIB) ||
            (first == CLS_PF && (cls == CLS_CONTRIB || cls == CLS_PF))) {
            v = EXC_DF;
            cls = CLS_DF;
            has_err = true;
            err = 0;
        }
    }
    c->delivering = cls;
    cpu_interrupt(c, v, INT_EXCEPTION, has_err, err);
    c->delivering = -1;
    return true;
}

/* For the other engines (the translator): the same delivery, after they
 * have restored the state of the faulting instruction. */
bool cpu_deliver_fault(struct cpu *c)
{
    return deliver_pending(c);
}

/* Fetches up to 15 bytes at CS:EIP and decodes them.  Bytes come straight
 * from the TLB's host page when possible; near a page or limit boundary
 * they are fetched one at a time, and only a byte the instruction really
 * needs can fault. */
static void fetch_decode(struct cpu *c, struct insn *i)
{
    const struct seg *cs = &c->seg[S_CS];
    uint32_t eip = c->eip;
    int code32 = (cs->ar & AR_DB) != 0;
    if (eip > cs->hi)
        cpu_fault(c, EXC_GP, 0);
    uint64_t limit_left = (uint64_t)cs->hi - eip + 1;
    uint32_t lin = cs->base + eip;
    const struct tlb_entry *e = &c->tlb[(lin >> 12) & (TLB_SIZE - 1)];
    if (likely(e->vpage == ((lin & ~0xFFFu) | TLB_VALID) && (e->perm & c->tlb_rd))) {
        uint32_t page_left = 0x1000 - (lin & 0xFFF);
        if (page_left >= 15 && limit_left >= 15) {
            int n = decode(i, e->host + (lin & 0xFFF), 15, code32, c->model);
            if (n > 0)
                return;
            cpu_fault(c, n == DEC_UD ? EXC_UD : EXC_GP, 0);
        }
    }
    uint8_t buf[16];
    int have = 0;
    for (;;) {
        int n = decode(i, buf, have, code32, c->model);
        if (n > 0)
            return;
        if (n != DEC_MORE)
            cpu_fault(c, n == DEC_UD ? EXC_UD : EXC_GP, 0);
        if ((uint64_t)have >= limit_left)
            cpu_fault(c, EXC_GP, 0);
        buf[have] = (uint8_t)mmu_read_slow(c, lin + (uint32_t)have, 1, ACC_EXEC);
        have++;
    }
}

/* Services NMI and INTR at an instruction boundary. */
static void check_interrupts(struct cpu *c)
{
    if (c->nmi_pending && !c->nmi_blocked) {
        c->nmi_pending = false;
        c->nmi_blocked = true;
        cpu_interrupt(c, EXC_NMI, INT_NMI, false, 0);
        return;
    }
    if (c->intr_line && (c->eflags & F_IF) && c->intr_ack) {
        int vector = c->intr_ack(c->intr_opaque);
        if (vector >= 0)
            cpu_interrupt(c, vector, INT_HARDWARE, false, 0);
    }
}

static void step(struct cpu *c)
{
    struct insn i;
    c->insn_eip = c->eip;
    c->insn_esp = c->r[R_ESP];
    bool tf = (c->eflags & F_TF) != 0;
    fetch_decode(c, &i);
    uint32_t next = c->eip + i.len;
    c->eip = (c->seg[S_CS].ar & AR_DB) ? next : (next & 0xFFFF);
    i.fn(c, &i);
    c->count.insns++;
    if (unlikely(tf)) {
        /* Single-step trap after the instruction. */
        c->dr[6] |= 0x4000;
        c->insn_eip = c->eip;
        c->insn_esp = c->r[R_ESP];
        c->delivering = CLS_BENIGN;
        cpu_interrupt(c, EXC_DB, INT_EXCEPTION, false, 0);
        c->delivering = -1;
    }
}

/* Replays a decoded block; leaves it when control goes elsewhere, when a
 * write made it stale (exit_block), or when the budget is spent. */
static void run_block(struct cpu *c, const struct iblock *b, uint64_t end)
{
    uint32_t eip_mask = b->code32 ? 0xFFFFFFFFu : 0xFFFFu;
    c->exit_block = 0;
    for (unsigned k = 0; k < b->n; k++) {
        const struct insn *i = &b->ins[k];
        uint32_t next = (c->eip + i->len) & eip_mask;
        c->insn_eip = c->eip;
        c->insn_esp = c->r[R_ESP];
        c->eip = next;
        i->fn(c, i);
        c->count.insns++;
        if (c->eip != next || c->exit_block || c->count.insns >= end)
            return;
    }
}

/* EFLAGS.RF (loaded by IRET or a task switch) lasts until one instruction
 * completes (SDM Vol. 3 17.3.1.1): run that one alone, then clear RF. */
static uint64_t resume_flag(struct cpu *c, uint64_t end)
{
    if (!(c->eflags & F_RF)) {
        c->rf_pending = false;
        return end;
    }
    if (c->rf_pending && c->count.insns != c->rf_at) {
        c->eflags &= ~F_RF;
        c->rf_pending = false;
        return end;
    }
    c->rf_pending = true;
    c->rf_at = c->count.insns;
    return c->count.insns + 1 < end ? c->count.insns + 1 : end;
}

enum cpu_exit cpu_run(struct cpu *c, uint64_t budget)
{
    jmp_buf jb;
    jmp_buf *volatile outer = c->fault_jmp;
    volatile uint64_t end = c->count.insns + budget;
    volatile enum cpu_exit why = CPU_EXIT_BUDGET;
    volatile uint64_t fault_at = ~0ull, faults_in_a_row = 0;

    c->fault_jmp = &jb;
    if (setjmp(jb)) {
        /* A fault: undo the partial instruction, then deliver. */
        c->eip = c->insn_eip;
        c->r[R_ESP] = c->insn_esp;
        if (!deliver_pending(c)) {
            why = CPU_EXIT_SHUTDOWN;
            goto out;
        }
        /* A guest in a fault loop (a handler whose first instruction
         * faults) retires nothing: after `budget` deliveries in a row,
         * return anyway, at the handler's first instruction. */
        faults_in_a_row = c->count.insns == fault_at ? faults_in_a_row + 1 : 1;
        fault_at = c->count.insns;
        if (faults_in_a_row > budget)
            goto out;
    }
    while (c->count.insns < end) {
        if (unlikely(c->stop_request)) {
            why = CPU_EXIT_REQUEST;
            break;
        }
        uint64_t block_end = end;
        if (unlikely(c->eflags & F_RF) || c->rf_pending)
            block_end = resume_flag(c, end);
        if (c->inhibit_irq) {
            c->inhibit_irq--;
            block_end = c->count.insns + 1;   /* only the shadowed instruction, then INTR is seen */
        } else if (!c->irq_hold && (c->nmi_pending || (c->intr_line && (c->eflags & F_IF)))) {
            c->insn_eip = c->eip;
            c->insn_esp = c->r[R_ESP];
            c->delivering = CLS_BENIGN;
            check_interrupts(c);
            c->delivering = -1;
        }
        if (unlikely(c->halted)) {
            why = (c->eflags & F_IF) ? CPU_EXIT_IDLE : CPU_EXIT_HALT;
            break;
        }
        if (unlikely(c->hooks_on)) {
            /* Observed: one instruction at a time, the hook first. */
            if (c->insn_hook)
                c->insn_hook(c->hook_opaque, c);
            if (c->stop_request) {
                why = CPU_EXIT_REQUEST;
                break;
            }
            step(c);
            continue;
        }
        const struct iblock *b = NULL;
        if (likely(!(c->eflags & F_TF)))
            b = icache_block(c);
        if (b)
            run_block(c, b, block_end);
        else
            step(c);
    }
out:
    c->fault_jmp = outer;
    return why;
}
