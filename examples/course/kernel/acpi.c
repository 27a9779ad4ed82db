/* acpi.c -- which CPUs there are, from ACPI's MADT ("APIC" table): one
 * entry per processor's local APIC.  QEMU's SeaBIOS lists only one CPU
 * per package in its MP table, so with -smp 2 (two cores of one package)
 * only the MADT shows both; mp.c falls back to the MP table. */
#include "defs.h"

struct rsdp {                   /* "RSD PTR ", ACPI 1.0 part */
    char sig[8];
    uint8_t checksum;
    char oem[6];
    uint8_t rev;
    uint32_t rsdt;
};

struct sdt {                    /* every table's header */
    char sig[4];
    uint32_t length;
    uint8_t rev, checksum;
    char oem[6], oemtable[8];
    uint32_t oemrev, creator, creatorrev;
};

struct madt {
    struct sdt h;
    uint32_t lapicaddr, flags;
};

#define MADT_LAPIC      0       /* entry: processor's local APIC */
#define MADT_ENABLED    1

static uint8_t sum(const void *p, uint32_t n)
{
    uint8_t s = 0;
    for (uint32_t i = 0; i < n; i++)
        s += ((const uint8_t *)p)[i];
    return s;
}

/* The RSDP: on a 16-byte boundary in the EBDA's first KiB or in
 * E0000h-FFFFFh. */
static struct rsdp *find_rsdp(void)
{
    uint32_t ebda = (uint32_t)*(const uint16_t *)0x40E << 4;
    uint32_t ranges[2][2] = { { ebda, ebda + 1024 }, { 0xE0000, 0x100000 } };
    for (int r = ebda ? 0 : 1; r < 2; r++)
        for (uint32_t p = ranges[r][0]; p < ranges[r][1]; p += 16)
            if (!strncmp((const char *)p, "RSD PTR ", 8) && sum((void *)p, 20) == 0)
                return (struct rsdp *)p;
    return 0;
}

static struct madt *find_madt(void)
{
    struct rsdp *rsdp = find_rsdp();
    struct sdt *rsdt = rsdp ? (struct sdt *)rsdp->rsdt : 0;
    if (!rsdt || strncmp(rsdt->sig, "RSDT", 4) || sum(rsdt, rsdt->length))
        return 0;
    uint32_t *entry = (uint32_t *)(rsdt + 1);
    for (uint32_t i = 0; i < (rsdt->length - sizeof *rsdt) / 4; i++) {
        struct sdt *t = (struct sdt *)entry[i];
        if (!strncmp(t->sig, "APIC", 4) && sum(t, t->length) == 0)
            return (struct madt *)t;
    }
    return 0;
}

/* Fills cpus[] and lapic from the MADT; 0 when there is none.  ACPI
 * lists the boot processor first. */
int acpi_cpus(void)
{
    struct madt *m = find_madt();
    if (!m)
        return 0;
    lapic = (volatile uint32_t *)m->lapicaddr;
    const uint8_t *p = (const uint8_t *)(m + 1), *end = (const uint8_t *)m + m->h.length;
    for (; p + 2 <= end && p[1] >= 2; p += p[1]) {
        if (p[0] == MADT_LAPIC && (*(const uint32_t *)(p + 4) & MADT_ENABLED) && ncpu < NCPU)
            cpus[ncpu++].apicid = p[3];
    }
    cprintf("acpi: %d cpus in the MADT, local APICs at %p\n", ncpu, (uint32_t)lapic);
    return ncpu;
}
