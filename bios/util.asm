; util.asm -- small helpers every other part uses: the register frame of
; the services, returning carry/zero to the caller, messages on the debug
; console (port E9h) and the screen, CMOS access, and timeouts counted in
; timer ticks.

; ---- the service frame ----
; Services that return values in several registers save the caller's
; registers with FRAME_ENTER and change them in place: on return
; (FRAME_LEAVE) the caller gets exactly what the frame holds (FS and GS,
; which the services use, come back unchanged too).  BP points at the
; frame; these are the offsets of each saved register in it.
R_GS    equ     0
R_FS    equ     2
R_ES    equ     4
R_DS    equ     6
R_EDI   equ     8
R_DI    equ     8
R_ESI   equ     12
R_SI    equ     12
R_EBP   equ     16
R_BP    equ     16
R_EBX   equ     24
R_BX    equ     24
R_BL    equ     24
R_BH    equ     25
R_EDX   equ     28
R_DX    equ     28
R_DL    equ     28
R_DH    equ     29
R_ECX   equ     32
R_CX    equ     32
R_CL    equ     32
R_CH    equ     33
R_EAX   equ     36
R_AX    equ     36
R_AL    equ     36
R_AH    equ     37
R_IP    equ     40
R_CS    equ     42
R_FLAGS equ     44

FL_CF   equ     0x0001
FL_ZF   equ     0x0040
FL_IF   equ     0x0200
FL_NT   equ     0x4000

%macro FRAME_ENTER 0
        pushad
        push    ds
        push    es
        push    fs
        push    gs
        mov     bp, sp
%endmacro

%macro FRAME_LEAVE 0
        pop     gs
        pop     fs
        pop     es
        pop     ds
        popad
        iret
%endmacro

; The caller's carry flag, in the frame.
%macro SET_CF 0
        or      word [bp+R_FLAGS], FL_CF
%endmacro
%macro CLEAR_CF 0
        and     word [bp+R_FLAGS], ~FL_CF
%endmacro

%macro POST_CODE 1
        mov     al, %1
        out     POST_PORT, al
%endmacro

; iret_cf: ends an interrupt handler (without a frame) returning CF as it
; is now; the caller's other flags, IF included, come back unchanged.
iret_cf:
        push    bp
        mov     bp, sp
        jc      .carry
        and     byte [bp+6], ~FL_CF
        pop     bp
        iret
.carry: or      byte [bp+6], FL_CF
        pop     bp
        iret

; ---- messages ----
; dbg_putc: AL to the debug console.
dbg_putc:
        out     DEBUGCON, al
        ret

; print_char: AL on the debug console and, through INT 10h teletype, on
; the screen.  Preserves all registers.
print_char:
        push    ax
        push    bx
        cmp     al, 13                  ; lines end with LF alone on the console
        je      .screen
        out     DEBUGCON, al
.screen:        mov     ah, 0x0E
        mov     bx, 0x0007
        int     0x10
        pop     bx
        pop     ax
        ret

; print_str: the NUL-terminated string at CS:SI on both.  Preserves all
; registers but SI, which ends past the NUL.
print_str:
        push    ax
.next:  mov     al, [cs:si]
        inc     si
        test    al, al
        jz      .done
        call    print_char
        jmp     .next
.done:  pop     ax
        ret

; print_dec: EAX as an unsigned decimal number on both.  Preserves all.
print_dec:
        pushad
        mov     ebx, 10
        xor     cx, cx
.divide:
        xor     edx, edx
        div     ebx
        push    dx                      ; digits come out last first
        inc     cx
        test    eax, eax
        jnz     .divide
.emit:  pop     ax
        add     al, '0'
        call    print_char
        loop    .emit
        popad
        ret

; print_hex8: AL as two hex digits on both.  Preserves all.
print_hex8:
        push    ax
        push    ax
        shr     al, 4
        call    .digit
        pop     ax
        and     al, 0x0F
        call    .digit
        pop     ax
        ret
.digit: add     al, '0'
        cmp     al, '9'
        jbe     .out
        add     al, 'a' - '9' - 1
.out:   jmp     print_char

; ---- CMOS ----
; cmos_read: AL = CMOS register AL.  NMIs stay masked while the index
; points at the register, as the AT BIOS does.  Preserves all but AL.
cmos_read:
        or      al, NMI_OFF
        pushf
        cli
        out     CMOS_INDEX, al
        in      al, CMOS_DATA
        popf
        ret

; cmos_write: CMOS register AL = AH.  Preserves all.
cmos_write:
        push    ax
        or      al, NMI_OFF
        pushf
        cli
        out     CMOS_INDEX, al
        mov     al, ah
        out     CMOS_DATA, al
        popf
        pop     ax
        ret

; cmos_read_word: AX = the little-endian word at CMOS registers AL, AL+1.
cmos_read_word:
        push    bx
        mov     bl, al
        inc     al
        call    cmos_read
        mov     bh, al
        mov     al, bl
        call    cmos_read
        mov     ah, bh
        pop     bx
        ret

; ---- time ----
; ticks_now: EAX = the BIOS tick count (BDA 6Ch), read atomically.
ticks_now:
        push    ds
        push    word BDA_SEG
        pop     ds
        pushf
        cli
        mov     eax, [BDA_TICKS]
        popf
        pop     ds
        ret

; timed_out: CF=1 when CX ticks or more have passed since EAX (a tick
; count from ticks_now); the midnight wrap of the count is allowed for.
; Needs IF=1 for the count to move.  Preserves all.
timed_out:
        push    edx
        push    ecx
        mov     edx, eax
        call    ticks_now
        xchg    eax, edx                ; EAX = start, EDX = now
        sub     edx, eax                ; ticks elapsed ...
        jae     .elapsed
        add     edx, 0x1800B0           ; ... across midnight
.elapsed:
        movzx   ecx, cx
        cmp     edx, ecx                ; CF=1 while elapsed < limit
        cmc
        pop     ecx
        pop     edx
        ret
