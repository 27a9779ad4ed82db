/* overlay.c -- the statistics overlay: from two samples of the one
 * statistics set (machine/stats.h, cpu counters) the current engine,
 * guest MIPS, the share of instructions run as translated code, interrupts
 * per second, the busiest translator trap classes and KVM exit reasons per
 * second, and a sparkline of the speed over the last minute; also the
 * title bar's text and the --overlay-dump file for tests. */
#include "sdl_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void overlay_init(struct stats_overlay *o, bool shown, const char *dump)
{
    memset(o, 0, sizeof *o);
    o->shown = shown;
    o->dump = dump;
}

static void add(struct stats_overlay *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void add(struct stats_overlay *o, const char *fmt, ...)
{
    if (o->nlines == OVL_LINES)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(o->lines[o->nlines++], OVL_COLS, fmt, ap);
    va_end(ap);
}

static const char *engine_title(enum engine_kind k)
{
    const struct engine_ops *ops = engine_ops(k);
    return ops ? ops->title : "?";
}

static double per_second(uint64_t now, uint64_t before, double dt_ns)
{
    return dt_ns > 0 ? (double)(now - before) * 1e9 / dt_ns : 0.0;
}

/* The OVL_TOP largest of n rates, one line each ("none" when all are 0). */
static void top_rates(struct stats_overlay *o, const uint64_t *now, const uint64_t *before, int n,
                      const char *(*name)(int), double dt)
{
    bool used[TRAP_COUNT + VMEXIT_COUNT] = { false };
    int shown = 0;
    for (int rank = 0; rank < OVL_TOP; rank++) {
        int best = -1;
        double rate = 0;
        for (int k = 0; k < n; k++) {
            double r = per_second(now[k], before[k], dt);
            if (!used[k] && r > rate) {
                best = k;
                rate = r;
            }
        }
        if (best < 0)
            break;
        used[best] = true;
        add(o, "  %-26s %10.0f", name(best), rate);
        shown++;
    }
    if (!shown)
        add(o, "  none");
}

static const char *trap_name(int k) { return trap_class_name((enum trap_class)k); }
static const char *exit_name(int k) { return vmexit_reason_name((enum vmexit_reason)k); }

/* One MIPS figure a second, for the sparkline. */
static void spark_add(struct stats_overlay *o, double insns, double ns)
{
    o->second_insns += insns;
    o->second_ns += ns;
    if (o->second_ns < 1e9)
        return;
    if (o->nspark == OVL_SPARK)
        memmove(o->spark, o->spark + 1, (OVL_SPARK - 1) * sizeof o->spark[0]);
    else
        o->nspark++;
    o->spark[o->nspark - 1] = o->second_insns / o->second_ns * 1e3;
    o->second_insns = o->second_ns = 0;
}

static double spark_max(const struct stats_overlay *o)
{
    double m = 0;
    for (int k = 0; k < o->nspark; k++)
        m = o->spark[k] > m ? o->spark[k] : m;
    return m;
}

static void make_lines(struct stats_overlay *o, const struct sdl_sample *s, double dt)
{
    const struct sdl_sample *p = &o->prev;
    uint64_t di = s->insns - p->insns;
    o->nlines = 0;
    add(o, "engine: %s%s", engine_title(s->engine), s->paused ? " (paused)" : "");
    if (s->engine == ENGINE_KVM)
        add(o, "speed: %.1f MIPS counted; in the guest %.0f%% of the time", o->mips,
            dt > 0 ? 100.0 * (double)(s->kvm_guest_ns - p->kvm_guest_ns) / dt : 0.0);
    else
        add(o, "speed: %.1f MIPS", o->mips);
    add(o, "translated: %.1f%% of instructions",
        di ? 100.0 * (double)(s->bt_translated - p->bt_translated) / (double)di : 0.0);
    add(o, "interrupts: %.0f/s", per_second(s->irqs, p->irqs, dt));
    add(o, "translator traps/s by class:");
    top_rates(o, s->bt_traps, p->bt_traps, TRAP_COUNT, trap_name, dt);
    add(o, "KVM exits/s by reason:");
    top_rates(o, s->kvm_exits, p->kvm_exits, VMEXIT_COUNT, exit_name, dt);
    add(o, "speed over the last minute (peak %.1f MIPS):", spark_max(o));
}

void overlay_update(struct stats_overlay *o, const struct sdl_sample *s)
{
    if (!o->have_prev) {
        o->prev = *s;
        o->have_prev = true;
    }
    double dt = (double)(s->host_ns - o->prev.host_ns);
    uint64_t di = s->insns - o->prev.insns;
    if (dt > 0) {
        o->mips = (double)di / dt * 1e3;
        spark_add(o, (double)di, dt);
    }
    make_lines(o, s, dt);
    o->prev = *s;
    overlay_dump(o);
}

void overlay_set_note(struct stats_overlay *o, const char *text, uint64_t now_ns)
{
    snprintf(o->note, sizeof o->note, "%s", text);
    o->note_until_ns = now_ns + 5000000000ull;
    overlay_dump(o);
}

enum { SPARK_H = 40, SPARK_BAR = 3, MARGIN = 8 };

static void draw_sparkline(const struct stats_overlay *o, struct canvas *c, int x, int y)
{
    double max = spark_max(o);
    canvas_rect(c, x, y, OVL_SPARK * SPARK_BAR, SPARK_H, 0xFF303030u);
    for (int k = 0; k < o->nspark; k++) {
        int bh = max > 0 ? (int)(o->spark[k] / max * (SPARK_H - 2)) : 0;
        int bx = x + (OVL_SPARK - o->nspark + k) * SPARK_BAR;
        canvas_rect(c, bx, y + SPARK_H - bh, SPARK_BAR - 1, bh, 0xFF40E040u);
    }
}

void overlay_draw(const struct stats_overlay *o, struct canvas *c)
{
    if (!o->shown)
        return;
    int cols = 0;
    for (int k = 0; k < o->nlines; k++) {
        int len = (int)strlen(o->lines[k]);
        cols = len > cols ? len : cols;
    }
    int bw = cols * GLYPH_W + 2 * MARGIN;
    if (bw < OVL_SPARK * SPARK_BAR + 2 * MARGIN)
        bw = OVL_SPARK * SPARK_BAR + 2 * MARGIN;
    int bh = o->nlines * GLYPH_H + SPARK_H + 3 * MARGIN;
    canvas_rect(c, MARGIN, MARGIN, bw, bh, 0xC0000000u);
    for (int k = 0; k < o->nlines; k++)
        canvas_text(c, 2 * MARGIN, 2 * MARGIN + k * GLYPH_H, o->lines[k],
                    k == 0 ? 0xFFFFFF55u : 0xFFFFFFFFu);
    draw_sparkline(o, c, 2 * MARGIN, 2 * MARGIN + o->nlines * GLYPH_H + MARGIN / 2);
}

void overlay_title(const struct stats_overlay *o, bool grabbed, bool stalled, char *buf, size_t len)
{
    const char *mouse = grabbed ? "Ctrl-Alt-G releases the mouse"
                                : "click to grab the mouse, Ctrl-Alt-H: menu";
    if (!o->have_prev)
        snprintf(buf, len, "x86lab - %s", mouse);
    else if (stalled)
        snprintf(buf, len, "x86lab - %s - stopped (monitor or debugger) - %s",
                 engine_title(o->prev.engine), mouse);
    else if (o->prev.paused)
        snprintf(buf, len, "x86lab - %s - paused (Ctrl-Alt-P resumes) - %s",
                 engine_title(o->prev.engine), mouse);
    else
        snprintf(buf, len, "x86lab - %s - %.1f MIPS - %s", engine_title(o->prev.engine),
                 o->mips, mouse);
}

/* The sparkline as digits 0-8 (eighths of the peak), for the dump. */
static void spark_text(const struct stats_overlay *o, char *buf)
{
    double max = spark_max(o);
    int k;
    for (k = 0; k < o->nspark; k++)
        buf[k] = (char)('0' + (max > 0 ? (int)(o->spark[k] / max * 8 + 0.5) : 0));
    buf[k] = 0;
}

void overlay_dump(const struct stats_overlay *o)
{
    if (!o->dump)
        return;
    char part[4200], spark[OVL_SPARK + 1];
    snprintf(part, sizeof part, "%s.part", o->dump);
    FILE *f = fopen(part, "w");
    if (!f)
        return;
    fprintf(f, "overlay: %s\n", o->shown ? "shown" : "hidden");
    for (int k = 0; k < o->nlines; k++)
        fprintf(f, "%s\n", o->lines[k]);
    spark_text(o, spark);
    fprintf(f, "sparkline: %s\nnote: %s\n", spark, o->note);
    if (fclose(f) == 0)
        rename(part, o->dump);
}
