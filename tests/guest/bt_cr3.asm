; bt_cr3.asm -- the same linear code under two address spaces: linear
; 0x400000 holds a loop shared by both page directories, which jumps to
; linear 0x401000 and back; under CR3 = PD_A that page is physical
; 0x61000 (ADD EAX,1), under PD_B physical 0x62000 (ADD EAX,0x40).  Under
; --engine=bt --bt-threshold=0 the jumps between the two linear pages are
; chained after the first run, so when CR3 changes a chained jump must
; notice that its target page now maps elsewhere (the translation of the
; other address space must not run).  Passes in the interpreter too.
%include "pm_lib.inc"

%define PD_A        0x30000
%define PT0         0x31000         ; identity map of 0-4 MiB (shared)
%define PT_A        0x32000         ; 4-8 MiB under PD_A
%define PD_B        0x33000
%define PT_B        0x34000         ; 4-8 MiB under PD_B
%define SHARED      0x60000         ; physical pages of the code
%define PAGE_A      0x61000
%define PAGE_B      0x62000
%define LIN         0x400000
%define PG_PW       0x003
%define CR0_PG      0x80000000

; copy SRC, DST, LEN
%macro COPY 3
        mov     esi, %1
        mov     edi, %2
        mov     ecx, %3
        rep     movsb
%endmacro

; RUN pd, expected, "text": CR3 = pd, call the loop at LIN, check EAX
%macro RUN 3
        mov     eax, %1
        mov     cr3, eax
        xor     eax, eax
        mov     edx, LIN
        call    edx
        CHECKV  eax, %2, %3
%endmacro

test_main:
        cld
        COPY    shared_code, SHARED, shared_end - shared_code
        COPY    code_a, PAGE_A, code_a_end - code_a
        COPY    code_b, PAGE_B, code_b_end - code_b
        ; PT0: 0-4 MiB identity
        mov     edi, PT0
        mov     eax, PG_PW
        mov     ecx, 1024
        call    fill_ptes
        ; the rest: zero
        xor     eax, eax
        mov     edi, PD_A
        mov     ecx, 1024
        rep     stosd
        mov     edi, PT_A
        mov     ecx, 1024
        rep     stosd
        mov     edi, PD_B
        mov     ecx, 2 * 1024
        rep     stosd
        mov     dword [PD_A], PT0 | PG_PW
        mov     dword [PD_A + 4], PT_A | PG_PW
        mov     dword [PD_B], PT0 | PG_PW
        mov     dword [PD_B + 4], PT_B | PG_PW
        mov     dword [PT_A], SHARED | PG_PW
        mov     dword [PT_A + 4], PAGE_A | PG_PW
        mov     dword [PT_B], SHARED | PG_PW
        mov     dword [PT_B + 4], PAGE_B | PG_PW
        mov     eax, PD_A
        mov     cr3, eax
        mov     eax, cr0
        or      eax, CR0_PG
        mov     cr0, eax

        RUN     PD_A, 3, "under PD_A the loop adds 1 three times"
        RUN     PD_B, 3 * 0x40, "under PD_B the same linear code adds 0x40"
        RUN     PD_A, 3, "back under PD_A: its own translation again"
        RUN     PD_B, 3 * 0x40, "and under PD_B again"
        FINISH32

; The code, assembled as bytes for the linear addresses it runs at.
shared_code:                            ; at LIN
        db      0xB9
        dd      3                       ; mov ecx, 3
        db      0xE9
        dd      (LIN + 0x1000) - (LIN + 10)     ; 5: jmp LIN + 0x1000
        db      0xC3                    ; 10: ret
shared_end:
code_a:                                 ; at LIN + 0x1000
        db      0x83, 0xC0, 0x01        ; add eax, 1
        db      0x49                    ; dec ecx
        db      0x0F, 0x85
        dd      (LIN + 5) - (LIN + 0x100A)      ; jnz LIN + 5
        db      0xE9
        dd      (LIN + 10) - (LIN + 0x100F)     ; jmp LIN + 10
code_a_end:
code_b:
        db      0x83, 0xC0, 0x40        ; add eax, 0x40
        db      0x49
        db      0x0F, 0x85
        dd      (LIN + 5) - (LIN + 0x100A)
        db      0xE9
        dd      (LIN + 10) - (LIN + 0x100F)
code_b_end:
