/* pci.c -- configuration mechanism #1 on bus 0 and the functions of the
 * i440FX/PIIX3 chipset: host bridge 8086:1237, ISA bridge 8086:7000 and
 * the IDE controller 8086:7010 (legacy mode, no bus mastering yet). */
#include "pci.h"

#include <errno.h>
#include <string.h>

#include "machine/bus.h"

enum { CONFIG_ADDRESS = 0xCF8, CONFIG_DATA = 0xCFC };
enum { ADDR_ENABLE = 0x80000000u, ADDR_MASK = 0x80FFFFFCu };
/* PIIX3 IDE: the bus master base (BAR4) and the per-channel timing
 * registers, whose bit 15 enables decoding of the channel's ports. */
enum { IDE_BMIBA = 0x20, IDE_IDETIM = 0x40, IDETIM_DECODE = 0x8000 };

uint32_t pci_config_get(const struct pci_function *f, unsigned reg, int size)
{
    uint32_t v = 0;
    for (int k = 0; k < size && reg + (unsigned)k < PCI_CFG_SIZE; k++)
        v |= (uint32_t)f->config[reg + (unsigned)k] << (8 * k);
    return v;
}

void pci_config_set(struct pci_function *f, unsigned reg, int size, uint32_t v)
{
    for (int k = 0; k < size && reg + (unsigned)k < PCI_CFG_SIZE; k++)
        f->config[reg + (unsigned)k] = (uint8_t)(v >> (8 * k));
}

static void set_mask(uint8_t *mask, unsigned reg, int size, uint32_t v)
{
    for (int k = 0; k < size; k++)
        mask[reg + (unsigned)k] = (uint8_t)(v >> (8 * k));
}

void pci_function_init(struct pci_function *f, uint16_t vendor, uint16_t device,
                       uint8_t revision, uint32_t class_code, uint8_t header_type)
{
    memset(f, 0, sizeof *f);
    pci_config_set(f, PCI_VENDOR, 2, vendor);
    pci_config_set(f, PCI_DEVICE, 2, device);
    pci_config_set(f, PCI_REVISION, 1, revision);
    pci_config_set(f, PCI_PROG_IF, 3, class_code);
    pci_config_set(f, PCI_HEADER_TYPE, 1, header_type);
    f->wmask[PCI_INTERRUPT_LINE] = 0xFF;
    f->w1c[PCI_STATUS + 1] = 0xF9;     /* parity, aborts, SERR (bits 15-11, 8) */
}

void pci_function_bar(struct pci_function *f, int bar, uint32_t size, bool io)
{
    unsigned reg = PCI_BAR0 + 4u * (unsigned)bar;
    pci_config_set(f, reg, 4, io ? 1 : 0);
    set_mask(f->wmask, reg, 4, ~(size - 1) & (io ? 0xFFFFFFFCu : 0xFFFFFFF0u));
}

int pci_register(struct pci *p, unsigned slot, unsigned func, struct pci_function *f)
{
    if (slot >= PCI_SLOTS || func >= PCI_FUNCS || p->fn[slot][func]) {
        errno = EBUSY;
        return -1;
    }
    memcpy(f->power_on, f->config, PCI_CFG_SIZE);
    p->fn[slot][func] = f;
    return 0;
}

static struct pci_function *lookup(struct pci *p, unsigned bus, unsigned slot, unsigned func)
{
    if (bus != 0 || slot >= PCI_SLOTS || func >= PCI_FUNCS)
        return NULL;
    return p->fn[slot][func];
}

/* The bytes of one dword a cycle touches: reg and size cut to the dword. */
static int clip(unsigned reg, int size)
{
    int room = 4 - (int)(reg & 3);
    return size < room ? size : room;
}

uint32_t pci_config_read(struct pci *p, unsigned bus, unsigned slot, unsigned func,
                         unsigned reg, int size)
{
    struct pci_function *f = lookup(p, bus, slot, func);
    if (!f || reg >= PCI_CFG_SIZE)
        return 0xFFFFFFFFu >> (32 - 8 * size);
    /* Bytes past the dword (a word read at 0xCFF) read as ones. */
    int n = clip(reg, size);
    uint32_t low = n == 4 ? 0xFFFFFFFFu : (1u << (8 * n)) - 1;
    uint32_t all = 0xFFFFFFFFu >> (32 - 8 * size);
    return (all & ~low) | pci_config_get(f, reg, n);
}

void pci_config_write(struct pci *p, unsigned bus, unsigned slot, unsigned func,
                      unsigned reg, int size, uint32_t v)
{
    struct pci_function *f = lookup(p, bus, slot, func);
    if (!f || reg >= PCI_CFG_SIZE)
        return;
    int n = clip(reg, size);
    for (int k = 0; k < n; k++) {
        unsigned r = reg + (unsigned)k;
        uint8_t b = (uint8_t)(v >> (8 * k));
        uint8_t c = (uint8_t)((f->config[r] & ~f->wmask[r]) | (b & f->wmask[r]));
        f->config[r] = (uint8_t)(c & ~(b & f->w1c[r]));
    }
    if (f->written)
        f->written(f->opaque, f, reg, n);
}

/* ---- ports ---- */

/* Only dword accesses reach CONFIG_ADDRESS (narrower ones go to the ISA
 * side on a PIIX, where 0xCF9 is the reset control register). */
static uint32_t address_read(void *opaque, uint32_t port, int size)
{
    struct pci *p = opaque;
    (void)port;
    return size == 4 ? p->address : 0xFFFFFFFFu >> (32 - 8 * size);
}

static void address_write(void *opaque, uint32_t port, int size, uint32_t v)
{
    struct pci *p = opaque;
    (void)port;
    if (size == 4)
        p->address = v & ADDR_MASK;
}

static void decode_address(const struct pci *p, uint32_t port, unsigned *bus,
                           unsigned *slot, unsigned *func, unsigned *reg)
{
    *bus = (p->address >> 16) & 0xFF;
    *slot = (p->address >> 11) & 0x1F;
    *func = (p->address >> 8) & 0x07;
    *reg = (p->address & 0xFC) + (port - CONFIG_DATA);
}

static uint32_t data_read(void *opaque, uint32_t port, int size)
{
    struct pci *p = opaque;
    unsigned bus, slot, func, reg;
    if (!(p->address & ADDR_ENABLE))
        return 0xFFFFFFFFu >> (32 - 8 * size);
    decode_address(p, port, &bus, &slot, &func, &reg);
    return pci_config_read(p, bus, slot, func, reg, size);
}

static void data_write(void *opaque, uint32_t port, int size, uint32_t v)
{
    struct pci *p = opaque;
    unsigned bus, slot, func, reg;
    if (!(p->address & ADDR_ENABLE))
        return;
    decode_address(p, port, &bus, &slot, &func, &reg);
    pci_config_write(p, bus, slot, func, reg, size, v);
}

/* ---- the chipset's functions ---- */

static void ide_written(void *opaque, struct pci_function *f, unsigned reg, int size)
{
    struct pci *p = opaque;
    (void)reg;
    (void)size;
    if (!p->ide_decode)
        return;
    bool io = pci_config_get(f, PCI_COMMAND, 2) & PCI_CMD_IO;
    for (int ch = 0; ch < 2; ch++) {
        uint32_t idetim = pci_config_get(f, IDE_IDETIM + 2u * (unsigned)ch, 2);
        p->ide_decode(p->ide_opaque, ch, io && (idetim & IDETIM_DECODE));
    }
}

/* PAM0-PAM6 (59h-5Fh): two 4-bit fields per register, bit 0 of a field
 * = reads from DRAM, bit 1 = writes to DRAM.  PAM0's high field covers
 * F0000-FFFFF; then C0000, C4000, ... E8000, EC000 in 16 KiB steps. */
enum { PAM0 = 0x59 };

static void pam_apply(struct pci *p, struct pci_function *f)
{
    bus_set_shadow(p->bus, 0xF0000, 0x10000, (f->config[PAM0] >> 4) & 3);
    for (unsigned k = 0; k < 12; k++) {
        uint8_t reg = f->config[PAM0 + 1 + k / 2];
        unsigned mode = (k & 1 ? reg >> 4 : reg) & 3;
        bus_set_shadow(p->bus, 0xC0000 + k * 0x4000u, 0x4000, mode);
    }
}

/* Any write (and pci_reset, which reports one) may have changed PAM. */
static void host_written(void *opaque, struct pci_function *f, unsigned reg, int size)
{
    (void)reg;
    (void)size;
    pam_apply(opaque, f);
}

static void host_bridge(struct pci *p, struct pci_function *f)
{
    pci_function_init(f, 0x8086, 0x1237, 0x02, 0x060000, 0x00);
    pci_config_set(f, PCI_COMMAND, 2, PCI_CMD_MEMORY | PCI_CMD_MASTER);
    /* PMC registers: the PAM registers drive shadow RAM; DRAM control and
     * SMRAM are stored only. */
    memset(f->wmask + 0x50, 0xFF, 0x30);
    f->written = host_written;
    f->opaque = p;
}

static void isa_bridge(struct pci_function *f)
{
    pci_function_init(f, 0x8086, 0x7000, 0x00, 0x060100, 0x80);
    pci_config_set(f, PCI_COMMAND, 2, PCI_CMD_IO | PCI_CMD_MEMORY | PCI_CMD_MASTER);
    pci_config_set(f, PCI_STATUS, 2, 0x0200);
    /* PIRQ routing (60h-63h: 80h = not routed) and the other chipset
     * registers are stored for firmware; nothing acts on them yet. */
    memset(f->wmask + 0x40, 0xFF, 0xC0);
    memset(f->config + 0x60, 0x80, 4);
}

/* Legacy (compatibility) mode: prog-if 80h, the channels at their ISA
 * addresses, BAR0-3 unused (read 0); BAR4 is the bus master block.  The
 * I/O enable and both IDETIM decode bits start set, as firmware leaves
 * them, since x86lab may run without firmware. */
static void ide_function(struct pci *p, struct pci_function *f)
{
    pci_function_init(f, 0x8086, 0x7010, 0x00, 0x010180, 0x00);
    pci_config_set(f, PCI_COMMAND, 2, PCI_CMD_IO);
    pci_config_set(f, PCI_STATUS, 2, 0x0280);
    f->wmask[PCI_COMMAND] = PCI_CMD_IO | PCI_CMD_MASTER;
    pci_function_bar(f, 4, 16, true);
    pci_config_set(f, IDE_IDETIM, 2, IDETIM_DECODE);
    pci_config_set(f, IDE_IDETIM + 2, 2, IDETIM_DECODE);
    memset(f->wmask + IDE_IDETIM, 0xFF, 0x10);
    f->written = ide_written;
    f->opaque = p;
}

int pci_init(struct pci *p, struct bus *b)
{
    memset(p, 0, sizeof *p);
    p->bus = b;
    host_bridge(p, &p->host);
    isa_bridge(&p->isa);
    ide_function(p, &p->ide);
    if (pci_register(p, 0, 0, &p->host) < 0 || pci_register(p, 1, 0, &p->isa) < 0 ||
        pci_register(p, 1, 1, &p->ide) < 0)
        return -1;
    if (bus_add_ports(b, CONFIG_ADDRESS, 1, address_read, address_write, p) < 0 ||
        bus_add_ports(b, CONFIG_DATA, 4, data_read, data_write, p) < 0)
        return -1;
    return 0;
}

void pci_reset(struct pci *p)
{
    p->address = 0;
    for (unsigned s = 0; s < PCI_SLOTS; s++)
        for (unsigned fn = 0; fn < PCI_FUNCS; fn++) {
            struct pci_function *f = p->fn[s][fn];
            if (!f)
                continue;
            memcpy(f->config, f->power_on, PCI_CFG_SIZE);
            if (f->written)
                f->written(f->opaque, f, PCI_COMMAND, 2);
        }
}
