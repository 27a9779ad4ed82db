/* kvm_probe.c -- can this host run the KVM engine?  /dev/kvm must exist,
 * open, speak API 12 with the capabilities we use, and really run a tiny
 * 32-bit protected-mode guest with paging (some backends, e.g. kvm_pvm on
 * hosts without VT-x/AMD-V, run real mode but shut such guests down). */
#include <cpuid.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "kvm/kvm_int.h"

enum { PROBE_MEM = 64 * 1024, PROBE_PD = 0x1000, PROBE_PT = 0x2000, PROBE_CODE = 0x3000,
       PROBE_PORT = 0x10 };
static const uint32_t PROBE_VALUE = 0x1234ABCDu;

bool kvm_host_hypervisor(char vendor[16])
{
    unsigned a, b, c, d;
    memset(vendor, 0, 16);
    if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & (1u << 31)))
        return false;
    __cpuid(0x40000000, a, b, c, d);
    memcpy(vendor, &b, 4);
    memcpy(vendor + 4, &c, 4);
    memcpy(vendor + 8, &d, 4);
    return true;
}

/* Which KVM module serves /dev/kvm, for the messages. */
static const char *backend(void)
{
    static const char *const mods[] = { "kvm_intel", "kvm_amd", "kvm_pvm" };
    for (size_t i = 0; i < sizeof mods / sizeof mods[0]; i++) {
        char path[64];
        snprintf(path, sizeof path, "/sys/module/%s", mods[i]);
        if (access(path, F_OK) == 0)
            return mods[i];
    }
    return "unknown backend";
}

/* The guest: paging on (identity map of 64 KiB through a page table),
 * a store and a load through it, then OUT of what was loaded. */
static void probe_image(uint8_t *mem)
{
    uint32_t pde = PROBE_PT | 3, *pt = (uint32_t *)(mem + PROBE_PT);
    memcpy(mem + PROBE_PD, &pde, 4);
    for (uint32_t p = 0; p < PROBE_MEM / 4096; p++)
        pt[p] = p * 4096 | 3;
    static const uint8_t code[] = {
        0xB8, 0xCD, 0xAB, 0x34, 0x12,         /* mov eax, 0x1234abcd */
        0xA3, 0x00, 0x50, 0x00, 0x00,         /* mov [0x5000], eax */
        0x31, 0xC0,                           /* xor eax, eax */
        0x8B, 0x1D, 0x00, 0x50, 0x00, 0x00,   /* mov ebx, [0x5000] */
        0x89, 0xD8,                           /* mov eax, ebx */
        0xE7, PROBE_PORT,                     /* out 0x10, eax */
        0xF4,                                 /* hlt */
    };
    memcpy(mem + PROBE_CODE, code, sizeof code);
}

static void flat_seg(struct kvm_segment *s, uint16_t sel, uint8_t type)
{
    *s = (struct kvm_segment){ .base = 0, .limit = 0xFFFFFFFFu, .selector = sel,
                               .type = type, .present = 1, .s = 1, .db = 1, .g = 1 };
}

static int probe_state(int vcpu)
{
    struct kvm_sregs sr;
    if (ioctl(vcpu, KVM_GET_SREGS, &sr) < 0)
        return -1;
    flat_seg(&sr.cs, 0x08, 0x0B);
    flat_seg(&sr.ds, 0x10, 0x03);
    sr.es = sr.ss = sr.fs = sr.gs = sr.ds;
    sr.tr = (struct kvm_segment){ .selector = 0x18, .limit = 0x67, .type = 0x0B, .present = 1 };
    sr.ldt = (struct kvm_segment){ .type = 0x02, .present = 1, .unusable = 1 };
    sr.gdt.base = 0;
    sr.gdt.limit = 0x1F;
    sr.cr0 = 0x80000011u;     /* PG | ET | PE */
    sr.cr3 = PROBE_PD;
    sr.cr4 = 0;
    sr.efer = 0;
    if (ioctl(vcpu, KVM_SET_SREGS, &sr) < 0)
        return -1;
    struct kvm_regs r = { .rip = PROBE_CODE, .rsp = 0x8000, .rflags = 2 };
    return ioctl(vcpu, KVM_SET_REGS, &r);
}

/* Runs the probe guest on an open /dev/kvm; false with why. */
static bool probe_guest(int sys, char *why, size_t len)
{
    bool ok = false;
    int vm = -1, vcpu = -1;
    struct kvm_run *run = MAP_FAILED;
    long run_size = ioctl(sys, KVM_GET_VCPU_MMAP_SIZE, 0);
    uint8_t *mem = mmap(NULL, PROBE_MEM, PROT_READ | PROT_WRITE,
                        MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (mem == MAP_FAILED || run_size <= 0)
        goto fail;
    probe_image(mem);
    vm = ioctl(sys, KVM_CREATE_VM, 0);
    struct kvm_userspace_memory_region region = {
        .slot = 0, .guest_phys_addr = 0, .memory_size = PROBE_MEM,
        .userspace_addr = (uintptr_t)mem,
    };
    if (vm < 0 || ioctl(vm, KVM_SET_USER_MEMORY_REGION, &region) < 0)
        goto fail;
    vcpu = ioctl(vm, KVM_CREATE_VCPU, 0);
    if (vcpu < 0)
        goto fail;
    run = mmap(NULL, (size_t)run_size, PROT_READ | PROT_WRITE, MAP_SHARED, vcpu, 0);
    if (run == MAP_FAILED || probe_state(vcpu) < 0)
        goto fail;
    int r;
    do
        r = ioctl(vcpu, KVM_RUN, 0);
    while (r < 0 && errno == EINTR);
    uint32_t value = 0;
    if (r == 0 && run->exit_reason == KVM_EXIT_IO)
        memcpy(&value, (uint8_t *)run + run->io.data_offset, 4);
    if (r == 0 && run->exit_reason == KVM_EXIT_IO && run->io.port == PROBE_PORT &&
        run->io.direction == KVM_EXIT_IO_OUT && value == PROBE_VALUE) {
        ok = true;
    } else if (r == 0) {
        /* Kept under 200 characters: the machine's message buffers. */
        if (run->exit_reason == KVM_EXIT_SHUTDOWN)
            snprintf(why, len, "/dev/kvm (%s) cannot run a 32-bit protected-mode guest "
                     "with paging (its test guest shut down): use --engine=interp or "
                     "--engine=bt", backend());
        else
            snprintf(why, len, "/dev/kvm (%s) cannot run a 32-bit protected-mode guest "
                     "with paging (KVM exit %u): use --engine=interp or --engine=bt",
                     backend(), run->exit_reason);
    } else {
        snprintf(why, len, "/dev/kvm (%s) failed to run a test guest (%s): use "
                 "--engine=interp or --engine=bt", backend(), strerror(errno));
    }
    goto out;
fail:
    snprintf(why, len, "/dev/kvm (%s) cannot create a test VM (%s): use --engine=interp "
             "or --engine=bt", backend(), strerror(errno));
out:
    if (run != MAP_FAILED)
        munmap(run, (size_t)run_size);
    if (vcpu >= 0)
        close(vcpu);
    if (vm >= 0)
        close(vm);
    if (mem != MAP_FAILED)
        munmap(mem, PROBE_MEM);
    return ok;
}

bool kvm_engine_available(char *why, size_t len)
{
    int sys = open("/dev/kvm", O_RDWR | O_CLOEXEC);
    if (sys < 0) {
        int e = errno;
        snprintf(why, len, e == ENOENT
                 ? "this host has no /dev/kvm (no hardware virtualisation, or the kvm "
                   "module is not loaded): use --engine=interp or --engine=bt"
                 : "cannot open /dev/kvm (%s): use --engine=interp or --engine=bt, or "
                   "get access to /dev/kvm (the kvm group)", strerror(e));
        return false;
    }
    static const struct { int cap; const char *name; } caps[] = {
        { KVM_CAP_USER_MEMORY, "user memory" },
        { KVM_CAP_READONLY_MEM, "read-only memory" },
        { KVM_CAP_IMMEDIATE_EXIT, "immediate exit" },
        { KVM_CAP_VCPU_EVENTS, "vCPU events" },
        { KVM_CAP_SET_GUEST_DEBUG, "guest debug" },
    };
    bool ok = true;
    if (ioctl(sys, KVM_GET_API_VERSION, 0) != KVM_API_VERSION) {
        snprintf(why, len, "/dev/kvm speaks an API other than version %d: use "
                 "--engine=interp or --engine=bt", KVM_API_VERSION);
        ok = false;
    }
    for (size_t i = 0; ok && i < sizeof caps / sizeof caps[0]; i++)
        if (ioctl(sys, KVM_CHECK_EXTENSION, caps[i].cap) <= 0) {
            snprintf(why, len, "this kernel's KVM lacks %s (too old): use "
                     "--engine=interp or --engine=bt", caps[i].name);
            ok = false;
        }
    if (ok)
        ok = probe_guest(sys, why, len);
    close(sys);
    return ok;
}
