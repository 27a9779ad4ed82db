; kbd.asm -- the keyboard: the 8042 and keyboard set-up of POST, the IRQ 1
; handler (INT 09h) that turns scan codes (set 1, as the 8042 translates
; them) into the BIOS's scan code/ASCII pairs in the BDA buffer while
; keeping the shift and lock state, and INT 16h, the programs' side of the
; buffer.

; ---- talking to the 8042 by polling ----
; kbc_wait_input: waits until the controller has taken the last byte
; (status bit 1 clear).  CF=1 on a timeout.  Preserves all.
kbc_wait_input:
        push    ax
        push    cx
        mov     cx, 0xFFFF
.poll:  in      al, KBC_STATUS
        test    al, 0x02
        jz      .ready
        loop    .poll
        stc
.ready: pop     cx
        pop     ax
        ret

; kbc_read: AL = the next byte from the controller (waits for status bit
; 0).  CF=1 on a timeout.
kbc_read:
        push    cx
        mov     cx, 0xFFFF
.poll:  in      al, KBC_STATUS
        test    al, 0x01
        jnz     .full
        loop    .poll
        pop     cx
        stc
        ret
.full:  in      al, KBC_DATA
        pop     cx
        clc
        ret

; kbc_command: sends controller command AL (port 64h).  CF=1 on a timeout.
kbc_command:
        call    kbc_wait_input
        jc      .done
        out     KBC_CMD, al
.done:  ret

; kbc_write_data: sends AL through port 60h (to the keyboard, or as a
; command's argument).  CF=1 on a timeout.
kbc_write_data:
        call    kbc_wait_input
        jc      .done
        out     KBC_DATA, al
.done:  ret

; kbd_command_ack: sends AL to the keyboard and waits for its ACK (FAh).
; CF=1 if it does not come.
kbd_command_ack:
        call    kbc_write_data
        jc      .done
        call    kbc_read
        jc      .done
        cmp     al, 0xFA
        je      .done                           ; CF=0 after an equal compare
        stc
.done:  ret

; kbd_init (POST): controller self test, keyboard interface test, keyboard
; reset, then the command byte the BIOS runs with: scan code translation
; to set 1, system flag, keyboard interrupt on, mouse port off.
kbd_init:
        mov     cx, 16                          ; drop whatever is waiting
.flush: in      al, KBC_STATUS
        test    al, 0x01
        jz      .flushed
        in      al, KBC_DATA
        loop    .flush
.flushed:
        mov     al, 0x60                        ; command byte: interrupts off,
        call    kbc_command                     ; both ports disabled for the tests
        mov     al, 0x30
        call    kbc_write_data
        mov     al, 0xAA                        ; controller self test: 55h
        call    kbc_command
        call    kbc_read
        jc      .error
        cmp     al, 0x55
        jne     .error
        mov     al, 0xAB                        ; keyboard interface test: 00h
        call    kbc_command
        call    kbc_read
        jc      .error
        test    al, al
        jnz     .error
        mov     al, 0xAE                        ; keyboard interface on
        call    kbc_command
        mov     al, 0xFF                        ; keyboard reset: ACK, then AAh
        call    kbd_command_ack
        jc      .error
        call    kbc_read
        jc      .error
        cmp     al, 0xAA
        jne     .error
        mov     al, 0xED                        ; LEDs off
        call    kbd_command_ack
        mov     al, 0x00
        call    kbd_command_ack
        jmp     .command_byte
.error: mov     si, msg_kbd_error
        call    print_str
.command_byte:
        mov     al, 0x60
        call    kbc_command
        mov     al, 0x65                        ; XLAT | mouse off | SYS | keyboard IRQ
        call    kbc_write_data
        ret

; ---- INT 09h: IRQ 1, a byte from the keyboard ----
; INT 15h AH=4Fh sees each scan code first (CF clear back: drop it).
int09_handler:
        pushad
        push    ds
        push    es
        push    word BDA_SEG
        pop     ds
        in      al, KBC_DATA
        mov     ah, 0x4F
        stc
        int     0x15
        jnc     .done
        call    kbd_scan
.done:  cli
        mov     al, PIC_EOI
        out     PIC1_CMD, al
        pop     es
        pop     ds
        popad
        iret

; kbd_scan: one set 1 byte AL (DS = BDA): prefixes, the shift and lock
; keys, and the keys that make characters.
kbd_scan:
        cmp     al, 0xE0
        je      .prefix_e0
        cmp     al, 0xE1
        je      .prefix_e1
        cmp     al, 0xFA                        ; replies to commands, overruns
        je      .ignore
        cmp     al, 0xFE
        je      .ignore
        cmp     al, 0xFF
        je      .ignore
        test    al, al
        jz      .ignore
        test    byte [BDA_KBD_FLAGS3], KF3_E1
        jz      .not_pause
        ; Pause sends E1 1D 45 E1 9D C5: the key is not served, so its
        ; bytes are swallowed.
        mov     ah, al
        and     ah, 0x7F
        cmp     ah, 0x1D
        je      .ignore
        and     byte [BDA_KBD_FLAGS3], ~KF3_E1
        ret
.not_pause:
        mov     bl, [BDA_KBD_FLAGS3]
        and     bl, KF3_E0                      ; BL = this key had the E0 prefix
        and     byte [BDA_KBD_FLAGS3], ~KF3_E0
        mov     ah, al
        and     ah, 0x7F                        ; AH = key, AL bit 7 = released
        cmp     ah, 0x2A
        je      kbd_shift_key
        cmp     ah, 0x36
        je      kbd_shift_key
        cmp     ah, 0x1D
        je      kbd_ctrl_key
        cmp     ah, 0x38
        je      kbd_alt_key
        cmp     ah, 0x3A
        je      kbd_caps_key
        cmp     ah, 0x45
        je      kbd_num_key
        cmp     ah, 0x46
        je      kbd_scroll_key
        cmp     ah, 0x52
        je      kbd_insert_key
        test    al, 0x80
        jnz     .ignore                         ; other releases do nothing
        jmp     kbd_make
.prefix_e0:
        or      byte [BDA_KBD_FLAGS3], KF3_E0
        ret
.prefix_e1:
        or      byte [BDA_KBD_FLAGS3], KF3_E1
.ignore:
        ret

; Shift keys: bit 1 left, bit 0 right of BDA 17h.  E0 2A / E0 36 are the
; "fake shifts" some gray keys send: not real shift keys.
kbd_shift_key:
        test    bl, bl
        jnz     .done
        mov     cl, KF_LSHIFT
        cmp     ah, 0x2A
        je      .which
        mov     cl, KF_RSHIFT
.which: test    al, 0x80
        jnz     .up
        or      [BDA_KBD_FLAGS0], cl
        ret
.up:    not     cl
        and     [BDA_KBD_FLAGS0], cl
.done:  ret

; Ctrl: left in BDA 18h bit 0, right (E0 1D) in BDA 96h bit 2; BDA 17h
; bit 2 is either.
kbd_ctrl_key:
        test    al, 0x80
        jnz     .up
        test    bl, bl
        jnz     .right_down
        or      byte [BDA_KBD_FLAGS1], KF1_LCTRL
        jmp     kbd_ctrl_alt_sum
.right_down:
        or      byte [BDA_KBD_FLAGS3], KF3_RCTRL
        jmp     kbd_ctrl_alt_sum
.up:    test    bl, bl
        jnz     .right_up
        and     byte [BDA_KBD_FLAGS1], ~KF1_LCTRL
        jmp     kbd_ctrl_alt_sum
.right_up:
        and     byte [BDA_KBD_FLAGS3], ~KF3_RCTRL
        jmp     kbd_ctrl_alt_sum

; Alt: the same with bit 1 / bit 3.  Releasing the last Alt after typing
; a number on the keypad enters that character (Alt+65 = 'A').
kbd_alt_key:
        test    al, 0x80
        jnz     .up
        test    bl, bl
        jnz     .right_down
        or      byte [BDA_KBD_FLAGS1], KF1_LALT
        jmp     kbd_ctrl_alt_sum
.right_down:
        or      byte [BDA_KBD_FLAGS3], KF3_RALT
        jmp     kbd_ctrl_alt_sum
.up:    test    bl, bl
        jnz     .right_up
        and     byte [BDA_KBD_FLAGS1], ~KF1_LALT
        jmp     .released
.right_up:
        and     byte [BDA_KBD_FLAGS3], ~KF3_RALT
.released:
        call    kbd_ctrl_alt_sum
        test    byte [BDA_KBD_FLAGS0], KF_ALT
        jnz     .still_held
        xor     ax, ax
        xchg    al, [BDA_KBD_ALTNUM]
        test    al, al
        jz      .still_held
        call    kbd_store                       ; scan code 0, ASCII = the number
.still_held:
        ret

; BDA 17h bits 2 (Ctrl) and 3 (Alt) from the left and right keys.
kbd_ctrl_alt_sum:
        and     byte [BDA_KBD_FLAGS0], ~(KF_CTRL | KF_ALT)
        mov     al, [BDA_KBD_FLAGS1]
        and     al, KF1_LCTRL | KF1_LALT        ; bits 0, 1
        mov     ah, [BDA_KBD_FLAGS3]
        shr     ah, 2
        and     ah, 0x03                        ; right ctrl, right alt as bits 0, 1
        or      al, ah
        shl     al, 2                           ; to bits 2, 3
        or      [BDA_KBD_FLAGS0], al
        ret

; Caps, Num and Scroll Lock toggle on the press; the "held" bit in BDA 18h
; keeps a held key's repeats from toggling again.
kbd_caps_key:
        mov     cx, (KF1_CAPS << 8) | KF_CAPS
        jmp     kbd_lock_key
kbd_num_key:
        mov     cx, (KF1_NUM << 8) | KF_NUM
        jmp     kbd_lock_key
kbd_scroll_key:
        test    bl, bl                          ; E0 46 is Ctrl-Break
        jnz     kbd_break
        test    byte [BDA_KBD_FLAGS0], KF_CTRL
        jnz     kbd_break
        mov     cx, (KF1_SCROLL << 8) | KF_SCROLL
kbd_lock_key:
        test    al, 0x80
        jnz     .up
        test    [BDA_KBD_FLAGS1], ch
        jnz     .done
        or      [BDA_KBD_FLAGS1], ch
        xor     [BDA_KBD_FLAGS0], cl
.done:  ret
.up:    not     ch
        and     [BDA_KBD_FLAGS1], ch
        ret

; Ctrl-Break: the buffer is emptied and gets a 0000h key, BDA 71h bit 7
; is set, and INT 1Bh runs (DOS hooks it).
kbd_break:
        test    al, 0x80
        jnz     .done
        mov     ax, [BDA_KBD_START]
        mov     [BDA_KBD_HEAD], ax
        mov     [BDA_KBD_TAIL], ax
        or      byte [BDA_BREAK], 0x80
        xor     ax, ax
        call    kbd_store
        int     0x1B
.done:  ret

; Insert toggles the insert state (BDA 17h bit 7) when it acts as Insert
; (not as the digit 0 of the keypad), then makes its key code as usual.
kbd_insert_key:
        test    al, 0x80
        jnz     .up
        test    bl, bl
        jnz     .is_insert
        mov     cl, [BDA_KBD_FLAGS0]
        test    cl, KF_ALT | KF_CTRL
        jnz     kbd_make
        call    kbd_numpad_digit                ; digit or arrow?
        jnz     kbd_make
.is_insert:
        test    byte [BDA_KBD_FLAGS1], KF1_INSERT
        jnz     kbd_make
        or      byte [BDA_KBD_FLAGS1], KF1_INSERT
        xor     byte [BDA_KBD_FLAGS0], KF_INSERT
        jmp     kbd_make
.up:    and     byte [BDA_KBD_FLAGS1], ~KF1_INSERT
        ret

; ZF=0 when the keypad gives digits now: Num Lock xor Shift.
kbd_numpad_digit:
        mov     cl, [BDA_KBD_FLAGS0]
        xor     ch, ch
        test    cl, KF_LSHIFT | KF_RSHIFT
        jz      .no_shift
        not     ch
.no_shift:
        test    cl, KF_NUM
        jz      .no_num
        not     ch
.no_num:
        test    ch, ch
        ret

; kbd_make: a key was pressed (AH = key, BL = E0 prefix): its code for
; the current shift state goes into the buffer.
kbd_make:
        mov     cl, [BDA_KBD_FLAGS0]
        cmp     ah, 0x53                        ; Ctrl-Alt-Del (either Del): restart
        jne     .not_reboot
        mov     ch, cl
        and     ch, KF_CTRL | KF_ALT
        cmp     ch, KF_CTRL | KF_ALT
        je      kbd_reboot
.not_reboot:
        test    bl, bl
        jnz     kbd_make_e0
        cmp     ah, KEY_TABLE_LAST
        ja      .none
        movzx   si, ah
        imul    si, KEY_ROW
        add     si, key_table
        test    cl, KF_ALT
        jnz     .alt
        test    cl, KF_CTRL
        jnz     .ctrl
        ; plain or shifted; Caps Lock inverts Shift for letters, Num Lock
        ; for the keypad
        xor     ch, ch
        test    cl, KF_LSHIFT | KF_RSHIFT
        jz      .shift_known
        not     ch
.shift_known:
        test    byte [cs:si + KEY_LOCK], KL_LETTER
        jz      .not_letter
        test    cl, KF_CAPS
        jz      .not_letter
        not     ch
.not_letter:
        test    byte [cs:si + KEY_LOCK], KL_KEYPAD
        jz      .pick
        test    cl, KF_NUM
        jz      .pick
        not     ch
.pick:  mov     ax, [cs:si + KEY_NORMAL]
        test    ch, ch
        jz      .store
        mov     ax, [cs:si + KEY_SHIFT]
        jmp     .store
.ctrl:  mov     ax, [cs:si + KEY_CTRL]
        jmp     .store
.alt:   test    byte [cs:si + KEY_LOCK], KL_KEYPAD
        jz      .alt_key
        ; Alt + keypad digit: the number grows by this digit
        mov     dh, [cs:si + KEY_SHIFT]         ; the digit's ASCII
        sub     dh, '0'
        cmp     dh, 9
        ja      .none
        mov     al, [BDA_KBD_ALTNUM]
        mov     dl, 10
        mul     dl
        add     al, dh
        mov     [BDA_KBD_ALTNUM], al
        ret
.alt_key:
        mov     ax, [cs:si + KEY_ALT]
.store: test    ax, ax
        jz      .none                           ; no code in this state
        call    kbd_store
.none:  ret

; The E0 keys: keypad Enter and /, and the gray cursor block.  Their
; ASCII byte is E0h, which tells INT 16h AH=10h programs that they are not
; the keypad's; AH=00h turns them into the classic codes.
kbd_make_e0:
        cmp     ah, 0x1C
        je      .enter
        cmp     ah, 0x35
        je      .slash
        cmp     ah, 0x47
        jb      .none
        cmp     ah, 0x53
        ja      .none
        cmp     ah, 0x4A
        je      .none
        cmp     ah, 0x4C
        je      .none
        cmp     ah, 0x4E
        je      .none
        test    cl, KF_ALT
        jnz     .alt_gray
        test    cl, KF_CTRL
        jnz     .ctrl_gray
        mov     al, 0xE0                        ; scan code = key
        jmp     .store
.ctrl_gray:
        movzx   si, ah
        imul    si, KEY_ROW
        mov     ah, [cs:si + key_table + KEY_CTRL + 1]
        mov     al, 0xE0
        jmp     .store
.alt_gray:
        add     ah, 0x50                        ; Alt+Home = 97h ... Alt+Del = A3h
        xor     al, al
        jmp     .store
.enter: mov     ax, 0xE00D
        test    cl, KF_CTRL
        jz      .enter_alt
        mov     al, 0x0A
.enter_alt:
        test    cl, KF_ALT
        jz      .store
        mov     ax, 0xA600
        jmp     .store
.slash: mov     ax, 0xE02F
        test    cl, KF_CTRL
        jz      .slash_alt
        mov     ax, 0x9500
.slash_alt:
        test    cl, KF_ALT
        jz      .store
        mov     ax, 0xA400
.store: jmp     kbd_store
.none:  ret

; Ctrl-Alt-Del: a warm boot (BDA 72h = 1234h) through the 8042's reset line.
kbd_reboot:
        mov     word [BDA_RESET_FLAG], 0x1234
        mov     al, 0xFE
        out     KBC_CMD, al
.wait:  hlt
        jmp     .wait

; kbd_store: AX (scan code << 8 | ASCII) at the buffer's tail (DS = BDA).
; CF=1 when the buffer is full (the key is lost).
kbd_store:
        push    bx
        push    si
        mov     bx, [BDA_KBD_TAIL]
        lea     si, [bx+2]
        cmp     si, [BDA_KBD_END]
        jb      .no_wrap
        mov     si, [BDA_KBD_START]
.no_wrap:
        cmp     si, [BDA_KBD_HEAD]
        je      .full
        mov     [bx], ax
        mov     [BDA_KBD_TAIL], si
        clc
        jmp     .done
.full:  stc
.done:  pop     si
        pop     bx
        ret

; ---- INT 16h: keyboard services ----
;   AH=00h/10h  wait for a key, AX = scan code/ASCII (00h: classic codes)
;   AH=01h/11h  ZF=1 when no key is waiting, else ZF=0 and AX = the key
;   AH=02h      AL = shift flags (BDA 17h)
;   AH=03h      AL=05h: typematic rate BL (0-1Fh) and delay BH (0-3)
;   AH=05h      store CX as a key: AL=0, or AL=1 if the buffer is full
;   AH=09h      AL = supported functions (20h: 10h-12h)
;   AH=12h      AL = BDA 17h, AH = which shift/lock keys are held
int16_handler:
        sti
        FRAME_ENTER
        push    word BDA_SEG
        pop     ds
        call    kbd_sync_leds
        mov     ah, [bp+R_AH]
        cmp     ah, 0x00
        je      .read
        cmp     ah, 0x10
        je      .read
        cmp     ah, 0x01
        je      .peek
        cmp     ah, 0x11
        je      .peek
        cmp     ah, 0x02
        je      .flags
        cmp     ah, 0x12
        je      .ext_flags
        cmp     ah, 0x03
        je      .typematic
        cmp     ah, 0x05
        je      .store
        cmp     ah, 0x09
        je      .functions
        jmp     .done

.read:  call    kbd_next_key                    ; ZF=1: none yet
        jnz     .got
        cli                                     ; sleep until an interrupt;
        mov     bx, [BDA_KBD_HEAD]              ; STI;HLT cannot miss it
        cmp     bx, [BDA_KBD_TAIL]
        jne     .again
        sti
        hlt
.again: sti
        jmp     .read
.got:   mov     [bp+R_AX], ax
        mov     bx, [BDA_KBD_HEAD]              ; take it out of the buffer
        add     bx, 2
        cmp     bx, [BDA_KBD_END]
        jb      .no_wrap
        mov     bx, [BDA_KBD_START]
.no_wrap:
        mov     [BDA_KBD_HEAD], bx
        jmp     .done

.peek:  call    kbd_next_key
        jz      .empty
        mov     [bp+R_AX], ax
        and     word [bp+R_FLAGS], ~FL_ZF
        jmp     .done
.empty: or      word [bp+R_FLAGS], FL_ZF
        jmp     .done

.flags: mov     al, [BDA_KBD_FLAGS0]
        mov     [bp+R_AL], al
        jmp     .done

.ext_flags:
        mov     al, [BDA_KBD_FLAGS0]
        mov     ah, [BDA_KBD_FLAGS1]
        and     ah, 0x73                        ; left ctrl/alt, lock keys held
        mov     bl, [BDA_KBD_FLAGS3]
        and     bl, KF3_RCTRL | KF3_RALT        ; right ctrl/alt: bits 2, 3
        or      ah, bl
        test    byte [BDA_KBD_FLAGS1], KF1_SYSREQ
        jz      .no_sysreq
        or      ah, 0x80
.no_sysreq:
        mov     [bp+R_AX], ax
        jmp     .done

.typematic:
        cmp     byte [bp+R_AL], 0x05
        jne     .done
        mov     bl, [bp+R_BL]
        mov     bh, [bp+R_BH]
        cmp     bl, 0x1F
        ja      .done
        cmp     bh, 3
        ja      .done
        shl     bh, 5
        or      bl, bh
        cli
        in      al, PIC1_DATA                   ; IRQ 1 off while we talk to the keyboard
        push    ax
        or      al, 0x02
        out     PIC1_DATA, al
        mov     al, 0xF3
        call    kbd_command_ack
        jc      .typematic_done
        mov     al, bl
        call    kbd_command_ack
.typematic_done:
        pop     ax
        out     PIC1_DATA, al
        sti
        jmp     .done

.store: mov     ax, [bp+R_CX]
        cli
        call    kbd_store
        sti
        setc    byte [bp+R_AL]
        jmp     .done

.functions:
        mov     byte [bp+R_AL], 0x20
.done:  FRAME_LEAVE

; kbd_next_key: the key at the head of the buffer as the function asked
; for it (AH=00h/01h: classic codes; 10h/11h: extended), without taking
; it out.  Keys that have no classic code are dropped for AH=00h/01h, as
; on an enhanced-keyboard BIOS.  ZF=1 when there is none; else AX = key.
kbd_next_key:
        cli
        mov     bx, [BDA_KBD_HEAD]
        cmp     bx, [BDA_KBD_TAIL]
        je      .none
        mov     ax, [bx]
        test    byte [bp+R_AH], 0x10
        jnz     .extended
        cmp     ah, 0xE0                        ; keypad Enter and /
        jne     .not_keypad
        mov     ah, 0x1C
        cmp     al, 0x2F
        jne     .found
        mov     ah, 0x35
        jmp     .found
.not_keypad:
        cmp     ah, 0x84                        ; F11, F12 and the newer combinations
        ja      .drop
        cmp     al, 0xE0                        ; gray cursor keys
        jne     .found
        test    ah, ah
        jz      .found
        xor     al, al
        jmp     .found
.extended:
        cmp     al, 0xF0                        ; F0h is no ASCII with a scan code
        jne     .found
        test    ah, ah
        jz      .found
        xor     al, al
.found: sti
        or      bx, 1                           ; ZF=0 (BX is a nonzero offset)
        ret
.drop:  add     bx, 2
        cmp     bx, [BDA_KBD_END]
        jb      .drop_no_wrap
        mov     bx, [BDA_KBD_START]
.drop_no_wrap:
        mov     [BDA_KBD_HEAD], bx
        sti
        jmp     kbd_next_key
.none:  sti
        xor     bx, bx                          ; ZF=1
        ret

; kbd_sync_leds: sends the lock state to the keyboard's LEDs when it
; changed (DS = BDA).  IRQ 1 is masked meanwhile, so the ACKs come here.
kbd_sync_leds:
        mov     al, [BDA_KBD_FLAGS0]
        shr     al, 4
        and     al, 0x07                        ; scroll, num, caps -> LED bits 0-2
        mov     ah, [BDA_KBD_LEDS]
        and     ah, 0x07
        cmp     al, ah
        je      .done
        mov     bl, al
        cli
        in      al, PIC1_DATA
        push    ax
        or      al, 0x02
        out     PIC1_DATA, al
        mov     al, 0xED
        call    kbd_command_ack
        jc      .restore
        mov     al, bl
        call    kbd_command_ack
        jc      .restore
        and     byte [BDA_KBD_LEDS], ~0x07
        or      [BDA_KBD_LEDS], bl
.restore:
        pop     ax
        out     PIC1_DATA, al
        sti
.done:  ret

; ---- the translation table ----
; One row per set 1 scan code 00h-58h: the code (scan << 8 | ASCII) with
; no shift key, with Shift, with Ctrl, with Alt (0 = no key), and which
; lock key applies (letters: Caps Lock, keypad: Num Lock).
KEY_NORMAL      equ     0
KEY_SHIFT       equ     2
KEY_CTRL        equ     4
KEY_ALT         equ     6
KEY_LOCK        equ     8
KEY_ROW         equ     10
KL_LETTER       equ     0x40
KL_KEYPAD       equ     0x20
KEY_TABLE_LAST  equ     0x58

%macro KEY 5
        dw      %1, %2, %3, %4
        db      %5, 0
%endmacro

key_table:
        KEY     0,      0,      0,      0,      0               ; 00
        KEY     0x011B, 0x011B, 0x011B, 0x0100, 0               ; 01 Esc
        KEY     0x0231, 0x0221, 0,      0x7800, 0               ; 02 1 !
        KEY     0x0332, 0x0340, 0x0300, 0x7900, 0               ; 03 2 @
        KEY     0x0433, 0x0423, 0,      0x7A00, 0               ; 04 3 #
        KEY     0x0534, 0x0524, 0,      0x7B00, 0               ; 05 4 $
        KEY     0x0635, 0x0625, 0,      0x7C00, 0               ; 06 5 %
        KEY     0x0736, 0x075E, 0x071E, 0x7D00, 0               ; 07 6 ^
        KEY     0x0837, 0x0826, 0,      0x7E00, 0               ; 08 7 &
        KEY     0x0938, 0x092A, 0,      0x7F00, 0               ; 09 8 *
        KEY     0x0A39, 0x0A28, 0,      0x8000, 0               ; 0A 9 (
        KEY     0x0B30, 0x0B29, 0,      0x8100, 0               ; 0B 0 )
        KEY     0x0C2D, 0x0C5F, 0x0C1F, 0x8200, 0               ; 0C - _
        KEY     0x0D3D, 0x0D2B, 0,      0x8300, 0               ; 0D = +
        KEY     0x0E08, 0x0E08, 0x0E7F, 0x0E00, 0               ; 0E Backspace
        KEY     0x0F09, 0x0F00, 0x9400, 0xA500, 0               ; 0F Tab
        KEY     0x1071, 0x1051, 0x1011, 0x1000, KL_LETTER       ; 10 q
        KEY     0x1177, 0x1157, 0x1117, 0x1100, KL_LETTER       ; 11 w
        KEY     0x1265, 0x1245, 0x1205, 0x1200, KL_LETTER       ; 12 e
        KEY     0x1372, 0x1352, 0x1312, 0x1300, KL_LETTER       ; 13 r
        KEY     0x1474, 0x1454, 0x1414, 0x1400, KL_LETTER       ; 14 t
        KEY     0x1579, 0x1559, 0x1519, 0x1500, KL_LETTER       ; 15 y
        KEY     0x1675, 0x1655, 0x1615, 0x1600, KL_LETTER       ; 16 u
        KEY     0x1769, 0x1749, 0x1709, 0x1700, KL_LETTER       ; 17 i
        KEY     0x186F, 0x184F, 0x180F, 0x1800, KL_LETTER       ; 18 o
        KEY     0x1970, 0x1950, 0x1910, 0x1900, KL_LETTER       ; 19 p
        KEY     0x1A5B, 0x1A7B, 0x1A1B, 0x1A00, 0               ; 1A [ {
        KEY     0x1B5D, 0x1B7D, 0x1B1D, 0x1B00, 0               ; 1B ] }
        KEY     0x1C0D, 0x1C0D, 0x1C0A, 0x1C00, 0               ; 1C Enter
        KEY     0,      0,      0,      0,      0               ; 1D Ctrl
        KEY     0x1E61, 0x1E41, 0x1E01, 0x1E00, KL_LETTER       ; 1E a
        KEY     0x1F73, 0x1F53, 0x1F13, 0x1F00, KL_LETTER       ; 1F s
        KEY     0x2064, 0x2044, 0x2004, 0x2000, KL_LETTER       ; 20 d
        KEY     0x2166, 0x2146, 0x2106, 0x2100, KL_LETTER       ; 21 f
        KEY     0x2267, 0x2247, 0x2207, 0x2200, KL_LETTER       ; 22 g
        KEY     0x2368, 0x2348, 0x2308, 0x2300, KL_LETTER       ; 23 h
        KEY     0x246A, 0x244A, 0x240A, 0x2400, KL_LETTER       ; 24 j
        KEY     0x256B, 0x254B, 0x250B, 0x2500, KL_LETTER       ; 25 k
        KEY     0x266C, 0x264C, 0x260C, 0x2600, KL_LETTER       ; 26 l
        KEY     0x273B, 0x273A, 0,      0x2700, 0               ; 27 ; :
        KEY     0x2827, 0x2822, 0,      0x2800, 0               ; 28 ' "
        KEY     0x2960, 0x297E, 0,      0x2900, 0               ; 29 ` ~
        KEY     0,      0,      0,      0,      0               ; 2A Left Shift
        KEY     0x2B5C, 0x2B7C, 0x2B1C, 0x2B00, 0               ; 2B \ |
        KEY     0x2C7A, 0x2C5A, 0x2C1A, 0x2C00, KL_LETTER       ; 2C z
        KEY     0x2D78, 0x2D58, 0x2D18, 0x2D00, KL_LETTER       ; 2D x
        KEY     0x2E63, 0x2E43, 0x2E03, 0x2E00, KL_LETTER       ; 2E c
        KEY     0x2F76, 0x2F56, 0x2F16, 0x2F00, KL_LETTER       ; 2F v
        KEY     0x3062, 0x3042, 0x3002, 0x3000, KL_LETTER       ; 30 b
        KEY     0x316E, 0x314E, 0x310E, 0x3100, KL_LETTER       ; 31 n
        KEY     0x326D, 0x324D, 0x320D, 0x3200, KL_LETTER       ; 32 m
        KEY     0x332C, 0x333C, 0,      0x3300, 0               ; 33 , <
        KEY     0x342E, 0x343E, 0,      0x3400, 0               ; 34 . >
        KEY     0x352F, 0x353F, 0,      0x3500, 0               ; 35 / ?
        KEY     0,      0,      0,      0,      0               ; 36 Right Shift
        KEY     0x372A, 0x372A, 0x9600, 0x3700, 0               ; 37 keypad *
        KEY     0,      0,      0,      0,      0               ; 38 Alt
        KEY     0x3920, 0x3920, 0x3920, 0x3920, 0               ; 39 Space
        KEY     0,      0,      0,      0,      0               ; 3A Caps Lock
        KEY     0x3B00, 0x5400, 0x5E00, 0x6800, 0               ; 3B F1
        KEY     0x3C00, 0x5500, 0x5F00, 0x6900, 0               ; 3C F2
        KEY     0x3D00, 0x5600, 0x6000, 0x6A00, 0               ; 3D F3
        KEY     0x3E00, 0x5700, 0x6100, 0x6B00, 0               ; 3E F4
        KEY     0x3F00, 0x5800, 0x6200, 0x6C00, 0               ; 3F F5
        KEY     0x4000, 0x5900, 0x6300, 0x6D00, 0               ; 40 F6
        KEY     0x4100, 0x5A00, 0x6400, 0x6E00, 0               ; 41 F7
        KEY     0x4200, 0x5B00, 0x6500, 0x6F00, 0               ; 42 F8
        KEY     0x4300, 0x5C00, 0x6600, 0x7000, 0               ; 43 F9
        KEY     0x4400, 0x5D00, 0x6700, 0x7100, 0               ; 44 F10
        KEY     0,      0,      0,      0,      0               ; 45 Num Lock
        KEY     0,      0,      0,      0,      0               ; 46 Scroll Lock
        KEY     0x4700, 0x4737, 0x7700, 0,      KL_KEYPAD       ; 47 keypad 7 Home
        KEY     0x4800, 0x4838, 0x8D00, 0,      KL_KEYPAD       ; 48 keypad 8 Up
        KEY     0x4900, 0x4939, 0x8400, 0,      KL_KEYPAD       ; 49 keypad 9 PgUp
        KEY     0x4A2D, 0x4A2D, 0x8E00, 0x4A00, 0               ; 4A keypad -
        KEY     0x4B00, 0x4B34, 0x7300, 0,      KL_KEYPAD       ; 4B keypad 4 Left
        KEY     0x4C00, 0x4C35, 0x8F00, 0,      KL_KEYPAD       ; 4C keypad 5
        KEY     0x4D00, 0x4D36, 0x7400, 0,      KL_KEYPAD       ; 4D keypad 6 Right
        KEY     0x4E2B, 0x4E2B, 0x9000, 0x4E00, 0               ; 4E keypad +
        KEY     0x4F00, 0x4F31, 0x7500, 0,      KL_KEYPAD       ; 4F keypad 1 End
        KEY     0x5000, 0x5032, 0x9100, 0,      KL_KEYPAD       ; 50 keypad 2 Down
        KEY     0x5100, 0x5133, 0x7600, 0,      KL_KEYPAD       ; 51 keypad 3 PgDn
        KEY     0x5200, 0x5230, 0x9200, 0,      KL_KEYPAD       ; 52 keypad 0 Ins
        KEY     0x5300, 0x532E, 0x9300, 0,      KL_KEYPAD       ; 53 keypad . Del
        KEY     0,      0,      0,      0,      0               ; 54 SysReq
        KEY     0,      0,      0,      0,      0               ; 55
        KEY     0x565C, 0x567C, 0,      0,      0               ; 56 102nd key \ |
        KEY     0x8500, 0x8700, 0x8900, 0x8B00, 0               ; 57 F11
        KEY     0x8600, 0x8800, 0x8A00, 0x8C00, 0               ; 58 F12

msg_kbd_error:  db      "x86lab BIOS: keyboard controller or keyboard did not answer", 13, 10, 0
