/* io.c -- port I/O: IN and OUT with immediate or DX ports (SDM Vol. 2), and
 * the I/O permission check (IOPL and the TSS bitmap) that INS/OUTS share
 * through ioperm.h. */
#include "../machine/bus.h"
#include "cpu.h"
#include "insn.h"
#include "ioperm.h"
#include "mem.h"
#include "ops.h"

/* The TSS bitmap: its offset is the word at TSS+0x66.  The processor reads
 * two bytes there, so both must be within the TSS limit (which is why a
 * bitmap ends with an all-ones byte).  A 16-bit TSS has no bitmap. */
static void io_check_bitmap(struct cpu *c, uint16_t port, unsigned bytes)
{
    const struct seg *tr = &c->tr;
    unsigned type = tr->ar & AR_TYPE;
    if ((type != 0x9 && type != 0xB) || tr->limit < 0x67)
        cpu_fault(c, EXC_GP, 0);
    uint32_t off = sys_rd(c, tr->base + 0x66, 2) + (uint32_t)(port >> 3);
    if (off + 1 > tr->limit)
        cpu_fault(c, EXC_GP, 0);
    uint32_t bits = sys_rd(c, tr->base + off, 2);
    uint32_t want = ((1u << bytes) - 1) << (port & 7);
    if (bits & want)
        cpu_fault(c, EXC_GP, 0);
}

void io_check(struct cpu *c, uint16_t port, unsigned bytes)
{
    if (!cpu_pm(c))
        return;
    if (!cpu_v86(c) && c->cpl <= ((c->eflags & F_IOPL) >> 12))
        return;
    io_check_bitmap(c, port, bytes);
}

/* A port access may change what the machine must do next (the exit port,
 * the A20 gate, interrupt lines): leave the decoded block after it. */
static uint32_t port_in(struct cpu *c, uint16_t port, unsigned bytes)
{
    io_check(c, port, bytes);
    c->exit_block = 1;
    return bus_io_read(c->bus, port, (int)bytes);
}

static void port_out(struct cpu *c, uint16_t port, unsigned bytes, uint32_t v)
{
    io_check(c, port, bytes);
    c->exit_block = 1;
    bus_io_write(c->bus, port, (int)bytes, v);
}

static unsigned opbytes(const struct insn *i)
{
    return i->o32 ? 4 : 2;
}

void in_AL_Ib(struct cpu *c, const struct insn *i)
{
    reg_wr(c, R_EAX, 8, port_in(c, (uint16_t)(i->imm & 0xFF), 1));
}

void in_eAX_Ib(struct cpu *c, const struct insn *i)
{
    unsigned n = opbytes(i);
    reg_wr(c, R_EAX, n * 8, port_in(c, (uint16_t)(i->imm & 0xFF), n));
}

void in_AL_DX(struct cpu *c, const struct insn *i)
{
    (void)i;
    reg_wr(c, R_EAX, 8, port_in(c, (uint16_t)c->r[R_EDX], 1));
}

void in_eAX_DX(struct cpu *c, const struct insn *i)
{
    unsigned n = opbytes(i);
    reg_wr(c, R_EAX, n * 8, port_in(c, (uint16_t)c->r[R_EDX], n));
}

void out_Ib_AL(struct cpu *c, const struct insn *i)
{
    port_out(c, (uint16_t)(i->imm & 0xFF), 1, c->r[R_EAX] & 0xFF);
}

void out_Ib_eAX(struct cpu *c, const struct insn *i)
{
    unsigned n = opbytes(i);
    port_out(c, (uint16_t)(i->imm & 0xFF), n, reg_rd(c, R_EAX, n * 8));
}

void out_DX_AL(struct cpu *c, const struct insn *i)
{
    (void)i;
    port_out(c, (uint16_t)c->r[R_EDX], 1, c->r[R_EAX] & 0xFF);
}

void out_DX_eAX(struct cpu *c, const struct insn *i)
{
    unsigned n = opbytes(i);
    port_out(c, (uint16_t)c->r[R_EDX], n, reg_rd(c, R_EAX, n * 8));
}
