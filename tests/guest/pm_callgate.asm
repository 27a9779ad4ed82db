; pm_callgate.asm -- privilege changes through call gates: ring 0 -> 3 by
; RETF (data segments the new ring may not use become null), ring 3 -> 0
; through 32 and 16-bit call gates with parameters copied to the inner
; stack from the TSS, back by RETF imm16; ring 3 -> 1; conforming code
; without a privilege change; and the faults: gate DPL, not-present gate
; or code, null target, JMP to an inner ring, bad inner stacks (#TS, #SS).
%include "pm_lib.inc"

%define SEL_GATE32   0x4B           ; 32-bit call gate, DPL 3, 3 params -> ring 0
%define SEL_GATE16   0x53           ; 16-bit call gate, DPL 3, 2 params -> ring 0
%define SEL_GATE1    0x5B           ; 32-bit call gate, DPL 3 -> ring 1
%define SEL_CONF0    0x60           ; conforming readable code, DPL 0
%define SEL_GATE0    0x68           ; call gate with DPL 0
%define SEL_GATENP   0x73           ; not-present call gate, DPL 3
%define SEL_CODENP   0x78           ; not-present code, DPL 0
%define SEL_GATE2NP  0x83           ; gate DPL 3 -> SEL_CODENP
%define SEL_GATENUL  0x8B           ; gate DPL 3 -> null selector
%define SEL_CODE2    0x90           ; ring-2 code
%define SEL_GATE2    0x9B           ; gate DPL 3 -> ring 2
%define SEL_DATA2NP  0xA2           ; ring-2 data, not present
%define SEL_GATECF   0xAB           ; gate DPL 3 -> conforming DPL 0 code
%define STACK16      0xF000         ; ring-3 stack below 64 KiB for the 16-bit gate

%macro GATE 5                       ; selector, target sel, offset, access, params
        mov     edi, %1
        mov     bx, %2
        mov     eax, %3
        mov     cl, %4
        mov     ch, %5
        call    set_gdt_gate
%endmacro

test_main:
        GATE    SEL_GATE32, SEL_CODE0, gate32_handler, ACC_CALL32 | DPL3, 3
        GATE    SEL_GATE16, SEL_CODE0, gate16_handler, ACC_CALL16 | DPL3, 2
        GATE    SEL_GATE1, SEL_CODE1, gate1_handler, ACC_CALL32 | DPL3, 0
        GATE    SEL_GATE0, SEL_CODE0, gate32_handler, ACC_CALL32, 0
        GATE    SEL_GATENP, SEL_CODE0, gate32_handler, (ACC_CALL32 | DPL3) ^ NOTPRESENT, 0
        GATE    SEL_GATE2NP, SEL_CODENP, 0, ACC_CALL32 | DPL3, 0
        GATE    SEL_GATENUL, 0, 0, ACC_CALL32 | DPL3, 0
        GATE    SEL_GATE2, SEL_CODE2, 0, ACC_CALL32 | DPL3, 0
        GATE    SEL_GATECF, SEL_CONF0, conf_handler, ACC_CALL32 | DPL3, 0
        DESC    SEL_CONF0, 0, 0xFFFFF, 0x9E, 0xC
        DESC    SEL_CODENP, 0, 0xFFFFF, ACC_CODE ^ NOTPRESENT, 0xC
        DESC    SEL_CODE2, 0, 0xFFFFF, ACC_CODE | 0x40, 0xC
        DESC    SEL_DATA2NP, 0, 0xFFFFF, (ACC_DATA | 0x40) ^ NOTPRESENT, 0xC

        ; ring 0 -> 3 with RETF; DS (DPL 0) must become null, FS (DPL 3)
        ; and GS (conforming code) stay
        mov     ax, SEL_DATA3
        mov     fs, ax
        mov     ax, SEL_CONF0
        mov     gs, ax
        mov     eax, ring3_main
        call    run_ring3

        CHECKV  [r3_cs], SEL_CODE3, "retf to ring 3: CS"
        CHECKV  [r3_ss], SEL_DATA3, "retf to ring 3: SS"
        CHECKV  [r3_ds], 0, "retf to ring 3: DS with DPL 0 nulled"
        CHECKV  [r3_es], 0, "retf to ring 3: ES with DPL 0 nulled"
        CHECKV  [r3_fs], SEL_DATA3, "retf to ring 3: FS with DPL 3 kept"
        CHECKV  [r3_gs], SEL_CONF0, "retf to ring 3: GS conforming code kept"

        ; 32-bit gate, 3 dword parameters
        CHECKV  [g32_cs], SEL_CODE0, "32-bit gate: CS at ring 0"
        CHECKV  [g32_ss], SEL_DATA0, "32-bit gate: SS from TSS.SS0"
        CHECKV  [g32_esp], STACK0_TSS - 28, "32-bit gate: ESP from TSS.ESP0 - 28"
        CHECKV  [g32_frame], ring3_main.ret32, "32-bit gate frame: EIP"
        CHECKV  [g32_frame + 4], SEL_CODE3, "32-bit gate frame: CS"
        CHECKV  [g32_frame + 8], 0x33333333, "32-bit gate frame: parameter 3"
        CHECKV  [g32_frame + 12], 0x22222222, "32-bit gate frame: parameter 2"
        CHECKV  [g32_frame + 16], 0x11111111, "32-bit gate frame: parameter 1"
        mov     eax, [r3_esp_call]
        sub     eax, 12
        CHECKV  [g32_frame + 20], eax, "32-bit gate frame: caller ESP"
        CHECKV  [g32_frame + 24], SEL_DATA3, "32-bit gate frame: caller SS"
        mov     eax, [r3_esp_call]
        CHECKV  [r3_esp_back], eax, "retf 12 to ring 3: ESP past the parameters"
        CHECKV  [r3_cs_back], SEL_CODE3, "retf 12 to ring 3: CS"
        CHECKV  [r3_es_back], 0, "retf to ring 3: ES loaded with DPL 0 at ring 0 nulled"
        CHECKV  [r3_fs_back], SEL_DATA3, "retf to ring 3: FS kept"

        ; 16-bit gate, 2 word parameters
        CHECKV  [g16_esp], STACK0_TSS - 12, "16-bit gate: ESP from TSS.ESP0 - 12"
        CHECKV  [g16_frame], ((ring3_main.ret16 - $$ + 0x7C00) & 0xFFFF) | (SEL_CODE3 << 16), "16-bit gate frame: IP, CS"
        CHECKV  [g16_frame + 4], 0xAAAABBBB, "16-bit gate frame: parameters"
        CHECKV  [g16_frame + 8], (STACK16 - 4) | (SEL_DATA3 << 16), "16-bit gate frame: SP, SS"
        CHECKV  [r3_esp16_back], STACK16, "o16 retf 4 to ring 3: SP"

        ; ring 3 -> 1
        CHECKV  [g1_cs], SEL_CODE1, "gate to ring 1: CS"
        CHECKV  [g1_ss], SEL_DATA1, "gate to ring 1: SS from TSS.SS1"
        CHECKV  [g1_esp], STACK1_TSS - 16, "gate to ring 1: ESP from TSS.ESP1 - 16"

        ; conforming code: no privilege change
        CHECKV  [cf_cs], SEL_CONF0 | 3, "call conforming DPL 0 code from ring 3: CS.RPL = 3"
        CHECKV  [cf_esp], [r3_esp_cf], "call conforming: same stack"
        CHECKV  [cfg_cs], SEL_CONF0 | 3, "gate to conforming code: CPL stays 3"

        ; faults at ring 3
        CHECKV  [e_gate0], 13, "call gate with DPL 0 from ring 3: #GP"
        CHECKV  [e_gate0 + 4], SEL_GATE0, "... error code = gate selector"
        CHECKV  [e_gatenp], 11, "not-present gate: #NP"
        CHECKV  [e_gatenp + 4], SEL_GATENP & ~3, "... error code = gate selector"
        CHECKV  [e_codenp], 11, "gate to not-present code: #NP"
        CHECKV  [e_codenp + 4], SEL_CODENP, "... error code = code selector"
        CHECKV  [e_null], 13, "gate to a null selector: #GP"
        CHECKV  [e_null + 4], 0, "... error code 0"
        CHECKV  [e_jmp], 13, "jmp through a gate to ring 0: #GP"
        CHECKV  [e_jmp + 4], SEL_CODE0, "... error code = code selector"
        CHECKV  [e_ts0], 10, "inner stack: null TSS.SS2: #TS"
        CHECKV  [e_ts0 + 4], 0, "... error code 0"
        CHECKV  [e_ts1], 10, "inner stack: TSS.SS2 with DPL 0: #TS"
        CHECKV  [e_ts1 + 4], SEL_DATA0, "... error code = SS selector"
        CHECKV  [e_ssnp], 12, "inner stack not present: #SS"
        CHECKV  [e_ssnp + 4], SEL_DATA2NP & ~3, "... error code = SS selector"
        CHECKV  [e_esp], [r3_esp_e], "ESP unchanged by the faulting calls"

        ; ring 0: JMP through a gate to the same ring works
        GATE    SEL_GATE0, SEL_CODE0, jmp_target, ACC_CALL32, 0
        jmp     SEL_GATE0:0
.back:  CHECKV  [jmp_ok], 1, "jmp through a call gate at the same ring"

        FINISH32

jmp_target:
        mov     dword [jmp_ok], 1
        jmp     test_main.back

; ---- ring 3 ----
ring3_main:
        mov     eax, cs
        mov     [ss:r3_cs], eax
        mov     eax, ss
        mov     [ss:r3_ss], eax
        mov     eax, ds
        mov     [ss:r3_ds], eax
        mov     eax, es
        mov     [ss:r3_es], eax
        mov     eax, fs
        mov     [ss:r3_fs], eax
        mov     eax, gs
        mov     [ss:r3_gs], eax
        mov     ax, SEL_DATA3
        mov     ds, ax
        mov     es, ax

        mov     [r3_esp_call], esp
        push    dword 0x11111111
        push    dword 0x22222222
        push    dword 0x33333333
        call    SEL_GATE32:0
.ret32: mov     [r3_esp_back], esp
        mov     eax, cs
        mov     [r3_cs_back], eax
        mov     eax, es
        mov     [r3_es_back], eax
        mov     eax, fs
        mov     [r3_fs_back], eax
        mov     ax, SEL_DATA3
        mov     es, ax

        mov     ebp, esp
        mov     esp, STACK16
        push    word 0xAAAA
        push    word 0xBBBB
        call    SEL_GATE16:0
.ret16: mov     [r3_esp16_back], esp
        mov     esp, ebp

        call    SEL_GATE1:0

        mov     [r3_esp_cf], esp
        call    SEL_CONF0:conf_handler
        mov     eax, [cf_tmp]
        mov     [cf_cs], eax
        mov     eax, [cf_tmp + 4]
        add     eax, 8
        mov     [cf_esp], eax
        call    SEL_GATECF:0
        mov     eax, [cf_tmp]
        mov     [cfg_cs], eax

        mov     [r3_esp_e], esp
        TRY     .e1
        call    SEL_GATE0:0
.e1:    R3REC   e_gate0
        TRY     .e2
        call    SEL_GATENP:0
.e2:    R3REC   e_gatenp
        TRY     .e3
        call    SEL_GATE2NP:0
.e3:    R3REC   e_codenp
        TRY     .e4
        call    SEL_GATENUL:0
.e4:    R3REC   e_null
        TRY     .e5
        jmp     SEL_GATE32:0
.e5:    R3REC   e_jmp
        TRY     .e6
        call    SEL_GATE2:0             ; TSS.SS2 = 0
.e6:    R3REC   e_ts0
        mov     dword [TSS_MAIN + 0x18], SEL_DATA0
        TRY     .e7
        call    SEL_GATE2:0
.e7:    R3REC   e_ts1
        mov     dword [TSS_MAIN + 0x18], SEL_DATA2NP
        TRY     .e8
        call    SEL_GATE2:0
.e8:    R3REC   e_ssnp
        mov     [e_esp], esp
        call    SEL_BACK:0

; ---- inner rings ----
gate32_handler:                         ; ring 0, 3 dword parameters
        mov     [g32_esp], esp
        mov     eax, cs
        mov     [g32_cs], eax
        mov     eax, ss
        mov     [g32_ss], eax
        mov     esi, esp
        mov     edi, g32_frame
        mov     ecx, 7
        cld
        rep     movsd
        mov     ax, SEL_DATA0           ; a ring-0 ES must not survive the return
        mov     es, ax
        retf    12

gate16_handler:                         ; ring 0, 16-bit frame, 2 word parameters
        mov     [g16_esp], esp
        mov     eax, [esp]
        mov     [g16_frame], eax
        mov     eax, [esp + 4]
        mov     [g16_frame + 4], eax
        mov     eax, [esp + 8]
        mov     [g16_frame + 8], eax
        o16 retf 4

gate1_handler:                          ; ring 1
        mov     [g1_esp], esp
        mov     eax, cs
        mov     [g1_cs], eax
        mov     eax, ss
        mov     [g1_ss], eax
        retf

conf_handler:                           ; conforming, runs at the caller's CPL
        mov     eax, cs
        mov     [cf_tmp], eax
        mov     [cf_tmp + 4], esp
        retf

        align   4
r3_cs: dd 0
r3_ss: dd 0
r3_ds: dd 1
r3_es: dd 1
r3_fs: dd 0
r3_gs: dd 0
r3_esp_call: dd 0
r3_esp_back: dd 0
r3_cs_back: dd 0
r3_es_back: dd 1
r3_fs_back: dd 0
r3_esp16_back: dd 0
r3_esp_cf: dd 0
r3_esp_e: dd 0
g32_esp: dd 0
g32_cs: dd 0
g32_ss: dd 0
g32_frame: times 7 dd 0
g16_esp: dd 0
g16_frame: times 3 dd 0
g1_esp: dd 0
g1_cs: dd 0
g1_ss: dd 0
cf_tmp: dd 0, 0
cf_cs: dd 0
cf_esp: dd 0
cfg_cs: dd 0
e_gate0: dd 0, 0
e_gatenp: dd 0, 0
e_codenp: dd 0, 0
e_null: dd 0, 1
e_jmp: dd 0, 0
e_ts0: dd 0, 1
e_ts1: dd 0, 0
e_ssnp: dd 0, 0
e_esp: dd 0
jmp_ok: dd 0
