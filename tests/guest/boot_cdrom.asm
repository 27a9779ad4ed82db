; boot_cdrom.asm -- an El Torito "no emulation" boot image: the BIOS loads
; it from the CD's boot catalog at 07C0:0000 and runs it with DL = E0h.
; It checks INT 13h for the CD-ROM: AH=41h, 48h (2048-byte blocks, the
; disc's size, removable), AH=42h reads of blocks the script tagged (each
; holds "x86lab-cdblock" and its number), one of 20 blocks (more than one
; READ(10) command), reads past the end, and AH=43h (write protected).
; Prints ok/FAIL lines on port E9h and exits through port F4h.
; Built by tests/scripts/boot_cdrom.sh with nasm -DDISC_BLOCKS=n.
        bits    16
        cpu     386
        org     0x7C00
%include "lib.inc"
TAG_BLOCK       equ     100             ; blocks 100-119 are tagged
        jmp     0x0000:start                    ; from 07C0:0000 to 0000:7C00
start:  START16
        sti
        cld
        mov     [drive], dl
        mov     si, msg_hello
        call    puts16
        cmp     byte [drive], 0xE0
        CHECK16 e, "booted with DL = E0h"
        mov     ah, 0x41
        mov     bx, 0x55AA
        mov     dl, 0xE0
        int     0x13
        CHECK16 nc, "INT 13h 41h: CF=0"
        cmp     bx, 0xAA55
        CHECK16 e, "INT 13h 41h: BX=AA55h"
        mov     word [0x600], 0x1E
        mov     ah, 0x48
        mov     dl, 0xE0
        mov     si, 0x600
        int     0x13
        CHECK16 nc, "INT 13h 48h: CF=0"
        cmp     word [0x600 + 24], 2048
        CHECK16 e, "INT 13h 48h: 2048-byte blocks"
        cmp     dword [0x600 + 16], DISC_BLOCKS
        CHECK16 e, "INT 13h 48h: the disc's blocks"
        test    word [0x600 + 2], 0x0004
        CHECK16 nz, "INT 13h 48h: removable"
        mov     eax, TAG_BLOCK                  ; four blocks
        mov     cx, 4
        call    read
        CHECK16 nc, "INT 13h 42h, 4 blocks: CF=0"
        mov     cx, 4
        call    check_tags
        CHECK16 e, "INT 13h 42h: blocks 100-103 tagged"
        mov     eax, TAG_BLOCK                  ; twenty blocks
        mov     cx, 20
        call    read
        CHECK16 nc, "INT 13h 42h, 20 blocks: CF=0"
        cmp     word [dap + 2], 20
        CHECK16 e, "INT 13h 42h: the packet says 20 done"
        mov     cx, 20
        call    check_tags
        CHECK16 e, "INT 13h 42h: blocks 100-119 tagged"
        mov     eax, DISC_BLOCKS                ; past the end
        mov     cx, 1
        call    read
        CHECK16 c, "INT 13h 42h past the end: CF=1"
        mov     ah, 0x43
        mov     si, dap
        mov     dl, 0xE0
        int     0x13
        CHECK16 c, "INT 13h 43h: CF=1"
        cmp     ah, 0x03
        CHECK16 e, "INT 13h 43h: write protected (03h)"
        FINISH16

; read: CX blocks from EAX to 1000:0000.
read:   mov     [dap + 2], cx
        mov     dword [dap + 4], 0x10000000
        mov     [dap + 8], eax
        mov     ah, 0x42
        mov     si, dap
        mov     dl, 0xE0
        int     0x13
        ret
; check_tags: ZF=1 when the CX blocks at 1000:0000 carry tags 100, 101...
check_tags:
        push    es
        mov     ax, 0x1000
        mov     es, ax
        mov     ebx, TAG_BLOCK
.block: xor     di, di
        cmp     [es:di], ebx
        jne     .done
        mov     si, tag
        mov     di, 4
        push    cx
        mov     cx, tag_len
        repe    cmpsb
        pop     cx
        jne     .done
        mov     ax, es
        add     ax, 2048 / 16
        mov     es, ax
        inc     ebx
        loop    .block
        xor     ax, ax                          ; ZF=1
.done:  pop     es
        ret

fails:  dw      0
drive:  db      0
dap:    db      0x10, 0
        dw      0
        dd      0
        dq      0
tag:    db      "x86lab-cdblock"
tag_len equ     $ - tag
msg_hello:
        db      "boot_cdrom: booted from the CD-ROM", 10, 0
        LIB16
