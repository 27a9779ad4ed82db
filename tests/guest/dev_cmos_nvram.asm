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

%macro CHECK16 2
        j%1     near %%ok
        inc     word [fails]
        mov     si, %%fail
        call    puts16
        jmp     near %%done
%%fail: db "FAIL ", %2, 10, 0
%%okm:  db "ok ", %2, 10, 0
%%ok:   mov     si, %%okm
        call    puts16
%%done:
%endmacro

start:
        cli
        xor     ax, ax
        mov     ds, ax
        mov     es, ax
        mov     ss, ax
        mov     sp, 0x7c00

        mov     al, 0x15
        call    rd16
        cmp     ax, 640
        CHECK16 e, "0x15: 640 KiB base memory"
        mov     al, 0x17
        call    rd16
        cmp     ax, 64 * 1024 - 1024
        CHECK16 e, "0x17: 64512 KiB extended memory"
        mov     al, 0x30
        call    rd16
        cmp     ax, 64 * 1024 - 1024
        CHECK16 e, "0x30: the same, again"
        mov     al, 0x34
        call    rd16
        cmp     ax, (64 - 16) * 16
        CHECK16 e, "0x34: 768 blocks of 64 KiB above 16 MiB"
        mov     al, 0x14
        call    rd
        cmp     al, 0x07
        CHECK16 e, "equipment byte: one floppy drive, FPU, keyboard, VGA"
        mov     al, 0x10
        call    rd
        cmp     al, 0x40
        CHECK16 e, "0x10: drive A 1.44 MB (the board's empty drive), no B"
        mov     al, 0x3D
        call    rd
        cmp     al, 0x21
        CHECK16 e, "0x3D: boot floppy, then disk"
        mov     al, 0x38
        call    rd
        and     al, 0xF0
        cmp     al, 0x30
        CHECK16 e, "0x38: then CD-ROM"
        mov     al, 0x5F
        call    rd
        cmp     al, 0x00
        CHECK16 e, "0x5F: one processor"

        ; checksum
        xor     dx, dx
        mov     cl, 0x10
.sum:   mov     al, cl
        call    rd
        xor     ah, ah
        add     dx, ax
        inc     cl
        cmp     cl, 0x2E
        jb      .sum
        mov     al, 0x2E
        call    rd
        mov     ah, al
        mov     al, 0x2F
        call    rd
        cmp     ax, dx
        CHECK16 e, "checksum of 0x10-0x2D at 0x2E-0x2F"
        test    dx, dx
        CHECK16 nz, "(the checksum is not trivially zero)"

        ; plain NVRAM: every byte 0x40-0x7F keeps its own pattern
        mov     cl, 0x40
.fill:  mov     ah, cl
        mov     al, cl
        xor     al, 0xA5
        call    wr
        inc     cl
        cmp     cl, 0x80
        jb      .fill
        xor     bx, bx
        mov     cl, 0x40
.chk:   mov     al, cl
        call    rd
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
        call    rd16
        cmp     ax, 640
        CHECK16 e, "and the memory size bytes are untouched"
        jmp     finish

rd:     out     0x70, al
        in      al, 0x71
        ret

; rd16: AX = CMOS[AL] | CMOS[AL + 1] << 8
rd16:   push    cx
        mov     cl, al
        inc     al
        call    rd
        mov     ch, al
        mov     al, cl
        call    rd
        mov     ah, ch
        pop     cx
        ret

wr:     xchg    al, ah
        out     0x70, al
        xchg    al, ah
        out     0x71, al
        ret

finish:
        cmp     word [fails], 0
        mov     al, EXIT_PASS
        je      short .exit
        mov     al, EXIT_FAIL
.exit:  jmp     exit16

        LIB16

fails:  dw 0
