/* pci.h -- PCI bus 0 with configuration mechanism #1 (address at 0xCF8,
 * data at 0xCFC-0xCFF), the i440FX host bridge (00.0), the PIIX3 ISA bridge
 * (01.0) and its IDE function in legacy mode (01.1), and the small API
 * other devices use to put their own functions on the bus. */
#ifndef X86LAB_PCI_H
#define X86LAB_PCI_H

#include <stdbool.h>
#include <stdint.h>

struct bus;

enum { PCI_SLOTS = 32, PCI_FUNCS = 8, PCI_CFG_SIZE = 256 };

/* Configuration space offsets */
enum {
    PCI_VENDOR = 0x00, PCI_DEVICE = 0x02, PCI_COMMAND = 0x04, PCI_STATUS = 0x06,
    PCI_REVISION = 0x08, PCI_PROG_IF = 0x09, PCI_SUBCLASS = 0x0A, PCI_CLASS = 0x0B,
    PCI_HEADER_TYPE = 0x0E, PCI_BAR0 = 0x10, PCI_INTERRUPT_LINE = 0x3C,
    PCI_INTERRUPT_PIN = 0x3D,
};
enum { PCI_CMD_IO = 0x0001, PCI_CMD_MEMORY = 0x0002, PCI_CMD_MASTER = 0x0004 };

/* A function's configuration space: what the guest reads, which bits it
 * may change (wmask) and which are cleared by writing 1 (w1c, the status
 * register's error bits).  written, when set, runs after every guest
 * write so the device can act on it (decode enables, BARs). */
struct pci_function {
    uint8_t config[PCI_CFG_SIZE];
    uint8_t wmask[PCI_CFG_SIZE];
    uint8_t w1c[PCI_CFG_SIZE];
    uint8_t power_on[PCI_CFG_SIZE];    /* what pci_reset restores */
    void (*written)(void *opaque, struct pci_function *f, unsigned reg, int size);
    void *opaque;
};

struct pci {
    struct bus *bus;                   /* for shadow RAM (PAM registers) */
    uint32_t address;                  /* 0xCF8 */
    struct pci_function *fn[PCI_SLOTS][PCI_FUNCS];
    struct pci_function host, isa, ide;
    /* The IDE function decides whether each legacy channel decodes its
     * ports (command register I/O enable and IDETIM decode enable); the
     * board connects this to the ATA controller. */
    void (*ide_decode)(void *opaque, int channel, bool on);
    void *ide_opaque;
};

int pci_init(struct pci *p, struct bus *b);
void pci_reset(struct pci *p);

/* Building a function: IDs, class code (class << 16 | subclass << 8 |
 * prog-if), header type (bit 7: multi-function device). */
void pci_function_init(struct pci_function *f, uint16_t vendor, uint16_t device,
                       uint8_t revision, uint32_t class_code, uint8_t header_type);
/* A BAR of size bytes (a power of two): I/O or 32-bit memory. */
void pci_function_bar(struct pci_function *f, int bar, uint32_t size, bool io);
/* Puts f at 00:slot.func (its current config becomes its power-on state). */
int pci_register(struct pci *p, unsigned slot, unsigned func, struct pci_function *f);

/* Little-endian access to a config space, for devices and tests. */
uint32_t pci_config_get(const struct pci_function *f, unsigned reg, int size);
void pci_config_set(struct pci_function *f, unsigned reg, int size, uint32_t v);
/* A configuration cycle as the guest makes one (bus 0 only; an empty slot
 * reads all ones). */
uint32_t pci_config_read(struct pci *p, unsigned bus, unsigned slot, unsigned func,
                         unsigned reg, int size);
void pci_config_write(struct pci *p, unsigned bus, unsigned slot, unsigned func,
                      unsigned reg, int size, uint32_t v);

#endif
