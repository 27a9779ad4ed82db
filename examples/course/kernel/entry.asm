; entry.asm -- the kernel's first instructions: the boot block jumps here
; in 32-bit protected mode (its flat GDT, no paging, interrupts off); we
; take CPU 0's kernel stack and call main().
        bits    32
        global  _start
        extern  main, kstacks

KSTACKSIZE equ 4096

        section .text.entry progbits alloc exec
_start:
        mov     esp, kstacks + KSTACKSIZE       ; kstacks[0]'s top
        xor     ebp, ebp                        ; the end of gdb's backtraces
        call    main
.spin:  cli
        hlt
        jmp     .spin
