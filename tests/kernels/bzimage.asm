; bzimage.asm -- a synthetic Linux bzImage (boot protocol 2.10) for
; tests/scripts/kernel_boot.sh: one setup sector with a real setup header,
; then a "protected-mode kernel" that runs at 1 MiB and prints on the debug
; console (E9h) what the 32-bit boot protocol gave it: ESI and the other
; registers, segments, the zero page's setup header fields, command line,
; initrd (address, size, first line), E820 map and memory sizes.  Exits
; through port F4h with 0 (status 1).
        bits    32
%include "klib.inc"

INITRD_ADDR_MAX equ     0x01FFFFFF      ; 32 MiB: the tests run with -m 64
PM_START        equ     0x100000

section setup start=0
        times   0x1F1 - ($ - $$) db 0
        db      1                       ; 1F1 setup_sects
        dw      0                       ; 1F2 root_flags
        dd      (pm_end - pm_begin + 15) / 16   ; 1F4 syssize
        dw      0                       ; 1F8 ram_size
        dw      0xFFFF                  ; 1FA vid_mode
        dw      0                       ; 1FC root_dev
        dw      0xAA55                  ; 1FE boot_flag
        db      0xEB, hdr_end - 0x202   ; 200 jump over the header
        db      "HdrS"                  ; 202
        dw      0x020A                  ; 206 version 2.10
        dd      0                       ; 208 realmode_swtch
        dw      0x1000                  ; 20C start_sys_seg
        dw      0                       ; 20E kernel_version
        db      0                       ; 210 type_of_loader
        db      0x01                    ; 211 loadflags: LOADED_HIGH
        dw      0x8000                  ; 212 setup_move_size
        dd      PM_START                ; 214 code32_start
        dd      0                       ; 218 ramdisk_image
        dd      0                       ; 21C ramdisk_size
        dd      0                       ; 220 bootsect_kludge
        dw      0                       ; 224 heap_end_ptr
        db      0, 0                    ; 226 ext_loader_ver, ext_loader_type
        dd      0                       ; 228 cmd_line_ptr
        dd      INITRD_ADDR_MAX         ; 22C initrd_addr_max
        dd      0x100000                ; 230 kernel_alignment
        db      0, 0                    ; 234 relocatable_kernel, min_alignment
        dw      0                       ; 236 xloadflags
        dd      255                     ; 238 cmdline_size
        dd      0                       ; 23C hardware_subarch
        dq      0                       ; 240 hardware_subarch_data
        dd      0, 0                    ; 248 payload_offset, payload_length
        dq      0                       ; 250 setup_data
        dq      PM_START                ; 258 pref_address
        dd      0x100000                ; 260 init_size: 1 MiB
        dd      0                       ; 264 handover_offset
hdr_end:
        times   1024 - ($ - $$) db 0

section pm follows=setup vstart=PM_START
pm_begin:
        mov     esp, stack_top          ; touches none of the registers printed
        PRINTHEX "esi=", esi
        PRINTHEX "ebx=", ebx
        PRINTHEX "ebp=", ebp
        PRINTHEX "edi=", edi
        mov     ebp, esi                ; the zero page
        xor     eax, eax
        mov     ax, cs
        PRINTHEX "cs=", eax
        mov     ax, ds
        PRINTHEX "ds=", eax
        mov     ax, es
        PRINTHEX "es=", eax
        mov     ax, ss
        PRINTHEX "ss=", eax
        pushfd
        pop     eax
        and     eax, 0x200
        PRINTHEX "eflags.if=", eax
        mov     eax, cr0
        and     eax, 0x80000001
        PRINTHEX "cr0.pg.pe=", eax
        movzx   eax, byte [ebp + 0x210]
        PRINTHEX "type_of_loader=", eax
        movzx   eax, byte [ebp + 0x211]
        PRINTHEX "loadflags=", eax
        movzx   eax, word [ebp + 0x206]
        PRINTHEX "version=", eax
        PRINTHEX "code32_start=", [ebp + 0x214]
        PRINTHEX "initrd_addr_max=", [ebp + 0x22C]
        movzx   eax, word [ebp + 0x1FE]
        PRINTHEX "boot_flag=", eax
        PRINTHEX "cmd_line_ptr=", [ebp + 0x228]
        PRINTSTR "cmdline="
        mov     esi, [ebp + 0x228]
        call    puts
        call    newline
        PRINTHEX "ramdisk_image=", [ebp + 0x218]
        PRINTHEX "ramdisk_size=", [ebp + 0x21C]
        PRINTSTR "initrd="
        mov     esi, [ebp + 0x218]
        mov     ecx, [ebp + 0x21C]
        cmp     ecx, 64
        jbe     .short
        mov     ecx, 64
.short: call    putline
        call    newline
        movzx   eax, word [ebp + 0x002]
        PRINTHEX "ext_mem_k=", eax
        PRINTHEX "alt_mem_k=", [ebp + 0x1E0]
        movzx   eax, byte [ebp + 0x006]
        PRINTHEX "video_mode=", eax
        movzx   eax, byte [ebp + 0x007]
        PRINTHEX "video_cols=", eax
        movzx   eax, byte [ebp + 0x00E]
        PRINTHEX "video_lines=", eax
        movzx   ecx, byte [ebp + 0x1E8]
        PRINTHEX "e820_entries=", ecx
        lea     esi, [ebp + 0x2D0]
.e820:  test    ecx, ecx
        jz      .done
        PRINTSTR "e820="
        mov     eax, [esi + 4]
        call    hex32
        mov     eax, [esi]
        call    hex32
        call    space
        mov     eax, [esi + 12]
        call    hex32
        mov     eax, [esi + 8]
        call    hex32
        call    space
        mov     eax, [esi + 16]
        call    hex32
        call    newline
        add     esi, 20
        dec     ecx
        jmp     .e820
.done:  mov     al, 0
        jmp     exit

KLIB
        align   16
        times   1024 db 0
stack_top:
pm_end:
