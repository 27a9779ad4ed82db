; text.asm -- the 80x25 text screen for tests/scripts/sdl_display.sh:
; every character code and attribute, 16 glyphs of its own loaded into
; plane 2 (so the window must take the font from the VGA, not from a ROM
; copy), blinking off (attribute bit 7 is a bright background), the
; cursor as scan lines 6-9 of row 12, column 40.
;   cell i = row * 80 + col:  char = i & 0xFF,  attr = (i * 13 + row) & 0xFF
;   glyph 0x80 + k, scan line r:  (r * 17 + k * 29) ^ 0x5A   (k, r 0-15)
; Run: x86lab --load text.bin@0x7c00 --entry 0:0x7c00 -display sdl
        org     0x7c00
        bits    16
%include "lib.inc"
%include "sdl.inc"
start:
        START16
        call    load_glyphs
        ; attribute mode control (index 0x10): graphics off, line graphics
        ; on (9th column of C0-DF), blinking off
        mov     dx, 0x3DA
        in      al, dx
        mov     dx, 0x3C0
        mov     al, 0x30
        out     dx, al
        mov     al, 0x04
        out     dx, al
        OUTIDX  0x3D4, 0x0A, 6          ; cursor start line 6
        OUTIDX  0x3D4, 0x0B, 9          ; cursor end line 9
        OUTIDX  0x3D4, 0x0E, 0x03       ; cursor at 12 * 80 + 40 = 0x3E8
        OUTIDX  0x3D4, 0x0F, 0xE8
        call    fill_screen
        IDLE16

; The 16 glyphs of characters 0x80-0x8F, through plane 2 (sequential
; addressing, plane 2 only), then mode 3's odd/even settings back.
load_glyphs:
        OUTIDX  0x3C4, 2, 0x04
        OUTIDX  0x3C4, 4, 0x07
        OUTIDX  0x3CE, 4, 0x02
        OUTIDX  0x3CE, 5, 0x00
        OUTIDX  0x3CE, 6, 0x04
        mov     ax, 0xA000
        mov     es, ax
        xor     bx, bx                  ; k
.glyph: xor     cx, cx                  ; r
.row:   mov     ax, cx
        mov     dl, 17
        mul     dl
        mov     si, ax
        mov     ax, bx
        mov     dl, 29
        mul     dl
        add     ax, si
        xor     al, 0x5A
        mov     di, bx
        add     di, 0x80
        shl     di, 5
        add     di, cx
        mov     [es:di], al
        inc     cx
        cmp     cx, 16
        jb      .row
        inc     bx
        cmp     bx, 16
        jb      .glyph
        OUTIDX  0x3C4, 2, 0x03
        OUTIDX  0x3C4, 4, 0x02
        OUTIDX  0x3CE, 4, 0x00
        OUTIDX  0x3CE, 5, 0x10
        OUTIDX  0x3CE, 6, 0x0E
        ret

fill_screen:
        mov     ax, 0xB800
        mov     es, ax
        xor     di, di
        xor     si, si                  ; i
        xor     bx, bx                  ; row
.row:   mov     cx, 80
.cell:  mov     ax, si
        mov     dx, 13
        mul     dx
        add     ax, bx
        mov     ah, al                  ; attr
        mov     dx, si
        mov     al, dl                  ; char
        stosw
        inc     si
        loop    .cell
        inc     bx
        cmp     bx, 25
        jb      .row
        ret

        LIB16
