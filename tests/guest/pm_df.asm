; pm_df.asm -- double faults: a contributory exception (#NP) raised while
; delivering another (#GP) becomes #DF with error code 0, through an
; interrupt gate and through a task gate; a benign exception (#BP) whose
; gate is missing is just #NP; a #GP while delivering a hardware-class
; event carries EXT in its error code.
%include "pm_lib.inc"

%define SEL_TSSDF    0x48
%define TSSDF        TSS_AREA

test_main:
        ; 1. #GP with its gate not present: #NP(13*8+2+EXT) -> #DF(0)
        and     byte [IDT_BASE + 13 * 8 + 5], 0x7F
        TRY     .f1
        mov     ax, 0x0FF8
        mov     ds, ax
.f1:    or      byte [IDT_BASE + 13 * 8 + 5], 0x80
        EXPECT  8, 0, "#NP while delivering #GP: #DF with error 0"
        mov     eax, ds
        CHECKV  eax, SEL_DATA0, "#DF: DS unchanged"

        ; 2. #BP (benign) with its gate not present: plain #NP, no EXT
        and     byte [IDT_BASE + 3 * 8 + 5], 0x7F
        TRY     .f2
        int3
.f2:    or      byte [IDT_BASE + 3 * 8 + 5], 0x80
        EXPECT  11, 3 * 8 + 2, "int3 to a not-present gate: #NP, not #DF"

        ; 3. #UD (benign) whose gate is not present: #NP with EXT
        and     byte [IDT_BASE + 6 * 8 + 5], 0x7F
        TRY     .f3
        ud2
.f3:    or      byte [IDT_BASE + 6 * 8 + 5], 0x80
        EXPECT  11, 6 * 8 + 3, "#UD to a not-present gate: #NP with EXT"

        ; 4. #UD whose gate names a null code selector: #GP(EXT)
        mov     word [IDT_BASE + 6 * 8 + 2], 0
        TRY     .f4
        ud2
.f4:    mov     word [IDT_BASE + 6 * 8 + 2], SEL_CODE0
        EXPECT  13, 1, "#UD to a gate with a null CS: #GP(EXT)"

        ; 5. #DF through a task gate
        mov     edi, TSSDF
        mov     ecx, 0x68 / 4
        xor     eax, eax
        cld
        rep     stosd
        mov     dword [TSSDF + 0x20], df_task
        mov     dword [TSSDF + 0x24], 2
        mov     dword [TSSDF + 0x38], 0x16000
        mov     dword [TSSDF + 0x48], SEL_DATA0
        mov     dword [TSSDF + 0x4C], SEL_CODE0
        mov     dword [TSSDF + 0x50], SEL_DATA0
        mov     dword [TSSDF + 0x54], SEL_DATA0
        DESC    SEL_TSSDF, TSSDF, 0x67, ACC_TSS32, 0
        mov     word [IDT_BASE + 8 * 8 + 2], SEL_TSSDF
        mov     byte [IDT_BASE + 8 * 8 + 5], ACC_TASK
        and     byte [IDT_BASE + 13 * 8 + 5], 0x7F
        mov     ax, 0x0FF8
        mov     ds, ax                  ; #GP -> #NP -> #DF -> task
.f5:    or      byte [IDT_BASE + 13 * 8 + 5], 0x80
        CHECKV  [df_err], 0, "#DF through a task gate: error code 0 on its stack"
        CHECKV  [df_esp], 0x16000 - 4, "#DF task: only the error code pushed"
        CHECKV  [df_link], SEL_TSS, "#DF task: back link to the faulting task"
        str     eax
        CHECKV  eax, SEL_TSS, "#DF task returned by IRET"

        FINISH32

df_task:
        pop     eax
        mov     [df_err], eax
        lea     eax, [esp - 4]
        mov     [df_esp], eax
        movzx   eax, word [TSSDF]
        mov     [df_link], eax
        mov     dword [TSS_MAIN + 0x20], test_main.f5
        iretd
        jmp     df_task

        align   4
df_err: dd 0xFFFFFFFF
df_esp: dd 0
df_link: dd 0
