; contain_mem.asm -- guest-controlled physical addresses never reach host
; memory outside what was given to the machine (16 MiB of RAM here).  In
; flat 32-bit protected mode:
;   - above the end of RAM reads are all-ones and writes go nowhere, for
;     plain moves, a dword straddling the end, and REP MOVS/STOS/LODS runs
;     (forwards and backwards) that cross it;
;   - string instructions across MMIO: REP MOVSB from RAM into the VGA
;     window (0x9FFC0-0xA003F) and REP STOSB out of its end (0xBFFF0-
;     0xC000F) run, RAM around them is untouched;
;   - the VBE bank register beyond video memory (bank 0xFFFF) is refused
;     (the window stays where it was, as on Bochs); the last bank filled
;     with a run that goes on past the window leaves bank 0 alone; the
;     linear frame buffer ends at 16 MiB:
;     a dword straddling its end keeps its first bytes, beyond it is
;     all-ones;
;   - a page walk through a page table above RAM (PDE -> 0x40000000):
;     the table reads as all-ones (present, writable, user, frame
;     0xFFFFF000), so the access reads all-ones and its write vanishes,
;     A/D-bit updates of the walk included.
; Run under ASan too (make test-asan): nothing here may touch host memory
; outside the guest's RAM and video memory.
%include "pm_lib.inc"

; The Bochs VBE registers (ports 0x1CE index, 0x1CF data)
%define VBE_XRES    1
%define VBE_YRES    2
%define VBE_BPP     3
%define VBE_ENABLE  4
%define VBE_BANK    5
%macro VBE_SET 2
        mov     dx, 0x1CE
        mov     ax, %1
        out     dx, ax
        inc     dx
        mov     ax, %2
        out     dx, ax
%endmacro

%define RAM_END     0x01000000
%define BUF         0x00060000
%define CANARY      0x00062100
%define PD          0x00030000
%define PT0         0x00031000

test_main:
        ; ---- plain accesses above RAM ----
        mov     eax, [RAM_END]
        CHECKV  eax, 0xFFFFFFFF, "read at the end of RAM: all-ones"
        mov     dword [RAM_END + 0x100], 0x12345678
        mov     eax, [RAM_END + 0x100]
        CHECKV  eax, 0xFFFFFFFF, "write above RAM goes nowhere"
        mov     eax, [0xF0000000]
        CHECKV  eax, 0xFFFFFFFF, "read at 0xF0000000: all-ones"
        mov     dword [RAM_END - 2], 0x11223344
        movzx   eax, word [RAM_END - 2]
        CHECKV  eax, 0x3344, "dword straddling the end: its RAM half stored"
        mov     eax, [RAM_END - 2]
        CHECKV  eax, 0xFFFF3344, "dword straddling the end reads RAM then all-ones"

        ; ---- string instructions across the end of RAM ----
        mov     dword [CANARY], 0xC0FFEE11
        cld
        mov     edi, RAM_END - 0x80
        mov     ecx, 0x80
        mov     al, 0xA5
        rep stosb
        mov     esi, RAM_END - 0x80
        mov     edi, BUF
        mov     ecx, 0x100
        rep movsb
        mov     [saved_esi], esi
        mov     eax, [BUF + 0x7C]
        CHECKV  eax, 0xA5A5A5A5, "rep movsb across the end: the RAM part copied"
        mov     eax, [BUF + 0x80]
        CHECKV  eax, 0xFFFFFFFF, "rep movsb across the end: all-ones beyond"
        mov     eax, [saved_esi]
        CHECKV  eax, RAM_END + 0x80, "rep movsb across the end: ESI advanced"
        mov     edi, RAM_END - 0x10
        mov     ecx, 0x100
        mov     eax, 0x5A5A5A5A
        rep stosd
        CHECKV  edi, RAM_END + 0x3F0, "rep stosd across the end: EDI advanced"
        mov     eax, [RAM_END - 4]
        CHECKV  eax, 0x5A5A5A5A, "rep stosd across the end: RAM part stored"
        std
        mov     esi, RAM_END + 0x1000
        mov     edi, BUF + 0x200
        mov     ecx, 0x40
        rep movsd
        cld
        mov     eax, [BUF + 0x200]
        CHECKV  eax, 0xFFFFFFFF, "rep movsd backwards from above RAM: all-ones"
        mov     esi, RAM_END - 8
        mov     ecx, 4
        rep lodsd
        CHECKV  eax, 0xFFFFFFFF, "rep lodsd across the end: last dword all-ones"
        mov     eax, [CANARY]
        CHECKV  eax, 0xC0FFEE11, "low RAM untouched by the runs"

        ; ---- string instructions across MMIO ----
        mov     edi, 0x9FFC0
        mov     ecx, 0x40
        mov     al, 0x3C
        rep stosb
        mov     esi, 0x9FFC0
        mov     edi, BUF + 0x400
        mov     ecx, 0x80
        rep movsb
        mov     eax, [BUF + 0x400 + 0x3C]
        CHECKV  eax, 0x3C3C3C3C, "rep movsb from RAM into the VGA window"
        mov     edi, 0xBFFF0
        mov     ecx, 0x20
        mov     al, 0x77
        rep stosb
        CHECKV  edi, 0xC0010, "rep stosb out of the VGA window's end"
        mov     eax, [0x9FFBC]
        CHECKV  eax, 0, "RAM below the VGA window untouched"
        mov     eax, [CANARY]
        CHECKV  eax, 0xC0FFEE11, "RAM untouched by the MMIO runs"

        ; ---- VBE: a bank far beyond video memory, the LFB's end ----
        VBE_SET VBE_ENABLE, 0
        VBE_SET VBE_XRES, 640
        VBE_SET VBE_YRES, 480
        VBE_SET VBE_BPP, 8
        VBE_SET VBE_ENABLE, 1
        VBE_SET VBE_BANK, 0
        mov     dword [0xA0000], 0xCAFEF00D
        VBE_SET VBE_BANK, 0xFFFF
        mov     eax, [0xA0000]
        CHECKV  eax, 0xCAFEF00D, "VBE bank 0xFFFF is refused: the window stays at 0"
        VBE_SET VBE_BANK, 0xFF           ; the last 64 KiB of the 16 MiB
        mov     edi, 0xA0000
        mov     ecx, 0x4400              ; and 4 KiB past the window
        mov     eax, 0x22222222
        rep stosd
        mov     eax, [0xAFFFC]
        CHECKV  eax, 0x22222222, "VBE bank 0xFF: the window's last dword stored"
        VBE_SET VBE_BANK, 0
        mov     eax, [0xA0000]
        CHECKV  eax, 0xCAFEF00D, "VBE: bank 0 intact after filling bank 0xFF"
        VBE_SET VBE_ENABLE, 0x41         ; enabled, linear frame buffer
        mov     dword [0xE0FFFFFE], 0x99887766
        movzx   eax, word [0xE0FFFFFE]
        CHECKV  eax, 0x7766, "dword at the LFB's end: its VRAM half stored"
        mov     eax, [0xE1000000]
        CHECKV  eax, 0xFFFFFFFF, "past the LFB: all-ones"
        VBE_SET VBE_ENABLE, 0

        ; ---- a page walk through a page table above RAM ----
        mov     edi, PD
        mov     ecx, 1024
        xor     eax, eax
        rep stosd
        mov     dword [PD], PT0 | 3
        mov     dword [PD + 4], 0x40000000 | 3    ; 4-8 MiB: its table is above RAM
        mov     edi, PT0
        mov     eax, 3
        mov     ecx, 1024
        call    fill_ptes
        mov     eax, PD
        mov     cr3, eax
        mov     eax, cr0
        or      eax, 0x80000000
        mov     cr0, eax
        mov     eax, [0x00400000]
        CHECKV  eax, 0xFFFFFFFF, "page table above RAM: the access reads all-ones"
        mov     dword [0x00401000], 0x12345678
        mov     eax, [0x00401000]
        CHECKV  eax, 0xFFFFFFFF, "page table above RAM: the write vanishes"
        mov     eax, cr0
        and     eax, 0x7FFFFFFF
        mov     cr0, eax
        mov     eax, [CANARY]
        CHECKV  eax, 0xC0FFEE11, "RAM untouched by the walks"
        FINISH32

saved_esi: dd 0
