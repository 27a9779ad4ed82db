; boot_hello.asm -- the smallest boot sector: says which drive the BIOS
; booted it from (DL) on port E9h ("boot_hello: drive XX") and exits
; through port F4h with EXIT_PASS.  tests/scripts/boot_order.sh puts it on
; floppies and hard disks to see which one the BIOS picks.
        bits    16
        org     0x7C00
%include "lib.inc"
start:  START16
        mov     si, msg
        call    puts16
        movzx   ax, dl
        call    hex16                           ; four digits: 0000 or 0080
        mov     al, 10
        out     DEBUGCON, al
        mov     al, EXIT_PASS
        jmp     exit16
msg:    db      "boot_hello: drive ", 0
        LIB16
        times   510 - ($ - $$) db 0
        dw      0xAA55
