/* debug_bp.c -- the debugger's breakpoint table, its side-effect-free view
 * of guest memory (linear through the current page tables, or physical),
 * and watchpoints by comparison for engines without the TLB hook. */
#include "debug.h"

#include <string.h>

#include "cpu/mem.h"
#include "machine/machine.h"

int debug_bp_add(struct debugger *d, const struct breakpoint *bp)
{
    for (int k = 0; k < DBG_MAX_BP; k++) {
        struct breakpoint *b = &d->bp[k];
        if (b->id)
            continue;
        *b = *bp;
        /* Temporary ones (next, until) do not use up the user's numbers. */
        b->id = bp->temporary ? DBG_TEMP_ID + k : d->next_id++;
        b->enabled = true;
        b->hits = 0;
        if (b->len == 0)
            b->len = 1;
        debug_update(d->m);
        return b->id;
    }
    snprintf(d->m->error, sizeof d->m->error, "too many breakpoints (at most %d)", DBG_MAX_BP);
    return -1;
}

struct breakpoint *debug_bp_find(struct debugger *d, int id)
{
    for (int k = 0; k < DBG_MAX_BP && id > 0; k++)
        if (d->bp[k].id == id)
            return &d->bp[k];
    return NULL;
}

int debug_bp_delete(struct debugger *d, int id)
{
    struct breakpoint *b = debug_bp_find(d, id);
    if (!b) {
        snprintf(d->m->error, sizeof d->m->error, "no breakpoint number %d", id);
        return -1;
    }
    memset(b, 0, sizeof *b);
    debug_update(d->m);
    return 0;
}

bool debug_bp_at(const struct debugger *d, uint32_t lin)
{
    for (int k = 0; k < DBG_MAX_BP; k++)
        if (d->bp[k].id && d->bp[k].enabled && d->bp[k].kind == BPK_LIN && d->bp[k].addr == lin)
            return true;
    return false;
}

uint32_t debug_pc(struct machine *m)
{
    return m->cpu.seg[S_CS].base + m->cpu.eip;
}

/* Host pointer to a physical byte of RAM or ROM, or NULL (MMIO, nothing). */
static const uint8_t *phys_ptr(struct machine *m, uint32_t pa)
{
    const uint8_t *p = bus_page_ptr(&m->bus, pa & ~0xFFFu, false);
    return p ? p + (pa & 0xFFF) : NULL;
}

uint32_t debug_read_phys(struct machine *m, uint32_t pa, void *buf, uint32_t len)
{
    uint8_t *out = buf;
    for (uint32_t k = 0; k < len; k++) {
        const uint8_t *p = phys_ptr(m, pa + k);
        if (!p)
            return k;
        out[k] = *p;
    }
    return len;
}

uint32_t debug_read_lin(struct machine *m, uint32_t lin, void *buf, uint32_t len)
{
    uint8_t *out = buf;
    for (uint32_t k = 0; k < len; k++) {
        uint32_t pa;
        if (mmu_peek(&m->cpu, lin + k, &pa) < 0 || debug_read_phys(m, pa, out + k, 1) != 1)
            return k;
    }
    return len;
}

/* Writes go to RAM only (not to ROM or devices), then every engine drops
 * what it made from the page (decoded blocks, translations). */
uint32_t debug_write_lin(struct machine *m, uint32_t lin, const void *buf, uint32_t len)
{
    const uint8_t *in = buf;
    for (uint32_t k = 0; k < len; k++) {
        uint32_t pa;
        if (mmu_peek(&m->cpu, lin + k, &pa) < 0 || pa >= m->bus.ram_size)
            return k;
        m->bus.ram[pa] = in[k];
        machine_invalidate(m, pa & ~0xFFFu, 4096);
    }
    return len;
}

void debug_snapshot_watches(struct debugger *d)
{
    for (int k = 0; k < DBG_MAX_BP; k++) {
        struct breakpoint *b = &d->bp[k];
        if (b->id && b->kind == BPK_WATCH) {
            uint32_t n = b->len < sizeof b->snap ? b->len : (uint32_t)sizeof b->snap;
            memset(b->snap, 0, sizeof b->snap);
            debug_read_lin(d->m, b->addr, b->snap, n);
        }
    }
}

/* A write watchpoint whose bytes changed since the snapshot fires. */
void debug_check_watch_snapshot(struct debugger *d)
{
    if (!d->watch_snapshot)
        return;
    for (int k = 0; k < DBG_MAX_BP; k++) {
        struct breakpoint *b = &d->bp[k];
        if (!b->id || !b->enabled || b->kind != BPK_WATCH || !(b->acc & DBG_ACC_WRITE))
            continue;
        uint8_t now[sizeof b->snap] = { 0 };
        uint32_t n = b->len < sizeof b->snap ? b->len : (uint32_t)sizeof b->snap;
        debug_read_lin(d->m, b->addr, now, n);
        for (uint32_t i = 0; i < n; i++) {
            if (now[i] == b->snap[i])
                continue;
            uint32_t size = n - i < 4 ? n - i : 4, old = 0, new_value = 0;
            memcpy(&old, b->snap + i, size);
            memcpy(&new_value, now + i, size);
            memcpy(b->snap, now, n);
            b->hits++;
            d->stop_pending = 1;
            memset(&d->stop, 0, sizeof d->stop);
            d->stop.reason = DBG_STOP_WATCH;
            d->stop.bp_id = b->id;
            d->stop.addr = b->addr + i;
            d->stop.size = size;
            d->stop.write = true;
            d->stop.old_value = old;
            d->stop.new_value = new_value;
            d->stop.insn_eip = d->m->cpu.eip;   /* after the instruction: the engine cannot say */
            return;
        }
    }
}
