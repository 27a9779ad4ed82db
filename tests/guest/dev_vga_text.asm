; dev_vga_text.asm -- VGA text memory from the guest: mode 03h programmed
; from a register table, characters and attributes written at B8000 as
; bytes, words and dwords and read back (also with REP MOVSW/CMPSW); the
; same cells seen through planar addressing (character in plane 0,
; attribute in plane 1, font in plane 2 written with the map mask);
; 80x50 (8-line characters); and the windows that mode 03h leaves
; undecoded (A0000, B0000).
%include "pm_lib.inc"
%include "dev_vga_lib.inc"

%define TEXT 0xB8000

test_main:
        mov     esi, mode03_regs
        call    vga_set_mode

        ; ---- bytes, words and dwords ----
        mov     byte [TEXT + 2 * (3 * 80 + 5)], 'A'
        mov     byte [TEXT + 2 * (3 * 80 + 5) + 1], 0x1E
        movzx   eax, word [TEXT + 2 * (3 * 80 + 5)]
        CHECKV  eax, 0x1E41, "byte writes at B8000 read back as a cell"
        mov     word [TEXT + 2 * (3 * 80 + 6)], 0x2F42
        movzx   eax, byte [TEXT + 2 * (3 * 80 + 6) + 1]
        CHECKV  eax, 0x2F, "a word write: attribute at the odd byte"
        mov     dword [TEXT + 2 * (24 * 80 + 78)], 0x07590758
        mov     eax, [TEXT + 2 * (24 * 80 + 78)]
        CHECKV  eax, 0x07590758, "a dword write in the last two cells"

        ; ---- a line of text with REP MOVSW, compared with REP CMPSW ----
        cld
        mov     esi, line
        mov     edi, TEXT + 2 * 80 * 10
        mov     ecx, line_cells
        rep     movsw
        mov     esi, line
        mov     edi, TEXT + 2 * 80 * 10
        mov     ecx, line_cells
        repe    cmpsw
        CHECK32 e, "REP MOVSW to text memory, REPE CMPSW reads it back"

        ; ---- the planes behind the text: A0000 64K, sequential, plane 1 ----
        SETREG  0x3C4, 4, 0x06              ; odd/even off
        SETREG  0x3CE, 5, 0x00              ; host odd/even off
        SETREG  0x3CE, 6, 0x05              ; graphics, A0000 64K
        SETREG  0x3CE, 4, 1                 ; read plane 1
        movzx   eax, byte [0xA0000 + 2 * (3 * 80 + 5)]
        CHECKV  eax, 0x1E, "plane 1 holds the attribute at offset 2 * cell"
        SETREG  0x3CE, 4, 0
        movzx   eax, byte [0xA0000 + 2 * (3 * 80 + 5)]
        CHECKV  eax, 'A', "plane 0 holds the character"
        movzx   eax, byte [0xA0000 + 2 * (3 * 80 + 5) + 1]
        CHECKV  eax, 0, "plane 0's odd byte is not used by odd/even text"
        ; a glyph into plane 2, as a BIOS loads a font
        SETREG  0x3C4, 2, 0x04              ; map mask: plane 2
        mov     dword [0xA0000 + 0x80 * 32], 0x81422418
        SETREG  0x3CE, 4, 2
        mov     eax, [0xA0000 + 0x80 * 32]
        CHECKV  eax, 0x81422418, "font glyph for 0x80 written to plane 2"
        SETREG  0x3CE, 4, 0
        movzx   eax, byte [0xA0000 + 0x80 * 32]
        CHECKV  eax, 0, "the map mask kept plane 0 unchanged"
        ; back to text
        SETREG  0x3C4, 2, 0x03
        SETREG  0x3C4, 4, 0x02
        SETREG  0x3CE, 5, 0x10
        SETREG  0x3CE, 6, 0x0E
        movzx   eax, word [TEXT + 2 * (3 * 80 + 5)]
        CHECKV  eax, 0x1E41, "text mode again: the cell is unchanged"

        ; ---- windows not decoded in mode 03h ----
        movzx   eax, byte [0xA0000]
        CHECKV  eax, 0xFF, "A0000 reads FF with the B8000 map"
        movzx   eax, byte [0xB0000]
        CHECKV  eax, 0xFF, "B0000 reads FF with the B8000 map"
        mov     byte [0xB0000], 0x12
        movzx   eax, byte [TEXT]
        CHECKV  eax, 0, "a write to B0000 goes nowhere"

        ; ---- 80x50: 8-line characters, cursor 6-7 ----
        SETREG  0x3D4, 0x09, 0x47
        SETREG  0x3D4, 0x0A, 0x06
        SETREG  0x3D4, 0x0B, 0x07
        mov     word [TEXT + 2 * (49 * 80 + 79)], 0x4E5A
        movzx   eax, word [TEXT + 2 * (49 * 80 + 79)]
        CHECKV  eax, 0x4E5A, "80x50: the last cell reads back"
        GETREG  0x3D4, 0x09
        CHECKV  eax, 0x47, "80x50: maximum scan line 7"
        ; the cursor on the last cell
        SETREG  0x3D4, 0x0E, (49 * 80 + 79) >> 8
        SETREG  0x3D4, 0x0F, (49 * 80 + 79) & 0xFF
        GETREG  0x3D4, 0x0E
        shl     eax, 8
        mov     ebx, eax
        GETREG  0x3D4, 0x0F
        or      eax, ebx
        CHECKV  eax, 49 * 80 + 79, "cursor location reads back"

        FINISH32

line:   db      'T', 0x1F, 'e', 0x1F, 'x', 0x1F, 't', 0x1F, ' ', 0x07
        db      0xC9, 0x0E, 0xCD, 0x0E, 0xBB, 0x0E, 0xB0, 0x70, 0xDB, 0x8C
line_cells equ ($ - line) / 2
