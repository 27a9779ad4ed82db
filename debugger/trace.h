/* trace.h -- the execution traces of -d LIST / -D FILE (QEMU's names where
 * they exist): decoded instructions (in_asm), executed instructions (exec),
 * exceptions and interrupts (int), register dumps (cpu), privilege-changing
 * far transfers (pcall), resets (cpu_reset) and triple faults
 * (guest_errors).  The debugger core (debug.c) calls trace_insn and
 * trace_event from the CPU hooks; the state is m->trace. */
#ifndef X86LAB_TRACE_H
#define X86LAB_TRACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct machine;

enum {
    TRACE_IN_ASM = 1 << 0,       /* each instruction the first time it runs */
    TRACE_EXEC = 1 << 1,         /* every executed instruction */
    TRACE_INT = 1 << 2,          /* every exception and interrupt */
    TRACE_CPU = 1 << 3,          /* the registers before each instruction */
    TRACE_PCALL = 1 << 4,        /* far transfers that change CS in protected mode */
    TRACE_CPU_RESET = 1 << 5,    /* machine resets */
    TRACE_GUEST_ERRORS = 1 << 6, /* double and triple faults */
    TRACE_OUT_ASM = 1 << 7,      /* each block the binary translator makes (translator/) */
};
/* The flags that need the CPU observed before every instruction. */
enum { TRACE_PER_INSN = TRACE_IN_ASM | TRACE_EXEC | TRACE_CPU | TRACE_PCALL };

enum { TRACE_DEFAULT_LIMIT = 1000000 };

struct trace {
    unsigned flags;
    FILE *out;
    bool own_out;                /* -D FILE: closed by trace_close */
    uint64_t limit, lines;       /* --trace-limit: lines written before it stops */
    size_t cs16, cs32;           /* capstone handles (csh), 0 when not open */
    /* What the previous instruction boundary looked like (pcall). */
    bool have_prev, event_since, prev_code32;
    uint16_t prev_cs, prev_tr;
    uint32_t prev_eip, prev_lin;
    uint8_t prev_cpl;
    /* in_asm: linear addresses already shown (open addressing, 0 = empty,
     * stored as lin + 1), and where the last shown instruction ended. */
    uint32_t *seen;
    size_t seen_cap, seen_n;
    uint32_t asm_next;
    /* cpu_reset / guest_errors: counters already reported. */
    uint64_t resets_seen, triples_seen;
};

/* Parses -d LIST ("int,exec"); "help" is not a flag (see trace_help).
 * 0, or -1 with a sentence in err. */
int trace_parse(const char *list, unsigned *flags, char *err, size_t len);
/* -d help: the names and what each logs. */
void trace_help(FILE *f);
/* Starts tracing on m (m->trace; the debugger core is attached so the CPU
 * hooks run): path NULL means stderr; limit 0 means no limit.  0, or -1
 * with a sentence in err. */
int trace_open(struct machine *m, unsigned flags, const char *path, uint64_t limit,
               char *err, size_t len);
/* At the end of the run: reports a final reset or triple fault, closes
 * the file. */
void trace_close(struct machine *m);

#endif
