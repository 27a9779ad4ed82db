/* stack.h -- pushes and pops through SS with the stack-size attribute
 * (SS.B: ESP or SP), shared by every family that touches the stack.
 * Each writes memory before it moves ESP, so a fault leaves ESP intact. */
#ifndef X86LAB_STACK_H
#define X86LAB_STACK_H

#include "mem.h"

static inline uint32_t stack_mask(const struct cpu *c)
{
    return (c->seg[S_SS].ar & AR_DB) ? 0xFFFFFFFFu : 0xFFFFu;
}

static inline void set_sp(struct cpu *c, uint32_t sp)
{
    uint32_t m = stack_mask(c);
    c->r[R_ESP] = (c->r[R_ESP] & ~m) | (sp & m);
}

/* size in bytes: 2 or 4 */
static inline void push(struct cpu *c, unsigned size, uint32_t v)
{
    uint32_t sp = (c->r[R_ESP] - size) & stack_mask(c);
    mem_wr(c, S_SS, sp, size, v);
    set_sp(c, sp);
}

static inline uint32_t pop(struct cpu *c, unsigned size)
{
    uint32_t sp = c->r[R_ESP] & stack_mask(c);
    uint32_t v = mem_rd(c, S_SS, sp, size);
    set_sp(c, sp + size);
    return v;
}

/* Read the stack at an offset from ESP without popping (far returns, IRET
 * check everything before they commit). */
static inline uint32_t stack_peek(struct cpu *c, uint32_t offset, unsigned size)
{
    return mem_rd(c, S_SS, (c->r[R_ESP] + offset) & stack_mask(c), size);
}

#endif
