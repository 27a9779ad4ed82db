/* vga.h -- the VGA adapter with the Bochs VBE extension: registers, planar
 * memory, the linear framebuffer, and what frontends read (text cells,
 * cursor, rendered pixels, a generation counter). */
#ifndef X86LAB_VGA_H
#define X86LAB_VGA_H

#include <stdbool.h>
#include <stdint.h>

struct bus;
struct vclock;

enum {
    VGA_PLANE_SIZE = 0x10000,          /* 64 KiB per plane, four planes */
    VGA_WINDOW_BASE = 0xA0000,         /* the legacy window, 0xA0000-0xBFFFF */
    VGA_WINDOW_SIZE = 0x20000,
    VGA_VRAM_SIZE = 16 << 20,          /* VBE memory; the planes are its first 256 KiB */
    VGA_LFB_BASE = 0xE0000000u,        /* fixed until PCI gives it a BAR */
};

/* Bochs VBE (dispi) registers behind ports 0x1CE (index) / 0x1CF (data). */
enum {
    VBE_INDEX_ID, VBE_INDEX_XRES, VBE_INDEX_YRES, VBE_INDEX_BPP,
    VBE_INDEX_ENABLE, VBE_INDEX_BANK, VBE_INDEX_VIRT_WIDTH,
    VBE_INDEX_VIRT_HEIGHT, VBE_INDEX_X_OFFSET, VBE_INDEX_Y_OFFSET,
    VBE_INDEX_VIDEO_MEMORY_64K, VBE_NUM_REGS,
};
enum {
    VBE_ID0 = 0xB0C0, VBE_ID5 = 0xB0C5,
    VBE_ENABLED = 0x01, VBE_GETCAPS = 0x02, VBE_8BIT_DAC = 0x20,
    VBE_LFB_ENABLED = 0x40, VBE_NOCLEARMEM = 0x80,
    VBE_MAX_XRES = 2560, VBE_MAX_YRES = 1600, VBE_MAX_BPP = 32,
};

struct vga {
    struct vclock *clock;              /* retrace timing and blinking */
    uint8_t *vram;                     /* VGA_VRAM_SIZE bytes; plane p at p * 64 KiB */

    /* general registers */
    uint8_t misc;                      /* 0x3C2 write / 0x3CC read */
    uint8_t feature;                   /* 0x3BA/0x3DA write / 0x3CA read */
    uint8_t seq_index, seq[8];         /* 0x3C4/0x3C5 */
    uint8_t crtc_index, crtc[0x40];    /* 0x3D4/0x3D5 (0x3B4/0x3B5 mono) */
    uint8_t gc_index, gc[16];          /* 0x3CE/0x3CF */
    uint8_t ac_index;                  /* 0x3C0: bits 0-4 index, bit 5 PAS */
    bool ac_data_next;                 /* the flip-flop: next 0x3C0 write is data */
    uint8_t ac[0x20];
    uint8_t dac_mask;                  /* 0x3C6 */
    uint8_t dac_read_index, dac_write_index, dac_comp;
    bool dac_reading;                  /* 0x3C7 reads 3 after a read index was set */
    uint8_t dac_latch[3];
    uint8_t dac[256][3];               /* 6-bit values (8-bit with VBE_8BIT_DAC) */
    uint8_t latch[4];                  /* the graphics controller's latches */

    /* Bochs VBE */
    uint16_t vbe_index;
    uint16_t vbe[VBE_NUM_REGS];
    uint32_t vbe_line_offset;          /* bytes per line of the virtual screen */
    uint32_t vbe_start;                /* byte offset of the visible top-left pixel */

    uint64_t generation;               /* bumped by every visible change */
};

/* Registers ports 0x3B4-0x3BA, 0x3C0-0x3DA, 0x1CE-0x1CF and the MMIO
 * windows 0xA0000-0xBFFFF and VGA_LFB_BASE on b.  Returns 0 or -1. */
int vga_init(struct vga *v, struct bus *b, struct vclock *k);
/* Back to 80x25 colour text with the 8x16 font in plane 2 and the EGA
 * palette, as the video BIOS leaves it (standing in for it until x86lab
 * has one); memory other than the font is cleared. */
void vga_reset(struct vga *v);
void vga_free(struct vga *v);

/* ---- for frontends ---- */
/* True in a VGA text mode, with its size in characters. */
bool vga_text_mode(const struct vga *v, int *cols, int *rows);
/* The cell at (col, row) of the text screen: char | attr << 8; 0 outside. */
uint16_t vga_text_cell(const struct vga *v, int col, int row);
/* Where the cursor is; visible is false when it is disabled in the CRTC or
 * off the screen (the blink phase is not part of it). */
void vga_cursor(const struct vga *v, int *col, int *row, bool *visible);
/* Renders the screen as XRGB8888 into pixels, rows packed (stride *w).
 * Sets *w, *h to the screen's size; returns -1 (drawing nothing) when it
 * exceeds max_w x max_h, else 0.  Text modes are drawn with the font in
 * plane 2, with blinking and the cursor in their current phase. */
int vga_render(struct vga *v, uint32_t *pixels, int max_w, int max_h, int *w, int *h);
/* Changes whenever what vga_render would draw may have changed (writes to
 * memory, registers or the DAC, and the blink clock ticking). */
uint64_t vga_generation(const struct vga *v);

/* 256 glyphs of code page 437, one byte per row, bit 7 leftmost (vga_font.c). */
extern const uint8_t vga_font_8x16[256 * 16];
extern const uint8_t vga_font_8x8[256 * 8];

/* ---- shared by the vga*.c and vbe.c files ---- */
/* The 0xA0000-0xBFFFF window (offset from 0xA0000), one byte at a time. */
uint8_t vga_mem_readb(struct vga *v, uint32_t offset);
void vga_mem_writeb(struct vga *v, uint32_t offset, uint8_t value);
/* Ports 0x1CE-0x1CF and the linear framebuffer (vbe.c). */
uint32_t vbe_port_read(void *opaque, uint32_t port, int size);
void vbe_port_write(void *opaque, uint32_t port, int size, uint32_t value);
uint32_t vbe_lfb_read(void *opaque, uint32_t offset, int size);
void vbe_lfb_write(void *opaque, uint32_t offset, int size, uint32_t value);
void vbe_reset(struct vga *v);
bool vbe_enabled(const struct vga *v);
/* Bytes per pixel of the current VBE depth (15 bpp counts as 2). */
uint32_t vbe_bytes_per_pixel(const struct vga *v);
/* The banked window: VBE memory at the current bank, when VBE owns it. */
bool vbe_banked(const struct vga *v);
uint32_t vbe_bank_base(const struct vga *v);
/* Display timing from the CRTC (or the VBE mode), for retrace and blink. */
struct vga_timing {
    uint64_t line_ns;                  /* one scan line, > 0 */
    uint32_t total, display, retrace_start, retrace_end;   /* in lines */
    uint32_t hdisplay_permille;        /* active part of a line */
};
void vga_timing(const struct vga *v, struct vga_timing *t);
/* A 10-bit CRTC vertical value: register reg with bits 8 and 9 from the
 * overflow register's bits bit8 and bit9 (bit9 < 0: none, then bit 9 of
 * line compare, which lives in the maximum scan line register). */
uint32_t vga_crtc_vertical(const struct vga *v, int reg, int bit8, int bit9);
/* Blink clock: the cursor toggles every tick, blinking text every two
 * (a fixed 70 Hz frame clock: 8 and 16 frames, as on a VGA). */
enum { VGA_BLINK_TICK_NS = 1000000000 / 70 * 8 };

#endif
