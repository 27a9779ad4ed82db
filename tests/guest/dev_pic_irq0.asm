; dev_pic_irq0.asm -- the 8259A pair as the CPU sees it, with counter 0 of
; the 8254 on IRQ 0 as the interrupt source: initialisation (vectors 0x20
; and 0x28) and mask read-back, IRR/ISR reads through OCW3, delivery after
; STI, masking and unmasking, the wake-up from HLT, an in-service level
; blocking its own next request, non-specific and specific EOI, automatic
; EOI, poll mode, and edge versus level triggering (ICW1 LTIM).  The other
; lines, priority between lines, the cascade and spurious IRQ 7/15 are in
; tests/unit/test_pic.c (the guest has only IRQ 0 to raise).
; x86lab-args: --deterministic
        org     0x7c00
        bits    16

%include "lib.inc"
%include "dev_pic_lib.inc"

start:
        call    setup16
        mov     word [irq0_fn], h_eoi
        mov     bx, 0x0111                      ; ICW1 0x11 (edge, cascade, ICW4), ICW4 0x01
        call    pic_init16

        ; ---- initialisation ----
        in      al, PIC1_DATA
        EXPECT8 al, 0xFE, "master IMR reads back FE"
        in      al, PIC2_DATA
        EXPECT8 al, 0xFF, "slave IMR reads back FF"
        call    read_irr
        EXPECT8 al, 0x00, "IRR empty before the PIT is programmed"

        ; ---- one edge (counter 0, mode 0) while IF=0, then STI ----
        mov     ah, 0x30
        mov     cx, 1000
        call    pit_prog
        call    wait_irr0
        CHECK16 nc, "mode 0 terminal count: IRR shows IR0"
        EXPECT16 [count], 0, "not delivered while IF=0"
        call    read_isr
        EXPECT8 al, 0x00, "ISR empty before INTA"
        sti
        mov     ax, [count]                     ; the STI shadow: still 0 here
        mov     bx, [count]                     ; delivered before this one
        EXPECT16 ax, 0, "the instruction after STI runs first"
        EXPECT16 bx, 1, "then IRQ 0 is delivered on vector 0x20"
        EXPECT8 byte [isr_in], 0x01, "ISR0 set in the handler"
        EXPECT8 byte [isr_out], 0x00, "non-specific EOI cleared ISR0"
        call    read_irr
        EXPECT8 al, 0x00, "INTA consumed the edge request"
        mov     ecx, 100000
        call    spin
        EXPECT16 [count], 1, "edge: OUT0 stays high, no second interrupt"

        ; ---- masking ----
        mov     al, 0xFF
        out     PIC1_DATA, al
        mov     ah, 0x30
        mov     cx, 500
        call    pit_prog
        call    wait_irr0                       ; IF=1 all along
        CHECK16 nc, "masked IRQ 0 is latched in the IRR"
        mov     ecx, 10000
        call    spin
        EXPECT16 [count], 1, "masked IRQ 0 is not delivered"
        mov     al, 0xFE
        out     PIC1_DATA, al
        mov     ax, [count]
        EXPECT16 ax, 2, "unmasking delivers it at once"

        ; ---- HLT until the PIT interrupts ----
        mov     ah, 0x30
        mov     cx, 2000
        call    pit_prog
        hlt
        EXPECT16 [count], 3, "IRQ 0 wakes the CPU from HLT"

        ; ---- an in-service level blocks its own next request ----
        mov     word [irq0_fn], h_noeoi
        mov     ah, 0x34                        ; mode 2, about 1 kHz
        mov     cx, 1193
        call    pit_prog
        mov     bx, 4
        call    wait_count
        CHECK16 nc, "mode 2: IRQ 0 arrives"
        mov     ecx, 200000                     ; 4 ms: four more periods
        call    spin
        EXPECT16 [count], 4, "no EOI: IR0 in service holds back the next IRQ 0"
        call    read_isr
        EXPECT8 al, 0x01, "ISR0 still set"
        call    read_irr
        EXPECT8 al, 0x01, "the next request waits in the IRR"
        mov     al, 0x61                        ; specific EOI for IR1
        out     PIC1, al
        call    read_isr
        EXPECT8 al, 0x01, "specific EOI for level 1 leaves IR0 in service"
        mov     ecx, 100000
        call    spin
        EXPECT16 [count], 4, "and nothing is delivered"
        mov     al, 0x60                        ; specific EOI for IR0
        out     PIC1, al
        mov     bx, 5
        call    wait_count
        CHECK16 nc, "specific EOI for level 0 lets the next IRQ 0 in"
        mov     al, EOI
        out     PIC1, al
        mov     bx, 6
        call    wait_count
        CHECK16 nc, "non-specific EOI does too"
        cli
        mov     al, EOI
        out     PIC1, al
        mov     al, 0x30                        ; counter 0 back to mode 0: OUT0 low
        out     PIT_CMD, al

        ; ---- automatic EOI ----
        mov     bx, 0x0311                      ; ICW4 0x03: AEOI
        call    pic_init16
        mov     word [count], 0
        mov     word [irq0_fn], h_noeoi
        mov     ah, 0x34
        mov     cx, 1193
        call    pit_prog
        sti
        mov     bx, 3
        call    wait_count
        CHECK16 nc, "AEOI: IRQ 0 keeps coming without any EOI"
        cli
        EXPECT8 byte [isr_in], 0x00, "AEOI: no ISR bit in the handler"
        mov     al, 0x30
        out     PIT_CMD, al

        ; ---- poll mode (IF=0) ----
        mov     bx, 0x0111
        call    pic_init16
        mov     word [count], 0
        mov     ah, 0x30
        mov     cx, 300
        call    pit_prog
        call    wait_irr0
        CHECK16 nc, "poll: request pending"
        mov     al, OCW3_POLL
        out     PIC1, al
        in      al, PIC1
        EXPECT8 al, 0x80, "poll word: 0x80 | level 0"
        call    read_isr
        EXPECT8 al, 0x01, "the poll acknowledged IR0 (ISR0)"
        mov     al, OCW3_POLL
        out     PIC1, al
        in      al, PIC1_DATA
        and     al, 0x80
        EXPECT8 al, 0x00, "second poll: no request (bit 7 clear)"
        mov     al, EOI
        out     PIC1, al
        sti
        mov     ecx, 10000
        call    spin
        cli
        EXPECT16 [count], 0, "a polled request is not delivered again"

        ; ---- level triggering (LTIM) ----
        mov     bx, 0x0119                      ; ICW1 0x19: level-triggered
        call    pic_init16
        mov     word [count], 0
        mov     word [irq0_fn], h_level
        mov     ah, 0x30
        mov     cx, 300
        call    pit_prog
        sti
        mov     bx, 3
        call    wait_count
        mov     ecx, 100000
        call    spin
        cli
        EXPECT16 [count], 3, "level: IRQ 0 comes again after each EOI while OUT0 is high"
        mov     bx, 0x0111
        call    pic_init16

        FINISH16

; IRQ 0 handlers
h_eoi:                                          ; records ISR before and after EOI
        push    ax
        inc     word [count]
        call    read_isr
        mov     [isr_in], al
        mov     al, EOI
        out     PIC1, al
        call    read_isr
        mov     [isr_out], al
        pop     ax
        iret

h_noeoi:                                        ; leaves the level in service
        push    ax
        inc     word [count]
        call    read_isr
        mov     [isr_in], al
        pop     ax
        iret

h_level:                                        ; third time: OUT0 low, then EOI
        push    ax
        inc     word [count]
        cmp     word [count], 3
        jb      .eoi
        mov     al, 0x30
        out     PIT_CMD, al
.eoi:   mov     al, EOI
        out     PIC1, al
        pop     ax
        iret

        LIB16
        DEVLIB
        PICLIB
isr_in:  db 0xEE
isr_out: db 0xEE
