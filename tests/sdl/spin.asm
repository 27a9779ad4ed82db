; spin.asm -- a guest that never rests, for tests/scripts/sdl_overlay.sh:
; it counts, shows the count on the text screen and reads port 0x61 in a
; loop, so every engine has instructions to run (and the translator port
; I/O to trap) while the overlay's figures are watched.
; Run: x86lab --load spin.bin@0x7c00 --entry 0:0x7c00 -display sdl
        org     0x7c00
        bits    16
%include "lib.inc"
start:
        START16
        mov     al, 0xFF                ; no interrupts from anywhere
        out     0x21, al
        out     0xA1, al
        mov     si, ready_msg
        call    puts16
        mov     ax, 0xB800
        mov     es, ax
        xor     ebx, ebx
.loop:  inc     ebx
        mov     eax, ebx
        xor     di, di
        mov     cx, 8
.digit: rol     eax, 4
        mov     dl, al
        and     dl, 15
        add     dl, '0'
        cmp     dl, '9'
        jbe     .put
        add     dl, 'a' - '9' - 1
.put:   mov     [es:di], dl
        mov     byte [es:di + 1], 0x1F
        add     di, 2
        loop    .digit
        in      al, 0x61
        jmp     .loop
ready_msg: db "ready", 10, 0

        LIB16
