/* native.c -- copied guest instructions.  Guest and host are both x86 and
 * the guest's registers sit in host registers of the same encoding
 * (tctx.h), so an integer instruction keeps its opcode, ModR/M and
 * immediate: only ESP (R12) needs a REX bit, one-byte INC/DEC become FF /0
 * /1, and a memory operand becomes [R9] after an inline TLB probe (mem.c;
 * such instructions are TRANSLATED).  The guest's arithmetic flags are
 * the host's own: they stay in RFLAGS while instructions produce and
 * consume them and go to rt->slot only for a C call or an exit. */
#include "cpu/flags.h"
#include "cpu/mem.h"
#include "translator/tctx.h"

/* ---- flags ---- */

/* The slot (a host RFLAGS image: arithmetic flags, 0x202) into RFLAGS.
 * POPFQ costs ~14 ns on this kind of host; SAHF loads SF ZF AF PF CF from
 * AH and `add al, 0x7F` makes OF from a 0/1 in AL (1.1 ns for both
 * directions), RAX kept in R10.  Hosts without LAHF/SAHF in 64-bit mode
 * (CPUID 80000001h:ECX.0) use POPFQ. */
void t_emit_flags_load(struct tctx *t)
{
    struct emit *e = &t->e;
    if (!t->bt->host_lahf) {
        emit_push_m64(e, RT_M(slot));
        emit_popfq(e);
        return;
    }
    emit_mov_r64_r64(e, H_T1, H_RAX);
    emit_mov_r32_m(e, H_RAX, RT_M(slot));
    emit_u8(e, 0xC0); emit_u8(e, 0xEC); emit_u8(e, 3);               /* shr ah, 3: OF */
    emit_u8(e, 0x66); emit_u8(e, 0xC1); emit_u8(e, 0xC0); emit_u8(e, 8); /* rol ax, 8 */
    emit_u8(e, 0x04); emit_u8(e, 0x7F);                               /* add al, 0x7F */
    emit_sahf(e);
    emit_mov_r64_r64(e, H_RAX, H_T1);
}

/* RFLAGS into the slot, the AF of a logic op cleared when the host leaves
 * it set.  PUSHFQ, although ~3 ns: the LAHF/SETO way (~1 ns alone) goes
 * through RAX, the guest's EAX, and lengthened the benchmark's loops whose
 * critical path is EAX (CRC32) by 3-5%. */
static void emit_flags_store(struct tctx *t, bool clear_af)
{
    struct emit *e = &t->e;
    emit_pushfq(e);
    if (clear_af)
        emit_alu_m32_imm(e, ALU_AND, M(H_RSP, 0), ~(uint32_t)F_AF);
    emit_pop_m64(e, RT_M(slot));
}

void t_flags_host(struct tctx *t)
{
    if (t->fl == FL_REMAT)
        t_flags_remat(t);
    if (t->fl != FL_SLOT)
        return;
    t_emit_flags_load(t);
    t->fl = FL_HOST;
}

/* AF after a logic op is 0 in the interpreter; hosts that leave it set
 * get it cleared when the flags are stored. */
static bool mask_af(const struct tctx *t)
{
    return t->af_zero && !t->bt->host_af_clear;
}

void t_flags_sync(struct tctx *t)
{
    if (t->of.kind)
        t_of_make(t, t->of);
    t->of.kind = 0;
    t_flags_save(t);
}

void t_flags_save(struct tctx *t)
{
    if (t->fl == FL_REMAT)
        t_flags_remat(t);
    if (t->fl != FL_HOST)
        return;
    emit_flags_store(t, mask_af(t));
    t->fl = FL_SLOT;
}

void t_flags_written(struct tctx *t, uint32_t wr, bool logic)
{
    if (!wr)
        return;
    if (wr & F_OF)
        t->of.kind = 0;
    t->fl = FL_HOST;
    if (wr & F_AF)
        t->af_zero = logic;
}

/* ---- what a copied instruction looks like ---- */

enum { GK_NONE, GK_BYTE, GK_FULL };            /* ModR/M.reg */
enum { EK_NONE, EK_BYTE, EK_WORD, EK_FULL };   /* ModR/M.rm */

struct plan {
    uint8_t g, e;
    uint8_t imm;         /* immediate bytes copied */
    uint8_t acc;         /* MA_* when E is memory */
    bool var_shift;      /* count in CL (0 leaves the flags) */
    bool no_flags;       /* shift by an immediate count of 0 */
    bool of_fix;         /* OF made as the interpreter makes it (count > 1) */
};

static uint8_t izv(const struct insn *i) { return i->o32 ? 4 : 2; }

static bool plan_alu(const struct insn *i, struct plan *p)
{
    unsigned op = i->opcode;
    bool byte = !(op & 1);
    if (op < 0x40 && (op & 7) < 4) {
        p->g = byte ? GK_BYTE : GK_FULL;
        p->e = byte ? EK_BYTE : EK_FULL;
        p->acc = ((op & 2) || (op >> 3) == ALU_CMP) ? MA_READ : MA_RMW;
        return true;
    }
    switch (op) {
    case 0x80: case 0x81: case 0x83:
        p->e = op == 0x80 ? EK_BYTE : EK_FULL;
        p->imm = op == 0x81 ? izv(i) : 1;
        p->acc = i->reg == ALU_CMP ? MA_READ : MA_RMW;
        return true;
    case 0x84: case 0x85: case 0x86: case 0x87:
    case 0x88: case 0x89: case 0x8A: case 0x8B:
        p->g = byte ? GK_BYTE : GK_FULL;
        p->e = byte ? EK_BYTE : EK_FULL;
        p->acc = op < 0x86 || op >= 0x8A ? MA_READ : op < 0x88 ? MA_RMW : MA_WRITE;
        return true;
    case 0xC6: case 0xC7:
        if (i->reg != 0)
            return false;
        p->e = byte ? EK_BYTE : EK_FULL;
        p->imm = byte ? 1 : izv(i);
        p->acc = MA_WRITE;
        return true;
    default:
        return false;
    }
}

/* Shifts and rotates.  The 80286 does not mask the count: not copied.
 * For counts over 1 OF is undefined and the host's differs from the
 * interpreter's (an exception frame or PUSHF shows it): of_fix recomputes
 * it.  8/16-bit counts at or above the width leave CF undefined, and
 * 8/16-bit counts in CL may be such: trapped. */
static bool plan_shift(const struct tctx *t, const struct insn *i, struct plan *p)
{
    unsigned op = i->opcode;
    if (t->bt->cpu->model == CPU_286)
        return false;
    p->e = (op & 1) ? EK_FULL : EK_BYTE;
    unsigned width = !(op & 1) ? 8 : i->o32 ? 32 : 16;
    p->acc = MA_RMW;
    p->of_fix = i->reg != 7;                        /* SAR: OF = 0 on both */
    if (op == 0xC0 || op == 0xC1) {
        unsigned n = i->imm & 31;
        p->imm = 1;
        p->no_flags = n == 0;
        p->of_fix = p->of_fix && n > 1;
        return n < width;
    }
    if (op == 0xD2 || op == 0xD3) {
        p->var_shift = true;
        return width == 32;
    }
    p->of_fix = false;                              /* by 1: OF defined */
    return true;
}

static bool plan_group3(const struct insn *i, struct plan *p)
{
    bool byte = i->opcode == 0xF6 || i->opcode == 0xFE;
    p->e = byte ? EK_BYTE : EK_FULL;
    if (i->opcode == 0xFE || i->opcode == 0xFF) {
        p->acc = MA_RMW;
        return i->reg <= 1;
    }
    switch (i->reg) {
    case 0: case 1:
        p->imm = byte ? 1 : izv(i);
        p->acc = MA_READ;
        return true;
    case 2: case 3:
        p->acc = MA_RMW;
        return true;
    case 4: case 5:                     /* MUL/IMUL: EDX:EAX are RDX:RAX */
        p->acc = MA_READ;
        return true;
    default:
        return false;                   /* DIV/IDIV: #DE through the handler */
    }
}

static bool plan_0f(const struct insn *i, struct plan *p)
{
    unsigned op = i->opcode;
    if (op >= 0x140 && op <= 0x14F) {               /* CMOVcc */
        p->g = GK_FULL;
        p->e = EK_FULL;
        p->acc = MA_READ;
        return true;
    }
    if (op >= 0x190 && op <= 0x19F) {               /* SETcc */
        p->e = EK_BYTE;
        p->acc = MA_WRITE;
        return true;
    }
    switch (op) {
    case 0x1AF:
        p->g = GK_FULL;
        p->e = EK_FULL;
        p->acc = MA_READ;
        return true;
    case 0x1B6: case 0x1BE: case 0x1B7: case 0x1BF:
        p->g = GK_FULL;
        p->e = (op & 1) ? EK_WORD : EK_BYTE;
        p->acc = MA_READ;
        return true;
    /* SHLD/SHRD and BT/BTS/BTR/BTC leave flags undefined that this
     * host sets otherwise than the interpreter: an exception frame or
     * PUSHF would show the difference.  Trapped. */
    default:
        return false;
    }
}

static bool plan_of(const struct tctx *t, const struct insn *i, struct plan *p)
{
    unsigned op = i->opcode;
    *p = (struct plan){ 0 };
    if (i->prefixes & (PFX_LOCK | PFX_REP | PFX_REPNE))
        return false;
    if (op == 0x69 || op == 0x6B) {
        p->g = GK_FULL;
        p->e = EK_FULL;
        p->imm = op == 0x6B ? 1 : izv(i);
        p->acc = MA_READ;
        return true;
    }
    if (op >= 0xC0 && op <= 0xD3 && (op <= 0xC1 || op >= 0xD0))
        return plan_shift(t, i, p);
    if (op == 0xF6 || op == 0xF7 || op == 0xFE || op == 0xFF)
        return plan_group3(i, p);
    if (op >= 0x100)
        return plan_0f(i, p);
    return plan_alu(i, p);
}

static bool is_logic(const struct insn *i)
{
    unsigned op = i->opcode, alu = op < 0x40 ? op >> 3 : i->reg;
    if (op < 0x40 || (op >= 0x80 && op <= 0x83))
        return alu == ALU_OR || alu == ALU_AND || alu == ALU_XOR;
    return op == 0x84 || op == 0x85 || op == 0xA8 || op == 0xA9 ||
           ((op == 0xF6 || op == 0xF7) && i->reg < 2);
}

/* ---- emission ---- */

static void copy_imm(struct emit *e, const struct insn *i, unsigned n)
{
    if (n == 1)
        emit_u8(e, (uint8_t)i->imm);
    else if (n == 2)
        emit_u16(e, (uint16_t)i->imm);
    else if (n == 4)
        emit_u32(e, i->imm);
}

/* Flags the instruction reads or keeps (partial writers, shifts by CL):
 * they must be in RFLAGS before it runs (a due OF made first when it
 * reads OF or keeps it while changing CF). */
static void flags_before(struct tctx *t, const struct insn *i, const struct plan *p)
{
    uint32_t wr = i->row->flags_write & F_ARITH;
    if (p->no_flags)
        return;
    if (t->of.kind && ((i->row->flags_read & F_OF) || p->var_shift ||
                       ((wr & F_CF) && !(wr & F_OF)))) {
        t_of_make(t, t->of);
        t->of.kind = 0;
    }
    if ((i->row->flags_read & F_ARITH) || (wr && wr != F_ARITH) || p->var_shift)
        t_flags_host(t);
}

static void flags_after(struct tctx *t, const struct insn *i, const struct plan *p)
{
    if (!p->no_flags)
        t_flags_written(t, i->row->flags_write & F_ARITH, is_logic(i));
}

/* Can the instruction be encoded with its registers mapped?  A REX prefix
 * (ESP in R12, or the memory operand [R9]) turns AH..BH into SPL..DIL. */
static bool encodable(const struct insn *i, const struct plan *p, bool mem)
{
    bool rex = mem || (p->g == GK_FULL && hreg(i->reg) >= 8) ||
               (p->e >= EK_WORD && !mem && hreg(i->rm) >= 8);
    bool high = (p->g == GK_BYTE && i->reg >= 4) || (p->e == EK_BYTE && !mem && i->rm >= 4);
    return !(rex && high);
}

/* R11 = OF as cpu/shift.c makes it from the result in R10 (bits
 * 0..width-1) and CF in the slot: SHL/ROL/RCL: MSB ^ CF; SHR: bit width-2
 * (the sign before the last step); ROR/RCR: the two top bits.  Then into
 * the slot. */
static void of_from_t1(struct emit *e, unsigned kind, unsigned width)
{
    emit_mov_r32_r32(e, H_T2, H_T1);
    if (kind == 5) {                                /* SHR */
        emit_shift_r32_imm(e, 5, H_T2, (uint8_t)(width - 2));
    } else if (kind == 1 || kind == 3) {            /* ROR, RCR */
        emit_shift_r32_imm(e, 5, H_T2, 1);
        emit_alu_r32_r32(e, ALU_XOR, H_T2, H_T1);
        emit_shift_r32_imm(e, 5, H_T2, (uint8_t)(width - 2));
    } else {                                        /* SHL, SAL, ROL, RCL */
        emit_shift_r32_imm(e, 5, H_T2, (uint8_t)(width - 1));
        emit_alu_r32_m(e, ALU_XOR, H_T2, RT_M(slot));
    }
    emit_alu_r32_imm(e, ALU_AND, H_T2, 1);
    emit_shift_r32_imm(e, 4, H_T2, 11);
    emit_alu_m32_imm(e, ALU_AND, RT_M(slot), ~(uint32_t)F_OF);
    emit_op_rm(e, 0x09, false, H_T2, RT_M(slot));   /* or [slot], r11d */
}

void t_of_make(struct tctx *t, struct of_due of)
{
    struct emit *e = &t->e;
    t_flags_save(t);
    emit_mov_r32_m(e, H_T1, RT_M(ofv));
    if (of.hi8)
        emit_shift_r32_imm(e, 5, H_T1, 8);
    of_from_t1(e, of.kind - 1u, of.width);
}

/* After the copy of a shift by an immediate count over 1: its result
 * (no flags touched) to rt->ofv, OF due. */
static void of_due(struct tctx *t, const struct insn *i, const struct plan *p, bool mem)
{
    struct emit *e = &t->e;
    unsigned width = p->e == EK_BYTE ? 8 : i->o32 ? 32 : 16;
    bool hi8 = false;
    if (mem) {
        if (width == 8)
            emit_movzx_r32_m8(e, H_T1, M(H_PTR, 0));
        else if (width == 16)
            emit_movzx_r32_m16(e, H_T1, M(H_PTR, 0));
        else
            emit_mov_r32_m(e, H_T1, M(H_PTR, 0));
        emit_mov_m_r32(e, RT_M(ofv), H_T1);
    } else if (p->e == EK_BYTE) {
        hi8 = i->rm >= 4;
        emit_mov_m_r32(e, RT_M(ofv), i->rm & 3);
    } else {
        emit_mov_m_r32(e, RT_M(ofv), hreg(i->rm));
    }
    t->of = (struct of_due){ (uint8_t)(i->reg + 1), (uint8_t)width, hi8 };
}

/* A shift by CL: the count was saved in R11 before it (0 leaves the
 * flags); OF is made at once. */
static void of_fix_cl(struct tctx *t, const struct insn *i, const struct plan *p, bool mem)
{
    struct emit *e = &t->e;
    t_flags_save(t);
    emit_u8(e, 0x41);                               /* test r11b, 31 */
    emit_u8(e, 0xF6);
    emit_u8(e, 0xC3);
    emit_u8(e, 31);
    uint8_t *skip = emit_jcc_rel8(e, 0x4);
    if (mem)
        emit_mov_r32_m(e, H_T1, M(H_PTR, 0));
    else
        emit_mov_r32_r32(e, H_T1, hreg(i->rm));
    of_from_t1(e, i->reg, 32);
    (void)p;
    if (!e->full)
        emit_patch_rel8(skip, e->p);
}

/* [66] [REX] [0F] opcode ModR/M [imm] with E a register or [R9]. */
static void emit_copy(struct tctx *t, const struct insn *i, const struct plan *p, bool mem)
{
    struct emit *e = &t->e;
    unsigned reg = p->g == GK_FULL ? hreg(i->reg) : i->reg;
    unsigned rm = mem ? H_PTR : p->e == EK_BYTE ? i->rm : hreg(i->rm);
    uint8_t rex = (uint8_t)(((reg & 8) ? 4 : 0) | ((rm & 8) ? 1 : 0));
    flags_before(t, i, p);
    if (p->of_fix && p->var_shift)
        emit_mov_r32_r32(e, H_T2, H_RCX);           /* the count, for of_fix_cl */
    if (!i->o32)
        emit_u8(e, 0x66);
    if (rex)
        emit_u8(e, 0x40 | rex);
    if (i->opcode >= 0x100)
        emit_u8(e, 0x0F);
    emit_u8(e, (uint8_t)i->opcode);
    emit_u8(e, (uint8_t)((mem ? 0x00 : 0xC0) | ((reg & 7) << 3) | (rm & 7)));
    copy_imm(e, i, p->imm);
    flags_after(t, i, p);
    if (p->of_fix && p->var_shift)
        of_fix_cl(t, i, p, mem);
    else if (p->of_fix)
        of_due(t, i, p, mem);
}

/* The op_fn of a copied memory instruction (mem.c calls it twice). */
static void op_copy(struct tctx *t, const struct insn *i, uint32_t arg)
{
    struct plan p;
    (void)arg;
    plan_of(t, i, &p);
    emit_copy(t, i, &p, true);
}

static unsigned e_size(const struct insn *i, const struct plan *p)
{
    return p->e == EK_BYTE ? 1 : p->e == EK_WORD ? 2 : izv(i);
}

static bool copy_modrm(struct tctx *t, int k, const struct insn *i)
{
    struct plan p;
    if (!plan_of(t, i, &p))
        return false;
    bool mem = i->mod != 3;
    if (!encodable(i, &p, mem))
        return false;
    if (!mem) {
        emit_copy(t, i, &p, false);
        t->b->kind[k] = K_COPIED;
        return true;
    }
    if (!p.acc || !t_mem_lin(t, i))
        return false;
    t_mem_access(t, i->seg, p.acc, e_size(i, &p), op_copy, i, 0);
    t->b->kind[k] = K_TRANSLATED;
    return true;
}

/* Forms without ModR/M: ALU on AL/eAX with an immediate, TEST, XCHG eAX,
 * CBW/CWD, MOV r,imm, BSWAP, INC/DEC r (re-encoded), CLC/STC/CMC. */
static bool copy_short(struct tctx *t, int k, const struct insn *i)
{
    struct emit *e = &t->e;
    unsigned op = i->opcode, n = op & 7;
    struct plan p = { 0 };
    bool rex_b = hreg(n) >= 8;
    if (i->prefixes & (PFX_LOCK | PFX_REP | PFX_REPNE))
        return false;
    if ((op < 0x40 && ((op & 7) == 4 || (op & 7) == 5)) || op == 0xA8 || op == 0xA9) {
        p.imm = (op & 1) ? izv(i) : 1;
        rex_b = false;
    } else if (op >= 0x40 && op <= 0x4F) {
        flags_before(t, i, &p);
        if (!i->o32)
            emit_u8(e, 0x66);
        if (rex_b)
            emit_u8(e, 0x41);
        emit_u8(e, 0xFF);
        emit_u8(e, (uint8_t)(0xC0 | ((op >= 0x48 ? 1u : 0u) << 3) | (hreg(n) & 7)));
        flags_after(t, i, &p);
        t->b->kind[k] = K_TRANSLATED;
        return true;
    } else if (op >= 0xB8 && op <= 0xBF) {
        p.imm = izv(i);
    } else if (op >= 0xB0 && op <= 0xB7) {
        p.imm = 1;
        rex_b = false;
    } else if ((op >= 0x90 && op <= 0x97) || op == 0x98 || op == 0x99 ||
               op == 0xF5 || op == 0xF8 || op == 0xF9) {
        rex_b = rex_b && op <= 0x97;
    } else if (op >= 0x1C8 && op <= 0x1CF && i->o32) {
        rex_b = hreg(op & 7) >= 8;
    } else {
        return false;
    }
    flags_before(t, i, &p);
    if (!i->o32)
        emit_u8(e, 0x66);
    if (rex_b)
        emit_u8(e, 0x41);
    if (op >= 0x100)
        emit_u8(e, 0x0F);
    emit_u8(e, (uint8_t)op);
    copy_imm(e, i, p.imm);
    flags_after(t, i, &p);
    t->b->kind[k] = K_COPIED;
    return true;
}

/* LEA Gv, M: a host LEA over the mapped registers. */
static bool lea(struct tctx *t, int k, const struct insn *i)
{
    struct emit *e = &t->e;
    unsigned dst = hreg(i->reg);
    if (i->mod == 3)
        return false;
    if (i->base == R_NONE && i->index == R_NONE) {
        if (!i->o32)
            return false;
        emit_mov_r32_imm(e, dst, i->disp);
    } else {
        struct mem m = MX(i->base == R_NONE ? H_NONE : (uint8_t)hreg(i->base),
                          i->index == R_NONE ? H_NONE : (uint8_t)hreg(i->index),
                          i->scale, (int32_t)i->disp);
        if (!i->o32)
            emit_u8(e, 0x66);
        emit_op_rm(e, 0x8D, false, dst, m);
        if (i->o32 && !i->a32)
            emit_op_rr(e, 0x0FB7, false, dst, dst);    /* movzx r32, r16 */
    }
    t->b->kind[k] = K_COPIED;
    return true;
}

/* MOV AL/eAX <-> moffs (A0-A3): [R9] after the probe. */
static void op_moffs(struct tctx *t, const struct insn *i, uint32_t arg)
{
    unsigned op = i->opcode;
    (void)arg;
    if (!(op & 1) || !i->o32) {
        if (op & 1)
            emit_u8(&t->e, 0x66);
        emit_op_rm(&t->e, (op & 2) ? 0x88 + (op & 1) : 0x8A + (op & 1), false, H_RAX, M(H_PTR, 0));
        return;
    }
    emit_op_rm(&t->e, (op & 2) ? 0x89 : 0x8B, false, H_RAX, M(H_PTR, 0));
}

static bool moffs(struct tctx *t, int k, const struct insn *i)
{
    unsigned size = !(i->opcode & 1) ? 1 : i->o32 ? 4 : 2;
    if ((i->prefixes & PFX_LOCK) ||
        !t_mem_lin_disp(t, i->seg, i->a32 ? i->disp : (i->disp & 0xFFFF)))
        return false;
    t_mem_access(t, i->seg, (i->opcode & 2) ? MA_WRITE : MA_READ, size, op_moffs, i, 0);
    t->b->kind[k] = K_TRANSLATED;
    return true;
}

/* RDTSC at CPL 0 (CR4.TSD cannot fault there): EDX:EAX = tsc + count -
 * tsc_insns, the count being that of the instructions before it, as
 * cpu/msr.c computes it; flag-free (NOT and LEA). */
static bool rdtsc(struct tctx *t, int k, const struct insn *i)
{
    struct emit *e = &t->e;
    if (((t->b->key.mode >> MODE_CPL_SHIFT) & 3) || (i->prefixes & PFX_LOCK))
        return false;
    emit_mov_r64_m(e, H_RAX, CPU_M(tsc));
    emit_mov_r64_m(e, H_T1, CPU_M(tsc_insns));
    emit_op_rr(e, 0xF7, true, 2, H_T1);                         /* not r10 */
    emit_lea_r64(e, H_RAX, MX(H_RAX, H_T1, 0, 1));              /* tsc - tsc_insns */
    emit_mov_r64_m(e, H_T1, RT_M(end));
    emit_lea_r64(e, H_RAX, MX(H_RAX, H_T1, 0, 0));
    emit_mov_r64_r64(e, H_T1, H_LEFT);
    emit_op_rr(e, 0xF7, true, 2, H_T1);
    /* count = end - R13 - committed + k */
    emit_lea_r64(e, H_RAX, MX(H_RAX, H_T1, 0, 1 + k - t->committed));
    emit_mov_m_r64(e, RT_M(bounce), H_RAX);
    emit_mov_r32_m(e, H_RDX, M(H_RT, (int32_t)offsetof(struct bt_rt, bounce) + 4));
    emit_mov_r32_r32(e, H_RAX, H_RAX);
    t->b->kind[k] = K_TRANSLATED;
    return true;
}

bool t_native(struct tctx *t, int k)
{
    const struct insn *i = &t->b->ins[k];
    if (i->opcode == 0x131)
        return rdtsc(t, k, i);
    if (i->row->cls != CL_PLAIN)
        return false;
    if (i->opcode == 0x8D)
        return lea(t, k, i);
    /* NOP, and PAUSE (F3 90: a NOP to the interpreter too). */
    if (i->opcode == 0x90 && !(i->prefixes & PFX_LOCK) && i->o32) {
        t->b->kind[k] = K_COPIED;
        return true;
    }
    if (i->opcode >= 0xA0 && i->opcode <= 0xA3)
        return moffs(t, k, i);
    if (optable_row(i->opcode)->decode & D_MODRM)      /* group rows lack it */
        return copy_modrm(t, k, i);
    return copy_short(t, k, i);
}
