; boot_sysmisc.asm -- a boot sector (and its second stage) checking the
; BIOS services boot_services.asm leaves out: INT 10h AH=0Bh (border and
; CGA palette), INT 15h AH=C2h (the PS/2 mouse: reset, ID, rate,
; resolution, status, a handler fed with packets the test injects through
; the 8042's command D3h) and AH=89h (the switch to protected mode), and
; INT 1Ah's clock moving (ticks and RTC seconds across waits).  Prints
; ok/FAIL lines on port E9h, exits through port F4h.  Booted from a floppy
; by tests/scripts/boot_sysmisc.sh.
        bits    16
        cpu     386
        org     0x7C00
%include "lib.inc"

STAGE2_SECTORS  equ     (stage2_end - stage2 + 511) / 512

boot:   START16
        sti
        cld
        mov     ax, 0x0200 | STAGE2_SECTORS
        mov     cx, 0x0002
        xor     dh, dh
        mov     bx, stage2
        int     0x13
        jc      .failed
        cmp     al, STAGE2_SECTORS
        je      stage2
.failed:
        mov     al, EXIT_FAIL
        jmp     exit16
        LIB16
        times   510 - ($ - $$) db 0
        dw      0xAA55

stage2:
        call    test_border
        call    test_mouse
        call    test_clock
        call    test_protected_mode             ; (last: it reprograms the PICs)
        FINISH16

fails:  dw      0

; ---- INT 10h AH=0Bh ----
; ac_read: AL = attribute controller register AL.
ac_read:
        push    dx
        mov     ah, al
        mov     dx, 0x3DA
        in      al, dx
        mov     dx, 0x3C0
        mov     al, ah
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
test_border:
        mov     ax, 0x0B00
        mov     bx, 0x0001                      ; border: blue
        int     0x10
        mov     al, 0x11
        call    ac_read
        cmp     al, 0x01
        CHECK16 e, "INT 10h 0Bh BH=0: overscan = palette entry of colour 1"
        mov     ax, 0x0B00
        mov     bx, 0x000C                      ; light red: DAC entry 3Ch
        int     0x10
        mov     al, 0x11
        call    ac_read
        cmp     al, 0x3C
        CHECK16 e, "INT 10h 0Bh BH=0: light red border = DAC entry 3Ch"
        mov     al, 0x00
        call    ac_read
        cmp     al, 0x00
        CHECK16 e, "INT 10h 0Bh in text mode: background palette kept"
        mov     ax, 0x0B00
        mov     bx, 0x0100                      ; CGA palette 0
        int     0x10
        test    byte [0x466], 0x20
        CHECK16 z, "INT 10h 0Bh BH=1: palette 0 in BDA 66h"
        mov     ax, 0x0B00
        mov     bx, 0x0101
        int     0x10
        mov     al, [0x466]
        and     al, 0x2F
        cmp     al, 0x2C
        CHECK16 e, "INT 10h 0Bh: BDA 66h = palette 1, colour 0Ch"
        mov     ax, 0x0B00
        mov     bx, 0x0000                      ; black border again
        int     0x10
        ret

; ---- INT 15h AH=C2h ----
; aux_inject: the 8042's command D3h puts AL in its output buffer as if
; the mouse had sent it (IRQ 12 with it); waits until INT 74h took it.
aux_inject:
        push    ax
.wait1: in      al, 0x64
        test    al, 0x02
        jnz     .wait1
        mov     al, 0xD3
        out     0x64, al
.wait2: in      al, 0x64
        test    al, 0x02
        jnz     .wait2
        pop     ax
        out     0x60, al
        mov     cx, 2000
.wait3: in      al, 0x64
        test    al, 0x01
        jz      .taken
        loop    .wait3
.taken: ret

; mouse_handler: what INT 74h calls with status, X, Y, Z on the stack
; (and DS whatever the BIOS has: a handler sets its own).
mouse_handler:
        push    bp
        mov     bp, sp
        push    ds
        push    word 0
        pop     ds
        mov     ax, [bp + 12]
        mov     [got_status], ax
        mov     ax, [bp + 10]
        mov     [got_x], ax
        mov     ax, [bp + 8]
        mov     [got_y], ax
        mov     ax, [bp + 6]
        mov     [got_z], ax
        inc     word [packets]
        pop     ds
        pop     bp
        retf

test_mouse:
        int     0x11
        test    al, 0x04
        CHECK16 nz, "INT 11h: a PS/2 mouse port"
        mov     ax, 0xC200                      ; enable before a handler
        mov     bh, 0x01
        int     0x15
        jnc     .no_error
        cmp     ah, 0x05
.no_error:
        CHECK16 e, "INT 15h C200h: enable without a handler: AH=05h"
        mov     ax, 0xC205                      ; 3-byte packets (and a reset)
        mov     bh, 3
        int     0x15
        CHECK16 nc, "INT 15h C205h: initialise for 3-byte packets"
        mov     ax, 0xC201
        int     0x15
        CHECK16 nc, "INT 15h C201h: reset"
        cmp     bx, 0x00AA
        CHECK16 e, "INT 15h C201h: BL=AAh (self test), BH=00h (ID)"
        mov     ax, 0x1234                      ; (the services use FS and GS
        mov     fs, ax                          ; themselves: the caller's
        mov     ax, 0x5678                      ; must come back)
        mov     gs, ax
        mov     ax, 0xC204
        mov     bh, 0xFF
        int     0x15
        cmp     bh, 0x00
        CHECK16 e, "INT 15h C204h: device ID 00h"
        mov     ax, fs
        cmp     ax, 0x1234
        jne     .fs_gs
        mov     ax, gs
        cmp     ax, 0x5678
.fs_gs: CHECK16 e, "INT 15h C204h: the caller's FS and GS kept"
        mov     ax, 0xC202
        mov     bh, 4                           ; 80 samples/s
        int     0x15
        CHECK16 nc, "INT 15h C202h: sample rate 80"
        mov     ax, 0xC203
        mov     bh, 3                           ; 8 counts/mm
        int     0x15
        CHECK16 nc, "INT 15h C203h: resolution 3"
        mov     ax, 0xC206
        mov     bh, 0x02                        ; scaling 2:1
        int     0x15
        CHECK16 nc, "INT 15h C206h BH=2: scaling 2:1"
        mov     ax, 0xC206
        mov     bh, 0x00
        int     0x15
        CHECK16 nc, "INT 15h C206h BH=0: status"
        cmp     cl, 3
        CHECK16 e, "INT 15h C206h: CL = resolution 3"
        cmp     dl, 80
        CHECK16 e, "INT 15h C206h: DL = rate 80"
        test    bl, 0x10
        CHECK16 nz, "INT 15h C206h: BL bit 4: scaling 2:1"
        mov     ax, 0xC202
        mov     bh, 7                           ; no such rate
        int     0x15
        jnc     .bad_ok
        cmp     ah, 0x02
.bad_ok:
        CHECK16 e, "INT 15h C202h: rate index 7: CF=1, AH=02h"
        mov     ax, 0xC207                      ; the handler
        push    cs
        pop     es
        mov     bx, mouse_handler
        int     0x15
        CHECK16 nc, "INT 15h C207h: handler installed"
        mov     ax, 0xC200
        mov     bh, 0x01
        int     0x15
        CHECK16 nc, "INT 15h C200h: enabled"
        mov     al, 0x09                        ; a packet: left button, X +5, Y -3
        call    aux_inject
        mov     al, 0x05
        call    aux_inject
        mov     al, 0xFD
        call    aux_inject
        cmp     word [packets], 1
        CHECK16 e, "INT 74h: one packet handed to the handler"
        cmp     word [got_status], 0x09
        CHECK16 e, "handler: status 09h"
        cmp     word [got_x], 0x05
        CHECK16 e, "handler: X 05h"
        cmp     word [got_y], 0xFD
        CHECK16 e, "handler: Y FDh"
        cmp     word [got_z], 0
        CHECK16 e, "handler: Z 0"
        mov     ax, 0xC200
        mov     bh, 0x00
        int     0x15
        CHECK16 nc, "INT 15h C200h: disabled"
        mov     ax, 0xC2FF
        int     0x15
        jnc     .fn_ok
        cmp     ah, 0x01
.fn_ok: CHECK16 e, "INT 15h C2FFh: CF=1, AH=01h"
        ret

packets:        dw      0
got_status:     dw      0xFFFF
got_x:          dw      0xFFFF
got_y:          dw      0xFFFF
got_z:          dw      0xFFFF

; ---- INT 1Ah: the clock moves ----
test_clock:
        mov     ah, 0x00
        int     0x1A
        mov     [ticks0], dx
        mov     [ticks0 + 2], cx
        mov     ah, 0x02
        int     0x1A
        mov     [seconds0], dh
        mov     cx, 0x0010                      ; wait 1.1 s (INT 15h 86h)
        mov     dx, 0xC8E0
        mov     ah, 0x86
        int     0x15
        mov     ah, 0x00
        int     0x1A
        shl     ecx, 16
        mov     cx, dx
        sub     ecx, [ticks0]
        cmp     ecx, 18                         ; 1.1 s = 20 ticks
        CHECK16 ae, "INT 1Ah 00h: ticks advance over a 1.1 s wait"
        cmp     ecx, 24
        CHECK16 b, "INT 1Ah 00h: ... by about 18.2 a second"
        mov     ah, 0x02
        int     0x1A
        cmp     dh, [seconds0]
        CHECK16 ne, "INT 1Ah 02h: RTC seconds advance"
        ret

ticks0:         dd      0
seconds0:       db      0

; ---- INT 15h AH=89h ----
; The GDT the caller gives: descriptor 1 the GDT, 2 the IDT, 3-5 data
; (DS, ES, SS, all base 0), 6 this code (base 0, 16-bit), 7 the BIOS's.
pm_gdt:
        dw      0, 0, 0, 0
        dw      pm_gdt_end - pm_gdt - 1, pm_gdt, 0x9200, 0      ; 08h
        dw      0x03FF, 0, 0x9200, 0                            ; 10h: the IDT (real mode's)
        dw      0xFFFF, 0, 0x9200, 0                            ; 18h
        dw      0xFFFF, 0, 0x9200, 0                            ; 20h
        dw      0xFFFF, 0, 0x9200, 0                            ; 28h
        dw      0xFFFF, 0, 0x9A00, 0                            ; 30h
        dw      0, 0, 0, 0                                      ; 38h (BIOS)
pm_gdt_end:
real_idt:
        dw      0x03FF
        dd      0

test_protected_mode:
        mov     ah, 0x89
        mov     bx, 0x2028                      ; PIC vectors 20h and 28h
        push    cs
        pop     es
        mov     si, pm_gdt
        int     0x15
        ; protected mode here (or not, if the call failed)
        mov     [pm_ax], ax
        pushf
        pop     word [pm_flags]
        mov     [pm_cs], cs
        mov     [pm_ds], ds
        mov     [pm_ss], ss
        smsw    ax
        mov     [pm_msw], ax
        mov     eax, cr0                        ; back to real mode
        and     al, ~1
        mov     cr0, eax
        jmp     0x0000:.real
.real:  xor     ax, ax
        mov     ds, ax
        mov     es, ax
        mov     ss, ax
        lidt    [real_idt]
        in      al, 0x21
        mov     [pm_mask], al
        mov     al, 0x11                        ; the PICs back at 08h and 70h
        out     0x20, al
        out     0xA0, al
        mov     al, 0x08
        out     0x21, al
        mov     al, 0x70
        out     0xA1, al
        mov     al, 0x04
        out     0x21, al
        mov     al, 0x02
        out     0xA1, al
        mov     al, 0x01
        out     0x21, al
        out     0xA1, al
        mov     al, 0xB8
        out     0x21, al
        mov     al, 0x2E
        out     0xA1, al
        sti
        test    byte [pm_msw], 1
        CHECK16 nz, "INT 15h 89h: returned in protected mode (PE set)"
        cmp     word [pm_cs], 0x30
        CHECK16 e, "INT 15h 89h: CS = 30h"
        cmp     word [pm_ds], 0x18
        CHECK16 e, "INT 15h 89h: DS = 18h"
        cmp     word [pm_ss], 0x28
        CHECK16 e, "INT 15h 89h: SS = 28h"
        cmp     byte [pm_ax + 1], 0
        CHECK16 e, "INT 15h 89h: AH = 0"
        test    word [pm_flags], 0x0201
        CHECK16 z, "INT 15h 89h: CF = 0, interrupts off"
        cmp     byte [pm_mask], 0xFF
        CHECK16 e, "INT 15h 89h: the PICs' interrupts masked"
        ret

pm_ax:          dw      0
pm_flags:       dw      0
pm_cs:          dw      0
pm_ds:          dw      0
pm_ss:          dw      0
pm_msw:         dw      0
pm_mask:        db      0
stage2_end:
