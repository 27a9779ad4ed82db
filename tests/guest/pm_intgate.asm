; pm_intgate.asm -- interrupts and exceptions through IDT gates: ring 3 ->
; ring 0 with the stack from the TSS (the pushed SS, ESP, EFLAGS, CS, EIP
; and error code checked), interrupt gates clear IF and NT, trap gates
; keep IF, 16-bit gates, same-ring delivery, INT3/INTO/ICEBP, and the
; gate faults with IDT error codes (DPL, not present, bad type, IDT
; limit, EXT bit for ICEBP).
%include "pm_lib.inc"

%define SEL_CONF0    0x48           ; conforming code, DPL 0
%define SEL_CODENP   0x50           ; not-present code
%define STACK16      0xF000

%macro IDTSET 3                     ; vector, handler, access
        mov     edx, %1
        mov     eax, %2
        mov     cl, %3
        call    set_idt
%endmacro

test_main:
        DESC    SEL_CONF0, 0, 0xFFFFF, 0x9E, 0xC
        DESC    SEL_CODENP, 0, 0xFFFFF, ACC_CODE ^ NOTPRESENT, 0xC
        IDTSET  0x40, int40, ACC_INT32 | DPL3
        IDTSET  0x41, int41, ACC_TRAP32 | DPL3
        IDTSET  0x42, int42, ACC_INT16 | DPL3
        IDTSET  0x43, int40, ACC_INT32
        IDTSET  0x44, int40, (ACC_INT32 | DPL3) ^ NOTPRESENT
        IDTSET  0x45, int40, ACC_CALL32 | DPL3
        IDTSET  0x46, 0, ACC_INT32 | DPL3
        mov     word [IDT_BASE + 0x46 * 8 + 2], SEL_CODENP
        IDTSET  0x47, int47, ACC_INT32 | DPL3
        mov     word [IDT_BASE + 0x47 * 8 + 2], SEL_CONF0
        IDTSET  3, int_bp, ACC_INT32 | DPL3
        IDTSET  4, int_of, ACC_INT32 | DPL3

        ; ---- same ring (ring 0) ----
        mov     ebx, esp
        int     0x40
.r0ret: sub     ebx, [i40_esp]
        CHECKV  ebx, 12, "int at ring 0: 3 dwords pushed, no stack switch"
        CHECKV  [i40_frame], test_main.r0ret, "int at ring 0: EIP"
        CHECKV  [i40_frame + 4], SEL_CODE0, "int at ring 0: CS"
        TRY     .f1
        lidt    [small_idtr]
        int     0x50
.f1:    lidt    [idtr]
        EXPECT  13, 0x50 * 8 + 2, "int beyond the IDT limit: #GP(vector*8+2)"
        mov     word [IDT_BASE + 8 + 4], (ACC_INT32 ^ NOTPRESENT) << 8
        TRY     .f2
        int1
.f2:    mov     word [IDT_BASE + 8 + 4], ACC_INT32 << 8
        EXPECT  11, 1 * 8 + 3, "icebp to a not-present gate: #NP with EXT"
        TRY     .f3
        int     0x44
.f3:    EXPECT  11, 0x44 * 8 + 2, "int n to a not-present gate: #NP, no EXT"

        ; ---- ring 3 ----
        mov     edx, 13
        mov     eax, gp_probe
        mov     cl, ACC_INT32
        call    set_idt
        sti
        mov     eax, ring3_main
        call    run_ring3
        cli

        CHECKV  [i40_esp], STACK0_TSS - 20, "int from ring 3: ESP = TSS.ESP0 - 20"
        CHECKV  [i40_cs], SEL_CODE0, "int from ring 3: handler CS"
        CHECKV  [i40_ss], SEL_DATA0, "int from ring 3: SS = TSS.SS0"
        CHECKV  [i40_frame], ring3_main.ret40, "int from ring 3: pushed EIP"
        CHECKV  [i40_frame + 4], SEL_CODE3, "int from ring 3: pushed CS"
        mov     eax, [i40_frame + 8]
        and     eax, 0x4200
        CHECKV  eax, 0x4200, "int from ring 3: pushed EFLAGS has IF and NT"
        CHECKV  [i40_frame + 12], [r3_esp40], "int from ring 3: pushed ESP"
        CHECKV  [i40_frame + 16], SEL_DATA3, "int from ring 3: pushed SS"
        mov     eax, [i40_flags]
        and     eax, 0x4200
        CHECKV  eax, 0, "interrupt gate: IF and NT clear in the handler"
        mov     eax, [r3_flags40]
        and     eax, 0x4200
        CHECKV  eax, 0x4200, "iret to ring 3 restores IF and NT"
        mov     eax, [i41_flags]
        and     eax, 0x200
        CHECKV  eax, 0x200, "trap gate: IF kept in the handler"
        CHECKV  [i42_esp], STACK0_TSS - 10, "16-bit gate from ring 3: 5 words pushed"
        CHECKV  [i42_frame], ((ring3_main.ret42 - $$ + 0x7C00) & 0xFFFF) | (SEL_CODE3 << 16), "16-bit gate: IP, CS"
        CHECKV  [i42_frame + 6], STACK16 | (SEL_DATA3 << 16), "16-bit gate: SP, SS"
        CHECKV  [r3_esp42], STACK16, "iret (16-bit) to ring 3: SP"
        CHECKV  [i47_cs], SEL_CONF0 | 3, "gate to conforming code: CPL stays 3"
        CHECKV  [bp_eip], ring3_main.after_bp, "int3: EIP after the instruction"
        CHECKV  [of_eip], ring3_main.after_of, "into with OF: EIP after the instruction"
        CHECKV  [of_count], 1, "into without OF does nothing"
        CHECKV  [gp_esp], STACK0_TSS - 24, "#GP from ring 3: ESP = TSS.ESP0 - 24"
        CHECKV  [gp_frame], 0, "#GP from ring 3 (cli): error code 0"
        CHECKV  [gp_frame + 4], ring3_main.cli_insn, "#GP from ring 3: EIP of the fault"
        CHECKV  [gp_frame + 8], SEL_CODE3, "#GP from ring 3: CS"
        CHECKV  [gp_frame + 16], [r3_esp_gp], "#GP from ring 3: ESP"
        CHECKV  [gp_frame + 20], SEL_DATA3, "#GP from ring 3: SS"
        CHECKV  [e43], 13, "int to a DPL 0 gate from ring 3: #GP"
        CHECKV  [e43 + 4], 0x43 * 8 + 2, "... error vector*8+2"
        CHECKV  [e44], 11, "int to a not-present gate: #NP"
        CHECKV  [e44 + 4], 0x44 * 8 + 2, "... error vector*8+2"
        CHECKV  [e45], 13, "int to a call gate in the IDT: #GP"
        CHECKV  [e45 + 4], 0x45 * 8 + 2, "... error vector*8+2"
        CHECKV  [e46], 11, "int to a gate whose code is not present: #NP"
        CHECKV  [e46 + 4], SEL_CODENP, "... error = code selector"
        CHECKV  [e_icebp], 1, "icebp from ring 3 ignores the gate DPL"

        FINISH32

; ---- ring 3 ----
ring3_main:
        mov     ax, SEL_DATA3
        mov     ds, ax
        mov     es, ax
        pushfd
        or      dword [esp], 0x4000     ; NT: an interrupt gate must clear it
        popfd
        mov     [r3_esp40], esp
        int     0x40
.ret40: pushfd
        pop     dword [r3_flags40]
        pushfd
        and     dword [esp], ~0x4000
        popfd
        int     0x41
        mov     ebp, esp
        mov     esp, STACK16
        int     0x42
.ret42: mov     [r3_esp42], esp
        mov     esp, ebp
        int     0x47
        int3
.after_bp:
        mov     al, 0x7F
        add     al, 1                   ; OF = 1
        into
.after_of:
        mov     al, 1
        add     al, 1                   ; OF = 0
        into
        mov     [r3_esp_gp], esp
.cli_insn:
        cli                             ; IOPL 0: #GP(0) -> gp_probe
        TRY     .e1
        int     0x43
.e1:    R3REC   e43
        TRY     .e2
        int     0x44
.e2:    R3REC   e44
        TRY     .e3
        int     0x45
.e3:    R3REC   e45
        TRY     .e4
        int     0x46
.e4:    R3REC   e46
        TRY     .e5
        int1                            ; gate 1 has DPL 0: still delivered
.e5:    mov     eax, [exc_vec]
        mov     [e_icebp], eax
        mov     dword [resume], 0
        call    SEL_BACK:0

; ---- handlers (ring 0 unless conforming) ----
int40:
        mov     [i40_esp], esp
        mov     eax, cs
        mov     [i40_cs], eax
        mov     eax, ss
        mov     [i40_ss], eax
        pushfd
        pop     dword [i40_flags]
        mov     esi, esp
        mov     edi, i40_frame
        mov     ecx, 5
        cld
        rep     movsd
        iretd

int41:
        pushfd
        pop     dword [i41_flags]
        iretd

int42:                                  ; 16-bit frame: IP CS FLAGS SP SS
        mov     [i42_esp], esp
        mov     eax, [esp]
        mov     [i42_frame], eax
        mov     eax, [esp + 4]
        mov     [i42_frame + 4], eax
        mov     ax, [esp + 8]
        mov     [i42_frame + 8], ax
        o16 iret

int47:
        mov     eax, cs
        mov     [i47_cs], eax
        iretd

int_bp:
        mov     eax, [esp]
        mov     [bp_eip], eax
        iretd

int_of:
        mov     eax, [esp]
        mov     [of_eip], eax
        inc     dword [of_count]
        iretd

gp_probe:                               ; one #GP from ring 3: record, skip the insn
        mov     [gp_esp], esp
        pushad
        lea     esi, [esp + 32]
        mov     edi, gp_frame
        mov     ecx, 6
        cld
        rep     movsd
        mov     edx, 13                 ; later #GPs go to the common handler
        mov     eax, exc_stub_13
        mov     cl, ACC_INT32
        call    set_idt
        popad
        add     esp, 4                  ; error code
        inc     dword [esp]             ; past the 1-byte CLI
        iretd

        align   4
small_idtr: dw 0x48 * 8 - 1
        dd IDT_BASE
i40_esp: dd 0
i40_cs: dd 0
i40_ss: dd 0
i40_flags: dd 0xFFFFFFFF
i40_frame: times 5 dd 0
i41_flags: dd 0
i42_esp: dd 0
i42_frame: times 3 dd 0
i47_cs: dd 0
r3_esp40: dd 0
r3_flags40: dd 0
r3_esp42: dd 0
r3_esp_gp: dd 0
bp_eip: dd 0
of_eip: dd 0
of_count: dd 0
gp_esp: dd 0
gp_frame: times 6 dd 0xFFFFFFFF
e43: dd 0, 0
e44: dd 0, 0
e45: dd 0, 0
e46: dd 0, 0
e_icebp: dd 0
