/* task.c -- hardware task switches (SDM Vol. 3 ch. 7): 16 and 32-bit TSS
 * layouts, busy bits, NT and the back link, saving the old task, loading
 * the new one with its checks, and the inner stacks of the current TSS. */
#include "task.h"

#include "flags.h"
#include "mem.h"
#include "pm.h"

/* The state a TSS holds, in a form independent of its width. */
struct tss_state {
    uint32_t eip, eflags, cr3;
    uint32_t r[8];
    uint16_t seg[S_COUNT];
    uint16_t ldt;
};

/* 32-bit TSS offsets. */
enum {
    T32_CR3 = 0x1C, T32_EIP = 0x20, T32_EFLAGS = 0x24, T32_REGS = 0x28,
    T32_SEGS = 0x48, T32_LDT = 0x60, T32_LAST = 0x67, T32_SAVE_END = 0x5F,
};
/* 16-bit TSS offsets. */
enum {
    T16_IP = 0x0E, T16_FLAGS = 0x10, T16_REGS = 0x12, T16_SEGS = 0x22,
    T16_LDT = 0x2A, T16_LAST = 0x2B, T16_SAVE_END = 0x29,
};

static bool tss_is32(uint16_t ar)
{
    return (ar & 8) != 0;
}

static void tss_read32(struct cpu *c, uint32_t base, struct tss_state *t)
{
    t->cr3 = sys_rd(c, base + T32_CR3, 4);
    t->eip = sys_rd(c, base + T32_EIP, 4);
    t->eflags = sys_rd(c, base + T32_EFLAGS, 4);
    for (int k = 0; k < 8; k++)
        t->r[k] = sys_rd(c, base + T32_REGS + 4u * (unsigned)k, 4);
    for (int s = 0; s < S_COUNT; s++)
        t->seg[s] = (uint16_t)sys_rd(c, base + T32_SEGS + 4u * (unsigned)s, 2);
    t->ldt = (uint16_t)sys_rd(c, base + T32_LDT, 2);
}

/* A 16-bit TSS has no FS, GS or CR3; like Bochs and QEMU we set the upper
 * halves of the general registers to ones and zero EIP/EFLAGS above 16. */
static void tss_read16(struct cpu *c, uint32_t base, struct tss_state *t)
{
    t->cr3 = 0;
    t->eip = sys_rd(c, base + T16_IP, 2);
    t->eflags = sys_rd(c, base + T16_FLAGS, 2);
    for (int k = 0; k < 8; k++)
        t->r[k] = 0xFFFF0000u | sys_rd(c, base + T16_REGS + 2u * (unsigned)k, 2);
    for (int s = 0; s < S_COUNT; s++)
        t->seg[s] = s <= S_DS ? (uint16_t)sys_rd(c, base + T16_SEGS + 2u * (unsigned)s, 2) : 0;
    t->ldt = (uint16_t)sys_rd(c, base + T16_LDT, 2);
}

/* Saves the dynamic fields of the running task into its TSS. */
static void tss_save(struct cpu *c, uint32_t eflags)
{
    uint32_t base = c->tr.base;
    if (tss_is32(c->tr.ar)) {
        sys_wr(c, base + T32_EIP, 4, c->eip);
        sys_wr(c, base + T32_EFLAGS, 4, eflags);
        for (int k = 0; k < 8; k++)
            sys_wr(c, base + T32_REGS + 4u * (unsigned)k, 4, c->r[k]);
        for (int s = 0; s < S_COUNT; s++)
            sys_wr(c, base + T32_SEGS + 4u * (unsigned)s, 2, c->seg[s].sel);
        return;
    }
    sys_wr(c, base + T16_IP, 2, c->eip & 0xFFFF);
    sys_wr(c, base + T16_FLAGS, 2, eflags & 0xFFFF);
    for (int k = 0; k < 8; k++)
        sys_wr(c, base + T16_REGS + 2u * (unsigned)k, 2, c->r[k] & 0xFFFF);
    for (int s = 0; s <= S_DS; s++)
        sys_wr(c, base + T16_SEGS + 2u * (unsigned)s, 2, c->seg[s].sel);
}

/* Sets or clears the busy bit of the TSS descriptor sel names (GDT). */
static void tss_set_busy(struct cpu *c, uint16_t sel, bool busy)
{
    uint32_t lin = c->gdtr.base + (sel & ~7u) + 5;
    uint32_t type = sys_rd(c, lin, 1);
    type = busy ? (type | TSS_BUSY_BIT) : (type & ~(uint32_t)TSS_BUSY_BIT);
    sys_wr(c, lin, 1, type);
}

/* Everything that can fault before the commit point: TSS limits, reading
 * the new TSS, and the pages that the switch will write. */
static void task_prepare(struct cpu *c, uint16_t sel, const struct descriptor *d,
                         uint32_t ext, struct tss_state *t)
{
    bool new32 = tss_is32(d->ar), old32 = tss_is32(c->tr.ar);
    if (d->limit < (new32 ? (uint32_t)T32_LAST : (uint32_t)T16_LAST))
        cpu_fault(c, EXC_TS, sel_err(sel, ext));
    if (c->tr.limit < (old32 ? (uint32_t)T32_SAVE_END : (uint32_t)T16_SAVE_END))
        cpu_fault(c, EXC_TS, sel_err(c->tr.sel, ext));
    if (new32)
        tss_read32(c, d->base, t);
    else
        tss_read16(c, d->base, t);
    uint32_t first = old32 ? T32_EIP : T16_IP;
    uint32_t last = old32 ? T32_SAVE_END : T16_SAVE_END;
    mmu_probe_write(c, c->tr.base + first, last - first + 1, ACC_WRITE | ACC_SYS);
    mmu_probe_write(c, d->base, 2, ACC_WRITE | ACC_SYS);
    mmu_probe_write(c, c->gdtr.base + (sel & ~7u) + 5, 1, ACC_WRITE | ACC_SYS);
    mmu_probe_write(c, c->gdtr.base + (c->tr.sel & ~7u) + 5, 1, ACC_WRITE | ACC_SYS);
}

/* Loads LDTR for the new task (after the commit: faults are #TS). */
static void task_load_ldt(struct cpu *c, uint16_t ldt, uint32_t ext)
{
    seg_set_cache(&c->ldtr, ldt, 0, 0, 0);
    if (sel_null(ldt))
        return;
    struct descriptor d;
    if (ldt & 4)
        cpu_fault(c, EXC_TS, sel_err(ldt, ext));
    desc_fetch_or(c, ldt, &d, EXC_TS, ext);
    if (!ar_system(d.ar) || ar_type(d.ar) != SYS_LDT || !ar_present(d.ar))
        cpu_fault(c, EXC_TS, sel_err(ldt, ext));
    seg_set_cache(&c->ldtr, ldt, d.base, d.limit, d.ar);
}

/* CS of the new task: a present code segment whose DPL suits its RPL. */
static void task_load_cs(struct cpu *c, uint16_t sel, uint32_t ext)
{
    struct descriptor d;
    if (sel_null(sel))
        cpu_fault(c, EXC_TS, sel_err(sel, ext));
    desc_fetch_or(c, sel, &d, EXC_TS, ext);
    unsigned dpl = ar_dpl(d.ar), rpl = sel & 3u;
    if (!ar_code(d.ar) || (ar_conforming(d.ar) ? dpl > rpl : dpl != rpl))
        cpu_fault(c, EXC_TS, sel_err(sel, ext));
    if (!ar_present(d.ar))
        cpu_fault(c, EXC_NP, sel_err(sel, ext));
    load_cs(c, sel, &d, rpl);
}

/* LDTR and the segment registers of the new task, checked in the new
 * task, in Bochs' order: LDTR, SS, DS, ES, FS, GS, CS.  While LDTR and SS
 * are checked the CPL reads 3, so that a fault there is delivered with a
 * stack switch (SS is not usable yet) -- the way Bochs does it. */
static void task_load_segs(struct cpu *c, const struct tss_state *t, uint32_t ext)
{
    if (c->eflags & F_VM) {
        task_load_ldt(c, t->ldt, ext);
        for (int s = 0; s < S_COUNT; s++)
            seg_set_real(c, s, t->seg[s]);
        return;
    }
    unsigned cpl = t->seg[S_CS] & 3u;
    struct descriptor d;
    cpu_set_cpl(c, 3);
    task_load_ldt(c, t->ldt, ext);
    seg_check_data(c, S_SS, t->seg[S_SS], cpl, EXC_TS, ext, &d);
    seg_commit(c, S_SS, t->seg[S_SS], &d);
    cpu_set_cpl(c, cpl);
    static const int order[] = { S_DS, S_ES, S_FS, S_GS };
    for (unsigned k = 0; k < sizeof order / sizeof order[0]; k++) {
        int s = order[k];
        if (seg_check_data(c, s, t->seg[s], cpl, EXC_TS, ext, &d))
            seg_commit(c, s, t->seg[s], &d);
        else
            seg_load_null(c, s, t->seg[s]);
    }
    task_load_cs(c, t->seg[S_CS], ext);
}

/* The commit: from here on the new task is current. */
static void task_commit(struct cpu *c, uint16_t sel, const struct descriptor *d,
                        enum task_reason why, const struct tss_state *t)
{
    uint16_t ar = d->ar;
    if (why != TASK_IRET)
        ar |= TSS_BUSY_BIT;
    seg_set_cache(&c->tr, sel, d->base, d->limit, ar);
    c->cr0 |= CR0_TS;
    if (tss_is32(ar) && (c->cr0 & CR0_PG)) {
        c->cr3 = t->cr3;
        tlb_flush(c, true);
    }
    uint32_t eflags = t->eflags;
    if (why == TASK_CALL || why == TASK_INT)
        eflags |= F_NT;
    cpu_set_eflags(c, eflags);
    c->eip = t->eip;
    for (int k = 0; k < 8; k++)
        c->r[k] = t->r[k];
    /* Selectors first, caches unusable until each one passes its checks. */
    for (int s = 0; s < S_COUNT; s++)
        seg_set_cache(&c->seg[s], t->seg[s], 0, 0, 0);
    cpu_set_cpl(c, (eflags & F_VM) ? 3 : (t->seg[S_CS] & 3u));
    /* A fault from now on belongs to the new task: the run loop must not
     * roll EIP and ESP back to the old one. */
    c->insn_eip = c->eip;
    c->insn_esp = c->r[R_ESP];
}

void task_switch(struct cpu *c, uint16_t sel, const struct descriptor *d,
                 enum task_reason why, uint32_t ext)
{
    struct tss_state t;
    task_prepare(c, sel, d, ext, &t);

    uint32_t old_flags = cpu_get_eflags(c);
    if (why == TASK_IRET)
        old_flags &= ~(uint32_t)F_NT;
    uint16_t old_sel = c->tr.sel;
    tss_save(c, old_flags);
    if (why == TASK_CALL || why == TASK_INT)
        sys_wr(c, d->base, 2, old_sel);
    if (why == TASK_JMP || why == TASK_IRET)
        tss_set_busy(c, old_sel, false);
    if (why != TASK_IRET)
        tss_set_busy(c, sel, true);

    task_commit(c, sel, d, why, &t);
    task_load_segs(c, &t, ext);
}

void tss_inner_stack(struct cpu *c, unsigned dpl, uint32_t ext, uint16_t *ss,
                     uint32_t *esp, struct descriptor *ssd)
{
    uint32_t base = c->tr.base;
    if (tss_is32(c->tr.ar)) {
        uint32_t at = dpl * 8 + 4;
        if (at + 5 > c->tr.limit)
            cpu_fault(c, EXC_TS, sel_err(c->tr.sel, ext));
        *esp = sys_rd(c, base + at, 4);
        *ss = (uint16_t)sys_rd(c, base + at + 4, 2);
    } else {
        uint32_t at = dpl * 4 + 2;
        if (at + 3 > c->tr.limit)
            cpu_fault(c, EXC_TS, sel_err(c->tr.sel, ext));
        *esp = sys_rd(c, base + at, 2);
        *ss = (uint16_t)sys_rd(c, base + at + 2, 2);
    }
    seg_check_data(c, S_SS, *ss, dpl, EXC_TS, ext, ssd);
}

uint16_t tss_back_link(struct cpu *c)
{
    return (uint16_t)sys_rd(c, c->tr.base, 2);
}
