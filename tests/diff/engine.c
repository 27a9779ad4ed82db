/* engine.c -- another x86lab engine as the target (--target=bt, kvm): a
 * second machine set up like the reference, switched to that engine with
 * machine_select_engine, given the same state and run until the HLT that
 * ends the sequence (or the HLT of an exception handler). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "machine/machine.h"
#include "tests/diff/diff.h"

struct engine_target {
    struct machine m;
    enum engine_kind kind;
};

/* KVM counts no instructions, so machine_run's budget means host time
 * there, and a sequence that set IF would idle at its HLT waiting for timers.
 * The engine runs directly instead (one VM for all sequences, the state put
 * in and taken out per sequence), until the HLT that ends the sequence or a
 * handler's (halted, with IF clear or set), a triple fault, or a deadline of
 * host time for a runaway guest. */
enum { KVM_DEADLINE_NS = 200 * 1000 * 1000 };

static enum machine_stop run_direct(struct machine *m, enum engine_kind k)
{
    const struct engine_slot *e = &m->engines[k];
    e->ops->enter(e->priv);
    m->cpu_in_engine = true;
    uint64_t end = vclock_now(&m->clock) + KVM_DEADLINE_NS;
    for (;;) {
        m->clock.slice_end = end;
        enum cpu_exit r = e->ops->run(e->priv, 0);
        m->clock.slice_end = 0;
        m->cpu.stop_request = 0;
        if (r == CPU_EXIT_HALT || r == CPU_EXIT_IDLE)
            return STOP_HALT;
        if (r == CPU_EXIT_SHUTDOWN)
            return STOP_SHUTDOWN;
        if (vclock_now(&m->clock) >= end)
            return STOP_BUDGET;
    }
}

static void engine_run(void *priv, const struct seq *q, const struct state *in,
                       struct outcome *o)
{
    struct engine_target *t = priv;
    struct machine *m = &t->m;
    machine_sync_cpu(m);
    guest_load(m, q, in, true);
    machine_invalidate(m, G_CODE, (uint32_t)q->size + 1);
    machine_invalidate(m, BUF_ADDR, BUF_SIZE);
    machine_cpu_changed(m);
    enum machine_stop stop;
    if (t->kind == ENGINE_KVM)
        stop = run_direct(m, t->kind);
    else    /* REP string instructions and exception delivery: a generous budget. */
        stop = machine_run(m, (uint64_t)q->n * 80 + 16);
    machine_sync_cpu(m);
    if (stop == STOP_SHUTDOWN)
        m->cpu.eip = SHUTDOWN_EIP;
    memset(o, 0, sizeof *o);
    o->end = q->size;
    o->valid = true;
    guest_result(m, o, true);
}

static void engine_close(void *priv)
{
    struct engine_target *t = priv;
    const struct engine_slot *e = &t->m.engines[t->kind];
    if (e->ops && e->ops->report && e->priv)
        e->ops->report(e->priv, stdout);
    machine_free(&t->m);
    free(t);
}

int target_engine_open(struct target *tg, enum engine_kind k, char *why, size_t len)
{
    const struct engine_ops *ops = engine_ops(k);
    if (!ops) {
        snprintf(why, len, "engine %d is not built into this x86lab", (int)k);
        return -1;
    }
    if (ops->available && !ops->available(why, len))
        return -1;
    struct engine_target *t = calloc(1, sizeof *t);
    if (!t || guest_setup(&t->m) < 0) {
        snprintf(why, len, "cannot set up a machine for the %s", ops->title);
        free(t);
        return -1;
    }
    if (machine_select_engine(&t->m, k) < 0) {
        snprintf(why, len, "%s", t->m.error);
        machine_free(&t->m);
        free(t);
        return -1;
    }
    t->kind = k;
    tg->name = ops->name;
    tg->engine = true;
    tg->priv = t;
    tg->run = engine_run;
    tg->close = engine_close;
    return 0;
}
