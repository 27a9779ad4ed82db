/* monitor.c -- the monitor's loop at a stop (prompt, line editor or
 * --debug-script, dispatch through the command tables of monitor_*.c and
 * views_*.c), help, the stop report, and the shared argument parsers. */
#include "monitor.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cpu/interrupt.h"
#include "symbols.h"

static int cmd_help(struct machine *m, FILE *out, int argc, char **argv);

static const struct mon_cmd mon_help_cmds[] = {
    { "help", "h", cmd_help, "help [CMD]", "this list, or the details of one command" },
    { NULL, NULL, NULL, NULL, NULL },
};

static const struct mon_cmd *const *tables(void)
{
    static const struct mon_cmd *const all[] = {
        mon_help_cmds, mon_run_cmds, mon_bp_cmds, mon_view_cmds, mon_mem_cmds,
        mon_sys_cmds, mon_page_cmds, mon_dev_cmds, NULL,
    };
    return all;
}

static const struct mon_cmd *find_cmd(const char *name)
{
    for (const struct mon_cmd *const *t = tables(); *t; t++)
        for (const struct mon_cmd *c = *t; c->name; c++)
            if (!strcmp(name, c->name) || (c->alias && !strcmp(name, c->alias)))
                return c;
    return NULL;
}

static int cmd_help(struct machine *m, FILE *out, int argc, char **argv)
{
    (void)m;
    if (argc > 1) {
        const struct mon_cmd *c = find_cmd(argv[1]);
        if (!c) {
            fprintf(out, "help: no command '%s' (help lists them)\n", argv[1]);
            return -1;
        }
        fprintf(out, "%s%s%s\n%s\n", c->usage, c->alias ? "    alias: " : "",
                c->alias ? c->alias : "", c->help);
        return -1;
    }
    fprintf(out, "Commands (help CMD for details; an empty line repeats step/next):\n");
    for (const struct mon_cmd *const *t = tables(); *t; t++)
        for (const struct mon_cmd *c = *t; c->name; c++) {
            const char *nl = strchr(c->help, '\n');
            int n = nl ? (int)(nl - c->help) : (int)strlen(c->help);
            fprintf(out, "  %-26s %.*s\n", c->usage, n, c->help);
        }
    return -1;
}

/* ---------------- parsing helpers ---------------- */

int mon_eval(struct machine *m, FILE *out, const char *text, uint32_t *v)
{
    char err[160];
    if (debug_eval(m, text, v, err, sizeof err) == 0)
        return 0;
    fprintf(out, "error: %s\n", err);
    return -1;
}

void mon_join(int argc, char **argv, int from, char *buf, size_t len)
{
    buf[0] = 0;
    size_t used = 0;
    for (int k = from; k < argc && used < len; k++)
        used += (size_t)snprintf(buf + used, len - used, "%s%s", k > from ? " " : "", argv[k]);
}

const char *mon_addr(struct machine *m, uint32_t lin, char *buf, size_t len)
{
    if (m->dbg)
        symbols_format(m->dbg, lin, buf, len);
    else
        snprintf(buf, len, "0x%08x", lin);
    return buf;
}

/* The base a selector stands for now: real/V86 mode sel << 4, protected
 * mode the descriptor's base (the cached one when a register holds it). */
static uint32_t selector_base(struct machine *m, uint16_t sel)
{
    struct cpu *c = &m->cpu;
    if (!cpu_pm(c) || cpu_v86(c))
        return (uint32_t)sel << 4;
    for (int s = 0; s < S_COUNT; s++)
        if (c->seg[s].sel == sel)
            return c->seg[s].base;
    uint32_t table = (sel & 4) ? c->ldtr.base : c->gdtr.base;
    uint32_t d[2] = { 0, 0 };
    debug_read_lin(m, table + (sel & ~7u), d, 8);
    return (d[0] >> 16) | ((d[1] & 0xFF) << 16) | (d[1] & 0xFF000000u);
}

int mon_parse_location(struct machine *m, FILE *out, const char *text, struct location *loc)
{
    memset(loc, 0, sizeof *loc);
    if ((text[0] == 'p' || text[0] == 'P') && text[1] == ':') {
        loc->kind = LOC_PHYS;
        return mon_eval(m, out, text + 2, &loc->addr);
    }
    const char *colon = strchr(text, ':');
    if (!colon) {
        loc->kind = LOC_LIN;
        if (mon_eval(m, out, text, &loc->addr) < 0)
            return -1;
        loc->lin = loc->addr;
        return 0;
    }
    char seg[64];
    snprintf(seg, sizeof seg, "%.*s", (int)(colon - text), text);
    uint32_t sel, off;
    if (mon_eval(m, out, seg, &sel) < 0 || mon_eval(m, out, colon + 1, &off) < 0)
        return -1;
    if (sel > 0xFFFF) {
        fprintf(out, "error: segment 0x%x is not a 16-bit selector\n", sel);
        return -1;
    }
    loc->kind = LOC_SEGOFF;
    loc->seg = (uint16_t)sel;
    loc->addr = off;
    loc->lin = selector_base(m, loc->seg) + off;
    return 0;
}

/* Splits a line into words in place; returns the count. */
static int split(char *line, char **argv)
{
    int argc = 0;
    char *p = line;
    while (*p && argc < MON_MAX_ARGS) {
        while (isspace((unsigned char)*p))
            p++;
        if (!*p)
            break;
        argv[argc++] = p;
        while (*p && !isspace((unsigned char)*p))
            p++;
        if (*p)
            *p++ = 0;
    }
    return argc;
}

int monitor_exec(struct machine *m, const char *line, FILE *out)
{
    char buf[512];
    char *argv[MON_MAX_ARGS + 1];
    snprintf(buf, sizeof buf, "%s", line);
    char *hash = strchr(buf, '#');
    if (hash)
        *hash = 0;                       /* comments in scripts */
    int argc = split(buf, argv);
    if (argc == 0)
        return -1;
    /* x/16xb: the format is an argument of its own. */
    char *slash = strchr(argv[0], '/');
    char fmt[32] = "";
    if (slash) {
        snprintf(fmt, sizeof fmt, "%s", slash);
        *slash = 0;
    }
    const struct mon_cmd *c = find_cmd(argv[0]);
    if (!c) {
        fprintf(out, "unknown command '%s' (help lists them)\n", argv[0]);
        return -1;
    }
    if (fmt[0]) {
        memmove(argv + 2, argv + 1, (size_t)argc * sizeof *argv);
        argv[1] = fmt;
        argc++;
    }
    machine_sync_cpu(m);
    return c->fn(m, out, argc, argv);
}

/* ---------------- the stop ---------------- */

static const char *mode_name(uint32_t cr0)
{
    if (!(cr0 & CR0_PE))
        return "real mode";
    return (cr0 & CR0_PG) ? "protected mode, paging on" : "protected mode, paging off";
}

static const char *vector_name(int v)
{
    static const char *const names[32] = {
        "#DE", "#DB", "NMI", "#BP", "#OF", "#BR", "#UD", "#NM", "#DF", "",
        "#TS", "#NP", "#SS", "#GP", "#PF", "", "#MF", "#AC", "#MC", "#XM",
    };
    return v >= 0 && v < 32 ? names[v] : "";
}

static const char *kind_name(int kind)
{
    switch (kind) {
    case INT_EXCEPTION: return "exception";
    case INT_SOFTWARE: return "software interrupt";
    case INT_HARDWARE: return "hardware interrupt";
    case INT_NMI: return "NMI";
    case INT_ICEBP: return "ICEBP";
    }
    return "event";
}

static void show_event_stop(struct machine *m, FILE *out, const struct dbg_stop *s)
{
    char a[96];
    fprintf(out, "vector breakpoint %d: %s %d %s", s->bp_id, kind_name(s->kind),
            s->vector, vector_name(s->vector));
    if (s->has_error)
        fprintf(out, " error code 0x%04x", s->error);
    if (s->vector == EXC_PF && s->kind == INT_EXCEPTION)
        fprintf(out, " CR2=0x%08x", s->cr2);
    symbols_describe(m->dbg, s->insn_lin, a, sizeof a);
    fprintf(out, " at %04x:%08x%s%s%s\n", s->insn_cs, s->insn_eip, a[0] ? " <" : "", a,
            a[0] ? ">" : "");
}

static void show_reason(struct machine *m, FILE *out)
{
    const struct dbg_stop *s = &m->dbg->stop;
    const struct breakpoint *b = debug_bp_find(m->dbg, s->bp_id);
    char a[96], e[96];
    switch (s->reason) {
    case DBG_STOP_NONE:
    case DBG_STOP_STEP:
        break;
    case DBG_STOP_START:
        fprintf(out, "stopped before the first instruction (%s)\n", mode_name(m->cpu.cr0));
        break;
    case DBG_STOP_USER:
        fprintf(out, "stopped by the user\n");
        break;
    case DBG_STOP_BREAK:
        fprintf(out, "breakpoint %d hit (%s), %llu hit%s\n", s->bp_id, b ? b->desc : "?",
                b ? (unsigned long long)b->hits : 0ull, b && b->hits == 1 ? "" : "s");
        break;
    case DBG_STOP_WATCH:
        fprintf(out, "watchpoint %d (%s): %s of %u byte%s at %s: ", s->bp_id, b ? b->desc : "?",
                s->write ? "write" : "read", s->size, s->size == 1 ? "" : "s",
                mon_addr(m, s->addr, a, sizeof a));
        if (s->write)
            fprintf(out, "old 0x%x new 0x%x", s->old_value, s->new_value);
        else
            fprintf(out, "value 0x%x", s->old_value);
        symbols_describe(m->dbg, s->insn_lin, e, sizeof e);
        fprintf(out, ", by the instruction at %04x:%08x%s%s%s\n", s->insn_cs, s->insn_eip,
                e[0] ? " <" : "", e, e[0] ? ">" : "");
        break;
    case DBG_STOP_VECTOR:
        show_event_stop(m, out, s);
        break;
    case DBG_STOP_PORT:
        fprintf(out, "port breakpoint %d: %s port 0x%04x (%u byte%s) value 0x%x at %04x:%08x\n",
                s->bp_id, s->write ? "out to" : "in from", s->addr, s->size,
                s->size == 1 ? "" : "s", s->new_value, s->insn_cs, s->insn_eip);
        break;
    case DBG_STOP_CR3:
        fprintf(out, "CR3 breakpoint %d: CR3 0x%08x -> 0x%08x (a new address space)\n",
                s->bp_id, s->before, s->after);
        break;
    case DBG_STOP_MODE:
        fprintf(out, "mode breakpoint %d: CR0 0x%08x -> 0x%08x: %s -> %s\n", s->bp_id,
                s->before, s->after, mode_name(s->before), mode_name(s->after));
        break;
    }
}

void monitor_show_stop(struct machine *m, FILE *out)
{
    show_reason(m, out);
    mon_disas(m, out, debug_pc(m), 1);
}

/* ---------------- the loop ---------------- */

static struct monitor *mon_state(struct debugger *d)
{
    if (!d->mon)
        d->mon = calloc(1, sizeof *d->mon);
    return d->mon;
}

void monitor_free(struct debugger *d)
{
    if (!d->mon)
        return;
    for (int k = 0; k < d->mon->nhistory; k++)
        free(d->mon->history[k]);
    free(d->mon);
    d->mon = NULL;
}

/* The next command line: from the script (echoed), the line editor, or
 * plain stdin.  NULL at the end. */
static char *next_line(struct debugger *d, struct monitor *mon, char *buf, size_t len)
{
    if (d->script) {
        if (!fgets(buf, (int)len, d->script))
            return NULL;
        buf[strcspn(buf, "\r\n")] = 0;
        fprintf(d->out, "(x86lab) %s\n", buf);
        return buf;
    }
    if (isatty(STDIN_FILENO)) {
        char *line = linedit_read(mon, "(x86lab) ");
        if (!line)
            return NULL;
        snprintf(buf, len, "%s", line);
        free(line);
        return buf;
    }
    fprintf(d->out, "(x86lab) ");
    fflush(d->out);
    if (!fgets(buf, (int)len, stdin))
        return NULL;
    buf[strcspn(buf, "\r\n")] = 0;
    return buf;
}

static bool repeats(const char *line)
{
    char word[16] = "";
    sscanf(line, "%15s", word);
    return !strcmp(word, "s") || !strcmp(word, "step") || !strcmp(word, "n") ||
           !strcmp(word, "next") || !strcmp(word, "si");
}

enum dbg_action monitor_stopped(struct machine *m)
{
    struct debugger *d = m->dbg;
    struct monitor *mon = mon_state(d);
    if (!mon)
        return DBG_QUIT;
    if (d->tty_release)
        d->tty_release(d->tty_opaque, true);
    monitor_show_stop(m, d->out);
    int r = -1;
    while (r < 0) {
        char buf[512];
        if (!next_line(d, mon, buf, sizeof buf)) {
            fprintf(d->out, "%s\n", d->script ? "end of the debug script: quit" : "quit");
            r = DBG_QUIT;
            break;
        }
        if (!buf[0] && mon->last[0] && !d->script)
            snprintf(buf, sizeof buf, "%s", mon->last);
        if (repeats(buf))
            snprintf(mon->last, sizeof mon->last, "%s", buf);
        r = monitor_exec(m, buf, d->out);
        fflush(d->out);
    }
    if (d->tty_release)
        d->tty_release(d->tty_opaque, false);
    return r == DBG_QUIT ? DBG_QUIT : DBG_RESUME;
}
