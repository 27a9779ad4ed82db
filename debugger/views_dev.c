/* views_dev.c -- device and machine views for the monitor: the 8259A pair,
 * the 8254 counters, the RTC, the ring of recent exceptions/interrupts,
 * the symbol tables, the engines (show and switch) and the statistics. */
#include "monitor.h"

#include <string.h>

#include "cpu/interrupt.h"
#include "symbols.h"

static int cmd_pic(struct machine *m, FILE *out, int argc, char **argv)
{
    (void)argc;
    (void)argv;
    static const char *const names[2] = { "master", "slave " };
    for (int k = 0; k < 2; k++) {
        const struct pic_chip *p = &m->pic.chip[k];
        fprintf(out, "%s: IRR=%02x ISR=%02x IMR=%02x ELCR=%02x base vector=0x%02x%s%s INT=%u\n",
                names[k], p->irr, p->isr, p->imr, p->elcr, p->icw2 & 0xF8,
                p->init_step ? " (initialising)" : "", (p->icw4 & 2) ? " AEOI" : "", p->out);
    }
    fprintf(out, "IRQ lines now: %04x; CPU INTR=%u, IF=%u\n", m->pic.lines, m->cpu.intr_line,
            (m->cpu.eflags & F_IF) != 0);
    return -1;
}

static int cmd_pit(struct machine *m, FILE *out, int argc, char **argv)
{
    (void)argc;
    (void)argv;
    for (int k = 0; k < 3; k++) {
        const struct pit_channel *ch = &m->pit.ch[k];
        fprintf(out, "counter %d: mode %u, %s%s, reload %u (%.1f Hz), gate %u, out %u%s\n", k,
                ch->mode, ch->rw == 3 ? "lsb+msb" : ch->rw == 1 ? "lsb" : "msb",
                ch->bcd ? " BCD" : "", ch->cr, ch->cr ? 1193182.0 / ch->cr : 0.0, ch->gate,
                pit_out(&m->pit, k), ch->counting ? "" : " (idle)");
    }
    return -1;
}

static int cmd_rtc(struct machine *m, FILE *out, int argc, char **argv)
{
    (void)argc;
    (void)argv;
    const struct cmos *c = &m->cmos;
    const struct rtc_time *t = &c->now;
    fprintf(out, "time %02x%02x-%02x-%02x %02x:%02x:%02x (as stored: BCD when reg B bit 2 is 0)\n",
            t->century, t->year, t->mon, t->mday, t->hour, t->min, t->sec);
    fprintf(out, "reg A=%02x B=%02x C=%02x  index=%02x NMI %s  IRQ 8 %s\n", c->ram[0x0A],
            c->ram[0x0B], c->reg_c, c->index, c->nmi_masked ? "masked" : "enabled",
            c->irq_level ? "high" : "low");
    return -1;
}

static const char *kind_short(int kind)
{
    switch (kind) {
    case INT_EXCEPTION: return "exception";
    case INT_SOFTWARE: return "int n";
    case INT_HARDWARE: return "irq";
    case INT_NMI: return "nmi";
    case INT_ICEBP: return "icebp";
    }
    return "?";
}

static int cmd_events(struct machine *m, FILE *out, int argc, char **argv)
{
    struct debugger *d = m->dbg;
    uint32_t n = 16;
    if (argc > 1 && mon_eval(m, out, argv[1], &n) < 0)
        return -1;
    if (n > DBG_EVENTS)
        n = DBG_EVENTS;
    if (n > d->nevents)
        n = d->nevents;
    fprintf(out, "last %u of %u exceptions and interrupts (oldest first):\n", n, d->nevents);
    for (unsigned k = d->nevents - n; k < d->nevents; k++) {
        const struct dbg_event *e = &d->events[k % DBG_EVENTS];
        fprintf(out, "  insn %-10llu vector %3d %-9s at %04x:%08x", (unsigned long long)e->insn,
                e->vector, kind_short(e->kind), e->cs, e->eip);
        if (e->has_error)
            fprintf(out, " error=%04x", e->error);
        if (e->kind == INT_EXCEPTION && e->vector == EXC_PF)
            fprintf(out, " cr2=%08x", e->cr2);
        fputc('\n', out);
    }
    return -1;
}

static int cmd_symbols(struct machine *m, FILE *out, int argc, char **argv)
{
    struct debugger *d = m->dbg;
    if (argc > 2 && !strcmp(argv[1], "load")) {
        char err[200];
        int n = symbols_load(d, argv[2], err, sizeof err);
        if (n < 0)
            fprintf(out, "error: %s\n", err);
        else
            fprintf(out, "%d symbols from %s\n", n, argv[2]);
        return -1;
    }
    const char *filter = argc > 1 ? argv[1] : "";
    size_t n = d->syms ? d->syms->n : 0, shown = 0;
    for (size_t k = 0; k < n; k++) {
        const struct symbol *s = &d->syms->v[k];
        if (filter[0] && !strstr(s->name, filter))
            continue;
        fprintf(out, "  %08x %6u %s %s\n", s->addr, s->size, s->func ? "F" : " ", s->name);
        shown++;
    }
    fprintf(out, "%zu of %zu symbols\n", shown, n);
    return -1;
}

static int cmd_engine(struct machine *m, FILE *out, int argc, char **argv)
{
    if (argc < 2) {
        for (int k = 0; k < ENGINE_COUNT; k++) {
            const struct engine_ops *ops = engine_ops((enum engine_kind)k);
            char why[200] = "";
            if (!ops)
                continue;
            bool ok = !ops->available || ops->available(why, sizeof why);
            fprintf(out, "%s %-7s %s%s%s\n", k == (int)m->engine ? "=>" : "  ", ops->name,
                    ops->title, ok ? "" : ": ", why);
        }
        return -1;
    }
    int k = engine_by_name(argv[1]);
    if (k < 0) {
        fprintf(out, "engine: no engine '%s' (interp, bt, kvm)\n", argv[1]);
        return -1;
    }
    if (machine_select_engine(m, (enum engine_kind)k) < 0) {
        fprintf(out, "engine: cannot switch to %s: %s\n", argv[1], m->error);
        return -1;
    }
    debug_update(m);
    fprintf(out, "engine: now %s\n", argv[1]);
    return -1;
}

static int cmd_stats(struct machine *m, FILE *out, int argc, char **argv)
{
    (void)argc;
    (void)argv;
    const struct cpu_counters *n = &m->cpu.count;
    uint64_t exc = 0, irq = 0;
    for (int v = 0; v < 32; v++)
        exc += n->exceptions[v];
    for (int v = 0; v < 256; v++)
        irq += n->interrupts[v];
    fprintf(out, "instructions %llu, exceptions %llu, hardware interrupts %llu, INT n %llu\n",
            (unsigned long long)n->insns, (unsigned long long)exc, (unsigned long long)irq,
            (unsigned long long)n->soft_ints);
    stats_print(m, out, 0.0);
    return -1;
}

const struct mon_cmd mon_dev_cmds[] = {
    { "pic", NULL, cmd_pic, "pic", "the 8259A pair: IRR, ISR, IMR, vector bases" },
    { "pit", NULL, cmd_pit, "pit", "the 8254 counters: mode, reload value, gate, output" },
    { "rtc", NULL, cmd_rtc, "rtc", "the RTC: time, registers A-C" },
    { "events", "ev", cmd_events, "events [N]",
      "the last N (16) exceptions and interrupts with error codes and CR2" },
    { "symbols", "sym", cmd_symbols, "symbols [FILTER] | symbols load FILE",
      "list symbols (containing FILTER), or load an ELF file's" },
    { "engine", NULL, cmd_engine, "engine [NAME]", "show the engines, or switch to NAME" },
    { "stats", NULL, cmd_stats, "stats", "instruction, exception and engine statistics" },
    { NULL, NULL, NULL, NULL, NULL },
};
