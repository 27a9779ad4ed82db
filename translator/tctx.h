/* tctx.h -- the state of one block's translation, shared by translate.c
 * (the frame: entry, traps, exits) and native.c (copied and rewritten
 * instructions). */
#ifndef X86LAB_BT_TCTX_H
#define X86LAB_BT_TCTX_H

#include <stddef.h>

#include "translator/bt_int.h"
#include "translator/emit.h"

/* Operands in the guest CPU state (RBX) and the run-time context (R12). */
#define CPU_M(field) M(H_RBX, (int32_t)offsetof(struct cpu, field))
#define RT_M(field) M(H_R12, (int32_t)offsetof(struct bt_rt, field))

struct tctx {
    struct bt *bt;
    struct bt_block *b;
    struct emit e;
    int k;                   /* the instruction being translated */
    int committed;           /* count.insns = block start + committed */
    uint32_t eip, next;      /* EIP of instruction k and of the next one */
    bool flags_dirty;        /* host EFLAGS hold guest flags newer than memory */
    bool af_zero;            /* ...from a logic op: the guest's AF is 0 */
    int npend;
    struct bt_exit *pend[BT_MAX_EXITS];
};

void t_count_to(struct tctx *t, int k);
void t_trap(struct tctx *t, int k);
void t_check_after(struct tctx *t, int k, bool may_write);
/* Exits: to the dispatcher with k instructions retired (EIP set); by the
 * indirect lookup (EIP set); to eip, chainable, always (cc < 0) or when
 * host condition cc holds (all instructions retired). */
void t_exit_generic(struct tctx *t, int k);
void t_exit_indirect(struct tctx *t);
void t_exit_direct(struct tctx *t, int cc, uint32_t eip);

/* native.c: true when instruction k was made into native code; for the
 * last instruction t_native_end then makes the exits. */
bool t_native(struct tctx *t, int k, bool last);
void t_native_end(struct tctx *t, int k);
/* Stores host flags into the guest EFLAGS when they are newer. */
void t_flags_sync(struct tctx *t);

#endif
