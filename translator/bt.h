/* bt.h -- the binary translator's public face: the engine ops (machine/
 * engine.h), a constructor that needs only a CPU and a statistics set (the
 * conformance runner and the tests build one without a machine), and the
 * translation view for the monitor and traces. */
#ifndef X86LAB_BT_H
#define X86LAB_BT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "cpu/cpu.h"
#include "machine/engine.h"
#include "machine/stats.h"

struct bt;

struct bt_config {
    uint32_t threshold;      /* executions before a block is translated (0: at once) */
    uint32_t cache_mb;       /* code cache size in MiB (0: the default) */
    bool count_execs;        /* blocks count their executions (the view shows
                              * them); off by default: a memory increment at
                              * every block entry costs ~5% of the benchmark */
};
enum { BT_DEFAULT_THRESHOLD = 8, BT_DEFAULT_CACHE_MB = 64 };

/* A translator for CPU c counting into s.  NULL with the reason in why. */
struct bt *bt_new(struct cpu *c, struct stats *s, const struct bt_config *cfg,
                  char *why, size_t len);
void bt_free(struct bt *bt);
/* Runs like cpu_run: returns at an instruction boundary after budget
 * instructions, or on HLT, shutdown or c->stop_request. */
enum cpu_exit bt_run(struct bt *bt, uint64_t budget);
/* Guest physical [paddr, paddr+len) changed: drop translations made from it. */
void bt_invalidate(struct bt *bt, uint32_t paddr, uint32_t len);
/* Drops every translation (the code cache is flushed whole). */
void bt_flush(struct bt *bt);

/* The translation view: the block at linear address lin (translated under
 * any mode), each guest instruction beside its host code, marked COPIED,
 * TRANSLATED or TRAPPED, with execution count, chaining and size.  Returns
 * the number of blocks shown (0: none starts there).  priv is the engine's
 * private pointer (machine->engines[ENGINE_BT].priv). */
int bt_show_block(void *priv, uint32_t lin, FILE *out);
/* Every translated block, one line each (the monitor's overview). */
void bt_list_blocks(void *priv, FILE *out);
/* Called with the linear address of each block just translated (the
 * -d out_asm trace); NULL: none. */
void bt_set_on_translate(struct bt *bt, void (*fn)(void *opaque, struct bt *bt, uint32_t lin),
                         void *opaque);
/* Blocks translated while *flag is nonzero count their executions too
 * (as with bt_config.count_execs). */
void bt_count_while(struct bt *bt, const unsigned *flag);

extern const struct engine_ops bt_engine_ops;

#endif
