/* linedit.c -- the monitor's small line editor for a terminal: cursor
 * movement (arrows, Home/End, Ctrl-A/E/B/F), Backspace/Delete, Ctrl-U/K/W,
 * history with Up/Down, Ctrl-C drops the line, Ctrl-D on an empty line
 * ends input.  The terminal is in raw mode only while a line is read. */
#include "monitor.h"

#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

enum { LINE_MAX_LEN = 400 };

struct edit {
    char buf[LINE_MAX_LEN + 1];
    int len, pos;
    int hist;                  /* history entry shown, nhistory = the new line */
    const char *prompt;
};

static void refresh(const struct edit *e)
{
    char seq[LINE_MAX_LEN + 64];
    int n = snprintf(seq, sizeof seq, "\r%s%.*s\033[K\r\033[%zuC", e->prompt, e->len, e->buf,
                     strlen(e->prompt) + (size_t)e->pos);
    if (e->pos + strlen(e->prompt) == 0)
        n = snprintf(seq, sizeof seq, "\r%s%.*s\033[K\r", e->prompt, e->len, e->buf);
    if (write(STDOUT_FILENO, seq, (size_t)n) < 0)
        return;
}

static void insert(struct edit *e, char ch)
{
    if (e->len >= LINE_MAX_LEN)
        return;
    memmove(e->buf + e->pos + 1, e->buf + e->pos, (size_t)(e->len - e->pos));
    e->buf[e->pos++] = ch;
    e->len++;
}

static void delete_at(struct edit *e, int at, int n)
{
    if (at < 0 || n <= 0 || at + n > e->len)
        return;
    memmove(e->buf + at, e->buf + at + n, (size_t)(e->len - at - n));
    e->len -= n;
    if (e->pos > at)
        e->pos = e->pos >= at + n ? e->pos - n : at;
}

static void show_history(struct edit *e, struct monitor *mon, int dir)
{
    int h = e->hist + dir;
    if (h < 0 || h > mon->nhistory)
        return;
    e->hist = h;
    const char *s = h == mon->nhistory ? "" : mon->history[h];
    snprintf(e->buf, sizeof e->buf, "%s", s);
    e->len = e->pos = (int)strlen(e->buf);
}

/* An escape sequence after ESC: arrows, Home, End, Delete. */
static void escape(struct edit *e, struct monitor *mon)
{
    char s[3] = { 0, 0, 0 };
    if (read(STDIN_FILENO, s, 1) != 1 || read(STDIN_FILENO, s + 1, 1) != 1)
        return;
    if (s[1] >= '0' && s[1] <= '9' && read(STDIN_FILENO, s + 2, 1) != 1)
        return;
    switch (s[1]) {
    case 'A': show_history(e, mon, -1); break;
    case 'B': show_history(e, mon, 1); break;
    case 'C': if (e->pos < e->len) e->pos++; break;
    case 'D': if (e->pos > 0) e->pos--; break;
    case 'H': case '1': e->pos = 0; break;
    case 'F': case '4': e->pos = e->len; break;
    case '3': delete_at(e, e->pos, 1); break;
    }
}

/* One key; returns 1 at Enter, -1 at end of input, 0 otherwise. */
static int key(struct edit *e, struct monitor *mon, char ch)
{
    switch (ch) {
    case '\r': case '\n': return 1;
    case 4: if (e->len == 0) return -1; delete_at(e, e->pos, 1); break;   /* Ctrl-D */
    case 3: e->len = e->pos = 0; return 1;                                 /* Ctrl-C */
    case 1: e->pos = 0; break;                                            /* Ctrl-A */
    case 5: e->pos = e->len; break;                                       /* Ctrl-E */
    case 2: if (e->pos > 0) e->pos--; break;                              /* Ctrl-B */
    case 6: if (e->pos < e->len) e->pos++; break;                         /* Ctrl-F */
    case 11: e->len = e->pos; break;                                      /* Ctrl-K */
    case 21: delete_at(e, 0, e->pos); break;                              /* Ctrl-U */
    case 16: show_history(e, mon, -1); break;                             /* Ctrl-P */
    case 14: show_history(e, mon, 1); break;                              /* Ctrl-N */
    case 23: {                                                            /* Ctrl-W */
        int at = e->pos;
        while (at > 0 && e->buf[at - 1] == ' ')
            at--;
        while (at > 0 && e->buf[at - 1] != ' ')
            at--;
        delete_at(e, at, e->pos - at);
        break;
    }
    case 127: case 8: delete_at(e, e->pos - 1, 1); break;
    case 27: escape(e, mon); break;
    default:
        if ((unsigned char)ch >= 32)
            insert(e, ch);
    }
    return 0;
}

void linedit_add_history(struct monitor *mon, const char *line)
{
    if (!line[0] || (mon->nhistory && !strcmp(mon->history[mon->nhistory - 1], line)))
        return;
    char *copy = strdup(line);
    if (!copy)
        return;
    if (mon->nhistory == MON_HISTORY) {
        free(mon->history[0]);
        memmove(mon->history, mon->history + 1, (MON_HISTORY - 1) * sizeof *mon->history);
        mon->nhistory--;
    }
    mon->history[mon->nhistory++] = copy;
}

char *linedit_read(struct monitor *mon, const char *prompt)
{
    struct termios saved, raw;
    if (tcgetattr(STDIN_FILENO, &saved) < 0)
        return NULL;
    raw = saved;
    raw.c_lflag &= ~(tcflag_t)(ICANON | ECHO | ISIG | IEXTEN);
    raw.c_iflag &= ~(tcflag_t)(IXON | ICRNL);
    raw.c_cc[VMIN] = 1;
    raw.c_cc[VTIME] = 0;
    tcsetattr(STDIN_FILENO, TCSANOW, &raw);     /* keep typed-ahead input */
    fflush(stdout);
    struct edit e = { .hist = mon->nhistory, .prompt = prompt };
    int done = 0;
    refresh(&e);
    while (!done) {
        char ch;
        if (read(STDIN_FILENO, &ch, 1) != 1) {
            done = -1;
            break;
        }
        done = key(&e, mon, ch);
        refresh(&e);
    }
    tcsetattr(STDIN_FILENO, TCSANOW, &saved);
    if (write(STDOUT_FILENO, "\n", 1) < 0)
        return NULL;
    if (done < 0)
        return NULL;
    e.buf[e.len] = 0;
    linedit_add_history(mon, e.buf);
    return strdup(e.buf);
}
