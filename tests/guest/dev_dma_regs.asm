; dev_dma_regs.asm -- the 8237A pair alone: the power-on masks, address and
; count registers of every channel through the flip-flop (current values
; read back), the page registers, single/all/clear mask registers and the
; mask read-back, master clear, the temporary register, and software
; requests in block mode (which run to terminal count with no device):
; count and address afterwards, TC in the status register (cleared by
; reading it), the channel masked at TC, auto-init reloading the base
; registers, address decrement, the address wrapping inside its 64 KiB
; page, a 16-bit channel counting words, non-block requests left pending
; in the status register, a disabled controller, channels 0-3 cut off
; while channel 4 (the cascade) is masked, and memory left alone by
; device-less cycles.
        org     0x7c00
        bits    16

%include "lib.inc"
%include "dev_fdc_lib.inc"

; WRITE16 port, value: a 16-bit register through the flip-flop
%macro WRITE16 2
        mov     ax, %2
        out     %1, al
        mov     al, ah
        out     %1, al
%endmacro

; READ16 port: AX = a 16-bit register through the flip-flop
%macro READ16 1
        in      al, %1
        mov     ah, al
        in      al, %1
        xchg    al, ah
%endmacro

start:
        START16

        ; ---- power-on ----
        in      al, 0x0F
        EXPECT8 al, 0xFF, "power-on: channels 0-3 masked"
        in      al, 0xDE
        EXPECT8 al, 0xFF, "power-on: channels 4-7 masked"
        in      al, 0x08
        EXPECT8 al, 0x00, "power-on: status 00"
        in      al, 0x0D
        EXPECT8 al, 0x00, "temporary register 00"

        ; ---- address and count registers, channels 0-3 ----
        OUTB    0x0C, 0
        WRITE16 0x00, 0x1100
        WRITE16 0x01, 0x1101
        WRITE16 0x02, 0x2200
        WRITE16 0x03, 0x2201
        WRITE16 0x04, 0x3300
        WRITE16 0x05, 0x3301
        WRITE16 0x06, 0x4400
        WRITE16 0x07, 0x4401
        OUTB    0x0C, 0
        READ16  0x00
        EXPECT16 ax, 0x1100, "channel 0 address"
        READ16  0x01
        EXPECT16 ax, 0x1101, "channel 0 count"
        READ16  0x02
        EXPECT16 ax, 0x2200, "channel 1 address"
        READ16  0x03
        EXPECT16 ax, 0x2201, "channel 1 count"
        READ16  0x04
        EXPECT16 ax, 0x3300, "channel 2 address"
        READ16  0x05
        EXPECT16 ax, 0x3301, "channel 2 count"
        READ16  0x06
        EXPECT16 ax, 0x4400, "channel 3 address"
        READ16  0x07
        EXPECT16 ax, 0x4401, "channel 3 count"

        ; ---- channels 5-7 (ports 0xC4-0xCE, even) ----
        OUTB    0xD8, 0
        WRITE16 0xC4, 0x5500
        WRITE16 0xC6, 0x5501
        WRITE16 0xC8, 0x6600
        WRITE16 0xCA, 0x6601
        WRITE16 0xCC, 0x7700
        WRITE16 0xCE, 0x7701
        OUTB    0xD8, 0
        READ16  0xC4
        EXPECT16 ax, 0x5500, "channel 5 address"
        READ16  0xC6
        EXPECT16 ax, 0x5501, "channel 5 count"
        READ16  0xC8
        EXPECT16 ax, 0x6600, "channel 6 address"
        READ16  0xCA
        EXPECT16 ax, 0x6601, "channel 6 count"
        READ16  0xCC
        EXPECT16 ax, 0x7700, "channel 7 address"
        READ16  0xCE
        EXPECT16 ax, 0x7701, "channel 7 count"
        in      al, 0xC5
        EXPECT8 al, 0xFF, "odd port C5: nothing there"

        ; ---- the flip-flop ----
        OUTB    0x0C, 0
        in      al, 0x00            ; low byte; the next access is high
        OUTB    0x00, 0x12          ; so this writes the high byte
        READ16  0x00
        EXPECT16 ax, 0x1200, "flip-flop: second access is the high byte"
        OUTB    0x0C, 0
        OUTB    0x00, 0x34          ; low
        OUTB    0x0C, 0             ; clear: low again
        OUTB    0x00, 0x56
        OUTB    0x00, 0x78
        OUTB    0x0C, 0
        READ16  0x00
        EXPECT16 ax, 0x7856, "clear flip-flop restarts at the low byte"

        ; ---- page registers 0x81-0x8F ----
        mov     dx, 0x81
.pw:    mov     al, dl
        xor     al, 0xA5
        out     dx, al
        inc     dx
        cmp     dx, 0x90
        jne     .pw
        mov     dx, 0x81
        mov     bx, 0
.pr:    in      al, dx
        mov     ah, dl
        xor     ah, 0xA5
        cmp     al, ah
        je      .pok
        inc     bx
.pok:   inc     dx
        cmp     dx, 0x90
        jne     .pr
        EXPECT16 bx, 0, "page registers 81-8F hold their values"

        ; ---- masks ----
        OUTB    0x0E, 0             ; clear mask register
        in      al, 0x0F
        EXPECT8 al, 0xF0, "clear mask: all unmasked"
        OUTB    0x0A, 0x05          ; set channel 1
        in      al, 0x0F
        EXPECT8 al, 0xF2, "single mask: channel 1 masked"
        OUTB    0x0A, 0x01          ; clear channel 1
        in      al, 0x0F
        EXPECT8 al, 0xF0, "single mask: channel 1 unmasked"
        OUTB    0x0F, 0x0A          ; write all
        in      al, 0x0F
        EXPECT8 al, 0xFA, "all mask: channels 1 and 3"
        OUTB    0xDC, 0             ; clear mask, second chip
        in      al, 0xDE
        EXPECT8 al, 0xF0, "second chip: clear mask"
        OUTB    0xD4, 0x06          ; channel 6 masked
        in      al, 0xDE
        EXPECT8 al, 0xF4, "second chip: channel 6 masked"
        OUTB    0xD4, 0x02
        in      al, 0xDE
        EXPECT8 al, 0xF0, "second chip: channel 6 unmasked"
        OUTB    0x0D, 0             ; master clear, first chip
        in      al, 0x0F
        EXPECT8 al, 0xFF, "master clear masks every channel"
        in      al, 0xDE
        EXPECT8 al, 0xF0, "master clear of one chip leaves the other"
        OUTB    0x00, 0x99          ; flip-flop was cleared: low byte
        OUTB    0x00, 0x88
        OUTB    0x0C, 0
        READ16  0x00
        EXPECT16 ax, 0x8899, "master clear resets the flip-flop"

        ; ---- software request, block mode: runs to TC ----
        mov     byte [0x3000], 0x5A
        OUTB    0x81 + 2, 0x00      ; channel 1's page (0x83): 0
        OUTB    0x0B, 0x85          ; block, write, channel 1
        OUTB    0x0C, 0
        WRITE16 0x02, 0x3000
        WRITE16 0x03, 15            ; 16 transfers
        OUTB    0x09, 0x05          ; request channel 1
        in      al, 0x08
        EXPECT8 al, 0x02, "status: TC on channel 1, no request left"
        in      al, 0x08
        EXPECT8 al, 0x00, "status read cleared TC"
        OUTB    0x0C, 0
        READ16  0x02
        EXPECT16 ax, 0x3010, "after 16 transfers: address 3010"
        READ16  0x03
        EXPECT16 ax, 0xFFFF, "after TC: count FFFF"
        in      al, 0x0F
        and     al, 0x02
        EXPECT8 al, 0x02, "TC without auto-init masks the channel"
        EXPECT8 [0x3000], 0x5A, "device-less cycles leave memory alone"

        ; ---- auto-init ----
        OUTB    0x0B, 0x95          ; block, auto-init, write, channel 1
        OUTB    0x0C, 0
        WRITE16 0x02, 0x4000
        WRITE16 0x03, 7
        OUTB    0x09, 0x05
        in      al, 0x08
        EXPECT8 al, 0x02, "auto-init: TC in status"
        OUTB    0x0C, 0
        READ16  0x02
        EXPECT16 ax, 0x4000, "auto-init: address reloaded"
        READ16  0x03
        EXPECT16 ax, 7, "auto-init: count reloaded"
        OUTB    0x0A, 0x01          ; unmask channel 1 (left masked above)
        OUTB    0x09, 0x05
        in      al, 0x0F
        and     al, 0x02
        EXPECT8 al, 0x00, "auto-init: channel stays unmasked at TC"

        ; ---- address decrement, and the wrap inside the page ----
        OUTB    0x0B, 0xA5          ; block, decrement, write, channel 1
        OUTB    0x0C, 0
        WRITE16 0x02, 0x0004
        WRITE16 0x03, 7             ; 8 transfers: 4, 3, 2, 1, 0, FFFF, ...
        OUTB    0x09, 0x05
        OUTB    0x0C, 0
        READ16  0x02
        EXPECT16 ax, 0xFFFC, "decrement wraps 0000 -> FFFF in the page"
        OUTB    0x0B, 0x85
        OUTB    0x0C, 0
        WRITE16 0x02, 0xFFF8
        WRITE16 0x03, 15
        OUTB    0x09, 0x05
        OUTB    0x0C, 0
        READ16  0x02
        EXPECT16 ax, 0x0008, "increment wraps FFFF -> 0000 in the page"
        in      al, 0x08            ; clear TC

        ; ---- a 16-bit channel counts words ----
        OUTB    0xD6, 0x85          ; block, write, channel 5
        OUTB    0xD8, 0
        WRITE16 0xC4, 0x8000
        WRITE16 0xC6, 7
        OUTB    0xD2, 0x05          ; request channel 5
        in      al, 0xD0
        EXPECT8 al, 0x02, "second chip status: TC on channel 5"
        OUTB    0xD8, 0
        READ16  0xC4
        EXPECT16 ax, 0x8008, "channel 5: 8 word transfers"

        ; ---- requests that cannot run ----
        OUTB    0x0B, 0x45          ; single mode: not served by software
        OUTB    0x09, 0x05
        in      al, 0x08
        EXPECT8 al, 0x20, "single-mode request stays pending (status bit 5)"
        OUTB    0x09, 0x01          ; withdraw it
        in      al, 0x08
        EXPECT8 al, 0x00, "request withdrawn"
        OUTB    0x0B, 0x85
        OUTB    0x0C, 0
        WRITE16 0x03, 3
        OUTB    0x08, 0x04          ; command: controller disabled
        OUTB    0x09, 0x05
        OUTB    0x0C, 0
        in      al, 0x03
        EXPECT8 al, 3, "disabled controller: no cycles"
        OUTB    0x08, 0x00
        OUTB    0x09, 0x01
        OUTB    0xD4, 0x04          ; mask channel 4: the cascade
        OUTB    0x09, 0x05
        OUTB    0x0C, 0
        in      al, 0x03
        EXPECT8 al, 3, "channel 4 masked: channels 0-3 get no bus"
        OUTB    0xD4, 0x00          ; unmask channel 4: the request runs
        OUTB    0x09, 0x05
        OUTB    0x0C, 0
        READ16  0x03
        EXPECT16 ax, 0xFFFF, "channel 4 unmasked: the request ran"

        jmp     finish

        LIB16
        DEVLIB
        FDCLIB
        FDCDATA
