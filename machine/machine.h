/* machine.h -- one emulated machine: bus, CPU, devices and the loop that
 * runs the current engine and services what it returns.  Everything hangs
 * off struct machine, passed explicitly (no global machine), so a test can
 * build two in one process. */
#ifndef X86LAB_MACHINE_H
#define X86LAB_MACHINE_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "cpu/cpu.h"
#include "devices/debugport.h"
#include "machine/bus.h"
#include "machine/clock.h"
#include "machine/engine.h"
#include "machine/stats.h"
#include "machine/irq.h"
/* device headers (board.c wires each chip to its ports and IRQ) */
#include "devices/ata.h"
#include "devices/pci.h"
#include "devices/dma.h"
#include "devices/fdc.h"
#include "devices/vga.h"
#include "devices/pic.h"
#include "devices/pit.h"
#include "devices/port61.h"
#include "devices/cmos.h"
#include "devices/i8042.h"
#include "devices/sysctl.h"
#include "devices/uart.h"
#include "devices/hypercall.h"
#include "devices/lapic.h"
#include "devices/ioapic.h"
#include "devices/acpi_pm.h"

struct machine_config {
    uint32_t ram_mb;
    enum cpu_model model;
    bool deterministic;      /* virtual time follows retired instructions */
    bool no_reboot;          /* a reset request ends the run instead */
    bool no_hypercalls;      /* --no-hypercalls: no paravirtual port 0x520 */
    struct fd_image *floppy[2];  /* media in floppy drives A, B (NULL: empty) */
    unsigned trace;          /* TRACE_* bits (--trace=LIST) */
    struct chardev *serial[2];   /* what COM1, COM2 are plugged into (NULL: nothing) */
    bool serial_real_timing;     /* --serial-real-timing: transmit at the baud rate */
    struct disk *ide[ATA_UNITS]; /* IDE drives 0-3 (primary master ... secondary
                                  * slave): opened disks, NULL for no drive */
    uint64_t ide_latency_ns;     /* IDE command completion delay (0: at once) */
    enum engine_kind engine;     /* the engine the run starts in */
    /* Live switching for tests and demos (--switch-engine-after): after
     * switch_every instructions (or ns of virtual time when switch_in_ns),
     * move to the next engine of switch_seq, cyclically. */
    uint64_t switch_every;
    bool switch_in_ns;
    enum engine_kind switch_seq[8];
    int nswitch_seq;
    bool kvm_irqchip;            /* --kvm-irqchip: KVM's in-kernel PIC/IOAPIC/PIT */
    /* Binary translator (--bt-threshold, --bt-cache-size): executions of a
     * block before it is translated (used when bt_threshold_set; 0 means at
     * the first execution) and the code cache in MiB (0: the default). */
    bool bt_threshold_set;
    uint32_t bt_threshold;
    uint32_t bt_cache_mb;
    uint32_t smp_cpus;           /* -smp N: CPUs (0 or 1: one; machine/smp.h) */
};

enum { TRACE_POST = 1 };     /* POST codes (port 0x80) on stderr */

enum machine_stop {
    STOP_EXIT_PORT,      /* the guest wrote the exit port */
    STOP_HALT,           /* HLT with interrupts off: nothing can wake it */
    STOP_SHUTDOWN,       /* triple fault */
    STOP_BUDGET,         /* instruction limit reached */
    STOP_RESET,          /* the guest asked for a reset and no_reboot is set */
    STOP_IDLE,           /* HLT waiting for an interrupt that nothing can raise */
    STOP_QUIT,           /* a frontend asked to quit (the console's Ctrl-A x) */
    STOP_DEBUG,          /* the debugger stopped the machine (debugger/debug.h) */
    STOP_POWEROFF,       /* ACPI soft-off (SLP_EN with the \_S5 type) */
};

/* An engine's ops and private state, opened on first use. */
struct engine_slot {
    const struct engine_ops *ops;
    void *priv;
};

struct machine {
    struct machine_config cfg;
    struct engine_slot engines[ENGINE_COUNT];
    enum engine_kind engine;     /* the current engine */
    bool cpu_in_engine;          /* the current engine holds the CPU state
                                  * (entered, not yet left): see machine_sync_cpu */
    struct engine_debug debug;   /* what the debugger asked of the engines */
    struct stats stats;
    char error[256];             /* why the last machine_* call failed */
    uint64_t next_switch;        /* cfg.switch_every: when to switch next */
    volatile int engine_request; /* machine_request_engine: kind + 1, or 0 */
    int switch_pos;
    struct bus bus;
    struct cpu cpu;
    struct vclock clock;
    bool reset_pending;
    uint64_t resets;
    bool quit_pending;           /* machine_request_quit: stop at the next boundary */
    volatile sig_atomic_t quit_signal;  /* SIGINT/SIGTERM/SIGHUP (main.c): stop as for a quit */
    /* What a frontend does while x86lab waits outside the run loop (-S,
     * waiting for gdb): the terminal console reads its keys (Ctrl-A x). */
    void (*wait_poll)(void *opaque);
    void *wait_poll_opaque;
    struct debugport debugport;
    const char *kernel_path;     /* -kernel FILE (loader.h), for the debugger's
                                  * ELF symbols; NULL without -kernel */
    /* devices (one struct per chip, wired in board.c) */
    struct ata ata;              /* IDE 0x1F0/0x3F6 IRQ 14, 0x170/0x376 IRQ 15 */
    struct pci pci;              /* config 0xCF8/0xCFC: i440FX, PIIX3 ISA + IDE */
    struct dma dma;              /* 8237A pair 0x00/0xC0, page registers 0x81-0x8F */
    struct fdc fdc;              /* 82077AA 0x3F0-0x3F7 (not 0x3F6), IRQ 6, DMA 2 */
    struct vga vga;
    struct pic pic;              /* 8259A pair 0x20/0xA0, ELCR 0x4D0; drives INTR */
    struct pit pit;              /* 8254 0x40-0x43, counter 0 on IRQ 0 */
    struct port61 port61;        /* system control port B: counter 2 GATE/OUT */
    struct cmos cmos;            /* RTC and NVRAM, 0x70-0x71, IRQ 8 */
    struct i8042 i8042;          /* keyboard controller 0x60/0x64, IRQ 1 and 12 */
    struct sysctl sysctl;        /* ports 0x92, 0xCF9, POST 0x80 */
    struct uart uart[2];         /* COM1 0x3F8 IRQ 4, COM2 0x2F8 IRQ 3 */
    struct hypercall hypercall;  /* paravirtual port 0x520 (docs/hypercall.md) */
    /* APICs (Pentium and P6 models: has_apic): the message bus and the
     * register page at FEE00000h, one local APIC per CPU (lapic[0] is the
     * BSP), the 82093AA (FEC00000h, ID 1) beside the 8259s, the IMCR
     * (22h/23h); pic_intr is the 8259's INT output, routed by the IMCR. */
    bool has_apic;
    bool pic_intr;
    struct apic_bus apic;
    struct lapic lapic[APIC_MAX_CPUS];
    struct ioapic ioapic;
    struct imcr imcr;
    struct acpi_pm acpi_pm;      /* PM1a 0x600, PM timer 0x608, SCI on IRQ 9 */
    bool poweroff_pending;       /* machine_request_poweroff */
    struct smp *smp;             /* -smp N > 1: the other CPUs (machine/smp.h), else NULL */
    bool debug_stepping;         /* the debugger steps the current CPU: with
                                  * -smp it keeps its turn (machine/smp.c) */
    struct debugger *dbg;        /* the debugger (debugger/debug.h), NULL: none */
    struct trace *trace;         /* -d traces (debugger/trace.h), NULL: none */
    unsigned trace_flags;        /* -d items on (TRACE_IN_ASM...), 0: none */
};

int machine_init(struct machine *m, const struct machine_config *cfg);
void machine_free(struct machine *m);
/* Runs until the guest stops; max_insns 0 means no limit. */
enum machine_stop machine_run(struct machine *m, uint64_t max_insns);
const char *machine_stop_name(enum machine_stop s);

/* Devices call these: a reset of the whole machine (8042 pulse, port
 * 0xCF9, triple fault), and the A20 gate (port 0x92, the 8042). */
void machine_request_reset(struct machine *m);
/* Frontends call this: machine_run returns STOP_QUIT. */
void machine_request_quit(struct machine *m);
/* The ACPI PM device calls this: machine_run returns STOP_POWEROFF. */
void machine_request_poweroff(struct machine *m);
void machine_set_a20(struct machine *m, bool enabled);

/* Makes engine k current at this instruction boundary (opening it on first
 * use); -1 with the reason in m->error when it cannot run here.  Devices,
 * timers and pending interrupts are untouched. */
int machine_select_engine(struct machine *m, enum engine_kind k);
/* From any thread (a frontend hotkey, the monitor): switch to engine k at
 * the next boundary; a failure is reported on stderr and the run goes on. */
void machine_request_engine(struct machine *m, enum engine_kind k);
/* Brings m->cpu up to date from the current engine (KVM keeps the state in
 * the vCPU while it runs); call before reading the CPU state from outside. */
void machine_sync_cpu(struct machine *m);
/* The CPU state was changed from outside (debugger, loader): the current
 * engine must take it again before running. */
void machine_cpu_changed(struct machine *m);
/* Guest RAM [paddr, paddr+len) was written behind the engines' backs. */
void machine_invalidate(struct machine *m, uint32_t paddr, uint32_t len);
/* Passes debug requests (single step, breakpoints) to the engines. */
int machine_set_debug(struct machine *m, const struct engine_debug *d);
/* The --stats report (machine/stats.c). */
void stats_print(const struct machine *m, FILE *f, double seconds);
bool machine_a20(const struct machine *m);
/* The CPU's INTR pin, as a line for the interrupt controller to drive. */
struct irq_line machine_cpu_intr(struct machine *m);

/* The board: chips created, wired and reset (board.c). */
int board_init(struct machine *m);
void board_reset(struct machine *m);
void board_free(struct machine *m);

/* Start states for flat guest binaries. */
void machine_entry_real(struct machine *m, uint16_t cs, uint16_t ip);
void machine_entry_flat32(struct machine *m, uint32_t eip);

#endif
