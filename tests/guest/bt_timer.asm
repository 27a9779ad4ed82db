; bt_timer.asm -- interrupts cannot be starved by translated code: a guest
; spinning in loops of chained translated blocks (with --engine=bt every
; block is translated at its first run and its exits patched to jump
; straight to each other) still receives the timer interrupt of the 8254
; on IRQ 0.  Three loops: one block chained to itself that reads memory,
; two blocks chained in a ring, and a register-only loop with no way out
; except the interrupt handler changing the return address.  The same
; program passes in the interpreter (tests/run-all.sh runs both).
; x86lab-args: --deterministic
        org     0x7c00
        bits    16

%include "lib.inc"
%include "dev_pic_lib.inc"

start:
        call    setup16
        mov     word [irq0_fn], h_count
        mov     bx, 0x0111
        call    pic_init16
        mov     ah, 0x34                        ; counter 0, mode 2, ~1 kHz
        mov     cx, 1193
        call    pit_prog
        sti

        ; ---- one block chained to itself, reading [count] ----
        xor     ecx, ecx
.self:  inc     ecx
        cmp     word [count], 3
        jb      .self
        EXPECT16 [count], 3, "IRQ 0 taken while in a self-chained block"
        mov     eax, ecx
        RANGE32 2, 0xFFFFFFFF, "the loop ran between interrupts"

        ; ---- two blocks chained in a ring ----
        xor     ecx, ecx
.ring_a:
        inc     ecx
        jmp     .ring_b
.ring_b:
        add     ecx, 2
        cmp     word [count], 6
        jb      .ring_a
        EXPECT16 [count], 6, "IRQ 0 taken while in a ring of chained blocks"

        ; ---- registers only: the handler steers the loop out ----
        mov     word [irq0_fn], h_escape
        xor     ecx, ecx
.spin:  add     ecx, 1
        xor     edx, ecx
        jmp     .spin
.escaped:
        EXPECT16 [count], 7, "IRQ 0 leaves a register-only chained loop"
        cli
        jmp     finish

h_count:
        push    ax
        inc     word [count]
        mov     al, EOI
        out     PIC1, al
        pop     ax
        iret

; Replaces the interrupted IP with .escaped (IP, CS, FLAGS on the stack).
h_escape:
        push    bp
        mov     bp, sp
        mov     word [bp + 2], start.escaped
        inc     word [count]
        push    ax
        mov     al, EOI
        out     PIC1, al
        pop     ax
        pop     bp
        iret

        LIB16
        DEVLIB
        PICLIB
