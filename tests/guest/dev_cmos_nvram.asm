; dev_cmos_nvram.asm -- what the board puts in CMOS RAM (Bochs/SeaBIOS
; layout) for a 64 MiB machine: base memory 640 KiB (0x15), extended
; memory in KiB (0x17 and 0x30), 64 KiB blocks above 16 MiB (0x34), the
; equipment byte, drive A as the board's empty 1.44 MB drive, boot order floppy/disk/CD (0x3D, 0x38),
; one CPU (0x5F), the checksum of 0x10-0x2D at 0x2E (big-endian); and that
; plain NVRAM bytes keep what is written.
; x86lab-args: -m 64
        org     0x7c00
        bits    16

%include "lib.inc"
%include "dev_lib.inc"

start:
        START16

        mov     al, 0x15
        call    cmos_rd16
        cmp     ax, 640
        CHECK16 e, "0x15: 640 KiB base memory"
        mov     al, 0x17
        call    cmos_rd16
        cmp     ax, 64 * 1024 - 1024
        CHECK16 e, "0x17: 64512 KiB extended memory"
        mov     al, 0x30
        call    cmos_rd16
        cmp     ax, 64 * 1024 - 1024
        CHECK16 e, "0x30: the same, again"
        mov     al, 0x34
        call    cmos_rd16
        cmp     ax, (64 - 16) * 16
        CHECK16 e, "0x34: 768 blocks of 64 KiB above 16 MiB"
        mov     al, 0x14
        call    cmos_rd
        cmp     al, 0x07
        CHECK16 e, "equipment byte: one floppy drive, FPU, keyboard, VGA"
        mov     al, 0x10
        call    cmos_rd
        cmp     al, 0x40
        CHECK16 e, "0x10: drive A 1.44 MB (the board's empty drive), no B"
        mov     al, 0x3D
        call    cmos_rd
        cmp     al, 0x21
        CHECK16 e, "0x3D: boot floppy, then disk"
        mov     al, 0x38
        call    cmos_rd
        and     al, 0xF0
        cmp     al, 0x30
        CHECK16 e, "0x38: then CD-ROM"
        mov     al, 0x5F
        call    cmos_rd
        cmp     al, 0x00
        CHECK16 e, "0x5F: one processor"

        ; checksum
        xor     dx, dx
        mov     cl, 0x10
.sum:   mov     al, cl
        call    cmos_rd
        xor     ah, ah
        add     dx, ax
        inc     cl
        cmp     cl, 0x2E
        jb      .sum
        mov     al, 0x2E
        call    cmos_rd
        mov     ah, al
        mov     al, 0x2F
        call    cmos_rd
        cmp     ax, dx
        CHECK16 e, "checksum of 0x10-0x2D at 0x2E-0x2F"
        test    dx, dx
        CHECK16 nz, "(the checksum is not trivially zero)"

        ; plain NVRAM: every byte 0x40-0x7F keeps its own pattern
        mov     cl, 0x40
.fill:  mov     ah, cl
        mov     al, cl
        xor     al, 0xA5
        call    cmos_wr
        inc     cl
        cmp     cl, 0x80
        jb      .fill
        xor     bx, bx
        mov     cl, 0x40
.chk:   mov     al, cl
        call    cmos_rd
        xor     al, 0xA5
        cmp     al, cl
        je      .same
        inc     bx
.same:  inc     cl
        cmp     cl, 0x80
        jb      .chk
        test    bx, bx
        CHECK16 z, "NVRAM 0x40-0x7F keeps 64 distinct bytes"
        mov     al, 0x15
        call    cmos_rd16
        cmp     ax, 640
        CHECK16 e, "and the memory size bytes are untouched"
        jmp     finish

        LIB16
        DEVLIB

fails:  dw 0
