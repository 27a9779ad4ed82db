; floppy.asm -- INT 13h for floppy drives 00h and 01h, by programming the
; 82077AA controller (ports 3F0h-3F7h, IRQ 6) and DMA channel 2 as a PC/AT
; BIOS does: motor on, recalibrate and seek, the DMA channel set to the
; caller's buffer, a READ/WRITE DATA command, the interrupt, the seven
; result bytes (kept at BDA 42h) turned into a status.  The medium's data
; rate is found with READ ID at the first access after a disk change.
;   AH=00h reset   AH=01h status   AH=02h read   AH=03h write   AH=04h verify
;   AH=05h format a track (ES:BX: C, H, R, N of each sector)
;   AH=08h parameters   AH=15h drive type   AH=16h disk change line
; CHS from the caller: CH cylinder, CL sector, DH head, AL sectors, ES:BX.

; The diskette parameter table (INT 1Eh points at it; IBM's values).
DPT_SPECIFY1    equ     0               ; step rate / head unload (SPECIFY)
DPT_SPECIFY2    equ     1               ; head load time / DMA mode
DPT_MOTOR_OFF   equ     2               ; ticks until the motor goes off
DPT_SIZE_CODE   equ     3               ; 2 = 512 bytes
DPT_EOT         equ     4               ; last sector of a track
DPT_GAP         equ     5               ; gap length for read/write
DPT_DTL         equ     6               ; data length (unused with N=2)
DPT_FMT_GAP     equ     7               ; gap length for format
DPT_FILL        equ     8               ; format filler byte
DPT_SETTLE      equ     9               ; head settle time, ms
DPT_MOTOR_START equ     10              ; motor start time, 1/8 s

; FDC commands
FDC_READ        equ     0xE6            ; READ DATA, multi-track, MFM, skip deleted
FDC_WRITE       equ     0xC5            ; WRITE DATA, multi-track, MFM
FDC_FORMAT      equ     0x4D            ; FORMAT TRACK, MFM
FDC_READ_ID     equ     0x4A            ; READ ID, MFM
FDC_SPECIFY     equ     0x03
FDC_RECAL       equ     0x07
FDC_SENSE_INT   equ     0x08
FDC_SEEK        equ     0x0F
; DMA channel 2 modes: single transfer, address up, channel 2
DMA_TO_MEMORY   equ     0x46
DMA_FROM_MEMORY equ     0x4A
DMA_VERIFY      equ     0x42

; Media a drive of each CMOS type can hold, tried in this order: drive
; type, data rate (CCR code: 0 500, 1 300, 2 250 kbit/s, 3 1 Mbit/s),
; sectors per track, cylinders.
FM_TYPE         equ     0
FM_RATE         equ     1
FM_SPT          equ     2
FM_CYLS         equ     3
FM_SIZE         equ     4
fd_media_table:
        db      1, 2,  9, 40                    ; 360 KB in a 360 KB drive
        db      2, 0, 15, 80                    ; 1.2 MB
        db      2, 1,  9, 40                    ; 360 KB in a 1.2 MB drive
        db      3, 2,  9, 80                    ; 720 KB
        db      4, 0, 18, 80                    ; 1.44 MB
        db      4, 2,  9, 80                    ; 720 KB in a 1.44 MB drive
        db      5, 3, 36, 80                    ; 2.88 MB
        db      5, 0, 18, 80                    ; 1.44 MB in a 2.88 MB drive
        db      5, 2,  9, 80                    ; 720 KB in a 2.88 MB drive
        db      0

; BDA 90h/91h (media state) bits
MS_RATE         equ     0xC0            ; the data rate, as CCR code << 6
MS_KNOWN        equ     0x10            ; media established
MS_OTHER        equ     0x07            ; "other" media type (3.5" and 1.2 MB)

; ---- INT 0Eh: IRQ 6 ----
; The controller finished a command or a seek: BDA 3Eh bit 7 tells the
; code waiting in fd_wait_irq.
int0e_handler:
        push    ax
        push    ds
        push    word BDA_SEG
        pop     ds
        or      byte [BDA_FD_RECAL], 0x80
        mov     al, PIC_EOI
        out     PIC1_CMD, al
        pop     ds
        pop     ax
        iret

; ---- POST ----
; fd_init: resets the controller if there is a floppy drive.
fd_init:
        push    ds
        push    word BDA_SEG
        pop     ds
        test    byte [BDA_EQUIP], 1
        jz      .done
        call    fdc_reset
        jnc     .done
        mov     si, msg_fdc_error
        call    print_str
.done:  pop     ds
        ret

; ---- talking to the controller (DS = BDA) ----
; fdc_out: sends AL to the FIFO when the controller wants a byte (MSR:
; RQM set, DIO clear).  CF=1 after a 2 s timeout.  Preserves all.
fdc_out:
        push    eax
        push    cx
        push    dx
        push    ax
        call    ticks_now
        mov     cx, TICKS_FD_IRQ
        mov     dx, FDC_MSR
.poll:  push    ax
        in      al, dx
        and     al, 0xC0
        cmp     al, 0x80
        pop     ax
        je      .ready
        call    timed_out
        jnc     .poll
        pop     ax
        jmp     .done                           ; CF=1
.ready: pop     ax
        mov     dx, FDC_FIFO
        out     dx, al
        clc
.done:  pop     dx
        pop     cx
        pop     eax
        ret

; fdc_in: AL = the next result byte (MSR: RQM and DIO set).  CF=1 after a
; timeout.
fdc_in:
        push    cx
        push    dx
        push    eax
        call    ticks_now
        mov     cx, TICKS_FD_IRQ
        mov     dx, FDC_MSR
.poll:  push    ax
        in      al, dx
        and     al, 0xC0
        cmp     al, 0xC0
        pop     ax
        je      .ready
        call    timed_out
        jnc     .poll
        pop     eax
        jmp     .done                           ; CF=1
.ready: pop     eax
        mov     dx, FDC_FIFO
        in      al, dx
        clc
.done:  pop     dx
        pop     cx
        ret

; fdc_wait_irq: sleeps until IRQ 6 came (BDA 3Eh bit 7, then cleared).
; CF=1 after a 2 s timeout.  Preserves all.
fdc_wait_irq:
        push    eax
        push    cx
        call    ticks_now
        mov     cx, TICKS_FD_IRQ
.wait:  cli                                     ; STI;HLT cannot miss the IRQ
        test    byte [BDA_FD_RECAL], 0x80
        jnz     .came
        sti
        hlt
        call    timed_out
        jnc     .wait
        jmp     .done                           ; CF=1
.came:  and     byte [BDA_FD_RECAL], 0x7F
        sti
        clc
.done:  pop     cx
        pop     eax
        ret

; fdc_sense_int: SENSE INTERRUPT STATUS: AL = ST0, AH = present cylinder.
fdc_sense_int:
        mov     al, FDC_SENSE_INT
        call    fdc_out
        jc      .done
        call    fdc_in
        jc      .done
        mov     ah, al
        call    fdc_in
        xchg    al, ah
.done:  ret

; fd_param: AL = byte AL of the diskette parameter table (INT 1Eh's).
fd_param:
        push    bx
        push    es
        movzx   bx, al
        push    word 0
        pop     es
        les     ax, [es:0x1E * 4]               ; (AX = offset, ES = segment)
        add     bx, ax
        mov     al, [es:bx]
        pop     es
        pop     bx
        ret

; fdc_reset: pulses the controller's reset (DOR bit 2), takes the four
; drive reports of the polling interrupt and sends SPECIFY.  Every drive
; needs a recalibration afterwards.  CF=1 (AL = status) on failure.
fdc_reset:
        push    dx
        and     byte [BDA_FD_RECAL], 0x70       ; no drive recalibrated, no IRQ yet
        mov     dx, FDC_DOR
        mov     al, [BDA_FD_MOTOR]              ; motors and selection as they are,
        mov     ah, al
        and     al, 0x0F
        shl     al, 4
        shr     ah, 4
        and     ah, 0x03
        or      al, ah
        out     dx, al                          ; ... with reset held (bit 2 = 0)
        or      al, 0x0C                        ; reset released, IRQ/DMA gate on
        out     dx, al
        call    fdc_wait_irq
        jc      .timeout
        mov     cx, 4
.sense: call    fdc_sense_int
        jc      .timeout
        loop    .sense
        mov     al, FDC_SPECIFY
        call    fdc_out
        mov     al, DPT_SPECIFY1
        call    fd_param
        call    fdc_out
        mov     al, DPT_SPECIFY2
        call    fd_param
        and     al, 0xFE                        ; bit 0 clear: DMA mode
        call    fdc_out
        jc      .timeout
        mov     byte [BDA_FD_RATE], 0xFF        ; data rate unknown: set it again
        xor     al, al
        pop     dx
        ret
.timeout:
        mov     al, DISK_TIMEOUT
        stc
        pop     dx
        ret

; ---- drives ----
; fd_drive_type: AL = CMOS type of drive DL (0: none).
fd_drive_type:
        xor     al, al
        cmp     dl, 1
        ja      .done
        mov     al, CMOS_FLOPPY
        call    cmos_read
        test    dl, dl
        jnz     .b
        shr     al, 4
.b:     and     al, 0x0F
.done:  ret

; fd_motor_on: selects drive DL and turns its motor on.  A real drive
; needs DPT byte 10 (1/8 s) to reach speed after a cold start; x86lab's
; drives spin at once, so there is no wait.  The motor timeout is held
; at FFh until fd_motor_release.
fd_motor_on:
        push    ax
        push    cx
        push    dx
        mov     byte [BDA_FD_MOTOR_TO], 0xFF
        mov     cl, dl
        mov     al, 0x10
        shl     al, cl                          ; motor bit of the drive
        or      al, dl                          ; selected
        or      al, 0x0C                        ; running, IRQ/DMA gate
        mov     dx, FDC_DOR
        out     dx, al
        mov     ah, 1
        shl     ah, cl
        shl     cl, 4
        or      ah, cl                          ; BDA 3Fh: motor n, selection in bits 4-5
        mov     [BDA_FD_MOTOR], ah
        pop     dx
        pop     cx
        pop     ax
        ret

; fd_motor_release: the motor goes off DPT byte 2 ticks from now (INT 08h).
fd_motor_release:
        push    ax
        mov     al, DPT_MOTOR_OFF
        call    fd_param
        mov     [BDA_FD_MOTOR_TO], al
        pop     ax
        ret

; fd_recalibrate: drive DL's head to track 0 (two tries: a drive can be
; further out than one RECALIBRATE steps).  CF=1, AL = status on failure.
fd_recalibrate:
        mov     cx, 2
.try:   push    cx
        mov     al, FDC_RECAL
        call    fdc_out
        mov     al, dl
        call    fdc_out
        call    fdc_wait_irq
        jc      .timeout
        call    fdc_sense_int
        pop     cx
        jc      .failed
        test    al, 0xD0                        ; abnormal end or equipment check
        jz      .done
        loop    .try
.failed:
        mov     al, DISK_SEEK_FAIL
        stc
        ret
.timeout:
        pop     cx
        mov     al, DISK_TIMEOUT
        stc
        ret
.done:  mov     cl, dl
        mov     al, 1
        shl     al, cl
        or      [BDA_FD_RECAL], al
        movzx   bx, dl
        mov     byte [BDA_FD_TRACK + bx], 0
        clc
        ret

; fd_seek: drive DL's head to cylinder CH (recalibrating first if the
; drive's position is unknown); DH selects the side.  A real BIOS would
; now wait DPT byte 9 (head settle, ms); x86lab's heads settle at once.
; CF=1, AL = status on failure.  Preserves BX, CX, DX.
fd_seek:
        push    bx
        push    cx
        mov     cl, dl
        mov     al, 1
        shl     al, cl
        test    [BDA_FD_RECAL], al
        jnz     .known
        call    fd_recalibrate
        jc      .done
.known: pop     cx
        push    cx
        movzx   bx, dl
        cmp     [BDA_FD_TRACK + bx], ch
        je      .there
        mov     al, FDC_SEEK
        call    fdc_out
        mov     al, dh
        and     al, 1
        shl     al, 2
        or      al, dl
        call    fdc_out                         ; head, drive
        mov     al, ch
        call    fdc_out                         ; cylinder
        call    fdc_wait_irq
        mov     al, DISK_TIMEOUT
        jc      .done
        call    fdc_sense_int
        jc      .fail
        test    al, 0xC0                        ; ST0: seek ended normally
        jnz     .fail
        cmp     ah, ch                          ; and where it should
        jne     .fail
        mov     [BDA_FD_TRACK + bx], ch
.there: clc
.done:  pop     cx
        pop     bx
        ret
.fail:  mov     al, DISK_SEEK_FAIL
        stc
        jmp     .done


; fd_set_rate: the data rate of drive DL's medium (BDA 90h + DL) into
; the controller's CCR, unless it is already there.
fd_set_rate:
        push    bx
        push    dx
        movzx   bx, dl
        mov     al, [BDA_FD_MEDIA + bx]
        and     al, MS_RATE
        cmp     al, [BDA_FD_RATE]
        je      .done
        mov     [BDA_FD_RATE], al
        shr     al, 6
        mov     dx, FDC_CCR
        out     dx, al
.done:  pop     dx
        pop     bx
        ret

; fd_media: SI = the media table entry of drive DL's current medium.
fd_media:
        push    ax
        push    bx
        push    dx
        call    fd_drive_type
        mov     ah, al
        movzx   bx, dl
        mov     dl, [BDA_FD_MEDIA + bx]
        shr     dl, 6                           ; the rate
        mov     si, fd_media_table
.next:  cmp     byte [cs:si + FM_TYPE], 0
        je      .first                          ; (not found: cannot happen)
        cmp     [cs:si + FM_TYPE], ah
        jne     .skip
        cmp     [cs:si + FM_RATE], dl
        je      .done
.skip:  add     si, FM_SIZE
        jmp     .next
.first: mov     si, fd_media_table + 4 * FM_SIZE
.done:  pop     dx
        pop     bx
        pop     ax
        ret

; fd_change_line: AL = the digital input register: bit 7 set when the
; selected drive's disk may have changed (or there is none).
fd_change_line:
        push    dx
        mov     dx, FDC_DIR
        in      al, dx
        pop     dx
        ret

; fd_establish: finds the medium in drive DL (motor on): clears a pending
; disk change (the line goes low when the head steps with a disk in the
; drive), then tries READ ID at each data rate the drive type allows.
; CF=1, AL = status when there is no disk (80h) or no rate works (0Ch).
; Preserves BX, CX, DX, SI.
fd_establish:
        push    bx
        push    cx
        push    dx
        push    si
        movzx   bx, dl
        mov     byte [BDA_FD_MEDIA + bx], 0
        call    fd_change_line
        test    al, 0x80
        jz      .no_change
        mov     ch, 1                           ; step to cylinder 1 and back
        xor     dh, dh
        call    fd_seek
        jc      .failed
        call    fd_recalibrate
        jc      .failed
.no_change:
        call    fd_drive_type
        mov     ah, al
        mov     si, fd_media_table
.next:  cmp     byte [cs:si + FM_TYPE], 0
        je      .none
        cmp     [cs:si + FM_TYPE], ah
        jne     .skip
        mov     al, [cs:si + FM_RATE]
        shl     al, 6
        or      al, MS_KNOWN | MS_OTHER
        mov     [BDA_FD_MEDIA + bx], al
        push    ax
        call    fd_set_rate
        mov     al, FDC_READ_ID
        call    fdc_out
        mov     al, dl                          ; head 0
        call    fdc_out
        call    fdc_wait_irq
        jc      .timeout
        call    fd_results
        pop     ax
        jc      .failed
        test    byte [BDA_FD_RESULT], 0xC0      ; ST0: normal termination?
        jz      .done                           ; (CF=0)
.skip:  add     si, FM_SIZE
        jmp     .next
.timeout:
        pop     ax
        mov     al, DISK_TIMEOUT
        jmp     .failed
.none:  call    fd_change_line
        test    al, 0x80                        ; still "changed": no disk at all
        mov     al, DISK_TIMEOUT
        jnz     .failed
        mov     al, DISK_BAD_MEDIA
.failed:
        mov     byte [BDA_FD_MEDIA + bx], 0
        stc
.done:  pop     si
        pop     dx
        pop     cx
        pop     bx
        ret


; fd_results: the seven result bytes into BDA 42h.  CF=1 on a timeout.
fd_results:
        push    cx
        push    di
        mov     di, BDA_FD_RESULT
        mov     cx, 7
.next:  call    fdc_in
        jc      .done
        mov     [di], al
        inc     di
        loop    .next
        clc
.done:  pop     di
        pop     cx
        ret

; fd_result_status: AL = the INT 13h status the result bytes mean.
fd_result_status:
        mov     ah, [BDA_FD_RESULT]             ; ST0
        and     ah, 0xC0
        jz      .ok
        cmp     ah, 0x40
        jne     .controller
        mov     ah, [BDA_FD_RESULT + 1]         ; ST1
        mov     al, DISK_NO_SECTOR
        test    ah, 0x80                        ; end of cylinder
        jnz     .done
        mov     al, DISK_CRC
        test    ah, 0x20                        ; data error
        jnz     .done
        mov     al, DISK_DMA_OVR
        test    ah, 0x10                        ; overrun
        jnz     .done
        mov     al, DISK_NO_SECTOR
        test    ah, 0x04                        ; no data
        jnz     .done
        mov     al, DISK_WPROT
        test    ah, 0x02                        ; not writable
        jnz     .done
        mov     al, DISK_NO_AMARK
        test    ah, 0x01                        ; missing address mark
        jnz     .done
.controller:
        mov     al, DISK_CTRL_FAIL
        ret
.ok:    xor     al, al
.done:  ret

; fd_dma: DMA channel 2 for CX+1 bytes at the caller's ES:BX in mode AL.
; CF=1 if the buffer crosses a 64 KiB boundary, which the 8237's 16-bit
; address counter cannot (the page register does not carry); verify
; moves no data and takes any buffer.  Preserves all but AL.
fd_dma:
        push    eax
        push    ebx
        push    edx
        mov     dl, al                          ; DL = mode
        movzx   eax, word [bp+R_ES]
        shl     eax, 4
        movzx   ebx, word [bp+R_BX]
        add     eax, ebx                        ; EAX = physical address
        cmp     dl, DMA_VERIFY
        je      .program
        movzx   ebx, cx
        add     ebx, eax                        ; EBX = its last byte
        xor     ebx, eax
        test    ebx, 0xFFFF0000
        jnz     .boundary
.program:
        cli
        push    ax
        mov     al, 0x06                        ; mask channel 2
        out     0x0A, al
        out     0x0C, al                        ; flip-flop: low byte next
        mov     al, dl
        out     0x0B, al                        ; mode
        pop     ax
        out     0x04, al                        ; address bits 0-7
        mov     al, ah
        out     0x04, al                        ; bits 8-15
        shr     eax, 16
        out     0x81, al                        ; page register: bits 16-23
        out     0x0C, al
        mov     al, cl
        out     0x05, al                        ; count - 1
        mov     al, ch
        out     0x05, al
        mov     al, 0x02                        ; unmask channel 2
        out     0x0A, al
        sti
        clc
        jmp     .done
.boundary:
        stc
.done:  pop     edx
        pop     ebx
        pop     eax
        ret


; ---- the service ----
fd_service:
        call    cdemu_floppy_drive              ; DL = the physical drive
        mov     ah, [bp+R_AH]
        cmp     ah, 0x00
        je      fd_fn_reset
        cmp     ah, 0x01
        je      disk_fn_status
        cmp     ah, 0x15
        je      fd_fn_type
        call    fd_drive_type                   ; everything else needs the drive
        test    al, al
        jz      .bad
        cmp     ah, 0x02
        je      fd_fn_read
        cmp     ah, 0x03
        je      fd_fn_write
        cmp     ah, 0x04
        je      fd_fn_verify
        cmp     ah, 0x05
        je      fd_fn_format
        cmp     ah, 0x08
        je      fd_fn_params
        cmp     ah, 0x16
        je      fd_fn_changed
.bad:   mov     al, DISK_BAD_CMD
        jmp     fd_return

; AH=00h: reset the controller (and with DL bit 7, the hard disks too).
fd_fn_reset:
        call    fdc_reset
        jmp     fd_return

; AH=15h: AH = 02h (a floppy drive that reports disk changes) or 00h (no
; such drive).
fd_fn_type:
        call    fd_drive_type
        test    al, al
        jz      .none
        mov     al, 0x02
.none:  mov     [bp+R_AH], al
        CLEAR_CF
        FRAME_LEAVE

; AH=16h: AH = 06h (CF=1) if the disk may have changed, else 00h.
fd_fn_changed:
        call    fd_motor_on
        call    fd_change_line
        call    fd_motor_release
        test    al, 0x80
        mov     al, DISK_OK
        jz      fd_return
        movzx   bx, dl
        mov     byte [BDA_FD_MEDIA + bx], 0     ; find the medium again
        mov     al, DISK_CHANGED
        jmp     fd_return

; AH=08h: geometry of the drive's type (the largest medium it takes).
fd_fn_params:
        mov     ah, al                          ; drive type
        mov     si, fd_media_table
.find:  cmp     byte [cs:si + FM_TYPE], 0
        je      .unknown
        cmp     [cs:si + FM_TYPE], ah
        je      .found
        add     si, FM_SIZE
        jmp     .find
.unknown:
        mov     al, DISK_BAD_CMD
        jmp     fd_return
.found: mov     byte [bp+R_BL], ah
        mov     byte [bp+R_BH], 0
        mov     al, [cs:si + FM_CYLS]
        dec     al
        mov     [bp+R_CH], al                   ; last cylinder
        mov     al, [cs:si + FM_SPT]
        mov     [bp+R_CL], al
        mov     byte [bp+R_DH], 1               ; last head
        mov     ax, [BDA_EQUIP]
        shr     al, 6
        inc     al
        mov     [bp+R_DL], al                   ; drives
        mov     word [bp+R_DI], diskette_param_table
        mov     word [bp+R_ES], BIOS_SEG
        mov     byte [bp+R_AL], 0
        xor     al, al
        jmp     fd_return

; AH=02h/03h/04h: read, write, verify.
fd_fn_read:
        mov     bx, (FDC_READ << 8) | DMA_TO_MEMORY
        jmp     fd_transfer
fd_fn_write:
        mov     bx, (FDC_WRITE << 8) | DMA_FROM_MEMORY
        jmp     fd_transfer
fd_fn_verify:
        mov     bx, (FDC_READ << 8) | DMA_VERIFY

; fd_transfer: BH = the command, BL = the DMA mode; DL = the drive.
fd_transfer:
        mov     al, DISK_BAD_CMD
        mov     cx, [bp+R_CX]
        mov     dh, [bp+R_DH]
        cmp     byte [bp+R_AL], 0               ; no sectors
        je      .fail
        test    cl, 0x3F                        ; sector 0
        jz      .fail
        cmp     dh, 1
        ja      .fail
        call    .dma
        mov     al, DISK_DMA_64K
        jc      .fail
        call    fd_motor_on
        mov     di, 2                           ; one retry after a data rate change
.attempt:
        call    fd_prepare                      ; medium known, head on the cylinder
        jc      .nothing
        call    fd_hypercall                    ; the paravirtual path (hypercall.asm):
        mov     al, DISK_OK                     ; all [bp+R_AL] sectors moved
        jnc     .release
        call    fd_command_rw
        jc      .nothing
        call    fd_result_status
        cmp     al, DISK_NO_AMARK               ; wrong data rate?  find the medium again
        jne     .counted
        dec     di
        jz      .counted
        movzx   si, dl
        mov     byte [BDA_FD_MEDIA + si], 0
        call    .dma
        jmp     .attempt
.counted:
        push    ax
        call    fd_sectors_done
        mov     [bp+R_AL], al
        pop     ax
        jmp     .release
.nothing:
        mov     byte [bp+R_AL], 0
.release:
        call    fd_motor_release
        jmp     fd_return
.fail:  mov     byte [bp+R_AL], 0
        jmp     fd_return
.dma:   push    cx                              ; the channel for [bp+R_AL] sectors
        push    ax
        movzx   cx, byte [bp+R_AL]
        shl     cx, 9
        dec     cx
        mov     al, bl
        call    fd_dma
        pop     ax
        pop     cx
        ret


; fd_prepare: drive DL's medium known (found if needed) and the head on
; cylinder CH.  CF=1, AL = status on failure.
fd_prepare:
        push    bx
        movzx   bx, dl
        test    byte [BDA_FD_MEDIA + bx], MS_KNOWN
        jz      .find
        call    fd_change_line
        test    al, 0x80                        ; the disk changed meanwhile
        jz      .known
.find:  push    cx
        call    fd_establish
        pop     cx
        jc      .done
.known: call    fd_set_rate
        call    fd_seek
.done:  pop     bx
        ret

; fd_command_rw: the 9-byte READ/WRITE DATA command BH for the caller's
; CHS (CX, DH; sectors [bp+R_AL] saved by the caller), its interrupt and
; results.  The DMA channel must be set.  CF=1, AL = status on a timeout.
fd_command_rw:
        push    si
        call    fd_media
        mov     al, bh
        call    fdc_out
        mov     al, dh
        and     al, 1
        shl     al, 2
        or      al, dl
        call    fdc_out                         ; head, drive
        mov     al, ch
        call    fdc_out                         ; C
        mov     al, dh
        call    fdc_out                         ; H
        mov     al, cl
        and     al, 0x3F
        call    fdc_out                         ; R
        mov     al, DPT_SIZE_CODE
        call    fd_param
        call    fdc_out                         ; N
        mov     al, [cs:si + FM_SPT]
        call    fdc_out                         ; EOT: the last sector of a track
        mov     al, DPT_GAP
        call    fd_param
        call    fdc_out
        mov     al, DPT_DTL
        call    fd_param
        call    fdc_out
        jc      .timeout
        call    fdc_wait_irq
        jc      .timeout
        call    fd_results
        jc      .timeout
        pop     si
        ret
.timeout:
        pop     si
        call    fdc_reset                       ; get the controller back
        mov     al, DISK_TIMEOUT
        stc
        ret

; fd_sectors_done: AL = sectors transferred, from the address where the
; controller stopped (result bytes C, H, R) and the caller's start.
fd_sectors_done:
        push    bx
        push    cx
        push    dx
        push    si
        call    fd_media
        movzx   si, byte [cs:si + FM_SPT]
        ; start = (C * 2 + H) * spt + R - 1, the same for the end
        movzx   ax, byte [bp+R_CH]
        shl     ax, 1
        add     al, [bp+R_DH]
        adc     ah, 0
        imul    ax, si
        movzx   bx, byte [bp+R_CL]
        and     bl, 0x3F
        add     bx, ax                          ; BX = start + 1
        movzx   ax, byte [BDA_FD_RESULT + 3]
        shl     ax, 1
        add     al, [BDA_FD_RESULT + 4]
        adc     ah, 0
        imul    ax, si
        movzx   cx, byte [BDA_FD_RESULT + 5]
        add     ax, cx                          ; AX = end + 1
        sub     ax, bx
        jns     .positive
        xor     ax, ax
.positive:
        movzx   cx, byte [bp+R_AL]
        test    byte [BDA_FD_RESULT], 0xC0      ; success: all of them
        jz      .all
        cmp     ax, cx
        jbe     .done
.all:   mov     ax, cx
.done:  pop     si
        pop     dx
        pop     cx
        pop     bx
        ret

; AH=05h: format track CH, head DH with AL sectors; ES:BX holds a C, H,
; R, N address field for each.
fd_fn_format:
        mov     al, DISK_BAD_CMD
        mov     dh, [bp+R_DH]
        mov     ch, [bp+R_CH]
        cmp     dh, 1
        ja      .fail
        cmp     byte [bp+R_AL], 0
        je      .fail
        movzx   cx, byte [bp+R_AL]
        shl     cx, 2
        dec     cx
        mov     al, DMA_FROM_MEMORY
        call    fd_dma
        mov     al, DISK_DMA_64K
        jc      .fail
        call    fd_motor_on
        mov     ch, [bp+R_CH]
        call    fd_prepare
        jc      .release
        mov     al, FDC_FORMAT
        call    fdc_out
        mov     al, dh
        and     al, 1
        shl     al, 2
        or      al, dl
        call    fdc_out
        mov     al, DPT_SIZE_CODE
        call    fd_param
        call    fdc_out                         ; N
        mov     al, [bp+R_AL]
        call    fdc_out                         ; sectors
        mov     al, DPT_FMT_GAP
        call    fd_param
        call    fdc_out
        mov     al, DPT_FILL
        call    fd_param
        call    fdc_out
        jc      .timeout
        call    fdc_wait_irq
        jc      .timeout
        call    fd_results
        jc      .timeout
        call    fd_result_status
.release:
        call    fd_motor_release
.fail:  jmp     fd_return
.timeout:
        call    fdc_reset
        mov     al, DISK_TIMEOUT
        jmp     .release

msg_fdc_error:  db      "x86lab BIOS: the floppy controller does not answer", 13, 10, 0
