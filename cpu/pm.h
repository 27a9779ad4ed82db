/* pm.h -- protected-mode helpers shared by the far transfers (far.c), the
 * interrupt gates (interrupt_pm.c), task switches (task.c) and the
 * descriptor instructions (segsys.c); implemented in descriptor.c. */
#ifndef X86LAB_PM_H
#define X86LAB_PM_H

#include <stdbool.h>
#include <stdint.h>

#include "seg.h"

/* System descriptor types (AR bits 0-3 when S = 0). */
enum {
    SYS_TSS16 = 1, SYS_LDT = 2, SYS_TSS16_BUSY = 3, SYS_CALL16 = 4,
    SYS_TASK = 5, SYS_INT16 = 6, SYS_TRAP16 = 7, SYS_TSS32 = 9,
    SYS_TSS32_BUSY = 0xB, SYS_CALL32 = 0xC, SYS_INT32 = 0xE, SYS_TRAP32 = 0xF,
};
enum { TSS_BUSY_BIT = 2 };   /* type bit that marks a TSS busy */

static inline unsigned ar_dpl(uint16_t ar) { return (ar >> 5) & 3; }
static inline bool ar_present(uint16_t ar) { return (ar & AR_P) != 0; }
static inline bool ar_system(uint16_t ar) { return !(ar & AR_S); }
static inline unsigned ar_type(uint16_t ar) { return ar & AR_TYPE; }
static inline bool ar_code(uint16_t ar)
{
    return (ar & (AR_S | AR_CODE)) == (AR_S | AR_CODE);
}
static inline bool ar_data(uint16_t ar)
{
    return (ar & (AR_S | AR_CODE)) == AR_S;
}
static inline bool ar_conforming(uint16_t ar)
{
    return ar_code(ar) && (ar & AR_EC);
}
static inline bool ar_writable_data(uint16_t ar)
{
    return ar_data(ar) && (ar & AR_W);
}
/* Any TSS, available or busy (16 or 32-bit). */
static inline bool ar_tss(uint16_t ar)
{
    return ar_system(ar) && (ar_type(ar) & ~(8u | TSS_BUSY_BIT)) == SYS_TSS16;
}
static inline bool ar_tss_busy(uint16_t ar)
{
    return ar_tss(ar) && (ar_type(ar) & TSS_BUSY_BIT);
}

/* Gate fields: the target selector, offset and parameter count.  A 16-bit
 * gate (type bit 3 clear) has only a 16-bit offset. */
static inline bool gate_is32(const struct descriptor *d)
{
    return (d->ar & 8) != 0;
}
static inline uint16_t gate_sel(const struct descriptor *d)
{
    return (uint16_t)(d->lo >> 16);
}
static inline uint32_t gate_offset(const struct descriptor *d)
{
    uint32_t off = d->lo & 0xFFFF;
    return gate_is32(d) ? (off | (d->hi & 0xFFFF0000u)) : off;
}
static inline unsigned gate_params(const struct descriptor *d)
{
    return d->hi & 0x1F;
}

static inline bool sel_null(uint16_t sel) { return (sel & 0xFFFC) == 0; }
/* The error code naming a selector, with EXT (bit 0) for external events. */
static inline uint32_t sel_err(uint16_t sel, uint32_t ext)
{
    return (sel & 0xFFFCu) | ext;
}

/* Reads the descriptor of sel or raises vector(sel_err) when sel is outside
 * its table. */
void desc_fetch_or(struct cpu *c, uint16_t sel, struct descriptor *d,
                   int vector, uint32_t ext);

/* Checks sel for data segment register s (or SS) at privilege cpl as a MOV
 * or a task switch would: `bad` is the vector for selector, type and
 * privilege errors (#GP for MOV, #TS for a task switch), not present is
 * #NP or #SS.  Returns false for a null DS/ES/FS/GS selector. */
bool seg_check_data(struct cpu *c, int s, uint16_t sel, unsigned cpl,
                    int bad, uint32_t ext, struct descriptor *d);
/* Sets the accessed bit and loads the hidden cache from a checked
 * descriptor. */
void seg_commit(struct cpu *c, int s, uint16_t sel, struct descriptor *d);
/* A null selector in DS/ES/FS/GS: any access through it is #GP(0). */
void seg_load_null(struct cpu *c, int s, uint16_t sel);
/* Loads CS from a checked code descriptor and makes cpl the CPL; the
 * selector's RPL becomes cpl. */
void load_cs(struct cpu *c, uint16_t sel, struct descriptor *d, unsigned cpl);
/* Is offset off inside the (expand-up code) segment of descriptor d? */
bool desc_in_limit(const struct descriptor *d, uint32_t off);

/* A push sequence built for a stack that need not be SS yet (the inner
 * stack of a call gate or an interrupt): every slot is checked against the
 * stack's limits first, then all are written, so a failure leaves registers
 * untouched. */
struct frame {
    struct seg ss;      /* the stack's cache */
    uint32_t sp;        /* stack pointer before the pushes (full ESP) */
    unsigned size;      /* 2 or 4 bytes a slot */
    bool sup;           /* supervisor writes (the new CPL is below 3) */
    int n;
    uint32_t v[40];     /* a call gate copies up to 31 parameters */
};
void frame_init(struct frame *f, const struct seg *ss, uint32_t sp,
                unsigned size, bool sup);
static inline void frame_push(struct frame *f, uint32_t v)
{
    f->v[f->n++] = v;
}
/* Raises vector(error) unless every slot of the frame is inside the stack. */
void frame_check(struct cpu *c, const struct frame *f, int vector, uint32_t error);
/* frame_check, then writes the frame and returns the new stack pointer
 * (ESP bits above SP kept for 16-bit stacks). */
uint32_t frame_write(struct cpu *c, const struct frame *f, int vector, uint32_t error);

#endif
