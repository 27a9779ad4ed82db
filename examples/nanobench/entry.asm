; entry.asm -- the nanobenchmark kernel's assembly: the Multiboot header
; and entry, the exception and system-call entries, the way into ring 3
; and back, and one loop per measured operation.  Each loop is written
; here rather than in C so that exactly the instructions named run, N
; times: bench_X(n) runs operation X n times (cdecl; EBX, ESI, EDI, EBP
; preserved).  Loop overhead: DEC + JNZ per iteration.

        bits    32

MB_MAGIC     equ 0x1BADB002
MB_FLAGS     equ 1 << 1                 ; memory information wanted
KERNEL_CS    equ 0x08
KERNEL_DS    equ 0x10
USER_CS      equ 0x1B                   ; GDT entry 3, RPL 3
USER_DS      equ 0x23                   ; GDT entry 4, RPL 3
HC_PORT      equ 0x520                  ; docs/hypercall.md

        section .multiboot
        align   4
        dd      MB_MAGIC
        dd      MB_FLAGS
        dd      -(MB_MAGIC + MB_FLAGS)

        section .bss
        align   16
stack:  resb    16384                   ; the kernel's stack
stack_top:
        global  intr_stack_top, sysenter_stack_top, user_stack_top
        resb    8192                    ; ring 3 -> 0: the TSS's ESP0
intr_stack_top:
        resb    4096                    ; SYSENTER's ESP
sysenter_stack_top:
        resb    8192                    ; ring 3's stack
user_stack_top:
saved_esp:
        resd    1                       ; the kernel's ESP while in ring 3
        global  fault_resume, user_n
fault_resume:
        resd    1                       ; where a handled fault returns to
user_n: resd    1                       ; iterations for the ring-3 loops

        section .text
        global  _start
        extern  kmain
_start:
        mov     esp, stack_top
        push    0
        popfd                           ; IF = 0, as Multiboot leaves it
        push    ebx
        push    eax
        cld
        call    kmain
.halt:  cli
        hlt
        jmp     .halt

; gdt_load(const void *gdtr): LGDT, then every segment register reloaded.
        global  gdt_load
gdt_load:
        mov     eax, [esp + 4]
        lgdt    [eax]
        mov     ax, KERNEL_DS
        mov     ds, ax
        mov     es, ax
        mov     fs, ax
        mov     gs, ax
        mov     ss, ax
        jmp     KERNEL_CS:.cs
.cs:    ret

; ---- exception and system-call entries ----

; #DE and #PF: the benchmark knows where execution resumes (fault_resume),
; as a kernel's exception fixup table would; #PF reads CR2 as a real
; handler must.
        global  de_entry, pf_entry, int80_entry, user_exit_entry, sysenter_entry
        global  unexpected_entry
de_entry:
        push    eax
        mov     eax, [fault_resume]
        mov     [esp + 4], eax          ; the saved EIP
        pop     eax
        iretd
pf_entry:
        add     esp, 4                  ; the error code
        push    eax
        mov     eax, cr2
        mov     eax, [fault_resume]
        mov     [esp + 4], eax
        pop     eax
        iretd
; INT 0x80 from ring 3: the null system call.
int80_entry:
        iretd
; SYSENTER: the null system call; SYSEXIT returns to EDX with ESP = ECX.
sysenter_entry:
        sysexit
; INT 0x81 from ring 3: back to the kernel that called user_call.
user_exit_entry:
        mov     ax, KERNEL_DS
        mov     ds, ax
        mov     es, ax
        mov     esp, [saved_esp]
        pop     ebp
        pop     edi
        pop     esi
        pop     ebx
        ret
        extern  unexpected
unexpected_entry:
        call    unexpected              ; prints and ends the run
.h:     hlt
        jmp     .h

; user_call(void (*fn)(void)): runs fn in ring 3 (IF = 0) until it
; executes INT 0x81, then returns here.
        global  user_call
user_call:
        mov     eax, [esp + 4]
        push    ebx
        push    esi
        push    edi
        push    ebp
        mov     [saved_esp], esp
        mov     cx, USER_DS
        mov     ds, cx
        mov     es, cx
        push    USER_DS                 ; SS
        push    user_stack_top          ; ESP
        push    0x002                   ; EFLAGS: IF = 0, IOPL = 0
        push    USER_CS
        push    eax                     ; EIP
        iretd

; ---- ring-3 loops (run through user_call) ----
        global  user_int80_loop, user_sysenter_loop
user_int80_loop:
        mov     ecx, [user_n]
.l:     int     0x80
        dec     ecx
        jnz     .l
        int     0x81
user_sysenter_loop:
        mov     ebx, [user_n]
.l:     mov     ecx, esp
        mov     edx, .r
        sysenter
.r:     dec     ebx
        jnz     .l
        int     0x81

; ---- ring-0 loops: bench_X(uint32_t n) ----
        global  bench_in, bench_out, bench_cr3, bench_ptemod, bench_pgfault
        global  bench_divzero, bench_callret, bench_clisti, bench_pushfpopf
        global  bench_cpuid, bench_hypercall
        extern  pd_a, pd_b, scratch_pte, scratch_va, frame_a, frame_b, absent_va, hc_block

bench_in:
        mov     ecx, [esp + 4]
.l:     in      al, 0x21                ; the master PIC's mask register
        dec     ecx
        jnz     .l
        ret

bench_out:
        mov     ecx, [esp + 4]
        xor     eax, eax
.l:     out     0x80, al                ; the POST-code port
        dec     ecx
        jnz     .l
        ret

bench_cr3:                              ; between two equal page directories
        mov     ecx, [esp + 4]
        mov     eax, pd_b
        mov     edx, pd_a
.l:     mov     cr3, eax
        xchg    eax, edx
        dec     ecx
        jnz     .l
        mov     eax, pd_a               ; back on pd_a whatever n was
        mov     cr3, eax
        ret

bench_ptemod:                           ; remap one page, alternating frames
        mov     ecx, [esp + 4]
        push    ebx
        push    esi
        mov     ebx, [scratch_pte]
        mov     eax, [frame_a]
        mov     edx, [frame_b]
        mov     esi, [scratch_va]
.l:     mov     [ebx], eax
        invlpg  [esi]
        xchg    eax, edx
        dec     ecx
        jnz     .l
        pop     esi
        pop     ebx
        ret

bench_pgfault:                          ; a load from a page not present
        mov     ecx, [esp + 4]
        push    esi
        mov     esi, [absent_va]
        mov     dword [fault_resume], .r
.l:     mov     eax, [esi]              ; #PF; the handler resumes at .r
.r:     dec     ecx
        jnz     .l
        pop     esi
        ret

bench_divzero:
        mov     ecx, [esp + 4]
        push    ebx
        xor     ebx, ebx
        mov     dword [fault_resume], .r
.l:     xor     edx, edx
        mov     eax, 1
        div     ebx                     ; #DE; the handler resumes at .r
.r:     dec     ecx
        jnz     .l
        pop     ebx
        ret

bench_callret:
        mov     ecx, [esp + 4]
.l:     call    .f
        dec     ecx
        jnz     .l
        ret
.f:     ret

bench_clisti:
        mov     ecx, [esp + 4]
.l:     cli
        sti
        dec     ecx
        jnz     .l
        cli
        ret

bench_pushfpopf:
        mov     ecx, [esp + 4]
.l:     pushfd
        popfd
        dec     ecx
        jnz     .l
        ret

bench_cpuid:
        push    ebx
        push    esi
        mov     esi, [esp + 12]
.l:     xor     eax, eax
        cpuid
        dec     esi
        jnz     .l
        pop     esi
        pop     ebx
        ret

bench_hypercall:                        ; call 0 (info) through port 0x520
        mov     ecx, [esp + 4]
        mov     dx, HC_PORT
.l:     mov     eax, hc_block           ; its physical address (identity map)
        out     dx, eax
        dec     ecx
        jnz     .l
        ret

        section .note.GNU-stack noalloc noexec nowrite progbits
