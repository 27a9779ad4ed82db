/* x87.h -- the x87 FPU shared by the x87*.c files: status-word bits, the
 * host execution of arithmetic (x87_host.c), the control instructions
 * (x87_control.c) and the board's FERR#/IGNNE# lines (x87.c). */
#ifndef X86LAB_X87_H
#define X86LAB_X87_H

#include <stdbool.h>
#include <stdint.h>

#include "cpu.h"
#include "insn.h"

/* Status word. */
enum {
    SW_IE = 0x0001, SW_DE = 0x0002, SW_ZE = 0x0004, SW_OE = 0x0008,
    SW_UE = 0x0010, SW_PE = 0x0020, SW_SF = 0x0040, SW_ES = 0x0080,
    SW_C0 = 0x0100, SW_C1 = 0x0200, SW_C2 = 0x0400, SW_TOP = 0x3800,
    SW_C3 = 0x4000, SW_B = 0x8000,
    SW_EXC = 0x003F,            /* the six exception flags (and masks in CW) */
};

/* The 108-byte FNSAVE image in the 32-bit protected-mode layout: the
 * form the host FPU loads and stores (FRSTOR/FNSAVE in 64-bit mode). */
enum { X87_IMAGE = 108 };

/* FINIT state. */
enum { X87_CW_INIT = 0x037F, X87_TW_EMPTY = 0xFFFF, X87_MXCSR_INIT = 0x1F80 };

static inline unsigned x87_top(const struct x87 *f) { return (f->sw >> 11) & 7; }

/* Physical register of ST(i). */
static inline unsigned x87_phys(const struct x87 *f, unsigned i)
{
    return (x87_top(f) + i) & 7;
}

/* True when an unmasked exception is pending: the next waiting
 * instruction reports it (#MF or FERR#). */
static inline bool x87_unmasked(const struct x87 *f)
{
    return (f->sw & ~f->cw & SW_EXC) != 0;
}

/* ES and B follow the pending unmasked exceptions, as the hardware
 * recomputes them whenever the masks or flags are loaded. */
static inline void x87_fix_es(struct x87 *f)
{
    f->sw &= (uint16_t)~(SW_ES | SW_B);
    if (x87_unmasked(f))
        f->sw |= SW_ES | SW_B;
}

/* ---- x87_host.c ---- */
/* Runs one D8-DF instruction (esc 0-7, its ModR/M byte; a memory form
 * uses mem as its operand) on the host FPU, with the guest's state
 * loaded: f is updated except for the pointers (fip, fcs, fop, fdp, fds);
 * the arithmetic flags of *eflags go in (FCMOVcc) and come back (FCOMI). */
void x87_host_exec(struct x87 *f, unsigned esc, unsigned modrm, uint8_t mem[16],
                   uint32_t *eflags);
/* The full tag word (as FNSTENV stores it) from the register contents
 * and the empty marks of f->tw. */
uint16_t x87_full_tags(const struct x87 *f);

/* ---- x87_control.c ---- */
void x87_finit(struct x87 *f);
void x87_fnclex(struct x87 *f);
/* FNSTENV/FLDENV/FNSAVE/FRSTOR with their memory operand (seg:off), in
 * the 14- or 28-byte format of the operand size and mode. */
void x87_fnstenv(struct cpu *c, const struct insn *i);
void x87_fldenv(struct cpu *c, const struct insn *i);
void x87_fnsave(struct cpu *c, const struct insn *i);
void x87_frstor(struct cpu *c, const struct insn *i);

/* ---- x87_mem.c: guest memory operands of any size ---- */
/* Reads n bytes at seg:off (segment and paging checks first). */
void x87_read(struct cpu *c, int seg, uint32_t off, void *buf, unsigned n);
/* Checks that n bytes at seg:off may be written, returning the linear
 * address for x87_write_lin: a store faults before anything changes. */
uint32_t x87_check_write(struct cpu *c, int seg, uint32_t off, unsigned n);
void x87_write_lin(struct cpu *c, uint32_t lin, const void *buf, unsigned n);

/* ---- x87.c ---- */
/* The FPU exists on this model: a 387 with the 386, the built-in FPU of
 * the Pentium and P6; none on the 286 and on the 486 model (a 486SX). */
bool x87_present(const struct cpu *c);
/* FERR#/IGNNE#: after an instruction, assert FERR# (the board's IRQ 13)
 * when an unmasked exception became pending with CR0.NE clear. */
void x87_update_ferr(struct cpu *c);
/* The board's port 0xF0 write: IGNNE# asserted until FERR# goes away. */
void x87_ignne(struct cpu *c);

#endif
