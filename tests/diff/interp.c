/* interp.c -- the reference side of the differential tester: x86lab's
 * interpreter in flat 32-bit protected mode, stepping a sequence one
 * instruction at a time (and growing it through the generator, which sees
 * the state before each instruction), with the bookkeeping that decides what
 * is comparable: flags the manuals leave undefined (from the instruction
 * table, refined by the shift count), memory kept inside the buffer. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpu/insn.h"
#include "cpu/mem.h"
#include "cpu/seg.h"
#include "machine/machine.h"
#include "tests/diff/diff.h"

struct ref {
    struct machine m;
    bool engine;                 /* engine targets: wider checks, stack in buffer */
    bool intel;
};

enum { GDT_ENTRIES = 10 };

/* The GDT (set again for every sequence: task switches change the busy
 * bits): flat code and data, odd segments for the loads, and two 32-bit
 * TSSs, the current task's (busy, TR) and one to switch to. */
static const uint32_t gdt[GDT_ENTRIES * 2] = {
    0, 0,
    0x0000FFFF, 0x00CF9A00,  /* 0x08 code, flat, 32-bit */
    0x0000FFFF, 0x00CF9200,  /* 0x10 data, flat */
    0x0000FFFF, 0x00CF9000,  /* 0x18 data, read-only */
    0x0000FFFF, 0x00CF9600,  /* 0x20 data, expand-down (limit 4 GiB: empty) */
    0x0000FFFF, 0x00009A00,  /* 0x28 code, 16-bit, 64 KiB */
    0x0000FFFF, 0x00CFF200,  /* 0x30 data, DPL 3 */
    0x0000FFFF, 0x00CF1200,  /* 0x38 data, not present */
    (G_TSS & 0xFFFF) << 16 | 0x67, 0x00008B00 | (G_TSS >> 16),          /* 0x40 TSS, busy */
    (G_TSS_B & 0xFFFF) << 16 | 0x67, 0x00008900 | (G_TSS_B >> 16),      /* 0x48 TSS */
};

/* The task a sequence may switch to (SEL_TSS_B): its EIP is the
 * sequence's to write (gen32.c), the rest is fixed here.  The current
 * task's TSS gets the fields a task switch reads but never saves (CR3, the
 * LDT selector, the I/O map base), for the IRET back to it. */
static void load_tss(struct machine *m)
{
    const uint32_t a[3] = { G_PD, 0, 0x68u << 16 };
    bus_load(&m->bus, G_TSS + 0x1C, &a[0], 4);
    bus_load(&m->bus, G_TSS + 0x60, &a[1], 8);
    uint32_t t[26] = { 0 };
    t[0x1C / 4] = G_PD;                          /* CR3 */
    t[0x24 / 4] = 0x2;                           /* EFLAGS */
    for (int r = 0; r < 8; r++)
        t[0x28 / 4 + r] = 0x0B0B0000u + (uint32_t)r * 0x1111;
    t[0x28 / 4 + R_ESP] = TSS_B_ESP;
    const uint16_t sel[6] = { 0x10, 0x08, 0x10, 0x10, 0x10, 0x10 };
    for (int k = 0; k < 6; k++)
        t[0x48 / 4 + k] = sel[k];
    t[0x64 / 4] = 0x68u << 16;                   /* no I/O bitmap */
    bus_load(&m->bus, G_TSS_B, t, sizeof t);
}

int guest_setup(struct machine *m)
{
    /* The translator translates every block at its first execution: each
     * sequence runs once. */
    struct machine_config cfg = { .ram_mb = GUEST_RAM_MB, .model = CPU_P6,
                                  .no_reboot = true, .bt_threshold_set = true,
                                  .bt_threshold = 0 };
    if (machine_init(m, &cfg) < 0)
        return -1;
    /* Page tables for the engine targets: the first 4 MiB identity-mapped. */
    uint32_t pde = G_PT | 3;
    bus_load(&m->bus, G_PD, &pde, 4);
    for (uint32_t p = 0; p < 1024; p++) {
        uint32_t pte = p << 12 | 3;
        bus_load(&m->bus, G_PT + 4 * p, &pte, 4);
    }
    for (uint32_t v = 0; v < 32; v++) {
        uint32_t h = G_HANDLER + v * HANDLER_STRIDE;
        uint32_t gate[2] = { (0x08u << 16) | (h & 0xFFFF), (h & 0xFFFF0000u) | 0x8E00 };
        const uint8_t hlt = 0xF4;
        bus_load(&m->bus, G_IDT + v * 8, gate, sizeof gate);
        bus_load(&m->bus, h, &hlt, 1);
    }
    return 0;
}

/* Flat ring-0 protected mode at G_CODE with the registers of in. */
static void reset_cpu(struct cpu *c, const struct state *in, bool engine)
{
    uint16_t code = AR_P | AR_S | AR_CODE | AR_R | AR_ACCESSED | AR_DB | AR_G;
    uint16_t data = AR_P | AR_S | AR_W | AR_ACCESSED | AR_DB | AR_G;
    if (c->cr0 & CR0_PG)
        tlb_flush(c, false);
    c->cr0 = CR0_PE | CR0_ET | (engine ? CR0_PG | CR0_WP : 0);
    c->cr2 = c->cr4 = 0;
    c->cr3 = engine ? G_PD : 0;
    if (engine)
        tlb_flush(c, false);
    seg_set_cache(&c->seg[S_CS], 0x08, 0, 0xFFFFFFFFu, code);
    for (int s = 0; s < S_COUNT; s++)
        if (s != S_CS)
            seg_set_cache(&c->seg[s], 0x10, 0, 0xFFFFFFFFu, data);
    c->gdtr.base = G_GDT;
    c->gdtr.limit = GDT_ENTRIES * 8 - 1;
    seg_set_cache(&c->tr, SEL_TSS_A, G_TSS, 0x67, 0x8B);   /* busy 32-bit TSS */
    seg_set_cache(&c->ldtr, 0, 0, 0, 0);
    c->idtr.base = G_IDT;
    c->idtr.limit = 32 * 8 - 1;
    cpu_set_cpl(c, 0);
    memcpy(c->r, in->r, sizeof in->r);
    if (!engine)
        c->r[R_ESP] = G_STACK;
    c->eip = G_CODE;
    cpu_set_eflags(c, 0x2 | in->flags);
    c->halted = false;
    c->inhibit_irq = 0;
}

void guest_load(struct machine *m, const struct seq *q, const struct state *in, bool engine)
{
    uint8_t code[CODE_MAX + 1];
    memcpy(code, q->code, (size_t)q->size);
    code[q->size] = 0xF4;                        /* HLT ends the run */
    bus_load(&m->bus, G_CODE, code, (size_t)q->size + 1);
    bus_load(&m->bus, BUF_ADDR, in->buf, BUF_SIZE);
    bus_load(&m->bus, G_GDT, gdt, sizeof gdt);
    load_tss(m);
    if (engine) {
        static const uint32_t bits[3] = { 3, 1, 0 };   /* RW, RO, absent */
        uint32_t pte = PAGE_SPLIT | bits[in->page_mode % 3];
        bus_load(&m->bus, G_PT + (PAGE_SPLIT >> 12) * 4, &pte, 4);
    }
    reset_cpu(&m->cpu, in, engine);
}

static bool has_error_code(int v)
{
    return v == 8 || (v >= 10 && v <= 14) || v == 17;
}

static uint32_t ram32(const struct machine *m, uint32_t a)
{
    uint32_t v = 0;
    if (a + 4 <= m->bus.ram_size)
        memcpy(&v, m->bus.ram + a, 4);
    return v;
}

/* Reads the end state.  An exception ran into its handler's HLT: the
 * registers are those of the faulting instruction, the flags and EIP come
 * from the frame it pushed. */
void guest_result(struct machine *m, struct outcome *o, bool engine)
{
    struct cpu *c = &m->cpu;
    memcpy(o->s.r, c->r, sizeof o->s.r);
    o->s.flags = cpu_get_eflags(c);
    for (int s = 0; s < S_COUNT; s++)
        o->s.sel[s] = c->seg[s].sel;
    memcpy(o->s.buf, m->bus.ram + BUF_ADDR, BUF_SIZE);
    o->s.cr2 = engine ? c->cr2 : 0;
    o->vector = -1;
    o->fault_off = -1;
    if (c->eip == SHUTDOWN_EIP) {
        o->vector = VEC_SHUTDOWN;
        return;
    }
    uint32_t h = c->eip - G_HANDLER;
    if (c->eip >= G_HANDLER && h < 32 * HANDLER_STRIDE) {
        o->vector = (int)(h / HANDLER_STRIDE);
        uint32_t sp = c->r[R_ESP] + (has_error_code(o->vector) ? 4 : 0);
        o->fault_off = (int)(ram32(m, sp) - G_CODE);
        o->s.flags = ram32(m, sp + 8);
        o->s.r[R_ESP] = sp + 12;
    } else if (c->eip != G_CODE + (uint32_t)o->end && c->eip != G_CODE + (uint32_t)o->end + 1) {
        o->vector = VEC_LOST;
        o->fault_off = (int)(c->eip - G_CODE);
    }
    uint32_t keep = F_ARITH | F_DF | (engine ? F_IF | F_IOPL | F_NT | F_AC | F_ID : 0);
    o->s.flags &= keep;
    if (!engine)
        o->s.r[R_ESP] = 0;
}

/* ---- what is comparable ---- */

/* Flags the SDM leaves undefined after a group 2 shift or rotate with a
 * masked count (the table's row says which flags it may touch at all). */
static uint32_t shift_undef(int op, int size, unsigned count)
{
    uint32_t u = 0;
    if (count == 0)
        return 0;
    if (count > 1)
        u |= F_OF;
    if (op >= 4)
        u |= F_AF;
    if (op >= 4 && op != 7 && count >= (unsigned)size)
        u |= F_CF;
    return u;
}

static int op_size(const struct insn *i)
{
    return (i->opcode & 1) ? (i->o32 ? 32 : 16) : 8;
}

/* Does [a, a + n) lie in the buffer?  a is a host (64-bit) address. */
static bool in_buf(int64_t a, int64_t n)
{
    return a >= BUF_ADDR && a + n <= BUF_ADDR + BUF_SIZE;
}

static bool string_ok(const struct insn *i, const struct cpu *c, bool engine)
{
    int op = i->opcode;
    bool rep = i->prefixes & (PFX_REP | PFX_REPNE);
    int64_t count = rep ? c->r[R_ECX] : 1, step = op_size(i) / 8;
    if (count > 64)
        return false;                /* too long to be interesting */
    if (engine || count == 0)
        return true;
    bool df = c->eflags & F_DF;
    int64_t span = count * step;
    bool si = op <= 0xA7 || op >= 0xAC, di = op <= 0xAB && op != 0xAC;
    if (op >= 0xAE)
        si = false, di = true;
    int64_t s0 = df ? (int64_t)c->r[R_ESI] - span + step : c->r[R_ESI];
    int64_t d0 = df ? (int64_t)c->r[R_EDI] - span + step : c->r[R_EDI];
    return (!si || in_buf(s0, span)) && (!di || in_buf(d0, span));
}

/* Memory operands must name the buffer, at the same address on the host
 * (64-bit sum of zero-extended registers) as in the guest. */
static bool memory_ok(const struct insn *i, const struct cpu *c, bool engine)
{
    int op = i->opcode;
    if ((op >= 0xA4 && op <= 0xA7) || (op >= 0xAA && op <= 0xAF))
        return string_ok(i, c, engine);
    if (engine)
        return true;
    if (op == 0xD7)
        return in_buf((int64_t)c->r[R_EBX] + (c->r[R_EAX] & 0xFF), 1);
    if (!(i->row->decode & D_MODRM) || i->mod == 3 || op == 0x8D)
        return true;
    int64_t a = (int64_t)c->r[i->base] + ((int64_t)c->r[i->index] << i->scale) +
                (int32_t)i->disp;
    if (op == 0x1A3 || op == 0x1AB || op == 0x1B3 || op == 0x1BB) {
        int64_t off = i->o32 ? (int32_t)c->r[i->reg] : (int16_t)c->r[i->reg];
        a += i->o32 ? (off >> 5) * 4 : (off >> 4) * 2;
    }
    return in_buf(a, 8);
}

/* Checks instruction i at the state c against the flags undefined so far
 * and updates them; false when it reads an undefined flag or its result
 * is undefined on this host. */
static bool flags_ok(const struct ref *r, const struct insn *i, const struct cpu *c,
                     uint32_t *undef)
{
    const struct op_row *row = i->row;
    uint32_t written = row->flags_write, u = row->flags_undef;
    int op = i->opcode;
    if (row->flags_read & *undef)
        return false;
    if ((op >= 0xC0 && op <= 0xC1) || (op >= 0xD0 && op <= 0xD3)) {
        unsigned count = op <= 0xC1 ? i->imm & 31 : op <= 0xD1 ? 1 : c->r[R_ECX] & 31;
        written = count ? written : 0;
        u = shift_undef(i->reg, op_size(i), count);
    } else if (op == 0x1A4 || op == 0x1A5 || op == 0x1AC || op == 0x1AD) {
        unsigned count = (op & 1) ? c->r[R_ECX] & 31 : i->imm & 31;
        if (!i->o32 && count > 16 && !r->intel)
            return false;
        written = count ? written : 0;
        u = count ? F_AF | (count > 1 ? F_OF : 0) : 0;
    } else if ((op == 0xA6 || op == 0xA7 || op == 0xAE || op == 0xAF) &&
               (i->prefixes & (PFX_REP | PFX_REPNE)) && c->r[R_ECX] == 0) {
        written = 0;                 /* REP CMPS/SCAS with ECX = 0: no flags */
    }
    *undef = (*undef & ~written) | u;
    return true;
}

/* ---- running ---- */

struct ref *ref_open(bool engine, bool intel, char *why, size_t len)
{
    struct ref *r = calloc(1, sizeof *r);
    if (!r || guest_setup(&r->m) < 0) {
        snprintf(why, len, "cannot set up the interpreter's machine");
        free(r);
        return NULL;
    }
    r->engine = engine;
    r->intel = intel;
    return r;
}

void ref_close(struct ref *r)
{
    machine_free(&r->m);
    free(r);
}

struct machine *ref_machine(struct ref *r)
{
    return &r->m;
}

static void view_of(const struct machine *m, struct view *v)
{
    memcpy(v->r, m->cpu.r, sizeof v->r);
    v->flags = cpu_get_eflags((struct cpu *)&m->cpu);
    v->ram = m->bus.ram;
    v->ram_size = m->bus.ram_size;
}

/* Runs one instruction (a REP string instruction may take several calls);
 * after a triple fault EIP is set to SHUTDOWN_EIP for guest_result. */
static void step(struct cpu *c)
{
    uint32_t start = c->eip;
    for (int k = 0; k < 200 && c->eip == start && !c->halted; k++)
        if (cpu_run(c, 1) == CPU_EXIT_SHUTDOWN) {
            c->eip = SHUTDOWN_EIP;
            return;
        }
}

/* Asks the generator for more; the new bytes go to guest memory. */
static bool extend(struct ref *r, struct seq *q, struct gen *g)
{
    struct view v;
    view_of(&r->m, &v);
    int from = q->size;
    if (gen_next(g, &v, q) == 0)
        return false;
    uint8_t code[CODE_MAX + 1];
    memcpy(code, q->code + from, (size_t)(q->size - from));
    code[q->size - from] = 0xF4;
    bus_load(&r->m.bus, G_CODE + (uint32_t)from, code, (size_t)(q->size - from) + 1);
    return true;
}

void ref_run(struct ref *r, struct seq *q, const struct state *in,
             struct outcome *out, struct gen *g)
{
    struct cpu *c = &r->m.cpu;
    uint32_t undef = 0;
    int retries = 0;
    guest_load(&r->m, q, in, r->engine);
    out->valid = true;
    for (int k = 0;; k++) {
        if (k == q->n && !(g && extend(r, q, g)))
            break;
        struct insn i;
        uint32_t u = undef;
        int len = decode(&i, q->code + q->off[k], q->len[k], 1, c->model);
        bool ok = len == q->len[k] && memory_ok(&i, c, r->engine) && flags_ok(r, &i, c, &u);
        if (len < 0)
            ok = r->engine;          /* #UD is comparable between engines */
        if (!ok) {
            if (!g || ++retries > 40) {
                out->valid = g != NULL;
                q->n = k;
                q->size = q->off[k];
                break;
            }
            q->n = k;                /* drop it (and what followed), ask again */
            q->size = q->off[k];
            k--;
            continue;
        }
        step(c);
        /* A trap after the instruction (the #DB of TF) pushes the flags it
         * left, its undefined ones included; a fault, those from before. */
        if (c->eip == G_HANDLER + EXC_DB * HANDLER_STRIDE &&
            ram32(&r->m, c->r[R_ESP]) != G_CODE + (uint32_t)q->off[k])
            undef = u;
        if (c->eip - G_HANDLER < 32 * HANDLER_STRIDE || c->eip == SHUTDOWN_EIP) {
            q->n = k + 1;            /* a fault ends the sequence; the flags */
            q->size = q->off[k] + q->len[k];   /* are those from before it */
            break;
        }
        undef = u;
    }
    /* The HLT that ends the sequence runs too, as in the targets: a
     * single-step trap set up by the last instruction is taken there. */
    if (c->eip == G_CODE + (uint32_t)q->size && r->engine) {
        const uint8_t hlt = 0xF4;    /* dropped instructions may lie there */
        bus_load(&r->m.bus, G_CODE + (uint32_t)q->size, &hlt, 1);
        step(c);
    }
    out->end = q->size;
    guest_result(&r->m, out, r->engine);
    out->undef = undef;
}
