/* icache.h -- the interpreter's decoded-block cache.  Decoding is the
 * costliest part of interpreting x86, so straight-line runs of decoded
 * instructions are kept per physical address (as Bochs' trace cache does)
 * and replayed; the bus's code-page generations make them stale when the
 * guest writes to their page. */
#ifndef X86LAB_ICACHE_H
#define X86LAB_ICACHE_H

#include <stdint.h>

#include "insn.h"

enum { IBLOCK_MAX = 32, ICACHE_BLOCKS = 4096 };

struct iblock {
    uint32_t pa;          /* physical address of the first instruction */
    uint32_t gen;         /* the page's generation when decoded */
    uint16_t span;        /* bytes covered by the instructions */
    uint8_t code32;
    uint8_t valid;
    uint8_t n;            /* instructions in ins[] */
    struct insn ins[IBLOCK_MAX];
};

struct icache {
    struct iblock blocks[ICACHE_BLOCKS];
    uint64_t hits, misses, built, invalidated;
};

struct cpu;
/* The block that starts at the current CS:EIP, decoded if needed, or NULL
 * when it cannot be cached here (TLB miss, page-crossing first instruction,
 * MMIO, CS limit): the caller then takes the one-instruction path. */
const struct iblock *icache_block(struct cpu *c);
void icache_flush(struct icache *ic);

#endif
