; dev_fdc_basic.asm -- the 82077AA floppy controller without a disk (drive A
; connected and empty, no drive B): the reset state (DOR 0 holds the chip
; in reset), leaving reset and the four SENSE INTERRUPT STATUS reports,
; VERSION, SPECIFY/DUMPREG, CONFIGURE, LOCK across a DSR software reset,
; PERPENDICULAR MODE, RECALIBRATE and SEEK (absolute and relative) with
; the MSR drive-busy bit and SENSE INTERRUPT, SENSE DRIVE STATUS, invalid
; commands, the disk-change line, SRB, TDR, the CMOS drive-type byte, and
; READ DATA / READ ID without a disk (missing address mark).  Polls MSR and
; SRA (no interrupt handler).
        org     0x7c00
        bits    16

%include "lib.inc"
%include "dev_fdc_lib.inc"

start:
        START16

        ; ---- power-on: DOR 0 keeps the controller in reset ----
        mov     dx, FDC_DOR
        in      al, dx
        EXPECT8 al, 0x00, "power-on DOR 00"
        mov     dx, FDC_MSR
        in      al, dx
        EXPECT8 al, 0x00, "in reset: MSR 00 (no RQM)"
        mov     dx, FDC_SRA
        in      al, dx
        and     al, 0x80
        EXPECT8 al, 0x00, "in reset: no interrupt pending"

        ; ---- leaving reset: one interrupt, four reports ----
        mov     dx, FDC_DOR
        mov     al, 0x1C
        out     dx, al
        in      al, dx
        EXPECT8 al, 0x1C, "DOR reads back 1C"
        mov     dx, FDC_SRB
        in      al, dx
        EXPECT8 al, 0xC1, "SRB: motor 0 on, drive 0"
        mov     dx, FDC_SRA
        in      al, dx
        and     al, 0xC0
        EXPECT8 al, 0xC0, "SRA: INT pending, no second drive"
        mov     dx, FDC_MSR
        in      al, dx
        EXPECT8 al, 0x80, "out of reset: MSR 80"
        call    sense_int
        EXPECT8 [res], 0xC0, "reset sense 1: ST0 C0"
        EXPECT8 [res + 1], 0x00, "reset sense 1: PCN 0"
        EXPECT16 [nres], 2, "reset sense: two result bytes"
        mov     dx, FDC_SRA
        in      al, dx
        and     al, 0x80
        EXPECT8 al, 0x00, "first sense clears INT"
        call    sense_int
        EXPECT8 [res], 0xC1, "reset sense 2: ST0 C1"
        call    sense_int
        EXPECT8 [res], 0xC2, "reset sense 3: ST0 C2"
        call    sense_int
        EXPECT8 [res], 0xC3, "reset sense 4: ST0 C3"
        call    sense_int
        EXPECT8 [res], 0x80, "fifth sense: invalid (ST0 80)"
        EXPECT16 [nres], 1, "invalid: one result byte"

        ; ---- TDR: two bits of tape-drive select ----
        mov     dx, FDC_TDR
        mov     al, 0xFF
        out     dx, al
        in      al, dx
        EXPECT8 al, 0x03, "TDR keeps bits 1-0"
        mov     al, 0x00
        out     dx, al

        ; ---- VERSION, invalid opcodes ----
        FDC     0x10
        call    fdc_results
        EXPECT8 [res], 0x90, "VERSION 90 (82077AA)"
        EXPECT16 [nres], 1, "VERSION: one byte"
        FDC     0x18
        call    fdc_results
        EXPECT8 [res], 0x80, "opcode 18: invalid"
        FDC     0x01
        call    fdc_results
        EXPECT8 [res], 0x80, "opcode 01: invalid"

        ; ---- SPECIFY, CONFIGURE, PERPENDICULAR, DUMPREG ----
        FDC     0x03, 0xAF, 0x02    ; SRT A, HUT F, HLT 1, DMA mode
        call    fdc_results
        EXPECT16 [nres], 0, "SPECIFY: no result phase"
        FDC     0x13, 0x00, 0x57, 0x05   ; EIS, FIFO on, polling off, thr 7; PRETRK 5
        call    fdc_results
        EXPECT16 [nres], 0, "CONFIGURE: no result phase"
        FDC     0x12, 0xBF          ; OW: D3-D0 = F, GAP, WGATE
        call    fdc_results
        FDC     0x0E
        call    fdc_results
        EXPECT16 [nres], 10, "DUMPREG: ten bytes"
        EXPECT8 [res + 4], 0xAF, "DUMPREG: SRT/HUT"
        EXPECT8 [res + 5], 0x02, "DUMPREG: HLT/ND"
        EXPECT8 [res + 7], 0x3F, "DUMPREG: unlocked, perpendicular 3F"
        EXPECT8 [res + 8], 0x57, "DUMPREG: CONFIGURE byte"
        EXPECT8 [res + 9], 0x05, "DUMPREG: PRETRK"
        FDC     0x12, 0x00          ; OW clear: only GAP/WGATE change
        call    fdc_results
        FDC     0x0E
        call    fdc_results
        EXPECT8 [res + 7], 0x3C, "PERPENDICULAR without OW keeps D3-D0"

        ; ---- LOCK keeps EFIFO/FIFOTHR/PRETRK over a software reset ----
        FDC     0x94
        call    fdc_results
        EXPECT8 [res], 0x10, "LOCK: result 10"
        FDC     0x12, 0x03
        call    fdc_results
        mov     dx, FDC_DSR
        mov     al, 0x80            ; DSR software reset
        out     dx, al
        call    wait_int
        call    sense_int
        EXPECT8 [res], 0xC0, "DSR reset: polling report"
        call    sense_int
        call    sense_int
        call    sense_int
        FDC     0x0E
        call    fdc_results
        EXPECT8 [res + 8], 0x07, "locked reset: EIS/POLL reset, EFIFO/FIFOTHR kept"
        EXPECT8 [res + 9], 0x05, "locked reset: PRETRK kept"
        EXPECT8 [res + 7], 0xBC, "reset clears GAP/WGATE, keeps D3-D0; LOCK bit"
        EXPECT8 [res + 4], 0xAF, "reset keeps SPECIFY"
        FDC     0x14
        call    fdc_results
        EXPECT8 [res], 0x00, "UNLOCK: result 00"
        mov     dx, FDC_DSR
        mov     al, 0x80
        out     dx, al
        call    wait_int
        call    sense_int
        call    sense_int
        call    sense_int
        call    sense_int
        FDC     0x0E
        call    fdc_results
        EXPECT8 [res + 8], 0x20, "unlocked reset: CONFIGURE defaults"
        EXPECT8 [res + 9], 0x00, "unlocked reset: PRETRK 0"

        ; ---- RECALIBRATE and SEEK ----
        call    recal_wait
        EXPECT8 [res], 0x20, "RECALIBRATE: ST0 20 (seek end)"
        EXPECT8 [res + 1], 0x00, "RECALIBRATE: PCN 0"
        FDC     0x0F, 0x04, 10      ; SEEK drive 0 head 1 to 10
        mov     dx, FDC_MSR
        in      al, dx
        EXPECT8 al, 0x81, "seeking: MSR RQM + drive 0 busy"
        call    wait_int
        mov     dx, FDC_MSR
        in      al, dx
        EXPECT8 al, 0x81, "busy bit stays until SENSE INTERRUPT"
        call    sense_int
        EXPECT8 [res], 0x24, "SEEK: ST0 24 (seek end, head 1)"
        EXPECT8 [res + 1], 10, "SEEK: PCN 10"
        mov     dx, FDC_MSR
        in      al, dx
        EXPECT8 al, 0x80, "sensed: drive 0 no longer busy"
        FDC     0x8F, 0x00, 3       ; RELATIVE SEEK out 3
        call    wait_int
        call    sense_int
        EXPECT8 [res + 1], 7, "RELATIVE SEEK out 3: PCN 7"
        FDC     0xCF, 0x00, 5       ; RELATIVE SEEK in 5
        call    wait_int
        call    sense_int
        EXPECT8 [res + 1], 12, "RELATIVE SEEK in 5: PCN 12"
        FDC     0x0E
        call    fdc_results
        EXPECT8 [res], 12, "DUMPREG: PCN drive 0"

        ; ---- SENSE DRIVE STATUS ----
        FDC     0x04, 0x04
        call    fdc_results
        EXPECT8 [res], 0x6C, "ST3 at track 12: WP (no disk), head 1"
        call    recal_wait
        FDC     0x04, 0x00
        call    fdc_results
        EXPECT8 [res], 0x78, "ST3 at track 0: WP, T0"
        FDC     0x07, 0x01          ; RECALIBRATE drive 1: not connected
        call    wait_int
        call    sense_int
        EXPECT8 [res], 0x71, "RECALIBRATE without a drive: ST0 71 (EC)"

        ; ---- no disk: disk change set, reads find no address mark ----
        mov     al, 0x10
        out     0x70, al
        in      al, 0x71
        EXPECT8 al, 0x40, "CMOS 10h: drive A a 1.44 MB drive, no drive B"
        mov     dx, FDC_DIR
        in      al, dx
        and     al, 0x80
        EXPECT8 al, 0x80, "DIR: disk change (no disk)"
        FDC     0x46, 0x00, 0, 0, 1, 2, 18, 0x1B, 0xFF
        call    wait_results
        EXPECT16 [nres], 7, "READ DATA: seven result bytes"
        EXPECT8 [res], 0x40, "READ without disk: ST0 40"
        EXPECT8 [res + 1], 0x01, "READ without disk: ST1 MA"
        mov     dx, FDC_SRA
        in      al, dx
        and     al, 0x80
        EXPECT8 al, 0x00, "result read: INT cleared"
        call    sense_int
        EXPECT8 [res], 0x80, "SENSE after a data command: invalid"
        FDC     0x4A, 0x00
        call    wait_results
        EXPECT8 [res + 1], 0x01, "READ ID without disk: ST1 MA"

        ; ---- DOR reset in the middle of a command ----
        FDC     0x0F, 0x00          ; two bytes of a SEEK
        mov     dx, FDC_MSR
        in      al, dx
        EXPECT8 al, 0x90, "mid-command: MSR 90 (busy)"
        call    fdc_reset_ctl
        mov     dx, FDC_MSR
        in      al, dx
        EXPECT8 al, 0x80, "reset drops the partial command"

        jmp     finish

        LIB16
        DEVLIB
        FDCLIB
        FDCDATA
