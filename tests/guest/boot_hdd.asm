; boot_hdd.asm -- a hard disk MBR and its second stage, booted by the
; x86lab BIOS from -hda: the MBR loads stage 2 with INT 13h AH=02h (CHS,
; its first sector) and AH=42h (EDD, the rest), then stage 2 checks the
; disk services: AH=41h, 48h, 08h, 15h, 10h, CHS and LBA reads of sectors
; the script tagged (each holds its LBA in its first dword and
; "x86lab-sector" after it), a 130-sector read across segments, writes
; read back (48-bit LBA on a disk bigger than 128 GiB), verify, errors.
; It talks through INT 10h teletype and port E9h (and checks its words
; reached the screen), and exits through port F4h.
; Built and booted by tests/scripts/boot_hdd.sh with nasm -DDISK_SECTORS=n
; -DLCYLS=n -DLHEADS=n -DLSPT=n (the geometry the BIOS should show).
        bits    16
        cpu     386
        org     0x7C00
%include "lib.inc"

%ifndef DISK_SECTORS
%error "DISK_SECTORS, LCYLS, LHEADS, LSPT must be defined"
%endif
STAGE2_SECTORS  equ     (stage2_end - stage2 + 511) / 512
TAG_LBA         equ     3000            ; tagged sectors the script wrote
TAG_RUN         equ     4000            ; 130 tagged sectors from here
TAG_RUN_COUNT   equ     130
WRITE_LBA       equ     DISK_SECTORS - 10
; the last sector AH=08h lets CHS reach (its last cylinder is kept back)
CHS_LAST_LBA    equ     ((LCYLS - 2) * LHEADS + LHEADS - 1) * LSPT + LSPT - 1

mbr:    START16
        sti
        cld
        mov     [drive], dl
        mov     ax, 0x0201                      ; stage 2's first sector: CHS 0/0/2
        mov     cx, 0x0002
        xor     dh, dh
        mov     bx, stage2
        int     0x13
        jc      .fail
        mov     si, dap                         ; the rest: LBA 2 on, EDD
        mov     ah, 0x42
        mov     dl, [drive]
        int     0x13
        jc      .fail
        jmp     stage2
.fail:  mov     si, msg_load
        call    puts16
        mov     al, EXIT_FAIL
        jmp     exit16
msg_load:
        db      "FAIL loading stage 2", 10, 0
dap:    db      0x10, 0
        dw      STAGE2_SECTORS - 1
        dw      stage2 + 512, 0
        dq      2
drive:  db      0
        LIB16
        times   446 - ($ - $$) db 0
        times   64 db 0                         ; (no partitions)
        dw      0xAA55

; ---------------------------------------------------------------------
stage2:
        mov     si, msg_hello
        call    say
        push    es                              ; the teletype reached the screen
        mov     ax, 0xB800
        mov     es, ax
        mov     ah, 0x03
        xor     bh, bh
        int     0x10
        movzx   bx, dh                          ; the row we printed on: the one above
        dec     bx
        imul    bx, bx, 160
        cmp     dword [es:bx], 0x076F0762       ; 'b', 'o' in light gray
        pop     es
        CHECK16 e, "boot_hdd: our words are on the screen (INT 10h 0Eh)"
        call    test_params
        call    test_reads
        call    test_writes
        call    test_errors
        FINISH16

fails:  dw      0
msg_hello:
        db      "boot_hdd: booted from the hard disk, stage 2 loaded", 13, 10, 0

; say: the string at DS:SI on the screen (INT 10h teletype) and port E9h.
say:    pusha
.next:  lodsb
        test    al, al
        jz      .done
        cmp     al, 13
        je      .screen
        out     0xE9, al
.screen:
        mov     ah, 0x0E
        mov     bx, 0x0007
        int     0x10
        jmp     .next
.done:  popa
        ret

; ---- AH=41h, 48h, 08h, 15h, 10h, the BDA ----
edd_buf equ     0x0600
test_params:
        cmp     byte [drive], 0x80
        CHECK16 e, "boot drive in DL is 80h"
        cmp     byte [0x475], 1
        CHECK16 e, "BDA 475h: one hard disk"
        mov     ah, 0x41
        mov     bx, 0x55AA
        mov     dl, 0x80
        int     0x13
        CHECK16 nc, "INT 13h 41h: CF=0"
        cmp     bx, 0xAA55
        CHECK16 e, "INT 13h 41h: BX=AA55h"
        test    cx, 1
        CHECK16 nz, "INT 13h 41h: CX bit 0 (42h-44h, 47h, 48h)"
        mov     word [edd_buf], 0x1E
        mov     ah, 0x48
        mov     dl, 0x80
        mov     si, edd_buf
        int     0x13
        CHECK16 nc, "INT 13h 48h: CF=0"
        cmp     dword [edd_buf + 16], DISK_SECTORS & 0xFFFFFFFF
        CHECK16 e, "INT 13h 48h: sectors (low dword)"
        cmp     dword [edd_buf + 20], DISK_SECTORS >> 32
        CHECK16 e, "INT 13h 48h: sectors (high dword)"
        cmp     word [edd_buf + 24], 512
        CHECK16 e, "INT 13h 48h: 512 bytes a sector"
        mov     ah, 0x08
        mov     dl, 0x80
        int     0x13
        CHECK16 nc, "INT 13h 08h: CF=0"
        cmp     dl, 1
        CHECK16 e, "INT 13h 08h: DL = 1 hard disk"
        cmp     dh, LHEADS - 1
        CHECK16 e, "INT 13h 08h: last head"
        mov     al, cl
        and     al, 0x3F
        cmp     al, LSPT
        CHECK16 e, "INT 13h 08h: sectors per track"
        movzx   ax, cl
        shl     ax, 2
        and     ax, 0x300
        mov     al, ch
        cmp     ax, LCYLS - 2
        CHECK16 e, "INT 13h 08h: last cylinder (one kept back)"
        mov     ah, 0x15
        mov     dl, 0x80
        int     0x13
        cmp     ah, 0x03
        CHECK16 e, "INT 13h 15h: AH=03h, a hard disk"
        mov     ah, 0x10
        mov     dl, 0x80
        int     0x13
        CHECK16 nc, "INT 13h 10h: the drive is ready"
        les     bx, [0x41 * 4]
        cmp     word [es:bx], LCYLS
        CHECK16 e, "INT 41h: fixed disk parameters, cylinders"
        cmp     byte [es:bx + 14], LSPT
        CHECK16 e, "INT 41h: fixed disk parameters, sectors"
        xor     ax, ax
        mov     es, ax
        ret

; tagged: ZF=1 when the sector at ES:DI carries LBA EAX's tag.
tagged: push    si
        push    di
        push    cx
        cmp     [es:di], eax
        jne     .done
        add     di, 4
        mov     si, tag
        mov     cx, tag_len
        repe    cmpsb
.done:  pop     cx
        pop     di
        pop     si
        ret
tag:    db      "x86lab-sector"
tag_len equ     $ - tag

; chs_of: CX, DH = the CHS of LBA EAX in the geometry above (DL kept).
chs_of: push    eax
        push    ebx
        push    edx
        xor     edx, edx
        mov     ebx, LSPT
        div     ebx                             ; EAX = track, EDX = sector - 1
        inc     dl
        mov     cl, dl
        xor     edx, edx
        mov     ebx, LHEADS
        div     ebx                             ; EAX = cylinder, EDX = head
        mov     ch, al
        shl     ah, 6
        or      cl, ah
        mov     bh, dl
        pop     edx
        mov     dh, bh
        pop     ebx
        pop     eax
        ret

; the disk address packet of the LBA calls
xdap:   db      0x10, 0                         ; size
        dw      0                               ; +2 sectors
        dw      0, 0                            ; +4 buffer offset, segment
        dq      0                               ; +8 first sector

; ---- reads ----
test_reads:
        mov     eax, TAG_LBA                    ; CHS
        call    chs_of
        mov     dl, 0x80
        mov     bx, 0x1000
        mov     ax, 0x0201
        int     0x13
        CHECK16 nc, "INT 13h 02h (CHS of LBA 3000): CF=0"
        cmp     al, 1
        CHECK16 e, "INT 13h 02h: AL=1"
        mov     eax, TAG_LBA
        mov     di, 0x1000
        call    tagged
        CHECK16 e, "INT 13h 02h: the sector tagged 3000"
        mov     eax, TAG_LBA + 1                ; LBA
        mov     cx, 1
        mov     bx, 0x1200
        mov     byte [lba_fn], 0x42
        call    lba_read
        CHECK16 nc, "INT 13h 42h (LBA 3001): CF=0"
        mov     eax, TAG_LBA + 1
        mov     di, 0x1200
        call    tagged
        CHECK16 e, "INT 13h 42h: the sector tagged 3001"
        ; the last sector CHS reaches, by CHS and by LBA
        mov     eax, CHS_LAST_LBA
        call    chs_of
        mov     dl, 0x80
        mov     bx, 0x1400
        mov     ax, 0x0201
        int     0x13
        CHECK16 nc, "INT 13h 02h at the last CHS cylinder: CF=0"
        mov     eax, CHS_LAST_LBA
        mov     di, 0x1400
        call    tagged
        CHECK16 e, "INT 13h 02h at the last CHS cylinder: its tag"
        ; 130 sectors to 2000:0000 in one call (more than one command,
        ; past a 64 KiB segment)
        mov     word [xdap + 6], 0x2000
        mov     eax, TAG_RUN
        mov     cx, TAG_RUN_COUNT
        xor     bx, bx
        mov     byte [lba_fn], 0x42
        call    lba_read
        mov     word [xdap + 6], 0
        CHECK16 nc, "INT 13h 42h, 130 sectors: CF=0"
        cmp     word [xdap + 2], TAG_RUN_COUNT
        CHECK16 e, "INT 13h 42h: the packet says 130 done"
        push    es
        mov     ax, 0x2000
        mov     es, ax
        xor     di, di
        mov     eax, TAG_RUN
        mov     cx, TAG_RUN_COUNT
        mov     byte [run_ok], 1
.run:   call    tagged
        je      .run_next
        mov     byte [run_ok], 0
.run_next:
        inc     eax
        add     di, 512                         ; (DI wraps at 64 KiB ...)
        jnz     .run_seg
        mov     bx, es                          ; (... and ES moves on)
        add     bx, 0x1000
        mov     es, bx
.run_seg:
        loop    .run
        pop     es
        cmp     byte [run_ok], 1
        CHECK16 e, "INT 13h 42h: all 130 sectors tagged in order"
        mov     eax, DISK_SECTORS - 1           ; the last sector
        mov     cx, 1
        mov     bx, 0x1600
        mov     byte [lba_fn], 0x42
        call    lba_read
        CHECK16 nc, "INT 13h 42h the last sector: CF=0"
        mov     eax, DISK_SECTORS - 1
        mov     di, 0x1600
        call    tagged
        CHECK16 e, "INT 13h 42h the last sector: its tag"
        ret
run_ok: db      0
lba_fn: db      0x42

; lba_read: function [lba_fn] for CX sectors at LBA EAX (up to 2^32) to
; [xdap+6]:BX.
lba_read:
        mov     [xdap + 2], cx
        mov     [xdap + 4], bx
        mov     [xdap + 8], eax
        mov     dword [xdap + 12], 0
        mov     ah, [lba_fn]
        mov     si, xdap
        mov     dl, 0x80
        int     0x13
        ret

; ---- writes ----
test_writes:
        mov     di, 0x3000                      ; a pattern for two sectors
        mov     cx, 1024
.fill:  mov     ax, di
        xor     al, 0x5A
        add     al, ah
        stosb
        loop    .fill
        mov     eax, WRITE_LBA
        mov     cx, 2
        mov     bx, 0x3000
        mov     byte [lba_fn], 0x43
        call    lba_read
        CHECK16 nc, "INT 13h 43h near the end of the disk: CF=0"
        mov     eax, WRITE_LBA
        mov     cx, 2
        mov     bx, 0x3400
        mov     byte [lba_fn], 0x42
        call    lba_read
        CHECK16 nc, "INT 13h 42h read back: CF=0"
        mov     si, 0x3000
        mov     di, 0x3400
        mov     cx, 1024
        repe    cmpsb
        CHECK16 e, "INT 13h 43h/42h: two sectors read back as written"
        mov     eax, WRITE_LBA
        mov     cx, 2
        mov     byte [lba_fn], 0x44
        call    lba_read
        CHECK16 nc, "INT 13h 44h verify: CF=0"
        ; CHS write of sector TAG_LBA + 2, read back through LBA
        mov     eax, TAG_LBA + 2
        call    chs_of
        mov     dl, 0x80
        mov     bx, 0x3000
        mov     ax, 0x0301
        int     0x13
        CHECK16 nc, "INT 13h 03h: CF=0"
        mov     eax, TAG_LBA + 2
        mov     cx, 1
        mov     bx, 0x3800
        mov     byte [lba_fn], 0x42
        call    lba_read
        mov     si, 0x3000
        mov     di, 0x3800
        mov     cx, 512
        repe    cmpsb
        CHECK16 e, "INT 13h 03h then 42h: the sector as written"
        mov     eax, TAG_LBA + 2
        call    chs_of
        mov     dl, 0x80
        mov     ax, 0x0401
        int     0x13
        CHECK16 nc, "INT 13h 04h verify (CHS): CF=0"
        ret

; ---- errors ----
test_errors:
        mov     ax, 0x0201                      ; head beyond the geometry
        mov     cx, 0x0001
        mov     dx, (LHEADS << 8) | 0x80
        mov     bx, 0x1000
        int     0x13
        CHECK16 c, "INT 13h 02h with a head too far: CF=1"
        cmp     ah, 0x01
        CHECK16 e, "INT 13h 02h with a head too far: AH=01h"
        mov     ah, 0x01
        mov     dl, 0x80
        int     0x13
        cmp     ah, 0x01
        CHECK16 e, "INT 13h 01h: the last status"
        mov     eax, DISK_SECTORS & 0xFFFFFFFF  ; the first sector past the end
        mov     edx, DISK_SECTORS >> 32
        mov     cx, 1
        mov     bx, 0x1000
        mov     ah, 0x42
        mov     [xdap + 2], cx
        mov     [xdap + 4], bx
        mov     [xdap + 8], eax
        mov     [xdap + 12], edx
        mov     si, xdap
        mov     dl, 0x80
        int     0x13
        CHECK16 c, "INT 13h 42h past the end: CF=1"
        mov     eax, DISK_SECTORS - 1           ; two sectors from the last one
        mov     cx, 2
        mov     bx, 0x1000
        mov     byte [lba_fn], 0x42
        call    lba_read
        CHECK16 c, "INT 13h 42h running off the end: CF=1"
        mov     ah, 0x08                        ; a second disk that is not there
        mov     dl, 0x81
        int     0x13
        CHECK16 c, "INT 13h 08h drive 81h: CF=1"
        mov     ah, 0x15
        mov     dl, 0x81
        int     0x13
        CHECK16 nc, "INT 13h 15h drive 81h: CF=0"
        cmp     ah, 0
        CHECK16 e, "INT 13h 15h drive 81h: AH=0, no such drive"
        ret

stage2_end:
%if STAGE2_SECTORS > 60
%error "stage 2 is too big"
%endif
