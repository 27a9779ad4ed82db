; boot_disksum.asm -- a boot sector that reads its whole boot disk through
; INT 13h and prints a checksum of it, for tests/scripts/boot_disksum.sh,
; which computes the same checksum from the image file and compares.
; Built with nasm -DSECTORS=n (the disk's size in 512-byte sectors); the
; boot sector loads the rest (sectors 2-3) and leaves room for a partition
; table, so the same program boots an emulated hard disk.
;   pass 1: CHS reads (AH=02h) of a track at a time, with the geometry
;           from AH=08h
;   pass 2: floppies: one sector per call; hard disks: EDD (AH=42h) reads
;           of 7 sectors a call (checked with AH=41h first)
; Each pass prints "disksum: <pass> <checksum>" on port E9h; then
; "disksum: drive DD" and the AX=4B01h answer (El Torito status: "4b01
; none" or "4b01 media MM drive DD"); with hard disk emulation, the real
; disk's number as 81h and, after AX=4B00h, as 80h again (the drive count
; and the first dword of its sector 0 each time).  Exit status 1 when both passes read
; every sector and agree, 3 otherwise.  The checksum: h = 0, then for each
; dword w of the disk in order, h = rol(h, 5) xor w.
        bits    16
        cpu     386
        org     0x7C00
%include "lib.inc"

%ifndef SECTORS
%error "SECTORS must be defined (nasm -DSECTORS=n)"
%endif
BUF_SEG equ     0x1000                  ; reads land at 1000:0000

start:  START16
        sti
        mov     [drive], dl
        mov     ax, 0x0202              ; stage 2: sectors 2-3
        mov     cx, 0x0002
        xor     dh, dh
        mov     bx, stage2
        int     0x13
        jnc     stage2
        mov     al, EXIT_FAIL
        out     EXITPORT, al
        hlt
        times   0x1BE - ($ - $$) db 0   ; (room for a partition table)
        times   510 - ($ - $$) db 0
        dw      0xAA55

stage2:
        mov     dl, [drive]
        mov     ah, 0x08                ; the geometry
        int     0x13
        jc      fail
        mov     al, cl
        and     ax, 0x3F
        mov     [spt], ax
        movzx   ax, dh
        inc     ax
        mov     [heads], ax
        ; pass 1: track by track
        xor     ebp, ebp                ; checksum
        xor     esi, esi                ; next LBA
.track: cmp     esi, SECTORS
        jae     .pass1_done
        mov     eax, esi                ; sectors left in this track
        xor     edx, edx
        movzx   ecx, word [spt]
        div     ecx
        sub     cx, dx                  ; spt - sector index
        mov     eax, SECTORS
        sub     eax, esi
        cmp     eax, ecx
        jae     .count
        mov     cx, ax
.count: call    read_chs
        jc      fail
        add     esi, ecx
        jmp     .track
.pass1_done:
        mov     si, msg_chs
        call    print_sum
        ; pass 2
        mov     [sum1], ebp
        xor     ebp, ebp
        xor     esi, esi
        test    byte [drive], 0x80
        jnz     .edd
.single:
        cmp     esi, SECTORS
        jae     .pass2_done
        mov     cx, 1
        call    read_chs
        jc      fail
        inc     esi
        jmp     .single
.edd:   mov     ah, 0x41
        mov     bx, 0x55AA
        mov     dl, [drive]
        int     0x13
        jc      fail
        cmp     bx, 0xAA55
        jne     fail
.packet:
        mov     eax, SECTORS
        sub     eax, esi
        jz      .pass2_done
        cmp     eax, 7
        jbe     .n
        mov     ax, 7
.n:     mov     [dap + 2], ax
        mov     [dap + 8], esi
        push    si
        mov     si, dap
        mov     ah, 0x42
        mov     dl, [drive]
        int     0x13
        pop     si
        jc      fail
        movzx   ecx, word [dap + 2]
        call    sum_buffer
        add     esi, ecx
        jmp     .packet
.pass2_done:
        mov     si, msg_pass2
        call    print_sum
        mov     si, msg_drive
        call    puts16
        movzx   ax, byte [drive]
        call    hex16
        mov     ax, 0x4B01              ; El Torito emulation status
        mov     dl, 0x7F
        mov     si, status
        int     0x13
        mov     si, msg_none
        jc      .say
        mov     si, msg_media
        call    puts16
        movzx   ax, byte [status + 1]
        call    hex16
        mov     si, msg_on
        call    puts16
        movzx   ax, byte [status + 2]
        call    hex16
        mov     si, msg_nl
.say:   call    puts16
        cmp     byte [status + 1], 4            ; hard disk emulation:
        jne     .compare
        call    test_renumbering                ; the real disk is 81h
.compare:
        cmp     ebp, [sum1]
        jne     fail
        mov     al, EXIT_PASS
        jmp     exit16
fail:   mov     si, msg_fail
        call    puts16
        mov     al, EXIT_FAIL
        jmp     exit16

; test_renumbering: while the image is 80h, the first real hard disk is
; 81h; after AX=4B00h it is 80h again.  Prints the drive count AH=08h
; gives and the first dword of the real disk's sector 0, before and after.
test_renumbering:
        mov     si, msg_count
        call    disk_count
        mov     si, msg_81h
        mov     dl, 0x81
        call    first_dword
        mov     ax, 0x4B00                      ; end the emulation
        mov     dl, 0x7F
        mov     si, status
        int     0x13
        jc      fail
        mov     si, msg_count_after
        call    disk_count
        mov     si, msg_80h
        mov     dl, 0x80
        jmp     first_dword

; disk_count: the name at SI, then DL of AH=08h for drive 80h.
disk_count:
        call    puts16
        mov     ah, 0x08
        mov     dl, 0x80
        int     0x13
        jc      fail
        movzx   ax, dl
        call    hex16
        mov     si, msg_nl
        jmp     puts16

; first_dword: the name at SI, then the first dword of sector 0 of drive
; DL (read to 1000:0000).
first_dword:
        call    puts16
        push    es
        push    word BUF_SEG
        pop     es
        xor     bx, bx
        mov     ax, 0x0201
        mov     cx, 0x0001
        xor     dh, dh
        int     0x13
        jc      fail
        mov     ax, [es:2]
        call    hex16
        mov     ax, [es:0]
        call    hex16
        pop     es
        mov     si, msg_nl
        jmp     puts16

; read_chs: CX sectors (within one track) from LBA ESI into 1000:0000 by
; AH=02h, then into the checksum.  CF=1 on an error.
read_chs:
        pushad
        mov     eax, esi
        xor     edx, edx
        movzx   ebx, word [spt]
        div     ebx                     ; EAX = track, DX = sector - 1
        inc     dx
        mov     cl, dl
        xor     dx, dx
        div     word [heads]            ; AX = cylinder, DX = head
        mov     dh, dl
        mov     ch, al
        shl     ah, 6
        or      cl, ah
        mov     dl, [drive]
        push    es
        push    word BUF_SEG
        pop     es
        xor     bx, bx
        mov     al, [esp + 2 + 24]      ; the caller's CL: the count
        mov     ah, 0x02
        int     0x13
        pop     es
        popad
        jc      .done
        call    sum_buffer
.done:  ret

; sum_buffer: CX sectors at 1000:0000 into the checksum EBP.
sum_buffer:
        pushad
        push    ds
        push    word BUF_SEG
        pop     ds
        shl     cx, 7                   ; dwords
        xor     si, si
.next:  lodsd
        rol     ebp, 5
        xor     ebp, eax
        loop    .next
        pop     ds
        mov     [esp + 8], ebp          ; (popad's EBP slot)
        popad
        ret

; print_sum: the name at SI, then EBP in hex.
print_sum:
        call    puts16
        ror     ebp, 16
        mov     ax, bp
        call    hex16
        ror     ebp, 16
        mov     ax, bp
        call    hex16
        mov     si, msg_nl
        jmp     puts16

msg_chs:        db      "disksum: chs ", 0
msg_pass2:      db      "disksum: pass2 ", 0
msg_drive:      db      "disksum: drive ", 0
msg_none:       db      10, "disksum: 4b01 none", 10, 0
msg_media:      db      10, "disksum: 4b01 media ", 0
msg_on:         db      " drive ", 0
msg_fail:       db      "disksum: FAIL", 10, 0
msg_count:      db      "disksum: hard disks ", 0
msg_count_after: db     "disksum: after 4b00 hard disks ", 0
msg_81h:        db      "disksum: 81h sector 0 ", 0
msg_80h:        db      "disksum: 80h sector 0 ", 0
msg_nl:         db      10, 0
        LIB16
dap:    dw      0x10, 0, 0, BUF_SEG
        dd      0, 0
%if $ - stage2 > 1024
%error "stage 2 is more than 2 sectors"
%endif
        times   1536 - ($ - $$) db 0

; variables past the program (not on the disk)
drive   equ     0x8400
spt     equ     0x8402
heads   equ     0x8404
sum1    equ     0x8408
status  equ     0x8410                  ; 13h bytes of AX=4B01h
