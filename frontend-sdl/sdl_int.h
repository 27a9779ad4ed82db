/* sdl_int.h -- the insides of the SDL2 window, shared by its files: the
 * mailbox between the emulation thread and the window thread (link.c),
 * the VGA snapshot (frame.c), the window (window.c), the drawing canvas
 * (canvas.c), keys (keys.c), the mouse (mouse.c), the overlay (overlay.c),
 * hotkeys and the menu (menu.c) and the PNG writer (png.c).
 *
 * Threads: the emulation thread runs the machine; the window thread (the
 * one that called sdl_run) owns everything SDL.  They meet only in struct
 * sdl_link, under its lock: the window posts commands (keys, mouse, pause,
 * engine...), a timer on the emulation thread's virtual clock carries them
 * out at an instruction boundary and posts back VGA snapshots and
 * statistics samples.  Neither thread ever waits for the other to finish
 * work, and no device is touched from the window thread. */
#ifndef X86LAB_SDL_INT_H
#define X86LAB_SDL_INT_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include <SDL.h>

#include "frontend-sdl/sdl.h"
#include "machine/machine.h"

/* ---- the mailbox (link.c) ---- */

enum sdl_cmd_kind {
    CMD_KEY,            /* code: a set 2 make code (ps2kbd.h), down */
    CMD_MOUSE,          /* dx, dy (down), dz (towards the user), buttons */
    CMD_PAUSE,          /* pause or resume */
    CMD_ENGINE,         /* engine: an enum engine_kind, or -1 for the next one */
    CMD_RESET,
    CMD_QUIT,           /* power off: the run ends as after SIGTERM, cleanly */
    CMD_MONITOR,        /* stop in the debugger's monitor */
};

struct sdl_cmd {
    enum sdl_cmd_kind kind;
    uint16_t code;
    bool down;
    int dx, dy, dz, buttons;
    int engine;
};

/* A statistics sample, taken on the emulation thread. */
struct sdl_sample {
    uint64_t host_ns;
    uint64_t insns;                        /* m->cpu.count.insns */
    uint64_t bt_translated;
    uint64_t bt_traps[TRAP_COUNT];
    uint64_t kvm_exits[VMEXIT_COUNT];
    uint64_t kvm_guest_ns;
    uint64_t irqs;                         /* hardware interrupts delivered */
    enum engine_kind engine;
    bool paused;
};

enum { SDL_CMD_QUEUE = 512, SDL_NOTE_LEN = 200 };

struct sdl_link {
    pthread_mutex_t lock;
    pthread_cond_t wake;                   /* a command came (for a paused machine) */
    struct sdl_cmd q[SDL_CMD_QUEUE];
    int head, count;
    bool snap_full;                        /* the snapshot waits to be drawn */
    struct sdl_sample sample;
    bool sample_new;
    char note[SDL_NOTE_LEN];               /* a message for the window */
    bool note_new;
    bool done;                             /* the emulation thread has finished */
    int stop;                              /* ... with this enum machine_stop */
    uint64_t tick_ns;                      /* host time of the last tick */
};

int link_init(struct sdl_link *l);
void link_free(struct sdl_link *l);
/* Window thread: queue a command (false when the queue is full).  Mouse
 * motion with unchanged buttons joins the previous motion still queued. */
bool link_post(struct sdl_link *l, const struct sdl_cmd *c);
/* Emulation thread: take the next command (false when none). */
bool link_take(struct sdl_link *l, struct sdl_cmd *c);
/* Emulation thread: a message for the window (printf-style). */
void link_note(struct sdl_link *l, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* ---- the VGA snapshot (frame.c) ----
 * The emulation thread copies what vga_render reads (registers, the DAC,
 * the planes or the visible part of the VBE framebuffer, the blink phase);
 * the window thread renders from the copy while the emulation goes on. */
struct vga_snap {
    struct vga vga;                        /* vram and clock point below */
    uint8_t *vram;                         /* VGA_VRAM_SIZE bytes */
    struct vclock clock;                   /* stopped at the copy's time */
    uint64_t no_insns;                     /* the stopped clock's counter */
};

int snap_init(struct vga_snap *s);
void snap_free(struct vga_snap *s);
void snap_take(struct vga_snap *s, const struct vga *v);
/* XRGB pixels of the copy into px (max_w x max_h); -1 when too large or
 * when there is nothing to draw (*w or *h 0). */
int snap_render(struct vga_snap *s, uint32_t *px, int max_w, int max_h, int *w, int *h);

/* ---- a drawing surface for the overlay and the menu (canvas.c) ---- */
struct canvas {
    uint32_t *px;                          /* ARGB, w x h */
    int w, h;
};

enum { GLYPH_W = 8, GLYPH_H = 16 };

int canvas_size(struct canvas *c, int w, int h);
void canvas_free(struct canvas *c);
void canvas_clear(struct canvas *c);
void canvas_rect(struct canvas *c, int x, int y, int w, int h, uint32_t argb);
/* Text in the VGA ROM's 8x16 font (code page 437), transparent background. */
void canvas_text(struct canvas *c, int x, int y, const char *s, uint32_t argb);

/* ---- the window (window.c) ---- */
struct sdl_window {
    SDL_Window *window;
    SDL_Renderer *renderer;
    SDL_Texture *screen;                   /* the guest picture */
    int tex_w, tex_h;
    SDL_Texture *panel;                    /* overlay and menu, window-sized */
    int panel_w, panel_h;
    int guest_w, guest_h;                  /* the current mode's size */
    int scale;                             /* window scale for the next mode change */
    bool smooth, fullscreen;
};

int window_open(struct sdl_window *w, const struct sdl_options *o, char *why, size_t len);
void window_close(struct sdl_window *w);
/* The guest picture (gw x gh XRGB); a new size resizes the window. */
int window_frame(struct sdl_window *w, const uint32_t *px, int gw, int gh);
/* The renderer's output size, for the panel canvas. */
void window_output_size(struct sdl_window *w, int *ow, int *oh);
/* Draws the picture (letterboxed, integer or smooth) and the panel (NULL:
 * none; panel_changed: it was redrawn since the last call). */
void window_present(struct sdl_window *w, const struct canvas *panel, bool panel_changed);
void window_fullscreen(struct sdl_window *w, bool on);
void window_smooth(struct sdl_window *w, bool on);
void window_rescale(struct sdl_window *w, int delta);
void window_title(struct sdl_window *w, const char *title);

/* ---- keys (keys.c) ---- */
/* The set 2 make code of an SDL scancode (0xE0xx extended, PS2_KEY_PAUSE),
 * 0 when a PC keyboard has no such key. */
uint16_t keys_set2(SDL_Scancode sc);

/* ---- hotkeys and the menu (menu.c) ---- */
enum sdl_action {
    ACT_NONE, ACT_MENU, ACT_RELEASE, ACT_FULLSCREEN, ACT_SMOOTH, ACT_SCALE_UP,
    ACT_SCALE_DOWN, ACT_PAUSE, ACT_NEXT_ENGINE, ACT_INTERP, ACT_BT, ACT_KVM,
    ACT_RESET, ACT_POWEROFF, ACT_SCREENSHOT, ACT_OVERLAY, ACT_MONITOR, ACT_CAD,
};

/* The action of a Ctrl-Alt hotkey (ACT_NONE: the key goes to the guest). */
enum sdl_action menu_hotkey(SDL_Keycode key);
/* With the menu open: the action of a plain key (Esc closes the menu). */
enum sdl_action menu_key(SDL_Keycode key);
/* Draws the menu in the middle of the canvas. */
void menu_draw(struct canvas *c);

/* ---- the mouse (mouse.c) ---- */
struct sdl_mouse {
    bool grabbed;
    int buttons;                           /* PS2M_* held */
};
/* Handles a mouse event; false when it is not one.  A click while not
 * grabbed grabs (and is not passed on). */
bool mouse_event(struct sdl_mouse *ms, SDL_Window *win, struct sdl_link *l,
                 const SDL_Event *ev);
void mouse_release(struct sdl_mouse *ms, struct sdl_link *l);

/* ---- the statistics overlay (overlay.c) ---- */
enum { OVL_LINES = 24, OVL_COLS = 80, OVL_SPARK = 60, OVL_TOP = 5 };
struct stats_overlay {
    bool shown;
    bool have_prev;
    struct sdl_sample prev;
    double mips;                           /* over the last interval */
    double spark[OVL_SPARK];               /* MIPS, one a second, newest last */
    int nspark;
    double second_insns, second_ns;        /* building the current second */
    char lines[OVL_LINES][OVL_COLS];
    int nlines;
    char note[SDL_NOTE_LEN];               /* the last message */
    uint64_t note_until_ns;
    const char *dump;                      /* --overlay-dump FILE */
};

void overlay_init(struct stats_overlay *o, bool shown, const char *dump);
/* A new sample: rates, the sparkline and the lines (and the dump file). */
void overlay_update(struct stats_overlay *o, const struct sdl_sample *s);
void overlay_set_note(struct stats_overlay *o, const char *text, uint64_t now_ns);
void overlay_draw(const struct stats_overlay *o, struct canvas *c);
/* The window title: engine, speed, how to grab or release the mouse. */
void overlay_title(const struct stats_overlay *o, bool grabbed, bool stalled, char *buf, size_t len);
/* Writes the dump file now (also called on toggles). */
void overlay_dump(const struct stats_overlay *o);

/* ---- PNG (png.c) ---- */
/* Writes w x h XRGB pixels as an 8-bit RGB PNG; -1 with errno on failure. */
int png_write(const char *path, const uint32_t *px, int w, int h);

/* ---- the frontend ---- */
struct sdl_frontend {
    struct machine *m;
    struct sdl_options opt;
    struct sdl_link link;
    struct vga_snap snap;                  /* handed over under link.snap_full */
    /* the emulation thread's own (emu.c) */
    struct timer tick;
    uint64_t last_gen, last_sample_ns;
    bool paused, published;
    pthread_t thread;
    uint64_t max_insns;
    bool start_stopped;
    /* the window thread's own (sdl_main.c) */
    struct sdl_window win;
    struct sdl_mouse mouse;
    struct stats_overlay ovl;
    struct canvas panel;
    bool menu_open;
    bool redraw, panel_dirty;              /* present again; redraw the panel */
    bool note_shown;                       /* a note is on the panel */
    bool swallowed[SDL_NUM_SCANCODES];     /* hotkeys' keys: their release is ours too */
    uint32_t *pixels;                      /* the last frame, guest_w x guest_h */
    int w, h;
    bool quit_sent;
    char title[256];
};

/* emu.c: the emulation thread's side. */
int emu_start(struct sdl_frontend *s);
void emu_join(struct sdl_frontend *s);

#endif
