; bt_faults.asm -- precise exceptions in the middle of a translated block
; (with --engine=bt --bt-threshold=0 each straight-line run below is one
; block, translated at its first execution): a #GP and a #PF raised by an
; instruction after others of the same block have changed registers and
; flags.  The handler sees EIP of the faulting instruction, the registers
; and flags as the instructions before it left them, and nothing of the
; instructions after it; CR2 names the address.  (CHECKV prints through
; ESI: ESI is always checked first.)  Passes in the interpreter
; too (tests/run-all.sh runs both).
%include "pm_lib.inc"

%define PD          0x30000
%define PT0         0x31000
%define NP_PAGE     0x50000
%define PG_URW      0x007

test_main:
        ; ---- #GP(0): a write through CS (code is not writable) ----
        TRY     gp_resume
        mov     eax, 0x11111111
        mov     ebx, 0x22222222
        add     eax, ebx                ; 0x33333333: PF set, the rest clear
        stc
        mov     ecx, 5
gp_at:  mov     [cs:scratch], ecx
        mov     ecx, 99                 ; must not run
        mov     eax, 0
gp_resume:
        CHECKV  ecx, 5, "ECX as before the faulting write"
        CHECKV  eax, 0x33333333, "EAX from the same block before the #GP"
        CHECKV  [exc_eip], gp_at, "EIP of the #GP is the faulting write"
        mov     eax, [exc_eflags]
        and     eax, 0x8D5
        CHECKV  eax, 0x05, "EFLAGS at the #GP: CF from STC, PF from ADD"
        EXPECT  13, 0, "#GP(0) in the middle of a block"

        ; ---- #PF: a read of a page that is not present ----
        mov     edi, PT0
        mov     eax, PG_URW
        mov     ecx, 1024
        call    fill_ptes
        mov     dword [PT0 + (NP_PAGE >> 12) * 4], 0
        mov     dword [PD], PT0 | PG_URW
        mov     eax, PD
        mov     cr3, eax
        mov     eax, cr0
        or      eax, 0x80000000
        mov     cr0, eax
        jmp     pf_block
pf_block:
        TRY     pf_resume
        mov     esi, 0x1234
        mov     edx, 7
        add     edx, esi                ; 0x123B
        sub     esi, 0x1234             ; ZF=1
pf_at:  mov     eax, [NP_PAGE + 8]
        inc     edx                     ; must not run
        mov     esi, 77
pf_resume:
        CHECKV  esi, 0, "ESI as before the faulting read"
        CHECKV  edx, 0x123B, "EDX as before the faulting read"
        CHECKV  [exc_eip], pf_at, "EIP of the #PF is the faulting read"
        mov     eax, [exc_eflags]
        and     eax, 0x40
        CHECKV  eax, 0x40, "ZF from the SUB before the #PF"
        mov     eax, cr2
        CHECKV  eax, NP_PAGE + 8, "CR2 names the address"
        EXPECT  14, 0, "#PF (not present, read) in the middle of a block"

        ; ---- the same block again, now with the page present ----
        mov     dword [PT0 + (NP_PAGE >> 12) * 4], NP_PAGE | PG_URW
        invlpg  [NP_PAGE]
        mov     dword [NP_PAGE + 8], 0xABCD
        jmp     pf_block2
pf_block2:
        TRY     pf_resume2
        mov     esi, 0x1234
        mov     eax, [NP_PAGE + 8]
        inc     esi
pf_resume2:
        CHECKV  esi, 0x1235, "the block runs to its end"
        CHECKV  eax, 0xABCD, "the read succeeds once the page is present"
        EXPECT  NOFAULT, 0, "no fault the second time"
        FINISH32

scratch: dd 0
