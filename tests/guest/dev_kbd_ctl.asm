; dev_kbd_ctl.asm -- the 8042 keyboard controller and the PS/2 devices
; behind it, as a BIOS or OS drives them through ports 0x60/0x64: status
; bits (OBF, SYS, A2, AUXB, INH), self and interface tests, the command
; byte, the input and output ports, keyboard reset/identify/echo/scan set/
; LEDs with and without translation, 0xD2/0xD3 loop-back, the mouse via
; 0xD4 (reset, ID, IntelliMouse knock, status), and IRQ 1 / IRQ 12 through
; the 8259A pair, gated by the command byte's interrupt bits.
        org     0x7c00
        bits    16

%include "lib.inc"
%include "dev_lib.inc"

; SEQ label, bytes...: a counted byte string for expect
%macro SEQ 1-*
%1:     db %0 - 1
%rep %0 - 1
%rotate 1
        db %1
%endrep
%endmacro

start:
        START16
        SETVEC16 0x21, irq1
        SETVEC16 0x2C, irq12

        in      al, 0x64
        and     al, 0x11
        cmp     al, 0x10
        CHECK16 e, "status at power-on: output buffer empty, not inhibited"
        mov     al, 0xAA
        call    ctl
        mov     si, s_55
        call    expect
        CHECK16 e, "0xAA self test: 0x55"
        in      al, 0x64
        test    al, 0x04
        CHECK16 nz, "SYS flag set after the self test"
        test    al, 0x08
        CHECK16 nz, "A2 set: the last write went to port 0x64"
        mov     al, 0xAB
        call    ctl
        mov     si, s_00
        call    expect
        CHECK16 e, "0xAB keyboard interface test: 0x00"
        mov     al, 0xA9
        call    ctl
        mov     si, s_00
        call    expect
        CHECK16 e, "0xA9 aux interface test: 0x00"
        mov     al, 0x20
        call    ctl
        mov     si, s_47
        call    expect
        CHECK16 e, "command byte 0x47: XLAT, SYS, both interrupts"
        mov     al, 0x60
        call    ctl
        mov     al, 0x65
        call    dat
        in      al, 0x64
        test    al, 0x08
        CHECK16 z, "A2 clear: the last write went to port 0x60"
        mov     al, 0x20
        call    ctl
        mov     si, s_65
        call    expect
        CHECK16 e, "command byte round trip (0x65)"
        mov     al, 0xD0
        call    ctl
        call    read
        and     al, 0x03
        cmp     al, 0x03
        CHECK16 e, "output port 0xD0: A20 on, reset line high"
        mov     al, 0xC0
        call    ctl
        mov     si, s_80
        call    expect
        CHECK16 e, "input port 0xC0: 0x80 (not inhibited)"
        mov     al, 0xA4
        call    ctl
        mov     si, s_f1
        call    expect
        CHECK16 e, "0xA4: no password installed (0xF1)"

        ; the keyboard, command byte 0x45: XLAT, SYS, IRQ 1 enable
        mov     al, 0x60
        call    ctl
        mov     al, 0x45
        call    dat
        mov     al, 0xFF
        call    dat
        mov     si, s_reset
        call    expect
        CHECK16 e, "keyboard reset: FA AA"
        mov     al, 0xF2
        call    dat
        mov     si, s_id_x
        call    expect
        CHECK16 e, "identify, translated: FA AB 41"
        mov     al, 0xEE
        call    dat
        mov     si, s_ee
        call    expect
        CHECK16 e, "echo: EE"
        mov     al, 0xED
        call    dat
        mov     al, 0x07
        call    dat
        mov     si, s_fafa
        call    expect
        CHECK16 e, "LEDs: FA FA"
        mov     al, 0xF0
        call    dat
        mov     al, 0x00
        call    dat
        mov     si, s_set_x
        call    expect
        CHECK16 e, "scan code set 2, translated: FA FA 41"
        mov     al, 0xF0
        call    dat
        mov     al, 0x03
        call    dat
        mov     si, s_set3
        call    expect
        CHECK16 e, "scan code set 3 refused: FA FE"
        mov     al, 0x60
        call    ctl
        mov     al, 0x05                   ; XLAT off
        call    dat
        mov     al, 0xF2
        call    dat
        mov     si, s_id
        call    expect
        CHECK16 e, "identify, untranslated: FA AB 83"
        mov     al, 0xF0
        call    dat
        mov     al, 0x00
        call    dat
        mov     si, s_set2
        call    expect
        CHECK16 e, "scan code set, untranslated: FA FA 02"
        mov     al, 0xF5
        call    dat
        mov     si, s_fa
        call    expect
        CHECK16 e, "disable scanning: FA"
        mov     al, 0xF4
        call    dat
        mov     si, s_fa
        call    expect
        CHECK16 e, "enable scanning: FA"
        mov     al, 0xFE
        call    dat
        mov     si, s_fa
        call    expect
        CHECK16 e, "resend: the last byte again (FA)"

        ; loop-back through the output buffer
        mov     al, 0xD2
        call    ctl
        mov     al, 0x5A
        call    dat
        in      al, 0x64
        and     al, 0x21
        cmp     al, 0x01
        CHECK16 e, "0xD2: buffer full with keyboard data (AUXB clear)"
        mov     si, s_5a
        call    expect
        CHECK16 e, "0xD2 byte read back"
        mov     al, 0xD3
        call    ctl
        mov     al, 0xA5
        call    dat
        in      al, 0x64
        and     al, 0x21
        cmp     al, 0x21
        CHECK16 e, "0xD3: buffer full with mouse data (AUXB set)"
        mov     si, s_a5
        call    expect
        CHECK16 e, "0xD3 byte read back"

        ; the mouse
        mov     al, 0xA8
        call    ctl
        mov     al, 0xFF
        call    aux
        mov     si, s_mreset
        call    expect
        CHECK16 e, "mouse reset: FA AA 00"
        mov     al, 0xF2
        call    aux
        mov     si, s_id0
        call    expect
        CHECK16 e, "mouse ID 0"
        mov     si, knock
.knock: lodsb
        test    al, al
        jz      .knocked
        call    aux
        call    read
        jmp     .knock
.knocked:
        mov     al, 0xF2
        call    aux
        mov     si, s_id3
        call    expect
        CHECK16 e, "mouse ID 3 after sample rates 200, 100, 80"
        mov     al, 0xE9
        call    aux
        mov     si, s_mstat
        call    expect
        CHECK16 e, "mouse status: stream, disabled, resolution 2, 80/s"

        ; interrupts through the PIC: IRQ 1 and IRQ 12
        PIC_PAIR 0x20, 0x28, 0xF9, 0xEF ; IRQ 1, 2 (the slave) and 12 open
        mov     al, 0x60
        call    ctl
        mov     al, 0x47                   ; both interrupts on
        call    dat
        sti
        mov     al, 0xD2
        call    ctl
        mov     al, 0x33
        call    dat
        call    settle
        cmp     word [irq1_count], 1
        CHECK16 e, "IRQ 1 for a byte in the buffer"
        cmp     byte [irq1_byte], 0x33
        CHECK16 e, "the IRQ 1 handler read the byte"
        mov     al, 0xF2
        call    aux
        call    settle
        cmp     word [irq12_count], 2
        CHECK16 e, "IRQ 12 for each of the mouse's two bytes (FA 03)"
        cmp     byte [irq12_byte], 0x03
        CHECK16 e, "the IRQ 12 handler read them"
        mov     al, 0xEE
        call    dat
        call    settle
        cmp     word [irq1_count], 2
        CHECK16 e, "IRQ 1 for the keyboard's echo"
        cli
        mov     al, 0x60
        call    ctl
        mov     al, 0x44                   ; interrupts off
        call    dat
        sti
        mov     al, 0xD2
        call    ctl
        mov     al, 0x77
        call    dat
        call    settle
        cmp     word [irq1_count], 2
        CHECK16 e, "no IRQ 1 with the command byte's interrupt bit clear"
        cli
        mov     si, s_77
        call    expect
        CHECK16 e, "the byte is there for polling"
        jmp     finish

; ---- 8042 access ----
; wait_in: until the controller can take a byte (IBF clear)
wait_in:
        push    ax
.w:     in      al, 0x64
        test    al, 0x02
        jnz     .w
        pop     ax
        ret
ctl:    call    wait_in
        out     0x64, al
        ret
dat:    call    wait_in
        out     0x60, al
        ret
aux:    push    ax
        mov     al, 0xD4
        call    ctl
        pop     ax
        call    dat
        ret
; read: AL = next byte, CF=1 after a timeout
read:   push    cx
        mov     cx, 1000
.w:     in      al, 0x64
        test    al, 0x01
        jnz     .got
        loop    .w
        pop     cx
        stc
        ret
.got:   in      al, 0x60
        pop     cx
        clc
        ret
; expect: SI -> count, bytes; ZF=1 if exactly these bytes arrive
expect: push    bx
        push    cx
        xor     bx, bx
        lodsb
        movzx   cx, al
        jcxz    .end
.next:  call    read
        jc      .bad
        cmp     al, [si]
        je      .same
.bad:   inc     bx
.same:  inc     si
        loop    .next
.end:   in      al, 0x64
        test    al, 0x01
        jz      .empty
        inc     bx                         ; something more arrived
.empty: test    bx, bx
        pop     cx
        pop     bx
        ret
; settle: a few hundred instructions for interrupts to be taken
settle: push    cx
        mov     cx, 200
.w:     loop    .w
        pop     cx
        ret

irq1:   push    ax
        in      al, 0x60
        mov     [cs:irq1_byte], al
        inc     word [cs:irq1_count]
        pop     ax
        jmp     eoi_master_iret
irq12:  push    ax
        in      al, 0x60
        mov     [cs:irq12_byte], al
        inc     word [cs:irq12_count]
        pop     ax
        jmp     eoi_slave_iret

        LIB16
        DEVLIB

SEQ s_55, 0x55
SEQ s_00, 0x00
SEQ s_47, 0x47
SEQ s_65, 0x65
SEQ s_80, 0x80
SEQ s_f1, 0xF1
SEQ s_reset, 0xFA, 0xAA
SEQ s_id_x, 0xFA, 0xAB, 0x41
SEQ s_id, 0xFA, 0xAB, 0x83
SEQ s_ee, 0xEE
SEQ s_fa, 0xFA
SEQ s_fafa, 0xFA, 0xFA
SEQ s_set_x, 0xFA, 0xFA, 0x41
SEQ s_set2, 0xFA, 0xFA, 0x02
SEQ s_set3, 0xFA, 0xFE
SEQ s_5a, 0x5A
SEQ s_a5, 0xA5
SEQ s_77, 0x77
SEQ s_mreset, 0xFA, 0xAA, 0x00
SEQ s_id0, 0xFA, 0x00
SEQ s_id3, 0xFA, 0x03
SEQ s_mstat, 0xFA, 0x00, 0x02, 80
knock:  db 0xF3, 200, 0xF3, 100, 0xF3, 80, 0
fails:       dw 0
irq1_count:  dw 0
irq12_count: dw 0
irq1_byte:   db 0
irq12_byte:  db 0
