/* string.c -- the string instructions MOVS CMPS STOS LODS SCAS INS OUTS
 * with their REP/REPE/REPNE forms (SDM Vol. 2, "REP/REPE/REPZ/REPNE").
 * Each iteration commits its register updates before the next one starts,
 * so a fault in iteration k leaves (E)SI/(E)DI/(E)CX as k-1 iterations
 * left them and the instruction restarts; long runs yield in chunks; REP
 * MOVS/STOS forward on plain RAM take a memcpy/memset fast path. */
#include <stdint.h>
#include <string.h>

#include "../machine/bus.h"
#include "cpu.h"
#include "flags.h"
#include "insn.h"
#include "ioperm.h"
#include "mem.h"
#include "ops.h"

enum str_op { SO_MOVS, SO_CMPS, SO_STOS, SO_LODS, SO_SCAS, SO_INS, SO_OUTS };

/* Iterations of a REP run before the instruction gives way to pending
 * interrupts: it then restarts itself (EIP back at the instruction) and
 * goes on with the registers it has updated so far. */
enum { REP_CHUNK = 4096 };

/* (E)SI, (E)DI and (E)CX are 16- or 32-bit by the ADDRESS size. */
static inline uint32_t amask(const struct insn *i)
{
    return i->a32 ? 0xFFFFFFFFu : 0xFFFFu;
}

static inline void areg_add(struct cpu *c, int r, uint32_t am, uint32_t delta)
{
    c->r[r] = (c->r[r] & ~am) | ((c->r[r] + delta) & am);
}

/* +n or -n by the direction flag. */
static inline uint32_t step(const struct cpu *c, unsigned n)
{
    return (c->eflags & F_DF) ? (uint32_t)-(int32_t)n : n;
}

static void count_sub(struct cpu *c, uint32_t am, uint32_t k)
{
    c->r[R_ECX] = (c->r[R_ECX] & ~am) | ((c->r[R_ECX] - k) & am);
}

/* INS: the destination is checked for writing before the port is read,
 * so a fault does not lose the data a device hands over. */
static inline void ins_elem(struct cpu *c, uint32_t di, unsigned n)
{
    uint32_t lin = seg_lin(c, S_ES, di, n, SEG_WRITE);
    mmu_probe_write(c, lin, n, ACC_WRITE);
    uint32_t v = bus_io_read(c->bus, (uint16_t)c->r[R_EDX], (int)n);
    lin_wr(c, lin, n, v);
}

/* ---- the 80286's segment overrun ---- */

static bool uses_si(enum str_op op)
{
    return op == SO_MOVS || op == SO_CMPS || op == SO_LODS || op == SO_OUTS;
}

static bool uses_di(enum str_op op)
{
    return op != SO_LODS && op != SO_OUTS;
}

/* Does an n-byte access at s:off run past the segment limit? */
static bool overruns(const struct cpu *c, int s, uint32_t off, unsigned n)
{
    return (uint64_t)off + n - 1 > c->seg[s].hi;
}

/* The real-mode 286 advances SI or DI past an operand even when that
 * access overran the segment, then raises interrupt 13; under REP it also
 * decrements CX by a microcode-dependent amount.  All of this is read off
 * the hardware captures (80286-real A5 A7 AB AD AF): MOVS and LODS touch
 * DS:SI first, CMPS reads ES:DI before DS:SI, and the extra CX decrements
 * at the overrunning access are MOVS 1 (SI) or 2 (DI), CMPS 0 (DI) or 1
 * (SI), STOS 2, LODS 1, SCAS 1.  INS/OUTS have no captures and keep the
 * precise behaviour.  Later processors leave the registers alone, as the
 * generic path does.  Runs before the element; faults if it would. */
static void overrun_286(struct cpu *c, const struct insn *i, enum str_op op,
                        unsigned n)
{
    /* CX decrements under REP, by operation and overrunning access. */
    static const uint8_t extra_cx[][2] = {
        [SO_MOVS] = { 1, 2 }, [SO_CMPS] = { 0, 1 }, [SO_STOS] = { 2, 0 },
        [SO_LODS] = { 1, 0 }, [SO_SCAS] = { 1, 0 },
    };
    if (op == SO_INS || op == SO_OUTS)
        return;
    uint32_t am = amask(i), d = step(c, n);
    bool di_first = op == SO_CMPS || op == SO_STOS || op == SO_SCAS;
    int order[2] = { di_first ? R_EDI : R_ESI, di_first ? R_ESI : R_EDI };
    int accesses = (op == SO_MOVS || op == SO_CMPS) ? 2 : 1;
    for (int k = 0; k < accesses; k++) {
        int r = order[k], s = r == R_EDI ? S_ES : i->seg;
        bool over = overruns(c, s, c->r[r] & am, n);
        if (!over)
            continue;
        /* This access overran: it and those before it moved their
         * registers. */
        for (int j = 0; j <= k; j++)
            areg_add(c, order[j], am, d);
        if (i->prefixes & (PFX_REP | PFX_REPNE))
            count_sub(c, am, extra_cx[op][k]);
        seg_fault(c, s);
    }
}

/* One iteration: accesses first (they may fault), then the registers. */
static inline void str_elem(struct cpu *c, const struct insn *i,
                            enum str_op op, unsigned n)
{
    if (unlikely(c->model == CPU_286 && !cpu_pm(c)) && n > 1)
        overrun_286(c, i, op, n);
    uint32_t am = amask(i), d = step(c, n);
    uint32_t si = c->r[R_ESI] & am, di = c->r[R_EDI] & am;
    unsigned bits = n * 8;
    uint32_t a, b;
    switch (op) {
    case SO_MOVS:
        mem_wr(c, S_ES, di, n, mem_rd(c, i->seg, si, n));
        break;
    case SO_CMPS:
        a = mem_rd(c, i->seg, si, n);
        b = mem_rd(c, S_ES, di, n);
        flags_set(c, LF_SUB, bits, a, b, a - b);
        break;
    case SO_STOS:
        mem_wr(c, S_ES, di, n, reg_rd(c, R_EAX, bits));
        break;
    case SO_LODS:
        reg_wr(c, R_EAX, bits, mem_rd(c, i->seg, si, n));
        break;
    case SO_SCAS:
        a = reg_rd(c, R_EAX, bits);
        b = mem_rd(c, S_ES, di, n);
        flags_set(c, LF_SUB, bits, a, b, a - b);
        break;
    case SO_INS:
        ins_elem(c, di, n);
        break;
    case SO_OUTS:
        bus_io_write(c->bus, (uint16_t)c->r[R_EDX], (int)n,
                     mem_rd(c, i->seg, si, n));
        break;
    }
    if (uses_si(op))
        areg_add(c, R_ESI, am, d);
    if (uses_di(op))
        areg_add(c, R_EDI, am, d);
}

/* ---- fast path: forward REP MOVS/STOS on plain RAM ---- */

/* Host pointer for a forward run at s:off, and in *elems how many n-byte
 * elements fit before the segment limit, the address-size wrap or the end
 * of the page; NULL when the slow path must take this element (rights,
 * limit, TLB miss, MMIO, a page holding decoded code). */
static uint8_t *fast_span(struct cpu *c, int s, uint32_t off, uint32_t am,
                          unsigned n, bool write, uint32_t *elems)
{
    const struct seg *sg = &c->seg[s];
    if (!(sg->rights & (write ? SEG_WRITE : SEG_READ)) || off < sg->lo ||
        off > sg->hi)
        return NULL;
    uint32_t top = sg->hi < am ? sg->hi : am;
    uint64_t seg_room = (uint64_t)top - off + 1;
    uint32_t lin = sg->base + off;
    const struct tlb_entry *e = &c->tlb[(lin >> 12) & (TLB_SIZE - 1)];
    uint8_t perm = write ? c->tlb_wr : c->tlb_rd;
    if (e->vpage != ((lin & ~0xFFFu) | TLB_VALID) || !(e->perm & perm) ||
        !e->host)
        return NULL;
    uint32_t page_room = 0x1000 - (lin & 0xFFF);
    uint64_t room = seg_room < page_room ? seg_room : page_room;
    *elems = (uint32_t)(room / n);
    return e->host + (lin & 0xFFF);
}

static inline uint32_t min3(uint32_t a, uint32_t b, uint32_t c)
{
    uint32_t m = a < b ? a : b;
    return m < c ? m : c;
}

/* Copies up to `want` elements; returns how many (0: take the slow path).
 * A destination that starts inside the source run must see the bytes the
 * earlier elements just wrote, exactly as element-by-element execution
 * does (the classic pattern fill), so that case copies element by element
 * with memmove (an element itself is read whole, then written). */
static uint32_t movs_fast(struct cpu *c, const struct insn *i, unsigned n,
                          uint32_t want)
{
    uint32_t am = amask(i), ns = 0, nd = 0;
    const uint8_t *src = fast_span(c, i->seg, c->r[R_ESI] & am, am, n, false, &ns);
    if (!src)
        return 0;
    uint8_t *dst = fast_span(c, S_ES, c->r[R_EDI] & am, am, n, true, &nd);
    if (!dst)
        return 0;
    uint32_t k = min3(want, ns, nd);
    if (k == 0)
        return 0;
    size_t len = (size_t)k * n;
    uintptr_t s = (uintptr_t)src, d = (uintptr_t)dst;
    if (d > s && d < s + len) {
        for (size_t j = 0; j < len; j += n)
            memmove(dst + j, src + j, n);
    } else {
        memmove(dst, src, len);
    }
    areg_add(c, R_ESI, am, (uint32_t)len);
    areg_add(c, R_EDI, am, (uint32_t)len);
    count_sub(c, am, k);
    c->count.string_fast += k;
    return k;
}

static uint32_t stos_fast(struct cpu *c, const struct insn *i, unsigned n,
                          uint32_t want)
{
    uint32_t am = amask(i), nd = 0;
    uint8_t *dst = fast_span(c, S_ES, c->r[R_EDI] & am, am, n, true, &nd);
    if (!dst)
        return 0;
    uint32_t k = want < nd ? want : nd;
    if (k == 0)
        return 0;
    uint32_t v = c->r[R_EAX];
    size_t len = (size_t)k * n;
    if (n == 1) {
        memset(dst, (int)(v & 0xFF), len);
    } else {
        for (size_t j = 0; j < len; j += n)
            memcpy(dst + j, &v, n);
    }
    areg_add(c, R_EDI, am, (uint32_t)len);
    count_sub(c, am, k);
    c->count.string_fast += k;
    return k;
}

/* ---- the REP loop ---- */

static inline bool is_compare(enum str_op op)
{
    return op == SO_CMPS || op == SO_SCAS;
}

/* Runs the iterations of a REP-prefixed string instruction.  The count is
 * tested before each iteration and decremented after it; CMPS/SCAS end
 * when ZF disagrees with the prefix (REPE: ZF=0 ends, REPNE: ZF=1 ends).
 * With TF set each iteration is a single step. */
static inline void string_rep(struct cpu *c, const struct insn *i,
                              enum str_op op, unsigned n)
{
    uint32_t am = amask(i);
    bool fast = (op == SO_MOVS || op == SO_STOS) && !(c->eflags & F_DF);
    bool repe = (i->prefixes & PFX_REP) != 0;
    uint32_t budget = (c->eflags & F_TF) ? 1 : REP_CHUNK;
    for (;;) {
        uint32_t cx = c->r[R_ECX] & am;
        if (cx == 0)
            return;
        if (budget == 0) {
            c->eip = c->insn_eip;        /* resume here after interrupts */
            return;
        }
        if (fast) {
            uint32_t want = cx < budget ? cx : budget;
            uint32_t k = op == SO_MOVS ? movs_fast(c, i, n, want)
                                       : stos_fast(c, i, n, want);
            if (k) {
                budget -= k;
                continue;
            }
        }
        str_elem(c, i, op, n);
        count_sub(c, am, 1);
        budget--;
        if (is_compare(op) && flag_zf(c) != repe)
            return;
    }
}

static inline void string_op(struct cpu *c, const struct insn *i,
                             enum str_op op, unsigned n)
{
    bool rep = (i->prefixes & (PFX_REP | PFX_REPNE)) != 0;
    if (op == SO_INS || op == SO_OUTS) {
        /* The permission check, once per execution that moves data. */
        if (rep && (c->r[R_ECX] & amask(i)) == 0)
            return;
        io_check(c, (uint16_t)c->r[R_EDX], n);
        c->exit_block = 1;
    }
    if (rep)
        string_rep(c, i, op, n);
    else
        str_elem(c, i, op, n);
}

static unsigned vbytes(const struct insn *i)
{
    return i->o32 ? 4 : 2;
}

/* ---- the named handlers (SDM forms) ---- */

void movs_Yb_Xb(struct cpu *c, const struct insn *i) { string_op(c, i, SO_MOVS, 1); }
void movs_Yv_Xv(struct cpu *c, const struct insn *i) { string_op(c, i, SO_MOVS, vbytes(i)); }
void cmps_Xb_Yb(struct cpu *c, const struct insn *i) { string_op(c, i, SO_CMPS, 1); }
void cmps_Xv_Yv(struct cpu *c, const struct insn *i) { string_op(c, i, SO_CMPS, vbytes(i)); }
void stos_Yb_AL(struct cpu *c, const struct insn *i) { string_op(c, i, SO_STOS, 1); }
void stos_Yv_eAX(struct cpu *c, const struct insn *i) { string_op(c, i, SO_STOS, vbytes(i)); }
void lods_AL_Xb(struct cpu *c, const struct insn *i) { string_op(c, i, SO_LODS, 1); }
void lods_eAX_Xv(struct cpu *c, const struct insn *i) { string_op(c, i, SO_LODS, vbytes(i)); }
void scas_AL_Yb(struct cpu *c, const struct insn *i) { string_op(c, i, SO_SCAS, 1); }
void scas_eAX_Yv(struct cpu *c, const struct insn *i) { string_op(c, i, SO_SCAS, vbytes(i)); }
void ins_Yb_DX(struct cpu *c, const struct insn *i) { string_op(c, i, SO_INS, 1); }
void ins_Yv_DX(struct cpu *c, const struct insn *i) { string_op(c, i, SO_INS, vbytes(i)); }
void outs_DX_Xb(struct cpu *c, const struct insn *i) { string_op(c, i, SO_OUTS, 1); }
void outs_DX_Xv(struct cpu *c, const struct insn *i) { string_op(c, i, SO_OUTS, vbytes(i)); }
