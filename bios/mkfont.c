/* mkfont.c -- build helper: writes the VGA fonts of devices/vga_font.c
 * (8x16, then 8x8, 256 glyphs each, one byte per row) to stdout as raw
 * bytes, for the BIOS ROM to incbin: one font source for the VGA's power-on
 * state and for the BIOS, which reloads it at every text mode set. */
#include <stdio.h>

#include "devices/vga.h"

int main(void)
{
    if (fwrite(vga_font_8x16, 1, sizeof vga_font_8x16, stdout) != sizeof vga_font_8x16 ||
        fwrite(vga_font_8x8, 1, sizeof vga_font_8x8, stdout) != sizeof vga_font_8x8)
        return 1;
    return fflush(stdout) != 0;
}
