/* trace_int.h -- what the two halves of the traces share: trace.c (options,
 * the log, per-instruction traces) and trace_int.c (exceptions and
 * interrupts, register dumps, resets and triple faults). */
#ifndef X86LAB_TRACE_INT_H
#define X86LAB_TRACE_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cpu/cpu.h"
#include "debugger/trace.h"

/* One log line (or several), counted against --trace-limit. */
void trace_printf(struct trace *t, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Capstone text of the instruction at a linear address, its length. */
void trace_disasm(struct machine *m, struct trace *t, uint32_t lin, bool code32,
                  char *text, size_t len, unsigned *ilen);
bool trace_code32(const struct cpu *c);
/* " <sym+0x12>" or "". */
void trace_sym(struct machine *m, uint32_t lin, char *buf, size_t len);
void trace_close_file(struct trace *t);
/* cpu_reset and guest_errors: resets and triple faults since last time. */
void trace_check_counters(struct machine *m, struct trace *t);
/* The cpu item: every register, QEMU's layout. */
void trace_cpu_state(struct trace *t, struct cpu *c);

#endif
