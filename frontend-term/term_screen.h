/* term_screen.h -- the VGA text screen in a terminal: ANSI colours, CP437 as
 * UTF-8, the cursor and a status line; a shadow copy of what the terminal
 * shows lets each frame redraw only the cells that changed. */
#ifndef X86LAB_TERM_SCREEN_H
#define X86LAB_TERM_SCREEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum { TERM_MAX_COLS = 160, TERM_MAX_ROWS = 64, TERM_STATUS_MAX = 160 };

/* Where the text screen comes from (the VGA, or a test). */
struct console_display {
    bool (*text_mode)(const void *dev, int *cols, int *rows);
    uint16_t (*cell)(const void *dev, int col, int row);   /* char | attr << 8 */
    void (*cursor)(const void *dev, int *col, int *row, bool *visible);
    const void *dev;
};

/* Output gathered for one write. */
struct term_out {
    char *buf;
    size_t len, cap;
    uint64_t total;              /* bytes ever appended */
    int fd;                      /* flushed there when full, -1: grow instead */
};

void term_out_init(struct term_out *o, int fd);
void term_out_free(struct term_out *o);
void term_out_str(struct term_out *o, const char *s);
void term_out_bytes(struct term_out *o, const void *p, size_t n);
void term_out_fmt(struct term_out *o, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void term_out_flush(struct term_out *o);

struct term_screen {
    uint16_t cells[TERM_MAX_ROWS * TERM_MAX_COLS];   /* what the terminal shows */
    int cols, rows;              /* 0 when the terminal shows no text screen */
    bool valid;                  /* false: the next frame redraws everything */
    bool graphics;               /* the graphics-mode notice is shown */
    int cur_col, cur_row;
    bool cur_visible;
    char status[TERM_STATUS_MAX];
    int at_col, at_row;          /* where the terminal's cursor is after output */
};

void term_screen_invalidate(struct term_screen *s);
/* Appends what brings the terminal up to date with the display and the
 * status text; returns the number of cells redrawn. */
int term_screen_update(struct term_screen *s, const struct console_display *d,
                       const char *status, struct term_out *o);
/* Appends the UTF-8 form of a code page 437 character. */
void term_cp437(struct term_out *o, uint8_t ch);

#endif
