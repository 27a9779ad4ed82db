; bios_mptable.asm -- finds and checks the Intel MultiProcessor tables the
; x86lab BIOS provides, as an MP-aware kernel does.
; x86lab-args: --load $BUILD/bios/bios.bin@0xF0000
; The floating pointer
; ("_MP_", 16-byte aligned) searched in the specification's order (the
; first KiB of the EBDA named at 40:0Eh, else the last KiB of base memory
; from 40:13h, then the ROM area F0000h-FFFFFh), both checksums, and the
; configuration table's entries: one enabled bootstrap processor with
; local APIC ID 0, an ISA bus, an enabled I/O APIC at FEC00000h, ISA IRQs
; 0-15 but 2 on the I/O APIC's inputs (IRQ 0 on input 2, the others on
; their own number), ExtINT on LINT0 and NMI on LINT1.
; Run by tests/run-all.sh flat, with the ROM image copied to F0000h (no
; POST: the ROM's own bytes), and booted through the BIOS from a floppy by
; tests/scripts/boot_mptable.sh (after POST, with the EBDA in place).
        bits    16
        cpu     386
        org     0x7C00
%include "lib.inc"

start:  START16
        cmp     dword [end_marker], END_MAGIC   ; booted: only sector 1 is here
        je      main
        sti
        mov     ax, 0x0200 | ((program_end - $$ + 511) / 512 - 1)
        mov     cx, 0x0002
        xor     dh, dh
        mov     bx, 0x7E00
        int     0x13
        jc      load_failed
        cmp     dword [end_marker], END_MAGIC
        je      main
load_failed:
        mov     al, EXIT_FAIL
        jmp     exit16
        LIB16
        times   510 - ($ - $$) db 0
        dw      0xAA55

main:   mov     si, msg_start
        call    puts16
        call    find_floating
        pushf
        CHECK16 nc, "floating pointer found in the spec's search order"
        popf
        jc      done
        mov     es, [fp_seg]
        mov     di, [fp_off]
        call    check_floating
        call    check_config
done:   FINISH16

; ---- the search ----
; find_floating: CF=0 and fp_seg:fp_off = the structure, else CF=1.
find_floating:
        mov     ax, [0x40E]                     ; the EBDA's segment
        test    ax, ax
        jz      .base
        mov     cx, 1024 / 16
        call    scan
        jnc     .found
.base:  mov     ax, [0x413]                     ; KiB of base memory
        test    ax, ax
        jz      .rom
        dec     ax
        shl     ax, 6                           ; its last KiB, as a segment
        mov     cx, 1024 / 16
        call    scan
        jnc     .found
.rom:   mov     ax, 0xF000
        mov     cx, 0x10000 / 16
        call    scan
        jc      .none
.found: mov     [fp_seg], es
        mov     [fp_off], di
        clc
.none:  ret

; scan: CX paragraphs from AX:0000 for "_MP_" with a valid checksum.
; CF=0 with ES:DI at it.
scan:   mov     es, ax
        xor     di, di
.next:  cmp     dword [es:di], '_MP_'
        jne     .skip
        push    cx
        movzx   cx, byte [es:di + 8]            ; (length in paragraphs)
        shl     cx, 4
        call    sum_bytes
        pop     cx
        jz      .hit
.skip:  add     di, 16
        loop    .next
        stc
        ret
.hit:   clc
        ret

; sum_bytes: ZF=1 when the CX bytes at ES:DI add up to 0 (mod 256).
; Preserves all but flags and AL.
sum_bytes:
        push    cx
        push    di
        xor     al, al
.add:   add     al, [es:di]
        inc     di
        loop    .add
        pop     di
        pop     cx
        test    al, al
        ret

; ---- the floating pointer ----
check_floating:
        mov     ax, es
        movzx   eax, ax
        shl     eax, 4
        movzx   edx, di
        add     eax, edx
        test    al, 0x0F
        CHECK16 z, "floating pointer on a 16-byte boundary"
        cmp     eax, 0xF0000
        CHECK16 ae, "floating pointer in the ROM area F0000h-FFFFFh"
        cmp     byte [es:di + 8], 1
        CHECK16 e, "floating pointer length 1 (16 bytes)"
        mov     al, [es:di + 9]
        cmp     al, 4
        CHECK16 e, "MP specification revision 1.4"
        cmp     byte [es:di + 11], 0
        CHECK16 e, "feature byte 1: a configuration table, no default"
        mov     eax, [es:di + 4]
        mov     [config], eax
        cmp     eax, 0xF0000
        CHECK16 ae, "configuration table pointer in the ROM area"
        ret

; ---- the configuration table ----
check_config:
        mov     eax, [config]
        mov     di, ax
        and     di, 0x0F
        shr     eax, 4
        mov     es, ax
        cmp     dword [es:di], 'PCMP'
        CHECK16 e, "configuration table signature PCMP"
        mov     cx, [es:di + 4]
        call    sum_bytes
        CHECK16 z, "configuration table checksum"
        cmp     byte [es:di + 6], 4
        CHECK16 e, "configuration table revision 1.4"
        cmp     dword [es:di + 36], 0xFEE00000
        CHECK16 e, "local APIC address FEE00000h"
        mov     cx, [es:di + 34]                ; entries
        mov     bx, [es:di + 4]
        add     bx, di                          ; the end
        add     di, 44
.entry: test    cx, cx
        jz      .walked
        cmp     di, bx
        jae     .walked
        mov     al, [es:di]
        cmp     al, 0
        je      .processor
        cmp     al, 1
        je      .bus
        cmp     al, 2
        je      .ioapic
        cmp     al, 3
        je      .intsrc
        cmp     al, 4
        je      .lint
        inc     word [bad_entries]
        jmp     .walked
.processor:
        inc     word [n_cpu]
        cmp     word [es:di + 1], 0x1400        ; APIC ID 0, version 14h
        jne     .bad
        cmp     byte [es:di + 3], 0x03          ; enabled, bootstrap
        jne     .bad
        add     di, 20
        dec     cx
        jmp     .entry
.bus:   inc     word [n_bus]
        cmp     dword [es:di + 2], 'ISA '
        jne     .bad
        cmp     word [es:di + 6], '  '
        jne     .bad
        jmp     .next8
.ioapic:
        inc     word [n_ioapic]
        mov     al, [es:di + 1]
        mov     [ioapic_id], al
        test    byte [es:di + 3], 1             ; enabled
        jz      .bad
        cmp     dword [es:di + 4], 0xFEC00000
        jne     .bad
        jmp     .next8
.intsrc:
        cmp     byte [es:di + 1], 0             ; INT
        jne     .bad
        cmp     byte [es:di + 4], 0             ; from bus 0
        jne     .bad
        movzx   si, byte [es:di + 5]            ; the IRQ
        cmp     si, 15
        ja      .bad
        mov     al, [es:di + 6]                 ; the I/O APIC
        cmp     al, [ioapic_id]
        jne     .bad
        mov     ax, si                          ; the input: the IRQ's own,
        test    si, si                          ; but 2 for IRQ 0
        jnz     .pin
        mov     al, 2
.pin:   cmp     al, [es:di + 7]
        jne     .bad
        inc     byte [irq_seen + si]
        jmp     .next8
.lint:  mov     al, [es:di + 1]                 ; type
        mov     ah, [es:di + 7]                 ; LINT
        cmp     byte [es:di + 6], 0xFF          ; every processor
        jne     .bad
        cmp     ax, 0x0003                      ; ExtINT -> LINT0
        jne     .nmi
        inc     word [n_extint]
        jmp     .next8
.nmi:   cmp     ax, 0x0101                      ; NMI -> LINT1
        jne     .bad
        inc     word [n_nmi]
        jmp     .next8
.bad:   inc     word [bad_entries]
.next8: add     di, 8
        dec     cx
        jmp     .entry
.walked:
        cmp     di, bx
        CHECK16 e, "the entries fill the table's base length"
        cmp     word [bad_entries], 0
        CHECK16 e, "every entry is as this board has it"
        cmp     word [n_cpu], 1
        CHECK16 e, "one processor entry: BSP, APIC ID 0, enabled"
        cmp     word [n_bus], 1
        CHECK16 e, "one bus entry: ISA"
        cmp     word [n_ioapic], 1
        CHECK16 e, "one I/O APIC entry: enabled, at FEC00000h"
        mov     si, 0                           ; every IRQ but 2 once
        xor     dx, dx
.irqs:  mov     al, [irq_seen + si]
        cmp     si, 2
        jne     .once
        test    al, al
        jz      .irq_next
        inc     dx
        jmp     .irq_next
.once:  cmp     al, 1
        je      .irq_next
        inc     dx
.irq_next:
        inc     si
        cmp     si, 16
        jb      .irqs
        test    dx, dx
        CHECK16 z, "ISA IRQs 0-15 (not 2) assigned once; IRQ 0 on input 2"
        cmp     word [n_extint], 1
        CHECK16 e, "ExtINT on LINT0"
        cmp     word [n_nmi], 1
        CHECK16 e, "NMI on LINT1"
        ret

msg_start:      db      "bios_mptable: searching for the MP floating pointer", 10, 0
fails:          dw      0
fp_seg:         dw      0
fp_off:         dw      0
config:         dd      0
ioapic_id:      db      0xFF
n_cpu:          dw      0
n_bus:          dw      0
n_ioapic:       dw      0
n_extint:       dw      0
n_nmi:          dw      0
bad_entries:    dw      0
irq_seen:       times 16 db 0
END_MAGIC       equ     0x444E454D              ; "MEND"
end_marker:     dd      END_MAGIC
program_end:
