/* mem.c -- memory operands in translated code: the linear address of an
 * operand in a flat segment (block key), an inline probe of the software
 * TLB (the same test as cpu/mem.h's lin_rd/lin_wr: page tag with the
 * valid bit, the CPL's direct-access permission, no page crossing) giving
 * the host address in R9, and for a miss a slow path out of line that
 * stores the state a fault needs and lets mmu.c do the access on a bounce
 * buffer (TLB fill, #PF, MMIO, pages holding translated code, accesses
 * crossing a page). */
#include "cpu/mem.h"
#include "translator/tctx.h"

_Static_assert(sizeof(struct tlb_entry) == 24, "the probe scales the TLB index by 3*8");

static bool seg_flat(const struct tctx *t, unsigned seg)
{
    return (t->b->key.mode >> (MODE_FLAT_SHIFT + seg)) & 1;
}

static bool seg_based(const struct tctx *t, unsigned seg)
{
    return (t->b->key.mode >> (MODE_BASED_SHIFT + seg)) & 1;
}

/* R8 += the segment's base (flag-free; a based segment's base is read
 * when the code runs: a segment load ends the block, not the key). */
static void add_base(struct tctx *t, unsigned seg)
{
    if (!seg_based(t, seg))
        return;
    int32_t base = (int32_t)(offsetof(struct cpu, seg) + seg * sizeof(struct seg) +
                             offsetof(struct seg, base));
    emit_mov_r32_m(&t->e, H_T1, M(H_CPU, base));
    emit_op_rm(&t->e, 0x8D, false, H_LIN, MX(H_LIN, H_T1, 0, 0));
}

bool t_mem_lin_disp(struct tctx *t, unsigned seg, uint32_t off)
{
    if (!seg_flat(t, seg) && !seg_based(t, seg))
        return false;
    emit_mov_r32_imm(&t->e, H_LIN, off);
    add_base(t, seg);
    return true;
}

bool t_mem_lin(struct tctx *t, const struct insn *i)
{
    struct emit *e = &t->e;
    if (!seg_flat(t, i->seg) && !seg_based(t, i->seg))
        return false;
    if (i->base == R_NONE && i->index == R_NONE)
        return t_mem_lin_disp(t, i->seg, i->a32 ? i->disp : (i->disp & 0xFFFF));
    struct mem m = MX(i->base == R_NONE ? H_NONE : (uint8_t)hreg(i->base),
                      i->index == R_NONE ? H_NONE : (uint8_t)hreg(i->index),
                      i->scale, (int32_t)i->disp);
    emit_op_rm(e, 0x8D, false, H_LIN, m);
    if (!i->a32)
        emit_op_rr(e, 0x0FB7, false, H_LIN, H_LIN);
    add_base(t, i->seg);
    return true;
}

static struct mem tlb_field(size_t field)
{
    return MX(H_CPU, H_PTR, 3, (int32_t)(offsetof(struct cpu, tlb) + field));
}

/* The host address of a hit when the TLB entry maps the page to RAM at
 * the same physical address (no paging, A20 on): R9 = ram + R8 at once,
 * so the guest's access does not wait for the entry's host pointer (a
 * dependent load: 14% of the benchmark); the check that the entry's host
 * pointer is ram + page runs beside it and sends any other mapping to the
 * slow path.  R10 = (last byte's page) | TLB_VALID, R9 = entry index. */
static void probe_identity(struct tctx *t, struct slowpath *s)
{
    struct emit *e = &t->e;
    emit_lea_r64(e, H_T1, MX(H_T2, H_T1, 0, -(int32_t)TLB_VALID));   /* ram + page */
    emit_alu_r64_m(e, ALU_CMP, H_T1, tlb_field(offsetof(struct tlb_entry, host)));
    s->site[s->nsite++] = emit_jcc_rel32(e, 0x5, e->p);
    emit_lea_r64(e, H_PTR, MX(H_T2, H_LIN, 0, 0));
}

/* R8 = linear address; hit: R9 = host address.  Clobbers RFLAGS, R9-R11. */
static void probe(struct tctx *t, struct slowpath *s, bool write)
{
    struct emit *e = &t->e;
    unsigned cpl = (t->b->key.mode >> MODE_CPL_SHIFT) & 3;
    uint8_t bit = write ? (cpl == 3 ? TLB_UW : TLB_SW) : (cpl == 3 ? TLB_UR : TLB_SR);
    /* Translated without paging: lin = phys is likely (checked). */
    bool identity = !(t->bt->cpu->cr0 & CR0_PG);
    if (identity)
        emit_mov_r64_m(e, H_T2, RT_M(ram));
    emit_mov_r32_r32(e, H_PTR, H_LIN);
    emit_shift_r32_imm(e, 5, H_PTR, 12);
    emit_alu_r32_imm(e, ALU_AND, H_PTR, TLB_SIZE - 1);
    emit_lea_r64(e, H_PTR, MX(H_PTR, H_PTR, 1, 0));             /* x3 */
    /* The tag of the access's last byte: a crossing access misses. */
    emit_op_rm(e, 0x8D, false, H_T1, M(H_LIN, (int32_t)s->size - 1));
    emit_alu_r32_imm(e, ALU_AND, H_T1, ~0xFFFu);
    emit_alu_r32_imm(e, ALU_OR, H_T1, TLB_VALID);
    emit_alu_r32_m(e, ALU_CMP, H_T1, tlb_field(offsetof(struct tlb_entry, vpage)));
    s->site[s->nsite++] = emit_jcc_rel32(e, 0x5, e->p);
    emit_test_m8_imm(e, tlb_field(offsetof(struct tlb_entry, perm)), bit);
    s->site[s->nsite++] = emit_jcc_rel32(e, 0x4, e->p);
    if (identity) {
        probe_identity(t, s);
        return;
    }
    emit_mov_r64_m(e, H_PTR, tlb_field(offsetof(struct tlb_entry, host)));
    emit_mov_r32_r32(e, H_T1, H_LIN);
    emit_alu_r32_imm(e, ALU_AND, H_T1, 0xFFF);
    emit_op_rr(e, 0x01, true, H_T1, H_PTR);                      /* add r9, r10 */
}

/* One memory access of instruction t->k at R8: the flags saved to the
 * slot (the probe clobbers RFLAGS), probe, then op on [R9]; a miss runs
 * the slow path, which comes back after op. */
void t_mem_access(struct tctx *t, unsigned seg, unsigned acc, unsigned size, op_fn op,
                  const struct insn *i, uint32_t arg)
{
    t_mem_access_tail(t, seg, acc, size, op, i, arg, NULL);
}

void t_mem_access_tail(struct tctx *t, unsigned seg, unsigned acc, unsigned size, op_fn op,
                       const struct insn *i, uint32_t arg, const struct mem_tail *tail)
{
    if (t->nslow >= BT_MAX_SLOW) {
        t->e.full = true;               /* cannot happen: 48 insns x 2 accesses */
        return;
    }
    if (t->fl != FL_REMAT)
        t_flags_save(t);             /* remade flags are made in the slow path */
    struct slowpath *s = &t->slow[t->nslow++];
    *s = (struct slowpath){ .seg = seg, .k = t->k, .committed = t->committed, .fl_before = t->fl,
                            .af_zero = t->af_zero, .of = t->of, .eip = t->eip, .next = t->next,
                            .acc = acc, .size = size, .op = op, .i = i, .arg = arg };
    if (tail)
        s->tail = *tail;
    probe(t, s, acc != MA_READ);
    op(t, i, arg);
    s->resume = t->e.p;
}

/* count.insns moves by n (R13 the other way; flag-free). */
static void count_add(struct emit *e, int n)
{
    if (n)
        emit_op_rm(e, 0x8D, true, H_LEFT, M(H_LEFT, -n));
}

static void call2(struct emit *e, const void *fn)
{
    emit_mov_r64_r64(e, H_RDI, H_CPU);
    emit_mov_r64_r64(e, H_RSI, H_RT);
    emit_call_abs(e, fn);
}

static void slow_path(struct tctx *t, struct slowpath *s)
{
    struct emit *e = &t->e;
    for (int n = 0; n < s->nsite; n++)
        emit_patch_rel32(s->site[n], e->p);
    /* What a fault needs: flags (with a due OF made), count, the
     * instruction's EIP and ESP, the registers. */
    int fl_before = s->fl_before;       /* the slot: the probe saved them */
    t->fl = fl_before;
    t->af_zero = s->af_zero;
    if (fl_before == FL_REMAT) {        /* or they are remade now */
        t_flags_save(t);
        fl_before = FL_SLOT;
        s->af_zero = t->af_zero;
    }
    if (s->of.kind)
        t_of_make(t, s->of);
    count_add(e, s->k - s->committed);
    t_count_store(e);
    emit_mov_m32_imm(e, CPU_M(insn_eip), s->eip);
    emit_mov_m_r32(e, CPU_M(insn_esp), hreg(R_ESP));
    t_regs_store(e);
    if (s->acc == MA_WRITE) {
        emit_mov_m_r32(e, RT_M(lin), H_LIN);
        emit_mov_m32_imm(e, RT_M(size), s->size | 0x100 | (s->seg << 12));
    } else {
        emit_mov_r32_r32(e, H_RDX, H_LIN);
        emit_mov_r32_imm(e, H_RCX, s->size | (s->acc == MA_RMW ? 0x100u : 0) | (s->seg << 12));
        call2(e, (const void *)bt_mem_read);
        t_regs_load(e);
    }
    emit_lea_r64(e, H_PTR, RT_M(bounce));
    t->fl = fl_before;
    t->af_zero = s->af_zero;
    t->of = s->of;
    s->op(t, s->i, s->arg);
    int fl = t->fl;
    t_flags_save(t);
    uint8_t *leave = NULL;
    if (s->acc != MA_READ) {
        t_regs_store(e);
        call2(e, (const void *)bt_mem_write);
        emit_mov_r64_r64(e, H_T2, H_RAX);
        t_regs_load(e);
        emit_op_rr(e, 0x85, false, H_T2, H_T2);                  /* test r11d, r11d */
        leave = emit_jcc_rel8(e, 0x5);
    }
    count_add(e, s->committed - s->k);
    if (fl == FL_HOST)
        t_emit_flags_load(t);
    emit_jmp_rel32(e, s->resume);
    if (!leave || e->full)
        return;                         /* full: the caller flushes and retries */
    /* The write hit translated code: finish the instruction (its register
     * steps, flag-free) and leave after it. */
    emit_patch_rel8(leave, e->p);
    if (s->tail.esp)
        emit_op_rm(e, 0x8D, false, hreg(R_ESP), M(hreg(R_ESP), s->tail.esp));
    if (s->tail.esi)
        emit_op_rm(e, 0x8D, false, hreg(R_ESI), M(hreg(R_ESI), s->tail.esi));
    if (s->tail.edi)
        emit_op_rm(e, 0x8D, false, hreg(R_EDI), M(hreg(R_EDI), s->tail.edi));
    count_add(e, 1);
    if (t->of.kind)
        t_of_make(t, t->of);
    if (!s->tail.eip_stored)
        emit_mov_m32_imm(e, CPU_M(eip), s->tail.has_eip ? s->tail.eip : s->next);
    emit_jmp_rel32(e, t->bt->rt.generic_exit);
}

void t_emit_slow_paths(struct tctx *t)
{
    for (int n = 0; n < t->nslow && !t->e.full; n++)
        slow_path(t, &t->slow[n]);
}
