/* x87.c -- the coprocessor escape (D8-DF) and FWAIT.  There is no FPU yet:
 * the CPU behaves as one with no coprocessor attached, except for the
 * device-not-available (#NM) checks that CR0.EM, TS and MP ask for and
 * the CPU's own segment checks of a memory operand. */
#include "mem.h"

/* Bytes of the memory operand of D8+esc /reg: the m32/m64/m80/m16 forms,
 * and FLDENV/FNSTENV (14 or 28) and FRSTOR/FNSAVE (94 or 108) by operand
 * size.  Reserved encodings count as the group's usual size. */
static unsigned operand_bytes(unsigned esc, unsigned reg, bool o32)
{
    static const uint8_t size[8][8] = {
        { 4, 4, 4, 4, 4, 4, 4, 4 },      /* D8: m32real */
        { 4, 4, 4, 4, 0, 2, 0, 2 },      /* D9: fld/fst m32, env, cw */
        { 4, 4, 4, 4, 4, 4, 4, 4 },      /* DA: m32int */
        { 4, 4, 4, 4, 10, 10, 10, 10 },  /* DB: m32int, m80real */
        { 8, 8, 8, 8, 8, 8, 8, 8 },      /* DC: m64real */
        { 8, 8, 8, 8, 0, 8, 0, 2 },      /* DD: m64real, state, sw */
        { 2, 2, 2, 2, 2, 2, 2, 2 },      /* DE: m16int */
        { 2, 2, 2, 2, 10, 8, 10, 8 },    /* DF: m16int, m80bcd, m64int */
    };
    unsigned n = size[esc][reg];
    if (n)
        return n;
    if (esc == 1)
        return o32 ? 28 : 14;            /* FLDENV, FNSTENV */
    return o32 ? 108 : 94;               /* FRSTOR, FNSAVE */
}

/* Stores to memory: FST/FSTP/FIST/FISTP/FISTTP/FBSTP/FNSTENV/FNSTCW/
 * FNSAVE/FNSTSW, by escape (bit k of the mask = /k). */
static bool operand_is_store(unsigned esc, unsigned reg)
{
    static const uint8_t stores[8] = { 0x00, 0xCC, 0x00, 0x8E, 0x00, 0xCE, 0x00, 0xCE };
    return (stores[esc] >> reg) & 1;
}

/* The segment check of the operand.  The 286 hands the operand to the
 * coprocessor a word at a time, each offset wrapping at 64 KiB, so only a
 * word at offset FFFF leaves the segment: the 80286 captures in
 * ../shared/conformance (D8) fault for a dword at FFFF, not at FFFE.
 * Later processors check the operand as a whole. */
static void check_operand(struct cpu *c, const struct insn *i,
                          unsigned bytes, unsigned need)
{
    uint32_t off = ea(c, i);
    if (c->model != CPU_286) {
        seg_lin(c, i->seg, off, bytes, need);
        return;
    }
    for (unsigned k = 0; k < bytes; k += 2)
        seg_lin(c, i->seg, (off + k) & 0xFFFF, 2, need);
}

/* ESC: CR0.EM (emulate) or CR0.TS (task switched) -> #NM, before any
 * operand check.  Otherwise the CPU checks the memory operand against
 * its segment as it would for a coprocessor, and then nothing happens:
 * no memory is read or written, so the usual probe (FNINIT; FNSTSW to a
 * word holding a non-zero value) finds the word unchanged and concludes
 * "no FPU".  CR0.ET is left as reset sets it: it names the coprocessor
 * type, not its presence. */
void esc_x87(struct cpu *c, const struct insn *i)
{
    if (c->cr0 & (CR0_EM | CR0_TS))
        cpu_fault(c, EXC_NM, 0);
    if (i->mod == 3)
        return;
    unsigned esc = i->row->arg, reg = i->reg;
    unsigned need = operand_is_store(esc, reg) ? SEG_WRITE : SEG_READ;
    check_operand(c, i, operand_bytes(esc, reg, i->o32), need);
}

/* FWAIT: #NM only when both TS and MP are set.  With no FPU there is no
 * pending x87 exception to report. */
void fwait(struct cpu *c, const struct insn *i)
{
    (void)i;
    if ((c->cr0 & (CR0_TS | CR0_MP)) == (CR0_TS | CR0_MP))
        cpu_fault(c, EXC_NM, 0);
}
