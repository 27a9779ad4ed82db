/* term_keys.c -- terminal bytes to PS/2 set 2 key presses: the US layout
 * for ASCII, control characters as Ctrl+key, and the escape sequences of
 * xterm, VT100 application mode and the Linux console. */
#include "term_keys.h"

#include <string.h>

/* Set 2 make codes of the US layout, unshifted and shifted characters. */
static const struct { char plain, shifted; uint8_t code; } layout[] = {
    { 'a', 'A', 0x1C }, { 'b', 'B', 0x32 }, { 'c', 'C', 0x21 }, { 'd', 'D', 0x23 },
    { 'e', 'E', 0x24 }, { 'f', 'F', 0x2B }, { 'g', 'G', 0x34 }, { 'h', 'H', 0x33 },
    { 'i', 'I', 0x43 }, { 'j', 'J', 0x3B }, { 'k', 'K', 0x42 }, { 'l', 'L', 0x4B },
    { 'm', 'M', 0x3A }, { 'n', 'N', 0x31 }, { 'o', 'O', 0x44 }, { 'p', 'P', 0x4D },
    { 'q', 'Q', 0x15 }, { 'r', 'R', 0x2D }, { 's', 'S', 0x1B }, { 't', 'T', 0x2C },
    { 'u', 'U', 0x3C }, { 'v', 'V', 0x2A }, { 'w', 'W', 0x1D }, { 'x', 'X', 0x22 },
    { 'y', 'Y', 0x35 }, { 'z', 'Z', 0x1A },
    { '1', '!', 0x16 }, { '2', '@', 0x1E }, { '3', '#', 0x26 }, { '4', '$', 0x25 },
    { '5', '%', 0x2E }, { '6', '^', 0x36 }, { '7', '&', 0x3D }, { '8', '*', 0x3E },
    { '9', '(', 0x46 }, { '0', ')', 0x45 },
    { '`', '~', 0x0E }, { '-', '_', 0x4E }, { '=', '+', 0x55 }, { '[', '{', 0x54 },
    { ']', '}', 0x5B }, { '\\', '|', 0x5D }, { ';', ':', 0x4C }, { '\'', '"', 0x52 },
    { ',', '<', 0x41 }, { '.', '>', 0x49 }, { '/', '?', 0x4A }, { ' ', ' ', 0x29 },
};

bool term_keys_ascii(uint8_t ch, uint16_t *code, bool *shift)
{
    for (size_t k = 0; k < sizeof layout / sizeof layout[0]; k++) {
        if (ch == (uint8_t)layout[k].plain || ch == (uint8_t)layout[k].shifted) {
            *code = layout[k].code;
            *shift = ch != (uint8_t)layout[k].plain;
            return true;
        }
    }
    return false;
}

void term_keys_init(struct term_keys *t, term_key_fn key, void *opaque)
{
    memset(t, 0, sizeof *t);
    t->key = key;
    t->opaque = opaque;
}

void term_keys_press(struct term_keys *t, uint16_t code, int mods)
{
    if (mods & MOD_CTRL) t->key(t->opaque, KEY_LCTRL, true);
    if (mods & MOD_ALT) t->key(t->opaque, KEY_LALT, true);
    if (mods & MOD_SHIFT) t->key(t->opaque, KEY_LSHIFT, true);
    t->key(t->opaque, code, true);
    t->key(t->opaque, code, false);
    if (mods & MOD_SHIFT) t->key(t->opaque, KEY_LSHIFT, false);
    if (mods & MOD_ALT) t->key(t->opaque, KEY_LALT, false);
    if (mods & MOD_CTRL) t->key(t->opaque, KEY_LCTRL, false);
}

/* A byte outside an escape sequence; mods adds Alt for ESC-prefixed bytes. */
static void plain_byte(struct term_keys *t, uint8_t b, int mods)
{
    uint16_t code = 0;
    bool shift = false;
    switch (b) {
    case '\r': case '\n': term_keys_press(t, KEY_ENTER, mods); return;
    case '\t': term_keys_press(t, KEY_TAB, mods); return;
    case 0x7F: case 0x08: term_keys_press(t, KEY_BACKSPACE, mods); return;
    case 0x1B: term_keys_press(t, KEY_ESC, mods); return;
    case 0x00: term_keys_press(t, KEY_SPACE, mods | MOD_CTRL); return;
    default: break;
    }
    if (b >= 0x01 && b <= 0x1A) {           /* Ctrl-A .. Ctrl-Z */
        term_keys_ascii((uint8_t)('a' + b - 1), &code, &shift);
        term_keys_press(t, code, mods | MOD_CTRL);
        return;
    }
    if (b >= 0x1C && b <= 0x1F) {           /* Ctrl-\ Ctrl-] Ctrl-^ Ctrl-_ */
        static const char base[] = { '\\', ']', '^', '_' };
        term_keys_ascii((uint8_t)base[b - 0x1C], &code, &shift);
        term_keys_press(t, code, mods | MOD_CTRL | (shift ? MOD_SHIFT : 0));
        return;
    }
    if (term_keys_ascii(b, &code, &shift))
        term_keys_press(t, code, mods | (shift ? MOD_SHIFT : 0));
    /* Bytes of other characters (UTF-8) have no key on a US keyboard. */
}

static const uint8_t fkeys[13] = {
    0, 0x05, 0x06, 0x04, 0x0C, 0x03, 0x0B, 0x83, 0x0A, 0x01, 0x09, 0x78, 0x07,
};

/* CSI n ~ : editing and function keys by number (xterm, VT220, Linux). */
static uint16_t tilde_key(int n)
{
    switch (n) {
    case 1: case 7: return KEY_HOME;
    case 2: return KEY_INSERT;
    case 3: return KEY_DELETE;
    case 4: case 8: return KEY_END;
    case 5: return KEY_PGUP;
    case 6: return KEY_PGDN;
    case 11: case 12: case 13: case 14: case 15: return fkeys[n - 10];
    case 17: case 18: case 19: case 20: case 21: return fkeys[n - 11];
    case 23: case 24: return fkeys[n - 12];
    default: return 0;
    }
}

/* The key of a CSI or SS3 sequence's final letter. */
static uint16_t letter_key(uint8_t f)
{
    switch (f) {
    case 'A': return KEY_UP;
    case 'B': return KEY_DOWN;
    case 'C': return KEY_RIGHT;
    case 'D': return KEY_LEFT;
    case 'H': return KEY_HOME;
    case 'F': return KEY_END;
    case 'P': return fkeys[1];
    case 'Q': return fkeys[2];
    case 'R': return fkeys[3];
    case 'S': return fkeys[4];
    default: return 0;
    }
}

/* Parses "n;m" parameters of a CSI sequence (up to two). */
static int params(const uint8_t *p, int len, int out[2])
{
    int n = 0;
    out[0] = out[1] = 0;
    for (int k = 0; k < len && n < 2; k++) {
        if (p[k] >= '0' && p[k] <= '9')
            out[n] = out[n] * 10 + (p[k] - '0');
        else if (p[k] == ';')
            n++;
    }
    return n + 1;
}

/* xterm's modifier parameter: 1 + (Shift 1, Alt 2, Ctrl 4). */
static int xterm_mods(int m)
{
    return m > 1 ? (m - 1) & (MOD_SHIFT | MOD_ALT | MOD_CTRL) : 0;
}

/* A complete sequence in t->seq (ESC first). */
static void sequence(struct term_keys *t)
{
    uint8_t intro = t->seq[1], f = t->seq[t->len - 1];
    int p[2];
    params(t->seq + 2, t->len - 3, p);
    int mods = xterm_mods(p[1]);
    uint16_t code = 0;
    if (intro == '[' && t->seq[2] == '[' && t->len == 4)
        code = f >= 'A' && f <= 'E' ? fkeys[f - 'A' + 1] : 0;   /* Linux console F1-F5 */
    else if (intro == '[' && f == '~')
        code = tilde_key(p[0]);
    else if (intro == '[' && f == 'Z') {
        code = KEY_TAB;
        mods |= MOD_SHIFT;
    } else
        code = letter_key(f);
    if (code)
        term_keys_press(t, code, mods);
}

static bool seq_complete(const struct term_keys *t)
{
    uint8_t last = t->seq[t->len - 1];
    if (t->len < 3)
        return false;
    if (t->seq[1] == 'O')
        return true;
    if (t->len == 3 && last == '[')
        return false;                          /* ESC [ [ letter */
    return last >= 0x40 && last <= 0x7E;
}

void term_keys_feed(struct term_keys *t, uint8_t b, uint64_t now_ns)
{
    if (!t->len) {
        if (b == 0x1B) {
            t->seq[t->len++] = b;
            t->esc_ns = now_ns;
        } else {
            plain_byte(t, b, 0);
        }
        return;
    }
    if (t->len == 1) {
        if (b == '[' || b == 'O') {
            t->seq[t->len++] = b;
        } else {
            /* ESC then a key: the terminal's Alt (meta sends escape). */
            t->len = 0;
            if (b == 0x1B) {
                plain_byte(t, 0x1B, 0);
                t->seq[t->len++] = b;
                t->esc_ns = now_ns;
            } else {
                plain_byte(t, b, MOD_ALT);
            }
        }
        return;
    }
    t->seq[t->len++] = b;
    if (seq_complete(t)) {
        sequence(t);
        t->len = 0;
    } else if (t->len == TERM_SEQ_MAX) {
        t->len = 0;                            /* nothing we know: dropped */
    }
}

void term_keys_idle(struct term_keys *t, uint64_t now_ns)
{
    if (t->len == 1 && now_ns - t->esc_ns >= TERM_ESC_WAIT_NS) {
        t->len = 0;
        term_keys_press(t, KEY_ESC, 0);
    } else if (t->len > 1 && now_ns - t->esc_ns >= TERM_ESC_WAIT_NS) {
        t->len = 0;                            /* a sequence cut short */
    }
}
