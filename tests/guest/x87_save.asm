; x87_save.asm -- the FPU state images in protected mode: FNSAVE/FRSTOR
; and FNSTENV/FLDENV in the 32-bit (108/28 bytes) and 16-bit (94/14 bytes,
; operand-size prefix) layouts, field by field, FNSAVE reinitialising the
; FPU, FRSTOR/FLDENV round trips (tags recomputed from the registers, ES
; from the flags and masks), and FXSAVE/FXRSTOR (P6, 512 bytes, 16-byte
; aligned: abridged tag byte, FOP, pointers, registers at 32 + 16*i,
; MXCSR only with CR4.OSFXSR; #GP(0) when misaligned or when FXRSTOR gets
; reserved MXCSR bits).
%include "pm_lib.inc"

%define CR4_OSFXSR  0x200

; W16 off, value, "text" / D32 off, value, "text": a word / dword of the area
%macro W16 3
        movzx   eax, word [%1]
        CHECKV  eax, %2, %3
%endmacro

test_main:
        mov     eax, cr0
        and     eax, ~0xE
        mov     cr0, eax

        ; ---- FNSAVE, 32-bit protected-mode layout ----
        fninit
        fld1
state_insn:
        fldpi                           ; ST0 = pi (phys 6), ST1 = 1 (phys 7)
        fnsave  [area]
        W16     area + 0, 0x037F, "FNSAVE32: control word"
        W16     area + 4, 0x3000, "FNSAVE32: status word, TOP 6"
        W16     area + 8, 0x0FFF, "FNSAVE32: tag word (two valid, six empty)"
        CHECKV  [area + 12], state_insn, "FNSAVE32: FPU IP = FLDPI"
        W16     area + 16, SEL_CODE0, "FNSAVE32: FPU CS"
        W16     area + 18, 0x1EB, "FNSAVE32: opcode D9 EB"
        CHECKV  [area + 28], 0x2168C235, "FNSAVE32: ST0 = pi, low dword"
        CHECKV  [area + 32], 0xC90FDAA2, "FNSAVE32: ST0 = pi, high dword"
        W16     area + 36, 0x4000, "FNSAVE32: ST0 = pi, exponent"
        CHECKV  [area + 42], 0x80000000, "FNSAVE32: ST1 = 1.0"
        W16     area + 46, 0x3FFF, "FNSAVE32: ST1 exponent"
        fnstcw  [cw]
        W16     cw, 0x037F, "after FNSAVE the FPU is initialised (CW)"
        fnstenv [env]
        W16     env + 8, 0xFFFF, "after FNSAVE: all tags empty"

        ; ---- FRSTOR round trip ----
        frstor  [area]
        fstp    qword [dout]
        CHECKV  [dout + 4], 0x400921FB, "FRSTOR32: ST0 is pi again"
        fstp    dword [fout]
        CHECKV  [fout], 0x3F800000, "FRSTOR32: ST1 is 1.0 again"

        ; ---- FRSTOR: tags from the contents, ES from flags and masks ----
        mov     word [area + 8], 0x0000 ; claim every register valid
        mov     word [area + 4], 0x3004 ; ZE flagged, masked
        frstor  [area]
        fnstenv [env]
        W16     env + 8, 0x0555, "tags recomputed: phys 0-5 (zero) 01, 6-7 valid"
        W16     env + 4, 0x3004, "masked flag: no ES"
        mov     word [area + 0], 0x037B ; ZE unmasked
        frstor  [area]
        fnstsw  ax
        and     eax, 0x80FF
        CHECKV  eax, 0x8084, "FRSTOR with an unmasked flag: ES and B set"
        fnclex

        ; ---- FNSTENV/FLDENV, 16-bit layout ----
        fninit
        fld1
env16_insn:
        fld     dword [fout]
        o16 fnstenv [env]
        W16     env + 0, 0x037F, "FNSTENV16: control word"
        W16     env + 2, 0x3000, "FNSTENV16: status word"
        W16     env + 4, 0x0FFF, "FNSTENV16: tag word"
        W16     env + 6, env16_insn, "FNSTENV16: FPU IP (16 bits)"
        W16     env + 8, SEL_CODE0, "FNSTENV16: FPU CS"
        W16     env + 10, fout, "FNSTENV16: operand offset"
        W16     env + 12, SEL_DATA0, "FNSTENV16: operand selector"
        mov     word [env + 0], 0x0C7F  ; round toward zero
        o16 fldenv [env]
        fnstcw  [cw]
        W16     cw, 0x0C7F, "FLDENV16 loads the control word"

        ; ---- FNSAVE/FRSTOR, 16-bit layout (94 bytes) ----
        fninit
        fldl2t
        o16 fnsave [area16]
        W16     area16 + 2, 0x3800, "FNSAVE16: status word, TOP 7"
        W16     area16 + 4, 0x3FFF, "FNSAVE16: tag word"
        CHECKV  [area16 + 14], 0xCD1B8AFE, "FNSAVE16: ST0 = log2(10) low"
        CHECKV  [area16 + 18], 0xD49A784B, "FNSAVE16: ST0 = log2(10) high"
        W16     area16 + 22, 0x4000, "FNSAVE16: ST0 exponent"
        o16 frstor [area16]
        fnstsw  ax
        and     eax, 0x3800
        CHECKV  eax, 0x3800, "FRSTOR16: TOP 7 again"

        ; ---- FXSAVE / FXRSTOR ----
        fninit
        fld1
fx_insn:
        fldz
        mov     edi, fxarea
        mov     ecx, 512 / 4
        mov     eax, 0xA5A5A5A5
        cld
        rep stosd
        fxsave  [fxarea]
        W16     fxarea + 0, 0x037F, "FXSAVE: control word"
        W16     fxarea + 2, 0x3000, "FXSAVE: status word"
        movzx   eax, byte [fxarea + 4]
        CHECKV  eax, 0xC0, "FXSAVE: abridged tags (phys 6 and 7)"
        W16     fxarea + 6, 0x1EE, "FXSAVE: opcode D9 EE"
        CHECKV  [fxarea + 8], fx_insn, "FXSAVE: FPU IP"
        W16     fxarea + 12, SEL_CODE0, "FXSAVE: FPU CS"
        CHECKV  [fxarea + 32 + 6], 0, "FXSAVE: ST0 = +0"
        CHECKV  [fxarea + 48 + 4], 0x80000000, "FXSAVE: ST1 = 1.0 at 48"
        W16     fxarea + 56, 0x3FFF, "FXSAVE: ST1 exponent"
        CHECKV  [fxarea + 24], 0xA5A5A5A5, "FXSAVE without OSFXSR: MXCSR not stored"
        CHECKV  [fxarea + 508], 0xA5A5A5A5, "FXSAVE: reserved bytes untouched"
        fninit
        fxrstor [fxarea]
        fnstsw  ax
        and     eax, 0x3800
        CHECKV  eax, 0x3000, "FXRSTOR: TOP 6"
        fnstenv [env]
        W16     env + 8, 0x1FFF, "FXRSTOR: tags rebuilt (zero, valid)"
        fldcw   [cw_init]
        ; with CR4.OSFXSR: MXCSR and its mask are stored too
        mov     eax, cr4
        or      eax, CR4_OSFXSR
        mov     cr4, eax
        fxsave  [fxarea]
        CHECKV  [fxarea + 24], 0x1F80, "FXSAVE with OSFXSR: MXCSR 1F80"
        CHECKV  [fxarea + 28], 0xFFBF, "FXSAVE with OSFXSR: MXCSR_MASK"
        mov     dword [fxarea + 160], 0x11223344
        fxrstor [fxarea]
        mov     dword [fxarea + 160], 0
        fxsave  [fxarea]
        CHECKV  [fxarea + 160], 0x11223344, "XMM0 kept as opaque state"
        mov     dword [fxarea + 24], 0x10000    ; reserved MXCSR bit
        TRY     .r1
        fxrstor [fxarea]
.r1:    EXPECT  13, 0, "FXRSTOR with a reserved MXCSR bit: #GP(0)"
        TRY     .r2
        fxsave  [fxarea + 8]
.r2:    EXPECT  13, 0, "FXSAVE misaligned: #GP(0)"
        mov     eax, cr4
        and     eax, ~CR4_OSFXSR
        mov     cr4, eax
        FINISH32

        align   16
fxarea: times 512 db 0
area:   times 108 db 0
area16: times 94 db 0
        align   4
cw:     dd 0
cw_init: dd 0x037F
fout:   dd 0x40000000                   ; 2.0
dout:   dq 0
env:    times 28 db 0
