/* smp_tables.c -- telling an -smp N guest about its CPUs: the BIOS ROM's
 * constant tables (bios/mptable.asm, bios/acpi.asm) describe one CPU, and
 * x86lab extends them in the ROM as loaded, before the guest starts, to N:
 * processor entries in the MP configuration table, local APIC entries in
 * the MADT, \_PR.CPUn objects in the DSDT.  The tables are found as an OS
 * finds them (signatures, pointers, checksums), and each grows only into
 * the spare room of 0FFh bytes the BIOS left after it.  So the BIOS never
 * has to count CPUs, which a real one does by starting the APs; here they
 * never run firmware code and wait for STARTUP from power-on. */
#include "smp.h"

#include <stdio.h>
#include <string.h>

#include "machine.h"

/* The ROM region that holds the BIOS's F0000h-FFFFFh. */
struct rom {
    uint8_t *data;
    uint32_t start, size;
};

static uint32_t le16(const uint8_t *p) { return p[0] | (uint32_t)p[1] << 8; }
static uint32_t le32(const uint8_t *p) { return le16(p) | le16(p + 2) << 16; }
static void put16(uint8_t *p, uint32_t v) { p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); }
static void put32(uint8_t *p, uint32_t v) { put16(p, v); put16(p + 2, v >> 16); }

/* Host pointer to [paddr, paddr + len) when the ROM holds all of it. */
static uint8_t *rom_at(const struct rom *r, uint32_t paddr, uint32_t len)
{
    if (paddr < r->start || len > r->size || paddr - r->start > r->size - len)
        return NULL;
    return r->data + (paddr - r->start);
}

static uint8_t sum(const uint8_t *p, uint32_t len)
{
    uint8_t s = 0;
    while (len--)
        s = (uint8_t)(s + *p++);
    return s;
}

/* Sets the checksum byte at p[at] so that len bytes at p add up to 0. */
static void fix_checksum(uint8_t *p, uint32_t len, uint32_t at)
{
    p[at] = 0;
    p[at] = (uint8_t)-sum(p, len);
}

/* Is [p, p + len) unused ROM (the 0FFh filler the BIOS leaves)? */
static bool spare(const struct rom *r, uint32_t paddr, uint32_t len)
{
    const uint8_t *p = rom_at(r, paddr, len);
    for (uint32_t k = 0; p && k < len; k++)
        if (p[k] != 0xFF)
            return false;
    return p != NULL;
}

/* The first 16-byte aligned structure with this signature whose len
 * bytes add up to 0 (len 0: the length byte at offset 8, in paragraphs,
 * as the MP floating pointer has it). */
static uint8_t *scan(const struct rom *r, const char *sig, uint32_t len)
{
    for (uint32_t off = 0; off + 16 <= r->size; off += 16) {
        uint8_t *p = r->data + off;
        uint32_t n = len ? len : 16u * p[8];
        if (!memcmp(p, sig, strlen(sig)) && n && off + n <= r->size && sum(p, n) == 0)
            return p;
    }
    return NULL;
}

/* MP: processor entries for CPUs 1..n-1 after the BSP's (the spec keeps
 * entries sorted by type), copies of it with their APIC ID and flags. */
static int grow_mp(const struct rom *r, int n, char *err, size_t len)
{
    uint8_t *fp = scan(r, "_MP_", 0);
    uint32_t at = fp ? le32(fp + 4) : 0;
    uint8_t *t = fp ? rom_at(r, at, 44) : NULL;
    if (!t || memcmp(t, "PCMP", 4))
        return snprintf(err, len, "the BIOS image has no MP configuration table"), -1;
    uint32_t base = le16(t + 4), all = base + le16(t + 40);
    uint32_t grow = 20u * (uint32_t)(n - 1);
    t = rom_at(r, at, all);
    if (!t || base < 64 || t[44] != 0 || !spare(r, at + all, grow))
        return snprintf(err, len, "the MP table has no BSP entry first or no room after it"), -1;
    memmove(t + 64 + grow, t + 64, all - 64);
    for (int k = 1; k < n; k++) {
        uint8_t *e = t + 44 + 20 * k;
        memcpy(e, t + 44, 20);
        e[1] = (uint8_t)k;               /* local APIC ID */
        e[3] = 0x01;                     /* enabled, not the BSP */
    }
    put16(t + 4, base + grow);
    put16(t + 34, le16(t + 34) + (uint32_t)(n - 1));
    fix_checksum(t, base + grow, 7);
    return 0;
}

/* The ACPI table with signature sig listed in the RSDT, or NULL. */
static uint8_t *acpi_table(const struct rom *r, const uint8_t *rsdt, const char *sig)
{
    uint32_t entries = (le32(rsdt + 4) - 36) / 4;
    for (uint32_t k = 0; k < entries; k++) {
        uint32_t at = le32(rsdt + 36 + 4 * k);
        uint8_t *h = rom_at(r, at, 36);
        if (h && !memcmp(h, sig, 4) && rom_at(r, at, le32(h + 4)))
            return h;
    }
    return NULL;
}

/* Room for `grow` more bytes after table t; its new length and checksum. */
static bool acpi_append(const struct rom *r, uint8_t *t, const uint8_t *add, uint32_t grow)
{
    uint32_t tlen = le32(t + 4);
    uint32_t paddr = r->start + (uint32_t)(t - r->data);
    if (!spare(r, paddr + tlen, grow))
        return false;
    memcpy(t + tlen, add, grow);
    put32(t + 4, tlen + grow);
    fix_checksum(t, tlen + grow, 9);
    return true;
}

/* MADT: a local APIC entry per AP (ACPI processor ID = APIC ID = k,
 * enabled); DSDT: Processor (\_PR.CPUk, k, 0, 0) {}, copied from CPU0's. */
static int grow_acpi(const struct rom *r, int n, char *err, size_t len)
{
    static const uint8_t cpu0[] = { 0x5B, 0x83, 0x11, 0x5C, 0x2E, '_', 'P', 'R', '_',
                                    'C', 'P', 'U', '0', 0 };
    uint8_t *rsdp = scan(r, "RSD PTR ", 20);
    uint8_t *rsdt = rsdp ? rom_at(r, le32(rsdp + 16), 36) : NULL;
    if (!rsdt || memcmp(rsdt, "RSDT", 4) || !rom_at(r, le32(rsdp + 16), le32(rsdt + 4)))
        return snprintf(err, len, "the BIOS image has no ACPI RSDT"), -1;
    uint8_t *madt = acpi_table(r, rsdt, "APIC"), *fadt = acpi_table(r, rsdt, "FACP");
    uint8_t *dsdt = fadt ? rom_at(r, le32(fadt + 40), 36) : NULL;
    if (!madt || !dsdt || !rom_at(r, le32(fadt + 40), le32(dsdt + 4)))
        return snprintf(err, len, "the BIOS image has no MADT or DSDT"), -1;
    uint8_t *proc = memmem(dsdt + 36, le32(dsdt + 4) - 36, cpu0, sizeof cpu0);
    if (!proc)
        return snprintf(err, len, "the DSDT has no \\_PR.CPU0 to copy"), -1;
    uint8_t lapics[8 * SMP_MAX_CPUS], procs[19 * SMP_MAX_CPUS];
    for (int k = 1; k < n; k++) {
        uint8_t *e = lapics + 8 * (k - 1), *p = procs + 19 * (k - 1);
        const uint8_t entry[8] = { 0, 8, (uint8_t)k, (uint8_t)k, 1, 0, 0, 0 };
        memcpy(e, entry, 8);
        memcpy(p, proc, 19);
        p[12] = (uint8_t)('0' + k);      /* CPUk */
        p[13] = (uint8_t)k;              /* processor ID, as in the MADT */
    }
    if (!acpi_append(r, madt, lapics, 8u * (uint32_t)(n - 1)) ||
        !acpi_append(r, dsdt, procs, 19u * (uint32_t)(n - 1)))
        return snprintf(err, len, "no room after the MADT or DSDT for %d CPUs", n), -1;
    return 0;
}

/* The BIOS ROM below 1 MiB (*low) and its F0000h-FFFFFh part (*f),
 * where the tables live; -1 after a message. */
static int bios_rom(struct machine *m, struct rom *low, struct rom *f, char *err, size_t len)
{
    struct bus *b = &m->bus;
    *low = (struct rom){ NULL, 0, 0 };
    for (int k = 0; k < b->nrom; k++)
        if (b->rom[k].start <= 0xF0000 && b->rom[k].start + b->rom[k].size == 0x100000)
            *low = (struct rom){ b->rom[k].data, b->rom[k].start, b->rom[k].size };
    if (!low->data)
        return snprintf(err, len, "no BIOS ROM below 1 MiB"), -1;
    *f = (struct rom){ rom_at(low, 0xF0000, 0x10000), 0xF0000, 0x10000 };
    if (!f->data)
        return snprintf(err, len, "the BIOS image is smaller than 64 KiB: no tables"), -1;
    return 0;
}

/* The alias at the top of the address space: the same bytes as below. */
static void sync_alias(struct machine *m, const struct rom *low)
{
    struct bus *b = &m->bus;
    for (int k = 0; k < b->nrom; k++)
        if (b->rom[k].data != low->data && b->rom[k].size == low->size)
            memcpy(b->rom[k].data, low->data, low->size);
}

int smp_publish_tables(struct machine *m, char *err, size_t len)
{
    int n = (int)m->cfg.smp_cpus;
    struct rom low, f;
    if (n < 2 || n > SMP_MAX_CPUS)
        return 0;
    if (bios_rom(m, &low, &f, err, len) < 0 ||
        grow_mp(&f, n, err, len) < 0 || grow_acpi(&f, n, err, len) < 0)
        return -1;
    sync_alias(m, &low);
    return 0;
}

int smp_hide_acpi(struct machine *m, char *err, size_t len)
{
    struct rom low, f;
    if (bios_rom(m, &low, &f, err, len) < 0)
        return -1;
    uint8_t *rsdp = scan(&f, "RSD PTR ", 20);
    if (rsdp)
        memset(rsdp, 0, 8);
    sync_alias(m, &low);
    return 0;
}
