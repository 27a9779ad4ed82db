; sys_x87.asm -- the x87 FPU on the P6 model: the FNINIT/FNSTSW/FNSTCW
; probe finds an FPU, CPUID says FPU and FXSR, the device-not-available
; rules for lazy FPU switching (ESC #NM with CR0.EM or CR0.TS, WAIT #NM
; only with TS and MP), memory operands checked against their segment
; before anything changes, the instruction/data pointers and opcode an
; FPU instruction leaves (FNSTENV), and #UD for encodings the P6 lacks.
; (tests/guest/x87_nofpu.asm: the same probes on the 486SX model.)
%include "pm_lib.inc"

%define CR0_MP      0x2
%define CR0_EM      0x4
%define CR0_TS      0x8
%define SEL_SMALL   0x48            ; data, limit 0xFFF, read-only

; NM_EXPECTED {insn}, "text" / NO_FAULT {insn}, "text"
%macro NM_EXPECTED 2
        TRY     %%after
        %1
%%after:
        EXPECT  7, 0, %2
%endmacro
%macro NO_FAULT 2
        TRY     %%after
        %1
%%after:
        mov     dword [resume], 0
        CHECKV  [exc_vec], NOFAULT, %2
%endmacro
%macro SET_MP_EM_TS 1
        mov     eax, cr0
        and     eax, ~(CR0_MP | CR0_EM | CR0_TS)
        or      eax, %1
        mov     cr0, eax
%endmacro

test_main:
        SET_MP_EM_TS 0
        mov     eax, 1
        cpuid
        mov     eax, edx
        and     eax, 1
        CHECKV  eax, 1, "CPUID.1:EDX.FPU set"
        mov     eax, edx
        and     eax, 1 << 24
        CHECKV  eax, 1 << 24, "CPUID.1:EDX.FXSR set"
        mov     eax, edx
        and     eax, 1 << 23
        CHECKV  eax, 0, "CPUID.1:EDX.MMX clear (not implemented)"

        ; the classic probe
        fninit
        mov     word [sw], 0x5A5A
        fnstsw  [sw]
        movzx   eax, word [sw]
        CHECKV  eax, 0, "FNINIT; FNSTSW stores 0: an FPU is present"
        fnstcw  [cw]
        movzx   eax, word [cw]
        CHECKV  eax, 0x037F, "FNSTCW after FNINIT: 037F"
        mov     ax, 0x5A5A
        fnstsw  ax
        CHECKV  eax, 0, "FNSTSW AX after FNINIT: 0"
        fld1
        fstp    dword [fout]
        CHECKV  [fout], 0x3F800000, "FLD1; FSTP m32 stores 1.0f"
        fldpi
        fstp    qword [dout]
        CHECKV  [dout], 0x54442D18, "FLDPI; FSTP m64 low dword"
        CHECKV  [dout + 4], 0x400921FB, "FLDPI; FSTP m64 high dword"
        fnstenv [env]
        movzx   eax, word [env + 8]
        CHECKV  eax, 0xFFFF, "stack empty again: tag word FFFF"

        ; the memory operand is checked before the FPU changes
        DESC    SEL_SMALL, 0, 0xFFF, 0x90, 4 ; read-only data
        mov     ax, SEL_SMALL
        mov     es, ax
        fninit
        NO_FAULT {fld dword [es:0xFFC]}, "FLD m32 inside the segment limit"
        TRY     .l1
        fld     dword [es:0xFFD]
.l1:    EXPECT  13, 0, "FLD m32 crossing the segment limit: #GP(0)"
        TRY     .l2
        fld     qword [es:0xFF9]
.l2:    EXPECT  13, 0, "FLD m64 crossing the segment limit: #GP(0)"
        fnstsw  ax
        and     eax, 0x3800
        CHECKV  eax, 0x3800, "faulting FLDs pushed nothing (TOP 7)"
        TRY     .l3
        fstp    dword [es:0x100]
.l3:    EXPECT  13, 0, "FSTP m32 to a read-only segment: #GP(0)"
        fnstsw  ax
        and     eax, 0x3800
        CHECKV  eax, 0x3800, "faulting FSTP popped nothing (TOP 7)"
        TRY     .l4
        fnstcw  [es:0x100]
.l4:    EXPECT  13, 0, "FNSTCW to a read-only segment: #GP(0)"
        TRY     .l5
        fnsave  [es:0xFA0]
.l5:    EXPECT  13, 0, "FNSAVE (108 bytes) to a read-only segment: #GP(0)"
        fnstsw  ax
        and     eax, 0x3800
        CHECKV  eax, 0x3800, "faulting FNSAVE left the FPU as it was"
        mov     ax, SEL_DATA0
        mov     es, ax

        ; pointers and opcode of the last non-control instruction
        fninit
ptr_insn:
        fadd    dword [es:fout]         ; 26 D8 05 disp32: opcode 0D8 05
        fnstcw  [cw]                    ; control instructions leave them
        fnstenv [env]
        CHECKV  [env + 12], ptr_insn, "FNSTENV: FPU IP = the FADD (its prefix)"
        movzx   eax, word [env + 16]
        CHECKV  eax, SEL_CODE0, "FNSTENV: FPU CS"
        movzx   eax, word [env + 18]
        CHECKV  eax, 0x005, "FNSTENV: opcode D8 05 -> 005"
        CHECKV  [env + 20], fout, "FNSTENV: FPU data pointer"
        movzx   eax, word [env + 24]
        CHECKV  eax, SEL_DATA0, "FNSTENV: FPU DS = the operand's segment"
        fnstcw  [cw]
        movzx   eax, word [cw]
        CHECKV  eax, 0x037F, "FNSTENV masked all exceptions (037F)"

        ; encodings the P6 does not have: #UD
        TRY     .u1
        db      0xD9, 0xD1              ; reserved
.u1:    EXPECT  6, 0, "D9 D1 (reserved): #UD"
        TRY     .u2
        fisttp  dword [fout]            ; SSE3
.u2:    EXPECT  6, 0, "FISTTP (SSE3): #UD"
        fninit
        fld1
        fldz
        mov     eax, 0
        NO_FAULT {fcomi st0, st1}, "FCOMI exists on the P6"
        fcomi   st0, st1
        setc    al
        CHECKV  eax, 1, "FCOMI 0 < 1 sets CF"
        fcomi   st0, st1
        fcmovb  st0, st1
        fstp    dword [fout]
        CHECKV  [fout], 0x3F800000, "FCMOVB with CF set moves ST1 (1.0)"

        ; CR0.EM
        SET_MP_EM_TS CR0_EM
        NM_EXPECTED {fninit}, "CR0.EM: FNINIT #NM"
        NM_EXPECTED {fld dword [fout]}, "CR0.EM: FLD m32 #NM"
        NM_EXPECTED {fnstsw ax}, "CR0.EM: FNSTSW AX #NM"
        NO_FAULT {fwait}, "CR0.EM: FWAIT runs"

        ; CR0.TS: the lazy FPU switch
        SET_MP_EM_TS CR0_TS
        NM_EXPECTED {fnop}, "CR0.TS: FNOP #NM"
        NO_FAULT {fwait}, "CR0.TS without MP: FWAIT runs"
        SET_MP_EM_TS CR0_TS | CR0_MP
        NM_EXPECTED {fwait}, "CR0.TS and MP: FWAIT #NM"
        NM_EXPECTED {fnstcw [cw]}, "CR0.TS and MP: FNSTCW #NM"
        NM_EXPECTED {fxsave [fxarea]}, "CR0.TS: FXSAVE #NM"
        clts
        NO_FAULT {fnstcw [cw]}, "after CLTS: FNSTCW runs"
        SET_MP_EM_TS CR0_MP
        NO_FAULT {fwait}, "CR0.MP without TS: FWAIT runs"
        NO_FAULT {fnop}, "CR0.MP without TS: FNOP runs"
        SET_MP_EM_TS CR0_TS | CR0_EM
        NM_EXPECTED {fnop}, "CR0.EM and TS: FNOP #NM"
        clts
        SET_MP_EM_TS 0
        FINISH32

        align   16
fxarea: times 512 db 0
sw:     dd 0
cw:     dd 0
fout:   dd 0
dout:   dq 0
env:    times 28 db 0
