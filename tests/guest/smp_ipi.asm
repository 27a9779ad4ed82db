; x86lab-args: -smp 4 --deterministic
; smp_ipi.asm -- four CPUs (-smp 4): the BSP starts the three APs as an
; OS does, with INIT (assert, then level de-assert) and two STARTUPs to
; all but itself; each AP runs a real-mode trampoline at 70000h (STARTUP
; vector 70h: CS=7000h, IP=0), enters protected mode, reports its local
; APIC ID, CPUID's initial APIC ID and its IA32_APIC_BASE (no BSP bit),
; takes a slot with LOCK XADD, then runs a loop long enough to span many
; scheduling turns (register state kept across switches: a sum checked
; by the BSP; a shared counter incremented with LOCK by all APs), and
; waits with STI/HLT for interrupts.  The BSP checks that three APs came
; up once each (the second STARTUP is ignored by running APs) with
; distinct IDs 1-3, sends a fixed IPI to APIC ID 2 only and checks that
; AP 2 alone took it, and waits itself in HLT for an IPI that AP 1 sends
; it.  The interpreter and the translator both run it (tests/run-all.sh).
%include "apic_lib.inc"

%define TRAMP        0x70000            ; STARTUP vector 70h
%define AP_STACKS    0x80000            ; AP n: stack top AP_STACKS + (n+1)*4 KiB
%define LOOPS        30000              ; each AP's loop: ~4 insns per iteration
%define NAPS         3
%define V_TO_AP      0x71               ; BSP -> AP 2
%define V_TO_BSP     0x72               ; AP 1 -> BSP
%define WAIT_SPINS   2000000

test_main:
        mov     esi, msg_start
        call    puts32
        call    pic_mask_all
        mov     dword [LAPIC + L_SVR], 0x1FF
        ; the trampoline into its page below 1 MiB
        mov     esi, tramp_start
        mov     edi, TRAMP
        mov     ecx, tramp_end - tramp_start
        cld
        rep movsb

        ; ---- the BSP itself ----
        mov     eax, [LAPIC + L_ID]
        EXPECTEQ eax, 0, "BSP: local APIC ID 0"
        mov     eax, 1
        cpuid
        shr     ebx, 24
        EXPECTEQ ebx, 0, "BSP: CPUID initial APIC ID 0"
        mov     ecx, 0x1B
        rdmsr
        and     eax, 0x100
        EXPECTEQ eax, 0x100, "BSP: IA32_APIC_BASE has the BSP flag"

        ; ---- INIT, INIT de-assert, STARTUP, STARTUP ----
        mov     dword [LAPIC + L_ICRHI], 0
        mov     dword [LAPIC + L_ICRLO], 0x000C4500     ; INIT, assert, all but self
        mov     ecx, 3580                               ; 1 ms
        call    pm_delay_ticks
        mov     dword [LAPIC + L_ICRLO], 0x000C8500     ; INIT level de-assert
        mov     ecx, 358
        call    pm_delay_ticks
        EXPECTEQ [ap_count], 0, "no AP runs before STARTUP"
        mov     dword [LAPIC + L_ICRLO], 0x000C4600 | (TRAMP >> 12)   ; STARTUP
        mov     ecx, 716                                ; 200 us
        call    pm_delay_ticks
        mov     dword [LAPIC + L_ICRLO], 0x000C4600 | (TRAMP >> 12)   ; again
        ; the APs: up, done with their loops
        mov     ecx, WAIT_SPINS
.wait_up:
        cmp     dword [ap_done], NAPS
        je      .up
        pause
        loop    .wait_up
.up:    EXPECTEQ [ap_count], NAPS, "three APs started, once each"
        EXPECTEQ [ap_done], NAPS, "all three finished their loops"
        ; distinct IDs 1-3: the OR of 1 << id is 1110b
        xor     edx, edx
        xor     ebx, ebx
.ids:   mov     ecx, [ap_id + ebx * 4]
        mov     eax, 1
        shl     eax, cl
        or      edx, eax
        inc     ebx
        cmp     ebx, NAPS
        jb      .ids
        EXPECTEQ edx, 1110b, "APIC IDs 1, 2 and 3, one per AP"
        call    check_slots
        EXPECTEQ [shared], NAPS * LOOPS, "LOCK INC by all APs: the shared count"

        ; ---- a fixed IPI to APIC ID 2 only ----
        mov     dword [LAPIC + L_ICRHI], 2 << 24
        mov     dword [LAPIC + L_ICRLO], 0x4000 | V_TO_AP   ; fixed, physical
        mov     ecx, WAIT_SPINS
.wait_ipi:
        cmp     dword [ICOUNT + V_TO_AP * 4], 0
        jne     .got
        pause
        loop    .wait_ipi
.got:   mov     ecx, 100000                             ; let the others run too
.settle:
        pause
        loop    .settle
        EXPECTEQ [ICOUNT + V_TO_AP * 4], 1, "the IPI to APIC ID 2 was taken once"
        EXPECTEQ [woke + 2 * 4], 1, "by AP 2 (it left its HLT once)"
        mov     eax, [woke + 1 * 4]
        add     eax, [woke + 3 * 4]
        EXPECTEQ eax, 0, "APs 1 and 3 did not take it"

        ; ---- the BSP halts; AP 1 wakes it with an IPI ----
        mov     dword [go_ping], 1
        mov     ecx, WAIT_SPINS
.wait_ping:
        cli
        cmp     dword [ICOUNT + V_TO_BSP * 4], 0
        jne     .pinged
        sti
        hlt                                             ; STI shadow: no lost wake-up
        loop    .wait_ping
.pinged:
        cli
        EXPECTEQ [ICOUNT + V_TO_BSP * 4], 1, "BSP woken from HLT by AP 1's IPI"
        FINISH32

; check_slots: every AP's CPUID initial APIC ID equals its local APIC ID,
; its IA32_APIC_BASE has no BSP flag, and its loop sum is right.
check_slots:
        xor     ebx, ebx
        xor     edx, edx                                ; mismatches
.slot:  mov     eax, [ap_cpuid + ebx * 4]
        cmp     eax, [ap_id + ebx * 4]
        setne   al
        movzx   eax, al
        add     edx, eax
        mov     eax, [ap_base + ebx * 4]
        and     eax, 0x100
        add     edx, eax
        cmp     dword [ap_sum + ebx * 4], LOOPS * (LOOPS + 1) / 2
        setne   al
        movzx   eax, al
        add     edx, eax
        inc     ebx
        cmp     ebx, NAPS
        jb      .slot
        EXPECTEQ edx, 0, "APs: CPUID APIC ID = local APIC ID, no BSP flag, loop sums right"
        ret

; ---- what every AP runs ----
        bits    16
tramp_start:                                            ; at 7000:0000
        cli
        mov     ax, cs
        mov     ds, ax
        o32 lgdt [tramp_gdtr - tramp_start]
        mov     eax, cr0
        or      eax, 1
        mov     cr0, eax
        jmp     dword 0x08:ap_pm
tramp_gdtr:
        dw      gdt_end - gdt - 1
        dd      gdt
tramp_end:

        bits    32
ap_pm:
        mov     ax, 0x10
        mov     ds, ax
        mov     es, ax
        mov     fs, ax
        mov     gs, ax
        mov     ss, ax
        mov     ebx, [LAPIC + L_ID]
        shr     ebx, 24                                 ; my APIC ID
        lea     esp, [ebx + 1]
        shl     esp, 12
        add     esp, AP_STACKS
        lidt    [idtr]
        mov     dword [LAPIC + L_SVR], 0x1FF
        mov     edi, 1
        lock xadd [ap_count], edi                       ; my slot
        mov     [ap_id + edi * 4], ebx
        mov     eax, 1
        cpuid
        shr     ebx, 24
        mov     [ap_cpuid + edi * 4], ebx
        mov     ecx, 0x1B
        rdmsr
        mov     [ap_base + edi * 4], eax
        ; the loop: a sum in a register over many turns
        mov     ecx, LOOPS
        xor     eax, eax
.sum:   add     eax, ecx
        lock inc dword [shared]
        loop    .sum
        mov     [ap_sum + edi * 4], eax
        lock inc dword [ap_done]
        mov     ebx, [ap_id + edi * 4]
        ; AP 1 pings the BSP once the BSP asks (after the IPI checks)
        cmp     ebx, 1
        jne     .idle
.ping:  cmp     dword [go_ping], 0
        jne     .send
        pause
        jmp     .ping
.send:  mov     dword [LAPIC + L_ICRHI], 0
        mov     dword [LAPIC + L_ICRLO], 0x4000 | V_TO_BSP
.idle:  sti
        hlt
        lock inc dword [woke + ebx * 4]
        jmp     .idle

msg_start: db "smp_ipi: INIT/STARTUP of 3 APs, their IDs, a LOCKed count, IPIs between CPUs", 10, 0
        align   4
ap_count:  dd 0
ap_done:   dd 0
shared:    dd 0
go_ping:   dd 0
ap_id:     times 8 dd 0
ap_cpuid:  times 8 dd 0
ap_base:   times 8 dd 0
ap_sum:    times 8 dd 0
woke:      times 8 dd 0
