; bootasm.asm -- the first half of the boot block: the BIOS leaves us in
; real mode at 0000:7C00; we open A20, load a flat GDT, switch to 32-bit
; protected mode and call bootmain() (bootmain.c), which loads the kernel.
        bits    16
        global  start
        extern  bootmain

        section .text
start:
        cli                             ; no BIOS interrupts from here on
        cld
        xor     ax, ax
        mov     ds, ax
        mov     es, ax
        mov     ss, ax

        ; A20: the 8042's output port bit 1, as the PC/AT wired it
.wait1: in      al, 0x64
        test    al, 2                   ; input buffer still full?
        jnz     .wait1
        mov     al, 0xD1                ; command: write the output port
        out     0x64, al
.wait2: in      al, 0x64
        test    al, 2
        jnz     .wait2
        mov     al, 0xDF                ; A20 on, no reset
        out     0x60, al

        lgdt    [gdtdesc]
        mov     eax, cr0
        or      eax, 1                  ; CR0.PE
        mov     cr0, eax
        jmp     0x08:start32            ; CS from the GDT: 32-bit code now

        bits    32
start32:
        mov     ax, 0x10
        mov     ds, ax
        mov     es, ax
        mov     ss, ax
        mov     fs, ax
        mov     gs, ax
        mov     esp, start              ; the stack grows down from 7C00
        call    bootmain                ; returns only if the disk has no ELF
.spin:  hlt
        jmp     .spin

        align   8
gdt:    dq      0
        dq      0x00CF9A000000FFFF      ; 0x08: code, base 0, 4 GiB, 32-bit
        dq      0x00CF92000000FFFF      ; 0x10: data, base 0, 4 GiB
gdtdesc:
        dw      gdtdesc - gdt - 1
        dd      gdt
