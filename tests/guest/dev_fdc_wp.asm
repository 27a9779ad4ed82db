; dev_fdc_wp.asm -- a write-protected floppy disk
; x86lab-args: -fda $BUILD/floppy/pattern-1440.img,readonly=on
; A write-protected disk (-fda FILE,readonly=on): SENSE
; DRIVE STATUS and SRA show the write protection, WRITE DATA and FORMAT
; TRACK end with ST1 NW and change nothing, READ DATA still works.
; tests/scripts/floppy_rw.sh runs it.
        org     0x7c00
        bits    16

%include "lib.inc"
%include "dev_fdc_lib.inc"

start:
        START16
        mov     ax, BUF_SEG
        mov     es, ax

        call    fdc_start

        FDC     0x04, 0x00
        call    fdc_results
        EXPECT8 [res], 0x78, "ST3: write-protected, track 0"
        mov     dx, FDC_SRA
        in      al, dx
        and     al, 0x02
        EXPECT8 al, 0x00, "SRA: /WP active"

        FILL_ES 0, 512, 0x11
        DMA2    0x4A, BUF_SEG << 4, 511
        FDC     0x45, 0x00, 0, 0, 1, 2, 18, 0x1B, 0xFF
        call    wait_results
        EXPECT8 [res], 0x40, "WRITE on a protected disk: ST0 40"
        EXPECT8 [res + 1], 0x02, "WRITE on a protected disk: ST1 NW"
        call    dma_ch2_count
        EXPECT16 ax, 511, "no DMA cycles for a refused write"

        FDC     0x4D, 0x00, 2, 18, 0x54, 0xE5
        call    wait_results
        EXPECT8 [res + 1], 0x02, "FORMAT on a protected disk: ST1 NW"

        DMA2    0x46, BUF_SEG << 4, 511
        FDC     0x46, 0x00, 0, 0, 1, 2, 18, 0x1B, 0xFF
        call    wait_results
        EXPECT8 [res], 0x00, "READ on a protected disk: ST0 00"
        SECTOR_OK 0, 0, "sector 0 unchanged"

        jmp     finish

        LIB16
        DEVLIB
        FDCLIB
        FDCDATA
