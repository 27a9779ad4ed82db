; dev_ata_atapi.asm -- the ATAPI CD-ROM (secondary master) on the 300-sector
; image tests/scripts/disk_atapi.sh makes and runs this with (sector n:
; dword n, "X86LABCD", bytes (i + n) & FFh): the PACKET protocol (interrupt
; reason, byte count per piece), TEST UNIT READY, INQUIRY, READ CAPACITY,
; READ(10) with large, small and odd byte count limits, READ(12), reads
; past the end with sense data, READ TOC (LBA, MSF), MODE SENSE(10),
; PREVENT/ALLOW and START STOP (eject refused while locked, no medium while
; open), unknown opcodes, DMA refused, ATA commands refused with the
; signature, DEVICE RESET.
; x86lab-args: -cdrom $BUILD/disk/cd-pattern.iso
        org     0x7c00
        bits    16

%include "lib.inc"
%include "dev_ata_lib.inc"

%define DATA  0x3000                ; segment of the data buffer
%define SECTORS 300

; SENSE key, asc, ascq, "text": REQUEST SENSE must report them
%macro SENSE 4
        call    request_sense
        EXPECT8 [es:2], %1, {%4, " (sense key)"}
        EXPECT8 [es:12], %2, {%4, " (ASC)"}
        EXPECT8 [es:13], %3, {%4, " (ASCQ)"}
%endmacro

start:
        START16
        mov     ax, DATA
        mov     es, ax
        call    ata_secondary
        mov     al, 0xA0
        call    ata_select

        ; ---- TEST UNIT READY: the packet phase, then status ----
        mov     bx, 0
        PACKET  0x00, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0
        CHECK   nc, "PACKET: DRQ for the command bytes"
        EXPECT8 [packet_ir], 0x01, "PACKET: interrupt reason CoD (command out)"
        call    ata_wait
        EXPECT8 al, 0x50, "TEST UNIT READY: DRDY|DSC, no error"
        INP     ATA_NSECT
        EXPECT8 al, 0x03, "TEST UNIT READY: interrupt reason IO|CoD (status)"

        ; ---- INQUIRY ----
        xor     di, di
        mov     bx, 0xFFFE
        PACKET  0x12, 0, 0, 0, 36, 0, 0, 0, 0, 0, 0, 0
        xor     di, di
        call    atapi_data_in
        EXPECT32 [xfer_total], 36, "INQUIRY: 36 bytes"
        EXPECT16 [xfer_bad_ir], 0, "INQUIRY: interrupt reason IO for the data"
        EXPECT8 [final_ir], 0x03, "INQUIRY: interrupt reason IO|CoD at the end"
        EXPECT8 al, 0x50, "INQUIRY: no error"
        EXPECT8 [es:0], 0x05, "INQUIRY: CD-ROM device"
        EXPECT8 [es:1], 0x80, "INQUIRY: removable"
        mov     si, inquiry_ids
        xor     di, di
        add     di, 8
        mov     cx, 24
        call    compare_ds
        CHECK   e, "INQUIRY: vendor 'x86lab', product 'x86lab CD-ROM'"
        mov     bx, 0xFFFE
        PACKET  0x12, 0, 0, 0, 5, 0, 0, 0, 0, 0, 0, 0
        xor     di, di
        call    atapi_data_in
        EXPECT32 [xfer_total], 5, "INQUIRY with allocation length 5: 5 bytes"

        ; ---- READ CAPACITY ----
        mov     bx, 0xFFFE
        PACKET  0x25, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0
        xor     di, di
        call    atapi_data_in
        EXPECT32 [xfer_total], 8, "READ CAPACITY: 8 bytes"
        mov     eax, [es:0]
        bswap   eax
        EXPECT32 eax, SECTORS - 1, "READ CAPACITY: last LBA 299"
        mov     eax, [es:4]
        bswap   eax
        EXPECT32 eax, 2048, "READ CAPACITY: 2048-byte blocks"

        ; ---- READ(10) ----
        mov     bx, 0xFFFE
        PACKET  0x28, 0, 0, 0, 0, 10, 0, 0, 16, 0, 0, 0
        call    clear_data
        xor     di, di
        call    atapi_data_in
        EXPECT8 al, 0x50, "READ(10) 10+16: no error"
        EXPECT32 [xfer_total], 16 * 2048, "READ(10) 10+16: 32768 bytes"
        EXPECT16 [xfer_pieces], 1, "READ(10) byte count limit FFFE: one piece"
        mov     eax, 10
        mov     cx, 16
        call    check_sectors
        CHECK   e, "READ(10) 10+16: the sectors' contents"

        mov     bx, 5000
        PACKET  0x28, 0, 0, 0, 0, 100, 0, 0, 16, 0, 0, 0
        call    clear_data
        xor     di, di
        call    atapi_data_in
        EXPECT16 [xfer_pieces], 7, "READ(10) byte count limit 5000: 7 pieces"
        EXPECT16 [last_piece], 2768, "... the last one 2768 bytes"
        EXPECT16 [xfer_bad_ir], 0, "... each with interrupt reason IO"
        mov     eax, 100
        mov     cx, 16
        call    check_sectors
        CHECK   e, "READ(10) 100+16 in 5000-byte pieces: contents"

        mov     bx, 4095
        PACKET  0x28, 0, 0, 0, 0, 200, 0, 0, 16, 0, 0, 0
        call    clear_data
        xor     di, di
        call    atapi_data_in
        EXPECT16 [xfer_pieces], 9, "READ(10) odd limit 4095: even pieces of 4094 (9)"
        mov     eax, 200
        mov     cx, 16
        call    check_sectors
        CHECK   e, "READ(10) 200+16 in 4094-byte pieces: contents"

        ; ---- READ(12), the last sector ----
        mov     bx, 0xFFFE
        PACKET  0xA8, 0, 0, 0, (SECTORS - 1) >> 8, (SECTORS - 1) & 0xFF, 0, 0, 0, 1, 0, 0
        call    clear_data
        xor     di, di
        call    atapi_data_in
        EXPECT32 [xfer_total], 2048, "READ(12) of sector 299: 2048 bytes"
        mov     eax, SECTORS - 1
        mov     cx, 1
        call    check_sectors
        CHECK   e, "READ(12) of sector 299: contents"

        ; ---- errors and sense ----
        mov     bx, 0xFFFE
        PACKET  0x28, 0, 0, 0, (SECTORS - 1) >> 8, (SECTORS - 1) & 0xFF, 0, 0, 2, 0, 0, 0
        xor     di, di
        call    atapi_data_in
        EXPECT8 al, 0x51, "READ(10) across the end: CHECK CONDITION (ERR)"
        EXPECT32 [xfer_total], 0, "READ(10) across the end: no data"
        INP     ATA_ERROR
        EXPECT8 al, 0x50, "error register: sense key 5 in bits 7-4"
        EXPECT8 [final_ir], 0x03, "error: interrupt reason IO|CoD"
        SENSE   0x05, 0x21, 0x00, "READ past the end: ILLEGAL REQUEST, LBA out of range"
        SENSE   0x00, 0x00, 0x00, "REQUEST SENSE again: no sense"
        mov     bx, 0xFFFE
        PACKET  0x28, 0, 0, 0, 0, 5, 0, 0, 0, 0, 0, 0
        xor     di, di
        call    atapi_data_in
        EXPECT8 al, 0x50, "READ(10) of 0 sectors: no error"
        EXPECT32 [xfer_total], 0, "READ(10) of 0 sectors: no data"
        mov     bx, 0xFFFE
        PACKET  0xBD, 0, 0, 0, 0, 0, 0, 0, 0, 8, 0, 0
        xor     di, di
        call    atapi_data_in
        EXPECT8 al, 0x51, "unsupported opcode BD: CHECK CONDITION"
        SENSE   0x05, 0x20, 0x00, "opcode BD: ILLEGAL REQUEST, invalid opcode"

        ; ---- READ TOC ----
        mov     bx, 0xFFFE
        PACKET  0x43, 0, 0, 0, 0, 0, 0, 0, 100, 0, 0, 0
        call    clear_data
        xor     di, di
        call    atapi_data_in
        EXPECT32 [xfer_total], 20, "READ TOC (LBA): 20 bytes"
        mov     ax, [es:0]
        xchg    al, ah
        EXPECT16 ax, 18, "TOC data length 18"
        EXPECT8 [es:2], 1, "TOC first track 1"
        EXPECT8 [es:3], 1, "TOC last track 1"
        EXPECT8 [es:5], 0x14, "track 1: ADR 1, data track"
        EXPECT8 [es:6], 1, "track 1 descriptor"
        EXPECT32 [es:8], 0, "track 1 starts at LBA 0"
        EXPECT8 [es:14], 0xAA, "lead-out descriptor (AA)"
        mov     eax, [es:16]
        bswap   eax
        EXPECT32 eax, SECTORS, "lead-out at LBA 300"
        mov     bx, 0xFFFE
        PACKET  0x43, 2, 0, 0, 0, 0, 0, 0, 100, 0, 0, 0
        xor     di, di
        call    atapi_data_in
        EXPECT32 [es:16], 0x00060000, "lead-out in MSF: 00:06:00 (300 + 150 frames)"
        EXPECT32 [es:8], 0x00020000, "track 1 in MSF: 00:02:00"
        mov     bx, 0xFFFE
        PACKET  0x43, 0, 0, 0, 0, 0, 2, 0, 100, 0, 0, 0
        xor     di, di
        call    atapi_data_in
        EXPECT8 al, 0x51, "READ TOC from track 2 (there is none): error"
        SENSE   0x05, 0x24, 0x00, "READ TOC track 2: invalid field"

        ; ---- MODE SENSE(10) ----
        mov     bx, 0xFFFE
        PACKET  0x5A, 0, 0x2A, 0, 0, 0, 0, 0, 100, 0, 0, 0
        call    clear_data
        xor     di, di
        call    atapi_data_in
        EXPECT32 [xfer_total], 28, "MODE SENSE page 2A: 8 + 20 bytes"
        EXPECT8 [es:1], 26, "MODE SENSE: mode data length 26"
        EXPECT8 [es:8], 0x2A, "MODE SENSE: page 2A"
        EXPECT8 [es:9], 18, "MODE SENSE: page length 18"
        mov     bx, 0xFFFE
        PACKET  0x5A, 0, 0x05, 0, 0, 0, 0, 0, 100, 0, 0, 0
        xor     di, di
        call    atapi_data_in
        EXPECT8 al, 0x51, "MODE SENSE page 05 (not there): error"

        ; ---- PREVENT / START STOP ----
        mov     bx, 0
        PACKET  0x1E, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0
        call    ata_wait
        EXPECT8 al, 0x50, "PREVENT MEDIUM REMOVAL"
        PACKET  0x1B, 0, 0, 0, 0x02, 0, 0, 0, 0, 0, 0, 0
        call    ata_wait
        EXPECT8 al, 0x51, "eject while prevented: error"
        SENSE   0x05, 0x53, 0x02, "eject while prevented: removal prevented"
        mov     bx, 0
        PACKET  0x1E, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0
        call    ata_wait
        PACKET  0x1B, 0, 0, 0, 0x02, 0, 0, 0, 0, 0, 0, 0
        call    ata_wait
        EXPECT8 al, 0x50, "ALLOW, then eject"
        PACKET  0x00, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0
        call    ata_wait
        EXPECT8 al, 0x51, "TEST UNIT READY with the tray open: error"
        SENSE   0x02, 0x3A, 0x00, "tray open: NOT READY, medium not present"
        mov     bx, 0xFFFE
        PACKET  0x25, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0
        xor     di, di
        call    atapi_data_in
        EXPECT8 al, 0x51, "READ CAPACITY with the tray open: error"
        mov     bx, 0
        PACKET  0x1B, 0, 0, 0, 0x03, 0, 0, 0, 0, 0, 0, 0
        call    ata_wait
        EXPECT8 al, 0x50, "START STOP UNIT: load"
        PACKET  0x00, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0
        call    ata_wait
        EXPECT8 al, 0x50, "TEST UNIT READY after loading: ready"

        ; ---- DMA, ATA commands, DEVICE RESET ----
        OUTP    ATA_FEATURE, 1
        OUTP    ATA_COMMAND, 0xA0
        call    ata_wait
        EXPECT8 al, 0x51, "PACKET asking for DMA: ERR"
        INP     ATA_ERROR
        EXPECT8 al, 0x04, "PACKET asking for DMA: ABRT"
        OUTP    ATA_LBAM, 0
        OUTP    ATA_LBAH, 0
        CMD28   0, 1, 0xE020
        call    ata_wait
        EXPECT8 al, 0x51, "READ SECTORS to ATAPI: ERR"
        INP     ATA_LBAH
        EXPECT8 al, 0xEB, "READ SECTORS to ATAPI: the signature (EB)"
        OUTP    ATA_LBAM, 0
        OUTP    ATA_COMMAND, 0x08
        call    ata_wait
        EXPECT8 al, 0x00, "DEVICE RESET: status 00"
        INP     ATA_LBAM
        EXPECT8 al, 0x14, "DEVICE RESET: the signature (14)"
        INP     ATA_ERROR
        EXPECT8 al, 0x01, "DEVICE RESET: diagnostic code 01"

        call    finish

; request_sense: REQUEST SENSE (18 bytes) into ES:0
request_sense:
        push    bx
        mov     bx, 0xFFFE
        PACKET  0x03, 0, 0, 0, 18, 0, 0, 0, 0, 0, 0, 0
        xor     di, di
        call    atapi_data_in
        pop     bx
        ret

clear_data:
        push    di
        push    cx
        push    ax
        xor     di, di
        mov     cx, 0x8000
        mov     ax, 0xEEEE
        cld
        rep stosw
        pop     ax
        pop     cx
        pop     di
        ret

; compare_ds: CX bytes at DS:SI and ES:DI; ZF=1 when equal
compare_ds:
        cld
        repe cmpsb
        ret

; check_sectors: CX sectors at ES:0 hold the pattern of LBA EAX onwards;
; ZF=1 when they do
check_sectors:
        pushad
        xor     di, di
.sec:   cmp     [es:di], eax
        jne     .out
        mov     si, signature
        push    di
        push    cx
        add     di, 4
        mov     cx, 8
        repe cmpsb
        pop     cx
        pop     di
        jne     .out
        mov     bx, 12
.byte:  mov     dl, bl
        add     dl, al
        cmp     [es:di + bx], dl
        jne     .out
        inc     bx
        cmp     bx, 2048
        jb      .byte
        add     di, 2048
        inc     eax
        loop    .sec
        xor     ax, ax                  ; ZF=1
.out:   popad
        ret

signature:   db "X86LABCD"
inquiry_ids: db "x86lab  x86lab CD-ROM   "

        LIB16
        DEVLIB
        ATALIB
fails:  dw 0
        ATADATA
