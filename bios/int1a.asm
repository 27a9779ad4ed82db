; int1a.asm -- the real-time clock: its set-up at POST (and the tick
; count started from it), the RTC interrupt (IRQ 8, INT 70h) that counts
; down INT 15h waits and raises the alarm (INT 4Ah), and INT 1Ah:
;   AH=00h  CX:DX = ticks since midnight, AL = midnight passed (cleared)
;   AH=01h  ticks = CX:DX
;   AH=02h  CH:CL:DH = hours:minutes:seconds (BCD), DL = daylight saving
;   AH=03h  set the time from the same registers
;   AH=04h  CH:CL = century:year, DH:DL = month:day (BCD)
;   AH=05h  set the date from the same registers
;   AH=06h  alarm at CH:CL:DH (CF=1 if one is set already)
;   AH=07h  alarm off
; AH=02h-07h return CF=1 when the clock is not running.

TICKS_PER_DAY   equ     0x1800B0

; rtc_wait: waits until the clock is not in an update (register A bit
; 7), so a read sees a consistent time.  CF=1 if it never ends.
rtc_wait:
        push    ax
        push    cx
        mov     cx, 0xFFFF
.poll:  mov     al, CMOS_REG_A
        call    cmos_read
        test    al, 0x80
        jz      .ready
        loop    .poll
        stc
.ready: pop     cx
        pop     ax
        ret

; bcd_to_bin: AL (BCD) -> AL (binary).
bcd_to_bin:
        push    cx
        mov     cl, al
        shr     al, 4
        mov     ch, 10
        mul     ch
        and     cl, 0x0F
        add     al, cl
        pop     cx
        ret

; rtc_init (POST): 32.768 kHz time base with a 1024 Hz periodic rate,
; 24-hour BCD, no interrupts; then the tick count from the time of day:
; seconds since midnight * 1193182 / 65536.
rtc_init:
        push    ds
        mov     ax, (0x26 << 8) | CMOS_REG_A
        call    cmos_write
        mov     ax, (0x02 << 8) | CMOS_REG_B
        call    cmos_write
        mov     al, CMOS_REG_C                  ; clear pending flags
        call    cmos_read
        mov     al, CMOS_REG_D
        call    cmos_read
        call    rtc_wait
        mov     al, CMOS_HOUR
        call    cmos_read
        call    bcd_to_bin
        movzx   ebx, al
        imul    ebx, ebx, 60
        mov     al, CMOS_MIN
        call    cmos_read
        call    bcd_to_bin
        movzx   eax, al
        add     ebx, eax
        imul    ebx, ebx, 60
        mov     al, CMOS_SEC
        call    cmos_read
        call    bcd_to_bin
        movzx   eax, al
        add     eax, ebx                        ; seconds since midnight
        mov     ecx, 1193182
        mul     ecx
        shrd    eax, edx, 16
        push    word BDA_SEG
        pop     ds
        mov     [BDA_TICKS], eax
        mov     byte [BDA_MIDNIGHT], 0
        pop     ds
        ret

; ---- INT 70h: IRQ 8 ----
; Periodic interrupt: an INT 15h AH=83h/86h wait loses 976 us; when it
; runs out the user's flag byte gets bit 7 and the interrupts stop.
; Alarm interrupt: INT 4Ah.
int70_handler:
        push    ax
        push    bx
        push    ds
        push    es
        push    word BDA_SEG
        pop     ds
        mov     al, CMOS_REG_C                  ; reading C acknowledges the RTC
        call    cmos_read
        mov     bl, al
        test    bl, 0x40
        jz      .no_periodic
        test    byte [BDA_WAIT_ACTIVE], 0x01
        jz      .stop                           ; nobody waits: stop them
        sub     dword [BDA_WAIT_COUNT], 976
        ja      .no_periodic
        les     ax, [BDA_WAIT_PTR]              ; (offset in AX)
        push    bx
        mov     bx, ax
        or      byte [es:bx], 0x80
        pop     bx
        and     byte [BDA_WAIT_ACTIVE], ~0x01
.stop:  call    wait_stop
.no_periodic:
        test    bl, 0x20
        jz      .no_alarm
        sti
        int     0x4A
        cli
.no_alarm:
        mov     al, PIC_EOI
        out     PIC2_CMD, al
        out     PIC1_CMD, al
        pop     es
        pop     ds
        pop     bx
        pop     ax
        iret

; ---- INT 1Ah ----
int1a_handler:
        sti
        FRAME_ENTER
        push    word BDA_SEG
        pop     ds
        mov     ah, [bp+R_AH]
        cmp     ah, 0x00
        je      .get_ticks
        cmp     ah, 0x01
        je      .set_ticks
        cmp     ah, 0x07
        ja      .unsupported
        call    rtc_wait                        ; 02h-07h need the clock
        jc      .fail
        cmp     ah, 0x02
        je      .get_time
        cmp     ah, 0x03
        je      .set_time
        cmp     ah, 0x04
        je      .get_date
        cmp     ah, 0x05
        je      .set_date
        cmp     ah, 0x06
        je      .set_alarm
        jmp     .alarm_off
.unsupported:
.fail:  SET_CF
        FRAME_LEAVE
.ok:    CLEAR_CF
        FRAME_LEAVE

.get_ticks:
        cli
        mov     eax, [BDA_TICKS]
        mov     [bp+R_DX], ax
        shr     eax, 16
        mov     [bp+R_CX], ax
        mov     al, 0
        xchg    al, [BDA_MIDNIGHT]
        mov     [bp+R_AL], al
        sti
        jmp     .ok
.set_ticks:
        cli
        mov     ax, [bp+R_CX]
        shl     eax, 16
        mov     ax, [bp+R_DX]
        mov     [BDA_TICKS], eax
        mov     byte [BDA_MIDNIGHT], 0
        sti
        jmp     .ok

.get_time:
        mov     al, CMOS_HOUR
        call    cmos_read
        mov     [bp+R_CH], al
        mov     al, CMOS_MIN
        call    cmos_read
        mov     [bp+R_CL], al
        mov     al, CMOS_SEC
        call    cmos_read
        mov     [bp+R_DH], al
        mov     al, CMOS_REG_B
        call    cmos_read
        and     al, 0x01                        ; daylight saving enabled
        mov     [bp+R_DL], al
        mov     byte [bp+R_AH], 0
        jmp     .ok
.set_time:
        call    rtc_hold
        mov     al, CMOS_HOUR
        mov     ah, [bp+R_CH]
        call    cmos_write
        mov     al, CMOS_MIN
        mov     ah, [bp+R_CL]
        call    cmos_write
        mov     al, CMOS_SEC
        mov     ah, [bp+R_DH]
        call    cmos_write
        mov     al, CMOS_REG_B                  ; run again: 24-hour BCD, DST from DL
        call    cmos_read
        and     al, 0x60                        ; keep the interrupt enables
        or      al, 0x02
        mov     ah, [bp+R_DL]
        and     ah, 0x01
        or      ah, al
        mov     al, CMOS_REG_B
        call    cmos_write
        mov     byte [bp+R_AH], 0
        jmp     .ok
.get_date:
        mov     al, CMOS_CENTURY
        call    cmos_read
        mov     [bp+R_CH], al
        mov     al, CMOS_YEAR
        call    cmos_read
        mov     [bp+R_CL], al
        mov     al, CMOS_MONTH
        call    cmos_read
        mov     [bp+R_DH], al
        mov     al, CMOS_DAY
        call    cmos_read
        mov     [bp+R_DL], al
        mov     byte [bp+R_AH], 0
        jmp     .ok
.set_date:
        call    rtc_hold
        mov     al, CMOS_CENTURY
        mov     ah, [bp+R_CH]
        call    cmos_write
        mov     al, CMOS_YEAR
        mov     ah, [bp+R_CL]
        call    cmos_write
        mov     al, CMOS_MONTH
        mov     ah, [bp+R_DH]
        call    cmos_write
        mov     al, CMOS_DAY
        mov     ah, [bp+R_DL]
        call    cmos_write
        call    rtc_run
        mov     byte [bp+R_AH], 0
        jmp     .ok
.set_alarm:
        mov     al, CMOS_REG_B
        call    cmos_read
        test    al, 0x20                        ; an alarm is already set
        jnz     .fail
        mov     al, 0x05                        ; hour alarm
        mov     ah, [bp+R_CH]
        call    cmos_write
        mov     al, 0x03                        ; minute alarm
        mov     ah, [bp+R_CL]
        call    cmos_write
        mov     al, 0x01                        ; second alarm
        mov     ah, [bp+R_DH]
        call    cmos_write
        mov     al, CMOS_REG_B
        call    cmos_read
        mov     ah, al
        or      ah, 0x20                        ; AIE
        mov     al, CMOS_REG_B
        call    cmos_write
        mov     byte [bp+R_AH], 0
        jmp     .ok
.alarm_off:
        mov     al, CMOS_REG_B
        call    cmos_read
        mov     ah, al
        and     ah, ~0x20
        mov     al, CMOS_REG_B
        call    cmos_write
        mov     byte [bp+R_AH], 0
        jmp     .ok

; rtc_hold: register B's SET bit: the clock stops updating while the
; time is written.
rtc_hold:
        mov     al, CMOS_REG_B
        call    cmos_read
        mov     ah, al
        or      ah, 0x80
        mov     al, CMOS_REG_B
        jmp     cmos_write

; rtc_run: SET cleared, the clock counts again.
rtc_run:
        mov     al, CMOS_REG_B
        call    cmos_read
        mov     ah, al
        and     ah, ~0x80
        mov     al, CMOS_REG_B
        jmp     cmos_write
