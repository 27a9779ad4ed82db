; dev_fdc_read.asm -- reading a 1.44 MB disk through the 82077AA
; x86lab-args: -fda $BUILD/floppy/pattern-1440.img
; Reading a 1.44 MB disk through the 82077AA, polling
; (MSR, SRA's INT bit): disk change cleared by a step, READ ID, READ DATA of
; several sectors through DMA channel 2 programmed as a BIOS does, checked
; against the image's pattern, with the 8237's TC, count and address
; afterwards; a multi-track read across the heads, the end of the cylinder
; without TC (EN), missing sectors (ND, wrong cylinder), wrong data rate
; and motor off (MA), no DMA service (OR), implied seek, and a PIO read
; through the FIFO (SPECIFY ND).
; Needs the image tests/scripts/floppy_rw.sh makes (the pattern of
; dev_fdc_lib.inc); the script runs this test.
        org     0x7c00
        bits    16

%include "lib.inc"
%include "dev_fdc_lib.inc"

start:
        START16
        mov     ax, BUF_SEG
        mov     es, ax

        call    fdc_start
        EXPECT8 [res], 0x20, "RECALIBRATE: ST0 20"

        ; ---- disk change: set since power-on, cleared by a step ----
        mov     dx, FDC_DIR
        in      al, dx
        and     al, 0x80
        EXPECT8 al, 0x80, "DIR: disk change after power-on"
        mov     ax, 0x0001
        call    seek_wait
        mov     ax, 0x0000
        call    seek_wait
        EXPECT8 [res + 1], 0, "back on cylinder 0"
        mov     dx, FDC_DIR
        in      al, dx
        and     al, 0x80
        EXPECT8 al, 0x00, "DIR: a step clears disk change"
        FDC     0x04, 0x00
        call    fdc_results
        EXPECT8 [res], 0x38, "ST3: track 0, not write-protected"

        ; ---- READ ID ----
        FDC     0x4A, 0x00
        call    wait_results
        EXPECT8 [res], 0x00, "READ ID: ST0 00"
        EXPECT8 [res + 1], 0x00, "READ ID: ST1 00"
        EXPECT8 [res + 3], 0, "READ ID: C 0"
        EXPECT8 [res + 4], 0, "READ ID: H 0"
        EXPECT8 [res + 6], 2, "READ ID: N 2 (512 bytes)"
        mov     al, [res + 5]
        dec     al
        cmp     al, 18
        setb    al
        EXPECT8 al, 1, "READ ID: R in 1..18"

        ; ---- READ DATA: three sectors of cylinder 0 through DMA ----
        FILL_ES 0, 0x800, 0xCC
        ; single mode, write to memory, channel 2
        DMA2    0x46, BUF_SEG << 4, 3 * 512 - 1
        RW      0x46, 0, 0, 1, 18
        mov     dx, FDC_MSR
        in      al, dx
        EXPECT8 al, 0x10, "executing (DMA): MSR 10"
        call    wait_int
        mov     dx, FDC_MSR
        in      al, dx
        EXPECT8 al, 0xD0, "result phase: MSR D0"
        call    fdc_results
        EXPECT16 [nres], 7, "READ: seven result bytes"
        EXPECT8 [res], 0x00, "READ C0 H0 R1 x3: ST0 00"
        EXPECT8 [res + 1], 0x00, "READ: ST1 00"
        EXPECT8 [res + 2], 0x00, "READ: ST2 00"
        EXPECT8 [res + 3], 0, "READ: C 0"
        EXPECT8 [res + 4], 0, "READ: H 0"
        EXPECT8 [res + 5], 4, "READ: R 4 (next sector)"
        EXPECT8 [res + 6], 2, "READ: N 2"
        SECTORS_OK 0, 3, 0, "sectors 0-2 hold the image's data"
        EXPECT8 [es:0x600], 0xCC, "nothing written past the DMA count"
        in      al, 0x08
        and     al, 0x04
        EXPECT8 al, 0x04, "8237 status: TC on channel 2"
        in      al, 0x08
        and     al, 0x04
        EXPECT8 al, 0x00, "reading the status cleared TC"
        call    dma_ch2_count
        EXPECT16 ax, 0xFFFF, "channel 2 count after TC: FFFF"
        call    dma_ch2_addr
        EXPECT16 ax, 0x0600, "channel 2 address after 1536 bytes"
        in      al, 0x0F
        and     al, 0x04
        EXPECT8 al, 0x04, "channel 2 masked at TC (no auto-init)"

        ; ---- multi-track: cylinder 5, head 0 sectors 17-18, head 1 1-2 ----
        mov     ax, 0x0005
        call    seek_wait
        EXPECT8 [res], 0x20, "SEEK 5: ST0 20"
        DMA2    0x46, BUF_SEG << 4, 4 * 512 - 1
        RW      0xC6, 5, 0, 17, 18
        call    wait_results
        EXPECT8 [res], 0x04, "MT read: ST0 04 (ended on head 1)"
        EXPECT8 [res + 1], 0x00, "MT read: ST1 00"
        EXPECT8 [res + 3], 5, "MT read: C 5"
        EXPECT8 [res + 4], 1, "MT read: H 1"
        EXPECT8 [res + 5], 3, "MT read: R 3"
        SECTORS_OK (5 * 2 + 0) * 18 + 16, 4, 0, "MT read: LBA 196-199 across the heads"

        ; ---- end of cylinder without TC: EN, and the DMA count left ----
        DMA2    0x46, BUF_SEG << 4, 3 * 512 - 1
        RW      0x46, 5, 0, 17, 18
        call    wait_results
        EXPECT8 [res], 0x40, "past EOT: ST0 40 (abnormal)"
        EXPECT8 [res + 1], 0x80, "past EOT: ST1 EN"
        EXPECT8 [res + 3], 6, "past EOT: C 6"
        EXPECT8 [res + 5], 1, "past EOT: R 1"
        call    dma_ch2_count
        EXPECT16 ax, 0x01FF, "one sector left in the DMA count"
        SECTORS_OK 196, 2, 0, "past EOT: the two sectors before EOT arrived"
        DMA2    0x46, BUF_SEG << 4, 4 * 512 - 1
        RW      0xC6, 5, 1, 18, 18
        call    wait_results
        EXPECT8 [res], 0x44, "MT past EOT of head 1: ST0 44"
        EXPECT8 [res + 1], 0x80, "MT past EOT of head 1: ST1 EN"
        EXPECT8 [res + 3], 6, "MT past EOT of head 1: C 6"
        EXPECT8 [res + 4], 0, "MT past EOT of head 1: H 0"
        EXPECT8 [res + 5], 1, "MT past EOT of head 1: R 1"

        ; ---- sectors that are not there ----
        DMA2    0x46, BUF_SEG << 4, 511
        RW      0x46, 5, 0, 19, 19
        call    wait_results
        EXPECT8 [res], 0x40, "sector 19: ST0 40"
        EXPECT8 [res + 1], 0x04, "sector 19: ST1 ND"
        EXPECT8 [res + 2], 0x00, "sector 19: ST2 00"
        EXPECT8 [res + 5], 19, "sector 19: R 19"
        RW      0x46, 7, 0, 1, 18
        call    wait_results
        EXPECT8 [res + 1], 0x04, "cylinder 7 with the head on 5: ST1 ND"
        EXPECT8 [res + 2], 0x10, "cylinder 7 with the head on 5: ST2 WC"
        FDC     0x46, 0x00, 5, 0, 1, 3, 18, 0x1B, 0xFF
        call    wait_results
        EXPECT8 [res + 1], 0x04, "N 3 (1 KB sectors): ST1 ND"
        FDC     0x46, 0x00, 5, 1, 1, 2, 18, 0x1B, 0xFF
        call    wait_results
        EXPECT8 [res + 1], 0x04, "H 1 in the ID with head 0 selected: ST1 ND"

        ; ---- no ID fields at all: wrong rate, motor off, FM ----
        mov     dx, FDC_CCR
        mov     al, 0x02            ; 250 kbps: a 720 KB rate
        out     dx, al
        RW      0x46, 5, 0, 1, 18
        call    wait_results
        EXPECT8 [res], 0x40, "250 kbps on 1.44 MB media: ST0 40"
        EXPECT8 [res + 1], 0x01, "250 kbps on 1.44 MB media: ST1 MA"
        mov     al, 0x00
        out     dx, al
        mov     dx, FDC_DOR
        mov     al, 0x0C            ; motor off
        out     dx, al
        RW      0x46, 5, 0, 1, 18
        call    wait_results
        EXPECT8 [res + 1], 0x01, "motor off: ST1 MA"
        mov     al, 0x1C
        out     dx, al
        RW      0x06, 5, 0, 1, 18   ; FM
        call    wait_results
        EXPECT8 [res + 1], 0x01, "FM on an MFM disk: ST1 MA"

        ; ---- no DMA service: the FIFO overruns ----
        DMA2    0x46, BUF_SEG << 4, 511
        OUTB    0xD4, 0x04          ; mask channel 4: the cascade is cut
        RW      0x46, 5, 0, 1, 18
        call    wait_results
        EXPECT8 [res], 0x40, "channel 4 masked: ST0 40"
        EXPECT8 [res + 1], 0x10, "channel 4 masked: ST1 OR"
        call    dma_ch2
        mov     dx, FDC_DOR
        mov     al, 0x14            ; DMA gate off: no DRQ/DACK
        out     dx, al
        RW      0x46, 5, 0, 1, 18
        call    wait_results
        EXPECT8 [res + 1], 0x10, "DOR DMA gate off: ST1 OR"
        mov     al, 0x1C
        out     dx, al

        ; ---- implied seek (CONFIGURE EIS) ----
        FDC     0x13, 0x00, 0x60, 0x00
        DMA2    0x46, BUF_SEG << 4, 511
        RW      0x46, 10, 0, 1, 18
        call    wait_results
        EXPECT8 [res], 0x20, "implied seek to 10: ST0 20 (SE)"
        EXPECT8 [res + 1], 0x00, "implied seek: ST1 00"
        SECTOR_OK 10 * 2 * 18, 0, "implied seek: sector C10 H0 R1"
        FDC     0x13, 0x00, 0x20, 0x00
        FDC     0x0E
        call    fdc_results
        EXPECT8 [res], 10, "implied seek moved PCN to 10"

        ; ---- PIO (non-DMA) read of two sectors through the FIFO ----
        FDC     0x03, 0xDF, 0x03    ; SPECIFY: ND
        FILL_ES 0, 0x400, 0
        RW      0x46, 10, 1, 5, 6
        mov     dx, FDC_MSR
        in      al, dx
        EXPECT8 al, 0x30, "PIO before data: MSR 30 (busy, non-DMA)"
        call    wait_int
        in      al, dx
        EXPECT8 al, 0xF0, "PIO data ready: MSR F0"
        mov     di, 0
        call    pio_read
        EXPECT16 di, 1024, "PIO: 1024 data bytes"
        call    fdc_results
        EXPECT8 [res], 0x44, "PIO read: ST0 44 (no TC in PIO: ends at EOT)"
        EXPECT8 [res + 1], 0x80, "PIO read: ST1 EN"
        EXPECT8 [res + 3], 11, "PIO read: C 11"
        EXPECT8 [res + 5], 1, "PIO read: R 1"
        SECTORS_OK (10 * 2 + 1) * 18 + 4, 2, 0, "PIO read: sectors C10 H1 R5-6"
        FDC     0x03, 0xDF, 0x02

        jmp     finish

; pio_read: reads data bytes into ES:DI while MSR shows RQM, DIO and NDM
; (the execution phase); stops when NDM goes (the result phase).
pio_read:
        mov     dx, FDC_MSR
        mov     ecx, POLL_LIMIT
.wait:  in      al, dx
        test    al, 0x80
        jnz     .rqm
        dec     ecx
        jnz     .wait
        mov     si, .msg
        jmp     timeout
.rqm:   test    al, 0x20
        jz      .done
        mov     dx, FDC_FIFO
        in      al, dx
        stosb
        mov     dx, FDC_MSR
        mov     ecx, POLL_LIMIT
        jmp     .wait
.done:  ret
.msg:   db "pio_read", 0

        LIB16
        DEVLIB
        FDCLIB
        FDCDATA
