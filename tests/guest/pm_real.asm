; pm_real.asm -- far transfers and interrupts in real mode (the companion
; of the protected-mode pm_* tests): far JMP/CALL/RETF (immediate and
; memory pointers, 16 and 32-bit operand size, RETF imm16), INT n / INT3 /
; INTO through the IVT, IRET restoring FLAGS, and IRET with o32.
%include "lib.inc"

        org     0x7c00
        bits    16
start:
        START16 0x7000
        SETVEC16 0x80, int80
        SETVEC16 3, int3h
        SETVEC16 4, int4h

; CHECKV16 value, expected, "text" (word compare; shows the value on failure)
%macro CHECKV16 3
        push    ax
        mov     ax, %1
        cmp     ax, %2
        je      %%good
        inc     word [fails]
        mov     si, %%fail
        call    puts16
        call    hex16
        mov     al, 10
        out     DEBUGCON, al
        jmp     %%done
%%fail: db "FAIL ", %3, ": got ", 0
%%okm:  db "ok ", %3, 10, 0
%%good: mov     si, %%okm
        call    puts16
%%done: pop     ax
%endmacro

        ; far jmp to another segment:offset naming the same byte
        jmp     0x0700:(.seg700 - 0x7000)
.seg700:
        mov     ax, cs
        CHECKV16 ax, 0x0700, "jmp far: CS"
        jmp     0:.seg0
.seg0:  mov     ax, cs
        CHECKV16 ax, 0, "jmp far back: CS"

        ; far call / retf 4
        push    word 0x1111
        push    word 0x2222
        mov     bx, sp
        call    0x0700:(far_sub - 0x7000)
.ret1:  sub     bx, sp
        CHECKV16 bx, -4, "call far, retf 4: SP"
        CHECKV16 [got_cs], 0x0700, "call far: CS in the callee"
        CHECKV16 [got_ret], .ret1, "call far: pushed IP"

        ; call far through memory, jmp far through memory
        call    far [fptr]
.after_call:
        CHECKV16 [got_cs], 0x0700, "call far m16:16"
        jmp     far [jptr]
.jback: CHECKV16 [jmp_ok], 1, "jmp far m16:16"

        ; o32 far call: pushes 32-bit CS and EIP, o32 retf
        mov     bx, sp
        call    dword 0:far32_sub
        sub     bx, sp
        CHECKV16 bx, 0, "o32 call far / o32 retf: SP"
        CHECKV16 [got_sp_delta], 8, "o32 call far pushes 8 bytes"

        ; INT n through the IVT: FLAGS, CS, IP pushed; IF/TF cleared; IRET
        sti
        mov     bx, sp
        int     0x80
.after_int:
        sub     bx, sp
        CHECKV16 bx, 0, "int/iret: SP"
        CHECKV16 [i80_ip], .after_int, "int: pushed IP"
        CHECKV16 [i80_cs], 0, "int: pushed CS"
        mov     ax, [i80_flags]
        and     ax, 0x200
        CHECKV16 ax, 0x200, "int: pushed FLAGS has IF"
        mov     ax, [i80_inflags]
        and     ax, 0x200
        CHECKV16 ax, 0, "int: IF clear in the handler"
        pushf
        pop     ax
        and     ax, 0x200
        CHECKV16 ax, 0x200, "iret restores IF"
        cli

        ; IRET loads FLAGS from the stack
        pushf
        push    cs
        push    word .after_iret
        mov     bp, sp
        or      word [bp + 4], 0x0401   ; DF and CF in the image
        iret
.after_iret:
        pushf
        pop     ax
        and     ax, 0x0401
        CHECKV16 ax, 0x0401, "iret loads CF and DF"
        cld
        clc

        ; o32 iret
        pushfd
        push    dword 0
        push    dword .after_iretd
        o32 iret
.after_iretd:
        CHECKV16 [fails], 0, "o32 iret reached its target"

        ; INT3 and INTO
        int3
.after_bp:
        CHECKV16 [bp_ip], .after_bp, "int3: pushed IP after the instruction"
        mov     al, 0x7F
        add     al, 1
        into
.after_of:
        CHECKV16 [of_ip], .after_of, "into with OF: pushed IP"

        FINISH16

        LIB16

far_sub:                                ; runs as 0700:xxxx
        mov     ax, cs
        mov     [cs:got_cs - 0x7000], ax
        mov     bp, sp
        mov     ax, [bp]
        mov     [cs:got_ret - 0x7000], ax
        retf    4

fptr_target:
        mov     ax, cs
        mov     [cs:got_cs - 0x7000], ax
        retf

jmp_target:
        mov     byte [jmp_ok], 1
        jmp     start.jback

far32_sub:
        mov     ax, bx
        sub     ax, sp
        mov     [got_sp_delta], ax
        o32 retf

int80:
        mov     bp, sp
        mov     ax, [bp]
        mov     [i80_ip], ax
        mov     ax, [bp + 2]
        mov     [i80_cs], ax
        mov     ax, [bp + 4]
        mov     [i80_flags], ax
        pushf
        pop     word [i80_inflags]
        iret

int3h:
        mov     bp, sp
        mov     ax, [bp]
        mov     [bp_ip], ax
        iret

int4h:
        mov     bp, sp
        mov     ax, [bp]
        mov     [of_ip], ax
        iret

fails:  dw 0
got_cs: dw 0
got_ret: dw 0
jmp_ok: dw 0
got_sp_delta: dw 0
i80_ip: dw 0
i80_cs: dw 0xFFFF
i80_flags: dw 0
i80_inflags: dw 0xFFFF
bp_ip: dw 0
of_ip: dw 0
fptr:   dw fptr_target - 0x7000, 0x0700
jptr:   dw jmp_target, 0
