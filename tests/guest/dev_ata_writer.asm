; dev_ata_writer.asm -- the guest of tests/scripts/disk_overlay.sh: writes
; to the primary master and reports each completed write on the debug
; console.  If sector 0 starts with "LOOP" it never stops: write i (i = 1,
; 2, ...) fills sector ((i - 1) mod R) + 1 (R = min(sectors - 1, 63)) with
; the dword i and prints "wrote i"; the script kills it and checks the
; image.  Otherwise it writes its 16-sector pattern (byte k of sector s =
; k + 3s + 1, byte 0 = s) to sectors 1-16, reads it back and passes.
; x86lab-args: -drive size=1M
        org     0x7c00
        bits    16

%include "lib.inc"
%include "dev_ata_lib.inc"

%define IDBUF 0x8000

start:
        START16
        mov     ax, 0x2000
        mov     es, ax
        call    ata_primary
        mov     al, 0xE0
        call    ata_select
        mov     di, IDBUF
        call    ata_identify
        mov     eax, [es:IDBUF + 2 * 60]
        dec     eax
        cmp     eax, 63
        jbe     .ring
        mov     eax, 63
.ring:  mov     [ring], eax
        xor     eax, eax
        mov     cl, 1
        mov     bx, 0xE020
        call    ata_cmd28
        PIO_IN  RBUF, 1, 1
        CHECK   nc, "read sector 0"
        cmp     dword [es:RBUF], "LOOP"
        je      endless

        ; ---- once: the pattern to sectors 1-16, read back ----
        call    fill_pattern
        CMD28   1, 16, 0xE030
        PIO_OUT WBUF, 16, 1
        CHECK   nc, "wrote the pattern to sectors 1-16"
        CMD28   1, 16, 0xE020
        PIO_IN  RBUF, 16, 1
        SAME_RBUF WBUF, 16 * 512, "sectors 1-16 read back"
        mov     bl, 0xE7
        call    ata_cmd
        call    ata_wait
        EXPECT8 al, 0x50, "FLUSH CACHE"
        call    finish

        ; ---- forever: write i to slot (i - 1) mod R + 1, report it ----
endless:
        mov     si, msg_loop
        call    puts16
        mov     eax, [ring]
        call    putdec
        call    newline16
        mov     dword [counter], 0
.next:  mov     eax, [counter]
        inc     eax
        mov     [counter], eax
        mov     di, WBUF
        mov     cx, 128
        cld
        rep stosd
        dec     eax
        xor     edx, edx
        div     dword [ring]
        lea     eax, [edx + 1]              ; the slot
        mov     cl, 1
        mov     bx, 0xE030
        call    ata_cmd28
        PIO_OUT WBUF, 1, 1
        jc      .bad
        mov     si, msg_wrote
        call    puts16
        mov     eax, [counter]
        call    putdec
        call    newline16
        jmp     .next
.bad:   mov     si, msg_bad
        call    report_fail
        call    finish

msg_loop:   db "endless mode, ring of ", 0
msg_wrote:  db "wrote ", 0
msg_bad:    db "a write failed", 0
ring:       dd 0
counter:    dd 0

        LIB16
        DEVLIB
        ATALIB
fails:  dw 0
        ATADATA
