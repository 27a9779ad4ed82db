/* test_vga.c -- the VGA and VBE driven through their port and MMIO callbacks
 * on a bus with a deterministic clock: text cells, cursor, rendered pixels,
 * write/read modes, retrace, and hostile values (run it under ASan). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "devices/vga.h"
#include "machine/bus.h"
#include "machine/clock.h"
#include "tests/unit/check.h"

struct rig {
    struct bus bus;
    struct vclock clock;
    uint64_t insns;                   /* the clock's source: 10 ns each */
    struct vga v;
};

enum { MAX_W = 2560, MAX_H = 1600 };
static uint32_t pixels[MAX_W * MAX_H];

static void rig_init(struct rig *r)
{
    memset(r, 0, sizeof *r);
    if (bus_init(&r->bus, 1 << 20) < 0 || (vclock_init(&r->clock, true, &r->insns), 0) ||
        vga_init(&r->v, &r->bus, &r->clock) < 0) {
        perror("rig_init");
        exit(2);
    }
}

static void rig_free(struct rig *r)
{
    vga_free(&r->v);
    bus_free(&r->bus);
}

static void at_ns(struct rig *r, uint64_t ns) { r->insns = (ns + 9) / 10; }

static void outb(struct rig *r, uint16_t port, uint8_t v) { bus_io_write(&r->bus, port, 1, v); }
static uint8_t inb(struct rig *r, uint16_t port) { return (uint8_t)bus_io_read(&r->bus, port, 1); }
static void outw(struct rig *r, uint16_t port, uint16_t v) { bus_io_write(&r->bus, port, 2, v); }
static uint16_t inw(struct rig *r, uint16_t port) { return (uint16_t)bus_io_read(&r->bus, port, 2); }
static void wrb(struct rig *r, uint32_t a, uint8_t v) { bus_mem_write(&r->bus, a, 1, v); }
static uint8_t rdb(struct rig *r, uint32_t a) { return (uint8_t)bus_mem_read(&r->bus, a, 1); }
static void wrd(struct rig *r, uint32_t a, uint32_t v) { bus_mem_write(&r->bus, a, 4, v); }
static uint32_t rdd(struct rig *r, uint32_t a) { return bus_mem_read(&r->bus, a, 4); }

static void seq(struct rig *r, uint8_t i, uint8_t v) { outb(r, 0x3C4, i); outb(r, 0x3C5, v); }
static void gc(struct rig *r, uint8_t i, uint8_t v) { outb(r, 0x3CE, i); outb(r, 0x3CF, v); }
static void crtc(struct rig *r, uint8_t i, uint8_t v) { outb(r, 0x3D4, i); outb(r, 0x3D5, v); }
static uint8_t crtc_rd(struct rig *r, uint8_t i) { outb(r, 0x3D4, i); return inb(r, 0x3D5); }
static void ac(struct rig *r, uint8_t i, uint8_t v)
{
    inb(r, 0x3DA);
    outb(r, 0x3C0, i);
    outb(r, 0x3C0, v);
}
static void dac(struct rig *r, uint8_t i, uint8_t red, uint8_t green, uint8_t blue)
{
    outb(r, 0x3C8, i);
    outb(r, 0x3C9, red);
    outb(r, 0x3C9, green);
    outb(r, 0x3C9, blue);
}
static void vbe(struct rig *r, uint16_t i, uint16_t v) { outw(r, 0x1CE, i); outw(r, 0x1CF, v); }
static uint16_t vbe_rd(struct rig *r, uint16_t i) { outw(r, 0x1CE, i); return inw(r, 0x1CF); }

/* A mode as the BIOS would program it: misc, sequencer, CRTC, GC, AC. */
struct mode_regs {
    uint8_t misc, seq[5], crtc[25], gc[9], ac[21];
};

static const struct mode_regs mode13 = {
    0x63, { 0x03, 0x01, 0x0F, 0x00, 0x0E },
    { 0x5F, 0x4F, 0x50, 0x82, 0x54, 0x80, 0xBF, 0x1F, 0x00, 0x41, 0x00, 0x00, 0x00,
      0x00, 0x00, 0x00, 0x9C, 0x0E, 0x8F, 0x28, 0x40, 0x96, 0xB9, 0xA3, 0xFF },
    { 0x00, 0x00, 0x00, 0x00, 0x00, 0x40, 0x05, 0x0F, 0xFF },
    { 0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0A, 0x0B, 0x0C,
      0x0D, 0x0E, 0x0F, 0x41, 0x00, 0x0F, 0x00, 0x00 },
};

static const struct mode_regs mode12 = {
    0xE3, { 0x03, 0x01, 0x0F, 0x00, 0x06 },
    { 0x5F, 0x4F, 0x50, 0x82, 0x54, 0x80, 0x0B, 0x3E, 0x00, 0x40, 0x00, 0x00, 0x00,
      0x00, 0x00, 0x00, 0xEA, 0x8C, 0xDF, 0x28, 0x00, 0xE7, 0x04, 0xE3, 0xFF },
    { 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x05, 0x0F, 0xFF },
    { 0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x14, 0x07, 0x38, 0x39, 0x3A, 0x3B, 0x3C,
      0x3D, 0x3E, 0x3F, 0x01, 0x00, 0x0F, 0x00, 0x00 },
};

static const struct mode_regs mode0d = {
    0x63, { 0x03, 0x09, 0x0F, 0x00, 0x06 },
    { 0x2D, 0x27, 0x28, 0x90, 0x2B, 0x80, 0xBF, 0x1F, 0x00, 0xC0, 0x00, 0x00, 0x00,
      0x00, 0x00, 0x00, 0x9C, 0x8E, 0x8F, 0x14, 0x00, 0x96, 0xB9, 0xE3, 0xFF },
    { 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x05, 0x0F, 0xFF },
    { 0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x10, 0x11, 0x12, 0x13, 0x14,
      0x15, 0x16, 0x17, 0x01, 0x00, 0x0F, 0x00, 0x00 },
};

/* CGA 320x200x4 (BIOS mode 4): odd/even at B8000, interleaved scan lines */
static const struct mode_regs mode04 = {
    0x63, { 0x03, 0x09, 0x03, 0x00, 0x02 },
    { 0x2D, 0x27, 0x28, 0x90, 0x2B, 0x80, 0xBF, 0x1F, 0x00, 0xC1, 0x00, 0x00, 0x00,
      0x00, 0x00, 0x00, 0x9C, 0x8E, 0x8F, 0x14, 0x00, 0x96, 0xB9, 0xA2, 0xFF },
    { 0x00, 0x00, 0x00, 0x00, 0x00, 0x30, 0x0F, 0x0F, 0xFF },
    { 0x00, 0x13, 0x15, 0x17, 0x02, 0x04, 0x06, 0x07, 0x10, 0x11, 0x12, 0x13, 0x14,
      0x15, 0x16, 0x17, 0x01, 0x00, 0x03, 0x00, 0x00 },
};

static void set_mode(struct rig *r, const struct mode_regs *m)
{
    outb(r, 0x3C2, m->misc);
    for (uint8_t i = 0; i < 5; i++)
        seq(r, i, m->seq[i]);
    crtc(r, 0x11, m->crtc[0x11] & 0x7F);          /* unlock CRTC 0-7 */
    for (uint8_t i = 0; i < 25; i++)
        crtc(r, i, m->crtc[i]);
    for (uint8_t i = 0; i < 9; i++)
        gc(r, i, m->gc[i]);
    for (uint8_t i = 0; i < 21; i++)
        ac(r, i, m->ac[i]);
    inb(r, 0x3DA);
    outb(r, 0x3C0, 0x20);                          /* video on */
}

static uint32_t ega_rgb(uint8_t c)
{
    uint32_t r = ((c >> 2) & 1) * 0x2A + ((c >> 5) & 1) * 0x15;
    uint32_t g = ((c >> 1) & 1) * 0x2A + ((c >> 4) & 1) * 0x15;
    uint32_t b = (c & 1) * 0x2A + ((c >> 3) & 1) * 0x15;
    r = r << 2 | r >> 4, g = g << 2 | g >> 4, b = b << 2 | b >> 4;
    return r << 16 | g << 8 | b;
}

static int render(struct rig *r, int *w, int *h)
{
    return vga_render(&r->v, pixels, MAX_W, MAX_H, w, h);
}

/* Renders the screen: ok when it is want_w x want_h (the size rendered is
 * shown after the text). */
static void check_render(struct rig *r, int want_w, int want_h, const char *what)
{
    int w = 0, h = 0;
    bool ok = render(r, &w, &h) == 0 && w == want_w && h == want_h;
    check(ok, "%s (%dx%d)", what, w, h);
}

/* ok when the VGA shows a text mode of cols x rows (shown after the text). */
static void check_text_mode(struct rig *r, int want_cols, int want_rows, const char *what)
{
    int cols = 0, rows = 0;
    bool ok = vga_text_mode(&r->v, &cols, &rows) && cols == want_cols && rows == want_rows;
    check(ok, "%s (%dx%d)", what, cols, rows);
}

/* ---- text ---- */

static void test_text(void)
{
    struct rig r;
    rig_init(&r);
    check_text_mode(&r, 80, 25, "reset state is 80x25 text");
    wrb(&r, 0xB8000 + (3 * 80 + 5) * 2, 'A');
    wrb(&r, 0xB8000 + (3 * 80 + 5) * 2 + 1, 0x1E);
    bus_mem_write(&r.bus, 0xB8000 + (3 * 80 + 6) * 2, 2, 0x1EDB);
    check(rdb(&r, 0xB8000 + (3 * 80 + 5) * 2) == 'A' &&
          rdb(&r, 0xB8000 + (3 * 80 + 5) * 2 + 1) == 0x1E, "text bytes read back at B8000");
    check(vga_text_cell(&r.v, 5, 3) == 0x1E41, "vga_text_cell(5, 3) = %04x",
          vga_text_cell(&r.v, 5, 3));
    check(vga_text_cell(&r.v, 6, 3) == 0x1EDB, "a word write makes char and attribute");
    check(vga_text_cell(&r.v, 80, 0) == 0 && vga_text_cell(&r.v, 0, 25) == 0 &&
          vga_text_cell(&r.v, -1, 0) == 0, "cells off the screen are 0");
    /* the planes: character in plane 0, attribute in plane 1 */
    check(r.v.vram[(3 * 80 + 5) * 2] == 'A' && r.v.vram[VGA_PLANE_SIZE + (3 * 80 + 5) * 2] == 0x1E,
          "odd/even puts the character in plane 0 and the attribute in plane 1");

    int col, row;
    bool vis;
    crtc(&r, 0x0E, (uint8_t)((3 * 80 + 5) >> 8));
    crtc(&r, 0x0F, (uint8_t)(3 * 80 + 5));
    vga_cursor(&r.v, &col, &row, &vis);
    check(col == 5 && row == 3 && vis, "cursor at (5, 3) visible");
    /* start address moves the screen and the cursor's place on it */
    crtc(&r, 0x0C, 0);
    crtc(&r, 0x0D, 80);
    vga_cursor(&r.v, &col, &row, &vis);
    check(col == 5 && row == 2 && vis && vga_text_cell(&r.v, 5, 2) == 0x1E41,
          "start address one row down: cell and cursor move up a row");
    crtc(&r, 0x0D, 0);
    crtc(&r, 0x0A, 0x2D);
    vga_cursor(&r.v, &col, &row, &vis);
    check(!vis, "cursor disabled by CRTC 0x0A bit 5");
    crtc(&r, 0x0A, 0x0D);

    int w, h;
    check_render(&r, 720, 400, "text renders 720x400");
    uint32_t fg = ega_rgb(0x3E), bg = ega_rgb(0x01);
    bool glyph_ok = true;
    for (int y = 0; y < 13; y++)            /* rows 13-15 hold the cursor */
        for (int x = 0; x < 9; x++) {
            uint8_t bits = vga_font_8x16['A' * 16 + y];
            uint32_t want = x < 8 && (bits & (0x80 >> x)) ? fg : bg;
            if (pixels[(3 * 16 + y) * 720 + 5 * 9 + x] != want)
                glyph_ok = false;
        }
    check(glyph_ok, "glyph 'A' drawn yellow on blue from the font in plane 2");
    check(pixels[(3 * 16 + 13) * 720 + 5 * 9] == fg && pixels[(3 * 16 + 14) * 720 + 5 * 9 + 7] == fg,
          "cursor lines 13-14 drawn in the foreground");
    check(pixels[(3 * 16) * 720 + 6 * 9 + 8] == fg,
          "9th column repeats the 8th for block 0xDB (line graphics)");
    check(pixels[0] == ega_rgb(0), "empty cell is black");
    /* the cursor blinks */
    at_ns(&r, VGA_BLINK_TICK_NS);
    render(&r, &w, &h);
    bool off = pixels[(3 * 16 + 13) * 720 + 5 * 9] == ((vga_font_8x16['A' * 16 + 13] & 0x80) ? fg : bg);
    check(off, "cursor hidden in the next blink phase");
    /* blinking text: attribute bit 7 hides the glyph in the off phase */
    wrb(&r, 0xB8000 + 1, 0x9E);
    wrb(&r, 0xB8000, 0xDB);
    at_ns(&r, 0);
    render(&r, &w, &h);
    bool on = pixels[0] == fg;
    at_ns(&r, 2 * (uint64_t)VGA_BLINK_TICK_NS);
    render(&r, &w, &h);
    check(on && pixels[0] == bg, "attribute blink: shown, then hidden");
    /* with blink disabled bit 7 is bright background */
    ac(&r, 0x10, 0x04);
    outb(&r, 0x3C0, 0x20);
    render(&r, &w, &h);
    check(pixels[0] == fg && pixels[8] == fg, "blink off: the glyph stays in the off phase");
    wrb(&r, 0xB8000, ' ');
    render(&r, &w, &h);
    check(pixels[0] == ega_rgb(0x39), "blink off: attribute 0x9E has bright blue background");

    /* 80x50: 8-line characters */
    crtc(&r, 0x09, 0x47);
    check_text_mode(&r, 80, 50, "80x50 text");
    check(vga_text_cell(&r.v, 5, 3) == 0x1E41 && vga_text_cell(&r.v, 5, 40) == 0,
          "80x50: the same cell, and rows past 25 exist");
    check_render(&r, 720, 400, "80x50 renders 720x400");
    check(vga_render(&r.v, pixels, 719, 400, &w, &h) == -1 && w == 720,
          "a buffer too small: -1 and the size needed");
    /* 8-dot characters */
    seq(&r, 1, 0x01);
    render(&r, &w, &h);
    check(w == 640, "8-dot clocking gives 640 pixels (%d)", w);
    rig_free(&r);
}

/* ---- registers ---- */

static void test_registers(void)
{
    struct rig r;
    rig_init(&r);
    /* attribute controller flip-flop */
    inb(&r, 0x3DA);
    outb(&r, 0x3C0, 0x12);
    outb(&r, 0x3C0, 0x05);
    check(inb(&r, 0x3C0) == 0x12 && inb(&r, 0x3C1) == 0x05, "AC index then data");
    outb(&r, 0x3C0, 0x33);                     /* flip-flop now on index: 0x33 = PAS | 0x13 */
    check(inb(&r, 0x3C0) == 0x33, "the flip-flop came back to index");
    outb(&r, 0x3C0, 0x07);                     /* data for 0x13 */
    check(inb(&r, 0x3C1) == 0x07, "AC 0x13 written through the flip-flop");
    outb(&r, 0x3C0, 0x14);                     /* index */
    inb(&r, 0x3DA);                            /* reset: next write is an index again */
    outb(&r, 0x3C0, 0x30);
    check(inb(&r, 0x3C0) == 0x30, "reading 0x3DA resets the flip-flop");
    outb(&r, 0x3C0, 0x0C);
    /* DAC auto-increment */
    dac(&r, 0x10, 0x01, 0x02, 0x03);
    outb(&r, 0x3C9, 0x04);
    outb(&r, 0x3C9, 0x45);                     /* 6 bits kept */
    outb(&r, 0x3C9, 0x06);
    check(inb(&r, 0x3C8) == 0x12, "DAC write index advanced by two entries");
    outb(&r, 0x3C7, 0x10);
    check(inb(&r, 0x3C7) == 0x03, "DAC state: read mode");
    uint8_t got[6];
    for (int k = 0; k < 6; k++)
        got[k] = inb(&r, 0x3C9);
    check(got[0] == 1 && got[1] == 2 && got[2] == 3 && got[3] == 4 && got[4] == 5 && got[5] == 6,
          "DAC reads back 3 bytes per entry, 6-bit");
    /* word writes are index + data */
    outw(&r, 0x3C4, 0x0A02);
    check(r.v.seq[2] == 0x0A && inw(&r, 0x3C4) == 0x0A02, "word out to 0x3C4 writes index and data");
    outw(&r, 0x3CE, 0x5508);
    check(r.v.gc[8] == 0x55, "word out to 0x3CE");
    /* CRTC protect */
    crtc(&r, 0x11, 0x8E);
    crtc(&r, 0x01, 0x33);
    crtc(&r, 0x07, 0x00);
    check(crtc_rd(&r, 0x01) == 0x4F && crtc_rd(&r, 0x07) == 0x0F,
          "CRTC protect: 0-7 locked but 7's line compare bit (%02x %02x)",
          crtc_rd(&r, 0x01), crtc_rd(&r, 0x07));
    crtc(&r, 0x11, 0x0E);
    crtc(&r, 0x01, 0x33);
    check(crtc_rd(&r, 0x01) == 0x33, "CRTC unprotected");
    /* mono/colour address select */
    outb(&r, 0x3C2, 0x66);
    check(inb(&r, 0x3D5) == 0xFF && inb(&r, 0x3CC) == 0x66, "mono: 0x3D5 not decoded");
    outb(&r, 0x3B4, 0x0E);
    outb(&r, 0x3B5, 0x12);
    outb(&r, 0x3C2, 0x67);
    check(crtc_rd(&r, 0x0E) == 0x12, "mono: CRTC reached at 0x3B4/5");
    /* feature control */
    outb(&r, 0x3DA, 0x01);
    check(inb(&r, 0x3CA) == 0x01, "feature control written at 0x3DA, read at 0x3CA");
    /* generation */
    uint64_t g0 = vga_generation(&r.v);
    wrb(&r, 0xB8000, 'x');
    check(vga_generation(&r.v) > g0, "a memory write bumps the generation");
    rig_free(&r);
}

static void test_retrace(void)
{
    struct rig r;
    rig_init(&r);
    int vr = 0, novr = 0, de = 0, node = 0;
    for (uint64_t t = 0; t < 40000000; t += 3000) {   /* 40 ms of 3 us steps */
        at_ns(&r, t);
        uint8_t s = inb(&r, 0x3DA);
        (s & 8) ? vr++ : novr++;
        (s & 1) ? de++ : node++;
    }
    check(vr > 0 && novr > 0 && de > 0 && node > 0,
          "input status 1: retrace %d/%d, blanking %d/%d samples", vr, novr, de, node);
    /* 70 Hz text: retrace lines 412-413 of 449, 31.78 us each */
    at_ns(&r, 412 * 31778 + 5000);
    uint8_t in = inb(&r, 0x3DA);
    at_ns(&r, 100 * 31778);
    uint8_t out = inb(&r, 0x3DA);
    check((in & 9) == 9 && !(out & 8), "retrace at line 412, not at line 100");
    rig_free(&r);
}

/* ---- write and read modes on planar memory ---- */

static void test_write_modes(void)
{
    struct rig r;
    rig_init(&r);
    set_mode(&r, &mode12);
    uint8_t *p0 = r.v.vram;
    /* mode 0 plain: map mask 0x5 writes planes 0 and 2 */
    seq(&r, 2, 0x05);
    wrb(&r, 0xA0010, 0x3C);
    check(p0[0x10] == 0x3C && p0[VGA_PLANE_SIZE + 0x10] == 0 && p0[2 * VGA_PLANE_SIZE + 0x10] == 0x3C,
          "write mode 0 with map mask 0101");
    seq(&r, 2, 0x0F);
    /* set/reset on planes 1 and 3 */
    gc(&r, 0, 0x0A);
    gc(&r, 1, 0x0F);
    wrb(&r, 0xA0011, 0x00);
    check(p0[0x11] == 0 && p0[VGA_PLANE_SIZE + 0x11] == 0xFF && p0[3 * VGA_PLANE_SIZE + 0x11] == 0xFF,
          "set/reset fills planes 1 and 3");
    gc(&r, 1, 0x00);
    /* rotate + XOR with the latches, bit mask */
    rdb(&r, 0xA0011);                          /* latches: 00 FF 00 FF */
    gc(&r, 3, 0x18 | 4);                       /* XOR, rotate 4 */
    gc(&r, 8, 0xF0);
    wrb(&r, 0xA0011, 0x0F);                    /* rotated: F0 */
    check(p0[0x11] == 0xF0 && p0[VGA_PLANE_SIZE + 0x11] == 0x0F,
          "rotate, XOR with latches and bit mask (%02x %02x)", p0[0x11], p0[VGA_PLANE_SIZE + 0x11]);
    gc(&r, 3, 0);
    gc(&r, 8, 0xFF);
    /* mode 1 copies the latches */
    rdb(&r, 0xA0011);
    gc(&r, 5, 0x01);
    wrb(&r, 0xA0020, 0x00);
    check(p0[0x20] == 0xF0 && p0[VGA_PLANE_SIZE + 0x20] == 0x0F && p0[2 * VGA_PLANE_SIZE + 0x20] == 0xF0 &&
          p0[3 * VGA_PLANE_SIZE + 0x20] == 0x0F,
          "write mode 1 copies the latches");
    /* mode 2: data bits are colours, bit mask picks a pixel */
    gc(&r, 5, 0x02);
    gc(&r, 8, 0x04);
    rdb(&r, 0xA0030);
    wrb(&r, 0xA0030, 0x09);
    check(p0[0x30] == 0x04 && p0[VGA_PLANE_SIZE + 0x30] == 0 && p0[3 * VGA_PLANE_SIZE + 0x30] == 0x04,
          "write mode 2 sets colour 9 on pixel 5");
    /* mode 3: rotated data ANDed into the bit mask, colour from set/reset */
    gc(&r, 5, 0x03);
    gc(&r, 8, 0xFF);
    gc(&r, 0, 0x06);
    rdb(&r, 0xA0040);
    wrb(&r, 0xA0040, 0x81);
    check(p0[0x40] == 0 && p0[VGA_PLANE_SIZE + 0x40] == 0x81 && p0[2 * VGA_PLANE_SIZE + 0x40] == 0x81,
          "write mode 3 draws set/reset colour 6 through data 0x81");
    /* read mode 1: colour compare */
    gc(&r, 5, 0x08);
    gc(&r, 2, 0x06);
    gc(&r, 7, 0x0F);
    check(rdb(&r, 0xA0040) == 0x81, "read mode 1 finds colour 6");
    gc(&r, 2, 0x09);
    check(rdb(&r, 0xA0030) == 0x04, "read mode 1 finds colour 9 at pixel 5");
    gc(&r, 2, 0x01);
    gc(&r, 7, 0x01);                           /* only plane 0 compared */
    check(rdb(&r, 0xA0030) == 0x04 && rdb(&r, 0xA0040) == 0x00,
          "read mode 1 with colour don't care: plane 0 only");
    gc(&r, 7, 0x00);
    check(rdb(&r, 0xA0040) == 0xFF, "read mode 1, nothing compared: all ones");
    /* read mode 0: read map select */
    gc(&r, 5, 0x00);
    gc(&r, 4, 0x02);
    check(rdb(&r, 0xA0040) == 0x81 && rdb(&r, 0xA0010) == 0x3C, "read mode 0 reads plane 2");
    /* a planar pixel on the screen: colour 9 at (5, 0) through AC 9 = 0x39 */
    gc(&r, 5, 0x02);
    gc(&r, 8, 0x80 >> (13 & 7));
    rdb(&r, 0xA0000 + 5 * 80 + 13 / 8);
    wrb(&r, 0xA0000 + 5 * 80 + 13 / 8, 0x09);
    check_render(&r, 640, 480, "mode 12h renders 640x480");
    check(pixels[5 * 640 + 13] == ega_rgb(0x39) && pixels[5 * 640 + 12] == 0 && pixels[5 * 640 + 14] == 0,
          "12h pixel (13, 5) colour 9 is %06x", pixels[5 * 640 + 13]);
    /* memory map: 12h uses A0000 64K, so B8000 is not decoded */
    check(rdb(&r, 0xB8000) == 0xFF, "B8000 not decoded with the A0000 64K map");
    rig_free(&r);
}

/* ---- mode 13h ---- */

static void test_mode13(void)
{
    struct rig r;
    rig_init(&r);
    set_mode(&r, &mode13);
    dac(&r, 5, 0x3F, 0x20, 0x10);
    uint32_t a = 7 * 320 + 10;
    wrb(&r, 0xA0000 + a, 5);
    check(rdb(&r, 0xA0000 + a) == 5, "13h pixel reads back");
    int w, h;
    check_render(&r, 320, 200, "13h renders 320x200");
    check(pixels[7 * 320 + 10] == 0xFF8241 && pixels[7 * 320 + 11] == 0,
          "13h pixel through the DAC: %06x", pixels[7 * 320 + 10]);
    /* the same pixel in the planes: chain 4 off, it is in plane x & 3 */
    seq(&r, 4, 0x06);
    gc(&r, 5, 0x00);
    gc(&r, 4, 10 & 3);
    uint8_t in_plane = rdb(&r, 0xA0000 + (a & ~3u));
    gc(&r, 4, (10 + 1) & 3);
    uint8_t other = rdb(&r, 0xA0000 + (a & ~3u));
    check(in_plane == 5 && other == 0, "unchained: the pixel is in plane 2 at offset a & ~3");
    /* DAC mask */
    seq(&r, 4, 0x0E);
    gc(&r, 5, 0x40);
    outb(&r, 0x3C6, 0x01);
    render(&r, &w, &h);
    check(pixels[7 * 320 + 10] == ega_rgb(0x01), "DAC mask 01: colour 5 shows entry 1 (%06x)",
          pixels[7 * 320 + 10]);
    outb(&r, 0x3C6, 0xFF);
    /* screen off blanks */
    seq(&r, 1, 0x21);
    render(&r, &w, &h);
    check(pixels[7 * 320 + 10] == 0, "screen off in sequencer 1 blanks");
    rig_free(&r);
}

/* ---- other graphics modes and the CRTC's addressing ---- */

static void test_other_modes(void)
{
    struct rig r;
    rig_init(&r);
    int w, h;
    /* 0Dh: colour 12 at (100, 50) with write mode 2 */
    set_mode(&r, &mode0d);
    gc(&r, 5, 0x02);
    gc(&r, 8, 0x80 >> (100 & 7));
    rdb(&r, 0xA0000 + 50 * 40 + 100 / 8);
    wrb(&r, 0xA0000 + 50 * 40 + 100 / 8, 12);
    check_render(&r, 320, 200, "0Dh renders 320x200");
    check(pixels[50 * 320 + 100] == ega_rgb(0x14) && pixels[50 * 320 + 101] == 0,
          "0Dh pixel (100, 50) colour 12 through AC 0x14: %06x", pixels[50 * 320 + 100]);
    /* CGA 4-colour: pixel (5, 3) colour 2 is in the odd-line bank */
    set_mode(&r, &mode04);
    wrb(&r, 0xB8000 + 0x2000 + 1 * 80 + 5 / 4, 2 << (6 - 2 * (5 & 3)));
    wrb(&r, 0xB8000 + 1 * 80 + 6 / 4, 3 << (6 - 2 * (6 & 3)));
    check_render(&r, 320, 200, "CGA mode 4 renders 320x200");
    check(pixels[3 * 320 + 5] == ega_rgb(0x15) && pixels[2 * 320 + 6] == ega_rgb(0x17) &&
          pixels[3 * 320 + 6] == 0 && pixels[2 * 320 + 5] == 0,
          "CGA pixels (5, 3) colour 2 and (6, 2) colour 3 from the two banks");
    /* 12h: start address and a split screen at line 100 */
    set_mode(&r, &mode12);
    seq(&r, 2, 0x01);
    wrb(&r, 0xA0000 + 0x1000, 0x80);
    wrb(&r, 0xA0000, 0x40);
    crtc(&r, 0x0C, 0x10);
    crtc(&r, 0x18, 99);
    crtc(&r, 0x07, 0x2E);                      /* line compare bit 8 (allowed under protect) */
    crtc(&r, 0x09, 0x00);                      /* and bit 9 */
    render(&r, &w, &h);
    check(pixels[0] == ega_rgb(0x01) && pixels[100 * 640 + 1] == ega_rgb(0x01) && pixels[1] == 0,
          "start address 0x1000 at the top, line compare 99 restarts at 0 on line 100");
    rig_free(&r);
}

/* ---- VBE ---- */

static void test_vbe(void)
{
    struct rig r;
    rig_init(&r);
    check(vbe_rd(&r, VBE_INDEX_ID) == 0xB0C0, "VBE ID reads B0C0");
    vbe(&r, VBE_INDEX_ID, 0xB0C5);
    check(vbe_rd(&r, VBE_INDEX_ID) == 0xB0C5, "VBE ID accepts B0C5");
    vbe(&r, VBE_INDEX_ID, 0x1234);
    check(vbe_rd(&r, VBE_INDEX_ID) == 0xB0C5, "VBE ID ignores 1234");
    check(vbe_rd(&r, VBE_INDEX_VIDEO_MEMORY_64K) == 256, "16 MiB of video memory");
    vbe(&r, VBE_INDEX_ENABLE, VBE_GETCAPS);
    check(vbe_rd(&r, VBE_INDEX_XRES) == VBE_MAX_XRES && vbe_rd(&r, VBE_INDEX_BPP) == 32, "GETCAPS");
    vbe(&r, VBE_INDEX_ENABLE, 0);
    vbe(&r, VBE_INDEX_XRES, 800);
    vbe(&r, VBE_INDEX_YRES, 600);
    vbe(&r, VBE_INDEX_BPP, 32);
    vbe(&r, VBE_INDEX_ENABLE, VBE_ENABLED | VBE_LFB_ENABLED);
    check(vbe_rd(&r, VBE_INDEX_ENABLE) == (VBE_ENABLED | VBE_LFB_ENABLED) &&
          vbe_rd(&r, VBE_INDEX_VIRT_WIDTH) == 800, "800x600x32 enabled");
    int cols, rows;
    check(!vga_text_mode(&r.v, &cols, &rows), "not a text mode");
    uint32_t off = (100 * 800 + 200) * 4;
    wrd(&r, VGA_LFB_BASE + off, 0x00123456);
    check(rdd(&r, VGA_LFB_BASE + off) == 0x00123456, "LFB pixel reads back");
    int w, h;
    check_render(&r, 800, 600, "VBE renders 800x600");
    check(pixels[100 * 800 + 200] == 0x123456 && pixels[100 * 800 + 201] == 0, "LFB pixel on screen");
    /* banked: bank 3 of the A0000 window */
    vbe(&r, VBE_INDEX_BANK, 3);
    wrb(&r, 0xA0010, 0x77);
    check(r.v.vram[3 * 0x10000 + 0x10] == 0x77 && rdb(&r, VGA_LFB_BASE + 3 * 0x10000 + 0x10) == 0x77 &&
          rdb(&r, 0xA0010) == 0x77, "banked write lands at bank * 64K");
    /* changes of resolution are refused while enabled */
    vbe(&r, VBE_INDEX_XRES, 1024);
    check(vbe_rd(&r, VBE_INDEX_XRES) == 800, "XRES locked while enabled");
    /* display start */
    vbe(&r, VBE_INDEX_Y_OFFSET, 100);
    render(&r, &w, &h);
    check(pixels[200] == 0x123456, "Y offset scrolls the screen");
    vbe(&r, VBE_INDEX_Y_OFFSET, 0);
    /* 16 bpp */
    vbe(&r, VBE_INDEX_ENABLE, 0);
    vbe(&r, VBE_INDEX_BPP, 16);
    vbe(&r, VBE_INDEX_ENABLE, VBE_ENABLED | VBE_LFB_ENABLED);
    check(r.v.vram[off] == 0, "enabling clears memory");
    bus_mem_write(&r.bus, VGA_LFB_BASE + 2, 2, 0xF800);
    bus_mem_write(&r.bus, VGA_LFB_BASE + 4, 2, 0x07E0);
    render(&r, &w, &h);
    check(pixels[1] == 0xFF0000 && pixels[2] == 0x00FF00, "16 bpp: red and green");
    /* 8 bpp through the DAC, and an 8-bit DAC */
    vbe(&r, VBE_INDEX_ENABLE, 0);
    vbe(&r, VBE_INDEX_BPP, 8);
    vbe(&r, VBE_INDEX_ENABLE, VBE_ENABLED | VBE_8BIT_DAC | VBE_NOCLEARMEM);
    dac(&r, 0xF8, 0x80, 0x40, 0xFF);
    wrb(&r, VGA_LFB_BASE + 2, 0xF8);
    render(&r, &w, &h);
    check(pixels[2] == 0x8040FF, "8 bpp with the 8-bit DAC: %06x", pixels[2]);
    vbe(&r, VBE_INDEX_ENABLE, 0);
    check(vga_text_mode(&r.v, &cols, &rows) == false, "VBE off: VGA side in graphics mode as VBE left it");
    rig_free(&r);
}

/* ---- hostile values ---- */

static uint64_t rng = 0x9E3779B97F4A7C15ull;
static uint32_t rnd(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (uint32_t)(rng >> 16);
}

static void test_hostile_vbe(void)
{
    struct rig r;
    rig_init(&r);
    vbe(&r, VBE_INDEX_XRES, 0xFFFF);
    vbe(&r, VBE_INDEX_YRES, 0xFFFF);
    vbe(&r, VBE_INDEX_BPP, 0x1234);
    check(vbe_rd(&r, VBE_INDEX_XRES) == 640 && vbe_rd(&r, VBE_INDEX_YRES) == 480 &&
          vbe_rd(&r, VBE_INDEX_BPP) == 8, "out of range sizes and depths ignored");
    vbe(&r, VBE_INDEX_XRES, 2560);
    vbe(&r, VBE_INDEX_YRES, 1600);
    vbe(&r, VBE_INDEX_BPP, 32);
    vbe(&r, VBE_INDEX_ENABLE, VBE_ENABLED | VBE_NOCLEARMEM);
    check(vbe_rd(&r, VBE_INDEX_ENABLE) & VBE_ENABLED, "2560x1600x32 fits in 16 MiB");
    vbe(&r, VBE_INDEX_VIRT_WIDTH, 0xFFFF);
    check(vbe_rd(&r, VBE_INDEX_VIRT_WIDTH) == 2560, "a virtual width that does not fit is refused");
    vbe(&r, VBE_INDEX_Y_OFFSET, 0xFFFF);
    vbe(&r, VBE_INDEX_X_OFFSET, 0xFFFF);
    check(vbe_rd(&r, VBE_INDEX_Y_OFFSET) == 0 && vbe_rd(&r, VBE_INDEX_X_OFFSET) == 0,
          "offsets past the memory are refused");
    vbe(&r, VBE_INDEX_BANK, 0xFFFF);
    check(vbe_rd(&r, VBE_INDEX_BANK) == 0, "bank past the memory refused");
    vbe(&r, VBE_INDEX_BANK, 255);
    wrd(&r, 0xAFFFC, 0xAABBCCDD);
    check(rdd(&r, VGA_LFB_BASE + VGA_VRAM_SIZE - 4) == 0xAABBCCDD, "the last bank's last dword");
    check(vbe_lfb_read(&r.v, VGA_VRAM_SIZE - 2, 4) == 0 && vbe_lfb_read(&r.v, 0xFFFFFFFF, 4) == 0,
          "LFB accesses past the end read 0");
    vbe_lfb_write(&r.v, VGA_VRAM_SIZE - 1, 4, 0);
    int w, h;
    check_render(&r, 2560, 1600, "2560x1600 renders");
    /* random register and memory traffic never escapes the buffers */
    for (int k = 0; k < 20000; k++) {
        vbe(&r, (uint16_t)(rnd() % 12), (uint16_t)rnd());
        if (k % 7 == 0)
            wrb(&r, 0xA0000 + rnd() % 0x20000, (uint8_t)rnd());
        if (k % 500 == 0)
            vga_render(&r.v, pixels, MAX_W, MAX_H, &w, &h);
    }
    check(true, "random VBE traffic and renders stayed inside (ASan watches)");
    rig_free(&r);
}

static void test_hostile_vga(void)
{
    struct rig r;
    rig_init(&r);
    int w, h, cols, rows, col, row;
    bool vis;
    /* the largest text screen: 256 columns, 1024 lines of 32-line chars,
     * start and cursor near the top of the address space */
    crtc(&r, 0x11, 0x00);
    crtc(&r, 0x01, 0xFF);
    crtc(&r, 0x12, 0xFF);
    crtc(&r, 0x07, 0xFF);
    crtc(&r, 0x09, 0x5F);
    crtc(&r, 0x13, 0xFF);
    crtc(&r, 0x0C, 0xFF);
    crtc(&r, 0x0D, 0xFF);
    crtc(&r, 0x0E, 0xFF);
    crtc(&r, 0x0F, 0xFE);
    seq(&r, 3, 0x3F);
    check_text_mode(&r, 256, 32, "256x32 text");
    check_render(&r, 256 * 9, 1024, "renders 2304x1024");
    vga_text_cell(&r.v, 255, 31);
    vga_cursor(&r.v, &col, &row, &vis);
    /* the same in graphics modes, each addressing mode */
    for (int mode = 0; mode < 8; mode++) {
        gc(&r, 6, 0x05);
        gc(&r, 5, (uint8_t)((mode & 3) << 5));
        crtc(&r, 0x14, (mode & 4) ? 0x60 : 0x00);
        crtc(&r, 0x17, (uint8_t)((mode & 1) ? 0x08 : 0x40));
        int rc = render(&r, &w, &h);
        check(rc == 0 && w <= 2048 && h <= 1024, "graphics variant %d renders %dx%d", mode, w, h);
    }
    /* random traffic on every VGA port and the window */
    static const uint16_t ports[] = { 0x3C0, 0x3C2, 0x3C4, 0x3C5, 0x3C6, 0x3C7, 0x3C8, 0x3C9,
                                      0x3CE, 0x3CF, 0x3D4, 0x3D5, 0x3B4, 0x3B5, 0x3DA, 0x1CE, 0x1CF };
    for (int k = 0; k < 200000; k++) {
        uint16_t port = ports[rnd() % (sizeof ports / sizeof ports[0])];
        if (rnd() & 1)
            bus_io_write(&r.bus, port, 1 << (rnd() % 3), rnd());
        else
            bus_io_read(&r.bus, port, 1 << (rnd() % 3));
        uint32_t a = 0xA0000 + rnd() % 0x20000;
        if (rnd() & 1)
            bus_mem_write(&r.bus, a & ~3u, 1 << (rnd() % 3), rnd());
        else
            bus_mem_read(&r.bus, a & ~3u, 1 << (rnd() % 3));
        if (k % 2000 == 0) {
            int rc = vga_render(&r.v, pixels, MAX_W, MAX_H, &w, &h);
            if (rc != 0 && rc != -1)
                check(false, "render returned %d", rc);
            vga_text_cell(&r.v, (int)(rnd() % 300), (int)(rnd() % 300));
            vga_cursor(&r.v, &col, &row, &vis);
            if (vga_text_mode(&r.v, &cols, &rows) && (cols > 256 || rows > 1024))
                check(false, "text size %dx%d", cols, rows);
        }
    }
    check(true, "random VGA traffic and renders stayed inside (ASan watches)");
    rig_free(&r);
}

int main(void)
{
    test_text();
    test_registers();
    test_retrace();
    test_write_modes();
    test_mode13();
    test_other_modes();
    test_vbe();
    test_hostile_vbe();
    test_hostile_vga();
    printf("test_vga: %d passed, %d failed\n", passed, failed);
    return failed != 0;
}
