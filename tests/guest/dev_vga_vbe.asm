; dev_vga_vbe.asm -- the Bochs VBE (dispi) interface from the guest: the ID
; handshake, the memory size, capabilities, a mode set to 800x600x32 with
; the linear framebuffer at 0xE0000000 (pixels written and read back, the
; last pixel of the screen), banked access through the A0000 window (bank
; 5 seen in the framebuffer at 5 * 64 KiB, banks kept apart), resolution
; locked while enabled, a virtual width that does not fit refused, and a
; 16 bpp mode set that clears memory.
%include "pm_lib.inc"
%include "dev_vga_lib.inc"

%define LFB 0xE0000000
%define VBE_ID 0
%define VBE_XRES 1
%define VBE_YRES 2
%define VBE_BPP 3
%define VBE_ENABLE 4
%define VBE_BANK 5
%define VBE_VIRT_WIDTH 6
%define VBE_VIRT_HEIGHT 7
%define VBE_MEM64K 10
%define ENABLED 0x01
%define GETCAPS 0x02
%define LFB_ENABLED 0x40
%define NOCLEARMEM 0x80

test_main:
        ; ---- identification ----
        VBE_SET VBE_ID, 0xB0C5
        VBE_GET VBE_ID
        CHECKV  eax, 0xB0C5, "VBE ID handshake: B0C5 accepted"
        VBE_GET VBE_MEM64K
        CHECKV  eax, 256, "video memory: 256 x 64 KiB"
        VBE_SET VBE_ENABLE, GETCAPS
        VBE_GET VBE_XRES
        CHECKV  eax, 2560, "GETCAPS: maximum X resolution"
        VBE_GET VBE_BPP
        CHECKV  eax, 32, "GETCAPS: maximum depth"
        VBE_SET VBE_ENABLE, 0

        ; ---- 800x600x32 with the linear framebuffer ----
        VBE_SET VBE_XRES, 800
        VBE_SET VBE_YRES, 600
        VBE_SET VBE_BPP, 32
        VBE_SET VBE_ENABLE, ENABLED | LFB_ENABLED
        VBE_GET VBE_ENABLE
        CHECKV  eax, ENABLED | LFB_ENABLED, "800x600x32 enabled with LFB"
        VBE_GET VBE_XRES
        CHECKV  eax, 800, "X resolution reads back"
        VBE_GET VBE_VIRT_WIDTH
        CHECKV  eax, 800, "virtual width follows X resolution"
        VBE_GET VBE_VIRT_HEIGHT
        CHECKV  eax, (16 << 20) / (800 * 4), "virtual height: all of memory"
        mov     dword [LFB + (100 * 800 + 200) * 4], 0x00123456
        mov     eax, [LFB + (100 * 800 + 200) * 4]
        CHECKV  eax, 0x00123456, "LFB pixel (200, 100) reads back"
        mov     eax, [LFB + (100 * 800 + 201) * 4]
        CHECKV  eax, 0, "its neighbour is black (memory was cleared)"
        mov     dword [LFB + (600 * 800 - 1) * 4], 0x00ABCDEF
        mov     eax, [LFB + (600 * 800 - 1) * 4]
        CHECKV  eax, 0x00ABCDEF, "the last pixel of the screen"
        ; a line with REP STOSD, compared with REPE SCASD
        cld
        mov     edi, LFB + 300 * 800 * 4
        mov     ecx, 800
        mov     eax, 0x00FF8000
        rep     stosd
        mov     edi, LFB + 300 * 800 * 4
        mov     ecx, 800
        repe    scasd
        CHECK32 e, "REP STOSD of a line, REPE SCASD reads it back"

        ; ---- banked access through A0000 ----
        VBE_SET VBE_BANK, 5
        VBE_GET VBE_BANK
        CHECKV  eax, 5, "bank 5 selected"
        mov     dword [0xA1234], 0xCAFEF00D
        mov     eax, [LFB + 5 * 0x10000 + 0x1234]
        CHECKV  eax, 0xCAFEF00D, "bank 5: A1234 is LFB + 5 * 64K + 1234"
        mov     eax, [0xA1234]
        CHECKV  eax, 0xCAFEF00D, "bank 5: reads back through the window"
        VBE_SET VBE_BANK, 6
        mov     eax, [0xA1234]
        CHECKV  eax, 0, "bank 6: another 64 KiB"
        mov     dword [0xAFFFC], 0x11223344
        mov     eax, [LFB + 7 * 0x10000 - 4]
        CHECKV  eax, 0x11223344, "bank 6: the window's last dword"
        VBE_SET VBE_BANK, 0
        mov     dword [LFB + 0x1000], 0x55AA1234
        mov     eax, [0xA1000]
        CHECKV  eax, 0x55AA1234, "bank 0: an LFB write seen through the window"

        ; ---- refused changes ----
        VBE_SET VBE_XRES, 1024
        VBE_GET VBE_XRES
        CHECKV  eax, 800, "X resolution locked while enabled"
        VBE_SET VBE_VIRT_WIDTH, 0xFFFF
        VBE_GET VBE_VIRT_WIDTH
        CHECKV  eax, 800, "a virtual width past video memory refused"
        VBE_SET VBE_VIRT_WIDTH, 1024
        VBE_GET VBE_VIRT_WIDTH
        CHECKV  eax, 1024, "a virtual width of 1024 accepted"

        ; ---- 16 bpp: a new mode set clears memory ----
        VBE_SET VBE_ENABLE, 0
        VBE_SET VBE_BPP, 16
        VBE_SET VBE_XRES, 640
        VBE_SET VBE_YRES, 480
        VBE_SET VBE_ENABLE, ENABLED | LFB_ENABLED
        mov     eax, [LFB + (100 * 800 + 200) * 4]
        CHECKV  eax, 0, "mode set cleared the old pixel"
        mov     word [LFB + 2], 0xF800
        movzx   eax, word [LFB + 2]
        CHECKV  eax, 0xF800, "16 bpp pixel reads back"
        ; NOCLEARMEM keeps memory across a mode set
        VBE_SET VBE_ENABLE, 0
        VBE_SET VBE_ENABLE, ENABLED | LFB_ENABLED | NOCLEARMEM
        movzx   eax, word [LFB + 2]
        CHECKV  eax, 0xF800, "NOCLEARMEM keeps the pixel"
        VBE_SET VBE_ENABLE, 0
        VBE_GET VBE_ENABLE
        CHECKV  eax, 0, "VBE disabled"

        FINISH32
