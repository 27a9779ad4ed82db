; dev_cmos_periodic.asm -- the RTC's periodic interrupt rate, timed with
; RDTSC in deterministic mode (one TSC tick per instruction, 10 ns of
; virtual time each): IRQ 8 counted over a busy window at RS = 3, 6 and 1
; (8192, 1024 and 256 Hz: RS 1 repeats RS 8), PF polled in register C with
; PIE off, nothing at RS = 0, and IF = 0 holding the request back.
; x86lab-args: --deterministic
        org     0x7c00
        bits    16

%include "lib.inc"
%include "dev_lib.inc"

; IN_RANGE lo, hi: ZF=0 if lo <= EAX <= hi (unsigned), else ZF=1
%macro IN_RANGE 2
        cmp     eax, %1
        setae   bl
        cmp     eax, %2
        setbe   bh
        and     bl, bh
%endmacro

start:
        START16
        SETVEC16 0x28, irq8
        PIC_PAIR 0x20, 0x28, 0xFB, 0xFE ; IRQ 2 (the slave) and 8 open

        ; 8192 Hz for 1,000,000 instructions (10 ms): 81.92 interrupts
        mov     ax, 0x0A23
        call    cmos_wr
        mov     ecx, 1000000
        call    count_irqs
        IN_RANGE 81, 82
        CHECK16 nz, "RS=3: 81-82 IRQ 8 in 10 ms (8192 Hz)"
        ; 1024 Hz for 2,000,000 instructions (20 ms): 20.48
        mov     ax, 0x0A26
        call    cmos_wr
        mov     ecx, 2000000
        call    count_irqs
        IN_RANGE 20, 21
        CHECK16 nz, "RS=6: 20-21 IRQ 8 in 20 ms (1024 Hz)"
        ; RS=1 is 256 Hz: 4,000,000 instructions (40 ms): 10.24
        mov     ax, 0x0A21
        call    cmos_wr
        mov     ecx, 4000000
        call    count_irqs
        IN_RANGE 10, 11
        CHECK16 nz, "RS=1: 10-11 IRQ 8 in 40 ms (256 Hz, as RS=8)"
        ; RS=0: none
        mov     ax, 0x0A20
        call    cmos_wr
        mov     ecx, 1000000
        call    count_irqs
        cmp     eax, 0
        CHECK16 e, "RS=0: no periodic interrupt"

        ; PF polled with PIE off: 8192 Hz over 1,000,000 instructions
        mov     ax, 0x0A23
        call    cmos_wr
        mov     ecx, 1000000
        call    count_pf
        IN_RANGE 81, 82
        CHECK16 nz, "PIE off: PF polled in register C 81-82 times in 10 ms"
        cmp     dword [ticks], 0
        CHECK16 e, "PIE off: no IRQ 8"

        ; IF=0: the request waits in the PIC, one interrupt when IF=1
        mov     ax, 0x0B42
        call    cmos_wr
        mov     al, 0x0C
        call    cmos_rd
        mov     dword [ticks], 0
        mov     ecx, 100000
.spin:  dec     ecx
        jnz     .spin                      ; ~1 ms: several periods, IF = 0
        cmp     dword [ticks], 0
        CHECK16 e, "IF=0: no interrupt taken"
        sti
        nop
        cli
        cmp     dword [ticks], 1
        CHECK16 e, "IF=1: the one pending IRQ 8 comes at once"
        mov     ax, 0x0B02
        call    cmos_wr
        jmp     finish

; count_irqs: PIE on for ECX TSC ticks with IF=1; EAX = IRQ 8 count
count_irqs:
        mov     ax, 0x0B42                 ; PIE, 24 h
        call    cmos_wr
        mov     al, 0x0C
        call    cmos_rd
        mov     dword [ticks], 0
        rdtsc
        mov     esi, eax
        sti
.loop:  rdtsc
        sub     eax, esi
        cmp     eax, ecx
        jb      .loop
        cli
        mov     ax, 0x0B02
        call    cmos_wr
        mov     eax, [ticks]
        ret

; count_pf: PIE off, poll register C for ECX TSC ticks; EAX = PF count
count_pf:
        mov     ax, 0x0B02
        call    cmos_wr
        mov     al, 0x0C
        call    cmos_rd
        mov     dword [ticks], 0
        xor     edi, edi
        rdtsc
        mov     esi, eax
        sti
.loop:  mov     al, 0x0C
        call    cmos_rd
        test    al, 0x40
        jz      .no
        inc     edi
.no:    rdtsc
        sub     eax, esi
        cmp     eax, ecx
        jb      .loop
        cli
        mov     eax, edi
        ret

irq8:
        push    ax
        mov     al, 0x0C
        out     0x70, al
        in      al, 0x71
        inc     dword [cs:ticks]
        pop     ax
        jmp     eoi_slave_iret

        LIB16
        DEVLIB

fails:  dw 0
ticks:  dd 0
