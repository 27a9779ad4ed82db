/* vbe.c -- the Bochs VBE (dispi) extension: ports 0x1CE/0x1CF, the linear
 * framebuffer and the banked window.  Modes and offsets that do not fit
 * in video memory are refused, as Bochs does. */
#include "vga.h"

#include <string.h>

bool vbe_enabled(const struct vga *v)
{
    return v->vbe[VBE_INDEX_ENABLE] & VBE_ENABLED;
}

uint32_t vbe_bytes_per_pixel(const struct vga *v)
{
    return (v->vbe[VBE_INDEX_BPP] + 7u) / 8;
}

bool vbe_banked(const struct vga *v)
{
    return vbe_enabled(v);
}

uint32_t vbe_bank_base(const struct vga *v)
{
    return (uint32_t)v->vbe[VBE_INDEX_BANK] << 16;
}

void vbe_reset(struct vga *v)
{
    memset(v->vbe, 0, sizeof v->vbe);
    v->vbe_index = 0;
    v->vbe[VBE_INDEX_ID] = VBE_ID0;
    v->vbe[VBE_INDEX_XRES] = 640;
    v->vbe[VBE_INDEX_YRES] = 480;
    v->vbe[VBE_INDEX_BPP] = 8;
    v->vbe[VBE_INDEX_VIDEO_MEMORY_64K] = VGA_VRAM_SIZE >> 16;
    v->vbe_line_offset = 0;
    v->vbe_start = 0;
}

static bool valid_bpp(uint32_t bpp)
{
    return bpp == 8 || bpp == 15 || bpp == 16 || bpp == 24 || bpp == 32;
}

/* The visible screen from (x, y) of a virtual screen line_offset wide. */
static bool fits(const struct vga *v, uint32_t line_offset, uint32_t x, uint32_t y)
{
    uint64_t bpp = vbe_bytes_per_pixel(v);
    uint64_t xres = v->vbe[VBE_INDEX_XRES], yres = v->vbe[VBE_INDEX_YRES];
    uint64_t start = (uint64_t)y * line_offset + x * bpp;
    if ((uint64_t)x * bpp + xres * bpp > line_offset)
        return false;
    return start + (yres - 1) * line_offset + xres * bpp <= VGA_VRAM_SIZE;
}

static void set_virtual_width(struct vga *v, uint32_t width)
{
    uint32_t line_offset = width * vbe_bytes_per_pixel(v);
    if (width < v->vbe[VBE_INDEX_XRES] || !fits(v, line_offset, 0, 0))
        return;
    v->vbe_line_offset = line_offset;
    v->vbe[VBE_INDEX_VIRT_WIDTH] = (uint16_t)width;
    uint32_t height = VGA_VRAM_SIZE / line_offset;
    v->vbe[VBE_INDEX_VIRT_HEIGHT] = (uint16_t)(height > 0xFFFF ? 0xFFFF : height);
    v->vbe[VBE_INDEX_X_OFFSET] = v->vbe[VBE_INDEX_Y_OFFSET] = 0;
    v->vbe_start = 0;
}

static void set_offset(struct vga *v, int index, uint16_t value)
{
    uint32_t x = index == VBE_INDEX_X_OFFSET ? value : v->vbe[VBE_INDEX_X_OFFSET];
    uint32_t y = index == VBE_INDEX_Y_OFFSET ? value : v->vbe[VBE_INDEX_Y_OFFSET];
    if (vbe_enabled(v) && !fits(v, v->vbe_line_offset, x, y))
        return;
    v->vbe[index] = value;
    v->vbe_start = y * v->vbe_line_offset + x * vbe_bytes_per_pixel(v);
}

/* A mode set: refused unless it fits in video memory.  Like Bochs and
 * QEMU it also puts the VGA side in graphics mode with the 64 KiB window
 * at 0xA0000, where the banks appear. */
static void enable(struct vga *v, uint16_t value)
{
    uint32_t xres = v->vbe[VBE_INDEX_XRES], yres = v->vbe[VBE_INDEX_YRES];
    uint32_t bpp = vbe_bytes_per_pixel(v);
    if (!(value & VBE_ENABLED)) {
        v->vbe[VBE_INDEX_ENABLE] = value;
        return;
    }
    if (vbe_enabled(v)) {              /* only the flag bits change */
        v->vbe[VBE_INDEX_ENABLE] = value;
        return;
    }
    if (xres == 0 || yres == 0 || (uint64_t)xres * yres * bpp > VGA_VRAM_SIZE)
        return;
    v->vbe[VBE_INDEX_ENABLE] = value;
    v->vbe[VBE_INDEX_BANK] = 0;
    v->vbe_line_offset = 0;
    set_virtual_width(v, xres);
    if (!(value & VBE_NOCLEARMEM))          /* the screen, as QEMU clears it */
        memset(v->vram, 0, (size_t)yres * v->vbe_line_offset);
    v->gc[6] = (uint8_t)((v->gc[6] & ~0x0C) | 0x05);
    v->seq[4] |= 0x08;
}

static void vbe_write(struct vga *v, uint16_t value)
{
    int i = v->vbe_index;
    switch (i) {
    case VBE_INDEX_ID:
        if (value >= VBE_ID0 && value <= VBE_ID5)
            v->vbe[i] = value;
        break;
    case VBE_INDEX_XRES:
    case VBE_INDEX_YRES:
    case VBE_INDEX_BPP:
        if (vbe_enabled(v))
            break;                     /* as Bochs: no changes while enabled */
        if (i == VBE_INDEX_BPP && value == 0)
            value = 8;
        if ((i == VBE_INDEX_XRES && value <= VBE_MAX_XRES) ||
            (i == VBE_INDEX_YRES && value <= VBE_MAX_YRES) ||
            (i == VBE_INDEX_BPP && valid_bpp(value)))
            v->vbe[i] = value;
        break;
    case VBE_INDEX_ENABLE:
        enable(v, value);
        break;
    case VBE_INDEX_BANK:
        if (value < (VGA_VRAM_SIZE >> 16))
            v->vbe[i] = value;
        break;
    case VBE_INDEX_VIRT_WIDTH:
        if (vbe_enabled(v))
            set_virtual_width(v, value);
        else
            v->vbe[i] = value;
        break;
    case VBE_INDEX_X_OFFSET:
    case VBE_INDEX_Y_OFFSET:
        set_offset(v, i, value);
        break;
    default:                           /* VIRT_HEIGHT, memory size: read-only */
        break;
    }
}

static uint16_t vbe_read(const struct vga *v)
{
    int i = v->vbe_index;
    if (i >= VBE_NUM_REGS)
        return 0;
    if (v->vbe[VBE_INDEX_ENABLE] & VBE_GETCAPS) {
        if (i == VBE_INDEX_XRES)
            return VBE_MAX_XRES;
        if (i == VBE_INDEX_YRES)
            return VBE_MAX_YRES;
        if (i == VBE_INDEX_BPP)
            return VBE_MAX_BPP;
    }
    return v->vbe[i];
}

/* 0x1CE is the index, 0x1CF the data; both are 16-bit registers (a byte
 * access reads or writes the low byte as the whole value). */
uint32_t vbe_port_read(void *opaque, uint32_t port, int size)
{
    struct vga *v = opaque;
    uint16_t value = port == 0x1CE ? v->vbe_index : vbe_read(v);
    return size == 1 ? (value & 0xFFu) : value;
}

void vbe_port_write(void *opaque, uint32_t port, int size, uint32_t value)
{
    struct vga *v = opaque;
    uint16_t value16 = (uint16_t)(size == 1 ? (value & 0xFF) : (value & 0xFFFF));
    if (port == 0x1CE)
        v->vbe_index = value16;
    else
        vbe_write(v, value16);
    v->generation++;
}

/* The linear framebuffer: all of video memory, always decoded. */
uint32_t vbe_lfb_read(void *opaque, uint32_t offset, int size)
{
    struct vga *v = opaque;
    uint32_t value = 0;
    if (offset < VGA_VRAM_SIZE && (uint32_t)size <= VGA_VRAM_SIZE - offset)
        memcpy(&value, v->vram + offset, (size_t)size);
    return value;
}

void vbe_lfb_write(void *opaque, uint32_t offset, int size, uint32_t value)
{
    struct vga *v = opaque;
    if (offset < VGA_VRAM_SIZE && (uint32_t)size <= VGA_VRAM_SIZE - offset) {
        memcpy(v->vram + offset, &value, (size_t)size);
        v->generation++;
    }
}
