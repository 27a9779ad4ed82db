; bt_seg.asm -- memory operands through a segment with a base (as Linux's
; per-CPU FS: page-aligned base, 4 GiB limit), which the translator
; handles inline, reading the base when the code runs (translator/mem.c),
; and the MOV AL/eAX <-> moffs forms (A0-A3), under --engine=bt
; --bt-threshold=0 (tests/run-all.sh; passes in the interpreter too):
; reads, writes, read-modify-writes and moffs moves through FS land at
; base + offset; the same translated routine with another base in FS uses
; the new base; an offset that wraps past 4 GiB is a #GP(0) (the limit),
; with the registers and EFLAGS of the instructions before it.  RDTSC at
; ring 0 is made inline (no block end): the TSC still ticks once per
; retired instruction, also after a trapped instruction in the block.
%include "pm_lib.inc"

%define SEL_FS1     0x48
%define SEL_FS2     0x50
%define BASE1       0x40000
%define BASE2       0x41000

test_main:
        DESC    SEL_FS1, BASE1, 0xFFFFF, ACC_DATA, 0xC
        DESC    SEL_FS2, BASE2, 0xFFFFF, ACC_DATA, 0xC
        mov     dword [BASE1 + 0x100], 0x11111111
        mov     dword [BASE1 + 0x108], 41
        mov     dword [BASE1 + 0x200], 0x22222222
        mov     dword [BASE2 + 0x100], 0x33333333
        mov     dword [BASE2 + 0x108], 99
        mov     dword [BASE2 + 0x200], 0x44444444

        mov     ax, SEL_FS1
        mov     fs, ax
        call    fs_work
        CHECKV  eax, 0x11111111, "FS base 0x40000: a read at FS:0x100"
        CHECKV  edx, 0x22222222, "moffs read (A1) at FS:0x200"
        CHECKV  [BASE1 + 0x104], 0x11111112, "a write at FS:0x104 lands at 0x40104"
        CHECKV  [BASE1 + 0x108], 42, "INC dword FS:[0x108]"
        CHECKV  [BASE1 + 0x204], 0x22222222, "moffs write (A3) at FS:0x204"
        mov     eax, [BASE1 + 0x20C]
        and     eax, 0xFF
        CHECKV  eax, 0x22, "moffs byte write (A2) at FS:0x20C"
        CHECKV  ecx, 0x22, "moffs byte read (A0) at FS:0x200"

        mov     ax, SEL_FS2
        mov     fs, ax
        call    fs_work                 ; the same translated code
        CHECKV  eax, 0x33333333, "FS base 0x41000: the same code reads FS:0x100 there"
        CHECKV  edx, 0x44444444, "moffs read at the new base"
        CHECKV  [BASE2 + 0x108], 100, "INC at the new base"
        CHECKV  [BASE1 + 0x108], 42, "...and not at the old one"

        ; ---- an offset past the 4 GiB limit: #GP(0) ----
        mov     ax, SEL_FS1
        mov     fs, ax
        TRY     gp_resume
        mov     ebx, 0xFFFFFFFE
        mov     ecx, 7
        xor     edi, edi                ; ZF=1 PF=1
gp_at:  mov     eax, [fs:ebx]           ; offsets FFFFFFFE..00000001
        mov     ecx, 99                 ; must not run
gp_resume:
        CHECKV  ecx, 7, "ECX as before the faulting read"
        CHECKV  [exc_eip], gp_at, "EIP of the #GP is the read"
        mov     eax, [exc_eflags]
        and     eax, 0x8D5
        CHECKV  eax, 0x44, "EFLAGS from the XOR before it"
        EXPECT  13, 0, "#GP(0): FS offset wraps past 4 GiB"
        mov     ax, SEL_DATA0
        mov     fs, ax

        ; ---- RDTSC in the middle of blocks ----
        rdtsc
        mov     ebx, eax
        nop
        add     ecx, 1
        nop
        rdtsc
        sub     eax, ebx
        CHECKV  eax, 5, "RDTSC: 5 ticks for RDTSC MOV NOP ADD NOP"
        rdtsc
        mov     ebx, eax
        bt      ecx, 1                  ; trapped in the translator
        nop
        rdtsc
        sub     eax, ebx
        CHECKV  eax, 4, "RDTSC after a trapped instruction: 4 ticks"
        FINISH32

; fs_work: EAX = FS:[0x100], FS:[0x104] = EAX + 1, FS:[0x108] += 1,
; EDX = FS:[0x200] (moffs), FS:[0x204] = EDX (moffs), CL = FS:[0x200]
; (moffs byte), FS:[0x20C] = CL (moffs byte)
fs_work:
        mov     ebx, 0x100
        mov     eax, [fs:ebx]
        lea     esi, [eax + 1]
        mov     [fs:ebx + 4], esi
        inc     dword [fs:ebx + 8]
        mov     edx, eax
        mov     eax, [fs:0x200]
        xchg    eax, edx
        xchg    eax, edx
        mov     [fs:0x204], eax
        mov     al, [fs:0x200]
        mov     ecx, eax
        and     ecx, 0xFF
        mov     [fs:0x20C], al
        mov     edx, [fs:0x204]
        mov     eax, [fs:ebx]
        ret
