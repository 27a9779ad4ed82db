; acpi.asm -- the ACPI 1.0 tables, constant, in the ROM (F000:D000, so
; inside the E0000h-FFFFFh area an OS scans for the RSDP, and reserved in
; the E820 map as the ROM is):
;   RSDP "RSD PTR " (revision 0) -> RSDT -> FADT ("FACP") and MADT ("APIC");
;   the FADT -> FACS and DSDT.
; They describe the board as devices/acpi_pm.h, lapic.h and ioapic.h make
; it, and agree with mptable.asm:
;   FADT: SCI on IRQ 9, no SMI command port (always in ACPI mode), PM1a
;     event block 600h (4 bytes), PM1a control 604h (2), PM timer 608h
;     (4, 24 bits), no GPE blocks, no C2/C3, the RTC century at CMOS 32h;
;   MADT: the local APICs at FEE00000h, dual 8259s present (PCAT_COMPAT),
;     processor 0 with APIC ID 0, the I/O APIC ID 1 at FEC00000h (GSI 0-23),
;     ISA IRQ 0 on GSI 2, the SCI (IRQ 9) level-triggered active high,
;     NMI on LINT1 of every processor;
;   DSDT: \_PR.CPU0 (processor 0) and \_S5 = Package { 0, 0, 0, 0 }: the
;     PIIX4's soft-off type, which SLP_EN in PM1a_CNT turns into power-off;
;     \_SB.PCI0, the PCI root bridge with its bus, I/O and memory windows.
; With -smp N, x86lab (machine/smp_tables.c) appends the other processors
; to the ROM as loaded: a local APIC entry (ACPI ID = APIC ID = n) to the
; MADT and \_PR.CPUn to the DSDT, in the spare room (0FFh bytes) left
; after each for 7 more, and fixes their lengths and checksums.
; The AML is a few hand-assembled bytes (spelled out below), so the build
; needs no ASL compiler.  Every byte goes through the ACPI_* macros, which
; add it up, so nasm works out each table's length and checksum.

ACPI_AT         equ     0xD000                  ; ROM offset of the RSDP
ACPI_ROM        equ     (BIOS_SEG << 4)         ; physical address of offset 0
ACPI_RSDT_AT    equ     ACPI_AT + 0x20
ACPI_FACS_AT    equ     ACPI_AT + 0x80          ; 64-byte aligned
ACPI_FADT_AT    equ     ACPI_AT + 0xC0
ACPI_MADT_AT    equ     ACPI_AT + 0x140
ACPI_DSDT_AT    equ     ACPI_AT + 0x200         ; MADT + room for 7 processors
ACPI_END        equ     ACPI_AT + 0x400         ; DSDT + room for 7 processors
ACPI_MORE_CPUS  equ     7                       ; -smp 8: 7 more than here
ACPI_PM_BASE    equ     0x600
ACPI_SCI_IRQ    equ     9

; ACPI_B / ACPI_W / ACPI_D / ACPI_S: bytes, words, dwords, strings (padded
; with spaces), added to acpi_sum and counted in acpi_len; emitted only
; when acpi_emit is 1.
%assign acpi_emit 0
%assign acpi_sum 0
%assign acpi_len 0
%macro ACPI_B 1-*
  %rep %0
    %if acpi_emit
        db      (%1) & 0xFF
    %endif
    %assign acpi_sum acpi_sum + ((%1) & 0xFF)
    %assign acpi_len acpi_len + 1
    %rotate 1
  %endrep
%endmacro
%macro ACPI_W 1
        ACPI_B  (%1), (%1) >> 8
%endmacro
%macro ACPI_D 1
        ACPI_B  (%1), (%1) >> 8, (%1) >> 16, (%1) >> 24
%endmacro
%macro ACPI_S 2
  %strlen acpi_slen %1
  %assign acpi_i 1
  %rep %2
    %if acpi_i <= acpi_slen
      %substr acpi_c %1 acpi_i
        ACPI_B  acpi_c
    %else
        ACPI_B  ' '
    %endif
    %assign acpi_i acpi_i + 1
  %endrep
%endmacro

; ACPI_TABLE NAME: macro NAME (arguments: length, checksum) counted with
; 0, 0, added up with its real length, then emitted with the checksum
; byte that makes its bytes sum to zero.
%macro ACPI_TABLE 1
  %assign acpi_emit 0
  %assign acpi_len 0
        %1      0, 0
  %assign acpi_tlen acpi_len
  %assign acpi_sum 0
        %1      acpi_tlen, 0
  %assign acpi_check (0x100 - (acpi_sum & 0xFF)) & 0xFF
  %assign acpi_emit 1
        %1      acpi_tlen, acpi_check
%endmacro

; The 36-byte header of every table but the RSDP and the FACS:
; signature, revision, OEM table ID, then the table's length and checksum.
%macro ACPI_HEADER 5
        ACPI_S  %1, 4
        ACPI_D  %4                      ; length
        ACPI_B  %2                      ; revision
        ACPI_B  %5                      ; checksum
        ACPI_S  "X86LAB", 6             ; OEM ID
        ACPI_S  %3, 8                   ; OEM table ID
        ACPI_D  1                       ; OEM revision
        ACPI_S  "XLAB", 4               ; creator ID
        ACPI_D  1                       ; creator revision
%endmacro

%macro ACPI_RSDP 2
        ACPI_S  "RSD PTR ", 8
        ACPI_B  %2                      ; checksum of these 20 bytes
        ACPI_S  "X86LAB", 6
        ACPI_B  0                       ; revision 0: ACPI 1.0
        ACPI_D  ACPI_ROM + ACPI_RSDT_AT
%endmacro

%macro ACPI_RSDT 2
        ACPI_HEADER "RSDT", 1, "X86LAB", %1, %2
        ACPI_D  ACPI_ROM + ACPI_FADT_AT
        ACPI_D  ACPI_ROM + ACPI_MADT_AT
%endmacro

; The FACS has no checksum: the waking vector and global lock stay 0 (no
; sleep states but S5; nothing takes the lock).
%macro ACPI_FACS 2
        ACPI_S  "FACS", 4
        ACPI_D  64
        ACPI_D  0                       ; hardware signature
        ACPI_D  0                       ; firmware waking vector
        ACPI_D  0                       ; global lock
        ACPI_D  0                       ; flags
  %rep 40
        ACPI_B  0
  %endrep
%endmacro

%macro ACPI_FADT 2
        ACPI_HEADER "FACP", 1, "X86LAB", %1, %2
        ACPI_D  ACPI_ROM + ACPI_FACS_AT
        ACPI_D  ACPI_ROM + ACPI_DSDT_AT
        ACPI_B  1                       ; INT_MODEL: multiple APIC
        ACPI_B  0                       ; reserved
        ACPI_W  ACPI_SCI_IRQ
        ACPI_D  0                       ; SMI_CMD: none, always in ACPI mode
        ACPI_B  0, 0, 0, 0              ; ACPI_ENABLE/DISABLE, S4BIOS_REQ, reserved
        ACPI_D  ACPI_PM_BASE            ; PM1a_EVT_BLK
        ACPI_D  0                       ; PM1b_EVT_BLK
        ACPI_D  ACPI_PM_BASE + 4        ; PM1a_CNT_BLK
        ACPI_D  0                       ; PM1b_CNT_BLK
        ACPI_D  0                       ; PM2_CNT_BLK
        ACPI_D  ACPI_PM_BASE + 8        ; PM_TMR_BLK
        ACPI_D  0                       ; GPE0_BLK
        ACPI_D  0                       ; GPE1_BLK
        ACPI_B  4, 2, 0, 4              ; PM1_EVT_LEN, PM1_CNT_LEN, PM2_CNT_LEN, PM_TMR_LEN
        ACPI_B  0, 0, 0, 0              ; GPE0/GPE1_BLK_LEN, GPE1_BASE, reserved
        ACPI_W  101                     ; P_LVL2_LAT > 100: no C2
        ACPI_W  1001                    ; P_LVL3_LAT > 1000: no C3
        ACPI_W  0                       ; FLUSH_SIZE
        ACPI_W  0                       ; FLUSH_STRIDE
        ACPI_B  0, 0                    ; DUTY_OFFSET, DUTY_WIDTH
        ACPI_B  0, 0, 0x32              ; DAY_ALRM, MON_ALRM, CENTURY
        ACPI_B  0, 0, 0                 ; reserved
        ; flags: WBINVD works (0), C1 = HLT on all processors (2), sleep
        ; button is a control method device, i.e. none (5)
        ACPI_D  (1 << 0) | (1 << 2) | (1 << 5)
%endmacro

%macro ACPI_MADT 2
        ACPI_HEADER "APIC", 1, "X86LAB", %1, %2
        ACPI_D  0xFEE00000              ; local APIC address
        ACPI_D  1                       ; PCAT_COMPAT: 8259s present
        ACPI_B  0, 8, 0, 0              ; processor 0, APIC ID 0
        ACPI_D  1                       ;   enabled
        ACPI_B  1, 12, 1, 0             ; I/O APIC ID 1
        ACPI_D  0xFEC00000
        ACPI_D  0                       ;   GSI base
        ACPI_B  2, 10, 0, 0             ; override: ISA IRQ 0
        ACPI_D  2                       ;   on GSI 2
        ACPI_W  0                       ;   as the bus: edge, active high
        ACPI_B  2, 10, 0, ACPI_SCI_IRQ  ; override: ISA IRQ 9 (the SCI)
        ACPI_D  ACPI_SCI_IRQ            ;   on GSI 9
        ACPI_W  0x000D                  ;   level-triggered, active high
        ACPI_B  4, 6, 0xFF              ; local APIC NMI, every processor,
        ACPI_W  0                       ;   as the bus,
        ACPI_B  1                       ;   on LINT1
%endmacro

;   Device (\_SB.PCI0): the PCI host bridge (i440FX) as a PNP0A03 root
;   bridge.  An ACPI OS finds its PCI buses only through such a device:
;   without it Linux scans no PCI bus at all (no IDE disk).  DeviceOp 5B 82,
;   PkgLength 9Ah (2 bytes: 4A 09), \_SB_.PCI0, then
;     Name (_HID, EisaId ("PNP0A03"))  08 _HID 0C 41 D0 0A 03
;     Name (_ADR, 0), Name (_UID, 0)    08 _ADR 00, 08 _UID 00
;     Name (_CRS, Buffer (110) {...})   08 _CRS 11, PkgLength 72h (42 07),
;                                       BytePrefix 0A 6E, the resources:
;       WordBusNumber 0-FFh; IO 0CF8h (8 ports, the config mechanism);
;       WordIO 0-0CF7h and 0D00h-0FFFFh; DWordMemory A0000h-BFFFFh (VGA)
;       and C0000000h-FEBFFFFFh (above the most RAM x86lab gives, 3 GiB,
;       below the I/O APIC); EndTag.
%macro ACPI_PCI0 0
        ACPI_B  0x5B, 0x82, 0x4A, 0x09, 0x5C, 0x2E
        ACPI_S  "_SB_PCI0", 8
        ACPI_B  0x08
        ACPI_S  "_HID", 4
        ACPI_B  0x0C, 0x41, 0xD0, 0x0A, 0x03
        ACPI_B  0x08
        ACPI_S  "_ADR", 4
        ACPI_B  0x00, 0x08
        ACPI_S  "_UID", 4
        ACPI_B  0x00, 0x08
        ACPI_S  "_CRS", 4
        ACPI_B  0x11, 0x42, 0x07, 0x0A, 110
        ACPI_B  0x88, 0x0D, 0x00, 0x02, 0x0C, 0x00      ; WordBusNumber, fixed
        ACPI_W  0                                       ;   granularity
        ACPI_W  0                                       ;   min
        ACPI_W  0xFF                                    ;   max
        ACPI_W  0                                       ;   translation
        ACPI_W  0x100                                   ;   length
        ACPI_B  0x47, 0x01                              ; IO, 16-bit decode
        ACPI_W  0xCF8                                   ;   min
        ACPI_W  0xCF8                                   ;   max
        ACPI_B  0x01, 0x08                              ;   align, length
        ACPI_B  0x88, 0x0D, 0x00, 0x01, 0x0C, 0x03      ; WordIO, entire range
        ACPI_W  0
        ACPI_W  0
        ACPI_W  0xCF7
        ACPI_W  0
        ACPI_W  0xCF8
        ACPI_B  0x88, 0x0D, 0x00, 0x01, 0x0C, 0x03      ; WordIO
        ACPI_W  0
        ACPI_W  0xD00
        ACPI_W  0xFFFF
        ACPI_W  0
        ACPI_W  0xF300
        ACPI_B  0x87, 0x17, 0x00, 0x00, 0x0C, 0x03      ; DWordMemory, cacheable, RW
        ACPI_D  0
        ACPI_D  0xA0000
        ACPI_D  0xBFFFF
        ACPI_D  0
        ACPI_D  0x20000
        ACPI_B  0x87, 0x17, 0x00, 0x00, 0x0C, 0x03      ; DWordMemory
        ACPI_D  0
        ACPI_D  0xC0000000
        ACPI_D  0xFEBFFFFF
        ACPI_D  0
        ACPI_D  0x3EC00000
        ACPI_B  0x79, 0x00                              ; EndTag
%endmacro

; AML: Processor (\_PR.CPU0, 0, 0, 0) {} -- ProcessorOp 5B 83, PkgLength
; 11h, \_PR_.CPU0 (5C 2E and two name segments), ID 0, P_BLK 0, length 0;
; Name (\_S5, Package (4) { 0, 0, 0, 0 }) -- NameOp 08, \_S5_, PackageOp
; 12, PkgLength 6, 4 elements, four ZeroOps.
%macro ACPI_DSDT 2
        ACPI_HEADER "DSDT", 1, "X86LAB", %1, %2
        ACPI_B  0x5B, 0x83, 0x11, 0x5C, 0x2E
        ACPI_S  "_PR_CPU0", 8
        ACPI_B  0
        ACPI_D  0
        ACPI_B  0
        ACPI_B  0x08, 0x5C
        ACPI_S  "_S5_", 4
        ACPI_B  0x12, 0x06, 0x04, 0x00, 0x00, 0x00, 0x00
        ACPI_PCI0
%endmacro

        AT      ACPI_AT
acpi_rsdp:
        ACPI_TABLE ACPI_RSDP
        AT      ACPI_RSDT_AT
        ACPI_TABLE ACPI_RSDT
        AT      ACPI_FACS_AT
        ACPI_TABLE ACPI_FACS
        AT      ACPI_FADT_AT
        ACPI_TABLE ACPI_FADT
        AT      ACPI_MADT_AT
        ACPI_TABLE ACPI_MADT
%if ACPI_MADT_AT + acpi_tlen + ACPI_MORE_CPUS * 8 > ACPI_DSDT_AT
  %error "acpi.asm: no room after the MADT for 7 more local APIC entries"
%endif
        AT      ACPI_DSDT_AT
        ACPI_TABLE ACPI_DSDT
%if ACPI_DSDT_AT + acpi_tlen + ACPI_MORE_CPUS * 19 > ACPI_END
  %error "acpi.asm: no room after the DSDT for 7 more Processor objects"
%endif
acpi_end:
