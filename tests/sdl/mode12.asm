; mode12.asm -- VGA mode 12h (640x480, 16 colours in four planes) for
; tests/scripts/sdl_display.sh, programmed register by register, the
; palette registers the identity:
;   plane p, byte o (0-38399): ((o & 0xFF) * (2p + 3) ^ (o >> 7) ^ 0x55 p) & 0xFF
;   pixel colour = bit p from plane p (bit 7 of a byte is the leftmost pixel)
;   DAC entry i (6-bit) = R (4i + 3) & 63, G (9i) & 63, B 63 - 3i
; Run: x86lab --load mode12.bin@0x7c00 --entry 0:0x7c00 -display sdl
        org     0x7c00
        bits    16
%include "lib.inc"
%include "sdl.inc"
start:
        START16
        SET_MODE16 mode12
        call    palette
        mov     ax, 0xA000
        mov     es, ax
        xor     bp, bp                  ; plane
.plane: mov     cx, bp
        mov     ah, 1
        shl     ah, cl
        mov     al, 2                   ; sequencer map mask: this plane only
        mov     dx, 0x3C4
        out     dx, ax
        mov     bx, bp
        shl     bx, 1
        add     bx, 3                   ; 2p + 3
        mov     ax, bp
        mov     dl, 0x55
        mul     dl
        mov     dh, al                  ; 0x55 p
        xor     di, di
.byte:  mov     ax, di
        mul     bl                      ; AL = (o & 0xFF) * (2p + 3)
        mov     cx, di
        shr     cx, 7
        xor     al, cl
        xor     al, dh
        mov     [es:di], al
        inc     di
        cmp     di, 38400
        jb      .byte
        inc     bp
        cmp     bp, 4
        jb      .plane
        IDLE16

palette:
        mov     dx, 0x3C8
        xor     al, al
        out     dx, al
        inc     dx
        xor     bx, bx
.entry: mov     al, bl
        shl     al, 2
        add     al, 3
        and     al, 63
        out     dx, al
        mov     al, bl
        mov     ah, 9
        mul     ah
        and     al, 63
        out     dx, al
        mov     al, bl
        mov     ah, 3
        mul     ah
        mov     ah, 63
        sub     ah, al
        mov     al, ah
        out     dx, al
        inc     bx
        cmp     bx, 16
        jb      .entry
        ret

mode12:
        db      0xE3
        db      0x03, 0x01, 0x0F, 0x00, 0x06
        db      0x5F, 0x4F, 0x50, 0x82, 0x54, 0x80, 0x0B, 0x3E
        db      0x00, 0x40, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00
        db      0xEA, 0x0C, 0xDF, 0x28, 0x00, 0xE7, 0x04, 0xE3, 0xFF
        db      0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x05, 0x0F, 0xFF
        db      0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07
        db      0x08, 0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x0E, 0x0F
        db      0x01, 0x00, 0x0F, 0x00, 0x00

        SET_MODE_LIB16
        LIB16
