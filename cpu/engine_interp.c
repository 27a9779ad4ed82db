/* engine_interp.c -- the interpreter as an engine (machine/engine.h): it
 * works on the common CPU state directly, so there is nothing to copy in
 * or out; run() is cpu_run, the fetch-decode-execute loop of exec.c. */
#include <stdio.h>

#include "../machine/engine.h"
#include "icache.h"
#include "../machine/machine.h"

static bool interp_available(char *why, size_t len)
{
    (void)why;
    (void)len;
    return true;
}

static void *interp_open(struct machine *m, char *why, size_t len)
{
    (void)why;
    (void)len;
    return &m->cpu;
}

static enum cpu_exit interp_run(void *priv, uint64_t budget)
{
    return cpu_run(priv, budget);
}

static void interp_invalidate(void *priv, uint32_t paddr, uint32_t len)
{
    struct cpu *c = priv;
    (void)paddr;
    (void)len;
    c->exit_block = 1;
}

/* Single steps need nothing here: the machine gives a stepping engine a
 * budget of one instruction.  Breakpoints and watchpoints are checked by
 * the debugger's CPU hooks (debugger/debug.c), which the interpreter calls
 * before every instruction and on every slow-path access while hooks_on is
 * set; without those hooks there is nothing to check them with. */
static int interp_set_debug(void *priv, const struct engine_debug *d)
{
    struct cpu *c = priv;
    c->exit_block = 1;                   /* leave a decoded block at once */
    if (d->nbp > 0 && !c->insn_hook)
        return -1;
    return 0;
}

static void interp_report(void *priv, void *file)
{
    const struct icache *ic = ((struct cpu *)priv)->icache;
    fprintf(file, "x86lab:   interpreter block cache: %llu hits, %llu misses, "
            "%llu built, %llu invalidated\n",
            (unsigned long long)ic->hits, (unsigned long long)ic->misses,
            (unsigned long long)ic->built, (unsigned long long)ic->invalidated);
}

const struct engine_ops interp_engine_ops = {
    .kind = ENGINE_INTERP,
    .name = "interp",
    .title = "interpreter",
    .available = interp_available,
    .open = interp_open,
    .run = interp_run,
    .invalidate = interp_invalidate,
    .set_debug = interp_set_debug,
    .report = interp_report,
};
