; interrupts.asm -- hardware interrupts in protected mode: an IDT, the two
; 8259A PICs moved to vectors 20h-2Fh, the 8254 PIT ticking at 100 Hz
; (IRQ 0), and the keyboard (IRQ 1).  The handlers do the least they can
; (count a tick, queue a scan code) and the main loop does the printing:
; once a second the tick count, and for every key its scan code in hex
; and, for a key press, its ASCII character.  Esc ends the run.
;
; Booted from a floppy: ../common/boot.inc loads it, ../common/pm32.inc
; switches to protected mode, ../common/pic_pit.inc programs the chips.

KBD_DATA  equ   0x60                    ; the 8042's output buffer: scan codes
EXIT_PORT equ   0xF4                    ; x86lab: write v, the run ends (status v*2+1)
HZ        equ   100
KEYQ_SIZE equ   64                      ; a power of two

        org     0x7C00
%include "boot.inc"
%include "pm32.inc"

        bits    16
stage2:
        mov     si, msg_real
        call    print16
        ENTER_PM32 start32

        bits    32
start32:
        call    scr_init
        mov     esi, msg_pm
        call    puts32

        ; ---- The IDT.  Vectors 0-31 are the CPU's exceptions: each gets a
        ; stub that says which one happened (a bug in this program).  Then
        ; IRQ 0 -> vector 20h, IRQ 1 -> vector 21h.
        call    idt_clear
        xor     ebx, ebx
        mov     eax, exc_stubs
        mov     cl, GATE_INT
.exc:   call    idt_set_gate
        add     eax, EXC_STUB_SIZE
        inc     ebx
        cmp     ebx, 32
        jb      .exc
        mov     ebx, IRQ_BASE + 0
        mov     eax, irq0_timer
        call    idt_set_gate
        mov     ebx, IRQ_BASE + 1
        mov     eax, irq1_keyboard
        call    idt_set_gate
        call    idt_load

        ; ---- The chips.
        call    pic_remap
        mov     esi, msg_pic
        call    puts32
        mov     eax, HZ
        call    pit_init_hz
        mov     esi, msg_pit
        call    puts32
        mov     cl, 0
        call    pic_unmask              ; IRQ 0: the timer
        mov     cl, 1
        call    pic_unmask              ; IRQ 1: the keyboard
        ; A key pressed before now may sit in the 8042's buffer; its IRQ
        ; was lost while masked.  Read it away so new keys raise IRQ 1.
        in      al, 0x64
        test    al, 1
        jz      .clean
        in      al, KBD_DATA
.clean:
        mov     esi, msg_ready
        call    puts32
        sti                             ; from here on interrupts come in

; ---- The main loop: sleep until an interrupt, then look at what the
; handlers left.  HLT with IF=1 waits for the next interrupt; after its
; handler returns, execution continues after the HLT.
main_loop:
        hlt
.work:  cli                             ; the queue is shared with irq1_keyboard
        mov     eax, [keyq_tail]
        cmp     eax, [keyq_head]
        je      .no_key
        movzx   ebx, byte [keyq + eax]
        inc     eax
        and     eax, KEYQ_SIZE - 1
        mov     [keyq_tail], eax
        sti
        call    show_key
        jmp     .work
.no_key:
        sti
        mov     eax, [ticks]
        cmp     eax, [next_report]
        jb      main_loop
        add     dword [next_report], HZ
        mov     esi, msg_tick
        call    puts32
        xor     edx, edx
        mov     ecx, HZ
        div     ecx                     ; whole seconds
        call    dec32
        mov     esi, msg_ticks
        call    puts32
        mov     eax, [ticks]
        call    dec32
        mov     al, 10
        call    putc32
        jmp     main_loop

; show_key: BL = a scan code (set 1: the 8042 translates the keyboard's
; set 2 for us).  Bit 7 set = the key went up ("break"); the rest is the
; key number ("make").  E0h starts a two-byte code (arrows, right Ctrl...).
show_key:
        mov     esi, msg_key
        call    puts32
        mov     al, bl
        call    hex8
        cmp     bl, 0xE0
        je      .prefix
        test    bl, 0x80
        jnz     .release
        mov     esi, msg_pressed
        call    puts32
        cmp     bl, 0x01                ; Esc
        je      .esc
        cmp     bl, 0x2A                ; left and right Shift: remember them
        je      .shift_down
        cmp     bl, 0x36
        je      .shift_down
        ; Look the key up: keymap (or keymap_shift while Shift is down).
        cmp     bl, KEYMAP_LEN
        jae     .newline
        movzx   ebx, bl
        mov     esi, keymap
        cmp     byte [shift], 0
        je      .map
        mov     esi, keymap_shift
.map:   mov     al, [esi + ebx]
        test    al, al
        jz      .newline
        cmp     al, ' '
        jb      .control
        mov     esi, msg_quote
        call    puts32
        call    putc32
        mov     al, "'"
        call    putc32
        jmp     .newline
.control:                               ; Enter, Tab, Backspace: show the code
        mov     esi, msg_ascii
        call    puts32
        call    hex8
        jmp     .newline
.shift_down:
        mov     byte [shift], 1
        mov     esi, msg_shift
        call    puts32
        jmp     .newline
.release:
        mov     esi, msg_released
        call    puts32
        cmp     bl, 0xAA
        je      .shift_up
        cmp     bl, 0xB6
        jne     .newline
.shift_up:
        mov     byte [shift], 0
        jmp     .newline
.prefix:
        mov     esi, msg_prefix
        call    puts32
.newline:
        mov     al, 10
        jmp     putc32
.esc:
        mov     esi, msg_esc
        call    puts32
        mov     al, 0
        out     EXIT_PORT, al           ; x86lab ends here (status 1)
        cli
        hlt                             ; elsewhere: stop for good

; hex8: AL as two hex digits.
hex8:
        push    eax
        push    eax
        shr     al, 4
        call    .digit
        pop     eax
        and     al, 0x0F
        call    .digit
        pop     eax
        ret
.digit: movzx   eax, al
        mov     al, [scr_hexdigits + eax]
        jmp     putc32

; ------------------------------------------------------------------------
; The interrupt handlers.  An interrupt gate clears IF, so they are not
; interrupted themselves; they save what they use, tell the PIC they are
; done (EOI), and return with IRET (which restores EFLAGS, IF included).

irq0_timer:
        inc     dword [ticks]
        push    eax
        mov     al, 0
        call    pic_eoi
        pop     eax
        iret

irq1_keyboard:
        push    eax
        push    ebx
        in      al, KBD_DATA            ; reading the byte lets the 8042 send the next
        mov     ebx, [keyq_head]
        mov     [keyq + ebx], al
        inc     ebx
        and     ebx, KEYQ_SIZE - 1
        cmp     ebx, [keyq_tail]
        je      .full                   ; queue full: this key is dropped
        mov     [keyq_head], ebx
.full:  mov     al, 1
        call    pic_eoi
        pop     ebx
        pop     eax
        iret

; One 10-byte stub per exception: push its number, jump to the report.
; ("strict" keeps both instructions at their long size, so every stub
; has the same length and stub v is at exc_stubs + v * 10.  Some
; exceptions push an error code first; we only print and halt, so the
; stack layout does not matter here.)
EXC_STUB_SIZE equ 10
exc_stubs:
%assign v 0
%rep 32
        push    strict dword v          ; 5 bytes
        jmp     strict near exc_report  ; 5 bytes
%assign v v + 1
%endrep
exc_report:
        mov     esi, msg_exception
        call    puts32
        pop     eax
        call    dec32
        mov     al, 10
        call    putc32
        cli
        hlt

%include "pic_pit.inc"
%include "screen32.inc"

; Set 1 scan codes 00h-39h to ASCII (0: no character).
keymap:
        db      0, 27, "1234567890-=", 8, 9         ; 00-0F
        db      "qwertyuiop[]", 13, 0, "as"         ; 10-1F
        db      "dfghjkl;'`", 0, "\zxcv"            ; 20-2F
        db      "bnm,./", 0, "*", 0, " "            ; 30-39
KEYMAP_LEN equ $ - keymap
keymap_shift:
        db      0, 27, "!@#$%^&*()_+", 8, 9
        db      "QWERTYUIOP{}", 13, 0, "AS"
        db      'DFGHJKL:"~', 0, "|ZXCV"
        db      "BNM<>?", 0, "*", 0, " "

        align   4
ticks:       dd 0                       ; incremented by IRQ 0, 100 times a second
next_report: dd HZ
keyq_head:   dd 0                       ; written by irq1_keyboard
keyq_tail:   dd 0                       ; written by the main loop
keyq:        times KEYQ_SIZE db 0
shift:       db 0

msg_real:      db "interrupts: stage 2, switching to protected mode", 10, 0
msg_pm:        db "interrupts: protected mode, IDT at 0x1000", 10, 0
msg_pic:       db "interrupts: PICs remapped: IRQ 0-7 -> 20h-27h, IRQ 8-15 -> 28h-2Fh", 10, 0
msg_pit:       db "interrupts: PIT channel 0 at 100 Hz", 10, 0
msg_ready:     db "interrupts: IRQ 0 and 1 unmasked, STI. Type keys; Esc stops.", 10, 0
msg_tick:      db "interrupts: ", 0
msg_ticks:     db " s, ticks=", 0
msg_key:       db "interrupts: scan code ", 0
msg_pressed:   db " pressed", 0
msg_released:  db " released", 0
msg_prefix:    db " (E0 prefix: an extended key follows)", 0
msg_quote:     db " ascii '", 0
msg_ascii:     db " ascii ", 0
msg_shift:     db " (shift)", 0
msg_esc:       db " (Esc)", 10, "interrupts: Esc pressed, stopping", 10, 0
msg_exception: db "interrupts: unexpected exception ", 0

program_end:
