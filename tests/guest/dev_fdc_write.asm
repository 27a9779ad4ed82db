; dev_fdc_write.asm -- writing and formatting a 1.44 MB floppy disk
; x86lab-args: -fda $BUILD/floppy/pattern-1440.img
; Writing a 1.44 MB disk through the 82077AA: WRITE
; DATA of two sectors through DMA channel 2 (8237 in read-from-memory mode)
; and READ DATA back, neighbours untouched, FORMAT TRACK through DMA (ID
; fields from memory, filler byte) and in PIO mode, a layout the image
; cannot hold, a write to a missing sector, a PIO WRITE DATA through the
; FIFO, and TC in mid-sector (the rest of the sector is zero-filled).
; tests/scripts/floppy_rw.sh runs it and then checks that the image file
; is unchanged (the writes stay in the overlay), and with cache=writeback
; that exactly these sectors changed in the file.
        org     0x7c00
        bits    16

%include "lib.inc"
%include "dev_fdc_lib.inc"

%define SRC     0x0000              ; 1 KB of test data
%define BACK    0x1000              ; read-back buffer
%define IDS     0x2000              ; FORMAT TRACK's ID fields
%define TRACK   0x4000              ; a whole track read back (9 KB)

start:
        START16
        mov     ax, BUF_SEG
        mov     es, ax

        ; the data to write: byte i = i * 7 + 3
        mov     di, SRC
        xor     cx, cx
.gen:   mov     al, cl
        mov     ah, 7
        mul     ah
        add     al, 3
        stosb
        inc     cx
        cmp     cx, 1024
        jne     .gen

        call    fdc_start

        ; ---- WRITE DATA C2 H1 R3-4 through DMA, then read back ----
        mov     ax, 0x0002
        call    seek_wait
        ; single mode, read from memory, channel 2
        DMA2    0x4A, (BUF_SEG << 4) + SRC, 1023
        RW      0xC5, 2, 1, 3, 18
        call    wait_results
        EXPECT8 [res], 0x04, "WRITE C2 H1 R3-4: ST0 04"
        EXPECT8 [res + 1], 0x00, "WRITE: ST1 00"
        EXPECT8 [res + 2], 0x00, "WRITE: ST2 00"
        EXPECT8 [res + 3], 2, "WRITE: C 2"
        EXPECT8 [res + 5], 5, "WRITE: R 5"
        call    dma_ch2_count
        EXPECT16 ax, 0xFFFF, "WRITE: DMA count exhausted"
        FILL_ES BACK, 0x800, 0
        DMA2    0x46, (BUF_SEG << 4) + BACK, 2047
        RW      0x46, 2, 1, 2, 5    ; R2-R5: one untouched on each side
        call    wait_results
        EXPECT8 [res], 0x04, "READ C2 H1 R2-5: TC at EOT is a normal end"
        EXPECT8 [res + 3], 3, "TC at EOT: C 3"
        EXPECT8 [res + 5], 1, "TC at EOT: R 1"
        mov     si, SRC
        mov     di, BACK + 512
        mov     cx, 1024
        call    compare_es
        CHECK   z, "read back R3-4: the written data"
        SECTOR_OK (2 * 2 + 1) * 18 + 1, BACK, "R2 (before) unchanged"
        SECTOR_OK (2 * 2 + 1) * 18 + 4, BACK + 1536, "R5 (after) unchanged"

        ; ---- FORMAT TRACK C3 H0 through DMA, filler E5 ----
        mov     ax, 0x0003
        call    seek_wait
        mov     di, IDS
        mov     cl, 1
.ids:   mov     al, 3
        stosb                       ; C
        mov     al, 0
        stosb                       ; H
        mov     al, cl
        stosb                       ; R
        mov     al, 2
        stosb                       ; N
        inc     cl
        cmp     cl, 19
        jne     .ids
        DMA2    0x4A, (BUF_SEG << 4) + IDS, 18 * 4 - 1
        FDC     0x4D, 0x00, 2, 18, 0x54, 0xE5
        call    wait_results
        EXPECT8 [res], 0x00, "FORMAT C3 H0: ST0 00"
        EXPECT8 [res + 1], 0x00, "FORMAT: ST1 00"
        DMA2    0x46, (BUF_SEG << 4) + TRACK, 18 * 512 - 1
        RW      0x46, 3, 0, 1, 18
        call    wait_results
        EXPECT8 [res], 0x00, "read the formatted track: ST0 00"
        mov     di, TRACK
        mov     cx, 18 * 512
        mov     al, 0xE5
        repe    scasb
        CHECK   z, "all 18 sectors hold the filler E5"
        DMA2    0x46, (BUF_SEG << 4) + BACK, 511
        RW      0x46, 3, 1, 1, 18
        call    wait_results
        SECTOR_OK (3 * 2 + 1) * 18, BACK, "the other side (C3 H1) unchanged"

        ; ---- what the image cannot hold, and missing sectors ----
        DMA2    0x4A, (BUF_SEG << 4) + IDS, 9 * 4 - 1
        FDC     0x4D, 0x00, 2, 9, 0x54, 0xF6
        call    wait_results
        EXPECT8 [res], 0x40, "FORMAT with 9 sectors on an 18-sector image: ST0 40"
        EXPECT8 [res + 1], 0x04, "FORMAT with 9 sectors: ST1 ND"
        DMA2    0x4A, (BUF_SEG << 4) + SRC, 511
        RW      0x45, 3, 0, 20, 20
        call    wait_results
        EXPECT8 [res], 0x40, "WRITE sector 20: ST0 40"
        EXPECT8 [res + 1], 0x04, "WRITE sector 20: ST1 ND"

        ; ---- PIO WRITE DATA C4 H0 R2 through the FIFO ----
        mov     ax, 0x0004
        call    seek_wait
        FDC     0x03, 0xDF, 0x03    ; SPECIFY: ND
        RW      0x45, 4, 0, 2, 2
        call    wait_int
        mov     dx, FDC_MSR
        in      al, dx
        EXPECT8 al, 0xB0, "PIO write: MSR B0 (RQM, non-DMA, to the FDC)"
        mov     si, SRC + 512
        mov     cx, 512
        call    pio_write
        EXPECT16 cx, 0, "PIO write: 512 bytes taken"
        call    fdc_results
        EXPECT8 [res], 0x40, "PIO write: ST0 40 (ends at EOT)"
        EXPECT8 [res + 1], 0x80, "PIO write: ST1 EN"
        EXPECT8 [res + 3], 5, "PIO write: C 5"

        ; ---- PIO FORMAT TRACK C4 H1, filler 6B ----
        FDC     0x4D, 0x04, 2, 18, 0x54, 0x6B
        call    wait_int
        mov     bl, 1
.pioid: mov     al, 4
        call    pio_byte
        mov     al, 1
        call    pio_byte
        mov     al, bl
        call    pio_byte
        mov     al, 2
        call    pio_byte
        inc     bl
        cmp     bl, 19
        jne     .pioid
        call    fdc_results
        EXPECT8 [res], 0x04, "PIO FORMAT C4 H1: ST0 04"
        EXPECT8 [res + 1], 0x00, "PIO FORMAT: ST1 00"
        FDC     0x03, 0xDF, 0x02    ; back to DMA

        FILL_ES BACK, 0x400, 0
        DMA2    0x46, (BUF_SEG << 4) + BACK, 511
        RW      0x46, 4, 0, 2, 18
        call    wait_results
        mov     si, SRC + 512
        mov     di, BACK
        mov     cx, 512
        call    compare_es
        CHECK   z, "PIO-written sector reads back"
        DMA2    0x46, (BUF_SEG << 4) + BACK, 511
        RW      0x46, 4, 1, 9, 18
        call    wait_results
        mov     di, BACK
        mov     cx, 512
        mov     al, 0x6B
        repe    scasb
        CHECK   z, "PIO-formatted sector holds 6B"

        ; ---- TC in mid-sector: the rest of the sector becomes zeros ----
        DMA2    0x4A, (BUF_SEG << 4) + SRC, 255
        RW      0x45, 4, 1, 1, 18
        call    wait_results
        EXPECT8 [res], 0x04, "WRITE 256 bytes (TC mid-sector): ST0 04"
        EXPECT8 [res + 5], 2, "TC mid-sector: R 2"
        FILL_ES BACK, 0x400, 0xAA
        DMA2    0x46, (BUF_SEG << 4) + BACK, 511
        RW      0x46, 4, 1, 1, 18
        call    wait_results
        mov     si, SRC
        mov     di, BACK
        mov     cx, 256
        call    compare_es
        CHECK   z, "TC mid-sector: the first 256 bytes written"
        mov     di, BACK + 256
        mov     cx, 256
        mov     al, 0
        repe    scasb
        CHECK   z, "TC mid-sector: the rest zero-filled"

        jmp     finish

; pio_byte: AL to the FIFO once MSR shows RQM, NDM and DIO=0
pio_byte:
        push    ecx
        push    dx
        push    ax
        mov     dx, FDC_MSR
        mov     ecx, POLL_LIMIT
.wait:  in      al, dx
        and     al, 0xE0
        cmp     al, 0xA0
        je      .go
        dec     ecx
        jnz     .wait
        mov     si, .msg
        jmp     timeout
.go:    pop     ax
        mov     dx, FDC_FIFO
        out     dx, al
        pop     dx
        pop     ecx
        ret
.msg:   db "pio_byte", 0

; pio_write: CX bytes from ES:SI through the FIFO; CX = bytes not taken
pio_write:
.next:  mov     al, [es:si]
        call    pio_byte
        inc     si
        loop    .next
        ret

        LIB16
        DEVLIB
        FDCLIB
        FDCDATA
