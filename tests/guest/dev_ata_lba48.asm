; dev_ata_lba48.asm -- 48-bit addressing on a 200 GiB disk (419430400 =
; 19000000h sectors, more than LBA28's 2^28): IDENTIFY's LBA28 size capped
; at 0FFFFFFFh and the LBA48 size, WRITE/READ SECTORS EXT above 2^28 with
; the registers (current and HOB) afterwards, LBA28 and LBA48 addressing
; the same sector below 2^28 (device register bits 27-24) and not aliasing
; above it, READ/WRITE MULTIPLE EXT, counts over 256, a count of 0 (65536)
; with READ VERIFY EXT, the last sector, IDNF past it and for LBA bits
; 47-32, READ NATIVE MAX ADDRESS EXT.  tests/scripts/disk_lba48.sh runs it
; on a sparse 200 GiB file and checks where the data landed.
; x86lab-args: -drive size=200G
        org     0x7c00
        bits    16

%include "lib.inc"
%include "dev_ata_lib.inc"

%define IDBUF 0xC000
%define HIGH  0x12345678            ; above 2^28
%define LOW28 0x0ABCDEF0            ; below 2^28, device nibble A
%define LAST  0x18FFFFFF            ; the last sector

start:
        START16
        mov     ax, 0x2000
        mov     es, ax
        call    ata_primary
        call    fill_pattern
        mov     di, zero_sector
        mov     cx, 256
        xor     ax, ax
        cld
        rep stosw
        mov     al, 0x40
        call    ata_select

        ; ---- IDENTIFY ----
        mov     di, IDBUF
        call    ata_identify
        mov     eax, [es:IDBUF + 2 * 60]
        EXPECT32 eax, 0x0FFFFFFF, "words 60-61: LBA28 size capped at 0FFFFFFF"
        mov     eax, [es:IDBUF + 2 * 100]
        EXPECT32 eax, 0x19000000, "words 100-101: 19000000h sectors"
        mov     eax, [es:IDBUF + 2 * 102]
        EXPECT32 eax, 0, "words 102-103: 0"

        ; ---- WRITE / READ SECTORS EXT above 2^28 ----
        CMD48   HIGH, 2, 0x4034
        PIO_OUT WBUF, 2, 1
        CHECK   nc, "WRITE SECTORS EXT 12345678h+2"
        CMD48   HIGH, 2, 0x4024
        PIO_IN  RBUF, 2, 1
        CHECK   nc, "READ SECTORS EXT 12345678h+2"
        SAME_RBUF WBUF, 1024, "READ SECTORS EXT returns the data"
        INP     ATA_LBAL
        EXPECT8 al, 0x7A, "after: LBA 7-0 of the next sector (7A)"
        INP     ATA_LBAM
        EXPECT8 al, 0x56, "after: LBA 15-8 (56)"
        INP     ATA_LBAH
        EXPECT8 al, 0x34, "after: LBA 23-16 (34)"
        mov     al, 0x80                    ; HOB
        call    ata_devctl
        INP     ATA_LBAL
        EXPECT8 al, 0x12, "after, HOB: LBA 31-24 (12)"
        INP     ATA_LBAM
        EXPECT8 al, 0x00, "after, HOB: LBA 39-32 (00)"
        INP     ATA_NSECT
        EXPECT8 al, 0x00, "after, HOB: count 15-8 (00)"
        mov     al, 0x00
        call    ata_devctl

        ; LBA28 at the same low 28 bits is another sector (still zero)
        CMD28   HIGH & 0x0FFFFFFF, 1, 0xE020
        READ_RBUF 1, 1
        CHECK   nc, "READ SECTORS (LBA28) 02345678h"
        SAME_RBUF zero_sector, 512, "LBA28 02345678h is not LBA48 12345678h (zeros)"

        ; ---- LBA28 and LBA48 meet below 2^28 ----
        CMD28   LOW28, 1, 0xE030
        PIO_OUT WBUF + 2 * 512, 1, 1
        CHECK   nc, "WRITE SECTORS (LBA28) 0ABCDEF0h"
        INP     ATA_DEVICE
        and     al, 0x0F
        EXPECT8 al, 0x0A, "LBA28: bits 27-24 in the device register (A)"
        CMD48   LOW28, 1, 0x4024
        READ_RBUF 1, 1
        SAME_RBUF WBUF + 2 * 512, 512, "READ SECTORS EXT 0ABCDEF0h reads the LBA28 write"

        ; ---- multiple EXT at the end of the disk ----
        CMD28   0, 8, 0xE0C6
        call    ata_wait
        EXPECT8 al, 0x50, "SET MULTIPLE MODE 8"
        CMD48   LAST - 11, 12, 0x4039
        PIO_OUT WBUF + 3 * 512, 12, 8
        CHECK   nc, "WRITE MULTIPLE EXT: the last 12 sectors"
        EXPECT16 [blocks], 2, "WRITE MULTIPLE EXT: blocks of 8, 4"
        CMD48   LAST - 11, 12, 0x4029
        READ_RBUF 12, 8
        CHECK   nc, "READ MULTIPLE EXT: the last 12 sectors"
        EXPECT16 [blocks], 2, "READ MULTIPLE EXT: blocks of 8, 4"
        SAME_RBUF WBUF + 3 * 512, 12 * 512, "READ MULTIPLE EXT returns the data"

        ; ---- ranges ----
        CMD48   LAST + 1, 1, 0x4024
        call    ata_wait
        EXPECT8 al, 0x51, "READ EXT of 19000000h: ERR"
        INP     ATA_ERROR
        EXPECT8 al, 0x10, "READ EXT of 19000000h: IDNF"
        CMD48   LAST, 2, 0x4024
        call    ata_wait
        EXPECT8 al, 0x51, "READ EXT across the end: ERR"
        mov     eax, 5
        mov     si, 1                       ; LBA 1_00000005h
        mov     cx, 1
        mov     bx, 0x4024
        call    ata_cmd48
        call    ata_wait
        INP     ATA_ERROR
        EXPECT8 al, 0x10, "READ EXT of 1_00000005h (bits 47-32): IDNF"
        mov     eax, LAST + 1 - 65536
        xor     si, si
        xor     cx, cx                      ; 0 = 65536
        mov     bx, 0x4042
        call    ata_cmd48
        call    ata_wait
        EXPECT8 al, 0x50, "READ VERIFY EXT count 0 (65536) up to the end"
        mov     eax, LAST + 2 - 65536
        xor     si, si
        xor     cx, cx
        mov     bx, 0x4042
        call    ata_cmd48
        call    ata_wait
        EXPECT8 al, 0x51, "READ VERIFY EXT count 0 one past the end: ERR"
        CMD48   0x1000, 300, 0x4024
        PIO_IN  RBUF, 300, 1
        CHECK   nc, "READ SECTORS EXT count 300"
        EXPECT16 [blocks], 300, "count 300 (HOB count 1): 300 blocks"

        ; ---- READ NATIVE MAX ADDRESS EXT ----
        mov     bl, 0x27
        call    ata_cmd
        call    ata_wait
        EXPECT8 al, 0x50, "READ NATIVE MAX ADDRESS EXT"
        INP     ATA_LBAL
        mov     bl, al
        INP     ATA_LBAM
        mov     bh, al
        INP     ATA_LBAH
        EXPECT16 bx, 0xFFFF, "native max: LBA 15-0 FFFF"
        EXPECT8 al, 0xFF, "native max: LBA 23-16 FF"
        mov     al, 0x80
        call    ata_devctl
        INP     ATA_LBAL
        EXPECT8 al, 0x18, "native max: LBA 31-24 18"
        mov     al, 0x00
        call    ata_devctl

        call    finish

        LIB16
        DEVLIB
        ATALIB
fails:  dw 0
        ATADATA
zero_sector equ 0xE000              ; in segment 0x2000, cleared at start
