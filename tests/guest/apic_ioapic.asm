; x86lab-args: --deterministic
; apic_ioapic.asm -- from PIC mode to symmetric I/O mode as an MP kernel
; switches: the 8254's IRQ 0 first through the 8259 and the BSP's LINT0
; (the virtual wire of the reset state), then the IMCR (22h/23h) set to
; APIC mode, which takes the 8259 off LINT0, the 8259 masked, and the I/O
; APIC (ID 1, version 11h, 24 entries) programmed for the PIT on its
; input 2: counted at the PIT's rate (1 kHz against the ACPI PM timer),
; masked and unmasked, with a logical and a lowest-priority destination,
; and as an active-low level input (remote IRR, TMR, EOI).
%include "apic_lib.inc"

%define PIT_DIV 1193                    ; 1000.15 Hz
%define MS      3580                    ; PM timer ticks in 1 ms (rounded)

test_main:
        mov     esi, msg_start
        call    puts32
        mov     dword [LAPIC + L_SVR], 0x1FF
        EXPECTEQ [LAPIC + L_LINT0], 0x700, "BSP LINT0: ExtINT (virtual wire)"

        ; ---- PIC mode: 8259 (vectors 20h-2Fh, auto-EOI) -> LINT0 ----
        mov     al, 0x11
        out     0x20, al
        out     0xA0, al
        mov     al, 0x20
        out     0x21, al
        mov     al, 0x28
        out     0xA1, al
        mov     al, 4
        out     0x21, al
        mov     al, 2
        out     0xA1, al
        mov     al, 0x03                        ; 8086 mode, automatic EOI
        out     0x21, al
        out     0xA1, al
        mov     al, 0xFE                        ; IRQ 0 only
        out     0x21, al
        mov     al, 0xFF
        out     0xA1, al
        mov     al, 0x34                        ; counter 0, mode 2
        out     0x43, al
        mov     al, PIT_DIV & 0xFF
        out     0x40, al
        mov     al, PIT_DIV >> 8
        out     0x40, al
        sti
        mov     ecx, 10 * MS
        call    pm_delay_ticks
        cli
        EXPECTIN [ICOUNT + 0x20 * 4], 9, 11, "PIC mode: 10 IRQ 0s in 10 ms via 8259 + LINT0"

        ; ---- the IMCR: symmetric I/O mode ----
        mov     al, 0x70
        out     0x22, al
        in      al, 0x23
        movzx   eax, al
        EXPECTEQ eax, 0, "IMCR reads 0: PIC mode"
        mov     al, 0x01
        out     0x23, al
        in      al, 0x23
        movzx   eax, al
        EXPECTEQ eax, 1, "IMCR set: APIC mode"
        mov     ebx, [ICOUNT + 0x20 * 4]
        sti
        mov     ecx, 5 * MS
        call    pm_delay_ticks
        cli
        EXPECTEQ [ICOUNT + 0x20 * 4], ebx, "the 8259 no longer reaches the CPU"
        call    pic_mask_all

        ; ---- the I/O APIC ----
        mov     al, 0
        call    ioapic_rd
        EXPECTEQ eax, 0x01000000, "I/O APIC ID 1"
        mov     al, 1
        call    ioapic_rd
        EXPECTEQ eax, 0x00170011, "version 11h, 24 redirection entries"
        mov     al, 0x14
        call    ioapic_rd
        EXPECTEQ eax, 0x10000, "entry 2 masked after reset"
        mov     bl, 0x15
        xor     eax, eax                        ; destination APIC ID 0
        call    ioapic_wr
        mov     bl, 0x14
        mov     eax, 0x50                       ; fixed, physical, edge, high
        call    ioapic_wr
        sti
        mov     ecx, 10 * MS
        call    pm_delay_ticks
        cli
        EXPECTIN [ICOUNT + 0x50 * 4], 9, 11, "input 2 -> vector 50h: 10 in 10 ms"
        EXPECTEQ [isr_seen], 1, "in service in its handler"
        mov     eax, [LAPIC + L_TMR + 0x20]
        and     eax, 1 << 16
        EXPECTEQ eax, 0, "edge: TMR bit clear"
        mov     bl, 0x14
        mov     eax, 0x10050                    ; masked
        call    ioapic_wr
        mov     ebx, [ICOUNT + 0x50 * 4]
        sti
        mov     ecx, 5 * MS
        call    pm_delay_ticks
        cli
        EXPECTEQ [ICOUNT + 0x50 * 4], ebx, "masked: no more"

        ; logical destination 01h, then lowest priority to all
        mov     dword [LAPIC + L_LDR], 0x01000000
        mov     bl, 0x15
        mov     eax, 0x01000000
        call    ioapic_wr
        mov     bl, 0x14
        mov     eax, 0x851                      ; logical, fixed
        call    ioapic_wr
        sti
        mov     ecx, 5 * MS
        call    pm_delay_ticks
        cli
        EXPECTIN [ICOUNT + 0x51 * 4], 4, 6, "logical destination 01h: 5 in 5 ms"
        mov     bl, 0x15
        mov     eax, 0xFF000000
        call    ioapic_wr
        mov     bl, 0x14
        mov     eax, 0x952                      ; logical, lowest priority
        call    ioapic_wr
        sti
        mov     ecx, 5 * MS
        call    pm_delay_ticks
        cli
        EXPECTIN [ICOUNT + 0x52 * 4], 4, 6, "lowest priority, all: 5 in 5 ms"

        ; active-low level: the mode-2 OUT pulses low once a period.  The
        ; handler leaves the EOI out: one message, then remote IRR holds
        ; the input however often it pulses, until the EOI.
        mov     dword [no_eoi_from], 0x53
        mov     bl, 0x15
        xor     eax, eax
        call    ioapic_wr
        mov     bl, 0x14
        mov     eax, 0xA053                     ; level, active low, fixed
        call    ioapic_wr
        sti
        mov     ecx, 5 * MS
        call    pm_delay_ticks
        cli
        EXPECTEQ [ICOUNT + 0x53 * 4], 1, "level input: one message until the EOI"
        mov     al, 0x14
        call    ioapic_rd
        and     eax, 1 << 14
        EXPECTEQ eax, 1 << 14, "remote IRR set"
        mov     eax, [LAPIC + L_TMR + 0x20]
        and     eax, 1 << 19
        EXPECTEQ eax, 1 << 19, "level: TMR bit set"
        mov     dword [LAPIC + L_EOI], 0
        mov     al, 0x14
        call    ioapic_rd
        and     eax, 1 << 14
        EXPECTEQ eax, 0, "EOI broadcast clears remote IRR"
        mov     dword [no_eoi_from], 0x100
        sti
        mov     ecx, 3 * MS / 2
        call    pm_delay_ticks
        cli
        EXPECTIN [ICOUNT + 0x53 * 4], 2, 100, "the next low pulse is delivered again"
        mov     bl, 0x14
        mov     eax, 0x10053
        call    ioapic_wr
        FINISH32

msg_start: db "apic_ioapic: IMCR, I/O APIC input 2 from the PIT", 10, 0
