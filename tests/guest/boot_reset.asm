; boot_reset.asm -- a boot sector that resets the machine three ways and
; counts its boots in RAM (0000:0600, which a reset keeps and POST does
; not touch):
;   boot 1  resets through the 8042 (command FEh): the BIOS runs again
;           (unless -no-reboot, which ends the run here)
;   boot 2  types Ctrl-Alt-Del through the 8042 (command D2h): INT 09h
;           sets the warm boot flag 1234h at 40:72h and resets
;   boot 3  checks that flag, then asks for a warm restart: CMOS 0Fh =
;           0Ah and a resume address at 40:67h, then a reset; the BIOS
;           must jump there without a POST (40:F0h keeps a mark that
;           POST would clear)
;   resume  checks the mark and that CMOS 0Fh is back to 0, exits PASS
; Prints what it sees on port E9h.  Run by tests/scripts/boot_reset.sh.
        bits    16
        org     0x7C00
%include "lib.inc"
MAGIC   equ     0x600
COUNT   equ     0x604
start:  START16
        sti
        cmp     dword [MAGIC], 'BOOT'
        je      .again
        mov     dword [MAGIC], 'BOOT'
        mov     word [COUNT], 0
.again: inc     word [COUNT]
        mov     si, msg_boot
        call    puts16
        mov     ax, [COUNT]
        call    hex16
        mov     al, 10
        out     DEBUGCON, al
        cmp     word [COUNT], 1
        je      boot1
        cmp     word [COUNT], 2
        je      boot2
        cmp     word [COUNT], 3
        je      boot3
        mov     si, msg_too_many
        jmp     fail

boot1:  mov     al, 0xFE                        ; pulse the reset line
        out     0x64, al
        jmp     $

boot2:  mov     al, 0x1D                        ; Ctrl, Alt, Del
        call    type
        mov     al, 0x38
        call    type
        mov     al, 0x53
        call    type
        mov     si, msg_no_reboot
        jmp     fail

boot3:  cmp     word [0x472], 0x1234
        mov     si, msg_no_flag
        jne     fail
        mov     si, msg_flag
        call    puts16
        cli
        mov     byte [0x4F0], 0xA5              ; POST would clear this
        mov     word [0x467], resume
        mov     word [0x469], 0
        mov     al, 0x8F                        ; CMOS 0Fh = 0Ah (NMI masked)
        out     0x70, al
        mov     al, 0x0A
        out     0x71, al
        mov     al, 0xFE
        out     0x64, al
        jmp     $

resume: xor     ax, ax                          ; no stack, no segments from the BIOS
        mov     ds, ax
        mov     ss, ax
        mov     sp, 0x7C00
        cmp     byte [0x4F0], 0xA5
        mov     si, msg_posted
        jne     fail
        mov     al, 0x8F
        out     0x70, al
        in      al, 0x71
        test    al, al
        mov     si, msg_cmos
        jnz     fail
        mov     si, msg_resumed
        call    puts16
        mov     al, EXIT_PASS
        jmp     exit16

fail:   call    puts16
        mov     al, EXIT_FAIL
        jmp     exit16

; type: the 8042 puts AL in its output buffer as if from the keyboard.
type:   push    ax
.wait1: in      al, 0x64
        test    al, 0x02
        jnz     .wait1
        mov     al, 0xD2
        out     0x64, al
.wait2: in      al, 0x64
        test    al, 0x02
        jnz     .wait2
        pop     ax
        out     0x60, al
        mov     cx, 1000
.wait3: in      al, 0x64
        test    al, 0x01
        jz      .taken
        loop    .wait3
.taken: ret

msg_boot:       db      "boot_reset: boot ", 0
msg_too_many:   db      "FAIL too many boots", 10, 0
msg_no_reboot:  db      "FAIL no Ctrl-Alt-Del", 10, 0
msg_no_flag:    db      "FAIL 40:72h not 1234h", 10, 0
msg_flag:       db      "ok 40:72h=1234h", 10, 0
msg_posted:     db      "FAIL POST ran", 10, 0
msg_cmos:       db      "FAIL CMOS 0Fh kept", 10, 0
msg_resumed:    db      "ok resumed at 40:67h", 10, 0
        LIB16
        times   510 - ($ - $$) db 0
        dw      0xAA55
