/* engine_bt.c -- the binary translator as an engine (machine/engine.h):
 * it works on the common CPU state directly (no enter/leave), its
 * options come from the machine configuration, and its report prints the
 * bt_* statistics. */
#include <inttypes.h>
#include <stdio.h>

#include "debugger/trace.h"
#include "machine/machine.h"
#include "translator/bt_int.h"

static bool bt_available(char *why, size_t len)
{
    (void)why;
    (void)len;
    return true;
}

/* -d out_asm: each new block's translation view into the trace log. */
static void show_translated(void *opaque, struct bt *bt, uint32_t lin)
{
    struct machine *m = opaque;
    if ((m->trace_flags & TRACE_OUT_ASM) && m->trace && m->trace->out) {
        fprintf(m->trace->out, "OUT: translated block at linear %08x\n", lin);
        bt_show_block(bt, lin, m->trace->out);
    }
}

static void *bt_open(struct machine *m, char *why, size_t len)
{
    struct bt_config cfg = {
        .threshold = m->cfg.bt_threshold_set ? m->cfg.bt_threshold : BT_DEFAULT_THRESHOLD,
        .cache_mb = m->cfg.bt_cache_mb,
    };
    struct bt *bt = bt_new(&m->cpu, &m->stats, &cfg, why, len);
    if (bt) {
        bt_set_on_translate(bt, show_translated, m);
        bt_count_while(bt, &m->trace_flags);    /* -d: the view shows counts */
    }
    return bt;
}

static void bt_close(void *priv)
{
    bt_free(priv);
}

static enum cpu_exit bt_engine_run(void *priv, uint64_t budget)
{
    return bt_run(priv, budget);
}

static void bt_engine_invalidate(void *priv, uint32_t paddr, uint32_t len)
{
    bt_invalidate(priv, paddr, len);
}

/* Breakpoints and single-stepping are the interpreter's business: with
 * either requested, every instruction goes through it. */
static int bt_set_debug(void *priv, const struct engine_debug *d)
{
    struct bt *bt = priv;
    bt->debug_active = d->single_step || d->nbp > 0;
    return 0;
}

static double pct(uint64_t a, uint64_t b)
{
    return b ? 100.0 * (double)a / (double)b : 0.0;
}

static void bt_report(void *priv, void *file)
{
    struct bt *bt = priv;
    const struct stats *s = bt->st;
    FILE *f = file;
    uint64_t all = s->bt_insns_translated + s->bt_insns_interpreted;
    fprintf(f, "x86lab:   translator: %" PRIu64 " blocks, %" PRIu64 " bytes of host code, "
            "translation %.3f s\n", s->bt_blocks, s->bt_host_bytes,
            (double)s->bt_translate_ns / 1e9);
    fprintf(f, "x86lab:   translator: %" PRIu64 " instructions in translated code, %" PRIu64
            " interpreted (%.2f%% translated)\n", s->bt_insns_translated,
            s->bt_insns_interpreted, pct(s->bt_insns_translated, all));
    fprintf(f, "x86lab:   translator: %" PRIu64 " chain patches, %" PRIu64 " undone; %" PRIu64
            " indirect lookups, %.1f%% hits\n", s->bt_chain_patches, s->bt_chain_unpatches,
            s->bt_indirect_lookups, pct(s->bt_indirect_hits, s->bt_indirect_lookups));
    fprintf(f, "x86lab:   translator: %" PRIu64 " blocks invalidated, %" PRIu64 " cache flushes\n",
            s->bt_invalidations, s->bt_flushes);
    for (int k = 0; k < TRAP_COUNT; k++)
        if (s->bt_traps[k])
            fprintf(f, "x86lab:   translator trap %-26s %12" PRIu64 "  %.3f s\n",
                    trap_class_name((enum trap_class)k), s->bt_traps[k],
                    (double)s->bt_trap_ns[k] / 1e9);
}

const struct engine_ops bt_engine_ops = {
    .kind = ENGINE_BT,
    .name = "bt",
    .title = "binary translator",
    .available = bt_available,
    .open = bt_open,
    .close = bt_close,
    .run = bt_engine_run,
    .invalidate = bt_engine_invalidate,
    .set_debug = bt_set_debug,
    .report = bt_report,
};
