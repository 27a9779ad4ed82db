/* emu.c -- the emulation thread: it runs the machine (debug_run, so the
 * monitor and the gdb stub work as without the window), and a timer on
 * the machine's virtual clock, every TICK_NS, carries out what the window
 * posted (keys and mouse to the 8042, pause, engine switches, reset, power
 * off, the monitor) at an instruction boundary, and hands the window a
 * VGA snapshot when the picture changed and a statistics sample a few
 * times a second.  Only this thread touches the machine. */
#include "sdl_int.h"

#include <string.h>
#include <time.h>
#include <unistd.h>

#include "debugger/debug.h"

enum {
    TICK_NS = 8 * 1000 * 1000,            /* virtual: input latency, frame handover */
    SAMPLE_NS = 250 * 1000 * 1000,        /* host: overlay updates */
    PAUSE_POLL_NS = 50 * 1000 * 1000,     /* host: a paused machine looks at signals */
};

static void engine_switch(struct sdl_frontend *s, int k);
static void enter_monitor(struct sdl_frontend *s);

/* The next engine this host can run after the current one, or -1. */
static int next_engine(struct machine *m)
{
    char why[200];
    for (int step = 1; step < ENGINE_COUNT; step++) {
        int k = ((int)m->engine + step) % ENGINE_COUNT;
        const struct engine_ops *ops = engine_ops((enum engine_kind)k);
        if (ops && (m->engines[k].priv || !ops->available || ops->available(why, sizeof why)))
            return k;
    }
    return -1;
}

/* Called here, on the emulation thread between two engine runs, rather
 * than through machine_request_engine: the switch happens at once and a
 * refusal comes back with its reason for the window to show. */
static void engine_switch(struct sdl_frontend *s, int k)
{
    struct machine *m = s->m;
    static const char *const names[] = { "interpreter", "binary translator", "KVM" };
    char why[200] = "";
    if (m->cfg.kvm_irqchip) {
        link_note(&s->link, "no engine switching with --kvm-irqchip: KVM holds the PIC and PIT");
        return;
    }
    if (k < 0 && (k = next_engine(m)) < 0) {
        link_note(&s->link, "no other engine can run on this host");
        return;
    }
    const struct engine_ops *ops = engine_ops((enum engine_kind)k);
    if (!ops) {
        link_note(&s->link, "%s: not built into this x86lab",
                  k < (int)(sizeof names / sizeof names[0]) ? names[k] : "this engine");
    } else if (k == (int)m->engine) {
        link_note(&s->link, "already running in the %s", ops->title);
    } else if (!m->engines[k].priv && ops->available && !ops->available(why, sizeof why)) {
        link_note(&s->link, "%s: unavailable: %s", ops->title, why);
    } else if (machine_select_engine(m, (enum engine_kind)k) < 0) {
        link_note(&s->link, "%s: cannot start: %s", ops->title, m->error);
    } else {
        link_note(&s->link, "switched to the %s", ops->title);
    }
}

/* The debugger's monitor reads its commands from the terminal x86lab was
 * started from; the machine stops there until it continues. */
static void enter_monitor(struct sdl_frontend *s)
{
    if (!isatty(STDIN_FILENO)) {
        link_note(&s->link, "monitor: needs the terminal x86lab was started from "
                  "(its standard input is not a terminal)");
        return;
    }
    if (!debug_attach(s->m)) {
        link_note(&s->link, "monitor: out of memory");
        return;
    }
    debug_request_stop(s->m);
    link_note(&s->link, "monitor: on the terminal x86lab was started from ('help', 'c' continues)");
}

static void apply(struct sdl_frontend *s, const struct sdl_cmd *c)
{
    struct machine *m = s->m;
    switch (c->kind) {
    case CMD_KEY:
        i8042_key(&m->i8042, c->code, c->down);
        break;
    case CMD_MOUSE:
        i8042_mouse_move(&m->i8042, c->dx, c->dy, c->dz, c->buttons);
        break;
    case CMD_PAUSE:
        s->paused = !s->paused;
        link_note(&s->link, s->paused ? "paused (Ctrl-Alt-P resumes)" : "running");
        break;
    case CMD_ENGINE:
        engine_switch(s, c->engine);
        break;
    case CMD_RESET:
        s->paused = false;
        machine_request_reset(m);
        link_note(&s->link, "reset");
        break;
    case CMD_QUIT:
        s->paused = false;
        machine_request_quit(m);
        break;
    case CMD_MONITOR:
        s->paused = false;
        enter_monitor(s);
        break;
    }
}

static void run_commands(struct sdl_frontend *s)
{
    struct sdl_cmd c;
    while (link_take(&s->link, &c))
        apply(s, &c);
}

/* A snapshot when the picture changed and the window took the last one. */
static void publish_frame(struct sdl_frontend *s)
{
    uint64_t gen = vga_generation(&s->m->vga);
    if (s->published && gen == s->last_gen)
        return;
    pthread_mutex_lock(&s->link.lock);
    bool busy = s->link.snap_full;
    pthread_mutex_unlock(&s->link.lock);
    if (busy)
        return;
    snap_take(&s->snap, &s->m->vga);    /* the window does not read it now */
    s->last_gen = gen;
    s->published = true;
    pthread_mutex_lock(&s->link.lock);
    s->link.snap_full = true;
    pthread_mutex_unlock(&s->link.lock);
}

static uint64_t sum(const uint64_t *v, int n)
{
    uint64_t t = 0;
    for (int k = 0; k < n; k++)
        t += v[k];
    return t;
}

static void publish_sample(struct sdl_frontend *s, uint64_t now, bool force)
{
    struct machine *m = s->m;
    bool due = force || now - s->last_sample_ns >= SAMPLE_NS;
    struct sdl_sample x = {
        .host_ns = now, .insns = m->cpu.count.insns,
        .bt_translated = m->stats.bt_insns_translated,
        .kvm_guest_ns = m->stats.kvm_guest_ns,
        .irqs = sum(m->cpu.count.interrupts, 256),
        .engine = m->engine, .paused = s->paused,
    };
    memcpy(x.bt_traps, m->stats.bt_traps, sizeof x.bt_traps);
    memcpy(x.kvm_exits, m->stats.kvm_exits, sizeof x.kvm_exits);
    pthread_mutex_lock(&s->link.lock);
    s->link.tick_ns = now;
    if (due) {
        s->link.sample = x;
        s->link.sample_new = true;
    }
    pthread_mutex_unlock(&s->link.lock);
    if (due)
        s->last_sample_ns = now;
}

/* Paused: the guest's time stands still; commands are still carried out
 * (keys wait in the 8042) until one resumes, quits or resets. */
static void pause_wait(struct sdl_frontend *s)
{
    struct machine *m = s->m;
    uint64_t v0 = vclock_now(&m->clock);
    publish_sample(s, stats_now_ns(), true);
    while (s->paused && !m->quit_signal) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        ts.tv_nsec += PAUSE_POLL_NS;
        if (ts.tv_nsec >= 1000000000L) {
            ts.tv_sec++;
            ts.tv_nsec -= 1000000000L;
        }
        pthread_mutex_lock(&s->link.lock);
        if (s->link.count == 0)
            pthread_cond_timedwait(&s->link.wake, &s->link.lock, &ts);
        pthread_mutex_unlock(&s->link.lock);
        run_commands(s);
        publish_frame(s);
        publish_sample(s, stats_now_ns(), false);
    }
    if (!m->clock.deterministic)
        m->clock.host_start += vclock_now(&m->clock) - v0;
    publish_sample(s, stats_now_ns(), true);
}

static void tick(void *opaque)
{
    struct sdl_frontend *s = opaque;
    run_commands(s);
    if (s->paused)
        pause_wait(s);
    publish_frame(s);
    publish_sample(s, stats_now_ns(), false);
    timer_arm(&s->m->clock, &s->tick, vclock_now(&s->m->clock) + TICK_NS);
}

static void *emu_main(void *opaque)
{
    struct sdl_frontend *s = opaque;
    int stop = debug_run(s->m, s->max_insns, s->start_stopped);
    timer_cancel(&s->m->clock, &s->tick);
    pthread_mutex_lock(&s->link.lock);
    s->link.done = true;
    s->link.stop = stop;
    pthread_mutex_unlock(&s->link.lock);
    return NULL;
}

int emu_start(struct sdl_frontend *s)
{
    timer_init(&s->tick, tick, s);
    timer_arm(&s->m->clock, &s->tick, vclock_now(&s->m->clock) + TICK_NS);
    if (pthread_create(&s->thread, NULL, emu_main, s)) {
        timer_cancel(&s->m->clock, &s->tick);
        return -1;
    }
    return 0;
}

void emu_join(struct sdl_frontend *s)
{
    pthread_join(s->thread, NULL);
}
