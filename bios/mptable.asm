; mptable.asm -- the Intel MultiProcessor Specification (1.4) tables, in
; the ROM where kernels search for them (the spec's third place: the BIOS
; area F0000h-FFFFFh, after the EBDA's first KiB and the last KiB of base
; memory).  They describe this board as an MP-aware OS must see it:
;   one processor (the bootstrap processor, local APIC ID 0, enabled),
;   one bus (ISA, ID 0),
;   one I/O APIC (ID 1, version 11h, at FEC00000h),
;   ISA IRQs 0-15 on I/O APIC inputs of the same number, except IRQ 0 on
;   input 2 (the PC wiring; IRQ 2 is the PICs' cascade and has no entry),
;   IRQ 9 (the ACPI SCI, acpi.asm) level-triggered and active high,
;   the 8259's ExtINT on every local APIC's LINT0, NMI on LINT1.
; With -smp N, x86lab (machine/smp_tables.c) inserts N-1 processor entries
; (APIC ID n, enabled, not BSP) after the BSP's in the ROM as loaded, moving
; the rest into the spare room (0FFh bytes) left after the table, and fixes
; its length, entry count and checksum.  So the firmware never needs to
; count CPUs, and the APs never run BIOS code: they wait for STARTUP.
; The tables are constant, so nasm works out both checksums: every byte
; goes through the MP_* macros, which add it up.  (The processor entry
; gives the p6 model's CPUID signature and features; other --cpu models
; get the same table.)

MP_TABLE_AT     equ     ACPI_END        ; ROM offset: F000:D400, 16-byte aligned
MP_CONFIG_AT    equ     MP_TABLE_AT + 16
MP_IOAPIC_ID    equ     1
MP_IOAPIC_ADDR  equ     0xFEC00000
MP_LAPIC_ADDR   equ     0xFEE00000

; MP_B / MP_W / MP_D / MP_S: bytes, words, dwords and strings, added to
; mp_sum; emitted only when mp_emit is 1.  Each structure is expanded
; twice: once to add it up (its checksum byte counted as 0), once to emit
; it with the checksum byte that makes the sum zero.
%assign mp_emit 0
%assign mp_sum 0
%macro MP_B 1-*
  %rep %0
    %if mp_emit
        db      (%1) & 0xFF
    %endif
    %assign mp_sum mp_sum + ((%1) & 0xFF)
    %rotate 1
  %endrep
%endmacro
%macro MP_W 1
        MP_B    (%1), (%1) >> 8
%endmacro
%macro MP_D 1
        MP_B    (%1), (%1) >> 8, (%1) >> 16, (%1) >> 24
%endmacro
%macro MP_S 2                           ; string, padded with spaces to %2 bytes
  %strlen mp_len %1
  %assign mp_i 1
  %rep %2
    %if mp_i <= mp_len
      %substr mp_c %1 mp_i
        MP_B    mp_c
    %else
        MP_B    ' '
    %endif
    %assign mp_i mp_i + 1
  %endrep
%endmacro

; MP_WITH_CHECKSUM NAME: the structure of macro NAME (which takes the
; checksum byte as its argument), added up with 0 there, then emitted.
%macro MP_WITH_CHECKSUM 1
  %assign mp_emit 0
  %assign mp_sum 0
        %1      0
  %assign mp_check (0x100 - (mp_sum & 0xFF)) & 0xFF
  %assign mp_emit 1
        %1      mp_check
%endmacro

MP_ISA_IRQS     equ     15              ; IRQ 0-15 without 2
MP_ENTRIES      equ     1 + 1 + 1 + MP_ISA_IRQS + 2
MP_CONFIG_LEN   equ     44 + 20 + 8 + 8 + 8 * MP_ISA_IRQS + 8 * 2

; The floating pointer structure (16 bytes).
%macro MP_FLOATING 1
        MP_S    "_MP_", 4
        MP_D    (BIOS_SEG << 4) + MP_CONFIG_AT  ; the configuration table
        MP_B    1                       ; length: 16 bytes
        MP_B    4                       ; specification 1.4
        MP_B    %1                      ; checksum
        MP_B    0                       ; feature 1: the table exists
        MP_B    0                       ; feature 2: PIC mode without IMCR
        MP_B    0, 0, 0
%endmacro

; The configuration table: the header, then the entries.
%macro MP_CONFIG 1
        MP_S    "PCMP", 4
        MP_W    MP_CONFIG_LEN
        MP_B    4                       ; specification 1.4
        MP_B    %1                      ; checksum
        MP_S    "X86LAB", 8             ; OEM
        MP_S    "PC/AT", 12             ; product
        MP_D    0                       ; no OEM table
        MP_W    0
        MP_W    MP_ENTRIES
        MP_D    MP_LAPIC_ADDR
        MP_W    0                       ; no extended entries
        MP_B    0, 0
        ; processor: the BSP
        MP_B    0, 0, 0x14, 0x03        ; type, local APIC ID 0, version, enabled + BSP
        MP_D    0x00000633              ; family 6, model 3, stepping 3
        MP_D    0x0000A93C              ; CPUID 1 EDX of the p6 model
        MP_D    0
        MP_D    0
        ; bus 0: ISA
        MP_B    1, 0
        MP_S    "ISA", 6
        ; the I/O APIC
        MP_B    2, MP_IOAPIC_ID, 0x11, 0x01
        MP_D    MP_IOAPIC_ADDR
        ; ISA IRQs: type 3, INT, flags 0 (as the bus says: edge, active
        ; high), bus 0, the IRQ, the I/O APIC, its input
  %assign mp_irq 0
  %rep 16
    %if mp_irq == 0
        MP_B    3, 0, 0, 0, 0, mp_irq, MP_IOAPIC_ID, 2
    %elif mp_irq == 9                   ; the ACPI SCI (acpi.asm): level,
        MP_B    3, 0, 0x0D, 0, 0, mp_irq, MP_IOAPIC_ID, mp_irq  ; active high
    %elif mp_irq != 2
        MP_B    3, 0, 0, 0, 0, mp_irq, MP_IOAPIC_ID, mp_irq
    %endif
    %assign mp_irq mp_irq + 1
  %endrep
        ; local interrupts: ExtINT on LINT0, NMI on LINT1, of every
        ; processor (destination FFh)
        MP_B    4, 3, 0, 0, 0, 0, 0xFF, 0
        MP_B    4, 1, 0, 0, 0, 0, 0xFF, 1
%endmacro

        AT      MP_TABLE_AT
mp_floating_pointer:
        MP_WITH_CHECKSUM MP_FLOATING
        AT      MP_CONFIG_AT
mp_config_table:
        MP_WITH_CHECKSUM MP_CONFIG
        times   -((($ - mp_config_table) != MP_CONFIG_LEN)) db 0  ; (an error if
                                        ; the header's length is wrong)
%if MP_CONFIG_AT + MP_CONFIG_LEN + 7 * 20 > 0xE05B
  %error "mptable.asm: no room after the table for 7 more processor entries"
%endif
