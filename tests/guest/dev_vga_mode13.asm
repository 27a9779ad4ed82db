; dev_vga_mode13.asm -- mode 13h (320x200, 256 colours, chain 4) from the
; guest: programmed from a register table, a DAC entry read back, a pixel
; written at A0000 and read back, a whole line copied with REP MOVSD and
; compared with REPE CMPSD; then chain 4 turned off: the pixel at linear
; address a is found in plane a & 3 at offset a & ~3 (not at offset a, not
; in the next plane), and a byte written unchained to one plane appears
; at the matching chained address.
%include "pm_lib.inc"
%include "dev_vga_lib.inc"

%define PX 10
%define PY 7
%define PADDR (PY * 320 + PX)
%define LINEBUF 0x30000

test_main:
        mov     esi, mode13_regs
        call    vga_set_mode
        ; DAC entry 5: a colour to read back
        OUTB    0x3C8, 5
        OUTB    0x3C9, 0x3F
        OUTB    0x3C9, 0x20
        OUTB    0x3C9, 0x10
        OUTB    0x3C7, 5
        mov     dx, 0x3C9
        in      al, dx
        mov     bl, al
        in      al, dx
        mov     bh, al
        in      al, dx
        movzx   eax, al
        shl     eax, 16
        mov     ax, bx
        CHECKV  eax, 0x0010203F, "DAC entry 5 reads back"

        ; clear all four planes unchained (chained writes only reach
        ; offsets that are multiples of 4), then chain 4 again
        SETREG  0x3C4, 4, 0x06
        cld
        mov     edi, 0xA0000
        mov     ecx, 0x10000 / 4
        xor     eax, eax
        rep     stosd
        SETREG  0x3C4, 4, 0x0E
        mov     byte [0xA0000 + PADDR], 5
        movzx   eax, byte [0xA0000 + PADDR]
        CHECKV  eax, 5, "13h: the pixel reads back"
        movzx   eax, byte [0xA0000 + PADDR + 1]
        CHECKV  eax, 0, "13h: its neighbour is untouched"
        ; a line of colours 0-255, 0-63 built in RAM, copied with REP
        ; MOVSD, compared with REPE CMPSD and byte by byte
        mov     edi, LINEBUF
        xor     eax, eax
        mov     ecx, 320
.mk:    stosb
        inc     al
        loop    .mk
        mov     esi, LINEBUF
        mov     edi, 0xA0000 + 100 * 320
        mov     ecx, 80
        rep     movsd
        mov     esi, LINEBUF
        mov     edi, 0xA0000 + 100 * 320
        mov     ecx, 80
        repe    cmpsd
        CHECK32 e, "13h: REP MOVSD of a 320-pixel line, REPE CMPSD reads it back"
        mov     esi, 0xA0000 + 100 * 320
        xor     ebx, ebx
        mov     ecx, 320
.cmp:   lodsb
        cmp     al, bl
        jne     .bad
        inc     ebx
        loop    .cmp
.bad:   cmp     ebx, 320
        CHECK32 e, "13h: the line read back byte by byte"
        movzx   eax, byte [0xA0000 + 100 * 320 + 300]
        CHECKV  eax, 300 & 0xFF, "13h: pixel 300 of the line"

        ; ---- chain 4 off: the planes ----
        SETREG  0x3C4, 4, 0x06
        SETREG  0x3CE, 5, 0x00
        SETREG  0x3CE, 4, PX & 3
        movzx   eax, byte [0xA0000 + (PADDR & ~3)]
        CHECKV  eax, 5, "unchained: the pixel is in plane x & 3 at offset a & ~3"
        SETREG  0x3CE, 4, (PX + 1) & 3
        movzx   eax, byte [0xA0000 + (PADDR & ~3)]
        CHECKV  eax, 0, "unchained: the next plane there holds pixel x + 1 (0)"
        SETREG  0x3CE, 4, PX & 3
        movzx   eax, byte [0xA0000 + PADDR]
        CHECKV  eax, 0, "unchained: offset a itself is not the pixel"
        ; line 100's pixel 7 (colour 7) sits in plane 3 at 100 * 320 + 4
        SETREG  0x3CE, 4, 3
        movzx   eax, byte [0xA0000 + 100 * 320 + 4]
        CHECKV  eax, 7, "unchained: line 100 pixel 7 in plane 3"
        ; write plane 1 alone at offset 400 (mode X style)
        SETREG  0x3C4, 2, 0x02
        mov     byte [0xA0000 + 400], 0x99
        SETREG  0x3C4, 2, 0x0F
        SETREG  0x3CE, 4, 1
        movzx   eax, byte [0xA0000 + 400]
        CHECKV  eax, 0x99, "unchained: a byte written to plane 1 only"
        SETREG  0x3CE, 4, 0
        movzx   eax, byte [0xA0000 + 400]
        CHECKV  eax, 0, "unchained: plane 0 at that offset untouched"
        ; chained again: plane 1, offset 400 is address 401
        SETREG  0x3C4, 4, 0x0E
        SETREG  0x3CE, 5, 0x40
        movzx   eax, byte [0xA0000 + 401]
        CHECKV  eax, 0x99, "chained again: it is the pixel at address 401"
        movzx   eax, byte [0xA0000 + PADDR]
        CHECKV  eax, 5, "chained again: the first pixel is still there"

        FINISH32
