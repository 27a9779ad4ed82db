/* term_screen.c -- drawing the VGA text screen with ANSI escape sequences:
 * changed cells only, SGR colours from the attribute byte, CP437 glyphs as
 * UTF-8, the status line and the hardware cursor. */
#include "term_screen.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---------------- output buffer ---------------- */

void term_out_init(struct term_out *o, int fd)
{
    o->len = 0;
    o->total = 0;
    o->cap = 1 << 16;
    o->buf = malloc(o->cap);
    o->fd = fd;
    if (!o->buf)
        o->cap = 0;
}

void term_out_free(struct term_out *o)
{
    free(o->buf);
    o->buf = NULL;
    o->len = o->cap = 0;
}

void term_out_flush(struct term_out *o)
{
    size_t done = 0;
    while (o->fd >= 0 && done < o->len) {
        ssize_t n = write(o->fd, o->buf + done, o->len - done);
        if (n <= 0)
            break;                 /* the terminal went away: drop the frame */
        done += (size_t)n;
    }
    if (o->fd >= 0)
        o->len = 0;
}

/* Room for n more bytes: flush to the terminal, or grow (tests). */
static bool reserve(struct term_out *o, size_t n)
{
    if (o->len + n <= o->cap)
        return true;
    if (o->fd >= 0) {
        term_out_flush(o);
        if (n <= o->cap)
            return true;
    }
    size_t cap = o->cap ? o->cap : 1 << 16;
    while (cap < o->len + n)
        cap *= 2;
    char *b = realloc(o->buf, cap);
    if (!b)
        return false;
    o->buf = b;
    o->cap = cap;
    return true;
}

static void put_bytes(struct term_out *o, const char *s, size_t n)
{
    if (reserve(o, n)) {
        memcpy(o->buf + o->len, s, n);
        o->len += n;
        o->total += n;
    }
}

void term_out_bytes(struct term_out *o, const void *p, size_t n)
{
    put_bytes(o, p, n);
}

void term_out_str(struct term_out *o, const char *s)
{
    put_bytes(o, s, strlen(s));
}

void term_out_fmt(struct term_out *o, const char *fmt, ...)
{
    char tmp[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n > 0)
        put_bytes(o, tmp, (size_t)n < sizeof tmp ? (size_t)n : sizeof tmp - 1);
}

/* ---------------- code page 437 ---------------- */

/* Unicode for CP437 0x00-0x1F (the glyphs the VGA font draws there)... */
static const uint16_t cp437_low[32] = {
    0x0020, 0x263A, 0x263B, 0x2665, 0x2666, 0x2663, 0x2660, 0x2022,
    0x25D8, 0x25CB, 0x25D9, 0x2642, 0x2640, 0x266A, 0x266B, 0x263C,
    0x25BA, 0x25C4, 0x2195, 0x203C, 0x00B6, 0x00A7, 0x25AC, 0x21A8,
    0x2191, 0x2193, 0x2192, 0x2190, 0x221F, 0x2194, 0x25B2, 0x25BC,
};
/* ... and 0x7F-0xFF. */
static const uint16_t cp437_high[129] = {
    0x2302,
    0x00C7, 0x00FC, 0x00E9, 0x00E2, 0x00E4, 0x00E0, 0x00E5, 0x00E7,
    0x00EA, 0x00EB, 0x00E8, 0x00EF, 0x00EE, 0x00EC, 0x00C4, 0x00C5,
    0x00C9, 0x00E6, 0x00C6, 0x00F4, 0x00F6, 0x00F2, 0x00FB, 0x00F9,
    0x00FF, 0x00D6, 0x00DC, 0x00A2, 0x00A3, 0x00A5, 0x20A7, 0x0192,
    0x00E1, 0x00ED, 0x00F3, 0x00FA, 0x00F1, 0x00D1, 0x00AA, 0x00BA,
    0x00BF, 0x2310, 0x00AC, 0x00BD, 0x00BC, 0x00A1, 0x00AB, 0x00BB,
    0x2591, 0x2592, 0x2593, 0x2502, 0x2524, 0x2561, 0x2562, 0x2556,
    0x2555, 0x2563, 0x2551, 0x2557, 0x255D, 0x255C, 0x255B, 0x2510,
    0x2514, 0x2534, 0x252C, 0x251C, 0x2500, 0x253C, 0x255E, 0x255F,
    0x255A, 0x2554, 0x2569, 0x2566, 0x2560, 0x2550, 0x256C, 0x2567,
    0x2568, 0x2564, 0x2565, 0x2559, 0x2558, 0x2552, 0x2553, 0x256B,
    0x256A, 0x2518, 0x250C, 0x2588, 0x2584, 0x258C, 0x2590, 0x2580,
    0x03B1, 0x00DF, 0x0393, 0x03C0, 0x03A3, 0x03C3, 0x00B5, 0x03C4,
    0x03A6, 0x0398, 0x03A9, 0x03B4, 0x221E, 0x03C6, 0x03B5, 0x2229,
    0x2261, 0x00B1, 0x2265, 0x2264, 0x2320, 0x2321, 0x00F7, 0x2248,
    0x00B0, 0x2219, 0x00B7, 0x221A, 0x207F, 0x00B2, 0x25A0, 0x00A0,
};

void term_cp437(struct term_out *o, uint8_t ch)
{
    uint16_t u = ch < 0x20 ? cp437_low[ch] : ch < 0x7F ? ch : cp437_high[ch - 0x7F];
    char b[3];
    if (u < 0x80) {
        b[0] = (char)u;
        put_bytes(o, b, 1);
    } else if (u < 0x800) {
        b[0] = (char)(0xC0 | u >> 6);
        b[1] = (char)(0x80 | (u & 0x3F));
        put_bytes(o, b, 2);
    } else {
        b[0] = (char)(0xE0 | u >> 12);
        b[1] = (char)(0x80 | ((u >> 6) & 0x3F));
        b[2] = (char)(0x80 | (u & 0x3F));
        put_bytes(o, b, 3);
    }
}

/* ---------------- drawing ---------------- */

/* VGA colour index (blue = 1, red = 4) to ANSI (red = 1, blue = 4). */
static const char ansi_colour[8] = { '0', '4', '2', '6', '1', '5', '3', '7' };

enum { ATTR_UNKNOWN = 0x100 };

static void sgr(struct term_out *o, uint8_t a)
{
    char s[24];
    int fg = a & 7, bg = (a >> 4) & 7;
    snprintf(s, sizeof s, "\033[0;%c%c;4%c%sm", (a & 8) ? '9' : '3', ansi_colour[fg],
             ansi_colour[bg], (a & 0x80) ? ";5" : "");
    term_out_str(o, s);
}

static void move(struct term_screen *s, struct term_out *o, int col, int row)
{
    if (s->at_col != col || s->at_row != row)
        term_out_fmt(o, "\033[%d;%dH", row + 1, col + 1);
    s->at_col = col;
    s->at_row = row;
}

void term_screen_invalidate(struct term_screen *s)
{
    s->valid = false;
}

/* Everything cleared; the next frame draws every cell. */
static void clear_all(struct term_screen *s, struct term_out *o)
{
    term_out_str(o, "\033[0m\033[2J");
    s->at_col = s->at_row = -1;
    s->status[0] = 0;
    s->cur_col = s->cur_row = -1;
    s->valid = true;
}

static int draw_cells(struct term_screen *s, const struct console_display *d,
                      struct term_out *o, bool all)
{
    int drawn = 0;
    unsigned attr = ATTR_UNKNOWN;
    for (int row = 0; row < s->rows; row++) {
        for (int col = 0; col < s->cols; col++) {
            uint16_t c = d->cell(d->dev, col, row);
            uint16_t *shadow = &s->cells[row * TERM_MAX_COLS + col];
            if (!all && *shadow == c)
                continue;
            if (!drawn)
                term_out_str(o, "\033[?25l");     /* no cursor flicker while drawing */
            *shadow = c;
            move(s, o, col, row);
            if (attr != (unsigned)(c >> 8)) {
                attr = c >> 8;
                sgr(o, (uint8_t)attr);
            }
            term_cp437(o, (uint8_t)c);
            /* At the right margin terminals differ on where the cursor
             * goes: make the next cell move explicitly. */
            s->at_col = col + 1 < s->cols ? col + 1 : -1;
            drawn++;
        }
    }
    return drawn;
}

static bool draw_status(struct term_screen *s, const char *status, struct term_out *o, int row)
{
    if (!strcmp(status, s->status))
        return false;
    snprintf(s->status, sizeof s->status, "%s", status);
    int width = s->cols > 1 ? s->cols - 1 : 79;
    move(s, o, 0, row);
    term_out_fmt(o, "\033[0;7m%-*.*s\033[0m", width, width, status);
    s->at_col = -1;
    return true;
}

static void draw_cursor(struct term_screen *s, const struct console_display *d,
                        struct term_out *o, bool moved)
{
    int col, row;
    bool visible;
    d->cursor(d->dev, &col, &row, &visible);
    if (!moved && col == s->cur_col && row == s->cur_row && visible == s->cur_visible)
        return;
    s->at_col = s->at_row = -1;
    if (visible)
        term_out_fmt(o, "\033[%d;%dH\033[?25h", row + 1, col + 1);
    else
        term_out_str(o, "\033[?25l");
    s->cur_col = col;
    s->cur_row = row;
    s->cur_visible = visible;
}

static int graphics_notice(struct term_screen *s, const char *status, struct term_out *o)
{
    if (!s->valid || !s->graphics) {
        clear_all(s, o);
        s->graphics = true;
        s->cols = s->rows = 0;
        term_out_str(o, "\033[H\033[?25l[the VGA is in a graphics mode: not shown in a terminal]");
        s->at_col = -1;
    }
    draw_status(s, status, o, 1);
    return 0;
}

int term_screen_update(struct term_screen *s, const struct console_display *d,
                       const char *status, struct term_out *o)
{
    int cols, rows;
    if (!d->text_mode(d->dev, &cols, &rows))
        return graphics_notice(s, status, o);
    if (cols > TERM_MAX_COLS) cols = TERM_MAX_COLS;
    if (rows > TERM_MAX_ROWS) rows = TERM_MAX_ROWS;
    bool all = !s->valid || s->graphics || cols != s->cols || rows != s->rows;
    if (all) {
        clear_all(s, o);
        s->graphics = false;
        s->cols = cols;
        s->rows = rows;
    }
    uint64_t start = o->total;
    int drawn = draw_cells(s, d, o, all);
    bool st = draw_status(s, status, o, rows);
    draw_cursor(s, d, o, drawn || st);
    if (o->total != start)
        term_out_str(o, "\033[0m");
    return drawn;
}
