/* chardev.c -- the serial backends: opening stdio, file:PATH, pty and none,
 * reading input without blocking (poll with a zero timeout, never
 * O_NONBLOCK on stdin, which the shell shares) and writing output. */
#include "chardev.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

static void reset_fields(struct chardev *c, enum chardev_kind kind)
{
    memset(c, 0, sizeof *c);
    c->kind = kind;
    c->in_fd = c->out_fd = c->pty_slave = -1;
}

static int open_file(struct chardev *c, const char *path, char *err, size_t errlen)
{
    if (!*path) {
        snprintf(err, errlen, "file: needs a path (file:PATH)");
        return -1;
    }
    c->out_fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (c->out_fd < 0) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return -1;
    }
    return 0;
}

/* A pseudo-terminal: we keep the master; whoever opens the printed slave
 * name (screen, minicom, picocom) talks to the guest.  The slave is put in
 * raw mode so the line discipline neither echoes guest output back into
 * the guest nor edits lines, and we hold it open ourselves so the master
 * never reads a hangup while nobody is attached. */
static int open_pty(struct chardev *c, char *err, size_t errlen)
{
    int m = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (m < 0 || grantpt(m) < 0 || unlockpt(m) < 0 ||
        ptsname_r(m, c->pty_name, sizeof c->pty_name) != 0) {
        snprintf(err, errlen, "pty: %s", strerror(errno));
        if (m >= 0)
            close(m);
        return -1;
    }
    int s = open(c->pty_name, O_RDWR | O_NOCTTY | O_CLOEXEC);
    struct termios t;
    if (s < 0 || tcgetattr(s, &t) < 0) {
        snprintf(err, errlen, "pty %s: %s", c->pty_name, strerror(errno));
        close(m);
        if (s >= 0)
            close(s);
        return -1;
    }
    cfmakeraw(&t);
    tcsetattr(s, TCSANOW, &t);
    /* Our own descriptor: a full pty buffer drops output instead of
     * stopping the emulator. */
    fcntl(m, F_SETFL, fcntl(m, F_GETFL) | O_NONBLOCK);
    c->in_fd = c->out_fd = m;
    c->pty_slave = s;
    return 0;
}

int chardev_open(struct chardev *c, const char *spec, char *err, size_t errlen)
{
    if (!strcmp(spec, "none") || !strcmp(spec, "null")) {
        reset_fields(c, CHARDEV_NONE);
        return 0;
    }
    if (!strcmp(spec, "stdio") || !strcmp(spec, "mon:stdio")) {
        /* mon:stdio is stdio: the terminal console's Ctrl-A escapes are
         * always on, and the monitor comes later. */
        reset_fields(c, CHARDEV_STDIO);
        c->in_fd = STDIN_FILENO;
        c->out = stdout;
        return 0;
    }
    if (!strncmp(spec, "file:", 5)) {
        reset_fields(c, CHARDEV_FILE);
        return open_file(c, spec + 5, err, errlen);
    }
    if (!strcmp(spec, "pty")) {
        reset_fields(c, CHARDEV_PTY);
        return open_pty(c, err, errlen);
    }
    reset_fields(c, CHARDEV_NONE);
    snprintf(err, errlen, "unknown backend '%s' (stdio, mon:stdio, file:PATH, pty, none)", spec);
    return -1;
}

void chardev_init_memory(struct chardev *c, void (*sink)(void *opaque, uint8_t byte),
                         void *opaque)
{
    reset_fields(c, CHARDEV_MEMORY);
    c->sink = sink;
    c->sink_opaque = opaque;
}

void chardev_close(struct chardev *c)
{
    if (c->kind == CHARDEV_FILE || c->kind == CHARDEV_PTY)
        close(c->out_fd);
    if (c->pty_slave >= 0)
        close(c->pty_slave);
    if (c->out)
        fflush(c->out);
    reset_fields(c, CHARDEV_NONE);
}

void chardev_attach(struct chardev *c, void (*sink)(void *opaque, uint8_t byte), void *opaque)
{
    c->sink = sink;
    c->sink_opaque = opaque;
    c->in_fd = -1;             /* the frontend reads the terminal itself */
    c->in_eof = false;
}

bool chardev_connected(const struct chardev *c)
{
    return c && c->kind != CHARDEV_NONE;
}

bool chardev_carrier(const struct chardev *c)
{
    return chardev_connected(c) && (c->in_fd >= 0 || c->sink) && !c->in_eof;
}

bool chardev_may_input(const struct chardev *c)
{
    if (!c || c->in_len)
        return c != NULL;
    if (c->sink)               /* pushed by a frontend or a test */
        return true;
    return c->in_fd >= 0 && !c->in_eof;
}

/* Moves whatever the input descriptor holds now into the buffer. */
static void fill(struct chardev *c)
{
    if (c->in_fd < 0 || c->in_eof || c->in_len == CHARDEV_INBUF)
        return;
    struct pollfd p = { .fd = c->in_fd, .events = POLLIN };
    if (poll(&p, 1, 0) <= 0 || !(p.revents & (POLLIN | POLLHUP | POLLERR)))
        return;
    /* Read only into the contiguous free part after the tail. */
    size_t tail = (c->in_head + c->in_len) % CHARDEV_INBUF;
    size_t room = CHARDEV_INBUF - c->in_len;
    if (tail + room > CHARDEV_INBUF)
        room = CHARDEV_INBUF - tail;
    ssize_t n = read(c->in_fd, c->in + tail, room);
    if (n > 0)
        c->in_len += (size_t)n;
    else if (n == 0 && c->kind != CHARDEV_PTY)
        c->in_eof = true;
    else if (n < 0 && errno != EAGAIN && errno != EINTR && c->kind != CHARDEV_PTY)
        c->in_eof = true;
}

int chardev_getc(struct chardev *c)
{
    if (!c->in_len)
        fill(c);
    if (!c->in_len)
        return c->in_eof || (c->in_fd < 0 && !c->sink) ? CHARDEV_EOF : CHARDEV_EMPTY;
    uint8_t b = c->in[c->in_head];
    c->in_head = (c->in_head + 1) % CHARDEV_INBUF;
    c->in_len--;
    c->read++;
    return b;
}

size_t chardev_push(struct chardev *c, const uint8_t *p, size_t n)
{
    size_t k = 0;
    for (; k < n && c->in_len < CHARDEV_INBUF; k++) {
        c->in[(c->in_head + c->in_len) % CHARDEV_INBUF] = p[k];
        c->in_len++;
    }
    return k;
}

void chardev_putc(struct chardev *c, uint8_t byte)
{
    if (c->sink) {
        c->sink(c->sink_opaque, byte);
    } else if (c->out) {
        /* stdout is shared with the debug console: one FILE keeps the
         * order, and bytes show as they come. */
        fputc(byte, c->out);
        fflush(c->out);
    } else if (c->out_fd >= 0) {
        if (write(c->out_fd, &byte, 1) != 1) {
            c->dropped++;          /* full pty nobody reads, or a full disk */
            return;
        }
    } else {
        c->dropped++;
        return;
    }
    c->written++;
}
