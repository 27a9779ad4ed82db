/* console.h -- the headless console (-nographic, -display none): on a terminal,
 * the VGA text screen and keyboard or the serial port on stdio, with QEMU's
 * Ctrl-A escapes; off a terminal, nothing (the stdio backend streams COM1). */
#ifndef X86LAB_CONSOLE_H
#define X86LAB_CONSOLE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "frontend-term/term_keys.h"
#include "frontend-term/term_screen.h"
#include "machine/clock.h"

struct machine;
struct chardev;

/* Where key presses go (the 8042's keyboard port, or a test). */
struct console_keyboard {
    void (*key)(void *dev, uint16_t set2_code, bool down);
    int (*backlog)(const void *dev);   /* bytes not yet read by the guest */
    void *dev;
};

/* Key events waiting for the keyboard to take them: a real keyboard
 * holds 16 bytes, and pasted text comes faster than a guest reads. */
enum { CONSOLE_KEYQ = 1024 };
struct console_keyq {
    struct { uint16_t code; bool down; } ev[CONSOLE_KEYQ];
    unsigned head, count;
};

enum console_view { VIEW_SCREEN, VIEW_SERIAL };

enum {
    CONSOLE_LOG = 1 << 14,                 /* serial output kept for the serial view */
    CONSOLE_TICK_NS = 10 * 1000 * 1000,    /* virtual: input polled this often */
    CONSOLE_KEY_TICK_NS = 1000 * 1000,     /* ... and this often while keys wait */
    CONSOLE_FRAME_NS = 33 * 1000 * 1000,   /* host: at most ~30 frames a second */
    CONSOLE_NOTE_NS = 4000ull * 1000 * 1000,  /* host: how long a message shows */
};

struct console {
    struct machine *m;
    bool terminal;                 /* raw terminal mode (else plain: inactive) */
    struct chardev *serial;        /* the serial backend on stdio, or NULL */
    struct console_display display;
    bool has_display;
    struct console_keyboard keyboard;
    struct console_keyq keyq;
    enum console_view view;
    bool serial_first;             /* start in the serial view (-nographic) */
    bool ctrl_a;                   /* Ctrl-A seen: the next byte is a command */
    struct term_screen screen;
    struct term_keys keys;
    struct term_out out;
    struct timer tick;
    uint64_t last_frame_ns;        /* host */
    uint8_t log[CONSOLE_LOG];      /* ring of recent serial output */
    size_t log_head, log_len;
    uint64_t unseen;               /* serial bytes that came in the screen view */
    char note[TERM_STATUS_MAX];    /* a message on the status line... */
    uint64_t note_until_ns;        /* ...until then (host) */
    FILE *stream;                  /* the debug console's output, through us */
};

/* Takes the terminal over if stdin and stdout are both terminals;
 * `serial` is the backend on stdio (it gets attached to the console), or
 * NULL.  Returns 0, or -1 if the terminal cannot be set up. */
int console_init(struct console *k, struct machine *m, struct chardev *serial);
/* Shows a text screen and sends keys (terminal mode only). */
void console_set_display(struct console *k, const struct console_display *d);
void console_set_keyboard(struct console *k, const struct console_keyboard *kb);
/* The VGA and the 8042 of this machine (console_board.c). */
void console_attach_board(struct console *k, struct machine *m);
/* A stream whose bytes join the serial output (for -debugcon stdio), or
 * NULL in plain mode (stdout is fine then). */
FILE *console_stream(struct console *k);
/* console_poll for machine.wait_poll (an opaque console). */
void console_wait_poll(void *opaque);
/* One console step: read the terminal, draw if a frame is due. */
void console_poll(struct console *k);
/* Gives the terminal back as it was. */
void console_free(struct console *k);

#endif
