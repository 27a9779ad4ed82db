/* ioapic.c -- the 82093AA I/O APIC: the index/window registers, the 24
 * redirection entries, edge and level inputs with remote IRR, delivery as
 * APIC bus messages; and the IMCR (ports 22h/23h). */
#include "ioapic.h"

#include <string.h>

#include "machine/bus.h"

/* Bits of the low half software can write (delivery status and remote
 * IRR are the chip's). */
enum { REDIR_WRITABLE_LO = 0x1AFFFu };

static bool pin_active(const struct ioapic *io, int pin)
{
    bool level = (io->pins >> pin) & 1;
    return level != ((io->redir[pin] & IOAPIC_ACTIVE_LOW) != 0);
}

/* Sends pin's interrupt as its entry says. */
static void deliver(struct ioapic *io, int pin, bool assert)
{
    uint64_t e = io->redir[pin];
    struct apic_msg m = {
        .vector = (uint8_t)e, .mode = (uint8_t)((e >> 8) & 7), .dest = (uint8_t)(e >> 56),
        .logical = (e & IOAPIC_DEST_LOGICAL) != 0, .level = (e & IOAPIC_LEVEL) != 0,
        .assert = assert, .source = -1,
    };
    io->delivered++;
    if (io->apic)
        apic_bus_send(io->apic, &m);
}

/* A level input that is active, unmasked and not in service goes out. */
static void service_level(struct ioapic *io, int pin)
{
    uint64_t *e = &io->redir[pin];
    if ((*e & IOAPIC_MASKED) || (*e & IOAPIC_REMOTE_IRR) || !pin_active(io, pin))
        return;
    if (((*e >> 8) & 7) != APIC_DM_EXTINT)
        *e |= IOAPIC_REMOTE_IRR;     /* until the EOI (not for the virtual wire) */
    deliver(io, pin, true);
}

void ioapic_set_irq(struct ioapic *io, int pin, bool level)
{
    if (pin < 0 || pin >= IOAPIC_PINS)
        return;
    bool was_active = pin_active(io, pin);
    io->pins = (io->pins & ~(1u << pin)) | ((uint32_t)level << pin);
    bool active = pin_active(io, pin);
    uint64_t e = io->redir[pin];
    if (((e >> 8) & 7) == APIC_DM_EXTINT) {
        /* The 8259's INT through this pin: its level is the message. */
        if (active != was_active && !(e & IOAPIC_MASKED))
            deliver(io, pin, active);
        return;
    }
    if (e & IOAPIC_LEVEL)
        service_level(io, pin);
    else if (active && !was_active && !(e & IOAPIC_MASKED))
        deliver(io, pin, true);
}

static void line_set(void *opaque, int n, int level)
{
    ioapic_set_irq(opaque, n, level != 0);
}

struct irq_line ioapic_irq(struct ioapic *io, int n)
{
    return (struct irq_line){ line_set, io, n };
}

void ioapic_eoi(void *opaque, uint8_t vector)
{
    struct ioapic *io = opaque;
    for (int pin = 0; pin < IOAPIC_PINS; pin++) {
        uint64_t *e = &io->redir[pin];
        if ((uint8_t)*e != vector || !(*e & IOAPIC_REMOTE_IRR))
            continue;
        *e &= ~(uint64_t)IOAPIC_REMOTE_IRR;
        if (*e & IOAPIC_LEVEL)
            service_level(io, pin);
    }
}

static uint32_t reg_read(struct ioapic *io)
{
    uint8_t r = io->regsel;
    if (r >= IOAPIC_REG_REDIR && r < IOAPIC_REG_REDIR + 2 * IOAPIC_PINS) {
        uint64_t e = io->redir[(r - IOAPIC_REG_REDIR) / 2];
        return (r & 1) ? (uint32_t)(e >> 32) : (uint32_t)e;
    }
    switch (r) {
    case IOAPIC_REG_ID: return io->id;
    case IOAPIC_REG_VER: return IOAPIC_VERSION | (IOAPIC_PINS - 1) << 16;
    case IOAPIC_REG_ARB: return io->id;      /* arbitration ID = APIC ID after reset */
    }
    return 0;
}

static void redir_write(struct ioapic *io, int pin, bool high, uint32_t v)
{
    uint64_t *e = &io->redir[pin];
    if (high) {
        *e = (*e & 0x00000000FFFFFFFFull) | ((uint64_t)(v & 0xFF000000u) << 32);
        return;
    }
    uint64_t keep = *e & (0xFFFFFFFF00000000ull | IOAPIC_REMOTE_IRR);
    *e = keep | (v & REDIR_WRITABLE_LO);
    if (!(*e & IOAPIC_LEVEL))
        *e &= ~(uint64_t)IOAPIC_REMOTE_IRR;   /* edge entries have no remote IRR */
    bool extint = ((*e >> 8) & 7) == APIC_DM_EXTINT;
    if (extint && (*e & IOAPIC_MASKED))
        deliver(io, pin, false);     /* the virtual wire let go */
    else if ((*e & IOAPIC_LEVEL) || extint)
        service_level(io, pin);      /* an active level goes out on unmask */
}

static void reg_write(struct ioapic *io, uint32_t v)
{
    uint8_t r = io->regsel;
    if (r >= IOAPIC_REG_REDIR && r < IOAPIC_REG_REDIR + 2 * IOAPIC_PINS)
        redir_write(io, (r - IOAPIC_REG_REDIR) / 2, r & 1, v);
    else if (r == IOAPIC_REG_ID)
        io->id = v & 0x0F000000u;
}

uint32_t ioapic_read(struct ioapic *io, uint32_t offset)
{
    switch (offset & 0xFF) {
    case IOAPIC_REGSEL: return io->regsel;
    case IOAPIC_WIN: return reg_read(io);
    }
    return 0;
}

void ioapic_write(struct ioapic *io, uint32_t offset, uint32_t value)
{
    switch (offset & 0xFF) {
    case IOAPIC_REGSEL: io->regsel = (uint8_t)value; break;
    case IOAPIC_WIN: reg_write(io, value); break;
    }
}

static uint32_t page_read(void *opaque, uint32_t addr, int size)
{
    uint32_t v = ioapic_read(opaque, addr & ~3u) >> (8 * (addr & 3));
    return size == 4 ? v : v & ((1u << (8 * size)) - 1);
}

static void page_write(void *opaque, uint32_t addr, int size, uint32_t value)
{
    (void)size;
    if ((addr & 3) == 0)
        ioapic_write(opaque, addr, value);
}

void ioapic_reset(struct ioapic *io)
{
    io->regsel = 0;
    for (int pin = 0; pin < IOAPIC_PINS; pin++)
        io->redir[pin] = IOAPIC_MASKED;
}

int ioapic_init(struct ioapic *io, struct bus *b, uint32_t base, struct apic_bus *apic,
                uint8_t id)
{
    memset(io, 0, sizeof *io);
    io->apic = apic;
    io->id = (uint32_t)id << 24;
    ioapic_reset(io);
    if (!b)
        return 0;
    return bus_add_mmio(b, base, 0x1000, page_read, page_write, io);
}

/* ---- the IMCR ---- */

enum { IMCR_INDEX_PORT = 0x22, IMCR_DATA_PORT = 0x23, IMCR_REG = 0x70 };

static uint32_t imcr_port_read(void *opaque, uint32_t port, int size)
{
    struct imcr *r = opaque;
    (void)size;
    if (port == IMCR_INDEX_PORT)
        return r->index;
    return r->index == IMCR_REG ? r->value : 0xFF;
}

static void imcr_port_write(void *opaque, uint32_t port, int size, uint32_t v)
{
    struct imcr *r = opaque;
    (void)size;
    if (port == IMCR_INDEX_PORT) {
        r->index = (uint8_t)v;
        return;
    }
    if (r->index != IMCR_REG)
        return;
    bool was = r->value & 1;
    r->value = (uint8_t)(v & 1);
    if (was != (bool)(r->value & 1) && r->route)
        r->route(r->opaque, r->value & 1);
}

void imcr_reset(struct imcr *r)
{
    bool was = r->value & 1;
    r->index = 0;
    r->value = 0;                    /* PIC mode */
    if (was && r->route)
        r->route(r->opaque, false);
}

int imcr_init(struct imcr *r, struct bus *b, void (*route)(void *, bool), void *opaque)
{
    memset(r, 0, sizeof *r);
    r->route = route;
    r->opaque = opaque;
    return bus_add_ports(b, IMCR_INDEX_PORT, 2, imcr_port_read, imcr_port_write, r);
}
