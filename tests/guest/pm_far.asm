; pm_far.asm -- far JMP/CALL/RETF in protected mode at one privilege level:
; direct transfers to 32 and 16-bit code, conforming code, the LDT, far
; pointers in memory, RETF imm16, and the faults with their error codes
; (#GP(0) null or beyond the limit, #GP(sel) wrong type / RPL / table
; limit, #NP(sel) not present).
%include "pm_lib.inc"

%define SEL_CODE16   0x48           ; 16-bit code, base 0, limit FFFF
%define SEL_SMALL    0x50           ; 32-bit code, limit 0x0FFF... base 0
%define SEL_NOTP     0x58           ; not-present code
%define SEL_CONF0    0x60           ; conforming code, DPL 0
%define SEL_LDT      0x68           ; LDT descriptor
%define SEL_CONF3    0x70           ; conforming code, DPL 3
%define LDT_BASE     0x13000
%define SEL_LCODE    0x0C           ; LDT entry 1: code, DPL 0

test_main:
        ; descriptors for this test
        DESC    SEL_CODE16, 0, 0xFFFF, ACC_CODE, 0
        DESC    SEL_SMALL, 0, 0x7FFF, ACC_CODE, 4
        DESC    SEL_NOTP, 0, 0xFFFFF, ACC_CODE ^ NOTPRESENT, 0xC
        ; present, DPL 0, conforming readable
        DESC    SEL_CONF0, 0, 0xFFFFF, 0x9E, 0xC
        DESC    SEL_CONF3, 0, 0xFFFFF, 0xFE, 0xC

        ; 1. direct far JMP
        mov     dword [scratch], 0
        jmp     SEL_CODE0:.j1
.j1:    mov     eax, cs
        CHECKV  eax, SEL_CODE0, "jmp far ptr16:32 keeps CS 08"

        ; 2. far CALL to 16-bit code, which returns with a 32-bit RETF
        mov     ebx, esp
        call    SEL_CODE16:code16
        sub     ebx, esp
        CHECKV  ebx, 0, "call far to 16-bit code and back: ESP"
        CHECKV  [scratch], 0x1616, "16-bit code ran"
        mov     eax, cs
        CHECKV  eax, SEL_CODE0, "retf from 16-bit code restores CS"

        ; 3. far CALL through memory (m16:32), RETF imm16
        push    dword 0x11111111
        push    dword 0x22222222
        mov     ebx, esp
        call    far [farptr]
        sub     ebx, esp
        CHECKV  ebx, -8, "retf 8 pops the parameters"
        CHECKV  [scratch], 0x22222222, "callf m16:32 reached the target"

        ; 4. far JMP through memory (m16:32)
        jmp     far [jmpptr]
.back4: CHECKV  [scratch], 0x4444, "jmpf m16:32"

        ; 5. conforming code at DPL 0 from ring 0; CS.RPL = CPL
        call    SEL_CONF0:conf_target
        CHECKV  [scratch], SEL_CONF0, "call to conforming DPL 0 code: CS"

        ; 6. the LDT: far call to an LDT code selector
        DESC    SEL_LDT, LDT_BASE, 0x0F, ACC_LDT, 0
        mov     dword [LDT_BASE + 8], 0x0000FFFF
        mov     dword [LDT_BASE + 12], 0x00CF9A00
        mov     ax, SEL_LDT
        lldt    ax
        call    SEL_LCODE:conf_target
        CHECKV  [scratch], SEL_LCODE, "call to an LDT code segment: CS"
        sldt    eax
        CHECKV  eax, SEL_LDT, "sldt"
        CHECKV  [LDT_BASE + 12], 0x00CF9B00, "LDT descriptor accessed bit set"

        ; ---- faults ----
        TRY     .f1
        jmp     0:0
.f1:    EXPECT  13, 0, "jmp far to a null selector: #GP(0)"
        TRY     .f2
        jmp     SEL_DATA0:0
.f2:    EXPECT  13, SEL_DATA0, "jmp far to a data segment: #GP(sel)"
        TRY     .f3
        jmp     SEL_NOTP:0
.f3:    EXPECT  11, SEL_NOTP, "jmp far to a not-present segment: #NP(sel)"
        TRY     .f4
        jmp     SEL_SMALL:0x9000
.f4:    EXPECT  13, 0, "jmp far beyond the code limit: #GP(0)"
        TRY     .f5
        jmp     0x1000:0
.f5:    EXPECT  13, 0x1000, "selector beyond the GDT limit: #GP(sel)"
        TRY     .f6
        call    (SEL_CODE0 | 3):0
.f6:    EXPECT  13, SEL_CODE0, "call non-conforming with RPL > CPL: #GP(sel)"
        TRY     .f7
        call    SEL_CONF3:conf_target
.f7:    EXPECT  13, SEL_CONF3, "call conforming with DPL > CPL: #GP(sel)"
        mov     ebx, esp
        TRY     .f8
        call    SEL_SMALL:0x9000
.f8:    sub     ebx, esp
        EXPECT  13, 0, "call far beyond the limit: #GP(0)"
        CHECKV  ebx, 0, "faulting call far leaves ESP"
        xor     eax, eax
        lldt    ax
        TRY     .f9
        call    SEL_LCODE:conf_target
.f9:    EXPECT  13, SEL_LCODE & ~3, "LDT selector with a null LDTR: #GP(sel)"
        TRY     .f10
        jmp     far [badptr]
.f10:   EXPECT  13, 0x10, "jmpf m16:32 to a data segment (RPL 3): #GP(sel)"
        ; retf to a not-present code segment
        TRY     .f11
        push    dword SEL_NOTP
        push    dword 0
        retf
.f11:   EXPECT  11, SEL_NOTP, "retf to a not-present segment: #NP(sel)"
        mov     esp, STACK0
        TRY     .f12
        push    dword SEL_CODE3     ; RPL 3: return to ring 3 ...
        push    dword 0
        push    dword 0             ; ... with a null SS
        push    dword 0
        push    dword 0
        push    dword SEL_CODE3
        push    dword 0
        retf
.f12:   EXPECT  13, 0, "retf to ring 3 with a null SS: #GP(0)"
        mov     esp, STACK0
        TRY     .f13
        push    dword SEL_DATA0     ; SS with DPL 0 for ring 3
        push    dword STACK3
        push    dword SEL_CODE3
        push    dword 0
        retf
.f13:   EXPECT  13, SEL_DATA0, "retf to ring 3 with a DPL 0 SS: #GP(ss)"
        mov     esp, STACK0
        mov     eax, cs
        CHECKV  eax, SEL_CODE0, "still ring 0 after the faulting returns"

        FINISH32

conf_target:
        mov     eax, cs
        mov     [scratch], eax
        retf

far_target:
        mov     eax, [esp + 8]
        mov     [scratch], eax
        retf    8

jmp_target:
        mov     dword [scratch], 0x4444
        jmp     test_main.back4

        bits    16
code16:
        mov     word [scratch], 0x1616
        o32 retf
        bits    32

        align   4
scratch: dd 0
farptr: dd far_target
        dw SEL_CODE0
jmpptr: dd jmp_target
        dw SEL_CODE0
badptr: dd 0
        dw SEL_DATA0 | 3
