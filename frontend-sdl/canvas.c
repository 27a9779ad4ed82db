/* canvas.c -- an ARGB drawing surface for the overlay and the menu:
 * rectangles and text in the VGA ROM's 8x16 font (devices/vga_font.c),
 * so the window needs no font library. */
#include "sdl_int.h"

#include <stdlib.h>
#include <string.h>

int canvas_size(struct canvas *c, int w, int h)
{
    if (c->px && c->w == w && c->h == h)
        return 0;
    uint32_t *px = calloc((size_t)w * (size_t)h, sizeof *px);
    if (!px)
        return -1;
    free(c->px);
    c->px = px;
    c->w = w;
    c->h = h;
    return 0;
}

void canvas_free(struct canvas *c)
{
    free(c->px);
    c->px = NULL;
    c->w = c->h = 0;
}

void canvas_clear(struct canvas *c)
{
    if (c->px)
        memset(c->px, 0, (size_t)c->w * (size_t)c->h * sizeof *c->px);
}

void canvas_rect(struct canvas *c, int x, int y, int w, int h, uint32_t argb)
{
    int x0 = x < 0 ? 0 : x, y0 = y < 0 ? 0 : y;
    int x1 = x + w > c->w ? c->w : x + w, y1 = y + h > c->h ? c->h : y + h;
    for (int j = y0; j < y1; j++)
        for (int i = x0; i < x1; i++)
            c->px[(size_t)j * (size_t)c->w + (size_t)i] = argb;
}

static void glyph(struct canvas *c, int x, int y, uint8_t ch, uint32_t argb)
{
    const uint8_t *g = &vga_font_8x16[ch * GLYPH_H];
    for (int r = 0; r < GLYPH_H; r++) {
        if (y + r < 0 || y + r >= c->h)
            continue;
        for (int b = 0; b < GLYPH_W; b++)
            if ((g[r] & (0x80 >> b)) && x + b >= 0 && x + b < c->w)
                c->px[(size_t)(y + r) * (size_t)c->w + (size_t)(x + b)] = argb;
    }
}

void canvas_text(struct canvas *c, int x, int y, const char *s, uint32_t argb)
{
    for (; *s; s++, x += GLYPH_W)
        glyph(c, x, y, (uint8_t)*s, argb);
}
