; dev_uart_timing.asm -- output that depends on time: COM1 at 9600 baud
; without FIFOs, polled.  When something is plugged in (DCD is up) it
; first counts the LSR polls between the bytes it receives until a '.' or
; a hangup; then it sends 16 characters, counting the polls each one waits
; for THRE, and prints every count on COM1 (at 115200 baud).  With --deterministic two runs
; print the same counts (tests/scripts/deterministic.sh compares them);
; on host time they differ from run to run.  On the debug console it
; checks that characters take time (THRE is not set again at once) and,
; when receiving, that bytes do not come faster than the baud rate.
; x86lab-args: --deterministic
        org     0x7c00
        bits    16

%include "lib.inc"
%include "dev_uart_lib.inc"

%define DIVISOR  12                 ; 9600 baud
%define NTX      16
%define MAXRX    64

start:
        START16 0x6000                  ; stack off the code page (no SMC flushes)

        mov     dx, COM1
        mov     bx, DIVISOR
        mov     al, 0x03                ; 8N1
        call    uart_setup
        OUTREG  COM1, MCR, 0x03         ; DTR RTS

        ; ---- receive, if something is plugged in ----
        INREG   COM1, MSR
        test    al, 0x80
        jnz     .receive
        mov     si, no_carrier
        call    puts16
        jmp     .transmit
.receive:
        mov     di, rx_counts
.rxnext:
        xor     ecx, ecx
.rxpoll:
        mov     dx, COM1 + LSR
        in      al, dx
        test    al, 0x01
        jnz     .got
        mov     dx, COM1 + MSR
        in      al, dx
        test    al, 0x80
        jz      .rxdone                 ; hangup: the input has ended
        inc     ecx
        cmp     ecx, POLL_LIMIT
        jb      .rxpoll
        jmp     .rxdone
.got:   mov     dx, COM1 + RBR
        in      al, dx
        mov     [di], ecx
        mov     [di + 4], al
        add     di, 8
        inc     word [nrx]
        cmp     al, '.'
        je      .rxdone
        cmp     word [nrx], MAXRX
        jb      .rxnext
.rxdone:
        ; after the first byte, bytes come at most one per character time:
        ; each wait is at least a few polls
        mov     si, rx_counts + 8
        mov     cx, [nrx]
        xor     bx, bx
        cmp     cx, 1
        jbe     .rxchk_done
        dec     cx
.rxchk: lodsd
        add     si, 4
        cmp     eax, 2
        jae     .slow
        inc     bx
.slow:  loop    .rxchk
.rxchk_done:
        EXPECT8 bl, 0, "received bytes came at the baud rate"
        cmp     word [nrx], 0
        CHECK   a, "received something"
.transmit:

        ; ---- transmit: polls per character ----
        mov     si, message
        mov     di, tx_counts
        mov     cx, NTX
.tx:    push    cx
        mov     dx, COM1
        mov     ah, 0x20                ; THRE
        call    wait_lsr
        mov     [di], ecx
        add     di, 4
        lodsb
        mov     dx, COM1 + THR
        out     dx, al
        pop     cx
        loop    .tx
        ; the first write found THR empty; each later one waited about
        ; a character time (the previous byte was still being shifted)
        mov     si, tx_counts + 8
        mov     cx, NTX - 2
        mov     bx, 0                   ; counts that are 0
.chk:   lodsd
        test    eax, eax
        jnz     .nz
        inc     bx
.nz:    loop    .chk
        EXPECT8 bl, 0, "every character after the second waited for THRE"

.report:
        ; ---- the counts, on COM1, at 115200 baud ----
        mov     dx, COM1
        mov     ah, 0x40
        call    wait_lsr
        mov     bx, 1
        mov     al, 0x03
        call    uart_setup
        OUTREG  COM1, MCR, 0x03
        mov     si, tx_title
        call    com_puts
        mov     si, tx_counts
        mov     cx, NTX
.ptx:   lodsd
        call    com_hex32
        mov     al, ' '
        call    com_putc
        loop    .ptx
        mov     si, crlf
        call    com_puts
        mov     cx, [nrx]
        jcxz    .done
        mov     si, rx_title
        call    com_puts
        mov     si, rx_counts
.prx:   lodsd
        call    com_hex32
        mov     al, '='
        call    com_putc
        lodsd
        call    com_putc
        mov     al, ' '
        call    com_putc
        loop    .prx
        mov     si, crlf
        call    com_puts
.done:  mov     dx, COM1
        mov     ah, 0x40                ; all out before leaving
        call    wait_lsr
        FINISH16

; com_puts: the zero-terminated string at SI to COM1.
com_puts:
        push    ax
        push    si
.next:  lodsb
        test    al, al
        jz      .end
        call    com_putc
        jmp     .next
.end:   pop     si
        pop     ax
        ret

; com_hex32: EAX as 8 hex digits on COM1.
com_hex32:
        push    eax
        push    cx
        push    ebx
        mov     ebx, eax
        mov     cx, 8
.digit: rol     ebx, 4
        mov     al, bl
        and     al, 0x0F
        add     al, '0'
        cmp     al, '9'
        jbe     .put
        add     al, 'a' - '0' - 10
.put:   call    com_putc
        loop    .digit
        pop     ebx
        pop     cx
        pop     eax
        ret

        LIB16
        DEVLIB
        UART_LIB

message:    db "x86lab timing!", 13, 10
tx_title:   db "tx polls: ", 0
rx_title:   db "rx polls: ", 0
crlf:       db 13, 10, 0
no_carrier: db "ok no carrier on COM1: nothing to receive", 10, 0
fails:      dw 0
nrx:        dw 0
            align 4
tx_counts:  times NTX dd 0
rx_counts:  times MAXRX * 2 dd 0
