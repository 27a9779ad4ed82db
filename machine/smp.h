/* smp.h -- more than one CPU (-smp N, 2 to 8) for the engines that run the
 * guest on one host thread (interpreter, translator): the saved state of
 * every CPU that is not running, the round-robin schedule in a fixed
 * quantum of retired instructions, per-CPU HLT, and INIT/STARTUP.
 *
 * m->cpu always holds the running CPU (smp_current); the others wait in
 * struct smp's contexts.  Machine-wide things stay in m->cpu across a
 * switch: the instruction counters (virtual time follows them), the
 * decoded-block cache, the bus, the A20 mask, the debugger's hooks and
 * stop_request.  With one CPU m->smp is NULL and nothing here runs. */
#ifndef X86LAB_SMP_H
#define X86LAB_SMP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cpu/cpu.h"

struct machine;

enum {
    SMP_MAX_CPUS = 8,
    /* Instructions a CPU runs before the next runnable one gets its turn:
     * 100 us of virtual time in --deterministic mode. */
    SMP_QUANTUM = 10000,
};

/* Creates the AP contexts (m->cfg.smp_cpus > 1, board with APICs); 0, or
 * -1 with the reason in m->error. */
int smp_init(struct machine *m);
void smp_free(struct machine *m);
/* After a machine reset (cpu_reset of m->cpu, board_reset): the BSP runs,
 * the APs wait for STARTUP, as after power-on. */
void smp_reset(struct machine *m);

/* Where CPU index's state lives now: m->cpu when it runs, else its
 * context.  Works with m->smp NULL (index 0: m->cpu). */
struct cpu *smp_cpu(struct machine *m, int index);
int smp_current(const struct machine *m);
/* Makes CPU index the running one now (a debugger steps that CPU). */
void smp_select(struct machine *m, int index);

/* The machine loop: the budget of the next run, clipped to what is left of
 * the quantum; after the run, what the loop should make of the exit e
 * (per-CPU HLT becomes a switch; the machine idles or stops only when no
 * CPU can run), switching CPUs at the end of the quantum. */
uint64_t smp_budget(struct machine *m, uint64_t n);
enum cpu_exit smp_after_run(struct machine *m, enum cpu_exit e);

/* From the local APICs (board_apic.c): INIT and STARTUP accepted by CPU
 * index's APIC; an interrupt or NMI is now pending for CPU index (a CPU
 * that is not running gets its turn early). */
void smp_init_ipi(struct machine *m, int index);
void smp_startup_ipi(struct machine *m, int index, uint8_t vector);
void smp_wake(struct machine *m, int index);

/* The MP table, MADT and DSDT of the BIOS image (bios/mptable.asm,
 * bios/acpi.asm list one CPU) extended to m->cfg.smp_cpus processors, in
 * the ROM as loaded (machine/smp_tables.c).  0, or -1 with a one-line
 * reason in err (an image without x86lab's tables or their spare room). */
int smp_publish_tables(struct machine *m, char *err, size_t len);
/* -machine acpi=off: the RSDP's signature wiped in the ROM as loaded, so
 * an OS finds no ACPI tables and reads the MP table (smp_tables.c). */
int smp_hide_acpi(struct machine *m, char *err, size_t len);

#endif
