; sys_priv.asm -- privileged system instructions at ring 3 are #GP(0);
; the sensitive but unprivileged ones (SGDT, SIDT, SMSW, CPUID) run;
; RDTSC follows CR4.TSD and RDPMC CR4.PCE.  Results are gathered at ring 3
; (which cannot print) and checked back at ring 0.
; Expects the P6 model (the default).
%include "pm_lib.inc"

%define CR4_TSD     0x004
%define CR4_PCE     0x100

; R3TRY slot, {instruction}: runs it at ring 3, records vector and error.
%macro R3TRY 2
        TRY     %%after
        %2
%%after:
        mov     eax, [exc_vec]
        mov     [res + %1 * 8], eax
        mov     eax, [exc_err]
        mov     [res + %1 * 8 + 4], eax
%endmacro

; GP0 slot, "text": slot saw #GP(0).   NOF slot, "text": no fault.
%macro GP0 2
        CHECKV  [res + %1 * 8], 13, %2
        CHECKV  [res + %1 * 8 + 4], 0, "  error code 0"
%endmacro
%macro NOF 2
        CHECKV  [res + %1 * 8], NOFAULT, %2
%endmacro

test_main:
        mov     eax, ring3_a
        call    run_ring3
        GP0     0, "ring 3: mov eax, cr0"
        GP0     1, "ring 3: mov cr0, eax"
        GP0     2, "ring 3: mov eax, dr7"
        GP0     3, "ring 3: mov dr7, eax"
        GP0     4, "ring 3: lgdt"
        GP0     5, "ring 3: lidt"
        GP0     6, "ring 3: lmsw"
        GP0     7, "ring 3: clts"
        GP0     8, "ring 3: invd"
        GP0     9, "ring 3: wbinvd"
        GP0     10, "ring 3: invlpg"
        GP0     11, "ring 3: rdmsr"
        GP0     12, "ring 3: wrmsr"
        GP0     13, "ring 3: rdpmc with CR4.PCE clear"
        GP0     14, "ring 3: sysexit"
        GP0     15, "ring 3: mov cr4, eax"
        NOF     16, "ring 3: sgdt"
        NOF     17, "ring 3: sidt"
        NOF     18, "ring 3: smsw"
        NOF     19, "ring 3: cpuid"
        NOF     20, "ring 3: rdtsc with CR4.TSD clear"
        CHECKV  [r3_sgdt + 2], gdt, "ring 3 SGDT stores the GDT base"
        mov     eax, cr0
        and     eax, 0xFFFF
        CHECKV  [r3_msw], eax, "ring 3 SMSW stores the MSW"
        mov     eax, cr0
        test    eax, 0x8
        CHECK32 z, "the ring 3 CLTS left CR0 alone"

        mov     eax, CR4_TSD | CR4_PCE
        mov     cr4, eax
        mov     eax, ring3_b
        call    run_ring3
        GP0     0, "ring 3: rdtsc with CR4.TSD set"
        NOF     1, "ring 3: rdpmc with CR4.PCE set"
        GP0     2, "ring 3: rdpmc of counter 2"
        xor     eax, eax
        mov     cr4, eax
        TRY     .t1
        rdtsc
.t1:    mov     dword [resume], 0
        CHECKV  [exc_vec], NOFAULT, "ring 0: rdtsc with CR4.TSD set"
        FINISH32

ring3_a:
        mov     ax, SEL_DATA3
        mov     ds, ax
        mov     es, ax
        R3TRY   0, {mov eax, cr0}
        R3TRY   1, {mov cr0, eax}
        R3TRY   2, {mov eax, dr7}
        R3TRY   3, {mov dr7, eax}
        R3TRY   4, {lgdt [gdtr]}
        R3TRY   5, {lidt [idtr]}
        R3TRY   6, {lmsw ax}
        R3TRY   7, {clts}
        R3TRY   8, {invd}
        R3TRY   9, {wbinvd}
        R3TRY   10, {invlpg [0]}
        mov     ecx, 0x10
        R3TRY   11, {rdmsr}
        R3TRY   12, {wrmsr}
        xor     ecx, ecx
        R3TRY   13, {rdpmc}
        R3TRY   14, {sysexit}
        R3TRY   15, {mov cr4, eax}
        R3TRY   16, {sgdt [r3_sgdt]}
        R3TRY   17, {sidt [r3_sidt]}
        R3TRY   18, {smsw [r3_msw]}
        xor     eax, eax
        R3TRY   19, {cpuid}
        R3TRY   20, {rdtsc}
        mov     dword [resume], 0
        call    SEL_BACK:0

ring3_b:
        mov     ax, SEL_DATA3
        mov     ds, ax
        mov     es, ax
        R3TRY   0, {rdtsc}
        xor     ecx, ecx
        R3TRY   1, {rdpmc}
        mov     ecx, 2
        R3TRY   2, {rdpmc}
        mov     dword [resume], 0
        call    SEL_BACK:0

        align   4
res:     times 2 * 32 dd 0
r3_sgdt: times 8 db 0
r3_sidt: times 8 db 0
r3_msw:  dd 0
