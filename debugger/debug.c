/* debug.c -- the debugger core: the CPU and bus hooks that detect
 * breakpoints, watchpoints, steps and mode changes, the stop they raise,
 * and the loop that hands a stopped machine to the monitor or the gdb stub.
 * Breakpoint bookkeeping and debugger memory access are in debug_bp.c. */
#include "debug.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "cpu/insn.h"
#include "cpu/interrupt.h"
#include "cpu/mem.h"
#include "machine/machine.h"
#include "trace.h"

/* Traces (-d, trace.c) are on. */
static bool tracing(const struct machine *m)
{
    return m->trace_flags != 0;
}

/* The stop raised by a hook: the first one wins until the frontend runs. */
static bool raise_stop(struct debugger *d, enum dbg_reason why, int bp_id)
{
    if (d->stop_pending)
        return false;
    memset(&d->stop, 0, sizeof d->stop);
    d->stop.reason = why;
    d->stop.bp_id = bp_id;
    d->stop.insn_cs = d->m->cpu.seg[S_CS].sel;
    d->stop.insn_eip = d->m->cpu.insn_eip;
    d->stop.insn_lin = d->m->cpu.seg[S_CS].base + d->m->cpu.insn_eip;
    d->stop_pending = 1;
    d->m->cpu.stop_request = 1;
    d->m->cpu.exit_block = 1;
    return true;
}

/* A breakpoint matched: counts the hit unless its condition is false. */
static bool bp_fires(struct debugger *d, struct breakpoint *b)
{
    if (b->cond[0]) {
        uint32_t v;
        char err[80];
        if (debug_eval(d->m, b->cond, &v, err, sizeof err) == 0 && v == 0)
            return false;
        /* A condition that cannot be evaluated stops, so the user sees it. */
    }
    b->hits++;
    return true;
}

static bool is_exec_kind(enum bp_kind k)
{
    return k == BPK_LIN || k == BPK_PHYS || k == BPK_SEGOFF;
}

/* Exec breakpoints at the current CS:EIP. */
static void check_exec(struct debugger *d, struct cpu *c)
{
    uint32_t lin = c->seg[S_CS].base + c->eip;
    uint32_t phys = 0;
    bool have_phys = false;
    for (int k = 0; k < DBG_MAX_BP; k++) {
        struct breakpoint *b = &d->bp[k];
        if (!b->id || !b->enabled || !is_exec_kind(b->kind))
            continue;
        bool at = false;
        if (b->kind == BPK_LIN)
            at = b->addr == lin;
        else if (b->kind == BPK_SEGOFF)
            at = b->seg == c->seg[S_CS].sel && b->addr == c->eip;
        else {
            if (!have_phys)
                have_phys = mmu_peek(c, lin, &phys) == 0;
            at = have_phys && b->addr == phys;
        }
        if (at && bp_fires(d, b) && raise_stop(d, DBG_STOP_BREAK, b->id)) {
            d->stop.insn_eip = c->eip;
            d->stop.insn_lin = lin;
            return;
        }
    }
}

/* CR3 and CR0.PE/PG changes, seen at the boundary after the instruction. */
static void check_system(struct debugger *d, struct cpu *c)
{
    bool cr3 = c->cr3 != d->last_cr3;
    bool mode = ((c->cr0 ^ d->last_cr0) & (CR0_PE | CR0_PG)) != 0;
    uint32_t before3 = d->last_cr3, before0 = d->last_cr0;
    d->last_cr3 = c->cr3;
    d->last_cr0 = c->cr0;
    if (!cr3 && !mode)
        return;
    for (int k = 0; k < DBG_MAX_BP; k++) {
        struct breakpoint *b = &d->bp[k];
        if (!b->id || !b->enabled)
            continue;
        if (cr3 && b->kind == BPK_CR3 && bp_fires(d, b) &&
            raise_stop(d, DBG_STOP_CR3, b->id)) {
            d->stop.before = before3;
            d->stop.after = c->cr3;
            return;
        }
        if (mode && b->kind == BPK_MODE && bp_fires(d, b) &&
            raise_stop(d, DBG_STOP_MODE, b->id)) {
            d->stop.before = before0;
            d->stop.after = c->cr0;
            return;
        }
    }
}

/* Decodes the instruction at CS:EIP from guest memory; false if the bytes
 * cannot be read or decoded. */
bool debug_decode_at(struct machine *m, uint32_t lin, bool code32, struct insn *i)
{
    uint8_t buf[16];
    uint32_t n = debug_read_lin(m, lin, buf, 15);
    return n > 0 && decode(i, buf, (int)n, code32, m->cpu.model) > 0;
}

static bool is_return(const struct insn *i)
{
    const char *mn = i->row ? i->row->mnem : "";
    return !strcmp(mn, "ret") || !strcmp(mn, "retf") || !strcmp(mn, "iret");
}

/* The run modes: a step counts boundaries after the resume point; finish
 * waits for a return that leaves the frame it started in. */
static void check_run(struct debugger *d, struct cpu *c)
{
    if (d->run == DBG_RUN_STEP && d->boundaries > 1 && --d->steps == 0)
        raise_stop(d, DBG_STOP_STEP, 0);
    if (d->run == DBG_RUN_FINISH) {
        if (d->boundaries > 1 && d->prev_ret && c->r[R_ESP] > d->finish_esp)
            raise_stop(d, DBG_STOP_STEP, 0);
        struct insn i;
        d->prev_ret = debug_decode_at(d->m, c->seg[S_CS].base + c->eip,
                                      (c->seg[S_CS].ar & AR_DB) != 0, &i) && is_return(&i);
    }
}

/* Before every instruction while the CPU runs observed (hooks_on). */
static void on_insn(void *opaque, struct cpu *c)
{
    struct machine *m = opaque;
    struct debugger *d = m->dbg;
    d->boundaries++;
    check_system(d, c);
    check_run(d, c);
    if (d->boundaries > 1)
        check_exec(d, c);
    if (d->stop_pending)
        c->stop_request = 1;
    else if (tracing(m))
        trace_insn(m, c);
}

/* As each exception or interrupt is delivered: the event ring, traces and
 * vector breakpoints (the stop comes at the handler's first instruction). */
static void on_event(void *opaque, struct cpu *c, int vector, int kind,
                     bool has_error, uint32_t error)
{
    struct machine *m = opaque;
    struct debugger *d = m->dbg;
    struct dbg_event *e = &d->events[d->nevents++ % DBG_EVENTS];
    *e = (struct dbg_event){ c->count.insns, c->seg[S_CS].sel, c->insn_eip, vector,
                             kind, has_error, error, c->cr2 };
    if (tracing(m))
        trace_event(m, c, vector, kind, has_error, error);
    for (int k = 0; k < DBG_MAX_BP; k++) {
        struct breakpoint *b = &d->bp[k];
        if (b->id && b->enabled && b->kind == BPK_VECTOR && b->addr == (uint32_t)vector &&
            bp_fires(d, b) && raise_stop(d, DBG_STOP_VECTOR, b->id)) {
            d->stop.vector = vector;
            d->stop.kind = kind;
            d->stop.has_error = has_error;
            d->stop.error = error;
            d->stop.cr2 = c->cr2;
            return;
        }
    }
}

static bool overlaps(uint32_t a, uint32_t alen, uint32_t b, uint32_t blen)
{
    return (uint64_t)a < (uint64_t)b + blen && (uint64_t)b < (uint64_t)a + alen;
}

static void on_port(void *opaque, uint16_t port, int size, bool write, uint32_t value)
{
    struct machine *m = opaque;
    struct debugger *d = m->dbg;
    for (int k = 0; k < DBG_MAX_BP; k++) {
        struct breakpoint *b = &d->bp[k];
        if (!b->id || !b->enabled || b->kind != BPK_PORT ||
            !(b->acc & (write ? DBG_ACC_WRITE : DBG_ACC_READ)) ||
            !overlaps(port, (uint32_t)size, b->addr, b->len))
            continue;
        if (bp_fires(d, b) && raise_stop(d, DBG_STOP_PORT, b->id)) {
            d->stop.addr = port;
            d->stop.size = (unsigned)size;
            d->stop.write = write;
            d->stop.new_value = value;
            return;
        }
    }
}

static bool watched_page(void *opaque, uint32_t page)
{
    struct debugger *d = ((struct machine *)opaque)->dbg;
    for (int k = 0; k < DBG_MAX_BP; k++) {
        const struct breakpoint *b = &d->bp[k];
        if (b->id && b->enabled && b->kind == BPK_WATCH && overlaps(page, 4096, b->addr, b->len))
            return true;
    }
    return false;
}

/* A data access to a watched page, from mmu.c's slow path (before a write
 * lands, so the old value is still in memory). */
static void on_access(void *opaque, struct cpu *c, uint32_t lin, unsigned size,
                      bool write, uint32_t value)
{
    struct machine *m = opaque;
    struct debugger *d = m->dbg;
    (void)c;                             /* m->cpu: the state is the machine's */
    if (d->stop_pending)
        return;                          /* one stop per instruction: the first access */
    for (int k = 0; k < DBG_MAX_BP; k++) {
        struct breakpoint *b = &d->bp[k];
        if (!b->id || !b->enabled || b->kind != BPK_WATCH ||
            !(b->acc & (write ? DBG_ACC_WRITE : DBG_ACC_READ)) ||
            !overlaps(lin, size, b->addr, b->len))
            continue;
        uint32_t old = 0;
        debug_read_lin(m, lin, &old, size);
        if (write && old == value && b->acc == DBG_ACC_WRITE)
            continue;                    /* gdb's rule: a write watch needs a change */
        if (bp_fires(d, b) && raise_stop(d, DBG_STOP_WATCH, b->id)) {
            d->stop.addr = lin;
            d->stop.size = size;
            d->stop.write = write;
            d->stop.old_value = old;
            d->stop.new_value = write ? value : old;
            return;
        }
    }
}

struct debugger *debug_attach(struct machine *m)
{
    if (m->dbg)
        return m->dbg;
    struct debugger *d = calloc(1, sizeof *d);
    if (!d)
        return NULL;
    d->m = m;
    d->next_id = 1;
    d->out = stdout;
    d->run = DBG_RUN_CONT;
    m->dbg = d;
    struct cpu *c = &m->cpu;
    c->insn_hook = on_insn;
    c->event_hook = on_event;
    c->hook_opaque = m;
    m->bus.io_hook = NULL;
    m->bus.io_hook_opaque = m;
    d->last_cr0 = c->cr0;
    d->last_cr3 = c->cr3;
    return d;
}

void debug_detach(struct machine *m)
{
    struct debugger *d = m->dbg;
    if (!d)
        return;
    struct cpu *c = &m->cpu;
    c->hooks_on = false;
    c->insn_hook = NULL;
    c->event_hook = NULL;
    c->watch_page = NULL;
    c->watch_hook = NULL;
    m->bus.io_hook = NULL;
    tlb_flush(c, false);
    debug_symbols_free(d);
    monitor_free(d);
    if (d->script)
        fclose(d->script);
    free(d);
    m->dbg = NULL;
}

static int count_kind(const struct debugger *d, enum bp_kind kind)
{
    int n = 0;
    for (int k = 0; k < DBG_MAX_BP; k++)
        n += d->bp[k].id && d->bp[k].enabled && d->bp[k].kind == kind;
    return n;
}

/* What an engine without per-instruction hooks is asked: hardware-style
 * breakpoints for exec breakpoints and watchpoints when they fit, single
 * steps (checked at each boundary by debug_check_boundary) otherwise. */
static void engine_requests(struct debugger *d, struct engine_debug *ed)
{
    memset(ed, 0, sizeof *ed);
    bool need_step = d->run != DBG_RUN_CONT;
    for (int k = 0; k < DBG_MAX_BP; k++) {
        const struct breakpoint *b = &d->bp[k];
        if (!b->id || !b->enabled || b->kind == BPK_VECTOR || b->kind == BPK_PORT)
            continue;
        bool fits = ed->nbp < ENGINE_MAX_HWBP &&
                    (b->kind == BPK_LIN || (b->kind == BPK_WATCH && b->len <= 4));
        if (!fits) {
            need_step = true;
            continue;
        }
        ed->bp[ed->nbp].lin = b->addr;
        ed->bp[ed->nbp].len = (uint8_t)(b->kind == BPK_LIN ? 1 : b->len);
        ed->bp[ed->nbp].kind = b->kind == BPK_LIN ? BP_EXEC
                               : b->acc == DBG_ACC_WRITE ? BP_WRITE : BP_ACCESS;
        ed->nbp++;
    }
    ed->single_step = need_step;
}

void debug_update(struct machine *m)
{
    struct debugger *d = m->dbg;
    if (!d)
        return;
    struct cpu *c = &m->cpu;
    bool any = false;
    for (int k = 0; k < DBG_MAX_BP; k++)
        any |= d->bp[k].id && d->bp[k].enabled;
    /* The translator hands every instruction to the interpreter while the
     * CPU is observed, so its hooks work there too; only KVM needs the
     * engine requests. */
    bool interp = m->engine != ENGINE_KVM;
    c->hooks_on = interp && (any || d->run != DBG_RUN_CONT ||
                             (m->trace_flags & TRACE_PER_INSN));
    bool watch = count_kind(d, BPK_WATCH) > 0;
    c->watch_page = watch ? watched_page : NULL;
    c->watch_hook = watch ? on_access : NULL;
    m->bus.io_hook = count_kind(d, BPK_PORT) ? on_port : NULL;
    tlb_flush(c, false);                 /* watched pages lose direct access */
    c->exit_block = 1;
    struct engine_debug ed;
    if (interp)
        memset(&ed, 0, sizeof ed);
    else
        engine_requests(d, &ed);
    if (machine_set_debug(m, &ed) < 0 && ed.nbp) {
        /* The engine has no hardware-style breakpoints: single steps,
         * each boundary checked by debug_check_boundary. */
        ed.nbp = 0;
        ed.single_step = true;
        machine_set_debug(m, &ed);
    }
    d->watch_snapshot = !interp && watch;
    debug_snapshot_watches(d);
}

void debug_resume(struct debugger *d, enum dbg_run run, uint64_t steps)
{
    struct machine *m = d->m;
    machine_sync_cpu(m);
    d->run = run;
    d->steps = steps ? steps : 1;
    m->cpu.irq_hold = run == DBG_RUN_STEP && d->step_noirq;
    m->debug_stepping = run == DBG_RUN_STEP;
    d->boundaries = 0;
    d->prev_ret = 0;
    d->finish_esp = m->cpu.r[R_ESP];
    d->last_cr0 = m->cpu.cr0;
    d->last_cr3 = m->cpu.cr3;
    d->stop_pending = 0;
    memset(&d->stop, 0, sizeof d->stop);
    m->cpu.stop_request = 0;
    debug_update(m);
}

void debug_request_stop(struct machine *m)
{
    struct debugger *d = m->dbg;
    if (!d)
        return;
    if (!d->stop_pending) {
        d->stop.reason = DBG_STOP_USER;
        d->stop.bp_id = 0;
        d->stop_pending = 1;
    }
    m->cpu.stop_request = 1;
}

/* After an engine run in an engine without hooks: the stop the hooks
 * would have raised, worked out at the boundary. */
bool debug_check_boundary(struct machine *m)
{
    struct debugger *d = m->dbg;
    if (d->stop_pending)
        return true;
    if (m->engine != ENGINE_KVM)
        return false;                    /* the hooks saw every boundary */
    if (!m->debug.single_step && !m->debug.nbp && !d->watch_snapshot)
        return false;
    machine_sync_cpu(m);
    struct cpu *c = &m->cpu;
    d->boundaries++;
    if (d->boundaries == 1)
        d->boundaries++;                 /* the resume point was passed by the run */
    check_system(d, c);
    check_run(d, c);
    check_exec(d, c);
    if (!d->stop_pending)
        debug_check_watch_snapshot(d);
    if (d->stop_pending) {
        d->stop.insn_cs = c->seg[S_CS].sel;
        if (d->stop.reason != DBG_STOP_WATCH) {
            d->stop.insn_eip = c->eip;
            d->stop.insn_lin = debug_pc(m);
        }
        c->stop_request = 0;
        return true;
    }
    return false;
}

/* ---- the loop under the debugger ---- */

static struct machine *sigint_machine;   /* for the handler only */

static void on_sigint(int sig)
{
    (void)sig;
    debug_request_stop(sigint_machine);
}

static void catch_sigint(struct machine *m)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sigemptyset(&sa.sa_mask);
    sa.sa_handler = on_sigint;
    sa.sa_flags = SA_RESTART;
    sigint_machine = m;
    sigaction(SIGINT, &sa, NULL);
}

static enum dbg_action frontend(struct machine *m)
{
    struct debugger *d = m->dbg;
    machine_sync_cpu(m);
    /* Temporary breakpoints (next, until) end with the stop, which is
     * then the end of a step. */
    const struct breakpoint *hit = debug_bp_find(d, d->stop.bp_id);
    if (hit && hit->temporary) {
        d->stop.reason = DBG_STOP_STEP;
        d->stop.bp_id = 0;
    }
    for (int k = 0; k < DBG_MAX_BP; k++)
        if (d->bp[k].id && d->bp[k].temporary)
            debug_bp_delete(d, d->bp[k].id);
    enum dbg_action a = d->stub_stopped ? d->stub_stopped(m) : monitor_stopped(m);
    if (a == DBG_RESUME)
        machine_cpu_changed(m);
    return a;
}

int debug_run(struct machine *m, uint64_t max_insns, bool start_stopped)
{
    if (start_stopped) {
        struct debugger *d = debug_attach(m);
        if (!d)
            return STOP_QUIT;
        d->sigint_stops = true;
        d->stop.reason = DBG_STOP_START;
        d->stop.insn_cs = m->cpu.seg[S_CS].sel;
        d->stop.insn_eip = m->cpu.eip;
        if (frontend(m) == DBG_QUIT)
            return STOP_QUIT;
    }
    if (m->dbg && m->dbg->sigint_stops)
        catch_sigint(m);
    uint64_t start = m->cpu.count.insns;
    for (;;) {
        uint64_t left = 0;
        if (max_insns) {
            uint64_t done = m->cpu.count.insns - start;
            if (done >= max_insns)
                return STOP_BUDGET;
            left = max_insns - done;
        }
        enum machine_stop s = machine_run(m, left);
        if (s != STOP_DEBUG || !m->dbg)
            return s;
        if (frontend(m) == DBG_QUIT)
            return STOP_QUIT;
    }
}
