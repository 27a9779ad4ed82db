; paging_fetch.asm -- instruction fetches under paging: #PF on a jump to a
; not-present page (CR2 and the saved EIP are the target), an instruction
; straddling into a not-present page (CR2 = the second page, EIP = the
; instruction), execution across a page boundary once both are present,
; a ring 3 fetch from a supervisor page (#PF 5), and code patched through
; a second (alias) mapping of its physical page.
%include "pm_lib.inc"

%define PD          0x30000
%define PT0         0x31000
%define PTE(lin)    (PT0 + ((lin) >> 12) * 4)
%define PG_URW      0x7
%define PG_P        0x1
%define PG_U        0x4
%define CR0_PG      0x80000000

%define CODE_A      0x60000         ; present code page
%define CODE_B      0x61000         ; the page after it
%define SUP_CODE    0x62000         ; supervisor-only code page
%define SMC_PAGE    0x63000         ; code page...
%define SMC_ALIAS   0x64000         ; ...and an alias mapping of it

test_main:
        mov     edi, PT0
        mov     eax, PG_URW
        mov     ecx, 1024
        call    fill_ptes
        mov     edi, PD
        xor     eax, eax
        mov     ecx, 1024
        cld
        rep     stosd
        mov     dword [PD], PT0 | PG_URW
        mov     eax, PD
        mov     cr3, eax
        mov     eax, cr0
        or      eax, CR0_PG
        mov     cr0, eax

        ; ---- a jump to a not-present page ----
        mov     byte [CODE_B], 0xC3
        and     dword [PTE(CODE_B)], ~PG_P
        invlpg  [CODE_B]
        TRY     .f1
        jmp     CODE_B
.f1:    EXPECT  14, 0, "jump to a not-present page: #PF(0)"
        mov     eax, cr2
        CHECKV  eax, CODE_B, "  CR2 = the target"
        CHECKV  [exc_eip], CODE_B, "  saved EIP = the target"

        ; ---- an instruction straddling into the not-present page ----
        ; CODE_A + FFE: B8 78 56 | 34 12 (mov eax, 0x12345678), then jmp ebx
        or      dword [PTE(CODE_B)], PG_P
        invlpg  [CODE_B]
        mov     word [CODE_A + 0xFFE], 0x78B8
        mov     dword [CODE_B], 0xFF123456
        mov     byte [CODE_B + 4], 0xE3            ; 34 12 | FF E3: jmp ebx
        and     dword [PTE(CODE_B)], ~PG_P
        invlpg  [CODE_B]
        xor     eax, eax
        mov     ebx, .f3
        TRY     .f2
        jmp     CODE_A + 0xFFE
.f2:    EXPECT  14, 0, "instruction straddling into a not-present page: #PF(0)"
        mov     eax, cr2
        CHECKV  eax, CODE_B, "  CR2 = the start of the second page"
        CHECKV  [exc_eip], CODE_A + 0xFFE, "  saved EIP = the instruction"
        or      dword [PTE(CODE_B)], PG_P
        invlpg  [CODE_B]
        xor     eax, eax
        TRY     .f4
        jmp     CODE_A + 0xFFE
.f3:    mov     dword [resume], 0
        CHECKV  eax, 0x12345678, "the same instruction runs once both pages are present"
        jmp     .f5
.f4:    EXPECT  NOFAULT, 0, "  (no fault expected)"
.f5:

        ; ---- ring 3 fetch from a supervisor page ----
        mov     byte [SUP_CODE], 0xC3
        and     dword [PTE(SUP_CODE)], ~PG_U
        invlpg  [SUP_CODE]
        mov     eax, ring3_part
        call    run_ring3
        CHECKV  [r3_vec], 14, "ring 3 jump to a supervisor page: #PF"
        CHECKV  [r3_err], 5, "  error code 5"
        CHECKV  [r3_eip], SUP_CODE, "  saved EIP = the target"
        mov     eax, cr2
        CHECKV  eax, SUP_CODE, "  CR2 = the target"

        ; ---- self-modifying code through an alias mapping ----
        mov     dword [PTE(SMC_ALIAS)], SMC_PAGE | PG_URW
        invlpg  [SMC_ALIAS]
        mov     byte [SMC_ALIAS + 0], 0xB8         ; mov eax, 1; ret
        mov     dword [SMC_ALIAS + 1], 1
        mov     byte [SMC_ALIAS + 5], 0xC3
        call    SMC_PAGE
        CHECKV  eax, 1, "code written through the alias runs"
        mov     dword [SMC_ALIAS + 1], 2
        call    SMC_PAGE
        CHECKV  eax, 2, "patched through the alias: the new code runs"
        mov     dword [SMC_PAGE + 1], 3
        call    SMC_PAGE
        CHECKV  eax, 3, "patched through its own mapping: the new code runs"
        mov     dword [SMC_ALIAS + 1], 4
        call    SMC_PAGE
        CHECKV  eax, 4, "patched again through the alias"
        FINISH32

ring3_part:
        mov     ax, SEL_DATA3
        mov     ds, ax
        mov     es, ax
        TRY     .r1
        jmp     SUP_CODE
.r1:    mov     eax, [exc_vec]
        mov     [r3_vec], eax
        mov     eax, [exc_err]
        mov     [r3_err], eax
        mov     eax, [exc_eip]
        mov     [r3_eip], eax
        mov     dword [resume], 0
        call    SEL_BACK:0

        align   4
r3_vec: dd 0
r3_err: dd 0
r3_eip: dd 0
