; sys_cpuid.asm -- CPUID values of the P6 model (vendor, signature equal
; to EDX at reset, exactly the implemented feature bits), the time-stamp
; counter (monotonic, WRMSR/RDMSR/RDTSC consistent), MSR round trips and
; #GP(0) for unknown ones, RDPMC, and SYSENTER/SYSEXIT between ring 0 and
; ring 3 with their #GP(0) cases.  Expects the P6 model (the default).
%include "pm_lib.inc"

; FPU DE PSE TSC MSR CX8 APIC SEP PGE CMOV FXSR (APIC: the board's local APIC)
%define P6_FEATURES  (0x1 | 0x4 | 0x8 | 0x10 | 0x20 | 0x100 | 0x200 | 0x800 | 0x2000 | 0x8000 | 0x1000000)
%define SYS_STACK    0x2C000
%define USER_STACK   0x2E000

test_main:
        mov     [reset_edx], edx         ; pm_lib's boot code keeps EDX
        ; ---- CPUID ----
        xor     eax, eax
        cpuid
        CHECKV  eax, 2, "CPUID.0: highest leaf 2"
        CHECKV  ebx, 'Genu', "CPUID.0: EBX Genu"
        CHECKV  edx, 'ineI', "CPUID.0: EDX ineI"
        CHECKV  ecx, 'ntel', "CPUID.0: ECX ntel"
        mov     eax, 1
        cpuid
        mov     [sig], eax
        CHECKV  eax, [reset_edx], "CPUID.1 EAX equals EDX after reset"
        shr     eax, 8
        and     eax, 0xF
        CHECKV  eax, 6, "CPUID.1: family 6"
        CHECKV  edx, P6_FEATURES, "CPUID.1 EDX: FPU DE PSE TSC MSR CX8 APIC SEP PGE CMOV FXSR"
        CHECKV  ecx, 0, "CPUID.1 ECX: none"
        CHECKV  ebx, 0, "CPUID.1 EBX: 0"
        mov     eax, 2
        cpuid
        CHECKV  eax, 1, "CPUID.2: one iteration, no descriptors"
        mov     eax, 0x80000000
        cpuid
        CHECKV  eax, 1, "CPUID.80000000: the highest basic leaf's values"
        mov     eax, 7
        mov     ebx, 0x5555
        cpuid
        CHECKV  ebx, 0, "CPUID.7: the highest basic leaf's values"

        ; ---- TSC ----
        rdtsc
        mov     [t1], eax
        mov     [t1 + 4], edx
        nop
        rdtsc
        sub     eax, [t1]
        sbb     edx, [t1 + 4]
        mov     ebx, eax
        or      ebx, edx
        CHECK32 nz, "RDTSC advances"
        test    edx, edx
        CHECK32 z, "  by a small amount"
        xor     edx, edx
        mov     eax, 0x10000000
        mov     ecx, 0x10
        wrmsr
        rdtsc
        mov     [t1], eax
        mov     [t1 + 4], edx
        mov     ecx, 0x10
        rdmsr
        mov     [t2], eax
        mov     [t2 + 4], edx
        CHECKV  [t1 + 4], 0, "WRMSR TSC then RDTSC: high half"
        mov     eax, [t1]
        sub     eax, 0x10000000
        cmp     eax, 10
        CHECK32 b, "WRMSR TSC then RDTSC: low half just above the value"
        CHECKV  [t2 + 4], 0, "RDMSR TSC: high half"
        mov     eax, [t2]
        sub     eax, [t1]
        dec     eax
        cmp     eax, 5
        CHECK32 b, "RDMSR TSC a few instructions after RDTSC"
        mov     edx, 5
        mov     eax, 0x100
        mov     ecx, 0x10
        wrmsr
        rdtsc
        CHECKV  edx, 0, "P6: WRMSR TSC clears the high half"

        ; ---- MSRs ----
        mov     ecx, 0x1B
        rdmsr
        CHECKV  eax, 0xFEE00900, "APIC_BASE reset value"
        mov     ecx, 0x175
        mov     eax, 0xABCD1234
        xor     edx, edx
        wrmsr
        xor     eax, eax
        rdmsr
        CHECKV  eax, 0xABCD1234, "SYSENTER_ESP round trip"
        mov     ecx, 0xC1
        mov     eax, 0x80000001
        wrmsr
        xor     ecx, ecx
        rdpmc
        CHECKV  eax, 0x80000001, "RDPMC reads PerfCtr0 (low)"
        CHECKV  edx, 0xFF, "  sign-extended to 40 bits"
        mov     dword [bad], 0
        mov     dword [msr], 0x1A0        ; MISC_ENABLE: not on the P6
        call    rdmsr_gp
        mov     dword [msr], 0x12345678
        call    rdmsr_gp
        mov     dword [msr], 0x0
        call    rdmsr_gp
        CHECKV  [bad], 0, "RDMSR of unknown MSRs: #GP(0)"
        TRY     .w1
        mov     ecx, 0x1A0
        wrmsr
.w1:    EXPECT  13, 0, "WRMSR of an unknown MSR: #GP(0)"
        TRY     .w2
        mov     ecx, 0x1B
        mov     eax, 0xFEE00900
        mov     edx, 0x10                ; above 36 physical bits
        wrmsr
.w2:    EXPECT  13, 0, "WRMSR APIC_BASE with reserved bits: #GP(0)"
        TRY     .w3
        mov     ecx, 2
        rdpmc
.w3:    EXPECT  13, 0, "RDPMC counter 2: #GP(0)"

        ; ---- SYSENTER / SYSEXIT ----
        xor     edx, edx
        mov     ecx, 0x174
        xor     eax, eax
        wrmsr
        TRY     .s1
        sysenter
.s1:    EXPECT  13, 0, "SYSENTER with SYSENTER_CS = 0: #GP(0)"
        TRY     .s2
        sysexit
.s2:    EXPECT  13, 0, "SYSEXIT with SYSENTER_CS = 0: #GP(0)"
        mov     eax, SEL_CODE0
        wrmsr
        mov     ecx, 0x175
        mov     eax, SYS_STACK
        wrmsr
        mov     ecx, 0x176
        mov     eax, sys_entry
        wrmsr
        mov     [saved_esp], esp
        mov     ecx, USER_STACK
        mov     edx, user_code
        sti                               ; SYSENTER must clear IF
        sysexit
back:   mov     esp, [saved_esp]
        CHECKV  [u_cs], SEL_CODE3, "SYSEXIT: CS = SYSENTER_CS + 16 | 3"
        CHECKV  [u_ss], SEL_DATA3, "SYSEXIT: SS = SYSENTER_CS + 24 | 3"
        CHECKV  [u_esp], USER_STACK, "SYSEXIT: ESP = ECX"
        CHECKV  [k_cs], SEL_CODE0, "SYSENTER: CS = SYSENTER_CS"
        CHECKV  [k_ss], SEL_DATA0, "SYSENTER: SS = SYSENTER_CS + 8"
        CHECKV  [k_esp], SYS_STACK, "SYSENTER: ESP = SYSENTER_ESP"
        mov     eax, [k_flags]
        and     eax, 0x200
        CHECKV  eax, 0, "SYSENTER clears IF"
        mov     ax, SEL_DATA0
        mov     ds, ax
        mov     es, ax
        FINISH32

rdmsr_gp:
        mov     ecx, [msr]
        TRY     .x
        rdmsr
.x:     call    is_gp0
        je      .ok
        inc     dword [bad]
.ok:    ret

user_code:
        mov     [ss:u_esp], esp
        mov     eax, cs
        mov     [ss:u_cs], eax
        mov     eax, ss
        mov     [ss:u_ss], eax
        sysenter

sys_entry:
        mov     [ss:k_esp], esp
        mov     eax, cs
        mov     [ss:k_cs], eax
        mov     eax, ss
        mov     [ss:k_ss], eax
        pushfd
        pop     dword [ss:k_flags]
        jmp     back

        align   4
reset_edx: dd 0
sig:       dd 0
t1:        dd 0, 0
t2:        dd 0, 0
bad:       dd 0
msr:       dd 0
saved_esp: dd 0
u_cs:      dd 0
u_ss:      dd 0
u_esp:     dd 0
k_cs:      dd 0
k_ss:      dd 0
k_esp:     dd 0
k_flags:   dd 0
