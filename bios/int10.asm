; int10.asm -- INT 10h, the video services, on the VGA: mode sets done by
; programming the chip's registers from the tables in vgatables.asm, the
; text cursor, scrolling, character output in text and graphics modes,
; palette and font queries.  VBE (AH=4Fh) is in vbe.asm.
;
;   AH=00h  set mode AL (03h text, 12h 640x480x16, 13h 320x200x256; bit 7
;           of AL keeps video memory); AL = 30h (text) or 20h on return
;   AH=01h  cursor shape CH (start, bit 5: hidden) / CL (end)
;   AH=02h  cursor position DH row, DL column of page BH
;   AH=03h  DX = cursor position, CX = shape of page BH
;   AH=05h  active page AL
;   AH=06h  scroll a window up (07h: down) by AL lines (0: clear it),
;           blank lines with attribute BH; window CH,CL - DH,DL
;   AH=08h  AX = attribute/character at the cursor of page BH (text modes)
;   AH=09h  CX times character AL with attribute BL at the cursor of page BH
;   AH=0Ah  the same, keeping the attributes (graphics: colour BL)
;   AH=0Bh  BH=00h: border colour BL (text modes; graphics modes: the
;           background, palette register 0, too); BH=01h: CGA palette BL
;           (kept in BDA 66h: there are no CGA graphics modes here)
;   AH=0Eh  teletype: AL with BEL, BS, LF, CR; scrolls; colour BL in graphics
;   AH=0Fh  AL = mode, AH = columns, BH = active page
;   AH=10h  palette: AL=00h-03h, 07h-09h attribute controller; 10h, 12h,
;           15h, 17h DAC registers
;   AH=11h  AL=04h/14h reload the 8x16 font; AL=30h font information
;   AH=12h  BL=10h: EGA/VGA information
;   AH=13h  write string ES:BP, CX characters, at DH,DL of page BH
;   AH=1Ah  AL=00h: display combination (VGA colour)
;   AH=4Fh  VBE, see vbe.asm

VK_TEXT         equ     0
VK_PLANAR       equ     1               ; 16 colours, four planes
VK_LINEAR       equ     2               ; 256 colours, one byte a pixel

int10_handler:
        sti
        cld
        FRAME_ENTER
        push    word BDA_SEG
        pop     ds
        mov     ax, [bp+R_AX]
        cmp     ah, 0x4F
        je      vbe_service
        movzx   bx, ah
        cmp     bx, video_functions_end - video_functions
        jae     .done
        shl     bx, 1                           ; (table of words)
        jmp     [cs:video_functions + bx]
.done:  FRAME_LEAVE

video_functions:
        dw      vid_fn_set_mode                 ; 00
        dw      vid_fn_cursor_shape             ; 01
        dw      vid_fn_set_cursor               ; 02
        dw      vid_fn_get_cursor               ; 03
        dw      vid_fn_done                     ; 04 light pen: none
        dw      vid_fn_set_page                 ; 05
        dw      vid_fn_scroll                   ; 06
        dw      vid_fn_scroll                   ; 07
        dw      vid_fn_read_char                ; 08
        dw      vid_fn_write_char_attr          ; 09
        dw      vid_fn_write_char               ; 0A
        dw      vid_fn_cga_palette              ; 0B
        dw      vid_fn_done                     ; 0C write pixel
        dw      vid_fn_done                     ; 0D read pixel
        dw      vid_fn_teletype                 ; 0E
        dw      vid_fn_get_mode                 ; 0F
        dw      vid_fn_palette                  ; 10
        dw      vid_fn_font                     ; 11
        dw      vid_fn_alt_select               ; 12
        dw      vid_fn_write_string             ; 13
        dw      vid_fn_done                     ; 14
        dw      vid_fn_done                     ; 15
        dw      vid_fn_done                     ; 16
        dw      vid_fn_done                     ; 17
        dw      vid_fn_done                     ; 18
        dw      vid_fn_done                     ; 19
        dw      vid_fn_display_combination      ; 1A
video_functions_end:

vid_fn_done:
        FRAME_LEAVE

; ---- AH=00h: set mode ----
vid_fn_set_mode:
        mov     al, [bp+R_AL]
        call    vid_set_mode
        jc      vid_fn_done                     ; a mode we do not have: nothing changes
        mov     byte [bp+R_AL], 0x30
        cmp     byte [BDA_VID_MODE], 0x03
        je      vid_fn_done
        mov     byte [bp+R_AL], 0x20
        FRAME_LEAVE

; vid_mode_entry: SI = the table entry of mode AL, CF=1 if there is none.
vid_mode_entry:
        mov     si, video_modes
.next:  cmp     byte [cs:si + VM_MODE], 0xFF
        je      .none
        cmp     [cs:si + VM_MODE], al
        je      .found
        add     si, VM_SIZE
        jmp     .next
.none:  stc
        ret
.found: clc
        ret

; vid_current_entry: SI = the table entry of the current mode (BDA 49h);
; CF=1 when the current mode is not a VGA mode of ours (a VBE mode).
vid_current_entry:
        mov     al, [BDA_VID_MODE]
        jmp     vid_mode_entry

; vid_set_mode: mode AL (bit 7: do not clear the memory), DS = BDA.
; CF=1 (and nothing done) for a mode the BIOS does not have.
vid_set_mode:
        mov     bl, al
        and     al, 0x7F
        call    vid_mode_entry
        jc      .done
        call    vbe_disable
        call    vid_load_regs
        call    vid_load_dac
        test    bl, 0x80
        jnz     .kept
        call    vid_clear_memory
.kept:  cmp     byte [cs:si + VM_KIND], VK_TEXT
        jne     .no_font
        call    vid_load_font
.no_font:
        ; the BDA's picture of the mode
        mov     al, [cs:si + VM_MODE]
        mov     [BDA_VID_MODE], al
        movzx   ax, byte [cs:si + VM_COLS]
        mov     [BDA_VID_COLS], ax
        mov     ax, [cs:si + VM_PAGESZ]
        mov     [BDA_VID_PAGESZ], ax
        mov     word [BDA_VID_PAGEOFF], 0
        mov     byte [BDA_VID_PAGE], 0
        mov     word [BDA_VID_CRTC], 0x3D4
        mov     al, [cs:si + VM_ROWS]
        mov     [BDA_VID_ROWS], al
        movzx   ax, byte [cs:si + VM_CHARH]
        mov     [BDA_VID_CHARH], ax
        mov     al, [cs:si + VM_MSR]
        mov     [BDA_VID_MSR], al
        mov     byte [BDA_VID_PAL], 0x30
        and     bl, 0x80                        ; "memory kept" flag
        or      bl, 0x60                        ; 256 KiB, VGA active
        mov     [BDA_VID_EGAMISC], bl
        mov     byte [BDA_VID_EGASW], 0xF9
        mov     byte [BDA_VID_VGAFLAGS], 0x51   ; 400 lines, palette loading on
        mov     byte [BDA_VID_DCC], 0x08
        push    es
        push    ds
        pop     es
        mov     di, BDA_VID_CURPOS
        xor     ax, ax
        mov     cx, 8
        rep     stosw
        pop     es
        push    es
        mov     es, [BDA_EBDA]
        mov     word [es:EBDA_VBE_MODE], 0
        pop     es
        mov     cx, 0x0607                      ; the CGA underline cursor
        call    vid_cursor_shape
        xor     bh, bh
        call    vid_update_cursor
        clc
.done:  ret

; vid_load_regs: the VGA registers from mode entry CS:SI.
vid_load_regs:
        push    bx
        mov     dx, 0x3C4
        mov     ax, 0x0100                      ; sequencer: synchronous reset
        out     dx, ax
        mov     bx, 0
.seq:   mov     al, bl
        inc     al
        mov     ah, [cs:si + VM_SEQ + bx]
        out     dx, ax
        inc     bx
        cmp     bx, 4
        jb      .seq
        mov     dx, 0x3C2
        mov     al, [cs:si + VM_MISC]
        out     dx, al
        mov     dx, 0x3C4
        mov     ax, 0x0300                      ; sequencer running again
        out     dx, ax
        mov     dx, 0x3D4                       ; CRTC: unlock registers 0-7 first
        mov     al, 0x11
        out     dx, al
        inc     dx
        in      al, dx
        and     al, 0x7F
        out     dx, al
        dec     dx
        xor     bx, bx
.crtc:  mov     al, bl
        mov     ah, [cs:si + VM_CRTC + bx]
        out     dx, ax
        inc     bx
        cmp     bx, 25
        jb      .crtc
        mov     dx, 0x3DA                       ; attribute controller: index first
        in      al, dx
        mov     dx, 0x3C0
        xor     bx, bx
.ac:    mov     al, bl
        out     dx, al
        mov     al, [cs:si + VM_AC + bx]
        out     dx, al
        inc     bx
        cmp     bx, 20
        jb      .ac
        mov     al, 0x14                        ; colour select
        out     dx, al
        xor     al, al
        out     dx, al
        mov     dx, 0x3CE
        xor     bx, bx
.gc:    mov     al, bl
        mov     ah, [cs:si + VM_GC + bx]
        out     dx, ax
        inc     bx
        cmp     bx, 9
        jb      .gc
        call    vid_screen_on
        pop     bx
        ret

; vid_screen_on: palette address source on, so the attribute controller
; shows the picture.
vid_screen_on:
        push    ax
        push    dx
        mov     dx, 0x3DA
        in      al, dx
        mov     dx, 0x3C0
        mov     al, 0x20
        out     dx, al
        pop     dx
        pop     ax
        ret

; vid_load_dac: the DAC colours of mode entry CS:SI: the 64 EGA colours
; (rgbRGB: primary bits 2/3 intensity, secondary 1/3) for 16-colour modes,
; the standard 256-colour table for mode 13h.
vid_load_dac:
        push    bx
        mov     dx, 0x3C6
        mov     al, 0xFF                        ; pixel mask
        out     dx, al
        mov     dx, 0x3C8
        xor     al, al
        out     dx, al
        inc     dx                              ; 3C9h: R, G, B, R, G, B ...
        cmp     byte [cs:si + VM_KIND], VK_LINEAR
        je      .vga256
        xor     bx, bx
.ega:   mov     al, bl
        shr     al, 2                           ; red: bit 2 (2/3), bit 5 (1/3)
        call    .level
        mov     al, bl
        shr     al, 1                           ; green: bits 1 and 4
        call    .level
        mov     al, bl                          ; blue: bits 0 and 3
        call    .level
        inc     bx
        cmp     bx, 64
        jb      .ega
        pop     bx
        ret
; one component: AL bit 0 gives 2/3 of full intensity, bit 3 gives 1/3
.level: xor     ah, ah
        test    al, 0x01
        jz      .no_primary
        add     ah, 0x2A
.no_primary:
        test    al, 0x08
        jz      .no_secondary
        add     ah, 0x15
.no_secondary:
        mov     al, ah
        out     dx, al
        ret
.vga256:
        push    si
        mov     si, palette256
        mov     cx, 256 * 3
.copy:  mov     al, [cs:si]
        out     dx, al
        inc     si
        loop    .copy
        pop     si
        pop     bx
        ret

; vid_clear_memory: blanks the whole video memory of the mode (text:
; spaces in light gray on black; graphics: colour 0).
vid_clear_memory:
        push    es
        push    di
        mov     es, [cs:si + VM_SEG]
        xor     di, di
        mov     cx, 0x8000
        xor     ax, ax
        cmp     byte [cs:si + VM_KIND], VK_TEXT
        jne     .fill
        mov     cx, 0x4000
        mov     ax, 0x0720
.fill:  rep     stosw
        pop     di
        pop     es
        ret

; vid_load_font: the 8x16 font into character map 0 (plane 2, 32 bytes a
; glyph); the planes are opened for it and put back for text mode.
vid_load_font:
        push    ds
        push    es
        push    si
        mov     dx, 0x3C4
        mov     ax, 0x0100
        out     dx, ax
        mov     ax, 0x0402                      ; map mask: plane 2
        out     dx, ax
        mov     ax, 0x0704                      ; sequential, no odd/even
        out     dx, ax
        mov     ax, 0x0300
        out     dx, ax
        mov     dx, 0x3CE
        mov     ax, 0x0204                      ; read map: plane 2
        out     dx, ax
        mov     ax, 0x0005                      ; write mode 0, no odd/even
        out     dx, ax
        mov     ax, 0x0406                      ; memory at A000h, 64 KiB
        out     dx, ax
        push    cs
        pop     ds
        mov     si, font8x16
        mov     ax, VGA_GFX_SEG
        mov     es, ax
        xor     di, di
        mov     bx, 256
.glyph: mov     cx, 16
        rep     movsb
        add     di, 16
        dec     bx
        jnz     .glyph
        mov     dx, 0x3C4                       ; back to text mode's planes
        mov     ax, 0x0100
        out     dx, ax
        mov     ax, 0x0302                      ; planes 0 (characters), 1 (attributes)
        out     dx, ax
        mov     ax, 0x0204                      ; odd/even
        out     dx, ax
        mov     ax, 0x0300
        out     dx, ax
        mov     dx, 0x3CE
        mov     ax, 0x0004
        out     dx, ax
        mov     ax, 0x1005
        out     dx, ax
        mov     ax, 0x0E06                      ; memory at B800h, odd/even
        out     dx, ax
        pop     si
        pop     es
        pop     ds
        ret

; ---- AH=01h: cursor shape ----
vid_fn_cursor_shape:
        mov     cx, [bp+R_CX]
        call    vid_cursor_shape
        FRAME_LEAVE

; vid_cursor_shape: CH = start line (bit 5: no cursor), CL = end line, as
; for a CGA's 8-line cell; the BDA keeps them so, and with a 16-line font
; the CRTC gets them scaled (the VGA's "cursor emulation": start 0 stays
; 0, else 2n+1; end 2n, so 0607h shows as lines 13-14).
vid_cursor_shape:
        mov     [BDA_VID_CURSHAPE], cx
        mov     ah, ch
        mov     al, cl
        cmp     byte [BDA_VID_CHARH], 8         ; an 8-line font: as given
        jbe     .program
        test    ah, 0x20                        ; hidden: as given
        jnz     .program
        cmp     ah, 8                           ; already in 16-line terms
        jae     .program
        cmp     al, 8
        jae     .program
        shl     al, 1
        test    ah, ah
        jz      .program
        shl     ah, 1
        inc     ah
.program:
        mov     cx, ax                          ; CH start, CL end
        mov     dx, 0x3D4
        mov     al, 0x0A
        mov     ah, ch
        out     dx, ax
        mov     al, 0x0B
        mov     ah, cl
        out     dx, ax
        ret

; ---- AH=02h / 03h: cursor position ----
vid_fn_set_cursor:
        mov     bh, [bp+R_BH]
        and     bh, 7
        mov     dx, [bp+R_DX]
        movzx   di, bh
        shl     di, 1
        mov     [BDA_VID_CURPOS + di], dx
        call    vid_update_cursor
        FRAME_LEAVE

vid_fn_get_cursor:
        movzx   di, byte [bp+R_BH]
        and     di, 7
        shl     di, 1
        mov     ax, [BDA_VID_CURPOS + di]
        mov     [bp+R_DX], ax
        mov     ax, [BDA_VID_CURSHAPE]
        mov     [bp+R_CX], ax
        FRAME_LEAVE

; vid_update_cursor: if page BH is the active one, the CRTC cursor goes to
; its BDA position.
vid_update_cursor:
        cmp     bh, [BDA_VID_PAGE]
        jne     .done
        movzx   di, bh
        shl     di, 1
        mov     dx, [BDA_VID_CURPOS + di]
        movzx   ax, dh
        imul    ax, [BDA_VID_COLS]
        movzx   dx, dl
        add     ax, dx
        mov     dx, [BDA_VID_PAGEOFF]
        shr     dx, 1
        add     ax, dx                          ; in characters from the start
        mov     cx, ax
        mov     dx, 0x3D4
        mov     al, 0x0E
        mov     ah, ch
        out     dx, ax
        mov     al, 0x0F
        mov     ah, cl
        out     dx, ax
.done:  ret

; ---- AH=05h: active page ----
vid_fn_set_page:
        mov     al, [bp+R_AL]
        call    vid_current_entry
        jc      vid_fn_done
        mov     ah, 7                           ; text: pages 0-7; graphics: 0
        cmp     byte [cs:si + VM_KIND], VK_TEXT
        je      .limit
        xor     ah, ah
.limit: mov     al, [bp+R_AL]
        cmp     al, ah
        ja      vid_fn_done
        mov     [BDA_VID_PAGE], al
        movzx   ax, al
        imul    ax, [BDA_VID_PAGESZ]
        mov     [BDA_VID_PAGEOFF], ax
        shr     ax, 1                           ; start address in words
        mov     cx, ax
        mov     dx, 0x3D4
        mov     al, 0x0C
        mov     ah, ch
        out     dx, ax
        mov     al, 0x0D
        mov     ah, cl
        out     dx, ax
        mov     bh, [BDA_VID_PAGE]
        call    vid_update_cursor
        FRAME_LEAVE

; ---- AH=0Fh: current mode ----
vid_fn_get_mode:
        mov     al, [BDA_VID_EGAMISC]
        and     al, 0x80
        or      al, [BDA_VID_MODE]
        mov     ah, [BDA_VID_COLS]
        mov     [bp+R_AX], ax
        mov     al, [BDA_VID_PAGE]
        mov     [bp+R_BH], al
        FRAME_LEAVE

; ---- text cells ----
; vid_cell: ES:DI = the text cell at row DH, column DL of page BH.
vid_cell:
        push    ax
        push    dx
        movzx   di, dh
        imul    di, [BDA_VID_COLS]
        movzx   ax, dl
        add     di, ax
        shl     di, 1
        movzx   ax, bh
        imul    ax, [BDA_VID_PAGESZ]
        add     di, ax
        mov     ax, VGA_TEXT_SEG
        mov     es, ax
        pop     dx
        pop     ax
        ret

; vid_cursor_of: DX = the cursor of page BH.
vid_cursor_of:
        push    di
        movzx   di, bh
        and     di, 7
        shl     di, 1
        mov     dx, [BDA_VID_CURPOS + di]
        pop     di
        ret

; ---- AH=08h: read character and attribute ----
vid_fn_read_char:
        call    vid_current_entry
        jc      vid_fn_done
        cmp     byte [cs:si + VM_KIND], VK_TEXT
        jne     .graphics
        mov     bh, [bp+R_BH]
        call    vid_cursor_of
        call    vid_cell
        mov     ax, [es:di]
        mov     [bp+R_AX], ax
        FRAME_LEAVE
.graphics:
        mov     word [bp+R_AX], 0               ; no character recognition
        FRAME_LEAVE

; ---- AH=09h / 0Ah: write a character CX times at the cursor ----
vid_fn_write_char_attr:
        mov     bl, [bp+R_BL]
        mov     bh, 1                           ; with the attribute
        jmp     vid_write_repeat
vid_fn_write_char:
        mov     bl, [bp+R_BL]
        xor     bh, bh
vid_write_repeat:
        mov     cx, [bp+R_CX]
        jcxz    .done
        mov     al, [bp+R_AL]
        push    bx
        mov     bh, [bp+R_BH]
        call    vid_cursor_of
        pop     bx
.next:  push    cx
        call    vid_put_char                    ; at DH,DL of page [bp+R_BH]
        pop     cx
        inc     dl                              ; the cursor does not move; the
        cmp     dl, [BDA_VID_COLS]              ; copies go on to the right and
        jb      .same_row                       ; into the next rows
        xor     dl, dl
        inc     dh
        cmp     dh, [BDA_VID_ROWS]
        ja      .done
.same_row:
        loop    .next
.done:  FRAME_LEAVE

; vid_put_char: character AL at row DH, column DL of page [bp+R_BH]; BL
; is the attribute (text, written when BH=1) or the colour (graphics: bit
; 7 XORs it in).  Preserves AX, BX, DX.
vid_put_char:
        push    si
        push    di
        push    es
        push    ax
        mov     al, [BDA_VID_MODE]
        call    vid_mode_entry
        pop     ax
        jc      .done
        cmp     byte [cs:si + VM_KIND], VK_TEXT
        jne     .graphics
        push    bx
        mov     bh, [bp+R_BH]
        call    vid_cell
        pop     bx
        mov     [es:di], al
        test    bh, bh
        jz      .done
        mov     [es:di+1], bl
        jmp     .done
.graphics:
        call    vid_gfx_char
.done:  pop     es
        pop     di
        pop     si
        ret

; ---- AH=0Eh: teletype ----
vid_fn_teletype:
        mov     al, [bp+R_AL]
        mov     bl, [bp+R_BL]
        mov     bh, [BDA_VID_PAGE]
        mov     [bp+R_BH], bh                   ; (vid_put_char reads the page there)
        xor     cl, cl                          ; keep the attributes
        call    vid_tty
        FRAME_LEAVE

; vid_tty: AL on page BH at its cursor as a terminal would: BEL rings
; (nothing here), BS goes left, LF down, CR to column 0, anything else is
; written (with attribute/colour BL if CL=1, else colour BL in graphics
; and the cell's attribute kept in text) and the cursor advances; past
; the last row the screen scrolls up, the new line taking the attribute
; of the cell under the cursor.  [bp+R_BH] must be BH.
vid_tty:
        call    vid_cursor_of
        cmp     al, 7
        je      .done
        cmp     al, 8
        je      .bs
        cmp     al, 10
        je      .lf
        cmp     al, 13
        je      .cr
        push    bx
        mov     bh, cl
        call    vid_put_char
        pop     bx
        inc     dl
        cmp     dl, [BDA_VID_COLS]
        jb      .move
        xor     dl, dl
.lf:    inc     dh
        jmp     .move
.bs:    test    dl, dl
        jz      .move
        dec     dl
        jmp     .move
.cr:    xor     dl, dl
.move:  cmp     dh, [BDA_VID_ROWS]
        jbe     .set
        mov     dh, [BDA_VID_ROWS]
        call    vid_scroll_tty
.set:   movzx   di, bh
        and     di, 7
        shl     di, 1
        mov     [BDA_VID_CURPOS + di], dx
        call    vid_update_cursor
.done:  ret

; vid_scroll_tty: scrolls the whole screen up one line (the new bottom
; line has the attribute of the cell at DH,DL in text modes, colour 0 in
; graphics).  Preserves AX, BX, CX, DX.
vid_scroll_tty:
        pusha
        mov     al, [BDA_VID_MODE]
        call    vid_mode_entry
        jc      .done
        xor     ah, ah                          ; graphics: blank with 0
        cmp     byte [cs:si + VM_KIND], VK_TEXT
        jne     .scroll
        call    vid_cell
        mov     ah, [es:di+1]
.scroll:
        mov     bh, ah                          ; attribute of the new line
        mov     al, 1                           ; one line
        xor     cx, cx                          ; the whole screen
        mov     dh, [BDA_VID_ROWS]
        mov     dl, [BDA_VID_COLS]
        dec     dl
        mov     bl, 0x06                        ; up
        call    vid_scroll
.done:  popa
        ret

; ---- AH=06h / 07h: scroll a window ----
vid_fn_scroll:
        mov     bl, [bp+R_AH]
        mov     al, [bp+R_AL]
        mov     bh, [bp+R_BH]
        mov     cx, [bp+R_CX]
        mov     dx, [bp+R_DX]
        call    vid_scroll
        FRAME_LEAVE

; vid_scroll: the window CH,CL (top, left) to DH,DL (bottom, right) of the
; active page moves AL lines up (BL=06h) or down (07h); the lines that
; come in are blank with attribute BH (graphics: colour BH).  AL=0 or more
; than the window's height clears it.
vid_scroll:
        cmp     dh, [BDA_VID_ROWS]              ; clip to the screen
        jbe     .rows_ok
        mov     dh, [BDA_VID_ROWS]
.rows_ok:
        cmp     dl, [BDA_VID_COLS]
        jb      .cols_ok
        mov     dl, [BDA_VID_COLS]
        dec     dl
.cols_ok:
        cmp     ch, dh
        ja      .done
        cmp     cl, dl
        ja      .done
        mov     ah, dh
        sub     ah, ch
        inc     ah                              ; window height
        test    al, al
        jz      .clear
        cmp     al, ah
        jbe     .lines_ok
.clear: mov     al, ah
.lines_ok:
        push    ax
        mov     al, [BDA_VID_MODE]
        call    vid_mode_entry                  ; SI = the mode, for the row helpers
        pop     ax
        jc      .done
        ; row by row: row r of the window gets row r+AL (up) or r-AL
        ; (down), or a blank line when that row is outside the window
        cmp     bl, 0x07
        je      .down
        mov     ah, ch                          ; r = top
.up_row:
        mov     bl, ah
        add     bl, al                          ; the source row
        jc      .up_blank
        cmp     bl, dh
        ja      .up_blank
        call    vid_copy_row
        jmp     .up_next
.up_blank:
        call    vid_blank_row
.up_next:
        inc     ah
        cmp     ah, dh
        jbe     .up_row
.done:  ret
.down:  mov     ah, dh                          ; r = bottom
.down_row:
        mov     bl, ah
        sub     bl, al
        jc      .down_blank
        cmp     bl, ch
        jb      .down_blank
        call    vid_copy_row
        jmp     .down_next
.down_blank:
        call    vid_blank_row
.down_next:
        cmp     ah, ch
        je      .done
        dec     ah
        jmp     .down_row

; vid_row_geometry: for character row AH, columns CL..DL of the active
; page of mode CS:SI: DI = offset of its first byte in video memory, BX =
; bytes per scan line, CX = bytes of one scan line of the row segment,
; AX = scan lines in a character row (text: 1 line of cells).
; DS = BDA.
vid_row_geometry:
        push    dx
        movzx   bx, byte [cs:si + VM_BPC]       ; bytes per character column
        mov     al, dl
        sub     al, cl
        inc     al
        movzx   dx, al
        imul    dx, bx                          ; row segment width in bytes
        push    dx
        movzx   dx, cl
        imul    dx, bx                          ; left edge in bytes
        mov     bx, [cs:si + VM_BPL]
        movzx   di, ah
        movzx   ax, byte [cs:si + VM_LINES]     ; scan lines per character row
        imul    di, ax
        imul    di, bx                          ; first scan line of the row
        add     di, dx
        add     di, [BDA_VID_PAGEOFF]
        pop     cx
        pop     dx
        ret

; vid_copy_row: columns CL..DL of character row AH get those of row BL
; (active page; SI = mode entry; DS = BDA).  Preserves all.
vid_copy_row:
        pusha
        push    ds
        push    es
        ; video memory's segment; planar modes copy all four planes at
        ; once through the latches (write mode 1)
        mov     di, VGA_TEXT_SEG
        cmp     byte [cs:si + VM_KIND], VK_TEXT
        je      .segment
        mov     di, VGA_GFX_SEG
        cmp     byte [cs:si + VM_KIND], VK_PLANAR
        jne     .segment
        push    ax
        push    dx
        mov     dx, 0x3CE
        mov     ax, 0x0105
        out     dx, ax
        pop     dx
        pop     ax
.segment:
        mov     es, di
        push    ax
        push    cx
        mov     ah, bl
        call    vid_row_geometry                ; DI = the source row
        pop     cx
        pop     ax
        push    di
        call    vid_row_geometry                ; DI = the destination row
        pop     si
        mov     dx, ax                          ; DX = scan lines, BX = stride, CX = width
        push    es
        pop     ds
.line:  push    cx
        push    si
        push    di
        rep     movsb
        pop     di
        pop     si
        pop     cx
        add     si, bx
        add     di, bx
        dec     dx
        jnz     .line
        pop     es
        pop     ds
        call    vid_restore_gc5
        popa
        ret

; vid_restore_gc5: the graphics mode register back to the current mode's
; value (after a copy in write mode 1).
vid_restore_gc5:
        push    si
        push    ax
        push    dx
        mov     al, [BDA_VID_MODE]
        call    vid_mode_entry
        jc      .done
        mov     dx, 0x3CE
        mov     al, 0x05
        mov     ah, [cs:si + VM_GC + 5]
        out     dx, ax
.done:  pop     dx
        pop     ax
        pop     si
        ret

; vid_blank_row: columns CL..DL of character row AH become blank: spaces
; with attribute BH in text modes, colour BH in graphics (active page;
; SI = mode entry; DS = BDA).  Preserves all.
vid_blank_row:
        pusha
        push    es
        mov     dh, bh                          ; DH = attribute / colour
        call    vid_row_geometry                ; DI, BX = stride, CX = width, AX = lines
        cmp     byte [cs:si + VM_KIND], VK_TEXT
        jne     .graphics
        push    word VGA_TEXT_SEG
        pop     es
        mov     ah, dh
        mov     al, ' '
        shr     cx, 1                           ; bytes -> cells
        rep     stosw
        jmp     .done
.graphics:
        push    word VGA_GFX_SEG
        pop     es
        cmp     byte [cs:si + VM_KIND], VK_PLANAR
        jne     .fill
        push    ax
        push    dx
        mov     ah, dh                          ; planar: the set/reset register
        and     ah, 0x0F                        ; paints the colour into every
        xor     al, al                          ; plane, whatever byte is written
        mov     dx, 0x3CE
        out     dx, ax
        mov     ax, 0x0F01
        out     dx, ax
        pop     dx
        pop     ax
.fill:  mov     si, ax                          ; SI = scan lines
        mov     al, dh
.gline: push    cx
        push    di
        rep     stosb
        pop     di
        pop     cx
        add     di, bx
        dec     si
        jnz     .gline
        mov     dx, 0x3CE
        mov     ax, 0x0001                      ; set/reset off again
        out     dx, ax
        xor     ax, ax
        out     dx, ax
.done:  pop     es
        popa
        ret

; ---- graphics characters ----
; vid_gfx_char: glyph AL at character cell DH,DL of graphics mode CS:SI
; (mode 12h: 8x16 font; 13h: 8x8) in colour BL; bit 7 of BL XORs the
; glyph into the picture instead of painting the cell.  Preserves all.
vid_gfx_char:
        pusha
        push    es
        push    word VGA_GFX_SEG
        pop     es
        movzx   di, al                          ; CS:DI = the glyph's rows
        movzx   ax, byte [cs:si + VM_CHARH]
        imul    di, ax
        add     di, font8x8
        cmp     al, 16
        jne     .glyph
        sub     di, font8x8
        add     di, font8x16
.glyph: push    di
        mov     ah, bl                          ; colour
        mov     al, [cs:si + VM_KIND]
        push    ax
        mov     ah, dh
        mov     cl, dl                          ; one cell: left = right = DL
        call    vid_row_geometry                ; DI = cell, BX = stride, AX = lines
        pop     dx                              ; DL = kind, DH = colour
        pop     si                              ; CS:SI = glyph rows
        mov     cl, al                          ; CL = lines
        mov     ch, dh                          ; CH = colour
        cmp     dl, VK_PLANAR
        je      .planar
.linear_line:                                   ; mode 13h: a byte per pixel
        mov     ah, [cs:si]
        inc     si
        push    di
        mov     dl, 8
.pixel: shl     ah, 1
        jc      .on
        test    ch, 0x80                        ; background: 0, or untouched (XOR)
        jnz     .next
        mov     byte [es:di], 0
        jmp     .next
.on:    test    ch, 0x80
        jnz     .xor
        mov     [es:di], ch
        jmp     .next
.xor:   mov     al, ch
        and     al, 0x7F
        xor     [es:di], al
.next:  inc     di
        dec     dl
        jnz     .pixel
        pop     di
        add     di, bx
        dec     cl
        jnz     .linear_line
        jmp     .done
.planar:                                        ; mode 12h: a bit per pixel per plane
        test    ch, 0x80
        jz      .planar_line
        mov     dx, 0x3CE
        mov     ax, 0x1803                      ; data rotate: function XOR
        out     dx, ax
.planar_line:
        mov     ah, ch
        and     ah, 0x0F                        ; the colour's planes
        mov     al, 0x02
        mov     dx, 0x3C4
        test    ch, 0x80
        jnz     .planar_xor
        push    ax
        mov     ax, 0x0F02                      ; all planes: clear the 8 pixels
        out     dx, ax
        mov     byte [es:di], 0
        pop     ax
        out     dx, ax                          ; the colour's planes: the glyph
        mov     al, [cs:si]
        mov     [es:di], al
        jmp     .planar_next
.planar_xor:
        out     dx, ax
        mov     al, [es:di]                     ; the latches get the pixels
        mov     al, [cs:si]
        mov     [es:di], al
.planar_next:
        inc     si
        add     di, bx
        dec     cl
        jnz     .planar_line
        mov     dx, 0x3C4
        mov     ax, 0x0F02
        out     dx, ax
        mov     dx, 0x3CE
        mov     ax, 0x0003
        out     dx, ax
.done:  pop     es
        popa
        ret

; ---- AH=10h: palette ----
vid_fn_palette:
        mov     al, [bp+R_AL]
        mov     bx, [bp+R_BX]
        cmp     al, 0x00
        je      .set_one
        cmp     al, 0x01
        je      .set_overscan
        cmp     al, 0x02
        je      .set_all
        cmp     al, 0x03
        je      .blink
        cmp     al, 0x07
        je      .get_one
        cmp     al, 0x08
        je      .get_overscan
        cmp     al, 0x09
        je      .get_all
        cmp     al, 0x10
        je      .set_dac
        cmp     al, 0x12
        je      .set_dac_block
        cmp     al, 0x15
        je      .get_dac
        cmp     al, 0x17
        je      .get_dac_block
        jmp     .done
.set_one:                                       ; register BL = BH
        cmp     bl, 0x0F
        ja      .done
        mov     al, bl
        mov     ah, bh
        call    vid_ac_write
        jmp     .done
.set_overscan:
        mov     al, 0x11
        mov     ah, bh
        call    vid_ac_write
        jmp     .done
.set_all:                                       ; ES:DX: 16 registers, overscan
        mov     es, [bp+R_ES]
        mov     si, [bp+R_DX]
        xor     al, al
.set_next:
        mov     ah, [es:si]
        inc     si
        call    vid_ac_write
        inc     al
        cmp     al, 0x10
        jb      .set_next
        mov     al, 0x11
        mov     ah, [es:si]
        call    vid_ac_write
        jmp     .done
.blink:                                         ; BL=0 bright backgrounds, 1 blinking
        mov     al, 0x10
        call    vid_ac_read
        mov     ah, al
        and     ah, ~0x08
        and     byte [BDA_VID_MSR], ~0x20
        test    bl, 1
        jz      .blink_set
        or      ah, 0x08
        or      byte [BDA_VID_MSR], 0x20
.blink_set:
        mov     al, 0x10
        call    vid_ac_write
        jmp     .done
.get_one:
        mov     al, bl
        and     al, 0x1F
        call    vid_ac_read
        mov     [bp+R_BH], al
        jmp     .done
.get_overscan:
        mov     al, 0x11
        call    vid_ac_read
        mov     [bp+R_BH], al
        jmp     .done
.get_all:
        mov     es, [bp+R_ES]
        mov     di, [bp+R_DX]
        xor     bl, bl
.get_next:
        mov     al, bl
        call    vid_ac_read
        stosb
        inc     bl
        cmp     bl, 0x10
        jb      .get_next
        mov     al, 0x11
        call    vid_ac_read
        stosb
        jmp     .done
.set_dac:                                       ; DAC register BX = DH, CH, CL
        mov     dx, 0x3C8
        mov     al, bl
        out     dx, al
        inc     dx
        mov     al, [bp+R_DH]
        out     dx, al
        mov     al, [bp+R_CH]
        out     dx, al
        mov     al, [bp+R_CL]
        out     dx, al
        jmp     .done
.set_dac_block:                                 ; CX registers from BX, ES:DX
        mov     dx, 0x3C8
        mov     al, bl
        out     dx, al
        inc     dx
        mov     es, [bp+R_ES]
        mov     si, [bp+R_DX]
        mov     cx, [bp+R_CX]
        imul    cx, cx, 3
        jcxz    .done
.set_block_next:
        mov     al, [es:si]
        inc     si
        out     dx, al
        loop    .set_block_next
        jmp     .done
.get_dac:
        mov     dx, 0x3C7
        mov     al, bl
        out     dx, al
        add     dx, 2
        in      al, dx
        mov     [bp+R_DH], al
        in      al, dx
        mov     [bp+R_CH], al
        in      al, dx
        mov     [bp+R_CL], al
        jmp     .done
.get_dac_block:
        mov     dx, 0x3C7
        mov     al, bl
        out     dx, al
        add     dx, 2
        mov     es, [bp+R_ES]
        mov     di, [bp+R_DX]
        mov     cx, [bp+R_CX]
        imul    cx, cx, 3
        jcxz    .done
.get_block_next:
        in      al, dx
        stosb
        loop    .get_block_next
.done:  FRAME_LEAVE

; ---- AH=0Bh: the CGA palette services ----
; BH=00h: BL bits 0-3 the border colour (the attribute controller's
; overscan register gets the DAC entry that palette register BL names),
; and in graphics modes the background (palette register 0) too.  BH=01h: BL bit 0 the CGA palette of modes 4/5.  Both are kept
; in the BDA's CGA palette register copy (66h: colour in bits 0-3,
; palette in bit 5), as the CGA BIOS kept them.
vid_fn_cga_palette:
        mov     bl, [bp+R_BL]
        cmp     byte [bp+R_BH], 0x01
        je      .palette
        ja      .done
        and     bl, 0x0F
        and     byte [BDA_VID_PAL], 0xF0
        or      [BDA_VID_PAL], bl
        mov     al, bl                          ; the DAC entry colour BL shows as
        call    vid_ac_read
        mov     ah, al
        mov     al, 0x11                        ; overscan (the border)
        call    vid_ac_write
        call    vid_current_entry
        jc      .done                           ; (a VBE mode)
        cmp     byte [cs:si + VM_KIND], VK_TEXT
        je      .done
        xor     al, al                          ; palette register 0: the background
        call    vid_ac_write
.done:  FRAME_LEAVE
.palette:
        and     byte [BDA_VID_PAL], ~0x20
        test    bl, 0x01
        jz      .done
        or      byte [BDA_VID_PAL], 0x20
        jmp     .done

; vid_ac_write: attribute controller register AL = AH (then the screen
; back on).  Preserves all.
vid_ac_write:
        push    ax
        push    dx
        push    ax
        mov     dx, 0x3DA                       ; the index/data flip-flop to "index"
        in      al, dx
        pop     ax
        mov     dx, 0x3C0
        out     dx, al
        mov     al, ah
        out     dx, al
        mov     al, 0x20
        out     dx, al
        pop     dx
        pop     ax
        ret

; vid_ac_read: AL = attribute controller register AL.
vid_ac_read:
        push    dx
        push    ax
        mov     dx, 0x3DA
        in      al, dx
        pop     ax
        mov     dx, 0x3C0
        out     dx, al
        inc     dx
        in      al, dx
        push    ax
        mov     dx, 0x3DA
        in      al, dx
        mov     dx, 0x3C0
        mov     al, 0x20
        out     dx, al
        pop     ax
        pop     dx
        ret

; ---- AH=11h: fonts ----
vid_fn_font:
        mov     al, [bp+R_AL]
        cmp     al, 0x30
        je      .info
        cmp     al, 0x04
        je      .load
        cmp     al, 0x14
        je      .load
        jmp     .done
.load:  cmp     byte [bp+R_BL], 0               ; character map 0 only
        jne     .done
        cmp     byte [BDA_VID_MODE], 0x03
        jne     .done
        call    vid_load_font
        jmp     .done
.info:  mov     bh, [bp+R_BH]
        mov     ax, BIOS_SEG
        cmp     bh, 0
        je      .int1f
        cmp     bh, 1
        je      .int43
        mov     bx, font8x16                    ; 2 (8x14: we have 8x16), 6
        cmp     byte [bp+R_BH], 3
        jne     .not_low
        mov     bx, font8x8
.not_low:
        cmp     byte [bp+R_BH], 4
        jne     .not_high
        mov     bx, font8x8 + 128 * 8
.not_high:
        cmp     byte [bp+R_BH], 5               ; 9-dot replacements: none
        je      .no_alt
        cmp     byte [bp+R_BH], 7
        jne     .pointer
.no_alt:
        mov     bx, font_no_alternates
        jmp     .pointer
.int1f: push    ds
        xor     bx, bx
        mov     ds, bx
        mov     bx, [0x1F * 4]
        mov     ax, [0x1F * 4 + 2]
        pop     ds
        jmp     .pointer
.int43: push    ds
        xor     bx, bx
        mov     ds, bx
        mov     bx, [0x43 * 4]
        mov     ax, [0x43 * 4 + 2]
        pop     ds
.pointer:
        mov     [bp+R_ES], ax
        mov     [bp+R_BP], bx
        mov     ax, [BDA_VID_CHARH]
        mov     [bp+R_CX], ax
        mov     al, [BDA_VID_ROWS]
        mov     [bp+R_DL], al
.done:  FRAME_LEAVE

font_no_alternates:
        db      0

; ---- AH=12h: alternate select; BL=10h: EGA/VGA information ----
vid_fn_alt_select:
        cmp     byte [bp+R_BL], 0x10
        jne     .done
        mov     word [bp+R_BX], 0x0003          ; colour, 256 KiB
        mov     al, [BDA_VID_EGASW]
        and     al, 0x0F
        mov     ah, 0                           ; feature bits
        mov     [bp+R_CX], ax
.done:  FRAME_LEAVE

; ---- AH=13h: write string ----
; AL bit 0: the cursor stays after the string; bit 1: the string is
; character, attribute pairs (else every character gets BL).
vid_fn_write_string:
        mov     cx, [bp+R_CX]
        jcxz    .done
        mov     bh, [bp+R_BH]
        and     bh, 7
        mov     [bp+R_BH], bh
        call    vid_cursor_of
        push    dx                              ; the cursor before
        mov     dx, [bp+R_DX]
        call    .set_cursor
        mov     cx, [bp+R_CX]
        mov     si, [bp+R_BP]
.next:  mov     es, [bp+R_ES]
        mov     al, [es:si]
        inc     si
        mov     bl, [bp+R_BL]
        test    byte [bp+R_AL], 0x02
        jz      .attr_known
        mov     bl, [es:si]
        inc     si
.attr_known:
        push    cx
        push    si
        mov     bh, [bp+R_BH]
        mov     cl, 1
        call    vid_tty
        pop     si
        pop     cx
        loop    .next
        pop     dx
        test    byte [bp+R_AL], 0x01
        jnz     .done
        mov     bh, [bp+R_BH]
        call    .set_cursor
.done:  FRAME_LEAVE
.set_cursor:                                    ; page BH's cursor = DX
        movzx   di, bh
        shl     di, 1
        mov     [BDA_VID_CURPOS + di], dx
        jmp     vid_update_cursor

; ---- AH=1Ah: display combination ----
vid_fn_display_combination:
        cmp     byte [bp+R_AL], 0x01
        ja      .done
        je      .set
        mov     word [bp+R_BX], 0x0008          ; VGA with a colour display, none second
.set:   mov     byte [bp+R_AL], 0x1A
.done:  FRAME_LEAVE
