/* trace.c -- the -d traces: options, the log file and its line limit, and
 * the per-instruction traces (in_asm, exec, cpu, pcall) called from the
 * CPU's instruction hook through the debugger core.  Exceptions and
 * interrupts (int), resets and triple faults are in trace_int.c. */
#include "trace.h"

#include <capstone/capstone.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "debugger/debug.h"
#include "debugger/symbols.h"
#include "debugger/trace_int.h"
#include "machine/machine.h"

static const struct {
    const char *name;
    unsigned bit;
    const char *help;
} trace_names[] = {
    { "in_asm", TRACE_IN_ASM, "each instruction the first time it runs, disassembled, "
                              "with an IN: line at each new block" },
    { "exec", TRACE_EXEC, "every executed instruction: CS:EIP, symbol, disassembly" },
    { "int", TRACE_INT, "every exception and interrupt: vector, error code, CR2 for "
                        "#PF, where it happened, the handler and the mode before/after" },
    { "cpu", TRACE_CPU, "the registers before each instruction" },
    { "pcall", TRACE_PCALL, "protected-mode far transfers that change CS (far "
                            "call/jmp/ret, IRET, task switches), with the privilege change" },
    { "cpu_reset", TRACE_CPU_RESET, "machine resets" },
    { "guest_errors", TRACE_GUEST_ERRORS, "double faults and triple faults (shutdown)" },
    { "out_asm", TRACE_OUT_ASM, "each block the binary translator (--engine=bt) makes: guest "
                                "and host code side by side, COPIED/TRANSLATED/TRAPPED" },
};
enum { NTRACE = sizeof trace_names / sizeof trace_names[0] };

int trace_parse(const char *list, unsigned *flags, char *err, size_t len)
{
    const char *p = list;
    for (;;) {
        size_t n = strcspn(p, ",");
        int k = 0;
        while (k < NTRACE && (strlen(trace_names[k].name) != n ||
                              strncmp(p, trace_names[k].name, n)))
            k++;
        if (k == NTRACE) {
            snprintf(err, len, "-d: unknown item '%.*s' (-d help lists them)", (int)n, p);
            return -1;
        }
        *flags |= trace_names[k].bit;
        if (!p[n])
            return 0;
        p += n + 1;
    }
}

void trace_help(FILE *f)
{
    fprintf(f, "Log items (-d ITEM,ITEM...; -D FILE writes the log to FILE, default stderr;\n"
               "--trace-limit N stops after N lines, default %d, 0 = none):\n",
            TRACE_DEFAULT_LIMIT);
    for (int k = 0; k < NTRACE; k++)
        fprintf(f, "  %-13s %s\n", trace_names[k].name, trace_names[k].help);
}

/* Every line of the log goes through here: it counts them and stops the
 * trace at the limit, so that a runaway guest cannot fill the disk. */
void trace_printf(struct trace *t, const char *fmt, ...)
{
    if (!t->flags)
        return;
    char buf[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    fputs(buf, t->out);
    for (const char *p = buf; (p = strchr(p, '\n')); p++)
        t->lines++;
    if (t->limit && t->lines >= t->limit) {
        fprintf(t->out, "trace: %" PRIu64 " lines written (--trace-limit): tracing stops here\n",
                t->lines);
        fflush(t->out);
        t->flags = 0;
    }
}

static void close_capstone(struct trace *t)
{
    csh h;
    if (t->cs16) {
        h = t->cs16;
        cs_close(&h);
    }
    if (t->cs32) {
        h = t->cs32;
        cs_close(&h);
    }
    t->cs16 = t->cs32 = 0;
}

static int open_capstone(struct trace *t, char *err, size_t len)
{
    csh h16, h32;
    if (cs_open(CS_ARCH_X86, CS_MODE_16, &h16) != CS_ERR_OK) {
        snprintf(err, len, "-d: capstone cannot disassemble x86 here");
        return -1;
    }
    if (cs_open(CS_ARCH_X86, CS_MODE_32, &h32) != CS_ERR_OK) {
        cs_close(&h16);
        snprintf(err, len, "-d: capstone cannot disassemble x86 here");
        return -1;
    }
    t->cs16 = h16;
    t->cs32 = h32;
    return 0;
}

int trace_open(struct machine *m, unsigned flags, const char *path, uint64_t limit,
               char *err, size_t len)
{
    struct trace *t = calloc(1, sizeof *t);
    if (!t) {
        snprintf(err, len, "-d: out of memory");
        return -1;
    }
    t->out = stderr;
    if (path) {
        t->out = fopen(path, "w");
        if (!t->out) {
            snprintf(err, len, "-D %s: %s", path, strerror(errno));
            free(t);
            return -1;
        }
        t->own_out = true;
    }
    if (open_capstone(t, err, len) < 0 || !debug_attach(m)) {
        if (!err[0])
            snprintf(err, len, "-d: out of memory");
        trace_close_file(t);
        free(t);
        return -1;
    }
    t->flags = flags;
    t->limit = limit;
    t->resets_seen = m->resets;
    m->trace = t;
    m->trace_flags = flags;
    debug_update(m);
    return 0;
}

void trace_close_file(struct trace *t)
{
    close_capstone(t);
    if (t->own_out)
        fclose(t->out);
    else
        fflush(t->out);
    t->out = NULL;
    t->own_out = false;
    free(t->seen);
    t->seen = NULL;
}

void trace_close(struct machine *m)
{
    struct trace *t = m->trace;
    if (!t)
        return;
    trace_check_counters(m, t);
    if (m->reset_pending && (t->flags & TRACE_CPU_RESET))
        trace_printf(t, "cpu_reset: the guest asked for a reset at %04x:%08" PRIx32
                     "; the run ends instead (no-reboot)\n", m->cpu.seg[S_CS].sel, m->cpu.eip);
    trace_close_file(t);
    m->trace = NULL;
    m->trace_flags = 0;
    free(t);
}

/* ---- disassembly and addresses ---- */

/* The instruction at CS:EIP as capstone text ("mov eax, 1"), its length
 * in *ilen (0 when the bytes cannot be read or decoded). */
void trace_disasm(struct machine *m, struct trace *t, uint32_t lin, bool code32,
                  char *text, size_t len, unsigned *ilen)
{
    uint8_t bytes[16];
    uint32_t n = debug_read_lin(m, lin, bytes, sizeof bytes);
    cs_insn *insn;
    size_t count = n ? cs_disasm(code32 ? t->cs32 : t->cs16, bytes, n, lin, 1, &insn) : 0;
    *ilen = 0;
    if (!count) {
        snprintf(text, len, n ? "(bad: %02x)" : "(not mapped)", bytes[0]);
        return;
    }
    snprintf(text, len, "%s%s%s", insn->mnemonic, insn->op_str[0] ? " " : "", insn->op_str);
    *ilen = insn->size;
    cs_free(insn, count);
}

bool trace_code32(const struct cpu *c)
{
    return cpu_pm(c) && !cpu_v86(c) && (c->seg[S_CS].ar & AR_DB);
}

/* " <sym+0x12>" for a linear address, or "" without symbols. */
void trace_sym(struct machine *m, uint32_t lin, char *buf, size_t len)
{
    char name[128] = "";
    buf[0] = 0;
    if (m->dbg && m->dbg->syms)
        symbols_describe(m->dbg, lin, name, sizeof name);
    if (name[0])
        snprintf(buf, len, " <%s>", name);
}

/* ---- in_asm: each linear address once ---- */

static bool seen_insert(struct trace *t, uint32_t lin)
{
    if (t->seen_n * 2 >= t->seen_cap) {
        size_t cap = t->seen_cap ? t->seen_cap * 2 : 4096;
        uint32_t *tab = calloc(cap, sizeof *tab);
        if (!tab)
            return true;          /* no memory: show it again rather than fail */
        for (size_t k = 0; k < t->seen_cap; k++)
            if (t->seen[k])
                for (size_t h = (t->seen[k] * 2654435761u) & (cap - 1);; h = (h + 1) & (cap - 1))
                    if (!tab[h]) {
                        tab[h] = t->seen[k];
                        break;
                    }
        free(t->seen);
        t->seen = tab;
        t->seen_cap = cap;
    }
    uint32_t key = lin + 1;
    for (size_t h = (key * 2654435761u) & (t->seen_cap - 1);; h = (h + 1) & (t->seen_cap - 1)) {
        if (t->seen[h] == key)
            return false;
        if (!t->seen[h]) {
            t->seen[h] = key;
            t->seen_n++;
            return true;
        }
    }
}

static void trace_in_asm(struct machine *m, struct trace *t, struct cpu *c, uint32_t lin)
{
    if (!seen_insert(t, lin))
        return;
    char text[160], sym[140];
    unsigned ilen;
    trace_disasm(m, t, lin, trace_code32(c), text, sizeof text, &ilen);
    if (lin != t->asm_next) {
        trace_sym(m, lin, sym, sizeof sym);
        trace_printf(t, "----------------\nIN:%s\n", sym[0] ? sym : " ");
    }
    trace_printf(t, "0x%08" PRIx32 ":  %s\n", lin, text);
    t->asm_next = lin + ilen;
}

static void trace_exec(struct machine *m, struct trace *t, struct cpu *c, uint32_t lin)
{
    char text[160], sym[140];
    unsigned ilen;
    trace_disasm(m, t, lin, trace_code32(c), text, sizeof text, &ilen);
    trace_sym(m, lin, sym, sizeof sym);
    trace_printf(t, "exec %04x:%08" PRIx32 "%s: %s\n", c->seg[S_CS].sel, c->eip, sym, text);
}

/* pcall: CS changed in protected mode since the previous boundary, and
 * no exception or interrupt did it (those are int's).  The previous
 * instruction (a far CALL/JMP/RET, IRET, SYSENTER...) is named. */
static void trace_pcall(struct machine *m, struct trace *t, struct cpu *c)
{
    uint16_t cs = c->seg[S_CS].sel;
    if (!t->have_prev || t->event_since || !cpu_pm(c) ||
        (cs == t->prev_cs && c->cpl == t->prev_cpl && c->tr.sel == t->prev_tr))
        return;
    char text[160], from[140], to[140], task[64] = "";
    unsigned ilen;
    trace_disasm(m, t, t->prev_lin, t->prev_code32, text, sizeof text, &ilen);
    trace_sym(m, t->prev_lin, from, sizeof from);
    trace_sym(m, debug_pc(m), to, sizeof to);
    if (c->tr.sel != t->prev_tr)
        snprintf(task, sizeof task, " task switch TR %04x -> %04x", t->prev_tr, c->tr.sel);
    trace_printf(t, "pcall %04x:%08" PRIx32 "%s (%s) cpl%u -> %04x:%08" PRIx32 "%s cpl%u%s%s\n",
                 t->prev_cs, t->prev_eip, from, text, t->prev_cpl, cs, c->eip, to, c->cpl,
                 c->cpl != t->prev_cpl ? " (privilege change)" : "", task);
}

void trace_insn(struct machine *m, struct cpu *c)
{
    struct trace *t = m->trace;
    if (!t || !t->flags)
        return;
    trace_check_counters(m, t);
    uint32_t lin = debug_pc(m);
    if (t->flags & TRACE_PCALL)
        trace_pcall(m, t, c);
    if (t->flags & TRACE_CPU)
        trace_cpu_state(t, c);
    if (t->flags & TRACE_IN_ASM)
        trace_in_asm(m, t, c, lin);
    if (t->flags & TRACE_EXEC)
        trace_exec(m, t, c, lin);
    t->have_prev = true;
    t->event_since = false;
    t->prev_cs = c->seg[S_CS].sel;
    t->prev_eip = c->eip;
    t->prev_lin = lin;
    t->prev_cpl = c->cpl;
    t->prev_tr = c->tr.sel;
    t->prev_code32 = trace_code32(c);
    if (!t->flags) {              /* the limit was reached: stop observing */
        m->trace_flags = 0;
        debug_update(m);
    }
}
