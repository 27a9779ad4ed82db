; dev_uart_console.asm -- the guest of tests/scripts/serial_console.sh,
; which drives the terminal console (-nographic on a pseudo-terminal): it
; writes a banner in white on blue and CP437 box characters to the VGA
; text screen, puts the cursor at row 2 column 5, then shows each byte
; the 8042 delivers (scan codes of the keys typed in the screen view) in
; hex on row 3, and echoes COM1 (typed in the serial view) until a '.'.
; With nothing plugged into COM1 (the plain test suite) it checks the
; text memory reads back and passes.
        org     0x7c00
        bits    16

%include "lib.inc"
%include "dev_uart_lib.inc"

start:
        START16 0x6000                  ; stack off the code page (no SMC flushes)
        mov     ax, 0xB800
        mov     es, ax

        ; ---- the screen ----
        xor     di, di
        mov     si, banner
        mov     ah, 0x1F                ; bright white on blue
        call    vga_puts
        mov     di, 160
        mov     si, box
        mov     ah, 0x0E                ; yellow on black
        call    vga_puts
        mov     dx, 0x3D4               ; cursor at 2 * 80 + 5
        mov     ax, 0x000E
        out     dx, ax
        mov     ax, 0xA50F
        out     dx, ax
        mov     ax, [es:0]
        cmp     ax, 0x1F00 + 'x'
        CHECK   e, "text memory reads back 'x' in attribute 1F"

        ; ---- COM1 ----
        mov     dx, COM1
        mov     bx, 1
        mov     al, 0x03
        call    uart_setup
        OUTREG  COM1, FCR, 0x07         ; FIFOs: room for 16 bytes if we lag
        OUTREG  COM1, MCR, 0x03
        INREG   COM1, MSR
        test    al, 0x80
        jz      .finish
        mov     si, ready
.ready: lodsb
        test    al, al
        jz      .loop
        call    com_putc
        jmp     .ready

.loop:  in      al, 0x64                ; a byte from the 8042?
        test    al, 0x01
        jz      .serial
        in      al, 0x60
        call    show_scan
.serial:
        mov     dx, COM1 + LSR
        in      al, dx
        test    al, 0x01
        jz      .loop
        mov     dx, COM1 + RBR
        in      al, dx
        call    com_putc
        cmp     al, '.'
        jne     .loop
        mov     dx, COM1
        mov     ah, 0x40
        call    wait_lsr
.finish:
        FINISH16

; vga_puts: the string at DS:SI to ES:DI with attribute AH.
vga_puts:
        lodsb
        test    al, al
        jz      .end
        stosw
        jmp     vga_puts
.end:   ret

; show_scan: AL as two hex digits and a space on row 3, green on black.
show_scan:
        push    ax
        push    bx
        push    di
        mov     di, [scan_at]
        mov     bl, al
        shr     al, 4
        call    .digit
        mov     al, bl
        and     al, 0x0F
        call    .digit
        add     di, 2
        cmp     di, 4 * 160
        jb      .keep
        mov     di, 3 * 160
.keep:  mov     [scan_at], di
        pop     di
        pop     bx
        pop     ax
        ret
.digit: add     al, '0'
        cmp     al, '9'
        jbe     .put
        add     al, 'a' - '0' - 10
.put:   mov     ah, 0x0A
        stosw
        ret

        LIB16
        DEVLIB
        UART_LIB

banner:  db "x86lab console test", 0
box:     db 0xC9, 0xCD, 0xCD, 0xBB, " ", 0x01, " caf", 0x82, 0
ready:   db "ready", 13, 10, 0
fails:   dw 0
scan_at: dw 3 * 160
