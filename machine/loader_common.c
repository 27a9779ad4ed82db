/* loader_common.c -- what the kernel loaders share: telling the formats
 * apart, reading files, the map of guest RAM a load takes (overlap and
 * bounds checks, placement), the E820 map and the 32-bit entry state. */
#include "machine/loader.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cpu/seg.h"
#include "machine/machine.h"

int loader_e820(uint32_t ram_end, struct e820_entry map[E820_MAX])
{
    /* As bios/int15.asm answers E820h: base memory, the EBDA, the BIOS
     * ROM, the RAM above 1 MiB (when there is some), the reset-vector
     * copy of the ROM at the top of the 4 GiB space. */
    int n = 0;
    map[n++] = (struct e820_entry){ 0, LOW_RAM_END, E820_RAM };
    map[n++] = (struct e820_entry){ LOW_RAM_END, 0xA0000 - LOW_RAM_END, E820_RESERVED };
    map[n++] = (struct e820_entry){ 0xF0000, 0x10000, E820_RESERVED };
    if (ram_end > HIGH_RAM)
        map[n++] = (struct e820_entry){ HIGH_RAM, ram_end - HIGH_RAM, E820_RAM };
    map[n++] = (struct e820_entry){ 0xFFFF0000u, 0x10000, E820_RESERVED };
    return n;
}

void loader_map_init(struct loader_map *lm, uint32_t ram_end)
{
    lm->ram_end = ram_end;
    lm->n = 0;
    char err[8];
    loader_reserve(lm, 0, 0x1000, "the IVT and BIOS data area", err, sizeof err);
    loader_reserve(lm, LOW_RAM_END, HIGH_RAM - LOW_RAM_END,
                   "the EBDA, video memory and BIOS ROM", err, sizeof err);
}

int loader_reserve(struct loader_map *lm, uint64_t start, uint64_t len, const char *what,
                   char *err, size_t errlen)
{
    uint64_t end = start + len;
    if (len == 0)
        return 0;
    if (start > lm->ram_end || len > lm->ram_end - start) {
        snprintf(err, errlen, "%s (%llu bytes at 0x%llx) does not fit in %u MiB of RAM",
                 what, (unsigned long long)len, (unsigned long long)start, lm->ram_end >> 20);
        return -1;
    }
    for (int k = 0; k < lm->n; k++)
        if (start < lm->r[k].end && lm->r[k].start < end) {
            snprintf(err, errlen, "%s (0x%llx-0x%llx) overlaps %s (0x%x-0x%x)", what,
                     (unsigned long long)start, (unsigned long long)end - 1,
                     lm->r[k].what, lm->r[k].start, lm->r[k].end - 1);
            return -1;
        }
    if (lm->n == LOADER_MAX_RANGES) {
        snprintf(err, errlen, "%s: too many pieces to load", what);
        return -1;
    }
    lm->r[lm->n].start = (uint32_t)start;
    lm->r[lm->n].end = (uint32_t)(end > 0xFFFFFFFFu ? 0xFFFFFFFFu : end);
    snprintf(lm->r[lm->n].what, sizeof lm->r[lm->n].what, "%s", what);
    lm->n++;
    return 0;
}

static bool range_free(const struct loader_map *lm, uint64_t start, uint64_t end)
{
    for (int k = 0; k < lm->n; k++)
        if (start < lm->r[k].end && lm->r[k].start < end)
            return false;
    return true;
}

/* Candidate places: lo itself, and just past each taken range (bottom
 * up); hi - len, and just below each taken range (top down). */
static bool try_place(const struct loader_map *lm, uint64_t at, uint32_t len, uint32_t align,
                      uint64_t lo, uint64_t hi, int top_down, uint64_t *best)
{
    at = top_down ? at & ~(uint64_t)(align - 1) : (at + align - 1) & ~(uint64_t)(align - 1);
    if (at < lo || at + len > hi || !range_free(lm, at, at + len))
        return false;
    if (*best == UINT64_MAX || (top_down ? at > *best : at < *best))
        *best = at;
    return true;
}

int loader_alloc(struct loader_map *lm, uint32_t len, uint32_t align, uint32_t lo, uint32_t hi,
                 int top_down, const char *what, uint32_t *addr, char *err, size_t errlen)
{
    uint64_t best = UINT64_MAX;
    uint64_t top = hi < lm->ram_end ? hi : lm->ram_end;
    if (align == 0)
        align = 1;
    if (len == 0)
        len = 1;
    if (top >= len) {
        try_place(lm, top_down ? top - len : lo, len, align, lo, top, top_down, &best);
        for (int k = 0; k < lm->n; k++) {
            uint64_t at = top_down ? (uint64_t)lm->r[k].start - len : lm->r[k].end;
            if (!top_down || lm->r[k].start >= len)
                try_place(lm, at, len, align, lo, top, top_down, &best);
        }
    }
    if (best == UINT64_MAX && top < lm->ram_end) {
        snprintf(err, errlen, "%s (%u bytes) does not fit below 0x%x beside what is "
                 "already loaded", what, len, hi);
        return -1;
    }
    if (best == UINT64_MAX) {
        snprintf(err, errlen, "%s (%u bytes) does not fit in %u MiB of RAM beside what is "
                 "already loaded", what, len, lm->ram_end >> 20);
        return -1;
    }
    *addr = (uint32_t)best;
    return loader_reserve(lm, best, len, what, err, errlen);
}

int loader_read_file(const char *path, uint64_t max, uint8_t **data, size_t *size,
                     char *err, size_t errlen)
{
    FILE *f = fopen(path, "rb");
    struct stat st;
    if (!f || fstat(fileno(f), &st) < 0) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        if (f)
            fclose(f);
        return -1;
    }
    if (!S_ISREG(st.st_mode) || (uint64_t)st.st_size > max) {
        snprintf(err, errlen, S_ISREG(st.st_mode) ? "%s: %llu bytes: too big for guest RAM"
                                                  : "%s: not a regular file",
                 path, (unsigned long long)st.st_size);
        fclose(f);
        return -1;
    }
    size_t n = (size_t)st.st_size;
    uint8_t *buf = malloc(n ? n : 1);
    if (!buf || fread(buf, 1, n, f) != n) {
        snprintf(err, errlen, "%s: %s", path, buf ? "short read" : "out of memory");
        free(buf);
        fclose(f);
        return -1;
    }
    fclose(f);
    *data = buf;
    *size = n;
    return 0;
}

/* The few BIOS data area words a BIOS leaves and old code reads, and a
 * blank 80x25 text screen (grey on black), as after POST. */
static void bios_leftovers(struct machine *m)
{
    static const struct { uint16_t off; uint8_t size; uint16_t value; } bda[] = {
        { 0x00, 2, 0x3F8 }, { 0x02, 2, 0x2F8 },       /* COM1, COM2 */
        { 0x0E, 2, LOW_RAM_END >> 4 },                 /* EBDA segment */
        { 0x10, 2, 0x0420 },                           /* 2 serial ports, 80x25 colour */
        { 0x13, 2, LOW_RAM_END >> 10 },                /* base memory KiB */
        { 0x49, 1, 3 }, { 0x4A, 2, 80 },               /* video mode 3, 80 columns */
        { 0x63, 2, 0x3D4 }, { 0x84, 1, 24 },           /* CRTC port, rows - 1 */
    };
    for (size_t k = 0; k < sizeof bda / sizeof bda[0]; k++)
        bus_mem_write(&m->bus, 0x400u + bda[k].off, bda[k].size, bda[k].value);
    for (uint32_t a = 0xB8000; a < 0xB8000 + 80 * 25 * 2; a += 2)
        bus_mem_write(&m->bus, a, 2, 0x0720);
}

void loader_enter32(struct machine *m, uint32_t gdt_addr, uint16_t cs, uint16_t ds, uint32_t eip)
{
    /* Flat 4 GiB descriptors, accessed bits set: 0x00CF9B00_0000FFFF
     * (code, execute/read) and 0x00CF9300_0000FFFF (data, read/write). */
    static const uint8_t code[8] = { 0xFF, 0xFF, 0, 0, 0, 0x9B, 0xCF, 0 };
    static const uint8_t data[8] = { 0xFF, 0xFF, 0, 0, 0, 0x93, 0xCF, 0 };
    uint16_t top = cs > ds ? cs : ds;
    uint8_t gdt[64] = { 0 };
    memcpy(gdt + cs, code, 8);
    memcpy(gdt + ds, data, 8);
    bus_load(&m->bus, gdt_addr, gdt, top + 8u);
    bios_leftovers(m);

    struct cpu *c = &m->cpu;
    machine_sync_cpu(m);
    for (int r = 0; r < 8; r++)
        c->r[r] = 0;
    /* Neither protocol gives a stack; GRUB and QEMU leave one in low
     * memory, and so does x86lab for kernels that push before setting
     * their own (x86lab's loaders put nothing just below 0x7000). */
    c->r[R_ESP] = LOADER_STACK_TOP;
    c->gdtr.base = gdt_addr;
    c->gdtr.limit = (uint16_t)(top + 7);
    c->cr0 = CR0_PE | CR0_ET;             /* caches on, as a BIOS leaves them */
    cpu_set_eflags(c, 0x2);               /* IF=0 */
    uint16_t car = AR_P | AR_S | AR_CODE | AR_R | AR_ACCESSED | AR_DB | AR_G;
    uint16_t dar = AR_P | AR_S | AR_W | AR_ACCESSED | AR_DB | AR_G;
    seg_set_cache(&c->seg[S_CS], cs, 0, 0xFFFFFFFFu, car);
    for (int s = 0; s < S_COUNT; s++)
        if (s != S_CS)
            seg_set_cache(&c->seg[s], ds, 0, 0xFFFFFFFFu, dar);
    cpu_set_cpl(c, 0);
    c->eip = eip;
    machine_set_a20(m, true);
    machine_cpu_changed(m);
    /* No guest code has run yet: no engine holds any to invalidate. */
}

int loader_boot_kernel(struct machine *m, const struct kernel_spec *k, char *err, size_t errlen)
{
    uint8_t *img;
    size_t size;
    if (loader_read_file(k->path, m->bus.ram_size, &img, &size, err, errlen) < 0)
        return -1;
    m->kernel_path = k->path;
    int r = loader_linux(m, k, img, size, err, errlen);
    if (r == 0)
        r = loader_multiboot(m, k, img, size, err, errlen);
    if (r == 0)
        snprintf(err, errlen, "%s: not a kernel x86lab can boot (neither a Linux bzImage "
                 "nor a Multiboot kernel: no Multiboot header in its first 8 KiB)", k->path);
    free(img);
    return r > 0 ? 0 : -1;
}
