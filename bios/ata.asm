; ata.asm -- IDE hard disks: finding the drives at POST (IDENTIFY DEVICE
; on both channels, master and slave), their INT 13h geometry, and INT 13h
; for drives 80h and up by programmed I/O: the command block registers, a
; READ/WRITE/VERIFY SECTORS command (the EXT ones for 48-bit addresses),
; then the status register polled and 256 words moved per sector.  The
; drives' interrupts (IRQ 14/15) are served by int76_handler; reading the
; status register, as the polling does, acknowledges them.
;   AH=00h reset   AH=01h status   AH=02h/03h/04h read/write/verify (CHS)
;   AH=08h parameters   AH=10h ready?   AH=15h type and size
;   AH=09h, 0Ch, 0Dh, 11h, 14h: nothing to do on an IDE disk: success
;   AH=41h EDD check   AH=42h/43h/44h read/write/verify (LBA)
;   AH=47h seek   AH=48h drive parameters
; A drive's entry in the EBDA table is at FS:BX (see data.inc HD_*).

; the request being done, in the EBDA
RQ_LBA          equ     0x64            ; qword: first sector
RQ_COUNT        equ     0x6C            ; word: sectors asked for
RQ_DONE         equ     0x6E            ; word: sectors done
RQ_KIND         equ     0x70            ; byte: RQ_READ, RQ_WRITE, RQ_VERIFY
RQ_CUR          equ     0x72            ; qword: sector of the command being issued
ATA_SCRATCH     equ     0x380           ; a drive entry being probed (POST)
IDENTIFY_BUF    equ     0x180           ; 512 bytes of IDENTIFY data (POST)
RQ_READ         equ     0
RQ_WRITE        equ     1
RQ_VERIFY       equ     2

ATA_CMD_IDENTIFY        equ     0xEC
ATA_CMD_IDENTIFY_PACKET equ     0xA1
ATA_SRST        equ     0x04            ; device control: software reset
ATA_LBA_MODE    equ     0x40            ; device register: LBA addressing

; the commands for each request kind, 28- and 48-bit
ata_commands28: db      0x20, 0x30, 0x40        ; READ, WRITE, READ VERIFY SECTORS
ata_commands48: db      0x24, 0x34, 0x42        ; ... EXT

; ---- the drive's status ----
; ata_wait: waits until drive FS:BX is not busy; AL = its status (read
; from the status register, which acknowledges its interrupt).  CF=1
; after 6 s.  Preserves all but EAX.
ata_wait:
        push    ecx
        push    edx
        push    esi
        mov     dx, [fs:bx + HD_BASE]
        add     dx, ATA_STATUS
        call    ticks_now
        mov     esi, eax
        mov     cx, TICKS_ATA
.poll:  in      al, dx
        test    al, ST_BSY
        jz      .ready                          ; (CF=0)
        push    ax
        mov     eax, esi
        call    timed_out
        pop     ax
        jnc     .poll
.ready: pop     esi
        pop     edx
        pop     ecx
        ret

; ata_delay: the 400 ns a device may take to show a new status: four
; reads of the alternate status register.  Preserves all.
ata_delay:
        push    ax
        push    dx
        mov     dx, [fs:bx + HD_CTRL]
        in      al, dx
        in      al, dx
        in      al, dx
        in      al, dx
        pop     dx
        pop     ax
        ret

; ata_select: device register of drive FS:BX = its select byte OR AL,
; then wait for it.  CF=1 on a timeout.  Preserves all but EAX.
ata_select:
        push    dx
        or      al, [fs:bx + HD_SELECT]
        mov     dx, [fs:bx + HD_BASE]
        add     dx, ATA_DEVICE
        out     dx, al
        pop     dx
        call    ata_delay
        jmp     ata_wait

; ata_error_status: AL = the INT 13h status for drive status AL (after an
; error): from the error register.
ata_error_status:
        push    dx
        mov     ah, al
        mov     al, 0xCC                        ; write fault
        test    ah, ST_DF
        jnz     .done
        mov     dx, [fs:bx + HD_BASE]
        add     dx, ATA_ERROR
        in      al, dx
        mov     ah, al
        mov     al, DISK_NO_SECTOR
        test    ah, 0x10                        ; IDNF: no such sector
        jnz     .done
        mov     al, DISK_CRC
        test    ah, 0x40                        ; UNC: data error
        jnz     .done
        mov     al, DISK_NO_AMARK
        test    ah, 0x01                        ; AMNF
        jnz     .done
        mov     al, DISK_BAD_CMD
        test    ah, 0x04                        ; ABRT: command refused
        jnz     .done
        mov     al, DISK_CTRL_FAIL
.done:  pop     dx
        ret

; ---- POST: finding the drives ----
ata_channels:
        dw      0x1F0, 0x3F6
        dw      0x170, 0x376

; ata_detect: every device on the two channels; disks go to the hard disk
; table (BIOS drives 80h, 81h ... in channel/unit order), CD-ROMs to the
; CD table; disks 80h and 81h get a fixed disk parameter table (INT 41h,
; INT 46h).
ata_detect:
        push    ds
        push    es
        push    fs
        push    word BDA_SEG
        pop     ds
        mov     fs, [BDA_EBDA]
        mov     byte [BDA_HD_COUNT], 0
        mov     byte [fs:EBDA_CD_COUNT], 0
        mov     si, ata_channels
        mov     bx, ATA_SCRATCH
.channel:
        mov     ax, [cs:si]
        mov     [fs:bx + HD_BASE], ax
        mov     ax, [cs:si + 2]
        mov     [fs:bx + HD_CTRL], ax
        call    ata_reset_channel
        mov     byte [fs:bx + HD_SELECT], 0xA0  ; master
        call    ata_found
        mov     byte [fs:bx + HD_SELECT], 0xB0  ; slave
        call    ata_found
        add     si, 4
        cmp     si, ata_channels + 8
        jb      .channel
        call    ata_fdpt
        pop     fs
        pop     es
        pop     ds
        ret

; ata_reset_channel: a software reset of the channel of FS:BX (both of its
; devices); interrupts stay enabled (nIEN clear).
ata_reset_channel:
        push    ax
        push    dx
        mov     dx, [fs:bx + HD_CTRL]
        mov     al, ATA_SRST
        out     dx, al
        call    ata_delay
        xor     al, al
        out     dx, al
        call    ata_delay
        pop     dx
        pop     ax
        ret

; ata_found: probes the device at the scratch entry FS:BX and files it.
ata_found:
        pusha
        call    ata_probe
        cmp     al, HDK_DISK
        je      .disk
        cmp     al, HDK_CDROM
        jne     .done
        movzx   di, byte [fs:EBDA_CD_COUNT]
        cmp     di, HD_MAX
        jae     .done
        inc     byte [fs:EBDA_CD_COUNT]
        mov     cx, di
        add     cl, CD_FIRST_DRIVE
        mov     [fs:bx + HD_HCDRIVE], cl
        shl     di, 5
        add     di, EBDA_CD_TABLE
        jmp     .file
.disk:  movzx   di, byte [BDA_HD_COUNT]
        cmp     di, HD_MAX
        jae     .done
        inc     byte [BDA_HD_COUNT]
        mov     cx, di
        add     cl, 0x80
        mov     [fs:bx + HD_HCDRIVE], cl
        shl     di, 5
        add     di, EBDA_HD_TABLE
.file:  mov     [fs:bx + HD_KIND], al
        push    ds
        push    fs
        pop     ds
        push    fs
        pop     es
        mov     si, bx
        mov     cx, HD_ENTRY
        rep     movsb
        pop     ds
.done:  popa
        ret

; ata_probe: AL = what drive FS:BX (base, control, select set) is:
; HDK_NONE, HDK_DISK (its sizes filled in) or HDK_CDROM.  The signature a
; device leaves after reset tells disks (0, 0) from ATAPI (14h, EBh) in
; the cylinder registers; an empty position reads 00h or FFh.
ata_probe:
        xor     al, al
        call    ata_select
        jc      .none
        mov     dx, [fs:bx + HD_BASE]
        add     dx, ATA_STATUS
        in      al, dx
        cmp     al, 0xFF                        ; nothing on the bus
        je      .none
        mov     cl, al
        mov     dx, [fs:bx + HD_BASE]
        add     dx, ATA_LBA1
        in      al, dx
        mov     ah, al
        inc     dx
        in      al, dx
        cmp     ax, 0x14EB
        je      .atapi
        test    ax, ax
        jnz     .none
        test    cl, ST_DRDY                     ; a disk says it is ready
        jz      .none
        mov     al, ATA_CMD_IDENTIFY
        call    ata_identify
        jc      .none
        call    ata_disk_sizes
        mov     al, HDK_DISK
        ret
.atapi: mov     al, ATA_CMD_IDENTIFY_PACKET
        call    ata_identify
        jc      .none
        mov     dword [fs:bx + HD_SECTORS], 0
        mov     dword [fs:bx + HD_SECTORS + 4], 0
        mov     al, HDK_CDROM
        ret
.none:  mov     al, HDK_NONE
        ret

; ata_identify: command AL (IDENTIFY [PACKET] DEVICE) and its 512 bytes
; into the EBDA's IDENTIFY_BUF.  CF=1 if the device refuses.
ata_identify:
        mov     dx, [fs:bx + HD_BASE]
        add     dx, ATA_COMMAND
        out     dx, al
        call    ata_delay
        call    ata_wait
        jc      .done
        test    al, ST_ERR
        jnz     .refused
        test    al, ST_DRQ
        jz      .refused
        push    es
        push    fs
        pop     es
        mov     di, IDENTIFY_BUF
        mov     cx, 256
        mov     dx, [fs:bx + HD_BASE]
        rep     insw
        pop     es
        clc
        ret
.refused:
        stc
.done:  ret

; ata_disk_sizes: the entry's sizes from IDENTIFY_BUF: the drive's own
; geometry (words 1, 3, 6), its capacity (words 100-103 with LBA48, else
; 60-61 with LBA, else C*H*S), and the geometry INT 13h shows: the drive's
; own if it has at most 1024 cylinders, else an "LBA-assisted" one with 63
; sectors and 16, 32, 64, 128 or 255 heads (at most 1024 cylinders; the
; rest of a big disk is only reachable through AH=42h).
ata_disk_sizes:
        mov     ax, [fs:IDENTIFY_BUF + 1 * 2]
        mov     [fs:bx + HD_PCYLS], ax
        mov     ax, [fs:IDENTIFY_BUF + 3 * 2]
        mov     [fs:bx + HD_PHEADS], ax
        mov     ax, [fs:IDENTIFY_BUF + 6 * 2]
        mov     [fs:bx + HD_PSPT], ax
        mov     byte [fs:bx + HD_LBA48], 0
        test    word [fs:IDENTIFY_BUF + 83 * 2], 1 << 10
        jz      .lba28
        mov     byte [fs:bx + HD_LBA48], 1
        mov     eax, [fs:IDENTIFY_BUF + 100 * 2]
        mov     edx, [fs:IDENTIFY_BUF + 102 * 2]
        jmp     .size
.lba28: xor     edx, edx
        mov     eax, [fs:IDENTIFY_BUF + 60 * 2]
        test    word [fs:IDENTIFY_BUF + 49 * 2], 1 << 9
        jnz     .size
        movzx   eax, word [fs:bx + HD_PCYLS]    ; no LBA: C*H*S
        movzx   ecx, word [fs:bx + HD_PHEADS]
        imul    eax, ecx
        movzx   ecx, word [fs:bx + HD_PSPT]
        imul    eax, ecx
.size:  mov     [fs:bx + HD_SECTORS], eax
        mov     [fs:bx + HD_SECTORS + 4], edx
        ; INT 13h geometry
        mov     ax, [fs:bx + HD_PCYLS]
        cmp     ax, 1024
        ja      .assisted
        mov     [fs:bx + HD_LCYLS], ax
        mov     ax, [fs:bx + HD_PHEADS]
        mov     [fs:bx + HD_LHEADS], ax
        mov     ax, [fs:bx + HD_PSPT]
        mov     [fs:bx + HD_LSPT], ax
        ret
.assisted:
        mov     word [fs:bx + HD_LSPT], 63
        mov     ecx, 1024 * 255 * 63            ; the most CHS can reach
        test    edx, edx
        jnz     .capped
        cmp     eax, ecx
        jae     .capped
        mov     ecx, eax
.capped:
        mov     si, ata_assisted_heads
.heads: movzx   edi, byte [cs:si]
        mov     eax, ecx
        xor     edx, edx
        imul    edi, edi, 63
        div     edi                             ; cylinders with these heads
        cmp     eax, 1024
        jbe     .fits
        inc     si
        cmp     si, ata_assisted_heads_end
        jb      .heads
        dec     si
        mov     eax, 1024
.fits:  mov     [fs:bx + HD_LCYLS], ax
        movzx   ax, byte [cs:si]
        mov     [fs:bx + HD_LHEADS], ax
        ret
ata_assisted_heads:
        db      16, 32, 64, 128, 255
ata_assisted_heads_end:

; ata_fdpt: the fixed disk parameter tables of drives 80h and 81h (the
; IBM AT layout: cylinders, heads, precompensation none, control byte,
; landing zone, sectors per track), with INT 41h and 46h pointing at them.
ata_fdpt:
        push    es
        xor     ax, ax
        mov     es, ax
        mov     bx, EBDA_HD_TABLE
        mov     di, EBDA_FDPT0
        mov     si, 0x41 * 4
        mov     cl, [BDA_HD_COUNT]
.next:  test    cl, cl
        jz      .done
        mov     ax, [fs:bx + HD_LCYLS]
        mov     [fs:di + 0], ax
        mov     [fs:di + 12], ax                ; landing zone
        mov     al, [fs:bx + HD_LHEADS]
        mov     [fs:di + 2], al
        mov     word [fs:di + 5], 0xFFFF        ; no write precompensation
        mov     byte [fs:di + 8], 0
        cmp     al, 8
        jbe     .control
        mov     byte [fs:di + 8], 0x08          ; more than 8 heads
.control:
        mov     al, [fs:bx + HD_LSPT]
        mov     [fs:di + 14], al
        mov     [es:si], di
        mov     [es:si + 2], fs
        dec     cl
        jz      .done
        cmp     si, 0x46 * 4
        je      .done
        add     bx, HD_ENTRY
        mov     di, EBDA_FDPT1
        mov     si, 0x46 * 4
        jmp     .next
.done:  pop     es
        ret

; ---- transfers ----
; ata_transfer: RQ_COUNT sectors from RQ_LBA of drive FS:BX, RQ_KIND
; (read, write, verify), the data at ES:DI; at most 128 sectors per
; command.  AL = status; RQ_DONE = the sectors done.  Preserves BX, SI.
ata_transfer:
        push    si
        push    es
        ; ES:DI normalised to DI < 16: each sector then adds 20h to ES, so
        ; a transfer may go on past a 64 KiB segment
        mov     ax, di
        shr     ax, 4
        mov     cx, es
        add     cx, ax
        mov     es, cx
        and     di, 0x0F
        mov     word [fs:RQ_DONE], 0
        call    ata_hypercall                   ; the paravirtual path (hypercall.asm)
        jnc     .ok
.chunk: mov     cx, [fs:RQ_COUNT]
        sub     cx, [fs:RQ_DONE]
        jz      .ok
        cmp     cx, 128
        jbe     .sized
        mov     cx, 128
.sized: call    ata_command
        jc      .done
        cmp     byte [fs:RQ_KIND], RQ_VERIFY
        je      .verify
.sector:
        call    ata_wait                        ; the device wants the next sector
        jc      .timeout
        test    al, ST_ERR | ST_DF
        jnz     .failed
        test    al, ST_DRQ
        jz      .failed
        push    cx
        push    di
        mov     dx, [fs:bx + HD_BASE]
        mov     cx, 256
        cmp     byte [fs:RQ_KIND], RQ_WRITE
        je      .write
        rep     insw
        jmp     .moved
.write: push    ds
        push    es
        pop     ds
        mov     si, di
        rep     outsw
        pop     ds
.moved: pop     di
        pop     cx
        mov     ax, es
        add     ax, 0x20
        mov     es, ax
        inc     word [fs:RQ_DONE]
        loop    .sector
        cmp     byte [fs:RQ_KIND], RQ_WRITE
        jne     .chunk
        call    ata_wait                        ; the last sector is on the disk
        jc      .timeout
        test    al, ST_ERR | ST_DF
        jnz     .failed
        jmp     .chunk
.verify:
        call    ata_wait
        jc      .timeout
        test    al, ST_ERR | ST_DF
        jnz     .failed
        add     [fs:RQ_DONE], cx
        jmp     .chunk
.ok:    xor     al, al
        jmp     .done
.timeout:
        mov     al, DISK_TIMEOUT
        jmp     .done
.failed:
        cmp     byte [fs:RQ_KIND], RQ_WRITE     ; the sector just handed over failed
        jne     .status
        cmp     word [fs:RQ_DONE], 0
        je      .status
        dec     word [fs:RQ_DONE]
.status:
        call    ata_error_status
.done:  pop     es
        pop     si
        ret

; ata_command: issues RQ_KIND for CX sectors (1-128) at RQ_LBA + RQ_DONE
; on drive FS:BX, in 28-bit LBA when the sectors are below 2^28, else in
; 48-bit LBA if the drive has it.  CF=1, AL = status if it cannot.
; Preserves all but EAX.
ata_command:
        push    cx
        push    dx
        push    esi
        mov     eax, [fs:RQ_LBA]
        mov     esi, [fs:RQ_LBA + 4]
        movzx   edx, word [fs:RQ_DONE]
        add     eax, edx
        adc     esi, 0
        mov     [fs:RQ_CUR], eax
        mov     [fs:RQ_CUR + 4], esi
        test    esi, esi
        jnz     .lba48
        movzx   edx, cx
        add     edx, eax
        jc      .lba48
        cmp     edx, 0x10000000
        ja      .lba48
        shr     eax, 24                         ; LBA bits 24-27 in the device register
        and     al, 0x0F
        or      al, ATA_LBA_MODE
        call    ata_select
        jc      .timeout
        mov     dx, [fs:bx + HD_BASE]
        add     dx, ATA_NSECT
        mov     al, cl
        out     dx, al
        call    .address
        movzx   si, byte [fs:RQ_KIND]
        mov     al, [cs:ata_commands28 + si]
        jmp     .issue
.lba48: mov     al, DISK_BAD_CMD
        cmp     byte [fs:bx + HD_LBA48], 0
        je      .fail
        mov     al, ATA_LBA_MODE
        call    ata_select
        jc      .timeout
        mov     dx, [fs:bx + HD_BASE]           ; first the high bytes ...
        add     dx, ATA_NSECT
        xor     al, al
        out     dx, al
        inc     dx
        mov     al, [fs:RQ_CUR + 3]
        out     dx, al
        inc     dx
        mov     al, [fs:RQ_CUR + 4]
        out     dx, al
        inc     dx
        mov     al, [fs:RQ_CUR + 5]
        out     dx, al
        sub     dx, 3                           ; ... then the low ones
        mov     al, cl
        out     dx, al
        call    .address
        movzx   si, byte [fs:RQ_KIND]
        mov     al, [cs:ata_commands48 + si]
.issue: mov     dx, [fs:bx + HD_BASE]
        add     dx, ATA_COMMAND
        out     dx, al
        call    ata_delay
        clc
        jmp     .done
.timeout:
        mov     al, DISK_TIMEOUT
.fail:  stc
.done:  pop     esi
        pop     dx
        pop     cx
        ret
.address:                                       ; LBA bits 0-23 to registers 3-5
        mov     dx, [fs:bx + HD_BASE]
        add     dx, ATA_LBA0
        mov     al, [fs:RQ_CUR]
        out     dx, al
        inc     dx
        mov     al, [fs:RQ_CUR + 1]
        out     dx, al
        inc     dx
        mov     al, [fs:RQ_CUR + 2]
        out     dx, al
        ret

; ---- the service ----
hd_service:
        cmp     byte [bp+R_DL], CD_FIRST_DRIVE
        jae     cd_service
        mov     ah, [bp+R_AH]
        mov     al, [bp+R_DL]
        sub     al, 0x80
        cmp     al, [BDA_HD_COUNT]
        jae     .no_drive
        mov     fs, [BDA_EBDA]
        movzx   bx, al
        shl     bx, 5
        add     bx, EBDA_HD_TABLE
        mov     al, DISK_OK
        cmp     ah, 0x00
        je      hd_fn_reset
        cmp     ah, 0x01
        je      disk_fn_status
        cmp     ah, 0x02
        je      hd_fn_chs
        cmp     ah, 0x03
        je      hd_fn_chs
        cmp     ah, 0x04
        je      hd_fn_chs
        cmp     ah, 0x08
        je      hd_fn_params
        cmp     ah, 0x10
        je      hd_fn_ready
        cmp     ah, 0x15
        je      hd_fn_type
        cmp     ah, 0x41
        je      hd_fn_edd_check
        cmp     ah, 0x42
        je      hd_fn_lba
        cmp     ah, 0x43
        je      hd_fn_lba
        cmp     ah, 0x44
        je      hd_fn_lba
        cmp     ah, 0x47
        je      hd_fn_lba
        cmp     ah, 0x48
        je      hd_fn_edd_params
        cmp     ah, 0x09                        ; initialise parameters, seek,
        je      hd_return                       ; alternate reset, recalibrate,
        cmp     ah, 0x0C                        ; diagnostics: an IDE disk has
        je      hd_return                       ; nothing to do for them
        cmp     ah, 0x0D
        je      hd_return
        cmp     ah, 0x11
        je      hd_return
        cmp     ah, 0x14
        je      hd_return
        mov     al, DISK_BAD_CMD
        jmp     hd_return
.no_drive:
        cmp     ah, 0x01
        je      disk_fn_status
        cmp     ah, 0x15                        ; "no such drive" is an answer
        jne     .bad
        mov     byte [bp+R_AH], 0
        CLEAR_CF
        FRAME_LEAVE
.bad:   mov     al, DISK_BAD_CMD
        jmp     hd_return

; AH=00h: reset the drive's channel.
hd_fn_reset:
        call    ata_reset_channel
        xor     al, al
        call    ata_select
        mov     al, DISK_OK
        jnc     hd_return
        mov     al, DISK_RESET_FAIL
        jmp     hd_return

; AH=10h: is the drive ready?
hd_fn_ready:
        xor     al, al
        call    ata_select
        jc      .not_ready
        test    al, ST_DRDY
        jz      .not_ready
        mov     al, DISK_OK
        jmp     hd_return
.not_ready:
        mov     al, 0xAA                        ; drive not ready
        jmp     hd_return

; AH=02h/03h/04h: AL sectors at cylinder CH (+ CL bits 6-7), head DH,
; sector CL bits 0-5 of the INT 13h geometry, buffer ES:BX.
hd_fn_chs:
        mov     al, DISK_BAD_CMD
        movzx   cx, byte [bp+R_AL]
        test    cx, cx
        jz      .bad
        cmp     cx, 128
        ja      .bad
        mov     [fs:RQ_COUNT], cx
        movzx   cx, byte [bp+R_CL]
        and     cx, 0x3F                        ; sector
        jz      .bad
        cmp     cx, [fs:bx + HD_LSPT]
        ja      .bad
        movzx   si, byte [bp+R_DH]              ; head
        cmp     si, [fs:bx + HD_LHEADS]
        jae     .bad
        movzx   dx, byte [bp+R_CL]
        shl     dx, 2
        and     dx, 0x300
        mov     dl, [bp+R_CH]                   ; cylinder
        cmp     dx, [fs:bx + HD_LCYLS]
        jae     .bad
        ; LBA = (cylinder * heads + head) * sectors per track + sector - 1
        movzx   eax, dx
        movzx   edx, word [fs:bx + HD_LHEADS]
        imul    eax, edx
        movzx   esi, si
        add     eax, esi
        movzx   edx, word [fs:bx + HD_LSPT]
        imul    eax, edx
        movzx   ecx, cx
        lea     eax, [eax + ecx - 1]
        mov     [fs:RQ_LBA], eax
        mov     dword [fs:RQ_LBA + 4], 0
        mov     al, [bp+R_AH]
        sub     al, 0x02                        ; 02h read, 03h write, 04h verify
        mov     [fs:RQ_KIND], al
        mov     es, [bp+R_ES]
        mov     di, [bp+R_BX]
        call    ata_transfer
        mov     cl, [fs:RQ_DONE]
        mov     [bp+R_AL], cl
        jmp     hd_return
.bad:   mov     byte [bp+R_AL], 0
        jmp     hd_return

; AH=08h: the INT 13h geometry: CH/CL last cylinder (the very last one is
; kept back, as the AT BIOS reserved it for diagnostics) and sectors per
; track, DH last head, DL number of hard disks.
hd_fn_params:
        mov     ax, [fs:bx + HD_LCYLS]
        sub     ax, 2
        jns     .cyl
        xor     ax, ax
.cyl:   mov     [bp+R_CH], al
        shr     ax, 2
        and     al, 0xC0
        or      al, [fs:bx + HD_LSPT]
        mov     [bp+R_CL], al
        mov     al, [fs:bx + HD_LHEADS]
        dec     al
        mov     [bp+R_DH], al
        mov     al, [BDA_HD_COUNT]
        mov     [bp+R_DL], al
        mov     byte [bp+R_AL], 0
        mov     al, DISK_OK
        jmp     hd_return

; AH=15h: AH = 03h (a hard disk), CX:DX = its sectors as AH=08h counts them.
hd_fn_type:
        movzx   eax, word [fs:bx + HD_LCYLS]
        dec     eax
        movzx   ecx, word [fs:bx + HD_LHEADS]
        imul    eax, ecx
        movzx   ecx, word [fs:bx + HD_LSPT]
        imul    eax, ecx
        mov     [bp+R_DX], ax
        shr     eax, 16
        mov     [bp+R_CX], ax
        mov     byte [BDA_HD_STATUS], 0
        mov     byte [bp+R_AH], 0x03
        CLEAR_CF
        FRAME_LEAVE

; AH=41h: BX=55AAh asks whether the extensions exist: BX = AA55h, AH =
; version 3.0, CX bit 0: functions 42h-44h, 47h, 48h.
hd_fn_edd_check:
        mov     al, DISK_BAD_CMD
        cmp     word [bp+R_BX], 0x55AA
        jne     hd_return
        mov     word [bp+R_BX], 0xAA55
        mov     word [bp+R_CX], 0x0001
        mov     byte [BDA_HD_STATUS], 0
        mov     byte [bp+R_AH], 0x30
        CLEAR_CF
        FRAME_LEAVE

; AH=42h/43h/44h/47h: the disk address packet at DS:SI: size (10h or
; more), sector count (updated with what was done), buffer offset:segment,
; 64-bit starting sector.
hd_fn_lba:
        mov     gs, [bp+R_DS]
        mov     si, [bp+R_SI]
        mov     al, DISK_BAD_CMD
        cmp     byte [gs:si], 0x10
        jb      .done
        mov     eax, [gs:si + 8]
        mov     edx, [gs:si + 12]
        mov     [fs:RQ_LBA], eax
        mov     [fs:RQ_LBA + 4], edx
        cmp     edx, [fs:bx + HD_SECTORS + 4]   ; the first sector must exist
        jb      .exists
        ja      .beyond
        cmp     eax, [fs:bx + HD_SECTORS]
        jb      .exists
.beyond:
        mov     al, DISK_BAD_CMD
        jmp     .done
.exists:
        mov     al, DISK_OK
        cmp     byte [bp+R_AH], 0x47            ; seek: nothing to move
        je      .done
        mov     cx, [gs:si + 2]
        jcxz    .done
        mov     [fs:RQ_COUNT], cx
        les     di, [gs:si + 4]
        mov     ax, es
        and     ax, di
        cmp     ax, 0xFFFF                      ; FFFF:FFFF: a 64-bit address
        mov     al, DISK_BAD_CMD                ; (EDD 3.0), which real mode cannot use
        je      .done
        mov     al, [bp+R_AH]
        sub     al, 0x42                        ; 42h read, 43h write, 44h verify
        mov     [fs:RQ_KIND], al
        call    ata_transfer
        mov     cx, [fs:RQ_DONE]
        mov     [gs:si + 2], cx
.done:  jmp     hd_return

; AH=48h: drive parameters into the buffer at DS:SI (its first word says
; its size: 1Ah, or 1Eh with a device parameter table pointer, which we
; do not have: FFFF:FFFF).
hd_fn_edd_params:
        mov     gs, [bp+R_DS]
        mov     si, [bp+R_SI]
        mov     al, DISK_BAD_CMD
        mov     cx, [gs:si]
        cmp     cx, 0x1A
        jb      hd_return
        mov     word [gs:si], 0x1A
        xor     ax, ax                          ; flags: CHS valid on small disks
        cmp     dword [fs:bx + HD_SECTORS + 4], 0
        jne     .flags
        cmp     dword [fs:bx + HD_SECTORS], 16514064
        ja      .flags
        mov     ax, 0x0002
.flags: mov     [gs:si + 2], ax
        movzx   eax, word [fs:bx + HD_PCYLS]
        mov     [gs:si + 4], eax
        movzx   eax, word [fs:bx + HD_PHEADS]
        mov     [gs:si + 8], eax
        movzx   eax, word [fs:bx + HD_PSPT]
        mov     [gs:si + 12], eax
        mov     eax, [fs:bx + HD_SECTORS]
        mov     [gs:si + 16], eax
        mov     eax, [fs:bx + HD_SECTORS + 4]
        mov     [gs:si + 20], eax
        mov     word [gs:si + 24], 512
        cmp     cx, 0x1E
        jb      .ok
        mov     word [gs:si], 0x1E
        mov     dword [gs:si + 26], 0xFFFFFFFF
.ok:    mov     al, DISK_OK
        jmp     hd_return
