; apboot.asm -- what each application processor runs after the BSP's
; STARTUP IPI: real mode at 0700:0000.  The BSP copies this code to 7000h
; and leaves below it the AP's stack top (7000h-4), the C function to call
; (7000h-8) and the page directory (7000h-12).  We enter protected mode
; with a GDT of our own, turn paging on and call that function.
        bits    16
        org     0x7000

        cli
        xor     ax, ax
        mov     ds, ax                  ; our labels are absolute: DS = 0
        mov     es, ax
        mov     ss, ax
        lgdt    [gdtdesc]
        mov     eax, cr0
        or      eax, 1                  ; CR0.PE
        mov     cr0, eax
        jmp     dword 0x08:start32

        bits    32
start32:
        mov     ax, 0x10
        mov     ds, ax
        mov     es, ax
        mov     ss, ax
        mov     fs, ax
        mov     gs, ax
        mov     eax, [0x7000 - 12]
        mov     cr3, eax
        mov     eax, cr0
        or      eax, 0x80010000         ; CR0.PG and CR0.WP
        mov     cr0, eax
        mov     esp, [0x7000 - 4]
        xor     ebp, ebp
        call    [0x7000 - 8]            ; mpenter() in main.c: never returns
.spin:  hlt
        jmp     .spin

        align   8
gdt:    dq      0
        dq      0x00CF9A000000FFFF      ; 0x08: code, flat, 32-bit
        dq      0x00CF92000000FFFF      ; 0x10: data, flat
gdtdesc:
        dw      gdtdesc - gdt - 1
        dd      gdt
