/* kvm_watch.c -- the debugger's watchpoints under KVM without debug
 * registers: watched pages lose their memory slot (kvm.c asks here), so
 * the guest's accesses to them exit as MMIO and are checked against the
 * watch ranges through the CPU's watch hook, as the interpreter's are. */
#include <stdio.h>
#include <string.h>

#include "cpu/insn.h"
#include "cpu/mem.h"
#include "kvm/kvm_int.h"
#include "machine/machine.h"

/* Why not DR0-3 through KVM_SET_GUEST_DEBUG: nested under QEMU's software
 * CPU they never fire (kvm.c, hw_breakpoints_work), and a data breakpoint
 * reports only after the instruction.  Every watch, write watches too,
 * leaves its page(s) out of the slots, so every access exits.  Not a
 * read-only slot for write watches: an implicit write by the CPU there
 * (a descriptor's accessed bit on a segment load, with the GDT on the
 * page) made KVM retry the instruction forever (its emulator's write_std
 * fails on a read-only slot and reexecute_instruction unprotects and
 * retries; seen nested: the guest hung at the MOV DS after the far jump
 * to protected mode).  Without a slot that emulation fails cleanly.  Code
 * on a watched page cannot run under KVM at all (KVM cannot fetch
 * instructions from MMIO): kvm_run.c's interpreter fallback runs it one
 * instruction at a time, and the interpreter's own watch checks apply. */

static bool same_set(const struct kvm_watch_page *a, int na, const struct kvm_watch_page *b,
                     int nb)
{
    if (na != nb)
        return false;
    for (int i = 0; i < na; i++)
        if (a[i].lin != b[i].lin || a[i].phys != b[i].phys)
            return false;
    return true;
}

/* Adds linear page lin (mapped to phys now) unless it is there already. */
static int add_page(struct kvm_watch_page *w, int n, uint32_t lin, uint32_t phys)
{
    for (int i = 0; i < n; i++)
        if (w[i].lin == lin && w[i].phys == phys)
            return n;
    if (n == KVM_MAX_WATCH_PAGES)
        return n;
    w[n] = (struct kvm_watch_page){ .lin = lin, .phys = phys };
    return n + 1;
}

/* The watched pages of d, translated with the machine's CPU state (the
 * debugger applies its requests with the state out of the engine, at each
 * resume).  Only RAM pages are protected: ROM is read-only already, MMIO
 * exits anyway.  A changed set bumps watch_gen, so the slots are redone. */
void kvm_watch_set(struct kvm_engine *k, const struct engine_debug *d)
{
    struct kvm_watch_page w[KVM_MAX_WATCH_PAGES];
    memset(w, 0, sizeof w);
    int n = 0;
    struct cpu *c = &k->m->cpu;
    for (int i = 0; i < d->nbp && i < ENGINE_MAX_HWBP; i++) {
        if (d->bp[i].kind == BP_EXEC)
            continue;
        uint32_t first = d->bp[i].lin & ~0xFFFu;
        uint32_t last = (d->bp[i].lin + (d->bp[i].len ? d->bp[i].len - 1u : 0u)) & ~0xFFFu;
        for (uint32_t lin = first;; lin += 0x1000) {
            uint32_t pa;
            if (mmu_peek(c, lin, &pa) == 0 && pa < k->m->bus.ram_size)
                n = add_page(w, n, lin, pa & ~0xFFFu);
            if (lin == last)
                break;
        }
    }
    if (!same_set(w, n, k->watch, k->nwatch)) {
        memcpy(k->watch, w, sizeof w);
        k->nwatch = n;
        k->watch_gen++;
        k->watch_code_noted = false;
    }
}

/* Is physical page pa (A20 applied) watched (then it gets no slot)? */
bool kvm_watched(const struct kvm_engine *k, uint32_t pa)
{
    for (int i = 0; i < k->nwatch; i++)
        if (k->watch[i].phys == (pa & ~0xFFFu))
            return true;
    return false;
}

/* Guest linear bytes through the state in m->cpu (RAM only). */
static int read_lin(struct kvm_engine *k, uint32_t lin, uint8_t *buf, int len)
{
    for (int i = 0; i < len; i++) {
        uint32_t pa;
        if (mmu_peek(&k->m->cpu, lin + (uint32_t)i, &pa) < 0 || pa >= k->m->bus.ram_size)
            return -1;
        buf[i] = k->m->bus.ram[pa];
    }
    return 0;
}

/* KVM reports a write to MMIO after its emulator has finished the
 * instruction (EIP is past it; a read exits before, EIP still on it).
 * The writing instruction is the longest one that decodes to exactly the
 * bytes ending at `end` and has a memory operand (not a register form).
 * x86 code cannot be decoded backwards with certainty: bytes before the
 * instruction that happen to form a longer one ending at the same place
 * (a segment prefix that is really an immediate's last byte) would win;
 * then the report names that address.  `end` itself when nothing fits. */
static uint32_t insn_before(struct kvm_engine *k, uint32_t end)
{
    const struct cpu *c = &k->m->cpu;
    bool code32 = (c->seg[S_CS].ar & AR_DB) != 0;
    uint32_t mask = code32 ? 0xFFFFFFFFu : 0xFFFFu;
    uint8_t buf[15];
    for (int len = 15; len >= 1; len--) {
        uint32_t start = (end - (uint32_t)len) & mask;
        struct insn i;
        if (read_lin(k, c->seg[S_CS].base + start, buf, len) < 0 ||
            decode(&i, buf, len, code32, c->model) != len)
            continue;
        if (i.row && (i.row->decode & D_MODRM) && i.mod == 3)
            continue;
        return start;
    }
    return end;
}

/* An MMIO exit at guest-physical addr: each piece of it (4, 2 or 1 bytes
 * within a page, as the bus gets it) that falls in a watched page goes to
 * the CPU's watch hook with the linear address the watch was set on,
 * before the bus performs the write (the hook reads the old value).  A
 * hook that fires sets m->cpu.stop_request: the run ends after this
 * instruction, at the boundary the interpreter would stop at. */
void kvm_watch_access(struct kvm_engine *k, uint64_t addr, const uint8_t *data, uint32_t len,
                      bool write)
{
    struct cpu *c = &k->m->cpu;
    bool peeked = false;
    if (!c->watch_hook)
        return;
    for (uint32_t done = 0; done < len;) {
        uint64_t a = addr + done;
        uint32_t pa = (uint32_t)(a < KVM_LOW_MAP ? a & c->a20_mask : a);
        uint32_t n = len - done >= 4 ? 4 : len - done >= 2 ? 2 : 1;
        if ((pa & 0xFFF) + n > 0x1000)
            n = 1;
        uint32_t v = 0;
        memcpy(&v, data + done, n);
        for (int i = 0; i < k->nwatch; i++) {
            const struct kvm_watch_page *w = &k->watch[i];
            if (w->phys != (pa & ~0xFFFu))
                continue;
            if (!peeked) {
                if (kvm_state_peek(k) < 0)
                    return;
                c->insn_eip = write ? insn_before(k, c->eip) : c->eip;
                peeked = true;
            }
            c->watch_hook(c->hook_opaque, c, w->lin | (pa & 0xFFF), n, write, v);
        }
        done += n;
    }
}

/* The interpreter runs an instruction KVM could not (kvm_run.c): when its
 * code is on a watched page, say once why the guest slows down. */
void kvm_watch_note_code(struct kvm_engine *k)
{
    const struct cpu *c = &k->m->cpu;
    uint32_t pa;
    if (!k->nwatch || k->watch_code_noted ||
        mmu_peek(&k->m->cpu, c->seg[S_CS].base + c->eip, &pa) < 0 ||
        !kvm_watched(k, pa))
        return;
    k->watch_code_noted = true;
    fprintf(stderr, "x86lab: kvm: the guest runs code from physical page %#x, which a "
            "watchpoint takes out of KVM's memory: the interpreter runs each of its "
            "instructions (slowly) while the watchpoint is set\n", pa & ~0xFFFu);
}
