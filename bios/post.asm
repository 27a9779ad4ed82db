; post.asm -- the power-on self test: what runs from the reset vector
; (F000:FFF0 jumps to post_entry) until INT 19h loads a boot sector.  Each
; step writes a POST code to port 80h first, so a hang shows where it was
; (x86lab --trace=post prints them).  The steps:
;   01  stack, a 386 check, the CMOS shutdown byte (warm-boot paths)
;   02  DMA controllers
;   03  interrupt controllers (vectors 08h and 70h, everything masked)
;   04  timer channel 0 at 18.2 Hz
;   05  interrupt vectors, BIOS data area, memory size, EBDA
;   06  real-time clock, tick count from the time of day
;   07  video: mode 3 and the banner
;   08  keyboard controller and keyboard
;   09  equipment word, serial ports
;   0A  interrupts on; floppy controller
;   0B  IDE drives, the paravirtual disk port
;   0C  summary on screen
;   0D  INT 19h: boot

post:
        cli
        cld
        xor     ax, ax
        mov     ss, ax
        mov     sp, POST_STACK
        POST_CODE 0x01

        ; The BIOS uses 32-bit registers: on an 8086 or 286, FLAGS bits
        ; 12-14 cannot be set in real mode.
        mov     ax, 0x7000
        push    ax
        popf
        pushf
        pop     ax
        test    ax, 0x7000
        jnz     .is_386
        mov     si, msg_need_386
.need_386:
        mov     al, [cs:si]
        inc     si
        test    al, al
        jz      .stop
        out     DEBUGCON, al
        jmp     .need_386
.stop:  hlt                                     ; (interrupts are off)
        jmp     .stop
.is_386:
        push    word 0x0002                     ; the 386 test left IOPL 3 and NT set:
        popf                                    ; back to the reset value
        ; CMOS 0Fh says why the CPU was reset: 0 (or anything we do not
        ; know) is a power-on or a plain reset; a program that switched to
        ; protected mode on a 286 returns to real mode by a reset after
        ; setting 05h/0Ah/0Bh/0Ch and a resume address at 40:67h.  The byte
        ; goes back to 0 so the next reset is a cold one.
        mov     al, CMOS_SHUTDOWN
        call    cmos_read
        mov     bl, al
        mov     ax, CMOS_SHUTDOWN               ; AH = 0
        call    cmos_write
        xor     ax, ax
        mov     ds, ax
        cmp     bl, 0x05
        je      .warm_eoi
        cmp     bl, 0x0A
        je      .warm_jmp
        cmp     bl, 0x0B
        je      .warm_iret
        cmp     bl, 0x0C
        je      .warm_retf
        jmp     post_cold

.warm_eoi:                                      ; 05h: flush the keyboard, EOI, jump
        in      al, KBC_DATA
        mov     al, PIC_EOI
        out     PIC1_CMD, al
.warm_jmp:                                      ; 0Ah: jump through 40:67h
        jmp     far [0x400 + BDA_RESET_PTR]
.warm_iret:                                     ; 0Bh: SS:SP = 40:67h, IRET
        lss     sp, [0x400 + BDA_RESET_PTR]
        iret
.warm_retf:                                     ; 0Ch: SS:SP = 40:67h, RETF
        lss     sp, [0x400 + BDA_RESET_PTR]
        retf

post_cold:
        ; ---- 02: the 8237A pair: master clear (all channels masked),
        ; channel 4 in cascade mode so channels 0-3 reach the bus.
        POST_CODE 0x02
        out     0x0D, al                        ; master clear, controller 1
        out     0xDA, al                        ; master clear, controller 2
        mov     al, 0xC0                        ; channel 4: cascade mode
        out     0xD6, al
        xor     al, al
        out     0xD4, al                        ; unmask channel 4
        mov     cx, 16
        mov     dx, 0x81                        ; page registers 81h-8Fh to 0
.page:  out     dx, al
        inc     dx
        loop    .page

        ; ---- 03: the 8259A pair.  ICW1 edge-triggered, cascade, ICW4;
        ; ICW2 vectors 08h (IRQ 0-7, as the PC has it) and 70h (IRQ 8-15);
        ; ICW3 the slave on IR2; ICW4 8086 mode.  Everything stays masked
        ; until the handlers are in place.
        POST_CODE 0x03
        mov     al, 0x11
        out     PIC1_CMD, al
        out     PIC2_CMD, al
        mov     al, 0x08
        out     PIC1_DATA, al
        mov     al, 0x70
        out     PIC2_DATA, al
        mov     al, 0x04
        out     PIC1_DATA, al
        mov     al, 0x02
        out     PIC2_DATA, al
        mov     al, 0x01
        out     PIC1_DATA, al
        out     PIC2_DATA, al
        mov     al, 0xFF
        out     PIC1_DATA, al
        out     PIC2_DATA, al

        ; ---- 04: 8254 counter 0, mode 3 (square wave), count 0 = 65536:
        ; 1193182 / 65536 = 18.2 interrupts a second on IRQ 0.  The
        ; speaker (port 61h bits 0-1) stays off.
        POST_CODE 0x04
        mov     al, 0x36                        ; counter 0, LSB then MSB, mode 3
        out     PIT_CTRL, al
        xor     al, al
        out     PIT_CH0, al
        out     PIT_CH0, al
        in      al, PORT_B
        and     al, 0xFC
        out     PORT_B, al

        ; ---- 05: vectors, BIOS data area, memory
        POST_CODE 0x05
        call    setup_ivt
        call    setup_bda
        call    setup_memory

        ; ---- 06: the RTC: 32.768 kHz time base, 1024 Hz periodic rate
        ; (used by INT 15h AH=83h/86h), 24-hour BCD, no interrupts; the
        ; tick count starts at the time of day.
        POST_CODE 0x06
        call    rtc_init

        ; ---- 07: 80x25 colour text, then the banner
        POST_CODE 0x07
        mov     ax, 0x0003
        int     0x10
        mov     si, msg_banner
        call    print_str

        ; ---- 08: keyboard controller self test, keyboard reset
        POST_CODE 0x08
        call    kbd_init

        ; ---- 09: what is installed
        POST_CODE 0x09
        call    setup_equipment

        ; ---- 0A: unmask the interrupts the BIOS serves and let them in:
        ; IRQ 0 timer, 1 keyboard, 2 cascade, 6 floppy; IRQ 8 RTC, 14 and
        ; 15 IDE.  Then the floppy controller (it interrupts on reset).
        POST_CODE 0x0A
        mov     al, 0xB8                        ; 1011 1000: 0, 1, 2, 6 open
        out     PIC1_DATA, al
        mov     al, 0x3E                        ; 0011 1110: 8, 14, 15 open
        out     PIC2_DATA, al
        sti
        call    fd_init

        ; ---- 0B: IDE drives; the paravirtual disk port, if x86lab has
        ; it (hypercall.asm: INT 13h then moves sectors through it)
        POST_CODE 0x0B
        call    ata_detect
        push    ds
        push    fs
        push    word BDA_SEG
        pop     ds
        mov     fs, [BDA_EBDA]
        call    hc_detect
        pop     fs
        pop     ds

        ; ---- 0C: what was found
        POST_CODE 0x0C
        call    post_summary

        ; ---- 0D: boot
        POST_CODE 0x0D
        int     0x19
        jmp     post_cold                       ; INT 19h does not return

; setup_ivt: every vector to an IRET (F000:FF53) or, for hardware
; interrupts, to a handler that acknowledges the PIC; then the BIOS's own
; services and tables.  60h-67h (for user programs) are left zero.
setup_ivt:
        push    es
        xor     ax, ax
        mov     es, ax
        xor     di, di
        mov     cx, 256
.all:   mov     word [es:di], dummy_iret
        mov     word [es:di+2], BIOS_SEG
        add     di, 4
        loop    .all
        mov     di, 0x08 * 4
        mov     cx, 8
.irq_lo:
        mov     word [es:di], irq_default_master
        add     di, 4
        loop    .irq_lo
        mov     di, 0x70 * 4
        mov     cx, 8
.irq_hi:
        mov     word [es:di], irq_default_slave
        add     di, 4
        loop    .irq_hi
        mov     di, 0x60 * 4
        mov     cx, 16
        xor     ax, ax
        rep     stosw
        mov     si, ivt_services
.service:
        mov     di, [cs:si]
        cmp     di, 0xFFFF
        je      .done
        shl     di, 2
        mov     ax, [cs:si+2]
        mov     [es:di], ax
        mov     word [es:di+2], BIOS_SEG
        add     si, 4
        jmp     .service
.done:  pop     es
        ret

ivt_services:
        dw      0x08, int08_handler             ; IRQ 0: timer
        dw      0x09, int09_handler             ; IRQ 1: keyboard
        dw      0x0E, int0e_handler             ; IRQ 6: floppy
        dw      0x10, int10_handler             ; video
        dw      0x11, int11_handler             ; equipment
        dw      0x12, int12_handler             ; memory size
        dw      0x13, int13_handler             ; disk
        dw      0x15, int15_handler             ; system services
        dw      0x16, int16_handler             ; keyboard
        dw      0x18, int18_handler             ; no boot device
        dw      0x19, int19_handler             ; boot
        dw      0x1A, int1a_handler             ; time of day
        dw      0x1D, video_param_table         ; (data) 6845 parameters
        dw      0x1E, diskette_param_table      ; (data) floppy parameters
        dw      0x1F, font8x8 + 128 * 8         ; (data) graphics chars 80h-FFh
        dw      0x43, font8x8                   ; (data) graphics font
        dw      0x70, int70_handler             ; IRQ 8: RTC
        dw      0x74, int74_handler             ; IRQ 12: PS/2 mouse
        dw      0x76, int76_handler             ; IRQ 14: primary IDE
        dw      0x77, int76_handler             ; IRQ 15: secondary IDE
        dw      0xFFFF

; setup_bda: clears the BIOS data area (but for the reset flag at 72h:
; 1234h after Ctrl-Alt-Del tells programs it was a warm boot) and sets the
; keyboard buffer.
setup_bda:
        push    es
        push    word BDA_SEG
        pop     es
        push    word [es:BDA_RESET_FLAG]
        xor     di, di
        xor     ax, ax
        mov     cx, 0x100 / 2
        rep     stosw
        pop     word [es:BDA_RESET_FLAG]
        mov     word [es:BDA_KBD_HEAD], BDA_KBD_BUF
        mov     word [es:BDA_KBD_TAIL], BDA_KBD_BUF
        mov     word [es:BDA_KBD_START], BDA_KBD_BUF
        mov     word [es:BDA_KBD_END], BDA_KBD_BUF_END
        mov     byte [es:BDA_KBD_FLAGS3], KF3_101
        pop     es
        ret

; setup_memory: base memory from CMOS 15h (640 KiB on any x86lab
; machine); its last KiB becomes the EBDA, so INT 12h reports 639.
setup_memory:
        push    es
        mov     al, CMOS_BASE_KB
        call    cmos_read_word
        cmp     ax, 640
        jbe     .base_ok
        mov     ax, 640
.base_ok:
        sub     ax, EBDA_KB
        push    word BDA_SEG
        pop     es
        mov     [es:BDA_MEMSIZE], ax
        shl     ax, 6                           ; KiB -> paragraphs
        mov     [es:BDA_EBDA], ax
        mov     es, ax
        xor     di, di
        mov     cx, EBDA_KB * 1024 / 2
        xor     ax, ax
        rep     stosw
        mov     byte [es:EBDA_SIZE], EBDA_KB
        pop     es
        ret

; setup_equipment: the equipment word (INT 11h) from the CMOS and what
; answers on the serial ports.
;   bit 0       floppy drives present     bits 6-7   their count - 1
;   bit 1       math coprocessor          bit 2      PS/2 mouse port
;   bits 4-5    10 = 80x25 colour         bits 9-11  serial ports
setup_equipment:
        push    es
        push    word BDA_SEG
        pop     es
        mov     bx, 0x0020                      ; 80x25 colour
        mov     al, CMOS_FLOPPY
        call    cmos_read
        xor     cx, cx
        test    al, 0xF0
        jz      .no_a
        inc     cx
.no_a:  test    al, 0x0F
        jz      .no_b
        inc     cx
.no_b:  jcxz    .floppies_done
        dec     cx
        shl     cx, 6
        or      bx, cx
        or      bx, 0x0001
.floppies_done:
        mov     al, CMOS_EQUIP
        call    cmos_read
        and     al, 0x06                        ; coprocessor, mouse port
        or      bl, al
        ; serial ports: a UART's scratch register keeps what is written
        xor     di, di
        mov     si, com_ports
.com:   mov     dx, [cs:si]
        test    dx, dx
        jz      .com_done
        add     dx, 7
        mov     al, 0x5A
        out     dx, al
        in      al, dx
        cmp     al, 0x5A
        jne     .com_next
        sub     dx, 7
        mov     [es:BDA_COM + di], dx
        add     di, 2
.com_next:
        add     si, 2
        jmp     .com
.com_done:
        shl     di, 8                           ; count (di/2) into bits 9-11
        or      bx, di
        mov     [es:BDA_EQUIP], bx
        pop     es
        ret

com_ports:
        dw      0x3F8, 0x2F8, 0x3E8, 0x2E8, 0

; post_summary: memory and drives on the screen and the debug console.
post_summary:
        push    es
        push    word BDA_SEG
        pop     es
        mov     si, msg_memory
        call    print_str
        movzx   eax, word [es:BDA_MEMSIZE]
        call    print_dec
        mov     si, msg_kib_base
        call    print_str
        call    ext_memory_kb                   ; EAX = KiB above 1 MiB
        call    print_dec
        mov     si, msg_kib_ext
        call    print_str
        mov     si, msg_floppies
        call    print_str
        xor     eax, eax
        test    byte [es:BDA_EQUIP], 1
        jz      .fd_count
        mov     al, [es:BDA_EQUIP]
        shr     al, 6
        inc     al
.fd_count:
        call    print_dec
        mov     si, msg_hds
        call    print_str
        movzx   eax, byte [es:BDA_HD_COUNT]
        call    print_dec
        mov     si, msg_cds
        call    print_str
        mov     es, [es:BDA_EBDA]
        movzx   eax, byte [es:EBDA_CD_COUNT]
        call    print_dec
        mov     si, msg_crlf
        call    print_str
        pop     es
        ret

msg_need_386:   db      "x86lab BIOS needs a 386 or later CPU", 10, 0
msg_banner:     db      "x86lab BIOS 1.0", 13, 10, 0
msg_memory:     db      "x86lab BIOS: memory ", 0
msg_kib_base:   db      " KiB base, ", 0
msg_kib_ext:    db      " KiB extended", 13, 10, 0
msg_floppies:   db      "x86lab BIOS: floppy drives ", 0
msg_hds:        db      ", hard disks ", 0
msg_cds:        db      ", CD-ROMs ", 0
msg_crlf:       db      13, 10, 0
