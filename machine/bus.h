/* bus.h -- the physical side of the machine: guest RAM as one host
 * mapping, ROM and MMIO regions, and the port bus.  Devices register
 * ranges with read/write callbacks and an opaque pointer (TinyEMU's
 * iomem.h style); engines reach memory and ports only through here. */
#ifndef X86LAB_BUS_H
#define X86LAB_BUS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint32_t (*io_read_fn)(void *opaque, uint32_t addr, int size);
typedef void (*io_write_fn)(void *opaque, uint32_t addr, int size, uint32_t value);

struct io_range {
    uint32_t start, end;       /* inclusive */
    io_read_fn read;
    io_write_fn write;
    void *opaque;
};

enum { BUS_MAX_PORT_RANGES = 64, BUS_MAX_MMIO = 32, BUS_MAX_ROM = 8 };

struct rom_region {
    uint32_t start, size;
    uint8_t *data;             /* owned by the bus */
};

struct bus {
    uint8_t *ram;              /* guest RAM, one host mapping */
    uint32_t ram_size;
    struct io_range ports[BUS_MAX_PORT_RANGES];
    int nports;
    uint8_t port_map[65536];   /* port -> index + 1 into ports, 0 = none */
    struct io_range mmio[BUS_MAX_MMIO];
    int nmmio;
    struct rom_region rom[BUS_MAX_ROM];
    int nrom;
    uint64_t io_reads, io_writes, mmio_accesses;
    /* Observer of port accesses (the debugger's I/O breakpoints), in every
     * engine: called after each access with the value read or written. */
    void (*io_hook)(void *opaque, uint16_t port, int size, bool write, uint32_t value);
    void *io_hook_opaque;

    /* Self-modifying code: a RAM page from which an engine has decoded or
     * translated code is marked; pages so marked are never handed out for
     * writing (bus_page_ptr), so every guest write to one comes through
     * bus_mem_write, which bumps the page's generation (making cached code
     * stale), clears the mark and tells the engine through code_written. */
    uint8_t *code_page;        /* per RAM page */
    uint32_t *page_gen;        /* per RAM page */
    void (*code_written)(void *opaque, uint32_t paddr);
    void *code_opaque;

    /* Shadow RAM under the ROMs of 0xC0000-0xFFFFF, set by the chipset
     * (i440FX PAM registers): per 16 KiB segment, SHADOW_READ sends reads
     * to the RAM below a ROM and SHADOW_WRITE sends writes there; clear,
     * reads come from the ROM and writes are dropped.  Segments with no
     * ROM are plain RAM.  map_changed tells the engine that translations
     * of those addresses are stale. */
    uint8_t shadow[16];
    void (*map_changed)(void *opaque);
    void *map_opaque;
};

enum { SHADOW_BASE = 0xC0000, SHADOW_SEG = 0x4000, SHADOW_READ = 1, SHADOW_WRITE = 2 };

/* ram_size in bytes (a multiple of 4 KiB).  Returns 0 or -1 with errno. */
int bus_init(struct bus *b, uint32_t ram_size);
void bus_free(struct bus *b);

int bus_add_ports(struct bus *b, uint32_t start, uint32_t count,
                  io_read_fn rd, io_write_fn wr, void *opaque);
int bus_add_mmio(struct bus *b, uint32_t start, uint32_t size,
                 io_read_fn rd, io_write_fn wr, void *opaque);
/* A read-only region whose contents are copied in (firmware). */
int bus_add_rom(struct bus *b, uint32_t start, const void *data, uint32_t size);

/* Host pointer to a page of plain RAM (or ROM, for reads), or NULL when the
 * page is MMIO, unmapped, or (for writes) read-only. */
uint8_t *bus_page_ptr(struct bus *b, uint32_t paddr, bool write);

/* Physical accesses of 1, 2 or 4 bytes that do not cross a page.
 * Unmapped addresses read as all ones and ignore writes, as on a PC. */
uint32_t bus_mem_read(struct bus *b, uint32_t paddr, int size);
void bus_mem_write(struct bus *b, uint32_t paddr, int size, uint32_t value);

uint32_t bus_io_read(struct bus *b, uint16_t port, int size);
void bus_io_write(struct bus *b, uint16_t port, int size, uint32_t value);

/* Sets the shadow mode (SHADOW_READ | SHADOW_WRITE) of the 16 KiB
 * segments covering [start, start + size) within 0xC0000-0xFFFFF. */
void bus_set_shadow(struct bus *b, uint32_t start, uint32_t size, unsigned mode);

/* Marks the RAM page of paddr as holding cached code (see struct bus). */
void bus_mark_code(struct bus *b, uint32_t paddr);
static inline uint32_t bus_page_gen(const struct bus *b, uint32_t paddr)
{
    return paddr < b->ram_size ? b->page_gen[paddr >> 12] : 0;
}

/* Copy a host buffer into guest physical memory (loaders, tests). */
int bus_load(struct bus *b, uint32_t paddr, const void *data, size_t size);

#endif
