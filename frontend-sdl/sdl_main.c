/* sdl_main.c -- the window thread: opening SDL (or saying in one sentence
 * why there is no window), the loop that takes events and, at the host's
 * frame rate, draws a new VGA snapshot or overlay when there is one, the
 * keyboard and hotkey dispatch, screenshots; and sdl_run, which puts the
 * machine on its own thread (emu.c) for as long as the window lives. */
#include "sdl_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "debugger/debug.h"

enum { STALL_NS = 500 * 1000 * 1000 };   /* no tick for this long: stopped */

static void post(struct sdl_frontend *s, struct sdl_cmd c)
{
    if (!link_post(&s->link, &c))
        overlay_set_note(&s->ovl, "the machine is not taking input: dropped", stats_now_ns());
}

static void post_key(struct sdl_frontend *s, uint16_t code, bool down)
{
    post(s, (struct sdl_cmd){ .kind = CMD_KEY, .code = code, .down = down });
}

static void note(struct sdl_frontend *s, const char *text)
{
    overlay_set_note(&s->ovl, text, stats_now_ns());
    s->panel_dirty = true;
}

static void power_off(struct sdl_frontend *s)
{
    if (!s->quit_sent)
        post(s, (struct sdl_cmd){ .kind = CMD_QUIT });
    s->quit_sent = true;
}

/* Ctrl-Alt-Del for a guest whose host keeps the combination: left Ctrl,
 * left Alt and Delete pressed, then released in reverse. */
static void send_cad(struct sdl_frontend *s)
{
    static const uint16_t keys[3] = { 0x14, 0x11, 0xE071 };
    for (int k = 0; k < 3; k++)
        post_key(s, keys[k], true);
    for (int k = 2; k >= 0; k--)
        post_key(s, keys[k], false);
    note(s, "sent Ctrl-Alt-Del");
}

/* The guest picture as it is drawn now, to DIR/x86lab-NNNN.png (the first
 * unused number). */
static void screenshot(struct sdl_frontend *s)
{
    char path[4096], text[SDL_NOTE_LEN];
    const char *dir = s->opt.screenshot_dir ? s->opt.screenshot_dir : ".";
    if (!s->w) {
        note(s, "screenshot: nothing on the screen yet");
        return;
    }
    for (int n = 1; n < 10000; n++) {
        snprintf(path, sizeof path, "%s/x86lab-%04d.png", dir, n);
        if (access(path, F_OK) != 0)
            break;
    }
    if (png_write(path, s->pixels, s->w, s->h) < 0) {
        snprintf(text, sizeof text, "screenshot: cannot write %.100s: %s", path, strerror(errno));
    } else {
        snprintf(text, sizeof text, "screenshot: %.100s (%dx%d)", path, s->w, s->h);
        fprintf(stderr, "x86lab: screenshot %s (%dx%d)\n", path, s->w, s->h);
    }
    note(s, text);
}

static void action(struct sdl_frontend *s, enum sdl_action a)
{
    static const int engine_of[] = { [ACT_INTERP] = ENGINE_INTERP, [ACT_BT] = ENGINE_BT,
                                     [ACT_KVM] = ENGINE_KVM };
    if (a != ACT_MENU)
        s->menu_open = false;
    s->panel_dirty = true;
    switch (a) {
    case ACT_NONE: break;
    case ACT_MENU: s->menu_open = !s->menu_open; break;
    case ACT_RELEASE: mouse_release(&s->mouse, &s->link); break;
    case ACT_FULLSCREEN: window_fullscreen(&s->win, !s->win.fullscreen); break;
    case ACT_SMOOTH:
        window_smooth(&s->win, !s->win.smooth);
        note(s, s->win.smooth ? "smooth scaling" : "integer scaling");
        break;
    case ACT_SCALE_UP: window_rescale(&s->win, 1); break;
    case ACT_SCALE_DOWN: window_rescale(&s->win, -1); break;
    case ACT_PAUSE: post(s, (struct sdl_cmd){ .kind = CMD_PAUSE }); break;
    case ACT_NEXT_ENGINE: post(s, (struct sdl_cmd){ .kind = CMD_ENGINE, .engine = -1 }); break;
    case ACT_INTERP: case ACT_BT: case ACT_KVM:
        post(s, (struct sdl_cmd){ .kind = CMD_ENGINE, .engine = engine_of[a] });
        break;
    case ACT_RESET: post(s, (struct sdl_cmd){ .kind = CMD_RESET }); break;
    case ACT_POWEROFF: power_off(s); break;
    case ACT_SCREENSHOT: screenshot(s); break;
    case ACT_OVERLAY:
        s->ovl.shown = !s->ovl.shown;
        overlay_dump(&s->ovl);
        break;
    case ACT_MONITOR:
        mouse_release(&s->mouse, &s->link);   /* the terminal needs the pointer */
        post(s, (struct sdl_cmd){ .kind = CMD_MONITOR });
        break;
    case ACT_CAD: send_cad(s); break;
    }
    s->redraw = true;
}

/* Ctrl-Alt hotkeys and the open menu's keys are the window's; every other
 * key goes to the guest as a make or break code.  Host auto-repeat is
 * dropped: the PS/2 keyboard repeats a held key itself (typematic). */
static void key(struct sdl_frontend *s, const SDL_KeyboardEvent *k)
{
    SDL_Scancode sc = k->keysym.scancode;
    bool down = k->type == SDL_KEYDOWN;
    if ((unsigned)sc >= SDL_NUM_SCANCODES)
        return;
    if (down) {
        enum sdl_action a = ACT_NONE;
        if ((k->keysym.mod & KMOD_CTRL) && (k->keysym.mod & KMOD_ALT))
            a = menu_hotkey(k->keysym.sym);
        else if (s->menu_open)
            a = menu_key(k->keysym.sym);
        if (a != ACT_NONE) {
            if (!k->repeat)
                action(s, a);
            s->swallowed[sc] = true;
            return;
        }
        if (s->menu_open || k->repeat)
            return;
    } else if (s->swallowed[sc]) {
        s->swallowed[sc] = false;
        return;
    }
    uint16_t code = keys_set2(sc);
    if (code)
        post_key(s, code, down);
}

static void window_event(struct sdl_frontend *s, const SDL_WindowEvent *w)
{
    switch (w->event) {
    case SDL_WINDOWEVENT_CLOSE:
        power_off(s);
        break;
    case SDL_WINDOWEVENT_FOCUS_LOST:
        mouse_release(&s->mouse, &s->link);
        break;
    default:
        break;
    }
    s->redraw = true;
    s->panel_dirty = true;
}

static void handle(struct sdl_frontend *s, const SDL_Event *ev)
{
    switch (ev->type) {
    case SDL_QUIT:
        power_off(s);
        break;
    case SDL_WINDOWEVENT:
        window_event(s, &ev->window);
        break;
    case SDL_KEYDOWN: case SDL_KEYUP:
        key(s, &ev->key);
        break;
    default:
        mouse_event(&s->mouse, s->win.window, &s->link, ev);   /* the title follows */
        break;
    }
}

/* ---- drawing ---- */

static void take_frame(struct sdl_frontend *s)
{
    int w, h;
    if (snap_render(&s->snap, s->pixels, VBE_MAX_XRES, VBE_MAX_YRES, &w, &h) == 0 &&
        window_frame(&s->win, s->pixels, w, h) == 0) {
        s->w = w;
        s->h = h;
        s->redraw = true;
    }
    pthread_mutex_lock(&s->link.lock);
    s->link.snap_full = false;               /* the emulation may copy again */
    pthread_mutex_unlock(&s->link.lock);
}

/* The overlay, the note bar and the menu, when any is showing. */
static const struct canvas *panel(struct sdl_frontend *s, uint64_t now)
{
    bool note_on = s->ovl.note[0] && now < s->ovl.note_until_ns;
    if (note_on != s->note_shown)
        s->panel_dirty = true;
    s->note_shown = note_on;
    if (!s->ovl.shown && !s->menu_open && !note_on)
        return NULL;
    if (!s->panel_dirty)
        return &s->panel;
    int ow, oh;
    window_output_size(&s->win, &ow, &oh);
    if (canvas_size(&s->panel, ow, oh) < 0)
        return NULL;
    canvas_clear(&s->panel);
    overlay_draw(&s->ovl, &s->panel);
    if (note_on) {
        canvas_rect(&s->panel, 0, oh - GLYPH_H - 8, ow, GLYPH_H + 8, 0xC0000000u);
        canvas_text(&s->panel, 8, oh - GLYPH_H - 4, s->ovl.note, 0xFFFFFFFFu);
    }
    if (s->menu_open)
        menu_draw(&s->panel);
    s->redraw = true;
    return &s->panel;
}

static void update_title(struct sdl_frontend *s, uint64_t now, uint64_t tick_ns)
{
    char title[sizeof s->title];
    bool stalled = tick_ns && now > tick_ns + STALL_NS;
    overlay_title(&s->ovl, s->mouse.grabbed, stalled, title, sizeof title);
    if (strcmp(title, s->title)) {
        memcpy(s->title, title, sizeof title);
        window_title(&s->win, title);
    }
}

static void frame(struct sdl_frontend *s, uint64_t now)
{
    struct sdl_sample sample;
    char text[SDL_NOTE_LEN];
    pthread_mutex_lock(&s->link.lock);
    bool full = s->link.snap_full, got_sample = s->link.sample_new, got_note = s->link.note_new;
    sample = s->link.sample;
    memcpy(text, s->link.note, sizeof text);
    s->link.sample_new = s->link.note_new = false;
    uint64_t tick_ns = s->link.tick_ns;
    pthread_mutex_unlock(&s->link.lock);
    if (full)
        take_frame(s);
    if (got_sample) {
        overlay_update(&s->ovl, &sample);
        s->panel_dirty |= s->ovl.shown;
    }
    if (got_note)
        note(s, text);
    update_title(s, now, tick_ns);
    bool changed = s->panel_dirty;
    const struct canvas *p = panel(s, now);
    changed |= s->panel_dirty;               /* (a note came or went) */
    if (s->redraw)
        window_present(&s->win, p, changed);
    s->redraw = s->panel_dirty = false;
}

static uint64_t frame_period_ns(void)
{
    SDL_DisplayMode mode;
    int hz = SDL_GetCurrentDisplayMode(0, &mode) == 0 && mode.refresh_rate > 0
             ? mode.refresh_rate : 60;
    return 1000000000ull / (uint64_t)hz;
}

static bool emulation_done(struct sdl_frontend *s)
{
    pthread_mutex_lock(&s->link.lock);
    bool done = s->link.done;
    pthread_mutex_unlock(&s->link.lock);
    return done;
}

static void ui_loop(struct sdl_frontend *s)
{
    uint64_t period = frame_period_ns(), next = stats_now_ns();
    SDL_Event ev;
    overlay_dump(&s->ovl);
    while (!emulation_done(s)) {
        uint64_t now = stats_now_ns();
        int wait_ms = next > now ? (int)((next - now) / 1000000) : 0;
        if (SDL_WaitEventTimeout(&ev, wait_ms)) {
            handle(s, &ev);
            while (SDL_PollEvent(&ev))
                handle(s, &ev);
        }
        now = stats_now_ns();
        if (now >= next) {
            frame(s, now);
            next = now + period;
        }
    }
}

/* ---- the interface ---- */

struct sdl_frontend *sdl_open(struct machine *m, const struct sdl_options *o,
                              char *why, size_t len)
{
    if (!getenv("DISPLAY") && !getenv("WAYLAND_DISPLAY")) {
        snprintf(why, len, "there is no display to open a window on "
                 "(neither DISPLAY nor WAYLAND_DISPLAY is set)");
        return NULL;
    }
    SDL_SetHint(SDL_HINT_NO_SIGNAL_HANDLERS, "1");   /* SIGINT/SIGTERM stay main.c's */
    /* Only drivers that show a window: otherwise SDL falls back to ones
     * that draw nowhere (offscreen, KMS) when the display is unreachable. */
    if (!getenv("SDL_VIDEODRIVER"))
        SDL_SetHint(SDL_HINT_VIDEODRIVER, !getenv("DISPLAY") ? "wayland"
                    : getenv("WAYLAND_DISPLAY") ? "x11,wayland" : "x11");
    if (SDL_InitSubSystem(SDL_INIT_VIDEO) < 0) {
        snprintf(why, len, "SDL cannot reach the display: %s", SDL_GetError());
        return NULL;
    }
    struct sdl_frontend *s = calloc(1, sizeof *s);
    if (!s || link_init(&s->link) < 0) {
        snprintf(why, len, "out of memory");
        free(s);
        SDL_QuitSubSystem(SDL_INIT_VIDEO);
        return NULL;
    }
    s->m = m;
    s->opt = *o;
    overlay_init(&s->ovl, o->overlay, o->overlay_dump);
    s->pixels = malloc((size_t)VBE_MAX_XRES * VBE_MAX_YRES * sizeof *s->pixels);
    if (!s->pixels || snap_init(&s->snap) < 0) {
        snprintf(why, len, "out of memory");
        sdl_close(s);
        return NULL;
    }
    if (window_open(&s->win, o, why, len) < 0) {
        sdl_close(s);
        return NULL;
    }
    SDL_StopTextInput();                 /* keys only: no input method in the way */
    return s;
}

int sdl_run(struct sdl_frontend *s, uint64_t max_insns, bool start_stopped)
{
    s->max_insns = max_insns;
    s->start_stopped = start_stopped;
    if (emu_start(s) < 0) {
        fprintf(stderr, "x86lab: cannot start the emulation thread: %s; "
                "running without the window\n", strerror(errno));
        return debug_run(s->m, max_insns, start_stopped);
    }
    ui_loop(s);
    emu_join(s);
    return s->link.stop;
}

void sdl_close(struct sdl_frontend *s)
{
    if (!s)
        return;
    if (s->win.window)
        window_close(&s->win);
    canvas_free(&s->panel);
    snap_free(&s->snap);
    free(s->pixels);
    link_free(&s->link);
    free(s);
    SDL_QuitSubSystem(SDL_INIT_VIDEO);
    SDL_Quit();
}
