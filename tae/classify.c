/* classify.c -- which kind of privileged instruction trapped into the
 * trap-and-emulate monitor: the instruction at CS:EIP decoded once more,
 * named by the classes of machine/stats.h (the translator's too). */
#include "cpu/insn.h"
#include "cpu/mem.h"
#include "machine/bus.h"
#include "tae/tae.h"

/* Up to 15 bytes at CS:EIP, read without faulting; how many were read. */
static int fetch(struct cpu *c, uint8_t *buf)
{
    const struct seg *cs = &c->seg[S_CS];
    int n = 0;
    for (; n < 15; n++) {
        uint32_t phys;
        if (mmu_peek(c, cs->base + c->eip + (uint32_t)n, &phys))
            break;
        buf[n] = (uint8_t)bus_mem_read(c->bus, phys, 1);
    }
    return n;
}

enum trap_class tae_trap_class(struct cpu *c)
{
    uint8_t buf[16];
    struct insn i;
    int n = fetch(c, buf);
    if (decode(&i, buf, n, (c->seg[S_CS].ar & AR_DB) != 0, c->model) <= 0)
        return TRAP_OTHER;
    switch (i.opcode) {
    case 0xFA: case 0xFB: return TRAP_IF;                       /* CLI, STI */
    case 0x9C: case 0x9D: return TRAP_FLAGS;                    /* PUSHF, POPF */
    case 0xF4: return TRAP_HLT;
    case 0x100: return TRAP_DESC;                               /* LLDT, LTR... */
    case 0x101: return i.reg <= 3 ? TRAP_DESC : i.reg == 7 ? TRAP_TLB : TRAP_CRDR;
    case 0x106: case 0x120: case 0x121: case 0x122: case 0x123: return TRAP_CRDR;
    case 0x108: case 0x109: return TRAP_TLB;                    /* INVD, WBINVD */
    case 0x130: case 0x132: case 0x134: case 0x135: return TRAP_MSR;
    default: break;
    }
    switch (i.row->cls) {
    case CL_IO: return TRAP_IO;
    case CL_INT: return TRAP_INT;
    case CL_FAR: case CL_STACKSEG: return TRAP_FAR;
    default: return TRAP_OTHER;
    }
}
