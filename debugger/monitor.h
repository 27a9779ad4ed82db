/* monitor.h -- what the monitor's files share (monitor*.c, views_*.c):
 * the command table's signature, argument parsing helpers and the
 * formatting helpers every view uses.  Not for outside the debugger. */
#ifndef X86LAB_MONITOR_H
#define X86LAB_MONITOR_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "debug.h"
#include "machine/machine.h"

enum { MON_MAX_ARGS = 16, MON_HISTORY = 100 };

/* A command: returns DBG_RESUME (the guest runs), DBG_QUIT, or -1 (stay). */
typedef int (*mon_fn)(struct machine *m, FILE *out, int argc, char **argv);

struct mon_cmd {
    const char *name;
    const char *alias;         /* short form, or NULL */
    mon_fn fn;
    const char *usage;         /* "step [N]" */
    const char *help;          /* one or more lines */
};

/* The monitor's own state (m->dbg->mon). */
struct monitor {
    char *history[MON_HISTORY];
    int nhistory;
    char last[512];            /* an empty line repeats step/next */
    int event_count;           /* `events` default */
};

/* A location as the user wrote it: linear, physical or segment:offset. */
struct location {
    enum { LOC_LIN, LOC_PHYS, LOC_SEGOFF } kind;
    uint32_t addr;             /* linear or physical address, or offset */
    uint16_t seg;
    uint32_t lin;              /* LOC_SEGOFF: its linear address now */
};

/* Parses "EXPR", "p:EXPR" or "SEG:OFF" (SEG a number or a segment
 * register).  Returns 0, or -1 after printing the reason to out. */
int mon_parse_location(struct machine *m, FILE *out, const char *text, struct location *loc);
/* Evaluates an expression; -1 after printing the reason. */
int mon_eval(struct machine *m, FILE *out, const char *text, uint32_t *v);
/* Joins argv[from..argc) with spaces into buf. */
void mon_join(int argc, char **argv, int from, char *buf, size_t len);
/* "0x00101000 <sym+4>" for a linear address. */
const char *mon_addr(struct machine *m, uint32_t lin, char *buf, size_t len);

/* Command tables of each file, ended by a NULL name. */
extern const struct mon_cmd mon_run_cmds[];
extern const struct mon_cmd mon_bp_cmds[];
extern const struct mon_cmd mon_view_cmds[];
extern const struct mon_cmd mon_mem_cmds[];
extern const struct mon_cmd mon_sys_cmds[];
extern const struct mon_cmd mon_page_cmds[];
extern const struct mon_cmd mon_dev_cmds[];

/* The disassembly of n instructions from lin (views_mem.c), marking the
 * current instruction and breakpoints. */
void mon_disas(struct machine *m, FILE *out, uint32_t lin, int n);
/* "code exec/read, accessed, dpl 0, present, 32-bit" (views_regs.c). */
void mon_describe_ar(char *buf, size_t len, uint16_t ar);
/* Line editor (linedit.c): reads a line with editing and history from a
 * terminal; NULL at end of input. */
char *linedit_read(struct monitor *mon, const char *prompt);
void linedit_add_history(struct monitor *mon, const char *line);

#endif
