; misc.asm -- the small handlers: unexpected hardware interrupts, the
; timer tick (INT 08h), IDE interrupts, INT 11h (equipment), INT 12h
; (memory size), INT 18h (nothing to boot) and INT 19h (boot).

; ---- unexpected interrupts ----
; irq_default_master: an IRQ 0-7 with no handler.  The in-service register
; says which it was (BDA 6Bh keeps it); with none in service it was a
; spurious IRQ 7, which must not be acknowledged.
irq_default_master:
        push    ax
        push    ds
        mov     al, 0x0B                        ; OCW3: read the ISR
        out     PIC1_CMD, al
        in      al, PIC1_CMD
        mov     ah, al
        mov     al, 0x0A                        ; OCW3: back to the IRR
        out     PIC1_CMD, al
        push    word BDA_SEG
        pop     ds
        mov     [BDA_LAST_INT], ah
        test    ah, ah
        jz      .spurious
        mov     al, PIC_EOI
        out     PIC1_CMD, al
.spurious:
        pop     ds
        pop     ax
        iret

; irq_default_slave: the same for IRQ 8-15; the master's cascade input is
; in service either way.
irq_default_slave:
        push    ax
        push    ds
        mov     al, 0x0B
        out     PIC2_CMD, al
        in      al, PIC2_CMD
        mov     ah, al
        mov     al, 0x0A
        out     PIC2_CMD, al
        push    word BDA_SEG
        pop     ds
        mov     byte [BDA_LAST_INT], 0x04       ; "through the cascade"
        mov     al, PIC_EOI
        test    ah, ah
        jz      .spurious
        out     PIC2_CMD, al
.spurious:
        out     PIC1_CMD, al
        pop     ds
        pop     ax
        iret

; ---- INT 08h: IRQ 0, 18.2 times a second ----
; Counts the tick (BDA 6Ch), wrapping at 24 hours (1800B0h ticks) and
; noting midnight (BDA 70h); turns the floppy motors off when their
; timeout (BDA 40h) runs out; calls the user hook INT 1Ch.
int08_handler:
        push    ds
        push    ax
        push    dx
        push    word BDA_SEG
        pop     ds
        inc     dword [BDA_TICKS]
        cmp     dword [BDA_TICKS], 0x1800B0
        jb      .same_day
        mov     dword [BDA_TICKS], 0
        mov     byte [BDA_MIDNIGHT], 1
.same_day:
        cmp     byte [BDA_FD_MOTOR_TO], 0
        je      .motors_done
        dec     byte [BDA_FD_MOTOR_TO]
        jnz     .motors_done
        and     byte [BDA_FD_MOTOR], 0xF0       ; motor bits off, keep the selection
        mov     dx, FDC_DOR
        mov     al, 0x0C                        ; controller on, DMA/IRQ gate, no motor
        out     dx, al
.motors_done:
        int     0x1C
        cli
        mov     al, PIC_EOI
        out     PIC1_CMD, al
        pop     dx
        pop     ax
        pop     ds
        iret

; ---- INT 76h/77h: IRQ 14/15, an IDE channel interrupted ----
; The disk code polls the status register (which also acknowledges the
; device); this only records the event (BDA 8Eh) and ends the interrupt.
int76_handler:
        push    ax
        push    ds
        push    word BDA_SEG
        pop     ds
        mov     byte [BDA_HD_INT], 0xFF
        mov     al, PIC_EOI
        out     PIC2_CMD, al
        out     PIC1_CMD, al
        pop     ds
        pop     ax
        iret

; ---- INT 11h: AX = the equipment word ----
int11_handler:
        push    ds
        push    word BDA_SEG
        pop     ds
        mov     ax, [BDA_EQUIP]
        pop     ds
        iret

; ---- INT 12h: AX = KiB of memory below 640 KiB, EBDA excluded ----
int12_handler:
        push    ds
        push    word BDA_SEG
        pop     ds
        mov     ax, [BDA_MEMSIZE]
        pop     ds
        iret

; ---- INT 18h: no device could be booted ----
int18_handler:
        mov     si, msg_no_boot
        call    print_str
.halt:  cli
        hlt
        jmp     .halt

; ---- INT 19h: boot ----
; Tries the devices in the CMOS boot order (3Dh low and high nibbles,
; 38h high nibble: 1 floppy A:, 2 first hard disk, 3 CD-ROM).  A device
; boots when its first sector reads into 0000:7C00 and ends with the
; signature 55h AAh; the BIOS then jumps to 0000:7C00 with DL = the drive.
; A CD-ROM boots by El Torito instead (cdrom.asm).
int19_handler:
        cli
        xor     ax, ax
        mov     ds, ax
        mov     es, ax
        mov     ss, ax
        mov     sp, POST_STACK
        sti
        mov     al, CMOS_BOOT_12
        call    cmos_read
        mov     bl, al
        mov     al, CMOS_BOOT_3
        call    cmos_read
        shr     al, 4
        mov     bh, al
        test    bl, bl
        jnz     .order_ok
        mov     bx, 0x0321                      ; nothing set: floppy, disk, CD
.order_ok:
        mov     al, bl
        and     al, 0x0F
        call    boot_device
        mov     al, bl
        shr     al, 4
        call    boot_device
        mov     al, bh
        call    boot_device
        int     0x18

; boot_device: tries device AL (CMOS code); returns if it cannot boot.
boot_device:
        cmp     al, 1
        je      .floppy
        cmp     al, 2
        je      .disk
        cmp     al, 3
        je      .cdrom
        ret
.floppy:
        test    byte [0x400 + BDA_EQUIP], 1
        jz      .none
        mov     dl, 0x00
        mov     si, msg_floppy
        jmp     boot_drive
.disk:
        cmp     byte [0x400 + BDA_HD_COUNT], 0
        je      .none
        mov     dl, 0x80
        mov     si, msg_disk
        jmp     boot_drive
.cdrom:
        jmp     cd_boot
.none:  ret

; boot_drive: reads the first sector of drive DL (named by the string at
; CS:SI) to 0000:7C00, three tries with a reset between; jumps to it if it
; carries the boot signature, else says why and returns.
boot_drive:
        push    bx
        push    si
        mov     si, msg_booting
        call    print_str
        pop     si
        call    print_str
        mov     di, 3
.try:   xor     ax, ax                          ; reset the drive
        int     0x13
        xor     ax, ax
        mov     es, ax
        mov     bx, BOOT_OFF
        mov     ax, 0x0201                      ; read one sector
        mov     cx, 0x0001                      ; cylinder 0, sector 1
        xor     dh, dh                          ; head 0
        int     0x13
        jnc     .read
        dec     di
        jnz     .try
        mov     si, msg_read_error
        call    print_str
        mov     al, ah
        call    print_hex8
        mov     si, msg_crlf
        call    print_str
        pop     bx
        ret
.read:  cmp     word [BOOT_OFF + 510], 0xAA55
        je      .jump
        mov     si, msg_not_bootable
        call    print_str
        pop     bx
        ret
.jump:  mov     si, msg_crlf
        call    print_str
        xor     ax, ax
        xor     bx, bx
        xor     cx, cx
        xor     dh, dh
        xor     si, si
        xor     di, di
        xor     bp, bp
        mov     ds, ax
        mov     es, ax
        jmp     BOOT_SEG:BOOT_OFF

msg_no_boot:    db      "x86lab BIOS: no bootable device", 13, 10, 0
msg_booting:    db      "x86lab BIOS: booting from ", 0
msg_floppy:     db      "floppy A:", 0
msg_disk:       db      "hard disk 80h", 0
msg_read_error: db      " read error, status ", 0
msg_not_bootable: db    " not bootable (no 55AAh signature)", 13, 10, 0
