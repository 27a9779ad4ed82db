/* loader.h -- direct kernel boot (-kernel, -initrd, -append): Multiboot v1
 * kernels (ELF or a.out kludge) and Linux bzImages, loaded into guest RAM
 * with the CPU left at their 32-bit entry point, as a boot loader would. */
#ifndef X86LAB_LOADER_H
#define X86LAB_LOADER_H

#include <stddef.h>
#include <stdint.h>

struct machine;

struct kernel_spec {
    const char *path;        /* -kernel FILE */
    const char *initrd;      /* -initrd FILE[,FILE...] or NULL */
    const char *cmdline;     /* -append TEXT or NULL */
};

/* Loads the kernel (its format from its contents) and sets the CPU up at
 * its entry.  The BIOS ROM stays mapped but POST is not run.  Returns 0,
 * or -1 with a one-line reason in err (nothing to run then). */
int loader_boot_kernel(struct machine *m, const struct kernel_spec *k, char *err, size_t errlen);

/* ---- shared by the loader_*.c files ---- */

/* The guest-physical ranges a load has taken, checked for overlaps, for
 * the BIOS areas and for the end of RAM as they are added. */
enum { LOADER_MAX_RANGES = 64 };
struct loader_map {
    uint32_t ram_end;
    int n;
    struct { uint32_t start, end; char what[40]; } r[LOADER_MAX_RANGES];
};

/* The guest's E820 memory map, the same as the BIOS's INT 15h AX=E820h. */
struct e820_entry { uint64_t base, len; uint32_t type; };
enum { E820_MAX = 8, E820_RAM = 1, E820_RESERVED = 2 };
enum {
    LOW_RAM_END = 0x9FC00,       /* the EBDA's kilobyte starts here */
    HIGH_RAM = 0x100000,
    LOADER_STACK_TOP = 0x7000,   /* ESP at a kernel's entry */
};
int loader_e820(uint32_t ram_end, struct e820_entry map[E820_MAX]);

/* Starts the map: the IVT/BDA page and 0x9FC00-0xFFFFF are taken. */
void loader_map_init(struct loader_map *lm, uint32_t ram_end);
/* Takes [start, start+len); -1 with the reason in err when it leaves RAM
 * or overlaps something already taken. */
int loader_reserve(struct loader_map *lm, uint64_t start, uint64_t len, const char *what,
                   char *err, size_t errlen);
/* Finds and takes len bytes aligned to align within [lo, hi): the lowest
 * such place, or the highest with top_down.  -1 with err when none. */
int loader_alloc(struct loader_map *lm, uint32_t len, uint32_t align, uint32_t lo, uint32_t hi,
                 int top_down, const char *what, uint32_t *addr, char *err, size_t errlen);

/* Reads a whole file of at most max bytes; -1 with err ("PATH: why"). */
int loader_read_file(const char *path, uint64_t max, uint8_t **data, size_t *size,
                     char *err, size_t errlen);

/* The machine as the BIOS leaves it for a boot loader (a few BDA words,
 * a blank text screen), then flat 32-bit protected mode: a GDT written at
 * gdt_addr (max(cs, ds) + 8 bytes) with a flat code descriptor at selector
 * cs and a flat data one at ds, all segment registers loaded from them,
 * paging off, IF=0, A20 on, the general registers zero (ESP aside:
 * LOADER_STACK_TOP), at eip. */
void loader_enter32(struct machine *m, uint32_t gdt_addr, uint16_t cs, uint16_t ds, uint32_t eip);

/* The formats: 1 when the image is one (and was loaded), 0 when it is not
 * of that format, -1 on an error (err filled). */
int loader_multiboot(struct machine *m, const struct kernel_spec *k, uint8_t *img, size_t size,
                     char *err, size_t errlen);
int loader_linux(struct machine *m, const struct kernel_spec *k, uint8_t *img, size_t size,
                 char *err, size_t errlen);

static inline uint32_t ld_le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}
static inline uint16_t ld_le16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }
static inline void st_le32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); p[2] = (uint8_t)(v >> 16); p[3] = (uint8_t)(v >> 24);
}
static inline void st_le16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); }
static inline void st_le64(uint8_t *p, uint64_t v)
{
    st_le32(p, (uint32_t)v);
    st_le32(p + 4, (uint32_t)(v >> 32));
}

#endif
