; usys.asm -- a user program's start (_start calls main and passes its
; result to exit) and one stub per system call: the C arguments from the
; stack into EBX, ECX, EDX, the number into EAX, INT 0x40.
        bits    32
        extern  main
        global  _start

        section .text.entry progbits alloc exec
_start:
        xor     ebp, ebp
        call    main
        push    eax
        push    0                       ; exit's return address: none
        jmp     exit

        section .text
%macro SYSCALL 2
        global  %1
%1:
        push    ebx                     ; callee-saved in the C ABI
        mov     ebx, [esp + 8]
        mov     ecx, [esp + 12]
        mov     edx, [esp + 16]
        mov     eax, %2
        int     0x40
        pop     ebx
        ret
%endmacro

        SYSCALL exit, 1
        SYSCALL write, 2
        SYSCALL open, 3
        SYSCALL read, 4
        SYSCALL close, 5
        SYSCALL uptime, 6
        SYSCALL ncpu, 7

; syscall(n, a, b): any number, for testing the kernel's refusal.
        global  syscall
syscall:
        push    ebx
        mov     eax, [esp + 8]
        mov     ebx, [esp + 12]
        mov     ecx, [esp + 16]
        int     0x40
        pop     ebx
        ret
