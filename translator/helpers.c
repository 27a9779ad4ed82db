/* helpers.c -- the C side of translated code: the indirect-branch lookup,
 * the trap classes of the statistics, the trap call, the memory slow
 * path and the flags between the CPU state and rt->slot. */
#include <cpuid.h>
#include <string.h>

#include "cpu/flags.h"
#include "cpu/mem.h"
#include "machine/bus.h"
#include "translator/bt_int.h"

/* Where an indirect transfer goes: the translated block for the current
 * CS:EIP and mode, or back to the dispatcher.  Never translates (it runs
 * inside translated code, which a flush would pull away). */
const uint8_t *bt_helper_lookup(struct cpu *c, struct bt_rt *rt)
{
    struct bt *bt = rt->bt;
    struct bt_key k;
    (void)c;
    bt->st->bt_indirect_lookups++;
    if (!bt_key_now(bt, &k, NULL))
        return rt->generic_exit;
    struct bt_block *b = bt_lookup(bt, &k);
    if (!b || !b->host || b->gen != bus_page_gen(bt->cpu->bus, k.phys))
        return rt->generic_exit;
    bt->st->bt_indirect_hits++;
    return b->host;
}

/* The statistics class of a trapped instruction (machine/stats.h). */
enum trap_class bt_trap_class(const struct insn *i)
{
    unsigned op = i->opcode;
    switch (op) {
    case 0xFA: case 0xFB: return TRAP_IF;
    case 0x9C: case 0x9D: case 0x9E: case 0x9F: return TRAP_FLAGS;
    case 0xF4: return TRAP_HLT;
    case 0x63: case 0x100: case 0x102: case 0x103: return TRAP_DESC;
    case 0x106: case 0x120: case 0x121: case 0x122: case 0x123: return TRAP_CRDR;
    case 0x108: case 0x109: return TRAP_TLB;
    case 0x130: case 0x131: case 0x132: case 0x133: case 0x1A2: return TRAP_MSR;
    case 0x101:
        if (i->reg <= 3)
            return TRAP_DESC;
        return i->reg == 7 ? TRAP_TLB : TRAP_CRDR;
    default:
        break;
    }
    switch (i->row->cls) {
    case CL_IO: return TRAP_IO;
    case CL_INT: return TRAP_INT;
    case CL_FAR: case CL_STACKSEG: return TRAP_FAR;
    default: return TRAP_OTHER;
    }
}

/* The guest's arithmetic flags as a host RFLAGS image (IF and bit 1 set,
 * as in user mode; nothing else, so POPFQ changes no host state). */
void bt_flags_to_slot(struct cpu *c, struct bt_rt *rt)
{
    uint32_t f = flags_arith(c);
    c->eflags = (c->eflags & ~F_ARITH) | f;
    c->lf.op = LF_NONE;
    rt->slot = f | 0x202;
}

void bt_flags_from_slot(struct cpu *c, const struct bt_rt *rt)
{
    c->eflags = (c->eflags & ~F_ARITH) | ((uint32_t)rt->slot & F_ARITH);
    c->lf.op = LF_NONE;
}

/* A trapped instruction: the interpreter's handler on the CPU state, with
 * the flags there.  The dangerous classes are timed by sampling: one trap
 * in 16 is timed and counts for 16 (two clock reads per trap cost more
 * than many handlers: measured 4-5% of the benchmark with port I/O
 * polling); "other" is only counted. */
enum { TRAP_SAMPLE = 16 };

void bt_trap_call(struct cpu *c, const struct insn *i, struct bt_rt *rt, int cls)
{
    struct stats *st = rt->bt->st;
    bt_flags_from_slot(c, rt);
    rt->in_trap = 1;
    if (cls == TRAP_OTHER || st->bt_traps[cls]++ % TRAP_SAMPLE) {
        if (cls == TRAP_OTHER)
            st->bt_traps[cls]++;
        i->fn(c, i);
    } else {
        uint64_t t0 = stats_now_ns();
        i->fn(c, i);
        st->bt_trap_ns[cls] += (stats_now_ns() - t0) * TRAP_SAMPLE;
    }
    rt->in_trap = 0;
    bt_flags_to_slot(c, rt);
}

/* After IN/OUT: may the block go on (chained) instead of returning to
 * the dispatcher?  Not when the device raised an interrupt, asked to stop,
 * wrote translated code, changed the shadow RAM or the A20 gate.  Every
 * port access sets exit_block (cpu/io.c: "the machine may have changed"),
 * so the causes are checked one by one; a changed TLB (the hypercall
 * port's CR3 and page-table calls) is caught by going on through the next
 * block's checked entry (translate.c). */
int bt_io_continue(struct cpu *c, struct bt_rt *rt)
{
    struct bt *bt = rt->bt;
    if (c->stop_request || rt->stale || c->a20_mask != bt->a20_seen ||
        bt_needs_interpreter(bt, c) || memcmp(bt->shadow, c->bus->shadow, sizeof bt->shadow))
        return 0;
    c->exit_block = 0;           /* all its causes checked: later checks start afresh */
    return 1;
}

/* The memory slow path: a TLB miss, an access the TLB does not give
 * direct (MMIO, a page holding translated code, a watched page) or one
 * crossing a page.  size_acc: size in bytes, 0x100 for a read-modify-
 * write (write access checked first, so it faults before any change).
 * The value goes to rt->bounce, where the instruction then works. */
uint8_t *bt_mem_read(struct cpu *c, struct bt_rt *rt, uint32_t lin, uint32_t size_acc)
{
    struct stats *st = rt->bt->st;
    uint64_t t0 = stats_now_ns();
    unsigned size = size_acc & 0xFF;
    st->bt_traps[TRAP_TLBMISS]++;
    /* A flat or based segment's limit: an access whose offset wraps past
     * 4 GiB faults. */
    if (lin - c->seg[size_acc >> 12].base > 0xFFFFFFFFu - (size - 1))
        seg_fault(c, (int)(size_acc >> 12));
    rt->lin = lin;
    rt->size = size;
    if (size_acc & 0x100)
        mmu_probe_write(c, lin, size, ACC_WRITE);
    rt->bounce = mmu_read_slow(c, lin, size, ACC_READ);
    st->bt_trap_ns[TRAP_TLBMISS] += stats_now_ns() - t0;
    return (uint8_t *)&rt->bounce;
}

/* Stores rt->bounce; nonzero when the write made translated code stale
 * (the block leaves after this instruction). */
int bt_mem_write(struct cpu *c, struct bt_rt *rt)
{
    struct stats *st = rt->bt->st;
    uint64_t t0 = stats_now_ns();
    unsigned size = rt->size & 0xFF;
    if (rt->size & 0x100) {                  /* a plain write: its miss counts here */
        st->bt_traps[TRAP_TLBMISS]++;
        if (rt->lin - c->seg[rt->size >> 12].base > 0xFFFFFFFFu - (size - 1))
            seg_fault(c, (int)(rt->size >> 12));
    }
    mmu_write_slow(c, rt->lin, size, (uint32_t)rt->bounce, ACC_WRITE);
    st->bt_trap_ns[TRAP_TLBMISS] += stats_now_ns() - t0;
    return c->exit_block;
}

/* LAHF and SAHF in 64-bit mode: CPUID 80000001h, ECX bit 0 (all but
 * the first x86-64 processors). */
bool bt_probe_host_lahf(void)
{
    unsigned a, b, c, d;
    return __get_cpuid(0x80000001u, &a, &b, &c, &d) && (c & 1);
}

/* Does the host leave AF = 0 after AND (as the interpreter does)?  Then
 * the flags of logic ops need no fixing when they are stored. */
bool bt_probe_host_af(void)
{
    uint64_t f;
    __asm__ volatile("mov $0x0f, %%eax\n\t"
                     "add $1, %%al\n\t"        /* AF = 1 */
                     "and %%eax, %%eax\n\t"
                     "pushfq\n\t"
                     "pop %0" : "=r"(f) : : "rax", "cc");
    return !(f & F_AF);
}
