/* debug.h -- the debugger core (debugger/debug.c): breakpoints, watchpoints,
 * stepping and the stop that hands the machine to a frontend (the monitor,
 * debugger/monitor*.c, or the gdb stub, debugger/gdbstub.c), the ring of
 * recent exceptions/interrupts, and the calls into the traces (trace.c).
 * One struct debugger per machine, m->dbg (NULL: no debugger, no cost). */
#ifndef X86LAB_DEBUG_H
#define X86LAB_DEBUG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct machine;
struct cpu;
struct symtab;

/* ---- breakpoints and watchpoints ----
 * Exec breakpoints stop BEFORE the instruction at the address runs.
 * Vector, port, CR3 and mode breakpoints stop at the first instruction
 * boundary after the event (the handler's first instruction for a vector;
 * the instruction after the OUT/IN, the MOV CR3, the MOV CR0).  Watchpoints
 * stop after the accessing instruction, reporting old and new values. */
enum bp_kind {
    BPK_LIN,        /* exec at a linear address (symbols resolve to this) */
    BPK_PHYS,       /* exec at a physical address (CS:EIP translated) */
    BPK_SEGOFF,     /* exec when CS.sel == seg and EIP == off */
    BPK_VECTOR,     /* an exception or interrupt with vector `addr` delivered */
    BPK_PORT,       /* port I/O to [addr, addr+len), access in `acc` */
    BPK_CR3,        /* CR3 changed (a new address space) */
    BPK_MODE,       /* CR0.PE or CR0.PG changed (real <-> protected, paging) */
    BPK_WATCH,      /* data access to linear [addr, addr+len), access in `acc` */
};
enum { DBG_ACC_READ = 1, DBG_ACC_WRITE = 2, DBG_ACC_RW = 3 };

enum { DBG_MAX_BP = 64, DBG_COND_LEN = 96, DBG_DESC_LEN = 64, DBG_TEMP_ID = 1000000 };

struct breakpoint {
    int id;                     /* 1, 2, ... as shown to the user; 0 = free slot;
                                 * DBG_TEMP_ID + slot for temporary ones */
    enum bp_kind kind;
    bool enabled;
    bool temporary;             /* deleted when hit (until, next, finish) */
    uint32_t addr;              /* address, vector or port */
    uint32_t len;               /* watch / port range length (>= 1) */
    uint16_t seg;               /* BPK_SEGOFF */
    uint8_t acc;                /* DBG_ACC_* for watchpoints and ports */
    char cond[DBG_COND_LEN];    /* "" or an expression: "eax==5 && [esp]!=0" */
    char desc[DBG_DESC_LEN];    /* as the user wrote it: "main", "p:0x7c00" */
    uint64_t hits;
    uint8_t snap[64];           /* watch: contents at the resume (engines
                                 * without the TLB hook compare these) */
};

/* Why the machine stopped for the debugger. */
enum dbg_reason {
    DBG_STOP_NONE,
    DBG_STOP_START,     /* --debug: before the first instruction */
    DBG_STOP_STEP,      /* a step / next / finish / until completed */
    DBG_STOP_BREAK,     /* an exec breakpoint */
    DBG_STOP_WATCH,     /* a watchpoint */
    DBG_STOP_VECTOR,    /* a vector breakpoint */
    DBG_STOP_PORT,      /* an I/O port breakpoint */
    DBG_STOP_CR3,       /* a CR3 breakpoint */
    DBG_STOP_MODE,      /* a mode-change breakpoint */
    DBG_STOP_USER,      /* Ctrl-C, Ctrl-A c, a gdb interrupt: debug_request_stop */
};

struct dbg_stop {
    enum dbg_reason reason;
    int bp_id;                  /* the breakpoint that fired, or 0 */
    /* DBG_STOP_WATCH / DBG_STOP_PORT: what was accessed */
    uint32_t addr;              /* linear address or port */
    unsigned size;
    bool write;
    uint32_t old_value, new_value;  /* watch: before/after (writes); read value */
    uint16_t insn_cs;           /* the instruction that did it */
    uint32_t insn_eip;
    uint32_t insn_lin;          /* its linear address */
    /* DBG_STOP_VECTOR */
    int vector, kind;           /* kind: enum int_kind (cpu/interrupt.h) */
    bool has_error;
    uint32_t error, cr2;
    /* DBG_STOP_CR3 / DBG_STOP_MODE: the register before and after */
    uint32_t before, after;
};

/* The last exceptions and interrupts, fed by the CPU's event hook. */
enum { DBG_EVENTS = 64 };
struct dbg_event {
    uint64_t insn;              /* instruction count when delivered */
    uint16_t cs;
    uint32_t eip;               /* where it happened (faulting instruction) */
    int vector, kind;
    bool has_error;
    uint32_t error, cr2;
};

/* What the run towards the next stop does. */
enum dbg_run {
    DBG_RUN_CONT,       /* until a breakpoint or a user stop */
    DBG_RUN_STEP,       /* `steps` instructions (exceptions/interrupts count
                         * as a step: the stop is at the handler) */
    DBG_RUN_FINISH,     /* until a RET/IRET leaves the current frame */
};

/* What a frontend tells the core after a stop. */
enum dbg_action { DBG_RESUME, DBG_QUIT };

struct debugger {
    struct machine *m;
    struct breakpoint bp[DBG_MAX_BP];
    int next_id;
    struct symtab *syms;        /* symbols.c: NULL until some are loaded */

    /* The current run (set by debug_resume). */
    enum dbg_run run;
    uint64_t steps;             /* DBG_RUN_STEP: instructions left */
    bool step_noirq;            /* steps hold interrupts back (gdb, as QEMU's
                                 * stub: `next` does not fall into a timer
                                 * handler); the monitor's step takes them */
    uint32_t finish_esp;        /* DBG_RUN_FINISH: the frame's ESP */
    uint64_t boundaries;        /* instruction boundaries seen since the resume */
    uint32_t last_cr0, last_cr3;

    /* The stop: set by the hooks, read by the frontends. */
    volatile int stop_pending;  /* the machine loop returns STOP_DEBUG */
    struct dbg_stop stop;

    struct dbg_event events[DBG_EVENTS];
    unsigned nevents;           /* total delivered; the ring holds the last DBG_EVENTS */

    bool sigint_stops;          /* --debug: SIGINT enters the monitor instead of quitting */
    bool watch_snapshot;        /* engines without the TLB hook: compare memory */

    /* The frontend that takes over at a stop.  The gdb stub sets stub_stopped
     * while gdb is attached; otherwise the monitor runs.  Both return what
     * the machine does next, after calling debug_resume for DBG_RESUME. */
    enum dbg_action (*stub_stopped)(struct machine *m);
    void *stub;                 /* the stub's state */

    /* The monitor (monitor.c). */
    FILE *out;                  /* where the monitor writes (stdout) */
    FILE *script;               /* --debug-script: commands from here, echoed */
    bool interactive;           /* reading a terminal with the line editor */
    struct monitor *mon;
    /* A frontend that owns the terminal (the console's raw mode) gives it
     * up while the monitor reads commands: release true, then false. */
    void (*tty_release)(void *opaque, bool release);
    void *tty_opaque;
    /* Temporary breakpoints are dropped at every stop; `next` and `until`
     * use them. */
    int prev_ret;               /* DBG_RUN_FINISH: the last instruction was a return */
};

/* The command line's debugger options (main.c). */
enum { DBG_MAX_SYMFILES = 8 };
struct debug_options {
    bool start_stopped;         /* --debug: the monitor before the first instruction */
    const char *script;         /* --debug-script FILE */
    const char *symbols[DBG_MAX_SYMFILES];   /* --symbols FILE... */
    int nsymbols;
};
/* Applies them after the machine is loaded (the kernel's symbols come from
 * m->kernel_path).  0, or -1 after a one-line message on stderr. */
int debug_setup(struct machine *m, const struct debug_options *o);

/* Creates m->dbg (once; later calls return the same) and installs the CPU
 * hooks.  NULL when out of memory. */
struct debugger *debug_attach(struct machine *m);
void debug_detach(struct machine *m);
/* Recomputes whether the CPU must run observed (hooks_on) and what the
 * engines without per-instruction hooks are asked (machine_set_debug):
 * call after changing breakpoints, the run mode or trace flags. */
void debug_update(struct machine *m);

/* Breakpoints: returns the new id (> 0; DBG_TEMP_ID + slot for a temporary
 * one), or -1 with a reason in m->error. */
int debug_bp_add(struct debugger *d, const struct breakpoint *bp);
int debug_bp_delete(struct debugger *d, int id);       /* 0 or -1 */
struct breakpoint *debug_bp_find(struct debugger *d, int id);
/* An enabled exec breakpoint at this linear address? (disassembly marks) */
bool debug_bp_at(const struct debugger *d, uint32_t lin);

/* Starts the next run: mode and, for DBG_RUN_STEP, the count. */
void debug_resume(struct debugger *d, enum dbg_run run, uint64_t steps);
/* From any thread or a signal handler: stop at the next boundary with
 * DBG_STOP_USER (Ctrl-C, Ctrl-A c, a gdb interrupt packet). */
void debug_request_stop(struct machine *m);
/* Called by the machine loop after each engine run (engines without
 * per-instruction hooks: KVM, the translator): true when the debugger
 * wants the machine stopped here. */
bool debug_check_boundary(struct machine *m);

/* The whole run under the debugger: machine_run until a stop, then the
 * frontend (stub or monitor), and again, until the guest ends or a frontend
 * quits.  `start_stopped`: stop before the first instruction (--debug). */
/* Returns the enum machine_stop that ended the run (never STOP_DEBUG).
 * main.c calls this instead of machine_run; with m->dbg NULL it costs
 * nothing until something (Ctrl-A c, the gdb stub) attaches a debugger. */
int debug_run(struct machine *m, uint64_t max_insns, bool start_stopped);

/* Memory as the debugger sees it: no side effects, no faults, no watch
 * hits.  Linear addresses go through the current page tables.  Return the
 * number of bytes done (short at the first unmapped page). */
uint32_t debug_read_lin(struct machine *m, uint32_t lin, void *buf, uint32_t len);
uint32_t debug_write_lin(struct machine *m, uint32_t lin, const void *buf, uint32_t len);
uint32_t debug_read_phys(struct machine *m, uint32_t pa, void *buf, uint32_t len);
/* Linear address of the current CS:EIP. */
uint32_t debug_pc(struct machine *m);
/* Decodes the instruction at a linear address (false: unreadable/invalid). */
struct insn;
bool debug_decode_at(struct machine *m, uint32_t lin, bool code32, struct insn *i);
/* Watchpoints in engines without the TLB hook: memory is compared with a
 * snapshot taken at the resume (debug_bp.c). */
void debug_snapshot_watches(struct debugger *d);
void debug_check_watch_snapshot(struct debugger *d);
/* Symbols (symbols.c) and the monitor's state (monitor.c) are freed here. */
void debug_symbols_free(struct debugger *d);
void monitor_free(struct debugger *d);

/* Expressions (debug_expr.c): numbers (0x.., decimal, 0n.., h suffix not
 * accepted), registers (eax, ax, al, eip, cs, cr0, eflags...), symbols,
 * [addr] (a dword at a linear address), + - * / & | ^ << >>, comparisons
 * == != < <= > >=, && || !, parentheses.  0 and *value, or -1 with a
 * message in err. */
int debug_eval(struct machine *m, const char *expr, uint32_t *value,
               char *err, size_t errlen);
/* A register by its lower-case name (eax, ax, al, cs, eip, eflags, cr0..cr4,
 * dr0..dr7, cpl, pc = linear CS:EIP); false when no such register. */
bool debug_reg_value(struct cpu *c, const char *name, uint32_t *v);

/* The monitor (monitor.c): runs one command line, output to d->out.
 * The gdb stub's `monitor CMD` comes here too, with its own FILE.
 * Returns DBG_RESUME when the command resumed the guest (step, continue),
 * DBG_QUIT for quit, or -1 when the monitor stays in control. */
int monitor_exec(struct machine *m, const char *line, FILE *out);
/* The monitor's loop at a stop: prompt, read, execute until a command
 * resumes or quits. */
enum dbg_action monitor_stopped(struct machine *m);
/* Prints why the machine stopped (one line) and the current instruction. */
void monitor_show_stop(struct machine *m, FILE *out);

/* ---- traces (debugger/trace.c, written alongside) ----
 * The dispatcher calls these when m->trace_flags is non-zero (set by -d). */
void trace_insn(struct machine *m, struct cpu *c);
void trace_event(struct machine *m, struct cpu *c, int vector, int kind,
                 bool has_error, uint32_t error);

#endif
