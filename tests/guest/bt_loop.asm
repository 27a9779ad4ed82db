; bt_loop.asm -- the translator's self-loops and its memory probe without
; paging (translator/loop.c, translator/mem.c), under --engine=bt
; --bt-threshold=0 (tests/run-all.sh; passes in the interpreter too):
;  1. a loop `add ecx,[ebx]; add ebx,4; cmp ebx,edx; jne` runs into a page
;     that is not present.  Its later iterations run the loop copy, where
;     the flags of the CMP are not saved but remade on demand: the #PF must
;     still see EIP of the read, EBX and ECX of that iteration and EFLAGS as
;     the CMP of the iteration before left them.
;  2. the same with TEST as the loop's producer and a counter that does not
;     change the producer's registers before the read (the flags are remade
;     in the slow path of the probe itself).
;  3. with A20 off and paging off, a loop reading 0x103000.. must read
;     0x003000.. (the probe that assumes lin = phys must notice that the
;     TLB entry maps elsewhere).
%include "pm_lib.inc"

%define PD          0x30000
%define PT0         0x31000
%define NP_PAGE     0x50000
%define PG_URW      0x007
%define LOW_DATA    0x3000
%define HIGH_DATA   0x103000

test_main:
        ; ---- 3 first (no paging yet): A20 off, reads through the wrap ----
        mov     edi, LOW_DATA
        mov     eax, 0x01010101
        mov     ecx, 16
.fill_lo:
        mov     [edi], eax
        mov     dword [edi + HIGH_DATA - LOW_DATA], 0x7F000000
        add     eax, 0x01010101
        add     edi, 4
        loop    .fill_lo
        call    a20_sum                 ; with A20 on: the high copy
        CHECKV  eax, 0xF0000000, "A20 on: 0x103000.. is its own memory"
        in      al, 0x92
        and     al, 0xFC
        out     0x92, al
        call    a20_sum                 ; the same translated loop, A20 off
        push    eax
        in      al, 0x92
        or      al, 0x02
        out     0x92, al
        pop     eax
        CHECKV  eax, 0x88888888, "A20 off: 0x103000.. reads 0x003000.."

        ; ---- paging: identity, NP_PAGE not present ----
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

        ; ---- 1: CMP producer, #PF in the 5th iteration ----
        mov     dword [NP_PAGE - 16], 1
        mov     dword [NP_PAGE - 12], 2
        mov     dword [NP_PAGE - 8], 3
        mov     dword [NP_PAGE - 4], 4
        TRY     loop1_resume
        mov     ebx, NP_PAGE - 16
        xor     ecx, ecx
        mov     edx, NP_PAGE + 64
        stc                             ; flags before the loop: not these
        jmp     loop1
loop1:  add     ecx, [ebx]
        add     ebx, 4
        cmp     ebx, edx
        jne     loop1
        mov     ecx, 99                 ; must not run
loop1_resume:
        CHECKV  [exc_eip], loop1, "EIP of the #PF is the read in the loop"
        CHECKV  ebx, NP_PAGE, "EBX of the faulting iteration"
        CHECKV  ecx, 10, "ECX: the four reads before it (1+2+3+4)"
        mov     eax, [exc_eflags]
        and     eax, 0x8D5
        CHECKV  eax, 0x85, "EFLAGS of CMP NP_PAGE,NP_PAGE+64: CF PF SF"
        mov     eax, cr2
        CHECKV  eax, NP_PAGE, "CR2 names the address"
        EXPECT  14, 0, "#PF in the loop copy"

        ; ---- 2: TEST producer, #PF in the 4th iteration ----
        TRY     loop2_resume
        mov     esi, NP_PAGE - 12
        mov     edi, 0x40
        mov     ebp, 0
        jmp     loop2
loop2:  mov     eax, [esi]
        lea     esi, [esi + 4]
        add     ebp, 1
        test    edi, 0xC0               ; 0x40: ZF=SF=0, PF=0 (one bit), CF=OF=0
        jnz     loop2
        mov     ebp, 99                 ; must not run
loop2_resume:
        CHECKV  esi, NP_PAGE, "ESI of the faulting iteration"   ; first: CHECKV prints through ESI
        CHECKV  [exc_eip], loop2, "EIP of the #PF is the read of loop 2"
        CHECKV  ebp, 3, "EBP: three iterations before it"
        mov     eax, [exc_eflags]
        and     eax, 0x8D5
        CHECKV  eax, 0x00, "EFLAGS of TEST 0x40,0xC0: all clear"
        EXPECT  14, 0, "#PF in loop 2"

        ; ---- the first loop again, the page present: runs to its end ----
        mov     dword [PT0 + (NP_PAGE >> 12) * 4], NP_PAGE | PG_URW
        invlpg  [NP_PAGE]
        mov     edi, NP_PAGE
        mov     eax, 5
        mov     ecx, 16
.fill_np:
        mov     [edi], eax
        inc     eax
        add     edi, 4
        loop    .fill_np
        TRY     loop1_resume
        mov     ebx, NP_PAGE - 16
        xor     ecx, ecx
        mov     edx, NP_PAGE + 64
        call    loop1_call
        CHECKV  ecx, 210, "loop 1 without a fault: 1+2+...+20"
        EXPECT  NOFAULT, 0, "no fault the second time"
        FINISH32

; a loop as loop 1 (its own block), as a routine
loop1_call:
        jmp     loop1_again
loop1_again:
        add     ecx, [ebx]
        add     ebx, 4
        cmp     ebx, edx
        jne     loop1_again
        ret

; a20_sum: EAX = the sum of the 16 dwords at HIGH_DATA (a self-loop)
a20_sum:
        mov     esi, HIGH_DATA
        xor     eax, eax
        mov     edx, HIGH_DATA + 64
.loop:  add     eax, [esi]
        add     esi, 4
        cmp     esi, edx
        jne     .loop
        ret
