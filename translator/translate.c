/* translate.c -- block formation and the block's frame: decoding a block
 * with the one decoder, the entry check (instruction budget, stop
 * request), trapped instructions (a call into the interpreter's handler
 * with the state it expects), the exits (chainable direct jumps, the
 * indirect lookup) and the fixed entry/exit code of the cache.  Copied
 * and rewritten instructions are made in native.c. */
#include <stdlib.h>
#include <string.h>

#include "cpu/mem.h"
#include "machine/bus.h"
#include "translator/bt_int.h"
#include "translator/emit.h"
#include "translator/tctx.h"

/* ---- block formation ---- */

/* Instructions after which a block ends: control transfers and whatever
 * may change the mode, the interrupt flag or the memory map; CLD/STD,
 * since DF is part of the block key (string instructions).  RDTSC at
 * CPL 0 is made inline (native.c) and changes nothing of that. */
static bool ends_block(const struct insn *i, uint32_t mode)
{
    if (i->opcode == 0x131 && !((mode >> MODE_CPL_SHIFT) & 3) && !(i->prefixes & PFX_LOCK))
        return false;
    return i->row->cls != CL_PLAIN || i->opcode == 0xFC || i->opcode == 0xFD;
}

bool bt_decode_block(struct bt *bt, struct bt_block *b, const uint8_t *page)
{
    struct cpu *c = bt->cpu;
    struct insn tmp[BT_MAX_INSNS];
    uint32_t off = b->key.lin & 0xFFF;
    uint64_t limit_left = (uint64_t)b->key.cs_hi - (b->key.lin - b->key.cs_base) + 1;
    int code32 = (b->key.mode & MODE_CODE32) != 0;
    unsigned n = 0, span = 0;
    while (n < BT_MAX_INSNS) {
        uint64_t avail = 0x1000 - (off + span);
        if (limit_left - span < avail)
            avail = limit_left - span;
        if (avail == 0)
            break;
        int len = decode(&tmp[n], page + off + span, avail > 15 ? 15 : (int)avail,
                         code32, c->model);
        if (len <= 0)
            break;      /* invalid, or crosses the page: the interpreter does it */
        span += (unsigned)len;
        if (ends_block(&tmp[n++], b->key.mode))
            break;
    }
    b->n = (uint8_t)n;
    b->span = (uint16_t)span;
    bt_protect_page(bt, b->key.phys);
    if (n == 0)
        return true;
    b->ins = bt_meta_alloc(bt, n * sizeof *b->ins);
    b->kind = bt_meta_alloc(bt, n);
    b->host_off = bt_meta_alloc(bt, (n + 1) * sizeof *b->host_off);
    if (!b->ins || !b->kind || !b->host_off)
        return false;
    memcpy(b->ins, tmp, n * sizeof *b->ins);
    return true;
}

/* ---- the fixed code at the start of the cache ---- */

/* Guest registers between the CPU state and their host registers. */
void t_regs_store(struct emit *e)
{
    for (unsigned n = 0; n < 8; n++)
        emit_mov_m_r32(e, M(H_CPU, (int32_t)(offsetof(struct cpu, r) + 4 * n)), hreg(n));
}

void t_regs_load(struct emit *e)
{
    for (unsigned n = 0; n < 8; n++)
        emit_mov_r32_m(e, hreg(n), M(H_CPU, (int32_t)(offsetof(struct cpu, r) + 4 * n)));
}

void bt_emit_runtime(struct bt *bt)
{
    static const uint8_t saved[] = { H_RBX, H_RBP, H_R12, H_R13, H_R14, H_R15 };
    struct emit e;
    emit_init(&e, bt->code, bt->code_end);
    /* enter(cpu, rt, host): callee-saved registers kept, the stack 16-byte
     * aligned for the helpers' calls, R15 = cpu, R14 = rt, the guest's
     * registers loaded. */
    bt->enter = (void (*)(struct cpu *, struct bt_rt *, const uint8_t *))(void *)e.p;
    for (int k = 0; k < 6; k++)
        emit_push_r64(&e, saved[k]);
    emit_alu_r64_imm(&e, ALU_SUB, H_RSP, 8);
    emit_mov_r64_r64(&e, H_CPU, H_RDI);
    emit_mov_r64_r64(&e, H_RT, H_RSI);
    emit_mov_r64_r64(&e, H_T2, H_RDX);
    emit_mov_r64_m(&e, H_LEFT, M(H_RT, (int32_t)offsetof(struct bt_rt, left)));
    t_regs_load(&e);
    emit_jmp_r64(&e, H_T2);
    bt->epilogue = e.p;
    t_regs_store(&e);
    t_count_store(&e);
    emit_alu_r64_imm(&e, ALU_ADD, H_RSP, 8);
    for (int k = 5; k >= 0; k--)
        emit_pop_r64(&e, saved[k]);
    emit_ret(&e);
    /* Back to the dispatcher with nothing to chain. */
    bt->rt.generic_exit = e.p;
    emit_op_rm(&e, 0xC7, true, 0, M(H_RT, (int32_t)offsetof(struct bt_rt, last_exit)));
    emit_u32(&e, 0);
    emit_jmp_rel32(&e, bt->epilogue);
    bt->code_blocks = (uint8_t *)(((uintptr_t)e.p + 63) & ~(uintptr_t)63);
    bt->code_free = bt->code_blocks;
}

/* ---- pieces of a block ---- */

/* count = block start + k (k instructions of the block retired): R13
 * moves, flag-free; t_count_store puts it in the CPU state. */
void t_count_to(struct tctx *t, int k)
{
    if (k != t->committed)
        emit_op_rm(&t->e, 0x8D, true, H_LEFT, M(H_LEFT, t->committed - k));
    t->committed = k;
}

void t_count_store(struct emit *e)
{
    emit_mov_r64_m(e, H_T1, M(H_RT, (int32_t)offsetof(struct bt_rt, end)));
    emit_op_rr(e, 0x29, true, H_LEFT, H_T1);                 /* sub r10, r13 */
    emit_mov_m_r64(e, CPU_M(count.insns), H_T1);
}

/* Leaves for the dispatcher with k instructions retired; c->eip is set.
 * The flags state is unchanged for the code that follows. */
void t_exit_generic(struct tctx *t, int k)
{
    int saved = t->committed, fl = t->fl;
    struct of_due of = t->of;
    t_flags_sync(t);
    t_count_to(t, k);
    emit_jmp_rel32(&t->e, t->bt->rt.generic_exit);
    t->committed = saved;
    t->fl = fl;
    t->of = of;
}

/* Through bt_helper_lookup (c->eip set, flags in the slot). */
void t_exit_indirect(struct tctx *t)
{
    struct emit *e = &t->e;
    t_regs_store(e);
    emit_mov_r64_r64(e, H_RDI, H_CPU);
    emit_mov_r64_r64(e, H_RSI, H_RT);
    emit_call_abs(e, (const void *)bt_helper_lookup);
    emit_mov_r64_r64(e, H_T2, H_RAX);
    t_regs_load(e);
    emit_jmp_r64(e, H_T2);
}

/* Can a jump to eip be chained?  Within the CS limit; a target on another
 * linear page is chained to its checked entry. */
static bool chainable(const struct tctx *t, uint32_t eip)
{
    const struct bt_key *k = &t->b->key;
    return eip <= k->cs_hi && t->b->nexits < BT_MAX_EXITS;
}

/* A stub that records exit x and returns to the dispatcher, which may
 * then chain it. */
static uint8_t *exit_stub(struct tctx *t, struct bt_exit *x)
{
    uint8_t *stub = t->e.p;
    emit_mov_m32_imm(&t->e, CPU_M(eip), x->target_eip);
    emit_mov_r64_imm(&t->e, H_T2, (uint64_t)(uintptr_t)x);
    emit_mov_m_r64(&t->e, RT_M(last_exit), H_T2);
    emit_jmp_rel32(&t->e, t->bt->epilogue);
    return stub;
}

static struct bt_exit *new_exit(struct tctx *t, uint32_t eip)
{
    struct bt_exit *x = &t->b->exits[t->b->nexits++];
    const struct bt_key *k = &t->b->key;
    memset(x, 0, sizeof *x);
    x->target_eip = eip;
    x->from = t->b;
    x->cross = ((k->cs_base + eip) >> 12) != (k->lin >> 12) || t->checked_exit;
    return x;
}

/* Stubs come after the block's code: their sites are patched then. */
static void pending_exit(struct tctx *t, struct bt_exit *x)
{
    t->pend[t->npend++] = x;
}

/* Goes to eip (all instructions retired, count and flags done by the
 * caller).  cc < 0: always; else a jcc on the host flags. */
void t_exit_direct(struct tctx *t, int cc, uint32_t eip)
{
    if (chainable(t, eip)) {
        struct bt_exit *x = new_exit(t, eip);
        x->site = cc < 0 ? emit_jmp_rel32(&t->e, t->e.p) : emit_jcc_rel32(&t->e, (unsigned)cc, t->e.p);
        pending_exit(t, x);
        return;
    }
    uint8_t *skip = NULL;
    if (cc >= 0)
        skip = emit_jcc_rel8(&t->e, (unsigned)cc ^ 1);
    emit_mov_m32_imm(&t->e, CPU_M(eip), eip);
    t_exit_indirect(t);
    if (skip && !t->e.full)
        emit_patch_rel8(skip, t->e.p);
}

/* ---- trapped instructions ---- */

static bool static_targets(const struct insn *i, uint32_t next, uint32_t *taken)
{
    switch (i->opcode) {
    case 0x70: case 0x71: case 0x72: case 0x73: case 0x74: case 0x75: case 0x76: case 0x77:
    case 0x78: case 0x79: case 0x7A: case 0x7B: case 0x7C: case 0x7D: case 0x7E: case 0x7F:
    case 0xE0: case 0xE1: case 0xE2: case 0xE3: case 0xE8: case 0xE9: case 0xEB:
        break;
    default:
        if (i->opcode >= 0x180 && i->opcode <= 0x18F)
            break;
        return false;
    }
    uint32_t t = next + i->imm;
    *taken = i->o32 ? t : (t & 0xFFFF);
    return true;
}

/* Calls the interpreter's handler for instruction k with the state the
 * interpreter gives it: registers and flags in the CPU state, count,
 * fault bookkeeping, EIP of the next one (bt_trap_call). */
void t_trap(struct tctx *t, int k)
{
    const struct insn *i = &t->b->ins[k];
    struct emit *e = &t->e;
    enum trap_class cls = bt_trap_class(i);
    t_flags_sync(t);
    t_count_to(t, k);
    t_count_store(e);
    emit_mov_m32_imm(e, CPU_M(insn_eip), t->eip);
    emit_mov_m_r32(e, CPU_M(insn_esp), hreg(R_ESP));
    emit_mov_m32_imm(e, CPU_M(eip), t->next);
    t_regs_store(e);
    emit_mov_r64_r64(e, H_RDI, H_CPU);
    emit_mov_r64_imm(e, H_RSI, (uint64_t)(uintptr_t)i);
    emit_mov_r64_r64(e, H_RDX, H_RT);
    emit_mov_r32_imm(e, H_RCX, cls);
    emit_call_abs(e, (const void *)bt_trap_call);
    t_regs_load(e);
    t->fl = FL_SLOT;
    t->b->kind[k] = K_TRAPPED;
}

/* After a trapped plain instruction: leave if it did not fall through
 * (a REP chunk restarts it) or a write made translated code stale. */
void t_check_after(struct tctx *t, int k, bool may_write)
{
    struct emit *e = &t->e;
    emit_alu_m32_imm(e, ALU_CMP, CPU_M(eip), t->next);
    uint8_t *ok = emit_jcc_rel8(e, 0x4);   /* je */
    t_exit_generic(t, k + 1);
    if (!e->full)
        emit_patch_rel8(ok, e->p);
    if (!may_write)
        return;
    emit_alu_m8_imm(e, ALU_CMP, CPU_M(exit_block), 0);
    ok = emit_jcc_rel8(e, 0x4);
    t_exit_generic(t, k + 1);
    if (!e->full)
        emit_patch_rel8(ok, e->p);
}

static bool is_port_io(const struct insn *i)
{
    return (i->opcode >= 0xE4 && i->opcode <= 0xE7) || (i->opcode >= 0xEC && i->opcode <= 0xEF);
}

/* The last instruction, trapped: where to go after it. */
static void trapped_end(struct tctx *t, int k)
{
    const struct insn *i = &t->b->ins[k];
    struct emit *e = &t->e;
    uint32_t taken;
    t_count_to(t, k + 1);
    t->ended = true;
    switch (i->row->cls) {
    case CL_PLAIN:
        t_check_after(t, k, true);
        t_exit_direct(t, -1, t->next);
        return;
    case CL_BRANCH:
        if (static_targets(i, t->next, &taken)) {
            emit_alu_m32_imm(e, ALU_CMP, CPU_M(eip), taken);
            t_exit_direct(t, 0x4, taken);
            if (taken != t->next) {
                emit_alu_m32_imm(e, ALU_CMP, CPU_M(eip), t->next);
                t_exit_direct(t, 0x4, t->next);
            }
        }
        /* A push to a code page, or an indirect target. */
        emit_alu_m8_imm(e, ALU_CMP, CPU_M(exit_block), 0);
        emit_jcc_rel32(e, 0x5, t->bt->rt.generic_exit);
        t_exit_indirect(t);
        return;
    case CL_IO:
        if (is_port_io(i)) {
            /* IN/OUT: on to the next block unless the device needs the
             * dispatcher (an interrupt, a stop, ...): bt_io_continue. */
            emit_mov_r64_r64(e, H_RDI, H_CPU);
            emit_mov_r64_r64(e, H_RSI, H_RT);
            emit_call_abs(e, (const void *)bt_io_continue);
            emit_mov_r64_r64(e, H_T2, H_RAX);
            t_regs_load(e);
            emit_op_rr(e, 0x85, false, H_T2, H_T2);
            emit_jcc_rel32(e, 0x4, t->bt->rt.generic_exit);
            t->checked_exit = true;
            t_exit_direct(t, -1, t->next);
            t->checked_exit = false;
            return;
        }
        emit_jmp_rel32(e, t->bt->rt.generic_exit);
        return;
    default:
        /* Mode, interrupt flag: the dispatcher looks at everything. */
        emit_jmp_rel32(e, t->bt->rt.generic_exit);
        return;
    }
}

/* ---- the block ---- */

/* The entry of chained jumps from another linear page: is the block's
 * page still mapped (TLB, this CPL) to the physical page it was made
 * from?  A CR3 write or INVLPG that changed it sends the jump back to the
 * dispatcher (the entry clobbers only the host flags; flags are in the
 * slot at block entry). */
static void checked_entry(struct tctx *t, uint8_t **bail_site)
{
    struct emit *e = &t->e;
    const struct bt_key *k = &t->b->key;
    int32_t ent = (int32_t)(offsetof(struct cpu, tlb) +
                            ((k->lin >> 12) & (TLB_SIZE - 1)) * sizeof(struct tlb_entry));
    unsigned cpl = (k->mode >> MODE_CPL_SHIFT) & 3;
    emit_alu_m32_imm(e, ALU_CMP, M(H_CPU, ent + (int32_t)offsetof(struct tlb_entry, vpage)),
                     (k->lin & ~0xFFFu) | TLB_VALID);
    bail_site[0] = emit_jcc_rel32(e, 0x5, e->p);
    emit_alu_m32_imm(e, ALU_CMP, M(H_CPU, ent + (int32_t)offsetof(struct tlb_entry, ppage)),
                     k->phys & ~0xFFFu);
    bail_site[1] = emit_jcc_rel32(e, 0x5, e->p);
    emit_test_m8_imm(e, M(H_CPU, ent + (int32_t)offsetof(struct tlb_entry, perm)),
                     cpl == 3 ? TLB_UR : TLB_SR);
    bail_site[2] = emit_jcc_rel32(e, 0x4, e->p);
}

/* The entry check: the block's instructions fit the run (R13, the
 * instructions left, takes them all up front; exits that leave early give
 * some back), no stop request.  The bail-out gives them back.  fl: where
 * the flags are after it (the slot at the block's entry; to be remade at
 * the loop copy's, loop.c). */
void t_entry_check(struct tctx *t, uint8_t **bail_site, int fl)
{
    struct emit *e = &t->e;
    struct bt_block *b = t->b;
    emit_alu_r64_imm(e, ALU_SUB, H_LEFT, b->n);
    bail_site[0] = emit_jcc_rel32(e, 0x2, e->p);     /* jb */
    emit_alu_m32_imm(e, ALU_CMP, CPU_M(stop_request), 0);
    bail_site[1] = emit_jcc_rel32(e, 0x5, e->p);     /* jne */
    /* The execution count, when asked for, lives away from the code: a
     * store next to executing code costs the host a self-modifying-code
     * flush. */
    if (b->counted) {
        emit_mov_r64_imm(e, H_T2, (uint64_t)(uintptr_t)b->execs);
        emit_alu_m32_imm(e, ALU_ADD, M(H_T2, 0), 1);
    }
    t->committed = b->n;
    t->fl = fl;
    t->af_zero = false;
}

/* After a last instruction that falls through (the block hit its length
 * limit, a page end or an instruction it leaves to the dispatcher). */
static void fall_through(struct tctx *t, int k)
{
    t_flags_sync(t);
    t_count_to(t, k + 1);
    t_exit_direct(t, -1, t->next);
}

/* The block's instructions; a loop copy (loop.c) keeps the view's
 * offsets of the first body and guards its remade flags. */
static void translate_insns(struct tctx *t, uint8_t *entry, bool loop_copy)
{
    struct bt_block *b = t->b;
    uint32_t eip_mask = (b->key.mode & MODE_CODE32) ? 0xFFFFFFFFu : 0xFFFFu;
    t->eip = b->key.lin - b->key.cs_base;
    t->ended = false;
    for (int k = 0; k < b->n && !t->e.full; k++) {
        const struct insn *i = &b->ins[k];
        t->next = (t->eip + i->len) & eip_mask;
        t->k = k;
        if (loop_copy)
            t_loop_guard(t, i);
        else
            b->host_off[k] = (uint32_t)(t->e.p - entry);
        bool last = k == b->n - 1;
        if (t_flow(t, k, last) || t_native(t, k)) {
            if (last && !t->ended)
                fall_through(t, k);
        } else {
            t_trap(t, k);
            if (last)
                trapped_end(t, k);
            else
                t_check_after(t, k, true);
        }
        t->eip = t->next;
    }
    if (!loop_copy)
        b->host_off[b->n] = (uint32_t)(t->e.p - entry);
}

/* Emits the block at start: false when the cache is full, or (*retry)
 * when the loop copy cannot be made after all. */
static bool emit_block(struct tctx *t, uint8_t *start, bool loop, bool *retry)
{
    struct bt *bt = t->bt;
    struct bt_block *b = t->b;
    memset(t, 0, sizeof *t);
    t->bt = bt;
    t->b = b;
    emit_init(&t->e, start, bt->code_end);
    if (loop)
        t_loop_plan(t);
    uint8_t *checked = t->e.p;
    uint8_t *cbail[3], *bail[2], *lbail[2], *loop_entry = NULL;
    checked_entry(t, cbail);
    uint8_t *entry = t->e.p;
    b->nexits = 0;
    t_entry_check(t, bail, FL_SLOT);
    translate_insns(t, entry, false);
    if (t->loop) {
        if (b->kind[t->remat] != K_COPIED || !t->nloop) {
            *retry = true;
            return false;
        }
        loop_entry = t->e.p;
        t_loop_entry(t, lbail);
        translate_insns(t, entry, true);
    }
    /* Out of line: TLB slow paths, the bail-out of the entry checks and
     * the exit stubs. */
    t_emit_slow_paths(t);
    uint8_t *loop_bail = t->e.p;
    if (t->loop)
        t_loop_bail(t);
    uint8_t *check_bail = t->e.p;
    emit_mov_m32_imm(&t->e, CPU_M(eip), b->key.lin - b->key.cs_base);
    emit_jmp_rel32(&t->e, bt->rt.generic_exit);
    uint8_t *bail_code = t->e.p;
    emit_op_rm(&t->e, 0x8D, true, H_LEFT, M(H_LEFT, b->n));
    emit_jmp_rel32(&t->e, check_bail);
    for (int x = 0; x < t->npend; x++)
        t->pend[x]->stub = exit_stub(t, t->pend[x]);
    if (t->e.full)
        return false;
    for (int x = 0; x < 3; x++)
        emit_patch_rel32(cbail[x], check_bail);
    emit_patch_rel32(bail[0], bail_code);
    emit_patch_rel32(bail[1], bail_code);
    for (int x = 0; t->loop && x < 2; x++)
        emit_patch_rel32(lbail[x], loop_bail);
    for (int x = 0; x < t->nloop; x++)
        emit_patch_rel32(t->loop_site[x], loop_entry);
    for (int x = 0; x < t->npend; x++)
        emit_patch_rel32(t->pend[x]->site, t->pend[x]->stub);
    b->host = entry;
    b->checked = checked;
    b->host_size = (uint32_t)(t->e.p - entry);
    bt->code_free = t->e.p;
    bt->st->bt_blocks++;
    bt->st->bt_host_bytes += (uint64_t)(t->e.p - checked);
    return true;
}

bool bt_translate(struct bt *bt, struct bt_block *b)
{
    struct tctx *t = calloc(1, sizeof *t);
    if (!t)
        return false;
    t->bt = bt;
    t->b = b;
    bool ok = false, retry = false;
    uint8_t *start = (uint8_t *)(((uintptr_t)bt->code_free + 15) & ~(uintptr_t)15);
    if (start + 16 > bt->code_end)
        goto out;
    if (!b->execs)
        b->execs = bt_meta_alloc(bt, sizeof *b->execs);
    if (!b->execs)
        goto out;
    *b->execs = 0;
    b->counted = bt->cfg.count_execs || (bt->count_while && *bt->count_while);
    ok = emit_block(t, start, true, &retry);
    if (!ok && retry)
        ok = emit_block(t, start, false, &retry);
out:
    free(t);
    return ok;
}
