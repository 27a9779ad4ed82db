; sys_real.asm -- system instructions in real mode (CPL 0), with the
; differences between CPU models: it finds the model itself (FLAGS bits
; 12-15 on the 286, #UD from CPUID on the 386, CPUID's family after that)
; and checks SMSW, 16-bit SGDT/LGDT, CR0/CR3/CR4 bits, CPUID, RDTSC and
; SYSENTER as that model has them.  It also leaves protected mode with
; read-only and execute-only segments loaded and checks that real mode
; makes no type checks on them.  Passes on every --cpu model.
        org     0x7c00
        bits    16

%include "lib.inc"

%define SEL_XCODE16  0x08           ; execute-only 16-bit code, base 0
%define SEL_RODATA   0x10           ; read-only data, base 0, limit FFFF

; TRAP label: the next #UD or #GP resumes at label with [vec] set.
%macro TRAP 1
        mov     byte [vec], 0
        mov     word [resume], %1
%endmacro

start:
        START16
        SETVEC16 6, trap6
        SETVEC16 13, trap13
        call    detect
        mov     al, [model]
        add     al, '0'
        mov     [model_msg + 7], al
        mov     si, model_msg
        call    puts16
        cmp     byte [model], 2
        jne     short .not286
        jmp     test286
.not286:
        jmp     test386

; ---- model detection: [model] = 2, 3, 4, 5 or 6 ----
detect:
        mov     byte [model], 2
        push    word 0xF000
        popf
        pushf
        pop     ax
        push    word 0x0002
        popf
        test    ax, 0xF000
        jz      short .done                ; the 286 keeps them clear
        mov     byte [model], 3
        TRAP    .done
        db      0x0F, 0xA2                 ; cpuid (eax = 0 or not: any leaf)
        mov     word [resume], 0
        mov     eax, 1
        cpuid
        shr     ax, 8
        and     al, 0xF
        mov     [model], al
.done:  ret

; ---- the 286 ----
test286:
        smsw    ax
        cmp     ax, 0xFFF0
        CHECK16 e, "286: SMSW reads MSW bits 4-15 as ones"
        mov     word [buf + 4], 0x1234
        sgdt    [buf]
        cmp     byte [buf + 5], 0xFF
        CHECK16 e, "286: SGDT stores 0xFF as the sixth byte"
        cmp     word [buf], 0xFFFF
        CHECK16 e, "286: GDTR limit FFFF after reset"
        mov     ax, 0x0002                 ; MP
        lmsw    ax
        smsw    ax
        cmp     ax, 0xFFF2
        CHECK16 e, "286: LMSW sets MP"
        mov     ax, 0
        lmsw    ax
        TRAP    .u1
        db      0x0F, 0xA2                 ; cpuid
.u1:    cmp     byte [vec], 6
        CHECK16 e, "286: CPUID is #UD"
        jmp     finish

; ---- the 386 and later ----
test386:
        smsw    ax
        cmp     ax, 0x0010
        CHECK16 e, "SMSW after reset: ET"
        mov     dword [buf], 0xFFFFFFFF
        mov     dword [buf + 4], 0xFFFFFFFF
        sgdt    [buf]
        cmp     byte [buf + 5], 0
        CHECK16 e, "16-bit SGDT stores 0 as the sixth byte"
        cmp     dword [buf + 2], 0
        CHECK16 e, "16-bit SGDT: base 0, limit FFFF"
        mov     word [buf], 0x27
        mov     dword [buf + 2], 0xFF012345
        lidt    [buf]                      ; 16-bit: 24-bit base
        o32 sidt [buf2]
        mov     word [buf], 0x3FF
        mov     dword [buf + 2], 0
        lidt    [buf]
        cmp     dword [buf2 + 2], 0x00012345
        CHECK16 e, "16-bit LIDT loads a 24-bit base"

        ; CR0 after reset, and its model-specific bits
        mov     eax, cr0
        mov     ebx, 0x60000010
        cmp     byte [model], 3
        jne     short .c0
        mov     ebx, 0x00000010
.c0:    cmp     eax, ebx
        CHECK16 e, "CR0 after reset (386: ET; 486+: CD NW ET)"
        mov     eax, 0x60050022            ; CD NW AM WP NE MP, ET clear
        mov     cr0, eax
        mov     eax, cr0
        mov     ebx, 0x60050032
        cmp     byte [model], 3
        jne     short .c1
        mov     ebx, 0x00000002            ; 386: no CD NW AM WP NE; ET writable
.c1:    cmp     eax, ebx
        CHECK16 e, "CR0 bits the model has (ET hardwired on 486+)"
        mov     eax, 0x60000010
        mov     cr0, eax
        mov     eax, 0x0003F01F
        mov     cr3, eax
        mov     eax, cr3
        mov     ebx, 0x0003F018
        cmp     byte [model], 3
        jne     short .c3
        mov     ebx, 0x0003F000
.c3:    cmp     eax, ebx
        CHECK16 e, "CR3: PWT and PCD from the 486 on"
        xor     eax, eax
        mov     cr3, eax

        ; CR4 and CPUID by model
        TRAP    .c4
        mov     eax, cr4
.c4:    mov     word [resume], 0
        mov     al, 0
        cmp     byte [model], 5
        jae     short .c5
        mov     al, 6
.c5:    cmp     [vec], al
        CHECK16 e, "MOV from CR4: #UD before the Pentium"
        cmp     byte [model], 5
        jb      .no_cr4
        TRAP    .c6
        mov     eax, 0x80                  ; PGE
        mov     cr4, eax
.c6:    mov     word [resume], 0
        mov     al, 0
        cmp     byte [model], 6
        je      short .c7
        mov     al, 13
.c7:    cmp     [vec], al
        CHECK16 e, "CR4.PGE: P6 only (#GP on the Pentium)"
        xor     eax, eax
        mov     cr4, eax
        rdtsc
        or      eax, edx
        CHECK16 nz, "RDTSC in real mode: non-zero"
        mov     ecx, 0x10
        rdmsr
        mov     [buf], eax
        rdtsc
        sub     eax, [buf]
        cmp     eax, 10
        CHECK16 b, "RDMSR TSC in real mode agrees with RDTSC"
.no_cr4:
        cmp     byte [model], 3
        je      .no_cpuid
        mov     eax, 1
        cpuid
        movzx   bx, [model]
        shl     bx, 2
        cmp     edx, [features + bx]
        CHECK16 e, "CPUID.1 EDX: the model's implemented features"
.no_cpuid:
        ; SYSENTER: P6 only, and #GP(0) in real mode
        TRAP    .s1
        mov     ecx, 0x174
        mov     eax, 8
        xor     edx, edx
        cmp     byte [model], 6
        jne     short .s0
        wrmsr
.s0:    sysenter
.s1:    mov     word [resume], 0
        mov     al, 6
        cmp     byte [model], 6
        jne     short .s2
        mov     al, 13
.s2:    cmp     [vec], al
        CHECK16 e, "SYSENTER: #GP in real mode (P6), else #UD"

        ; LMSW enters protected mode; MOV CR0 leaves it
        mov     ax, 1
        lmsw    ax
        mov     eax, cr0
        test    al, 1
        CHECK16 nz, "LMSW sets PE"
        and     al, 0xFE
        mov     cr0, eax
        smsw    ax
        test    al, 1
        CHECK16 z, "MOV CR0 clears PE"

        ; ---- leaving protected mode with restrictive segments ----
        lgdt    [gdtr]
        mov     eax, cr0
        or      al, 1
        mov     cr0, eax
        jmp     SEL_XCODE16:.pm
.pm:    mov     ax, SEL_RODATA
        mov     ds, ax
        mov     eax, cr0
        and     al, 0xFE
        mov     cr0, eax
        ; real mode now, CS and DS still hold the PM caches
        mov     byte [scratch], 0x77      ; DS was read-only
        mov     al, [cs:scratch]          ; CS was execute-only
        jmp     0:.real
.real:  xor     bx, bx
        mov     ds, bx
        cmp     al, 0x77
        CHECK16 e, "real mode: no type checks on segments loaded in PM"
        jmp     finish

finish:
        FINISH16

trap6:  mov     byte [cs:vec], 6
        jmp     short trap_common
trap13: mov     byte [cs:vec], 13
trap_common:
        push    bp
        mov     bp, sp
        push    ax
        mov     ax, [cs:resume]
        test    ax, ax
        jz      short .fatal
        mov     [bp + 2], ax
        mov     word [cs:resume], 0
        pop     ax
        pop     bp
        iret
.fatal: xor     ax, ax
        mov     ds, ax
        mov     si, unexpected
        call    puts16
        mov     al, [vec]
        add     al, '0'
        out     DEBUGCON, al
        mov     al, 10
        out     DEBUGCON, al
        mov     al, EXIT_FAIL
        jmp     exit16

        LIB16

unexpected: db "FAIL unexpected exception ", 0
model_msg:  db "model: x86", 10, 0

        align   4
; CPUID.1 EDX by model (index = family): 486 none, Pentium FPU DE PSE TSC
; MSR CX8 APIC, P6 + SEP PGE CMOV FXSR.
features:   dd 0, 0, 0, 0, 0, 0x13D | 0x200, 0xA93D | 0x200 | 0x1000000
gdt:        dq 0
            dq 0x000098000000FFFF      ; 08 execute-only 16-bit code
            dq 0x000090000000FFFF      ; 10 read-only data
gdtr:       dw 3 * 8 - 1
            dd gdt
fails:      dw 0
resume:     dw 0
vec:        db 0
model:      db 0
scratch:    db 0
buf:        times 8 db 0
buf2:       times 8 db 0
