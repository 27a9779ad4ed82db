#!/usr/bin/env python3
"""gen_vga_font.py -- writes devices/vga_font.c, the 8x16 and 8x8 code page
437 fonts of the VGA adapter (and later the BIOS), from the public-domain
X11 "misc-fixed" bitmap fonts.

Glyphs come from 8x13B (8x16 font; 8x13 fills what the bold face lacks) and
5x8 (8x8 font), both "Public domain font.  Share and enjoy." (Debian package
xfonts-base; convert the .pcf.gz files to BDF with pcf2bdf).  Box-drawing
characters and block elements are not taken from those fonts: they are drawn
here so that lines join across cells of any height, as on a VGA.

usage: gen_vga_font.py 8x13B.bdf 8x13.bdf 5x8.bdf > devices/vga_font.c
"""
import sys

# CP437 0x01-0x1F and 0x7F are pictures, not controls.
LOW = [0x0000, 0x263A, 0x263B, 0x2665, 0x2666, 0x2663, 0x2660, 0x2022,
       0x25D8, 0x25CB, 0x25D9, 0x2642, 0x2640, 0x266A, 0x266B, 0x263C,
       0x25BA, 0x25C4, 0x2195, 0x203C, 0x00B6, 0x00A7, 0x25AC, 0x21A8,
       0x2191, 0x2193, 0x2192, 0x2190, 0x221F, 0x2194, 0x25B2, 0x25BC]


def cp437_unicode(code):
    if code < 0x20:
        return LOW[code]
    if code == 0x7F:
        return 0x2302
    if code < 0x80:
        return code
    return ord(bytes([code]).decode("cp437"))


def read_bdf(path):
    """{codepoint: (bbx, rows as ints, MSB = leftmost)}, font ascent."""
    glyphs, ascent = {}, None
    enc = bbx = None
    rows = None
    with open(path) as f:
        for line in f:
            w = line.split()
            if not w:
                continue
            if w[0] == "FONT_ASCENT":
                ascent = int(w[1])
            elif w[0] == "ENCODING":
                enc = int(w[1])
            elif w[0] == "BBX":
                bbx = tuple(int(x) for x in w[1:5])
            elif w[0] == "BITMAP":
                rows = []
            elif w[0] == "ENDCHAR":
                glyphs[enc] = (bbx, rows)
                rows = None
            elif rows is not None:
                nbits = len(w[0]) * 4
                rows.append(int(w[0], 16) << max(0, 8 - nbits) >> max(0, nbits - 8))
    return glyphs, ascent


def place(glyph, ascent, height, top, xshift):
    """The glyph on an 8 x height cell whose baseline is top + ascent rows down."""
    (bw, bh, bx, by), rows = glyph
    cell = [0] * height
    baseline = top + ascent          # first row below the baseline
    first = baseline - by - bh       # cell row of the bitmap's top row
    for k, bits in enumerate(rows):
        r = first + k
        if 0 <= r < height:
            shift = bx + xshift
            cell[r] |= ((bits << 8) >> shift >> 8) if shift >= 0 else (bits << -shift) & 0xFF
    return cell


# Box drawing: arms (up, down, left, right), 0 none, 1 single, 2 double.
BOX = {
    0xB3: (1, 1, 0, 0), 0xB4: (1, 1, 1, 0), 0xB5: (1, 1, 2, 0), 0xB6: (2, 2, 1, 0),
    0xB7: (0, 2, 1, 0), 0xB8: (0, 1, 2, 0), 0xB9: (2, 2, 2, 0), 0xBA: (2, 2, 0, 0),
    0xBB: (0, 2, 2, 0), 0xBC: (2, 0, 2, 0), 0xBD: (2, 0, 1, 0), 0xBE: (1, 0, 2, 0),
    0xBF: (0, 1, 1, 0), 0xC0: (1, 0, 0, 1), 0xC1: (1, 0, 1, 1), 0xC2: (0, 1, 1, 1),
    0xC3: (1, 1, 0, 1), 0xC4: (0, 0, 1, 1), 0xC5: (1, 1, 1, 1), 0xC6: (1, 1, 0, 2),
    0xC7: (2, 2, 0, 1), 0xC8: (2, 0, 0, 2), 0xC9: (0, 2, 0, 2), 0xCA: (2, 0, 2, 2),
    0xCB: (0, 2, 2, 2), 0xCC: (2, 2, 0, 2), 0xCD: (0, 0, 2, 2), 0xCE: (2, 2, 2, 2),
    0xCF: (1, 0, 2, 2), 0xD0: (2, 0, 1, 1), 0xD1: (0, 1, 2, 2), 0xD2: (0, 2, 1, 1),
    0xD3: (2, 0, 0, 1), 0xD4: (1, 0, 0, 2), 0xD5: (0, 1, 0, 2), 0xD6: (0, 2, 0, 1),
    0xD7: (2, 2, 1, 1), 0xD8: (1, 1, 2, 2), 0xD9: (1, 0, 1, 0), 0xDA: (0, 1, 0, 1),
}


def box_glyph(arms, height):
    """Double lines are a thick band with a hollow core: bands of double arms
    are drawn, the cores cut out, then single arms drawn on top.  That joins
    corners, tees and crossings of any mix of single and double lines."""
    up, down, left, right = arms
    hc = height // 2
    px = set()

    def rect(x0, x1, y0, y1):
        return {(x, y) for x in range(x0, x1 + 1) for y in range(y0, y1 + 1)}

    vdouble = 2 in (up, down)
    hdouble = 2 in (left, right)
    # The centre square: where the perpendicular strokes meet.
    cx0, cx1 = (2, 5) if vdouble else (3, 4)
    cy0, cy1 = (hc - 2, hc + 1) if hdouble else (hc, hc)
    # Double bands and their cores.
    bands, cores = set(), set()
    if up == 2:
        bands |= rect(2, 5, 0, cy1)
        cores |= rect(3, 4, 0, cy1 if down == 2 else cy1 - 1)
    if down == 2:
        bands |= rect(2, 5, cy0, height - 1)
        cores |= rect(3, 4, cy0 if up == 2 else cy0 + 1, height - 1)
    if left == 2:
        bands |= rect(0, cx1, hc - 2, hc + 1)
        cores |= rect(0, cx1 if right == 2 else cx1 - 1, hc - 1, hc)
    if right == 2:
        bands |= rect(cx0, 7, hc - 2, hc + 1)
        cores |= rect(cx0 if left == 2 else cx0 + 1, 7, hc - 1, hc)
    px = bands - cores
    # Single arms reach the far side of the centre square, unless a double
    # line runs straight across their path (a tee): then they stop at it.
    vthrough = left == 2 and right == 2
    hthrough = up == 2 and down == 2
    if up == 1:
        end = cy1 if (down == 1 or not vthrough) else cy0
        px |= rect(3, 4, 0, end)
    if down == 1:
        start = cy0 if (up == 1 or not vthrough) else cy1
        px |= rect(3, 4, start, height - 1)
    if left == 1:
        end = cx1 if (right == 1 or not hthrough) else cx0
        px |= rect(0, end, hc, hc)
    if right == 1:
        start = cx0 if (left == 1 or not hthrough) else cx1
        px |= rect(start, 7, hc, hc)
    return [sum(0x80 >> x for x in range(8) if (x, y) in px) for y in range(height)]


def block_glyph(code, height):
    half = height // 2
    if code == 0xB0:
        return [0x22 if y % 2 else 0x88 for y in range(height)]
    if code == 0xB1:
        return [0x55 if y % 2 else 0xAA for y in range(height)]
    if code == 0xB2:
        return [0xDD if y % 2 else 0x77 for y in range(height)]
    if code == 0xDB:
        return [0xFF] * height
    if code == 0xDC:
        return [0xFF if y >= half else 0 for y in range(height)]
    if code == 0xDD:
        return [0xF0] * height
    if code == 0xDE:
        return [0x0F] * height
    if code == 0xDF:
        return [0xFF if y < half else 0 for y in range(height)]
    return None


def build(fonts, height, top, xshift):
    out, missing = [], []
    for code in range(256):
        cell = None
        if code in BOX:
            cell = box_glyph(BOX[code], height)
        else:
            cell = block_glyph(code, height)
        if cell is None:
            cp = cp437_unicode(code)
            for glyphs, ascent in fonts:
                if cp in glyphs:
                    cell = place(glyphs[cp], ascent, height, top, xshift)
                    break
        if cell is None:
            missing.append(code)
            cell = [0] * height
        out.append(cell)
    return out, missing


def emit(name, cells, height):
    print(f"const uint8_t {name}[256 * {height}] = {{")
    for code, cell in enumerate(cells):
        hexes = ", ".join(f"0x{b:02x}" for b in cell)
        print(f"    /* {code:02x} */ {hexes},")
    print("};")


def main():
    bold, medium, small = (read_bdf(p) for p in sys.argv[1:4])
    f16, miss16 = build([bold, medium], 16, 1, 0)
    f8, miss8 = build([small], 8, 0, 1)
    print("/* vga_font.c -- 8x16 and 8x8 code page 437 fonts, bit 7 leftmost.  Made by")
    print(" * tools/gen_vga_font.py from the public-domain X11 misc-fixed fonts 8x13B,")
    print(" * 8x13 and 5x8; box drawing and blocks are drawn by the script. */")
    print('#include "vga.h"')
    print()
    emit("vga_font_8x16", f16, 16)
    print()
    emit("vga_font_8x8", f8, 8)
    sys.stderr.write(f"missing 8x16: {[hex(c) for c in miss16]}\n")
    sys.stderr.write(f"missing 8x8: {[hex(c) for c in miss8]}\n")


if __name__ == "__main__":
    main()
