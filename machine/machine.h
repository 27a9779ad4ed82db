/* machine.h -- one emulated machine: bus, CPU, devices and the loop that
 * runs the current engine and services what it returns.  Everything hangs
 * off struct machine, passed explicitly (no global machine), so a test can
 * build two in one process. */
#ifndef X86LAB_MACHINE_H
#define X86LAB_MACHINE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "cpu/cpu.h"
#include "devices/debugport.h"
#include "machine/bus.h"

struct machine_config {
    uint32_t ram_mb;
    enum cpu_model model;
};

enum machine_stop {
    STOP_EXIT_PORT,      /* the guest wrote the exit port */
    STOP_HALT,           /* HLT with interrupts off: nothing can wake it */
    STOP_SHUTDOWN,       /* triple fault */
    STOP_BUDGET,         /* instruction limit reached */
};

struct machine {
    struct machine_config cfg;
    struct bus bus;
    struct cpu cpu;
    struct debugport debugport;
};

int machine_init(struct machine *m, const struct machine_config *cfg);
void machine_free(struct machine *m);
/* Runs until the guest stops; max_insns 0 means no limit. */
enum machine_stop machine_run(struct machine *m, uint64_t max_insns);
const char *machine_stop_name(enum machine_stop s);

/* Start states for flat guest binaries. */
void machine_entry_real(struct machine *m, uint16_t cs, uint16_t ip);
void machine_entry_flat32(struct machine *m, uint32_t eip);

#endif
