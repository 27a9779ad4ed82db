/* trace_int.c -- the traces of events: every exception and interrupt
 * (-d int: vector, kind, error code, CR2 for #PF, where it happened, the
 * handler it goes to and the mode before and after, read from the IVT or
 * IDT), double and triple faults (guest_errors), resets (cpu_reset), and
 * the register dump of -d cpu. */
#include "trace_int.h"

#include <inttypes.h>
#include <string.h>

#include "cpu/interrupt.h"
#include "cpu/seg.h"
#include "debugger/debug.h"
#include "machine/machine.h"

static const char *const exc_names[32] = {
    "#DE", "#DB", "NMI", "#BP", "#OF", "#BR", "#UD", "#NM", "#DF", "#CSO",
    "#TS", "#NP", "#SS", "#GP", "#PF", "#15", "#MF", "#AC", "#MC", "#XM",
};

static const char *kind_name(int kind)
{
    switch (kind) {
    case INT_EXCEPTION: return "exception";
    case INT_SOFTWARE: return "software";
    case INT_HARDWARE: return "hardware";
    case INT_NMI: return "nmi";
    default: return "icebp";
    }
}

/* "real", "v86 cpl3", "pm32 cpl0": the CPU's mode as a student reads it. */
static void mode_name(const struct cpu *c, char *buf, size_t len)
{
    if (!cpu_pm(c))
        snprintf(buf, len, "real");
    else if (cpu_v86(c))
        snprintf(buf, len, "v86 cpl3");
    else
        snprintf(buf, len, "pm%d cpl%u%s", (c->seg[S_CS].ar & AR_DB) ? 32 : 16, c->cpl,
                 (c->cr0 & CR0_PG) ? " paging" : "");
}

static uint32_t le32(const uint8_t *p)
{
    return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

/* The descriptor of a selector, read without side effects. */
static bool read_desc(struct machine *m, uint16_t sel, struct descriptor *d)
{
    const struct cpu *c = &m->cpu;
    uint32_t base = (sel & 4) ? c->ldtr.base : c->gdtr.base;
    uint32_t limit = (sel & 4) ? c->ldtr.limit : c->gdtr.limit;
    uint8_t raw[8];
    if ((uint32_t)(sel & ~7u) + 7 > limit || debug_read_lin(m, base + (sel & ~7u), raw, 8) != 8)
        return false;
    d->lo = le32(raw);
    d->hi = le32(raw + 4);
    desc_decode(d);
    return true;
}

/* Where delivery goes: " -> CS:EIP <sym> (mode)", from the IVT or the
 * IDT gate as they are now (before the CPU reads them). */
static void handler_desc(struct machine *m, int vector, char *buf, size_t len)
{
    struct cpu *c = &m->cpu;
    uint8_t raw[8];
    char sym[140];
    if (!cpu_pm(c)) {
        if (debug_read_lin(m, c->idtr.base + (uint32_t)vector * 4, raw, 4) != 4) {
            snprintf(buf, len, " -> (IVT not readable)");
            return;
        }
        uint16_t ip = (uint16_t)(raw[0] | raw[1] << 8), cs = (uint16_t)(raw[2] | raw[3] << 8);
        trace_sym(m, (uint32_t)cs * 16 + ip, sym, sizeof sym);
        snprintf(buf, len, " -> %04x:%04x%s (real)", cs, ip, sym);
        return;
    }
    if ((uint32_t)vector * 8 + 7 > c->idtr.limit ||
        debug_read_lin(m, c->idtr.base + (uint32_t)vector * 8, raw, 8) != 8) {
        snprintf(buf, len, " -> (outside the IDT)");
        return;
    }
    uint32_t lo = le32(raw), hi = le32(raw + 4);
    unsigned type = (hi >> 8) & 0x1F;
    uint16_t sel = (uint16_t)(lo >> 16);
    if (!(hi & 0x8000)) {
        snprintf(buf, len, " -> (gate not present)");
        return;
    }
    if (type == 5) {
        snprintf(buf, len, " -> task gate, TSS %04x", sel);
        return;
    }
    if (type != 6 && type != 7 && type != 0xE && type != 0xF) {
        snprintf(buf, len, " -> (not a gate: type %u)", type);
        return;
    }
    uint32_t off = (type & 8) ? (lo & 0xFFFF) | (hi & 0xFFFF0000u) : (lo & 0xFFFF);
    struct descriptor d;
    if (!read_desc(m, sel, &d)) {
        snprintf(buf, len, " -> %04x:%08" PRIx32 " (selector outside its table)", sel, off);
        return;
    }
    unsigned dpl = (d.ar & AR_DPL) >> 5;
    unsigned cpl = (d.ar & AR_EC) ? c->cpl : dpl;     /* conforming: CPL stays */
    trace_sym(m, d.base + off, sym, sizeof sym);
    snprintf(buf, len, " -> %04x:%08" PRIx32 "%s (pm%d cpl%u, %s gate)", sel, off, sym,
             (d.ar & AR_DB) ? 32 : 16, cpl, (type & 1) ? "trap" : "interrupt");
}

static void trace_int_line(struct machine *m, struct trace *t, struct cpu *c, int vector,
                           int kind, bool has_error, uint32_t error)
{
    char what[40], err[48] = "", at[160], mode[40], to[200];
    if (kind == INT_EXCEPTION && vector < 32 && exc_names[vector])
        snprintf(what, sizeof what, "%s exception", exc_names[vector]);
    else
        snprintf(what, sizeof what, "%s", kind_name(kind));
    if (has_error)
        snprintf(err, sizeof err, " error=0x%04" PRIx32, error);
    if (vector == EXC_PF && kind == INT_EXCEPTION)
        snprintf(err + strlen(err), sizeof err - strlen(err), " cr2=0x%08" PRIx32, c->cr2);
    /* A fault or hardware interrupt comes before the instruction at EIP; an
     * INT n is the instruction that just ran. */
    bool after = kind == INT_SOFTWARE || kind == INT_ICEBP;
    uint32_t eip = after ? c->insn_eip : c->eip;
    char sym[140];
    trace_sym(m, c->seg[S_CS].base + eip, sym, sizeof sym);
    snprintf(at, sizeof at, "%04x:%08" PRIx32 "%s", c->seg[S_CS].sel, eip, sym);
    mode_name(c, mode, sizeof mode);
    handler_desc(m, vector, to, sizeof to);
    trace_printf(t, "int v=0x%02x %s%s at %s (%s)%s [#%" PRIu64 "]\n", vector, what, err, at,
                 mode, to, c->count.insns);
}

void trace_event(struct machine *m, struct cpu *c, int vector, int kind, bool has_error,
                 uint32_t error)
{
    struct trace *t = m->trace;
    if (!t || !t->flags)
        return;
    t->event_since = true;
    trace_check_counters(m, t);
    if ((t->flags & TRACE_GUEST_ERRORS) && vector == EXC_DF && kind == INT_EXCEPTION)
        trace_printf(t, "guest_errors: double fault at %04x:%08" PRIx32 "\n",
                     c->seg[S_CS].sel, c->eip);
    if (t->flags & TRACE_INT)
        trace_int_line(m, t, c, vector, kind, has_error, error);
    if (!t->flags) {
        m->trace_flags = 0;
        debug_update(m);
    }
}

void trace_check_counters(struct machine *m, struct trace *t)
{
    const struct cpu *c = &m->cpu;
    if (c->count.triple_faults > t->triples_seen) {
        t->triples_seen = c->count.triple_faults;
        if (t->flags & TRACE_GUEST_ERRORS)
            trace_printf(t, "guest_errors: triple fault (shutdown) at %04x:%08" PRIx32
                         ": the machine %s\n", c->seg[S_CS].sel, c->insn_eip,
                         m->cfg.no_reboot ? "stops (no-reboot)" : "resets");
    }
    if (m->resets > t->resets_seen) {
        t->resets_seen = m->resets;
        if (t->flags & TRACE_CPU_RESET)
            trace_printf(t, "cpu_reset: machine reset #%" PRIu64 ", the CPU starts at %04x:%08"
                         PRIx32 "\n", m->resets, c->seg[S_CS].sel, c->eip);
    }
}

static void seg_line(struct trace *t, const char *name, const struct seg *s)
{
    trace_printf(t, "%-3s=%04x %08" PRIx32 " %08" PRIx32 " %04x\n", name, s->sel, s->base,
                 s->limit, s->ar);
}

void trace_cpu_state(struct trace *t, struct cpu *c)
{
    static const char *const sname[S_COUNT] = { "ES", "CS", "SS", "DS", "FS", "GS" };
    static const char fl[] = "ODITSZ-A-P-C";
    uint32_t f = cpu_get_eflags(c);
    char flags[13];
    for (int k = 0; k < 12; k++) {
        unsigned bit = 11u - (unsigned)k;
        flags[k] = fl[k] != '-' && (f >> bit & 1) ? fl[k] : '-';
    }
    flags[12] = 0;
    trace_printf(t, "EAX=%08" PRIx32 " EBX=%08" PRIx32 " ECX=%08" PRIx32 " EDX=%08" PRIx32 "\n"
                 "ESI=%08" PRIx32 " EDI=%08" PRIx32 " EBP=%08" PRIx32 " ESP=%08" PRIx32 "\n"
                 "EIP=%08" PRIx32 " EFL=%08" PRIx32 " [%s] CPL=%u HLT=%d\n",
                 c->r[R_EAX], c->r[R_EBX], c->r[R_ECX], c->r[R_EDX], c->r[R_ESI],
                 c->r[R_EDI], c->r[R_EBP], c->r[R_ESP], c->eip, f, flags, c->cpl, c->halted);
    for (int s = 0; s < S_COUNT; s++)
        seg_line(t, sname[s], &c->seg[s]);
    seg_line(t, "LDT", &c->ldtr);
    seg_line(t, "TR", &c->tr);
    trace_printf(t, "GDT=     %08" PRIx32 " %08x\nIDT=     %08" PRIx32 " %08x\n"
                 "CR0=%08" PRIx32 " CR2=%08" PRIx32 " CR3=%08" PRIx32 " CR4=%08" PRIx32 "\n",
                 c->gdtr.base, c->gdtr.limit, c->idtr.base, c->idtr.limit, c->cr0, c->cr2,
                 c->cr3, c->cr4);
}
