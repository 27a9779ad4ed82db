; paging.asm -- two-level x86 paging (4 KiB pages, no PAE): a page
; directory and page tables that map the low 4 MiB onto themselves
; ("identity") and 0xC0000000 onto physical 1 MiB ("higher half", as
; Linux and many course kernels place themselves), CR3 and CR0.PG, then a
; page fault on purpose: the #PF handler reads CR2, maps a fresh page and
; returns, and the faulting instruction runs again, this time with success.
;
; Booted from a floppy: ../common/boot.inc loads it to 0000:7E00,
; ../common/pm32.inc switches to protected mode (see ../pmode).
;
; Physical memory used:
;   0x1000   the IDT (pm32.inc)         0x20000  the page directory
;   0x21000  page table: 0-4 MiB        0x22000  page table: 0xC0000000
;   0x200000-0x3FFFFF  free pages handed out by the #PF handler
; An address splits into three parts:
;   bits 31-22 index in the page directory (PDE: which page table)
;   bits 21-12 index in that page table    (PTE: which physical page)
;   bits 11-0  offset in the page

PAGE_DIR   equ  0x20000
PT_LOW     equ  0x21000
PT_HIGH    equ  0x22000
FREE_START equ  0x200000
FREE_END   equ  0x400000                ; must stay identity-mapped (see pf_handler)
HIGH_VIRT  equ  0xC0000000
HIGH_PHYS  equ  0x100000
PG_PRESENT equ  1
PG_WRITE   equ  2

        org     0x7C00
%include "boot.inc"
%include "pm32.inc"                     ; ENTER_PM32, the GDT, IDT helpers

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

        ; ---- the IDT: every exception to `unexpected`, #PF (14) to ours
        call    idt_clear
        mov     ebx, 0
.gates: mov     eax, unexpected
        mov     cl, GATE_INT
        call    idt_set_gate
        inc     ebx
        cmp     ebx, 32
        jb      .gates
        mov     ebx, 14
        mov     eax, pf_handler
        call    idt_set_gate
        call    idt_load

        ; ---- Step 1: the tables.  Start from zero (all "not present").
        mov     edi, PAGE_DIR
        mov     ecx, 3 * 4096 / 4
        xor     eax, eax
        cld
        rep     stosd

        ; Identity map 0-4 MiB: PTE i = (i * 4096) | present | writable.
        ; Our code, stack, the IDT, these tables and the VGA memory at
        ; 0xB8000 all live there, and must stay where they are when paging
        ; turns on (the next instruction's address does not change!).
        mov     edi, PT_LOW
        mov     eax, PG_PRESENT | PG_WRITE
        mov     ecx, 1024
.low:   stosd
        add     eax, 4096
        loop    .low
        mov     dword [PAGE_DIR + 0 * 4], PT_LOW | PG_PRESENT | PG_WRITE

        ; Higher half: 0xC0000000-0xC00FFFFF -> physical 0x100000-0x1FFFFF
        ; (256 pages).  PDE index of 0xC0000000 = 0xC0000000 >> 22 = 768.
        mov     edi, PT_HIGH
        mov     eax, HIGH_PHYS | PG_PRESENT | PG_WRITE
        mov     ecx, 256
.high:  stosd
        add     eax, 4096
        loop    .high
        mov     dword [PAGE_DIR + (HIGH_VIRT >> 22) * 4], PT_HIGH | PG_PRESENT | PG_WRITE
        mov     esi, msg_tables
        call    puts32

        ; ---- Step 2: turn it on.  CR3 = the page directory's physical
        ; address; CR0 bit 31 (PG) = 1.  From the next instruction on,
        ; every address goes through the tables.
        mov     eax, PAGE_DIR
        mov     cr3, eax
        mov     eax, cr0
        or      eax, 0x80000000
        mov     cr0, eax
        mov     esi, msg_on
        call    puts32
        mov     eax, cr0
        call    hex32
        mov     esi, msg_cr3
        call    puts32
        mov     eax, cr3
        call    hex32
        mov     al, 10
        call    putc32

        ; ---- Step 3: one page, two addresses.  Write through the higher
        ; half, read through the identity map of physical 1 MiB.
        mov     dword [HIGH_VIRT], 0x600DF00D
        mov     esi, msg_alias
        call    puts32
        mov     eax, [HIGH_PHYS]
        call    hex32
        mov     al, 10
        call    putc32

        ; Code runs there too: copy "mov eax, 0xC0DEC0DE; ret" to physical
        ; 0x100100 and call it at its higher-half address 0xC0000100.
        mov     byte [HIGH_PHYS + 0x100], 0xB8          ; mov eax, imm32
        mov     dword [HIGH_PHYS + 0x101], 0xC0DEC0DE
        mov     byte [HIGH_PHYS + 0x105], 0xC3          ; ret
        mov     eax, HIGH_VIRT + 0x100
        call    eax
        mov     esi, msg_called
        call    puts32
        call    hex32
        mov     al, 10
        call    putc32

        ; ---- Step 4: page faults.  0xD0000000 is mapped by nothing: its
        ; PDE (index 832) is zero.  The write below faults (#PF, vector
        ; 14), pf_handler maps a page, and the write is retried.
        mov     esi, msg_touch
        call    puts32
        mov     dword [0xD0000000], 0xCAFEBABE
        mov     esi, msg_back
        call    puts32
        mov     eax, [0xD0000000]
        call    hex32
        mov     al, 10
        call    putc32

        ; The next page shares that page table: this time only the PTE is
        ; missing.  A read of a fresh page gives zeros.
        mov     esi, msg_touch2
        call    puts32
        mov     eax, [0xD0001234]
        mov     esi, msg_read
        call    puts32
        call    hex32
        mov     al, 10
        call    putc32

        mov     esi, msg_faults
        call    puts32
        mov     eax, [fault_count]
        call    dec32
        mov     al, 10
        call    putc32
        mov     esi, msg_done
        call    puts32
        cli
.halt:  hlt
        jmp     .halt

; ------------------------------------------------------------------------
; pf_handler: the CPU pushed EFLAGS, CS, EIP (of the faulting instruction,
; so IRET retries it) and an error code; CR2 holds the address that
; faulted.  Error code bits: 0 P (0 = page not present, 1 = protection),
; 1 W/R (1 = a write), 2 U/S (1 = from ring 3).
pf_handler:
        pushad
        inc     dword [fault_count]
        mov     esi, msg_pf
        call    puts32
        mov     eax, cr2
        call    hex32
        mov     esi, msg_err
        call    puts32
        mov     eax, [esp + 32]         ; the error code, above PUSHAD's 8 registers
        call    hex32
        mov     al, 10
        call    putc32

        mov     edx, cr2
        cmp     edx, FREE_END           ; a fault in the identity-mapped low
        jb      .bug                    ; 4 MiB is a kernel bug, not demand paging
        test    dword [esp + 32], PG_PRESENT
        jnz     .bug                    ; present but protected: nothing to map

        ; The page table: PDE = page_dir[addr >> 22].
        mov     ebx, edx
        shr     ebx, 22
        lea     ebx, [PAGE_DIR + ebx * 4]
        test    dword [ebx], PG_PRESENT
        jnz     .have_table
        call    alloc_page              ; EAX = a zeroed physical page
        or      eax, PG_PRESENT | PG_WRITE
        mov     [ebx], eax
        mov     esi, msg_new_table
        call    puts32
        and     eax, ~0xFFF
        call    hex32
        mov     al, 10
        call    putc32
.have_table:
        ; The PTE: table[(addr >> 12) & 3FFh].  The table is reachable at
        ; its physical address because alloc_page only hands out pages of
        ; the identity-mapped low 4 MiB.
        mov     edi, [ebx]
        and     edi, ~0xFFF
        mov     ebx, edx
        shr     ebx, 12
        and     ebx, 0x3FF
        lea     edi, [edi + ebx * 4]
        call    alloc_page
        or      eax, PG_PRESENT | PG_WRITE
        mov     [edi], eax
        mov     esi, msg_new_page
        call    puts32
        and     eax, ~0xFFF
        call    hex32
        mov     al, 10
        call    putc32
        ; The TLB caches translations.  x86 does not cache "not present",
        ; so this is not strictly needed here, but a handler that changes
        ; an existing mapping must flush it.
        invlpg  [edx]
        popad
        add     esp, 4                  ; drop the error code: IRET does not
        iret                            ; back to the faulting instruction

.bug:   mov     esi, msg_bug
        call    puts32
        cli
        hlt

; alloc_page: EAX = the next free physical page, filled with zeros.
alloc_page:
        push    ecx
        push    edi
        mov     eax, [next_free]
        cmp     eax, FREE_END
        jae     .out
        add     dword [next_free], 4096
        mov     edi, eax
        push    eax
        xor     eax, eax
        mov     ecx, 1024
        cld
        rep     stosd
        pop     eax
        pop     edi
        pop     ecx
        ret
.out:   mov     esi, msg_oom
        call    puts32
        cli
        hlt

unexpected:
        mov     esi, msg_unexpected
        call    puts32
        cli
        hlt

%include "screen32.inc"

        align   4
fault_count: dd 0
next_free:   dd FREE_START

msg_real:      db "paging: stage 2, switching to protected mode", 10, 0
msg_pm:        db "paging: protected mode, building the page tables", 10, 0
msg_tables:    db "paging: identity map 0-4 MiB, 0xC0000000 -> 0x00100000 (1 MiB)", 10, 0
msg_on:        db "paging: paging on, CR0=", 0
msg_cr3:       db " CR3=", 0
msg_alias:     db "paging: wrote 600DF00D at 0xC0000000, read at phys 0x00100000: ", 0
msg_called:    db "paging: called code at 0xC0000100, it returned ", 0
msg_touch:     db "paging: writing CAFEBABE to unmapped 0xD0000000", 10, 0
msg_back:      db "paging: the write went through, read back ", 0
msg_touch2:    db "paging: reading unmapped 0xD0001234", 10, 0
msg_read:      db "paging: read ", 0
msg_faults:    db "paging: page faults handled: ", 0
msg_done:      db "paging: done, halting", 10, 0
msg_pf:        db "paging: #PF CR2=", 0
msg_err:       db " error code=", 0
msg_new_table: db "paging:   new page table at ", 0
msg_new_page:  db "paging:   mapped a zeroed page at ", 0
msg_bug:       db "paging: page fault the handler cannot fix, halting", 10, 0
msg_oom:       db "paging: out of free pages", 10, 0
msg_unexpected: db "paging: unexpected exception, halting", 10, 0

program_end:
