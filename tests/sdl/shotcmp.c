/* shotcmp.c -- checks a picture of the SDL window's guest screen (a PNG
 * from the screenshot hotkey, or an XWD capture of the X window at an
 * integer scale) against what the guest programs in tests/sdl/ drew,
 * computed here from the same formulas.  Text: every cell's character
 * and attribute are decoded back from the pixels with the font (the VGA
 * ROM font, with the test's own 16 glyphs at 0x80-0x8F) and compared;
 * graphics: every pixel exactly.
 *   shotcmp [--scale N] text|mode13|mode12|vbe8|vbe15|vbe16|vbe24|vbe32 FILE
 * Prints ok/FAIL lines; exit 0 when everything matched, 1 if not, 2 for
 * an unreadable file. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "devices/vga.h"

struct image {
    int w, h;
    uint32_t *px;                       /* 0xRRGGBB */
};

static uint32_t be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint8_t *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 1 << 20, n = 0;
    uint8_t *buf = malloc(cap);
    size_t r;
    while (buf && (r = fread(buf + n, 1, cap - n, f)) > 0) {
        n += r;
        if (n == cap) {
            uint8_t *nb = realloc(buf, cap *= 2);
            if (!nb) {
                free(buf);
                buf = NULL;
            }
            buf = nb;
        }
    }
    fclose(f);
    *len = n;
    return buf;
}

/* ---- PNG: 8-bit RGB or RGBA, not interlaced; every chunk's CRC checked ---- */

static int paeth(int a, int b, int c)
{
    int p = a + b - c, pa = abs(p - a), pb = abs(p - b), pc = abs(p - c);
    return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

static bool unfilter(uint8_t *raw, int w, int h, int bpp)
{
    size_t stride = (size_t)w * (size_t)bpp;
    uint8_t *prev = NULL;
    for (int y = 0; y < h; y++) {
        uint8_t *row = raw + (size_t)y * (stride + 1);
        uint8_t f = row[0], *cur = row + 1;
        for (size_t i = 0; i < stride; i++) {
            int a = i >= (size_t)bpp ? cur[i - bpp] : 0, b = prev ? prev[i] : 0;
            int c = prev && i >= (size_t)bpp ? prev[i - bpp] : 0;
            switch (f) {
            case 0: break;
            case 1: cur[i] = (uint8_t)(cur[i] + a); break;
            case 2: cur[i] = (uint8_t)(cur[i] + b); break;
            case 3: cur[i] = (uint8_t)(cur[i] + (a + b) / 2); break;
            case 4: cur[i] = (uint8_t)(cur[i] + paeth(a, b, c)); break;
            default: return false;
            }
        }
        prev = cur;
    }
    return true;
}

static const char *read_png(const uint8_t *d, size_t len, struct image *im)
{
    int bpp = 0;
    uint8_t *z = malloc(len);
    size_t zlen = 0;
    if (!z)
        return "out of memory";
    for (size_t p = 8; p + 12 <= len;) {
        uint32_t n = be32(d + p);
        if (p + 12 + n > len)
            return "truncated chunk";
        const uint8_t *type = d + p + 4, *data = d + p + 8;
        if (crc32(crc32(0, type, 4), data, n) != be32(data + n))
            return "bad chunk CRC";
        if (!memcmp(type, "IHDR", 4)) {
            im->w = (int)be32(data);
            im->h = (int)be32(data + 4);
            if (data[8] != 8 || (data[9] != 2 && data[9] != 6) || data[12] != 0)
                return "not an 8-bit RGB(A) non-interlaced PNG";
            bpp = data[9] == 2 ? 3 : 4;
        } else if (!memcmp(type, "IDAT", 4)) {
            memcpy(z + zlen, data, n);
            zlen += n;
        }
        p += 12 + n;
    }
    if (!bpp || im->w <= 0 || im->h <= 0 || im->w > 8192 || im->h > 8192)
        return "no usable IHDR";
    uLongf rlen = (uLongf)im->h * (1 + (uLongf)im->w * (uLongf)bpp);
    uint8_t *raw = malloc(rlen);
    im->px = malloc((size_t)im->w * (size_t)im->h * 4);
    if (!raw || !im->px || uncompress(raw, &rlen, z, zlen) != Z_OK ||
        rlen != (uLongf)im->h * (1 + (uLongf)im->w * (uLongf)bpp) || !unfilter(raw, im->w, im->h, bpp))
        return "bad image data";
    for (int y = 0; y < im->h; y++)
        for (int x = 0; x < im->w; x++) {
            const uint8_t *q = raw + (size_t)y * (1 + (size_t)im->w * bpp) + 1 + (size_t)x * bpp;
            im->px[(size_t)y * im->w + x] = (uint32_t)q[0] << 16 | (uint32_t)q[1] << 8 | q[2];
        }
    free(raw);
    free(z);
    return NULL;
}

/* ---- XWD (xwd -id WINDOW): ZPixmap, 24/32 bits per pixel ---- */

static int mask_shift(uint32_t m)
{
    int s = 0;
    while (m && !(m & 1)) {
        m >>= 1;
        s++;
    }
    return s;
}

static const char *read_xwd(const uint8_t *d, size_t len, struct image *im)
{
    if (len < 100)
        return "truncated XWD header";
    uint32_t hsize = be32(d), format = be32(d + 8), w = be32(d + 16), h = be32(d + 20);
    uint32_t order = be32(d + 28), bits = be32(d + 44), bpl = be32(d + 48);
    uint32_t rm = be32(d + 56), gm = be32(d + 60), bm = be32(d + 64), ncolors = be32(d + 76);
    if (format != 2 || (bits != 32 && bits != 24) || w == 0 || h == 0 || w > 8192 || h > 8192)
        return "not a 24/32-bit ZPixmap XWD";
    size_t off = hsize + (size_t)ncolors * 12;
    if (off + (size_t)bpl * h > len)
        return "truncated XWD image";
    im->w = (int)w;
    im->h = (int)h;
    im->px = malloc((size_t)w * h * 4);
    if (!im->px)
        return "out of memory";
    for (uint32_t y = 0; y < h; y++)
        for (uint32_t x = 0; x < w; x++) {
            const uint8_t *q = d + off + (size_t)y * bpl + (size_t)x * (bits / 8);
            uint32_t v = 0;
            for (uint32_t k = 0; k < bits / 8; k++)
                v |= (uint32_t)q[k] << (order ? 8 * (bits / 8 - 1 - k) : 8 * k);
            uint32_t r = (v & rm) >> mask_shift(rm), g = (v & gm) >> mask_shift(gm);
            uint32_t b = (v & bm) >> mask_shift(bm);
            im->px[(size_t)y * w + x] = r << 16 | g << 8 | b;
        }
    return NULL;
}

/* A capture at scale s back to guest pixels: every s x s block one colour. */
static long unscale(struct image *im, int s)
{
    long bad = 0;
    int w = im->w / s, h = im->h / s;
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            uint32_t c = im->px[(size_t)(y * s) * im->w + x * s];
            for (int j = 0; j < s; j++)
                for (int i = 0; i < s; i++)
                    bad += im->px[(size_t)(y * s + j) * im->w + x * s + i] != c;
            im->px[(size_t)y * w + x] = c;
        }
    im->w = w;
    im->h = h;
    return bad;
}

/* ---- what the guests drew ---- */

static uint32_t dac6(unsigned r, unsigned g, unsigned b)
{
    r &= 63, g &= 63, b &= 63;
    return (r << 2 | r >> 4) << 16 | (g << 2 | g >> 4) << 8 | (b << 2 | b >> 4);
}

/* sdl.inc's DAC_RAMP: R i & 63, G 5i & 63, B i >> 2 */
static uint32_t ramp(unsigned i)
{
    return dac6(i, i * 5, i >> 2);
}

static uint32_t mode13_pixel(int x, int y)
{
    return ramp((unsigned)(x + 7 * y) & 0xFF);
}

static uint32_t mode12_pixel(int x, int y)
{
    unsigned o = (unsigned)(y * 80 + x / 8), c = 0;
    for (unsigned p = 0; p < 4; p++) {
        unsigned byte = (((o & 0xFF) * (2 * p + 3)) ^ (o >> 7) ^ (0x55 * p)) & 0xFF;
        c |= ((byte >> (7 - x % 8)) & 1) << p;
    }
    return dac6(4 * c + 3, 9 * c, 63 - 3 * c);
}

static uint8_t fb_byte(uint64_t i)
{
    return (uint8_t)(7 * i + 3 * (i >> 9));
}

static uint32_t vbe_pixel(int bpp, int w, int x, int y)
{
    int bytes = (bpp + 7) / 8;
    uint64_t i = ((uint64_t)y * (uint64_t)w + (uint64_t)x) * (uint64_t)bytes;
    uint32_t v = fb_byte(i) | (uint32_t)fb_byte(i + 1) << 8, r, g, b;
    switch (bpp) {
    case 8: return ramp(fb_byte(i));
    case 15: r = (v >> 10) & 31, g = (v >> 5) & 31, b = v & 31;
        return (r << 3 | r >> 2) << 16 | (g << 3 | g >> 2) << 8 | (b << 3 | b >> 2);
    case 16: r = (v >> 11) & 31, g = (v >> 5) & 63, b = v & 31;
        return (r << 3 | r >> 2) << 16 | (g << 2 | g >> 4) << 8 | (b << 3 | b >> 2);
    default: return (uint32_t)fb_byte(i + 2) << 16 | (uint32_t)fb_byte(i + 1) << 8 | fb_byte(i);
    }
}

static int compare_pixels(const struct image *im, const char *kind, int bpp, int w, int h)
{
    if (im->w != w || im->h != h) {
        printf("FAIL %s: picture is %dx%d, expected %dx%d\n", kind, im->w, im->h, w, h);
        return 1;
    }
    long bad = 0;
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            uint32_t want = bpp == 13 ? mode13_pixel(x, y) : bpp == 12 ? mode12_pixel(x, y)
                          : vbe_pixel(bpp, w, x, y);
            uint32_t got = im->px[(size_t)y * w + x];
            if (got != want && bad++ < 5)
                printf("  pixel (%d,%d): %06x, expected %06x\n", x, y, got, want);
        }
    printf("%s %s: %d of %d pixels as drawn\n", bad ? "FAIL" : "ok", kind,
           (int)((long)w * h - bad), w * h);
    return bad != 0;
}

/* ---- text: cells decoded with the font ---- */

static const uint32_t ega[16] = {
    0x000000, 0x0000AA, 0x00AA00, 0x00AAAA, 0xAA0000, 0xAA00AA, 0xAA5500, 0xAAAAAA,
    0x555555, 0x5555FF, 0x55FF55, 0x55FFFF, 0xFF5555, 0xFF55FF, 0xFFFF55, 0xFFFFFF,
};

static uint8_t font[256][16];

static void make_font(void)
{
    memcpy(font, vga_font_8x16, sizeof font);
    for (int k = 0; k < 16; k++)           /* text.asm's own glyphs */
        for (int r = 0; r < 16; r++)
            font[0x80 + k][r] = (uint8_t)((r * 17 + k * 29) ^ 0x5A);
}

static int palette_index(uint32_t rgb)
{
    for (int k = 0; k < 16; k++)
        if (ega[k] == rgb)
            return k;
    return -1;
}

struct cell { int ch, fg, bg; };       /* decoded; -1: could not tell */

/* The cell's two colours and bitmap; false when it has more than two
 * colours or one outside the 16-colour palette. */
static bool cell_colours(const struct image *im, int col, int row, int idx[2], int *n,
                         uint8_t bits[16], int fgslot)
{
    *n = 0;
    for (int r = 0; r < 16; r++) {
        bits[r] = 0;
        for (int x = 0; x < 9; x++) {
            int k = palette_index(im->px[(size_t)(row * 16 + r) * im->w + col * 9 + x]);
            if (k < 0)
                return false;
            int s = *n > 0 && idx[0] == k ? 0 : *n > 1 && idx[1] == k ? 1 : -1;
            if (s < 0) {
                if (*n == 2)
                    return false;
                idx[s = (*n)++] = k;
            }
            if (x < 8 && s == fgslot)
                bits[r] |= (uint8_t)(0x80 >> x);
        }
    }
    return true;
}

/* The first character whose glyph is this bitmap, or -1. */
static int glyph_char(const uint8_t bits[16])
{
    for (int c = 0; c < 256; c++)
        if (!memcmp(font[c], bits, 16))
            return c;
    return -1;
}

/* Decoding is ambiguous only as the picture is: a blank cell shows no
 * foreground, and a glyph and its inverse swap the colours.  So the cell
 * matches when the expected character, drawn in the expected colours,
 * decodes to the same picture: same glyph bitmap in the same two colours
 * (ninth column and cursor lines checked by the caller's rendering). */
static bool cell_matches(const struct image *im, int col, int row, int ch, int attr,
                         const uint8_t *cursor_rows, struct cell *dec)
{
    int fg = attr & 15, bg = attr >> 4;
    int idx[2], n;
    uint8_t bits[16];
    dec->ch = dec->fg = dec->bg = -1;
    if (!cell_colours(im, col, row, idx, &n, bits, 0))
        return false;
    /* decode: try each colour as the foreground */
    for (int slot = 0; slot < n; slot++) {
        cell_colours(im, col, row, idx, &n, bits, slot);
        int c = glyph_char(bits);
        if (c >= 0 && dec->ch < 0) {
            dec->ch = c;
            dec->fg = idx[slot];
            dec->bg = n == 2 ? idx[1 - slot] : idx[slot];
        }
    }
    /* the expected picture of the cell, pixel by pixel */
    for (int r = 0; r < 16; r++) {
        uint8_t g = cursor_rows && cursor_rows[r] ? 0xFF : font[ch][r];
        for (int x = 0; x < 9; x++) {
            bool on = x < 8 ? (g >> (7 - x)) & 1
                            : ch >= 0xC0 && ch <= 0xDF && (g & 1);
            uint32_t want = ega[on ? fg : bg];
            if (im->px[(size_t)(row * 16 + r) * im->w + col * 9 + x] != want)
                return false;
        }
    }
    return true;
}

static int compare_text(const struct image *im)
{
    static const uint8_t cursor[16] = { [6] = 1, [7] = 1, [8] = 1, [9] = 1 };
    int bad = 0, bad_own = 0, unique = 0, cursor_on = -1;
    if (im->w != 720 || im->h != 400) {
        printf("FAIL text: picture is %dx%d, expected 720x400\n", im->w, im->h);
        return 1;
    }
    make_font();
    for (int row = 0; row < 25; row++)
        for (int col = 0; col < 80; col++) {
            int i = row * 80 + col, ch = i & 0xFF, attr = (i * 13 + row) & 0xFF;
            struct cell d;
            bool ok = cell_matches(im, col, row, ch, attr, NULL, &d);
            if (!ok && row == 12 && col == 40 && cell_matches(im, col, row, ch, attr, cursor, &d))
                ok = true, cursor_on = 1;
            else if (ok && row == 12 && col == 40)
                cursor_on = 0;
            if (ok && d.ch >= 0 && !memcmp(font[d.ch], font[ch], 16) && d.fg == (attr & 15))
                unique++;
            bad_own += !ok && ch >= 0x80 && ch <= 0x8F;
            if (!ok && bad++ < 8)
                printf("  cell row %d col %d: expected char %02x attr %02x, decoded char %d "
                       "fg %d bg %d\n", row, col, ch, attr, d.ch, d.fg, d.bg);
        }
    printf("%s text: %d of 2000 cells show their character and attribute "
           "(%d decoded to exactly them; the rest are blank or inverse glyphs)\n",
           bad ? "FAIL" : "ok", 2000 - bad, unique);
    printf("%s text: the 16 glyphs loaded into plane 2 (0x80-0x8F) are drawn (%d cells wrong)\n",
           bad_own ? "FAIL" : "ok", bad_own);
    printf("%s text: the cursor cell (row 12, col 40) is drawn %s\n", cursor_on < 0 ? "FAIL" : "ok",
           cursor_on < 0 ? "wrong" : cursor_on ? "with the cursor (lines 6-9)" : "in its off phase");
    return bad || cursor_on < 0;
}

int main(int argc, char **argv)
{
    int scale = 0, a = 1;
    if (argc > 3 && !strcmp(argv[1], "--scale")) {
        scale = atoi(argv[2]);
        a = 3;
    }
    if (argc - a != 2 || scale < 0 || scale > 8) {
        fprintf(stderr, "usage: shotcmp [--scale N] text|mode13|mode12|vbe8|vbe15|vbe16|"
                "vbe24|vbe32 FILE\n");
        return 2;
    }
    const char *kind = argv[a], *path = argv[a + 1];
    size_t len;
    uint8_t *d = slurp(path, &len);
    struct image im = { 0 };
    const char *err = !d ? "cannot read it"
                    : len >= 8 && !memcmp(d, "\x89PNG\r\n\x1a\n", 8) ? read_png(d, len, &im)
                    : read_xwd(d, len, &im);
    if (err) {
        fprintf(stderr, "shotcmp: %s: %s\n", path, err);
        return 2;
    }
    int fails = 0;
    if (scale) {
        long bad = unscale(&im, scale);
        printf("%s the capture is the picture scaled %dx in whole pixels (%ld stray)\n",
               bad ? "FAIL" : "ok", scale, bad);
        fails += bad != 0;
    }
    static const struct { const char *kind; int bpp, w, h; } kinds[] = {
        { "mode13", 13, 320, 200 }, { "mode12", 12, 640, 480 }, { "vbe8", 8, 640, 480 },
        { "vbe15", 15, 800, 600 }, { "vbe16", 16, 640, 400 }, { "vbe24", 24, 640, 480 },
        { "vbe32", 32, 1024, 768 },
    };
    if (!strcmp(kind, "text"))
        fails += compare_text(&im);
    for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++)
        if (!strcmp(kind, kinds[k].kind))
            fails += compare_pixels(&im, kind, kinds[k].bpp, kinds[k].w, kinds[k].h);
    free(im.px);
    free(d);
    printf("shotcmp %s: %s\n", kind, fails ? "FAILED" : "passed");
    return fails ? 1 : 0;
}
