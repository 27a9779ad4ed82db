; boot_keys.asm -- a boot sector that echoes keys: it waits with INT 16h
; AH=00h, writes each key's code ("key XXXX") on port E9h and its
; character on the screen with INT 10h teletype, and on 'q' exits through
; port F4h with EXIT_PASS.  tests/scripts/boot_console.sh types at it
; through the terminal console (-nographic), so a key goes the whole way:
; terminal, 8042, INT 09h, the BDA buffer, INT 16h, the screen.
        bits    16
        org     0x7C00
%include "lib.inc"
start:  START16
        sti
        mov     si, ready
        call    puts16
        call    screen
.key:   mov     ah, 0x00
        int     0x16
        push    ax
        mov     si, keymsg
        call    puts16
        call    hex16
        mov     al, 10
        out     DEBUGCON, al
        pop     ax
        push    ax
        mov     ah, 0x0E                        ; and on the screen
        mov     bx, 0x0007
        int     0x10
        pop     ax
        cmp     al, 'q'
        jne     .key
        mov     al, EXIT_PASS
        jmp     exit16
; screen: the string at DS:SI (just printed) on the screen too
screen: mov     si, ready
.next:  lodsb
        test    al, al
        jz      .done
        cmp     al, 10
        je      .next
        mov     ah, 0x0E
        mov     bx, 0x0007
        int     0x10
        jmp     .next
.done:  ret
ready:  db      "boot_keys: type> ", 10, 0
keymsg: db      "key ", 0
        LIB16
        times   510 - ($ - $$) db 0
        dw      0xAA55
