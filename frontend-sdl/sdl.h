/* sdl.h -- the SDL2 window (-display sdl) as main.c sees it: open it, run
 * the machine with the emulation on its own thread while this thread owns
 * the window, close it.  No SDL types here (main.c is built without SDL's
 * flags); the insides are in sdl_int.h. */
#ifndef X86LAB_SDL_H
#define X86LAB_SDL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct machine;

struct sdl_options {
    int scale;                     /* window scale 1-8; 0: the largest that fits */
    bool smooth;                   /* filtered, fractional scaling (else integer) */
    bool fullscreen;               /* -full-screen */
    bool overlay;                  /* the statistics overlay shown from the start */
    const char *overlay_dump;      /* --overlay-dump FILE: the overlay's lines at
                                    * every update (for tests), or NULL */
    const char *screenshot_dir;    /* --screenshot-dir DIR (NULL: the current one) */
};

struct sdl_frontend;

/* Opens the window for machine m (nothing runs yet).  NULL with one
 * sentence in why when there is no display or SDL cannot open a window. */
struct sdl_frontend *sdl_open(struct machine *m, const struct sdl_options *o,
                              char *why, size_t len);
/* Runs debug_run(m, max_insns, start_stopped) on an emulation thread while
 * this thread shows the screen and takes input; returns its enum
 * machine_stop once the guest stops or the window is closed. */
int sdl_run(struct sdl_frontend *s, uint64_t max_insns, bool start_stopped);
void sdl_close(struct sdl_frontend *s);

#endif
