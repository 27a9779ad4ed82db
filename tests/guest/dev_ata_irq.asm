; dev_ata_irq.asm -- IDE interrupts through the 8259A pair: IRQ 14 for the
; primary channel and IRQ 15 for the secondary; nIEN masking a pending
; INTRQ and releasing it, the wake-up from HLT, which PIO phases interrupt
; (each read block; each write block but the first, and the completion;
; not the end of a read), the status register acknowledging where the
; alternate status does not, and a new command clearing a pending INTRQ.
; x86lab-args: -drive size=1M -drive index=2,size=1M
        org     0x7c00
        bits    16

%include "lib.inc"
%include "dev_ata_lib.inc"

%define BUF 0x0000                  ; segment 0x2000

; WAITIRQ counter, n: waits (IF=1, bounded) until [counter] reaches n
%macro WAITIRQ 2
        mov     bx, counter_%1
        mov     ax, %2
        call    wait_count
%endmacro

start:
        START16
        mov     ax, 0x2000
        mov     es, ax
        SETVEC16 0x2E, irq14
        SETVEC16 0x2F, irq15
        PIC_PAIR 0x20, 0x28, 0xFB, 0x3F ; IRQ 2 (the slave), 14, 15 open
        call    ata_primary
        mov     al, 0xE0
        call    ata_select

        ; ---- nIEN holds a pending INTRQ back ----
        mov     al, 0x02                    ; nIEN
        call    ata_devctl
        mov     bl, 0xEC
        call    ata_cmd
        call    wait_alt_drq
        sti
        mov     cx, 1000
.spin:  loop    .spin
        cli
        EXPECT16 [counter_14], 0, "nIEN=1: IDENTIFY completes without IRQ 14"
        mov     di, BUF
        mov     cx, 256
        call    ata_read_block
        mov     al, 0x00                    ; nIEN off: INTRQ is still pending
        call    ata_devctl
        sti
        nop
        cli
        EXPECT16 [counter_14], 1, "clearing nIEN delivers the pending INTRQ"
        INP     ATA_STATUS                  ; acknowledge

        ; ---- HLT until IRQ 14 ----
        mov     bl, 0xEC
        call    ata_cmd
        sti
        hlt
        cli
        EXPECT16 [counter_14], 2, "IDENTIFY: IRQ 14 wakes the CPU from HLT"
        call    ata_altstatus
        EXPECT8 al, 0x58, "in the handler's wake: DRQ set"
        mov     di, BUF
        mov     cx, 256
        call    ata_read_block
        INP     ATA_STATUS

        ; ---- acknowledging: IRQ 14 masked, so the IRR shows the line ----
        mov     al, 0x7F
        out     0xA1, al
        mov     bl, 0xEC
        call    ata_cmd
        call    wait_alt_drq
        call    slave_irr
        EXPECT8 al, 0x40, "masked: IDENTIFY raises the IRQ 14 line"
        call    ata_altstatus
        mov     di, BUF
        mov     cx, 256
        call    ata_read_block
        call    slave_irr
        EXPECT8 al, 0x40, "alternate status and data reads leave it up"
        INP     ATA_STATUS
        call    slave_irr
        EXPECT8 al, 0x00, "reading the status register lowers it"
        mov     al, 0x02
        call    ata_devctl
        mov     bl, 0xE7
        call    ata_cmd
        call    ata_wait
        call    slave_irr
        EXPECT8 al, 0x00, "nIEN=1: the line stays low"
        mov     al, 0x00
        call    ata_devctl
        mov     al, 0x3F
        out     0xA1, al

        ; ---- READ SECTORS: one interrupt per block, none at the end ----
        CMD28   10, 3, 0xE020
        sti
        WAITIRQ 14, 3
        INP     ATA_STATUS                  ; the handler's part: acknowledge
        mov     di, BUF
        mov     cx, 256
        call    ata_read_block
        WAITIRQ 14, 4
        INP     ATA_STATUS
        mov     cx, 256
        call    ata_read_block
        WAITIRQ 14, 5
        INP     ATA_STATUS
        mov     cx, 256
        call    ata_read_block
        mov     cx, 2000
.spin2: loop    .spin2
        cli
        EXPECT16 [counter_14], 5, "READ SECTORS x3: three interrupts, none after the data"
        call    ata_altstatus
        EXPECT8 al, 0x50, "READ SECTORS done: DRDY|DSC"

        ; ---- WRITE SECTORS: none for the first block, then one each ----
        CMD28   20, 2, 0xE030
        call    wait_alt_drq
        sti
        mov     cx, 1000
.spin3: loop    .spin3
        cli
        EXPECT16 [counter_14], 5, "WRITE SECTORS: no interrupt for the first DRQ"
        mov     si, BUF
        mov     cx, 256
        call    ata_write_block
        sti
        WAITIRQ 14, 6
        cli
        EXPECT16 [counter_14], 6, "WRITE SECTORS: interrupt asking for block 2"
        INP     ATA_STATUS
        mov     si, BUF
        mov     cx, 256
        call    ata_write_block
        sti
        WAITIRQ 14, 7
        cli
        EXPECT16 [counter_14], 7, "WRITE SECTORS: completion interrupt"
        INP     ATA_STATUS
        EXPECT8 al, 0x50, "WRITE SECTORS: done"

        ; ---- a new command clears a pending INTRQ (a new edge follows) ----
        mov     bl, 0xE7                    ; FLUSH CACHE: non-data
        call    ata_cmd
        sti
        WAITIRQ 14, 8
        cli
        EXPECT16 [counter_14], 8, "FLUSH CACHE: IRQ 14 (status left unread)"
        mov     bl, 0xE7
        call    ata_cmd
        sti
        WAITIRQ 14, 9
        cli
        EXPECT16 [counter_14], 9, "the next command's completion interrupts again"
        INP     ATA_STATUS

        ; ---- the secondary channel on IRQ 15 ----
        call    ata_secondary
        mov     al, 0xE0
        call    ata_select
        mov     bl, 0xEC
        call    ata_cmd
        sti
        WAITIRQ 15, 1
        cli
        EXPECT16 [counter_15], 1, "secondary IDENTIFY: IRQ 15"
        EXPECT16 [counter_14], 9, "... and not IRQ 14"
        INP     ATA_STATUS
        mov     di, BUF
        mov     cx, 256
        call    ata_read_block

        call    finish

irq14:  inc     word [cs:counter_14]
        jmp     eoi_slave_iret
irq15:  inc     word [cs:counter_15]
        jmp     eoi_slave_iret

; slave_irr: AL = the slave 8259's IRR bit 6 (IRQ 14)
slave_irr:
        mov     al, 0x0A
        out     0xA0, al
        in      al, 0xA0
        and     al, 0x40
        ret

; wait_alt_drq: polls the alternate status until DRQ (no acknowledge)
wait_alt_drq:
        push    ecx
        mov     ecx, ATA_POLL
.p:     call    ata_altstatus
        test    al, ST_DRQ
        jnz     .out
        dec     ecx
        jnz     .p
.out:   pop     ecx
        ret

; wait_count: with IF as it is, until word [BX] >= AX or a timeout
wait_count:
        push    ecx
        mov     ecx, ATA_POLL
.p:     cmp     [bx], ax
        jae     .out
        dec     ecx
        jnz     .p
.out:   pop     ecx
        ret

counter_14: dw 0
counter_15: dw 0

        LIB16
        DEVLIB
        ATALIB
fails:  dw 0
        ATADATA
