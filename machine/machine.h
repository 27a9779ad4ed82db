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
#include "machine/clock.h"
#include "machine/irq.h"
/* device headers (board.c wires each chip to its ports and IRQ) */

struct machine_config {
    uint32_t ram_mb;
    enum cpu_model model;
    bool deterministic;      /* virtual time follows retired instructions */
    bool no_reboot;          /* a reset request ends the run instead */
};

enum machine_stop {
    STOP_EXIT_PORT,      /* the guest wrote the exit port */
    STOP_HALT,           /* HLT with interrupts off: nothing can wake it */
    STOP_SHUTDOWN,       /* triple fault */
    STOP_BUDGET,         /* instruction limit reached */
    STOP_RESET,          /* the guest asked for a reset and no_reboot is set */
    STOP_IDLE,           /* HLT waiting for an interrupt that nothing can raise */
};

struct machine {
    struct machine_config cfg;
    struct bus bus;
    struct cpu cpu;
    struct vclock clock;
    bool reset_pending;
    uint64_t resets;
    struct debugport debugport;
    /* devices (one struct per chip, wired in board.c) */
};

int machine_init(struct machine *m, const struct machine_config *cfg);
void machine_free(struct machine *m);
/* Runs until the guest stops; max_insns 0 means no limit. */
enum machine_stop machine_run(struct machine *m, uint64_t max_insns);
const char *machine_stop_name(enum machine_stop s);

/* Devices call these: a reset of the whole machine (8042 pulse, port
 * 0xCF9, triple fault), and the A20 gate (port 0x92, the 8042). */
void machine_request_reset(struct machine *m);
void machine_set_a20(struct machine *m, bool enabled);
bool machine_a20(const struct machine *m);

/* The board: chips created, wired and reset (board.c). */
int board_init(struct machine *m);
void board_reset(struct machine *m);
void board_free(struct machine *m);

/* Start states for flat guest binaries. */
void machine_entry_real(struct machine *m, uint16_t cs, uint16_t ip);
void machine_entry_flat32(struct machine *m, uint32_t eip);

#endif
