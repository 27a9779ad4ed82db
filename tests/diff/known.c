/* known.c -- what the comparison must forgive, and nothing more: flags the
 * manuals leave undefined also inside an exception frame's EFLAGS image,
 * and, only when the target is KVM nested under QEMU's software CPU (the
 * kvm-sandbox), the mismatch classes whose cause is that CPU, each checked
 * narrowly (everything else must still agree) and counted by name. */
#include <string.h>

#include "tests/diff/diff.h"

/* The last instruction's first opcode byte (prefixes skipped). */
static uint8_t last_opcode(const struct seq *q, int *second)
{
    const uint8_t *b = q->code + q->off[q->n - 1];
    int n = q->len[q->n - 1], k = 0;
    while (k < n - 1 && (b[k] == 0x66 || b[k] == 0x67 || b[k] == 0xF0 || b[k] == 0xF2 ||
                         b[k] == 0xF3 || b[k] == 0x26 || b[k] == 0x2E || b[k] == 0x36 ||
                         b[k] == 0x3E || b[k] == 0x64 || b[k] == 0x65))
        k++;
    *second = k + 1 < n ? b[k + 1] : -1;
    return b[k];
}

static bool vector_has_error(int v)
{
    return v == 8 || (v >= 10 && v <= 14) || v == 17;
}

/* Where the frame's EFLAGS image is in the buffer (-1: not there).  The
 * end ESP is just above the frame (guest_result); a software INT n to a
 * vector that has an error code for exceptions pushed none. */
static int frame_flags_at(const struct seq *q, const struct outcome *o)
{
    if (o->vector < 0 || o->vector >= VEC_LOST || q->n == 0)
        return -1;
    int second;
    uint8_t op = last_opcode(q, &second);
    bool soft = op == 0xCD || op == 0xCC || op == 0xCE || op == 0xF1;
    uint32_t at = o->s.r[R_ESP] - 4 - (soft && vector_has_error(o->vector) ? 4 : 0);
    if (at < BUF_ADDR || at + 4 > BUF_ADDR + BUF_SIZE)
        return -1;
    return (int)(at - BUF_ADDR);
}

static uint32_t get32(const uint8_t *p)
{
    uint32_t v;
    memcpy(&v, p, 4);
    return v;
}

static void put32(uint8_t *p, uint32_t v)
{
    memcpy(p, &v, 4);
}

void outcome_mask_undefined(const struct seq *q, const struct outcome *ref, struct outcome *t)
{
    int at = frame_flags_at(q, ref);
    if (at < 0 || !ref->undef || frame_flags_at(q, t) != at)
        return;
    uint32_t mine = get32(t->s.buf + at), theirs = get32(ref->s.buf + at);
    put32(t->s.buf + at, (mine & ~ref->undef) | (theirs & ref->undef));
}

/* ---- the sandbox CPU's classes ---- */

/* QEMU decodes ICEBP (F1) only under WANT_ICEBP, which it never defines
 * (target/i386/tcg/translate.c): #UD at F1 instead of a #DB trap after it. */
static bool icebp(const struct seq *q, const struct outcome *r, const struct outcome *t)
{
    int second;
    return r->vector == EXC_DB && t->vector == EXC_UD && last_opcode(q, &second) == 0xF1;
}

/* QEMU checks segment limits and types only when a segment register is
 * loaded, not on data and stack accesses (bt_faults, pm_seg): an access
 * x86lab faults with #GP/#SS (a write through a code segment in DS, the
 * empty expand-down segment 0x20, a flat segment wrapped past 4 GiB)
 * completes there, or reaches a not-present page (#PF); with the empty
 * segment in SS x86lab's #SS cannot be delivered either (triple fault). */
static bool no_limit(const struct outcome *r, const struct outcome *t)
{
    bool seg_fault = r->vector == EXC_SS || r->vector == EXC_GP || r->vector == VEC_SHUTDOWN;
    bool none_there = t->vector != EXC_SS && t->vector != EXC_GP && t->vector != VEC_SHUTDOWN;
    /* the access then completes, or the instruction or a later one faults
     * otherwise (#PF, BOUND's #BR) */
    return seg_fault && none_there &&
           (t->vector < 0 || r->vector == VEC_SHUTDOWN || t->fault_off >= r->fault_off);
}

/* The patchers below each undo one known difference in the target's
 * outcome when its precondition holds (true: applied); the mismatch is
 * known when the patched outcome then equals the reference. */

/* A read-modify-write instruction faulting on a page: the CPU reports a
 * write (error code W=1; the access is one write-intent access), QEMU
 * loads first and reports a read (W=0). */
static bool rmw_pf(const struct seq *q, const struct outcome *r, struct outcome *t)
{
    int at = frame_flags_at(q, r);
    if (r->vector != EXC_PF || t->vector != EXC_PF || at < 12)
        return false;
    int err = at - 12;
    uint32_t re = get32(r->s.buf + err), te = get32(t->s.buf + err);
    if (re != (te | 2) || (te & 2))
        return false;
    put32(t->s.buf + err, re);
    return true;
}

/* A #PF taken by a memory rotate/shift (its write) or by a SETcc's store
 * right after a memory shift: QEMU pushes arithmetic flags that are not
 * the instruction boundary's (seen: RCR [mem] faulting on its write had
 * already cleared CF and OF; SAR [mem],1 then SETG [mem]: ZF/PF not the
 * SAR's).  Both agree on memory and registers; only those flags differ
 * (and RF, which qemu_rf below patches). */
static bool pf_flags(const struct seq *q, const struct outcome *r, struct outcome *t)
{
    int at = frame_flags_at(q, r), second;
    uint8_t op = last_opcode(q, &second);
    bool shift_or_set = (op >= 0xC0 && op <= 0xC1) || (op >= 0xD0 && op <= 0xD3) ||
                        (op == 0x0F && second >= 0x90 && second <= 0x9F);
    if (r->vector != EXC_PF || t->vector != EXC_PF || at < 0 || !shift_or_set)
        return false;
    uint32_t rf = get32(r->s.buf + at), tf = get32(t->s.buf + at);
    if (!((rf ^ tf) & F_ARITH) || ((rf ^ tf) & ~F_ARITH & ~F_RF))
        return false;
    put32(t->s.buf + at, (tf & ~F_ARITH) | (rf & F_ARITH));
    t->s.flags = (t->s.flags & ~F_ARITH) | (r->s.flags & F_ARITH);
    return true;
}

/* The SDM (Vol. 3, 17.3.1.1): a fault-class exception other than an
 * instruction-breakpoint #DB pushes EFLAGS with RF = 1, as x86lab does.
 * QEMU's software CPU never sets RF when it delivers an exception itself
 * (do_interrupt_protected pushes cpu_compute_eflags as it is); only the
 * faults KVM intercepts and injects get RF = 1 from KVM (#UD, #DB, #AC).
 * Patches that bit of the frame's EFLAGS image only; it runs last, so a
 * mismatch another class also explains counts under that class. */
static bool qemu_rf(const struct seq *q, const struct outcome *r, struct outcome *t)
{
    int at = frame_flags_at(q, r);
    if (at < 0 || r->vector != t->vector || r->vector == EXC_DB || r->vector == EXC_BP ||
        r->vector == EXC_OF || r->vector >= 32)
        return false;
    uint32_t rf = get32(r->s.buf + at), tf = get32(t->s.buf + at);
    if (!(rf & F_RF) || (tf & F_RF))
        return false;
    put32(t->s.buf + at, tf | F_RF);
    return true;
}

/* CMPS with both operands on not-present pages: which access faults
 * first is the CPU's choice (the SDM orders none); x86lab reads DS:ESI
 * first, QEMU ES:EDI (gen_cmps loads EDI's operand first). */
static bool cmps_order(const struct seq *q, const struct outcome *r, const struct outcome *t)
{
    int second;
    uint8_t op = last_opcode(q, &second);
    uint32_t esi = r->s.r[R_ESI], edi = r->s.r[R_EDI];
    return (op == 0xA6 || op == 0xA7) && r->vector == EXC_PF && t->vector == EXC_PF &&
           r->fault_off == t->fault_off && r->s.cr2 != t->s.cr2 &&
           r->s.cr2 - esi + 4 <= 8 && t->s.cr2 - edi + 4 <= 8;
}

const char *const known_class_names[KNOWN_COUNT] = {
    [KNOWN_CMPS_ORDER] = "sandbox CPU: CMPS with both operands faulting, QEMU faults on ES:EDI first",
    [KNOWN_PF_FLAGS] = "sandbox CPU: QEMU's flags in the #PF frame of a memory shift/SETcc",
    [KNOWN_ICEBP] = "sandbox CPU: ICEBP (F1) is #UD in QEMU (no WANT_ICEBP)",
    [KNOWN_NO_LIMIT] = "sandbox CPU: QEMU checks no segment limits/types on accesses",
    [KNOWN_RMW_PF] = "sandbox CPU: QEMU reports a read (W=0) for a read-modify-write #PF",
    [KNOWN_QEMU_RF] = "sandbox CPU: QEMU pushes RF=0 in a fault's EFLAGS image (SDM: 1)",
};

int known_class(const struct seq *q, const struct outcome *r, const struct outcome *t,
                bool engine, bool sandbox)
{
    if (sandbox && icebp(q, r, t))
        return KNOWN_ICEBP;
    if (sandbox && no_limit(r, t))
        return KNOWN_NO_LIMIT;
    if (sandbox && cmps_order(q, r, t))
        return KNOWN_CMPS_ORDER;
    typedef bool (*patcher)(const struct seq *, const struct outcome *, struct outcome *);
    static const struct { patcher fn; int cls; bool sandbox_only; } p[] = {
        { rmw_pf, KNOWN_RMW_PF, true },
        { pf_flags, KNOWN_PF_FLAGS, true },
        { qemu_rf, KNOWN_QEMU_RF, true },
    };
    struct outcome fixed = *t;
    int first = -1;
    for (size_t k = 0; k < sizeof p / sizeof p[0]; k++) {
        if ((p[k].sandbox_only && !sandbox) || !p[k].fn(q, r, &fixed))
            continue;
        first = first < 0 ? p[k].cls : first;
        if (outcomes_equal(r, &fixed, engine))
            return first;
    }
    return -1;
}
