/* run.c -- the translator's dispatcher: finds (or interprets, or
 * translates) the block at CS:EIP, runs its host code, chains the exit it
 * left by, and turns faults raised inside translated code into exceptions
 * exactly as the interpreter's loop does (cpu/exec.c).  Everything the
 * interpreter must see one instruction at a time (interrupt delivery, the
 * STI/MOV SS shadow, single-step, HLT, observers) goes to cpu_run. */
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

#include "cpu/mem.h"
#include "machine/bus.h"
#include "translator/bt_int.h"

struct bt *bt_new(struct cpu *c, struct stats *s, const struct bt_config *cfg,
                  char *why, size_t len)
{
    struct bt *bt = calloc(1, sizeof *bt);
    if (!bt) {
        snprintf(why, len, "no memory for the binary translator");
        return NULL;
    }
    bt->cpu = c;
    bt->st = s;
    bt->cfg = *cfg;
    if (!bt->cfg.cache_mb)
        bt->cfg.cache_mb = BT_DEFAULT_CACHE_MB;
    bt->rt.bt = bt;
    bt->host_af_clear = bt_probe_host_af();
    bt->host_lahf = bt_probe_host_lahf();
    bt->ram_pages = c->bus->ram_size >> 12;
    bt->page_blocks = calloc(bt->ram_pages ? bt->ram_pages : 1, sizeof *bt->page_blocks);
    memcpy(bt->shadow, c->bus->shadow, sizeof bt->shadow);
    if (!bt->page_blocks ||
        bt_cache_init(bt, (size_t)bt->cfg.cache_mb << 20, why, len) < 0) {
        if (bt->page_blocks)
            snprintf(why, len, "%s", why[0] ? why : "no memory");
        else
            snprintf(why, len, "no memory for the binary translator");
        free(bt->page_blocks);
        free(bt);
        return NULL;
    }
    return bt;
}

void bt_free(struct bt *bt)
{
    if (!bt)
        return;
    bt_cache_free(bt);
    free(bt->page_blocks);
    free(bt);
}

void bt_count_while(struct bt *bt, const unsigned *flag)
{
    bt->count_while = flag;
}

void bt_set_on_translate(struct bt *bt, void (*fn)(void *opaque, struct bt *bt, uint32_t lin),
                         void *opaque)
{
    bt->on_translate = fn;
    bt->on_translate_opaque = opaque;
}

/* Runs n instructions in the interpreter (counted as interpreted). */
static enum cpu_exit interpret(struct bt *bt, uint64_t n)
{
    struct cpu *c = bt->cpu;
    uint64_t before = c->count.insns;
    enum cpu_exit r = cpu_run(c, n);
    bt->st->bt_insns_interpreted += c->count.insns - before;
    return r;
}

/* Does the interpreter have to take this instruction boundary? */
bool bt_needs_interpreter(const struct bt *bt, const struct cpu *c)
{
    return c->halted || c->inhibit_irq || c->nmi_pending ||
           (c->intr_line && (c->eflags & F_IF)) || (c->eflags & (F_TF | F_RF)) ||
           c->hooks_on || bt->debug_active;
}

/* The block at CS:EIP, decoded; NULL when the interpreter must go on
 * (nothing mapped for a direct fetch) or the cache was just flushed. */
static struct bt_block *find_block(struct bt *bt, bool *flushed)
{
    struct bt_key k;
    uint8_t *page;
    *flushed = false;
    if (!bt_key_now(bt, &k, &page))
        return NULL;
    struct bt_block *b = bt_lookup(bt, &k);
    if (b && b->gen != bus_page_gen(bt->cpu->bus, k.phys)) {
        bt_invalidate(bt, k.phys, 1);       /* remapped under us (shadow RAM) */
        b = NULL;
    }
    if (b)
        return b;
    b = bt_insert(bt, &k);
    if (!b || !bt_decode_block(bt, b, page)) {
        bt_flush(bt);
        *flushed = true;
        return NULL;
    }
    return b;
}

/* Translates b (flushing the cache when it is full).  False: run it in
 * the interpreter this time. */
static bool make_hot(struct bt *bt, struct bt_block *b, bool *flushed)
{
    uint64_t t0 = stats_now_ns();
    bool was_empty = bt->code_free == bt->code_blocks;
    bool ok = bt_translate(bt, b);
    bt->st->bt_translate_ns += stats_now_ns() - t0;
    if (ok && bt->on_translate)
        bt->on_translate(bt->on_translate_opaque, bt, b->key.lin);
    if (!ok) {
        /* A block bigger than an empty cache stays interpreted. */
        if (!was_empty) {
            bt_flush(bt);
            *flushed = true;
        }
        b->n = 0;
    }
    return ok;
}

/* Chains the exit just taken to b when both sit in the same mode. */
static void maybe_chain(struct bt *bt, struct bt_exit *x, struct bt_block *b)
{
    const struct bt_key *f = &x->from->key;
    if (!x->from->valid || x->to || !b->valid || !b->host)
        return;
    if (f->mode != b->key.mode || f->cs_base != b->key.cs_base ||
        f->cs_hi != b->key.cs_hi || x->target_eip != b->key.lin - b->key.cs_base)
        return;
    bt_chain(bt, x, b);
}

enum cpu_exit bt_run(struct bt *bt, uint64_t budget)
{
    struct cpu *c = bt->cpu;
    jmp_buf jb;
    jmp_buf *volatile outer = c->fault_jmp;
    volatile uint64_t end = c->count.insns + budget;
    volatile enum cpu_exit why = CPU_EXIT_BUDGET;
    volatile uint64_t fault_at = ~0ull, faults_in_a_row = 0;
    /* Interpreted steps that retired nothing (an instruction faulting
     * again and again): like cpu_run, give up after `budget` of them so
     * the machine loop, which counts delivered exceptions, can end it. */
    volatile uint64_t stalls = 0;
    struct bt_exit *volatile pending = NULL;
    volatile uint64_t jit_start = UINT64_MAX;

    c->fault_jmp = &jb;
    if (setjmp(jb)) {
        /* A fault inside translated code: count.insns is already that of
         * the faulting instruction; undo its partial work and deliver. */
        c->eip = c->insn_eip;
        c->r[R_ESP] = c->insn_esp;
        /* Flags were in the slot at the helper call (a trapped handler
         * works on eflags itself). */
        if (!bt->rt.in_trap)
            bt_flags_from_slot(c, &bt->rt);
        bt->rt.in_trap = 0;
        bt->st->bt_insns_translated += c->count.insns - jit_start;
        jit_start = UINT64_MAX;
        if (c->pending_vector == EXC_PF)
            bt->st->bt_traps[TRAP_PF]++;
        pending = NULL;
        if (!cpu_deliver_fault(c)) {
            why = CPU_EXIT_SHUTDOWN;
            goto out;
        }
        faults_in_a_row = c->count.insns == fault_at ? faults_in_a_row + 1 : 1;
        fault_at = c->count.insns;
        if (faults_in_a_row > budget)
            goto out;
    }
    while (c->count.insns < end) {
        if (c->stop_request) {
            why = CPU_EXIT_REQUEST;
            break;
        }
        if (bt_needs_interpreter(bt, c)) {
            uint64_t before = c->count.insns;
            enum cpu_exit r = interpret(bt, 1);
            pending = NULL;
            if (r != CPU_EXIT_BUDGET) {
                why = r;
                break;
            }
            stalls = c->count.insns == before ? stalls + 1 : 0;
            if (stalls > budget)
                break;
            continue;
        }
        if (memcmp(bt->shadow, c->bus->shadow, sizeof bt->shadow)) {
            memcpy(bt->shadow, c->bus->shadow, sizeof bt->shadow);
            bt_flush(bt);
            pending = NULL;
        }
        bool flushed;
        struct bt_block *b = find_block(bt, &flushed);
        if (flushed) {
            pending = NULL;
            continue;
        }
        uint64_t left = end - c->count.insns;
        if (b && !b->host && b->n && b->cold_runs >= bt->cfg.threshold) {
            make_hot(bt, b, &flushed);
            if (flushed) {
                pending = NULL;
                continue;
            }
        }
        if (!b || !b->host || b->n > left) {
            /* Cold, untranslatable, or past the budget: interpreted, and
             * exactly up to the end of the run. */
            uint64_t n = b && b->n ? b->n : 1;
            if (b)
                b->cold_runs++;
            uint64_t before = c->count.insns;
            enum cpu_exit r = interpret(bt, n < left ? n : left);
            pending = NULL;
            if (r != CPU_EXIT_BUDGET) {
                why = r;
                break;
            }
            stalls = c->count.insns == before ? stalls + 1 : 0;
            if (stalls > budget)
                break;
            continue;
        }
        if (pending)
            maybe_chain(bt, pending, b);
        c->exit_block = 0;
        bt->rt.stale = 0;
        bt->rt.end = end;
        bt->rt.last_exit = NULL;
        jit_start = c->count.insns;
        bt_flags_to_slot(c, &bt->rt);
        bt->rt.left = end - c->count.insns;
        bt->rt.ram = c->bus->ram;
        bt->a20_seen = c->a20_mask;
        bt->enter(c, &bt->rt, b->host);
        bt_flags_from_slot(c, &bt->rt);
        bt->st->bt_insns_translated += c->count.insns - jit_start;
        jit_start = UINT64_MAX;
        pending = bt->rt.last_exit;
    }
out:
    c->fault_jmp = outer;
    return why;
}
