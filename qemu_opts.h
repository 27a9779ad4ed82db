/* qemu_opts.h -- the command-line forms x86lab takes from QEMU
 * (qemu-system-i386) so that a Makefile written for QEMU runs x86lab:
 * -m sizes, -cpu names, -boot keys, -smp, -machine, -device, -drive
 * if=floppy.  main.c calls these; each parser leaves one line in err. */
#ifndef X86LAB_QEMU_OPTS_H
#define X86LAB_QEMU_OPTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cpu/cpu.h"
#include "machine/engine.h"

/* Splits the next item off a comma-separated list in place (",," is a
 * comma inside a value); NULL at the end. */
char *qopt_next_item(char **p);

/* -m [size=]N[M|G|K]: MiB without a suffix, as in QEMU; whole MiB only.
 * 0, or -1 when malformed (the range is the caller's). */
int qopt_ram_mb(const char *s, uint64_t *mb);

/* QEMU's -cpu model names (486-v1, pentium2, qemu32, host, max...):
 * the closest model x86lab has; -1 for a name QEMU's list lacks here. */
int qopt_cpu_model(const char *s, enum cpu_model *m);

/* -boot [order=]DEVS[,once=DEVS][,menu=..][,strict=..][,splash-time=..]
 * [,reboot-timeout=..]: the order into boot[] (see firmware.h); the other
 * keys are accepted and have no effect.  0, or -1 when malformed. */
int qopt_boot(char *val, unsigned char boot[3]);

/* -smp [cpus=]N[,sockets=S,cores=C,threads=T,maxcpus=N] (N: 1 to 8):
 * 0 with the count in *cpus, or -1 with err (a malformed value, more
 * than 8 CPUs, maxcpus other than cpus). */
int qopt_smp(char *val, unsigned *cpus, char *err, size_t errlen);

/* -machine pc[,accel=tcg|kvm] (pc-i440fx-*, isapc, type=pc too):
 * 1 for "help" (the list printed), 0 with *engine possibly set, or -1
 * with err. */
int qopt_machine(char *val, enum engine_kind *engine, bool *acpi, char *err, size_t errlen);

/* -device isa-debug-exit,iobase=0xf4,iosize=0x04 (x86lab's exit port):
 * 0, or -1 with err for anything else. */
int qopt_device(char *val, char *err, size_t errlen);

/* Whether a -drive value has the key if=floppy. */
bool qopt_is_floppy_drive(const char *val);

#endif
