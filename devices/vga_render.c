/* vga_render.c -- what the monitor shows: text cells and cursor, and XRGB
 * pictures of text, planar, CGA, 256-colour and VBE modes, following the
 * CRTC's address counter; every offset is masked or bounded. */
#include "vga.h"

#include <string.h>

#include "machine/clock.h"

static const uint8_t *plane(const struct vga *v, int p)
{
    return v->vram + (uint32_t)(p & 3) * VGA_PLANE_SIZE;
}

static bool text_mode(const struct vga *v)
{
    return !vbe_enabled(v) && !(v->gc[6] & 1);
}

static uint32_t display_lines(const struct vga *v)
{
    return vga_crtc_vertical(v, 0x12, 1, 6) + 1;
}

static uint32_t line_compare(const struct vga *v)
{
    return vga_crtc_vertical(v, 0x18, 4, -1);
}

static uint32_t start_address(const struct vga *v)
{
    return (uint32_t)v->crtc[0x0C] << 8 | v->crtc[0x0D];
}

/* Address counter units from one character row (or scan line) to the next. */
static uint32_t row_stride(const struct vga *v)
{
    return v->crtc[0x13] * 2u;
}

/* The memory offset the CRTC fetches for address counter value `counter`
 * on row scan `rs`: doubleword, word or byte addressing, then the CGA
 * and Hercules interleaves, which put row scan bits on MA13 and MA14. */
static uint32_t crtc_address(const struct vga *v, uint32_t counter, uint32_t rs)
{
    uint8_t mode = v->crtc[0x17];
    uint32_t a;
    if (v->crtc[0x14] & 0x40)
        a = counter << 2;
    else if (!(mode & 0x40))
        a = counter << 1 | ((counter >> ((mode & 0x20) ? 15 : 13)) & 1);
    else
        a = counter;
    if (!(mode & 0x01))
        a = (a & ~0x2000u) | (rs & 1) << 13;
    if (!(mode & 0x02))
        a = (a & ~0x4000u) | ((rs >> 1) & 1) << 14;
    return a & 0xFFFF;
}

/* ---- colours ---- */

static uint32_t dac_rgb(const struct vga *v, uint8_t index)
{
    const uint8_t *c = v->dac[index & v->dac_mask];
    if (v->vbe[VBE_INDEX_ENABLE] & VBE_8BIT_DAC)
        return (uint32_t)c[0] << 16 | (uint32_t)c[1] << 8 | c[2];
    uint32_t r = (c[0] & 0x3Fu) << 2 | (c[0] & 0x3Fu) >> 4;
    uint32_t g = (c[1] & 0x3Fu) << 2 | (c[1] & 0x3Fu) >> 4;
    uint32_t b = (c[2] & 0x3Fu) << 2 | (c[2] & 0x3Fu) >> 4;
    return r << 16 | g << 8 | b;
}

/* A 4-bit attribute colour through colour plane enable, the palette
 * registers and colour select, to a DAC index. */
static uint8_t ac_color(const struct vga *v, uint8_t c)
{
    uint8_t p = v->ac[c & v->ac[0x12] & 0x0F];
    if (v->ac[0x10] & 0x80)
        p = (uint8_t)((p & 0x0F) | (v->ac[0x14] & 0x03) << 4);
    return (uint8_t)((p & 0x3F) | (v->ac[0x14] & 0x0C) << 4);
}

static void palette16(const struct vga *v, uint32_t out[16])
{
    for (int c = 0; c < 16; c++)
        out[c] = dac_rgb(v, ac_color(v, (uint8_t)c));
}

static void palette256(const struct vga *v, uint32_t out[256])
{
    for (int c = 0; c < 256; c++)
        out[c] = dac_rgb(v, (uint8_t)c);
}

/* ---- text ---- */

struct text_geom {
    int cols, rows;
    int cw, ch;                       /* character cell in pixels */
    uint32_t lines;                   /* scan lines after double scanning */
};

static bool text_geometry(const struct vga *v, struct text_geom *g)
{
    if (!text_mode(v))
        return false;
    g->cols = v->crtc[1] + 1;
    g->cw = (v->seq[1] & 1) ? 8 : 9;
    g->ch = (v->crtc[9] & 0x1F) + 1;
    g->lines = display_lines(v) >> (v->crtc[9] >> 7);
    g->rows = (int)(g->lines / (uint32_t)g->ch);
    return g->rows > 0;
}

bool vga_text_mode(const struct vga *v, int *cols, int *rows)
{
    struct text_geom g;
    if (!text_geometry(v, &g))
        return false;
    *cols = g.cols;
    *rows = g.rows;
    return true;
}

/* Address counter at the start of text line `line` (after double scan),
 * and its row scan: line compare restarts the counter at 0. */
static uint32_t text_line_counter(const struct vga *v, const struct text_geom *g,
                                  uint32_t line, uint32_t *rs)
{
    uint32_t lc = line_compare(v) >> (v->crtc[9] >> 7);
    uint32_t base = start_address(v);
    if (line > lc) {
        line -= lc + 1;
        base = 0;
    }
    *rs = line % (uint32_t)g->ch;
    return base + line / (uint32_t)g->ch * row_stride(v);
}

uint16_t vga_text_cell(const struct vga *v, int col, int row)
{
    struct text_geom g;
    if (!text_geometry(v, &g) || col < 0 || row < 0 || col >= g.cols || row >= g.rows)
        return 0;
    uint32_t rs;
    uint32_t counter = text_line_counter(v, &g, (uint32_t)(row * g.ch), &rs);
    uint32_t a = crtc_address(v, counter + (uint32_t)col, rs);
    return (uint16_t)(plane(v, 0)[a] | plane(v, 1)[a] << 8);
}

struct cursor_shape {
    uint32_t location;                /* address counter value */
    uint32_t first, last;             /* scan lines within the cell */
    bool enabled;
};

static void cursor_shape(const struct vga *v, int ch, struct cursor_shape *c)
{
    c->location = (uint32_t)v->crtc[0x0E] << 8 | v->crtc[0x0F];
    c->first = v->crtc[0x0A] & 0x1F;
    c->last = v->crtc[0x0B] & 0x1F;
    c->enabled = !(v->crtc[0x0A] & 0x20) && c->first <= c->last &&
                 c->first < (uint32_t)ch;
}

void vga_cursor(const struct vga *v, int *col, int *row, bool *visible)
{
    struct text_geom g;
    struct cursor_shape c;
    *col = *row = 0;
    *visible = false;
    if (!text_geometry(v, &g))
        return;
    cursor_shape(v, g.ch, &c);
    uint32_t rel = (c.location - start_address(v)) & 0xFFFF;
    uint32_t stride = row_stride(v);
    uint32_t r = stride ? rel / stride : 0;
    uint32_t k = stride ? rel % stride : rel;
    if (r >= (uint32_t)g.rows || k >= (uint32_t)g.cols)
        return;
    *col = (int)k;
    *row = (int)r;
    *visible = c.enabled;
}

/* Plane 2 offset of character map n (0-7), as selected in sequencer 3. */
static uint32_t font_base(int n)
{
    return (uint32_t)(n & 3) << 14 | (uint32_t)(n >> 2) << 13;
}

struct text_frame {
    struct text_geom g;
    struct cursor_shape cursor;
    uint32_t pal[16];
    uint32_t map_a, map_b;            /* attribute bit 3 set / clear */
    bool blink_enabled, blink_on, cursor_on;
    bool line_graphics;               /* 9th column repeats the 8th for C0-DF */
    uint32_t underline;
};

/* The 8 or 9 pixels of one character on row scan rs. */
static void text_glyph_row(const struct vga *v, const struct text_frame *f,
                           uint32_t counter, uint32_t rs, uint32_t *out)
{
    uint32_t a = crtc_address(v, counter, rs);
    uint8_t ch = plane(v, 0)[a], attr = plane(v, 1)[a];
    uint32_t font = (attr & 0x08) ? f->map_a : f->map_b;
    uint8_t bits = plane(v, 2)[(font + ch * 32u + rs) & 0xFFFF];
    uint8_t fg = attr & 0x0F, bg = attr >> 4;
    if (f->blink_enabled) {
        bg &= 7;
        if ((attr & 0x80) && !f->blink_on)
            bits = 0;
    }
    if ((attr & 0x77) == 0x01 && rs == f->underline)
        bits = 0xFF;
    if (f->cursor.enabled && f->cursor_on && counter == f->cursor.location &&
        rs >= f->cursor.first && rs <= f->cursor.last)
        bits = 0xFF;
    for (int x = 0; x < 8; x++)
        out[x] = f->pal[(bits & (0x80 >> x)) ? fg : bg];
    if (f->g.cw == 9) {
        bool ninth = f->line_graphics && ch >= 0xC0 && ch <= 0xDF && (bits & 1);
        out[8] = f->pal[ninth ? fg : bg];
    }
}

static void render_text(const struct vga *v, const struct text_frame *f,
                        uint32_t *pixels, int w)
{
    for (uint32_t line = 0; line < (uint32_t)(f->g.rows * f->g.ch); line++) {
        uint32_t rs;
        uint32_t counter = text_line_counter(v, &f->g, line, &rs);
        uint32_t *out = pixels + (size_t)line * (size_t)w;
        for (int col = 0; col < f->g.cols; col++)
            text_glyph_row(v, f, (counter + (uint32_t)col) & 0xFFFF, rs,
                           out + col * f->g.cw);
    }
}

static void text_frame_setup(const struct vga *v, struct text_frame *f)
{
    text_geometry(v, &f->g);
    cursor_shape(v, f->g.ch, &f->cursor);
    palette16(v, f->pal);
    uint8_t s3 = v->seq[3];
    f->map_a = font_base(((s3 >> 5) & 1) << 2 | ((s3 >> 2) & 3));
    f->map_b = font_base(((s3 >> 4) & 1) << 2 | (s3 & 3));
    uint64_t tick = vclock_now(v->clock) / VGA_BLINK_TICK_NS;
    f->cursor_on = !(tick & 1);
    f->blink_on = !(tick & 2);
    f->blink_enabled = v->ac[0x10] & 0x08;
    f->line_graphics = v->ac[0x10] & 0x04;
    f->underline = v->crtc[0x14] & 0x1F;
}

/* ---- VGA graphics ---- */

struct gfx_frame {
    int w, h;
    uint32_t repeat;                  /* scan lines per output line */
    uint32_t chars;                   /* character clocks per line */
    uint32_t count_shift;             /* count by 2 or 4 */
    uint32_t pal[256];
};

static void gfx_geometry(const struct vga *v, struct gfx_frame *f)
{
    uint32_t lines = display_lines(v);
    uint32_t dbl = v->crtc[9] >> 7, maxscan = v->crtc[9] & 0x1Fu;
    bool cga = (v->crtc[0x17] & 3) != 3;
    f->repeat = (1u << dbl) * (cga ? 1 : maxscan + 1);
    f->h = (int)(lines / f->repeat);
    if (f->h == 0)
        f->h = 1;
    f->chars = v->crtc[1] + 1u;
    f->w = (int)f->chars * ((v->gc[5] & 0x40) ? 4 : 8);
    f->count_shift = (v->crtc[0x14] & 0x20) ? 2 : (v->crtc[0x17] & 0x08) ? 1 : 0;
}

static void gfx_line(const struct vga *v, const struct gfx_frame *f,
                     uint32_t counter, uint32_t rs, uint32_t *out)
{
    uint8_t shift = v->gc[5] & 0x60;
    for (uint32_t k = 0; k < f->chars; k++) {
        uint32_t a = crtc_address(v, counter + (k >> f->count_shift), rs);
        uint8_t p[4] = { plane(v, 0)[a], plane(v, 1)[a], plane(v, 2)[a], plane(v, 3)[a] };
        if (shift & 0x40) {                 /* 256 colours: a byte per pixel */
            for (int i = 0; i < 4; i++)
                *out++ = f->pal[p[i]];
        } else if (shift & 0x20) {          /* CGA: 2 bits per pixel, planes 0/1 then 2/3 */
            for (int i = 0; i < 8; i++) {
                int sh = 6 - 2 * (i & 3);
                uint8_t lo = i < 4 ? p[0] : p[1], hi = i < 4 ? p[2] : p[3];
                uint8_t c = (uint8_t)(((lo >> sh) & 3) | ((hi >> sh) & 3) << 2);
                *out++ = f->pal[c];
            }
        } else {                            /* 16 colours: a bit from each plane */
            for (int b = 7; b >= 0; b--) {
                uint8_t c = (uint8_t)(((p[0] >> b) & 1) | ((p[1] >> b) & 1) << 1 |
                                      ((p[2] >> b) & 1) << 2 | ((p[3] >> b) & 1) << 3);
                *out++ = f->pal[c];
            }
        }
    }
}

/* Walks every scan line as the CRTC does and draws one in `repeat`. */
static void render_gfx(const struct vga *v, const struct gfx_frame *f, uint32_t *pixels)
{
    uint32_t lines = display_lines(v), lc = line_compare(v);
    uint32_t dbl = v->crtc[9] >> 7, maxscan = v->crtc[9] & 0x1Fu;
    uint32_t counter = start_address(v), rs = 0;
    for (uint32_t s = 0; s < lines; s++) {
        if (s == lc + 1) {
            counter = 0;
            rs = 0;
        }
        if (s % f->repeat == 0 && s / f->repeat < (uint32_t)f->h)
            gfx_line(v, f, counter, rs, pixels + (size_t)(s / f->repeat) * (size_t)f->w);
        if (dbl && !(s & 1))
            continue;
        if (rs >= maxscan) {
            rs = 0;
            counter += row_stride(v);
        } else {
            rs++;
        }
    }
}

static void gfx_setup(const struct vga *v, struct gfx_frame *f)
{
    gfx_geometry(v, f);
    if (v->gc[5] & 0x40) {
        palette256(v, f->pal);
    } else {
        palette16(v, f->pal);
        memset(f->pal + 16, 0, sizeof f->pal - 16 * sizeof f->pal[0]);
    }
}

/* ---- VBE ---- */

static uint32_t vbe_pixel(const struct vga *v, const uint8_t *p, uint32_t bpp)
{
    switch (bpp) {
    case 8: return dac_rgb(v, p[0]);
    case 15: {
        uint32_t x = p[0] | p[1] << 8;
        uint32_t r = (x >> 10) & 31, g = (x >> 5) & 31, b = x & 31;
        return (r << 3 | r >> 2) << 16 | (g << 3 | g >> 2) << 8 | (b << 3 | b >> 2);
    }
    case 16: {
        uint32_t x = p[0] | p[1] << 8;
        uint32_t r = (x >> 11) & 31, g = (x >> 5) & 63, b = x & 31;
        return (r << 3 | r >> 2) << 16 | (g << 2 | g >> 4) << 8 | (b << 3 | b >> 2);
    }
    default:                                /* 24 and 32: B, G, R in memory */
        return (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
    }
}

static void render_vbe(const struct vga *v, uint32_t *pixels, int w, int h)
{
    uint32_t bpp = v->vbe[VBE_INDEX_BPP], bytes = vbe_bytes_per_pixel(v);
    for (int y = 0; y < h; y++) {
        uint64_t row = v->vbe_start + (uint64_t)y * v->vbe_line_offset;
        for (int x = 0; x < w; x++) {
            uint64_t a = row + (uint64_t)x * bytes;
            pixels[(size_t)y * (size_t)w + (size_t)x] =
                a + bytes <= VGA_VRAM_SIZE ? vbe_pixel(v, v->vram + a, bpp) : 0;
        }
    }
}

/* ---- the picture ---- */

static bool blanked(const struct vga *v)
{
    /* Screen off in the sequencer, or the attribute controller's palette
     * address source cleared (the palette is being loaded). */
    return (v->seq[1] & 0x20) || !(v->ac_index & 0x20);
}

static bool fits(int w, int h, int max_w, int max_h, int *ow, int *oh)
{
    *ow = w;
    *oh = h;
    return w <= max_w && h <= max_h;
}

static void fill(uint32_t *pixels, int w, int h, uint32_t color)
{
    for (size_t k = 0; k < (size_t)w * (size_t)h; k++)
        pixels[k] = color;
}

int vga_render(struct vga *v, uint32_t *pixels, int max_w, int max_h, int *w, int *h)
{
    if (vbe_enabled(v)) {
        if (!fits(v->vbe[VBE_INDEX_XRES], v->vbe[VBE_INDEX_YRES], max_w, max_h, w, h) || !pixels)
            return -1;
        render_vbe(v, pixels, *w, *h);
        return 0;
    }
    if (text_mode(v)) {
        struct text_frame f;
        if (!text_geometry(v, &f.g)) {
            *w = *h = 0;
            return 0;
        }
        if (!fits(f.g.cols * f.g.cw, f.g.rows * f.g.ch, max_w, max_h, w, h) || !pixels)
            return -1;
        if (blanked(v)) {
            fill(pixels, *w, *h, 0);
            return 0;
        }
        text_frame_setup(v, &f);
        render_text(v, &f, pixels, *w);
        return 0;
    }
    struct gfx_frame f;
    gfx_geometry(v, &f);
    if (!fits(f.w, f.h, max_w, max_h, w, h) || !pixels)
        return -1;
    if (blanked(v)) {
        fill(pixels, *w, *h, 0);
        return 0;
    }
    gfx_setup(v, &f);
    render_gfx(v, &f, pixels);
    return 0;
}
