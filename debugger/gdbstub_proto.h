/* gdbstub_proto.h -- the wire layer of the gdb remote stub: the TCP
 * listener, packet framing ($data#cc) with checksums and acknowledgements
 * (+/-, switched off by QStartNoAckMode), the out-of-band Ctrl-C (0x03),
 * and the hex and binary encodings packets use.  No machine state here, so
 * a unit test can drive it over a socketpair. */
#ifndef X86LAB_GDBSTUB_PROTO_H
#define X86LAB_GDBSTUB_PROTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum { GDB_PACKET_MAX = 16384 };   /* our PacketSize (qSupported) */

struct gdb_conn {
    int fd;                      /* the connected gdb, -1 when none */
    bool noack;                  /* QStartNoAckMode accepted */
    bool interrupt;              /* a Ctrl-C (0x03) arrived */
    uint8_t rbuf[4096];          /* bytes read, not yet consumed */
    size_t rpos, rlen;
    char pkt[GDB_PACKET_MAX + 1];  /* the last packet received, NUL-ended */
    size_t pktlen;
    /* A packet being assembled across polls (gdb_poll). */
    int state;                   /* 0 outside, 1 data, 2-3 checksum digits */
    uint8_t sum;
    char csum[2];
};

/* Listening socket on host:port (host "" or NULL: every address); port 0
 * picks a free one.  Returns the fd, or -1 with a sentence in err. */
int gdb_listen(const char *host, int port, char *err, size_t len);
/* The port a listening socket is bound to, or -1. */
int gdb_local_port(int fd);
/* Waits for gdb on a listening socket; the connection in c. */
int gdb_accept(struct gdb_conn *c, int listen_fd);
void gdb_conn_init(struct gdb_conn *c, int fd);
void gdb_conn_close(struct gdb_conn *c);

/* Reads the next packet (blocking): 1 with the packet in c->pkt, 0 when a
 * lone Ctrl-C came instead (c->interrupt set), -1 when gdb went away, -2
 * when a signal interrupted the wait. */
int gdb_recv(struct gdb_conn *c);
/* Reads what is there without blocking: sets c->interrupt on a Ctrl-C and
 * keeps packets that arrive for gdb_recv.  -1 when gdb went away. */
int gdb_poll(struct gdb_conn *c);
/* Sends one packet (escaping what must be) and, unless in no-ack mode,
 * waits for gdb's '+' (resending on '-').  0, or -1 when gdb went away. */
int gdb_send(struct gdb_conn *c, const char *data, size_t len);
int gdb_send_str(struct gdb_conn *c, const char *s);

/* Hex helpers: two digits per byte, low address first. */
void gdb_hex(char *out, const uint8_t *data, size_t n);
/* Decodes up to n bytes of hex; returns how many, -1 on a bad digit. */
int gdb_unhex(uint8_t *out, const char *hex, size_t n);
/* Parses a hex number up to a character not a hex digit; *end after it.
 * -1 when there is no digit. */
int gdb_parse_hex(const char *s, uint32_t *v, const char **end);
/* Undoes the '}' escape of binary data (X packets) in place; the length. */
size_t gdb_unescape(uint8_t *data, size_t len);

#endif
