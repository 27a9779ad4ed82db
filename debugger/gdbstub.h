/* gdbstub.h -- x86lab's gdb remote stub (-s, -gdb tcp::PORT, -S): gdb
 * connects over TCP and drives the machine through the debugger core
 * (debug.h): registers, memory at linear addresses, breakpoints,
 * watchpoints, single steps, Ctrl-C, detach, kill and `monitor`
 * commands.  The stub's state hangs off m->dbg->stub. */
#ifndef X86LAB_GDBSTUB_H
#define X86LAB_GDBSTUB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct machine;
struct cpu;

enum { GDB_DEFAULT_PORT = 1234 };

/* Parses "tcp::PORT", "tcp:HOST:PORT", ":PORT" or "PORT"; 0 or -1. */
int gdbstub_parse_spec(const char *spec, char *host, size_t hostlen, int *port);
/* Listens on spec (m->dbg is attached).  With wait (-S), blocks until gdb
 * connects: the run then starts stopped, under gdb's control.  Without,
 * gdb may connect while the guest runs (it is stopped for gdb then).
 * 0, or -1 with a sentence in err. */
int gdbstub_start(struct machine *m, const char *spec, bool wait, char *err, size_t len);
/* The run ended (the guest exited, x86lab quits): tells gdb with W/X when
 * it is attached, and closes the sockets. */
void gdbstub_finish(struct machine *m, int status);

/* ---- the register file and target description (gdbstub_target.c) ---- */
int gdb_reg_count(void);
/* Size in bytes of register n, -1 when there is no such register. */
int gdb_reg_size(int n);
/* Register n in gdb's byte order (little-endian); returns its size. */
int gdb_reg_get(struct cpu *c, int n, uint8_t *out);
/* Sets register n of CPU c (m's current CPU, or another one of -smp N)
 * from gdb's bytes: 0, or -1 when not allowed. */
int gdb_reg_set(struct machine *m, struct cpu *c, int n, const uint8_t *in);
/* target.xml into buf (cap bytes, NUL-ended); returns its length. */
size_t gdb_target_xml(char *buf, size_t cap);

#endif
