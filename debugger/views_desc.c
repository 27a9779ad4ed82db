/* views_desc.c -- the descriptor-table views: GDT, LDT and IDT listings
 * decoded (type, base, limit, DPL, present, gate targets with symbols),
 * the real-mode IVT, and the current TSS. */
#include "monitor.h"

#include <stdlib.h>
#include <string.h>

#include "translator/bt.h"

struct raw_desc {
    uint32_t lo, hi;
    uint32_t base, limit;
    uint16_t ar;
};

static void decode(struct raw_desc *d)
{
    d->base = (d->lo >> 16) | ((d->hi & 0xFF) << 16) | (d->hi & 0xFF000000u);
    d->limit = (d->lo & 0xFFFF) | (d->hi & 0x000F0000u);
    d->ar = (uint16_t)(((d->hi >> 8) & 0xFF) | ((d->hi >> 8) & 0xF000));
    if (d->ar & AR_G)
        d->limit = (d->limit << 12) | 0xFFF;
}

static bool is_gate(uint16_t ar)
{
    unsigned t = ar & AR_TYPE;
    return !(ar & AR_S) && (t == 4 || t == 5 || t == 6 || t == 7 || t == 12 || t == 14 || t == 15);
}

static void show_desc(struct machine *m, FILE *out, const char *label, const struct raw_desc *d)
{
    char desc[160], a[96];
    mon_describe_ar(desc, sizeof desc, d->ar);
    if (!is_gate(d->ar)) {
        fprintf(out, "%s %08x %08x  base=%08x limit=%08x  %s\n", label, d->hi, d->lo,
                d->base, d->limit, desc);
        return;
    }
    uint16_t sel = (uint16_t)(d->lo >> 16);
    unsigned type = d->ar & AR_TYPE;
    if (type == 5) {
        fprintf(out, "%s %08x %08x  task gate -> TSS selector %04x, dpl %u, %s\n", label, d->hi,
                d->lo, sel, (d->ar & AR_DPL) >> 5, (d->ar & AR_P) ? "present" : "NOT present");
        return;
    }
    uint32_t off = (d->lo & 0xFFFF) | (type >= 12 ? (d->hi & 0xFFFF0000u) : 0);
    struct location loc;
    char target[32];
    snprintf(target, sizeof target, "0x%x:0x%x", sel, off);
    const char *where = "";
    if (mon_parse_location(m, out, target, &loc) == 0)
        where = mon_addr(m, loc.lin, a, sizeof a);
    fprintf(out, "%s %08x %08x  %s -> %04x:%08x %s", label, d->hi, d->lo, desc, sel, off, where);
    if (type == 4 || type == 12)
        fprintf(out, ", %u parameters", d->hi & 0x1F);
    fputc('\n', out);
}

/* Lists a table of descriptors at linear base..base+limit; only entries
 * that are not all zero, or entry `only` when >= 0. */
static void list_table(struct machine *m, FILE *out, const char *name, uint32_t base,
                       uint32_t limit, bool ldt, long only)
{
    uint32_t count = (limit + 1) / 8;
    fprintf(out, "%s at %08x, limit %04x (%u entries)\n", name, base, limit, count);
    for (uint32_t k = 0; k < count && k < 8192; k++) {
        if (only >= 0 && (long)k != only)
            continue;
        struct raw_desc d;
        if (debug_read_lin(m, base + k * 8, &d.lo, 4) != 4 ||
            debug_read_lin(m, base + k * 8 + 4, &d.hi, 4) != 4) {
            fprintf(out, "  entry %u: not mapped\n", k);
            break;
        }
        if (!d.lo && !d.hi && only < 0)
            continue;
        decode(&d);
        char label[32];
        if (ldt || strcmp(name, "IDT"))
            snprintf(label, sizeof label, "  %3u sel=%04x", k, k * 8 | (ldt ? 4 : 0));
        else
            snprintf(label, sizeof label, "  vec %3u", k);
        show_desc(m, out, label, &d);
    }
}

static long entry_arg(struct machine *m, FILE *out, int argc, char **argv, bool *bad)
{
    uint32_t v;
    *bad = false;
    if (argc < 2)
        return -1;
    if (mon_eval(m, out, argv[1], &v) < 0)
        *bad = true;
    return (long)v;
}

static int cmd_gdt(struct machine *m, FILE *out, int argc, char **argv)
{
    bool bad;
    long only = entry_arg(m, out, argc, argv, &bad);
    if (!bad)
        list_table(m, out, "GDT", m->cpu.gdtr.base, m->cpu.gdtr.limit, false, only);
    return -1;
}

static int cmd_ldt(struct machine *m, FILE *out, int argc, char **argv)
{
    bool bad;
    long only = entry_arg(m, out, argc, argv, &bad);
    if (bad)
        return -1;
    const struct seg *l = &m->cpu.ldtr;
    if (!(l->sel & ~3u) || !cpu_pm(&m->cpu)) {
        fprintf(out, "no LDT (LDTR holds the null selector)\n");
        return -1;
    }
    fprintf(out, "LDTR=%04x ", l->sel);
    list_table(m, out, "LDT", l->base, l->limit, true, only);
    return -1;
}

static void list_ivt(struct machine *m, FILE *out, long only)
{
    const struct cpu *c = &m->cpu;
    char a[96];
    fprintf(out, "IVT (real mode) at %08x, limit %04x\n", c->idtr.base, c->idtr.limit);
    for (uint32_t v = 0; v < 256 && v * 4 + 3 <= c->idtr.limit; v++) {
        if (only >= 0 && (long)v != only)
            continue;
        uint32_t e = 0;
        if (debug_read_lin(m, c->idtr.base + v * 4, &e, 4) != 4)
            break;
        if (!e && only < 0)
            continue;
        uint32_t lin = ((e >> 16) << 4) + (e & 0xFFFF);
        fprintf(out, "  vec %3u -> %04x:%04x %s\n", v, e >> 16, e & 0xFFFF, mon_addr(m, lin, a, sizeof a));
    }
}

static int cmd_idt(struct machine *m, FILE *out, int argc, char **argv)
{
    bool bad;
    long only = entry_arg(m, out, argc, argv, &bad);
    if (bad)
        return -1;
    if (!cpu_pm(&m->cpu))
        list_ivt(m, out, only);
    else
        list_table(m, out, "IDT", m->cpu.idtr.base, m->cpu.idtr.limit, false, only);
    return -1;
}

static uint32_t rd(struct machine *m, uint32_t lin, unsigned size)
{
    uint32_t v = 0;
    debug_read_lin(m, lin, &v, size);
    return v;
}

static void show_tss32(struct machine *m, FILE *out, uint32_t b)
{
    static const char *const regs[8] = { "eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi" };
    static const char *const segs[6] = { "es", "cs", "ss", "ds", "fs", "gs" };
    fprintf(out, "  link=%04x\n", rd(m, b, 2));
    for (int r = 0; r < 3; r++)
        fprintf(out, "  ss%d:esp%d=%04x:%08x\n", r, r, rd(m, b + 8 + r * 8, 2), rd(m, b + 4 + r * 8, 4));
    fprintf(out, "  cr3=%08x eip=%08x eflags=%08x\n", rd(m, b + 0x1C, 4), rd(m, b + 0x20, 4),
            rd(m, b + 0x24, 4));
    for (int r = 0; r < 8; r++)
        fprintf(out, "  %s=%08x%s", regs[r], rd(m, b + 0x28 + r * 4, 4), r % 4 == 3 ? "\n" : "");
    for (int s = 0; s < 6; s++)
        fprintf(out, "  %s=%04x", segs[s], rd(m, b + 0x48 + s * 4, 2));
    fprintf(out, "\n  ldt=%04x T=%u iomap base=%04x\n", rd(m, b + 0x60, 2), rd(m, b + 0x64, 2) & 1,
            rd(m, b + 0x66, 2));
}

static void show_tss16(struct machine *m, FILE *out, uint32_t b)
{
    fprintf(out, "  link=%04x\n", rd(m, b, 2));
    for (int r = 0; r < 3; r++)
        fprintf(out, "  ss%d:sp%d=%04x:%04x\n", r, r, rd(m, b + 4 + r * 4, 2), rd(m, b + 2 + r * 4, 2));
    fprintf(out, "  ip=%04x flags=%04x ldt=%04x\n", rd(m, b + 0x0E, 2), rd(m, b + 0x10, 2),
            rd(m, b + 0x2A, 2));
}

static int cmd_tss(struct machine *m, FILE *out, int argc, char **argv)
{
    (void)argc;
    (void)argv;
    const struct seg *tr = &m->cpu.tr;
    char desc[160];
    if (!cpu_pm(&m->cpu) || !(tr->sel & ~3u)) {
        fprintf(out, "no TSS loaded (TR holds the null selector)\n");
        return -1;
    }
    mon_describe_ar(desc, sizeof desc, tr->ar);
    fprintf(out, "TR=%04x base=%08x limit=%08x %s\n", tr->sel, tr->base, tr->limit, desc);
    unsigned type = tr->ar & AR_TYPE;
    if (type == 9 || type == 11)
        show_tss32(m, out, tr->base);
    else
        show_tss16(m, out, tr->base);
    return -1;
}

/* translation [ADDR]: the binary translator's block at linear ADDR (by
 * default CS:EIP), each guest instruction beside its host code
 * (translator/show.c); without a block there, every block in a list. */
static int cmd_translation(struct machine *m, FILE *out, int argc, char **argv)
{
    void *bt = m->engines[ENGINE_BT].priv;
    uint32_t lin = m->cpu.seg[S_CS].base + m->cpu.eip;
    if (!bt) {
        fprintf(out, "translation: the binary translator has not run (--engine=bt)\n");
        return -1;
    }
    if (argc > 1 && mon_eval(m, out, argv[1], &lin) < 0)
        return -1;
    if (!bt_show_block(bt, lin, out) && argc > 1)
        bt_list_blocks(bt, out);
    return -1;
}

const struct mon_cmd mon_sys_cmds[] = {
    { "gdt", NULL, cmd_gdt, "gdt [N]", "the GDT decoded (non-empty entries, or entry N)" },
    { "ldt", NULL, cmd_ldt, "ldt [N]", "the current LDT decoded" },
    { "idt", NULL, cmd_idt, "idt [N]",
      "the IDT's gates decoded with their targets (the IVT in real mode)" },
    { "tss", NULL, cmd_tss, "tss", "the current TSS: stacks per ring, saved registers, I/O map" },
    { "translation", NULL, cmd_translation, "translation [ADDR]",
      "the translated block at linear ADDR (default CS:EIP): guest and host code side by side,\n"
      "COPIED/TRANSLATED/TRAPPED, executions, chaining, sizes" },
    { NULL, NULL, NULL, NULL, NULL },
};
