; dev_ata_rw.asm -- PIO sector transfers on a blank 64 MiB disk (131072
; sectors, writes kept in memory): WRITE/READ SECTORS with LBA28 and the
; registers afterwards, READ/WRITE MULTIPLE with SET MULTIPLE MODE (blocks
; of 4, bad counts refused), CHS addressing with the default translation
; and after INITIALIZE DEVICE PARAMETERS (IDENTIFY words 54-58 follow),
; bad CHS addresses, out-of-range LBAs (IDNF, no data phase) for reads,
; writes, READ VERIFY and SEEK, a sector count of 0 (256 sectors), 32-bit
; data port writes, SET FEATURES transfer modes, FLUSH CACHE (EXT).
; x86lab-args: -drive size=64M
        org     0x7c00
        bits    16

%include "lib.inc"
%include "dev_ata_lib.inc"

%define IDBUF 0xC000
%define LAST  131071

start:
        START16
        mov     ax, 0x2000
        mov     es, ax
        call    ata_primary
        call    fill_pattern
        mov     al, 0xE0
        call    ata_select

        ; ---- reading the data port with no transfer ----
        mov     dx, [ata_io]
        in      ax, dx
        EXPECT16 ax, 0xFFFF, "data port without DRQ reads FFFF"

        ; ---- WRITE SECTORS / READ SECTORS, LBA28 ----
        CMD28   1000, 8, 0xE030
        call    ata_altstatus
        EXPECT8 al, 0x58, "WRITE SECTORS: DRQ at once for the first block"
        PIO_OUT WBUF, 8, 1
        CHECK   nc, "WRITE SECTORS 1000+8: eight blocks accepted"
        EXPECT8 al, 0x50, "WRITE SECTORS: DRDY|DSC at the end"
        EXPECT16 [blocks], 8, "WRITE SECTORS: one DRQ block per sector"
        INP     ATA_NSECT
        EXPECT8 al, 0x00, "after the write: sector count 0"
        INP     ATA_LBAL
        EXPECT8 al, 0xF0, "after the write: LBA low of 1000+8 = 3F0h"
        INP     ATA_LBAM
        EXPECT8 al, 0x03, "after the write: LBA mid of 3F0h"

        CMD28   1000, 8, 0xE020
        PIO_IN  RBUF, 8, 1
        CHECK   nc, "READ SECTORS 1000+8"
        EXPECT8 al, 0x50, "READ SECTORS: no DRQ after the last block"
        EXPECT16 [blocks], 8, "READ SECTORS: eight blocks"
        SAME_RBUF WBUF, 8 * 512, "READ SECTORS returns what was written"

        ; ---- multiple mode ----
        CMD28   1000, 8, 0xE0C4
        call    ata_wait
        EXPECT8 al, 0x51, "READ MULTIPLE with multiple mode off: ERR"
        INP     ATA_ERROR
        EXPECT8 al, 0x04, "READ MULTIPLE with multiple mode off: ABRT"
        mov     al, 3
        call    set_multiple
        EXPECT8 al, 0x51, "SET MULTIPLE MODE 3 (not a power of 2): ERR"
        mov     al, 32
        call    set_multiple
        EXPECT8 al, 0x51, "SET MULTIPLE MODE 32 (over 16): ERR"
        mov     al, 4
        call    set_multiple
        EXPECT8 al, 0x50, "SET MULTIPLE MODE 4"
        mov     di, IDBUF
        call    ata_identify
        mov     ax, [es:IDBUF + 2 * 59]
        EXPECT16 ax, 0x0104, "IDENTIFY word 59: multiple count 4 valid"

        CMD28   2000, 10, 0xE0C5
        PIO_OUT WBUF, 10, 4
        CHECK   nc, "WRITE MULTIPLE 2000+10"
        EXPECT16 [blocks], 3, "WRITE MULTIPLE: blocks of 4, 4, 2"
        CMD28   2000, 10, 0xE0C4
        READ_RBUF 10, 4
        CHECK   nc, "READ MULTIPLE 2000+10"
        EXPECT16 [blocks], 3, "READ MULTIPLE: blocks of 4, 4, 2"
        SAME_RBUF WBUF, 10 * 512, "READ MULTIPLE returns WRITE MULTIPLE's data"
        CMD28   2000, 10, 0xE020
        READ_RBUF 10, 1
        SAME_RBUF WBUF, 10 * 512, "READ SECTORS sees the same 10 sectors"

        ; ---- CHS, default translation 130/16/63 ----
        ; LBA 1000 = cylinder 0, head 15, sector 56
        CMD28   0x00000038, 1, 0xAF20       ; C0 S56; CHS (bit 6 clear), head 15
        READ_RBUF 1, 1
        CHECK   nc, "CHS read C0 H15 S56"
        SAME_RBUF WBUF, 512, "CHS 0/15/56 is LBA 1000"

        ; ---- INITIALIZE DEVICE PARAMETERS: 4 heads, 17 sectors ----
        CMD28   0, 17, 0xA391           ; heads - 1 = 3
        call    ata_wait
        EXPECT8 al, 0x50, "INITIALIZE DEVICE PARAMETERS 4 heads, 17 sectors"
        mov     di, IDBUF
        call    ata_identify
        mov     ax, [es:IDBUF + 2 * 54]
        EXPECT16 ax, 1927, "word 54: 131072 / 68 = 1927 cylinders"
        mov     ax, [es:IDBUF + 2 * 55]
        EXPECT16 ax, 4, "word 55: 4 heads"
        mov     ax, [es:IDBUF + 2 * 56]
        EXPECT16 ax, 17, "word 56: 17 sectors"
        mov     eax, [es:IDBUF + 2 * 57]
        EXPECT32 eax, 131036, "words 57-58: 1927 * 68 sectors"
        mov     ax, [es:IDBUF + 2 * 1]
        EXPECT16 ax, 130, "word 1: the default geometry is unchanged"
        ; LBA 2003 = cylinder 29, head 1, sector 15
        CMD28   (29 << 8) | 15, 2, 0xA120
        READ_RBUF 2, 1
        CHECK   nc, "CHS read C29 H1 S15, two sectors"
        SAME_RBUF WBUF + 3 * 512, 1024, "CHS 29/1/15 with 4x17 translation is LBA 2003"
        INP     ATA_LBAL
        EXPECT8 al, 17, "after the CHS read: sector 17 (LBA 2005)"
        INP     ATA_DEVICE
        and     al, 0x0F
        EXPECT8 al, 1, "after the CHS read: head 1"
        INP     ATA_LBAM
        EXPECT8 al, 29, "after the CHS read: cylinder 29"

        mov     eax, (29 << 8) | 0
        call    chs_read_one
        EXPECT8 al, 0x10, "CHS sector 0: IDNF"
        mov     eax, (29 << 8) | 18
        call    chs_read_one
        EXPECT8 al, 0x10, "CHS sector 18 of 17: IDNF"
        mov     eax, (1927 << 8) | 1
        call    chs_read_one
        EXPECT8 al, 0x10, "CHS cylinder 1927 of 1927: IDNF"
        CMD28   1, 1, 0xA420            ; head 4 of 4
        call    ata_wait
        INP     ATA_ERROR
        EXPECT8 al, 0x10, "CHS head 4 of 4: IDNF"
        CMD28   0, 0, 0xA391
        call    ata_wait
        EXPECT8 al, 0x51, "INITIALIZE DEVICE PARAMETERS with 0 sectors: ERR"

        ; ---- out of range (IDNF, no data phase) ----
        CMD28   LAST + 1, 1, 0xE020
        call    ata_wait
        EXPECT8 al, 0x51, "READ LBA 131072 of 131072: ERR, no DRQ"
        INP     ATA_ERROR
        EXPECT8 al, 0x10, "READ LBA 131072: IDNF"
        CMD28   LAST, 2, 0xE020
        call    ata_wait
        EXPECT8 al, 0x51, "READ 131071+2 (crosses the end): ERR"
        CMD28   LAST, 1, 0xE020
        PIO_IN  RBUF, 1, 1
        CHECK   nc, "READ the last sector (131071)"
        CMD28   LAST + 5, 1, 0xE030
        call    ata_wait
        EXPECT8 al, 0x51, "WRITE past the end: ERR, no DRQ"
        INP     ATA_ERROR
        EXPECT8 al, 0x10, "WRITE past the end: IDNF"
        CMD28   LAST + 1 - 72, 72, 0xE040
        call    ata_wait
        EXPECT8 al, 0x50, "READ VERIFY of the last 72 sectors"
        CMD28   LAST + 1 - 72, 73, 0xE040
        call    ata_wait
        EXPECT8 al, 0x51, "READ VERIFY one sector too many: ERR"
        mov     eax, 5
        mov     bx, 0xE070
        call    ata_cmd28
        call    ata_wait
        EXPECT8 al, 0x50, "SEEK LBA 5"
        mov     eax, 200000
        mov     bx, 0xE070
        call    ata_cmd28
        call    ata_wait
        EXPECT8 al, 0x51, "SEEK past the end: ERR"

        ; ---- sector count 0 means 256 ----
        CMD28   0, 0, 0xE020
        PIO_IN  RBUF, 256, 1
        CHECK   nc, "READ SECTORS count 0"
        EXPECT16 [blocks], 256, "count 0: 256 sectors"

        ; ---- 32-bit data port writes ----
        CMD28   3000, 1, 0xE030
        call    ata_wait
        mov     si, WBUF + 5 * 512
        mov     cx, 128
        mov     dx, 0x1F0
        cld
        es rep outsd
        call    ata_wait
        EXPECT8 al, 0x50, "WRITE SECTORS with 128 dword writes"
        CMD28   3000, 1, 0xE020
        READ_RBUF 1, 1
        SAME_RBUF WBUF + 5 * 512, 512, "dword-written sector reads back"

        ; ---- SET FEATURES, FLUSH CACHE ----
        mov     al, 0x0C
        mov     ah, 0x03
        call    set_features
        EXPECT8 al, 0x50, "SET FEATURES transfer mode PIO 4"
        mov     al, 0x45
        mov     ah, 0x03
        call    set_features
        EXPECT8 al, 0x51, "SET FEATURES transfer mode UDMA 5 (no DMA): ERR"
        mov     al, 0x00
        mov     ah, 0x99
        call    set_features
        EXPECT8 al, 0x51, "SET FEATURES unknown feature 99: ERR"
        mov     bl, 0xE7
        call    ata_cmd
        call    ata_wait
        EXPECT8 al, 0x50, "FLUSH CACHE"
        mov     bl, 0xEA
        call    ata_cmd
        call    ata_wait
        EXPECT8 al, 0x50, "FLUSH CACHE EXT"

        call    finish

; set_multiple: SET MULTIPLE MODE with count AL; AL = status
set_multiple:
        mov     cl, al
        mov     eax, 0
        mov     bx, 0xE0C6
        call    ata_cmd28
        jmp     ata_wait

; set_features: feature AH, sector count AL; AL = status
set_features:
        push    ax
        OUTP    ATA_FEATURE, ah
        pop     ax
        mov     cl, al
        mov     eax, 0
        mov     bx, 0xE0EF
        call    ata_cmd28
        jmp     ata_wait

; chs_read_one: READ SECTORS at CHS (EAX = cylinder << 8 | sector, head
; 1); AL = error register
chs_read_one:
        mov     cl, 1
        mov     bx, 0xA120
        call    ata_cmd28
        call    ata_wait
        INP     ATA_ERROR
        ret

        LIB16
        DEVLIB
        ATALIB
fails:  dw 0
        ATADATA
