; dev_cmos_update.asm -- the RTC's update cycle, alarm and interrupts on
; IRQ 8 through the 8259A pair: a date set just before the millennium,
; the divider restarted (first update half a second later), UIP seen
; rising before the update and falling with it, the rollover to
; 2000-01-01 with century and weekday, UF and AF in register C, the
; periodic interrupt counted against the RTC's own second, then the alarm
; and update-ended interrupts waking HLT at the right second.  Time passes
; in HLT (the periodic interrupt as a tick), so few instructions run.
; x86lab-args: --deterministic
        org     0x7c00
        bits    16

%include "lib.inc"
%include "dev_lib.inc"

%define IRQ8_VECTOR 0x28

start:
        START16
        SETVEC16 IRQ8_VECTOR, irq8
        PIC_PAIR 0x20, 0x28, 0xFB, 0xFE ; IRQ 2 (the slave) and 8 open

        ; Friday 1999-12-31 23:59:58 with the divider held in reset
        mov     ax, 0x0A66                 ; divider reset, RS = 6
        call    cmos_wr
        mov     ax, 0x0B82                 ; SET, 24 h, BCD
        call    cmos_wr
        mov     si, t_set
        call    cmos_write_list
        mov     ax, 0x0B02
        call    cmos_wr
        mov     al, 0x0C
        call    cmos_rd
        mov     ax, 0x0A23                 ; divider runs, RS = 3 (8192 Hz)
        call    cmos_wr
        mov     al, 0x0A
        call    cmos_rd
        test    al, 0x80
        CHECK16 z, "UIP clear right after the divider restarts"

        ; the periodic interrupt must arrive before HLT may be trusted
        mov     ax, 0x0B42                 ; PIE
        call    cmos_wr
        sti
        mov     ecx, 200000
.wait:  cmp     dword [ticks], 0
        jne     .came
        dec     ecx
        jnz     .wait
.came:  cmp     dword [ticks], 0
        CHECK16 ne, "periodic interrupt (IRQ 8) arrives through the PIC"
        cmp     dword [ticks], 0
        jne     .go
        jmp     finish                     ; HLT would never wake
.go:
        ; wait for UIP, in HLT between ticks
        mov     dword [ticks], 0
.uip:   hlt
        cmp     dword [ticks], 3 * 8192
        ja      stuck                      ; 3 s and no UIP
        mov     al, 0x0A
        call    cmos_rd
        test    al, 0x80
        jz      .uip
        mov     eax, [ticks]
        mov     [ticks_to_uip], eax
        mov     al, 0x00
        call    cmos_rd
        cmp     al, 0x58
        CHECK16 e, "UIP rises while the seconds still read 58"
        mov     eax, [ticks_to_uip]
        cmp     eax, 4090
        setae   bl
        cmp     eax, 4096
        setbe   bh
        and     bl, bh
        CHECK16 nz, "UIP rises ~0.5 s (4094 ticks of 8192 Hz) after the restart"
        mov     dword [seen_c], 0
        mov     dword [ticks], 0
.uip2:  hlt
        cmp     dword [ticks], 100
        ja      stuck
        mov     al, 0x0A
        call    cmos_rd
        test    al, 0x80
        jnz     .uip2
        mov     eax, [ticks]
        cmp     eax, 1
        setae   bl
        cmp     eax, 3
        setbe   bh
        and     bl, bh
        CHECK16 nz, "UIP falls 244 us (2 ticks) later"
        mov     al, 0x00
        call    cmos_rd
        cmp     al, 0x59
        CHECK16 e, "the update came with UIP falling: 23:59:59"
        test    byte [seen_c], 0x10
        CHECK16 nz, "UF seen in register C"

        ; one RTC second in periodic ticks, up to the rollover
        mov     dword [seen_c], 0
        mov     dword [ticks], 0
.sec:   hlt
        cmp     dword [ticks], 3 * 8192
        ja      stuck
        test    byte [seen_c], 0x10
        jz      .sec
        mov     eax, [ticks]
        cmp     eax, 8191
        setae   bl
        cmp     eax, 8193
        setbe   bh
        and     bl, bh
        CHECK16 nz, "8192 periodic interrupts in one RTC second (RS = 3)"
        mov     si, t_2000
        call    cmos_match
        CHECK16 e, "rolled over to Saturday 2000-01-01 00:00:00, century 20"
        test    byte [seen_c], 0x20
        CHECK16 nz, "alarm 00:00:00 matched: AF"
        test    byte [seen_c], 0x80
        CHECK16 nz, "IRQF seen with the interrupt"

        ; alarm interrupt at 00:00:03; the periodic interrupt at 2 Hz
        ; stays on as a watchdog, so that a missing alarm cannot hang HLT
        cli
        mov     ax, 0x0103
        call    cmos_wr
        mov     ax, 0x0A2F                 ; RS = 15: 2 Hz
        call    cmos_wr
        mov     ax, 0x0B62                 ; AIE, PIE
        call    cmos_wr
        mov     al, 0x0C
        call    cmos_rd
        mov     byte [last_c], 0
        mov     dword [ticks], 0
        sti
.alarm: hlt
        test    byte [last_c], 0x20
        jnz     .rang
        cmp     dword [ticks], 20
        jbe     .alarm
.rang:  cli
        mov     al, 0x00
        call    cmos_rd
        cmp     al, 0x03
        CHECK16 e, "alarm interrupt wakes HLT at 00:00:03"
        mov     al, [last_c]
        and     al, 0xA0
        cmp     al, 0xA0
        CHECK16 e, "register C in the handler: IRQF and AF"
        mov     eax, [ticks]
        cmp     eax, 6
        setae   bl
        cmp     eax, 7
        setbe   bh
        and     bl, bh
        CHECK16 nz, "about 3 s of 2 Hz periodic interrupts before it (6-7)"

        ; update-ended interrupt (AIE off)
        mov     ax, 0x0B52                 ; UIE, PIE
        call    cmos_wr
        mov     byte [last_c], 0
        mov     dword [ticks], 0
        sti
.upd:   hlt
        test    byte [last_c], 0x10
        jnz     .upded
        cmp     dword [ticks], 20
        jbe     .upd
.upded: cli
        mov     al, 0x00
        call    cmos_rd
        cmp     al, 0x04
        CHECK16 e, "update-ended interrupt wakes HLT at the next second"
        mov     al, [last_c]
        and     al, 0xB0
        cmp     al, 0x90
        CHECK16 e, "register C in the handler: IRQF, UF, no AF"
        mov     ax, 0x0B02
        call    cmos_wr
        jmp     finish

stuck:  mov     si, stuck_msg
        call    puts16
        inc     word [fails]
        jmp     finish

; ---- IRQ 8: read C (which rearms the IRQ), count, EOI both PICs ----
irq8:
        push    ax
        mov     al, 0x0C
        out     0x70, al
        in      al, 0x71
        mov     [cs:last_c], al
        or      [cs:seen_c], al
        inc     dword [cs:ticks]
        pop     ax
        jmp     eoi_slave_iret

        LIB16
        DEVLIB

; date, time and the alarm (00:00:00)
t_set:  db 0x32, 0x19, 0x09, 0x99, 0x08, 0x12, 0x07, 0x31, 0x06, 0x06
        db 0x04, 0x23, 0x02, 0x59, 0x00, 0x58, 0x01, 0x00, 0x03, 0x00, 0x05, 0x00, 0xFF
t_2000: db 0x32, 0x20, 0x09, 0x00, 0x08, 0x01, 0x07, 0x01, 0x06, 0x07
        db 0x04, 0x00, 0x02, 0x00, 0x00, 0x00, 0xFF
stuck_msg:    db "FAIL the awaited RTC event did not come", 10, 0
fails:        dw 0
ticks:        dd 0
ticks_to_uip: dd 0
seen_c:       dd 0
last_c:       db 0
