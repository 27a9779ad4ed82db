; dev_uart_loop.asm -- COM1 in loopback at 115200 8N1: what it sends comes
; back, a character time later.  Without FIFOs: one byte through THR/RBR,
; THRE before TEMT, and an overrun overwriting RBR.  With FIFOs: 16 bytes
; written at once come back in order (LSR DR/THRE/TEMT along the way),
; a 17th character overruns (OE, then cleared by reading LSR, and lost),
; clearing the RX FIFO through FCR, a break arriving as 00 with BI and the
; FIFO-error bit, and 16 bytes taking longer to send than one does.
; x86lab-args: --deterministic
        org     0x7c00
        bits    16

%include "lib.inc"
%include "dev_uart_lib.inc"

start:
        START16 0x6000                  ; stack off the code page (no SMC flushes)

        mov     dx, COM1
        mov     bx, 1                   ; 115200 baud
        mov     al, 0x03                ; 8N1
        call    uart_setup
        OUTREG  COM1, MCR, 0x10         ; loopback

        ; ---- one byte without FIFOs ----
        OUTREG  COM1, THR, 0x5A
        INREG   COM1, LSR
        EXPECT8 al, 0x20, "byte moved to the shift register: THRE, not TEMT, no DR yet"
        mov     dx, COM1
        mov     ah, 0x41                ; TEMT and DR
        call    wait_lsr
        CHECK   nc, "the byte went round: TEMT and DR"
        mov     [one_byte_polls], ecx
        INREG   COM1, LSR
        EXPECT8 al, 0x61, "LSR 61"
        INREG   COM1, RBR
        EXPECT8 al, 0x5A, "read back 5A"
        INREG   COM1, LSR
        EXPECT8 al, 0x60, "RBR read: DR clear"

        ; ---- overrun without FIFOs: the new byte overwrites RBR ----
        OUTREG  COM1, THR, 0x11
        OUTREG  COM1, THR, 0x22
        mov     dx, COM1
        mov     ah, 0x40
        call    wait_lsr
        EXPECT8 bl, 0x02, "second byte came over an unread one: OE"
        INREG   COM1, LSR
        EXPECT8 al, 0x61, "reading LSR cleared OE: DR THRE TEMT"
        INREG   COM1, RBR
        EXPECT8 al, 0x22, "RBR holds the newer byte"

        ; ---- 16 bytes through the FIFOs ----
        OUTREG  COM1, FCR, 0x07         ; enable, clear both
        mov     dx, COM1 + THR
        mov     cx, 16
        mov     al, 'A'
.send:  out     dx, al
        inc     al
        loop    .send
        INREG   COM1, LSR
        EXPECT8 al, 0x00, "16 bytes queued: not THRE, not TEMT, nothing received"
        mov     dx, COM1
        mov     ah, 0x40
        call    wait_lsr
        CHECK   nc, "all 16 sent (TEMT)"
        cmp     ecx, [one_byte_polls]
        CHECK   a, "16 bytes took longer to send than one"
        INREG   COM1, LSR
        EXPECT8 al, 0x61, "all 16 received: DR THRE TEMT, no error"
        mov     di, received
        mov     cx, 16
        mov     dx, COM1 + RBR
.recv:  in      al, dx
        stosb
        loop    .recv
        mov     si, sixteen
        mov     di, received
        mov     cx, 16
        repe cmpsb
        CHECK   e, "read back ABCDEFGHIJKLMNOP in order"
        INREG   COM1, LSR
        EXPECT8 al, 0x60, "FIFO empty: DR clear"

        ; ---- 17 characters: the RX FIFO overruns ----
        ; (the first goes straight to the shift register, 16 fill the FIFO)
        mov     dx, COM1 + THR
        mov     cx, 17
        xor     al, al
.send17: out    dx, al
        inc     al
        loop    .send17
        mov     dx, COM1
        mov     ah, 0x40
        call    wait_lsr
        EXPECT8 bl, 0x02, "17th character: OE with the FIFO full"
        INREG   COM1, LSR
        EXPECT8 al, 0x61, "OE cleared by the LSR read"
        mov     dx, COM1 + RBR
        mov     cx, 16
        xor     bl, bl                  ; expected value
        xor     bh, bh                  ; mismatches
.chk17: in      al, dx
        cmp     al, bl
        je      .same
        inc     bh
.same:  inc     bl
        loop    .chk17
        EXPECT8 bh, 0, "the first 16 kept in order"
        INREG   COM1, LSR
        EXPECT8 al, 0x60, "the 17th was lost"

        ; ---- FCR clears the RX FIFO ----
        OUTREG  COM1, THR, 0x77
        OUTREG  COM1, THR, 0x78
        mov     dx, COM1
        mov     ah, 0x40
        call    wait_lsr
        INREG   COM1, LSR
        EXPECT8 al, 0x61, "two bytes waiting"
        OUTREG  COM1, FCR, 0x03         ; clear RX
        INREG   COM1, LSR
        EXPECT8 al, 0x60, "FCR bit 1 emptied the RX FIFO"

        ; ---- a break comes back as 00 with BI ----
        OUTREG  COM1, LCR, 0x43         ; 8N1 + break
        mov     dx, COM1
        mov     ah, 0x01
        call    wait_lsr
        CHECK   nc, "break received after a character time"
        EXPECT8 al, 0xF1, "LSR: FIFO error, TEMT, THRE, BI, DR"
        OUTREG  COM1, LCR, 0x03
        INREG   COM1, LSR
        EXPECT8 al, 0xE1, "BI cleared by the read; the FIFO error stays with the character"
        INREG   COM1, RBR
        EXPECT8 al, 0x00, "the break reads as 00"
        INREG   COM1, LSR
        EXPECT8 al, 0x60, "error gone with the character"

        OUTREG  COM1, MCR, 0x00
        FINISH16

        LIB16
        DEVLIB
        UART_LIB

sixteen:        db "ABCDEFGHIJKLMNOP"
fails:          dw 0
one_byte_polls: dd 0
received:       times 16 db 0
