; x87_nofpu.asm -- the coprocessor escape without an FPU (the 486 model is
; a 486SX; the 286 behaves alike): the FNINIT/FNSTSW and FNSTCW probes find
; no FPU (memory operands untouched, but checked against their segment),
; CPUID has no FPU bit, and the device-not-available rules: ESC #NM with
; CR0.EM or CR0.TS, FWAIT #NM only with TS and MP both set.
; x86lab-args: --cpu=486
%include "pm_lib.inc"

%define CR0_MP      0x2
%define CR0_EM      0x4
%define CR0_TS      0x8
%define SEL_SMALL   0x48            ; data, limit 0xFFF

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

; set_cr0_bits value: CR0 with MP, EM and TS replaced by value
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
        and     edx, 1
        CHECKV  edx, 0, "CPUID.1:EDX.FPU clear"
        mov     eax, cr0
        and     eax, 0x10
        CHECKV  eax, 0x10, "CR0.ET as reset left it"

        ; the classic probe
        fninit
        mov     word [sw], 0x5A5A
        fnstsw  [sw]
        movzx   eax, word [sw]
        CHECKV  eax, 0x5A5A, "FNSTSW with no FPU leaves memory alone"
        mov     word [cw], 0x5A5A
        fnstcw  [cw]
        movzx   eax, word [cw]
        CHECKV  eax, 0x5A5A, "FNSTCW with no FPU leaves memory alone"
        mov     dword [fout], 0x12345678
        fld1
        fstp    dword [fout]
        CHECKV  [fout], 0x12345678, "FSTP with no FPU stores nothing"
        mov     ax, 0x5A5A
        fnstsw  ax
        CHECKV  eax, 0x5A5A, "FNSTSW AX with no FPU leaves AX alone"
        NO_FAULT {fwait}, "FWAIT with EM, TS, MP clear"
        ; the CPU still checks a memory operand against its segment
        DESC    SEL_SMALL, 0, 0xFFF, 0x90, 4 ; read-only data
        mov     ax, SEL_SMALL
        mov     es, ax
        NO_FAULT {fld dword [es:0xFFC]}, "FLD m32 inside the segment limit"
        TRY     .l1
        fld     dword [es:0xFFD]
.l1:    EXPECT  13, 0, "FLD m32 crossing the segment limit: #GP(0)"
        TRY     .l2
        fld     qword [es:0xFF9]
.l2:    EXPECT  13, 0, "FLD m64 crossing the segment limit: #GP(0)"
        NO_FAULT {fld qword [es:0xFF8]}, "FLD m64 just inside"
        NO_FAULT {fnstenv [0x40000]}, "FNSTENV (28 bytes) in a flat segment"
        TRY     .l3
        fnstcw  [es:0x100]
.l3:    EXPECT  13, 0, "FNSTCW to a read-only segment: #GP(0)"
        TRY     .l4
        fnsave  [es:0xFA0]
.l4:    EXPECT  13, 0, "FNSAVE (108 bytes) to a read-only segment: #GP(0)"
        mov     ax, SEL_DATA0
        mov     es, ax
        mov     dword [0x40000], 0xDEADBEEF
        fnstenv [0x40000]
        CHECKV  [0x40000], 0xDEADBEEF, "FNSTENV with no FPU stores nothing"

        ; CR0.EM
        SET_MP_EM_TS CR0_EM
        NM_EXPECTED {fninit}, "CR0.EM: FNINIT #NM"
        NM_EXPECTED {fld dword [fout]}, "CR0.EM: FLD m32 #NM"
        NM_EXPECTED {fnstsw ax}, "CR0.EM: FNSTSW AX #NM"
        NO_FAULT {fwait}, "CR0.EM: FWAIT runs"

        ; CR0.TS
        SET_MP_EM_TS CR0_TS
        NM_EXPECTED {fnop}, "CR0.TS: FNOP #NM"
        NO_FAULT {fwait}, "CR0.TS without MP: FWAIT runs"
        SET_MP_EM_TS CR0_TS | CR0_MP
        NM_EXPECTED {fwait}, "CR0.TS and MP: FWAIT #NM"
        NM_EXPECTED {fnstcw [cw]}, "CR0.TS and MP: FNSTCW #NM"
        SET_MP_EM_TS CR0_MP
        NO_FAULT {fwait}, "CR0.MP without TS: FWAIT runs"
        NO_FAULT {fnop}, "CR0.MP without TS: FNOP runs"
        SET_MP_EM_TS CR0_TS | CR0_EM
        NM_EXPECTED {fnop}, "CR0.EM and TS: FNOP #NM"
        clts
        SET_MP_EM_TS 0
        FINISH32

        align   4
sw:     dd 0
cw:     dd 0
fout:   dd 0
