; paging_basic.asm -- 32-bit paging (SDM Vol. 3, chapter 4) seen from a
; guest: identity and higher-half mappings, #PF error codes and CR2 (not
; present, read-only with and without CR0.WP, user access to supervisor
; pages from ring 3), accessed and dirty bits, stale TLB entries kept
; until INVLPG or a CR3 reload, global pages, 4 MiB pages, and the IDT and
; TSS on supervisor-only pages (the CPU reads them as a supervisor).
; Needs a P6 model (CR4.PGE): the default.
%include "pm_lib.inc"

%define PD          0x30000         ; page directory
%define PT0         0x31000         ; identity map of 0-4 MiB
%define PT2         0x32000         ; 0x00800000-0x00BFFFFF, supervisor PDE
%define PTE(lin)    (PT0 + ((lin) >> 12) * 4)

%define PG_P        0x001
%define PG_W        0x002
%define PG_U        0x004
%define PG_A        0x020
%define PG_D        0x040
%define PG_PS       0x080
%define PG_G        0x100
%define PG_URW      (PG_P | PG_W | PG_U)
%define CR0_PG      0x80000000
%define CR0_WP      0x00010000
%define CR4_PSE     0x10
%define CR4_PGE     0x80

; test pages (identity-mapped, then changed)
%define NP_PAGE     0x50000
%define RO_PAGE     0x51000
%define AD_PAGE     0x52000
%define STALE_PAGE  0x53000
%define ALT_PAGE    0x54000
%define GLB_PAGE    0x55000
%define GLB_ALT     0x56000
%define NG_PAGE     0x57000
%define NG_ALT      0x58000
%define SUP_PAGE    0x59000
%define URO_PAGE    0x5A000
%define URW_PAGE    0x5B000
%define HI          0xC0000000

test_main:
        ; page table 0: 0-4 MiB identity, user, writable
        mov     edi, PT0
        mov     eax, PG_URW
        mov     ecx, 1024
        call    fill_ptes
        ; page table 2: one user page (0x00800000 -> 0x5C000) under a
        ; supervisor PDE
        mov     edi, PT2
        xor     eax, eax
        mov     ecx, 1024
        cld
        rep     stosd
        mov     dword [PT2], 0x5C000 | PG_URW
        mov     edi, PD
        mov     ecx, 1024
        rep     stosd
        mov     dword [PD], PT0 | PG_URW
        mov     dword [PD + 2 * 4], PT2 | PG_P | PG_W
        mov     dword [PD + (HI >> 22) * 4], PT0 | PG_URW
        mov     eax, PD
        mov     cr3, eax
        mov     eax, cr0
        or      eax, CR0_PG
        mov     cr0, eax
        mov     eax, cr0
        and     eax, CR0_PG | 1
        CHECKV  eax, CR0_PG | 1, "CR0.PG and PE read back"
        mov     eax, cr3
        CHECKV  eax, PD, "CR3 reads back"

        ; ---- higher half ----
        mov     dword [0x40000], 0x600DF00D
        CHECKV  [HI + 0x40000], 0x600DF00D, "higher-half alias reads the same page"
        mov     dword [HI + 0x40004], 0x12345678
        CHECKV  [0x40004], 0x12345678, "write through the higher-half alias"
        mov     eax, HI + hh_code
        call    eax
        CHECKV  [hh_eip], HI + hh_code.here, "code runs at its higher-half address"

        ; ---- not present ----
        and     dword [PTE(NP_PAGE)], ~PG_P
        invlpg  [NP_PAGE]
        TRY     .np1
        mov     eax, [NP_PAGE + 0x10]
.np1:   EXPECT  14, 0, "read of a not-present page: #PF(0)"
        mov     eax, cr2
        CHECKV  eax, NP_PAGE + 0x10, "CR2 = the faulting address (read)"
        TRY     .np2
        mov     byte [NP_PAGE + 0x123], 1
.np2:   EXPECT  14, 2, "write to a not-present page: #PF(2)"
        mov     eax, cr2
        CHECKV  eax, NP_PAGE + 0x123, "CR2 = the faulting address (write)"
        TRY     .np3
        mov     eax, [0x00C00004]
.np3:   EXPECT  14, 0, "not-present PDE: #PF(0)"
        mov     eax, cr2
        CHECKV  eax, 0x00C00004, "CR2 for the not-present PDE"
        ; a dword straddling into the not-present page
        mov     dword [NP_PAGE - 4], 0x01020304
        TRY     .np4
        mov     dword [NP_PAGE - 2], 0xAAAAAAAA
.np4:   EXPECT  14, 2, "write straddling into a not-present page: #PF(2)"
        mov     eax, cr2
        CHECKV  eax, NP_PAGE, "CR2 = first byte of the second page"
        CHECKV  [NP_PAGE - 4], 0x01020304, "the first page was not written"

        ; ---- read-only pages at CPL 0 ----
        and     dword [PTE(RO_PAGE)], ~PG_W
        invlpg  [RO_PAGE]
        TRY     .ro1
        mov     dword [RO_PAGE], 0xAAAA5555
.ro1:   mov     dword [resume], 0
        CHECKV  [exc_vec], NOFAULT, "CR0.WP=0: CPL 0 writes a read-only page"
        CHECKV  [RO_PAGE], 0xAAAA5555, "and the write happened"
        mov     eax, cr0
        or      eax, CR0_WP
        mov     cr0, eax
        TRY     .ro2
        mov     dword [RO_PAGE], 0x11111111
.ro2:   EXPECT  14, 3, "CR0.WP=1: CPL 0 write to a read-only page: #PF(3)"
        mov     eax, cr2
        CHECKV  eax, RO_PAGE, "CR2 for the read-only write"
        CHECKV  [RO_PAGE], 0xAAAA5555, "the page is unchanged"
        mov     eax, cr0
        and     eax, ~CR0_WP
        mov     cr0, eax

        ; ---- accessed and dirty bits ----
        and     dword [PTE(AD_PAGE)], ~(PG_A | PG_D)
        and     dword [PD], ~PG_A
        invlpg  [AD_PAGE]
        mov     eax, [AD_PAGE]
        mov     eax, [PTE(AD_PAGE)]
        and     eax, PG_A | PG_D
        CHECKV  eax, PG_A, "a read sets A in the PTE, not D"
        mov     eax, [PD]
        and     eax, PG_A | PG_D
        CHECKV  eax, PG_A, "the walk sets A in the PDE"
        mov     byte [AD_PAGE + 1], 5
        mov     eax, [PTE(AD_PAGE)]
        and     eax, PG_A | PG_D
        CHECKV  eax, PG_A | PG_D, "a write after the read sets D"
        mov     eax, [PD]
        and     eax, PG_D
        CHECKV  eax, 0, "D is not set in a PDE that points to a table"

        ; ---- stale TLB entries ----
        mov     dword [STALE_PAGE], 0x0001D001
        mov     dword [ALT_PAGE], 0x0000A17E
        mov     eax, [STALE_PAGE]
        mov     dword [PTE(STALE_PAGE)], ALT_PAGE | PG_URW
        CHECKV  [STALE_PAGE], 0x0001D001, "PTE changed without INVLPG: the old mapping is still used"
        invlpg  [STALE_PAGE + 0x800]
        CHECKV  [STALE_PAGE], 0x0000A17E, "after INVLPG: the new mapping"
        mov     dword [PTE(STALE_PAGE)], STALE_PAGE | PG_URW
        CHECKV  [STALE_PAGE], 0x0000A17E, "changed back: still the cached one"
        mov     eax, cr3
        mov     cr3, eax
        CHECKV  [STALE_PAGE], 0x0001D001, "a CR3 reload flushes it"
        ; a PTE made not present is still translated until flushed
        mov     eax, [STALE_PAGE]
        and     dword [PTE(STALE_PAGE)], ~PG_P
        CHECKV  [STALE_PAGE], 0x0001D001, "cleared P without INVLPG: still mapped"
        invlpg  [STALE_PAGE]
        TRY     .st1
        mov     eax, [STALE_PAGE]
.st1:   EXPECT  14, 0, "after INVLPG: #PF"
        or      dword [PTE(STALE_PAGE)], PG_P
        invlpg  [STALE_PAGE]

        ; ---- global pages ----
        mov     eax, cr4
        or      eax, CR4_PGE
        mov     cr4, eax
        mov     dword [GLB_PAGE], 0x61
        mov     dword [GLB_ALT], 0x62
        mov     dword [NG_PAGE], 0x71
        mov     dword [NG_ALT], 0x72
        or      dword [PTE(GLB_PAGE)], PG_G
        invlpg  [GLB_PAGE]
        mov     eax, [GLB_PAGE]
        mov     eax, [NG_PAGE]
        mov     dword [PTE(GLB_PAGE)], GLB_ALT | PG_URW | PG_G
        mov     dword [PTE(NG_PAGE)], NG_ALT | PG_URW
        mov     eax, cr3
        mov     cr3, eax
        CHECKV  [GLB_PAGE], 0x61, "a global page survives a CR3 reload (CR4.PGE)"
        CHECKV  [NG_PAGE], 0x72, "a non-global page does not"
        mov     eax, cr4
        and     eax, ~CR4_PGE
        mov     cr4, eax
        CHECKV  [GLB_PAGE], 0x62, "clearing CR4.PGE flushes global pages"
        mov     dword [PTE(GLB_PAGE)], GLB_PAGE | PG_URW | PG_G
        mov     eax, cr3
        mov     cr3, eax
        CHECKV  [GLB_PAGE], 0x61, "G without CR4.PGE: flushed by a CR3 reload"
        mov     dword [PTE(NG_PAGE)], NG_PAGE | PG_URW
        invlpg  [NG_PAGE]

        ; ---- 4 MiB pages ----
        mov     eax, cr4
        or      eax, CR4_PSE
        mov     cr4, eax
        mov     dword [PD + 1 * 4], 0x00000000 | PG_PS | PG_URW
        mov     dword [0x42000], 0x00B16B16
        CHECKV  [0x442000], 0x00B16B16, "a 4 MiB page maps 0x442000 to 0x42000"
        mov     eax, [PD + 4]
        and     eax, PG_A | PG_D
        CHECKV  eax, PG_A, "a read sets A in the 4 MiB PDE"
        mov     dword [0x442004], 1
        mov     eax, [PD + 4]
        and     eax, PG_A | PG_D
        CHECKV  eax, PG_A | PG_D, "a write sets D in the 4 MiB PDE"
        mov     dword [PD + 4], 0
        CHECKV  [0x442000], 0x00B16B16, "PDE cleared: the 4 MiB entry is still cached"
        invlpg  [0x00400000]
        TRY     .ps1
        mov     eax, [0x442000]
.ps1:   EXPECT  14, 0, "INVLPG elsewhere in the 4 MiB page drops it"
        ; with CR4.PSE clear, PS is ignored: the PDE points to a table
        mov     eax, cr4
        and     eax, ~CR4_PSE
        mov     cr4, eax
        mov     dword [PD + 1 * 4], PT0 | PG_PS | PG_URW
        CHECKV  [0x442000], 0x00B16B16, "PS ignored without CR4.PSE (PT0 maps it)"
        mov     dword [PD + 1 * 4], 0
        mov     eax, cr3
        mov     cr3, eax

        ; ---- ring 3 ----
        and     dword [PTE(SUP_PAGE)], ~PG_U
        and     dword [PTE(URO_PAGE)], ~PG_W
        ; The IDT, the TSS and the ring-0 stack on supervisor pages, the
        ; IDT read-only too: the CPU reaches them as a supervisor.
        and     dword [PTE(IDT_BASE)], ~(PG_U | PG_W)
        and     dword [PTE(TSS_MAIN)], ~PG_U
        and     dword [PTE(STACK0_TSS - 4)], ~PG_U
        mov     eax, cr3
        mov     cr3, eax
        mov     dword [SUP_PAGE], 0x5EC
        mov     dword [URO_PAGE], 0x0123        ; CR0.WP is still clear
        mov     eax, cr0
        or      eax, CR0_WP
        mov     cr0, eax
        mov     eax, ring3_part
        call    run_ring3
        CHECKV  [r3_vec1], 14, "ring 3 read of a supervisor page: #PF"
        CHECKV  [r3_err1], 5, "  error code 5 (P, U/S)"
        CHECKV  [r3_val], 0x0123, "ring 3 reads a user read-only page"
        CHECKV  [r3_vec2], 14, "ring 3 write to a user read-only page: #PF"
        CHECKV  [r3_err2], 7, "  error code 7 (P, W/R, U/S)"
        CHECKV  [r3_vec3], NOFAULT, "ring 3 writes a user read/write page"
        CHECKV  [URW_PAGE], 0x3333, "  and the write happened"
        CHECKV  [r3_vec4], 14, "ring 3 read through a supervisor PDE: #PF"
        CHECKV  [r3_err4], 5, "  error code 5"
        CHECKV  [r3_vec5], 14, "ring 3 read of a not-present page: #PF"
        CHECKV  [r3_err5], 4, "  error code 4 (U/S only)"
        mov     eax, cr2
        CHECKV  eax, NP_PAGE + 8, "CR2 of the last ring 3 fault"
        CHECKV  [SUP_PAGE], 0x5EC, "the supervisor page is unchanged"

        FINISH32

hh_code:
        call    .here
.here:  pop     eax
        mov     [hh_eip], eax
        ret

ring3_part:
        mov     ax, SEL_DATA3
        mov     ds, ax
        mov     es, ax
        TRY     .u1
        mov     eax, [SUP_PAGE]
.u1:    mov     eax, [exc_vec]
        mov     [r3_vec1], eax
        mov     eax, [exc_err]
        mov     [r3_err1], eax
        mov     eax, [URO_PAGE]
        mov     [r3_val], eax
        TRY     .u2
        mov     dword [URO_PAGE + 8], 1
.u2:    mov     eax, [exc_vec]
        mov     [r3_vec2], eax
        mov     eax, [exc_err]
        mov     [r3_err2], eax
        TRY     .u3
        mov     dword [URW_PAGE], 0x3333
.u3:    mov     eax, [exc_vec]
        mov     [r3_vec3], eax
        TRY     .u4
        mov     eax, [0x00800000]
.u4:    mov     eax, [exc_vec]
        mov     [r3_vec4], eax
        mov     eax, [exc_err]
        mov     [r3_err4], eax
        TRY     .u5
        mov     eax, [NP_PAGE + 8]
.u5:    mov     eax, [exc_vec]
        mov     [r3_vec5], eax
        mov     eax, [exc_err]
        mov     [r3_err5], eax
        mov     dword [resume], 0
        call    SEL_BACK:0

        align   4
hh_eip:  dd 0
r3_vec1: dd 0
r3_err1: dd 0
r3_val:  dd 0
r3_vec2: dd 0
r3_err2: dd 0
r3_vec3: dd 0
r3_vec4: dd 0
r3_err4: dd 0
r3_vec5: dd 0
r3_err5: dd 0
