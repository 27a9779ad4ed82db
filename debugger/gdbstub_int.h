/* gdbstub_int.h -- the gdb stub's own state, shared by its connection and
 * run-control half (gdbstub.c) and its packet handlers (gdbstub_cmd.c). */
#ifndef X86LAB_GDBSTUB_INT_H
#define X86LAB_GDBSTUB_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "debugger/gdbstub.h"
#include "debugger/gdbstub_proto.h"
#include "machine/clock.h"

enum { GDB_MAX_BP = 32 };

/* A breakpoint or watchpoint gdb inserted (Z packets), and the debugger
 * core's breakpoint that implements it. */
struct gdb_bp {
    int type;                    /* Z type 0-4 */
    uint32_t addr, len;
    int id;                      /* debug_bp_add's id; 0 = free */
};

/* What a packet handler tells the serving loop. */
enum gdb_next { GDB_SERVE, GDB_RESUME, GDB_QUIT, GDB_GONE };

struct gdbstub {
    struct machine *m;
    int listen_fd;
    int port;
    struct gdb_conn conn;        /* conn.fd < 0: gdb is not connected */
    bool running;                /* gdb waits for a stop reply */
    bool interrupted;            /* the stop was gdb's Ctrl-C */
    bool swbreak, hwbreak;       /* gdb understands these stop reasons */
    int thread;                  /* Hg: the CPU (thread id - 1) whose registers
                                  * gdb reads and writes; -1: the current one */
    struct timer poll;           /* looks for Ctrl-C and new connections */
    struct gdb_bp bp[GDB_MAX_BP];
    char reply[GDB_PACKET_MAX + 1];
    char xml[8192];
    size_t xml_len;
};

/* Handles one packet; replies itself. */
enum gdb_next gdbstub_packet(struct gdbstub *g, char *pkt, size_t len);
/* The stop reply (T05..., T02...) for the current stop into buf. */
void gdbstub_stop_reply(struct gdbstub *g, char *buf, size_t len);
/* Deletes every breakpoint gdb inserted (detach, gdb gone). */
void gdbstub_drop_breakpoints(struct gdbstub *g);

#endif
