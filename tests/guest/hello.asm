; hello.asm -- the demo guest of `make run`: it says what x86lab is running,
; switches from real mode to 32-bit protected mode and speaks from there
; too, asks CPUID who it runs on, and ends through the exit port with
; EXIT_PASS (x86lab's exit status 1).  Built with nasm -f bin; loaded at
; 0000:7C00 and entered in real mode.
%include "lib.inc"

%define SEL_CODE 0x08
%define SEL_DATA 0x10

        org     0x7c00
        bits    16
start:
        START16
        mov     si, banner_real
        call    puts16
        mov     ax, cs                  ; show where we really are
        call    hex16
        mov     al, ':'
        out     DEBUGCON, al
        call    .here
.here:  pop     ax
        sub     ax, .here - start
        call    hex16
        mov     si, banner_real2
        call    puts16

        lgdt    [gdtr]
        mov     eax, cr0
        or      al, 1                   ; CR0.PE
        mov     cr0, eax
        jmp     dword SEL_CODE:pm_entry ; reload CS: now 32-bit code

        LIB16

        bits    32
pm_entry:
        mov     ax, SEL_DATA
        mov     ds, ax
        mov     es, ax
        mov     fs, ax
        mov     gs, ax
        mov     ss, ax
        mov     esp, 0x7c00
        mov     esi, banner_pm
        call    puts32
        mov     eax, cr0
        call    hex32
        mov     esi, banner_pm2
        call    puts32
        call    show_cpuid
        mov     esi, banner_end
        call    puts32
        mov     al, EXIT_PASS
        call    exit32

; show_cpuid: print the vendor string and signature, if the CPU has CPUID
; (EFLAGS.ID can be toggled: 486 and later).
show_cpuid:
        pushfd
        pop     eax
        mov     ecx, eax
        xor     eax, 1 << 21
        push    eax
        popfd
        pushfd
        pop     eax
        cmp     eax, ecx
        je      .none
        xor     eax, eax
        cpuid
        mov     [vendor], ebx
        mov     [vendor + 4], edx
        mov     [vendor + 8], ecx
        mov     esi, cpuid_msg
        call    puts32
        mov     esi, vendor
        call    puts32
        mov     esi, cpuid_sig
        call    puts32
        mov     eax, 1
        cpuid
        call    hex32
        call    newline32
        ret
.none:  mov     esi, no_cpuid
        call    puts32
        ret

        LIB32

banner_real:
        db 10
        db "  x86lab -- hello from the guest!", 10
        db 10
        db "  This little program is a guest: x86 machine code that x86lab's", 10
        db "  interpreter (cpu/) fetches, decodes and executes one instruction", 10
        db "  at a time.  It reached you through the debug console, I/O port", 10
        db "  0xE9: every OUT to that port becomes one character here.", 10
        db 10
        db "  [real mode] running at ", 0
banner_real2:
        db " like a boot sector, with 16-bit", 10
        db "  segments (address = segment * 16 + offset).", 10
        db "  [real mode] loading a GDT, setting CR0.PE, far jump...", 10, 0
banner_pm:
        db "  [protected mode] now in 32-bit protected mode: flat 4 GiB", 10
        db "  segments from the GDT, CPL 0.  CR0 = ", 0
banner_pm2:
        db 10, 0
cpuid_msg:
        db "  [protected mode] CPUID vendor: ", 0
cpuid_sig:
        db ", signature (family/model/stepping) ", 0
no_cpuid:
        db "  [protected mode] this CPU model has no CPUID (286/386)", 10, 0
banner_end:
        db 10
        db "  Done: writing to the exit port (0xF4) stops the machine; x86lab", 10
        db "  exits with status value*2+1.  Try `make test` for the test suite.", 10
        db 10, 0

vendor: times 13 db 0

        align   8
gdt:    dq      0
        dq      0x00CF9A000000FFFF      ; 0x08: code, base 0, 4 GiB, 32-bit
        dq      0x00CF92000000FFFF      ; 0x10: data, base 0, 4 GiB
gdt_end:
gdtr:   dw      gdt_end - gdt - 1
        dd      gdt
