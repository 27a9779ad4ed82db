; boot_services.asm -- a boot sector (and its second stage) that the
; x86lab BIOS boots from a floppy, checking the BIOS's data area and
; services from the guest's side: INT 11h, 12h, 15h (E820h, E801h, 88h,
; 86h, 87h, C0h, 2400h-2403h), 1Ah (ticks, date), 10h (teletype and text
; memory, scrolling, strings, modes 13h and 3 with the font reloaded,
; VBE), 16h (keys typed through the 8042's "write keyboard output
; buffer" command, shift/caps/ctrl state), 13h (parameters, errors, a
; write read back).  Prints ok/FAIL lines on port E9h and exits through
; port F4h.  Built and booted by tests/scripts/boot_services.sh with
; nasm -DRAM_MB=n (the -m it runs with) and --deterministic (the clock
; starts at 2000-01-01 00:00:00).
        bits    16
        cpu     386
        org     0x7C00
%include "lib.inc"

%ifndef RAM_MB
%error "RAM_MB must be defined (nasm -DRAM_MB=n)"
%endif
STAGE2_SECTORS  equ     (stage2_end - stage2 + 511) / 512
EXT_KB          equ     (RAM_MB - 1) * 1024
SMAP            equ     0x534D4150

boot:   START16
        sti
        cld
        mov     [drive], dl
        mov     ax, 0x0200 | STAGE2_SECTORS     ; the rest of this program
        mov     cx, 0x0002                      ; cylinder 0, sector 2
        xor     dh, dh
        mov     bx, stage2
        int     0x13
        jc      .failed
        cmp     al, STAGE2_SECTORS              ; all of them
        je      stage2
.failed:
        mov     si, msg_load
        call    puts16
        mov     al, EXIT_FAIL
        jmp     exit16
msg_load:
        db      "FAIL loading stage 2", 10, 0
drive:  db      0
        LIB16
        times   510 - ($ - $$) db 0
        dw      0xAA55

; ---------------------------------------------------------------------
stage2:
        mov     si, msg_hello
        call    puts16
        call    test_boot_state
        call    test_memory
        call    test_e820
        call    test_time
        call    test_clock_set
        call    test_text
        call    test_video_misc
        call    test_modes
        call    test_vbe
        call    test_keyboard
        call    test_wait
        call    test_block_move
        call    test_a20
        call    test_disk
        FINISH16

fails:  dw      0
msg_hello:
        db      "boot_services: booted, stage 2 loaded", 10, 0

; ---- what the BIOS left for the boot sector ----
test_boot_state:
        cmp     byte [drive], 0x00
        CHECK16 e, "boot drive in DL is 00h"
        cmp     word [0x7C00 + 510], 0xAA55
        CHECK16 e, "boot sector at 0000:7C00"
        cmp     word [0x400], 0x3F8
        CHECK16 e, "BDA 400h: COM1 at 3F8h"
        cmp     word [0x402], 0x2F8
        CHECK16 e, "BDA 402h: COM2 at 2F8h"
        cmp     word [0x40E], 0x9FC0
        CHECK16 e, "BDA 40Eh: EBDA at 9FC0h"
        push    es
        mov     es, [0x40E]
        cmp     byte [es:0], 1
        pop     es
        CHECK16 e, "EBDA size byte: 1 KiB"
        cmp     word [0x480], 0x1E
        CHECK16 e, "BDA 480h: keyboard buffer start"
        cmp     word [0x482], 0x3E
        CHECK16 e, "BDA 482h: keyboard buffer end"
        cmp     byte [0x449], 3
        CHECK16 e, "BDA 449h: video mode 3"
        cmp     word [0x44A], 80
        CHECK16 e, "BDA 44Ah: 80 columns"
        cmp     byte [0x484], 24
        CHECK16 e, "BDA 484h: 25 rows"
        cmp     word [0x463], 0x3D4
        CHECK16 e, "BDA 463h: CRTC at 3D4h"
        cmp     byte [0x475], 0
        CHECK16 e, "BDA 475h: no hard disk"
        cmp     word [0x08 * 4 + 2], 0xF000
        CHECK16 e, "INT 08h vector in the ROM"
        les     bx, [0x1E * 4]
        cmp     byte [es:bx + 4], 18
        CHECK16 e, "INT 1Eh table: 18 sectors per track"
        xor     ax, ax
        mov     es, ax
        cmp     word [0x60 * 4], 0
        CHECK16 e, "INT 60h (user vector) is 0"
        mov     ah, 0xC0
        int     0x15
        CHECK16 nc, "INT 15h C0h: CF=0"
        cmp     byte [es:bx + 2], 0xFC
        CHECK16 e, "configuration table: model FCh"
        xor     ax, ax
        mov     es, ax
        ret

; ---- INT 11h, 12h, 15h 88h/E801h ----
test_memory:
        int     0x12
        cmp     ax, 639
        CHECK16 e, "INT 12h: 639 KiB"
        cmp     ax, [0x413]
        CHECK16 e, "INT 12h = BDA 413h"
        int     0x11
        cmp     ax, [0x410]
        CHECK16 e, "INT 11h = BDA 410h"
        mov     bx, ax
        and     bx, 0x00C1
        cmp     bx, 0x0001
        CHECK16 e, "INT 11h: one floppy drive"
        mov     bx, ax
        and     bx, 0x0030
        cmp     bx, 0x0020
        CHECK16 e, "INT 11h: 80x25 colour"
        mov     bx, ax
        and     bx, 0x0E00
        cmp     bx, 0x0400
        CHECK16 e, "INT 11h: two serial ports"
        mov     ah, 0x88
        int     0x15
        CHECK16 nc, "INT 15h 88h: CF=0"
%if EXT_KB > 0xFC00
        cmp     ax, 0xFC00
%else
        cmp     ax, EXT_KB
%endif
        CHECK16 e, "INT 15h 88h: KiB above 1 MiB"
        mov     ax, 0xE801
        int     0x15
        CHECK16 nc, "INT 15h E801h: CF=0"
%if EXT_KB > 15 * 1024
        cmp     ax, 15 * 1024
        CHECK16 e, "E801h AX: 15 MiB below 16 MiB"
        cmp     bx, (RAM_MB - 16) * 16
        CHECK16 e, "E801h BX: 64 KiB blocks above 16 MiB"
%else
        cmp     ax, EXT_KB
        CHECK16 e, "E801h AX: KiB above 1 MiB"
        cmp     bx, 0
        CHECK16 e, "E801h BX: none above 16 MiB"
%endif
        cmp     ax, cx
        CHECK16 e, "E801h CX = AX"
        cmp     bx, dx
        CHECK16 e, "E801h DX = BX"
        ret

; ---- INT 15h E820h ----
e820_buf        equ     0x0600
test_e820:
        xor     ebx, ebx
        mov     dword [e820_usable], 0
        mov     dword [e820_high], 0
        mov     word [e820_count], 0
        mov     byte [e820_sane], 1
.next:  mov     eax, 0xE820
        mov     edx, SMAP
        mov     ecx, 24
        mov     di, e820_buf
        int     0x15
        jc      .error
        cmp     eax, SMAP
        jne     .insane
        cmp     ecx, 20
        jne     .insane
        cmp     dword [di + 4], 0               ; all below 4 GiB
        jne     .insane
        cmp     dword [di + 12], 0
        jne     .insane
        cmp     dword [di + 8], 0               ; no empty entries
        je      .insane
        mov     eax, [di + 16]
        cmp     eax, 2
        ja      .insane
        cmp     eax, 1
        jne     .counted
        mov     eax, [di + 8]
        add     [e820_usable], eax
        cmp     dword [di], 0x100000
        jne     .counted
        mov     [e820_high], eax
.counted:
        cmp     word [e820_count], 0
        jne     .not_first
        cmp     dword [di], 0                   ; entry 0: base memory
        jne     .insane
        cmp     dword [di + 8], 639 * 1024
        jne     .insane
.not_first:
        inc     word [e820_count]
        cmp     word [e820_count], 16
        ja      .insane
        test    ebx, ebx
        jnz     .next
        jmp     .checks
.insane:
        mov     byte [e820_sane], 0
        jmp     .checks
.error: mov     byte [e820_sane], 2
.checks:
        cmp     byte [e820_sane], 1
        CHECK16 e, "E820h: entries well formed, EBX ends at 0"
        cmp     word [e820_count], 5
        CHECK16 e, "E820h: five entries"
        cmp     dword [e820_high], EXT_KB * 1024
        CHECK16 e, "E820h: RAM from 1 MiB to the -m size"
        cmp     dword [e820_usable], 639 * 1024 + EXT_KB * 1024
        CHECK16 e, "E820h: usable RAM = base + extended"
        mov     eax, 0xE820                     ; without the signature
        xor     edx, edx
        xor     ebx, ebx
        mov     ecx, 20
        mov     di, e820_buf
        int     0x15
        CHECK16 c, "E820h without 'SMAP' in EDX: CF=1"
        ret
e820_usable:    dd      0
e820_high:      dd      0
e820_count:     dw      0
e820_sane:      db      0

; ---- INT 1Ah ----
test_time:
        mov     ah, 0x04
        int     0x1A
        CHECK16 nc, "INT 1Ah 04h: CF=0"
        cmp     cx, 0x2000
        CHECK16 e, "INT 1Ah 04h: year 2000 (BCD)"
        cmp     dx, 0x0101
        CHECK16 e, "INT 1Ah 04h: January 1st"
        mov     ah, 0x02
        int     0x1A
        CHECK16 nc, "INT 1Ah 02h: CF=0"
        cmp     cx, 0x0000
        CHECK16 e, "INT 1Ah 02h: 00:00 (BCD)"
        mov     ah, 0x00
        int     0x1A
        mov     [ticks0], dx
        mov     [ticks0 + 2], cx
        cmp     dword [ticks0], 18 * 60
        CHECK16 b, "INT 1Ah 00h: ticks since midnight (a minute at most)"
        mov     cx, 50
.wait:  hlt                                     ; IRQ 0 wakes us
        push    cx
        mov     ah, 0x00
        int     0x1A
        pop     cx
        cmp     dx, [ticks0]
        jne     .moved
        loop    .wait
.moved: sub     dx, [ticks0]
        cmp     dx, 1
        CHECK16 e, "INT 1Ah 00h: the tick count advances by one"
        ret
ticks0: dd      0

; ---- INT 1Ah: setting the clock, the tick count and the alarm ----
test_clock_set:
        mov     ah, 0x03                        ; 12:34:56
        mov     cx, 0x1234
        mov     dx, 0x5600
        int     0x1A
        CHECK16 nc, "INT 1Ah 03h: CF=0"
        mov     ah, 0x02
        int     0x1A
        cmp     cx, 0x1234
        CHECK16 e, "INT 1Ah 02h after 03h: 12:34 (BCD)"
        mov     ah, 0x05                        ; 2024-02-29
        mov     cx, 0x2024
        mov     dx, 0x0229
        int     0x1A
        CHECK16 nc, "INT 1Ah 05h: CF=0"
        mov     ah, 0x04
        int     0x1A
        cmp     cx, 0x2024
        CHECK16 e, "INT 1Ah 04h after 05h: 2024"
        cmp     dx, 0x0229
        CHECK16 e, "INT 1Ah 04h after 05h: February 29th"
        mov     ah, 0x01                        ; ticks = 12345h
        mov     cx, 0x0001
        mov     dx, 0x2345
        int     0x1A
        mov     ah, 0x00
        int     0x1A
        cmp     cx, 0x0001
        CHECK16 e, "INT 1Ah 01h/00h: the tick count set (high word)"
        cmp     dx, 0x2345 + 2
        CHECK16 be, "INT 1Ah 01h/00h: the tick count set (low word)"
        mov     ah, 0x06                        ; an alarm, then a second one
        mov     cx, 0x2359
        mov     dh, 0x00
        int     0x1A
        CHECK16 nc, "INT 1Ah 06h: alarm set, CF=0"
        mov     ah, 0x06
        int     0x1A
        CHECK16 c, "INT 1Ah 06h again: CF=1 (one is set)"
        mov     ah, 0x07
        int     0x1A
        mov     ah, 0x06
        int     0x1A
        CHECK16 nc, "INT 1Ah 07h then 06h: CF=0"
        mov     ah, 0x07
        int     0x1A
        ret

; ---- INT 10h: palette, pages ----
test_video_misc:
        push    es
        mov     ax, 0x1010                      ; DAC register 5 = 11h, 22h, 33h
        mov     bx, 5
        mov     dh, 0x11
        mov     cx, 0x2233
        int     0x10
        xor     cx, cx
        xor     dx, dx
        mov     ax, 0x1015
        mov     bx, 5
        int     0x10
        cmp     dh, 0x11
        CHECK16 e, "INT 10h 1015h: red as set"
        cmp     cx, 0x2233
        CHECK16 e, "INT 10h 1015h: green, blue as set"
        mov     ax, 0x1000                      ; palette register 3 = 12h
        mov     bx, 0x1203
        int     0x10
        mov     ax, 0x1007
        mov     bx, 0x0003
        int     0x10
        cmp     bh, 0x12
        CHECK16 e, "INT 10h 1007h: palette register 3 reads 12h"
        mov     ax, 0x1000                      ; back to 3
        mov     bx, 0x0303
        int     0x10
        mov     ax, 0x0501                      ; page 1
        int     0x10
        mov     ah, 0x0F
        int     0x10
        cmp     bh, 1
        CHECK16 e, "INT 10h 05h: page 1 active"
        cmp     word [0x44E], 4096
        CHECK16 e, "INT 10h 05h: BDA 44Eh = 4096"
        mov     ah, 0x02                        ; teletype on page 1 at 0,0
        mov     bh, 1
        xor     dx, dx
        int     0x10
        mov     ax, 0x0E50                      ; 'P'
        mov     bx, 0x0107
        int     0x10
        mov     ax, 0xB800
        mov     es, ax
        cmp     byte [es:4096], 'P'
        CHECK16 e, "INT 10h 0Eh on page 1: text at B800:1000h"
        mov     ax, 0x0500
        int     0x10
        pop     es
        ret

; ---- INT 10h text ----
test_text:
        push    es
        mov     ax, 0x0600                      ; clear the screen (AL=0: the whole window)
        mov     bh, 0x07
        xor     cx, cx
        mov     dx, 0x184F
        int     0x10
        mov     ax, 0xB800
        mov     es, ax
        cmp     word [es:24 * 160 + 158], 0x0720
        CHECK16 e, "INT 10h 06h AL=0: screen cleared"
        mov     ah, 0x02                        ; cursor to row 10, column 0
        xor     bh, bh
        mov     dx, 0x0A00
        int     0x10
        mov     si, hello
.tty:   lodsb
        test    al, al
        jz      .typed
        mov     ah, 0x0E
        mov     bx, 0x0007
        int     0x10
        jmp     .tty
.typed: cmp     dword [es:10 * 160], 0x07650748 ; 'H', 07h, 'e', 07h
        CHECK16 e, "INT 10h 0Eh: 'He' in text memory at row 10"
        cmp     word [es:10 * 160 + 8], 0x076F
        CHECK16 e, "INT 10h 0Eh: 'o' fifth"
        mov     ah, 0x03
        xor     bh, bh
        int     0x10
        cmp     dx, 0x0A05
        CHECK16 e, "INT 10h 03h: cursor after the text"
        cmp     cx, 0x0607
        CHECK16 e, "INT 10h 03h: cursor shape 0607h"
        ; AH=09h writes CX copies with an attribute, AH=08h reads one back
        mov     ah, 0x02
        xor     bh, bh
        mov     dx, 0x0305
        int     0x10
        mov     ax, 0x095A                      ; 'Z'
        mov     bx, 0x001E
        mov     cx, 3
        int     0x10
        cmp     word [es:3 * 160 + 14], 0x1E5A
        CHECK16 e, "INT 10h 09h: third copy written"
        cmp     word [es:3 * 160 + 16], 0x0720
        CHECK16 e, "INT 10h 09h: no fourth copy"
        mov     ah, 0x08
        xor     bh, bh
        int     0x10
        cmp     ax, 0x1E5A
        CHECK16 e, "INT 10h 08h: character and attribute"
        ; AH=06h: rows 3-4 up by one; AH=07h: down again
        mov     word [es:4 * 160 + 10], 0x4E51  ; 'Q' at row 4, column 5
        mov     ax, 0x0601
        mov     bh, 0x17
        mov     cx, 0x0300
        mov     dx, 0x044F
        int     0x10
        cmp     word [es:3 * 160 + 10], 0x4E51
        CHECK16 e, "INT 10h 06h: row 4 moved up to row 3"
        cmp     word [es:4 * 160 + 10], 0x1720
        CHECK16 e, "INT 10h 06h: new line blank with attribute BH"
        mov     ax, 0x0701
        mov     bh, 0x07
        mov     cx, 0x0300
        mov     dx, 0x044F
        int     0x10
        cmp     word [es:4 * 160 + 10], 0x4E51
        CHECK16 e, "INT 10h 07h: row 3 moved down to row 4"
        ; teletype past the last row scrolls the screen
        mov     ah, 0x02
        xor     bh, bh
        mov     dx, 0x184F                      ; row 24, column 79
        int     0x10
        mov     ax, 0x0E58                      ; 'X' wraps the line ...
        mov     bx, 0x0007
        int     0x10
        cmp     word [es:23 * 160 + 158], 0x0758
        CHECK16 e, "INT 10h 0Eh: screen scrolled, 'X' now on row 23"
        cmp     dword [es:9 * 160], 0x07650748
        CHECK16 e, "INT 10h 0Eh: 'He' scrolled to row 9"
        mov     ah, 0x03
        xor     bh, bh
        int     0x10
        cmp     dx, 0x1800
        CHECK16 e, "INT 10h 0Eh: cursor at the start of row 24"
        ; AH=13h: a string with attribute BL, cursor moved
        push    es
        push    ds
        pop     es
        mov     ax, 0x1301
        mov     bx, 0x002F
        mov     cx, 3
        mov     dx, 0x0C00
        mov     bp, str13
        int     0x10
        pop     es
        cmp     word [es:12 * 160 + 4], 0x2F52  ; 'R'
        CHECK16 e, "INT 10h 13h: string written with its attribute"
        mov     ah, 0x03
        xor     bh, bh
        int     0x10
        cmp     dx, 0x0C03
        CHECK16 e, "INT 10h 13h: cursor after the string"
        mov     ah, 0x0F
        int     0x10
        cmp     ax, 0x5003
        CHECK16 e, "INT 10h 0Fh: mode 3, 80 columns"
        mov     ax, 0x1A00
        int     0x10
        cmp     al, 0x1A
        CHECK16 e, "INT 10h 1A00h: supported"
        cmp     bl, 0x08
        CHECK16 e, "INT 10h 1A00h: VGA colour display"
        mov     ah, 0x12
        mov     bl, 0x10
        int     0x10
        cmp     bx, 0x0003
        CHECK16 e, "INT 10h 12h BL=10h: colour, 256 KiB"
        pop     es
        ret
hello:  db      "Hello", 0
str13:  db      "STR"

; ---- mode 13h and back: the font in plane 2 must come back ----
test_modes:
        push    es
        mov     ax, 0x0013
        int     0x10
        cmp     al, 0x20
        CHECK16 e, "INT 10h 00h mode 13h: AL=20h"
        mov     ah, 0x0F
        int     0x10
        cmp     ax, 0x2813
        CHECK16 e, "INT 10h 0Fh: mode 13h, 40 columns"
        mov     ax, 0xA000
        mov     es, ax
        mov     byte [es:320 * 100 + 7], 0x2C
        cmp     byte [es:320 * 100 + 7], 0x2C
        CHECK16 e, "mode 13h: a pixel reads back"
        mov     ax, 0x0E41                      ; 'A' in colour 0Fh at row 0, column 0
        mov     bx, 0x000F
        int     0x10
        push    es
        mov     ax, 0x1130                      ; the ROM's 8x8 font
        mov     bh, 0x03
        int     0x10
        mov     si, bp
        mov     al, [es:si + 0x41 * 8 + 2]      ; row 2 of 'A'
        pop     es
        mov     di, 2 * 320                     ; pixels of row 2
        mov     cx, 8
        mov     byte [pixels_ok], 1
.pixel: xor     ah, ah
        shl     al, 1
        jnc     .off
        mov     ah, 0x0F
.off:   cmp     [es:di], ah
        je      .same
        mov     byte [pixels_ok], 0
.same:  inc     di
        loop    .pixel
        cmp     byte [pixels_ok], 1
        CHECK16 e, "mode 13h teletype: glyph row matches the 8x8 font"
        mov     ax, 0x0003
        int     0x10
        cmp     byte [0x449], 3
        CHECK16 e, "INT 10h 00h back to mode 3"
        mov     ax, 0xB800
        mov     es, ax
        cmp     word [es:0], 0x0720
        CHECK16 e, "mode 3: screen cleared"
        ; plane 2 holds the font again: read it through the graphics controller
        mov     ax, 0x1130
        mov     bh, 0x06                        ; the ROM's 8x16 font at ES:BP
        int     0x10
        mov     si, bp
        add     si, 0x41 * 16
        mov     dx, 0x3CE
        mov     ax, 0x0204                      ; read plane 2
        out     dx, ax
        mov     ax, 0x0005                      ; no odd/even
        out     dx, ax
        mov     ax, 0x0406                      ; A0000h, 64 KiB
        out     dx, ax
        push    ds
        mov     ax, 0xA000
        mov     ds, ax
        mov     di, 0x41 * 32
        mov     cx, 16
        xor     bl, bl
.row:   mov     al, [di]
        cmp     al, [es:si]
        je      .row_same
        inc     bl
.row_same:
        inc     di
        inc     si
        loop    .row
        pop     ds
        mov     ax, 0x0004                      ; text mode's settings back
        out     dx, ax
        mov     ax, 0x1005
        out     dx, ax
        mov     ax, 0x0E06
        out     dx, ax
        cmp     bl, 0
        CHECK16 e, "mode 3 again: glyph 'A' reloaded into plane 2"
        ; the cursor shape 0607h shows as lines 13-14 of the 16-line cells
        mov     ah, 0x01
        mov     cx, 0x0607
        int     0x10
        mov     dx, 0x3D4
        mov     al, 0x0A
        out     dx, al
        inc     dx
        in      al, dx
        mov     ah, al
        dec     dx
        mov     al, 0x0B
        out     dx, al
        inc     dx
        in      al, dx
        cmp     ax, 0x0D0E
        CHECK16 e, "INT 10h 01h 0607h: CRTC cursor lines 13-14"
        ; mode 12h: a character in colour 0Eh is in planes 1-3, not 0
        mov     ax, 0x0012
        int     0x10
        mov     ah, 0x0F
        int     0x10
        cmp     ax, 0x5012
        CHECK16 e, "INT 10h 0Fh: mode 12h, 80 columns"
        mov     ax, 0x0941                      ; 'A' at row 0, column 0
        mov     bx, 0x000E
        mov     cx, 1
        int     0x10
        mov     ax, 0x1130                      ; the 8x16 font
        mov     bh, 0x06
        int     0x10
        mov     si, bp
        mov     al, [es:si + 0x41 * 16 + 5]     ; row 5 of 'A'
        mov     [glyph_row], al
        mov     ax, 0xA000
        mov     es, ax
        mov     ax, 0x0104                      ; read plane 1
        call    plane_byte
        cmp     al, [glyph_row]
        CHECK16 e, "mode 12h: glyph row in plane 1 (colour 0Eh)"
        mov     ax, 0x0004                      ; plane 0
        call    plane_byte
        cmp     al, 0
        CHECK16 e, "mode 12h: plane 0 empty (colour 0Eh)"
        mov     ax, 0x0600                      ; clear to colour 1
        mov     bh, 0x01
        xor     cx, cx
        mov     dx, 0x1D4F
        int     0x10
        mov     ax, 0x0004
        call    plane_byte
        cmp     al, 0xFF
        CHECK16 e, "mode 12h INT 10h 06h: cleared to colour 1 (plane 0)"
        mov     ax, 0x0104
        call    plane_byte
        cmp     al, 0
        CHECK16 e, "mode 12h INT 10h 06h: plane 1 cleared"
        mov     ax, 0x0003
        int     0x10
        pop     es
        ret
; plane_byte: AL = the byte of row 5 of cell (0, 0) in the plane AH
; selects (graphics controller register 4 = AX's high byte).
plane_byte:
        mov     dx, 0x3CE
        out     dx, ax
        mov     al, [es:5 * 80]
        ret
pixels_ok:      db      0
glyph_row:      db      0

; ---- VBE ----
vbe_buf equ     0x0800
test_vbe:
        mov     dword [vbe_buf], 'VBE2'
        mov     ax, 0x4F00
        mov     di, vbe_buf
        int     0x10
        cmp     ax, 0x004F
        CHECK16 e, "VBE 4F00h: AX=004Fh"
        cmp     dword [vbe_buf], 'VESA'
        CHECK16 e, "VBE 4F00h: 'VESA'"
        cmp     word [vbe_buf + 4], 0x0200
        CHECK16 e, "VBE 4F00h: version 2.0"
        les     bx, [vbe_buf + 14]
        cmp     word [es:bx], 0x101
        CHECK16 e, "VBE 4F00h: mode list starts with 101h"
        xor     ax, ax
        mov     es, ax
        mov     ax, 0x4F01
        mov     cx, 0x112
        mov     di, vbe_buf
        int     0x10
        cmp     ax, 0x004F
        CHECK16 e, "VBE 4F01h 112h: AX=004Fh"
        cmp     dword [vbe_buf + 18], (480 << 16) | 640
        CHECK16 e, "VBE 4F01h 112h: 640x480"
        cmp     byte [vbe_buf + 25], 24
        CHECK16 e, "VBE 4F01h 112h: 24 bits per pixel"
        cmp     dword [vbe_buf + 40], 0xE0000000
        CHECK16 e, "VBE 4F01h 112h: framebuffer at E0000000h"
        mov     ax, 0x4F01
        mov     cx, 0x1FF
        int     0x10
        cmp     ax, 0x014F
        CHECK16 e, "VBE 4F01h unknown mode: AX=014Fh"
        mov     ax, 0x4F02
        mov     bx, 0x4112
        int     0x10
        cmp     ax, 0x004F
        CHECK16 e, "VBE 4F02h 4112h: AX=004Fh"
        mov     ax, 1                           ; Bochs VBE: X resolution
        call    vbe_reg
        cmp     ax, 640
        CHECK16 e, "VBE 4F02h: the adapter's X resolution is 640"
        mov     ax, 4
        call    vbe_reg
        test    al, 1
        CHECK16 nz, "VBE 4F02h: the adapter's VBE mode is on"
        mov     ax, 0x4F03
        int     0x10
        cmp     bx, 0x112
        CHECK16 e, "VBE 4F03h: mode 112h"
        mov     ax, 0x0003
        int     0x10
        mov     ax, 4
        call    vbe_reg
        test    al, 1
        CHECK16 z, "INT 10h mode 3: VBE off again"
        ret
vbe_reg:                                        ; AX = Bochs VBE register AX
        mov     dx, 0x1CE
        out     dx, ax
        inc     dx
        in      ax, dx
        ret

; ---- INT 16h, keys typed through the 8042 ----
; type: the 8042's command D2h puts byte AL in its output buffer as if the
; keyboard had sent it (with the IRQ 1 that goes with it).
type:   push    ax
.wait1: in      al, 0x64
        test    al, 0x02
        jnz     .wait1
        mov     al, 0xD2
        out     0x64, al
.wait2: in      al, 0x64
        test    al, 0x02
        jnz     .wait2
        pop     ax
        out     0x60, al
        mov     cx, 1000                        ; until INT 09h took it
.wait3: in      al, 0x64
        test    al, 0x01
        jz      .taken
        loop    .wait3
.taken: ret

test_keyboard:
        mov     ah, 0x01
        int     0x16
        CHECK16 z, "INT 16h 01h: empty buffer, ZF=1"
        mov     ah, 0x02
        int     0x16
        cmp     al, 0
        CHECK16 e, "INT 16h 02h: no shift keys"
        mov     al, 0x1E                        ; 'a' down
        call    type
        mov     al, 0x9E                        ; and up
        call    type
        mov     ah, 0x01
        int     0x16
        CHECK16 nz, "INT 16h 01h: a key waits, ZF=0"
        cmp     ax, 0x1E61
        CHECK16 e, "INT 16h 01h: 'a' is 1E61h"
        mov     ah, 0x00
        int     0x16
        cmp     ax, 0x1E61
        CHECK16 e, "INT 16h 00h: reads 1E61h"
        mov     ah, 0x01
        int     0x16
        CHECK16 z, "INT 16h 01h: empty again"
        mov     al, 0x2A                        ; left shift down
        call    type
        mov     ah, 0x02
        int     0x16
        and     al, 0x0F
        cmp     al, 0x02
        CHECK16 e, "INT 16h 02h: left shift held"
        mov     al, 0x1E
        call    type
        mov     ah, 0x00
        int     0x16
        cmp     ax, 0x1E41
        CHECK16 e, "shift + a: 'A' (1E41h)"
        mov     al, 0xAA                        ; shift up
        call    type
        mov     al, 0x3A                        ; caps lock down, up
        call    type
        mov     al, 0xBA
        call    type
        mov     ah, 0x02
        int     0x16
        test    al, 0x40
        CHECK16 nz, "INT 16h 02h: caps lock on"
        mov     al, 0x10                        ; q with caps lock
        call    type
        mov     ah, 0x00
        int     0x16
        cmp     ax, 0x1051
        CHECK16 e, "caps lock + q: 'Q' (1051h)"
        mov     al, 0x3A                        ; caps lock off
        call    type
        mov     al, 0xBA
        call    type
        mov     al, 0x1D                        ; ctrl + c
        call    type
        mov     al, 0x2E
        call    type
        mov     al, 0x9D
        call    type
        mov     ah, 0x00
        int     0x16
        cmp     ax, 0x2E03
        CHECK16 e, "ctrl + c: 2E03h"
        mov     al, 0xE0                        ; gray up arrow
        call    type
        mov     al, 0x48
        call    type
        mov     ah, 0x11
        int     0x16
        cmp     ax, 0x48E0
        CHECK16 e, "INT 16h 11h: gray up arrow is 48E0h"
        mov     ah, 0x00
        int     0x16
        cmp     ax, 0x4800
        CHECK16 e, "INT 16h 00h: gray up arrow as 4800h"
        mov     ah, 0x05
        mov     cx, 0x1234
        int     0x16
        cmp     al, 0
        CHECK16 e, "INT 16h 05h: stored"
        mov     ah, 0x10
        int     0x16
        cmp     ax, 0x1234
        CHECK16 e, "INT 16h 10h: reads the stored key"
        mov     ah, 0x12
        int     0x16
        cmp     ax, 0x0000
        CHECK16 e, "INT 16h 12h: nothing held, no locks"
        ret

; ---- INT 15h 86h ----
test_wait:
        mov     ah, 0x00
        int     0x1A
        mov     [ticks0], dx
        mov     ah, 0x86
        mov     cx, 0x0001                      ; 110000 us
        mov     dx, 0xADB0
        int     0x15
        CHECK16 nc, "INT 15h 86h: CF=0"
        mov     ah, 0x00
        int     0x1A
        sub     dx, [ticks0]
        cmp     dx, 1                           ; 110 ms = 2 ticks, give or take one
        CHECK16 ae, "INT 15h 86h: at least a tick went by"
        cmp     dx, 3
        CHECK16 be, "INT 15h 86h: at most three ticks"
        ret

; ---- INT 15h 87h: to 2 MiB and back ----
test_block_move:
        mov     di, 0x6000                      ; a pattern, and a place for the copy back
        mov     cx, 512
        xor     al, al
.fill:  mov     [di], al
        mov     byte [di + 0x400], 0
        add     al, 7
        inc     di
        loop    .fill
        mov     dword [gdt87 + 0x12], 0x93006000        ; source 6000h
        mov     dword [gdt87 + 0x1A], 0x93200000        ; destination 200000h
        mov     ah, 0x87
        mov     cx, 256
        mov     si, gdt87
        int     0x15
        CHECK16 nc, "INT 15h 87h to 2 MiB: CF=0"
        cmp     ah, 0
        CHECK16 e, "INT 15h 87h: AH=0"
        mov     dword [gdt87 + 0x12], 0x93200000        ; and back to 6400h
        mov     dword [gdt87 + 0x1A], 0x93006400
        mov     ah, 0x87
        mov     cx, 256
        mov     si, gdt87
        int     0x15
        mov     si, 0x6000
        mov     di, 0x6400
        mov     cx, 512
        repe    cmpsb
        CHECK16 e, "INT 15h 87h: 512 bytes went to 2 MiB and came back"
        cmp     word [ss:0x7BFE], 0xDEAD        ; (the stack survived: see below)
        mov     ax, ss
        cmp     ax, 0
        CHECK16 e, "INT 15h 87h: SS is the caller's"
        ret
        align   8
gdt87:  dw      0, 0, 0, 0                      ; null
        dw      0, 0, 0, 0                      ; the GDT (BIOS)
        dw      0xFFFF, 0, 0, 0                 ; source: limit, base, access
        dw      0xFFFF, 0, 0, 0                 ; destination
        dw      0, 0, 0, 0                      ; BIOS code (BIOS)
        dw      0, 0, 0, 0                      ; BIOS stack (BIOS)

; ---- A20 ----
; a20_wraps: ZF=1 when 0000:0500 and FFFF:0510 are the same byte.
a20_wraps:
        push    es
        mov     ax, 0xFFFF
        mov     es, ax
        mov     byte [0x500], 0x11
        mov     byte [es:0x510], 0x22
        cmp     byte [0x500], 0x22
        pop     es
        ret
test_a20:
        mov     ax, 0x2403
        int     0x15
        CHECK16 nc, "INT 15h 2403h: CF=0"
        cmp     bx, 3
        CHECK16 e, "INT 15h 2403h: 8042 and port 92h"
        mov     ax, 0x2400
        int     0x15
        CHECK16 nc, "INT 15h 2400h: CF=0"
        mov     ax, 0x2402
        int     0x15
        cmp     al, 0
        CHECK16 e, "INT 15h 2402h: A20 off"
        call    a20_wraps
        CHECK16 e, "A20 off: addresses wrap at 1 MiB"
        mov     ax, 0x2401
        int     0x15
        CHECK16 nc, "INT 15h 2401h: CF=0"
        mov     ax, 0x2402
        int     0x15
        cmp     al, 1
        CHECK16 e, "INT 15h 2402h: A20 on"
        call    a20_wraps
        CHECK16 ne, "A20 on: no wrap"
        ret

; ---- INT 13h on the floppy ----
test_disk:
        mov     ah, 0x08
        xor     dl, dl
        xor     di, di
        int     0x13
        CHECK16 nc, "INT 13h 08h: CF=0"
        cmp     bl, 4
        CHECK16 e, "INT 13h 08h: 1.44 MB drive"
        cmp     cx, (79 << 8) | 18
        CHECK16 e, "INT 13h 08h: 80 cylinders, 18 sectors"
        cmp     dx, 0x0101
        CHECK16 e, "INT 13h 08h: 2 heads, 1 drive"
        xor     ax, ax
        mov     es, ax
        mov     ah, 0x15
        xor     dl, dl
        int     0x13
        cmp     ah, 0x02
        CHECK16 e, "INT 13h 15h drive 0: floppy with change line"
        mov     ah, 0x15
        mov     dl, 1
        int     0x13
        cmp     ah, 0x00
        CHECK16 e, "INT 13h 15h drive 1: not present"
        mov     ax, 0x0200                      ; zero sectors
        mov     cx, 0x0001
        xor     dx, dx
        mov     bx, 0x6000
        int     0x13
        CHECK16 c, "INT 13h 02h with AL=0: CF=1"
        cmp     ah, 0x01
        CHECK16 e, "INT 13h 02h with AL=0: AH=01h"
        mov     ah, 0x01
        xor     dl, dl
        int     0x13
        cmp     ah, 0x01
        CHECK16 e, "INT 13h 01h: the last status was 01h"
        push    es
        mov     ax, 0x1000                      ; 1000:FF00, two sectors: crosses 20000h
        mov     es, ax
        mov     ax, 0x0202
        mov     cx, 0x0001
        xor     dx, dx
        mov     bx, 0xFF00
        int     0x13
        pop     es
        CHECK16 c, "INT 13h 02h across 64 KiB: CF=1"
        cmp     ah, 0x09
        CHECK16 e, "INT 13h 02h across 64 KiB: AH=09h"
        mov     ax, 0x0201                      ; sector 19 does not exist
        mov     cx, 0x0013
        xor     dx, dx
        mov     bx, 0x6000
        int     0x13
        CHECK16 c, "INT 13h 02h sector 19: CF=1"
        cmp     ah, 0x04
        CHECK16 e, "INT 13h 02h sector 19: AH=04h (not found)"
        ; a write read back: cylinder 40, head 1, sectors 17-18 and on
        ; to the next cylinder (3 sectors: the read crosses the track)
        mov     di, 0x6000
        mov     cx, 3 * 512
.pattern:
        mov     ax, di
        xor     al, ah
        stosb
        loop    .pattern
        mov     ax, 0x0302
        mov     cx, (40 << 8) | 17
        mov     dx, 0x0100
        mov     bx, 0x6000
        int     0x13
        CHECK16 nc, "INT 13h 03h: CF=0"
        cmp     al, 2
        CHECK16 e, "INT 13h 03h: AL=2 sectors written"
        mov     ax, 0x0301                      ; and the first sector of cylinder 41
        mov     cx, (41 << 8) | 1
        mov     dx, 0x0000
        mov     bx, 0x6400
        int     0x13
        mov     di, 0x6800                      ; read all three back in one call?
        mov     ax, 0x0202                      ; (two: a read stops at the cylinder end)
        mov     cx, (40 << 8) | 17
        mov     dx, 0x0100
        mov     bx, 0x7000
        int     0x13
        CHECK16 nc, "INT 13h 02h: CF=0"
        cmp     al, 2
        CHECK16 e, "INT 13h 02h: AL=2"
        mov     ax, 0x0201
        mov     cx, (41 << 8) | 1
        mov     dx, 0x0000
        mov     bx, 0x7400
        int     0x13
        mov     si, 0x6000
        mov     di, 0x7000
        mov     cx, 3 * 512
        repe    cmpsb
        CHECK16 e, "INT 13h: three sectors written and read back"
        mov     ax, 0x0401                      ; verify
        mov     cx, (40 << 8) | 17
        mov     dx, 0x0100
        int     0x13
        CHECK16 nc, "INT 13h 04h: CF=0"
        ; AH=05h: format cylinder 79, head 1 (18 address fields C, H, R, N)
        mov     di, 0x6000
        mov     cx, 18
        mov     al, 1
.field: mov     byte [di], 79
        mov     byte [di + 1], 1
        mov     [di + 2], al
        mov     byte [di + 3], 2
        add     di, 4
        inc     al
        loop    .field
        mov     ax, 0x0512
        mov     cx, (79 << 8) | 1
        mov     dx, 0x0100
        mov     bx, 0x6000
        int     0x13
        CHECK16 nc, "INT 13h 05h: CF=0"
        mov     ax, 0x0201
        mov     cx, (79 << 8) | 7
        mov     dx, 0x0100
        mov     bx, 0x6000
        int     0x13
        mov     di, 0x6000
        mov     al, 0xF6                        ; the parameter table's filler byte
        mov     cx, 512
        repe    scasb
        CHECK16 e, "INT 13h 05h: the formatted sector reads F6h bytes"
        mov     ah, 0x16
        xor     dl, dl
        int     0x13
        CHECK16 nc, "INT 13h 16h: disk not changed, CF=0"
        cmp     ah, 0
        CHECK16 e, "INT 13h 16h: AH=0"
        mov     ah, 0x41
        mov     bx, 0x55AA
        xor     dl, dl
        int     0x13
        CHECK16 c, "INT 13h 41h on a floppy: CF=1"
        mov     ah, 0x08
        mov     dl, 0x80
        int     0x13
        CHECK16 c, "INT 13h 08h on a missing hard disk: CF=1"
        ret
stage2_end:
%if STAGE2_SECTORS > 35
%error "stage 2 must fit in cylinder 0 (35 sectors after the boot sector)"
%endif
