; switch_checksum.asm -- the guest of the live-switching test
; (tests/kvm/run-kvm.sh): from real mode into 32-bit protected mode with
; paging, the PIT interrupting at 1 kHz, then a long loop that mixes a
; xorshift generator into a 64 KiB table through every general register,
; the flags (ADC, PUSHF/POPF), segment loads and an interrupt shadow.  At
; the end it prints the checksum of the table and its final registers,
; flags, selectors and control registers, and exits with a status made of
; the checksum.  Run once in the interpreter and once switched between
; engines every few milliseconds, both runs must print the same lines and
; exit with the same status (what the timer interrupts did is not printed:
; how many arrive depends on host time).
; x86lab-args: -m 16
%include "lib.inc"

%define SEL_CODE  0x08
%define SEL_DATA  0x10
%define IDT       0x20000
%define PDIR      0x30000
%define PTAB      0x31000
%define TABLE     0x40000          ; 64 KiB of dwords
%define STACK     0x70000
%define ITERS     1000000
%define VARS      0x60000          ; saved_ecx, ticks, sum: away from the
%define saved_ecx VARS            ; code, whose page would be rewritten
%define ticks     VARS + 4
%define sum       VARS + 8

        org     0x7c00
        bits    16
start:
        cli
        xor     ax, ax
        mov     ds, ax
        mov     ss, ax
        mov     sp, 0x7c00
        lgdt    [gdtr]
        mov     eax, cr0
        or      al, 1
        mov     cr0, eax
        jmp     dword SEL_CODE:pm

        bits    32
pm:     mov     ax, SEL_DATA
        mov     ds, ax
        mov     es, ax
        mov     fs, ax
        mov     gs, ax
        mov     ss, ax
        mov     esp, STACK
        call    build_idt
        call    build_paging
        call    start_timer
        xor     eax, eax                ; the table starts zeroed
        mov     edi, TABLE
        mov     ecx, 0x4000
        cld
        rep stosd
        sti
        call    mix
        cli
        call    report
        ; exit status: the checksum's low 5 bits + 8, so x86lab exits with
        ; 17-79 (never pass/fail's 1/3, never what a signal gives)
        mov     eax, [sum]
        and     eax, 0x1F
        add     eax, 8
        call    exit32

; mix: ITERS rounds of xorshift32 (EAX) folded into the table and the
; other registers; ESI/EDI/EBP/EDX/EBX carry state from round to round.
mix:
        mov     eax, 0x2545F491
        mov     ebx, 0x9E3779B9
        mov     edx, 1
        mov     esi, 7
        mov     edi, 0
        mov     ebp, 0x1234
        mov     ecx, ITERS
.round: mov     [saved_ecx], ecx
        mov     ecx, eax                ; xorshift32
        shl     ecx, 13
        xor     eax, ecx
        mov     ecx, eax
        shr     ecx, 17
        xor     eax, ecx
        mov     ecx, eax
        shl     ecx, 5
        xor     eax, ecx
        mov     ecx, eax                ; a table slot from the new value
        and     ecx, 0x3FFF
        add     [TABLE + ecx*4], eax
        adc     edx, ebx                ; the carry of the store's add
        rol     ebx, 3
        xor     ebx, eax
        lea     esi, [esi + edx*2 + 3]
        imul    ebp, ebp, 33
        add     ebp, esi
        pushf
        xor     edi, [TABLE + ecx*4]
        popf
        sbb     edi, ebp
        test    al, 0x3F                ; every 64th round on average: a
        jnz     .next                   ; segment load with its shadow
        push    ss
        pop     ss
        mov     cx, gs
        mov     fs, cx
.next:  mov     ecx, [saved_ecx]
        dec     ecx
        jnz     .round
        ret

; report: the table's checksum, then the registers after mix.
report:
        pushfd
        pushad
        xor     eax, eax
        xor     edx, edx
        mov     esi, TABLE
        mov     ecx, 0x4000
.sum:   add     eax, [esi]
        rol     eax, 1
        xor     edx, [esi]
        add     esi, 4
        loop    .sum
        xor     eax, edx
        mov     [sum], eax
        mov     esi, msg_sum
        call    puts32
        call    hex32
        call    newline32
        mov     esi, msg_regs           ; EDI ESI EBP ESP EBX EDX ECX EAX
        call    puts32
        mov     ecx, 8
        mov     ebx, esp
.reg:   mov     eax, [ebx]
        call    hex32
        mov     al, ' '
        out     DEBUGCON, al
        add     ebx, 4
        loop    .reg
        call    newline32
        mov     esi, msg_flags
        call    puts32
        mov     eax, [esp + 32]         ; EFLAGS as mix left them
        and     eax, 0x00000CD5         ; arithmetic flags, DF, IF, OF
        call    hex32
        call    newline32
        mov     esi, msg_sel
        call    puts32
        xor     eax, eax
        mov     ax, cs
        call    hex32
        mov     ax, ss
        call    hex32
        mov     ax, ds
        call    hex32
        mov     ax, fs
        call    hex32
        call    newline32
        mov     esi, msg_cr
        call    puts32
        mov     eax, cr0
        and     eax, 0x8000003F
        call    hex32
        mov     eax, cr3
        call    hex32
        mov     eax, cr4
        call    hex32
        call    newline32
        popad
        popfd
        ret

; build_idt: every vector to `unexpected`, IRQ 0 (vector 0x20) to tick,
; IRQ 7 (0x27, spurious) to an IRET.
build_idt:
        mov     edi, IDT
        xor     ecx, ecx
.gate:  mov     eax, unexpected
        cmp     ecx, 0x20
        jne     .not_tick
        mov     eax, tick
.not_tick:
        cmp     ecx, 0x27
        jne     .set
        mov     eax, spurious
.set:   mov     [edi], ax
        mov     word [edi + 2], SEL_CODE
        mov     word [edi + 4], 0x8E00  ; 32-bit interrupt gate, DPL 0
        shr     eax, 16
        mov     [edi + 6], ax
        add     edi, 8
        inc     ecx
        cmp     ecx, 256
        jb      .gate
        lidt    [idtr]
        ret

; build_paging: the first 4 MiB identity-mapped through one page table.
build_paging:
        mov     edi, PTAB
        mov     eax, 0x003              ; present, writable
        mov     ecx, 1024
.pte:   mov     [edi], eax
        add     eax, 0x1000
        add     edi, 4
        loop    .pte
        mov     dword [PDIR], PTAB | 3
        mov     eax, PDIR
        mov     cr3, eax
        mov     eax, cr0
        or      eax, 0x80000000
        mov     cr0, eax
        jmp     .flush
.flush: ret

; start_timer: the PICs at 0x20/0x28 with only IRQ 0 open, PIT counter 0
; in mode 2 at 1 kHz.
start_timer:
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
        mov     al, 0xFE
        out     0x21, al
        mov     al, 0xFF
        out     0xA1, al
        mov     al, 0x34                ; counter 0, lo/hi, mode 2
        out     0x43, al
        mov     ax, 1193
        out     0x40, al
        mov     al, ah
        out     0x40, al
        ret

tick:   push    eax
        inc     dword [ticks]
        mov     al, 0x20
        out     0x20, al
        pop     eax
        iret

spurious:
        iret

unexpected:
        mov     esi, msg_unexpected
        call    puts32
        mov     al, 0x7E
        call    exit32

        LIB32

        align   8
gdt:    dq      0
        dq      0x00CF9A000000FFFF      ; 0x08 flat code
        dq      0x00CF92000000FFFF      ; 0x10 flat data
gdt_end:
gdtr:   dw      gdt_end - gdt - 1
        dd      gdt
idtr:   dw      256 * 8 - 1
        dd      IDT
msg_sum:        db "checksum ", 0
msg_regs:       db "edi esi ebp esp ebx edx ecx eax: ", 0
msg_flags:      db "eflags ", 0
msg_sel:        db "cs ss ds fs ", 0
msg_cr:         db "cr0 cr3 cr4 ", 0
msg_unexpected: db "FAIL unexpected exception", 10, 0
