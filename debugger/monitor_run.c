/* monitor_run.c -- the monitor's run control: step, next (over CALL and
 * INT, told by the instruction table's rows), finish, continue, until,
 * quit. */
#include "monitor.h"

#include <stdlib.h>
#include <string.h>

#include "cpu/insn.h"

static int cmd_step(struct machine *m, FILE *out, int argc, char **argv)
{
    uint32_t n = 1;
    if (argc > 1 && mon_eval(m, out, argv[1], &n) < 0)
        return -1;
    if (n == 0) {
        fprintf(out, "step: the count must be at least 1\n");
        return -1;
    }
    debug_resume(m->dbg, DBG_RUN_STEP, n);
    return DBG_RESUME;
}

/* Does this instruction return to the next one after a detour (CALL, INT,
 * INT3, INTO)?  Told by the table row, not by the disassembly's text. */
static bool goes_and_returns(const struct insn *i)
{
    const struct op_row *r = i->row;
    if (!r)
        return false;
    if ((r->cls == CL_BRANCH || r->cls == CL_FAR) && !strncmp(r->mnem, "call", 4))
        return true;
    return r->cls == CL_INT && strcmp(r->mnem, "iret") != 0;
}

/* A temporary breakpoint that ends with the stop. */
static int temp_break(struct machine *m, uint32_t lin, const char *cond, const char *desc)
{
    struct breakpoint b;
    memset(&b, 0, sizeof b);
    b.kind = BPK_LIN;
    b.addr = lin;
    b.temporary = true;
    snprintf(b.cond, sizeof b.cond, "%s", cond);
    snprintf(b.desc, sizeof b.desc, "%s", desc);
    return debug_bp_add(m->dbg, &b);
}

static int cmd_next(struct machine *m, FILE *out, int argc, char **argv)
{
    (void)argc;
    (void)argv;
    struct cpu *c = &m->cpu;
    bool code32 = (c->seg[S_CS].ar & AR_DB) != 0;
    struct insn i;
    if (!debug_decode_at(m, debug_pc(m), code32, &i) || !goes_and_returns(&i)) {
        debug_resume(m->dbg, DBG_RUN_STEP, 1);
        return DBG_RESUME;
    }
    uint32_t next = c->eip + i.len;
    if (!code32)
        next &= 0xFFFF;
    /* The same frame or an outer one: a recursive call passing the same
     * address deeper down does not count. */
    char cond[48];
    snprintf(cond, sizeof cond, "esp>=0x%x", c->r[R_ESP]);
    if (temp_break(m, c->seg[S_CS].base + next, cond, "next") < 0) {
        fprintf(out, "next: %s\n", m->error);
        return -1;
    }
    debug_resume(m->dbg, DBG_RUN_CONT, 0);
    return DBG_RESUME;
}

static int cmd_finish(struct machine *m, FILE *out, int argc, char **argv)
{
    (void)out;
    (void)argc;
    (void)argv;
    debug_resume(m->dbg, DBG_RUN_FINISH, 0);
    return DBG_RESUME;
}

static int cmd_continue(struct machine *m, FILE *out, int argc, char **argv)
{
    (void)out;
    (void)argc;
    (void)argv;
    debug_resume(m->dbg, DBG_RUN_CONT, 0);
    return DBG_RESUME;
}

static int cmd_until(struct machine *m, FILE *out, int argc, char **argv)
{
    struct location loc;
    if (argc < 2) {
        fprintf(out, "until: which address? (until ADDR)\n");
        return -1;
    }
    if (mon_parse_location(m, out, argv[1], &loc) < 0)
        return -1;
    if (loc.kind == LOC_PHYS) {
        fprintf(out, "until: give a linear or seg:off address\n");
        return -1;
    }
    if (temp_break(m, loc.lin, "", argv[1]) < 0) {
        fprintf(out, "until: %s\n", m->error);
        return -1;
    }
    debug_resume(m->dbg, DBG_RUN_CONT, 0);
    return DBG_RESUME;
}

static int cmd_quit(struct machine *m, FILE *out, int argc, char **argv)
{
    (void)m;
    (void)out;
    (void)argc;
    (void)argv;
    return DBG_QUIT;
}

const struct mon_cmd mon_run_cmds[] = {
    { "step", "s", cmd_step, "step [N]",
      "execute N instructions (1), into calls and interrupts\n"
      "an exception or interrupt delivered counts as a step: the stop is at its handler" },
    { "next", "n", cmd_next, "next",
      "execute one instruction, running a CALL or INT n through to the next one" },
    { "finish", NULL, cmd_finish, "finish",
      "run until a RET/RETF/IRET leaves the current frame" },
    { "continue", "c", cmd_continue, "continue",
      "run until a breakpoint, a watchpoint, Ctrl-C or the end of the guest" },
    { "until", NULL, cmd_until, "until ADDR",
      "run until ADDR (linear, symbol or seg:off) is reached" },
    { "quit", "q", cmd_quit, "quit", "end x86lab" },
    { NULL, NULL, NULL, NULL, NULL },
};
