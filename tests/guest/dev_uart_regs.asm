; dev_uart_regs.asm -- the 16550A register file of COM1 and COM2 with
; nothing plugged in: reset values, which bits IER and MCR keep, LCR and
; SCR round trips, the divisor latch behind DLAB (and a 16-bit read of
; it), FCR's effect on IIR bits 7:6, loopback feeding MCR's outputs to
; MSR with delta bits, and no UART at COM3's address.
        org     0x7c00
        bits    16

%include "lib.inc"
%include "dev_uart_lib.inc"

start:
        START16 0x6000                  ; stack off the code page (no SMC flushes)

        ; ---- reset values ----
        INREG   COM1, IER
        EXPECT8 al, 0x00, "COM1 IER 00 at reset"
        INREG   COM1, IIR
        EXPECT8 al, 0x01, "COM1 IIR 01: no interrupt, FIFOs off"
        INREG   COM1, LCR
        EXPECT8 al, 0x00, "COM1 LCR 00"
        INREG   COM1, MCR
        EXPECT8 al, 0x00, "COM1 MCR 00"
        INREG   COM1, LSR
        EXPECT8 al, 0x60, "COM1 LSR 60: THRE and TEMT"
        INREG   COM1, MSR
        EXPECT8 al, 0x00, "COM1 MSR 00: nothing plugged in (no CTS DSR DCD)"
        INREG   COM2, IIR
        EXPECT8 al, 0x01, "COM2 IIR 01"
        INREG   COM2, LSR
        EXPECT8 al, 0x60, "COM2 LSR 60"
        mov     dx, 0x3E8 + LSR
        in      al, dx
        EXPECT8 al, 0xFF, "no COM3: its LSR port floats to FF"

        ; ---- plain read/write registers ----
        OUTREG  COM1, SCR, 0x55
        INREG   COM1, SCR
        EXPECT8 al, 0x55, "SCR 55 round trip"
        OUTREG  COM1, SCR, 0xAA
        INREG   COM1, SCR
        EXPECT8 al, 0xAA, "SCR AA round trip"
        OUTREG  COM2, SCR, 0x3C
        INREG   COM1, SCR
        EXPECT8 al, 0xAA, "COM2's SCR is a different register"
        OUTREG  COM1, LCR, 0x1B
        INREG   COM1, LCR
        EXPECT8 al, 0x1B, "LCR 1B (8 bits, even parity) round trip"
        OUTREG  COM1, IER, 0xFF
        INREG   COM1, IER
        EXPECT8 al, 0x0F, "IER keeps bits 3-0"
        OUTREG  COM1, IER, 0x00
        OUTREG  COM1, MCR, 0x0F
        INREG   COM1, MCR
        EXPECT8 al, 0x0F, "MCR 0F round trip"
        OUTREG  COM1, MCR, 0xE0
        INREG   COM1, MCR
        EXPECT8 al, 0x00, "MCR bits 7-5 read as 0"

        ; ---- divisor latch ----
        OUTREG  COM1, LCR, 0x83         ; DLAB, 8N1
        OUTREG  COM1, DLL, 0x34
        OUTREG  COM1, DLM, 0x12
        INREG   COM1, DLL
        EXPECT8 al, 0x34, "DLL 34 with DLAB"
        INREG   COM1, DLM
        EXPECT8 al, 0x12, "DLM 12 with DLAB"
        mov     dx, COM1
        in      ax, dx
        cmp     ax, 0x1234
        CHECK   e, "16-bit IN reads DLL and DLM together (1234)"
        INREG   COM1, IIR
        EXPECT8 al, 0x01, "DLAB does not hide IIR"
        OUTREG  COM1, LCR, 0x03
        OUTREG  COM1, IER, 0x05
        INREG   COM1, IER
        EXPECT8 al, 0x05, "DLAB off: offset 1 is IER again"
        OUTREG  COM1, IER, 0x00
        OUTREG  COM1, LCR, 0x83
        INREG   COM1, DLM
        EXPECT8 al, 0x12, "the IER write left DLM alone"
        OUTREG  COM1, DLM, 0x00
        OUTREG  COM1, DLL, 0x01         ; 115200 baud
        OUTREG  COM1, LCR, 0x03

        ; ---- FIFO control and IIR's FIFO bits ----
        OUTREG  COM1, FCR, 0xC7
        INREG   COM1, IIR
        EXPECT8 al, 0xC1, "FIFOs on: IIR C1"
        OUTREG  COM1, FCR, 0x00
        INREG   COM1, IIR
        EXPECT8 al, 0x01, "FIFOs off: IIR 01"

        ; ---- loopback: MCR outputs to MSR inputs ----
        OUTREG  COM1, MCR, 0x10         ; loop, all outputs off
        INREG   COM1, MSR
        EXPECT8 al, 0x00, "loopback, outputs off: MSR 00"
        OUTREG  COM1, MCR, 0x1F         ; DTR RTS OUT1 OUT2
        INREG   COM1, MSR
        EXPECT8 al, 0xFB, "DTR RTS OUT1 OUT2 -> DSR CTS RI DCD with deltas (no TERI on a rise)"
        INREG   COM1, MSR
        EXPECT8 al, 0xF0, "reading MSR cleared the deltas"
        OUTREG  COM1, MCR, 0x1B         ; OUT1 off: RI falls
        INREG   COM1, MSR
        EXPECT8 al, 0xB4, "RI fell: TERI"
        OUTREG  COM1, MCR, 0x19         ; RTS off
        INREG   COM1, MSR
        EXPECT8 al, 0xA1, "CTS fell: DCTS"
        OUTREG  COM1, MCR, 0x00
        INREG   COM1, MSR
        EXPECT8 al, 0x0A, "out of loopback, nothing plugged in: DSR DCD fell"

        ; ---- a register write on COM1 leaves COM2 at its reset values ----
        INREG   COM2, LCR
        EXPECT8 al, 0x00, "COM2 LCR still 00"
        INREG   COM2, MCR
        EXPECT8 al, 0x00, "COM2 MCR still 00"

        FINISH16

        LIB16
        DEVLIB
        UART_LIB

fails:  dw      0
