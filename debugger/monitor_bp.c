/* monitor_bp.c -- the monitor's breakpoint commands: break in all its
 * forms (address, symbol, physical, seg:off, vector, port, cr3, mode, with
 * `if COND`), watch/rwatch/awatch, delete, enable/disable, info. */
#include "monitor.h"

#include <stdlib.h>
#include <string.h>

#include "symbols.h"

/* Splits "... if COND" off the arguments: returns the index of "if" (or
 * argc) and copies the condition. */
static int take_condition(struct machine *m, FILE *out, int argc, char **argv,
                          struct breakpoint *b, bool *bad)
{
    *bad = false;
    for (int k = 1; k < argc; k++) {
        if (strcmp(argv[k], "if"))
            continue;
        mon_join(argc, argv, k + 1, b->cond, sizeof b->cond);
        uint32_t v;
        char err[120];
        if (!b->cond[0] || debug_eval(m, b->cond, &v, err, sizeof err) < 0) {
            fprintf(out, "error: bad condition '%s': %s\n", b->cond,
                    b->cond[0] ? err : "empty");
            *bad = true;
        }
        return k;
    }
    return argc;
}

static int add_and_report(struct machine *m, FILE *out, struct breakpoint *b, const char *what)
{
    int id = debug_bp_add(m->dbg, b);
    if (id < 0) {
        fprintf(out, "error: %s\n", m->error);
        return -1;
    }
    fprintf(out, "%s %d: %s%s%s\n", what, id, b->desc, b->cond[0] ? " if " : "", b->cond);
    return -1;
}

static uint8_t parse_access(const char *s, uint8_t dflt)
{
    if (!s)
        return dflt;
    if (!strcmp(s, "r") || !strcmp(s, "in"))
        return DBG_ACC_READ;
    if (!strcmp(s, "w") || !strcmp(s, "out"))
        return DBG_ACC_WRITE;
    if (!strcmp(s, "rw") || !strcmp(s, "a"))
        return DBG_ACC_RW;
    return 0;
}

/* break port PORT[-LAST] [r|w|rw] */
static int break_port(struct machine *m, FILE *out, int argc, char **argv, struct breakpoint *b)
{
    if (argc < 3) {
        fprintf(out, "break port: which port? (break port 0x3f8[-0x3ff] [r|w|rw])\n");
        return -1;
    }
    char first[64];
    const char *dash = strchr(argv[2], '-');
    snprintf(first, sizeof first, "%.*s", dash ? (int)(dash - argv[2]) : 63, argv[2]);
    uint32_t lo, hi;
    if (mon_eval(m, out, first, &lo) < 0 || (dash && mon_eval(m, out, dash + 1, &hi) < 0))
        return -1;
    if (!dash)
        hi = lo;
    if (lo > 0xFFFF || hi > 0xFFFF || hi < lo) {
        fprintf(out, "error: ports are 0-0xffff, first <= last\n");
        return -1;
    }
    b->kind = BPK_PORT;
    b->addr = lo;
    b->len = hi - lo + 1;
    b->acc = parse_access(argc > 3 ? argv[3] : NULL, DBG_ACC_RW);
    if (!b->acc) {
        fprintf(out, "error: access is r, w or rw, not '%s'\n", argv[3]);
        return -1;
    }
    snprintf(b->desc, sizeof b->desc, "port 0x%x-0x%x %s", lo, hi,
             b->acc == DBG_ACC_RW ? "rw" : b->acc == DBG_ACC_READ ? "r" : "w");
    return add_and_report(m, out, b, "breakpoint");
}

static int break_special(struct machine *m, FILE *out, int argc, char **argv,
                         struct breakpoint *b)
{
    const char *what = argv[1];
    if (!strcmp(what, "port") || !strcmp(what, "io"))
        return break_port(m, out, argc, argv, b);
    if (!strcmp(what, "cr3")) {
        b->kind = BPK_CR3;
        snprintf(b->desc, sizeof b->desc, "CR3 change");
        return add_and_report(m, out, b, "breakpoint");
    }
    if (!strcmp(what, "mode")) {
        b->kind = BPK_MODE;
        snprintf(b->desc, sizeof b->desc, "mode change (CR0.PE, CR0.PG)");
        return add_and_report(m, out, b, "breakpoint");
    }
    /* vector / int / exc N */
    uint32_t v;
    if (argc < 3) {
        fprintf(out, "break %s: which vector? (break %s 14)\n", what, what);
        return -1;
    }
    if (mon_eval(m, out, argv[2], &v) < 0)
        return -1;
    if (v > 255) {
        fprintf(out, "error: vectors are 0-255\n");
        return -1;
    }
    b->kind = BPK_VECTOR;
    b->addr = v;
    snprintf(b->desc, sizeof b->desc, "vector %u", v);
    return add_and_report(m, out, b, "breakpoint");
}

static bool is_special(const char *w)
{
    static const char *const words[] = { "port", "io", "cr3", "mode", "vector", "int", "exc" };
    for (size_t k = 0; k < sizeof words / sizeof words[0]; k++)
        if (!strcmp(w, words[k]))
            return true;
    return false;
}

static int cmd_break(struct machine *m, FILE *out, int argc, char **argv)
{
    struct breakpoint b;
    memset(&b, 0, sizeof b);
    bool bad;
    argc = take_condition(m, out, argc, argv, &b, &bad);
    if (bad)
        return -1;
    if (argc < 2) {
        fprintf(out, "break: where? (help break)\n");
        return -1;
    }
    if (is_special(argv[1]))
        return break_special(m, out, argc, argv, &b);
    struct location loc;
    if (mon_parse_location(m, out, argv[1], &loc) < 0)
        return -1;
    b.kind = loc.kind == LOC_PHYS ? BPK_PHYS : loc.kind == LOC_SEGOFF ? BPK_SEGOFF : BPK_LIN;
    b.addr = loc.addr;
    b.seg = loc.seg;
    char a[96];
    if (b.kind == BPK_LIN)
        snprintf(b.desc, sizeof b.desc, "%s", mon_addr(m, b.addr, a, sizeof a));
    else
        snprintf(b.desc, sizeof b.desc, "%s", argv[1]);
    return add_and_report(m, out, &b, "breakpoint");
}

/* watch LOC [LEN] [if COND] */
static int add_watch(struct machine *m, FILE *out, int argc, char **argv, uint8_t acc)
{
    struct breakpoint b;
    memset(&b, 0, sizeof b);
    bool bad;
    argc = take_condition(m, out, argc, argv, &b, &bad);
    if (bad)
        return -1;
    if (argc < 2) {
        fprintf(out, "%s: what? (%s ADDR [LEN])\n", argv[0], argv[0]);
        return -1;
    }
    struct location loc;
    uint32_t len = 4;
    if (mon_parse_location(m, out, argv[1], &loc) < 0 ||
        (argc > 2 && mon_eval(m, out, argv[2], &len) < 0))
        return -1;
    if (loc.kind == LOC_PHYS) {
        fprintf(out, "error: watchpoints take linear addresses\n");
        return -1;
    }
    if (len == 0 || len > 0x100000) {
        fprintf(out, "error: length 1 to 1 MiB\n");
        return -1;
    }
    b.kind = BPK_WATCH;
    b.addr = loc.lin;
    b.len = len;
    b.acc = acc;
    char a[96];
    snprintf(b.desc, sizeof b.desc, "%s %s len %u",
             acc == DBG_ACC_WRITE ? "write" : acc == DBG_ACC_READ ? "read" : "access",
             mon_addr(m, b.addr, a, sizeof a), len);
    return add_and_report(m, out, &b, "watchpoint");
}

static int cmd_watch(struct machine *m, FILE *out, int argc, char **argv)
{
    return add_watch(m, out, argc, argv, DBG_ACC_WRITE);
}

static int cmd_rwatch(struct machine *m, FILE *out, int argc, char **argv)
{
    return add_watch(m, out, argc, argv, DBG_ACC_READ);
}

static int cmd_awatch(struct machine *m, FILE *out, int argc, char **argv)
{
    return add_watch(m, out, argc, argv, DBG_ACC_RW);
}

static int cmd_delete(struct machine *m, FILE *out, int argc, char **argv)
{
    struct debugger *d = m->dbg;
    if (argc < 2) {
        for (int k = 0; k < DBG_MAX_BP; k++)
            if (d->bp[k].id)
                debug_bp_delete(d, d->bp[k].id);
        fprintf(out, "all breakpoints deleted\n");
        return -1;
    }
    for (int k = 1; k < argc; k++) {
        char *end;
        long id = strtol(argv[k], &end, 0);
        if (*end || debug_bp_delete(d, (int)id) < 0)
            fprintf(out, "delete: no breakpoint '%s'\n", argv[k]);
    }
    return -1;
}

static int set_enabled(struct machine *m, FILE *out, int argc, char **argv, bool on)
{
    for (int k = 1; k < argc; k++) {
        char *end;
        long id = strtol(argv[k], &end, 0);
        struct breakpoint *b = *end ? NULL : debug_bp_find(m->dbg, (int)id);
        if (!b)
            fprintf(out, "%s: no breakpoint '%s'\n", argv[0], argv[k]);
        else
            b->enabled = on;
    }
    debug_update(m);
    return -1;
}

static int cmd_enable(struct machine *m, FILE *out, int argc, char **argv)
{
    return set_enabled(m, out, argc, argv, true);
}

static int cmd_disable(struct machine *m, FILE *out, int argc, char **argv)
{
    return set_enabled(m, out, argc, argv, false);
}

static const char *kind_word(enum bp_kind k)
{
    static const char *const w[] = { "exec", "exec-phys", "exec-seg", "vector", "port",
                                     "cr3", "mode", "watch" };
    return w[k];
}

static int info_breakpoints(struct machine *m, FILE *out)
{
    int n = 0;
    for (int id = 1; id < m->dbg->next_id; id++) {     /* in the order they were set */
        const struct breakpoint *b = debug_bp_find(m->dbg, id);
        if (!b || b->temporary)
            continue;
        if (!n++)
            fprintf(out, "Num  Type       Enb Hits  What\n");
        fprintf(out, "%-4d %-10s %-3s %-5llu %s%s%s\n", b->id, kind_word(b->kind),
                b->enabled ? "y" : "n", (unsigned long long)b->hits, b->desc,
                b->cond[0] ? " if " : "", b->cond);
    }
    if (!n)
        fprintf(out, "no breakpoints or watchpoints\n");
    return -1;
}

static int cmd_info(struct machine *m, FILE *out, int argc, char **argv)
{
    const char *what = argc > 1 ? argv[1] : "";
    if (!strcmp(what, "b") || !strcmp(what, "break") || !strcmp(what, "breakpoints") ||
        !strcmp(what, "watch") || !strcmp(what, "watchpoints"))
        return info_breakpoints(m, out);
    if (!strcmp(what, "r") || !strcmp(what, "registers"))
        return monitor_exec(m, "registers", out);
    fprintf(out, "info: breakpoints or registers\n");
    return -1;
}

const struct mon_cmd mon_bp_cmds[] = {
    { "break", "b", cmd_break, "break WHERE [if COND]",
      "set a breakpoint; WHERE is one of\n"
      "  ADDR | SYMBOL | SYMBOL+OFF   linear address, before the instruction runs\n"
      "  p:ADDR                       physical address of CS:EIP\n"
      "  SEG:OFF                      CS selector and EIP (cs:0x100 or 0x7c0:0)\n"
      "  vector N | int N | exc N     exception or interrupt N delivered (stops at its handler)\n"
      "  port P[-Q] [r|w|rw]          IN/OUT to ports P..Q (stops after the instruction)\n"
      "  cr3                          CR3 written with a new value\n"
      "  mode                         CR0.PE or CR0.PG changed\n"
      "COND is an expression: eax==5 && [esp+4]!=0" },
    { "watch", NULL, cmd_watch, "watch ADDR [LEN] [if COND]",
      "stop after an instruction changes memory in [ADDR, ADDR+LEN) (LEN 4)" },
    { "rwatch", NULL, cmd_rwatch, "rwatch ADDR [LEN] [if COND]",
      "stop after an instruction reads [ADDR, ADDR+LEN)" },
    { "awatch", NULL, cmd_awatch, "awatch ADDR [LEN] [if COND]",
      "stop after an instruction reads or writes [ADDR, ADDR+LEN)" },
    { "delete", "d", cmd_delete, "delete [N...]", "delete breakpoints N... (all without N)" },
    { "enable", NULL, cmd_enable, "enable N...", "enable breakpoints" },
    { "disable", NULL, cmd_disable, "disable N...", "disable breakpoints (kept, not checked)" },
    { "info", "i", cmd_info, "info breakpoints|registers", "list breakpoints and watchpoints" },
    { NULL, NULL, NULL, NULL, NULL },
};
