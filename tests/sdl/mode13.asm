; mode13.asm -- VGA mode 13h (320x200, 256 colours, chain 4) for
; tests/scripts/sdl_display.sh, programmed register by register:
;   pixel (x, y) = (x + 7 * y) & 0xFF
;   DAC entry i (6-bit) = R i & 63, G (i * 5) & 63, B i >> 2
; Run: x86lab --load mode13.bin@0x7c00 --entry 0:0x7c00 -display sdl
        org     0x7c00
        bits    16
%include "lib.inc"
%include "sdl.inc"
start:
        START16
        SET_MODE16 mode13
        DAC_RAMP16
        mov     ax, 0xA000
        mov     es, ax
        xor     di, di
        xor     bx, bx                  ; y
.row:   mov     ax, bx
        mov     cx, 7
        mul     cx                      ; AL = 7y (low byte)
        mov     cx, 320
.pixel: stosb
        inc     al
        loop    .pixel
        inc     bx
        cmp     bx, 200
        jb      .row
        IDLE16

mode13:
        db      0x63
        db      0x03, 0x01, 0x0F, 0x00, 0x0E
        db      0x5F, 0x4F, 0x50, 0x82, 0x54, 0x80, 0xBF, 0x1F
        db      0x00, 0x41, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00
        db      0x9C, 0x0E, 0x8F, 0x28, 0x40, 0x96, 0xB9, 0xA3, 0xFF
        db      0x00, 0x00, 0x00, 0x00, 0x00, 0x40, 0x05, 0x0F, 0xFF
        db      0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07
        db      0x08, 0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x0E, 0x0F
        db      0x41, 0x00, 0x0F, 0x00, 0x00

        SET_MODE_LIB16
        LIB16
