; guest.asm -- the kernel the debugger tests drive (tests/scripts/gdb_*.sh,
; trace_*.sh): a Multiboot v1 ELF with symbols, built with nasm -f elf32
; and ld -m elf_i386, booted with -kernel.  It loads its own GDT and IDT,
; sets registers to known values (regs_done), writes a watched variable
; (counter: 41 -> 42), raises INT 0x30, turns paging on and takes one page
; fault on an unmapped page (#PF error 0x0002, CR2 0x00400000) whose
; handler skips the instruction, then leaves through the exit port with
; 0x21 (x86lab exit status 67).  With `spin` set to 1 (by a debugger) it
; loops in spin_loop until a debugger clears it.
        bits    32

MB_MAGIC        equ     0x1BADB002
MB_FLAGS        equ     0x00000003
EXIT_PORT       equ     0xF4
UNMAPPED        equ     0x00400000

        section .text
        align   4
mb_header:
        dd      MB_MAGIC
        dd      MB_FLAGS
        dd      -(MB_MAGIC + MB_FLAGS)

        global  _start, set_regs, regs_done, bump, after_bump, spin_loop
        global  soft_int, isr_soft, isr_pf, fault_here, paging_on, finish, far_func
        global  counter, data_words, spin, pf_cr2, pf_error, soft_count
_start:
        mov     esp, stack_top
        lgdt    [gdt_desc]
        jmp     0x08:.reload
.reload:
        mov     ax, 0x10
        mov     ds, ax
        mov     es, ax
        mov     ss, ax
        mov     fs, ax
        mov     gs, ax
        call    build_idt
        lidt    [idt_desc]
        call    set_regs
        call    bump
after_bump:
        cmp     dword [spin], 0
        je      soft_int
spin_loop:
        pause
        cmp     dword [spin], 0
        jne     spin_loop
soft_int:
        int     0x30
        call    0x18:far_func           ; a far call through another code
                                        ; selector and back (-d pcall)
        call    paging_on
fault_here:
        mov     dword [UNMAPPED], 1     ; 10 bytes: C7 05 disp32 imm32
        mov     eax, [pf_cr2]
        cmp     eax, UNMAPPED
        jne     bad
        cmp     dword [soft_count], 1
        jne     bad
finish:
        mov     al, 0x21
        out     EXIT_PORT, al
        hlt
bad:
        mov     al, 0x7F
        out     EXIT_PORT, al
        hlt

set_regs:
        mov     eax, 0x12345678
        mov     ebx, 0xCAFEBABE
        mov     esi, 0x0BADF00D
        mov     edi, 0x600DD00D
        mov     dword [data_words], 0x11111111      ; written at run time, so gdb
        mov     dword [data_words + 4], 0x22222222  ; cannot read them from the file
        mov     dword [data_words + 8], 0x33333333
        mov     dword [data_words + 12], 0x44444444
regs_done:
        mov     ecx, 0xDEADBEEF         ; 5 bytes: the stepi test
        mov     edx, 0x00C0FFEE
        ret

far_func:
        retf

bump:
        mov     eax, [counter]
        inc     eax
        mov     [counter], eax          ; the watchpoint test: 41 -> 42
        ret

; IDT entries 14 (#PF) and 0x30 (INT, DPL 0 is fine: CPL 0 calls it).
build_idt:
        mov     eax, isr_pf
        mov     ebx, 14
        call    set_gate
        mov     eax, isr_soft
        mov     ebx, 0x30
        call    set_gate
        ret
set_gate:                               ; EAX handler, EBX vector
        lea     edi, [idt + ebx * 8]
        mov     [edi], ax
        mov     word [edi + 2], 0x08
        mov     word [edi + 4], 0x8E00  ; present, DPL 0, 32-bit interrupt gate
        shr     eax, 16
        mov     [edi + 6], ax
        ret

isr_soft:
        inc     dword [soft_count]
        iret

isr_pf:
        push    eax
        mov     eax, cr2
        mov     [pf_cr2], eax
        mov     eax, [esp + 4]
        mov     [pf_error], eax
        add     dword [esp + 8], 10     ; skip the faulting instruction
        pop     eax
        add     esp, 4                  ; the error code
        iret

; Identity-maps the first 4 MiB (one page table); 4 MiB and up stay unmapped.
paging_on:
        mov     edi, page_table
        mov     eax, 0x003              ; present, writable
        mov     ecx, 1024
.fill:
        mov     [edi], eax
        add     eax, 0x1000
        add     edi, 4
        loop    .fill
        mov     eax, page_table
        or      eax, 0x003
        mov     [page_dir], eax
        mov     eax, page_dir
        mov     cr3, eax
        mov     eax, cr0
        or      eax, 0x80000000
        mov     cr0, eax
        ret

        section .data
        align   8
gdt:
        dq      0
        dq      0x00CF9A000000FFFF      ; 0x08 code, flat, 32-bit
        dq      0x00CF92000000FFFF      ; 0x10 data, flat
        dq      0x00CF9A000000FFFF      ; 0x18 code, flat, 32-bit (far calls)
gdt_desc:
        dw      gdt_desc - gdt - 1
        dd      gdt
idt_desc:
        dw      256 * 8 - 1
        dd      idt
        align   4
counter:        dd      41
data_words:     dd      0, 0, 0, 0
spin:           dd      0
pf_cr2:         dd      0
pf_error:       dd      0
soft_count:     dd      0

        section .bss
        alignb  4096
page_dir:       resb    4096
page_table:     resb    4096
idt:            resb    256 * 8
stack:          resb    4096
stack_top:
