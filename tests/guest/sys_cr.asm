; sys_cr.asm -- control, debug and descriptor-table registers at ring 0:
; MOV CRn round trips, reserved CR0/CR3 bits ignored, reserved CR4 bits and
; invalid CR0 combinations #GP(0), CR1/CR5 #UD, DR0-DR7 with the fixed DR6
; and DR7 bits, DR4/DR5 aliases and CR4.DE, DR7.GD, SGDT/SIDT/LGDT with
; both operand sizes, SMSW/LMSW/CLTS, INVD/WBINVD, UD2.
; Expects the P6 model (the default).
%include "pm_lib.inc"

%define CR0_PE      0x00000001
%define CR0_MP      0x00000002
%define CR0_EM      0x00000004
%define CR0_TS      0x00000008
%define CR0_ET      0x00000010
%define CR0_NW      0x20000000
%define CR0_CD      0x40000000
%define CR0_PG      0x80000000
%define CR4_DE      0x08

test_main:
        ; ---- CR0 ----
        mov     eax, cr0
        CHECKV  eax, CR0_CD | CR0_NW | CR0_ET | CR0_PE, "CR0: reset value (CD NW ET) and PE"
        and     eax, ~(CR0_CD | CR0_NW)
        mov     cr0, eax
        mov     [cr0_orig], eax
        mov     eax, [cr0_orig]
        or      eax, 0x1FFAFFC0            ; every reserved bit
        and     eax, ~CR0_ET
        mov     cr0, eax
        mov     eax, cr0
        CHECKV  eax, [cr0_orig], "CR0: reserved bits ignored, ET stays set"
        mov     eax, [cr0_orig]
        or      eax, CR0_CD | CR0_NW
        mov     cr0, eax
        mov     eax, cr0
        and     eax, CR0_CD | CR0_NW
        CHECKV  eax, CR0_CD | CR0_NW, "CR0: CD and NW together"
        mov     eax, [cr0_orig]
        and     eax, ~(CR0_CD | CR0_NW)
        mov     cr0, eax
        mov     eax, cr0
        and     eax, CR0_CD | CR0_NW
        CHECKV  eax, 0, "CR0: CD and NW cleared"
        mov     eax, [cr0_orig]
        or      eax, CR0_NW
        and     eax, ~CR0_CD
        TRY     .c1
        mov     cr0, eax
.c1:    EXPECT  13, 0, "CR0: NW without CD: #GP(0)"
        mov     eax, [cr0_orig]
        or      eax, CR0_PG
        and     eax, ~CR0_PE
        TRY     .c2
        mov     cr0, eax
.c2:    EXPECT  13, 0, "CR0: PG without PE: #GP(0)"
        mov     eax, cr0
        CHECKV  eax, [cr0_orig], "CR0 unchanged by the faulting writes"

        ; ---- CR2, CR3 ----
        mov     eax, 0x89ABCDEF
        mov     cr2, eax
        mov     eax, cr2
        CHECKV  eax, 0x89ABCDEF, "CR2 round trip"
        mov     eax, 0x00123FFF
        mov     cr3, eax
        mov     eax, cr3
        CHECKV  eax, 0x00123018, "CR3 keeps the base, PWT and PCD only"
        xor     eax, eax
        mov     cr3, eax

        ; ---- CR4 ----
        mov     eax, cr4
        CHECKV  eax, 0, "CR4 is 0 after reset"
        mov     eax, 0x39C                 ; TSD DE PSE PGE PCE OSFXSR (P6 has FXSR)
        mov     cr4, eax
        mov     eax, cr4
        CHECKV  eax, 0x39C, "CR4 round trip of every implemented bit"
        xor     eax, eax
        mov     cr4, eax
        mov     dword [bit], 1             ; VME
        call    cr4_reserved
        mov     dword [bit], 2             ; PVI
        call    cr4_reserved
        mov     dword [bit], 0x20          ; PAE
        call    cr4_reserved
        mov     dword [bit], 0x40          ; MCE
        call    cr4_reserved
        mov     dword [bit], 0x400         ; OSXMMEXCPT (no SSE)
        call    cr4_reserved
        mov     dword [bit], 0x80000000
        call    cr4_reserved
        CHECKV  [cr4_bad], 0, "CR4: VME PVI PAE MCE OSXMMEXCPT bit31 each #GP(0)"
        mov     eax, cr4
        CHECKV  eax, 0, "CR4 unchanged by the faulting writes"

        ; ---- CR1, CR5: #UD ----
        TRY     .u1
        db      0x0F, 0x20, 0xC8           ; mov eax, cr1
.u1:    EXPECT  6, 0, "mov eax, cr1: #UD"
        TRY     .u2
        db      0x0F, 0x22, 0xE8           ; mov cr5, eax
.u2:    EXPECT  6, 0, "mov cr5, eax: #UD"

        ; ---- debug registers ----
        mov     eax, 0x11111111
        mov     dr0, eax
        mov     eax, 0x22222222
        mov     dr1, eax
        mov     eax, 0x33333333
        mov     dr2, eax
        mov     eax, 0x44444444
        mov     dr3, eax
        mov     eax, dr0
        CHECKV  eax, 0x11111111, "DR0 round trip"
        mov     eax, dr1
        CHECKV  eax, 0x22222222, "DR1 round trip"
        mov     eax, dr2
        CHECKV  eax, 0x33333333, "DR2 round trip"
        mov     eax, dr3
        CHECKV  eax, 0x44444444, "DR3 round trip"
        mov     eax, dr6
        CHECKV  eax, 0xFFFF0FF0, "DR6 reset value"
        mov     eax, dr7
        CHECKV  eax, 0x00000400, "DR7 reset value"
        xor     eax, eax
        mov     dr6, eax
        mov     eax, dr6
        CHECKV  eax, 0xFFFF0FF0, "DR6: fixed bits stay"
        mov     eax, 0x0000400F
        mov     dr6, eax
        mov     eax, dr6
        CHECKV  eax, 0xFFFF4FFF, "DR6: BS and B0-B3 writable"
        mov     eax, 0xFFFF0000 | 0xD800
        mov     dr7, eax
        mov     eax, dr7
        CHECKV  eax, 0xFFFF0400, "DR7: reserved bits clear, bit 10 set"
        xor     eax, eax
        mov     dr7, eax
        ; DR4/DR5 are DR6/DR7 while CR4.DE is clear
        mov     eax, 0x00000001
        db      0x0F, 0x23, 0xE0           ; mov dr4, eax
        mov     eax, dr6
        CHECKV  eax, 0xFFFF0FF1, "DR4 writes DR6"
        db      0x0F, 0x21, 0xE8           ; mov eax, dr5
        CHECKV  eax, 0x00000400, "DR5 reads DR7"
        mov     eax, CR4_DE
        mov     cr4, eax
        TRY     .d1
        db      0x0F, 0x21, 0xE0           ; mov eax, dr4
.d1:    EXPECT  6, 0, "CR4.DE: mov eax, dr4 #UD"
        TRY     .d2
        db      0x0F, 0x23, 0xE8           ; mov dr5, eax
.d2:    EXPECT  6, 0, "CR4.DE: mov dr5, eax #UD"
        xor     eax, eax
        mov     cr4, eax
        ; DR7.GD: the next access is a #DB fault with DR6.BD, GD cleared
        xor     eax, eax
        mov     dr6, eax
        mov     eax, 0x2000
        mov     dr7, eax
        TRY     .d3
        mov     eax, dr0
.d3:    EXPECT  1, 0, "DR7.GD: access to DR0 is #DB"
        mov     eax, dr6
        and     eax, 0x2000
        CHECKV  eax, 0x2000, "DR6.BD set"
        mov     eax, dr7
        CHECKV  eax, 0x400, "DR7.GD cleared on entry to the handler"

        ; ---- SGDT / SIDT / LGDT / LIDT ----
        sgdt    [buf]
        movzx   eax, word [buf]
        CHECKV  eax, gdt_end - gdt - 1, "SGDT limit"
        CHECKV  [buf + 2], gdt, "SGDT base"
        sidt    [buf]
        movzx   eax, word [buf]
        CHECKV  eax, 256 * 8 - 1, "SIDT limit"
        CHECKV  [buf + 2], IDT_BASE, "SIDT base"
        mov     dword [buf], 0xFFFFFFFF
        mov     dword [buf + 4], 0xFFFFFFFF
        o16 sgdt [buf]
        movzx   eax, byte [buf + 5]
        CHECKV  eax, 0, "16-bit SGDT: sixth byte 0 (386+)"
        CHECKV  [buf + 2], gdt, "16-bit SGDT: 24-bit base"
        ; a 16-bit LGDT ignores the base's top byte
        mov     word [buf], 0x1234
        mov     dword [buf + 2], 0xAB000000 | 0x00345678
        o16 lgdt [buf]
        sgdt    [buf2]
        lgdt    [gdtr]
        movzx   eax, word [buf2]
        CHECKV  eax, 0x1234, "16-bit LGDT: limit"
        CHECKV  [buf2 + 2], 0x00345678, "16-bit LGDT: 24-bit base"
        lidt    [buf]
        sidt    [buf2]
        lidt    [idtr]
        CHECKV  [buf2 + 2], 0xAB345678, "32-bit LIDT: full base"
        TRY     .g1
        db      0x0F, 0x01, 0xD0           ; lgdt with a register operand
.g1:    EXPECT  6, 0, "LGDT with a register operand: #UD"

        ; ---- SMSW / LMSW / CLTS ----
        smsw    eax
        mov     ebx, cr0
        CHECKV  eax, ebx, "SMSW r32 stores CR0"
        mov     word [buf], 0xFFFF
        mov     word [buf + 2], 0xFFFF
        smsw    [buf]
        mov     eax, [buf]
        and     ebx, 0xFFFF
        or      ebx, 0xFFFF0000
        CHECKV  eax, ebx, "SMSW m16 stores 16 bits"
        mov     ax, CR0_MP | CR0_EM | CR0_TS    ; PE clear
        lmsw    ax
        mov     eax, cr0
        and     eax, 0xF
        CHECKV  eax, 0xF, "LMSW loads MP EM TS and cannot clear PE"
        clts
        mov     eax, cr0
        and     eax, 0xF
        CHECKV  eax, CR0_PE | CR0_MP | CR0_EM, "CLTS clears TS"
        mov     ax, CR0_PE
        lmsw    ax
        mov     eax, cr0
        CHECKV  eax, [cr0_orig], "LMSW back to PE only"

        ; ---- INVD, WBINVD, UD2 ----
        TRY     .i1
        invd
        wbinvd
.i1:    mov     dword [resume], 0
        CHECKV  [exc_vec], NOFAULT, "INVD and WBINVD at ring 0"
        TRY     .i2
        ud2
.i2:    EXPECT  6, 0, "UD2: #UD"

        FINISH32

; Sets [bit] in CR4 and expects #GP(0); counts misses in [cr4_bad].
cr4_reserved:
        mov     eax, [bit]
        TRY     .x
        mov     cr4, eax
.x:     call    is_gp0
        je      .ok
        inc     dword [cr4_bad]
.ok:    ret

        align   4
cr0_orig: dd 0
bit:      dd 0
cr4_bad:  dd 0
buf:      times 8 db 0
buf2:     times 8 db 0
