; dev_a20_kbc.asm -- the A20 gate through the 8042: writing the output
; port (0xD1, bit 1) and the 0xDD/0xDF commands turn it off and on; with
; it off, a write at 0x100500 (FFFF:0510) lands on 0x000500.  Port 0x92
; and the output port (0xD0) report the state either way.
        org     0x7c00
        bits    16

%include "lib.inc"

start:
        START16

        mov     al, 0xD1
        call    ctl
        mov     al, 0xDD                   ; bit 1 clear: A20 off; bit 0 set
        call    dat
        call    aliases
        CHECK16 z, "0xD1 with bit 1 clear: 0x100500 wraps to 0x000500"
        in      al, 0x92
        test    al, 0x02
        CHECK16 z, "port 0x92 reports A20 off"
        call    out_port
        test    al, 0x02
        CHECK16 z, "0xD0 output port: bit 1 clear"
        test    al, 0x01
        CHECK16 nz, "0xD0 output port: reset line (bit 0) high"

        mov     al, 0xD1
        call    ctl
        mov     al, 0xDF                   ; A20 on
        call    dat
        call    aliases
        CHECK16 nz, "0xD1 with bit 1 set: no wrap"
        in      al, 0x92
        test    al, 0x02
        CHECK16 nz, "port 0x92 reports A20 on"
        call    out_port
        test    al, 0x02
        CHECK16 nz, "0xD0 output port: bit 1 set"

        mov     al, 0xDD
        call    ctl
        call    aliases
        CHECK16 z, "command 0xDD: A20 off"
        mov     al, 0xDF
        call    ctl
        call    aliases
        CHECK16 nz, "command 0xDF: A20 on"

        in      al, 0x92                   ; port 0x92 off, 8042 on again
        and     al, 0xFC
        out     0x92, al
        call    out_port
        test    al, 0x02
        CHECK16 z, "A20 turned off at port 0x92 shows in the 8042's output port"
        mov     al, 0xDF
        call    ctl
        in      al, 0x92
        test    al, 0x02
        CHECK16 nz, "... and turned on by the 8042 shows at port 0x92"
        jmp     finish

aliases:
        mov     ax, 0xFFFF
        mov     es, ax
        mov     byte [0x0500], 0x11
        mov     byte [es:0x0510], 0x22
        cmp     byte [0x0500], 0x22
        ret

ctl:    out     0x64, al
        ret
dat:    out     0x60, al
        ret
; out_port: AL = the 8042's output port (command 0xD0)
out_port:
        mov     al, 0xD0
        out     0x64, al
.w:     in      al, 0x64
        test    al, 0x01
        jz      .w
        in      al, 0x60
        ret

finish:
        FINISH16

        LIB16

fails:  dw 0
