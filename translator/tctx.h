/* tctx.h -- the state of one block's translation, shared by translate.c
 * (the frame: entry, traps, exits), native.c (copied instructions),
 * mem.c (inline TLB probes and their slow paths) and flow.c (stack and
 * control transfers).  Also the host register assignment. */
#ifndef X86LAB_BT_TCTX_H
#define X86LAB_BT_TCTX_H

#include <stddef.h>

#include "translator/bt_int.h"
#include "translator/emit.h"

/* Host registers while translated code runs.  The guest's general
 * registers live in host registers of the same number (EAX in RAX ...
 * EDI in RDI) except ESP, which is in R12: so AL..BH keep their encoding
 * and copied byte instructions need no REX.  The CPU state and the
 * run-time context are reached through R15 and R14; R13 counts the
 * instructions left before rt->end (count.insns = end - R13, stored to
 * the CPU state only where C code may look: a trap, a slow path, an
 * exit); R8-R11 are scratch (R8: linear address, R9: host pointer of a
 * memory operand). */
enum {
    H_CPU = H_R15, H_RT = H_R14, H_LEFT = H_R13,
    H_LIN = H_R8, H_PTR = H_R9, H_T1 = H_R10, H_T2 = H_R11,
};
static inline unsigned hreg(unsigned n) { return n == 4 ? H_R12 : n; }

/* Operands in the guest CPU state and the run-time context. */
#define CPU_M(field) M(H_CPU, (int32_t)offsetof(struct cpu, field))
#define RT_M(field) M(H_RT, (int32_t)offsetof(struct bt_rt, field))

/* Where the guest's arithmetic flags are at this point of the block:
 * in rt->slot (a host RFLAGS image; every block starts so, and a TLB
 * probe saves them there first), in the host RFLAGS, or nowhere but
 * remade on demand by running t->remat again (a loop copy: loop.c). */
enum { FL_SLOT, FL_HOST, FL_REMAT };

/* Memory access kinds of a translated operand. */
enum { MA_READ = 1, MA_WRITE = 2, MA_RMW = 3 };

/* A shift by an immediate count over 1 leaves OF as the host makes it
 * (not as the interpreter does); its result is stored in rt->ofv and OF
 * is recomputed only where the flags can be seen (a reader of OF, a C
 * call, an exit, a fault); a later writer of OF cancels it. */
struct of_due {
    uint8_t kind;            /* 0: none; else ModR/M.reg of the shift + 1 */
    uint8_t width;           /* 8, 16, 32 */
    bool hi8;                /* the result is bits 8-15 of rt->ofv (AH..BH) */
};

/* What an instruction still does after a write (PUSH, MOVS, STOS, CALL):
 * when the write made translated code stale, the slow path finishes the
 * instruction with these register steps and leaves for eip. */
struct mem_tail {
    int32_t esp, esi, edi;
    bool eip_stored;         /* c->eip already holds the next EIP (CALL r/m) */
    bool has_eip;
    uint32_t eip;            /* else the next instruction's */
};

struct tctx;
/* Emits the part of an instruction that works on [R9]; called twice for
 * a memory instruction (inline and in its slow path), it must emit the
 * same flag-state changes both times. */
typedef void (*op_fn)(struct tctx *t, const struct insn *i, uint32_t arg);

/* A TLB miss path, emitted after the block's code. */
struct slowpath {
    uint8_t *site[3];        /* rel32 jumps to patch to the slow code */
    int nsite;
    uint8_t *resume;
    int k, committed, fl_before;
    bool af_zero;
    struct of_due of;
    uint32_t eip, next;
    unsigned seg, acc, size;
    op_fn op;
    const struct insn *i;
    uint32_t arg;
    struct mem_tail tail;
};

enum { BT_MAX_SLOW = 2 * BT_MAX_INSNS };     /* MOVS makes two accesses */

struct tctx {
    struct bt *bt;
    struct bt_block *b;
    struct emit e;
    int k;                   /* the instruction being translated */
    int committed;           /* count.insns = block start + committed */
    uint32_t eip, next;      /* EIP of instruction k and of the next one */
    int fl;                  /* FL_* */
    bool af_zero;            /* the last AF writer was a logic op (AF = 0) */
    bool ended;              /* the last instruction made the block's exits */
    struct of_due of;        /* OF of a shift by more than 1, not made yet */
    bool checked_exit;       /* exits made now chain to the checked entry */
    int npend;
    struct bt_exit *pend[BT_MAX_EXITS];
    int nslow;
    struct slowpath slow[BT_MAX_SLOW];
    /* loop.c: a self-loop's back-edge enters the loop copy. */
    bool loop;
    int remat;               /* FL_REMAT: the CMP/TEST that remakes the flags */
    uint8_t remat_regs;      /* ...and the registers it reads (bit per register) */
    int nloop;
    uint8_t *loop_site[2];   /* back-edge jumps to the loop copy */
};

/* translate.c: the frame. */
void t_count_to(struct tctx *t, int k);
/* count.insns = end - R13 (clobbers the host flags and R10). */
void t_count_store(struct emit *e);
void t_regs_store(struct emit *e);
void t_regs_load(struct emit *e);
void t_trap(struct tctx *t, int k);
void t_check_after(struct tctx *t, int k, bool may_write);
/* Exits: to the dispatcher with k instructions retired (EIP set); by the
 * indirect lookup (EIP set); to eip, chainable, always (cc < 0) or when
 * host condition cc holds (all instructions retired). */
void t_exit_generic(struct tctx *t, int k);
void t_exit_indirect(struct tctx *t);
void t_exit_direct(struct tctx *t, int cc, uint32_t eip);

/* Flags: into the host RFLAGS (before an instruction reading them), into
 * rt->slot (before a C call or an exit), out of the way of a TLB probe. */
void t_flags_host(struct tctx *t);
/* The code of it, without the state (clobbers R10). */
void t_emit_flags_load(struct tctx *t);
void t_flags_sync(struct tctx *t);
void t_flags_save(struct tctx *t);
/* An instruction writing the flags in wr (row->flags_write) was emitted. */
void t_flags_written(struct tctx *t, uint32_t wr, bool logic);
/* Makes a due OF (struct of_due) in the slot; the flags end there. */
void t_of_make(struct tctx *t, struct of_due of);

/* native.c: true when instruction k (not a control transfer) was made
 * into host code. */
bool t_native(struct tctx *t, int k);

/* mem.c: R8 = linear address of i's memory operand (false: segment not
 * flat, the caller traps); the probe + op + slow path of one access. */
bool t_mem_lin(struct tctx *t, const struct insn *i);
/* The same for a plain offset (moffs forms). */
bool t_mem_lin_disp(struct tctx *t, unsigned seg, uint32_t off);
void t_mem_access(struct tctx *t, unsigned seg, unsigned acc, unsigned size, op_fn op,
                  const struct insn *i, uint32_t arg);
/* The same with what the instruction does after a write (NULL: nothing). */
void t_mem_access_tail(struct tctx *t, unsigned seg, unsigned acc, unsigned size, op_fn op,
                       const struct insn *i, uint32_t arg, const struct mem_tail *tail);
void t_emit_slow_paths(struct tctx *t);

/* flow.c: stack instructions and control transfers (a transfer ends the
 * block and makes its exits, setting t->ended). */
bool t_flow(struct tctx *t, int k, bool last);

/* loop.c: is the block a self-loop with a CMP/TEST producer (sets
 * t->loop, t->remat); the flags remade (FL_REMAT -> FL_HOST); before an
 * instruction of the loop copy; the back-edge (false: not one); the loop
 * copy's entry check and its bail-out. */
void t_loop_plan(struct tctx *t);
void t_flags_remat(struct tctx *t);
void t_loop_guard(struct tctx *t, const struct insn *i);
bool t_loop_back(struct tctx *t, int k, int cc, uint32_t target);
void t_loop_entry(struct tctx *t, uint8_t **bail_site);
void t_entry_check(struct tctx *t, uint8_t **bail_site, int fl);
void t_loop_bail(struct tctx *t);

#endif
