; trapasm.asm -- every interrupt vector's entry, alltraps (a struct
; trapframe on the stack, then trap() in trap.c), and enter_user(), the
; way into ring 3.  The CPU pushes an error code for some exceptions
; only; the others push 0 so that all frames look alike.
        bits    32
        global  alltraps, trapret, enter_user, vectors
        extern  trap

SEG_KDATA equ 0x10
SEG_UCODE equ 0x18 | 3
SEG_UDATA equ 0x20 | 3

        section .text
%assign i 0
%rep 256
vector %+ i:
%if i != 8 && (i < 10 || i > 14) && i != 17
        push    0                       ; no error code from the CPU
%endif
        push    i
        jmp     alltraps
%assign i i + 1
%endrep

alltraps:
        push    ds
        push    es
        push    fs
        push    gs
        pushad
        mov     ax, SEG_KDATA
        mov     ds, ax
        mov     es, ax
        push    esp                     ; trap(struct trapframe *)
        call    trap
        add     esp, 4
trapret:
        popad
        pop     gs
        pop     fs
        pop     es
        pop     ds
        add     esp, 8                  ; trapno and err
        iretd

; enter_user(eip, esp): to ring 3 through IRETD with interrupts on.
enter_user:
        mov     eax, [esp + 4]
        mov     ecx, [esp + 8]
        mov     dx, SEG_UDATA
        mov     ds, dx
        mov     es, dx
        mov     fs, dx
        mov     gs, dx
        push    SEG_UDATA               ; ss
        push    ecx                     ; esp
        push    0x202                   ; eflags: IF
        push    SEG_UCODE               ; cs
        push    eax                     ; eip
        iretd

        section .data
        align   4
vectors:
%assign i 0
%rep 256
        dd      vector %+ i
%assign i i + 1
%endrep
