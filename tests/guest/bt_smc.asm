; bt_smc.asm -- self-modifying code under the translator (with
; --engine=bt --bt-threshold=0 every block is translated at its first
; run): a store that rewrites an instruction later in the block being
; executed, REP MOVSB copying new code over a routine that was already
; translated, and the same physical code run under two CS bases (its
; translation embeds the IP, so each base needs its own).  Passes in the
; interpreter too (tests/run-all.sh runs both).
        org     0x7c00
        bits    16

%include "lib.inc"

start:
        START16

        ; ---- a store into the block that is running ----
        xor     bx, bx
        mov     cx, 3
.again: mov     [.patch + 1], cl        ; the immediate of the MOV below
        nop
        nop
.patch: mov     al, 0xEE
        add     bl, al                  ; 3 + 2 + 1 if every patch was seen
        loop    .again
        cmp     bl, 6
        CHECK16 e, "a store rewrites a later instruction of its own block"

        ; ---- REP MOVSB over translated code ----
        call    routine
        cmp     ax, 0x2222
        CHECK16 e, "the routine before it is overwritten"
        mov     si, new_code
        mov     di, routine
        mov     cx, new_code_end - new_code
        cld
        rep     movsb
        call    routine
        cmp     ax, 0x1111
        CHECK16 e, "REP MOVSB over translated code: the new code runs"

        ; ---- one physical routine under two CS bases ----
        call    0x0000:where
        mov     dx, ax
        call    0x0010:where - 0x100
        cmp     dx, where.here
        CHECK16 e, "IP-relative code under CS base 0"
        cmp     ax, where.here - 0x100
        CHECK16 e, "the same code under CS base 0x100 sees its own IP"
        call    0x0000:where
        cmp     ax, where.here
        CHECK16 e, "and under base 0 again"
        FINISH16

routine:
        mov     ax, 0x2222
        ret
        times 8 nop
new_code:
        mov     ax, 0x1111
        ret
new_code_end:

; Returns in AX the IP at .here, however CS is set.
where:
        call    .here
.here:  pop     ax
        retf

fails:  dw 0
        LIB16
