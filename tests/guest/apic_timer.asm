; x86lab-args: --deterministic
; apic_timer.asm -- the local APIC as a guest finds it, and its timer
; measured against the ACPI PM timer (3.579545 MHz): CPUID's APIC bit and
; IA32_APIC_BASE, the ID and version registers, the software enable, the
; periodic mode's rate, the one-shot mode (one interrupt, the count stays
; 0), the current count with each of the eight divide values (the bus
; clock is 100 MHz), a masked timer counting on without interrupts, and
; an interrupt waking the CPU from HLT.
%include "apic_lib.inc"

%define TVEC    0x40                    ; the timer's vector

test_main:
        mov     esi, msg_start
        call    puts32
        call    pic_mask_all

        ; ---- discovery ----
        mov     eax, 1
        cpuid
        and     edx, 1 << 9
        EXPECTEQ edx, 1 << 9, "CPUID.1 EDX: APIC"
        mov     ecx, 0x1B
        rdmsr
        EXPECTEQ eax, 0xFEE00900, "IA32_APIC_BASE: FEE00000h, enabled, BSP"
        EXPECTEQ [LAPIC + L_ID], 0, "local APIC ID 0"
        EXPECTEQ [LAPIC + L_VER], 0x00040014, "version 14h, 5 LVT entries"
        EXPECTEQ [LAPIC + L_SVR], 0xFF, "SVR after reset: FFh (disabled)"
        mov     dword [LAPIC + L_SVR], 0x1FF
        EXPECTEQ [LAPIC + L_SVR], 0x1FF, "software enabled"

        ; ---- periodic: 100 us period, counted over 2 ms of PM timer ----
        mov     dword [LAPIC + L_TDCR], 0x0B            ; divide by 1
        mov     dword [LAPIC + L_LVTT], (1 << 17) | TVEC
        mov     dword [LAPIC + L_TICR], 10000           ; 10000 x 10 ns
        sti
        mov     ecx, 7159                               ; 2 ms
        call    pm_delay_ticks
        cli
        EXPECTIN [ICOUNT + TVEC * 4], 19, 21, "periodic 100 us: 20 interrupts in 2 ms"
        mov     eax, [LAPIC + L_TCCR]
        EXPECTIN eax, 1, 10000, "current count within the period"
        mov     dword [LAPIC + L_TICR], 0               ; stop
        EXPECTEQ [LAPIC + L_TCCR], 0, "initial count 0 stops the timer"

        ; ---- one-shot: one interrupt, then nothing ----
        sti                                             ; an expiry of the periodic
        nop                                             ; timer may still be pending
        cli                                             ; (IRR): take it first
        mov     dword [ICOUNT + TVEC * 4], 0
        mov     dword [LAPIC + L_LVTT], TVEC
        mov     dword [LAPIC + L_TICR], 5000            ; 50 us
        sti
        hlt                                             ; woken by the timer
        cli
        EXPECTEQ [ICOUNT + TVEC * 4], 1, "one-shot: the interrupt wakes HLT"
        EXPECTEQ [last_vector], TVEC, "on the LVT's vector"
        EXPECTEQ [isr_seen], 1, "ISR bit set in the handler"
        sti
        mov     ecx, 1432                               ; 400 us more
        call    pm_delay_ticks
        cli
        EXPECTEQ [ICOUNT + TVEC * 4], 1, "one-shot: no second interrupt"
        EXPECTEQ [LAPIC + L_TCCR], 0, "count stays 0"
        EXPECTEQ [LAPIC + L_ISR + 0x20], 0, "EOI cleared the ISR"

        ; ---- the divide values: the count after 100 us of PM timer ----
        mov     ebp, divides                    ; (CHECK32 uses ESI)
.div:   cmp     dword [ebp], -1
        je      .div_done
        mov     eax, [ebp]
        mov     [LAPIC + L_TDCR], eax
        mov     dword [LAPIC + L_LVTT], (1 << 16) | TVEC  ; masked one-shot
        mov     dword [LAPIC + L_TICR], 0xFFFFFFFF
        mov     ecx, 358                                ; 100 us = 10000 bus clocks
        call    pm_delay_ticks
        mov     eax, 0xFFFFFFFF
        sub     eax, [LAPIC + L_TCCR]                   ; ticks counted
        mov     ebx, [ebp + 4]                          ; 10000 / divisor
        mov     ecx, ebx
        shr     ecx, 4                                  ; +- 6% + 3
        add     ecx, 3
        mov     edx, ebx
        sub     edx, ecx
        jae     .lo_ok
        xor     edx, edx
.lo_ok: add     ebx, ecx
        EXPECTIN eax, edx, ebx, "divide value: counted ticks as expected"
        add     ebp, 8
        jmp     .div
.div_done:

        ; ---- masked periodic: the count reloads, no interrupt ----
        mov     dword [ICOUNT + TVEC * 4], 0
        mov     dword [LAPIC + L_TDCR], 0x0B
        mov     dword [LAPIC + L_LVTT], (1 << 17) | (1 << 16) | TVEC
        mov     dword [LAPIC + L_TICR], 1000            ; 10 us
        sti
        mov     ecx, 716                                ; 200 us: 20 periods
        call    pm_delay_ticks
        cli
        EXPECTEQ [ICOUNT + TVEC * 4], 0, "masked timer: no interrupt"
        mov     eax, [LAPIC + L_TCCR]
        EXPECTIN eax, 1, 1000, "masked periodic timer still counts"
        mov     eax, [LAPIC + L_LVTT]
        and     eax, 1 << 16
        EXPECTEQ eax, 1 << 16, "LVT timer reads back masked"
        mov     dword [LAPIC + L_TICR], 0
        FINISH32

msg_start: db "apic_timer: local APIC timer against the PM timer", 10, 0
        align   4
; DCR value, expected ticks in 10000 bus clocks
divides:
        dd      0x0, 5000
        dd      0x1, 2500
        dd      0x2, 1250
        dd      0x3, 625
        dd      0x8, 312
        dd      0x9, 156
        dd      0xA, 78
        dd      0xB, 10000
        dd      -1
