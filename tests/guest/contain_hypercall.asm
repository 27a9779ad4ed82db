; contain_hypercall.asm -- the paravirtual disk calls (port 0x520,
; docs/hypercall.md) take guest-physical buffer addresses: x86lab must
; check them against the RAM it has (16 MiB here).  A read whose buffer
; crosses the end of RAM, one whose address + length wraps past 4 GiB, and
; one with a huge count are refused with HC_BAD_CALL (1) and write
; nothing; a parameter block above RAM is ignored (no answer anywhere);
; a good read still works afterwards.
; x86lab-args: -drive size=64K
        org     0x7c00
        bits    16

%include "lib.inc"
%include "dev_lib.inc"

%define PB       0x0600             ; parameter block: call, status, a0-a4
%define RAM_END  0x01000000
%define BAD      0xEEEEEEEE

start:
        START16
        mov     dword [0x0700], 0x600D600D    ; canary after the block

        ; buffer crossing the end of RAM
        mov     eax, RAM_END - 256
        mov     ecx, 1
        call    disk_read
        EXPECT32 [PB + 4], 1, "buffer across the end of RAM: HC_BAD_CALL"
        ; address + length past 4 GiB (a 32-bit wrap to low memory)
        mov     eax, 0xFFFFFE00
        mov     ecx, 2
        call    disk_read
        EXPECT32 [PB + 4], 1, "buffer wrapping past 4 GiB: HC_BAD_CALL"
        ; a count of 2^31 sectors into low memory
        mov     eax, 0x8000
        mov     ecx, 0x80000000
        call    disk_read
        EXPECT32 [PB + 4], 1, "count 2^31: HC_BAD_CALL"
        EXPECT32 [0x0700], 0x600D600D, "nothing written beside the block"
        ; a parameter block above RAM: nothing answers, nothing breaks
        mov     dword [PB + 4], BAD
        mov     eax, RAM_END + 0x1000
        mov     dx, 0x520
        out     dx, eax
        EXPECT32 [PB + 4], BAD, "a block above RAM is ignored"
        ; a good call still works
        mov     dword [0x8000], BAD
        mov     eax, 0x8000
        mov     ecx, 1
        call    disk_read
        EXPECT32 [PB + 4], 0, "a read into RAM: HC_OK"
        EXPECT32 [0x8000], 0, "... and the blank disk's zeros arrived"
        call    finish

; disk_read: HC_DISK_READ of ECX sectors from drive 0x80, LBA 0, to
; physical EAX; the status is at [PB + 4] after
disk_read:
        mov     dword [PB], 1               ; HC_DISK_READ
        mov     dword [PB + 4], BAD
        mov     dword [PB + 8], 0x80
        mov     dword [PB + 12], 0
        mov     dword [PB + 16], 0
        mov     [PB + 20], ecx
        mov     [PB + 24], eax
        mov     eax, PB
        mov     dx, 0x520
        out     dx, eax
        ret

        LIB16
        DEVLIB
fails:  dw 0
