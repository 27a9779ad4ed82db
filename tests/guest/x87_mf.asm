; x87_mf.asm -- unmasked x87 exceptions with CR0.NE set: the faulting
; instruction completes without a trap (destination left unchanged), the
; status word shows the flag with ES and B, the NEXT waiting instruction
; raises #MF (vector 16, no error code, return address = that instruction,
; FPU state untouched), non-waiting ones (FNSTSW, FNSTENV, FNCLEX) do not;
; FNSTENV in the handler points at the instruction that failed.  Also
; FLDCW unmasking a pending flag, invalid operations (FSQRT of -1, stack
; overflow with C1 and SF), overflow on a store (nothing stored) and the
; masked results (the default NaN, infinity).
%include "pm_lib.inc"

%define CR0_NE      0x20
%define CW_ZE_ON    0x037B          ; ZE unmasked
%define CW_IE_ON    0x037E          ; IE unmasked
%define CW_OE_ON    0x0377          ; OE unmasked

; MF_ON_NEXT {insn}, "text": insn raises #MF
%macro MF_ON_NEXT 2
        TRY     %%after
        %1
%%after:
        EXPECT  16, 0, %2
%endmacro

test_main:
        mov     eax, cr0
        or      eax, CR0_NE
        and     eax, ~0xE               ; MP EM TS clear
        mov     cr0, eax

        ; ---- divide by zero, ZE unmasked ----
        fninit
        fldcw   [cw_ze]
        fldz
        fld1                            ; ST0 = 1, ST1 = 0
        TRY     after_div
div_insn:
        fdiv    st0, st1
        nop
after_div:
        mov     dword [resume], 0
        CHECKV  [exc_vec], NOFAULT, "FDIV by zero, ZE unmasked: no trap at the FDIV"
        fnstsw  ax                      ; non-waiting
        and     eax, 0xC7FF
        CHECKV  eax, 0x8084, "status: ZE, ES and B (non-waiting FNSTSW)"
        TRY     after_wait
wait_insn:
        fwait
after_wait:
        EXPECT  16, 0, "the next FWAIT: #MF"
        CHECKV  [exc_eip], wait_insn, "#MF return address is the FWAIT"
        MF_ON_NEXT {fld1}, "a waiting FLD1 too: #MF"
        fnstsw  ax
        and     eax, 0x3800
        CHECKV  eax, 0x3000, "#MF left the stack alone (TOP 6)"
        fnstenv [env]
        CHECKV  [env + 12], div_insn, "FNSTENV: FPU IP is the failing FDIV"
        movzx   eax, word [env + 18]
        CHECKV  eax, 0x0F1, "FNSTENV: opcode of FDIV ST0,ST1 (D8 F1)"
        fldcw   [cw_ze]                 ; FNSTENV masked everything
        fnclex
        fstp    dword [out]
        CHECKV  [out], 0x3F800000, "destination unchanged: ST0 still 1.0"
        fstp    st0

        ; ---- masked: the result is infinity ----
        fninit
        fldz
        fld1
        fdiv    st0, st1
        fstp    dword [out]
        CHECKV  [out], 0x7F800000, "masked ZE: 1/0 = +infinity"
        fnstsw  ax
        and     eax, 0x80FF
        CHECKV  eax, 0x0004, "masked ZE: flag only, no ES"

        ; ---- FLDCW unmasking a pending flag ----
        fldcw   [cw_ze]
        fnstsw  ax
        and     eax, 0x80FF
        CHECKV  eax, 0x8084, "FLDCW unmasking a set flag sets ES and B"
        MF_ON_NEXT {fwait}, "...and the next FWAIT raises #MF"
        fnclex
        TRY     .c
        fwait
.c:     EXPECT  NOFAULT, 0, "after FNCLEX: FWAIT runs"

        ; ---- invalid: FSQRT of -1 ----
        fninit
        fldcw   [cw_ie]
        fld1
        fchs
        fsqrt                           ; IE unmasked: ST0 stays -1
        fnstsw  ax
        and     eax, 0x80FF
        CHECKV  eax, 0x8081, "FSQRT(-1), IE unmasked: IE, ES, B"
        fnclex
        fstp    dword [out]
        CHECKV  [out], 0xBF800000, "destination unchanged: -1.0"
        fninit
        fld1
        fchs
        fsqrt                           ; masked: the default NaN
        fstp    dword [out]
        CHECKV  [out], 0xFFC00000, "masked: the real indefinite (FFC00000)"

        ; ---- stack overflow, IE unmasked ----
        fninit
        fldcw   [cw_ie]
%rep 8
        fldz
%endrep
        fld1                            ; the ninth push
        fnstsw  ax
        and     eax, 0xBAFF             ; C0 C2 C3 are undefined
        CHECKV  eax, 0x82C1, "overflow: IE SF C1 ES B, TOP 0 unchanged"
        fnclex
        fstp    dword [out]
        CHECKV  [out], 0, "ST0 is still the eighth push (0.0)"
        fninit
%rep 8
        fldz
%endrep
        fld1                            ; masked: indefinite pushed
        fstp    dword [out]
        CHECKV  [out], 0xFFC00000, "masked overflow pushes the indefinite"
        fninit
        fstp    st0                     ; underflow of an empty stack
        fnstsw  ax
        and     eax, 0x02FF
        CHECKV  eax, 0x0041, "stack underflow: IE SF, C1 clear"

        ; ---- overflow on a store, OE unmasked: nothing stored ----
        fninit
        fldcw   [cw_oe]
        fld     tword [big]
        mov     dword [out], 0x12345678
        fst     dword [out]
        CHECKV  [out], 0x12345678, "FST m32 overflow, OE unmasked: no store"
        fnstsw  ax
        and     eax, 0x80FF
        CHECKV  eax, 0x8088, "status: OE ES B"
        fnclex
        fldcw   [cw_init]
        fst     dword [out]
        CHECKV  [out], 0x7F800000, "masked: +infinity stored"
        FINISH32

        align   4
cw_ze:  dw CW_ZE_ON
cw_ie:  dw CW_IE_ON
cw_oe:  dw CW_OE_ON
cw_init: dw 0x037F
big:    dq 0x8000000000000000
        dw 0x4400                       ; 2^1025: too big for a float
out:    dd 0
env:    times 28 db 0
