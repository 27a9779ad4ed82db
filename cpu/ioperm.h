/* ioperm.h -- the protected-mode I/O permission check shared by IN/OUT
 * (io.c, where it is implemented) and INS/OUTS (string.c). */
#ifndef X86LAB_IOPERM_H
#define X86LAB_IOPERM_H

#include <stdint.h>

#include "cpu.h"

/* Raises #GP(0) unless the current mode may access `bytes` ports starting
 * at `port`: always in real mode and when CPL <= IOPL; otherwise (and
 * always in virtual-8086 mode) every bit of the range in the I/O
 * permission bitmap of the current 32-bit TSS must be 0 (SDM Vol. 1,
 * 19.5). */
void io_check(struct cpu *c, uint16_t port, unsigned bytes);

#endif
