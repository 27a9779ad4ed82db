/* term_keys.h -- what a terminal sends (ASCII, control characters, escape
 * sequences with xterm modifiers) as PS/2 key presses: set 2 make codes,
 * 0xE0xx for extended keys, with Shift, Ctrl and Alt pressed around them. */
#ifndef X86LAB_TERM_KEYS_H
#define X86LAB_TERM_KEYS_H

#include <stdbool.h>
#include <stdint.h>

/* Receives each key going down or up. */
typedef void (*term_key_fn)(void *opaque, uint16_t set2_code, bool down);

enum { TERM_SEQ_MAX = 16, TERM_ESC_WAIT_NS = 50 * 1000 * 1000 };

/* Set 2 codes of the keys the mapping presses by themselves. */
enum {
    KEY_LSHIFT = 0x12, KEY_LCTRL = 0x14, KEY_LALT = 0x11, KEY_ESC = 0x76,
    KEY_ENTER = 0x5A, KEY_BACKSPACE = 0x66, KEY_TAB = 0x0D, KEY_SPACE = 0x29,
    KEY_UP = 0xE075, KEY_DOWN = 0xE072, KEY_LEFT = 0xE06B, KEY_RIGHT = 0xE074,
    KEY_HOME = 0xE06C, KEY_END = 0xE069, KEY_INSERT = 0xE070, KEY_DELETE = 0xE071,
    KEY_PGUP = 0xE07D, KEY_PGDN = 0xE07A,
};

enum { MOD_SHIFT = 1, MOD_ALT = 2, MOD_CTRL = 4 };

struct term_keys {
    uint8_t seq[TERM_SEQ_MAX];   /* an escape sequence being received */
    int len;
    uint64_t esc_ns;             /* host time its ESC came */
    term_key_fn key;
    void *opaque;
};

void term_keys_init(struct term_keys *t, term_key_fn key, void *opaque);
/* One byte from the terminal; now_ns is host time. */
void term_keys_feed(struct term_keys *t, uint8_t b, uint64_t now_ns);
/* No byte came for a while: an ESC left alone long enough is the Esc key. */
void term_keys_idle(struct term_keys *t, uint64_t now_ns);
/* Presses and releases one key with modifiers (MOD_*). */
void term_keys_press(struct term_keys *t, uint16_t code, int mods);
/* The key and Shift for a printable ASCII character; false if none. */
bool term_keys_ascii(uint8_t ch, uint16_t *code, bool *shift);

#endif
