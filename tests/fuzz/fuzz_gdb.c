/* fuzz_gdb.c -- libFuzzer harness for the gdb remote stub without a TCP
 * socket: the stub's connection is one end of a socketpair, the input is
 * what gdb sends on the other.  Byte 0 bit 0 = 0: the rest goes through
 * the wire layer (framing, checksums, acks, Ctrl-C: gdbstub_proto.c) and
 * each packet to the handlers (gdbstub_cmd.c); bit 0 = 1: the rest is
 * packets one per line, given straight to the handlers (no checksums to
 * guess), in no-ack mode.  The stub serves a 2 MiB machine that never
 * runs (run control only prepares the next run); replies are drained. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "debugger/debug.h"
#include "debugger/gdbstub_int.h"
#include "machine/machine.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

enum { MAX_INPUT = 60000 };

static struct gdbstub *stub_get(void)
{
    static struct gdbstub *g;    /* libFuzzer's one process-wide harness state */
    if (g)
        return g;
    static struct machine m;
    struct machine_config cfg = { .ram_mb = 2, .model = CPU_P6, .no_reboot = true };
    if (machine_init(&m, &cfg) < 0 || !debug_attach(&m))
        abort();
    m.debugport.out = NULL;
    g = calloc(1, sizeof *g);
    g->m = &m;
    g->listen_fd = -1;
    g->xml_len = gdb_target_xml(g->xml, sizeof g->xml);
    m.dbg->stub = g;
    m.dbg->out = fopen("/dev/null", "w");
    return g;
}

static void drain(int fd)
{
    char buf[65536];
    while (recv(fd, buf, sizeof buf, MSG_DONTWAIT) > 0)
        continue;
}

/* Packets one per line, straight to the handlers. */
static void direct(struct gdbstub *g, const uint8_t *data, size_t size, int peer)
{
    static char pkt[GDB_PACKET_MAX + 1];
    g->conn.noack = true;
    size_t at = 0;
    while (at < size) {
        size_t n = 0;
        while (at < size && data[at] != '\n' && n < GDB_PACKET_MAX)
            pkt[n++] = (char)data[at++];
        at++;
        pkt[n] = 0;
        if (n == 0)
            continue;
        enum gdb_next next = gdbstub_packet(g, pkt, n);
        drain(peer);
        if (next == GDB_QUIT || next == GDB_GONE)
            break;
    }
}

/* The raw bytes through the wire layer. */
static void wire(struct gdbstub *g, int peer)
{
    for (;;) {
        int r = gdb_recv(&g->conn);
        if (r < 0)
            break;
        if (r == 0) {
            g->conn.interrupt = false;      /* Ctrl-C: nothing runs */
            continue;
        }
        enum gdb_next next = gdbstub_packet(g, g->conn.pkt, g->conn.pktlen);
        drain(peer);
        if (next == GDB_QUIT || next == GDB_GONE)
            break;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > MAX_INPUT)
        return 0;
    struct gdbstub *g = stub_get();
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
        abort();
    int big = 1 << 20;
    setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &big, sizeof big);
    setsockopt(sv[1], SOL_SOCKET, SO_RCVBUF, &big, sizeof big);
    gdb_conn_init(&g->conn, sv[0]);
    if (data[0] & 1) {
        direct(g, data + 1, size - 1, sv[1]);
    } else {
        if (write(sv[1], data + 1, size - 1) != (ssize_t)(size - 1))
            abort();
        shutdown(sv[1], SHUT_WR);
        wire(g, sv[1]);
    }
    gdbstub_drop_breakpoints(g);
    gdb_conn_close(&g->conn);
    close(sv[1]);
    return 0;
}
