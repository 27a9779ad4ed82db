; dev_fdc_irq.asm -- the floppy controller driven by IRQ 6
; x86lab-args: -fda $BUILD/floppy/pattern-1440.img
; The floppy controller driven by IRQ 6 through the 8259A
; (vector 0x0E), waiting with STI;HLT as a driver does: one interrupt for
; the reset (four SENSE INTERRUPT reports), one per SEEK, one at the end of
; a DMA READ DATA; the DOR's DMA gate holding the interrupt back until it
; opens; and an interrupt-driven PIO read (an interrupt per sector, one
; for the result phase).
; tests/scripts/floppy_rw.sh runs it.
        org     0x7c00
        bits    16

%include "lib.inc"
%include "dev_fdc_lib.inc"

start:
        START16
        mov     ax, BUF_SEG
        mov     es, ax
        SETVEC16 0x0E, irq6
        SETVEC16 0x0F, irq7

        ; 8259A pair: master at vector 8, slave at 0x70; only IRQ 6 open
        PIC_PAIR 0x08, 0x70, 0xBF, 0xFF
        sti

        ; ---- reset: one interrupt, four reports ----
        mov     dx, FDC_DOR
        mov     al, 0x00
        out     dx, al
        mov     al, 0x1C
        out     dx, al
        mov     al, 0
        call    wait_irq
        EXPECT8 [irqs], 1, "reset: IRQ 6"
        call    sense_int
        EXPECT8 [res], 0xC0, "reset: ST0 C0"
        call    sense_int
        call    sense_int
        call    sense_int
        EXPECT8 [res], 0xC3, "reset: ST0 C3"
        EXPECT8 [irqs], 1, "one interrupt for the four reports"

        mov     dx, FDC_CCR
        mov     al, 0x00
        out     dx, al
        FDC     0x03, 0xDF, 0x02

        ; ---- SEEK: interrupt when the head arrives ----
        FDC     0x0F, 0x00, 3
        mov     al, 1
        call    wait_irq
        EXPECT8 [irqs], 2, "SEEK: IRQ 6"
        call    sense_int
        EXPECT8 [res], 0x20, "SEEK: ST0 20"
        EXPECT8 [res + 1], 3, "SEEK: PCN 3"

        ; ---- DMA READ DATA: interrupt at the result phase ----
        DMA2    0x46, BUF_SEG << 4, 2 * 512 - 1
        FDC     0x46, 0x00, 3, 0, 7, 2, 18, 0x1B, 0xFF
        mov     al, 2
        call    wait_irq
        EXPECT8 [irqs], 3, "READ DATA: IRQ 6"
        call    fdc_results
        EXPECT8 [res], 0x00, "READ DATA: ST0 00"
        EXPECT8 [res + 5], 9, "READ DATA: R 9"
        SECTORS_OK 3 * 2 * 18 + 6, 2, 0, "interrupt-driven DMA read: sectors C3 H0 R7-8"

        ; ---- the DOR's DMA gate holds INT back from the PIC ----
        mov     dx, FDC_DOR
        mov     al, 0x14            ; gate closed
        out     dx, al
        FDC     0x4A, 0x00          ; READ ID
        call    wait_int            ; INT pending inside the controller...
        EXPECT8 [irqs], 3, "gate closed: no IRQ 6"
        mov     dx, FDC_DOR
        mov     al, 0x1C            ; ...reaches the PIC when the gate opens
        out     dx, al
        mov     al, 3
        call    wait_irq
        EXPECT8 [irqs], 4, "gate opened: IRQ 6"
        call    fdc_results
        EXPECT8 [res], 0x00, "READ ID: ST0 00"
        EXPECT8 [res + 3], 3, "READ ID: C 3"

        ; ---- interrupt-driven PIO read of two sectors ----
        FDC     0x03, 0xDF, 0x03    ; SPECIFY: ND
        FDC     0x46, 0x04, 3, 1, 1, 2, 2, 0x1B, 0xFF
        mov     di, 0
        mov     al, 4
        call    wait_irq
        EXPECT8 [irqs], 5, "PIO: IRQ for sector 1"
        call    pio_sector
        mov     al, 5
        call    wait_irq
        EXPECT8 [irqs], 6, "PIO: IRQ for sector 2"
        call    pio_sector
        mov     al, 6
        call    wait_irq
        EXPECT8 [irqs], 7, "PIO: IRQ for the result phase"
        call    fdc_results
        EXPECT8 [res], 0x44, "PIO: ST0 44"
        EXPECT8 [res + 1], 0x80, "PIO: ST1 EN"
        SECTORS_OK (3 * 2 + 1) * 18, 2, 0, "interrupt-driven PIO read: sectors C3 H1 R1-2"
        EXPECT8 [spurious], 0, "no spurious IRQ 7"

        jmp     finish

; wait_irq: sleeps (STI;HLT) until [irqs] differs from AL
wait_irq:
.wait:  cli
        cmp     [irqs], al
        jne     .done
        sti
        hlt
        jmp     .wait
.done:  sti
        ret

; pio_sector: reads 512 bytes from the FIFO into ES:DI (MSR RQM+DIO+NDM)
pio_sector:
        mov     cx, 512
.next:  mov     dx, FDC_MSR
.wait:  in      al, dx
        and     al, 0xE0
        cmp     al, 0xE0
        jne     .wait
        mov     dx, FDC_FIFO
        in      al, dx
        stosb
        loop    .next
        ret

irq6:
        inc     byte [cs:irqs]
        jmp     eoi_master_iret

irq7:
        inc     byte [cs:spurious]
        iret

irqs:     db 0
spurious: db 0

        LIB16
        DEVLIB
        FDCLIB
        FDCDATA
