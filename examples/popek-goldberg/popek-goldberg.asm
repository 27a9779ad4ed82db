; popek-goldberg.asm -- a tiny kernel that checks, at CPL 0, each of the
; sensitive but unprivileged x86 instructions of Robin and Irvine (USENIX
; Security 2000): does it behave as it does on a real CPU in ring 0?  On
; real hardware (x86lab's interpreter, its translator, KVM) every one does.
; Under --engine=trap-and-emulate, a naive monitor that runs this kernel in
; ring 3, none does: they are sensitive, yet they do not trap, so the
; monitor never gets the chance to emulate them.  README.md explains.
;
; A Multiboot kernel (flat binary, the a.out kludge): x86lab -kernel.
; Output on port 0xE9 and the screen; the exit status is 2 * broken + 1.

MB_MAGIC  equ   0x1BADB002
MB_FLAGS  equ   0x00010000              ; bit 16: the addresses below are valid

KCODE     equ   0x08                    ; the GDT (see gdt: below)
KDATA     equ   0x10
UCODE     equ   0x18                    ; ring-3 code and data (DPL 3)
UDATA     equ   0x20
TSS_SEL   equ   0x28
LDT_SEL   equ   0x30
CONFORM   equ   0x38                    ; conforming code, DPL 0

KSTACK    equ   0x80000                 ; tops of the stacks
ISTACK    equ   0x7F000                 ; ring-0 stack of INT from ring 3 (TSS.ESP0)
USTACK    equ   0x7E000                 ; ring-3 stack

        org     0x100000
%ifdef MAPFILE
[map symbols MAPFILE]
%endif
        bits    32

mb_header:
        dd      MB_MAGIC, MB_FLAGS, -(MB_MAGIC + MB_FLAGS)
        dd      mb_header, mb_header, 0, 0, start

start:
        cli
        lgdt    [gdt_desc]
        jmp     KCODE:.flat
.flat:  mov     ax, KDATA
        mov     ds, ax
        mov     es, ax
        mov     fs, ax
        mov     gs, ax
        mov     ss, ax
        mov     esp, KSTACK
        call    idt_init
        lidt    [idt_desc]
        mov     ax, TSS_SEL
        ltr     ax
        mov     ax, LDT_SEL
        lldt    ax
        call    pic_init
        call    scr_init
        mov     esi, msg_title
        call    puts32

        mov     ebx, tests
.next:  cmp     dword [ebx], 0
        je      .done
        call    run_test
        add     ebx, 12
        jmp     .next
.done:  mov     esi, msg_sum1
        call    puts32
        mov     eax, [passed]
        call    dec32
        mov     esi, msg_sum2
        call    puts32
        mov     eax, [broken]
        call    dec32
        mov     esi, msg_sum3
        call    puts32
        mov     eax, [broken]
        out     0xF4, al                ; exit status 2 * broken + 1
        hlt

; run_test: EBX -> { name, function, why }.  The function leaves what it
; saw in [observed] and what ring 0 gives in [expected].
run_test:
        mov     dword [observed], 0xFFFFFFFF
        mov     dword [expected], 0
        mov     esi, [ebx]
        call    puts32
        call    [ebx + 4]
        mov     eax, [observed]
        cmp     eax, [expected]
        jne     .broken
        inc     dword [passed]
        mov     esi, msg_ok
        jmp     puts32
.broken:
        inc     dword [broken]
        mov     esi, msg_broken
        call    puts32
        mov     eax, [observed]
        call    hex32
        mov     esi, msg_expected
        call    puts32
        mov     eax, [expected]
        call    hex32
        mov     esi, msg_why
        call    puts32
        mov     esi, [ebx + 8]
        call    puts32
        mov     al, 10
        jmp     putc32

; ---- the tests: sensitive register instructions ----

t_sgdt: sgdt    [scratch]
        mov     eax, [scratch + 2]      ; the base
        mov     [observed], eax
        mov     dword [expected], gdt
        ret

t_sidt: sidt    [scratch]
        mov     eax, [scratch + 2]
        mov     [observed], eax
        mov     dword [expected], idt
        ret

t_sldt: xor     eax, eax
        sldt    ax
        mov     [observed], eax
        mov     dword [expected], LDT_SEL
        ret

t_str:  xor     eax, eax
        str     ax
        mov     [observed], eax
        mov     dword [expected], TSS_SEL
        ret

t_smsw: mov     eax, cr0                ; privileged: the monitor emulates it
        and     eax, 0xFFFF
        mov     [expected], eax
        xor     eax, eax
        smsw    ax                      ; unprivileged: the real CR0
        mov     [observed], eax
        ret

t_pushf:
        cli
        pushfd
        pop     eax
        and     eax, 0x3200             ; IF and IOPL: 0 after CLI, at IOPL 0
        mov     [observed], eax
        ret

; POPF with IF clear, then wait: a timer running at 12 kHz must not
; interrupt.  The number of ticks taken is what we observe.
t_popf: mov     al, 0x34                ; PIT channel 0, mode 2, lo/hi
        out     0x43, al
        mov     al, 100                 ; 1193182 / 100: about 12 kHz
        out     0x40, al
        xor     al, al
        out     0x40, al
        mov     al, 0xFE                ; unmask IRQ 0
        out     0x21, al
        sti
        pushfd
        and     dword [esp], ~0x200
        popfd                           ; IF = 0 ...
        mov     dword [ticks], 0
        mov     ecx, 20000              ; ... so no tick may come here
.wait:  in      al, 0x61
        loop    .wait
        mov     eax, [ticks]
        mov     [observed], eax
        cli
        mov     al, 0xFF
        out     0x21, al
        ret

; ---- protection-system instructions ----

t_lar:  mov     ecx, KDATA
        xor     eax, eax
        lar     eax, ecx
        jz      .ok
        mov     eax, 0xFFFFFFFF         ; ZF=0: the CPU said "not accessible"
.ok:    and     eax, 0x00F0FF00         ; bits 16-19 are undefined
        mov     [observed], eax
        mov     eax, [gdt + KDATA + 4]
        and     eax, 0x00F0FF00         ; what LAR returns of the descriptor
        mov     [expected], eax
        ret

t_lsl:  mov     ecx, KDATA
        mov     eax, 0xDEAD0000         ; LSL leaves it on failure
        lsl     eax, ecx
        mov     [observed], eax
        mov     dword [expected], 0xFFFFFFFF
        ret

t_verr: mov     ecx, KDATA
        xor     eax, eax
        verr    cx
        setz    al
        mov     [observed], eax
        mov     dword [expected], 1
        ret

t_verw: mov     ecx, KDATA
        xor     eax, eax
        verw    cx
        setz    al
        mov     [observed], eax
        mov     dword [expected], 1
        ret

t_push: push    cs
        pop     eax
        movzx   eax, ax
        mov     [observed], eax
        mov     dword [expected], KCODE
        ret

t_pop:  push    dword KDATA
        pop     ss
        push    ss
        pop     eax
        movzx   eax, ax
        mov     [observed], eax
        mov     dword [expected], KDATA
        ret

t_mov:  mov     ax, KDATA
        mov     ss, ax
        xor     eax, eax
        mov     ax, ss
        mov     [observed], eax
        mov     dword [expected], KDATA
        ret

; CALL far to a conforming DPL-0 segment: CPL stays 0, CS 0x08 is pushed.
t_call: call    CONFORM:conf_target
        mov     dword [expected], KCODE
        ret
conf_target:
        movzx   eax, word [esp + 4]     ; the caller's CS as pushed
        mov     [observed], eax
        mov     dword [esp + 4], KCODE  ; return through our own selector
        retf

; JMP far from ring 0 to a non-conforming ring-3 segment: #GP(0x18).
t_jmp:  mov     dword [expected], UCODE ; the #GP error code: the selector
        mov     dword [resume], .back
        mov     [resume_esp], esp
        jmp     UCODE:ring3_jumped
.back:  mov     dword [resume], 0
        ret
ring3_jumped:                           ; only reached when the JMP is let through
        mov     dword [observed], 0xC0DE0003
        int     0x31                    ; back to ring 0

; INT n through a DPL-0 gate, from ring 0: the handler runs.
t_int:  mov     dword [expected], 0x30
        mov     dword [resume], .back
        mov     [resume_esp], esp
        int     0x30
.back:  mov     dword [resume], 0
        ret

; RET far from ring 0 to ring 3 pops CS:EIP and then ESP and SS.
t_ret:  mov     dword [expected], USTACK
        mov     dword [resume], .back
        mov     [resume_esp], esp
        push    dword UDATA | 3
        push    dword USTACK
        push    dword UCODE | 3
        push    dword ring3_returned
        retf
.back:  mov     dword [resume], 0
        ret
ring3_returned:
        mov     ax, UDATA | 3           ; DS was made null by the return
        mov     ds, ax
        mov     [observed], esp
        int     0x31

; ---- interrupt handlers ----

; #GP: where a test expects one, its error code is the observation.
gp_handler:
        cmp     dword [resume], 0
        je      unexpected
        pop     eax
        mov     [observed], eax
resume_test:
        mov     esp, [resume_esp]
        mov     eax, [resume]
        mov     dword [resume], 0
        jmp     eax

int30_handler:
        mov     dword [observed], 0x30
        iret

; INT 0x31 (a DPL-3 gate): from ring 3 back to the test that left ring 0.
int31_handler:
        mov     ax, KDATA
        mov     ds, ax
        mov     es, ax
        jmp     resume_test

timer_handler:
        push    eax
        inc     dword [ticks]
        mov     al, 0x20
        out     0x20, al
        pop     eax
        iret

unexpected:
        mov     ax, KDATA
        mov     ds, ax
        mov     esi, msg_unexpected
        call    puts32
        mov     al, 100
        out     0xF4, al
        hlt

; ---- set-up ----

; Every gate to `unexpected`, then the ones the tests use.
idt_init:
        xor     ecx, ecx
.all:   mov     eax, unexpected
        mov     edx, 0x8E00             ; interrupt gate, DPL 0
        call    set_gate
        inc     ecx
        cmp     ecx, 256
        jb      .all
        mov     ecx, 13
        mov     eax, gp_handler
        call    set_gate
        mov     ecx, 0x20
        mov     eax, timer_handler
        call    set_gate
        mov     ecx, 0x30
        mov     eax, int30_handler
        call    set_gate
        mov     ecx, 0x31
        mov     eax, int31_handler
        mov     edx, 0xEE00             ; DPL 3: ring 3 may use it
        call    set_gate
        ret
; set_gate: vector ECX, handler EAX, type and DPL in DX.
set_gate:
        mov     [idt + ecx * 8], ax
        mov     word [idt + ecx * 8 + 2], KCODE
        mov     [idt + ecx * 8 + 4], dx
        shr     eax, 16
        mov     [idt + ecx * 8 + 6], ax
        ret

; The two 8259As: vectors 0x20-0x2F, everything masked.
pic_init:
        mov     al, 0x11
        out     0x20, al
        out     0xA0, al
        mov     al, 0x20
        out     0x21, al
        mov     al, 0x28
        out     0xA1, al
        mov     al, 4
        out     0x21, al
        mov     al, 2
        out     0xA1, al
        mov     al, 1
        out     0x21, al
        out     0xA1, al
        mov     al, 0xFF
        out     0x21, al
        out     0xA1, al
        ret

%include "screen32.inc"

; ---- data ----

        align   8
gdt:    dq      0
        dq      0x00CF9A000000FFFF      ; 0x08 ring-0 code
        dq      0x00CF92000000FFFF      ; 0x10 ring-0 data
        dq      0x00CFFA000000FFFF      ; 0x18 ring-3 code
        dq      0x00CFF2000000FFFF      ; 0x20 ring-3 data
tss_desc:
        dw      0x67, tss - 0x100000    ; 0x28 the TSS (base 0x10xxxx)
        db      0x10, 0x89, 0, 0
        dw      7, ldt - 0x100000       ; 0x30 an empty LDT
        db      0x10, 0x82, 0, 0
        dq      0x00CF9E000000FFFF      ; 0x38 conforming ring-0 code
gdt_end:
gdt_desc:
        dw      gdt_end - gdt - 1
        dd      gdt
idt_desc:
        dw      256 * 8 - 1
        dd      idt

        align   4
tss:    dd      0, ISTACK, KDATA        ; link, ESP0, SS0
        times   22 dd 0
        dw      0, 104                  ; T flag, I/O map base: none
ldt:    dq      0

passed:     dd  0
broken:     dd  0
observed:   dd  0
expected:   dd  0
ticks:      dd  0
resume:     dd  0
resume_esp: dd  0
scratch:    times 8 db 0

; The list: name, test, why it breaks the Popek-Goldberg condition (every
; sensitive instruction must be privileged) when the kernel runs in ring 3.
%macro TEST 3
        dd      %%name, %2, %%why
[section .data]
%%name: db      %1, 0
%%why:  db      %3, 0
[section .text]
%endmacro

tests:
        TEST    "SGDT   ", t_sgdt, "reads GDTR at any CPL: the guest sees the monitor's GDT and no trap lets the monitor lie"
        TEST    "SIDT   ", t_sidt, "reads IDTR at any CPL: the guest sees the monitor's IDT, not the one it loaded"
        TEST    "SLDT   ", t_sldt, "reads LDTR at any CPL: the guest sees the monitor's LDT selector"
        TEST    "SMSW   ", t_smsw, "reads CR0 at any CPL (MOV from CR0 traps, SMSW does not): the monitor's CR0 shows"
        TEST    "PUSHF  ", t_pushf, "pushes the real IF and IOPL: the CLI that trapped changed only the virtual IF"
        TEST    "POPF   ", t_popf, "at CPL 3 ignores IF and IOPL without faulting: the monitor never learns of the CLI"
        TEST    "LAR    ", t_lar, "checks the descriptor's DPL against the real CPL 3: the kernel's own segments fail"
        TEST    "LSL    ", t_lsl, "checks DPL against the real CPL 3: the kernel cannot read its own segment limits"
        TEST    "VERR   ", t_verr, "checks DPL against the real CPL 3: the kernel's data segment looks unreadable"
        TEST    "VERW   ", t_verw, "checks DPL against the real CPL 3: the kernel's data segment looks unwritable"
        TEST    "PUSH   ", t_push, "PUSH CS stores the real CPL in the selector's RPL: the kernel learns it is in ring 3"
        TEST    "POP    ", t_pop, "POP SS faults and is emulated, but the SS the CPU keeps has RPL 3, visible at once"
        TEST    "CALL   ", t_call, "a far CALL to a conforming segment needs no privilege and pushes CS with RPL 3"
        TEST    "JMP    ", t_jmp, "a far JMP to ring-3 code is checked against the real CPL 3: allowed, not #GP"
        TEST    "INT n  ", t_int, "INT n checks the gate's DPL against the real CPL 3: the kernel's own gate gives #GP"
        TEST    "RET    ", t_ret, "a far RET to ring 3 is same-privilege at the real CPL 3: SS:ESP are not popped"
        TEST    "STR    ", t_str, "reads TR at any CPL: the guest sees the monitor's TSS selector"
        TEST    "MOV    ", t_mov, "MOV from SS or CS shows RPL 3: the real CPL leaks without a trap"
        dd      0

msg_title:  db  "popek-goldberg: Robin and Irvine's sensitive unprivileged instructions, at CPL 0", 10, 0
msg_ok:     db  " ok: behaves as in ring 0", 10, 0
msg_broken: db  " BROKEN: saw ", 0
msg_expected: db " where ring 0 gives ", 0
msg_why:    db  10, "        why: ", 0
msg_sum1:   db  "popek-goldberg: ", 0
msg_sum2:   db  " behave as in ring 0, ", 0
msg_sum3:   db  " broken", 10, 0
msg_unexpected: db "popek-goldberg: unexpected exception or interrupt", 10, 0

        align   8
idt:    times   256 dq 0
