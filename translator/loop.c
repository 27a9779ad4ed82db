/* loop.c -- self-loops whose back-edge is a Jcc right after a CMP or TEST
 * of registers (the benchmark's inner loops): the back-edge does not save
 * the flags; it enters a second copy of the body (the loop copy) in which
 * the flags at entry are *rematerialisable* (FL_REMAT): running the CMP
 * again makes them, as long as its registers still hold its operands.  A
 * probe, the entry check and any exit then need no PUSHFQ until the body
 * overwrites the flags itself; the slow paths, bails and exits remake
 * them first (precise faults see the exact flags). */
#include "translator/tctx.h"

static bool is_jcc_op(unsigned op)
{
    return (op >= 0x70 && op <= 0x7F) || (op >= 0x180 && op <= 0x18F);
}

static uint8_t reg_bits(unsigned n)
{
    return (uint8_t)((1u << (n & 7)) | (1u << (n & 3)));   /* AH..BH: EAX..EBX */
}

/* The registers a CMP/TEST producer reads, or 0 when instruction i is
 * not one (memory operands, prefixes, forms native.c would not copy). */
static uint8_t producer_regs(const struct insn *i)
{
    unsigned op = i->opcode;
    if (i->prefixes & (PFX_LOCK | PFX_REP | PFX_REPNE))
        return 0;
    if ((i->row->flags_write & F_ARITH) != F_ARITH || (i->row->flags_read & F_ARITH))
        return 0;
    if (op == 0x3C || op == 0x3D || op == 0xA8 || op == 0xA9)
        return reg_bits(R_EAX);
    if (i->mod != 3)
        return 0;
    if ((op >= 0x38 && op <= 0x3B) || op == 0x84 || op == 0x85)
        return reg_bits(i->reg) | reg_bits(i->rm);
    if ((op >= 0x80 && op <= 0x83 && i->reg == 7) ||
        ((op == 0xF6 || op == 0xF7) && i->reg <= 1))
        return reg_bits(i->rm);
    return 0;
}

void t_loop_plan(struct tctx *t)
{
    const struct bt_block *b = t->b;
    t->loop = false;
    t->remat = -1;
    if (b->n < 2 || t->bt->cpu->model == CPU_286)
        return;
    const struct insn *j = &b->ins[b->n - 1];
    uint32_t start = b->key.lin - b->key.cs_base;
    uint32_t end = start + b->span;
    uint32_t target = end + j->imm;
    if (!j->o32)
        target &= 0xFFFF;
    if (!is_jcc_op(j->opcode) || target != start || target > b->key.cs_hi ||
        (j->prefixes & (PFX_LOCK | PFX_REP | PFX_REPNE)))
        return;
    uint8_t regs = producer_regs(&b->ins[b->n - 2]);
    if (!regs)
        return;
    t->loop = true;
    t->remat = b->n - 2;
    t->remat_regs = regs;
}

/* Makes the flags again: the producer, copied once more (FL_HOST after). */
void t_flags_remat(struct tctx *t)
{
    int k = t->remat;
    uint8_t kind = t->b->kind[k];
    t->fl = FL_HOST;                 /* it reads no flags: none to load */
    t_native(t, k);
    t->b->kind[k] = kind;
}

/* General registers instruction i may write (all of them when unsure). */
static uint8_t regs_written(const struct insn *i)
{
    unsigned op = i->opcode, rm = i->mod == 3 ? reg_bits(i->rm) : 0;
    if (op < 0x40 && (op & 7) < 4)
        return (op >> 3) == 7 ? 0 : (op & 2) ? reg_bits(i->reg) : rm;
    if (op < 0x40 && (op & 7) < 6)
        return (op >> 3) == 7 ? 0 : reg_bits(R_EAX);
    if (op >= 0x40 && op <= 0x4F)
        return reg_bits(op & 7);
    if (op >= 0x80 && op <= 0x83)
        return i->reg == 7 ? 0 : rm;
    if (op >= 0xB0 && op <= 0xBF)
        return reg_bits(op & 7);
    if (op >= 0x140 && op <= 0x14F)
        return reg_bits(i->reg);
    if (op >= 0x190 && op <= 0x19F)
        return rm;
    switch (op) {
    case 0x84: case 0x85: case 0xA8: case 0xA9: case 0x90:
    case 0xF5: case 0xF8: case 0xF9:
        return 0;
    case 0x86: case 0x87:
        return reg_bits(i->reg) | rm;
    case 0x88: case 0x89: case 0xC6: case 0xC7:
    case 0xC0: case 0xC1: case 0xD0: case 0xD1: case 0xD2: case 0xD3:
        return rm;
    case 0x8A: case 0x8B: case 0x8D: case 0x69: case 0x6B:
    case 0x1AF: case 0x1B6: case 0x1B7: case 0x1BE: case 0x1BF:
        return reg_bits(i->reg);
    case 0x98: return reg_bits(R_EAX);
    case 0x99: return reg_bits(R_EDX);
    case 0xF6: case 0xF7:
        return i->reg <= 1 ? 0 : i->reg <= 3 ? rm : reg_bits(R_EAX) | reg_bits(R_EDX);
    case 0xFE: case 0xFF:
        return i->reg <= 1 ? rm : 0xFF;
    default:
        return 0xFF;
    }
}

/* Instructions that write every arithmetic flag from their operands
 * alone: after them the remade flags are no longer needed. */
static bool writes_all_flags(const struct insn *i)
{
    unsigned op = i->opcode;
    if (op >= 0xC0 && op <= 0xD3)
        return false;                /* shifts: counts of 0, OF made later */
    return (i->row->flags_write & F_ARITH) == F_ARITH && !(i->row->flags_read & F_ARITH);
}

/* Before instruction i of the loop copy: remake the flags into the slot
 * if i changes the producer's registers and leaves some flags. */
void t_loop_guard(struct tctx *t, const struct insn *i)
{
    if (t->fl == FL_REMAT && (regs_written(i) & t->remat_regs) && !writes_all_flags(i))
        t_flags_save(t);
}

/* The back-edge to the block's start (all instructions retired): to the
 * loop copy without saving the flags, which are the producer's; a jcc on
 * cc straight there when the count needs no step, else (cc < 0) a jmp
 * after it.  False: not the loop's back-edge (or cc >= 0 and a step is
 * needed). */
bool t_loop_back(struct tctx *t, int k, int cc, uint32_t target)
{
    if (!t->loop || k != t->b->n - 1 || target != t->b->key.lin - t->b->key.cs_base ||
        t->nloop >= 2 || t->of.kind || (cc >= 0 && t->committed != k + 1))
        return false;
    if (cc >= 0) {
        t->loop_site[t->nloop++] = emit_jcc_rel32(&t->e, (unsigned)cc, t->e.p);
        return true;
    }
    t_count_to(t, k + 1);
    t->loop_site[t->nloop++] = emit_jmp_rel32(&t->e, t->e.p);
    return true;
}

/* The loop copy's entry check (where the back-edges go): as the block's
 * (translate.c's prologue), with the flags left to be remade. */
void t_loop_entry(struct tctx *t, uint8_t **bail_site)
{
    t_entry_check(t, bail_site, FL_REMAT);
    t->of.kind = 0;
}

/* Its bail-out: the count given back, the flags remade into the slot,
 * back to the dispatcher at the block's start. */
void t_loop_bail(struct tctx *t)
{
    struct emit *e = &t->e;
    emit_op_rm(e, 0x8D, true, H_LEFT, M(H_LEFT, t->b->n));
    t->fl = FL_REMAT;
    t_flags_save(t);
    emit_mov_m32_imm(e, CPU_M(eip), t->b->key.lin - t->b->key.cs_base);
    emit_jmp_rel32(e, t->bt->rt.generic_exit);
}
