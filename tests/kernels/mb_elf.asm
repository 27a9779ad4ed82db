; mb_elf.asm -- a Multiboot v1 ELF kernel (nasm -f elf32, linked at 1 MiB
; by mb_elf.ld) for tests/scripts/kernel_boot.sh.  It prints on the debug
; console (E9h) what the loader handed over -- the entry state, the
; information structure's fields, memory map, command line, modules,
; boot loader name -- and checks itself that the ELF section headers lead
; to its own symbol table ("ok"/"FAIL" lines); the script compares the
; rest with what it passed.  Exits through port F4h with 0 (status 1).
        bits    32
%include "klib.inc"

MB_MAGIC        equ     0x1BADB002
MB_FLAGS        equ     0x00000003      ; page-aligned modules, memory info

section .multiboot
        align   4
        dd      MB_MAGIC
        dd      MB_FLAGS
        dd      -(MB_MAGIC + MB_FLAGS)

section .text
global start, mb_marker
start:
        mov     esp, stack_top
        mov     ebp, ebx                ; the information structure
        PRINTHEX "magic=", eax
        mov     eax, cr0
        and     eax, 0x80000001
        PRINTHEX "cr0.pg.pe=", eax
        pushfd
        pop     eax
        and     eax, 0x200
        PRINTHEX "eflags.if=", eax
        xor     eax, eax
        mov     ax, cs
        PRINTHEX "cs=", eax
        mov     ax, ds
        PRINTHEX "ds=", eax
        mov     ax, ss
        PRINTHEX "ss=", eax
        sgdt    [gdtr]
        mov     eax, [gdtr + 2]
        movzx   ebx, word [gdtr]
        PRINTHEX "gdt.limit=", ebx
        xor     ebx, ebx
        mov     bx, cs
        PRINTHEX "gdt.cs.lo=", [eax + ebx]
        PRINTHEX "gdt.cs.hi=", [eax + ebx + 4]
        mov     bx, ds
        PRINTHEX "gdt.ds.hi=", [eax + ebx + 4]
        ; A20: 0x300000 and 0x200000 differ only in bit 20
        mov     dword [0x200000], 0x11111111
        mov     dword [0x300000], 0x22222222
        PRINTHEX "a20.low=", [0x200000]

        PRINTHEX "mbi=", ebp
        PRINTHEX "flags=", [ebp]
        PRINTHEX "mem_lower=", [ebp + 4]
        PRINTHEX "mem_upper=", [ebp + 8]
        PRINTSTR "cmdline="
        mov     esi, [ebp + 16]
        call    puts
        call    newline
        PRINTSTR "name="
        mov     esi, [ebp + 64]
        call    puts
        call    newline
        call    print_mmap
        call    print_modules
        call    check_symbols
        mov     al, 0
        jmp     exit

; mmap=BASE LENGTH TYPE (low dwords; the high ones must be zero)
print_mmap:
        PRINTHEX "mmap_length=", [ebp + 44]
        mov     esi, [ebp + 48]
        mov     edi, esi
        add     edi, [ebp + 44]
.next:  cmp     esi, edi
        jae     .done
        PRINTSTR "mmap="
        mov     eax, [esi + 8]          ; base high
        call    hex32
        mov     eax, [esi + 4]
        call    hex32
        call    space
        mov     eax, [esi + 16]         ; length high
        call    hex32
        mov     eax, [esi + 12]
        call    hex32
        call    space
        mov     eax, [esi + 20]
        call    hex32
        call    newline
        add     esi, [esi]              ; size does not count itself
        add     esi, 4
        jmp     .next
.done:  ret

; mod=START END CMDLINE, then moddata= its first line
print_modules:
        PRINTHEX "mods_count=", [ebp + 20]
        mov     edx, [ebp + 24]
        mov     edi, [ebp + 20]
.next:  test    edi, edi
        jz      .done
        PRINTSTR "mod="
        mov     eax, [edx]
        call    hex32
        call    space
        mov     eax, [edx + 4]
        call    hex32
        call    space
        mov     esi, [edx + 8]
        call    puts
        call    newline
        PRINTSTR "moddata="
        mov     esi, [edx]
        mov     ecx, [edx + 4]
        sub     ecx, esi
        call    putline
        call    newline
        add     edx, 16
        dec     edi
        jmp     .next
.done:  ret

; Finds SHT_SYMTAB through the section headers, then the symbol named
; mb_marker in it; its value must be mb_marker's address.
check_symbols:
        PRINTHEX "shnum=", [ebp + 28]
        PRINTHEX "shsize=", [ebp + 32]
        PRINTHEX "shndx=", [ebp + 40]
        mov     ebx, [ebp + 36]         ; section header table
        mov     ecx, [ebp + 28]
.sect:  test    ecx, ecx
        jz      .nosym
        cmp     dword [ebx + 4], 2      ; sh_type SYMTAB
        je      .symtab
        add     ebx, [ebp + 32]
        dec     ecx
        jmp     .sect
.symtab:
        mov     eax, [ebx + 24]         ; sh_link: its string table
        imul    eax, [ebp + 32]
        add     eax, [ebp + 36]
        mov     edx, [eax + 12]         ; the string table's sh_addr
        test    edx, edx
        jz      .nostr
        mov     esi, [ebx + 12]         ; the symbols' sh_addr
        test    esi, esi
        jz      .nosym
        mov     ecx, [ebx + 20]
        shr     ecx, 4                  ; 16-byte Elf32_Sym
.sym:   test    ecx, ecx
        jz      .notfound
        mov     edi, [esi]              ; st_name
        add     edi, edx
        push    esi
        push    ecx
        mov     esi, marker_name
        mov     ecx, marker_len
        repe    cmpsb
        pop     ecx
        pop     esi
        je      .found
        add     esi, 16
        dec     ecx
        jmp     .sym
.found: mov     eax, [esi + 4]
        PRINTHEX "symbol mb_marker=", eax
        cmp     eax, mb_marker
        jne     .wrong
        PRINTSTR `ok symbol mb_marker found through the section headers\n`
        ret
.wrong: PRINTSTR `FAIL symbol mb_marker has the wrong value\n`
        ret
.notfound:
        PRINTSTR `FAIL no symbol mb_marker in the symbol table\n`
        ret
.nostr: PRINTSTR `FAIL the string table is not loaded\n`
        ret
.nosym: PRINTSTR `FAIL no loaded SHT_SYMTAB section\n`
        ret

mb_marker:
        ret

KLIB

section .data
marker_name:    db "mb_marker", 0
marker_len      equ $ - marker_name

section .bss
gdtr:   resb    8
        resb    4096
stack_top:
