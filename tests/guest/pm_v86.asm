; pm_v86.asm -- virtual-8086 mode: entry by IRET with VM from ring 0,
; real-mode style segments, far CALL/RETF/JMP, IRET at IOPL 3, INT n to a
; ring-0 handler (GS FS DS ES SS ESP EFLAGS CS EIP pushed, DS..GS null in
; the handler, VM clear) and IRET back; at IOPL 0: INT n and IRET raise
; #GP(0) for the monitor, INT3 is not IOPL-sensitive; a gate to a ring-1
; handler is #GP(sel); HLT leaves v86 mode through the monitor.
%include "pm_lib.inc"

%define V86_SS       0x5000
%define V86_SP       0xFFF0
%define VM           0x20000
%define IOPL3        0x3000
%define IF           0x200

test_main:
        mov     edx, 13
        mov     eax, v86_monitor
        mov     cl, ACC_INT32
        call    set_idt
        mov     edx, 0x40
        mov     eax, int40
        mov     cl, ACC_INT32 | DPL3
        call    set_idt
        mov     edx, 0x42
        mov     eax, v86_exit
        mov     cl, ACC_INT32 | DPL3
        call    set_idt
        mov     edx, 3
        mov     eax, int3_handler
        mov     cl, ACC_INT32 | DPL3
        call    set_idt
        mov     edx, 0x43
        mov     eax, 0
        mov     cl, ACC_INT32 | DPL3
        call    set_idt
        mov     word [IDT_BASE + 0x43 * 8 + 2], SEL_CODE1

        ; ---- run 1: IOPL 3 ----
        mov     eax, VM | IOPL3 | IF | 2
        mov     ebx, v86_one
        call    run_v86
        CHECKV  [v_cs], 0, "v86: CS from the IRET frame"
        CHECKV  [v_ss], V86_SS, "v86: SS from the IRET frame"
        movzx   eax, word [0x30010]
        CHECKV  eax, 0xBEEF, "v86: ES=3000 addresses linear 30010"
        CHECKV  [v_far], 3, "v86: far call, retf and far jmp"
        CHECKV  [i40_esp], STACK0_TSS - 36, "int from v86: 9 dwords on the ring-0 stack"
        CHECKV  [i40_frame], v86_one.after40, "int from v86: EIP"
        CHECKV  [i40_frame + 4], 0, "int from v86: CS"
        mov     eax, [i40_frame + 8]
        and     eax, VM | IOPL3
        CHECKV  eax, VM | IOPL3, "int from v86: pushed EFLAGS has VM"
        CHECKV  [i40_frame + 12], V86_SP, "int from v86: ESP"
        CHECKV  [i40_frame + 16], V86_SS, "int from v86: SS"
        CHECKV  [i40_frame + 20], 0x1000, "int from v86: ES"
        CHECKV  [i40_frame + 24], 0, "int from v86: DS"
        CHECKV  [i40_frame + 28], 0x1234, "int from v86: FS"
        CHECKV  [i40_frame + 32], 0x5678, "int from v86: GS"
        CHECKV  [i40_segs], 0, "int from v86: DS null in the handler"
        CHECKV  [i40_segs + 4], 0, "int from v86: ES null in the handler"
        CHECKV  [i40_segs + 8], 0, "int from v86: FS null in the handler"
        CHECKV  [i40_segs + 12], 0, "int from v86: GS null in the handler"
        mov     eax, [i40_flags]
        and     eax, VM | IF
        CHECKV  eax, 0, "int from v86: VM and IF clear in the handler"
        CHECKV  [i40_cs], SEL_CODE0, "int from v86: handler at ring 0"
        CHECKV  [v_fs_after], 0x1234, "iret back to v86 restores FS"
        CHECKV  [v_gs_after], 0x5678, "iret back to v86 restores GS"
        CHECKV  [v_iret_ok], 1, "iret inside v86 at IOPL 3"
        CHECKV  [bp_count], 1, "int3 in v86 reaches its DPL 3 gate"
        CHECKV  [gp_count], 1, "v86 run 1: one #GP"
        CHECKV  [gp_log], SEL_CODE1 & ~3, "int from v86 to a ring-1 handler: #GP(sel)"
        CHECKV  [gp_op], 0xCD, "... raised by INT"

        ; ---- run 2: IOPL 0 ----
        mov     dword [gp_count], 0
        mov     eax, VM | 2
        mov     ebx, v86_two
        call    run_v86
        CHECKV  [gp_count], 3, "v86 run 2: three #GPs"
        CHECKV  [gp_log], 0, "int n at IOPL 0: #GP(0)"
        CHECKV  [gp_op], 0xCD, "... raised by INT"
        CHECKV  [gp_log + 4], 0, "iret at IOPL 0: #GP(0)"
        CHECKV  [gp_op + 4], 0xCF, "... raised by IRET"
        CHECKV  [gp_op + 8], 0xF4, "hlt in v86: #GP to the monitor"
        CHECKV  [gp_esp], STACK0_TSS - 40, "#GP from v86: error code + 9 dwords"
        CHECKV  [bp_count], 2, "int3 at IOPL 0 is not IOPL-sensitive"
        mov     eax, [bp_flags]
        and     eax, VM
        CHECKV  eax, VM, "int3 from v86: pushed EFLAGS has VM"

        FINISH32

; run_v86: IRET to v86 mode at 0000:EBX with EFLAGS EAX, SS:SP V86_SS:V86_SP,
; DS=ES=FS=GS=0.  Returns when the v86 code leaves (INT 42h or HLT).
run_v86:
        pushad
        mov     [v86_saved_esp], esp
        push    dword 0                 ; GS
        push    dword 0                 ; FS
        push    dword 0                 ; DS
        push    dword 0                 ; ES
        push    dword V86_SS
        push    dword V86_SP
        push    eax
        push    dword 0                 ; CS
        push    ebx                     ; EIP
        iretd
leave_v86:
        mov     ax, SEL_DATA0
        mov     ds, ax
        mov     es, ax
        mov     fs, ax
        mov     gs, ax
        mov     esp, [v86_saved_esp]
        popad
        ret

v86_exit:                               ; INT 42h from v86
        jmp     leave_v86

; the v86 monitor: logs the error code and opcode of each #GP, skips the
; instruction; HLT leaves v86 mode
v86_monitor:
        mov     [ss:gp_esp], esp
        push    eax
        push    ebx
        push    ecx
        mov     ax, SEL_DATA0
        mov     ds, ax
        mov     ecx, [gp_count]
        mov     eax, [esp + 12]
        mov     [gp_log + ecx * 4], eax
        movzx   eax, word [esp + 20]    ; CS
        shl     eax, 4
        add     eax, [esp + 16]         ; + EIP
        movzx   ebx, byte [eax]
        mov     [gp_op + ecx * 4], ebx
        inc     dword [gp_count]
        cmp     bl, 0xF4
        je      leave_v86
        mov     eax, 1                  ; IRET, CLI: one byte
        cmp     bl, 0xCD
        jne     .skip
        mov     eax, 2                  ; INT n
.skip:  add     [esp + 16], eax
        pop     ecx
        pop     ebx
        pop     eax
        add     esp, 4
        iretd

int40:
        mov     [ss:i40_esp], esp
        push    eax
        mov     eax, ds
        mov     [ss:i40_segs], eax
        mov     eax, es
        mov     [ss:i40_segs + 4], eax
        mov     eax, fs
        mov     [ss:i40_segs + 8], eax
        mov     eax, gs
        mov     [ss:i40_segs + 12], eax
        mov     eax, cs
        mov     [ss:i40_cs], eax
        pushfd
        pop     dword [ss:i40_flags]
        push    esi
        push    edi
        push    ecx
        mov     ax, SEL_DATA0
        mov     ds, ax
        mov     es, ax
        lea     esi, [esp + 16]
        mov     edi, i40_frame
        mov     ecx, 9
        cld
        rep     movsd
        pop     ecx
        pop     edi
        pop     esi
        pop     eax
        iretd

int3_handler:
        push    eax
        mov     eax, [esp + 12]
        mov     [ss:bp_flags], eax
        inc     dword [ss:bp_count]
        pop     eax
        iretd

        bits    16
v86_one:
        mov     ax, cs
        mov     [v_cs], ax
        mov     ax, ss
        mov     [v_ss], ax
        mov     ax, 0x3000
        mov     es, ax
        mov     word [es:0x10], 0xBEEF
        mov     ax, 0x1000
        mov     es, ax
        mov     ax, 0x1234
        mov     fs, ax
        mov     ax, 0x5678
        mov     gs, ax
        call    0:v86_sub
        jmp     0:.jmped
        hlt
.jmped: inc     byte [v_far]
        int     0x40
.after40:
        mov     ax, fs
        mov     [v_fs_after], ax
        mov     ax, gs
        mov     [v_gs_after], ax
        pushf
        push    cs
        push    word .after_iret
        iret
        hlt
.after_iret:
        mov     byte [v_iret_ok], 1
        int3
        int     0x43                    ; ring-1 handler: #GP(sel), skipped
        int     0x42

v86_sub:
        add     byte [v_far], 2
        retf

v86_two:
        int     0x40                    ; #GP(0), skipped
        iret                            ; #GP(0), skipped
        int3
        hlt                             ; leaves
        bits    32

        align   4
v86_saved_esp: dd 0
v_cs: dd 0xFFFF
v_ss: dd 0
v_far: dd 0
v_fs_after: dd 0
v_gs_after: dd 0
v_iret_ok: dd 0
i40_esp: dd 0
i40_cs: dd 0
i40_flags: dd 0xFFFFFFFF
i40_segs: times 4 dd 0xFFFF
i40_frame: times 9 dd 0
bp_count: dd 0
bp_flags: dd 0
gp_count: dd 0
gp_esp: dd 0
gp_log: times 4 dd 0xFFFFFFFF
gp_op: times 4 dd 0
