; pm_task.asm -- hardware task switches: CALL to a TSS, INT through a task
; gate, JMP through a task gate and back, an exception through a task gate
; (error code on the new task's stack), IRET with NT back to the caller,
; busy bits, NT and the back link, CR0.TS, a 16-bit TSS, and the faults:
; busy TSS (#GP), IRET to a non-busy TSS (#TS), TSS limit too small (#TS),
; not present (#NP), a bad CS in the new task (#TS in the new task).
%include "pm_lib.inc"

%define SEL_TSSB     0x48
%define SEL_GATEB    0x50           ; task gate -> TSS B
%define SEL_TSSC     0x58
%define SEL_TSSD     0x60           ; limit too small
%define SEL_TSSE     0x68           ; CS is a data segment
%define SEL_TSSF     0x70           ; 16-bit TSS
%define SEL_TSSG     0x78           ; not present
%define SEL_TSSH     0x80           ; a virtual-8086 task
%define TSSB         TSS_AREA
%define TSSC         TSS_AREA + 0x100
%define TSSD         TSS_AREA + 0x200
%define TSSE         TSS_AREA + 0x300
%define TSSF         TSS_AREA + 0x400
%define TSSH         TSS_AREA + 0x500

; GDT type byte (access byte) of a selector
%macro ACCBYTE 2                    ; dest reg, selector
        movzx   %1, byte [gdt + (%2 & ~7) + 5]
%endmacro

test_main:
        mov     edi, TSSB
        mov     eax, task_b
        mov     ebx, 0x16000
        call    mktss32
        mov     edi, TSSC
        mov     eax, task_c
        mov     ebx, 0x15000
        call    mktss32
        mov     edi, TSSE
        mov     eax, task_b
        mov     ebx, 0x17000
        call    mktss32
        mov     dword [TSSE + 0x4C], SEL_DATA0      ; CS: a data segment
        DESC    SEL_TSSB, TSSB, 0x67, ACC_TSS32, 0
        DESC    SEL_TSSC, TSSC, 0x67, ACC_TSS32, 0
        DESC    SEL_TSSD, TSSD, 0x50, ACC_TSS32, 0
        DESC    SEL_TSSE, TSSE, 0x67, ACC_TSS32, 0
        DESC    SEL_TSSF, TSSF, 0x2B, ACC_TSS16, 0
        DESC    SEL_TSSG, TSSB, 0x67, ACC_TSS32 ^ NOTPRESENT, 0
        mov     edi, SEL_GATEB
        xor     eax, eax
        mov     bx, SEL_TSSB
        mov     cl, ACC_TASK
        mov     ch, 0
        call    set_gdt_gate
        lea     edi, [IDT_BASE + 0x40 * 8]
        call    mkgate                              ; INT 0x40 -> task B
        ; 16-bit TSS F
        mov     word [TSSF + 0x0E], task_f          ; IP
        mov     word [TSSF + 0x10], 2               ; FLAGS
        mov     word [TSSF + 0x1A], 0xE000          ; SP
        mov     word [TSSF + 0x22], SEL_DATA0       ; ES
        mov     word [TSSF + 0x24], SEL_CODE0       ; CS
        mov     word [TSSF + 0x26], SEL_DATA0       ; SS
        mov     word [TSSF + 0x28], SEL_DATA0       ; DS
        mov     word [TSSF + 0x2A], 0               ; LDT

        ; ---- 1. CALL to a TSS, IRET back ----
        clts
        mov     ebx, 0x1234
        mov     dword [b_mode], 0
        call    SEL_TSSB:0
        CHECKV  ebx, 0x1234, "call tss: the caller's registers come back"
        CHECKV  [b_link], SEL_TSS, "call tss: back link = caller"
        mov     eax, [b_flags]
        and     eax, 0x4000
        CHECKV  eax, 0x4000, "call tss: NT set in the new task"
        CHECKV  [b_tr], SEL_TSSB, "call tss: TR = new TSS"
        CHECKV  [b_busy_a], 0x8B, "call tss: caller's TSS stays busy"
        CHECKV  [b_busy_b], 0x8B, "call tss: new TSS busy"
        CHECKV  [b_cs], SEL_CODE0, "call tss: CS from the TSS"
        CHECKV  [b_esp], 0x16000, "call tss: ESP from the TSS"
        str     eax
        CHECKV  eax, SEL_TSS, "iret with NT: TR back to the caller"
        ACCBYTE eax, SEL_TSSB
        CHECKV  eax, 0x89, "iret with NT: the returning task is not busy"
        ACCBYTE eax, SEL_TSS
        CHECKV  eax, 0x8B, "iret with NT: the caller is busy"
        pushfd
        pop     eax
        and     eax, 0x4000
        CHECKV  eax, 0, "iret with NT: caller's NT clear"
        mov     eax, cr0
        and     eax, 8
        CHECKV  eax, 8, "task switch sets CR0.TS"
        CHECKV  [TSSB + 0x20], task_b.after_iret, "the old task's EIP saved in its TSS"

        ; ---- 2. INT through a task gate ----
        mov     dword [b_link], 0
        int     0x40
        CHECKV  [b_link], SEL_TSS, "int task gate: back link"
        CHECKV  [b_count], 2, "int task gate: task B ran again"
        CHECKV  [b_esp], 0x16000, "int task gate: B resumed with its saved ESP"

        ; ---- 3. JMP through a task gate and back by JMP ----
        mov     dword [TSSB], 0
        mov     dword [b_mode], 1
        jmp     SEL_GATEB:0
        CHECKV  [b_count], 3, "jmp task gate: task B ran"
        CHECKV  [TSSB], 0, "jmp task gate: no back link"
        mov     eax, [b_flags]
        and     eax, 0x4000
        CHECKV  eax, 0, "jmp task gate: NT clear"
        CHECKV  [b_busy_a], 0x89, "jmp: the old task is no longer busy"
        ACCBYTE eax, SEL_TSSB
        CHECKV  eax, 0x89, "jmp back: B no longer busy"
        ACCBYTE eax, SEL_TSS
        CHECKV  eax, 0x8B, "jmp back: boot task busy again"

        ; ---- 4. an exception through a task gate ----
        mov     word [IDT_BASE + 13 * 8 + 2], SEL_TSSC
        mov     word [IDT_BASE + 13 * 8 + 4], ACC_TASK << 8
        mov     ax, 0x0FF8
        mov     ds, ax                  ; #GP(0FF8) -> task C
.after_gp:
        mov     edx, 13
        mov     eax, exc_stub_13
        mov     cl, ACC_INT32
        call    set_idt
        CHECKV  [c_err], 0x0FF8, "#GP through a task gate: error code on the new stack"
        CHECKV  [c_esp], 0x15000 - 4, "#GP through a task gate: only the error code pushed"
        CHECKV  [c_link], SEL_TSS, "#GP through a task gate: back link"
        CHECKV  [c_eip], gp_fault_eip, "#GP through a task gate: saved EIP = faulting insn"

        ; ---- 5. faults ----
        TRY     .f1
        call    SEL_TSS:0
.f1:    EXPECT  13, SEL_TSS, "call to the busy current TSS: #GP(sel)"
        TRY     .f2
        jmp     SEL_TSS:0
.f2:    EXPECT  13, SEL_TSS, "jmp to a busy TSS: #GP(sel)"
        mov     word [TSS_MAIN], SEL_TSSB
        TRY     .f3
        pushfd
        or      dword [esp], 0x4000
        popfd
        iretd
.f3:    pushfd
        and     dword [esp], ~0x4000
        popfd
        EXPECT  10, SEL_TSSB, "iret with NT to a non-busy TSS: #TS(sel)"
        TRY     .f4
        call    SEL_TSSD:0
.f4:    EXPECT  10, SEL_TSSD, "TSS limit below 0x67: #TS(sel)"
        TRY     .f5
        call    SEL_TSSG:0
.f5:    EXPECT  11, SEL_TSSG, "not-present TSS: #NP(sel)"
        str     eax
        CHECKV  eax, SEL_TSS, "faults before the commit leave TR"

        ; ---- 6. a fault after the commit: #TS in the new task ----
        mov     edx, 10
        mov     eax, ts_fix
        mov     cl, ACC_INT32
        call    set_idt
        mov     dword [fix_vec], 0
        call    SEL_TSSE:0
        CHECKV  [fix_err], SEL_DATA0, "new task's CS is data: #TS(CS sel)"
        CHECKV  [fix_tr], SEL_TSSE, "... raised in the new task"
        CHECKV  [fix_eip], task_b, "... at the new task's first instruction"
        str     eax
        CHECKV  eax, SEL_TSS, "... and IRET returns to the caller"

        ; ---- 7. a 16-bit TSS ----
        mov     ebx, 0x12345678
        call    SEL_TSSF:0
        CHECKV  ebx, 0x12345678, "16-bit TSS: caller's registers back"
        CHECKV  [f_link], SEL_TSS, "16-bit TSS: back link"
        CHECKV  [f_sp], 0xE000, "16-bit TSS: SP loaded"
        mov     eax, [f_flags]
        and     eax, 0x4000
        CHECKV  eax, 0x4000, "16-bit TSS: NT set"
        ACCBYTE eax, SEL_TSSF
        CHECKV  eax, 0x81, "16-bit TSS: not busy after the return"
        movzx   eax, word [TSSF + 0x0E]
        CHECKV  eax, task_f.after_iret, "16-bit TSS: IP saved"

        ; ---- 8. a virtual-8086 task (VM in the TSS's EFLAGS) ----
        mov     edi, TSSH
        mov     eax, v86_task
        mov     ebx, 0x100
        call    mktss32
        mov     dword [TSSH + 4], 0x19000           ; ESP0
        mov     dword [TSSH + 8], SEL_DATA0         ; SS0
        mov     dword [TSSH + 0x24], 0x23002        ; VM, IOPL 3
        mov     dword [TSSH + 0x48], 0x1111         ; ES
        mov     dword [TSSH + 0x4C], 0              ; CS
        mov     dword [TSSH + 0x50], 0x6000         ; SS
        mov     dword [TSSH + 0x54], 0              ; DS
        mov     dword [TSSH + 0x58], 0x2222         ; FS
        mov     dword [TSSH + 0x5C], 0x3333         ; GS
        DESC    SEL_TSSH, TSSH, 0x67, ACC_TSS32, 0
        mov     edx, 0x42
        mov     eax, h42
        mov     cl, ACC_INT32 | DPL3
        call    set_idt
        call    SEL_TSSH:0
        CHECKV  [h_cs], 0, "v86 task: CS = 0 from the TSS"
        CHECKV  [h_esp], 0x19000 - 36, "v86 task: INT uses the new TSS's ESP0"
        CHECKV  [h_frame], v86_task.after_int, "v86 task: pushed EIP"
        mov     eax, [h_frame + 8]
        and     eax, 0x24000
        CHECKV  eax, 0x24000, "v86 task: pushed EFLAGS has VM and NT"
        CHECKV  [h_frame + 12], 0x100, "v86 task: pushed ESP"
        CHECKV  [h_frame + 16], 0x6000, "v86 task: pushed SS"
        CHECKV  [h_frame + 20], 0x1111, "v86 task: pushed ES"
        CHECKV  [h_frame + 28], 0x2222, "v86 task: pushed FS"
        CHECKV  [h_frame + 32], 0x3333, "v86 task: pushed GS"
        str     eax
        CHECKV  eax, SEL_TSS, "v86 task: IRET with NT from its handler returns"
        ACCBYTE eax, SEL_TSSH
        CHECKV  eax, 0x89, "v86 task: not busy after the return"

        FINISH32

; the v86 task's INT 42h handler (ring 0, in that task): records the frame,
; then IRET with NT set returns to the task that called it
h42:
        mov     [ss:h_esp], esp
        mov     ax, SEL_DATA0
        mov     ds, ax
        mov     es, ax
        mov     esi, esp
        mov     edi, h_frame
        mov     ecx, 9
        cld
        rep     movsd
        pushfd
        or      dword [esp], 0x4000
        popfd
        iretd

        bits    16
v86_task:
        mov     ax, cs
        mov     [h_cs], ax
        int     0x42
.after_int:
        jmp     v86_task
        bits    32

gp_fault_eip equ test_main.after_gp - 2

; mktss32: zeroed 32-bit TSS at EDI: EIP EAX, ESP EBX, flat ring-0 segments
mktss32:
        pushad
        push    eax
        push    edi
        mov     ecx, 0x68 / 4
        xor     eax, eax
        cld
        rep     stosd
        pop     edi
        pop     eax
        mov     [edi + 0x20], eax
        mov     dword [edi + 0x24], 2
        mov     [edi + 0x38], ebx
        mov     dword [edi + 0x48], SEL_DATA0
        mov     dword [edi + 0x4C], SEL_CODE0
        mov     dword [edi + 0x50], SEL_DATA0
        mov     dword [edi + 0x54], SEL_DATA0
        mov     dword [edi + 0x58], SEL_DATA0
        mov     dword [edi + 0x5C], SEL_DATA0
        mov     eax, cr3
        mov     [edi + 0x1C], eax
        mov     word [edi + 0x66], 0x68
        popad
        ret

; task B: records what it sees, then returns by IRET (mode 0) or JMP (1)
task_b:
        inc     dword [b_count]
        mov     ebx, 0xBBBB
        mov     [b_esp], esp
        movzx   eax, word [TSSB]
        mov     [b_link], eax
        pushfd
        pop     dword [b_flags]
        str     eax
        mov     [b_tr], eax
        mov     eax, cs
        mov     [b_cs], eax
        ACCBYTE eax, SEL_TSS
        mov     [b_busy_a], eax
        ACCBYTE eax, SEL_TSSB
        mov     [b_busy_b], eax
        cmp     dword [b_mode], 1
        je      .by_jmp
        iretd
.after_iret:
        jmp     task_b
.by_jmp:
        jmp     SEL_TSS:0
        jmp     task_b

; task C: the #GP handler task
task_c:
        pop     eax
        mov     [c_err], eax
        lea     eax, [esp - 4]          ; ESP at entry, before the pop
        mov     [c_esp], eax
        movzx   eax, word [TSSC]
        mov     [c_link], eax
        mov     eax, [TSS_MAIN + 0x20]
        mov     [c_eip], eax
        mov     dword [TSS_MAIN + 0x20], test_main.after_gp
        iretd
        jmp     task_c

; #TS handler for the fault after the commit: back into code, then IRET
; (NT is set in the new task) returns to the caller's task
ts_fix:
        pop     dword [fix_err]
        mov     eax, [esp]
        mov     [fix_eip], eax
        str     eax
        mov     [fix_tr], eax
        mov     dword [esp], .in_task
        mov     dword [esp + 4], SEL_CODE0
        iretd
.in_task:
        mov     edx, 10
        mov     eax, exc_stub_10
        mov     cl, ACC_INT32
        call    set_idt
        iretd

; task F (16-bit TSS, 32-bit code)
task_f:
        movzx   eax, word [TSSF]
        mov     [f_link], eax
        movzx   eax, sp
        mov     [f_sp], eax
        pushfd
        pop     dword [f_flags]
        mov     ebx, 0xFFFF
        iretd
.after_iret:
        jmp     task_f

        align   4
b_mode: dd 0
b_count: dd 0
b_link: dd 0
b_flags: dd 0
b_tr: dd 0
b_cs: dd 0
b_esp: dd 0
b_busy_a: dd 0
b_busy_b: dd 0
c_err: dd 0
c_esp: dd 0
c_link: dd 0
c_eip: dd 0
fix_vec: dd 0
fix_err: dd 0
fix_eip: dd 0
fix_tr: dd 0
f_link: dd 0
f_sp: dd 0
f_flags: dd 0
h_cs: dd 0xFFFF
h_esp: dd 0
h_frame: times 9 dd 0
