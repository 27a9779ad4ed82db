/* gdbstub_proto.c -- the gdb remote protocol's wire layer: TCP listener,
 * $data#cc framing with checksums, +/- acknowledgements (until
 * QStartNoAckMode), Ctrl-C outside packets, hex and binary encodings. */
#include "gdbstub_proto.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int gdb_listen(const char *host, int port, char *err, size_t len)
{
    struct addrinfo hints = { .ai_family = AF_INET, .ai_socktype = SOCK_STREAM,
                              .ai_flags = AI_PASSIVE };
    struct addrinfo *ai;
    char portstr[16];
    snprintf(portstr, sizeof portstr, "%d", port);
    int r = getaddrinfo(host && *host ? host : NULL, portstr, &hints, &ai);
    if (r) {
        snprintf(err, len, "cannot resolve '%s': %s", host, gai_strerror(r));
        return -1;
    }
    int fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, 0);
    int one = 1;
    if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) < 0 ||
        bind(fd, ai->ai_addr, ai->ai_addrlen) < 0 || listen(fd, 1) < 0) {
        snprintf(err, len, "cannot listen on %s:%d: %s", host && *host ? host : "*",
                 port, strerror(errno));
        if (fd >= 0)
            close(fd);
        fd = -1;
    }
    freeaddrinfo(ai);
    return fd;
}

int gdb_local_port(int fd)
{
    struct sockaddr_in a;
    socklen_t alen = sizeof a;
    if (getsockname(fd, (struct sockaddr *)&a, &alen) < 0)
        return -1;
    return ntohs(a.sin_port);
}

void gdb_conn_init(struct gdb_conn *c, int fd)
{
    memset(c, 0, sizeof *c);
    c->fd = fd;
}

int gdb_accept(struct gdb_conn *c, int listen_fd)
{
    int fd;
    do
        fd = accept4(listen_fd, NULL, NULL, SOCK_CLOEXEC);
    while (fd < 0 && errno == EINTR);
    if (fd < 0)
        return -1;
    int one = 1;     /* packets are small and answered at once */
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    gdb_conn_init(c, fd);
    return 0;
}

void gdb_conn_close(struct gdb_conn *c)
{
    if (c->fd >= 0)
        close(c->fd);
    c->fd = -1;
}

static int write_all(struct gdb_conn *c, const void *p, size_t n)
{
    const char *s = p;
    while (n) {
        ssize_t w = send(c->fd, s, n, MSG_NOSIGNAL);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        s += w;
        n -= (size_t)w;
    }
    return 0;
}

/* Refills rbuf: 1 when bytes came, 0 when none (non-blocking), -1 at EOF,
 * -2 when a signal interrupted a blocking wait (SIGTERM: x86lab ends). */
static int fill(struct gdb_conn *c, bool block)
{
    if (c->rpos < c->rlen)
        return 1;
    ssize_t n = recv(c->fd, c->rbuf, sizeof c->rbuf, block ? 0 : MSG_DONTWAIT);
    if (n < 0 && errno == EINTR)
        return block ? -2 : 0;
    if (n < 0 && !block && (errno == EAGAIN || errno == EWOULDBLOCK))
        return 0;
    if (n <= 0)
        return -1;
    c->rpos = 0;
    c->rlen = (size_t)n;
    return 1;
}

static int hexval(int ch)
{
    if (ch >= '0' && ch <= '9')
        return ch - '0';
    if (ch >= 'a' && ch <= 'f')
        return ch - 'a' + 10;
    if (ch >= 'A' && ch <= 'F')
        return ch - 'A' + 10;
    return -1;
}

/* One byte through the packet state machine: 1 when a whole packet with
 * a good checksum is in c->pkt (acknowledged), 0 otherwise, -1 on a
 * write error. */
static int feed(struct gdb_conn *c, uint8_t b)
{
    switch (c->state) {
    case 0:
        if (b == 0x03)
            c->interrupt = true;
        else if (b == '$') {
            c->state = 1;
            c->sum = 0;
            c->pktlen = 0;
        }
        return 0;              /* stray acks and noise are dropped */
    case 1:
        if (b == '#') {
            c->state = 2;
            return 0;
        }
        c->sum = (uint8_t)(c->sum + b);
        if (c->pktlen < GDB_PACKET_MAX)
            c->pkt[c->pktlen++] = (char)b;
        return 0;
    case 2:
        c->csum[0] = (char)b;
        c->state = 3;
        return 0;
    default: {
        c->state = 0;
        int hi = hexval(c->csum[0]), lo = hexval(b);
        bool good = hi >= 0 && lo >= 0 && (uint8_t)(hi * 16 + lo) == c->sum;
        if (!c->noack && write_all(c, good ? "+" : "-", 1) < 0)
            return -1;
        if (!good && !c->noack)
            return 0;          /* gdb sends it again */
        c->pkt[c->pktlen] = 0;
        return 1;
    }
    }
}

int gdb_recv(struct gdb_conn *c)
{
    for (;;) {
        if (c->interrupt && c->state == 0)
            return 0;
        int r = fill(c, true);
        if (r < 0)
            return r;
        while (c->rpos < c->rlen) {
            int f = feed(c, c->rbuf[c->rpos++]);
            if (f < 0)
                return -1;
            if (f == 1)
                return 1;
        }
    }
}

/* Only looks for Ctrl-C: bytes of a packet (gdb sends none while the
 * target runs, in all-stop mode) stay buffered for gdb_recv. */
int gdb_poll(struct gdb_conn *c)
{
    for (;;) {
        int r = fill(c, false);
        if (r <= 0)
            return r;
        while (c->rpos < c->rlen && c->state == 0 && c->rbuf[c->rpos] != '$') {
            if (c->rbuf[c->rpos] == 0x03)
                c->interrupt = true;
            c->rpos++;
        }
        if (c->rpos < c->rlen)
            return 0;
    }
}

static bool must_escape(uint8_t b)
{
    return b == '#' || b == '$' || b == '}' || b == '*';
}

/* Waits for gdb's '+': 1 acked, 0 nak (resend), -1 gone. */
static int wait_ack(struct gdb_conn *c)
{
    for (;;) {
        int r = fill(c, true);
        if (r == -2)
            continue;
        if (r < 0)
            return -1;
        uint8_t b = c->rbuf[c->rpos++];
        if (b == '+')
            return 1;
        if (b == '-')
            return 0;
        if (b == 0x03)
            c->interrupt = true;
    }
}

int gdb_send(struct gdb_conn *c, const char *data, size_t len)
{
    static const char digits[] = "0123456789abcdef";
    char out[2 * GDB_PACKET_MAX + 8];
    size_t n = 0;
    uint8_t sum = 0;
    out[n++] = '$';
    for (size_t k = 0; k < len && n < sizeof out - 8; k++) {
        uint8_t b = (uint8_t)data[k];
        if (must_escape(b)) {
            out[n++] = '}';
            sum = (uint8_t)(sum + '}');
            b ^= 0x20;
        }
        out[n++] = (char)b;
        sum = (uint8_t)(sum + b);
    }
    out[n++] = '#';
    out[n++] = digits[sum >> 4];
    out[n++] = digits[sum & 15];
    for (int tries = 0; tries < 10; tries++) {
        if (write_all(c, out, n) < 0)
            return -1;
        if (c->noack)
            return 0;
        int a = wait_ack(c);
        if (a != 0)
            return a < 0 ? -1 : 0;
    }
    return -1;               /* a line that garbles every copy: give up */
}

int gdb_send_str(struct gdb_conn *c, const char *s)
{
    return gdb_send(c, s, strlen(s));
}

void gdb_hex(char *out, const uint8_t *data, size_t n)
{
    static const char digits[] = "0123456789abcdef";
    for (size_t k = 0; k < n; k++) {
        out[2 * k] = digits[data[k] >> 4];
        out[2 * k + 1] = digits[data[k] & 15];
    }
    out[2 * n] = 0;
}

int gdb_unhex(uint8_t *out, const char *hex, size_t n)
{
    size_t k;
    for (k = 0; k < n && hex[2 * k] && hex[2 * k + 1]; k++) {
        int hi = hexval(hex[2 * k]), lo = hexval(hex[2 * k + 1]);
        if (hi < 0 || lo < 0)
            return -1;
        out[k] = (uint8_t)(hi * 16 + lo);
    }
    return (int)k;
}

int gdb_parse_hex(const char *s, uint32_t *v, const char **end)
{
    uint64_t x = 0;
    const char *p = s;
    while (hexval(*p) >= 0) {
        x = (x << 4) | (uint64_t)hexval(*p++);
        if (x > 0xFFFFFFFFull)
            return -1;
    }
    if (p == s)
        return -1;
    *v = (uint32_t)x;
    if (end)
        *end = p;
    return 0;
}

size_t gdb_unescape(uint8_t *data, size_t len)
{
    size_t o = 0;
    for (size_t k = 0; k < len; k++) {
        if (data[k] == '}' && k + 1 < len)
            data[o++] = data[++k] ^ 0x20;
        else
            data[o++] = data[k];
    }
    return o;
}
