/* sysinfo.c -- the shell's `mem` (the Multiboot memory map: which
 * physical ranges are RAM) and `cpuid` (vendor, family/model/stepping and
 * feature flags, if the CPU has CPUID at all). */
#include "sysinfo.h"

#include "lib.h"
#include "x86.h"

static const char *mmap_type(uint32_t t)
{
    static const char *const names[] = {
        "?", "available", "reserved", "ACPI reclaimable", "ACPI NVS", "bad",
    };
    return t < sizeof names / sizeof names[0] ? names[t] : "reserved";
}

void show_memory(const struct multiboot_info *mbi)
{
    if (mbi->flags & MBI_MEM)
        kprintf("mem_lower: %u KiB, mem_upper: %u KiB\n", mbi->mem_lower, mbi->mem_upper);
    if (!(mbi->flags & MBI_MMAP)) {
        kprintf("no memory map from the loader\n");
        return;
    }
    uint64_t usable = 0;
    uint32_t at = mbi->mmap_addr, end = mbi->mmap_addr + mbi->mmap_length;
    kprintf("memory map from the Multiboot loader:\n");
    while (at < end) {
        /* Physical addresses are our addresses: no paging, flat segments. */
        const struct multiboot_mmap_entry *e = (const void *)at;
        kprintf("  %016llx-%016llx %s\n", (unsigned long long)e->base,
                (unsigned long long)(e->base + e->length - 1), mmap_type(e->type));
        if (e->type == 1)
            usable += e->length;
        at += e->size + 4;              /* size does not count itself */
    }
    kprintf("usable RAM: %u KiB\n", (uint32_t)(usable >> 10));
}

/* CPUID exists when software can flip EFLAGS bit 21 (ID); on a 386 and
 * early 486s the bit stays put. */
static int have_cpuid(void)
{
    uint32_t f = read_eflags();
    write_eflags(f ^ (1u << 21));
    uint32_t g = read_eflags();
    write_eflags(f);
    return ((f ^ g) >> 21) & 1;
}

static void show_flags(const char *const names[32], uint32_t bits)
{
    for (int k = 0; k < 32; k++)
        if ((bits >> k) & 1 && names[k])
            kprintf(" %s", names[k]);
}

static const char *const edx_names[32] = {
    "fpu", "vme", "de", "pse", "tsc", "msr", "pae", "mce", "cx8", "apic", 0, "sep",
    "mtrr", "pge", "mca", "cmov", "pat", "pse36", "psn", "clflush", 0, "ds", "acpi", "mmx",
    "fxsr", "sse", "sse2", "ss", "htt", "tm", "ia64", "pbe",
};
static const char *const ecx_names[32] = {
    "sse3", "pclmulqdq", "dtes64", "monitor", "ds_cpl", "vmx", "smx", "est", "tm2", "ssse3",
    "cnxt_id", "sdbg", "fma", "cx16", "xtpr", "pdcm", 0, "pcid", "dca", "sse4_1", "sse4_2",
    "x2apic", "movbe", "popcnt", "tsc_deadline", "aes", "xsave", "osxsave", "avx", "f16c",
    "rdrand", "hypervisor",
};

void show_cpuid(void)
{
    if (!have_cpuid()) {
        kprintf("no CPUID instruction (EFLAGS.ID cannot be changed): a 386 or early 486\n");
        return;
    }
    uint32_t r[4];
    char vendor[13];
    cpuid(0, r);
    uint32_t max = r[0];
    memcpy(vendor, &r[1], 4);           /* the vendor string is EBX, EDX, ECX */
    memcpy(vendor + 4, &r[3], 4);
    memcpy(vendor + 8, &r[2], 4);
    vendor[12] = 0;
    kprintf("vendor: %s, highest leaf: %u\n", vendor, max);
    if (max < 1)
        return;
    cpuid(1, r);
    /* EAX: stepping 3:0, model 7:4, family 11:8, extended model 19:16 and
     * extended family 27:20 (used when family is 6 or 15). */
    uint32_t stepping = r[0] & 15, model = (r[0] >> 4) & 15, family = (r[0] >> 8) & 15;
    if (family == 15)
        family += (r[0] >> 20) & 0xFF;
    if (family == 6 || family >= 15)
        model += ((r[0] >> 16) & 15) << 4;
    kprintf("family: %u, model: %u, stepping: %u (signature %08x)\n", family, model,
            stepping, r[0]);
    kprintf("features (edx %08x, ecx %08x):", r[3], r[2]);
    show_flags(edx_names, r[3]);
    show_flags(ecx_names, r[2]);
    kprintf("\n");
}
