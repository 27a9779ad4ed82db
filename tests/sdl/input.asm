; input.asm -- echoes what the 8042 delivers, for tests/scripts/sdl_input.sh:
; the PICs programmed (IRQ 1 and IRQ 12 unmasked), the PS/2 mouse enabled
; as an IntelliMouse (the 200-100-80 sample-rate knock: 4-byte packets
; with the wheel), then every byte from port 0x60 printed on the debug
; console as "k XX" (keyboard, set 1 through the 8042's translation) or
; "m XX" (mouse), one line each.
; Run: x86lab --load input.bin@0x7c00 --entry 0:0x7c00 -display sdl
        org     0x7c00
        bits    16
%include "lib.inc"
%include "sdl.inc"
start:
        START16
        SETVEC16 0x21, on_irq            ; IRQ 1 (master base 0x20)
        SETVEC16 0x2C, on_irq            ; IRQ 12 (slave base 0x28)
        call    pic_init
        call    kbc_wait_write
        mov     al, 0xA8                 ; enable the auxiliary port
        out     0x64, al
        mov     si, mouse_cmds
.cmd:   lodsb
        test    al, al
        jz      .id
        call    mouse_cmd
        jmp     .cmd
.id:    mov     al, 0xF2                 ; identify: ACK, then the ID
        call    mouse_cmd
        call    kbc_read
        push    ax
        mov     si, id_msg
        call    puts16
        pop     ax
        call    hex8
        mov     al, 10
        out     DEBUGCON, al
        mov     al, 0xF4                 ; enable data reporting
        call    mouse_cmd
        mov     si, ready_msg
        call    puts16
.idle:  sti
        hlt
        jmp     .idle

mouse_cmds: db 0xF3, 200, 0xF3, 100, 0xF3, 80, 0
id_msg:     db "mouse id ", 0
ready_msg:  db "ready", 10, 0

; pic_init: vectors 0x20 and 0x28, all masked but IRQ 1, 2 (cascade), 12
pic_init:
        mov     al, 0x11
        out     0x20, al
        out     0xA0, al
        mov     al, 0x20
        out     0x21, al
        mov     al, 0x28
        out     0xA1, al
        mov     al, 4
        out     0x21, al
        mov     al, 2
        out     0xA1, al
        mov     al, 1
        out     0x21, al
        out     0xA1, al
        mov     al, 0xF9                 ; IRQ 1, 2
        out     0x21, al
        mov     al, 0xEF                 ; IRQ 12
        out     0xA1, al
        ret

kbc_wait_write:
        in      al, 0x64
        test    al, 2
        jnz     kbc_wait_write
        ret

; kbc_read: AL = the next byte from port 0x60 (polled: interrupts are off)
kbc_read:
        in      al, 0x64
        test    al, 1
        jz      kbc_read
        in      al, 0x60
        ret

; mouse_cmd: byte AL to the mouse (0xD4 first), waiting for its ACK
mouse_cmd:
        push    ax
        call    kbc_wait_write
        mov     al, 0xD4
        out     0x64, al
        call    kbc_wait_write
        pop     ax
        out     0x60, al
        call    kbc_read                 ; 0xFA
        ret

; Both IRQs: print every byte waiting, keyboard or mouse by status bit 5.
on_irq:
        push    ax
        push    si
.next:  in      al, 0x64
        test    al, 1
        jz      .done
        mov     si, kbd_tag
        test    al, 0x20
        jz      .tag
        mov     si, mouse_tag
.tag:   call    puts16
        in      al, 0x60
        call    hex8
        mov     al, 10
        out     DEBUGCON, al
        jmp     .next
.done:  mov     al, 0x20
        out     0xA0, al
        out     0x20, al
        pop     si
        pop     ax
        iret
kbd_tag:   db "k ", 0
mouse_tag: db "m ", 0

; hex8: AL as two hex digits
hex8:
        push    ax
        push    bx
        mov     ah, al
        shr     al, 4
        call    .digit
        mov     al, ah
        and     al, 15
        call    .digit
        pop     bx
        pop     ax
        ret
.digit: mov     bl, al
        xor     bh, bh
        mov     al, [cs:bx + hexdigits16]
        out     DEBUGCON, al
        ret

        LIB16
