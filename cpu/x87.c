/* x87.c -- the coprocessor escapes D8-DF and FWAIT: which encodings exist
 * on which model, #NM for lazy FPU switching, the pending-exception check
 * of the waiting instructions (#MF, or FERR#/IRQ 13 with CR0.NE clear),
 * the instruction/data pointers, and the order of memory checks.  The
 * arithmetic runs on the host FPU (x87_host.c); control instructions are
 * x87_control.c.  Without an FPU (the 286 and the 486SX model) the
 * escapes only check their memory operand (x87_nofpu below). */
#include "mem.h"
#include "x87.h"

bool x87_present(const struct cpu *c)
{
    return c->model == CPU_386 || c->model >= CPU_PENTIUM;
}

/* What an encoding does: computed on the host (REG/LOAD/STORE, the
 * "non-control" instructions that record the pointers), or one of the
 * control instructions done here. */
enum kind {
    K_UD, K_REG, K_LOAD, K_STORE, K_FLDCW, K_NOP, K_FNINIT, K_FNCLEX,
    K_FNSTSW_AX, K_FNSTSW, K_FNSTCW, K_FLDENV, K_FNSTENV, K_FRSTOR, K_FNSAVE,
};

struct form {
    uint8_t kind, bytes;
};

/* Memory forms by escape and ModR/M.reg.  FISTTP (DB/DD/DF /1) is SSE3:
 * #UD here, like the reserved D9 /1, DB /4 /6 and DD /5. */
static const struct form mem_forms[8][8] = {
    { {K_LOAD, 4}, {K_LOAD, 4}, {K_LOAD, 4}, {K_LOAD, 4},
      {K_LOAD, 4}, {K_LOAD, 4}, {K_LOAD, 4}, {K_LOAD, 4} },            /* D8 m32real */
    { {K_LOAD, 4}, {K_UD, 0}, {K_STORE, 4}, {K_STORE, 4},
      {K_FLDENV, 0}, {K_FLDCW, 2}, {K_FNSTENV, 0}, {K_FNSTCW, 2} },    /* D9 */
    { {K_LOAD, 4}, {K_LOAD, 4}, {K_LOAD, 4}, {K_LOAD, 4},
      {K_LOAD, 4}, {K_LOAD, 4}, {K_LOAD, 4}, {K_LOAD, 4} },            /* DA m32int */
    { {K_LOAD, 4}, {K_UD, 0}, {K_STORE, 4}, {K_STORE, 4},
      {K_UD, 0}, {K_LOAD, 10}, {K_UD, 0}, {K_STORE, 10} },             /* DB */
    { {K_LOAD, 8}, {K_LOAD, 8}, {K_LOAD, 8}, {K_LOAD, 8},
      {K_LOAD, 8}, {K_LOAD, 8}, {K_LOAD, 8}, {K_LOAD, 8} },            /* DC m64real */
    { {K_LOAD, 8}, {K_UD, 0}, {K_STORE, 8}, {K_STORE, 8},
      {K_FRSTOR, 0}, {K_UD, 0}, {K_FNSAVE, 0}, {K_FNSTSW, 2} },        /* DD */
    { {K_LOAD, 2}, {K_LOAD, 2}, {K_LOAD, 2}, {K_LOAD, 2},
      {K_LOAD, 2}, {K_LOAD, 2}, {K_LOAD, 2}, {K_LOAD, 2} },            /* DE m16int */
    { {K_LOAD, 2}, {K_UD, 0}, {K_STORE, 2}, {K_STORE, 2},
      {K_LOAD, 10}, {K_LOAD, 8}, {K_STORE, 10}, {K_STORE, 8} },        /* DF */
};

/* Register forms: bit k is ModR/M C0+k.  The 387 set includes the
 * aliases real parts execute (FSTP1 D9 D8+i, FCOM2/FCOMP3 DC D0-DF,
 * FXCH4 DD C8+i, FCOMP5 DE D0+i, FFREEP DF C0+i, FXCH7 DF C8+i, FSTP8/9
 * DF D0-DF); FCMOVcc, FCOMI, FUCOMI(P) are P6 only.  The rest is #UD. */
static const uint64_t reg_valid[8] = {
    0xFFFFFFFFFFFFFFFFull,   /* D8 */
    0xFFFF7F33FF01FFFFull,   /* D9: not D1-D7, E2 E3 E6 E7, EF */
    0x0000020000000000ull,   /* DA: FUCOMPP */
    0x0000001F00000000ull,   /* DB: FENI FDISI FNCLEX FNINIT FSETPM */
    0xFFFFFFFFFFFFFFFFull,   /* DC */
    0x0000FFFFFFFFFFFFull,   /* DD: not F0-FF */
    0xFFFFFFFF02FFFFFFull,   /* DE: not D8, DA-DF */
    0x00000001FFFFFFFFull,   /* DF: C0-DF, FNSTSW AX */
};
static const uint64_t reg_valid_p6[8] = {
    0, 0, 0x00000000FFFFFFFFull, 0x00FFFF00FFFFFFFFull,
    0, 0, 0, 0x00FFFF0000000000ull,
};

static struct form classify(const struct cpu *c, unsigned esc, const struct insn *i)
{
    if (i->mod != 3) {
        struct form f = mem_forms[esc][i->reg];
        if (f.kind == K_FLDENV || f.kind == K_FNSTENV)
            f.bytes = i->o32 ? 28 : 14;
        else if (f.kind == K_FRSTOR || f.kind == K_FNSAVE)
            f.bytes = i->o32 ? 108 : 94;
        return f;
    }
    unsigned k = i->modrm - 0xC0;
    uint64_t valid = reg_valid[esc] | (c->model == CPU_P6 ? reg_valid_p6[esc] : 0);
    if (!((valid >> k) & 1))
        return (struct form){ K_UD, 0 };
    if (esc == 3 && i->modrm == 0xE2)
        return (struct form){ K_FNCLEX, 0 };
    if (esc == 3 && i->modrm == 0xE3)
        return (struct form){ K_FNINIT, 0 };
    if (esc == 3 && i->modrm >= 0xE0 && i->modrm <= 0xE4)
        return (struct form){ K_NOP, 0 };     /* FENI, FDISI, FSETPM: 8087/287 only */
    if (esc == 7 && i->modrm == 0xE0)
        return (struct form){ K_FNSTSW_AX, 0 };
    return (struct form){ K_REG, 0 };
}

/* The non-waiting control instructions (FN...) skip the pending check. */
static bool waits(unsigned kind)
{
    return kind != K_FNINIT && kind != K_FNCLEX && kind != K_FNSTSW_AX &&
           kind != K_FNSTSW && kind != K_FNSTCW && kind != K_FNSTENV &&
           kind != K_FNSAVE && kind != K_NOP;
}

/* CR0.NE reports x87 errors as #MF; the 386 has no NE bit. */
static bool native_errors(const struct cpu *c)
{
    return c->model >= CPU_486 && (c->cr0 & CR0_NE);
}

void x87_update_ferr(struct cpu *c)
{
    struct x87 *f = &c->fpu;
    bool es = (f->sw & SW_ES) != 0;
    if (es && !f->ferr && !native_errors(c)) {
        f->ferr = true;
        if (c->ferr)
            c->ferr(c->ferr_opaque, 1);
    } else if (!es && f->ferr) {
        f->ferr = false;
        f->ignne = false;        /* the board's IGNNE# ends with FERR# */
        if (c->ferr)
            c->ferr(c->ferr_opaque, 0);
    }
}

void x87_ignne(struct cpu *c)
{
    if (c->fpu.ferr)
        c->fpu.ignne = true;
}

/* A waiting instruction with an unmasked exception pending: #MF with
 * CR0.NE; else FERR# (IRQ 13) and the CPU waits at this instruction for
 * the interrupt, unless the board asserts IGNNE# (port 0xF0).  Returns
 * false when the instruction must not run now. */
static bool x87_wait(struct cpu *c)
{
    struct x87 *f = &c->fpu;
    if (!x87_unmasked(f))
        return true;
    f->sw |= SW_ES | SW_B;
    if (native_errors(c))
        cpu_fault(c, EXC_MF, 0);
    x87_update_ferr(c);
    if (f->ignne)
        return true;
    c->eip = c->insn_eip;        /* frozen: retried after the interrupt */
    c->exit_block = 1;
    return false;
}

/* Instruction and data pointers of a non-control instruction. */
static void record(struct cpu *c, const struct insn *i, unsigned esc, uint32_t off)
{
    struct x87 *f = &c->fpu;
    f->fip = c->insn_eip;
    f->fcs = c->seg[S_CS].sel;
    f->fop = (uint16_t)(((esc & 7) << 8) | i->modrm);
    if (i->mod != 3) {
        f->fdp = off;
        f->fds = c->seg[i->seg].sel;
    }
}

/* FCOMI/FUCOMI(P) set ZF PF CF and clear OF SF AF. */
static bool writes_eflags(unsigned esc, unsigned modrm)
{
    return (esc == 3 || esc == 7) && modrm >= 0xE8 && modrm <= 0xF7;
}

/* FCMOVcc (DA, DB) reads the guest's flags; FCOMI's come back from the
 * host whole (the six arithmetic flags), whatever an exception did. */
static void run_reg(struct cpu *c, const struct insn *i, unsigned esc)
{
    uint8_t mem[16] = { 0 };
    uint32_t fl = (esc == 2 || esc == 3 || esc == 7) ? cpu_get_eflags(c) : 0;
    x87_host_exec(&c->fpu, esc, i->modrm, mem, &fl);
    if (writes_eflags(esc, i->modrm))
        cpu_set_eflags(c, (cpu_get_eflags(c) & ~F_ARITH) | (fl & F_ARITH));
    record(c, i, esc, 0);
}

static void run_load(struct cpu *c, const struct insn *i, unsigned esc, unsigned n)
{
    uint8_t mem[16] __attribute__((aligned(16))) = { 0 };
    uint32_t off = ea(c, i), fl = 0;
    x87_read(c, i->seg, off, mem, n);
    x87_host_exec(&c->fpu, esc, i->modrm, mem, &fl);
    record(c, i, esc, off);
}

/* A store: the destination is checked first; the FPU state changes only
 * after the bytes are written.  An unmasked exception other than
 * precision leaves memory alone (the hardware does not store then). */
static void run_store(struct cpu *c, const struct insn *i, unsigned esc, unsigned n)
{
    uint8_t mem[16] __attribute__((aligned(16))) = { 0 };
    uint32_t off = ea(c, i), fl = 0;
    uint32_t lin = x87_check_write(c, i->seg, off, n);
    struct x87 f = c->fpu;
    x87_host_exec(&f, esc, i->modrm, mem, &fl);
    if (!(f.sw & ~f.cw & (SW_EXC & ~SW_PE)))
        x87_write_lin(c, lin, mem, n);
    c->fpu = f;
    record(c, i, esc, off);
}

static void store16(struct cpu *c, const struct insn *i, uint16_t v)
{
    uint32_t lin = x87_check_write(c, i->seg, ea(c, i), 2);
    x87_write_lin(c, lin, &v, 2);
}

static void run_control(struct cpu *c, const struct insn *i, unsigned kind)
{
    struct x87 *f = &c->fpu;
    switch (kind) {
    case K_FNINIT: x87_finit(f); break;
    case K_FNCLEX: x87_fnclex(f); break;
    case K_FNSTSW_AX: *cpu_reg16(c, R_EAX) = f->sw; break;
    case K_FNSTSW: store16(c, i, f->sw); break;
    case K_FNSTCW: store16(c, i, f->cw); break;
    case K_FLDENV: x87_fldenv(c, i); break;
    case K_FNSTENV: x87_fnstenv(c, i); break;
    case K_FRSTOR: x87_frstor(c, i); break;
    case K_FNSAVE: x87_fnsave(c, i); break;
    case K_FLDCW: {
        /* on the host: the reserved bits read back as the hardware's */
        uint8_t mem[16] __attribute__((aligned(16))) = { 0 };
        uint32_t fl = 0;
        x87_read(c, i->seg, ea(c, i), mem, 2);
        x87_host_exec(f, 1, i->modrm, mem, &fl);
        break;
    }
    default: break;              /* K_NOP */
    }
    /* The tag word reads as FNSTENV would store it (the host's
     * computations leave it so too). */
    f->tw = x87_full_tags(f);
}

/* ---- no FPU: the 286 and the 486SX model ---- */

/* Bytes of the memory operand of D8+esc /reg, for the segment check. */
static unsigned nofpu_bytes(unsigned esc, unsigned reg, bool o32)
{
    static const uint8_t size[8][8] = {
        { 4, 4, 4, 4, 4, 4, 4, 4 },      /* D8: m32real */
        { 4, 4, 4, 4, 0, 2, 0, 2 },      /* D9: fld/fst m32, env, cw */
        { 4, 4, 4, 4, 4, 4, 4, 4 },      /* DA: m32int */
        { 4, 4, 4, 4, 10, 10, 10, 10 },  /* DB: m32int, m80real */
        { 8, 8, 8, 8, 8, 8, 8, 8 },      /* DC: m64real */
        { 8, 8, 8, 8, 0, 8, 0, 2 },      /* DD: m64real, state, sw */
        { 2, 2, 2, 2, 2, 2, 2, 2 },      /* DE: m16int */
        { 2, 2, 2, 2, 10, 8, 10, 8 },    /* DF: m16int, m80bcd, m64int */
    };
    unsigned n = size[esc][reg];
    if (n)
        return n;
    if (esc == 1)
        return o32 ? 28 : 14;            /* FLDENV, FNSTENV */
    return o32 ? 108 : 94;               /* FRSTOR, FNSAVE */
}

/* With no coprocessor attached the CPU still checks the memory operand
 * against its segment, then nothing happens: the usual probe (FNINIT;
 * FNSTSW to a word holding a non-zero value) finds the word unchanged.
 * The 286 hands the operand over a word at a time, each offset wrapping
 * at 64 KiB, so only a word at offset FFFF leaves the segment (the 80286
 * captures in ../shared/conformance fault for a dword at FFFF, not FFFE). */
static void x87_nofpu(struct cpu *c, const struct insn *i, unsigned esc)
{
    static const uint8_t stores[8] = { 0x00, 0xCC, 0x00, 0x8E, 0x00, 0xCE, 0x00, 0xCE };
    if (i->mod == 3)
        return;
    unsigned need = ((stores[esc] >> i->reg) & 1) ? SEG_WRITE : SEG_READ;
    unsigned bytes = nofpu_bytes(esc, i->reg, i->o32);
    uint32_t off = ea(c, i);
    if (c->model != CPU_286) {
        seg_lin(c, i->seg, off, bytes, need);
        return;
    }
    for (unsigned k = 0; k < bytes; k += 2)
        seg_lin(c, i->seg, (off + k) & 0xFFFF, 2, need);
}

/* ESC: CR0.EM (emulate) or CR0.TS (task switched) -> #NM before
 * anything else; then #UD for encodings the model lacks, the pending
 * exception check of waiting instructions, and the instruction. */
void esc_x87(struct cpu *c, const struct insn *i)
{
    if (c->cr0 & (CR0_EM | CR0_TS))
        cpu_fault(c, EXC_NM, 0);
    unsigned esc = i->row->arg;
    if (!x87_present(c)) {
        x87_nofpu(c, i, esc);
        return;
    }
    struct form f = classify(c, esc, i);
    if (f.kind == K_UD)
        cpu_fault(c, EXC_UD, 0);
    if (waits(f.kind) && !x87_wait(c))
        return;
    switch (f.kind) {
    case K_REG: run_reg(c, i, esc); break;
    case K_LOAD: run_load(c, i, esc, f.bytes); break;
    case K_STORE: run_store(c, i, esc, f.bytes); break;
    default: run_control(c, i, f.kind); break;
    }
    x87_update_ferr(c);
}

/* FWAIT: #NM only when both TS and MP are set; then it reports a pending
 * unmasked exception like any waiting instruction. */
void fwait(struct cpu *c, const struct insn *i)
{
    (void)i;
    if ((c->cr0 & (CR0_TS | CR0_MP)) == (CR0_TS | CR0_MP))
        cpu_fault(c, EXC_NM, 0);
    if (x87_present(c))
        x87_wait(c);
}
