/* bt_int.h -- the translator's inside: blocks and their key, chain exits,
 * the run-time context the translated code reaches through R12, and the
 * functions the three layers (cache.c, translate*.c, run.c) share. */
#ifndef X86LAB_BT_INT_H
#define X86LAB_BT_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cpu/insn.h"
#include "translator/bt.h"

/* What the host code of a block depends on besides the guest bytes: the
 * linear and physical address of its first instruction, CS base and
 * limit (targets are checked at translation time), and the mode bits. */
struct bt_key {
    uint32_t lin, phys, cs_base, cs_hi;
    uint32_t mode;
};
enum {
    MODE_CODE32 = 1, MODE_SS32 = 2, MODE_PE = 4, MODE_VM = 8,
    MODE_CPL_SHIFT = 4,          /* 2 bits */
    MODE_DF = 0x40,              /* EFLAGS.DF (string instructions step down) */
    MODE_FLAT_SHIFT = 8,         /* one bit per segment register: base 0,
                                  * offsets 0..4G-1, readable and writable */
    MODE_BASED_SHIFT = 16,       /* the same with a page-aligned base that is
                                  * not 0 (Linux's per-CPU FS), read from the
                                  * CPU state when the code runs */
};

/* How a guest instruction was made into host code (the translation view). */
enum bt_kind { K_COPIED, K_TRANSLATED, K_TRAPPED };

/* A block exit that can be chained: a rel32 jump that first points at its
 * stub (back to the dispatcher) and later straight at the target block. */
struct bt_exit {
    uint8_t *site;               /* the jump's displacement */
    uint8_t *stub;
    uint32_t target_eip;
    struct bt_block *from, *to;  /* to: NULL while unchained */
    struct bt_exit *in_next;     /* in to->incoming */
    bool cross;                  /* to another linear page: chained to the
                                  * target's checked entry */
};

enum { BT_MAX_INSNS = 48, BT_MAX_EXITS = 2 };

struct bt_block {
    struct bt_key key;
    struct bt_block *hash_next, *page_next;
    uint32_t gen;                /* the page's generation when decoded */
    uint16_t span;               /* guest bytes */
    uint8_t n;                   /* guest instructions */
    uint8_t nexits;
    bool valid;
    bool counted;                /* the host code bumps *execs */
    uint32_t cold_runs;          /* interpreted runs before translation */
    uint32_t *execs;             /* in the code cache, bumped by the block */
    uint8_t *host;               /* entry, NULL while cold */
    uint8_t *checked;            /* entry that first checks the TLB still maps
                                  * the block's page to its physical page */
    uint32_t host_size;
    struct bt_exit exits[BT_MAX_EXITS];
    struct bt_exit *incoming;
    struct insn *ins;            /* n decoded instructions (trapped ones use them) */
    uint8_t *kind;               /* enum bt_kind per instruction */
    uint32_t *host_off;          /* host offset of each instruction, then the end */
};

/* Reached by translated code through R12. */
struct bt_rt {
    uint64_t end;                /* count.insns the run must not pass */
    uint64_t left;               /* end - count.insns at entry (R13) */
    struct bt_exit *last_exit;   /* the chainable exit taken, or NULL */
    uint8_t *generic_exit;       /* back to the dispatcher, eip already set */
    struct bt *bt;
    uint64_t slot;               /* the guest's arithmetic flags as a host
                                  * RFLAGS image, at block boundaries and C calls */
    uint64_t bounce;             /* a memory operand the slow path accessed */
    uint32_t lin, size;          /* ...its linear address and size */
    uint32_t in_trap;            /* a trapped handler runs (eflags is its own) */
    uint32_t ofv;                /* the result of a shift whose OF is still due */
    uint32_t tmp;                /* a value between a string instruction's accesses */
    uint32_t pad;
    uint8_t *ram;                /* guest RAM (the bus's one mapping) */
    uint32_t stale;              /* translated code was invalidated during this run */
};

enum { BT_HASH = 1 << 16 };

struct bt {
    struct cpu *cpu;
    struct stats *st;
    struct bt_config cfg;
    struct bt_rt rt;

    /* The code cache: RWX mapping, the fixed entry/exit code at its start. */
    uint8_t *code, *code_end, *code_free, *code_blocks;
    size_t code_size;
    void (*enter)(struct cpu *c, struct bt_rt *rt, const uint8_t *host);
    uint8_t *epilogue;

    /* Block descriptors and their arrays, reset with the code cache. */
    uint8_t *meta, *meta_free, *meta_end;

    struct bt_block *hash[BT_HASH];
    struct bt_block **page_blocks;       /* per RAM page */
    uint32_t ram_pages;
    uint8_t shadow[16];                  /* the bus's shadow-RAM modes last seen */

    bool host_af_clear;                  /* host AND/OR/XOR leave AF = 0 */
    bool host_lahf;                      /* LAHF/SAHF in 64-bit mode: flags loaded by SAHF */
    void (*on_translate)(void *opaque, struct bt *bt, uint32_t lin);
    void *on_translate_opaque;
    const unsigned *count_while;         /* bt_count_while */
    bool debug_active;                   /* single step or breakpoints: interpret */
    uint32_t a20_seen;                   /* the A20 mask when translated code was entered */
    uint64_t fault_at, faults_in_a_row;
};

/* cache.c */
int bt_cache_init(struct bt *bt, size_t bytes, char *why, size_t len);
void bt_cache_free(struct bt *bt);
void *bt_meta_alloc(struct bt *bt, size_t n);
bool bt_key_now(struct bt *bt, struct bt_key *k, uint8_t **host_page);
struct bt_block *bt_lookup(struct bt *bt, const struct bt_key *k);
struct bt_block *bt_insert(struct bt *bt, const struct bt_key *k);
void bt_chain(struct bt *bt, struct bt_exit *x, struct bt_block *to);
void bt_protect_page(struct bt *bt, uint32_t phys);

/* translate.c: decodes the block's instructions (cold entry) and makes
 * its host code; false when the cache is full (the caller flushes). */
bool bt_decode_block(struct bt *bt, struct bt_block *b, const uint8_t *page);
bool bt_translate(struct bt *bt, struct bt_block *b);

/* run.c: must the interpreter take the next instruction boundary
 * (interrupt, shadow, single step, observers)? */
bool bt_needs_interpreter(const struct bt *bt, const struct cpu *c);

/* helpers.c: what translated code calls. */
int bt_io_continue(struct cpu *c, struct bt_rt *rt);
const uint8_t *bt_helper_lookup(struct cpu *c, struct bt_rt *rt);
enum trap_class bt_trap_class(const struct insn *i);
void bt_trap_call(struct cpu *c, const struct insn *i, struct bt_rt *rt, int cls);
uint8_t *bt_mem_read(struct cpu *c, struct bt_rt *rt, uint32_t lin, uint32_t size_acc);
int bt_mem_write(struct cpu *c, struct bt_rt *rt);
/* The guest's arithmetic flags between cpu->eflags and rt->slot. */
void bt_flags_to_slot(struct cpu *c, struct bt_rt *rt);
void bt_flags_from_slot(struct cpu *c, const struct bt_rt *rt);
bool bt_probe_host_af(void);
bool bt_probe_host_lahf(void);

/* emit_blocks.c */
void bt_emit_runtime(struct bt *bt);

#endif
