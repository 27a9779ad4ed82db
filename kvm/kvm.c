/* kvm.c -- the KVM engine's VM: /dev/kvm, the VM and its one vCPU, the
 * memory slots (the machine's own RAM mapping and ROMs; MMIO holes left
 * unmapped so they exit to the bus) and the engine_ops table. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "cpu/cpuid.h"
#include "cpu/icache.h"
#include "kvm/kvm_int.h"
#include "machine/machine.h"

/* ---- the memory map ---- */

static struct kvm_map_key map_key(const struct kvm_engine *k)
{
    const struct machine *m = k->m;
    struct kvm_map_key key = { .a20_mask = m->cpu.a20_mask, .nrom = m->bus.nrom,
                               .nmmio = m->bus.nmmio, .watch_gen = k->watch_gen };
    memcpy(key.shadow, m->bus.shadow, sizeof key.shadow);
    return key;
}

bool kvm_map_stale(const struct kvm_engine *k)
{
    struct kvm_map_key now = map_key(k);
    return !k->map_valid || memcmp(&now, &k->key, sizeof now) != 0;
}

/* ROM bytes as KVM may map them: the bus's own buffer when it is page
 * aligned, otherwise a page-aligned copy made once (ROMs never change). */
static uint8_t *rom_host(struct kvm_engine *k, int r)
{
    const struct rom_region *rom = &k->m->bus.rom[r];
    if (((uintptr_t)rom->data & 0xFFF) == 0)
        return rom->data;
    if (!k->rom_copy[r]) {
        void *p = mmap(NULL, rom->size, PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (p == MAP_FAILED)
            return NULL;
        memcpy(p, rom->data, rom->size);
        k->rom_copy[r] = p;
    }
    return k->rom_copy[r];
}

/* What guest-physical page `gpa` is, as the bus decides it (bus.c): MMIO
 * or nothing (NULL: leave unmapped, accesses exit), ROM (read-only), RAM
 * (read-only when the chipset drops writes to shadow RAM).  Writes to a
 * read-only slot exit as MMIO and go through bus_mem_write, which drops
 * them or sends them to shadow RAM exactly as for the other engines.
 * A RAM page under a debugger watchpoint is left unmapped: kvm_watch.c
 * sees its accesses. */
static uint8_t *classify(struct kvm_engine *k, uint32_t gpa, bool *ro)
{
    struct bus *b = &k->m->bus;
    uint32_t pa = gpa < KVM_LOW_MAP ? (gpa & k->m->cpu.a20_mask) : gpa;
    *ro = false;
    if (pa < b->ram_size && kvm_watched(k, pa))
        return NULL;
    for (int i = 0; i < b->nmmio; i++)
        if (pa >= (b->mmio[i].start & ~0xFFFu) && pa <= b->mmio[i].end)
            return NULL;
    unsigned sh = 0;
    if (pa >= SHADOW_BASE && pa < 0x100000)
        sh = b->shadow[(pa - SHADOW_BASE) / SHADOW_SEG];
    for (int r = 0; r < b->nrom; r++)
        if (pa - b->rom[r].start < b->rom[r].size) {
            *ro = !(sh & SHADOW_WRITE);
            if (sh & SHADOW_READ)
                return pa < b->ram_size ? b->ram + pa : NULL;
            uint8_t *base = rom_host(k, r);
            *ro = true;
            return base ? base + (pa - b->rom[r].start) : NULL;
        }
    return pa < b->ram_size ? b->ram + pa : NULL;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* Where the classification can change: every page below 2 MiB (A20,
 * shadow RAM, the VGA window), the edges of RAM, ROMs and MMIO, and the
 * watched pages above. */
static int map_edges(const struct kvm_engine *k, uint64_t *e, int max)
{
    const struct bus *b = &k->m->bus;
    int n = 0;
    for (uint64_t a = 0; a < KVM_LOW_MAP; a += 4096)
        e[n++] = a;
    e[n++] = b->ram_size;
    for (int i = 0; i < k->nwatch && n + 2 < max; i++) {
        e[n++] = k->watch[i].phys;
        e[n++] = (uint64_t)k->watch[i].phys + 0x1000;
    }
    for (int r = 0; r < b->nrom && n + 2 < max; r++) {
        e[n++] = b->rom[r].start;
        e[n++] = (uint64_t)b->rom[r].start + b->rom[r].size;
    }
    for (int i = 0; i < b->nmmio && n + 2 < max; i++) {
        e[n++] = b->mmio[i].start & ~0xFFFu;
        e[n++] = ((uint64_t)b->mmio[i].end + 0x1000) & ~0xFFFull;
    }
    e[n++] = 1ull << 32;
    qsort(e, (size_t)n, sizeof *e, cmp_u64);
    return n;
}

/* The slots the machine's map needs now, merged where contiguous. */
static int build_slots(struct kvm_engine *k, struct kvm_slot *s)
{
    enum { MAX_EDGES = KVM_LOW_MAP / 4096 + 4 +
                       2 * (BUS_MAX_ROM + BUS_MAX_MMIO + KVM_MAX_WATCH_PAGES) };
    uint64_t edges[MAX_EDGES];
    int ne = map_edges(k, edges, MAX_EDGES), n = 0;
    for (int i = 0; i + 1 < ne; i++) {
        uint64_t lo = edges[i], hi = edges[i + 1];
        if (lo >= hi || lo >= (1ull << 32))
            continue;
        bool ro;
        uint8_t *host = classify(k, (uint32_t)lo, &ro);
        if (!host)
            continue;
        struct kvm_slot *prev = n ? &s[n - 1] : NULL;
        if (prev && prev->gpa + prev->size == lo && prev->host + prev->size == host &&
            prev->readonly == ro) {
            prev->size += hi - lo;
            continue;
        }
        if (n == KVM_MAX_SLOTS)
            return -1;
        s[n++] = (struct kvm_slot){ lo, hi - lo, host, ro };
    }
    return n;
}

static bool slot_eq(const struct kvm_slot *a, const struct kvm_slot *b)
{
    return a->gpa == b->gpa && a->size == b->size && a->host == b->host &&
           a->readonly == b->readonly;
}

static int set_slot(struct kvm_engine *k, int idx, const struct kvm_slot *s)
{
    struct kvm_userspace_memory_region r = {
        .slot = (uint32_t)idx,
        .flags = s && s->readonly ? KVM_MEM_READONLY : 0,
        .guest_phys_addr = s ? s->gpa : 0,
        .memory_size = s ? s->size : 0,
        .userspace_addr = s ? (uintptr_t)s->host : 0,
    };
    return ioctl(k->vm_fd, KVM_SET_USER_MEMORY_REGION, &r);
}

int kvm_update_map(struct kvm_engine *k, char *why, size_t len)
{
    struct kvm_slot next[KVM_MAX_SLOTS];
    int n = build_slots(k, next);
    if (n < 0) {
        snprintf(why, len, "the memory map needs more than %d KVM slots", KVM_MAX_SLOTS);
        return -1;
    }
    /* A slot that changes is deleted first: slots may not overlap. */
    for (int i = 0; i < k->nslots; i++)
        if (i >= n || !slot_eq(&k->slot[i], &next[i]))
            set_slot(k, i, NULL);
    for (int i = 0; i < n; i++)
        if (i >= k->nslots || !slot_eq(&k->slot[i], &next[i]))
            if (set_slot(k, i, &next[i]) < 0) {
                snprintf(why, len, "KVM refused memory slot %d (%#" PRIx64 "+%#" PRIx64
                         "): %s", i, next[i].gpa, next[i].size, strerror(errno));
                k->nslots = 0;
                k->map_valid = false;
                return -1;
            }
    memcpy(k->slot, next, sizeof next[0] * (size_t)n);
    k->nslots = n;
    k->key = map_key(k);
    k->map_valid = true;
    return 0;
}

/* ---- VM and vCPU ---- */

static void kvm_close(void *priv)
{
    struct kvm_engine *k = priv;
    if (!k)
        return;
    kvm_timer_free(k);
    if (k->run && k->run != MAP_FAILED)
        munmap(k->run, k->run_size);
    if (k->vcpu_fd >= 0)
        close(k->vcpu_fd);
    if (k->vm_fd >= 0)
        close(k->vm_fd);
    if (k->sys_fd >= 0)
        close(k->sys_fd);
    for (int r = 0; r < BUS_MAX_ROM; r++)
        if (k->rom_copy[r])
            munmap(k->rom_copy[r], k->m->bus.rom[r].size);
    free(k);
}

/* --kvm-irqchip: KVM's own 8259A pair, I/O APIC and 8254 replace ours. */
static int create_irqchip(struct kvm_engine *k, char *why, size_t len)
{
    struct kvm_pit_config pit = { .flags = 0 };
    if (ioctl(k->vm_fd, KVM_CREATE_IRQCHIP, 0) < 0 ||
        ioctl(k->vm_fd, KVM_CREATE_PIT2, &pit) < 0) {
        snprintf(why, len, "--kvm-irqchip: KVM cannot create its interrupt controller "
                 "and timer (%s)", strerror(errno));
        return -1;
    }
    return 0;
}

/* IA32_APIC_BASE stays x86lab's: x86lab's local APIC is a device in user
 * space whose page follows the MSR, so RDMSR/WRMSR of it exit here
 * (KVM_EXIT_X86_RDMSR/WRMSR through an MSR filter) instead of staying
 * inside KVM.  Kernels without MSR filters (before 5.10) keep it inside. */
static void filter_apic_base(struct kvm_engine *k)
{
    struct kvm_enable_cap cap = { .cap = KVM_CAP_X86_USER_SPACE_MSR,
                                  .args = { KVM_MSR_EXIT_REASON_FILTER } };
    uint8_t deny[1] = { 0 };     /* bit clear: the access exits (KVM copies it) */
    struct kvm_msr_filter f = { .flags = KVM_MSR_FILTER_DEFAULT_ALLOW };
    f.ranges[0] = (struct kvm_msr_filter_range){
        .flags = KVM_MSR_FILTER_READ | KVM_MSR_FILTER_WRITE, .nmsrs = 1,
        .base = MSR_APIC_BASE, .bitmap = deny };
    k->msr_exits = ioctl(k->sys_fd, KVM_CHECK_EXTENSION, KVM_CAP_X86_MSR_FILTER) > 0 &&
                   ioctl(k->vm_fd, KVM_ENABLE_CAP, &cap) == 0 &&
                   ioctl(k->vm_fd, KVM_X86_SET_MSR_FILTER, &f) == 0;
}

/* Writes to the VGA window (text output, pixels) need no answer: KVM may
 * queue them in a ring on the vCPU's run area instead of exiting for each,
 * as QEMU does; kvm_flush_coalesced hands them to the bus before anything
 * that could look (every exit: a read of VGA memory, a register write). */
static void coalesce_vga(struct kvm_engine *k)
{
    long page = ioctl(k->sys_fd, KVM_CHECK_EXTENSION, KVM_CAP_COALESCED_MMIO);
    struct kvm_coalesced_mmio_zone z = { .addr = 0xA0000, .size = 0x20000 };
    k->ring = NULL;
    if (page > 0 && (size_t)page * 4096 < k->run_size &&
        ioctl(k->vm_fd, KVM_REGISTER_COALESCED_MMIO, &z) == 0)
        k->ring = (struct kvm_coalesced_mmio_ring *)((uint8_t *)k->run + page * 4096);
}

static int create_vm(struct kvm_engine *k, char *why, size_t len)
{
    k->sys_fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
    if (k->sys_fd < 0)
        return snprintf(why, len, "cannot open /dev/kvm: %s", strerror(errno)), -1;
    long sz = ioctl(k->sys_fd, KVM_GET_VCPU_MMAP_SIZE, 0);
    k->vm_fd = ioctl(k->sys_fd, KVM_CREATE_VM, 0);
    if (sz <= 0 || k->vm_fd < 0)
        return snprintf(why, len, "cannot create a KVM VM: %s", strerror(errno)), -1;
    /* The TSS that VMX needs for real mode on hosts without unrestricted
     * guest: three pages just below the BIOS ROM alias, never RAM here. */
    ioctl(k->vm_fd, KVM_SET_TSS_ADDR, 0xFFFBD000ul);
    if (k->irqchip && create_irqchip(k, why, len) < 0)
        return -1;
    if (k->m->has_apic)
        filter_apic_base(k);
    k->vcpu_fd = ioctl(k->vm_fd, KVM_CREATE_VCPU, 0);
    if (k->vcpu_fd < 0)
        return snprintf(why, len, "cannot create a KVM vCPU: %s", strerror(errno)), -1;
    k->run_size = (size_t)sz;
    k->run = mmap(NULL, k->run_size, PROT_READ | PROT_WRITE, MAP_SHARED, k->vcpu_fd, 0);
    if (k->run == MAP_FAILED) {
        k->run = NULL;
        return snprintf(why, len, "cannot map the vCPU's run area: %s", strerror(errno)), -1;
    }
    coalesce_vga(k);
    return 0;
}

static void *kvm_open(struct machine *m, char *why, size_t len)
{
    struct kvm_engine *k = calloc(1, sizeof *k);
    if (!k)
        return snprintf(why, len, "out of memory"), NULL;
    k->m = m;
    k->sys_fd = k->vm_fd = k->vcpu_fd = -1;
    k->irqchip = m->cfg.kvm_irqchip;
    if (k->irqchip && m->cfg.switch_every) {
        snprintf(why, len, "--kvm-irqchip keeps the PIC and PIT inside KVM, so the machine "
                 "cannot switch engines (--switch-engine-after)");
        free(k);
        return NULL;
    }
    if (create_vm(k, why, len) < 0 || kvm_set_cpuid(k, why, len) < 0 ||
        kvm_timer_setup(k, why, len) < 0) {
        kvm_close(k);
        return NULL;
    }
    k->nested_emulated = kvm_host_hypervisor(k->host_hv);
    const char *tr = getenv("X86LAB_KVM_TRACE");
    k->trace = k->trace_n = tr ? strtol(tr, NULL, 0) : 0;
    return k;
}

/* After a triple fault KVM's vCPU did not run again (nested under QEMU:
 * every KVM_RUN ended with EINTR at the reset vector, nothing executed;
 * SVM answers a shutdown with an INIT over a cleared VMCB).  The machine
 * resets after a shutdown anyway, so the VM and its vCPU are made anew:
 * the memory slots and the CPUID go in again, the state at enter. */
static int remake_vm(struct kvm_engine *k, char *why, size_t len)
{
    if (k->run)
        munmap(k->run, k->run_size);
    k->run = NULL;
    k->ring = NULL;
    close(k->vcpu_fd);
    close(k->vm_fd);
    close(k->sys_fd);
    k->sys_fd = k->vm_fd = k->vcpu_fd = -1;
    k->nslots = 0;
    k->map_valid = false;
    k->lines_sent = 0;
    k->pending_completion = false;
    k->shut_down = false;
    if (create_vm(k, why, len) < 0 || kvm_set_cpuid(k, why, len) < 0)
        return -1;
    return 0;
}

static void kvm_enter(void *priv)
{
    struct kvm_engine *k = priv;
    char why[200];
    if (k->shut_down && remake_vm(k, why, sizeof why) < 0) {
        fprintf(stderr, "x86lab: kvm: after a shutdown: %s\n", why);
        return;
    }
    if (kvm_map_stale(k) && kvm_update_map(k, why, sizeof why) < 0)
        fprintf(stderr, "x86lab: kvm: %s\n", why);
    if (kvm_state_in(k) < 0)
        fprintf(stderr, "x86lab: kvm: the CPU state could not be loaded into the vCPU\n");
}

static void kvm_leave(void *priv)
{
    struct kvm_engine *k = priv;
    kvm_complete_pending(k);
    kvm_flush_coalesced(k);
    kvm_drain_events(k);
    if (kvm_state_out(k) < 0)
        fprintf(stderr, "x86lab: kvm: the CPU state could not be read from the vCPU\n");
}

/* KVM maps the same RAM pages: nothing was made from them. */
static void kvm_invalidate(void *priv, uint32_t paddr, uint32_t len)
{
    (void)priv;
    (void)paddr;
    (void)len;
}

/* Nested under QEMU's software CPU the hardware breakpoints of
 * KVM_SET_GUEST_DEBUG never fire: QEMU's VMRUN loads the guest's DR7 from
 * the VMCB without re-arming its own breakpoints (helper_vmrun sets
 * env->dr[7] directly, not through cpu_x86_update_dr7).  There the
 * engine says it has none, and the debugger single-steps instead. */
static bool hw_breakpoints_work(const struct kvm_engine *k)
{
    return !(k->nested_emulated && !strncmp(k->host_hv, "TCGTCGTCGTCG", 12));
}

/* Exec breakpoints go to DR0-3; watchpoints to the memory slots
 * (kvm_watch.c), the same on every host and exact about the instruction. */
static int kvm_set_debug(void *priv, const struct engine_debug *d)
{
    struct kvm_engine *k = priv;
    struct engine_debug hw = *d;
    hw.nbp = 0;
    for (int i = 0; i < d->nbp && i < ENGINE_MAX_HWBP; i++)
        if (d->bp[i].kind == BP_EXEC)
            hw.bp[hw.nbp++] = d->bp[i];
    if (hw.nbp && !hw_breakpoints_work(k))
        return -1;
    kvm_watch_set(k, d);
    k->debug = hw;
    return kvm_apply_debug(k);
}

/* Port I/O exits by the bus's port ranges, MMIO exits by region. */
static void report_ranges(const struct kvm_engine *k, FILE *f)
{
    const struct bus *b = &k->m->bus;
    if (k->io_exits[0])
        fprintf(f, "x86lab:     ports nobody decodes %10" PRIu64 " exits\n", k->io_exits[0]);
    for (int i = 1; i <= b->nports; i++)
        if (k->io_exits[i])
            fprintf(f, "x86lab:     ports %04x-%04x      %10" PRIu64 " exits\n",
                    b->ports[i - 1].start, b->ports[i - 1].end, k->io_exits[i]);
    if (k->mmio_exits[0])
        fprintf(f, "x86lab:     ROM writes, unbacked %10" PRIu64 " exits\n", k->mmio_exits[0]);
    for (int i = 1; i <= b->nmmio; i++)
        if (k->mmio_exits[i])
            fprintf(f, "x86lab:     MMIO %08x-%08x %10" PRIu64 " exits\n",
                    b->mmio[i - 1].start, b->mmio[i - 1].end, k->mmio_exits[i]);
}

static void kvm_report(void *priv, void *file)
{
    struct kvm_engine *k = priv;
    const struct stats *s = &k->m->stats;
    FILE *f = file;
    fprintf(f, "x86lab:   kvm: %s, guest time %.3f s, %" PRIu64 " interrupts and %" PRIu64
            " NMIs injected\n", k->irqchip ? "in-kernel PIC/IOAPIC/PIT (--kvm-irqchip)"
            : "devices in user space", (double)s->kvm_guest_ns / 1e9,
            s->kvm_injected_irqs, s->kvm_injected_nmis);
    for (int r = 0; r < VMEXIT_COUNT; r++)
        if (s->kvm_exits[r])
            fprintf(f, "x86lab:   kvm exit %-17s %10" PRIu64 "  %8.1f us handling, %.0f ns each\n",
                    vmexit_reason_name((enum vmexit_reason)r), s->kvm_exits[r],
                    (double)s->kvm_exit_ns[r] / 1e3,
                    (double)s->kvm_exit_ns[r] / (double)s->kvm_exits[r]);
    report_ranges(k, f);
    if (k->coalesced)
        fprintf(f, "x86lab:   kvm: %" PRIu64 " writes to VGA memory queued by KVM (no exit)\n",
                k->coalesced);
    if (k->fallback_steps)
        fprintf(f, "x86lab:   kvm: %" PRIu64 " instructions KVM could not emulate ran in the "
                "interpreter\n", k->fallback_steps);
    if (k->nested_emulated)
        fprintf(f, "x86lab:   kvm: nested KVM under emulation (this host runs under the "
                "'%.12s' hypervisor): these timings are not KVM performance\n", k->host_hv);
}

static bool kvm_available(char *why, size_t len)
{
    if (!kvm_engine_available(why, len))
        return false;
    char hv[16];
    if (kvm_host_hypervisor(hv))
        snprintf(why, len, "nested KVM under emulation: the host itself runs under the "
                 "'%.12s' hypervisor, so timings are not KVM performance", hv);
    return true;
}

const struct engine_ops kvm_engine_ops = {
    .kind = ENGINE_KVM,
    .name = "kvm",
    .title = "hardware-assisted (KVM)",
    .available = kvm_available,
    .open = kvm_open,
    .close = kvm_close,
    .enter = kvm_enter,
    .leave = kvm_leave,
    .run = kvm_engine_run,
    .invalidate = kvm_invalidate,
    .set_debug = kvm_set_debug,
    .report = kvm_report,
};
