; dev_vga_regs.asm -- the VGA's register groups from the guest: round trips
; of the miscellaneous output, sequencer, CRTC (with its protect bit and the
; mono/colour address select), graphics controller, attribute controller
; (the index/data flip-flop and its reset by reading input status 1), the
; DAC (index auto-increment, 6-bit values, read/write state) and feature
; control; word OUTs as index + data; input status 1 retrace and blanking
; bits that come and go with the clock; the VBE ID register.
%include "pm_lib.inc"
%include "dev_vga_lib.inc"

; the same fold the test computes, of 01 22 3F 05 15 2A
%define DAC_SUM ((((((0x01 << 5 ^ 0x22) << 5 ^ 0x3F) << 5 ^ 0x05) << 5 ^ 0x15) << 5 ^ 0x2A) & 0xFFFFFFFF)

test_main:
        ; ---- miscellaneous output ----
        OUTB    0x3C2, 0x67
        INB     0x3CC
        CHECKV  eax, 0x67, "misc output reads back at 0x3CC"

        ; ---- sequencer ----
        SETREG  0x3C4, 2, 0x0A
        SETREG  0x3C4, 3, 0x15
        GETREG  0x3C4, 2
        CHECKV  eax, 0x0A, "sequencer 2 (map mask)"
        GETREG  0x3C4, 3
        CHECKV  eax, 0x15, "sequencer 3 (character map select)"
        INB     0x3C4
        CHECKV  eax, 3, "sequencer index reads back"
        mov     dx, 0x3C4
        mov     ax, 0x0302                  ; word OUT: index 2, data 3
        out     dx, ax
        GETREG  0x3C4, 2
        CHECKV  eax, 0x03, "word OUT to 0x3C4 writes index then data"
        SETREG  0x3C4, 3, 0x00

        ; ---- CRTC ----
        SETREG  0x3D4, 0x0C, 0x12
        SETREG  0x3D4, 0x0D, 0x34
        SETREG  0x3D4, 0x13, 0x29
        GETREG  0x3D4, 0x0C
        CHECKV  eax, 0x12, "CRTC 0C (start address high)"
        GETREG  0x3D4, 0x0D
        CHECKV  eax, 0x34, "CRTC 0D (start address low)"
        GETREG  0x3D4, 0x13
        CHECKV  eax, 0x29, "CRTC 13 (offset)"
        SETREG  0x3D4, 0x0C, 0
        SETREG  0x3D4, 0x0D, 0
        SETREG  0x3D4, 0x13, 0x28
        SETREG  0x3D4, 0x11, 0x8E           ; protect on
        SETREG  0x3D4, 0x01, 0x33
        GETREG  0x3D4, 0x01
        CHECKV  eax, 0x4F, "CRTC protect: register 1 locked"
        SETREG  0x3D4, 0x07, 0x00
        GETREG  0x3D4, 0x07
        CHECKV  eax, 0x0F, "CRTC protect: 7 locked but its line compare bit"
        SETREG  0x3D4, 0x07, 0x1F
        SETREG  0x3D4, 0x11, 0x0E           ; protect off
        SETREG  0x3D4, 0x01, 0x33
        GETREG  0x3D4, 0x01
        CHECKV  eax, 0x33, "CRTC unprotected: register 1 written"
        SETREG  0x3D4, 0x01, 0x4F
        SETREG  0x3D4, 0x11, 0x8E
        ; mono: the CRTC moves to 0x3B4/0x3B5, 0x3D4/0x3D5 go away
        OUTB    0x3C2, 0x66
        INB     0x3D5
        CHECKV  eax, 0xFF, "mono: 0x3D5 not decoded"
        SETREG  0x3B4, 0x0F, 0x77
        GETREG  0x3B4, 0x0F
        CHECKV  eax, 0x77, "mono: CRTC at 0x3B4/0x3B5"
        OUTB    0x3C2, 0x67
        GETREG  0x3D4, 0x0F
        CHECKV  eax, 0x77, "colour again: the same register at 0x3D5"
        SETREG  0x3D4, 0x0F, 0

        ; ---- graphics controller ----
        SETREG  0x3CE, 0, 0x05
        SETREG  0x3CE, 1, 0x0A
        SETREG  0x3CE, 2, 0x03
        SETREG  0x3CE, 3, 0x1B
        SETREG  0x3CE, 4, 0x02
        SETREG  0x3CE, 7, 0x0C
        GETREG  0x3CE, 0
        CHECKV  eax, 0x05, "GC 0 (set/reset)"
        GETREG  0x3CE, 1
        CHECKV  eax, 0x0A, "GC 1 (enable set/reset)"
        GETREG  0x3CE, 2
        CHECKV  eax, 0x03, "GC 2 (colour compare)"
        GETREG  0x3CE, 3
        CHECKV  eax, 0x1B, "GC 3 (rotate, logical op)"
        GETREG  0x3CE, 4
        CHECKV  eax, 0x02, "GC 4 (read map select)"
        GETREG  0x3CE, 7
        CHECKV  eax, 0x0C, "GC 7 (colour don't care)"
        mov     dx, 0x3CE
        mov     ax, 0xA508
        out     dx, ax
        GETREG  0x3CE, 8
        CHECKV  eax, 0xA5, "word OUT to 0x3CE: GC 8 (bit mask)"
        SETREG  0x3CE, 0, 0
        SETREG  0x3CE, 1, 0
        SETREG  0x3CE, 2, 0
        SETREG  0x3CE, 3, 0
        SETREG  0x3CE, 4, 0
        SETREG  0x3CE, 7, 0
        SETREG  0x3CE, 8, 0xFF

        ; ---- attribute controller and its flip-flop ----
        INB     0x3DA                       ; flip-flop to index
        OUTB    0x3C0, 0x12                 ; index 0x12, PAS clear
        OUTB    0x3C0, 0x05                 ; data
        INB     0x3C0
        CHECKV  eax, 0x12, "AC index reads back at 0x3C0"
        INB     0x3C1
        CHECKV  eax, 0x05, "AC 12 data reads back at 0x3C1"
        OUTB    0x3C0, 0x33                 ; the flip-flop is on index again
        INB     0x3C0
        CHECKV  eax, 0x33, "after a data write the next write is an index"
        OUTB    0x3C0, 0x04                 ; data for 0x13
        INB     0x3C1
        CHECKV  eax, 0x04, "AC 13 written through the flip-flop"
        OUTB    0x3C0, 0x34                 ; index 0x14 ...
        INB     0x3DA                       ; ... then a reset
        OUTB    0x3C0, 0x32                 ; so this is an index, not data
        INB     0x3C0
        CHECKV  eax, 0x32, "reading 0x3DA resets the flip-flop"
        OUTB    0x3C0, 0x0F                 ; data for 0x12
        INB     0x3C1
        CHECKV  eax, 0x0F, "AC 12 restored"
        SETAC   0x13, 0x08
        SETAC   0x01, 0x3F
        INB     0x3DA
        OUTB    0x3C0, 0x21
        INB     0x3C1
        CHECKV  eax, 0x3F, "AC palette register 1"
        SETAC   0x01, 0x01

        ; ---- DAC ----
        OUTB    0x3C8, 0x40
        mov     dx, 0x3C9
        mov     esi, dac_data
        mov     ecx, 6
.dacw:  lodsb
        out     dx, al
        loop    .dacw
        INB     0x3C8
        CHECKV  eax, 0x42, "DAC write index advanced by two entries"
        OUTB    0x3C7, 0x40
        INB     0x3C7
        CHECKV  eax, 3, "DAC state: read mode after 0x3C7"
        mov     dx, 0x3C9
        xor     ebx, ebx
        mov     ecx, 6
.dacr:  in      al, dx
        shl     ebx, 5
        xor     bl, al
        loop    .dacr
        mov     [dac_sum], ebx
        CHECKV  [dac_sum], DAC_SUM, "DAC reads back 6 components, 6-bit"
        OUTB    0x3C8, 0x00
        INB     0x3C7
        CHECKV  eax, 0, "DAC state: write mode after 0x3C8"
        OUTB    0x3C6, 0x5A
        INB     0x3C6
        CHECKV  eax, 0x5A, "DAC pixel mask"
        OUTB    0x3C6, 0xFF

        ; ---- feature control ----
        OUTB    0x3DA, 0x01
        INB     0x3CA
        CHECKV  eax, 0x01, "feature control written at 0x3DA, read at 0x3CA"
        OUTB    0x3DA, 0x00

        ; ---- input status 1: retrace comes and goes ----
        mov     ecx, 50000000
        mov     dx, 0x3DA
.vr_in: in      al, dx
        test    al, 8
        jnz     .vr_seen
        loop    .vr_in
.vr_seen:
        test    ecx, ecx
        CHECK32 nz, "vertical retrace starts"
        mov     ecx, 50000000
.vr_out:
        in      al, dx
        test    al, 8
        jz      .vr_done
        loop    .vr_out
.vr_done:
        test    ecx, ecx
        CHECK32 nz, "vertical retrace ends"
        mov     ecx, 50000000
.de_on: in      al, dx
        test    al, 1
        jz      .de_seen
        loop    .de_on
.de_seen:
        test    ecx, ecx
        CHECK32 nz, "display enable: an active period"
        mov     ecx, 50000000
.de_off:
        in      al, dx
        test    al, 1
        jnz     .de_done
        loop    .de_off
.de_done:
        test    ecx, ecx
        CHECK32 nz, "display enable: a blanking period"

        ; ---- Bochs VBE ID ----
        VBE_GET 0
        CHECKV  eax, 0xB0C0, "VBE ID reads B0C0"
        VBE_SET 0, 0xB0C4
        VBE_GET 0
        CHECKV  eax, 0xB0C4, "VBE ID accepts B0C4"
        VBE_SET 0, 0xB0D0
        VBE_GET 0
        CHECKV  eax, 0xB0C4, "VBE ID refuses B0D0"

        FINISH32

dac_data:
        db      0x01, 0x22, 0x3F, 0x45, 0x15, 0x2A     ; 0x45 keeps 6 bits: 0x05
dac_sum: dd 0

