; dev_uart_echo.asm -- an interrupt-driven echo on COM1 (115200 8N1, FIFO
; trigger 4): IRQ 4 through the 8259A takes received data (at the trigger
; level, and the rest on the character timeout) into a ring and notices a
; hangup (modem status: DCD dropped when the input ended); the main loop
; sends every byte back.  A '.' ends it with EXIT_PASS; a hangup ends it
; with exit value 0x10 (x86lab's status 33), and tests/scripts/
; serial_stdio.sh checks both.  With nothing plugged in (no DCD, as in
; the plain test suite) it only checks that and passes.
        org     0x7c00
        bits    16

%include "lib.inc"
%include "dev_uart_lib.inc"

%define IRQ4_VECTOR 0x0C
%define EXIT_HANGUP 0x10

start:
        START16 0x6000                  ; stack off the code page (no SMC flushes)

        mov     dx, COM1
        mov     bx, 1
        mov     al, 0x03
        call    uart_setup
        INREG   COM1, MSR
        test    al, 0x80
        jnz     .line
        EXPECT8 al, 0x00, "nothing plugged into COM1: MSR 00, no echo to do"
        jmp     .finish

.line:  SETVEC16 IRQ4_VECTOR, irq4
        PIC_PAIR 0x08, 0x70, 0xEF, 0xFF ; only IRQ 4 open
        OUTREG  COM1, FCR, 0x47         ; FIFOs, trigger 4
        OUTREG  COM1, MCR, 0x0B         ; DTR RTS OUT2
        OUTREG  COM1, IER, 0x0D         ; data, line status, modem status
        sti

.loop:  cli
        mov     bx, [tail]
        cmp     bx, [head]
        jne     .have
        cmp     byte [ended], 0
        jne     .end
        sti                             ; (STI's shadow covers HLT: no race)
        hlt
        jmp     .loop
.have:  sti
        mov     al, [ring + bx]
        inc     bx
        and     bx, 0xFF
        mov     [tail], bx
        call    com_putc
        inc     word [echoed]
        cmp     al, '.'
        jne     .loop
        mov     byte [ended], 1
        mov     byte [status], EXIT_PASS
        jmp     .loop

.end:   mov     dx, COM1
        mov     ah, 0x40
        call    wait_lsr                ; the last byte out
        EXPECT8 [overruns], 0, "no overrun"
        cmp     word [echoed], 0
        CHECK   a, "echoed something"
        mov     al, [irqs]
        cmp     al, 0
        CHECK   a, "received through IRQ 4"
.finish:
        mov     al, [status]
        cmp     word [fails], 0
        je      .exit
        mov     al, EXIT_FAIL
.exit:  call    exit16

; IRQ 4: serve causes until IIR says none is left.
irq4:
        push    ax
        push    bx
        push    dx
        inc     byte [irqs]
.cause: mov     dx, COM1 + IIR
        in      al, dx
        test    al, 0x01
        jnz     .eoi
        and     al, 0x0E
        cmp     al, 0x06
        je      .lsr
        cmp     al, 0x00
        je      .msr
.data:  mov     dx, COM1 + LSR          ; received data or timeout: drain
        in      al, dx
        test    al, 0x02
        jz      .no_oe
        inc     byte [overruns]
.no_oe: test    al, 0x01
        jz      .cause
        mov     dx, COM1 + RBR
        in      al, dx
        mov     bx, [head]
        mov     [ring + bx], al
        inc     bx
        and     bx, 0xFF
        mov     [head], bx
        jmp     .data
.lsr:   mov     dx, COM1 + LSR
        in      al, dx
        test    al, 0x02
        jz      .cause
        inc     byte [overruns]
        jmp     .cause
.msr:   mov     dx, COM1 + MSR
        in      al, dx
        test    al, 0x80                ; carrier gone: the other side hung up
        jnz     .cause
        cmp     byte [ended], 0
        jne     .cause
        mov     byte [ended], 1
        mov     byte [status], EXIT_HANGUP
        jmp     .data                   ; what is left under the trigger level
.eoi:   mov     al, 0x20
        out     0x20, al
        pop     dx
        pop     bx
        pop     ax
        iret

        LIB16
        DEVLIB
        UART_LIB

fails:    dw 0
head:     dw 0
tail:     dw 0
echoed:   dw 0
irqs:     db 0
overruns: db 0
ended:    db 0
status:   db EXIT_PASS
ring:     times 256 db 0
