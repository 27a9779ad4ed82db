; dev_vga_planar.asm -- the graphics controller on planar 16-colour modes
; (12h, 640x480, and 0Dh, 320x200), programmed from register tables: map
; mask; write mode 0 with set/reset, data rotate, logical operations (AND,
; OR, XOR against the latches) and the bit mask; write mode 1 (latch copy,
; the classic screen-to-screen scroll); write mode 2 (data bits are
; colours); write mode 3 (rotated data ANDed into the bit mask, colour
; from set/reset); read mode 0 (read map select) and read mode 1 (colour
; compare with colour don't care).
%include "pm_lib.inc"
%include "dev_vga_lib.inc"

%define VMEM 0xA0000

; READPLANE plane, offset: EAX = the byte of that plane (read mode 0)
%macro READPLANE 2
        SETREG  0x3CE, 4, %1
        movzx   eax, byte [VMEM + %2]
%endmacro

test_main:
        mov     esi, mode12_regs
        call    vga_set_mode
        ; clear all planes (write mode 0, all planes, no set/reset)
        cld
        mov     edi, VMEM
        mov     ecx, 0x10000 / 4
        xor     eax, eax
        rep     stosd

        ; ---- map mask ----
        SETREG  0x3C4, 2, 0x05
        mov     byte [VMEM + 0x10], 0x3C
        SETREG  0x3C4, 2, 0x0F
        READPLANE 0, 0x10
        CHECKV  eax, 0x3C, "map mask 0101: plane 0 written"
        READPLANE 1, 0x10
        CHECKV  eax, 0x00, "map mask 0101: plane 1 untouched"
        READPLANE 2, 0x10
        CHECKV  eax, 0x3C, "map mask 0101: plane 2 written"

        ; ---- write mode 0: set/reset ----
        SETREG  0x3CE, 0, 0x0A              ; colour 1010
        SETREG  0x3CE, 1, 0x0F              ; enable set/reset on all planes
        mov     byte [VMEM + 0x11], 0x00    ; the data byte does not matter
        SETREG  0x3CE, 1, 0x00
        READPLANE 1, 0x11
        CHECKV  eax, 0xFF, "set/reset: plane 1 filled"
        READPLANE 0, 0x11
        CHECKV  eax, 0x00, "set/reset: plane 0 cleared"
        ; enable set/reset on plane 0 only: other planes take the data
        SETREG  0x3CE, 0, 0x01
        SETREG  0x3CE, 1, 0x01
        mov     byte [VMEM + 0x12], 0x5A
        SETREG  0x3CE, 1, 0x00
        READPLANE 0, 0x12
        CHECKV  eax, 0xFF, "enable set/reset 0001: plane 0 from set/reset"
        READPLANE 3, 0x12
        CHECKV  eax, 0x5A, "enable set/reset 0001: plane 3 from the data"

        ; ---- write mode 0: rotate, XOR with the latches, bit mask ----
        mov     al, [VMEM + 0x11]           ; latches: 00 FF 00 FF
        SETREG  0x3CE, 3, 0x18 | 4          ; XOR, rotate right 4
        SETREG  0x3CE, 8, 0xF0
        mov     byte [VMEM + 0x11], 0x0F    ; rotated: F0
        SETREG  0x3CE, 3, 0x00
        SETREG  0x3CE, 8, 0xFF
        READPLANE 0, 0x11
        CHECKV  eax, 0xF0, "rotate 4 and XOR: plane 0 = F0 ^ 00"
        READPLANE 1, 0x11
        CHECKV  eax, 0x0F, "rotate 4, XOR, bit mask F0: plane 1 = (F0 ^ FF) | 0F"
        ; AND and OR
        mov     al, [VMEM + 0x11]           ; latches: F0 0F F0 0F
        SETREG  0x3CE, 3, 0x08              ; AND
        mov     byte [VMEM + 0x13], 0x3C
        SETREG  0x3CE, 3, 0x10              ; OR
        mov     byte [VMEM + 0x14], 0x3C
        SETREG  0x3CE, 3, 0x00
        READPLANE 0, 0x13
        CHECKV  eax, 0x30, "AND with the latch: 3C & F0"
        READPLANE 1, 0x14
        CHECKV  eax, 0x3F, "OR with the latch: 3C | 0F"

        ; ---- write mode 1: copy 4 bytes of all planes through the latches ----
        mov     esi, VMEM + 0x10
        mov     edi, VMEM + 0x1000
        mov     ecx, 4
        SETREG  0x3CE, 5, 0x01
        rep     movsb
        SETREG  0x3CE, 5, 0x00
        READPLANE 1, 0x1001
        CHECKV  eax, 0x0F, "write mode 1: plane 1 copied"
        READPLANE 3, 0x1002
        CHECKV  eax, 0x5A, "write mode 1: plane 3 copied"
        READPLANE 2, 0x1000
        CHECKV  eax, 0x3C, "write mode 1: plane 2 copied"

        ; ---- write mode 2: colour 9 on pixel 5 of a byte ----
        SETREG  0x3CE, 5, 0x02
        SETREG  0x3CE, 8, 0x04
        mov     al, [VMEM + 0x30]           ; load the latches
        mov     byte [VMEM + 0x30], 0x09
        SETREG  0x3CE, 8, 0xFF
        SETREG  0x3CE, 5, 0x00
        READPLANE 0, 0x30
        CHECKV  eax, 0x04, "write mode 2: plane 0 bit 2"
        READPLANE 1, 0x30
        CHECKV  eax, 0x00, "write mode 2: plane 1 clear"
        READPLANE 3, 0x30
        CHECKV  eax, 0x04, "write mode 2: plane 3 bit 2"

        ; ---- write mode 3: data 81 through the bit mask, colour 6 ----
        SETREG  0x3CE, 0, 0x06
        SETREG  0x3CE, 5, 0x03
        mov     al, [VMEM + 0x40]
        mov     byte [VMEM + 0x40], 0x81
        SETREG  0x3CE, 5, 0x00
        SETREG  0x3CE, 0, 0x00
        READPLANE 1, 0x40
        CHECKV  eax, 0x81, "write mode 3: plane 1 = 81"
        READPLANE 0, 0x40
        CHECKV  eax, 0x00, "write mode 3: plane 0 clear"

        ; ---- read mode 1: colour compare ----
        SETREG  0x3CE, 5, 0x08
        SETREG  0x3CE, 2, 0x06
        SETREG  0x3CE, 7, 0x0F
        movzx   eax, byte [VMEM + 0x40]
        CHECKV  eax, 0x81, "read mode 1 finds colour 6"
        SETREG  0x3CE, 2, 0x09
        movzx   eax, byte [VMEM + 0x30]
        CHECKV  eax, 0x04, "read mode 1 finds colour 9 at pixel 5"
        SETREG  0x3CE, 2, 0x01
        SETREG  0x3CE, 7, 0x01              ; compare plane 0 only
        movzx   eax, byte [VMEM + 0x40]
        CHECKV  eax, 0x00, "colour don't care: plane 0 only, no match"
        SETREG  0x3CE, 7, 0x00
        movzx   eax, byte [VMEM + 0x40]
        CHECKV  eax, 0xFF, "colour don't care 0: everything matches"
        SETREG  0x3CE, 5, 0x00
        SETREG  0x3CE, 7, 0x0F

        ; ---- mode 0Dh: the same hardware at 40 bytes a line ----
        mov     esi, mode0d_regs
        call    vga_set_mode
        GETREG  0x3D4, 0x13
        CHECKV  eax, 0x14, "0Dh: CRTC offset 14h (40 bytes a line)"
        ; pixel (100, 50), colour 12, with write mode 2
        SETREG  0x3CE, 5, 0x02
        SETREG  0x3CE, 8, 0x80 >> (100 & 7)
        mov     al, [VMEM + 50 * 40 + 100 / 8]
        mov     byte [VMEM + 50 * 40 + 100 / 8], 12
        SETREG  0x3CE, 8, 0xFF
        SETREG  0x3CE, 5, 0x08              ; read mode 1
        SETREG  0x3CE, 2, 12
        SETREG  0x3CE, 7, 0x0F
        movzx   eax, byte [VMEM + 50 * 40 + 100 / 8]
        and     eax, 0x80 >> (100 & 7)
        CHECKV  eax, 0x80 >> (100 & 7), "0Dh: pixel (100, 50) has colour 12"
        SETREG  0x3CE, 5, 0x00

        FINISH32
