/* frame.c -- a consistent copy of what the VGA shows, taken on the
 * emulation thread (registers, DAC, the planes or the visible part of the
 * VBE framebuffer, the blink phase: a few hundred microseconds at most),
 * and rendered on the window thread with the platform's own renderer
 * (devices/vga_render.c), which reads the font from plane 2. */
#include "sdl_int.h"

#include <stdlib.h>
#include <string.h>

int snap_init(struct vga_snap *s)
{
    memset(s, 0, sizeof *s);
    s->vram = calloc(VGA_VRAM_SIZE, 1);
    return s->vram ? 0 : -1;
}

void snap_free(struct vga_snap *s)
{
    free(s->vram);
    s->vram = NULL;
}

/* The bytes of video memory the current mode shows: the four planes, or
 * the VBE screen from its start offset (as vga_render bounds it). */
static void visible_range(const struct vga *v, uint64_t *start, uint64_t *len)
{
    *start = 0;
    *len = 4 * VGA_PLANE_SIZE;
    if (!vbe_enabled(v))
        return;
    *start = v->vbe_start;
    *len = (uint64_t)v->vbe_line_offset * v->vbe[VBE_INDEX_YRES];
    if (*start >= VGA_VRAM_SIZE)
        *len = 0;
    else if (*start + *len > VGA_VRAM_SIZE)
        *len = VGA_VRAM_SIZE - *start;
}

void snap_take(struct vga_snap *s, const struct vga *v)
{
    uint64_t start, len;
    s->vga = *v;
    s->vga.vram = s->vram;
    s->vga.clock = &s->clock;
    /* A deterministic clock whose counter never moves: vga_render's blink
     * phase is the one at the time of the copy. */
    memset(&s->clock, 0, sizeof s->clock);
    s->clock.deterministic = true;
    s->clock.ns_per_insn = 1;
    s->clock.insns = &s->no_insns;
    s->clock.offset = vclock_now(v->clock);
    visible_range(v, &start, &len);
    memcpy(s->vram + start, v->vram + start, (size_t)len);
}

int snap_render(struct vga_snap *s, uint32_t *px, int max_w, int max_h, int *w, int *h)
{
    if (vga_render(&s->vga, px, max_w, max_h, w, h) < 0)
        return -1;
    return *w > 0 && *h > 0 ? 0 : -1;
}
