; x86lab-args: --deterministic
; apic_ipi.asm -- interrupts a CPU sends itself through the ICR and what
; the local APIC does with them: a self-IPI taken at the next instruction
; boundary, the ISR bit in the handler and EOI, acceptance by priority
; class against the TPR/PPR (held in the IRR, delivered when the TPR
; drops, nesting of a higher class), the shorthands and physical/logical
; destinations, an NMI IPI, the error status register for an illegal
; vector, the spurious-vector register (bits 0-3 hard-wired on the P6,
; the software enable holding fixed interrupts back and masking the
; LVT), moving the register page through IA32_APIC_BASE, and the global
; disable (CPUID's APIC bit follows it).
%include "apic_lib.inc"

test_main:
        mov     esi, msg_start
        call    puts32
        call    pic_mask_all
        mov     dword [LAPIC + L_SVR], 0x1FF

        ; ---- self-IPI ----
        mov     dword [LAPIC + L_ICRLO], (1 << 18) | 0x60      ; self, fixed
        mov     eax, [ICOUNT + 0x60 * 4]                        ; IF=0: not yet
        EXPECTEQ eax, 0, "self-IPI held while IF=0"
        mov     eax, [LAPIC + L_IRR + 0x30]                     ; vectors 60h-7Fh
        and     eax, 1
        EXPECTEQ eax, 1, "IRR bit 60h set"
        sti
        mov     ebx, [ICOUNT + 0x60 * 4]                        ; STI shadow: not yet
        mov     ecx, [ICOUNT + 0x60 * 4]                        ; taken before this
        cli
        EXPECTEQ ebx, 0, "the instruction after STI runs first"
        EXPECTEQ ecx, 1, "then the self-IPI is taken (vector 60h)"
        EXPECTEQ [isr_seen], 1, "ISR bit set in the handler"
        EXPECTEQ [LAPIC + L_ISR + 0x30], 0, "EOI cleared it"
        sti
        mov     dword [LAPIC + L_ICRLO], (1 << 18) | 0x61
        mov     eax, [ICOUNT + 0x61 * 4]                        ; IF=1: at once
        cli
        EXPECTEQ eax, 1, "with IF=1: taken right after the ICR write"

        ; ---- priorities ----
        mov     dword [LAPIC + L_TPR], 0x70
        EXPECTEQ [LAPIC + L_PPR], 0x70, "PPR follows the TPR"
        sti
        mov     dword [LAPIC + L_ICRLO], (1 << 18) | 0x65
        mov     eax, [ICOUNT + 0x65 * 4]
        EXPECTEQ eax, 0, "65h held: class 6 below TPR 70h"
        mov     dword [LAPIC + L_ICRLO], (1 << 18) | 0x85
        mov     eax, [ICOUNT + 0x85 * 4]
        EXPECTEQ eax, 1, "85h above the TPR is taken"
        mov     dword [LAPIC + L_TPR], 0
        mov     eax, [ICOUNT + 0x65 * 4]
        EXPECTEQ eax, 1, "TPR lowered: 65h taken"
        ; nesting: the handler of A0h (no EOI yet) lets B0h in, not A5h
        mov     dword [no_eoi_from], 0xA0
        mov     dword [LAPIC + L_ICRLO], (1 << 18) | 0xA0
        EXPECTEQ [LAPIC + L_PPR], 0xA0, "PPR = class in service (no EOI yet)"
        mov     dword [LAPIC + L_ICRLO], (1 << 18) | 0xA5
        mov     eax, [ICOUNT + 0xA5 * 4]
        EXPECTEQ eax, 0, "A5h (same class as A0h in service) waits"
        mov     dword [LAPIC + L_ICRLO], (1 << 18) | 0xB0
        mov     eax, [ICOUNT + 0xB0 * 4]
        EXPECTEQ eax, 1, "B0h (higher class) is taken"
        mov     dword [no_eoi_from], 0x100
        mov     dword [LAPIC + L_EOI], 0                        ; ends B0h
        mov     eax, [ICOUNT + 0xA5 * 4]
        EXPECTEQ eax, 0, "A5h still waits for A0h"
        mov     dword [LAPIC + L_EOI], 0                        ; ends A0h
        mov     eax, [ICOUNT + 0xA5 * 4]
        EXPECTEQ eax, 1, "A0h's EOI lets A5h in"
        EXPECTEQ [LAPIC + L_PPR], 0, "nothing in service"

        ; ---- shorthands and destinations ----
        mov     dword [LAPIC + L_ICRLO], (2 << 18) | 0x70       ; all including self
        mov     eax, [ICOUNT + 0x70 * 4]
        EXPECTEQ eax, 1, "all-including-self reaches this CPU"
        mov     dword [LAPIC + L_ICRLO], (3 << 18) | 0x71       ; all excluding self
        mov     eax, [ICOUNT + 0x71 * 4]
        EXPECTEQ eax, 0, "all-excluding-self does not"
        mov     dword [LAPIC + L_ICRHI], 0 << 24
        mov     dword [LAPIC + L_ICRLO], 0x72                   ; physical, ID 0
        mov     eax, [ICOUNT + 0x72 * 4]
        EXPECTEQ eax, 1, "physical destination 0 (own ID)"
        mov     dword [LAPIC + L_ICRHI], 3 << 24
        mov     dword [LAPIC + L_ICRLO], 0x73                   ; physical, ID 3
        mov     eax, [ICOUNT + 0x73 * 4]
        EXPECTEQ eax, 0, "physical destination 3: nobody"
        mov     dword [LAPIC + L_LDR], 0x01000000
        mov     dword [LAPIC + L_ICRHI], 0x01 << 24
        mov     dword [LAPIC + L_ICRLO], (1 << 11) | 0x74       ; logical 01h
        mov     eax, [ICOUNT + 0x74 * 4]
        EXPECTEQ eax, 1, "logical flat destination 01h matches LDR"
        mov     dword [LAPIC + L_ICRHI], 0x02 << 24
        mov     dword [LAPIC + L_ICRLO], (1 << 11) | 0x75       ; logical 02h
        mov     eax, [ICOUNT + 0x75 * 4]
        EXPECTEQ eax, 0, "logical 02h does not"
        mov     dword [LAPIC + L_ICRHI], 0
        mov     dword [LAPIC + L_ICRLO], (4 << 8)               ; NMI to ID 0
        mov     eax, [ICOUNT + 2 * 4]
        EXPECTEQ eax, 1, "NMI IPI: vector 2"

        ; ---- errors ----
        mov     dword [LAPIC + L_ESR], 0
        mov     dword [LAPIC + L_ICRLO], (1 << 18) | 0x05       ; illegal vector
        mov     dword [LAPIC + L_ESR], 0
        mov     eax, [LAPIC + L_ESR]
        EXPECTEQ eax, 1 << 5, "ESR: send illegal vector"
        mov     eax, [ICOUNT + 5 * 4]
        EXPECTEQ eax, 0, "nothing delivered on vector 5"
        mov     dword [LAPIC + L_ESR], 0
        EXPECTEQ [LAPIC + L_ESR], 0, "ESR cleared by the next write"

        ; ---- the spurious-vector register ----
        mov     dword [LAPIC + L_SVR], 0x1E0
        EXPECTEQ [LAPIC + L_SVR], 0x1EF, "SVR bits 0-3 hard-wired to 1"
        mov     dword [LAPIC + L_LVTT], 0x40
        mov     dword [LAPIC + L_SVR], 0x0EF                    ; software disable
        mov     eax, [LAPIC + L_LVTT]
        EXPECTEQ eax, 0x10040, "software disable masks the LVT"
        mov     dword [LAPIC + L_LVTT], 0x40
        mov     eax, [LAPIC + L_LVTT]
        EXPECTEQ eax, 0x10040, "the mask stays while disabled"
        mov     dword [LAPIC + L_ICRLO], (1 << 18) | 0x90
        mov     eax, [ICOUNT + 0x90 * 4]
        EXPECTEQ eax, 0, "disabled: a fixed IPI is held"
        mov     dword [LAPIC + L_SVR], 0x1FF
        mov     eax, [ICOUNT + 0x90 * 4]
        EXPECTEQ eax, 1, "enabled again: delivered"
        cli

        ; ---- IA32_APIC_BASE: move the page, then disable globally ----
        mov     ecx, 0x1B
        mov     eax, 0xFED00900
        xor     edx, edx
        wrmsr
        mov     eax, [0xFED00000 + L_VER]
        EXPECTEQ eax, 0x00040014, "page moved to FED00000h"
        mov     eax, [LAPIC + L_VER]
        EXPECTEQ eax, 0xFFFFFFFF, "nothing left at FEE00000h"
        mov     ecx, 0x1B
        mov     eax, 0xFEE00900
        xor     edx, edx
        wrmsr
        EXPECTEQ [LAPIC + L_VER], 0x00040014, "and back"
        mov     ecx, 0x1B
        mov     eax, 0xFEE00100                                 ; enable bit clear
        wrmsr
        mov     eax, 1
        cpuid
        and     edx, 1 << 9
        EXPECTEQ edx, 0, "globally disabled: CPUID shows no APIC"
        mov     eax, [LAPIC + L_VER]
        EXPECTEQ eax, 0xFFFFFFFF, "and the page is gone"
        mov     ecx, 0x1B
        mov     eax, 0xFEE00900
        xor     edx, edx
        wrmsr
        mov     eax, 1
        cpuid
        and     edx, 1 << 9
        EXPECTEQ edx, 1 << 9, "enabled again: CPUID APIC"
        FINISH32

msg_start: db "apic_ipi: self-IPIs, priorities, errors, spurious vector, APIC base", 10, 0
