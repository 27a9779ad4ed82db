; mouse.asm -- INT 15h AH=C2h, the pointing device services of the PS/2
; BIOS, on the mouse behind the 8042's auxiliary port, and IRQ 12 (INT
; 74h), which gathers the mouse's packets and hands each to the far
; routine the program installed (AL=07h), as
;       push status, push X, push Y, push 0; call far handler
; (words; the handler returns with RETF, the BIOS takes the 8 bytes off).
;   AL=00h  BH=00h disable, 01h enable (only with a handler: else AH=05h)
;   AL=01h  reset: BL = AAh, BH = device ID (00h)
;   AL=02h  sample rate BH: 0-6 = 10, 20, 40, 60, 80, 100, 200 per second
;   AL=03h  resolution BH: 0-3 = 1, 2, 4, 8 counts per mm
;   AL=04h  BH = device ID
;   AL=05h  initialise for packets of BH bytes (1-8), then reset
;   AL=06h  BH=00h status: BL, CL (resolution), DL (rate); BH=01h/02h
;           scaling 1:1 / 2:1
;   AL=07h  the handler: ES:BX (0000:0000 removes it)
; Errors: CF=1 with AH = 01h bad function, 02h bad input, 03h interface
; error (the mouse did not answer), 05h no handler.

EBDA_MOUSE_HANDLER equ  0x22            ; EBDA (dword): the program's routine
EBDA_MOUSE_COUNT   equ  0x26            ; byte: bytes of the packet so far
EBDA_MOUSE_SIZE    equ  0x27            ; byte: packet size (0: 3)
EBDA_MOUSE_DATA    equ  0x28            ; 8 bytes: the packet
KBC_CMD_AUX_IRQ    equ  0x02            ; 8042 command byte: IRQ 12 on
KBC_CMD_AUX_OFF    equ  0x20            ; ... the auxiliary port off

mouse_rates:    db      10, 20, 40, 60, 80, 100, 200

sys_fn_mouse:
        mov     fs, [BDA_EBDA]
        movzx   bx, byte [bp+R_AL]
        cmp     bx, 7
        ja      .bad
        shl     bx, 1
        cli                                     ; the replies must not go to IRQ 12
        jmp     [cs:mouse_functions + bx]
.bad:   mov     al, 0x01
        jmp     sys_fail

mouse_functions:
        dw      mouse_fn_enable, mouse_fn_reset, mouse_fn_rate, mouse_fn_resolution
        dw      mouse_fn_type, mouse_fn_init, mouse_fn_extended, mouse_fn_handler

; ---- talking to the mouse ----
; mouse_read: AL = the next byte from the mouse (8042 status: output
; buffer full, from the auxiliary device).  A keyboard byte found first
; is dropped.  CF=1 on a timeout.
mouse_read:
        push    cx
        mov     cx, 0xFFFF
.poll:  in      al, KBC_STATUS
        and     al, 0x21
        jz      .wait
        cmp     al, 0x21
        in      al, KBC_DATA
        je      .done                           ; (CF=0 after an equal compare)
.wait:  loop    .poll
        stc
.done:  pop     cx
        ret

; mouse_command: sends AL to the mouse (8042 command D4h) and waits for
; its ACK (FAh).  CF=1 if it does not come.
mouse_command:
        push    ax
        mov     al, 0xD4
        call    kbc_command
        pop     ax
        jc      .done
        call    kbc_write_data
        jc      .done
        call    mouse_read
        jc      .done
        cmp     al, 0xFA
        je      .done
        stc
.done:  ret

; mouse_command_arg: command AL, then its argument AH, each ACKed.
mouse_command_arg:
        call    mouse_command
        jc      .done
        mov     al, ah
        call    mouse_command
.done:  ret

; mouse_port: the 8042 command byte with IRQ 12 and the auxiliary port on
; (AL=1) or off (AL=0).
mouse_port:
        push    bx
        mov     bl, al
        mov     al, 0x20                        ; read the command byte
        call    kbc_command
        call    kbc_read
        and     al, ~(KBC_CMD_AUX_IRQ | KBC_CMD_AUX_OFF)
        or      al, KBC_CMD_AUX_OFF
        test    bl, bl
        jz      .write
        xor     al, KBC_CMD_AUX_OFF | KBC_CMD_AUX_IRQ
.write: mov     bl, al
        mov     al, 0x60
        call    kbc_command
        mov     al, bl
        call    kbc_write_data
        pop     bx
        ret

; mouse_done: AH = 0, CF = 0 (or AL = the error when CF=1 on entry).
mouse_done:
        mov     al, 0x03                        ; interface error
        jc      sys_fail
        jmp     sys_ok

; ---- the functions (interrupts off; FS = EBDA) ----
mouse_fn_enable:
        cmp     byte [bp+R_BH], 0x01
        ja      mouse_bad_input
        je      .enable
        mov     al, 1
        call    mouse_port
        mov     al, 0xF5                        ; disable reporting
        call    mouse_command
        pushf
        xor     al, al
        call    mouse_port
        popf
        jmp     mouse_done
.enable:
        mov     al, 0x05                        ; no handler to give packets to
        cmp     dword [fs:EBDA_MOUSE_HANDLER], 0
        je      sys_fail
        mov     al, 1
        call    mouse_port
        mov     byte [fs:EBDA_MOUSE_COUNT], 0
        mov     al, 0xF4                        ; enable reporting
        call    mouse_command
        jc      mouse_done
        in      al, PIC2_DATA                   ; IRQ 12 open at the slave PIC
        and     al, ~0x10
        out     PIC2_DATA, al
        clc
        jmp     mouse_done

mouse_fn_reset:
        mov     al, 1                           ; the port on to talk to it
        call    mouse_port
        mov     al, 0xFF
        call    mouse_command
        jc      .done
        call    mouse_read                      ; self test passed: AAh
        jc      .done
        mov     [bp+R_BL], al
        call    mouse_read                      ; its ID
        jc      .done
        mov     [bp+R_BH], al
        mov     byte [fs:EBDA_MOUSE_COUNT], 0
.done:  pushf
        xor     al, al                          ; reporting is off after a reset:
        call    mouse_port                      ; so is the port until AL=00h
        popf
        jmp     mouse_done

mouse_fn_rate:
        movzx   bx, byte [bp+R_BH]
        cmp     bx, 6
        ja      mouse_bad_input
        mov     ah, [cs:mouse_rates + bx]
        mov     al, 0xF3
        jmp     mouse_with_arg

mouse_fn_resolution:
        mov     ah, [bp+R_BH]
        cmp     ah, 3
        ja      mouse_bad_input
        mov     al, 0xE8
mouse_with_arg:
        push    ax
        mov     al, 1
        call    mouse_port
        pop     ax
        call    mouse_command_arg
        jmp     mouse_done

mouse_fn_type:
        mov     al, 1
        call    mouse_port
        mov     al, 0xF2
        call    mouse_command
        jc      mouse_done
        call    mouse_read
        jc      mouse_done
        mov     [bp+R_BH], al
        jmp     mouse_done

mouse_fn_init:
        mov     al, [bp+R_BH]
        dec     al
        cmp     al, 7
        ja      mouse_bad_input
        inc     al
        mov     [fs:EBDA_MOUSE_SIZE], al
        jmp     mouse_fn_reset

mouse_fn_extended:
        mov     al, 1
        call    mouse_port
        mov     al, 0xE6                        ; BH=01h: scaling 1:1
        cmp     byte [bp+R_BH], 0x01
        je      .command
        mov     al, 0xE7                        ; BH=02h: 2:1
        cmp     byte [bp+R_BH], 0x02
        je      .command
        cmp     byte [bp+R_BH], 0x00
        jne     mouse_bad_input
        mov     al, 0xE9                        ; BH=00h: status request
        call    mouse_command
        jc      mouse_done
        call    mouse_read
        jc      mouse_done
        mov     [bp+R_BL], al
        call    mouse_read
        jc      mouse_done
        mov     [bp+R_CL], al
        call    mouse_read
        jc      mouse_done
        mov     [bp+R_DL], al
        jmp     mouse_done
.command:
        call    mouse_command
        jmp     mouse_done

mouse_fn_handler:
        mov     ax, [bp+R_BX]
        mov     [fs:EBDA_MOUSE_HANDLER], ax
        mov     ax, [bp+R_ES]
        mov     [fs:EBDA_MOUSE_HANDLER + 2], ax
        clc
        jmp     mouse_done

mouse_bad_input:
        mov     al, 0x02
        jmp     sys_fail

; ---- INT 74h: IRQ 12, a byte from the mouse ----
int74_handler:
        pushad
        push    ds
        push    es
        push    fs
        in      al, KBC_STATUS
        and     al, 0x21
        cmp     al, 0x21                        ; (a stale IRQ: nothing to read)
        jne     .eoi
        in      al, KBC_DATA
        push    word BDA_SEG
        pop     ds
        mov     fs, [BDA_EBDA]
        movzx   bx, byte [fs:EBDA_MOUSE_COUNT]
        and     bx, 0x07
        mov     [fs:EBDA_MOUSE_DATA + bx], al
        inc     bx
        mov     cl, [fs:EBDA_MOUSE_SIZE]
        test    cl, cl
        jnz     .sized
        mov     cl, 3
.sized: mov     [fs:EBDA_MOUSE_COUNT], bl
        cmp     bl, cl
        jb      .eoi
        mov     byte [fs:EBDA_MOUSE_COUNT], 0   ; a whole packet
        cmp     dword [fs:EBDA_MOUSE_HANDLER], 0
        je      .eoi
        movzx   ax, byte [fs:EBDA_MOUSE_DATA]   ; status
        push    ax
        movzx   ax, byte [fs:EBDA_MOUSE_DATA + 1]   ; X
        push    ax
        movzx   ax, byte [fs:EBDA_MOUSE_DATA + 2]   ; Y
        push    ax
        push    word 0                          ; Z
        call    far [fs:EBDA_MOUSE_HANDLER]
        add     sp, 8
.eoi:   mov     al, PIC_EOI
        out     PIC2_CMD, al
        out     PIC1_CMD, al
        pop     fs
        pop     es
        pop     ds
        popad
        iret
