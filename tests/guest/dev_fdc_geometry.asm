; dev_fdc_geometry.asm -- floppy media detection (run by floppy_media.sh)
; x86lab-args: -fda $BUILD/floppy/pattern-1440.img
; Media detection as a BIOS or driver does it, on
; whatever disk is in drive A: the data rate (READ ID at 500, 250, 1000 and
; 300 kbps), sectors per track (the largest of 36, 18, 15, 9 that READ
; DATA finds), tracks (80 if cylinder 79 has IDs, else 40) and heads; then
; the last sector of the disk read and checked against the image pattern,
; the sector after the last one missing (ND), and the last sector written
; and read back.  It prints "geometry TRACKS/HEADS/SPT rate R" and the
; CMOS drive-type byte ("cmos 10h XX");
; tests/scripts/floppy_media.sh runs it on every image size and checks that
; line.
        org     0x7c00
        bits    16

%include "lib.inc"
%include "dev_fdc_lib.inc"

start:
        START16
        mov     ax, BUF_SEG
        mov     es, ax

        call    fdc_reset_ctl
        FDC     0x03, 0xDF, 0x02
        call    recal_wait

        ; ---- data rate: the first that finds ID fields ----
        mov     si, rates
.rate:  lodsb
        cmp     al, 0xFF
        je      .norate
        mov     [rate], al
        mov     dx, FDC_CCR
        out     dx, al
        FDC     0x4A, 0x00
        call    wait_results
        test    byte [res], 0xC0
        jnz     .rate
        jmp     .rated
.norate:
        inc     word [fails]
        mov     si, msg_norate
        call    puts16
        jmp     finish
.rated:

        ; ---- sectors per track: the largest R that READ DATA finds ----
        mov     si, spts
.spt:   lodsb
        test    al, al
        jz      .nospt
        mov     [spt], al
        mov     bl, al              ; C 0, H 0, R = the candidate
        mov     ax, 0
        call    read_one
        test    byte [res], 0xC0
        jnz     .spt
        jmp     .spted
.nospt: inc     word [fails]
        mov     si, msg_nospt
        call    puts16
        jmp     finish
.spted:

        ; ---- heads: are there IDs on head 1 of cylinder 0? ----
        FDC     0x4A, 0x04
        call    wait_results
        mov     byte [heads], 2
        test    byte [res], 0xC0
        jz      .headed
        mov     byte [heads], 1
.headed:

        ; ---- tracks: are there IDs on cylinder 79? ----
        mov     ax, 79
        call    seek_wait
        FDC     0x4A, 0x00
        call    wait_results
        mov     byte [tracks], 80
        test    byte [res], 0xC0
        jz      .tracked
        mov     byte [tracks], 40
.tracked:

        mov     si, msg_geom
        call    puts16
        mov     al, [tracks]
        call    dec8
        mov     al, '/'
        out     DEBUGCON, al
        mov     al, [heads]
        call    dec8
        mov     al, '/'
        out     DEBUGCON, al
        mov     al, [spt]
        call    dec8
        mov     si, msg_rate
        call    puts16
        mov     al, [rate]
        call    dec8
        mov     al, 10
        out     DEBUGCON, al
        mov     si, msg_cmos        ; the drive types the board gave the CMOS
        call    puts16
        mov     al, 0x10
        out     0x70, al
        in      al, 0x71
        call    hex8
        mov     al, 10
        out     DEBUGCON, al

        ; ---- the last sector: C tracks-1, H heads-1, R spt ----
        mov     al, [tracks]
        dec     al
        mov     ah, 0
        call    seek_wait
        mov     al, [tracks]
        dec     al
        mov     ah, [heads]
        dec     ah
        mov     bl, [spt]
        call    read_one
        EXPECT8 [res], 0x04, "last sector: ST0 04"
        EXPECT8 [res + 1], 0x00, "last sector: ST1 00"
        mov     al, [tracks]
        mul     byte [heads]
        mul     byte [spt]          ; AX = sectors on the disk
        dec     ax
        mov     di, 0
        call    verify_sector
        CHECK   z, "last sector: the image's last 512 bytes"
        mov     al, [tracks]
        dec     al
        mov     ah, 1
        mov     bl, [spt]
        inc     bl
        call    read_one
        EXPECT8 [res + 1], 0x04, "the sector after the last: ST1 ND"

        ; ---- write the last sector, read it back ----
        FILL_ES 0, 512, 0x3C
        mov     al, [tracks]
        dec     al
        mov     [cmd_rw + 2], al
        mov     byte [cmd_rw + 3], 1
        mov     al, [spt]
        mov     [cmd_rw + 4], al
        mov     [cmd_rw + 6], al
        mov     byte [cmd_rw], 0x45
        mov     byte [cmd_rw + 1], 0x04
        DMA2    0x4A, BUF_SEG << 4, 511
        mov     si, cmd_rw
        mov     cx, 9
        call    fdc_block
        call    wait_results
        EXPECT8 [res], 0x04, "WRITE last sector: ST0 04 (TC at EOT: normal end)"
        EXPECT8 [res + 1], 0x00, "WRITE last sector: ST1 00"
        FILL_ES 0, 512, 0
        mov     al, [tracks]
        dec     al
        mov     ah, 1
        mov     bl, [spt]
        call    read_one
        mov     di, 0
        mov     cx, 512
        mov     al, 0x3C
        repe    scasb
        CHECK   z, "last sector reads back what was written"

        jmp     finish

; read_one: READ DATA of one sector, C=AL H=AH R=BL, EOT=R, through DMA
; into BUF_SEG:0; waits and reads the result into [res].
read_one:
        pusha
        mov     byte [cmd_rw], 0x46
        mov     [cmd_rw + 2], al
        mov     [cmd_rw + 3], ah
        shl     ah, 2
        mov     [cmd_rw + 1], ah
        mov     [cmd_rw + 4], bl
        mov     [cmd_rw + 6], bl
        DMA2    0x46, BUF_SEG << 4, 511
        mov     si, cmd_rw
        mov     cx, 9
        call    fdc_block
        call    wait_results
        popa
        ret

; dec8: print AL in decimal
dec8:
        pusha
        mov     ah, 0
        mov     bl, 10
        xor     cx, cx
.div:   div     bl
        push    ax
        inc     cx
        mov     ah, 0
        test    al, al
        jnz     .div
.out:   pop     ax
        mov     al, ah
        add     al, '0'
        out     DEBUGCON, al
        loop    .out
        popa
        ret

rates:  db 0, 2, 3, 1, 0xFF
spts:   db 36, 18, 15, 9, 0
rate:   db 0
spt:    db 0
tracks: db 0
heads:  db 0
cmd_rw: db 0x46, 0, 0, 0, 1, 2, 18, 0x1B, 0xFF
msg_geom:   db "geometry ", 0
msg_rate:   db " rate ", 0
msg_cmos:   db "cmos 10h ", 0
msg_norate: db "FAIL no data rate finds ID fields", 10, 0
msg_nospt:  db "FAIL no sector count fits", 10, 0

        LIB16
        DEVLIB
        FDCLIB
        FDCDATA
