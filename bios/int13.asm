; int13.asm -- INT 13h, the disk services: the entry point that sends
; drives 00h-7Fh to the floppy code (floppy.asm), 80h-DFh to the IDE disk
; code (ata.asm) and E0h-FFh to the CD-ROM code (cdrom.asm), a drive that
; El Torito emulates from a CD image to cdemu.asm, and the way
; every function returns its status: AH = status, CF = (status != 0), and
; the status kept in the BDA (41h for floppies, 74h for the others) for
; AH=01h.

int13_handler:
        sti                                     ; the services wait for IRQs and ticks
        cld
        FRAME_ENTER
        push    word BDA_SEG
        pop     ds
        cmp     byte [bp+R_AH], 0x4B            ; El Torito: emulation status
        je      cdemu_fn_status
        call    cdemu_owns                      ; a disk image on a CD (cdemu.asm)
        jc      cdemu_service
        test    byte [bp+R_DL], 0x80
        jnz     hd_service
        jmp     fd_service

; fd_return / hd_return: end an INT 13h call with status AL.
fd_return:
        mov     [BDA_FD_STATUS], al
        jmp     disk_return
hd_return:
        mov     [BDA_HD_STATUS], al
disk_return:
        mov     [bp+R_AH], al
        CLEAR_CF
        test    al, al
        jz      .ok
        SET_CF
.ok:    FRAME_LEAVE

; AH=01h (both kinds): AH = the last status, CF set if it was an error.
disk_fn_status:
        mov     al, [BDA_FD_STATUS]
        test    byte [bp+R_DL], 0x80
        jz      disk_return
        mov     al, [BDA_HD_STATUS]
        jmp     disk_return
