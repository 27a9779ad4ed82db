; main.asm -- the x86lab PC BIOS: a 64 KiB ROM mapped at F0000h-FFFFFh
; (and at FFFF0000h, where the CPU fetches its first instruction).  This
; file puts the parts together: the code and tables first, then, at the
; addresses IBM's PC/AT BIOS used (programs and books know them), the
; entry points and tables, and the reset vector at F000:FFF0.
;
; Reading order for POST: the reset vector at the end of this file,
; then post.asm; for the services, the int*.asm files.
;
; Build: nasm -f bin -I bios/ -I <dir of font.bin> bios/main.asm
; (the Makefile makes font.bin from devices/vga_font.c).  Needs a 386.

        bits    16
        cpu     386
        org     0                               ; offsets in segment F000h

%include "data.inc"

; AT addr: pads to offset addr of the ROM (an error if the code above it
; grew past it).
%macro AT 1
        times   (%1) - ($ - $$) db 0xFF
%endmacro

rom_start:
%include "util.asm"
%include "post.asm"
%include "misc.asm"
%include "kbd.asm"
%include "int10.asm"
%include "vbe.asm"
%include "vgatables.asm"
%include "int13.asm"
%include "floppy.asm"
%include "ata.asm"
%include "cdrom.asm"
%include "cdemu.asm"
%include "hypercall.asm"
%include "int15.asm"
%include "mouse.asm"
%include "int1a.asm"
code_end:

%include "acpi.asm"                             ; at F000:D000
%include "mptable.asm"                          ; at F000:D400

; ---- fixed addresses of the AT BIOS ----
        AT      0xE05B
post_entry:                                     ; where the reset vector goes
        jmp     post

        AT      0xE2C3
nmi_entry:                                      ; NMI (INT 02h): parity errors are not
        iret                                    ; modelled; ignore it

        AT      0xE3FE
        jmp     int13_handler                   ; hard disk INT 13h entry

        AT      0xE6F2
        jmp     int19_handler                   ; INT 19h entry

        AT      0xE6F5
config_table:                                   ; INT 15h AH=C0h
        dw      8                               ; bytes that follow
        db      0xFC                            ; model: AT
        db      0x01                            ; submodel
        db      0x00                            ; BIOS revision
        db      0x74                            ; slave 8259, RTC, INT 09h calls INT 15h
                                                ; AH=4Fh, EBDA allocated
        db      0x00, 0x00, 0x00, 0x00          ; feature bytes 2-5

        AT      0xE82E
        jmp     int16_handler                   ; INT 16h entry

        AT      0xE987
        jmp     int09_handler                   ; INT 09h entry

        AT      0xEC59
        jmp     int13_handler                   ; floppy INT 13h entry

        AT      0xEF57
        jmp     int0e_handler                   ; INT 0Eh entry

        AT      0xEFC7
diskette_param_table:                           ; INT 1Eh (see floppy.asm DPT_*)
        db      0xDF                            ; step rate 3 ms, head unload 240 ms
        db      0x02                            ; head load 4 ms, DMA mode
        db      0x25                            ; motor off after 37 ticks (2 s)
        db      0x02                            ; 512-byte sectors
        db      18                              ; sectors per track
        db      0x1B                            ; gap length
        db      0xFF                            ; data length
        db      0x6C                            ; format gap length
        db      0xF6                            ; format filler byte
        db      0x0F                            ; head settle 15 ms
        db      0x08                            ; motor start 1 s

        AT      0xF065
        jmp     int10_handler                   ; INT 10h entry

        AT      0xF0A4
video_param_table:                              ; INT 1Dh: the 6845 values of the
        db      0x38, 0x28, 0x2D, 0x0A, 0x1F, 0x06, 0x19, 0x1C ; CGA modes (40x25,
        db      0x02, 0x07, 0x06, 0x07, 0x00, 0x00, 0x00, 0x00 ; 80x25, graphics,
        db      0x71, 0x50, 0x5A, 0x0A, 0x1F, 0x06, 0x19, 0x1C ; mono), kept for
        db      0x02, 0x07, 0x06, 0x07, 0x00, 0x00, 0x00, 0x00 ; programs that read
        db      0x38, 0x28, 0x2D, 0x0A, 0x7F, 0x06, 0x64, 0x70 ; them; the VGA is
        db      0x02, 0x01, 0x06, 0x07, 0x00, 0x00, 0x00, 0x00 ; programmed from
        db      0x61, 0x50, 0x52, 0x0F, 0x19, 0x06, 0x19, 0x19 ; vgatables.asm
        db      0x02, 0x0D, 0x0B, 0x0C, 0x00, 0x00, 0x00, 0x00
        dw      0x0800, 0x1000, 0x4000, 0x4000  ; page sizes
        db      0x28, 0x28, 0x50, 0x50, 0x28, 0x28, 0x50, 0x50  ; columns
        db      0x2C, 0x28, 0x2D, 0x29, 0x2A, 0x2E, 0x1E, 0x29  ; mode select values

        AT      0xF841
        jmp     int12_handler                   ; INT 12h entry

        AT      0xF84D
        jmp     int11_handler                   ; INT 11h entry

        AT      0xF859
        jmp     int15_handler                   ; INT 15h entry

        AT      0xFA6E
font8x8_rom:                                    ; the 8x8 font's first 128 glyphs,
        incbin  "font.bin", 4096, 1024          ; where CGA-era programs look

        AT      0xFE6E
        jmp     int1a_handler                   ; INT 1Ah entry

        AT      0xFEA5
        jmp     int08_handler                   ; INT 08h entry

        AT      0xFF53
dummy_iret:                                     ; every unused vector
        iret

        AT      0xFF54
        iret                                    ; INT 05h print screen: no printer

; ---- the reset vector ----
; The CPU starts in real mode at CS:IP = F000:FFF0, with CS's base at
; FFFF0000h (so this byte is fetched from the ROM's copy just below
; 4 GiB); the far jump loads CS with F000h, base F0000h: from here on
; the BIOS runs from the copy below 1 MiB.
        AT      0xFFF0
reset_vector:
        jmp     BIOS_SEG:post_entry

        AT      0xFFF5
        db      "06/01/25"                      ; BIOS date (MM/DD/YY)

        AT      0xFFFE
        db      0xFC                            ; model byte: AT
        db      0x00
