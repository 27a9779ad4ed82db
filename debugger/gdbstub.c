/* gdbstub.c -- the gdb remote stub's life: the listener (-s, -gdb, -S),
 * gdb connecting before or while the guest runs, the frontend the
 * debugger core calls at every stop while gdb is attached (stop reply,
 * then packets until gdb resumes, detaches or kills), Ctrl-C and new
 * connections looked for on a recurring virtual-clock timer, and the
 * W/X packet when the guest's run ends.  Packets: gdbstub_cmd.c. */
#include "gdbstub_int.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "debugger/debug.h"
#include "machine/machine.h"

enum { POLL_NS = 10 * 1000 * 1000 };   /* Ctrl-C latency, in virtual time */

int gdbstub_parse_spec(const char *spec, char *host, size_t hostlen, int *port)
{
    const char *p = spec;
    if (!strncmp(p, "tcp:", 4))
        p += 4;
    const char *colon = strrchr(p, ':');
    const char *num = colon ? colon + 1 : p;
    size_t hlen = colon ? (size_t)(colon - p) : 0;
    char *end;
    long v = strtol(num, &end, 10);
    if (!*num || *end || v < 0 || v > 65535 || hlen >= hostlen)
        return -1;
    memcpy(host, p, hlen);
    host[hlen] = 0;
    *port = (int)v;
    return 0;
}

static struct gdbstub *stub_of(struct machine *m)
{
    return m->dbg ? m->dbg->stub : NULL;
}

/* gdb is gone (D, or the connection closed): its breakpoints go, the
 * guest runs on, and the monitor takes later stops again. */
static void disconnect(struct gdbstub *g)
{
    gdbstub_drop_breakpoints(g);
    gdb_conn_close(&g->conn);
    g->running = false;
    g->m->dbg->stub_stopped = NULL;
}

/* Packets until one resumes the guest.  What the debugger core does next. */
static enum dbg_action serve(struct gdbstub *g)
{
    struct debugger *d = g->m->dbg;
    for (;;) {
        int r = gdb_recv(&g->conn);
        if (r == -2) {
            if (g->m->quit_signal)      /* SIGTERM, SIGINT, SIGHUP: x86lab ends */
                return DBG_QUIT;
            continue;
        }
        if (r == 0) {
            g->conn.interrupt = false;  /* Ctrl-C while stopped: nothing to do */
            continue;
        }
        enum gdb_next next = r < 0 ? GDB_GONE : gdbstub_packet(g, g->conn.pkt, g->conn.pktlen);
        switch (next) {
        case GDB_SERVE:
            break;
        case GDB_RESUME:
            return DBG_RESUME;
        case GDB_QUIT:
            gdb_conn_close(&g->conn);
            return DBG_QUIT;
        case GDB_GONE:
            disconnect(g);
            debug_resume(d, DBG_RUN_CONT, 0);
            return DBG_RESUME;
        }
    }
}

/* The debugger core's frontend while gdb is attached. */
static enum dbg_action stub_stopped(struct machine *m)
{
    struct gdbstub *g = stub_of(m);
    if (!g)                     /* gdb detached meanwhile: run on */
        return DBG_RESUME;
    if (g->running) {
        gdbstub_stop_reply(g, g->reply, sizeof g->reply);
        g->running = false;
        if (gdb_send_str(&g->conn, g->reply) < 0) {
            disconnect(g);
            debug_resume(m->dbg, DBG_RUN_CONT, 0);
            return DBG_RESUME;
        }
    }
    return serve(g);
}

static void connected(struct gdbstub *g)
{
    g->running = false;
    g->interrupted = false;
    g->swbreak = g->hwbreak = false;
    g->m->dbg->stub_stopped = stub_stopped;
    fprintf(stderr, "x86lab: gdb connected on port %d\n", g->port);
}

/* The recurring timer: a Ctrl-C from gdb, a gdb gone, or a new gdb. */
static void poll_tick(void *opaque)
{
    struct gdbstub *g = opaque;
    struct machine *m = g->m;
    if (g->conn.fd >= 0) {
        if (gdb_poll(&g->conn) < 0) {
            fprintf(stderr, "x86lab: gdb went away; the guest runs on\n");
            disconnect(g);
        } else if (g->conn.interrupt) {
            g->conn.interrupt = false;
            g->interrupted = true;
            debug_request_stop(m);
        }
    } else if (gdb_accept(&g->conn, g->listen_fd) == 0) {
        connected(g);
        debug_request_stop(m);      /* gdb expects a stopped target */
    }
    timer_arm(&m->clock, &g->poll, vclock_now(&m->clock) + POLL_NS);
}

/* -S: blocks until gdb connects; a signal (SIGINT, SIGTERM) gives up. */
static int wait_for_gdb(struct gdbstub *g, char *err, size_t len)
{
    fprintf(stderr, "x86lab: waiting for gdb on port %d (target remote :%d)\n",
            g->port, g->port);
    for (;;) {
        struct pollfd p = { .fd = g->listen_fd, .events = POLLIN };
        int r = poll(&p, 1, 200);
        if (g->m->quit_signal) {
            snprintf(err, len, "-S: stopped by a signal while waiting for gdb");
            return -1;
        }
        if (g->m->wait_poll)
            g->m->wait_poll(g->m->wait_poll_opaque);
        if (g->m->quit_pending)
            return 0;               /* Ctrl-A x: the run ends at once, status 0 */
        if (r > 0 && gdb_accept(&g->conn, g->listen_fd) == 0) {
            connected(g);
            return 0;
        }
        if (r < 0 && errno != EINTR) {
            snprintf(err, len, "-S: waiting for gdb: %s", strerror(errno));
            return -1;
        }
    }
}

int gdbstub_start(struct machine *m, const char *spec, bool wait, char *err, size_t len)
{
    char host[256];
    int port;
    if (gdbstub_parse_spec(spec, host, sizeof host, &port) < 0) {
        snprintf(err, len, "-gdb: expected tcp::PORT or tcp:HOST:PORT, not '%s'", spec);
        return -1;
    }
    struct debugger *d = debug_attach(m);
    struct gdbstub *g = d ? calloc(1, sizeof *g) : NULL;
    if (!g) {
        snprintf(err, len, "-gdb: out of memory");
        return -1;
    }
    g->m = m;
    g->conn.fd = -1;
    g->listen_fd = gdb_listen(host, port, err, len);
    if (g->listen_fd < 0) {
        free(g);
        return -1;
    }
    g->port = gdb_local_port(g->listen_fd);
    g->xml_len = gdb_target_xml(g->xml, sizeof g->xml);
    fcntl(g->listen_fd, F_SETFL, fcntl(g->listen_fd, F_GETFL) | O_NONBLOCK);
    d->stub = g;
    if (!wait)
        fprintf(stderr, "x86lab: gdb stub on port %d (target remote :%d)\n", g->port, g->port);
    if (wait && wait_for_gdb(g, err, len) < 0) {
        close(g->listen_fd);
        d->stub = NULL;
        free(g);
        return -1;
    }
    timer_init(&g->poll, poll_tick, g);
    timer_arm(&m->clock, &g->poll, vclock_now(&m->clock) + POLL_NS);
    return 0;
}

void gdbstub_finish(struct machine *m, int status)
{
    struct gdbstub *g = stub_of(m);
    if (!g)
        return;
    if (g->conn.fd >= 0 && g->running) {
        char msg[16];
        if (status >= 128)
            snprintf(msg, sizeof msg, "X%02x", (status - 128) & 0xFF);
        else
            snprintf(msg, sizeof msg, "W%02x", status & 0xFF);
        gdb_send_str(&g->conn, msg);
    }
    gdb_conn_close(&g->conn);
    timer_cancel(&m->clock, &g->poll);
    close(g->listen_fd);
    m->dbg->stub = NULL;
    m->dbg->stub_stopped = NULL;
    free(g);
}
