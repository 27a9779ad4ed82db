/* machine.c -- building a machine, the engine loop (run the CPU until the
 * next timer is due, fire timers, idle on HLT, reset on request) and the
 * machine-wide signals: reset and the A20 gate. */
#include "machine.h"

#include <string.h>

#include "cpu/icache.h"
#include "cpu/mem.h"
#include "cpu/seg.h"
#include "debugger/debug.h"
#include "machine/smp.h"

enum {
    HOST_SLICE = 1 << 16,          /* instructions between clock checks */
    MAX_SLICE = 1 << 20,
    IDLE_SLEEP_NS = 10 * 1000 * 1000,
};

static void code_written(void *opaque, uint32_t paddr);

int machine_init(struct machine *m, const struct machine_config *cfg)
{
    memset(m, 0, sizeof *m);
    m->cfg = *cfg;
    if (cfg->ram_mb == 0 || cfg->ram_mb > 3072)
        return -1;
    if (bus_init(&m->bus, cfg->ram_mb << 20) < 0)
        return -1;
    if (cpu_init(&m->cpu, cfg->model, &m->bus) < 0) {
        bus_free(&m->bus);
        return -1;
    }
    vclock_init(&m->clock, cfg->deterministic, &m->cpu.count.insns);
    m->clock.kick = &m->cpu.stop_request;
    if (debugport_init(&m->debugport, &m->bus, &m->cpu, stdout) < 0 ||
        board_init(m) < 0) {
        machine_free(m);
        return -1;
    }
    m->debugport.regions.stats = &m->stats;   /* region marks snapshot it */
    if (cfg->smp_cpus > 1 && smp_init(m) < 0) {
        machine_free(m);
        return -1;
    }
    if (!m->cpu.intr_ack) {             /* board.c: the local APIC, if any */
        m->cpu.intr_ack = pic_intr_ack;     /* INTA cycles go to the 8259A pair */
        m->cpu.intr_opaque = &m->pic;
    }
    m->bus.code_written = code_written;  /* every engine hears of SMC */
    m->bus.code_opaque = m;
    m->engine = ENGINE_INTERP;
    /* Every engine the run may switch to is opened now, so that one that
     * cannot run here is refused before the guest starts. */
    for (int k = 0; k < cfg->nswitch_seq; k++)
        if (machine_select_engine(m, cfg->switch_seq[k]) < 0) {
            machine_free(m);
            return -1;
        }
    if (machine_select_engine(m, ENGINE_INTERP) < 0 ||
        machine_select_engine(m, cfg->engine) < 0) {
        machine_free(m);
        return -1;
    }
    m->stats.switches = 0;
    m->next_switch = cfg->switch_every;
    return 0;
}

/* A write hit a RAM page holding decoded or translated code. */
static void code_written(void *opaque, uint32_t paddr)
{
    struct machine *m = opaque;
    cpu_code_written(&m->cpu, paddr);
    for (int k = 0; k < ENGINE_COUNT; k++) {
        struct engine_slot *e = &m->engines[k];
        if (e->priv && e->ops->invalidate)
            e->ops->invalidate(e->priv, paddr & ~0xFFFu, 4096);
    }
}

void machine_sync_cpu(struct machine *m)
{
    struct engine_slot *e = &m->engines[m->engine];
    if (m->cpu_in_engine && e->ops->leave)
        e->ops->leave(e->priv);
    m->cpu_in_engine = false;
}

void machine_cpu_changed(struct machine *m)
{
    m->cpu_in_engine = false;
}

static void enter_engine(struct machine *m)
{
    struct engine_slot *e = &m->engines[m->engine];
    if (!m->cpu_in_engine && e->ops->enter)
        e->ops->enter(e->priv);
    m->cpu_in_engine = true;
}

int machine_select_engine(struct machine *m, enum engine_kind k)
{
    const struct engine_ops *ops = (unsigned)k < ENGINE_COUNT ? engine_ops(k) : NULL;
    if (!ops) {
        snprintf(m->error, sizeof m->error, "this build of x86lab has no such engine");
        return -1;
    }
    if (m->cfg.smp_cpus > 1 && k != ENGINE_INTERP && k != ENGINE_BT) {
        snprintf(m->error, sizeof m->error, "-smp %u: more than one CPU is not implemented "
                 "under the %s engine yet (use --engine=interp or bt)", m->cfg.smp_cpus, ops->name);
        return -1;
    }
    struct engine_slot *e = &m->engines[k];
    if (!e->priv) {
        char why[200] = "";
        if (ops->available && !ops->available(why, sizeof why)) {
            snprintf(m->error, sizeof m->error, "%s", why);
            return -1;
        }
        e->priv = ops->open(m, why, sizeof why);
        if (!e->priv) {
            snprintf(m->error, sizeof m->error, "%s", why);
            return -1;
        }
        e->ops = ops;
        if (ops->set_debug && m->debug.single_step + m->debug.nbp)
            ops->set_debug(e->priv, &m->debug);
    }
    if (k != m->engine) {
        machine_sync_cpu(m);
        m->engine = k;
        m->stats.switches++;
    }
    return 0;
}

void machine_invalidate(struct machine *m, uint32_t paddr, uint32_t len)
{
    icache_flush(m->cpu.icache);
    for (int k = 0; k < ENGINE_COUNT; k++) {
        struct engine_slot *e = &m->engines[k];
        if (e->priv && e->ops->invalidate)
            e->ops->invalidate(e->priv, paddr, len);
    }
}

int machine_set_debug(struct machine *m, const struct engine_debug *d)
{
    int r = 0;
    m->debug = *d;
    for (int k = 0; k < ENGINE_COUNT; k++) {
        struct engine_slot *e = &m->engines[k];
        if (!e->priv)
            continue;
        if (!e->ops->set_debug || e->ops->set_debug(e->priv, d) < 0)
            r = k == (int)m->engine ? -1 : r;
    }
    return r;
}

static void cpu_intr_set(void *opaque, int n, int level)
{
    struct machine *m = opaque;
    (void)n;
    m->cpu.intr_line = level != 0;
}

struct irq_line machine_cpu_intr(struct machine *m)
{
    return (struct irq_line){ cpu_intr_set, m, 0 };
}

void machine_free(struct machine *m)
{
    for (int k = 0; k < ENGINE_COUNT; k++) {
        struct engine_slot *e = &m->engines[k];
        if (e->priv && e->ops->close)
            e->ops->close(e->priv);
        e->priv = NULL;
    }
    board_free(m);
    smp_free(m);
    cpu_free(&m->cpu);
    bus_free(&m->bus);
}

void machine_request_reset(struct machine *m)
{
    m->reset_pending = true;
    m->cpu.stop_request = 1;
}

void machine_request_quit(struct machine *m)
{
    m->quit_pending = true;
    m->cpu.stop_request = 1;
}

void machine_request_poweroff(struct machine *m)
{
    m->poweroff_pending = true;
    m->cpu.stop_request = 1;
}

void machine_request_engine(struct machine *m, enum engine_kind k)
{
    m->engine_request = (int)k + 1;
    m->cpu.stop_request = 1;
}

void machine_set_a20(struct machine *m, bool enabled)
{
    uint32_t mask = enabled ? 0xFFFFFFFFu : ~(1u << 20);
    if (m->cpu.a20_mask != mask) {
        m->cpu.a20_mask = mask;
        tlb_flush(&m->cpu, false);   /* translations point elsewhere now */
    }
}

bool machine_a20(const struct machine *m)
{
    return m->cpu.a20_mask == 0xFFFFFFFFu;
}

/* The whole machine comes back as after power-on, memory aside. */
static void machine_reset(struct machine *m)
{
    m->reset_pending = false;
    m->resets++;
    machine_sync_cpu(m);
    cpu_reset(&m->cpu);
    machine_cpu_changed(m);
    board_reset(m);
    if (m->smp)
        smp_reset(m);                /* the BSP runs, the APs wait for STARTUP */
}

const char *machine_stop_name(enum machine_stop s)
{
    switch (s) {
    case STOP_EXIT_PORT: return "exit port";
    case STOP_HALT: return "halted with interrupts off";
    case STOP_SHUTDOWN: return "triple fault (shutdown)";
    case STOP_BUDGET: return "instruction limit reached";
    case STOP_RESET: return "reset requested (no-reboot)";
    case STOP_IDLE: return "halted waiting for an interrupt that cannot come";
    case STOP_QUIT: return "quit requested";
    case STOP_DEBUG: return "stopped by the debugger";
    case STOP_POWEROFF: return "ACPI power-off";
    }
    return "?";
}

/* How many instructions to run before the clock needs looking at. */
static uint64_t slice(struct machine *m)
{
    uint64_t next = vclock_next(&m->clock);
    uint64_t max = m->clock.deterministic ? MAX_SLICE : HOST_SLICE;
    if (next == UINT64_MAX)
        return max;
    /* On host time, ns_per_insn is an estimate of the CPU's speed: the
     * slice ends near the next deadline (a UART character is ~87 us). */
    uint64_t now = vclock_now(&m->clock);
    uint64_t n = next > now ? (next - now + m->clock.ns_per_insn - 1) / m->clock.ns_per_insn : 1;
    return n > max ? max : n;
}

/* Deals with one CPU exit; returns true when the run must stop (*stop). */
static bool service(struct machine *m, enum cpu_exit e, enum machine_stop *stop)
{
    switch (e) {
    case CPU_EXIT_REQUEST:
        m->cpu.stop_request = 0;
        if (m->engine_request) {
            enum engine_kind k = (enum engine_kind)(m->engine_request - 1);
            m->engine_request = 0;
            if (machine_select_engine(m, k) < 0)
                fprintf(stderr, "x86lab: cannot switch engines: %s\n", m->error);
        }
        if (m->quit_pending || m->quit_signal) {
            *stop = STOP_QUIT;
            return true;
        }
        if (m->debugport.exited) {
            *stop = STOP_EXIT_PORT;
            return true;
        }
        if (m->poweroff_pending) {
            *stop = STOP_POWEROFF;
            return true;
        }
        break;
    case CPU_EXIT_HALT:
        *stop = STOP_HALT;
        return true;
    case CPU_EXIT_IDLE: {
        uint64_t next = vclock_next(&m->clock);
        if (next == UINT64_MAX) {
            *stop = STOP_IDLE;
            return true;
        }
        vclock_idle_until(&m->clock, next, IDLE_SLEEP_NS);
        break;
    }
    case CPU_EXIT_SHUTDOWN:
        /* The chipset answers a shutdown cycle with a reset. */
        if (m->cfg.no_reboot) {
            *stop = STOP_SHUTDOWN;
            return true;
        }
        m->reset_pending = true;
        break;
    case CPU_EXIT_BUDGET:
        break;
    }
    if (m->reset_pending) {
        if (m->cfg.no_reboot) {
            *stop = STOP_RESET;
            return true;
        }
        machine_reset(m);
    }
    return false;
}

/* Work the CPU has done: retired instructions plus delivered exceptions,
 * so that an instruction limit also ends a guest caught in a fault loop
 * (a handler whose first instruction faults retires nothing). */
static uint64_t cpu_work(const struct cpu *c)
{
    uint64_t n = c->count.insns;
    for (int v = 0; v < 32; v++)
        n += c->count.exceptions[v];
    return n;
}

/* cpu_work, plus the time spent in KVM (which cannot count instructions)
 * at the virtual CPU's nominal rate, so that --max-insns also ends a
 * guest run under KVM. */
static uint64_t machine_work(const struct machine *m)
{
    return cpu_work(&m->cpu) + m->stats.kvm_guest_ns / m->clock.ns_per_insn;
}

/* One run of the current engine, timed and counted per engine. */
static enum cpu_exit run_engine(struct machine *m, uint64_t budget)
{
    struct engine_slot *e = &m->engines[m->engine];
    if (m->debug.single_step)
        budget = 1;
    enter_engine(m);
    uint64_t t0 = stats_now_ns(), i0 = m->cpu.count.insns;
    enum cpu_exit r = e->ops->run(e->priv, budget);
    m->stats.engine_ns[m->engine] += stats_now_ns() - t0;
    m->stats.engine_insns[m->engine] += m->cpu.count.insns - i0;
    return r;
}

/* --switch-engine-after: the next engine of the sequence when it is time. */
static void switch_if_due(struct machine *m)
{
    const struct machine_config *cfg = &m->cfg;
    uint64_t now = cfg->switch_in_ns ? vclock_now(&m->clock) : m->cpu.count.insns;
    if (now < m->next_switch)
        return;
    m->next_switch = now + cfg->switch_every;
    m->switch_pos = (m->switch_pos + 1) % cfg->nswitch_seq;
    if (machine_select_engine(m, cfg->switch_seq[m->switch_pos]) < 0)
        fprintf(stderr, "x86lab: engine switch failed: %s\n", m->error);
}

enum machine_stop machine_run(struct machine *m, uint64_t max_insns)
{
    uint64_t start = machine_work(m);
    enum machine_stop stop = STOP_BUDGET;
    for (;;) {
        vclock_run_due(&m->clock);
        uint64_t n = slice(m);
        if (m->smp)
            n = smp_budget(m, n);    /* what is left of this CPU's turn */
        if (max_insns) {
            uint64_t done = machine_work(m) - start;
            if (done >= max_insns)
                return STOP_BUDGET;
            if (max_insns - done < n)
                n = max_insns - done;
        }
        m->clock.slice_end = vclock_now(&m->clock) + n * m->clock.ns_per_insn;
        enum cpu_exit e = run_engine(m, n);
        m->clock.slice_end = 0;
        if (m->smp)
            e = smp_after_run(m, e); /* per-CPU HLT, the next CPU's turn */
        if (service(m, e, &stop))
            return stop;
        /* Engines without per-instruction hooks (KVM, the translator)
         * come back here after a single step or a hardware breakpoint. */
        if (m->dbg && debug_check_boundary(m))
            return STOP_DEBUG;
        if (m->cfg.switch_every && m->cfg.nswitch_seq)
            switch_if_due(m);
    }
}

void machine_entry_real(struct machine *m, uint16_t cs, uint16_t ip)
{
    struct cpu *c = &m->cpu;
    seg_set_cache(&c->seg[S_CS], cs, (uint32_t)cs << 4, 0xFFFF,
                  AR_P | AR_S | AR_W | AR_ACCESSED);
    c->eip = ip;
}

void machine_entry_flat32(struct machine *m, uint32_t eip)
{
    struct cpu *c = &m->cpu;
    c->cr0 |= CR0_PE;
    uint16_t code = AR_P | AR_S | AR_CODE | AR_R | AR_ACCESSED | AR_DB | AR_G;
    uint16_t data = AR_P | AR_S | AR_W | AR_ACCESSED | AR_DB | AR_G;
    seg_set_cache(&c->seg[S_CS], 0x08, 0, 0xFFFFFFFFu, code);
    for (int s = 0; s < S_COUNT; s++)
        if (s != S_CS)
            seg_set_cache(&c->seg[s], 0x10, 0, 0xFFFFFFFFu, data);
    c->eip = eip;
    cpu_set_cpl(c, 0);
}
