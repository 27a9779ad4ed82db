; pm_seg.asm -- protected-mode data/stack segment loads and the system
; segment instructions: MOV/POP to DS..GS and SS with every check and its
; error code (#GP(sel), #GP(0), #NP(sel), #SS(sel)), null selectors,
; accessed bits, then LLDT/LTR/SLDT/STR/LAR/LSL/VERR/VERW/ARPL.
%include "pm_lib.inc"

%define SEL_XONLY    0x48           ; execute-only code
%define SEL_NPDATA   0x50           ; not-present data
%define SEL_FRESH    0x58           ; data, accessed bit clear
%define SEL_RODATA   0x60           ; read-only data
%define SEL_SMALLSS  0x68           ; data, limit 0xFFF (byte granular)
%define SEL_DATA3X   0x70           ; data DPL 3
%define SEL_LDTD     0x78           ; an LDT descriptor
%define SEL_TSS2     0x80           ; an available 32-bit TSS
%define SEL_INTG     0x88           ; a (misplaced) interrupt gate in the GDT
%define SEL_SMALLSS3 0x93           ; data DPL 3, limit 0xFFF (byte granular)

test_main:
        DESC    SEL_XONLY, 0, 0xFFFFF, 0x98, 0xC
        DESC    SEL_NPDATA, 0, 0xFFFFF, ACC_DATA ^ NOTPRESENT, 0xC
        DESC    SEL_FRESH, 0, 0xFFFFF, ACC_DATA, 0xC
        DESC    SEL_RODATA, 0, 0xFFFFF, 0x90, 0xC
        DESC    SEL_SMALLSS, 0, 0xFFF, ACC_DATA, 4
        DESC    SEL_SMALLSS3, 0, 0xFFF, ACC_DATA | DPL3, 4
        DESC    SEL_DATA3X, 0, 0xFFFFF, ACC_DATA | DPL3, 0xC
        DESC    SEL_LDTD, 0x13000, 0x17, ACC_LDT, 0
        DESC    SEL_TSS2, TSS_AREA, 0x67, ACC_TSS32, 0
        mov     edi, SEL_INTG
        mov     eax, 0x1234
        mov     bx, SEL_CODE0
        mov     cl, ACC_INT32
        mov     ch, 0
        call    set_gdt_gate

        ; ---- loads that work ----
        mov     ax, SEL_CODE0           ; readable code into DS is allowed
        mov     fs, ax
        mov     eax, fs
        CHECKV  eax, SEL_CODE0, "mov fs, readable code"
        mov     ax, SEL_FRESH
        mov     gs, ax
        mov     eax, [gdt + SEL_FRESH + 4]
        and     eax, 0xFF00
        CHECKV  eax, 0x9300, "segment load sets the accessed bit"
        xor     eax, eax
        mov     gs, ax                  ; null is fine for GS
        mov     eax, gs
        CHECKV  eax, 0, "mov gs, null"
        mov     ax, 3                   ; a null selector with RPL 3
        mov     fs, ax
        mov     eax, fs
        CHECKV  eax, 3, "mov fs, null with RPL 3 keeps the selector"

        ; ---- faults ----
        TRY     .f1
        mov     eax, [fs:0]
.f1:    EXPECT  13, 0, "access through a null FS: #GP(0)"
        TRY     .f2
        mov     ax, SEL_XONLY
        mov     ds, ax
.f2:    EXPECT  13, SEL_XONLY, "mov ds, execute-only code: #GP(sel)"
        TRY     .f3
        mov     ax, SEL_NPDATA
        mov     es, ax
.f3:    EXPECT  11, SEL_NPDATA, "mov es, not present: #NP(sel)"
        TRY     .f4
        mov     ax, SEL_NPDATA
        mov     ss, ax
.f4:    EXPECT  12, SEL_NPDATA, "mov ss, not present: #SS(sel)"
        TRY     .f5
        xor     ax, ax
        mov     ss, ax
.f5:    EXPECT  13, 0, "mov ss, null: #GP(0)"
        TRY     .f6
        mov     ax, SEL_CODE0
        mov     ss, ax
.f6:    EXPECT  13, SEL_CODE0, "mov ss, code: #GP(sel)"
        TRY     .f7
        mov     ax, SEL_RODATA
        mov     ss, ax
.f7:    EXPECT  13, SEL_RODATA, "mov ss, read-only data: #GP(sel)"
        TRY     .f8
        mov     ax, SEL_DATA0 | 3
        mov     ss, ax
.f8:    EXPECT  13, SEL_DATA0, "mov ss, RPL != CPL: #GP(sel)"
        TRY     .f9
        mov     ax, SEL_DATA3X | 3
        mov     ss, ax
.f9:    EXPECT  13, SEL_DATA3X, "mov ss, DPL != CPL: #GP(sel)"
        TRY     .f10
        mov     ax, 0x0FF8
        mov     ds, ax
.f10:   EXPECT  13, 0x0FF8, "mov ds, beyond the GDT limit: #GP(sel)"
        TRY     .f11
        mov     ax, SEL_INTG
        mov     ds, ax
.f11:   EXPECT  13, SEL_INTG, "mov ds, a gate descriptor: #GP(sel)"
        TRY     .f12
        push    word SEL_NPDATA
        pop     ds
.f12:   EXPECT  11, SEL_NPDATA, "pop ds, not present: #NP(sel)"
        mov     esp, STACK0
        TRY     .f13
        mov     ax, 0x0C                ; LDT selector, LDTR null
        mov     ds, ax
.f13:   EXPECT  13, 0x0C, "mov ds, LDT selector without an LDT: #GP(sel)"
        TRY     .f14
        mov     eax, [cs:0]             ; fine: code is readable
        mov     [cs:scratch], eax       ; code is never writable
.f14:   EXPECT  13, 0, "write through CS: #GP(0)"
        mov     eax, ds
        CHECKV  eax, SEL_DATA0, "DS unchanged by the faulting loads"

        ; ---- LLDT / LTR / SLDT / STR ----
        mov     ax, SEL_LDTD
        lldt    ax
        mov     eax, 0xFFFFFFFF
        sldt    eax
        CHECKV  eax, SEL_LDTD, "sldt r32 zero-extends"
        mov     eax, 0xFFFFFFFF
        str     eax
        CHECKV  eax, SEL_TSS, "str r32 zero-extends"
        mov     word [scratch], 0x5555
        str     [scratch]
        CHECKV  [scratch], SEL_TSS, "str m16"
        TRY     .l1
        mov     ax, SEL_FRESH
        lldt    ax
.l1:    EXPECT  13, SEL_FRESH, "lldt with a data descriptor: #GP(sel)"
        TRY     .l2
        mov     ax, SEL_TSS
        ltr     ax
.l2:    EXPECT  13, SEL_TSS, "ltr with a busy TSS: #GP(sel)"
        TRY     .l3
        xor     ax, ax
        ltr     ax
.l3:    EXPECT  13, 0, "ltr null: #GP(0)"
        mov     eax, [gdt + SEL_TSS + 4]
        and     eax, 0xF00
        CHECKV  eax, 0xB00, "ltr marked the boot TSS busy"

        ; ---- LAR / LSL / VERR / VERW / ARPL ----
        mov     eax, 0x12345678
        mov     cx, SEL_DATA3X
        lar     eax, cx
        setz    bl
        CHECKV  eax, 0x00CFF200, "lar r32: access rights"
        movzx   ebx, bl
        CHECKV  ebx, 1, "lar sets ZF"
        mov     ax, 0x1234
        mov     cx, SEL_TSS2
        lar     ax, cx
        CHECKV  eax, 0x00CF8900, "lar r16 on a TSS (upper half kept)"
        mov     cx, SEL_INTG
        lar     eax, cx
        setz    bl
        movzx   ebx, bl
        CHECKV  ebx, 0, "lar on an interrupt gate clears ZF"
        mov     cx, SEL_DATA0 | 3       ; RPL 3 > DPL 0
        lar     eax, cx
        setz    bl
        movzx   ebx, bl
        CHECKV  ebx, 0, "lar with RPL > DPL clears ZF"
        mov     cx, SEL_SMALLSS
        lsl     eax, cx
        CHECKV  eax, 0xFFF, "lsl byte-granular limit"
        mov     cx, SEL_DATA0
        lsl     eax, cx
        CHECKV  eax, 0xFFFFFFFF, "lsl page-granular limit"
        mov     cx, SEL_LDTD
        lsl     eax, cx
        CHECKV  eax, 0x17, "lsl on an LDT descriptor"
        mov     cx, 0
        lsl     eax, cx
        setz    bl
        movzx   ebx, bl
        CHECKV  ebx, 0, "lsl null clears ZF"
        mov     cx, SEL_RODATA
        verr    cx
        setz    bl
        verw    cx
        setz    bh
        movzx   ebx, bx
        CHECKV  ebx, 0x0001, "verr/verw on read-only data"
        mov     cx, SEL_XONLY
        verr    cx
        setz    bl
        mov     cx, SEL_NPDATA          ; VERW does not look at P
        verw    cx
        setz    bh
        movzx   ebx, bx
        CHECKV  ebx, 0x0100, "verr execute-only, verw not-present data"
        mov     ax, 0x0011
        mov     cx, 0x0003
        arpl    ax, cx
        setz    bl
        movzx   ebx, bl
        shl     ebx, 16
        mov     bx, ax
        CHECKV  ebx, 0x00010013, "arpl raises RPL and sets ZF"
        mov     ax, 0x0013
        mov     cx, 0x0001
        arpl    ax, cx
        setz    bl
        movzx   ebx, bl
        shl     ebx, 16
        mov     bx, ax
        CHECKV  ebx, 0x00000013, "arpl keeps a higher RPL, clears ZF"

        ; at ring 3: LLDT is #GP(0) (CPL), LAR sees DPL 0 as invisible
        mov     eax, ring3_part
        call    run_ring3
        CHECKV  [r3_vec], 13, "lldt at ring 3: #GP"
        CHECKV  [r3_err], 0, "lldt at ring 3: error code 0"
        CHECKV  [r3_lar], 0, "lar at ring 3 on a DPL 0 segment: ZF=0"
        CHECKV  [r3_ds], 0, "DS was nulled on the way to ring 3"
        CHECKV  [r3_ssvec], 12, "push beyond the SS limit: #SS"
        CHECKV  [r3_sserr], 0, "push beyond the SS limit: error code 0"
        CHECKV  [r3_ssesp], 0x1002, "ESP unchanged by the faulting push"

        FINISH32

ring3_part:
        mov     eax, ds
        mov     [ss:r3_ds], eax
        mov     ax, SEL_DATA3
        mov     ds, ax
        mov     es, ax
        TRY     .x1
        lldt    ax
.x1:    mov     eax, [exc_vec]
        mov     [r3_vec], eax
        mov     eax, [exc_err]
        mov     [r3_err], eax
        mov     dword [resume], 0
        mov     cx, SEL_DATA0
        lar     eax, cx
        setz    al
        movzx   eax, al
        mov     [r3_lar], eax
        ; stack limit: SS limit 0xFFF, ESP 0x1002 -> push faults #SS(0)
        mov     ax, SEL_SMALLSS3
        mov     ss, ax
        mov     esp, 0x1002
        TRY     .x2
        push    eax
.x2:    mov     [r3_ssesp], esp
        mov     ax, SEL_DATA3
        mov     ss, ax
        mov     esp, STACK3
        mov     eax, [exc_vec]
        mov     [r3_ssvec], eax
        mov     eax, [exc_err]
        mov     [r3_sserr], eax
        mov     dword [resume], 0
        call    SEL_BACK:0

        align   4
scratch: dd 0
r3_vec: dd 0
r3_err: dd 0
r3_lar: dd 1
r3_ds:  dd 1
r3_ssvec: dd 0
r3_sserr: dd 1
r3_ssesp: dd 0
