/* fuzz_cpu.c -- libFuzzer harness for the whole CPU on a small machine
 * (2 MiB of RAM, every device of the board): the input is the initial
 * register state, descriptor tables, page tables and RAM; the machine runs
 * a bounded number of instructions and a bounded virtual time in the
 * interpreter, then the same input runs in the binary translator and the
 * two final states are compared (tests/fuzz/README.md, "fuzz_cpu").
 *
 * Input: a 68-byte header (below), then bytes copied into RAM from
 * physical address LOAD * 16 (so the IVT, GDT, IDT, page tables and code
 * all come from the input: the header's table bases and EIP point there).
 *   0  u8 mode   bits 0-1: 0 real, 1 flat 32-bit protected, 2 protected
 *                with every segment register loaded from the input's GDT,
 *                3 virtual-8086; bit 2 paging (CR3 from the header);
 *                bit 3 CR4.PSE; bit 4 A20 off; bit 5 CR0.WP; bit 6 IF
 *   1  u8 model  CPU model (mod 5: 286 ... P6)
 *   2  u16 budget: its low 12 bits are instructions beyond a base of 256
 *   4  u32 x 8   EAX..EDI
 *   36 u32 EIP   40 u32 EFLAGS   44 u32 CR3
 *   48 u32 GDT base  52 u16 GDT limit  54 u16 IDT limit  56 u32 IDT base
 *   60 u16 selector for CS (mode 2) / CS and DS (modes 0, 3)  62 u16 DS/SS
 *   64 u16 LOAD (paragraph of the body: 0x07C0 for a boot sector)  66 unused
 * Environment:
 *   FUZZ_CPU_NO_BT=1        the interpreter only
 *   FUZZ_CPU_BT_DIR=DIR     write every input whose translator result
 *                           differs from the interpreter's into DIR
 *   FUZZ_CPU_BT_STRICT=1    abort on such a difference (libFuzzer keeps it)
 * A run still going after HOST_LIMIT_S seconds of CPU time is stopped
 * (as --watchdog does: the CPU's stop request) and counted as a finding of
 * that engine: the interpreter's abort, the translator's a saved input. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

#include "cpu/flags.h"
#include "cpu/mem.h"
#include "cpu/seg.h"
#include "machine/machine.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

enum {
    HDR = 68, RAM_MB = 2, BASE_BUDGET = 256,
    VTIME_MAX_NS = 50 * 1000 * 1000,   /* 50 ms of virtual time */
    HOST_LIMIT_S = 5,                  /* of CPU time (ITIMER_PROF): the machine is shared */
};

/* The machine running now, for the host-time limit's signal handler. */
static struct machine *volatile running;
static volatile sig_atomic_t host_limit_hit;

static void host_limit(int sig)
{
    (void)sig;
    if (running) {
        host_limit_hit = 1;
        running->cpu.stop_request = 1;
        machine_request_quit((struct machine *)running);
    }
}

static void arm_host_limit(struct machine *m)
{
    static bool installed;
    if (!installed) {
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = host_limit;
        sa.sa_flags = SA_RESTART;
        sigaction(SIGPROF, &sa, NULL);
        installed = true;
    }
    host_limit_hit = 0;
    running = m;
    struct itimerval it = { { 0, 0 }, { HOST_LIMIT_S, 0 } };
    setitimer(ITIMER_PROF, &it, NULL);
}

static bool disarm_host_limit(void)
{
    struct itimerval it = { { 0, 0 }, { 0, 0 } };
    setitimer(ITIMER_PROF, &it, NULL);
    running = NULL;
    return host_limit_hit;
}

struct header {
    uint8_t mode, model;
    uint16_t budget;
    uint32_t r[8], eip, eflags, cr3, gdt_base;
    uint16_t gdt_limit, idt_limit;
    uint32_t idt_base;
    uint16_t sel_a, sel_b, load;
};

static uint32_t le32(const uint8_t *p) { return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24; }
static uint16_t le16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }

static void parse_header(const uint8_t *d, struct header *h)
{
    h->mode = d[0];
    h->model = d[1] % 5;
    h->budget = le16(d + 2);
    for (int k = 0; k < 8; k++)
        h->r[k] = le32(d + 4 + 4 * k);
    h->eip = le32(d + 36);
    h->eflags = le32(d + 40);
    h->cr3 = le32(d + 44);
    h->gdt_base = le32(d + 48);
    h->gdt_limit = le16(d + 52);
    h->idt_limit = le16(d + 54);
    h->idt_base = le32(d + 56);
    h->sel_a = le16(d + 60);
    h->sel_b = le16(d + 62);
    h->load = le16(d + 64);
}

/* A segment register from the input's GDT or LDT bytes in RAM (physical,
 * read here without any check: the hidden cache may be anything a
 * descriptor can say). */
static void load_from_gdt(struct machine *m, const struct header *h, int s, uint16_t sel)
{
    struct descriptor d = { 0, 0, 0, 0, 0 };
    uint32_t at = h->gdt_base + (sel & ~7u);
    if ((uint64_t)at + 8 <= m->bus.ram_size) {
        memcpy(&d.lo, m->bus.ram + at, 4);
        memcpy(&d.hi, m->bus.ram + at + 4, 4);
    }
    desc_decode(&d);
    seg_set_cache(&m->cpu.seg[s], sel, d.base, d.limit, d.ar);
}

static void set_state(struct machine *m, const struct header *h)
{
    struct cpu *c = &m->cpu;
    int kind = h->mode & 3;
    memcpy(c->r, h->r, sizeof h->r);
    c->gdtr.base = h->gdt_base;
    c->gdtr.limit = h->gdt_limit;
    c->idtr.base = h->idt_base;
    c->idtr.limit = h->idt_limit;
    uint32_t fl = h->eflags & ~(F_VM | F_IF);
    if (h->mode & 0x40)
        fl |= F_IF;
    if (kind == 0 || kind == 3) {
        if (kind == 3) {
            machine_entry_flat32(m, h->eip & 0xFFFF);
            fl |= F_VM;
        }
        cpu_set_eflags(c, fl);
        for (int s = 0; s < S_COUNT; s++)
            seg_set_real(c, s, s == S_CS || s == S_DS ? h->sel_a : h->sel_b);
        if (kind == 3)
            cpu_set_cpl(c, 3);
        c->eip = h->eip & 0xFFFF;
        return;
    }
    machine_entry_flat32(m, h->eip);
    cpu_set_eflags(c, fl);
    if (kind == 2) {
        load_from_gdt(m, h, S_CS, h->sel_a);
        for (int s = 0; s < S_COUNT; s++)
            if (s != S_CS)
                load_from_gdt(m, h, s, h->sel_b);
        cpu_set_cpl(c, h->sel_a & 3);
    }
    c->cr0 |= (h->mode & 0x20) ? CR0_WP : 0;
    if (h->mode & 0x04) {
        c->cr3 = h->cr3 & 0xFFFFF000u;
        c->cr4 |= (h->mode & 0x08) ? CR4_PSE : 0;
        c->cr0 |= CR0_PG;
    }
    tlb_flush(c, false);
}

static void vtime_up(void *opaque)
{
    machine_request_quit(opaque);
}

struct result {
    bool hung;                   /* stopped by the host-time limit */
    enum machine_stop stop;
    uint64_t insns;
    uint32_t r[8], eip, eflags, cr0, cr2, cr3, cr4;
    uint16_t sel[S_COUNT];
    uint32_t base[S_COUNT];
    uint8_t *ram;
};

/* A fresh machine for engine k: both engines start from exactly the same
 * power-on state, virtual clock included, so that any difference between
 * them is the engines' (reusing one machine across inputs was faster but
 * let time-dependent reads -- PIT, RTC, TSC -- differ). */
static struct machine *machine_for(enum engine_kind k, enum cpu_model model)
{
    static struct machine m[ENGINE_COUNT];
    static bool made[ENGINE_COUNT];
    struct machine *mm = &m[k];
    if (made[k])
        machine_free(mm);
    made[k] = false;
    struct machine_config cfg = {
        .ram_mb = RAM_MB, .model = model, .deterministic = true,
        .no_reboot = true, .engine = ENGINE_INTERP, .bt_threshold_set = true,
        .bt_threshold = 0,
    };
    if (machine_init(mm, &cfg) < 0)
        return NULL;
    mm->debugport.out = NULL;
    if (k != ENGINE_INTERP && machine_select_engine(mm, k) < 0) {
        machine_free(mm);
        return NULL;
    }
    made[k] = true;
    return mm;
}

/* Runs the input in engine k's machine; false when that machine cannot be
 * made (the translator missing: not a finding). */
static bool run_input(const uint8_t *data, size_t size, enum engine_kind k, struct result *res)
{
    struct header h;
    parse_header(data, &h);
    struct machine *mp = machine_for(k, (enum cpu_model)h.model);
    if (!mp)
        return false;
    struct machine *m = mp;
    size_t body = size - HDR, at = (size_t)h.load << 4;
    if (body > m->bus.ram_size - at)
        body = m->bus.ram_size - at;
    memcpy(m->bus.ram + at, data + HDR, body);
    set_state(m, &h);
    if (h.mode & 0x10)
        machine_set_a20(m, false);
    machine_invalidate(m, 0, m->bus.ram_size);
    machine_cpu_changed(m);
    struct timer limit;
    timer_init(&limit, vtime_up, m);
    timer_arm(&m->clock, &limit, vclock_now(&m->clock) + VTIME_MAX_NS);
    uint64_t insns0 = m->cpu.count.insns;
    arm_host_limit(m);
    res->stop = machine_run(m, BASE_BUDGET + (uint64_t)(h.budget & 0xFFF));
    res->hung = disarm_host_limit();
    machine_sync_cpu(m);
    timer_cancel(&m->clock, &limit);
    struct cpu *c = &m->cpu;
    res->insns = c->count.insns - insns0;
    memcpy(res->r, c->r, sizeof res->r);
    res->eip = c->eip;
    res->eflags = cpu_get_eflags(c);
    res->cr0 = c->cr0;
    res->cr2 = c->cr2;
    res->cr3 = c->cr3;
    res->cr4 = c->cr4;
    for (int s = 0; s < S_COUNT; s++) {
        res->sel[s] = c->seg[s].sel;
        res->base[s] = c->seg[s].base;
    }
    res->ram = malloc(m->bus.ram_size);
    memcpy(res->ram, m->bus.ram, m->bus.ram_size);
    return true;
}

static bool guest_ended(enum machine_stop s)
{
    return s == STOP_EXIT_PORT || s == STOP_HALT || s == STOP_SHUTDOWN || s == STOP_IDLE ||
           s == STOP_RESET;
}

/* The first difference between two results, or NULL. */
static const char *difference(const struct result *a, const struct result *b, char *buf, size_t n)
{
    if (b->hung)
        return snprintf(buf, n, "the translator ran on after %d s of CPU time (the "
                        "interpreter did not)", HOST_LIMIT_S), buf;
    /* Where an instruction limit or the virtual-time limit cut a run, the
     * engines may stop at different boundaries (the translator checks at
     * block ends): only runs that the guest ended itself are compared. */
    if (!guest_ended(a->stop) || !guest_ended(b->stop))
        return NULL;
    if (a->stop != b->stop)
        return snprintf(buf, n, "stop %s vs %s", machine_stop_name(a->stop),
                        machine_stop_name(b->stop)), buf;
    for (int k = 0; k < 8; k++)
        if (a->r[k] != b->r[k])
            return snprintf(buf, n, "r%d %08x vs %08x", k, a->r[k], b->r[k]), buf;
    if (a->eip != b->eip)
        return snprintf(buf, n, "eip %08x vs %08x", a->eip, b->eip), buf;
    if (a->eflags != b->eflags)
        return snprintf(buf, n, "eflags %08x vs %08x", a->eflags, b->eflags), buf;
    if (a->cr0 != b->cr0 || a->cr2 != b->cr2 || a->cr3 != b->cr3 || a->cr4 != b->cr4)
        return snprintf(buf, n, "control registers"), buf;
    for (int s = 0; s < S_COUNT; s++)
        if (a->sel[s] != b->sel[s] || a->base[s] != b->base[s])
            return snprintf(buf, n, "segment register %d", s), buf;
    size_t ram = (size_t)RAM_MB << 20;
    if (memcmp(a->ram, b->ram, ram))   /* then where: not in the instrumented loop */
        for (size_t p = 0; p < ram; p += 4096)
            if (memcmp(a->ram + p, b->ram + p, 4096))
                return snprintf(buf, n, "RAM page %06zx differs", p), buf;
    return NULL;
}

static void save_finding(const uint8_t *data, size_t size, const char *why)
{
    const char *dir = getenv("FUZZ_CPU_BT_DIR");
    if (!dir)
        return;
    uint64_t hsh = 1469598103934665603ULL;
    for (size_t k = 0; k < size; k++)
        hsh = (hsh ^ data[k]) * 1099511628211ULL;
    char path[4096];
    snprintf(path, sizeof path, "%s/bt-%016llx", dir, (unsigned long long)hsh);
    FILE *f = fopen(path, "wb");
    if (!f)
        return;
    fwrite(data, 1, size, f);
    fclose(f);
    snprintf(path, sizeof path, "%s/bt-%016llx.txt", dir, (unsigned long long)hsh);
    f = fopen(path, "w");
    if (f) {
        fprintf(f, "%s\n", why);
        fclose(f);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < HDR)
        return 0;
    struct result ri, rb;
    if (!run_input(data, size, ENGINE_INTERP, &ri))
        abort();                 /* an interpreter machine can always be made */
    if (ri.hung) {
        fprintf(stderr, "fuzz_cpu: the interpreter ran on after %d s of CPU time\n", HOST_LIMIT_S);
        abort();
    }
    if (!getenv("FUZZ_CPU_NO_BT") && run_input(data, size, ENGINE_BT, &rb)) {
        char buf[160];
        const char *why = difference(&ri, &rb, buf, sizeof buf);
        if (why) {
            save_finding(data, size, why);
            if (getenv("FUZZ_CPU_BT_STRICT")) {
                fprintf(stderr, "fuzz_cpu: interpreter and translator differ: %s\n", why);
                abort();
            }
        }
        free(rb.ram);
    }
    free(ri.ram);
    return 0;
}
