/* mp.c -- which CPUs there are: ACPI's MADT (acpi.c) if the BIOS has
 * one, else its MultiProcessor table (Intel MP spec 1.4), which lists each
 * processor's local APIC ID and the local APICs' address.  cpus[0] is
 * always the bootstrap processor (BSP).  Also mycpu(). */
#include "defs.h"
#include "x86.h"

struct cpu cpus[NCPU];
int ncpu;
volatile uint32_t *lapic;

struct mp {                     /* the floating pointer, "_MP_" */
    char sig[4];
    uint32_t conf;              /* the configuration table's address */
    uint8_t length, rev, checksum, type, imcrp, reserved[3];
};

struct mpconf {                 /* the configuration table, "PCMP" */
    char sig[4];
    uint16_t length;
    uint8_t version, checksum;
    char oem[20];
    uint32_t oemtable;
    uint16_t oemlength, entries;
    uint32_t lapicaddr;
    uint16_t xlength;
    uint8_t xchecksum, reserved;
};

struct mpproc {                 /* entry type 0: a processor */
    uint8_t type, apicid, version, flags;
    uint8_t signature[4];
    uint32_t feature, reserved[2];
};

#define MPPROC_ENABLED 0x01

static uint8_t sum(const void *p, uint32_t n)
{
    uint8_t s = 0;
    for (uint32_t i = 0; i < n; i++)
        s += ((const uint8_t *)p)[i];
    return s;
}

static struct mp *mpsearch1(uint32_t a, uint32_t len)
{
    for (uint32_t p = a; p + sizeof(struct mp) <= a + len; p += 16) {
        struct mp *mp = (struct mp *)p;
        if (!strncmp(mp->sig, "_MP_", 4) && sum(mp, sizeof *mp) == 0)
            return mp;
    }
    return 0;
}

/* Where the spec says to look: the EBDA's first KiB, the last KiB of base
 * memory, the BIOS ROM at F0000h-FFFFFh. */
static struct mp *mpsearch(void)
{
    const uint8_t *bda = (const uint8_t *)0x400;
    uint32_t ebda = ((uint32_t)bda[0x0F] << 8 | bda[0x0E]) << 4;
    struct mp *mp;
    if (ebda && (mp = mpsearch1(ebda, 1024)))
        return mp;
    uint32_t basekb = (uint32_t)bda[0x14] << 8 | bda[0x13];
    if ((mp = mpsearch1(basekb * 1024 - 1024, 1024)))
        return mp;
    return mpsearch1(0xF0000, 0x10000);
}

static void addcpu(const struct mpproc *p)
{
    if ((p->flags & MPPROC_ENABLED) && ncpu < NCPU)
        cpus[ncpu++].apicid = p->apicid;
}

/* The CPU running this (the BSP) becomes cpus[0]. */
static void bsp_first(void)
{
    int id = lapicid();
    for (int i = 1; i < ncpu; i++) {
        if (cpus[i].apicid == id) {
            cpus[i].apicid = cpus[0].apicid;
            cpus[0].apicid = (uint8_t)id;
        }
    }
}

void mpinit(void)
{
    if (acpi_cpus() > 0) {
        bsp_first();
        return;
    }
    struct mp *mp = mpsearch();
    struct mpconf *conf = mp && mp->conf ? (struct mpconf *)mp->conf : 0;
    if (!conf || strncmp(conf->sig, "PCMP", 4) || sum(conf, conf->length)) {
        cprintf("mp: no MP table: one CPU\n");
        ncpu = 1;
        lapic = (volatile uint32_t *)0xFEE00000;
        cpus[0].apicid = (uint8_t)lapicid();
        return;
    }
    lapic = (volatile uint32_t *)conf->lapicaddr;
    const uint8_t *p = (const uint8_t *)(conf + 1), *end = (const uint8_t *)conf + conf->length;
    while (p < end) {
        if (*p == 0) {
            addcpu((const struct mpproc *)p);
            p += sizeof(struct mpproc);
        } else {
            p += 8;             /* bus, I/O APIC, interrupt assignments */
        }
    }
    bsp_first();
    if (mp->imcrp) {            /* PIC mode: route interrupts to the APIC instead */
        outb(0x22, 0x70);
        outb(0x23, inb(0x23) | 1);
    }
    cprintf("mp: %d cpus in the MP table, local APICs at %p\n", ncpu, (uint32_t)lapic);
}

/* This CPU's struct cpu, by its local APIC ID; call with interrupts off
 * (else we could move to another CPU between the read and the use). */
struct cpu *mycpu(void)
{
    if (readeflags() & 0x200)
        panic("mycpu with interrupts on");
    if (!lapic || ncpu == 0)
        return &cpus[0];        /* before mpinit(): only the BSP runs */
    int id = lapicid();
    for (int i = 0; i < ncpu; i++)
        if (cpus[i].apicid == id)
            return &cpus[i];
    panic("unknown local APIC ID %d", id);
}

int cpuid(void)
{
    return (int)(mycpu() - cpus);
}
