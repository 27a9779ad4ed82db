; rmguest.asm -- a real-mode guest for tests/scripts/debug_sigint.sh:
; `next` over a software interrupt (INT 80h through an IVT entry it sets
; up), then an endless loop that only SIGINT can stop.  Flat, at 0x7c00.
org 0x7c00
bits 16
start:
    xor ax, ax
    mov ds, ax
    mov word [0x80 * 4], handler
    mov word [0x80 * 4 + 2], 0
    int 0x80                    ; 0x7c10
after_int:
    mov bx, 1                   ; 0x7c12
spin:
    inc dx
    jmp spin

handler:
    mov cx, 0x5678
    iret
