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
    /* REP string instructions and exception delivery: a generous budget. */
    enum machine_stop stop = machine_run(m, (uint64_t)q->n * 80 + 16);
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
