; dev_a20_port92.asm -- the A20 gate through port 0x92 (system control
; port A, bit 1): on at power-on here (x86lab keeps it open until a BIOS
; manages it); off, a write at 0x100500 (FFFF:0510) lands on 0x000500;
; on again, the two are distinct.  Port 0x92 and the 8042's output port
; (0xD0, bit 1) both report the gate's state; other bits read back.
        org     0x7c00
        bits    16

%include "lib.inc"

start:
        START16

        in      al, 0x92
        test    al, 0x02
        CHECK16 nz, "port 0x92 bit 1: A20 on at power-on"
        call    aliases
        CHECK16 nz, "A20 on: 0x100500 and 0x000500 are different bytes"

        in      al, 0x92
        and     al, 0xFC                   ; A20 off, no reset
        out     0x92, al
        in      al, 0x92
        test    al, 0x02
        CHECK16 z, "port 0x92 reads A20 off"
        call    aliases
        CHECK16 z, "A20 off: a write at 0x100500 lands on 0x000500"
        call    kbc_a20
        CHECK16 z, "the 8042's output port agrees: A20 off"
        cmp     byte [es:0x0510], 0x22
        CHECK16 e, "FFFF:0510 reads the byte at 0x000500"

        in      al, 0x92
        or      al, 0x02
        out     0x92, al
        call    aliases
        CHECK16 nz, "A20 on again: no wrap"
        call    kbc_a20
        CHECK16 nz, "the 8042's output port agrees: A20 on"

        mov     al, 0x0A                   ; bit 3 (security lock) and A20
        out     0x92, al
        in      al, 0x92
        cmp     al, 0x0A
        CHECK16 e, "port 0x92 reads back what was written"
        jmp     finish

; aliases: writes 0x11 at 0000:0500 then 0x22 at FFFF:0510 (0x100500);
; ZF=1 when the second write landed on the first; ES = 0xFFFF after
aliases:
        mov     ax, 0xFFFF
        mov     es, ax
        mov     byte [0x0500], 0x11
        mov     byte [es:0x0510], 0x22
        cmp     byte [0x0500], 0x22
        ret

; kbc_a20: ZF=0 when the 8042's output port shows A20 on
kbc_a20:
        mov     al, 0xD0
        out     0x64, al
.w:     in      al, 0x64
        test    al, 0x01
        jz      .w
        in      al, 0x60
        test    al, 0x02
        ret

finish:
        FINISH16

        LIB16

fails:  dw 0
