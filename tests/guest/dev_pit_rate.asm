; dev_pit_rate.asm -- IRQ 0 rates from counter 0 of the 8254, measured
; against the virtual clock: with --deterministic every instruction takes
; 10 ns and the TSC counts instructions, so N periods of a count C must
; take N * C / 1.193182 MHz, to within a few instructions.  Mode 2 and
; mode 3 at about 1 kHz, mode 2 at 100 Hz, and the HLT path: a halted CPU
; woken by each IRQ 0 while counter 2 (free-running, GATE on through port
; B) measures the elapsed clocks.
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

        ; 50 periods of 1193 clocks = 59650 clocks = 4999237.3 instructions
        mov     ah, 0x34
        mov     cx, 1193
        mov     bx, 50
        call    measure
        RANGE32 4999231, 4999244, "mode 2, count 1193: 50 periods in 49.992 ms of virtual time"

        mov     ah, 0x36
        mov     cx, 1193
        mov     bx, 50
        call    measure
        RANGE32 4999231, 4999244, "mode 3, count 1193: the same rate (IRQ 0 on OUT0's rising edges)"

        ; 5 periods of 11932 clocks = 59660 clocks = 5000075.4 instructions
        mov     ah, 0x34
        mov     cx, 11932
        mov     bx, 5
        call    measure
        RANGE32 5000069, 5000082, "mode 2, count 11932 (100 Hz): 5 periods in 50.001 ms"

        ; ---- HLT: the virtual clock jumps to each IRQ 0 ----
        mov     al, 0xB0                        ; counter 2, mode 0, count FFFF, GATE on
        out     PIT_CMD, al
        mov     al, 0xFF
        out     PIT_CH2, al
        out     PIT_CH2, al
        mov     al, 0x01
        out     PORTB, al
        mov     word [count], 0
        mov     ah, 0x34
        mov     cx, 1193
        call    pit_prog
        sti
        mov     bx, 2
        call    wait_count                      ; a period boundary (see measure)
        call    latch2
        mov     di, ax
        mov     cx, 10
.halt:  hlt
        loop    .halt
        call    latch2
        cli
        sub     di, ax                          ; clocks counted by counter 2
        movzx   eax, di
        RANGE32 11929, 11932, "10 HLTs woken by IRQ 0: 11930 clocks of counter 2 went by"
        EXPECT16 [count], 12, "each HLT ended by one IRQ 0"

        FINISH16

; measure: AH = control word and CX = count for counter 0, BX = periods;
; returns EAX = TSC cycles (instructions) from one IRQ 0 to the BX-th after.
; The first IRQ may come from the control word raising OUT0, so the
; reference is the second one, a period boundary.
measure:
        cli
        mov     word [count], 0
        call    pit_prog
        sti
.w1:    cmp     word [count], 2                 ; the same loop as .w2: equal delays
        jb      .w1
        rdtsc
        mov     [t0], eax
        add     bx, 2
.w2:    cmp     [count], bx
        jb      .w2
        rdtsc
        sub     eax, [t0]
        cli
        ret

; latch2: AX = counter 2's count, through a counter latch command.
latch2:
        mov     al, 0x80
        out     PIT_CMD, al
        in      al, PIT_CH2
        mov     ah, al
        in      al, PIT_CH2
        xchg    al, ah
        ret

h_count:
        push    ax
        inc     word [count]
        mov     al, EOI
        out     PIC1, al
        pop     ax
        iret

        LIB16
        DEVLIB
        PICLIB
t0:      dd 0
