; tasks.asm -- a tiny multitasking kernel: two tasks running in ring 3
; (user mode), switched by the timer interrupt, asking the kernel for
; services through INT 80h system calls:
;   EAX=1 write(EBX = string, ECX = length)   EAX=2 ticks() -> EAX
;   EAX=3 exit(EBX = status)
; Task A prints its lines and exits; task B prints its lines and then
; tries a privileged instruction (CLI) in ring 3: the CPU raises #GP and
; the kernel kills it.  When no task is left the kernel halts.
;
; Task switching is done in software, as Linux and most kernels do it:
; every entry into the kernel (timer, system call, fault) saves the
; task's registers on that task's own kernel stack; switching tasks is
; switching kernel stacks (one MOV to ESP) and returning with IRET.  The
; one TSS is still needed, for a single field: ESP0, the kernel stack the
; CPU switches to when an interrupt comes in ring 3.  Hardware task
; switching (a TSS per task, JMP to a TSS selector) would also work, but
; it saves and loads everything every time, is slower, and is gone in
; 64-bit mode -- which is why nobody uses it.
;
; Booted from a floppy like ../interrupts; the PIC and PIT code is in
; ../common/pic_pit.inc, the GDT with the ring-3 segments in ../common/pm32.inc.

HZ        equ   100
SYS_WRITE equ   1
SYS_TICKS equ   2
SYS_EXIT  equ   3

; A task: its saved kernel ESP (while it is not running), the top of its
; kernel stack (ESP0 while it runs), whether it is alive, and its name.
T_KESP    equ   0
T_KTOP    equ   4
T_ALIVE   equ   8
T_NAME    equ   12
T_SIZE    equ   16

; Where the stacks are (free conventional memory, 4 KiB each).
KSTACK_A  equ   0x70000                 ; tops: stacks grow down
KSTACK_B  equ   0x6F000
USTACK_A  equ   0x60000
USTACK_B  equ   0x5F000

; The trap frame: what is on a task's kernel stack while it is in the
; kernel, from ESP up: ES, DS, the 8 registers of PUSHAD (EDI first),
; then what the CPU pushed: EIP, CS, EFLAGS, ESP, SS (the last two only
; when it came from ring 3).
F_EAX     equ   8 + 7 * 4
F_EBX     equ   8 + 4 * 4
F_ECX     equ   8 + 6 * 4
F_EIP     equ   8 + 8 * 4
F_CS      equ   F_EIP + 4

        org     0x7C00
%include "boot.inc"
%include "pm32.inc"

        bits    16
stage2:
        mov     si, msg_real
        call    print16
        ENTER_PM32 start32

        bits    32
start32:
        call    scr_init
        mov     esi, msg_pm
        call    puts32

        ; ---- The IDT: exceptions to stubs, #GP (13) to gp_handler, the
        ; timer to timer_entry, and vector 80h to syscall_entry with DPL 3:
        ; without that, INT 80h from ring 3 would itself be a #GP.
        call    idt_clear
        xor     ebx, ebx
        mov     eax, exc_stubs
        mov     cl, GATE_INT
.exc:   call    idt_set_gate
        add     eax, EXC_STUB_SIZE
        inc     ebx
        cmp     ebx, 32
        jb      .exc
        mov     ebx, 13
        mov     eax, gp_handler
        call    idt_set_gate
        mov     ebx, IRQ_BASE + 0
        mov     eax, timer_entry
        call    idt_set_gate
        mov     ebx, 0x80
        mov     eax, syscall_entry
        mov     cl, GATE_USER
        call    idt_set_gate
        call    idt_load

        ; ---- The TSS: SS0:ESP0 = the kernel stack for ring 3 -> 0
        ; entries.  The I/O map base past its end means "no I/O bitmap":
        ; with IOPL 0, IN/OUT from ring 3 fault.
        mov     dword [tss + 8], KDATA  ; SS0
        mov     word [tss + 0x66], 104  ; I/O map base
        mov     eax, tss
        call    tss_descriptor_set
        mov     ax, TSS_SEL
        ltr     ax                      ; the CPU's task register -> our TSS
        mov     esi, msg_tss
        call    puts32

        ; ---- The tasks: a kernel stack each, prepared as if the task had
        ; been interrupted in ring 3 just before its first instruction.
        mov     ebx, task_a
        mov     eax, task_a_main
        mov     ecx, USTACK_A
        call    task_create
        mov     ebx, task_b
        mov     eax, task_b_main
        mov     ecx, USTACK_B
        call    task_create

        call    pic_remap
        mov     eax, HZ
        call    pit_init_hz
        mov     cl, 0
        call    pic_unmask
        mov     esi, msg_start
        call    puts32

        ; ---- Start task A: its stack, its ESP0, and "return" into it.
        ; The IRET loads CS = UCODE (ring 3) and EFLAGS with IF = 1.
        mov     ebx, task_a
        mov     [current], ebx
        jmp     switch_to

; task_create: EBX = the task, EAX = entry point, ECX = user stack top.
task_create:
        mov     edi, [ebx + T_KTOP]
        mov     dword [ebx + T_ALIVE], 1
        sub     edi, 4
        mov     dword [edi], UDATA      ; SS    } what the CPU pushes when
        sub     edi, 4                  ;       } an interrupt comes in
        mov     [edi], ecx              ; ESP   } ring 3, and IRET pops
        sub     edi, 4
        mov     dword [edi], 0x202      ; EFLAGS: IF = 1, IOPL = 0
        sub     edi, 4
        mov     dword [edi], UCODE      ; CS
        sub     edi, 4
        mov     [edi], eax              ; EIP
        sub     edi, 8 * 4              ; PUSHAD's registers: all zero
        push    edi
        push    eax
        xor     eax, eax
        mov     ecx, 8
        cld
        rep     stosd
        pop     eax
        pop     edi
        sub     edi, 4
        mov     dword [edi], UDATA      ; DS
        sub     edi, 4
        mov     dword [edi], UDATA      ; ES
        mov     [ebx + T_KESP], edi
        ret

; ------------------------------------------------------------------------
; Kernel entries.  Each saves the task's registers as a trap frame (see
; F_* above) on the current kernel stack and loads the kernel's data
; segments (ring 3 had its own in DS and ES).

%macro TRAP_SAVE 0
        pushad
        push    ds
        push    es
        mov     ax, KDATA
        mov     ds, ax
        mov     es, ax
%endmacro

; IRQ 0: count the tick, then switch to the other task (round robin).
timer_entry:
        TRAP_SAVE
        inc     dword [ticks]
        mov     al, 0
        call    pic_eoi
        ; fall into schedule

; schedule: the current task's kernel ESP is saved; the next live task
; (after it, round robin) becomes current.
schedule:
        mov     ebx, [current]
        mov     [ebx + T_KESP], esp
pick_next:                              ; (from a dead task: nothing to save)
        mov     ebx, [current]
        mov     ecx, NTASKS
.next:  add     ebx, T_SIZE
        cmp     ebx, tasks_end
        jb      .in
        mov     ebx, tasks
.in:    cmp     dword [ebx + T_ALIVE], 0
        jne     .found
        loop    .next
        mov     esi, msg_all_done       ; nobody left to run
        call    puts32
%ifdef PV
        call    pv_flush                ; PV: CLI + HLT become two hypercalls
        mov     eax, HC_SET_IF
        xor     ebx, ebx
        call    pv_call
.halt:  mov     eax, HC_HALT
        xor     ebx, ebx
        call    pv_call
%else
        cli
.halt:  hlt
%endif
        jmp     .halt
.found: mov     [current], ebx
switch_to:                              ; EBX = the task to run
        mov     esp, [ebx + T_KESP]     ; THE task switch: its kernel stack
        mov     eax, [ebx + T_KTOP]
        mov     [tss + 4], eax          ; ESP0: its stack on the next entry
trap_return:
        pop     es
        pop     ds
        popad
        iret                            ; back to ring 3, where it was

; INT 80h: EAX = the call, arguments in EBX, ECX; the result goes into the
; saved EAX, which POPAD gives back to the task.
syscall_entry:
        TRAP_SAVE
        mov     eax, [esp + F_EAX]
        cmp     eax, SYS_WRITE
        je      sys_write
        cmp     eax, SYS_TICKS
        je      sys_ticks
        cmp     eax, SYS_EXIT
        je      sys_exit
        mov     dword [esp + F_EAX], -1 ; unknown call
        jmp     trap_return

sys_write:
        ; A real kernel checks that [EBX, EBX+ECX) is the task's memory;
        ; here every segment is flat, so we only bound the length.
        mov     esi, [esp + F_EBX]
        mov     ecx, [esp + F_ECX]
        cmp     ecx, 256
        ja      .bad
        mov     [esp + F_EAX], ecx      ; returns the count written
        jecxz   .done
.out:   lodsb
        call    putc32
        loop    .out
.done:  jmp     trap_return
.bad:   mov     dword [esp + F_EAX], -1
        jmp     trap_return

sys_ticks:
        mov     eax, [ticks]
        mov     [esp + F_EAX], eax
        jmp     trap_return

sys_exit:
        mov     esi, msg_kernel
        call    puts32
        mov     ebx, [current]
        mov     esi, [ebx + T_NAME]
        call    puts32
        mov     esi, msg_exited
        call    puts32
        mov     eax, [esp + F_EBX]
        call    dec32
        mov     al, 10
        call    putc32
        mov     dword [ebx + T_ALIVE], 0
        jmp     pick_next               ; its kernel stack is abandoned

; #GP: the CPU pushed an error code after EIP/CS/EFLAGS(/ESP/SS).  From
; ring 3 it is the task's fault: kill the task.  From ring 0 it is ours.
gp_handler:
        test    dword [esp + 8], 3      ; the saved CS's RPL = the CPL it came from
        jz      .kernel_bug
        mov     ax, KDATA
        mov     ds, ax
        mov     es, ax
        mov     esi, msg_kernel
        call    puts32
        mov     ebx, [current]
        mov     esi, [ebx + T_NAME]
        call    puts32
        mov     esi, msg_gp
        call    puts32
        mov     eax, [esp + 4]          ; the faulting instruction's EIP
        call    hex32
        mov     esi, msg_killed
        call    puts32
        mov     dword [ebx + T_ALIVE], 0
        jmp     pick_next
.kernel_bug:
        push    dword 13
        jmp     exc_report

; One 10-byte stub per exception (see ../interrupts).
EXC_STUB_SIZE equ 10
exc_stubs:
%assign v 0
%rep 32
        push    strict dword v
        jmp     strict near exc_report
%assign v v + 1
%endrep
exc_report:
        mov     ax, KDATA
        mov     ds, ax
        mov     es, ax
        mov     esi, msg_exception
        call    puts32
        pop     eax
        call    dec32
        mov     al, 10
        call    putc32
%ifdef PV
        call    pv_flush                ; PV: as above
        mov     eax, HC_SET_IF
        xor     ebx, ebx
        call    pv_call
        mov     eax, HC_HALT
        xor     ebx, ebx
        call    pv_call
%else
        cli
        hlt
%endif

%include "pic_pit.inc"
%ifdef PV
%include "pv.inc"                       ; PV: the console and halt as hypercalls
%else
%include "screen32.inc"
%endif

; ------------------------------------------------------------------------
; Ring 3.  This code can only reach the kernel through INT 80h.  Same
; flat memory as the kernel (no paging here: see ../paging for the U/S
; bit that would hide the kernel's pages).

task_a_main:
        mov     esi, u_msg_a_hello
        call    u_puts
        mov     edi, 1                  ; line number
.line:  mov     esi, u_msg_a_line
        call    u_puts
        mov     eax, edi
        call    u_putdec
        mov     esi, u_msg_at_tick
        call    u_puts
        mov     eax, SYS_TICKS
        int     0x80
        call    u_putdec
        mov     esi, u_msg_nl
        call    u_puts
        mov     eax, 7                  ; busy for 7 ticks: B runs meanwhile
        call    u_wait
        inc     edi
        cmp     edi, 5
        jbe     .line
        mov     esi, u_msg_a_bye
        call    u_puts
        mov     eax, SYS_EXIT
        mov     ebx, 0
        int     0x80                    ; does not return

task_b_main:
        mov     esi, u_msg_b_hello
        call    u_puts
        mov     edi, 1
.line:  mov     esi, u_msg_b_line
        call    u_puts
        mov     eax, edi
        call    u_putdec
        mov     esi, u_msg_at_tick
        call    u_puts
        mov     eax, SYS_TICKS
        int     0x80
        call    u_putdec
        mov     esi, u_msg_nl
        call    u_puts
        mov     eax, 11
        call    u_wait
        inc     edi
        cmp     edi, 5
        jbe     .line
        mov     esi, u_msg_b_cli
        call    u_puts
        cli                             ; privileged (CPL 3 > IOPL 0): #GP
        mov     esi, u_msg_b_bad        ; never printed
        call    u_puts
        jmp     $

; u_puts: the zero-terminated string at ESI, through write().
u_puts:
        pushad
        mov     ebx, esi
        xor     ecx, ecx
.len:   cmp     byte [esi + ecx], 0
        je      .call
        inc     ecx
        jmp     .len
.call:  mov     eax, SYS_WRITE
        int     0x80
        popad
        ret

; u_putdec: EAX in decimal (digits built backwards on the user stack).
u_putdec:
        pushad
        sub     esp, 12
        mov     byte [esp + 11], 0
        lea     esi, [esp + 11]
        mov     ebx, 10
.div:   xor     edx, edx
        div     ebx
        add     dl, '0'
        dec     esi
        mov     [esi], dl
        test    eax, eax
        jnz     .div
        call    u_puts
        add     esp, 12
        popad
        ret

; u_wait: spin until EAX more ticks have passed.  The timer interrupts
; this loop and the other task runs in between.
u_wait:
        pushad
        mov     ecx, eax
        mov     eax, SYS_TICKS
        int     0x80
        lea     edx, [eax + ecx]
.spin:  mov     eax, SYS_TICKS
        int     0x80
        cmp     eax, edx
        jb      .spin
        popad
        ret

u_msg_a_hello: db "task A: hello from ring 3", 10, 0
u_msg_a_line:  db "task A: line ", 0
u_msg_a_bye:   db "task A: calling exit(0)", 10, 0
u_msg_b_hello: db "task B: hello from ring 3", 10, 0
u_msg_b_line:  db "task B: line ", 0
u_msg_b_cli:   db "task B: trying CLI in ring 3", 10, 0
u_msg_b_bad:   db "task B: CLI worked?!", 10, 0
u_msg_at_tick: db " at tick ", 0
u_msg_nl:      db 10, 0

; ------------------------------------------------------------------------
        align   4
tss:    times   104 db 0                ; the 32-bit TSS: we use SS0 and ESP0
ticks:  dd      0
current: dd     0
tasks:
task_a: dd      0, KSTACK_A, 0, name_a
task_b: dd      0, KSTACK_B, 0, name_b
tasks_end:
NTASKS  equ     (tasks_end - tasks) / T_SIZE
name_a: db      "task A", 0
name_b: db      "task B", 0

msg_real:      db "tasks: stage 2, switching to protected mode", 10, 0
msg_pm:        db "tasks: protected mode, setting up the IDT, TSS and two tasks", 10, 0
msg_tss:       db "tasks: TSS loaded (LTR 28h): ESP0 is the running task's kernel stack", 10, 0
msg_start:     db "tasks: PIT at 100 Hz, starting task A in ring 3", 10, 0
msg_kernel:    db "kernel: ", 0
msg_exited:    db " called exit, status ", 0
msg_gp:        db ": general protection fault at EIP=", 0
msg_killed:    db ", killed", 10, 0
msg_all_done:  db "kernel: no tasks left, halting", 10, 0
msg_exception: db "kernel: unexpected exception ", 0

program_end:
