; bt_dma.asm -- DMA over translated code: a routine is run (under
; --engine=bt --bt-threshold=0 it is translated at its first call), new
; code is written to the floppy with WRITE DATA (8237 channel 2 reading
; memory), then READ DATA brings that sector back by DMA over the page
; holding the routine; the next call must run the new code (the device's
; write into RAM invalidated the translation).  Passes in the
; interpreter too (tests/run-all.sh runs both engines).
; x86lab-args: -fda $BUILD/floppy/pattern-1440.img
        org     0x7c00
        bits    16

%include "lib.inc"
%include "dev_fdc_lib.inc"

%define ROUTINE 0x9000              ; its own page, below 64 KiB

start:
        START16
        mov     ax, BUF_SEG
        mov     es, ax

        mov     cx, 5
.warm:  call    ROUTINE                 ; translated, then chained/looked up
        loop    .warm
        cmp     ax, 0x2222
        CHECK16 e, "the routine before the DMA"

        ; the sector to write: the new routine, then NOPs
        FILL_ES 0, 512, 0x90
        mov     si, new_code
        xor     di, di
        mov     cx, new_code_end - new_code
        rep     movsb

        call    fdc_start
        DMA2    0x4A, (BUF_SEG << 4), 511
        RW      0x45, 0, 0, 1, 1
        call    wait_results
        EXPECT8 [res], 0x00, "WRITE DATA C0 H0 R1: ST0 00"

        DMA2    0x46, ROUTINE, 511
        RW      0x46, 0, 0, 1, 1
        call    wait_results
        EXPECT8 [res], 0x00, "READ DATA over the routine's page: ST0 00"

        mov     cx, 3
.again: call    ROUTINE
        loop    .again
        cmp     ax, 0x1111
        CHECK16 e, "DMA over translated code: the new code runs"
        FINISH16

new_code:
        mov     ax, 0x1111
        ret
new_code_end:

        LIB16
        DEVLIB
        FDCLIB
        FDCDATA

        times ROUTINE - 0x7c00 - ($ - $$) db 0
routine:
        mov     ax, 0x2222
        ret
