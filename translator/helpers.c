/* helpers.c -- the C side of translated code: the indirect-branch lookup,
 * the trap classes of the statistics and the timed trap call. */
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

/* A trap of one of the dangerous classes: counted and timed. */
void bt_trap_timed(struct cpu *c, const struct insn *i, struct bt_rt *rt, int cls)
{
    struct stats *st = rt->bt->st;
    uint64_t t0 = stats_now_ns();
    st->bt_traps[cls]++;
    i->fn(c, i);
    st->bt_trap_ns[cls] += stats_now_ns() - t0;
}
