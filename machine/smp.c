/* smp.c -- the CPUs of an -smp N machine on one host thread: each CPU's
 * saved state, the round-robin turn of SMP_QUANTUM retired instructions
 * (always the same order and the same quantum, so --deterministic runs
 * repeat exactly), per-CPU HLT, and INIT / STARTUP from the local APICs.
 * The tables that tell the guest about the CPUs: smp_tables.c. */
#include "smp.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "cpu/mem.h"
#include "cpu/seg.h"
#include "machine.h"

struct smp {
    int ncpus;
    int current;                 /* whose state is in m->cpu */
    uint64_t turn_start;         /* count.insns when its turn began */
    bool kick;                   /* a waiting CPU has an event: end the turn */
    bool self_init;              /* the running CPU got INIT: applied at the boundary */
    struct cpu ctx[SMP_MAX_CPUS];    /* ctx[current] is stale */
};

/* A CPU's own state is struct cpu up to the TLB; the TLB is flushed at a
 * switch instead of saved (a CPU that was away may have missed an A20
 * change, a remap or another CPU's page-table writes), and the decoded
 * blocks and counters after it belong to the machine. */
_Static_assert(offsetof(struct cpu, tlb) < offsetof(struct cpu, icache) &&
               offsetof(struct cpu, icache) < offsetof(struct cpu, count) &&
               sizeof(struct cpu) - offsetof(struct cpu, count) - sizeof(struct cpu_counters) < 8,
               "smp.c: struct cpu must end with tlb, icache, count (see own_state)");

/* Copies a CPU's own state from src to dst, all of it before the TLB but
 * stop_request, which signal handlers and other threads may set at any
 * time and which belongs to the machine. */
static void copy_own_state(struct cpu *dst, const struct cpu *src)
{
    size_t stop = offsetof(struct cpu, stop_request);
    size_t after = stop + sizeof src->stop_request;
    memcpy(dst, src, stop);
    memcpy((char *)dst + after, (const char *)src + after, offsetof(struct cpu, tlb) - after);
}

/* Fields before the TLB that are the machine's, not a CPU's: whoever runs
 * gets them from m->cpu. */
static void take_machine_fields(struct cpu *to, const struct cpu *from)
{
    to->fault_jmp = from->fault_jmp;
    to->model = from->model;
    to->addr_mask = from->addr_mask;
    to->a20_mask = from->a20_mask;
    to->bus = from->bus;
    to->hooks_on = from->hooks_on;
    to->insn_hook = from->insn_hook;
    to->event_hook = from->event_hook;
    to->hook_opaque = from->hook_opaque;
    to->watch_page = from->watch_page;
    to->watch_hook = from->watch_hook;
    to->intercept = from->intercept;
    to->intercept_opaque = from->intercept_opaque;
    to->ferr = from->ferr;
    to->ferr_opaque = from->ferr_opaque;
    to->apic_base_written = from->apic_base_written;
    to->apic_opaque = from->apic_opaque;
}

struct cpu *smp_cpu(struct machine *m, int index)
{
    struct smp *s = m->smp;
    if (!s || index == s->current || index < 0 || index >= s->ncpus)
        return &m->cpu;
    return &s->ctx[index];
}

int smp_current(const struct machine *m)
{
    return m->smp ? m->smp->current : 0;
}

/* Makes CPU next the running one at this instruction boundary. */
static void switch_to(struct machine *m, int next)
{
    struct smp *s = m->smp;
    machine_sync_cpu(m);                 /* the engine gives the state back */
    copy_own_state(&s->ctx[s->current], &m->cpu);
    take_machine_fields(&s->ctx[next], &m->cpu);
    copy_own_state(&m->cpu, &s->ctx[next]);
    tlb_flush(&m->cpu, false);
    m->cpu.exit_block = 1;
    machine_cpu_changed(m);              /* the engine takes it again */
    s->current = next;
    m->apic.current = next;              /* whose APIC page accesses reach */
}

void smp_select(struct machine *m, int index)
{
    struct smp *s = m->smp;
    if (s && index >= 0 && index < s->ncpus && index != s->current) {
        switch_to(m, index);
        s->turn_start = m->cpu.count.insns;
    }
}

/* Can CPU i run now: started, and not halted unless an interrupt or an
 * NMI it will take is waiting. */
static bool runnable(struct machine *m, int i)
{
    if (m->lapic[i].wait_sipi)
        return false;
    const struct cpu *c = smp_cpu(m, i);
    return !c->halted || (c->nmi_pending && !c->nmi_blocked) ||
           (c->intr_line && (c->eflags & F_IF));
}

/* Is some CPU halted with interrupts on (a timer may still wake it)? */
static bool any_waiting(struct machine *m)
{
    for (int i = 0; i < m->smp->ncpus; i++) {
        const struct cpu *c = smp_cpu(m, i);
        if (!m->lapic[i].wait_sipi && c->halted && (c->eflags & F_IF))
            return true;
    }
    return false;
}

/* The next runnable CPU after the current one, in index order (the
 * current one last); -1 when none can run. */
static int next_runnable(struct machine *m)
{
    struct smp *s = m->smp;
    for (int k = 1; k <= s->ncpus; k++) {
        int i = (s->current + k) % s->ncpus;
        if (runnable(m, i))
            return i;
    }
    return -1;
}

/* The state INIT leaves a CPU in (SDM Vol. 3, Table 9-1): as after
 * RESET, but the time-stamp counter and IA32_APIC_BASE keep their values. */
static void apply_init(struct machine *m, int index)
{
    struct cpu *c = smp_cpu(m, index);
    uint64_t tsc = c->tsc, tsc_insns = c->tsc_insns, apic_base = c->msr.apic_base;
    cpu_reset(c);
    c->tsc = tsc;
    c->tsc_insns = tsc_insns;
    c->msr.apic_base = apic_base;
    c->initial_apic_id = (uint8_t)index;
}

/* CPU index as after power-on, made from the BSP just reset: same reset
 * state and TSC, its own APIC, no BSP flag. */
static void ap_power_on(struct machine *m, int index)
{
    struct cpu *c = &m->smp->ctx[index];
    copy_own_state(c, &m->cpu);
    c->intr_ack = lapic_intr_ack;
    c->intr_opaque = &m->lapic[index];
    c->msr.apic_base &= ~(uint64_t)APIC_BASE_BSP;
    c->initial_apic_id = (uint8_t)index;
    c->intr_line = false;
}

int smp_init(struct machine *m)
{
    int n = (int)m->cfg.smp_cpus;
    if (n > SMP_MAX_CPUS || n > APIC_MAX_CPUS || !m->has_apic || m->apic.ncpus != n) {
        snprintf(m->error, sizeof m->error,
                 "-smp %d needs 1 to %d CPUs with local APICs (--cpu=pentium or p6)",
                 n, SMP_MAX_CPUS);
        return -1;
    }
    m->smp = calloc(1, sizeof *m->smp);
    if (!m->smp) {
        snprintf(m->error, sizeof m->error, "no memory for %d CPUs", n);
        return -1;
    }
    m->smp->ncpus = n;
    smp_reset(m);
    return 0;
}

void smp_free(struct machine *m)
{
    free(m->smp);
    m->smp = NULL;
}

void smp_reset(struct machine *m)
{
    struct smp *s = m->smp;
    s->current = 0;
    m->apic.current = 0;
    s->kick = s->self_init = false;
    /* cpu_reset kept the acknowledge wiring of whichever CPU ran. */
    m->cpu.intr_ack = lapic_intr_ack;
    m->cpu.intr_opaque = &m->lapic[0];
    m->cpu.initial_apic_id = 0;
    for (int i = 1; i < s->ncpus; i++)
        ap_power_on(m, i);
    s->turn_start = m->cpu.count.insns;
}

uint64_t smp_budget(struct machine *m, uint64_t n)
{
    struct smp *s = m->smp;
    uint64_t used = m->cpu.count.insns - s->turn_start;
    if (m->debug_stepping)
        return n;                        /* the stepped CPU keeps its turn */
    /* Alone (the others wait for STARTUP or halted), a CPU runs on: an
     * event that makes another runnable ends the run (smp_wake). */
    if (next_runnable(m) == s->current)
        return n;
    uint64_t left = used < SMP_QUANTUM ? SMP_QUANTUM - used : 1;
    return n < left ? n : left;
}

enum cpu_exit smp_after_run(struct machine *m, enum cpu_exit e)
{
    struct smp *s = m->smp;
    if (e == CPU_EXIT_SHUTDOWN)
        return e;                        /* the whole machine resets */
    if (s->self_init) {
        s->self_init = false;
        machine_sync_cpu(m);
        apply_init(m, s->current);
        machine_cpu_changed(m);
    }
    bool halted = e == CPU_EXIT_IDLE || e == CPU_EXIT_HALT;
    if (halted && !s->kick && runnable(m, s->current))
        return CPU_EXIT_BUDGET;          /* its wake-up came meanwhile: run on */
    /* A CPU the debugger steps keeps its turn, as gdb's all-stop mode
     * steps one CPU while the others stay stopped. */
    bool over = !runnable(m, s->current) ||
                (!m->debug_stepping &&
                 (s->kick || m->cpu.count.insns - s->turn_start >= SMP_QUANTUM));
    s->kick = false;
    if (!over)
        return e;
    int next = next_runnable(m);
    /* Nobody can run: the machine idles, or stops; but a request (exit
     * port, quit, a switch of engines) is serviced first. */
    if (next < 0 && e == CPU_EXIT_REQUEST)
        return e;
    if (next < 0)
        return any_waiting(m) ? CPU_EXIT_IDLE : CPU_EXIT_HALT;
    if (next != s->current)
        switch_to(m, next);
    s->turn_start = m->cpu.count.insns;
    /* The CPU that halted is parked; the machine goes on with the next. */
    return halted ? CPU_EXIT_BUDGET : e;
}

void smp_init_ipi(struct machine *m, int index)
{
    struct smp *s = m->smp;
    /* An INIT of the BSP would restart it at the reset vector with the
     * devices untouched: not modelled, ignored (as with one CPU). */
    if (!s || index <= 0 || index >= s->ncpus)
        return;
    if (index == s->current) {
        /* Sent by the CPU itself, in the middle of its ICR write. */
        s->self_init = true;
        m->cpu.stop_request = 1;
        return;
    }
    apply_init(m, index);
}

/* STARTUP: the waiting AP starts in real mode at vector * 4 KiB, CS =
 * vector << 8, IP = 0 (SDM Vol. 3, 8.4.4.1). */
void smp_startup_ipi(struct machine *m, int index, uint8_t vector)
{
    struct smp *s = m->smp;
    if (!s || index <= 0 || index >= s->ncpus)
        return;
    struct cpu *c = smp_cpu(m, index);
    seg_set_cache(&c->seg[S_CS], (uint16_t)(vector << 8), (uint32_t)vector << 12, 0xFFFF,
                  AR_P | AR_S | AR_W | AR_ACCESSED);
    c->eip = 0;
    c->halted = false;
    smp_wake(m, index);
}

void smp_wake(struct machine *m, int index)
{
    struct smp *s = m->smp;
    if (!s || index == s->current)
        return;
    s->kick = true;
    m->cpu.stop_request = 1;             /* the running CPU's run ends soon */
}
