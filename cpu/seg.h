/* seg.h -- segment registers: loading selectors in real, virtual-8086 and
 * protected mode (descriptor fetch, type/privilege/presence checks) and the
 * hidden descriptor cache.  Implemented in seg.c and descriptor.c. */
#ifndef X86LAB_SEG_H
#define X86LAB_SEG_H

#include <stdbool.h>
#include <stdint.h>

#include "cpu.h"

/* A raw 8-byte descriptor and its decoded fields. */
struct descriptor {
    uint32_t lo, hi;
    uint32_t base, limit;   /* limit scaled by G */
    uint16_t ar;            /* access rights in struct seg layout */
};

/* Fill a hidden cache and compute its valid-offset range and rights. */
void seg_set_cache(struct seg *sg, uint16_t sel, uint32_t base,
                   uint32_t limit, uint16_t ar);
/* Real mode and virtual-8086 mode: base = sel << 4. */
void seg_set_real(struct cpu *c, int s, uint16_t sel);
/* MOV/POP/LDS... to a data or stack segment register, in any mode, with
 * every protected-mode check (#GP, #SS, #NP with the selector). */
void seg_load(struct cpu *c, int s, uint16_t sel);
/* The protected-mode half of seg_load (descriptor.c). */
void seg_load_pm(struct cpu *c, int s, uint16_t sel);
/* Decode a descriptor's fields from its two dwords. */
void desc_decode(struct descriptor *d);
/* Read the descriptor for sel from the GDT or LDT; false if sel is outside
 * the table (the caller raises the fault it needs). */
bool desc_fetch(struct cpu *c, uint16_t sel, struct descriptor *d);
/* Set the accessed bit of a descriptor in memory. */
void desc_set_accessed(struct cpu *c, uint16_t sel, struct descriptor *d);

#endif
