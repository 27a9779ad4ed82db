; dev_pit_modes.asm -- counter 2 of the 8254 through system control port B
; (GATE = bit 0, OUT = bit 5), timed against the virtual clock with
; --deterministic (10 ns per instruction, the TSC counts instructions):
; read-back status with OUT and null count, GATE holding mode 0, the mode 0
; terminal count, counter latch commands, read-back of count and status,
; mode 2 period and one-clock pulse, mode 3 halves for even and odd counts,
; mode 1 and 5 triggered by GATE, the mode 4 strobe, BCD and LSB-only
; counting, and the refresh toggle (bit 4) every 15.09 us.
; x86lab-args: --deterministic
        org     0x7c00
        bits    16

%include "lib.inc"
%include "dev_pic_lib.inc"

%define OUT2 0x20

start:
        call    setup16
        cli
        mov     al, 0x00                        ; GATE 2 low, speaker off
        out     PORTB, al

        ; ---- mode 0, GATE low ----
        mov     al, 0xB0                        ; counter 2, LSB/MSB, mode 0, binary
        out     PIT_CMD, al
        call    status2
        EXPECT8 al, 0x70, "control word: status = null count, rw 3, mode 0, OUT low"
        mov     ax, 1000
        call    count2
        mov     ecx, 1000
        call    spin
        call    status2
        EXPECT8 al, 0x30, "count loaded (null count clear) while GATE is low"
        call    latch2
        EXPECT16 ax, 1000, "GATE low: mode 0 does not count"
        in      al, PORTB
        and     al, OUT2
        EXPECT8 al, 0, "port B bit 5: OUT2 low"

        ; ---- mode 0: GATE high, OUT high after 1000 clocks (83810 insns) ----
        rdtsc
        mov     [t0], eax
        mov     al, 0x01
        out     PORTB, al
        mov     ah, OUT2
        call    wait_out2
        sub     eax, [t0]
        RANGE32 83720, 83830, "GATE high: OUT2 rises 1000 clocks later (838 us)"
        call    status2
        EXPECT8 al, 0xB0, "status shows OUT high"
        mov     ecx, 1000
        call    spin
        call    latch2
        cmp     ax, 0xFF00
        CHECK16 a, "after the terminal count the counter wraps (FFxx)"

        ; ---- latch commands ----
        mov     al, 0xB0
        out     PIT_CMD, al
        mov     ax, 50000
        call    count2
        mov     ecx, 5000
        call    spin
        mov     al, 0x80                        ; latch counter 2
        out     PIT_CMD, al
        mov     ecx, 5000
        call    spin
        mov     al, 0x80                        ; a second latch before reading: ignored
        out     PIT_CMD, al
        mov     ecx, 5000
        call    spin
        call    read2
        mov     bx, ax
        call    latch2
        sub     bx, ax                          ; 20000 insns = 200 us = 238.6 clocks
        movzx   eax, bx                         ; (the second latch: 119, no latch: 0)
        RANGE32 237, 240, "a latch holds the count of the first latch command"
        call    latch2
        mov     bx, ax                          ; the count just before the command
        mov     al, 0xC8                        ; read-back: count and status of counter 2
        out     PIT_CMD, al
        mov     ecx, 5000
        call    spin
        in      al, PIT_CH2
        EXPECT8 al, 0x30, "read-back: status byte first"
        call    read2
        sub     bx, ax
        movzx   eax, bx
        RANGE32 0, 1, "read-back: then the count at the command"

        ; ---- mode 2: period 100 clocks, OUT low for one clock ----
        mov     al, 0xB4
        out     PIT_CMD, al
        mov     ax, 100
        call    count2
        mov     ah, 0
        call    wait_out2
        mov     ah, OUT2
        call    wait_out2
        mov     ah, 0
        call    wait_out2
        mov     [t0], eax
        mov     ah, OUT2
        call    wait_out2
        sub     eax, [t0]
        RANGE32 70, 90, "mode 2: OUT2 low for one clock (84 insns)"
        mov     ah, 0
        call    wait_out2
        sub     eax, [t0]
        RANGE32 8374, 8388, "mode 2: a period of 100 clocks (8381 insns)"

        ; ---- mode 3: halves of a square wave ----
        mov     al, 0xB6
        out     PIT_CMD, al
        mov     ax, 1000
        call    count2
        mov     bx, 0
        call    halves
        RANGE32 41895, 41915, "mode 3, count 1000: high for 500 clocks"
        mov     eax, edx
        RANGE32 41895, 41915, "mode 3, count 1000: low for 500 clocks"
        mov     al, 0xB6
        out     PIT_CMD, al
        mov     ax, 1001
        call    count2
        call    halves
        RANGE32 41979, 41999, "mode 3, count 1001: high for 501 clocks"
        mov     eax, edx
        RANGE32 41895, 41915, "mode 3, count 1001: low for 500 clocks"
        mov     al, 0x00                        ; GATE low: OUT2 high at once
        out     PORTB, al
        in      al, PORTB
        and     al, OUT2
        EXPECT8 al, OUT2, "mode 3: GATE low forces OUT2 high"

        ; ---- mode 1: one-shot triggered by GATE ----
        mov     al, 0xB2
        out     PIT_CMD, al
        mov     ax, 200
        call    count2
        mov     ecx, 1000
        call    spin
        in      al, PORTB
        and     al, OUT2
        EXPECT8 al, OUT2, "mode 1: OUT2 high until triggered"
        call    status2
        and     al, 0x40
        EXPECT8 al, 0x40, "mode 1: null count until the trigger loads the count"
        rdtsc
        mov     [t0], eax
        mov     al, 0x01                        ; trigger
        out     PORTB, al
        mov     ah, 0
        call    wait_out2
        mov     ah, OUT2
        call    wait_out2
        sub     eax, [t0]
        RANGE32 16760, 16856, "mode 1: OUT2 low from the trigger for 200 clocks"

        ; ---- mode 4: software strobe ----
        mov     al, 0xB8
        out     PIT_CMD, al
        rdtsc
        mov     [t0], eax
        mov     ax, 200
        call    count2
        mov     ah, 0
        call    wait_out2
        mov     ebx, eax
        mov     ah, OUT2
        call    wait_out2
        sub     eax, ebx
        RANGE32 70, 90, "mode 4: a strobe of one clock"
        mov     eax, ebx
        sub     eax, [t0]
        RANGE32 16760, 16860, "mode 4: 201 clocks after the count is written"

        ; ---- mode 5: hardware strobe ----
        mov     al, 0x00
        out     PORTB, al
        mov     al, 0xBA
        out     PIT_CMD, al
        mov     ax, 100
        call    count2
        mov     ecx, 10000
        call    spin
        in      al, PORTB
        and     al, OUT2
        EXPECT8 al, OUT2, "mode 5: no strobe without a trigger"
        rdtsc
        mov     [t0], eax
        mov     al, 0x01
        out     PORTB, al
        mov     ah, 0
        call    wait_out2
        sub     eax, [t0]
        RANGE32 8380, 8480, "mode 5: strobe 101 clocks after the GATE trigger"

        ; ---- BCD ----
        mov     al, 0xB1                        ; mode 0, BCD
        out     PIT_CMD, al
        mov     ax, 0x0500
        call    count2
        mov     ecx, 20000                      ; 400 us: about 477 clocks
        call    spin
        call    latch2
        movzx   eax, ax
        RANGE32 0x20, 0x27, "BCD: 0500 counted down by 476 clocks reads 0024 (binary would be 0017)"
        call    status2
        and     al, 0x0F
        EXPECT8 al, 0x01, "status: BCD bit"

        ; ---- LSB only ----
        mov     al, 0x90                        ; counter 2, LSB only, mode 0
        out     PIT_CMD, al
        mov     al, 0xC8
        out     PIT_CH2, al
        mov     ecx, 4193                       ; 100 clocks
        call    spin
        in      al, PIT_CH2
        movzx   eax, al
        RANGE32 0x63, 0x66, "LSB only: count 200 (one byte), about 100 after 100 clocks"
        call    status2
        and     al, 0x30
        EXPECT8 al, 0x10, "status: rw = LSB only"

        ; ---- refresh toggle ----
        call    refresh_toggles
        RANGE32 99, 101, "port B bit 4 toggles 100 times in 1508.6 us (every 15.09 us)"

        mov     al, 0x00
        out     PORTB, al
        FINISH16

; count2: AX -> counter 2, LSB then MSB.
count2:
        out     PIT_CH2, al
        xchg    al, ah
        out     PIT_CH2, al
        xchg    al, ah
        ret

; read2: AX = two bytes read from counter 2.
read2:
        in      al, PIT_CH2
        mov     ah, al
        in      al, PIT_CH2
        xchg    al, ah
        ret

; latch2: AX = counter 2's count through a counter latch command.
latch2:
        mov     al, 0x80
        out     PIT_CMD, al
        jmp     read2

; status2: AL = counter 2's status byte (read-back, status only).
status2:
        mov     al, 0xE8
        out     PIT_CMD, al
        in      al, PIT_CH2
        ret

; wait_out2: spins until OUT2 (port B bit 5) equals AH (0 or 0x20); EAX =
; the TSC then (EDX lost).  A timeout is a failed check and the exit.
wait_out2:
        push    ecx
        mov     ecx, 5000000
.spin:  in      al, PORTB
        and     al, OUT2
        cmp     al, ah
        je      .hit
        dec     ecx
        jnz     .spin
        mov     si, .msg
        call    puts16
        mov     al, EXIT_FAIL
        call    exit16
.hit:   rdtsc
        pop     ecx
        ret
.msg:   db "FAIL OUT2 never changed", 10, 0

; halves: waits for a rising OUT2, then measures the high half (EAX) and
; the low half (EDX) that follow, in instructions.
halves:
        push    ebx
        mov     ah, 0
        call    wait_out2
        mov     ah, OUT2
        call    wait_out2
        mov     ebx, eax
        mov     ah, 0
        call    wait_out2
        push    eax
        mov     ah, OUT2
        call    wait_out2
        pop     edx
        sub     eax, edx                        ; low half
        sub     edx, ebx                        ; high half
        xchg    eax, edx
        pop     ebx
        ret

; refresh_toggles: EAX = changes of port B bit 4 seen in 150857 instructions.
refresh_toggles:
        rdtsc
        mov     [t0], eax
        in      al, PORTB
        and     al, 0x10
        mov     bl, al
        xor     esi, esi
.poll:  in      al, PORTB
        and     al, 0x10
        cmp     al, bl
        je      .same
        mov     bl, al
        inc     esi
.same:  rdtsc
        sub     eax, [t0]
        cmp     eax, 150857
        jb      .poll
        mov     eax, esi
        ret

        LIB16
        DEVLIB
        PICLIB
t0:      dd 0
