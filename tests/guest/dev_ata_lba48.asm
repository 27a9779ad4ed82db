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

%define WBUF  0x0000                ; segment 0x2000
%define RBUF  0x4000
%define IDBUF 0xC000
%define HIGH  0x12345678            ; above 2^28
%define LOW28 0x0ABCDEF0            ; below 2^28, device nibble A
%define LAST  0x18FFFFFF            ; the last sector

start:
        cli
        xor     ax, ax
        mov     ds, ax
        mov     ss, ax
        mov     sp, 0x7c00
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
        mov     bl, 0xEC
        call    ata_cmd
        call    ata_wait
        mov     di, IDBUF
        mov     cx, 256
        call    ata_read_block
        mov     eax, [es:IDBUF + 2 * 60]
        EXPECT32 eax, 0x0FFFFFFF, "words 60-61: LBA28 size capped at 0FFFFFFF"
        mov     eax, [es:IDBUF + 2 * 100]
        EXPECT32 eax, 0x19000000, "words 100-101: 19000000h sectors"
        mov     eax, [es:IDBUF + 2 * 102]
        EXPECT32 eax, 0, "words 102-103: 0"

        ; ---- WRITE / READ SECTORS EXT above 2^28 ----
        mov     eax, HIGH
        xor     si, si
        mov     cx, 2
        mov     bx, 0x4034
        call    ata_cmd48
        mov     si, WBUF
        mov     bp, 1
        mov     cx, 2
        call    ata_pio_out
        CHECK   nc, "WRITE SECTORS EXT 12345678h+2"
        mov     eax, HIGH
        xor     si, si
        mov     cx, 2
        mov     bx, 0x4024
        call    ata_cmd48
        mov     di, RBUF
        mov     bp, 1
        mov     cx, 2
        call    ata_pio_in
        CHECK   nc, "READ SECTORS EXT 12345678h+2"
        mov     si, WBUF
        mov     di, RBUF
        mov     cx, 1024
        call    compare
        CHECK   e, "READ SECTORS EXT returns the data"
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
        mov     eax, HIGH & 0x0FFFFFFF
        mov     cl, 1
        mov     bx, 0xE020
        call    ata_cmd28
        call    clear_rbuf
        mov     di, RBUF
        mov     bp, 1
        mov     cx, 1
        call    ata_pio_in
        CHECK   nc, "READ SECTORS (LBA28) 02345678h"
        mov     si, zero_sector
        mov     di, RBUF
        mov     cx, 512
        call    compare
        CHECK   e, "LBA28 02345678h is not LBA48 12345678h (zeros)"

        ; ---- LBA28 and LBA48 meet below 2^28 ----
        mov     eax, LOW28
        mov     cl, 1
        mov     bx, 0xE030
        call    ata_cmd28
        mov     si, WBUF + 2 * 512
        mov     bp, 1
        mov     cx, 1
        call    ata_pio_out
        CHECK   nc, "WRITE SECTORS (LBA28) 0ABCDEF0h"
        INP     ATA_DEVICE
        and     al, 0x0F
        EXPECT8 al, 0x0A, "LBA28: bits 27-24 in the device register (A)"
        mov     eax, LOW28
        xor     si, si
        mov     cx, 1
        mov     bx, 0x4024
        call    ata_cmd48
        call    clear_rbuf
        mov     di, RBUF
        mov     bp, 1
        mov     cx, 1
        call    ata_pio_in
        mov     si, WBUF + 2 * 512
        mov     di, RBUF
        mov     cx, 512
        call    compare
        CHECK   e, "READ SECTORS EXT 0ABCDEF0h reads the LBA28 write"

        ; ---- multiple EXT at the end of the disk ----
        mov     cl, 8
        mov     eax, 0
        mov     bx, 0xE0C6
        call    ata_cmd28
        call    ata_wait
        EXPECT8 al, 0x50, "SET MULTIPLE MODE 8"
        mov     eax, LAST - 11
        xor     si, si
        mov     cx, 12
        mov     bx, 0x4039
        call    ata_cmd48
        mov     si, WBUF + 3 * 512
        mov     bp, 8
        mov     cx, 12
        call    ata_pio_out
        CHECK   nc, "WRITE MULTIPLE EXT: the last 12 sectors"
        EXPECT16 [blocks], 2, "WRITE MULTIPLE EXT: blocks of 8, 4"
        mov     eax, LAST - 11
        xor     si, si
        mov     cx, 12
        mov     bx, 0x4029
        call    ata_cmd48
        call    clear_rbuf
        mov     di, RBUF
        mov     bp, 8
        mov     cx, 12
        call    ata_pio_in
        CHECK   nc, "READ MULTIPLE EXT: the last 12 sectors"
        EXPECT16 [blocks], 2, "READ MULTIPLE EXT: blocks of 8, 4"
        mov     si, WBUF + 3 * 512
        mov     di, RBUF
        mov     cx, 12 * 512
        call    compare
        CHECK   e, "READ MULTIPLE EXT returns the data"

        ; ---- ranges ----
        mov     eax, LAST + 1
        xor     si, si
        mov     cx, 1
        mov     bx, 0x4024
        call    ata_cmd48
        call    ata_wait
        EXPECT8 al, 0x51, "READ EXT of 19000000h: ERR"
        INP     ATA_ERROR
        EXPECT8 al, 0x10, "READ EXT of 19000000h: IDNF"
        mov     eax, LAST
        xor     si, si
        mov     cx, 2
        mov     bx, 0x4024
        call    ata_cmd48
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
        mov     eax, 0x1000
        xor     si, si
        mov     cx, 300
        mov     bx, 0x4024
        call    ata_cmd48
        mov     di, RBUF
        mov     bp, 1
        mov     cx, 300
        call    ata_pio_in
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

; fill_pattern: 16 sectors at ES:WBUF, byte i of sector s = (i + 3s + 1)
; with the sector number in byte 0 (tests/scripts/disk_lba48.sh knows it)
fill_pattern:
        xor     di, di
        xor     bx, bx
.sec:   xor     cx, cx
.byte:  mov     al, cl
        add     al, bl
        add     al, bl
        add     al, bl
        inc     al
        stosb
        inc     cx
        cmp     cx, 512
        jb      .byte
        mov     [es:di - 512], bl
        inc     bx
        cmp     bx, 16
        jb      .sec
        ret

clear_rbuf:
        push    di
        push    cx
        push    ax
        mov     di, RBUF
        mov     cx, 16 * 512 / 2
        xor     ax, ax
        cld
        rep stosw
        pop     ax
        pop     cx
        pop     di
        ret

; compare: CX bytes at ES:SI and ES:DI; ZF=1 when equal
compare:
        push    ds
        push    es
        pop     ds
        cld
        repe cmpsb
        pop     ds
        ret

        LIB16
        ATALIB
fails:  dw 0
        ATADATA
zero_sector equ 0xE000              ; in segment 0x2000, cleared at start
