/* dma.c -- the two 8237A DMA controllers and the page registers of the
 * PC/AT: the guest-visible registers, and dma_transfer, through which a
 * device's data reaches guest memory (always via the bus: writes outside
 * RAM are dropped, reads there return ones). */
#include "dma.h"

#include <string.h>

#include "machine/bus.h"

enum {
    /* register index within a controller (port offset, or half of it on
     * the 16-bit controller) */
    REG_STATUS = 8,        /* read: status; write: command */
    REG_REQUEST = 9,
    REG_SINGLE_MASK = 10,
    REG_MODE = 11,
    REG_CLEAR_FF = 12,
    REG_MASTER_CLEAR = 13, /* read: temporary register */
    REG_CLEAR_MASK = 14,
    REG_ALL_MASK = 15,
    CMD_DISABLE = 0x04,    /* command register: controller disabled */
    PAGE_PORT = 0x80,
};

/* Page register (port 0x80 + index) of each channel: the PC/AT's odd
 * wiring.  Channel 4 (the cascade) gets the unused 0x8F. */
static const uint8_t page_index[8] = { 0x7, 0x3, 0x1, 0x2, 0xF, 0xB, 0x9, 0xA };

static struct dma_chan *chan(struct dma *d, int channel)
{
    return &d->ctrl[channel >> 2].ch[channel & 3];
}

/* ---- the transfer engine ---- */

/* Whether the controller grants the bus to a request on the channel: the
 * channel and its controller enabled, and for channels 0-3 the cascade
 * channel 4 unmasked too, since the first controller reaches the bus
 * through it.  Software requests ignore the channel's own mask bit. */
static bool serviceable(const struct dma *d, int channel, bool software)
{
    const struct dma_ctrl *k = &d->ctrl[channel >> 2];
    int n = channel & 3;
    if (channel == 4 || (k->command & CMD_DISABLE))
        return false;
    if (!software && (k->mask & (1 << n)))
        return false;
    if ((k->ch[n].mode & DMA_MODE_SEL) == DMA_SEL_CASCADE)
        return false;
    if (channel < 4) {
        const struct dma_ctrl *master = &d->ctrl[1];
        if ((master->command & CMD_DISABLE) || (master->mask & 1))
            return false;
    }
    return true;
}

/* Physical address of the channel's current transfer: the 8-bit channels
 * put the page register above a 16-bit byte address; the 16-bit channels
 * shift a word address left and take A17-A23 from the page register. */
static uint32_t chan_phys(const struct dma *d, int channel)
{
    const struct dma_chan *c = &d->ctrl[channel >> 2].ch[channel & 3];
    uint32_t page = d->page[page_index[channel]];
    if (channel < 4)
        return page << 16 | c->cur_addr;
    return (page & 0xFE) << 16 | (uint32_t)c->cur_addr << 1;
}

/* How many units, from the current address on, stay inside one host page.
 * The address counter wraps within its 64 KiB (128 KiB) window and the
 * page register never carries; those windows are made of whole host
 * pages, so a run that ends at a host page also ends at the wrap. */
static uint32_t run_length(uint32_t phys, bool down, int unit, uint32_t units)
{
    uint32_t to_page = down ? (phys & 0xFFF) / (uint32_t)unit + 1
                            : (0x1000 - (phys & 0xFFF)) / (uint32_t)unit;
    return units < to_page ? units : to_page;
}

/* One byte through the bus, for pages that are not plain RAM (MMIO, ROM,
 * holes, pages holding cached code). */
static void slow_byte(struct bus *b, uint32_t phys, uint8_t *p, bool to_memory)
{
    if (to_memory)
        bus_mem_write(b, phys, 1, *p);
    else
        *p = (uint8_t)bus_mem_read(b, phys, 1);
}

/* Copies n units between buf and memory starting at phys, all in one host
 * page; downwards, unit k is at phys - k * unit. */
static void copy_run(struct bus *b, uint32_t phys, uint8_t *buf, uint32_t n, int unit,
                     bool down, bool to_memory)
{
    uint8_t *page = bus_page_ptr(b, phys, to_memory);
    if (page && !down) {
        uint8_t *mem = page + (phys & 0xFFF);
        size_t bytes = (size_t)n * (size_t)unit;
        memcpy(to_memory ? mem : buf, to_memory ? buf : mem, bytes);
        return;
    }
    for (uint32_t k = 0; k < n; k++) {
        uint32_t a = down ? phys - k * (uint32_t)unit : phys + k * (uint32_t)unit;
        uint8_t *p = buf + k * (uint32_t)unit;
        for (int byte = 0; byte < unit; byte++) {
            uint32_t at = a + (uint32_t)byte;
            if (!page)
                slow_byte(b, at, p + byte, to_memory);
            else if (to_memory)
                page[at & 0xFFF] = p[byte];
            else
                p[byte] = page[at & 0xFFF];
        }
    }
}

/* Runs `units` cycles on the channel, moving data when touch is set. */
static void run_cycles(struct dma *d, int channel, uint8_t *buf, uint32_t units,
                       bool touch, bool to_memory)
{
    struct dma_chan *c = chan(d, channel);
    int unit = channel < 4 ? 1 : 2;
    bool down = c->mode & DMA_MODE_DOWN;
    while (units) {
        uint32_t phys = chan_phys(d, channel);
        uint32_t n = run_length(phys, down, unit, units);
        if (touch)
            copy_run(d->bus, phys, buf, n, unit, down, to_memory);
        if (buf)
            buf += n * (uint32_t)unit;
        c->cur_addr = (uint16_t)(down ? c->cur_addr - n : c->cur_addr + n);
        c->cur_count = (uint16_t)(c->cur_count - n);
        units -= n;
    }
}

/* Terminal count: the status bit, the request bit cleared, and either
 * the auto-init reload or the channel masked (8237A behaviour). */
static void terminal_count(struct dma *d, int channel)
{
    struct dma_ctrl *k = &d->ctrl[channel >> 2];
    struct dma_chan *c = &k->ch[channel & 3];
    uint8_t bit = (uint8_t)(1 << (channel & 3));
    k->tc |= bit;
    k->request &= (uint8_t)~bit;
    c->eop = true;
    if (c->mode & DMA_MODE_AUTOINIT) {
        c->cur_addr = c->base_addr;
        c->cur_count = c->base_count;
    } else {
        k->mask |= bit;
    }
}

/* Whether the mode's transfer type matches what the device does. */
static bool moves_data(uint8_t mode, bool to_memory)
{
    uint8_t type = mode & DMA_MODE_TYPE;
    return to_memory ? type == DMA_TYPE_WRITE : type == DMA_TYPE_READ;
}

int dma_transfer(struct dma *d, int channel, void *buf, int len, bool to_memory)
{
    if (channel < 0 || channel > 7)
        return 0;
    struct dma_chan *c = chan(d, channel);
    c->eop = false;
    if (len <= 0 || !serviceable(d, channel, false))
        return 0;
    int unit = channel < 4 ? 1 : 2;
    uint32_t units = (uint32_t)len / (uint32_t)unit;
    uint32_t left = (uint32_t)c->cur_count + 1;
    if (units > left)
        units = left;
    bool touch = moves_data(c->mode, to_memory);
    if (!touch && !to_memory)
        memset(buf, 0xFF, units * (uint32_t)unit);   /* nothing drives the data bus */
    run_cycles(d, channel, buf, units, touch, to_memory);
    if (units == left)
        terminal_count(d, channel);
    return (int)(units * (uint32_t)unit);
}

bool dma_tc_reached(const struct dma *d, int channel)
{
    if (channel < 0 || channel > 7)
        return false;
    return d->ctrl[channel >> 2].ch[channel & 3].eop;
}

/* A software request (request register) is served at once when the
 * channel is in block mode, as the 8237A does: with no device on the
 * other end, the cycles run to terminal count without touching memory
 * (what a floating data bus would write is not modelled). */
static void software_request(struct dma *d, int channel)
{
    struct dma_chan *c = chan(d, channel);
    if ((c->mode & DMA_MODE_SEL) != DMA_SEL_BLOCK || !serviceable(d, channel, true))
        return;
    run_cycles(d, channel, NULL, (uint32_t)c->cur_count + 1, false, false);
    terminal_count(d, channel);
}

/* ---- registers ---- */

static void master_clear(struct dma_ctrl *k)
{
    k->command = 0;
    k->tc = 0;
    k->request = 0;
    k->flipflop = false;
    k->mask = 0x0F;
}

/* Address and count registers: two byte accesses through the flip-flop. */
static uint8_t read_addr_count(struct dma_ctrl *k, int reg)
{
    const struct dma_chan *c = &k->ch[reg >> 1];
    uint16_t v = (reg & 1) ? c->cur_count : c->cur_addr;
    bool high = k->flipflop;
    k->flipflop = !k->flipflop;
    return (uint8_t)(high ? v >> 8 : v);
}

static void write_addr_count(struct dma_ctrl *k, int reg, uint8_t v)
{
    struct dma_chan *c = &k->ch[reg >> 1];
    uint16_t *base = (reg & 1) ? &c->base_count : &c->base_addr;
    uint16_t *cur = (reg & 1) ? &c->cur_count : &c->cur_addr;
    if (k->flipflop) {
        *base = (uint16_t)((*base & 0x00FF) | v << 8);
        *cur = (uint16_t)((*cur & 0x00FF) | v << 8);
    } else {
        *base = (uint16_t)((*base & 0xFF00) | v);
        *cur = (uint16_t)((*cur & 0xFF00) | v);
    }
    k->flipflop = !k->flipflop;
}

static uint8_t ctrl_read(struct dma *d, int which, int reg)
{
    struct dma_ctrl *k = &d->ctrl[which];
    if (reg < 8)
        return read_addr_count(k, reg);
    switch (reg) {
    case REG_STATUS: {
        uint8_t v = (uint8_t)(k->tc | k->request << 4);
        k->tc = 0;                    /* TC bits clear when read */
        return v;
    }
    case REG_MASTER_CLEAR:
        return 0;                     /* temporary register (memory-to-memory only) */
    case REG_ALL_MASK:
        return (uint8_t)(0xF0 | k->mask);
    }
    return 0xFF;                      /* write-only registers */
}

static void ctrl_write(struct dma *d, int which, int reg, uint8_t v)
{
    struct dma_ctrl *k = &d->ctrl[which];
    int n = v & 3;
    if (reg < 8) {
        write_addr_count(k, reg, v);
        return;
    }
    switch (reg) {
    case REG_STATUS:
        k->command = v;
        break;
    case REG_REQUEST:
        if (v & 4) {
            k->request |= (uint8_t)(1 << n);
            software_request(d, which * 4 + n);
        } else {
            k->request &= (uint8_t)~(1 << n);
        }
        break;
    case REG_SINGLE_MASK:
        if (v & 4)
            k->mask |= (uint8_t)(1 << n);
        else
            k->mask &= (uint8_t)~(1 << n);
        break;
    case REG_MODE:
        k->ch[n].mode = v & 0xFC;
        break;
    case REG_CLEAR_FF:
        k->flipflop = false;
        break;
    case REG_MASTER_CLEAR:
        master_clear(k);
        break;
    case REG_CLEAR_MASK:
        k->mask = 0;
        break;
    case REG_ALL_MASK:
        k->mask = v & 0x0F;
        break;
    }
}

/* Port -> (controller, register), or -1 for the unused odd ports of the
 * 16-bit controller. */
static int decode(uint32_t port, int *which)
{
    if (port < 0x10) {
        *which = 0;
        return (int)port;
    }
    *which = 1;
    return (port & 1) ? -1 : (int)((port - 0xC0) >> 1);
}

static uint8_t port_read8(struct dma *d, uint32_t port)
{
    if (port >= PAGE_PORT && port < PAGE_PORT + 16)
        return d->page[port - PAGE_PORT];
    int which, reg = decode(port, &which);
    return reg < 0 ? 0xFF : ctrl_read(d, which, reg);
}

static void port_write8(struct dma *d, uint32_t port, uint8_t v)
{
    if (port >= PAGE_PORT && port < PAGE_PORT + 16) {
        d->page[port - PAGE_PORT] = v;
        return;
    }
    int which, reg = decode(port, &which);
    if (reg >= 0)
        ctrl_write(d, which, reg, v);
}

/* The 8237A and the page registers are 8-bit ISA devices: a wider access
 * becomes consecutive byte accesses, as the bus converts it. */
static bool ours(uint32_t port)
{
    return port < 0x10 || (port >= 0x81 && port <= 0x8F) || (port >= 0xC0 && port <= 0xDF);
}

static uint32_t dma_read(void *opaque, uint32_t port, int size)
{
    uint32_t v = 0;
    for (int k = 0; k < size; k++) {
        uint32_t p = port + (uint32_t)k;
        uint32_t b = ours(p) ? port_read8(opaque, p) : 0xFF;
        v |= b << (8 * k);
    }
    return v;
}

static void dma_write(void *opaque, uint32_t port, int size, uint32_t value)
{
    for (int k = 0; k < size; k++) {
        uint32_t p = port + (uint32_t)k;
        if (ours(p))
            port_write8(opaque, p, (uint8_t)(value >> (8 * k)));
    }
}

void dma_reset(struct dma *d)
{
    memset(d->ctrl, 0, sizeof d->ctrl);
    memset(d->page, 0, sizeof d->page);
    master_clear(&d->ctrl[0]);
    master_clear(&d->ctrl[1]);
}

int dma_init(struct dma *d, struct bus *b)
{
    memset(d, 0, sizeof *d);
    d->bus = b;
    dma_reset(d);
    /* 0x80 is the POST code port, left to whoever shows POST codes. */
    if (bus_add_ports(b, 0x00, 0x10, dma_read, dma_write, d) < 0 ||
        bus_add_ports(b, 0x81, 0x0F, dma_read, dma_write, d) < 0 ||
        bus_add_ports(b, 0xC0, 0x20, dma_read, dma_write, d) < 0)
        return -1;
    return 0;
}
