/* chardev.h -- what is plugged into a serial port: stdio, an output file,
 * a pseudo-terminal or nothing; input read without blocking into a bounded
 * buffer, or pushed by a frontend (the terminal console) or a test. */
#ifndef X86LAB_CHARDEV_H
#define X86LAB_CHARDEV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum chardev_kind {
    CHARDEV_NONE,        /* nothing connected: output dropped, no input */
    CHARDEV_STDIO,       /* stdout / stdin */
    CHARDEV_FILE,        /* output written to a file the user names (truncated) */
    CHARDEV_PTY,         /* a pseudo-terminal whose name is printed */
    CHARDEV_MEMORY,      /* tests and frontends: output to a sink, input pushed */
};

enum { CHARDEV_INBUF = 4096 };

/* chardev_getc's answers besides a byte. */
enum { CHARDEV_EMPTY = -1, CHARDEV_EOF = -2 };

struct chardev {
    enum chardev_kind kind;
    int in_fd, out_fd;         /* -1 when absent */
    int pty_slave;             /* held open: no hangup while nobody is attached */
    FILE *out;                 /* stdio: stdout, shared with the debug console */
    bool in_eof;
    uint8_t in[CHARDEV_INBUF]; /* bytes read but not yet taken by the UART */
    size_t in_head, in_len;
    char pty_name[128];
    /* A frontend that has taken the backend over: output goes to sink, and
     * input arrives only through chardev_push. */
    void (*sink)(void *opaque, uint8_t byte);
    void *sink_opaque;
    uint64_t written, read, dropped;
};

/* Opens the backend named by spec: stdio, mon:stdio, file:PATH, pty,
 * none (or null).  On failure returns -1 with a one-line reason in err. */
int chardev_open(struct chardev *c, const char *spec, char *err, size_t errlen);
/* An in-memory backend (CHARDEV_MEMORY) whose output goes to sink. */
void chardev_init_memory(struct chardev *c, void (*sink)(void *opaque, uint8_t byte),
                         void *opaque);
void chardev_close(struct chardev *c);

/* A frontend takes a stdio backend over (see struct chardev). */
void chardev_attach(struct chardev *c, void (*sink)(void *opaque, uint8_t byte), void *opaque);

/* Something is plugged in (the UART shows carrier and modem-ready). */
bool chardev_connected(const struct chardev *c);
/* Carrier (DCD): an input side that has not ended -- stdin at its end is
 * the other side hanging up; an output-only file is like a printer,
 * ready (CTS, DSR) but with no carrier. */
bool chardev_carrier(const struct chardev *c);
/* Input may still arrive (an input side that has not reached its end). */
bool chardev_may_input(const struct chardev *c);
/* The next input byte, CHARDEV_EMPTY when none is ready now, or
 * CHARDEV_EOF when the input has ended.  Never blocks. */
int chardev_getc(struct chardev *c);
void chardev_putc(struct chardev *c, uint8_t byte);
/* Queues input bytes (frontends, tests); returns how many fitted. */
size_t chardev_push(struct chardev *c, const uint8_t *p, size_t n);

#endif
