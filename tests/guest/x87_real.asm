; x87_real.asm -- the x87 in real mode, as DOS uses it: the real-mode
; FNSTENV layouts (16-bit: 20-bit linear pointers with the opcode; 32-bit
; with the 66 prefix) and the legacy error path with CR0.NE clear: an
; unmasked exception asserts FERR#, which the board routes to IRQ 13 (the
; slave 8259's IR5); the handler writes port 0xF0 (IRQ 13 low, IGNNE#).
; Checked: IRQ 13 right after the failing instruction; a waiting
; instruction reached with the error pending waits for the interrupt (the
; IRQ returns to it, here through the STI shadow); with IGNNE# (port 0xF0
; written) waiting instructions run despite the pending error, and no IRQ
; 13 follows.
%include "lib.inc"

%define IRQ13_VEC   0x75            ; slave 8259 at 0x70

        org     0x7c00
        bits    16
        START16
        mov     word [IRQ13_VEC * 4], irq13
        mov     word [IRQ13_VEC * 4 + 2], 0
        call    pic_init

        ; ---- real-mode environment layouts ----
        fninit
        mov     ax, 0x1000
        mov     es, ax
        mov     dword [es:0x20], 0x40400000     ; 3.0 at linear 10020
env_insn:
        fld     dword [es:0x20]                 ; 26 D9 06 20 00: opcode 106
        fnstenv [env]
        mov     ax, [env + 6]
        cmp     ax, env_insn
        CHECK16 e, "FNSTENV16 real: IP 15..0 (linear)"
        mov     ax, [env + 8]
        cmp     ax, 0x0106
        CHECK16 e, "FNSTENV16 real: IP 19..16 = 0, opcode 106"
        mov     ax, [env + 10]
        cmp     ax, 0x0020
        CHECK16 e, "FNSTENV16 real: operand 15..0"
        mov     ax, [env + 12]
        cmp     ax, 0x1000
        CHECK16 e, "FNSTENV16 real: operand 19..16 in bits 12-15"
        mov     ax, [env + 2]
        cmp     ax, 0x3800
        CHECK16 e, "FNSTENV16 real: status word (TOP 7)"
        fldcw   [cw_init]
        o32 fnstenv [env]
        mov     ax, [env + 12]
        cmp     ax, env_insn
        CHECK16 e, "FNSTENV32 real: IP 15..0"
        mov     eax, [env + 16]
        cmp     eax, 0x00000106
        CHECK16 e, "FNSTENV32 real: IP 31..16 in 12-27, opcode"
        mov     ax, [env + 20]
        cmp     ax, 0x0020
        CHECK16 e, "FNSTENV32 real: operand 15..0"
        mov     eax, [env + 24]
        cmp     eax, 0x00001000
        CHECK16 e, "FNSTENV32 real: operand 31..16 in bits 12-27"
        mov     word [env + 0], 0x027F          ; 53-bit precision
        o32 fldenv [env]
        fnstcw  [cw]
        cmp     word [cw], 0x027F
        CHECK16 e, "FLDENV32 real loads the control word"
        xor     ax, ax
        mov     es, ax

        ; ---- FERR# -> IRQ 13 right after the failing instruction ----
        fninit
        fldcw   [cw_ze]
        fldz
        fld1                            ; ST0 = 1, ST1 = 0
        sti
        fdiv    st0, st1                ; ZE unmasked: FERR#
after_div:
        nop
        cli
        cmp     word [irq_count], 1
        CHECK16 e, "IRQ 13 after FDIV by zero (ZE unmasked, CR0.NE clear)"
        cmp     word [irq_ip], after_div
        CHECK16 e, "IRQ 13 taken at the next instruction boundary"
        cmp     word [irq_sw], 0xB084
        CHECK16 e, "the handler saw ZE, ES (B) in the status word"

        ; ---- a waiting instruction with the error pending waits ----
        fdiv    st0, st1                ; again: FERR#, IRQ 13 held (IF = 0)
        sti                             ; shadow: FWAIT runs first
wait_insn:
        fwait                           ; waits; the IRQ returns here
        cli
        cmp     word [irq_count], 2
        CHECK16 e, "IRQ 13 taken at the waiting FWAIT"
        cmp     word [irq_ip], wait_insn
        CHECK16 e, "...returning to the FWAIT, which then completes"

        ; ---- IGNNE#: port 0xF0 written, waiting instructions run ----
        fdiv    st0, st1                ; FERR#, IF = 0
        xor     al, al
        out     0xF0, al                ; IRQ 13 low, IGNNE# on
        fwait
        fld1                            ; runs despite the pending error
        fnstsw  ax
        and     ax, 0xB8FF
        cmp     ax, 0xA884
        CHECK16 e, "with IGNNE#: FLD1 pushed (TOP 5), ES still set"
        fnclex
        sti
        nop
        nop
        cli
        cmp     word [irq_count], 2
        CHECK16 e, "no IRQ 13 after port 0xF0 cleared it"
        FINISH16

; IRQ 13: save what the test checks, clear FERR# at port 0xF0, FNCLEX,
; end of interrupt on both 8259s.
irq13:
        push    ax
        push    bp
        mov     bp, sp
        inc     word [irq_count]
        mov     ax, [bp + 4]
        mov     [irq_ip], ax
        fnstsw  ax
        and     ax, 0xB8FF
        mov     [irq_sw], ax
        xor     al, al
        out     0xF0, al
        fnclex
        mov     al, 0x20
        out     0xA0, al
        out     0x20, al
        pop     bp
        pop     ax
        iret

; The 8259 pair as a PC BIOS leaves it (vectors 08h and 70h), with only
; the cascade and IRQ 13 unmasked.
pic_init:
        mov     al, 0x11
        out     0x20, al
        out     0xA0, al
        mov     al, 0x08
        out     0x21, al
        mov     al, 0x70
        out     0xA1, al
        mov     al, 0x04
        out     0x21, al
        mov     al, 0x02
        out     0xA1, al
        mov     al, 0x01
        out     0x21, al
        out     0xA1, al
        mov     al, 0xFB
        out     0x21, al
        mov     al, 0xDF
        out     0xA1, al
        ret

        LIB16

        align   4
fails:      dw 0
irq_count:  dw 0
irq_ip:     dw 0
irq_sw:     dw 0
cw:         dw 0
cw_init:    dw 0x037F
cw_ze:      dw 0x037B
env:        times 28 db 0
