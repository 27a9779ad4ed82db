/* regions.c -- the region-marking ports 0xEA-0xEF (docs/regions.md): a
 * guest brackets a phase of its run between BEGIN and END marks and the
 * machine keeps what its counters did in between (host time, instructions,
 * traps, VM exits...), so a report can give figures for that phase only. */
#include "regions.h"

#include <inttypes.h>
#include <string.h>

#include "cpu/cpu.h"
#include "machine/bus.h"

void regions_snapshot(const struct region_log *r, struct region_counts *out)
{
    memset(out, 0, sizeof *out);
    out->host_ns = stats_now_ns();
    const struct cpu_counters *n = &r->cpu->count;
    out->insns = n->insns;
    for (int v = 0; v < 32; v++)
        out->exceptions += n->exceptions[v];
    for (int v = 0; v < 256; v++)
        out->hw_interrupts += n->interrupts[v];
    out->soft_ints = n->soft_ints;
    out->io = r->bus->io_reads + r->bus->io_writes;
    const struct stats *s = r->stats;
    if (!s)
        return;
    out->hypercalls = s->hypercalls;
    for (int k = 0; k < TRAP_COUNT; k++)      /* one of the two engines runs */
        out->traps[k] = s->bt_traps[k] + s->tae_traps[k];
    memcpy(out->trap_ns, s->bt_trap_ns, sizeof out->trap_ns);
    memcpy(out->kvm_exits, s->kvm_exits, sizeof out->kvm_exits);
    memcpy(out->kvm_exit_ns, s->kvm_exit_ns, sizeof out->kvm_exit_ns);
    out->kvm_guest_ns = s->kvm_guest_ns;
    out->kvm_injected_irqs = s->kvm_injected_irqs;
}

/* d = end - begin, field by field (the struct is all uint64_t). */
static void counts_sub(struct region_counts *d, const struct region_counts *end,
                       const struct region_counts *begin)
{
    enum { N = sizeof(struct region_counts) / sizeof(uint64_t) };
    uint64_t e[N], b[N];
    memcpy(e, end, sizeof e);
    memcpy(b, begin, sizeof b);
    for (int k = 0; k < N; k++)
        e[k] -= b[k];
    memcpy(d, e, sizeof e);
}

static void region_begin(struct region_log *r)
{
    if (r->nopen == REGION_DEPTH) {
        r->errors++;
        return;
    }
    char *name = r->open[r->nopen].name;
    if (r->name_len)
        memcpy(name, r->name, REGION_NAME_MAX);
    else
        snprintf(name, REGION_NAME_MAX, "region%d", r->ndone + r->nopen);
    r->name_len = 0;
    memset(r->name, 0, sizeof r->name);
    regions_snapshot(r, &r->open[r->nopen].at);
    r->nopen++;
}

static void region_end(struct region_log *r)
{
    struct region_counts now;
    regions_snapshot(r, &now);
    if (r->nopen == 0) {
        r->errors++;
        return;
    }
    r->nopen--;
    if (r->ndone == REGION_MAX) {
        r->dropped++;
        return;
    }
    struct region *g = &r->done[r->ndone++];
    memset(g, 0, sizeof *g);
    memcpy(g->name, r->open[r->nopen].name, REGION_NAME_MAX);
    g->depth = r->nopen;
    counts_sub(&g->d, &now, &r->open[r->nopen].at);
}

/* The region the SET commands apply to: the last one closed, if kept. */
static struct region *last_closed(struct region_log *r)
{
    if (r->ndone == 0 || r->dropped) {
        r->errors++;
        return NULL;
    }
    return &r->done[r->ndone - 1];
}

static void command(struct region_log *r, uint32_t cmd)
{
    struct region *g;
    switch (cmd) {
    case REGION_BEGIN: region_begin(r); break;
    case REGION_END: region_end(r); break;
    case REGION_SET_OPS:
        if ((g = last_closed(r)))
            g->ops = r->data;
        break;
    case REGION_SET_CYCLES_LO:
        if ((g = last_closed(r))) {
            g->guest_cycles = (g->guest_cycles & ~0xFFFFFFFFull) | r->data;
            g->has_cycles = true;
        }
        break;
    case REGION_SET_CYCLES_HI:
        if ((g = last_closed(r))) {
            g->guest_cycles = (g->guest_cycles & 0xFFFFFFFFull) | (uint64_t)r->data << 32;
            g->has_cycles = true;
        }
        break;
    default:
        r->errors++;
    }
}

static uint32_t port_read(void *opaque, uint32_t port, int size)
{
    const struct region_log *r = opaque;
    (void)size;
    if (port == REGION_PORT + 1)
        return (uint32_t)r->nopen;     /* lets a guest check it is there */
    return port == REGION_PORT + 2 ? r->data : 0xFF;
}

static void port_write(void *opaque, uint32_t port, int size, uint32_t value)
{
    struct region_log *r = opaque;
    if (port == REGION_PORT) {
        char ch = (char)(value & 0xFF);
        if (ch == 0) {
            r->name_len = 0;
            memset(r->name, 0, sizeof r->name);
        } else if (r->name_len < REGION_NAME_MAX - 1) {
            r->name[r->name_len++] = ch;
        }
    } else if (port == REGION_PORT + 1) {
        command(r, value & 0xFF);
    } else if (port == REGION_PORT + 2 && size == 4) {
        r->data = value;
    } else {
        r->errors++;                   /* the data port takes dwords only */
    }
}

int regions_init(struct region_log *r, struct bus *b, const struct cpu *c)
{
    memset(r, 0, sizeof *r);
    r->cpu = c;
    r->bus = b;
    return bus_add_ports(b, REGION_PORT, 6, port_read, port_write, r);
}

void regions_print(const struct region_log *r, FILE *f)
{
    for (int k = 0; k < r->ndone; k++) {
        const struct region *g = &r->done[k];
        fprintf(f, "x86lab:   region %*s%-16s %10.3f ms, %" PRIu64 " instructions",
                2 * g->depth, "", g->name, (double)g->d.host_ns / 1e6, g->d.insns);
        if (g->ops)
            fprintf(f, ", %" PRIu64 " ops, %.1f ns/op", g->ops,
                    (double)g->d.host_ns / (double)g->ops);
        if (g->has_cycles)
            fprintf(f, ", guest TSC %" PRIu64 " cycles", g->guest_cycles);
        fputc('\n', f);
    }
    if (r->nopen || r->dropped || r->errors)
        fprintf(f, "x86lab:   regions: %d still open, %" PRIu64 " not kept, %" PRIu64
                " bad marks\n", r->nopen, r->dropped, r->errors);
}
