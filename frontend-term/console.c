/* console.c -- the terminal console: raw mode and its restoration on every
 * way out, the screen and serial views, Ctrl-A commands, and the tick on
 * the virtual clock that reads the terminal and draws frames. */
#include "console.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "machine/chardev.h"
#include "machine/machine.h"
#include "debugger/debug.h"

/* ---------------- the terminal's modes ----------------
 * The only process-wide state in x86lab: signal handlers and atexit
 * functions take no argument, and the terminal belongs to the process,
 * not to one machine. */
static struct termios saved_tio, raw_tio;
static volatile sig_atomic_t tio_raw;          /* raw mode is on */
static volatile sig_atomic_t redraw_wanted;    /* resumed after a stop */

static const char restore_seq[] = "\033[0m\033[?25h";

static void restore_terminal(void)
{
    if (!tio_raw)
        return;
    tio_raw = 0;
    if (write(STDOUT_FILENO, restore_seq, sizeof restore_seq - 1) < 0) {
        /* nothing more to do for a terminal that is gone */
    }
    tcsetattr(STDIN_FILENO, TCSANOW, &saved_tio);
}

/* A fatal signal: the terminal comes back, then the default action runs
 * (SA_RESETHAND put it back; the signal is delivered when we return). */
static void on_fatal_signal(int sig)
{
    restore_terminal();
    raise(sig);
}

/* After SIGSTOP/SIGCONT the shell may have changed the modes back. */
static void on_continue(int sig)
{
    (void)sig;
    if (tio_raw) {
        tcsetattr(STDIN_FILENO, TCSANOW, &raw_tio);
        redraw_wanted = 1;
    }
}

static void install_handlers(void)
{
    static const int fatal[] = {
        SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT, SIGPIPE,
    };
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sigemptyset(&sa.sa_mask);
    sa.sa_handler = on_fatal_signal;
    sa.sa_flags = SA_RESETHAND;
    for (size_t k = 0; k < sizeof fatal / sizeof fatal[0]; k++)
        sigaction(fatal[k], &sa, NULL);
    sa.sa_handler = on_continue;
    sa.sa_flags = SA_RESTART;
    sigaction(SIGCONT, &sa, NULL);
    atexit(restore_terminal);
}

/* Raw input (no echo, no line editing, no signals from Ctrl-C: they go
 * to the guest), but output processing stays on so "\n" is a new line. */
static int enter_raw_mode(void)
{
    if (tcgetattr(STDIN_FILENO, &saved_tio) < 0)
        return -1;
    raw_tio = saved_tio;
    cfmakeraw(&raw_tio);
    raw_tio.c_oflag |= OPOST;
    raw_tio.c_cc[VMIN] = 1;
    raw_tio.c_cc[VTIME] = 0;
    static bool installed;                     /* once per process */
    if (!installed) {
        install_handlers();
        installed = true;
    }
    if (tcsetattr(STDIN_FILENO, TCSANOW, &raw_tio) < 0)
        return -1;
    tio_raw = 1;
    return 0;
}

static uint64_t host_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* ---------------- serial output ---------------- */

static void log_byte(struct console *k, uint8_t b)
{
    k->log[(k->log_head + k->log_len) % CONSOLE_LOG] = b;
    if (k->log_len < CONSOLE_LOG)
        k->log_len++;
    else
        k->log_head = (k->log_head + 1) % CONSOLE_LOG;
}

/* A byte from COM1 or the debug console. */
static void serial_out(void *opaque, uint8_t b)
{
    struct console *k = opaque;
    log_byte(k, b);
    if (k->view == VIEW_SERIAL) {
        term_out_bytes(&k->out, &b, 1);
        term_out_flush(&k->out);
    } else {
        k->unseen++;
    }
}

static ssize_t stream_write(void *cookie, const char *buf, size_t n)
{
    for (size_t i = 0; i < n; i++)
        serial_out(cookie, (uint8_t)buf[i]);
    return (ssize_t)n;
}

/* ---------------- views and messages ---------------- */

static void show_serial_view(struct console *k)
{
    k->view = VIEW_SERIAL;
    k->unseen = 0;
    term_out_str(&k->out, "\033[0m\033[2J\033[H\033[?25h");
    for (size_t i = 0; i < k->log_len; i++)
        term_out_bytes(&k->out, &k->log[(k->log_head + i) % CONSOLE_LOG], 1);
    term_out_flush(&k->out);
}

static void draw(struct console *k, uint64_t now);

static void show_screen_view(struct console *k)
{
    k->view = VIEW_SCREEN;
    term_screen_invalidate(&k->screen);
    draw(k, host_ns());
}

/* A message: inline in the serial view, on the status line otherwise. */
static void message(struct console *k, const char *text)
{
    if (k->view == VIEW_SERIAL) {
        term_out_fmt(&k->out, "\r\n[x86lab: %s]\r\n", text);
        term_out_flush(&k->out);
        return;
    }
    snprintf(k->note, sizeof k->note, " x86lab: %s", text);
    k->note_until_ns = host_ns() + CONSOLE_NOTE_NS;
    draw(k, host_ns());
}

static void status_text(struct console *k, uint64_t now, char *buf, size_t n)
{
    if (k->note[0] && now < k->note_until_ns) {
        snprintf(buf, n, "%s", k->note);
        return;
    }
    k->note[0] = 0;
    if (k->unseen)
        snprintf(buf, n, " x86lab | Ctrl-A h: help | %llu new bytes in the serial view (Ctrl-A v)",
                 (unsigned long long)k->unseen);
    else
        snprintf(buf, n, " x86lab | Ctrl-A h: help | Ctrl-A v: serial view");
}

static void draw(struct console *k, uint64_t now)
{
    if (k->view != VIEW_SCREEN || !k->has_display)
        return;
    char status[TERM_STATUS_MAX];
    status_text(k, now, status, sizeof status);
    term_screen_update(&k->screen, &k->display, status, &k->out);
    term_out_flush(&k->out);
    k->last_frame_ns = now;
}

/* ---------------- input ---------------- */

static void deliver(struct console *k, uint8_t b, uint64_t now)
{
    if (k->view == VIEW_SCREEN && k->keyboard.key)
        term_keys_feed(&k->keys, b, now);
    else if (k->serial)
        chardev_push(k->serial, &b, 1);        /* dropped when the buffer is full */
}

/* The monitor takes the terminal while it reads commands (debug.h's
 * tty_release): cooked mode and a clear screen, then raw mode and a full
 * redraw when the guest runs again. */
static void release_tty(void *opaque, bool release)
{
    struct console *k = opaque;
    if (!k->terminal)
        return;
    if (release) {
        restore_terminal();
        if (write(STDOUT_FILENO, "\033[2J\033[H", 7) < 0)
            return;
    } else {
        enter_raw_mode();
        redraw_wanted = 1;
    }
}

/* Ctrl-A c: the machine stops at the next instruction boundary and the
 * monitor (debugger/monitor.c) runs. */
static void enter_monitor(struct console *k)
{
    struct debugger *d = debug_attach(k->m);
    if (!d) {
        message(k, "cannot start the monitor: out of memory");
        return;
    }
    d->tty_release = release_tty;
    d->tty_opaque = k;
    debug_request_stop(k->m);
}

/* Ctrl-A e: the next engine this host can run (interpreter, translator,
 * KVM, cyclically) takes over at the next instruction boundary; devices,
 * timers and pending interrupts are untouched (machine_request_engine). */
static void next_engine(struct console *k)
{
    struct machine *m = k->m;
    char why[200], text[TERM_STATUS_MAX];
    if (m->cfg.kvm_irqchip) {
        message(k, "no engine switching with --kvm-irqchip: KVM holds the PIC and PIT");
        return;
    }
    for (int step = 1; step < ENGINE_COUNT; step++) {
        enum engine_kind e = (enum engine_kind)((m->engine + step) % ENGINE_COUNT);
        const struct engine_ops *ops = engine_ops(e);
        if (!ops || (!m->engines[e].priv && ops->available && !ops->available(why, sizeof why)))
            continue;
        machine_request_engine(m, e);
        snprintf(text, sizeof text, "switching to the %s", ops->title);
        message(k, text);
        return;
    }
    message(k, "no other engine can run on this host");
}

static const char help_text[] =
    "Ctrl-A then: x quit, v screen/serial view, c monitor, e next engine, h help, "
    "Ctrl-A sends Ctrl-A";

static void command(struct console *k, uint8_t b, uint64_t now)
{
    switch (b) {
    case 'x': case 'X':
        machine_request_quit(k->m);
        break;
    case 'c': case 'C':
        enter_monitor(k);
        break;
    case 'e': case 'E':
        next_engine(k);
        break;
    case 'v': case 'V':
        if (!k->has_display)
            message(k, "no text screen on this machine: only the serial view");
        else if (k->view == VIEW_SCREEN)
            show_serial_view(k);
        else
            show_screen_view(k);
        break;
    case 0x01:
        deliver(k, 0x01, now);
        break;
    case 'h': case 'H': case '?':
        message(k, help_text);
        break;
    default:
        break;                                 /* unknown commands are ignored */
    }
}

static void input_byte(struct console *k, uint8_t b, uint64_t now)
{
    if (k->ctrl_a) {
        k->ctrl_a = false;
        command(k, b, now);
    } else if (b == 0x01) {
        k->ctrl_a = true;
    } else {
        deliver(k, b, now);
    }
}

static void read_terminal(struct console *k, uint64_t now)
{
    struct pollfd p = { .fd = STDIN_FILENO, .events = POLLIN };
    if (poll(&p, 1, 0) <= 0)
        return;
    uint8_t buf[256];
    ssize_t n = read(STDIN_FILENO, buf, sizeof buf);
    if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
        machine_request_quit(k->m);            /* the terminal hung up */
        return;
    }
    for (ssize_t i = 0; i < n; i++)
        input_byte(k, buf[i], now);
}

/* One waiting key event into the keyboard once the guest has read what
 * the keyboard held (so typed-ahead or pasted text is not lost). */
static void feed_key(struct console *k)
{
    struct console_keyq *q = &k->keyq;
    if (!q->count || (k->keyboard.backlog && k->keyboard.backlog(k->keyboard.dev) > 0))
        return;
    k->keyboard.key(k->keyboard.dev, q->ev[q->head].code, q->ev[q->head].down);
    q->head = (q->head + 1) % CONSOLE_KEYQ;
    q->count--;
}

void console_poll(struct console *k)
{
    if (!k->terminal)
        return;
    uint64_t now = host_ns();
    if (redraw_wanted) {
        redraw_wanted = 0;
        term_screen_invalidate(&k->screen);
    }
    read_terminal(k, now);
    term_keys_idle(&k->keys, now);
    feed_key(k);
    if (now - k->last_frame_ns >= CONSOLE_FRAME_NS || !k->screen.valid)
        draw(k, now);
}

void console_wait_poll(void *opaque)
{
    console_poll(opaque);
}

static void tick(void *opaque)
{
    struct console *k = opaque;
    console_poll(k);
    timer_arm(&k->m->clock, &k->tick, vclock_now(&k->m->clock) +
              (k->keyq.count ? CONSOLE_KEY_TICK_NS : CONSOLE_TICK_NS));
}

/* ---------------- setup ---------------- */

static void key_to_keyboard(void *opaque, uint16_t code, bool down)
{
    struct console *k = opaque;
    struct console_keyq *q = &k->keyq;
    if (q->count == CONSOLE_KEYQ)
        return;                  /* a paste beyond 1024 events: the rest is lost */
    q->ev[(q->head + q->count) % CONSOLE_KEYQ].code = code;
    q->ev[(q->head + q->count) % CONSOLE_KEYQ].down = down;
    q->count++;
    feed_key(k);
}

int console_init(struct console *k, struct machine *m, struct chardev *serial)
{
    memset(k, 0, sizeof *k);
    k->m = m;
    k->serial = serial;
    k->view = VIEW_SERIAL;
    k->terminal = isatty(STDIN_FILENO) && isatty(STDOUT_FILENO);
    if (!k->terminal)
        return 0;
    fflush(stdout);
    if (enter_raw_mode() < 0) {
        k->terminal = false;
        return -1;
    }
    term_out_init(&k->out, STDOUT_FILENO);
    term_keys_init(&k->keys, key_to_keyboard, k);
    if (serial)
        chardev_attach(serial, serial_out, k);
    k->stream = fopencookie(k, "w", (cookie_io_functions_t){ .write = stream_write });
    if (k->stream)
        setvbuf(k->stream, NULL, _IONBF, 0);
    timer_init(&k->tick, tick, k);
    timer_arm(&m->clock, &k->tick, vclock_now(&m->clock) + CONSOLE_TICK_NS);
    message(k, "terminal console: Ctrl-A h for help, Ctrl-A x to quit");
    return 0;
}

void console_set_display(struct console *k, const struct console_display *d)
{
    if (!k->terminal)
        return;
    k->display = *d;
    k->has_display = true;
    if (!k->serial_first)
        show_screen_view(k);
}

void console_set_keyboard(struct console *k, const struct console_keyboard *kb)
{
    k->keyboard = *kb;
}

FILE *console_stream(struct console *k)
{
    return k->terminal ? k->stream : NULL;
}

void console_free(struct console *k)
{
    if (!k->terminal)
        return;
    timer_cancel(&k->m->clock, &k->tick);
    if (k->view == VIEW_SCREEN && k->has_display) {
        draw(k, host_ns());
        /* Below the screen and its status line, so the last frame stays. */
        term_out_fmt(&k->out, "\033[0m\033[%d;1H\r\n", k->screen.rows + 1);
    } else {
        term_out_str(&k->out, "\r\n");
    }
    term_out_flush(&k->out);
    if (k->stream)
        fclose(k->stream);
    k->stream = NULL;
    term_out_free(&k->out);
    restore_terminal();
    k->terminal = false;
}
