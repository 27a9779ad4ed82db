; x86lab-args: --load $BUILD/bios/bios.bin@0xF0000 --deterministic
; acpi_tables.asm -- finds and checks the x86lab BIOS's ACPI tables as an
; OS does, and checks them against the devices they describe: the RSDP in
; E0000h-FFFFFh, the RSDT and every table it lists (signature, length,
; checksum), the FADT's PM blocks (the PM1a control block reads SCI_EN,
; the PM timer runs at 3.579545 MHz measured with the local APIC timer,
; SLP_EN with a sleep type other than \_S5's does not power off),
; the FACS and the DSDT with \_S5, the MADT's local APIC address (the
; IA32_APIC_BASE MSR), its processor (the local APIC ID register), its
; I/O APIC (the ID register read at the address given), the interrupt
; source overrides (IRQ 0 on GSI 2, the SCI level/active high) and NMI
; on LINT1.  The ROM image is copied to F0000h (no POST).
%include "apic_lib.inc"
%include "acpi_lib.inc"

test_main:
        mov     esi, msg_start
        call    puts32
        call    find_rsdp
        test    eax, eax
        CHECK32 nz, "RSDP found, checksum right"
        test    eax, eax                        ; (CHECK32 changes the flags)
        jz      .done
        mov     ebp, eax
        mov     eax, ebp
        and     eax, 15
        EXPECTEQ eax, 0, "RSDP on a 16-byte boundary"
        movzx   eax, byte [ebp + 15]
        EXPECTEQ eax, 0, "RSDP revision 0 (ACPI 1.0)"
        mov     eax, [ebp + 16]
        mov     [rsdt], eax
        mov     esi, eax
        EXPECTEQ [esi], 'RSDT', "RSDT signature"
        mov     ecx, [esi + 4]
        call    sum_bytes
        movzx   eax, al
        EXPECTEQ eax, 0, "RSDT checksum"
        mov     eax, [esi + 4]
        sub     eax, 36
        shr     eax, 2
        EXPECTEQ eax, 2, "RSDT lists two tables"

        ; every listed table: checksum
        mov     edx, [rsdt]
        mov     ebx, [edx + 36]
        mov     esi, ebx
        mov     ecx, [esi + 4]
        call    sum_bytes
        movzx   eax, al
        EXPECTEQ eax, 0, "first table's checksum"
        mov     esi, [edx + 40]
        mov     ecx, [esi + 4]
        call    sum_bytes
        movzx   eax, al
        EXPECTEQ eax, 0, "second table's checksum"

        ; ---- FADT ----
        mov     ebx, 'FACP'
        call    find_table
        test    eax, eax
        CHECK32 nz, "FADT (FACP) listed"
        test    eax, eax                        ; (CHECK32 changes the flags)
        jz      .done
        mov     ebp, eax
        EXPECTEQ [ebp + 4], 116, "FADT length 116 (revision 1)"
        movzx   eax, word [ebp + 46]
        EXPECTEQ eax, 9, "SCI on IRQ 9"
        EXPECTEQ [ebp + 48], 0, "no SMI command port"
        mov     eax, [ebp + 88]
        EXPECTEQ eax, 0x04000204, "PM1 event 4, control 2, timer 4 bytes"
        mov     edx, [ebp + 64]                 ; PM1a_CNT_BLK
        in      ax, dx
        and     eax, 1
        EXPECTEQ eax, 1, "PM1a_CNT: SCI_EN (in ACPI mode)"
        mov     edx, [ebp + 64]
        mov     ax, (5 << 10) | (1 << 13) | 1   ; SLP_EN with type 5: no \_S5
        out     dx, ax
        CHECK32 nc, "SLP_EN with another sleep type: still running"
        in      ax, dx
        and     eax, 1 << 13
        EXPECTEQ eax, 0, "SLP_EN reads 0"
        mov     edx, [ebp + 56]                 ; PM1a_EVT_BLK: status
        add     edx, 2                          ; enable
        in      ax, dx
        movzx   eax, ax
        EXPECTEQ eax, 0, "PM1_EN clear after reset"
        ; the PM timer against the local APIC timer (a free-running
        ; one-shot count): both read back to back at the start and after
        ; about 20 ms; PM ticks = APIC ticks x 3579545 / 10^8, +-1%.  On
        ; host time (KVM) the host may stop x86lab between two reads, so
        ; up to three tries; --deterministic needs one.
        mov     edx, [ebp + 76]                 ; PM_TMR_BLK
        mov     dword [LAPIC + L_SVR], 0x1FF
        mov     dword [LAPIC + L_TDCR], 0x0B
        mov     dword [LAPIC + L_LVTT], 1 << 16
        mov     dword [pm_tries], 3
.try:   mov     edx, [ebp + 76]                 ; (MUL below changes EDX)
        mov     dword [LAPIC + L_TICR], 0xFFFFFFFF
        mov     ecx, [LAPIC + L_TCCR]
        in      eax, dx
        mov     [pm_start], eax
        mov     [apic_start], ecx
        sub     ecx, 2000000                    ; 20 ms at 100 MHz
.spin:  cmp     [LAPIC + L_TCCR], ecx
        ja      .spin
        mov     ecx, [LAPIC + L_TCCR]
        in      eax, dx
        sub     eax, [pm_start]
        and     eax, 0xFFFFFF
        mov     [pm_delta], eax
        mov     eax, [apic_start]
        sub     eax, ecx                        ; APIC ticks
        mov     ecx, 3579545
        mul     ecx
        mov     ecx, 100000000
        div     ecx                             ; the PM ticks expected
        mov     ebx, eax
        shr     ebx, 7                          ; 0.8%
        mov     edi, eax
        sub     edi, ebx
        mov     [pm_lo], edi
        add     eax, ebx
        mov     [pm_hi], eax
        mov     eax, [pm_delta]
        cmp     eax, [pm_lo]
        jb      .again
        cmp     eax, [pm_hi]
        jbe     .measured
.again: dec     dword [pm_tries]
        jnz     .try
.measured:
        EXPECTIN [pm_delta], [pm_lo], [pm_hi], "PM timer: 3.579545 MHz against the APIC timer"
        mov     dword [LAPIC + L_TICR], 0
        mov     edx, [ebp + 76]
        in      eax, dx
        shr     eax, 24
        EXPECTEQ eax, 0, "PM timer: 24 bits"
        mov     esi, [ebp + 36]                 ; FACS
        EXPECTEQ [esi], 'FACS', "FACS signature"
        EXPECTEQ [esi + 4], 64, "FACS length 64"
        mov     eax, esi
        and     eax, 63
        EXPECTEQ eax, 0, "FACS 64-byte aligned"
        mov     esi, [ebp + 40]                 ; DSDT
        EXPECTEQ [esi], 'DSDT', "DSDT signature"
        mov     ecx, [esi + 4]
        call    sum_bytes
        movzx   eax, al
        EXPECTEQ eax, 0, "DSDT checksum"
        mov     ecx, [esi + 4]
        sub     ecx, 4
        xor     eax, eax
.s5:    cmp     dword [esi + ecx], '_S5_'
        jne     .s5_next
        cmp     byte [esi + ecx + 4], 0x12      ; PackageOp
        jne     .s5_next
        inc     eax
.s5_next:
        loop    .s5
        EXPECTEQ eax, 1, "DSDT: Name (_S5, Package ...)"

        ; ---- MADT ----
        mov     ebx, 'APIC'
        call    find_table
        test    eax, eax
        CHECK32 nz, "MADT (APIC) listed"
        test    eax, eax                        ; (CHECK32 changes the flags)
        jz      .done
        mov     ebp, eax
        mov     ecx, 0x1B
        rdmsr
        and     eax, 0xFFFFF000
        EXPECTEQ [ebp + 36], eax, "local APIC address = IA32_APIC_BASE"
        EXPECTEQ [ebp + 40], 1, "PCAT_COMPAT: 8259s present"
        mov     esi, ebp
        add     esi, 44
        mov     edi, ebp
        add     edi, [ebp + 4]                  ; the end
.entry: cmp     esi, edi
        jae     .entries_done
        movzx   eax, byte [esi]
        cmp     eax, 0
        je      .cpu
        cmp     eax, 1
        je      .ioapic
        cmp     eax, 2
        je      .override
        cmp     eax, 4
        je      .nmi
        inc     dword [unknown]
        jmp     .next
.cpu:   inc     dword [n_cpu]
        movzx   eax, byte [esi + 3]
        mov     ebx, [LAPIC + L_ID]
        shr     ebx, 24
        cmp     eax, ebx
        jne     .bad
        test    byte [esi + 4], 1
        jz      .bad
        jmp     .next
.ioapic:
        inc     dword [n_ioapic]
        mov     ebx, [esi + 4]                  ; its address: read its ID
        mov     byte [ebx], 0
        mov     eax, [ebx + 0x10]
        shr     eax, 24
        movzx   ecx, byte [esi + 2]
        cmp     eax, ecx
        jne     .bad
        cmp     dword [esi + 8], 0              ; GSI base
        jne     .bad
        jmp     .next
.override:
        cmp     byte [esi + 3], 0               ; IRQ 0 -> GSI 2
        jne     .ovr9
        cmp     dword [esi + 4], 2
        jne     .bad
        inc     dword [irq0_ok]
        jmp     .next
.ovr9:  cmp     byte [esi + 3], 9               ; the SCI: level, active high
        jne     .next
        cmp     dword [esi + 4], 9
        jne     .bad
        cmp     word [esi + 8], 0x000D
        jne     .bad
        inc     dword [sci_ok]
        jmp     .next
.nmi:   cmp     byte [esi + 5], 1               ; LINT1
        jne     .bad
        inc     dword [nmi_ok]
        jmp     .next
.bad:   inc     dword [bad]
.next:  movzx   eax, byte [esi + 1]
        test    eax, eax
        jz      .entries_done
        add     esi, eax
        jmp     .entry
.entries_done:
        EXPECTEQ [n_cpu], 1, "one processor, its APIC ID as the LAPIC says"
        EXPECTEQ [n_ioapic], 1, "one I/O APIC, ID as read at its address, GSI 0"
        EXPECTEQ [irq0_ok], 1, "override: IRQ 0 on GSI 2"
        EXPECTEQ [sci_ok], 1, "override: SCI level, active high"
        EXPECTEQ [nmi_ok], 1, "NMI on LINT1"
        EXPECTEQ [bad], 0, "no entry disagrees with the hardware"
        EXPECTEQ [unknown], 0, "no unknown entry types"
        EXPECTEQ esi, edi, "entries end at the table's length"
.done:  FINISH32

msg_start: db "acpi_tables: RSDP, RSDT, FADT, FACS, DSDT, MADT", 10, 0
        align   4
pm_tries: dd 0
pm_start: dd 0
apic_start: dd 0
pm_delta: dd 0
pm_lo:    dd 0
pm_hi:    dd 0
n_cpu:    dd 0
n_ioapic: dd 0
irq0_ok:  dd 0
sci_ok:   dd 0
nmi_ok:   dd 0
bad:      dd 0
unknown:  dd 0
