/* vga.c -- the VGA's registers (misc, sequencer, CRTC, graphics and
 * attribute controllers, DAC, input status with retrace on the virtual
 * clock), bus wiring, reset and teardown. */
#include "vga.h"

#include <stdlib.h>
#include <string.h>

#include "machine/bus.h"
#include "machine/clock.h"

/* Register counts: indexes past these read 0xFF and ignore writes. */
enum { SEQ_REGS = 5, CRTC_REGS = 0x19, GC_REGS = 9, AC_REGS = 0x15 };

/* 80x25 colour text (BIOS mode 3), the state the video BIOS leaves. */
static const uint8_t mode3_seq[SEQ_REGS] = { 0x03, 0x00, 0x03, 0x00, 0x02 };
static const uint8_t mode3_crtc[CRTC_REGS] = {
    0x5F, 0x4F, 0x50, 0x82, 0x55, 0x81, 0xBF, 0x1F, 0x00, 0x4F, 0x0D, 0x0E,
    0x00, 0x00, 0x00, 0x00, 0x9C, 0x8E, 0x8F, 0x28, 0x1F, 0x96, 0xB9, 0xA3, 0xFF,
};
static const uint8_t mode3_gc[GC_REGS] = {
    0x00, 0x00, 0x00, 0x00, 0x00, 0x10, 0x0E, 0x00, 0xFF,
};
static const uint8_t mode3_ac[AC_REGS] = {
    0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x14, 0x07, 0x38, 0x39, 0x3A, 0x3B,
    0x3C, 0x3D, 0x3E, 0x3F, 0x0C, 0x00, 0x0F, 0x08, 0x00,
};

static bool mono(const struct vga *v)
{
    return !(v->misc & 1);
}

/* The EGA's 64 colours, rgbRGB: primary bits give 2/3, secondary 1/3. */
static void load_ega_palette(struct vga *v)
{
    for (int k = 0; k < 64; k++) {
        v->dac[k][0] = (uint8_t)(((k >> 2) & 1) * 0x2A + ((k >> 5) & 1) * 0x15);
        v->dac[k][1] = (uint8_t)(((k >> 1) & 1) * 0x2A + ((k >> 4) & 1) * 0x15);
        v->dac[k][2] = (uint8_t)((k & 1) * 0x2A + ((k >> 3) & 1) * 0x15);
    }
}

/* The font into character map 0 of plane 2 (32 bytes per glyph). */
static void load_font(struct vga *v)
{
    uint8_t *plane2 = v->vram + 2 * VGA_PLANE_SIZE;
    for (int ch = 0; ch < 256; ch++)
        memcpy(plane2 + ch * 32, vga_font_8x16 + ch * 16, 16);
}

void vga_reset(struct vga *v)
{
    memset(v->vram, 0, 4 * VGA_PLANE_SIZE);
    v->misc = 0x67;
    v->feature = 0;
    v->seq_index = v->crtc_index = v->gc_index = 0;
    memset(v->seq, 0xFF, sizeof v->seq);
    memset(v->crtc, 0xFF, sizeof v->crtc);
    memset(v->gc, 0xFF, sizeof v->gc);
    memset(v->ac, 0xFF, sizeof v->ac);
    memcpy(v->seq, mode3_seq, sizeof mode3_seq);
    memcpy(v->crtc, mode3_crtc, sizeof mode3_crtc);
    memcpy(v->gc, mode3_gc, sizeof mode3_gc);
    memcpy(v->ac, mode3_ac, sizeof mode3_ac);
    v->ac_index = 0x20;                /* palette address source: video on */
    v->ac_data_next = false;
    v->dac_mask = 0xFF;
    v->dac_read_index = v->dac_write_index = v->dac_comp = 0;
    v->dac_reading = false;
    memset(v->dac_latch, 0, sizeof v->dac_latch);
    memset(v->dac, 0, sizeof v->dac);
    load_ega_palette(v);
    memset(v->latch, 0, sizeof v->latch);
    load_font(v);
    vbe_reset(v);
    v->generation++;
}

/* ---- display timing ---- */

uint32_t vga_crtc_vertical(const struct vga *v, int reg, int bit8, int bit9)
{
    uint8_t ov = v->crtc[7];
    uint32_t high9 = bit9 < 0 ? (v->crtc[9] >> 6) & 1u : (ov >> bit9) & 1u;
    return v->crtc[reg] | ((ov >> bit8) & 1u) << 8 | high9 << 9;
}

static void vbe_timing(const struct vga *v, struct vga_timing *t)
{
    uint32_t y = v->vbe[VBE_INDEX_YRES] ? v->vbe[VBE_INDEX_YRES] : 1;
    t->display = y;
    t->total = y + y / 20 + 8;         /* a CVT-like vertical blank */
    t->retrace_start = y + 2;
    t->retrace_end = y + 5;
    t->line_ns = 1000000000u / 60 / t->total;
    t->hdisplay_permille = 800;
}

/* Lines and line length from the CRTC, as a monitor would see them; out of
 * range values fall back to the 70 Hz text timing so that polling loops
 * always see retraces come and go. */
void vga_timing(const struct vga *v, struct vga_timing *t)
{
    if (vbe_enabled(v)) {
        vbe_timing(v, t);
        return;
    }
    uint32_t total = vga_crtc_vertical(v, 6, 0, 5) + 2;
    uint32_t vde = vga_crtc_vertical(v, 0x12, 1, 6) + 1;
    uint32_t vrs = vga_crtc_vertical(v, 0x10, 2, 7);
    uint32_t vre = (vrs & ~0xFu) | (v->crtc[0x11] & 0xFu);
    if (vre <= vrs)
        vre += 16;
    if (vde >= total || vrs >= total || vrs < vde) {
        total = 449, vde = 400, vrs = 412, vre = 414;
    }
    if (vre > total)
        vre = total;
    uint32_t htotal = v->crtc[0] + 5u;
    uint32_t hde = v->crtc[1] + 1u;
    uint32_t dots = (v->seq[1] & 1) ? 8 : 9;
    uint64_t clock_hz = (v->misc & 0x0C) == 0x04 ? 28322000 : 25175000;
    if (v->seq[1] & 0x08)
        clock_hz /= 2;
    t->line_ns = (uint64_t)htotal * dots * 1000000000u / clock_hz;
    if (t->line_ns == 0)
        t->line_ns = 1;
    t->total = total;
    t->display = vde;
    t->retrace_start = vrs;
    t->retrace_end = vre;
    t->hdisplay_permille = hde >= htotal ? 900 : hde * 1000 / htotal;
}

/* Input status 1: bit 0 display disabled (any blanking), bit 3 vertical
 * retrace, both following the virtual clock. */
static uint8_t input_status1(const struct vga *v)
{
    struct vga_timing t;
    vga_timing(v, &t);
    uint64_t now = vclock_now(v->clock);
    uint64_t frame_ns = t.line_ns * t.total;
    uint64_t in_frame = now % frame_ns;
    uint32_t line = (uint32_t)(in_frame / t.line_ns);
    uint64_t in_line = in_frame % t.line_ns;
    uint8_t st = 0;
    if (line >= t.display || in_line * 1000 >= t.line_ns * t.hdisplay_permille)
        st |= 0x01;
    if (line >= t.retrace_start && line < t.retrace_end)
        st |= 0x08;
    return st;
}

/* ---- register groups ---- */

static void crtc_write(struct vga *v, uint8_t value)
{
    uint8_t i = v->crtc_index;
    if (i >= CRTC_REGS)
        return;
    /* CRTC protect (0x11 bit 7) locks 0-7, except 7's line compare bit. */
    if ((v->crtc[0x11] & 0x80) && i <= 7) {
        if (i == 7)
            v->crtc[7] = (uint8_t)((v->crtc[7] & ~0x10) | (value & 0x10));
        return;
    }
    v->crtc[i] = value;
}

static void ac_write(struct vga *v, uint8_t value)
{
    if (!v->ac_data_next) {
        v->ac_index = value & 0x3F;
        v->ac_data_next = true;
        return;
    }
    v->ac_data_next = false;
    uint8_t i = v->ac_index & 0x1F;
    static const uint8_t mask[AC_REGS] = {
        0x3F, 0x3F, 0x3F, 0x3F, 0x3F, 0x3F, 0x3F, 0x3F, 0x3F, 0x3F, 0x3F,
        0x3F, 0x3F, 0x3F, 0x3F, 0x3F, 0xFF, 0xFF, 0x3F, 0x0F, 0x0F,
    };
    if (i < AC_REGS)
        v->ac[i] = value & mask[i];
}

static void dac_write_data(struct vga *v, uint8_t value)
{
    bool wide = v->vbe[VBE_INDEX_ENABLE] & VBE_8BIT_DAC;
    v->dac_latch[v->dac_comp] = wide ? value : (value & 0x3F);
    if (++v->dac_comp == 3) {
        memcpy(v->dac[v->dac_write_index], v->dac_latch, 3);
        v->dac_write_index++;
        v->dac_comp = 0;
    }
}

static uint8_t dac_read_data(struct vga *v)
{
    uint8_t value = v->dac[v->dac_read_index][v->dac_comp];
    if (++v->dac_comp == 3) {
        v->dac_read_index++;
        v->dac_comp = 0;
    }
    return value;
}

/* Ports that exist only at the mono (0x3Bx) or colour (0x3Dx) address,
 * chosen by misc bit 0; the other set is not decoded. */
static bool decoded(const struct vga *v, uint32_t port)
{
    if (port >= 0x3B0 && port <= 0x3BF)
        return mono(v);
    if (port >= 0x3D0 && port <= 0x3DF)
        return !mono(v);
    return true;
}

static uint8_t port_readb(struct vga *v, uint32_t port)
{
    if (!decoded(v, port))
        return 0xFF;
    switch (port) {
    case 0x3C0: return v->ac_index;
    case 0x3C1: return (v->ac_index & 0x1F) < AC_REGS ? v->ac[v->ac_index & 0x1F] : 0xFF;
    case 0x3C2: return 0x00;          /* input status 0: no CRT interrupt */
    case 0x3C4: return v->seq_index;
    case 0x3C5: return v->seq[v->seq_index];
    case 0x3C6: return v->dac_mask;
    case 0x3C7: return v->dac_reading ? 0x03 : 0x00;
    case 0x3C8: return v->dac_write_index;
    case 0x3C9: return dac_read_data(v);
    case 0x3CA: return v->feature;
    case 0x3CC: return v->misc;
    case 0x3CE: return v->gc_index;
    case 0x3CF: return v->gc[v->gc_index];
    case 0x3B4: case 0x3D4: return v->crtc_index;
    case 0x3B5: case 0x3D5: return v->crtc[v->crtc_index];
    case 0x3BA: case 0x3DA:
        v->ac_data_next = false;       /* reading input status 1 resets the flip-flop */
        return input_status1(v);
    }
    return 0xFF;
}

static void port_writeb(struct vga *v, uint32_t port, uint8_t value)
{
    if (!decoded(v, port))
        return;
    switch (port) {
    case 0x3C0: ac_write(v, value); break;
    case 0x3C2: v->misc = value; break;
    case 0x3C4: v->seq_index = value & 7; break;
    case 0x3C5:
        if (v->seq_index < SEQ_REGS)
            v->seq[v->seq_index] = value;
        break;
    case 0x3C6: v->dac_mask = value; break;
    case 0x3C7:
        v->dac_read_index = value;
        v->dac_comp = 0;
        v->dac_reading = true;
        break;
    case 0x3C8:
        v->dac_write_index = value;
        v->dac_comp = 0;
        v->dac_reading = false;
        break;
    case 0x3C9: dac_write_data(v, value); break;
    case 0x3CE: v->gc_index = value & 0x0F; break;
    case 0x3CF:
        if (v->gc_index < GC_REGS)
            v->gc[v->gc_index] = value;
        break;
    case 0x3B4: case 0x3D4: v->crtc_index = value & 0x3F; break;
    case 0x3B5: case 0x3D5: crtc_write(v, value); break;
    case 0x3BA: case 0x3DA: v->feature = value; break;
    default: return;
    }
    v->generation++;
}

/* Word and dword accesses are byte accesses to consecutive ports (out dx,
 * ax to 0x3C4 writes the index and then the data register). */
static uint32_t vga_port_read(void *opaque, uint32_t port, int size)
{
    struct vga *v = opaque;
    uint32_t value = 0;
    for (int k = 0; k < size; k++)
        value |= (uint32_t)port_readb(v, port + (uint32_t)k) << (8 * k);
    return value;
}

static void vga_port_write(void *opaque, uint32_t port, int size, uint32_t value)
{
    struct vga *v = opaque;
    for (int k = 0; k < size; k++)
        port_writeb(v, port + (uint32_t)k, (uint8_t)(value >> (8 * k)));
}

/* The legacy window, split into bytes: each goes through the planes. */
static uint32_t window_read(void *opaque, uint32_t offset, int size)
{
    struct vga *v = opaque;
    uint32_t value = 0;
    for (int k = 0; k < size; k++)
        value |= (uint32_t)vga_mem_readb(v, offset + (uint32_t)k) << (8 * k);
    return value;
}

static void window_write(void *opaque, uint32_t offset, int size, uint32_t value)
{
    struct vga *v = opaque;
    for (int k = 0; k < size; k++)
        vga_mem_writeb(v, offset + (uint32_t)k, (uint8_t)(value >> (8 * k)));
    v->generation++;
}

int vga_init(struct vga *v, struct bus *b, struct vclock *k)
{
    memset(v, 0, sizeof *v);
    v->clock = k;
    v->vram = calloc(VGA_VRAM_SIZE, 1);
    if (!v->vram)
        return -1;
    if (bus_add_ports(b, 0x3B4, 7, vga_port_read, vga_port_write, v) < 0 ||
        bus_add_ports(b, 0x3C0, 0x1B, vga_port_read, vga_port_write, v) < 0 ||
        bus_add_ports(b, 0x1CE, 2, vbe_port_read, vbe_port_write, v) < 0 ||
        bus_add_mmio(b, VGA_WINDOW_BASE, VGA_WINDOW_SIZE, window_read, window_write, v) < 0 ||
        bus_add_mmio(b, VGA_LFB_BASE, VGA_VRAM_SIZE, vbe_lfb_read, vbe_lfb_write, v) < 0) {
        vga_free(v);
        return -1;
    }
    vga_reset(v);
    return 0;
}

void vga_free(struct vga *v)
{
    free(v->vram);
    v->vram = NULL;
}

/* Blinking is part of the picture: the generation also counts blink
 * ticks (a fixed clock, so the sum never goes backwards). */

uint64_t vga_generation(const struct vga *v)
{
    return v->generation + vclock_now(v->clock) / VGA_BLINK_TICK_NS;
}
