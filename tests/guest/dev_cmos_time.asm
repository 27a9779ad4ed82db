; dev_cmos_time.asm -- the RTC's time registers through ports 0x70/0x71:
; the deterministic start time (2000-01-01 00:00:00, a Saturday), registers
; A-D at power-on, a date written under SET read back in BCD and in binary,
; 12-hour mode (PM bit, 12 AM/PM), writes in one format read in the other,
; NMI-disable bit 7 not being part of the index, and a running clock read
; consistently in BCD and binary with the UIP protocol.
; x86lab-args: --deterministic
        org     0x7c00
        bits    16

%include "lib.inc"
%include "dev_lib.inc"

start:
        START16

        mov     si, t_start
        call    cmos_match
        CHECK16 e, "start time: Saturday 2000-01-01 00:00:00, century 20 (BCD)"
        mov     si, t_regs
        call    cmos_match
        CHECK16 e, "registers A, B, D at power-on: 26 02 80"

        ; index bit 7 disables NMI and does not select a register
        mov     al, 0x80 | 0x50
        out     0x70, al
        mov     al, 0xA5
        out     0x71, al
        mov     al, 0x50
        call    cmos_rd
        cmp     al, 0xA5
        CHECK16 e, "NVRAM byte written with index bit 7 set reads back without it"

        ; a date under SET: Friday 1999-12-31 23:59:58
        mov     ax, 0x0B82                 ; B = SET | 24h, BCD
        call    cmos_wr
        mov     si, t_set_bcd
        call    cmos_write_list
        mov     si, t_set_bcd
        call    cmos_match
        CHECK16 e, "date written under SET reads back (BCD)"
        mov     ax, 0x0B86                 ; binary
        call    cmos_wr
        mov     si, t_set_bin
        call    cmos_match
        CHECK16 e, "the same date in binary mode (19 99 12 31 6 23 59 58)"
        mov     ax, 0x0B84                 ; binary, 12-hour
        call    cmos_wr
        mov     al, 0x04
        call    cmos_rd
        cmp     al, 0x8B
        CHECK16 e, "binary 12-hour: 23 h reads 0x8B (PM + 11)"
        mov     ax, 0x0B80                 ; BCD, 12-hour
        call    cmos_wr
        mov     al, 0x04
        call    cmos_rd
        cmp     al, 0x91
        CHECK16 e, "BCD 12-hour: 23 h reads 0x91"
        mov     ax, 0x0412                 ; 12 AM
        call    cmos_wr
        mov     ax, 0x0B82
        call    cmos_wr
        mov     al, 0x04
        call    cmos_rd
        cmp     al, 0x00
        CHECK16 e, "12 AM written in 12-hour mode is 00 h"
        mov     ax, 0x0B80
        call    cmos_wr
        mov     al, 0x04
        call    cmos_rd
        cmp     al, 0x12
        CHECK16 e, "00 h reads as 12 (AM) in 12-hour mode"
        mov     ax, 0x0492                 ; 12 PM
        call    cmos_wr
        mov     ax, 0x0B82
        call    cmos_wr
        mov     al, 0x04
        call    cmos_rd
        cmp     al, 0x12
        CHECK16 e, "12 PM written in 12-hour mode is 12 h"
        mov     ax, 0x0B86                 ; binary 24 h: write 45 minutes
        call    cmos_wr
        mov     ax, 0x022D
        call    cmos_wr
        mov     ax, 0x0B82
        call    cmos_wr
        mov     al, 0x02
        call    cmos_rd
        cmp     al, 0x45
        CHECK16 e, "minutes written in binary (45) read 0x45 in BCD"

        ; register C and D are read-only
        mov     ax, 0x0DFF
        call    cmos_wr
        mov     al, 0x0D
        call    cmos_rd
        cmp     al, 0x80
        CHECK16 e, "register D stays 0x80 (VRT) when written"

        ; release SET: the clock runs; read it in BCD and binary within
        ; one UIP-clear window and compare
        mov     ax, 0x0B02
        call    cmos_wr
        call    wait_uip_clear
        mov     si, order
        mov     di, bcd_copy
        call    regs_read
        mov     ax, 0x0B06
        call    cmos_wr
        mov     si, order
        mov     di, bin_copy
        call    regs_read
        mov     ax, 0x0B02
        call    cmos_wr
        call    compare_copies
        CHECK16 e, "running clock: BCD and binary readings agree"
        jmp     finish

; ---- helpers ----

; regs_read: SI -> indexes ending with 0xFF, DI -> where the values go
regs_read:
        push    ax
.next:  lodsb
        cmp     al, 0xFF
        je      short .done
        call    cmos_rd
        stosb
        jmp     short .next
.done:  pop     ax
        ret

; compare_copies: ZF=1 if bcd_copy, converted, equals bin_copy
compare_copies:
        push    ax
        push    bx
        push    cx
        push    dx
        xor     bx, bx
        xor     dx, dx
.next:  cmp     bx, order_len
        jae     short .done
        mov     al, [bcd_copy + bx]
        mov     ah, al
        shr     ah, 4
        and     al, 0x0F
        mov     cl, al
        mov     al, 10
        mul     ah                         ; AX = tens * 10
        add     al, cl
        cmp     al, [bin_copy + bx]
        je      short .same
        inc     dx
.same:  inc     bx
        jmp     short .next
.done:  test    dx, dx
        pop     dx
        pop     cx
        pop     bx
        pop     ax
        ret

; wait_uip_clear: returns right after register A reads UIP = 0
wait_uip_clear:
        push    ax
.poll:  mov     al, 0x0A
        call    cmos_rd
        test    al, 0x80
        jnz     short .poll
        pop     ax
        ret

        LIB16
        DEVLIB

t_start:   db 0x00, 0x00, 0x02, 0x00, 0x04, 0x00, 0x06, 0x07, 0x07, 0x01
           db 0x08, 0x01, 0x09, 0x00, 0x32, 0x20, 0xFF
t_regs:    db 0x0A, 0x26, 0x0B, 0x02, 0x0D, 0x80, 0xFF
t_set_bcd: db 0x32, 0x19, 0x09, 0x99, 0x08, 0x12, 0x07, 0x31, 0x06, 0x06
           db 0x04, 0x23, 0x02, 0x59, 0x00, 0x58, 0xFF
t_set_bin: db 0x32, 19, 0x09, 99, 0x08, 12, 0x07, 31, 0x06, 6
           db 0x04, 23, 0x02, 59, 0x00, 58, 0xFF
order:     db 0x00, 0x02, 0x04, 0x06, 0x07, 0x08, 0x09, 0x32, 0xFF
order_len  equ 8
fails:     dw 0
bcd_copy:  times 8 db 0
bin_copy:  times 8 db 0
