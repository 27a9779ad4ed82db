; cdrom.asm -- ATAPI CD-ROM drives: the PACKET protocol (a 12-byte SCSI
; command through the data port, then the data in pieces whose size the
; drive puts in the cylinder registers), INT 13h for them as drives E0h
; and up (EDD only: 2048-byte blocks), and booting a CD by the El Torito
; specification (no-emulation images here; floppy and hard disk emulation
; in cdemu.asm).
;   AH=00h reset (nothing to do)   AH=01h status   AH=41h EDD check
;   AH=42h read   AH=43h write: write protected   AH=47h seek   AH=48h
;   parameters (size from READ CAPACITY)
; A drive's entry in the EBDA's CD table is at FS:BX (HD_* layout).

ATAPI_PACKET    equ     0x3A0           ; EBDA: the 12-byte command being sent
ATAPI_CAPACITY  equ     0x3B0           ; EBDA: READ CAPACITY's 8 bytes
RQ_BYTES        equ     0x7A            ; EBDA (word): bytes the last command moved
ATAPI_PARTIAL   equ     0x3B8           ; EBDA (byte): 1 = keep only 512 bytes
ATAPI_SKIP      equ     0x3BA           ; EBDA (word): ... from this byte of the data
ATAPI_POS       equ     0x3BC           ; EBDA (word): data bytes seen so far
CD_BLOCK        equ     2048
ATA_CMD_PACKET  equ     0xA0
SCSI_READ10     equ     0x28
SCSI_CAPACITY   equ     0x25
BOOT_BUFFER_SEG equ     0x7000          ; 7000:0000, scratch for INT 19h

; atapi_command: sends the packet at FS:ATAPI_PACKET to drive FS:BX and
; takes what it answers into ES:DI (the drive offers at most 2048 bytes a
; piece; ES:DI moves on, DI kept below 16).  RQ_BYTES = bytes received.
; AL = status: 0, 80h timeout, AAh not ready (no disc), 04h beyond the
; disc, 20h other errors.  Preserves BX, SI.
atapi_command:
        push    si
        push    ds
        mov     word [fs:RQ_BYTES], 0
        xor     al, al
        call    ata_select
        jc      .timeout
        mov     dx, [fs:bx + HD_BASE]
        add     dx, ATA_FEATURE
        xor     al, al                          ; PIO, no overlap
        out     dx, al
        add     dx, ATA_LBA1 - ATA_FEATURE      ; byte count limit: 2048
        mov     al, CD_BLOCK & 0xFF
        out     dx, al
        inc     dx
        mov     al, CD_BLOCK >> 8
        out     dx, al
        add     dx, ATA_COMMAND - ATA_LBA2
        mov     al, ATA_CMD_PACKET
        out     dx, al
        call    ata_delay
        call    ata_wait                        ; the drive asks for the packet
        jc      .timeout
        test    al, ST_ERR
        jnz     .error
        test    al, ST_DRQ
        jz      .error
        push    fs
        pop     ds
        mov     si, ATAPI_PACKET
        mov     cx, 6
        mov     dx, [fs:bx + HD_BASE]
        rep     outsw
        pop     ds
        push    ds
.piece: call    ata_delay
        call    ata_wait
        jc      .timeout
        test    al, ST_ERR
        jnz     .error
        test    al, ST_DRQ                      ; no more data: the command is over
        jz      .ok
        mov     dx, [fs:bx + HD_BASE]
        add     dx, ATA_LBA1
        in      al, dx
        mov     cl, al
        inc     dx
        in      al, dx
        mov     ch, al                          ; CX = bytes in this piece
        add     [fs:RQ_BYTES], cx
        shr     cx, 1
        mov     dx, [fs:bx + HD_BASE]
        cmp     byte [fs:ATAPI_PARTIAL], 0
        jne     .part
        rep     insw
        jmp     .taken
.part:  call    atapi_take_part
.taken:
        mov     ax, di                          ; ES:DI normalised again
        shr     ax, 4
        mov     cx, es
        add     cx, ax
        mov     es, cx
        and     di, 0x0F
        jmp     .piece
.ok:    xor     al, al
        jmp     .done
.timeout:
        mov     al, DISK_TIMEOUT
        jmp     .done
.error: mov     dx, [fs:bx + HD_BASE]           ; the sense key is in the
        add     dx, ATA_ERROR                   ; error register's high nibble
        in      al, dx
        shr     al, 4
        cmp     al, 0x02                        ; NOT READY: no disc
        mov     al, 0xAA
        je      .done
        in      al, dx
        shr     al, 4
        cmp     al, 0x05                        ; ILLEGAL REQUEST: LBA out of range
        mov     al, DISK_NO_SECTOR
        je      .done
        mov     al, DISK_CTRL_FAIL
.done:  pop     ds
        pop     si
        ret

; atapi_take_part: CX words from the data port DX, keeping only the 512
; bytes from byte ATAPI_SKIP of the command's data (to ES:DI) and dropping
; the rest: how a 512-byte sector of an emulated disk is read out of a
; 2048-byte CD block (cdemu.asm).  ATAPI_POS counts the bytes seen.
atapi_take_part:
        push    si
.word:  in      ax, dx
        mov     si, [fs:ATAPI_POS]
        sub     si, [fs:ATAPI_SKIP]
        cmp     si, 512
        jae     .drop
        stosw
.drop:  add     word [fs:ATAPI_POS], 2
        loop    .word
        pop     si
        ret

; swap32: EAX's bytes in the other order (BSWAP, which a 386 lacks).
swap32: xchg    al, ah
        rol     eax, 16
        xchg    al, ah
        ret

; ---- INT 13h for drives E0h and up ----
cd_service:
        mov     ah, [bp+R_AH]
        mov     al, [bp+R_DL]
        sub     al, CD_FIRST_DRIVE
        mov     fs, [BDA_EBDA]
        cmp     al, [fs:EBDA_CD_COUNT]
        jae     .bad
        movzx   bx, al
        shl     bx, 5
        add     bx, EBDA_CD_TABLE
        mov     al, DISK_OK
        cmp     ah, 0x00
        je      hd_return
        cmp     ah, 0x01
        je      disk_fn_status
        cmp     ah, 0x41
        je      hd_fn_edd_check
        cmp     ah, 0x42
        je      cd_fn_read
        cmp     ah, 0x43
        je      .protected
        cmp     ah, 0x47
        je      hd_return
        cmp     ah, 0x48
        je      cd_fn_params
.bad:   mov     al, DISK_BAD_CMD
        jmp     hd_return
.protected:
        mov     al, DISK_WPROT
        jmp     hd_return

; AH=42h: the disk address packet at DS:SI counts 2048-byte blocks.
cd_fn_read:
        mov     gs, [bp+R_DS]
        mov     si, [bp+R_SI]
        mov     al, DISK_BAD_CMD
        cmp     byte [gs:si], 0x10
        jb      .done
        cmp     dword [gs:si + 12], 0           ; CDs have 32-bit block numbers
        jne     .done
        les     di, [gs:si + 4]
        mov     ax, es
        and     ax, di
        cmp     ax, 0xFFFF                      ; a 64-bit buffer address
        mov     al, DISK_BAD_CMD
        je      .done
        mov     eax, [gs:si + 8]
        mov     [fs:RQ_LBA], eax
        mov     cx, [gs:si + 2]
        mov     [fs:RQ_COUNT], cx
        mov     al, DISK_OK
        jcxz    .done
        call    cd_read_blocks
        mov     cx, [fs:RQ_DONE]
        mov     [gs:si + 2], cx
.done:  jmp     hd_return

; cd_read_blocks: RQ_COUNT blocks from RQ_LBA of drive FS:BX into ES:DI,
; 16 blocks (32 KiB) a command.  AL = status, RQ_DONE = blocks read.
cd_read_blocks:
        push    si
        mov     word [fs:RQ_DONE], 0
        mov     ax, di                          ; ES:DI normalised
        shr     ax, 4
        mov     cx, es
        add     cx, ax
        mov     es, cx
        and     di, 0x0F
        call    cd_hypercall                    ; the paravirtual path (hypercall.asm)
        jnc     .ok
.chunk: mov     cx, [fs:RQ_COUNT]
        sub     cx, [fs:RQ_DONE]
        jz      .ok
        cmp     cx, 16
        jbe     .sized
        mov     cx, 16
.sized: call    cd_packet_read10                ; CX blocks from RQ_LBA + RQ_DONE
        push    es
        push    di
        call    atapi_command
        pop     di
        pop     es
        test    al, al
        jnz     .done
        cmp     word [fs:RQ_BYTES], 0           ; (16 blocks = 32 KiB: fits the word)
        je      .short
        movzx   ax, byte [fs:ATAPI_PACKET + 8]  ; the blocks asked for
        mov     cx, [fs:RQ_BYTES]
        shr     cx, 11
        cmp     cx, ax
        jne     .short
        add     [fs:RQ_DONE], cx
        shl     cx, 7                           ; blocks -> paragraphs
        mov     ax, es
        add     ax, cx
        mov     es, ax
        jmp     .chunk
.short: mov     al, DISK_CTRL_FAIL
        jmp     .done
.ok:    xor     al, al
.done:  pop     si
        ret

; cd_packet_read10: the READ(10) packet for CX blocks at RQ_LBA + RQ_DONE.
cd_packet_read10:
        push    eax
        mov     dword [fs:ATAPI_PACKET], SCSI_READ10
        mov     dword [fs:ATAPI_PACKET + 4], 0
        mov     dword [fs:ATAPI_PACKET + 8], 0
        movzx   eax, word [fs:RQ_DONE]
        add     eax, [fs:RQ_LBA]
        call    swap32                          ; SCSI numbers are big-endian
        mov     [fs:ATAPI_PACKET + 2], eax
        mov     [fs:ATAPI_PACKET + 8], cl       ; (at most 16: the low byte)
        pop     eax
        ret

; AH=48h: the drive's parameters: removable, 2048-byte blocks, the size
; READ CAPACITY gives (0 with no disc).
cd_fn_params:
        mov     gs, [bp+R_DS]
        mov     si, [bp+R_SI]
        mov     al, DISK_BAD_CMD
        mov     cx, [gs:si]
        cmp     cx, 0x1A
        jb      hd_return
        mov     dword [fs:ATAPI_PACKET], SCSI_CAPACITY
        mov     dword [fs:ATAPI_PACKET + 4], 0
        mov     dword [fs:ATAPI_PACKET + 8], 0
        mov     dword [fs:ATAPI_CAPACITY], 0xFFFFFFFF   ; "no disc": 0 blocks
        push    fs
        pop     es
        mov     di, ATAPI_CAPACITY
        call    atapi_command
        mov     eax, [fs:ATAPI_CAPACITY]        ; the last block, big-endian
        call    swap32
        inc     eax
        mov     word [gs:si], 0x1A
        mov     word [gs:si + 2], 0x0004        ; removable
        mov     dword [gs:si + 4], 0            ; no CHS geometry
        mov     dword [gs:si + 8], 0
        mov     dword [gs:si + 12], 0
        mov     [gs:si + 16], eax
        mov     dword [gs:si + 20], 0
        mov     word [gs:si + 24], CD_BLOCK
        cmp     cx, 0x1E
        jb      .ok
        mov     word [gs:si], 0x1E
        mov     dword [gs:si + 26], 0xFFFFFFFF
.ok:    mov     al, DISK_OK
        jmp     hd_return

; ---- El Torito ----
; cd_boot (INT 19h): boots the first CD-ROM if its disc has an El Torito
; boot catalog whose default entry is bootable.  A no-emulation image's
; 512-byte sectors are loaded at its load segment (07C0h if it says 0)
; and run with DL = E0h; an emulated floppy or hard disk goes on in
; cdemu_boot.  Returns (with a message) if it cannot.  DS = 0.
cd_boot:
        push    es
        mov     es, [0x400 + BDA_EBDA]
        cmp     byte [es:EBDA_CD_COUNT], 0
        pop     es
        mov     si, msg_cd_none
        je      .say
        mov     si, msg_booting
        call    print_str
        mov     si, msg_cdrom
        call    print_str
        ; the boot record volume descriptor, sector 17
        mov     eax, 17
        call    cd_boot_read
        jc      .read_error
        push    ds
        push    cs
        pop     ds
        mov     si, el_torito_id
        xor     di, di
        mov     cx, el_torito_id_len
        repe    cmpsb
        pop     ds
        mov     si, msg_cd_no_torito
        jne     .say
        mov     eax, [es:0x47]                  ; the boot catalog's sector
        call    cd_boot_read
        jc      .read_error
        mov     si, msg_cd_no_torito
        cmp     byte [es:0x00], 0x01            ; validation entry header
        jne     .say
        cmp     word [es:0x1E], 0xAA55          ; its key bytes
        jne     .say
        mov     si, msg_cd_not_bootable
        cmp     byte [es:0x20], 0x88            ; default entry: bootable
        jne     .say
        test    byte [es:0x21], 0x0F            ; floppy or hard disk emulation:
        jnz     cdemu_boot                      ; cdemu.asm
        call    cdemu_no_emulation              ; (what AX=4B01h will report)
        mov     ax, [es:0x22]                   ; load segment
        test    ax, ax
        jnz     .segment
        mov     ax, 0x07C0
.segment:
        mov     bx, ax                          ; BX = load segment
        mov     cx, [es:0x26]                   ; 512-byte sectors to load
        add     cx, 3
        shr     cx, 2                           ; in 2048-byte blocks
        mov     eax, [es:0x28]                  ; the image's first block
        mov     [cd_dap + 2], cx
        mov     word [cd_dap + 4], 0
        mov     [cd_dap + 6], bx
        mov     [cd_dap + 8], eax
        mov     dword [cd_dap + 12], 0
        mov     si, cd_dap
        mov     ah, 0x42
        mov     dl, CD_FIRST_DRIVE
        int     0x13
        jc      .read_error
        mov     si, msg_crlf
        call    print_str
        mov     dl, CD_FIRST_DRIVE
        xor     ax, ax
        mov     es, ax
        push    bx
        push    word 0
        retf                                    ; to load segment:0000
.read_error:
        mov     si, msg_read_error
        call    print_str
        mov     al, ah
        call    print_hex8
        mov     si, msg_crlf
.say:   call    print_str
        ret

; cd_boot_read: CD block EAX to BOOT_BUFFER_SEG:0000 (ES set to it); CF=1,
; AH = status on failure.  DS = 0.
cd_boot_read:
        mov     word [cd_dap], 0x0010           ; packet size
        mov     word [cd_dap + 2], 1
        mov     word [cd_dap + 4], 0
        mov     word [cd_dap + 6], BOOT_BUFFER_SEG
        mov     [cd_dap + 8], eax
        mov     dword [cd_dap + 12], 0
        mov     si, cd_dap
        mov     ah, 0x42
        mov     dl, CD_FIRST_DRIVE
        int     0x13
        push    word BOOT_BUFFER_SEG
        pop     es
        ret

; INT 19h's disk address packet, in the BDA's intra-application area
; (0000:04F0h, 16 bytes of RAM that belong to no one before a boot).
cd_dap          equ     0x04F0

el_torito_id:   db      0, "CD001", 1, "EL TORITO SPECIFICATION"
el_torito_id_len equ    $ - el_torito_id
msg_cdrom:      db      "CD-ROM", 0
msg_cd_none:    db      "x86lab BIOS: no CD-ROM drive", 13, 10, 0
msg_cd_no_torito: db    ": no El Torito boot catalog", 13, 10, 0
msg_cd_not_bootable: db ": the catalog's default entry is not bootable", 13, 10, 0
