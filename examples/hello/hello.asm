; hello.asm -- the smallest program a PC boots: one 512-byte boot sector.
; The BIOS loads it to 0000:7C00 and jumps there in real mode; it prints a
; line three ways (the BIOS's INT 10h teletype, the COM1 serial port, and
; the emulator's debug port 0xE9), says which drive it came from, and halts.
;
; Build: nasm -f bin hello.asm -o hello.bin  (then pad to a floppy or disk
; image: see ../README.md and the Makefile's examples rules).

%ifdef MAPFILE                          ; the Makefile asks for a symbol map:
[map symbols MAPFILE]                   ; every label's address, for the debugger
%endif
        bits    16                      ; the CPU starts boot code in real mode
        org     0x7C00                  ; where the BIOS puts the boot sector

COM1    equ     0x3F8                   ; first serial port's I/O base
DEBUGCON equ    0xE9                    ; x86lab (like Bochs, QEMU): bytes written here are printed

start:
        ; The BIOS promises only CS:IP = 0000:7C00 (some jump to 07C0:0000!)
        ; and DL = the boot drive.  Everything else we set up ourselves.
        cli                             ; no interrupts while SS:SP is half set
        xor     ax, ax
        mov     ds, ax                  ; our data is addressed from segment 0,
        mov     es, ax                  ; matching "org 0x7C00"
        mov     ss, ax
        mov     sp, 0x7C00              ; the stack grows down, below our code
        sti                             ; INT 10h may need interrupts
        jmp     0:.cs_known             ; make CS = 0 too, whatever the BIOS used
.cs_known:
        mov     [boot_drive], dl        ; DL is lost as soon as we call anything

        call    serial_init

        mov     si, msg_hello
        call    print
        mov     si, msg_drive
        call    print
        mov     al, [boot_drive]        ; 00h = floppy A:, 80h = first hard disk
        call    print_hex8
        mov     si, msg_newline
        call    print
        mov     si, msg_halt
        call    print

        ; The UART sends a byte in about 87 us at 115200 baud: the last
        ; ones are still in its FIFO.  Wait for "transmitter empty" (line
        ; status bit 6) or they would never leave the machine.
        mov     dx, COM1 + 5
.drain: in      al, dx
        test    al, 0x40
        jz      .drain

        ; Done.  With interrupts off, HLT stops the CPU for good (only NMI or
        ; reset wakes it); x86lab ends the run there with exit status 0.
        cli
.stop:  hlt
        jmp     .stop                   ; in case an NMI wakes us

; serial_init: COM1 at 115200 baud, 8 data bits, no parity, 1 stop bit
; ("8N1").  The 16550 UART's divisor latch is reached by setting bit 7
; (DLAB) of the line control register; the baud rate is 115200 / divisor.
serial_init:
        mov     dx, COM1 + 1
        xor     al, al
        out     dx, al                  ; IER = 0: no UART interrupts, we poll
        mov     dx, COM1 + 3
        mov     al, 0x80
        out     dx, al                  ; LCR: DLAB = 1, divisor registers visible
        mov     dx, COM1 + 0
        mov     al, 1
        out     dx, al                  ; divisor low byte = 1 -> 115200 baud
        inc     dx
        xor     al, al
        out     dx, al                  ; divisor high byte
        mov     dx, COM1 + 3
        mov     al, 0x03
        out     dx, al                  ; LCR: DLAB = 0, 8 bits, no parity, 1 stop
        ret

; print: the zero-terminated string at DS:SI, to all three outputs.
print:
        cld
.next:  lodsb                           ; AL = [DS:SI], SI += 1
        test    al, al
        jz      .done
        call    putc
        jmp     .next
.done:  ret

; putc: one character in AL to the screen, COM1 and port 0xE9.
putc:
        push    ax
        push    bx
        push    dx
        out     DEBUGCON, al            ; the emulator's console: no setup at all
        ; COM1: wait until the transmitter holding register is empty (line
        ; status register bit 5), then write the byte.
        mov     bl, al
        mov     dx, COM1 + 5
.wait:  in      al, dx
        test    al, 0x20
        jz      .wait
        mov     dx, COM1
        mov     al, bl
        out     dx, al
        ; The screen through the video BIOS: AH = 0Eh "teletype output"
        ; writes AL at the cursor and moves it, handling CR, LF and scrolling.
        ; Our strings end lines with LF only: send CR first so that the
        ; screen starts the next line at column 0.
        cmp     bl, 10
        jne     .tty
        mov     ax, 0x0E0D
        xor     bx, bx
        int     0x10
        mov     bl, 10
.tty:   mov     al, bl
        mov     ah, 0x0E
        xor     bx, bx                  ; BH = page 0, BL = colour (graphics modes)
        int     0x10
        pop     dx
        pop     bx
        pop     ax
        ret

; print_hex8: AL as two hex digits.
print_hex8:
        push    ax
        shr     al, 4                   ; high nibble first
        call    .digit
        pop     ax
        and     al, 0x0F
.digit: add     al, '0'
        cmp     al, '9'
        jbe     .out
        add     al, 'A' - '9' - 1       ; 10..15 -> 'A'..'F'
.out:   jmp     putc                    ; putc's RET returns for us

msg_hello:   db "hello: Hello from the boot sector!", 10, 0
msg_drive:   db "hello: booted from drive ", 0
msg_newline: db "h", 10, 0
msg_halt:    db "hello: halting the CPU (cli; hlt)", 10, 0
boot_drive:  db 0

        ; A boot sector is exactly 512 bytes and ends with the signature
        ; 55h AAh, without which the BIOS will not boot it.
        times   510 - ($ - $$) db 0
        dw      0xAA55
