; dev_ata_identify.asm -- the IDE register file without data transfers
; of sectors: power-on signatures and status, soft reset (SRST) with BSY
; while held, an absent slave (status 0, commands ignored), IDENTIFY
; DEVICE fields (geometry, strings, capabilities, LBA28/LBA48 sizes,
; multiple count, command-set words, checksum) on a 64 MiB and a 10 GiB
; disk, 32-bit data port reads, the LBA48 HOB read-back, EXECUTE DEVICE
; DIAGNOSTIC, aborts (NOP, unknown command), CHECK POWER MODE, and the
; ATAPI side: packet signature, IDENTIFY DEVICE refused with the
; signature, IDENTIFY PACKET DEVICE.  Polls the status (no interrupts).
; x86lab-args: -drive size=64M -drive index=2,media=cdrom -drive index=3,size=10G
        org     0x7c00
        bits    16

%include "lib.inc"
%include "dev_ata_lib.inc"

%define BUF   0x0000                ; in segment 0x2000
%define BUF2  0x0200

; IDW n: AX = IDENTIFY word n from the buffer
%macro IDW 1
        mov     ax, [es:BUF + 2 * %1]
%endmacro

start:
        START16
        mov     ax, 0x2000
        mov     es, ax
        call    ata_primary

        ; ---- power-on ----
        call    ata_altstatus
        EXPECT8 al, 0x50, "power-on: master status DRDY|DSC"
        INP     ATA_NSECT
        EXPECT8 al, 0x01, "power-on signature: sector count 1"
        INP     ATA_LBAL
        EXPECT8 al, 0x01, "power-on signature: LBA low 1"
        INP     ATA_LBAM
        EXPECT8 al, 0x00, "power-on signature: LBA mid 0 (ATA)"
        INP     ATA_LBAH
        EXPECT8 al, 0x00, "power-on signature: LBA high 0 (ATA)"

        ; ---- soft reset ----
        OUTP    ATA_NSECT, 0x77
        mov     al, 0x04                    ; SRST
        call    ata_devctl
        call    ata_altstatus
        EXPECT8 al, 0x80, "SRST held: BSY"
        mov     al, 0x00
        call    ata_devctl
        call    ata_altstatus
        EXPECT8 al, 0x50, "SRST released: DRDY|DSC"
        INP     ATA_ERROR
        EXPECT8 al, 0x01, "after SRST: diagnostic code 01"
        INP     ATA_NSECT
        EXPECT8 al, 0x01, "after SRST: signature restored (count 1)"
        INP     ATA_DEVICE
        and     al, 0x10
        EXPECT8 al, 0x00, "after SRST: device 0 selected"

        ; ---- the absent slave ----
        mov     al, 0xB0
        call    ata_select
        call    ata_altstatus
        EXPECT8 al, 0x00, "absent slave: status 00"
        mov     bl, 0xEC
        call    ata_cmd
        call    ata_altstatus
        EXPECT8 al, 0x00, "absent slave: IDENTIFY ignored"
        INP     ATA_NSECT
        EXPECT8 al, 0x00, "absent slave: registers read 0"

        ; ---- IDENTIFY DEVICE, 64 MiB disk ----
        mov     al, 0xA0
        call    ata_select
        mov     bl, 0xEC
        call    ata_cmd
        call    ata_wait
        EXPECT8 al, 0x58, "IDENTIFY: DRQ|DRDY|DSC"
        mov     di, BUF
        mov     cx, 256
        call    ata_read_block
        call    ata_altstatus
        EXPECT8 al, 0x50, "IDENTIFY read: DRQ clears"
        IDW     0
        EXPECT16 ax, 0x0040, "word 0: fixed ATA device"
        IDW     1
        EXPECT16 ax, 130, "word 1: 130 cylinders"
        IDW     3
        EXPECT16 ax, 16, "word 3: 16 heads"
        IDW     6
        EXPECT16 ax, 63, "word 6: 63 sectors per track"
        mov     bx, 27
        mov     si, model_hd
        mov     cx, 20
        call    id_string
        CHECK   e, "words 27-46: model 'x86lab HARDDISK'"
        mov     bx, 10
        mov     si, serial_hd0
        mov     cx, 10
        call    id_string
        CHECK   e, "words 10-19: serial 'X86LAB-HD0'"
        mov     bx, 23
        mov     si, firmware
        mov     cx, 4
        call    id_string
        CHECK   e, "words 23-26: firmware '1.0'"
        IDW     47
        EXPECT16 ax, 0x8010, "word 47: up to 16 sectors per multiple block"
        IDW     49
        and     ax, 0x0200
        EXPECT16 ax, 0x0200, "word 49: LBA supported"
        IDW     53
        EXPECT16 ax, 0x0003, "word 53: words 54-58 and 64-70 valid"
        IDW     54
        EXPECT16 ax, 130, "word 54: current cylinders"
        IDW     55
        EXPECT16 ax, 16, "word 55: current heads"
        IDW     56
        EXPECT16 ax, 63, "word 56: current sectors per track"
        mov     eax, [es:BUF + 2 * 57]
        EXPECT32 eax, 131040, "words 57-58: current CHS capacity 130*16*63"
        IDW     59
        EXPECT16 ax, 0x0000, "word 59: multiple mode off at power-on"
        mov     eax, [es:BUF + 2 * 60]
        EXPECT32 eax, 131072, "words 60-61: 131072 LBA28 sectors"
        IDW     80
        EXPECT16 ax, 0x007E, "word 80: ATA-1 to ATA-6"
        IDW     83
        and     ax, 0xC400
        EXPECT16 ax, 0x4400, "word 83: valid, LBA48 supported"
        IDW     86
        and     ax, 0x0400
        EXPECT16 ax, 0x0400, "word 86: LBA48 enabled"
        mov     eax, [es:BUF + 2 * 100]
        EXPECT32 eax, 131072, "words 100-101: LBA48 sectors"
        mov     eax, [es:BUF + 2 * 102]
        EXPECT32 eax, 0, "words 102-103: LBA48 sectors (high)"
        IDW     255
        EXPECT8 al, 0xA5, "word 255: integrity signature A5"
        xor     si, si
        xor     al, al
.sum:   add     al, [es:BUF + si]
        inc     si
        cmp     si, 512
        jb      .sum
        EXPECT8 al, 0x00, "word 255: the 512 bytes sum to 0"

        ; ---- the same IDENTIFY through 32-bit data port reads ----
        mov     bl, 0xEC
        call    ata_cmd
        call    ata_wait
        mov     di, BUF2
        mov     cx, 128
        mov     dx, [ata_io]
        cld
        rep insd
        call    ata_altstatus
        EXPECT8 al, 0x50, "32-bit reads: 128 dwords end the block"
        push    ds
        push    es
        pop     ds
        mov     si, BUF
        mov     di, BUF2
        mov     cx, 512
        repe cmpsb
        pop     ds
        CHECK   e, "32-bit reads give the same 512 bytes"

        ; ---- HOB: each register keeps its previous value ----
        OUTP    ATA_NSECT, 0x12
        OUTP    ATA_NSECT, 0x34
        OUTP    ATA_LBAH, 0x56
        OUTP    ATA_LBAH, 0x78
        mov     al, 0x80
        call    ata_devctl
        INP     ATA_NSECT
        EXPECT8 al, 0x12, "HOB=1: previous sector count"
        INP     ATA_LBAH
        EXPECT8 al, 0x56, "HOB=1: previous LBA high"
        OUTP    ATA_FEATURE, 0
        INP     ATA_NSECT
        EXPECT8 al, 0x34, "a register write clears HOB"

        ; ---- aborts and small commands ----
        mov     bl, 0x00
        call    ata_cmd
        call    ata_wait
        EXPECT8 al, 0x51, "NOP: ERR"
        INP     ATA_ERROR
        EXPECT8 al, 0x04, "NOP: ABRT"
        mov     bl, 0xFF
        call    ata_cmd
        call    ata_wait
        EXPECT8 al, 0x51, "unknown command FF: ERR"
        INP     ATA_ERROR
        EXPECT8 al, 0x04, "unknown command FF: ABRT"
        OUTP    ATA_NSECT, 0
        mov     bl, 0xE5
        call    ata_cmd
        call    ata_wait
        EXPECT8 al, 0x50, "CHECK POWER MODE: no error"
        INP     ATA_NSECT
        EXPECT8 al, 0xFF, "CHECK POWER MODE: active (FF)"

        ; ---- the 10 GiB secondary slave ----
        call    ata_secondary
        mov     al, 0xB0
        call    ata_select
        EXPECT8 al, 0x50, "secondary slave: DRDY|DSC"
        mov     bl, 0xEC
        call    ata_cmd
        call    ata_wait
        EXPECT8 al, 0x58, "secondary slave IDENTIFY: DRQ"
        mov     di, BUF
        mov     cx, 256
        call    ata_read_block
        IDW     1
        EXPECT16 ax, 16383, "10 GiB: word 1 capped at 16383 cylinders"
        mov     eax, [es:BUF + 2 * 57]
        EXPECT32 eax, 16514064, "10 GiB: words 57-58 capped at 16514064"
        mov     eax, [es:BUF + 2 * 60]
        EXPECT32 eax, 20971520, "10 GiB: words 60-61 = 20971520"
        mov     eax, [es:BUF + 2 * 100]
        EXPECT32 eax, 20971520, "10 GiB: words 100-101 = 20971520"
        mov     bx, 10
        mov     si, serial_hd3
        mov     cx, 10
        call    id_string
        CHECK   e, "secondary slave serial 'X86LAB-HD3'"

        ; ---- the ATAPI secondary master ----
        mov     al, 0xA0
        call    ata_select
        EXPECT8 al, 0x00, "ATAPI at power-on: status 00 (no DRDY)"
        INP     ATA_LBAM
        EXPECT8 al, 0x14, "ATAPI signature: LBA mid 14"
        INP     ATA_LBAH
        EXPECT8 al, 0xEB, "ATAPI signature: LBA high EB"
        OUTP    ATA_LBAM, 0
        OUTP    ATA_LBAH, 0
        mov     bl, 0xEC
        call    ata_cmd
        call    ata_wait
        and     al, ST_ERR
        EXPECT8 al, ST_ERR, "IDENTIFY DEVICE to ATAPI: ERR"
        INP     ATA_ERROR
        EXPECT8 al, 0x04, "IDENTIFY DEVICE to ATAPI: ABRT"
        INP     ATA_LBAM
        EXPECT8 al, 0x14, "... with the signature (14)"
        INP     ATA_LBAH
        EXPECT8 al, 0xEB, "... with the signature (EB)"
        mov     bl, 0xA1
        call    ata_cmd
        call    ata_wait
        and     al, ST_DRQ | ST_ERR
        EXPECT8 al, ST_DRQ, "IDENTIFY PACKET DEVICE: DRQ"
        mov     di, BUF
        mov     cx, 256
        call    ata_read_block
        IDW     0
        EXPECT16 ax, 0x85C0, "packet word 0: ATAPI CD-ROM, removable, 12-byte"
        mov     bx, 27
        mov     si, model_cd
        mov     cx, 20
        call    id_string
        CHECK   e, "packet model 'x86lab CD-ROM'"

        ; ---- EXECUTE DEVICE DIAGNOSTIC (secondary: ATAPI + disk) ----
        mov     al, 0xB0
        call    ata_select
        OUTP    ATA_NSECT, 0x55
        mov     bl, 0x90
        call    ata_cmd
        call    ata_wait
        INP     ATA_DEVICE
        and     al, 0x10
        EXPECT8 al, 0x00, "diagnostic: device 0 selected after"
        INP     ATA_ERROR
        EXPECT8 al, 0x01, "diagnostic: master code 01"
        INP     ATA_LBAH
        EXPECT8 al, 0xEB, "diagnostic: master shows the ATAPI signature"
        mov     al, 0xB0
        call    ata_select
        EXPECT8 al, 0x50, "diagnostic: slave disk DRDY|DSC"
        INP     ATA_NSECT
        EXPECT8 al, 0x01, "diagnostic: slave signature (count 1)"
        INP     ATA_ERROR
        EXPECT8 al, 0x01, "diagnostic: slave code 01"

        call    finish

; id_string: compares IDENTIFY words BX.. (CX words, byte-swapped) with
; the space-padded string at DS:SI; ZF=1 when equal
id_string:
        push    bx
        push    cx
        push    si
        shl     bx, 1
.w:     mov     ax, [es:BUF + bx]
        xchg    al, ah
        cmp     ax, [si]
        jne     .out
        add     bx, 2
        add     si, 2
        loop    .w
        xor     ax, ax                  ; ZF=1
.out:   pop     si
        pop     cx
        pop     bx
        ret

model_hd:   db "x86lab HARDDISK                         "
model_cd:   db "x86lab CD-ROM                           "
serial_hd0: db "X86LAB-HD0          "
serial_hd3: db "X86LAB-HD3          "
firmware:   db "1.0     "

        LIB16
        DEVLIB
        ATALIB
fails:  dw 0
        ATADATA
