; pmguest.asm -- the guest the monitor's tests debug (tests/scripts/debug_*.sh).
; Assembled with nasm -f elf32, linked at 0x7c00 with ld -m elf_i386, run
; as the flat image (objcopy -O binary) with --entry 0:0x7c00 and the ELF
; given to --symbols.  It walks a student's path with known values at every
; step: a call in real mode, a GDT, protected mode, page tables at fixed
; addresses, paging, a counter written in a loop of calls, a write through
; a remapped page, a byte to port 0xE9, then a page fault (error code 2,
; CR2 0x00800000) whose handler leaves through the exit port (status 0x21*2+1 = 67).
;
; Page tables: directory 0x20000; table 0x21000 maps 0-4 MiB onto itself;
; table 0x22000 maps linear 0x400000 -> 0x30000 (supervisor, RW) and
; 0x401000 -> 0x31000 (user, read-only).  Nothing maps 0x800000.

PAGE_DIR equ 0x20000
PT_LOW   equ 0x21000
PT_HIGH  equ 0x22000

section .text
bits 16
global start
start:
    cli
    xor ax, ax
    mov ds, ax
    mov ss, ax
    mov sp, 0x7c00
    call real_helper
after_call:
    lgdt [gdt_desc]
    mov eax, cr0
    or eax, 1
    mov cr0, eax
    jmp dword 0x08:pm_entry

global real_helper
real_helper:
    mov bx, 0x1234
    ret

bits 32
global pm_entry
pm_entry:
    mov ax, 0x10
    mov ds, ax
    mov es, ax
    mov ss, ax
    mov esp, 0x90000
    call build_tables
    mov eax, PAGE_DIR
    mov cr3, eax
    mov eax, cr0
    or eax, 0x80000000
    mov cr0, eax
    jmp main

; Identity map of 0-4 MiB, and the two pages above 4 MiB.
global build_tables
build_tables:
    mov edi, PAGE_DIR
    mov ecx, 3 * 1024
    xor eax, eax
    rep stosd
    mov dword [PAGE_DIR + 0], PT_LOW | 3
    mov dword [PAGE_DIR + 4], PT_HIGH | 7
    mov edi, PT_LOW
    mov eax, 3
.fill:
    stosd
    add eax, 0x1000
    cmp edi, PT_LOW + 4096
    jb .fill
    mov dword [PT_HIGH + 0], 0x30000 | 3
    mov dword [PT_HIGH + 4], 0x31000 | 5
    ret

global main
main:
    mov dword [counter], 0
    mov ecx, 3
.loop:
    call add_one
    loop .loop
    mov dword [0x400010], 0xCAFEBABE
    mov al, 'K'
    out 0xE9, al
    call setup_idt
    mov eax, 5
global fault_here
fault_here:
    mov dword [0x800000], eax
    hlt

global add_one
add_one:
    push ebp
    mov ebp, esp
    inc dword [counter]
    pop ebp
    ret

; IDT entry 14: a 32-bit interrupt gate to pf_handler.
global setup_idt
setup_idt:
    mov eax, pf_handler
    mov [idt + 14 * 8], ax
    mov word [idt + 14 * 8 + 2], 0x08
    mov word [idt + 14 * 8 + 4], 0x8E00
    shr eax, 16
    mov [idt + 14 * 8 + 6], ax
    lidt [idt_desc]
    ret

global pf_handler
pf_handler:
    mov al, 0x21
    out 0xF4, al
    hlt

align 8
global gdt
gdt:
    dq 0
    dq 0x00CF9A000000FFFF          ; 0x08: code, base 0, 4 GiB, 32-bit
    dq 0x00CF92000000FFFF          ; 0x10: data, base 0, 4 GiB
    dq 0x0000920123400FFF          ; 0x18: data, base 0x12340, limit 0xFFF, 16-bit
gdt_end:
gdt_desc:
    dw gdt_end - gdt - 1
    dd gdt

align 8
global idt
idt:
    times 32 dq 0
idt_desc:
    dw 32 * 8 - 1
    dd idt

align 4
global counter
counter:
    dd 0
