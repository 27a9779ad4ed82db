; pm_rf.asm -- EFLAGS.RF around exceptions (SDM Vol. 3, "Instruction-
; Breakpoint Exception Condition"): a fault-class exception (#UD, #GP,
; #DE, #PF) pushes EFLAGS with RF=1; a trap (INTO's #OF) and INT n push
; RF=0; the RF that IRET loads from a fault's frame lasts one instruction,
; so an INT two instructions later pushes RF=0.  Found by the KVM
; differential test (tests/diff), where x86lab pushed RF=0 for faults.
%include "pm_lib.inc"

%define RF 0x10000

%macro RFIS 2                       ; expected RF bit, "text"
        mov     eax, [exc_eflags]
        and     eax, RF
        CHECKV  eax, %1, %2
%endmacro

test_main:
        mov     edx, 0x40
        mov     eax, int40
        mov     cl, ACC_INT32
        call    set_idt

        TRY     .f1
        ud2
.f1:    EXPECT  6, 0, "ud2: #UD"
        RFIS    RF, "#UD (a fault) pushes EFLAGS with RF=1"
        int     0x40
        mov     eax, [i40_eflags]
        and     eax, RF
        CHECKV  eax, 0, "RF from the fault's IRET is gone after one instruction"

        TRY     .f2
        mov     ax, 0xFFF8              ; beyond the GDT's limit
        mov     ds, ax
.f2:    EXPECT  13, 0xFFF8, "mov ds, 0xFFF8: #GP(FFF8)"
        RFIS    RF, "#GP (a fault) pushes RF=1"

        TRY     .f3
        xor     ecx, ecx
        div     ecx
.f3:    EXPECT  0, 0, "div by 0: #DE"
        RFIS    RF, "#DE (a fault) pushes RF=1"

        mov     al, 0x7F
        add     al, 1                   ; OF = 1
        TRY     .f4
        into
.f4:    EXPECT  4, 0, "into with OF: #OF"
        RFIS    0, "#OF (a trap) pushes RF=0"

        int     0x40
        mov     eax, [i40_eflags]
        and     eax, RF
        CHECKV  eax, 0, "int 0x40 pushes RF=0"

        FINISH32

int40:
        mov     eax, [esp + 8]
        mov     [i40_eflags], eax
        iretd

        align   4
i40_eflags: dd 0xFFFFFFFF
