; bt_flush.asm -- a guest that keeps making new code: 4096 different
; routines of 42 instructions written at 0x20000-0x5FFFF and each called
; once, twice over (the second round rewrites them all).  With
; --bt-cache-size=1 the translator's cache fills and is flushed whole,
; several times, in the middle of the run; the results must not notice.
; tests/scripts/bt_flush.sh checks that flushes happened and that the
; translator and the interpreter agree to the instruction.
; x86lab-args: --bt-cache-size=1
        org     0x7c00
        bits    16

%include "lib.inc"

start:
        START16
        mov     word [round], 0         ; routine k returns k + [round]
.round: xor     ebx, ebx
        mov     dword [total], 0
        xor     bp, bp                  ; k
        mov     dx, 0x2000
.seg:   mov     es, dx
        xor     di, di
.one:   mov     al, 0xB8                ; mov ax, k + round
        stosb
        mov     ax, bp
        add     ax, [round]
        stosw
        mov     cx, 40
        mov     al, 0x43                ; inc bx
        rep     stosb
        mov     al, 0xCB                ; retf
        stosb
        add     di, 20                  ; 64 bytes a routine
        lea     ax, [di - 64]
        mov     [ptr], ax
        mov     [ptr + 2], dx
        call    far [ptr]
        movzx   eax, ax
        add     [total], eax
        inc     bp
        test    di, di                  ; 1024 routines fill the segment
        jnz     .one
        add     dx, 0x1000
        cmp     dx, 0x6000
        jb      .seg
        cmp     bx, 0x8000              ; 4096 * 40
        CHECK16 e, "every generated routine ran all its instructions"
        mov     eax, [total]
        cmp     word [round], 0
        jne     .second
        cmp     eax, 4095 * 4096 / 2
        CHECK16 e, "every generated routine returned its own value"
        mov     word [round], 7
        jmp     .round
.second:
        cmp     eax, 4095 * 4096 / 2 + 7 * 4096
        CHECK16 e, "rewritten routines return the new values"
        FINISH16

ptr:    dd 0
round:  dw 0
total:  dd 0
fails:  dw 0
        LIB16
