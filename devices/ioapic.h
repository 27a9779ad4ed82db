/* ioapic.h -- the Intel 82093AA I/O APIC (24 inputs, version 11h) at
 * FEC00000h, and the IMCR (ports 22h/23h) with which an MP kernel moves
 * the board from PIC mode to symmetric I/O mode.
 *
 * The I/O APIC's inputs are driven as IRQ lines (ioapic_irq); each input's
 * redirection entry turns an edge, or an active level, into a message on
 * the APIC bus (devices/lapic.h).  A level-triggered input sets its remote
 * IRR when delivered and is delivered again after the local APIC's EOI
 * for its vector (ioapic_eoi) if the line is still active.  Edges on a
 * masked input are lost; an active level is delivered when unmasked. */
#ifndef X86LAB_IOAPIC_H
#define X86LAB_IOAPIC_H

#include <stdbool.h>
#include <stdint.h>

#include "devices/lapic.h"
#include "machine/irq.h"

struct bus;

enum {
    IOAPIC_BASE = 0xFEC00000u,
    IOAPIC_PINS = 24,
    IOAPIC_VERSION = 0x11,
    IOAPIC_REGSEL = 0x00, IOAPIC_WIN = 0x10,         /* offsets in the page */
    IOAPIC_REG_ID = 0x00, IOAPIC_REG_VER = 0x01, IOAPIC_REG_ARB = 0x02,
    IOAPIC_REG_REDIR = 0x10,                         /* + 2 * pin (low), + 1 (high) */
};

/* Redirection entry bits (low half; the destination is bits 56-63). */
enum {
    IOAPIC_DEST_LOGICAL = 1u << 11, IOAPIC_DELIVS = 1u << 12,
    IOAPIC_ACTIVE_LOW = 1u << 13, IOAPIC_REMOTE_IRR = 1u << 14,
    IOAPIC_LEVEL = 1u << 15, IOAPIC_MASKED = 1u << 16,
};

struct ioapic {
    struct apic_bus *apic;
    uint8_t regsel;
    uint32_t id;                 /* bits 24-27 */
    uint64_t redir[IOAPIC_PINS];
    uint32_t pins;               /* the input lines' levels */
    uint64_t delivered;          /* messages sent */
};

/* Registers the page at `base`; redirection entries start masked. */
int ioapic_init(struct ioapic *io, struct bus *b, uint32_t base, struct apic_bus *apic,
                uint8_t id);
void ioapic_reset(struct ioapic *io);

/* Input pin n (0-23) as a line for a device (or the board's fan-out). */
struct irq_line ioapic_irq(struct ioapic *io, int n);
void ioapic_set_irq(struct ioapic *io, int pin, bool level);

/* A local APIC's EOI for a level-triggered vector (apic_bus.eoi). */
void ioapic_eoi(void *opaque, uint8_t vector);

/* Register access through the window (for tests and the page). */
uint32_t ioapic_read(struct ioapic *io, uint32_t offset);
void ioapic_write(struct ioapic *io, uint32_t offset, uint32_t value);

/* The IMCR: ports 22h (index) and 23h (data); index 70h bit 0 selects
 * symmetric I/O mode (the 8259's INT leaves the BSP's LINT0).  route()
 * hears each change of that bit. */
struct imcr {
    uint8_t index;
    uint8_t value;
    void (*route)(void *opaque, bool apic_mode);
    void *opaque;
};

int imcr_init(struct imcr *r, struct bus *b, void (*route)(void *, bool), void *opaque);
void imcr_reset(struct imcr *r);

#endif
