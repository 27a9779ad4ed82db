; vbe.asm -- INT 10h AH=4Fh, the VESA BIOS extension (VBE 2.0) for the
; Bochs VBE registers of x86lab's VGA (ports 1CEh index / 1CFh data): a
; fixed list of modes with a linear framebuffer at E0000000h and the
; 64 KiB banked window at A0000h.
;   AX=4F00h  controller information into ES:DI (512 bytes if it holds
;             "VBE2", else 256)
;   AX=4F01h  information on mode CX into ES:DI (256 bytes)
;   AX=4F02h  set mode BX (bit 14: linear framebuffer, bit 15: keep memory;
;             below 100h: a VGA mode through AH=00h)
;   AX=4F03h  BX = current mode
;   AX=4F05h  window control: BH=0 set bank DX, BH=1 DX = bank (window A)
; Success is AX=004Fh; a failure AX=014Fh; other functions AX=0100h
; (AL != 4Fh: not supported).

VBE_PORT_INDEX  equ     0x1CE
VBE_PORT_DATA   equ     0x1CF
VBE_REG_XRES    equ     1
VBE_REG_YRES    equ     2
VBE_REG_BPP     equ     3
VBE_REG_ENABLE  equ     4
VBE_REG_BANK    equ     5
VBE_LFB_BASE    equ     0xE0000000
VBE_MEMORY_64K  equ     256             ; 16 MiB

; one mode: number, width, height, bits per pixel
VBEM_MODE       equ     0
VBEM_XRES       equ     2
VBEM_YRES       equ     4
VBEM_BPP        equ     6
VBEM_SIZE       equ     7
%macro VBE_MODE 4
        dw      %1, %2, %3
        db      %4
%endmacro
vbe_modes:
        VBE_MODE 0x101,  640, 480,  8
        VBE_MODE 0x103,  800, 600,  8
        VBE_MODE 0x105, 1024, 768,  8
        VBE_MODE 0x110,  640, 480, 15
        VBE_MODE 0x111,  640, 480, 16
        VBE_MODE 0x112,  640, 480, 24
        VBE_MODE 0x113,  800, 600, 15
        VBE_MODE 0x114,  800, 600, 16
        VBE_MODE 0x115,  800, 600, 24
        VBE_MODE 0x116, 1024, 768, 15
        VBE_MODE 0x117, 1024, 768, 16
        VBE_MODE 0x118, 1024, 768, 24
        VBE_MODE 0x142,  640, 480, 32           ; Bochs's numbers for 32 bpp
        VBE_MODE 0x143,  800, 600, 32
        VBE_MODE 0x144, 1024, 768, 32
        dw      0xFFFF
vbe_mode_list:                                  ; what 4F00h points at
        dw      0x101, 0x103, 0x105, 0x110, 0x111, 0x112, 0x113, 0x114
        dw      0x115, 0x116, 0x117, 0x118, 0x142, 0x143, 0x144, 0xFFFF
vbe_oem:        db      "x86lab Bochs VBE", 0
vbe_vendor:     db      "x86lab", 0
vbe_product:    db      "x86lab VGA", 0
vbe_revision:   db      "1.0", 0

; vbe_write: Bochs VBE register AL = BX.  Preserves all.
vbe_write:
        push    ax
        push    dx
        mov     dx, VBE_PORT_INDEX
        xor     ah, ah
        out     dx, ax
        inc     dx
        mov     ax, bx
        out     dx, ax
        pop     dx
        pop     ax
        ret

; vbe_read: AX = Bochs VBE register AL.
vbe_read:
        push    dx
        mov     dx, VBE_PORT_INDEX
        xor     ah, ah
        out     dx, ax
        inc     dx
        in      ax, dx
        pop     dx
        ret

; vbe_disable: back to the VGA's own modes.
vbe_disable:
        push    bx
        xor     bx, bx
        mov     al, VBE_REG_ENABLE
        call    vbe_write
        pop     bx
        ret

; vbe_find: SI = the entry of VBE mode CX (bits 0-8), CF=1 if none.
vbe_find:
        push    cx
        and     cx, 0x1FF
        mov     si, vbe_modes
.next:  cmp     word [cs:si + VBEM_MODE], 0xFFFF
        je      .none
        cmp     [cs:si + VBEM_MODE], cx
        je      .found
        add     si, VBEM_SIZE
        jmp     .next
.none:  pop     cx
        stc
        ret
.found: pop     cx
        clc
        ret

vbe_service:
        mov     al, [bp+R_AL]
        mov     word [bp+R_AX], 0x004F
        cmp     al, 0x00
        je      vbe_fn_info
        cmp     al, 0x01
        je      vbe_fn_mode_info
        cmp     al, 0x02
        je      vbe_fn_set_mode
        cmp     al, 0x03
        je      vbe_fn_get_mode
        cmp     al, 0x05
        je      vbe_fn_window
        mov     word [bp+R_AX], 0x0100
        FRAME_LEAVE
vbe_failed:
        mov     word [bp+R_AX], 0x014F
        FRAME_LEAVE

; ---- 4F00h: controller information ----
vbe_fn_info:
        mov     es, [bp+R_ES]
        mov     di, [bp+R_DI]
        mov     cx, 256
        cmp     dword [es:di], 'VBE2'           ; the caller asks for VBE 2.0 fields
        jne     .clear
        mov     cx, 512
.clear: push    di
        push    cx
        xor     al, al
        rep     stosb
        pop     cx
        pop     di
        mov     dword [es:di], 'VESA'
        mov     word [es:di+4], 0x0200
        mov     word [es:di+6], vbe_oem
        mov     word [es:di+8], BIOS_SEG
        mov     word [es:di+14], vbe_mode_list
        mov     word [es:di+16], BIOS_SEG
        mov     word [es:di+18], VBE_MEMORY_64K
        cmp     cx, 512
        jne     .done
        mov     word [es:di+20], 0x0100         ; OEM software revision
        mov     word [es:di+22], vbe_vendor
        mov     word [es:di+24], BIOS_SEG
        mov     word [es:di+26], vbe_product
        mov     word [es:di+28], BIOS_SEG
        mov     word [es:di+30], vbe_revision
        mov     word [es:di+32], BIOS_SEG
.done:  FRAME_LEAVE

; ---- 4F01h: mode information ----
vbe_fn_mode_info:
        mov     cx, [bp+R_CX]
        call    vbe_find
        jc      vbe_failed
        mov     es, [bp+R_ES]
        mov     di, [bp+R_DI]
        push    di
        mov     cx, 256
        xor     al, al
        rep     stosb
        pop     di
        mov     word [es:di+0], 0x009B          ; supported, colour, graphics, LFB
        mov     byte [es:di+2], 0x07            ; window A: exists, read, write
        mov     word [es:di+4], 64              ; granularity, KiB
        mov     word [es:di+6], 64              ; size, KiB
        mov     word [es:di+8], VGA_GFX_SEG
        mov     word [es:di+12], vbe_window_far
        mov     word [es:di+14], BIOS_SEG
        movzx   ax, byte [cs:si + VBEM_BPP]
        add     ax, 7
        shr     ax, 3                           ; bytes per pixel
        mul     word [cs:si + VBEM_XRES]
        mov     [es:di+16], ax                  ; bytes per scan line
        mov     bx, ax
        mov     ax, [cs:si + VBEM_XRES]
        mov     [es:di+18], ax
        mov     ax, [cs:si + VBEM_YRES]
        mov     [es:di+20], ax
        mov     byte [es:di+22], 8              ; character cell
        mov     byte [es:di+23], 16
        mov     byte [es:di+24], 1              ; planes
        mov     al, [cs:si + VBEM_BPP]
        mov     [es:di+25], al
        mov     byte [es:di+26], 1              ; banks
        mov     byte [es:di+27], 4              ; packed pixel ...
        cmp     al, 8
        je      .model_done
        mov     byte [es:di+27], 6              ; ... or direct colour
.model_done:
        ; image pages: (16 MiB / bytes per screen) - 1
        movzx   eax, bx
        movzx   ecx, word [cs:si + VBEM_YRES]
        imul    eax, ecx
        mov     ecx, eax
        mov     eax, VBE_MEMORY_64K * 65536
        xor     edx, edx
        div     ecx
        dec     eax
        cmp     eax, 255
        jbe     .pages
        mov     al, 255
.pages: mov     [es:di+29], al
        mov     byte [es:di+30], 1              ; reserved, 1
        ; colour masks (size, position) for red, green, blue, reserved
        push    si
        mov     al, [cs:si + VBEM_BPP]
        mov     si, vbe_masks_15
        cmp     al, 15
        je      .masks
        mov     si, vbe_masks_16
        cmp     al, 16
        je      .masks
        mov     si, vbe_masks_24
        cmp     al, 24
        je      .masks
        mov     si, vbe_masks_32
        cmp     al, 32
        jne     .no_masks
.masks: mov     cx, 8
        push    di
        add     di, 31
.mask:  mov     al, [cs:si]
        inc     si
        stosb
        loop    .mask
        pop     di
.no_masks:
        pop     si
        mov     dword [es:di+40], VBE_LFB_BASE
        FRAME_LEAVE

vbe_masks_15:   db      5, 10, 5, 5, 5, 0, 1, 15
vbe_masks_16:   db      5, 11, 6, 5, 5, 0, 0, 0
vbe_masks_24:   db      8, 16, 8, 8, 8, 0, 0, 0
vbe_masks_32:   db      8, 16, 8, 8, 8, 0, 8, 24

; ---- 4F02h: set mode ----
vbe_fn_set_mode:
        mov     cx, [bp+R_BX]
        test    cx, 0x3F00                      ; a VGA mode number
        jnz     .vbe
        mov     al, cl
        test    ch, 0x80
        jz      .vga
        or      al, 0x80                        ; keep memory
.vga:   call    vid_set_mode
        jc      vbe_failed
        FRAME_LEAVE
.vbe:   call    vbe_find
        jc      vbe_failed
        call    vbe_disable
        mov     bx, [cs:si + VBEM_XRES]
        mov     al, VBE_REG_XRES
        call    vbe_write
        mov     bx, [cs:si + VBEM_YRES]
        mov     al, VBE_REG_YRES
        call    vbe_write
        movzx   bx, byte [cs:si + VBEM_BPP]
        mov     al, VBE_REG_BPP
        call    vbe_write
        mov     bx, 0x41                        ; enabled, linear framebuffer
        test    ch, 0x80
        jz      .clear
        or      bx, 0x80                        ; keep memory
.clear: mov     al, VBE_REG_ENABLE
        call    vbe_write
        call    vbe_read                        ; refused (too big)?
        test    al, 1
        jz      vbe_failed
        cmp     byte [cs:si + VBEM_BPP], 8
        jne     .palette_done
        push    si
        mov     si, video_mode_13               ; 256-colour modes get mode 13h's colours
        call    vid_load_dac
        pop     si
.palette_done:
        push    es
        mov     es, [BDA_EBDA]
        and     cx, 0xC1FF
        mov     [es:EBDA_VBE_MODE], cx
        pop     es
        FRAME_LEAVE

; ---- 4F03h: current mode ----
vbe_fn_get_mode:
        push    es
        mov     es, [BDA_EBDA]
        mov     ax, [es:EBDA_VBE_MODE]
        pop     es
        and     ax, 0x3FFF
        jnz     .vbe
        movzx   ax, byte [BDA_VID_MODE]
.vbe:   mov     [bp+R_BX], ax
        FRAME_LEAVE

; ---- 4F05h: window control ----
vbe_fn_window:
        cmp     byte [bp+R_BL], 0               ; window A only
        jne     vbe_failed
        mov     bx, [bp+R_DX]
        call    vbe_window
        jc      vbe_failed
        mov     [bp+R_DX], bx
        FRAME_LEAVE

; vbe_window: BH=0: bank = BX; BH=1: BX = the bank.  CF=1 on a bad call.
vbe_window:
        cmp     byte [bp+R_BH], 1
        je      .get
        cmp     byte [bp+R_BH], 0
        jne     .bad
        mov     al, VBE_REG_BANK
        call    vbe_write
        clc
        ret
.get:   mov     al, VBE_REG_BANK
        call    vbe_read
        mov     bx, ax
        clc
        ret
.bad:   stc
        ret

; vbe_window_far: the same for programs that call the mode information's
; WinFuncPtr directly (BH=0: set bank DX; BH=1: DX = bank); AX = 004Fh.
vbe_window_far:
        push    bx
        push    dx
        push    ax
        mov     ax, dx
        mov     dx, VBE_PORT_INDEX
        push    ax
        mov     ax, VBE_REG_BANK
        out     dx, ax
        pop     ax
        inc     dx
        test    bh, bh
        jnz     .get
        out     dx, ax
        pop     ax
        pop     dx
        jmp     .done
.get:   in      ax, dx
        pop     dx                              ; (caller's AX)
        pop     dx                              ; drop the caller's DX
        mov     dx, ax
.done:  pop     bx
        mov     ax, 0x004F
        retf
