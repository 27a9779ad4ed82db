/* segmove.c -- moves to and from segment registers: MOV Ew,Sw, MOV Sw,Ew
 * and the far-pointer loads LES/LDS/LSS/LFS/LGS (SDM Vol. 2).  The loads
 * themselves (and their protected-mode checks) are seg_load's. */
#include "cpu.h"
#include "insn.h"
#include "mem.h"
#include "ops.h"
#include "seg.h"

/* The segment registers that exist: ES CS SS DS, and FS GS from the 386. */
static bool sreg_exists(const struct cpu *c, unsigned s)
{
    return s < (c->model == CPU_286 ? 4u : (unsigned)S_COUNT);
}

/* MOV r/m16, sreg.  A register destination with 32-bit operand size gets
 * the selector zero-extended (Pentium and later; undefined before, and we
 * zero there too); a memory destination is always a 16-bit store. */
void mov_Ew_Sw(struct cpu *c, const struct insn *i)
{
    if (!sreg_exists(c, i->reg))
        cpu_fault(c, EXC_UD, 0);
    uint16_t sel = c->seg[i->reg].sel;
    if (i->mod == 3 && i->o32)
        c->r[i->rm] = sel;
    else
        E_wr(c, i, 16, sel);
}

/* MOV sreg, r/m16.  CS cannot be loaded this way (#UD).  MOV SS blocks
 * interrupts until after the next instruction (the ESP load that
 * follows it). */
void mov_Sw_Ew(struct cpu *c, const struct insn *i)
{
    unsigned s = i->reg;
    if (s == S_CS || !sreg_exists(c, s))
        cpu_fault(c, EXC_UD, 0);
    uint16_t sel = (uint16_t)E_rd(c, i, 16);
    seg_load(c, (int)s, sel);
    if (s == S_SS)
        c->inhibit_irq = 1;
}

/* LES/LDS/LSS/LFS/LGS r, m16:16/32: the offset, then the selector after
 * it.  The segment load can fault, so the register is written last. */
void lseg_Gv_Mp(struct cpu *c, const struct insn *i)
{
    unsigned size = opsize(i), n = size / 8;
    uint32_t off = ea(c, i);
    uint32_t amask = i->a32 ? 0xFFFFFFFFu : 0xFFFFu;
    uint32_t v = mem_rd(c, i->seg, off, n);
    uint16_t sel = (uint16_t)mem_rd(c, i->seg, (off + n) & amask, 2);
    seg_load(c, i->row->arg, sel);
    reg_wr(c, i->reg, size, v);
}
