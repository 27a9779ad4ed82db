/* vga_mem.c -- the CPU's view of the four planes through the 0xA0000 window:
 * map select, chain 4, odd/even, latches, write modes 0-3, read modes 0-1;
 * every plane offset is masked to 16 bits.  With VBE on: the bank. */
#include "vga.h"

static uint8_t *plane(struct vga *v, int p)
{
    return v->vram + (uint32_t)(p & 3) * VGA_PLANE_SIZE;
}

/* Offset inside the window selected by the graphics controller's memory
 * map field (misc register bits 2-3), or -1 when it falls outside. */
static int32_t window_offset(const struct vga *v, uint32_t offset)
{
    switch ((v->gc[6] >> 2) & 3) {
    case 0: return (int32_t)(offset & 0x1FFFF);
    case 1: return offset < 0x10000 ? (int32_t)offset : -1;
    case 2: return offset - 0x10000 < 0x8000 ? (int32_t)(offset - 0x10000) : -1;
    default: return offset - 0x18000 < 0x8000 ? (int32_t)(offset - 0x18000) : -1;
    }
}

static bool chain4(const struct vga *v)
{
    return v->seq[4] & 0x08;
}

static void load_latches(struct vga *v, uint32_t off)
{
    for (int p = 0; p < 4; p++)
        v->latch[p] = plane(v, p)[off & 0xFFFF];
}

/* Read mode 1: a bit is set where every plane not masked out by colour
 * don't care matches the colour compare register. */
static uint8_t color_compare(const struct vga *v)
{
    uint8_t diff = 0;
    for (int p = 0; p < 4; p++) {
        if (!(v->gc[7] & (1 << p)))
            continue;
        uint8_t want = (v->gc[2] & (1 << p)) ? 0xFF : 0x00;
        diff |= v->latch[p] ^ want;
    }
    return (uint8_t)~diff;
}

static uint8_t vbe_window_readb(struct vga *v, uint32_t offset)
{
    if (offset >= 0x10000)
        return 0xFF;
    uint32_t addr = vbe_bank_base(v) + offset;
    return addr < VGA_VRAM_SIZE ? v->vram[addr] : 0xFF;
}

uint8_t vga_mem_readb(struct vga *v, uint32_t offset)
{
    if (vbe_banked(v))
        return vbe_window_readb(v, offset);
    int32_t o = window_offset(v, offset);
    if (o < 0)
        return 0xFF;
    uint32_t off = (uint32_t)o;
    int p;
    if (chain4(v)) {
        p = off & 3;
        off &= ~3u;
    } else if (v->gc[5] & 0x10) {      /* host odd/even */
        p = (v->gc[4] & 2) | (off & 1);
        off &= ~1u;
    } else {
        p = v->gc[4] & 3;
    }
    off &= 0xFFFF;
    load_latches(v, off);
    if (v->gc[5] & 0x08)
        return color_compare(v);
    return v->latch[p];
}

static uint8_t rotate(uint8_t value, int count)
{
    count &= 7;
    return (uint8_t)((value >> count) | (value << (8 - count)));
}

static uint8_t logical_op(const struct vga *v, uint8_t value, uint8_t latch)
{
    switch ((v->gc[3] >> 3) & 3) {
    case 1: return value & latch;
    case 2: return value | latch;
    case 3: return value ^ latch;
    default: return value;
    }
}

/* What the graphics controller writes to plane p for CPU data `data`. */
static uint8_t plane_value(const struct vga *v, int p, uint8_t data)
{
    uint8_t latch = v->latch[p];
    uint8_t set_reset = (v->gc[0] & (1 << p)) ? 0xFF : 0x00;
    uint8_t mask = v->gc[8];
    uint8_t value;
    switch (v->gc[5] & 3) {
    case 0:
        value = (v->gc[1] & (1 << p)) ? set_reset : rotate(data, v->gc[3]);
        value = logical_op(v, value, latch);
        break;
    case 1:
        return latch;
    case 2:
        value = logical_op(v, (data & (1 << p)) ? 0xFF : 0x00, latch);
        break;
    default:
        mask &= rotate(data, v->gc[3]);
        value = logical_op(v, set_reset, latch);
        break;
    }
    return (uint8_t)((value & mask) | (latch & ~mask));
}

static void vbe_window_writeb(struct vga *v, uint32_t offset, uint8_t value)
{
    if (offset >= 0x10000)
        return;
    uint32_t addr = vbe_bank_base(v) + offset;
    if (addr < VGA_VRAM_SIZE)
        v->vram[addr] = value;
}

void vga_mem_writeb(struct vga *v, uint32_t offset, uint8_t value)
{
    if (vbe_banked(v)) {
        vbe_window_writeb(v, offset, value);
        return;
    }
    int32_t o = window_offset(v, offset);
    if (o < 0)
        return;
    uint32_t off = (uint32_t)o;
    uint8_t planes = v->seq[2] & 0x0F;     /* map mask */
    if (chain4(v)) {
        planes &= (uint8_t)(1 << (off & 3));
        off &= ~3u;
    } else if (!(v->seq[4] & 0x04)) {      /* odd/even: A0 picks the planes */
        planes &= (off & 1) ? 0x0A : 0x05;
        off &= ~1u;
    }
    off &= 0xFFFF;
    for (int p = 0; p < 4; p++)
        if (planes & (1 << p))
            plane(v, p)[off] = plane_value(v, p, value);
}
