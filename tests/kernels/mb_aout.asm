; mb_aout.asm -- a flat Multiboot v1 kernel whose header gives its load
; addresses (flags bit 16, the "a.out kludge"), for
; tests/scripts/kernel_boot.sh.  The file carries 0xAA bytes past
; load_end_addr, inside the BSS: a loader that copies them instead of
; zeroing the BSS fails the check.  Prints its findings on the debug
; console and exits through port F4h with 0 (status 1).
        bits    32
        org     0x100000
%include "klib.inc"

MB_MAGIC        equ     0x1BADB002
MB_FLAGS        equ     0x00010002      ; memory info, addresses in the header

header:
        dd      MB_MAGIC
        dd      MB_FLAGS
        dd      -(MB_MAGIC + MB_FLAGS)
        dd      header                  ; header_addr
        dd      header                  ; load_addr
        dd      load_end                ; load_end_addr
        dd      bss_end                 ; bss_end_addr
        dd      start                   ; entry_addr

start:
        mov     esp, stack_top
        mov     ebp, ebx
        PRINTHEX "magic=", eax
        PRINTHEX "entry=", start
        PRINTHEX "flags=", [ebp]
        PRINTHEX "mem_upper=", [ebp + 8]
        PRINTSTR "cmdline="
        mov     esi, [ebp + 16]
        call    puts
        call    newline
        ; the start of the BSS (where the file has 0xAA bytes) must be zero
        mov     edi, bss_start
        mov     ecx, aa_end - bss_start
        xor     eax, eax
        repe    scasb
        jne     .dirty
        PRINTSTR `ok the BSS is zero\n`
        jmp     .out
.dirty: PRINTSTR `FAIL the BSS holds file bytes past load_end_addr\n`
.out:   mov     al, 0
        jmp     exit

KLIB
        align   4
load_end:
bss_start:
        times   64 db 0xAA              ; in the file, but BSS for the loader
aa_end:
        align   16
stack:  equ     $ + 4096
stack_top equ   stack
bss_end equ     stack_top
