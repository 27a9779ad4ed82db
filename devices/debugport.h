/* debugport.h -- the debug console (port 0xE9: bytes out, as Bochs and
 * QEMU's -debugcon) and the exit port (0xF4: status = value * 2 + 1, as
 * QEMU's isa-debug-exit). */
#ifndef X86LAB_DEBUGPORT_H
#define X86LAB_DEBUGPORT_H

#include <stdbool.h>
#include <stdio.h>

#include "devices/regions.h"

struct bus;
struct cpu;

struct debugport {
    FILE *out;           /* where 0xE9 bytes go, or NULL */
    struct cpu *cpu;     /* stopped when the exit port is written */
    bool exited;
    int exit_status;
    struct region_log regions;   /* region marks on 0xEA-0xEF (regions.c) */
};

int debugport_init(struct debugport *d, struct bus *b, struct cpu *c, FILE *out);

#endif
