; cdemu.asm -- El Torito disk emulation: a CD whose boot catalog's
; default entry is a floppy image (1.2, 1.44 or 2.88 MB) or a hard disk
; image boots as if that image were drive 00h or 80h.  The BIOS then
; answers INT 13h for that drive number from the image's 512-byte sectors
; inside the CD's 2048-byte blocks (read-only), and moves the real drives
; of that kind up by one (physical A: becomes 01h, the first hard disk
; 81h).  AX=4B00h ends the emulation, AX=4B01h reports it (the
; specification's 13h-byte packet), for a no-emulation boot too.
;   emulated drive: AH=00h reset  01h status  02h read  03h write
;   (write protected)  04h verify  08h parameters  15h type  16h change
;   line; a hard disk also AH=41h/42h (EDD read) and 48h.

; the emulation's state, in the EBDA
CDEMU_BOOTED    equ     0x3C0           ; byte: 1 after an El Torito boot
CDEMU_MEDIA     equ     0x3C1           ; byte: 0 none, 1-3 floppy, 4 hard disk
CDEMU_DRIVE     equ     0x3C2           ; byte: the drive it answers for
CDEMU_CD        equ     0x3C3           ; byte: which CD-ROM (0 = E0h)
CDEMU_LBA       equ     0x3C4           ; dword: the image's first CD block
CDEMU_LOADSEG   equ     0x3C8           ; word
CDEMU_COUNT     equ     0x3CA           ; word: sectors loaded at boot
CDEMU_CYLS      equ     0x3CC           ; word: the emulated geometry
CDEMU_HEADS     equ     0x3CE           ; word
CDEMU_SPT       equ     0x3D0           ; word
CDEMU_SECTORS   equ     0x3D4           ; dword: the image's 512-byte sectors
CDEMU_NEXT      equ     0x3D8           ; dword: cdemu_read's next sector
CDEMU_LEFT      equ     0x3DC           ; word: ... sectors still to read
CDEMU_DONE      equ     0x3DE           ; word: ... sectors read
MEDIA_HARD_DISK equ     4
HDK_CDEMU       equ     3               ; HD table kind of the emulated disk
CDEMU_PACKET    equ     0x13            ; size of AX=4B01h's packet

; floppy images: sectors per track of media 1 (1.2 MB), 2 (1.44 MB),
; 3 (2.88 MB), all 80 cylinders, 2 heads; and the CMOS drive type each
; would be in (for AH=08h).
cdemu_floppy_spt:       db      0, 15, 18, 36
cdemu_floppy_type:      db      0, 2, 4, 5

; ---- reading the image ----
; cdemu_read: CX sectors (512 bytes) from sector EAX of the image into
; ES:DI.  Whole CD blocks go straight to the buffer; a sector that is a
; quarter of a block is picked out of it (atapi_take_part).  AL = status,
; CX = sectors read.  FS = EBDA.  Preserves BX, SI.
cdemu_read:
        call    cdemu_hypercall                 ; the paravirtual path (hypercall.asm)
        jc      .atapi
        xor     al, al
        ret
.atapi: push    bx
        push    si
        mov     [fs:CDEMU_NEXT], eax
        mov     [fs:CDEMU_LEFT], cx
        mov     word [fs:CDEMU_DONE], 0
        movzx   bx, byte [fs:CDEMU_CD]
        shl     bx, 5
        add     bx, EBDA_CD_TABLE
.next:  mov     cx, [fs:CDEMU_LEFT]
        test    cx, cx
        jz      .ok
        mov     eax, [fs:CDEMU_NEXT]
        test    al, 3
        jnz     .quarter
        cmp     cx, 4
        jb      .quarter
        shr     cx, 2                           ; whole blocks, 16 at most
        cmp     cx, 16
        jbe     .blocks
        mov     cx, 16
.blocks:
        shr     eax, 2
        add     eax, [fs:CDEMU_LBA]
        mov     [fs:RQ_LBA], eax
        mov     [fs:RQ_COUNT], cx
        call    cd_read_blocks                  ; ES:DI moves past the data
        test    al, al
        jnz     .done
        mov     cx, [fs:RQ_DONE]
        shl     cx, 2
        jmp     .advance
.quarter:
        shr     eax, 2
        add     eax, [fs:CDEMU_LBA]
        mov     [fs:RQ_LBA], eax
        mov     word [fs:RQ_DONE], 0
        mov     cx, 1
        call    cd_packet_read10
        mov     ax, [fs:CDEMU_NEXT]
        and     ax, 3
        shl     ax, 9
        mov     [fs:ATAPI_SKIP], ax
        mov     word [fs:ATAPI_POS], 0
        mov     byte [fs:ATAPI_PARTIAL], 1
        call    atapi_command
        mov     byte [fs:ATAPI_PARTIAL], 0
        test    al, al
        jnz     .done
        mov     al, DISK_CTRL_FAIL
        cmp     word [fs:RQ_BYTES], CD_BLOCK
        jne     .done
        mov     cx, 1
.advance:
        add     [fs:CDEMU_DONE], cx
        sub     [fs:CDEMU_LEFT], cx
        movzx   ecx, cx
        add     [fs:CDEMU_NEXT], ecx
        jmp     .next
.ok:    xor     al, al
.done:  mov     cx, [fs:CDEMU_DONE]
        pop     si
        pop     bx
        ret

; ---- booting ----
; cdemu_no_emulation: notes a no-emulation boot from CD-ROM E0h (for
; AX=4B01h).  DS = 0, ES:0 = the boot catalog.
cdemu_no_emulation:
        push    fs
        mov     fs, [0x400 + BDA_EBDA]
        call    cdemu_note_entry
        mov     byte [fs:CDEMU_DRIVE], CD_FIRST_DRIVE
        pop     fs
        ret

; cdemu_note_entry: the catalog's default entry (at ES:20h) into the EBDA.
cdemu_note_entry:
        mov     byte [fs:CDEMU_BOOTED], 1
        mov     byte [fs:CDEMU_MEDIA], 0        ; (routes nothing until the end)
        mov     byte [fs:CDEMU_CD], 0
        mov     eax, [es:0x28]
        mov     [fs:CDEMU_LBA], eax
        mov     ax, [es:0x22]
        test    ax, ax
        jnz     .segment
        mov     ax, 0x07C0
.segment:
        mov     [fs:CDEMU_LOADSEG], ax
        mov     ax, [es:0x26]
        mov     [fs:CDEMU_COUNT], ax
        ret

; cdemu_boot (from cd_boot): the default entry at ES:20h asks for
; emulation.  The geometry comes from the media type (floppies) or from
; the image's partition table (hard disks: partition 1's last cylinder,
; head and sector); the image's first CDEMU_COUNT sectors are loaded at
; the load segment and run with DL = 00h or 80h.  Returns (with a
; message) if it cannot.  DS = 0.
cdemu_boot:
        mov     fs, [0x400 + BDA_EBDA]
        call    cdemu_note_entry
        mov     al, [es:0x21]
        and     al, 0x0F
        mov     si, msg_cd_bad_media
        cmp     al, MEDIA_HARD_DISK
        ja      .fail
        push    ax                              ; the media type, set at the end
        mov     word [fs:CDEMU_CYLS], 80
        mov     word [fs:CDEMU_HEADS], 2
        mov     byte [fs:CDEMU_DRIVE], 0x00
        mov     si, msg_cd_floppy
        je      .hard_disk
        movzx   bx, al
        movzx   ax, byte [cs:cdemu_floppy_spt + bx]
        mov     [fs:CDEMU_SPT], ax
        jmp     .geometry
.hard_disk:
        mov     byte [fs:CDEMU_DRIVE], 0x80
        xor     eax, eax                        ; the image's MBR
        mov     cx, 1
        xor     di, di
        push    es
        call    cdemu_read                      ; (moves ES on)
        pop     es
        test    al, al
        jnz     .read_error
        call    cdemu_partition_geometry
        mov     si, msg_cd_bad_mbr
        jc      .fail_pop
        mov     si, msg_cd_hard_disk
.geometry:
        call    print_str
        movzx   eax, word [fs:CDEMU_CYLS]
        movzx   ecx, word [fs:CDEMU_HEADS]
        imul    eax, ecx
        mov     cx, [fs:CDEMU_SPT]
        imul    eax, ecx
        mov     [fs:CDEMU_SECTORS], eax
        mov     es, [fs:CDEMU_LOADSEG]          ; load the boot image
        xor     di, di
        mov     cx, [fs:CDEMU_COUNT]
        test    cx, cx
        jnz     .count
        inc     cx
.count: xor     eax, eax
        call    cdemu_read
        test    al, al
        jnz     .read_error
        pop     ax
        mov     [fs:CDEMU_MEDIA], al            ; INT 13h answers from now on
        call    cdemu_attach
        mov     si, msg_crlf
        call    print_str
        mov     bx, [fs:CDEMU_LOADSEG]
        cmp     bx, 0x1000                      ; 07C0h runs as 0000:7C00,
        jae     .far                            ; as a boot sector expects
        shl     bx, 4
        push    word 0
        push    bx
        jmp     .go
.far:   push    bx
        push    word 0
.go:    movzx   dx, byte [fs:CDEMU_DRIVE]       ; DL = the drive, the rest 0
        xor     ax, ax                          ; as for a floppy or disk boot
        mov     es, ax
        xor     bx, bx
        xor     cx, cx
        xor     si, si
        xor     di, di
        xor     bp, bp
        retf
.read_error:
        mov     ah, al
        mov     si, msg_read_error
        call    print_str
        mov     al, ah
        call    print_hex8
        mov     si, msg_crlf
.fail_pop:
        pop     ax
.fail:  mov     byte [fs:CDEMU_BOOTED], 0
        call    print_str
        ret

; cdemu_partition_geometry: the geometry from the MBR at ES:0 (partition
; 1's ending CHS); CF=1 if there is none.
cdemu_partition_geometry:
        cmp     word [es:0x1FE], 0xAA55
        jne     .bad
        movzx   ax, byte [es:0x1C3]             ; last head
        inc     ax
        mov     [fs:CDEMU_HEADS], ax
        movzx   ax, byte [es:0x1C4]             ; sector, cylinder bits 8-9
        and     al, 0x3F
        jz      .bad
        mov     [fs:CDEMU_SPT], ax
        movzx   ax, byte [es:0x1C4]
        shl     ax, 2
        and     ax, 0x300
        mov     al, [es:0x1C5]
        inc     ax
        mov     [fs:CDEMU_CYLS], ax
        clc
        ret
.bad:   stc
        ret

; cdemu_attach: the emulated drive joins the machine: one more floppy in
; the equipment word, or the hard disk table moved up one entry (the last
; drops out when it is full) with the image as 80h.  DS = 0.
cdemu_attach:
        cmp     byte [fs:CDEMU_MEDIA], MEDIA_HARD_DISK
        je      .disk
        mov     ax, [0x400 + BDA_EQUIP]
        test    al, 0x01
        jz      .first
        cmp     al, 0xC0                        ; four drives already
        jae     .done
        add     al, 0x40
        jmp     .set
.first: or      al, 0x01                        ; one drive (count field 0)
.set:   mov     [0x400 + BDA_EQUIP], ax
.done:  ret
.disk:  push    ds
        push    es
        push    fs
        pop     ds
        push    fs
        pop     es
        std                                     ; entries 0-2 -> 1-3, from the end
        mov     si, EBDA_HD_TABLE + (HD_MAX - 1) * HD_ENTRY - 2
        mov     di, EBDA_HD_TABLE + HD_MAX * HD_ENTRY - 2
        mov     cx, (HD_MAX - 1) * HD_ENTRY / 2
        rep     movsw
        cld
        mov     di, EBDA_HD_TABLE               ; entry 0: the image
        xor     ax, ax
        mov     cx, HD_ENTRY / 2
        rep     stosw
        mov     byte [EBDA_HD_TABLE + HD_KIND], HDK_CDEMU
        mov     ax, [CDEMU_CYLS]
        mov     [EBDA_HD_TABLE + HD_LCYLS], ax
        mov     [EBDA_HD_TABLE + HD_PCYLS], ax
        mov     ax, [CDEMU_HEADS]
        mov     [EBDA_HD_TABLE + HD_LHEADS], ax
        mov     [EBDA_HD_TABLE + HD_PHEADS], ax
        mov     ax, [CDEMU_SPT]
        mov     [EBDA_HD_TABLE + HD_LSPT], ax
        mov     [EBDA_HD_TABLE + HD_PSPT], ax
        mov     eax, [CDEMU_SECTORS]
        mov     [EBDA_HD_TABLE + HD_SECTORS], eax
        pop     es
        pop     ds
        cmp     byte [0x400 + BDA_HD_COUNT], HD_MAX
        jae     .full
        inc     byte [0x400 + BDA_HD_COUNT]
.full:  ret

; cdemu_detach: AX=4B00h: the real drives get their numbers back.  DS =
; BDA, FS = EBDA.
cdemu_detach:
        cmp     byte [fs:CDEMU_MEDIA], MEDIA_HARD_DISK
        je      .disk
        mov     ax, [BDA_EQUIP]
        sub     al, 0x40                        ; one drive fewer ...
        jnc     .set
        and     al, 0x3E                        ; ... or none
.set:   mov     [BDA_EQUIP], ax
        jmp     .done
.disk:  push    ds
        push    es
        push    fs
        pop     ds
        push    fs
        pop     es
        mov     si, EBDA_HD_TABLE + HD_ENTRY
        mov     di, EBDA_HD_TABLE
        mov     cx, (HD_MAX - 1) * HD_ENTRY / 2
        rep     movsw
        xor     ax, ax
        mov     cx, HD_ENTRY / 2
        rep     stosw
        pop     es
        pop     ds
        dec     byte [BDA_HD_COUNT]
.done:  mov     byte [fs:CDEMU_MEDIA], 0
        ret

; ---- INT 13h ----
; cdemu_owns: CF=1 when the caller's drive is the emulated one.  Sets FS
; to the EBDA.  DS = BDA.
cdemu_owns:
        mov     fs, [BDA_EBDA]
        cmp     byte [fs:CDEMU_MEDIA], 0
        je      .no
        push    ax
        mov     al, [bp+R_DL]
        cmp     al, [fs:CDEMU_DRIVE]
        pop     ax
        jne     .no
        stc
        ret
.no:    clc
        ret

; cdemu_floppy_drive: DL = the physical floppy drive behind the caller's
; DL (one less while a floppy is emulated as 00h).
cdemu_floppy_drive:
        push    fs
        mov     fs, [BDA_EBDA]
        mov     dl, [bp+R_DL]
        cmp     byte [fs:CDEMU_MEDIA], 0
        je      .done
        cmp     byte [fs:CDEMU_MEDIA], MEDIA_HARD_DISK
        je      .done
        dec     dl                              ; (00h never gets here)
.done:  pop     fs
        ret

; cdemu_return: ends the call with status AL, kept as the floppy or the
; hard disk status.
cdemu_return:
        test    byte [bp+R_DL], 0x80
        jnz     hd_return
        jmp     fd_return

cdemu_service:
        mov     ah, [bp+R_AH]
        mov     al, DISK_OK
        cmp     ah, 0x00
        je      cdemu_return
        cmp     ah, 0x01
        je      disk_fn_status
        cmp     ah, 0x02
        je      cdemu_fn_chs
        cmp     ah, 0x04
        je      cdemu_fn_chs
        cmp     ah, 0x08
        je      cdemu_fn_params
        cmp     ah, 0x15
        je      cdemu_fn_type
        cmp     ah, 0x16                        ; the disk never changes
        je      cdemu_return
        cmp     ah, 0x44                        ; EDD verify and seek: the
        je      .hard_disk_only                 ; sectors are always there
        cmp     ah, 0x47
        je      .hard_disk_only
        mov     al, DISK_WPROT
        cmp     ah, 0x03
        je      cdemu_return
        cmp     ah, 0x43
        je      cdemu_return
        mov     al, DISK_BAD_CMD
        test    byte [bp+R_DL], 0x80            ; EDD: the hard disk only
        jz      cdemu_return
        mov     bx, EBDA_HD_TABLE               ; (its entry: HD_* sizes)
        cmp     ah, 0x41
        je      hd_fn_edd_check
        cmp     ah, 0x42
        je      cdemu_fn_lba
        cmp     ah, 0x48
        je      hd_fn_edd_params
        jmp     cdemu_return
.hard_disk_only:
        test    byte [bp+R_DL], 0x80
        jnz     cdemu_return
        mov     al, DISK_BAD_CMD
        jmp     cdemu_return

; AH=02h/04h: AL sectors at CH/CL/DH of the emulated geometry into ES:BX.
cdemu_fn_chs:
        mov     al, DISK_BAD_CMD
        movzx   cx, byte [bp+R_AL]
        test    cx, cx
        jz      .bad
        movzx   esi, byte [bp+R_CL]
        and     si, 0x3F                        ; sector
        jz      .bad
        cmp     si, [fs:CDEMU_SPT]
        ja      .bad
        movzx   dx, byte [bp+R_DH]
        cmp     dx, [fs:CDEMU_HEADS]
        jae     .bad
        movzx   ax, byte [bp+R_CL]
        shl     ax, 2
        and     ax, 0x300
        mov     al, [bp+R_CH]                   ; cylinder
        cmp     ax, [fs:CDEMU_CYLS]
        jae     .bad_sector
        movzx   eax, ax
        movzx   edi, word [fs:CDEMU_HEADS]
        imul    eax, edi
        movzx   edx, dx
        add     eax, edx
        movzx   edi, word [fs:CDEMU_SPT]
        imul    eax, edi
        lea     eax, [eax + esi - 1]            ; the first sector
        movzx   edx, cx
        add     edx, eax
        cmp     edx, [fs:CDEMU_SECTORS]
        ja      .bad_sector
        cmp     byte [bp+R_AH], 0x04            ; verify: nothing to move
        je      .done
        mov     es, [bp+R_ES]
        mov     di, [bp+R_BX]
        call    cdemu_read
        mov     [bp+R_AL], cl
        jmp     cdemu_return
.done:  mov     al, DISK_OK
        jmp     cdemu_return
.bad_sector:
        mov     al, DISK_NO_SECTOR
.bad:   mov     byte [bp+R_AL], 0
        jmp     cdemu_return

; AH=42h (hard disk): the disk address packet at DS:SI.
cdemu_fn_lba:
        mov     gs, [bp+R_DS]
        mov     si, [bp+R_SI]
        mov     al, DISK_BAD_CMD
        cmp     byte [gs:si], 0x10
        jb      .done
        cmp     dword [gs:si + 12], 0
        jne     .done
        mov     eax, [gs:si + 8]
        movzx   ecx, word [gs:si + 2]
        add     ecx, eax
        jc      .done
        cmp     ecx, [fs:CDEMU_SECTORS]
        ja      .done
        mov     cx, [gs:si + 2]
        les     di, [gs:si + 4]
        call    cdemu_read
        mov     [gs:si + 2], cx
.done:  jmp     cdemu_return

; AH=08h: the emulated geometry; DL = drives of that kind, and for a
; floppy BL = its drive type and ES:DI = the diskette parameter table.
cdemu_fn_params:
        mov     ax, [fs:CDEMU_CYLS]
        dec     ax
        mov     [bp+R_CH], al
        shr     ax, 2
        and     al, 0xC0
        or      al, [fs:CDEMU_SPT]
        mov     [bp+R_CL], al
        mov     al, [fs:CDEMU_HEADS]
        dec     al
        mov     [bp+R_DH], al
        mov     byte [bp+R_AL], 0
        mov     al, [BDA_HD_COUNT]
        test    byte [bp+R_DL], 0x80
        jnz     .count
        movzx   bx, byte [fs:CDEMU_MEDIA]
        mov     al, [cs:cdemu_floppy_type + bx]
        mov     [bp+R_BL], al
        mov     byte [bp+R_BH], 0
        mov     word [bp+R_DI], diskette_param_table
        mov     word [bp+R_ES], BIOS_SEG
        mov     al, [BDA_EQUIP]
        shr     al, 6
        inc     al
.count: mov     [bp+R_DL], al
        mov     al, DISK_OK
        jmp     cdemu_return

; AH=15h: a floppy drive without a change line (01h), or a hard disk
; (03h) of CX:DX sectors.
cdemu_fn_type:
        mov     byte [bp+R_AH], 0x01
        test    byte [bp+R_DL], 0x80
        jz      .done
        mov     byte [bp+R_AH], 0x03
        mov     eax, [fs:CDEMU_SECTORS]
        mov     [bp+R_DX], ax
        shr     eax, 16
        mov     [bp+R_CX], ax
.done:  CLEAR_CF
        FRAME_LEAVE

; AX=4B00h (end the emulation) / 4B01h (status): the specification's
; packet at DS:SI, for DL = the booted drive or 7Fh (any).  CF=1, AH=01h
; when nothing was booted from a CD or DL names another drive.
cdemu_fn_status:
        mov     fs, [BDA_EBDA]
        mov     al, DISK_BAD_CMD
        cmp     byte [bp+R_AL], 0x01
        ja      .done
        cmp     byte [fs:CDEMU_BOOTED], 0
        je      .done
        mov     ah, [bp+R_DL]
        cmp     ah, 0x7F
        je      .drive_ok
        cmp     ah, [fs:CDEMU_DRIVE]
        jne     .done
.drive_ok:
        mov     es, [bp+R_DS]
        mov     di, [bp+R_SI]
        mov     byte [es:di], CDEMU_PACKET
        mov     al, [fs:CDEMU_MEDIA]
        mov     [es:di + 1], al
        mov     al, [fs:CDEMU_DRIVE]
        mov     [es:di + 2], al
        mov     al, [fs:CDEMU_CD]
        mov     [es:di + 3], al                 ; controller index
        mov     eax, [fs:CDEMU_LBA]
        mov     [es:di + 4], eax
        movzx   bx, byte [fs:CDEMU_CD]          ; device: bit 0 = slave
        shl     bx, 5
        mov     al, [fs:EBDA_CD_TABLE + bx + HD_SELECT]
        shr     al, 4
        and     ax, 1
        mov     [es:di + 8], ax
        mov     word [es:di + 10], 0            ; no user buffer
        mov     ax, [fs:CDEMU_LOADSEG]
        mov     [es:di + 12], ax
        mov     ax, [fs:CDEMU_COUNT]
        mov     [es:di + 14], ax
        mov     ax, [fs:CDEMU_CYLS]             ; geometry as INT 13h AH=08h
        dec     ax
        mov     [es:di + 16], al
        shr     ax, 2
        and     al, 0xC0
        or      al, [fs:CDEMU_SPT]
        mov     [es:di + 17], al
        mov     al, [fs:CDEMU_HEADS]
        dec     al
        mov     [es:di + 18], al
        cmp     byte [fs:CDEMU_MEDIA], 0
        jne     .emulating
        mov     dword [es:di + 16], 0           ; no emulation: no geometry
.emulating:
        cmp     byte [bp+R_AL], 0x00            ; 4B00h: the end of it
        jne     .ok
        cmp     byte [fs:CDEMU_MEDIA], 0
        je      .ok
        call    cdemu_detach
.ok:    mov     al, DISK_OK
.done:  jmp     hd_return

msg_cd_floppy:    db      " (floppy emulation)", 0
msg_cd_hard_disk: db      " (hard disk emulation)", 0
msg_cd_bad_media: db      ": unknown emulation type in the boot catalog", 13, 10, 0
msg_cd_bad_mbr:   db      ": the hard disk image has no partition table", 13, 10, 0

