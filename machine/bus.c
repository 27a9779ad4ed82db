/* bus.c -- guest RAM, ROM regions, MMIO regions and the port bus. */
#include "bus.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

int bus_init(struct bus *b, uint32_t ram_size)
{
    memset(b, 0, sizeof *b);
    if (ram_size == 0 || (ram_size & 0xFFF)) {
        errno = EINVAL;
        return -1;
    }
    /* One anonymous mapping: zeroed, and later shareable with KVM. */
    void *p = mmap(NULL, ram_size, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED)
        return -1;
    b->ram = p;
    b->ram_size = ram_size;
    b->code_page = calloc(ram_size >> 12, 1);
    b->page_gen = calloc(ram_size >> 12, sizeof *b->page_gen);
    if (!b->code_page || !b->page_gen) {
        bus_free(b);
        errno = ENOMEM;
        return -1;
    }
    return 0;
}

void bus_free(struct bus *b)
{
    if (b->ram)
        munmap(b->ram, b->ram_size);
    for (int k = 0; k < b->nrom; k++)
        free(b->rom[k].data);
    free(b->code_page);
    free(b->page_gen);
    memset(b, 0, sizeof *b);
}

int bus_add_ports(struct bus *b, uint32_t start, uint32_t count,
                  io_read_fn rd, io_write_fn wr, void *opaque)
{
    if (b->nports >= BUS_MAX_PORT_RANGES || count == 0 || start + count > 65536) {
        errno = ENOSPC;
        return -1;
    }
    b->ports[b->nports] = (struct io_range){ start, start + count - 1, rd, wr, opaque };
    b->nports++;
    for (uint32_t p = start; p < start + count; p++)
        b->port_map[p] = (uint8_t)b->nports;
    return 0;
}

int bus_add_mmio(struct bus *b, uint32_t start, uint32_t size,
                 io_read_fn rd, io_write_fn wr, void *opaque)
{
    if (b->nmmio >= BUS_MAX_MMIO || size == 0) {
        errno = ENOSPC;
        return -1;
    }
    b->mmio[b->nmmio++] = (struct io_range){ start, start + size - 1, rd, wr, opaque };
    return 0;
}

int bus_add_rom(struct bus *b, uint32_t start, const void *data, uint32_t size)
{
    if (b->nrom >= BUS_MAX_ROM || size == 0 || ((start | size) & 0xFFF)) {
        errno = EINVAL;
        return -1;
    }
    uint8_t *copy = malloc(size);
    if (!copy)
        return -1;
    memcpy(copy, data, size);
    b->rom[b->nrom++] = (struct rom_region){ start, size, copy };
    return 0;
}

static const struct io_range *find_mmio(const struct bus *b, uint32_t paddr)
{
    for (int k = 0; k < b->nmmio; k++)
        if (paddr >= b->mmio[k].start && paddr <= b->mmio[k].end)
            return &b->mmio[k];
    return NULL;
}

static uint8_t *rom_ptr(struct bus *b, uint32_t paddr)
{
    for (int k = 0; k < b->nrom; k++)
        if (paddr - b->rom[k].start < b->rom[k].size)
            return b->rom[k].data + (paddr - b->rom[k].start);
    return NULL;
}

static bool shadow_ram(const struct bus *b, uint32_t paddr, bool write)
{
    if (paddr < SHADOW_BASE || paddr >= 0x100000)
        return false;
    return b->shadow[(paddr - SHADOW_BASE) / SHADOW_SEG] & (write ? SHADOW_WRITE : SHADOW_READ);
}

void bus_set_shadow(struct bus *b, uint32_t start, uint32_t size, unsigned mode)
{
    bool changed = false;
    for (uint32_t a = start; a < start + size && a < 0x100000; a += SHADOW_SEG) {
        if (a < SHADOW_BASE)
            continue;
        uint8_t *s = &b->shadow[(a - SHADOW_BASE) / SHADOW_SEG];
        if (*s == (uint8_t)mode)
            continue;
        *s = (uint8_t)mode;
        changed = true;
        /* Code decoded from these addresses came from the other memory. */
        for (uint32_t p = a; p < a + SHADOW_SEG && p < b->ram_size; p += 0x1000)
            b->page_gen[p >> 12]++;
    }
    if (changed && b->map_changed)
        b->map_changed(b->map_opaque);
}

uint8_t *bus_page_ptr(struct bus *b, uint32_t paddr, bool write)
{
    paddr &= ~0xFFFu;
    if (find_mmio(b, paddr))
        return NULL;
    uint8_t *rom = rom_ptr(b, paddr);
    if (rom && !shadow_ram(b, paddr, write))
        return write ? NULL : rom;
    if (paddr < b->ram_size)
        return (write && b->code_page[paddr >> 12]) ? NULL : b->ram + paddr;
    return NULL;
}

void bus_mark_code(struct bus *b, uint32_t paddr)
{
    if (paddr < b->ram_size)
        b->code_page[paddr >> 12] = 1;
}

/* A write reached a page holding cached code: make that code stale. */
static void code_page_written(struct bus *b, uint32_t paddr)
{
    uint32_t page = paddr >> 12;
    b->code_page[page] = 0;
    b->page_gen[page]++;
    if (b->code_written)
        b->code_written(b->code_opaque, paddr);
}

uint32_t bus_mem_read(struct bus *b, uint32_t paddr, int size)
{
    const struct io_range *r = find_mmio(b, paddr);
    if (r) {
        b->mmio_accesses++;
        return r->read ? r->read(r->opaque, paddr - r->start, size)
                       : 0xFFFFFFFFu >> (32 - 8 * size);
    }
    uint8_t *p = bus_page_ptr(b, paddr, false);
    if (!p)
        return 0xFFFFFFFFu >> (32 - 8 * size);
    uint32_t v = 0;
    memcpy(&v, p + (paddr & 0xFFF), (size_t)size);
    return v;
}

void bus_mem_write(struct bus *b, uint32_t paddr, int size, uint32_t value)
{
    const struct io_range *r = find_mmio(b, paddr);
    if (r) {
        b->mmio_accesses++;
        if (r->write)
            r->write(r->opaque, paddr - r->start, size, value);
        return;
    }
    if (paddr < b->ram_size && b->code_page[paddr >> 12])
        code_page_written(b, paddr);
    uint8_t *p = bus_page_ptr(b, paddr, true);
    if (p)
        memcpy(p + (paddr & 0xFFF), &value, (size_t)size);
}

uint32_t bus_io_read(struct bus *b, uint16_t port, int size)
{
    b->io_reads++;
    int k = b->port_map[port];
    uint32_t v = 0xFFFFFFFFu >> (32 - 8 * size);
    if (k && b->ports[k - 1].read) {
        const struct io_range *r = &b->ports[k - 1];
        v = r->read(r->opaque, port, size);
    }
    if (b->io_hook)
        b->io_hook(b->io_hook_opaque, port, size, false, v);
    return v;
}

void bus_io_write(struct bus *b, uint16_t port, int size, uint32_t value)
{
    b->io_writes++;
    int k = b->port_map[port];
    if (k && b->ports[k - 1].write) {
        const struct io_range *r = &b->ports[k - 1];
        r->write(r->opaque, port, size, value);
    }
    if (b->io_hook)
        b->io_hook(b->io_hook_opaque, port, size, true, value);
}

int bus_load(struct bus *b, uint32_t paddr, const void *data, size_t size)
{
    if (paddr > b->ram_size || size > b->ram_size - paddr) {
        errno = ERANGE;
        return -1;
    }
    memcpy(b->ram + paddr, data, size);
    for (uint64_t a = paddr & ~0xFFFu; a < (uint64_t)paddr + size; a += 0x1000)
        if (b->code_page[a >> 12])
            code_page_written(b, (uint32_t)a);
    return 0;
}
