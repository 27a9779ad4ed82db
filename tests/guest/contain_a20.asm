; contain_a20.asm -- the A20 wrap and the high memory area on a machine
; with exactly 1 MiB of RAM, in real mode: with A20 on, FFFF:0010-FFFF:FFFF
; (0x100000-0x10FFEF) is above RAM: reads are all-ones, writes and string
; runs there change nothing (low memory included); with A20 off the same
; addresses wrap to 0x000000-0x00FFEF, as on a PC, for plain moves and for
; REP MOVSB/STOSB runs.
; x86lab-args: -m 1
        org     0x7c00
        bits    16

%include "lib.inc"
%include "dev_lib.inc"

start:
        START16
        mov     ax, 0xFFFF
        mov     es, ax
        mov     fs, ax
        mov     dword [0x0600], 0x600D600D        ; canary at 0x000600

        ; ---- A20 on (x86lab's power-on state without a BIOS) ----
        EXPECT32 [es:0x0610], 0xFFFFFFFF, "A20 on: 0x100600 (above 1 MiB of RAM) reads all-ones"
        mov     dword [es:0x0610], 0x12345678
        EXPECT32 [es:0x0610], 0xFFFFFFFF, "A20 on: a write above RAM goes nowhere"
        EXPECT32 [0x0600], 0x600D600D, "A20 on: 0x000600 untouched by it"
        cld
        mov     di, 0x0010
        mov     cx, 0xFFF0                        ; the whole HMA
        mov     al, 0x5A
        rep stosb
        EXPECT32 [0x0600], 0x600D600D, "A20 on: REP STOSB over the HMA leaves low memory alone"
        push    ds
        mov     ax, 0xFFFF
        mov     ds, ax
        mov     si, 0x0010
        xor     ax, ax
        mov     es, ax
        mov     di, 0x7000
        mov     cx, 0x100
        rep movsb
        pop     ds
        EXPECT32 [0x70FC], 0xFFFFFFFF, "A20 on: REP MOVSB from the HMA copies all-ones"

        ; ---- A20 off: the wrap ----
        in      al, 0x92
        and     al, 0xFC
        out     0x92, al
        mov     ax, 0xFFFF
        mov     es, ax
        EXPECT32 [es:0x0610], 0x600D600D, "A20 off: FFFF:0610 reads 0x000600"
        mov     dword [es:0x0614], 0xAABBCCDD
        EXPECT32 [0x0604], 0xAABBCCDD, "A20 off: a write at FFFF:0614 lands on 0x000604"
        mov     di, 0x0810
        mov     cx, 4
        mov     al, 0x66
        rep stosb
        EXPECT32 [0x0800], 0x66666666, "A20 off: REP STOSB at FFFF:0810 fills 0x000800"
        in      al, 0x92
        or      al, 0x02
        out     0x92, al
        EXPECT32 [es:0x0610], 0xFFFFFFFF, "A20 on again: above RAM once more"
        call    finish

        LIB16
        DEVLIB
fails:  dw 0
