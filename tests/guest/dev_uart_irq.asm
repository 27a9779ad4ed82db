; dev_uart_irq.asm -- the 16550A's interrupt causes.  Through IIR (polled,
; in loopback): received-data at each FIFO trigger level (1, 4, 8, 14),
; the character timeout after four quiet character times, line status,
; THRE (acknowledged by reading IIR), modem status, and their priority
; with all four pending.  Through the 8259A on IRQ 4: THRE interrupts
; driving an interrupt-driven transmit of 8 bytes, gated by MCR.OUT2 and
; by loopback (OUT2's pin is forced off, as on a PC).
; x86lab-args: --deterministic
        org     0x7c00
        bits    16

%include "lib.inc"
%include "dev_uart_lib.inc"

%define IRQ4_VECTOR 0x0C            ; master PIC based at 8, as the BIOS sets it

start:
        START16 0x6000                  ; stack off the code page (no SMC flushes)

        mov     dx, COM1
        mov     bx, 1                   ; 115200 baud
        mov     al, 0x03
        call    uart_setup
        OUTREG  COM1, MCR, 0x10         ; loopback
        OUTREG  COM1, IER, 0x01         ; received data (and timeout)

        ; ---- trigger levels ----
        mov     si, levels
.level: lodsw                           ; AL = FCR, AH = level
        test    al, al
        jz      .levels_done
        mov     dx, COM1 + FCR          ; enable, clear both FIFOs, trigger
        out     dx, al
        mov     cl, ah
        dec     cl                      ; level - 1 bytes: below the trigger
        call    send_cl
        INREG   COM1, IIR
        mov     [below], al
        mov     cl, 1
        call    send_cl
        INREG   COM1, IIR
        mov     [at_level], al
        call    print_level
        jmp     .level
.levels_done:

        ; ---- character timeout: one byte below a trigger of 4 ----
        OUTREG  COM1, FCR, 0x47
        mov     cl, 1
        call    send_cl
        INREG   COM1, IIR
        EXPECT8 al, 0xC1, "one byte under trigger 4: no interrupt yet"
        mov     dx, COM1 + IIR
        xor     ecx, ecx
.cti:   in      al, dx
        cmp     al, 0xCC
        je      .cti_done
        inc     ecx
        cmp     ecx, POLL_LIMIT
        jb      .cti
.cti_done:
        EXPECT8 al, 0xCC, "character timeout after 4 character times: IIR CC"
        cmp     ecx, 0
        CHECK   a, "the timeout took a while to come"
        INREG   COM1, RBR
        INREG   COM1, IIR
        EXPECT8 al, 0xC1, "reading RBR cleared the timeout"

        ; ---- THRE through IIR ----
        OUTREG  COM1, IER, 0x02
        INREG   COM1, IIR
        EXPECT8 al, 0xC2, "THRE enabled with THR empty: IIR C2"
        INREG   COM1, IIR
        EXPECT8 al, 0xC1, "reading IIR acknowledged THRE"

        ; ---- all four causes: priority ----
        ; (waiting on IIR: an LSR read would clear the overrun)
        OUTREG  COM1, FCR, 0x07         ; trigger 1
        OUTREG  COM1, IER, 0x04         ; line status only, for now
        mov     dx, COM1 + THR
        mov     cx, 17                  ; the 17th overruns
.fill:  out     dx, al
        loop    .fill
        mov     dx, COM1 + IIR
        xor     ecx, ecx
.ovr:   in      al, dx
        cmp     al, 0xC6
        je      .ovr_done
        inc     ecx
        cmp     ecx, POLL_LIMIT
        jb      .ovr
.ovr_done:
        INREG   COM1, MSR               ; (clear older deltas)
        OUTREG  COM1, MCR, 0x11         ; DTR: a modem-status delta
        OUTREG  COM1, IER, 0x0F         ; (THRE pending: enabled with THR empty)
        INREG   COM1, IIR
        EXPECT8 al, 0xC6, "all pending: line status first (C6)"
        INREG   COM1, LSR
        INREG   COM1, IIR
        EXPECT8 al, 0xC4, "after LSR read: received data (C4)"
        mov     dx, COM1 + RBR
        mov     cx, 16
.drain: in      al, dx
        loop    .drain
        INREG   COM1, IIR
        EXPECT8 al, 0xC2, "FIFO drained: THRE (C2)"
        INREG   COM1, IIR
        EXPECT8 al, 0xC0, "THRE acknowledged: modem status (C0)"
        INREG   COM1, MSR
        EXPECT8 al, 0x22, "MSR: DSR with its delta"
        INREG   COM1, IIR
        EXPECT8 al, 0xC1, "nothing left (C1)"
        OUTREG  COM1, IER, 0x00
        OUTREG  COM1, MCR, 0x00
        OUTREG  COM1, FCR, 0x00

        ; ---- through the PIC ----
        PIC_PAIR 0x08, 0x70, 0xEF, 0xFF ; only IRQ 4 open
        SETVEC16 IRQ4_VECTOR, irq4
        sti
        OUTREG  COM1, IER, 0x02         ; THRE, but OUT2 off
        call    pause
        EXPECT8 [irqs], 0, "OUT2 off: the THRE cause does not reach the PIC"
        INREG   COM1, IIR
        EXPECT8 al, 0x02, "(IIR shows it: 02)"
        OUTREG  COM1, MCR, 0x18         ; loopback + OUT2
        OUTREG  COM1, IER, 0x00
        OUTREG  COM1, IER, 0x02
        call    pause
        EXPECT8 [irqs], 0, "loopback forces OUT2's pin off: still no IRQ 4"
        OUTREG  COM1, IER, 0x00
        OUTREG  COM1, MCR, 0x08         ; OUT2, line mode

        ; Interrupt-driven transmit: each THRE interrupt sends the next byte.
        mov     byte [to_send], 8
        mov     byte [done], 0
        OUTREG  COM1, IER, 0x02
.wait:  hlt
        cmp     byte [done], 1
        jne     .wait
        EXPECT8 [irqs], 9, "8 bytes sent by 9 THRE interrupts on IRQ 4"
        EXPECT8 [bad_iir], 0, "every IRQ 4 found IIR = 02 (THRE)"
        mov     dx, COM1
        mov     ah, 0x40
        call    wait_lsr
        CHECK   nc, "transmitter empty at the end"
        cli

        FINISH16

; send_cl: sends CL bytes (0 or more) in loopback and waits until they
; are back (TEMT: the last one has been received).
send_cl:
        test    cl, cl
        jz      .none
        push    ax
        push    dx
        push    bx
        mov     dx, COM1 + THR
        mov     al, 0x30
.next:  out     dx, al
        inc     al
        dec     cl
        jnz     .next
        mov     dx, COM1
        mov     ah, 0x40
        call    wait_lsr
        pop     bx
        pop     dx
        pop     ax
.none:  ret

; print_level: checks [below] and [at_level] for the level just run (AH).
print_level:
        mov     al, [at_level]
        cmp     al, 0xC4
        jne     .bad
        cmp     ah, 1
        je      .good
        cmp     byte [below], 0xC1
        jne     .bad
.good:  push    si
        mov     si, .ok
        call    puts16
        mov     al, ah
        call    hex8
        mov     si, .tail
        call    puts16
        pop     si
        ret
.bad:   inc     word [fails]
        push    si
        mov     si, .fail
        call    puts16
        mov     al, ah
        call    hex8
        mov     si, .got
        call    puts16
        mov     al, [below]
        call    hex8
        mov     al, ' '
        out     DEBUGCON, al
        mov     al, [at_level]
        call    hex8
        mov     si, .nl
        call    puts16
        pop     si
        ret
.ok:    db "ok trigger level 0x", 0
.tail:  db ": IIR C1 below it, C4 at it", 10, 0
.fail:  db "FAIL trigger level 0x", 0
.got:   db ": IIR below/at = ", 0
.nl:    db 10, 0

; pause: about 50 character times of polling (time for an IRQ to come).
pause:
        push    ecx
        push    dx
        push    ax
        mov     ecx, 200000
        mov     dx, COM1 + SCR
.spin:  in      al, dx
        dec     ecx
        jnz     .spin
        pop     ax
        pop     dx
        pop     ecx
        ret

; IRQ 4: identify the cause, send the next byte while there is one.
irq4:
        push    ax
        push    dx
        push    si
        inc     byte [irqs]
        mov     dx, COM1 + IIR
        in      al, dx
        cmp     al, 0x02
        je      .thre
        inc     byte [bad_iir]
        jmp     .eoi
.thre:  cmp     byte [to_send], 0
        je      .finished
        dec     byte [to_send]
        mov     dx, COM1 + THR
        mov     al, 'a'
        out     dx, al
        jmp     .eoi
.finished:
        mov     dx, COM1 + IER
        xor     al, al
        out     dx, al
        mov     byte [done], 1
.eoi:   mov     al, 0x20
        out     0x20, al
        pop     si
        pop     dx
        pop     ax
        iret

        LIB16
        DEVLIB
        UART_LIB

levels:  db 0x07, 1, 0x47, 4, 0x87, 8, 0xC7, 14, 0, 0
fails:   dw 0
below:   db 0
at_level: db 0
irqs:    db 0
bad_iir: db 0
to_send: db 0
done:    db 0
