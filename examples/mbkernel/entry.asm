; entry.asm -- where a Multiboot loader (GRUB, QEMU's and x86lab's
; -kernel) enters the kernel, and the few things C cannot say: the
; Multiboot header, the first stack, loading the GDT and segment
; registers, and the interrupt entry stubs (they end with IRET).
;
; The Multiboot v1 contract at _start: 32-bit protected mode, paging off,
; interrupts off, flat CS/DS/ES/SS (but the GDT they came from may be
; gone: load our own before touching a segment register), EAX =
; 2BADB002h, EBX = the physical address of the Multiboot information.

        bits    32

MB_MAGIC     equ 0x1BADB002
MB_PAGEALIGN equ 1 << 0                 ; modules on page boundaries
MB_MEMINFO   equ 1 << 1                 ; give us mem_lower/upper and the memory map
MB_FLAGS     equ MB_PAGEALIGN | MB_MEMINFO

; The header: the loader searches the first 8 KiB of the file for it,
; 4-byte aligned; magic + flags + checksum must add up to 0.
        section .multiboot
        align   4
        dd      MB_MAGIC
        dd      MB_FLAGS
        dd      -(MB_MAGIC + MB_FLAGS)

        section .bss
        align   16
stack:  resb    16384                   ; the kernel's only stack
stack_top:

        section .text
        global  _start
        extern  kmain
_start:
        mov     esp, stack_top
        push    0
        popfd                           ; EFLAGS to a known state (IF = 0)
        push    ebx                     ; kmain(magic, info): cdecl, right to left
        push    eax
        cld                             ; the C compiler assumes DF = 0
        call    kmain
.halt:  cli                             ; kmain does not return; if it did:
        hlt
        jmp     .halt

; gdt_load(const struct gdt_ptr *p): LGDT, then reload every segment
; register so that none keeps a descriptor from the loader's GDT.  CS can
; only change through a far jump (or call, or return).
        global  gdt_load
gdt_load:
        mov     eax, [esp + 4]
        lgdt    [eax]
        mov     ax, 0x10                ; the data segment
        mov     ds, ax
        mov     es, ax
        mov     fs, ax
        mov     gs, ax
        mov     ss, ax
        jmp     0x08:.cs                ; the code segment
.cs:    ret

; Interrupt entries: save the registers C may change (EAX, ECX, EDX: the
; cdecl "caller-saved" ones; PUSHAD saves all), call the C handler,
; restore, IRET.
        global  irq0_entry, irq4_entry, irq_other_entry, unexpected_entry
        extern  timer_irq, serial_irq, irq_other, unexpected_interrupt
irq0_entry:
        pushad
        cld
        call    timer_irq
        popad
        iret
irq4_entry:
        pushad
        cld
        call    serial_irq
        popad
        iret
irq_other_entry:
        pushad
        cld
        call    irq_other
        popad
        iret
unexpected_entry:
        pushad
        cld
        call    unexpected_interrupt    ; prints and halts
        popad
        iret

; No executable stack wanted (tells the GNU linker so).
        section .note.GNU-stack noalloc noexec nowrite progbits
