; dev_ata_latency.asm -- command completion latency on the virtual clock
; (--disk-latency=200: 200 us, 20000 instructions in deterministic time):
; BSY right after a command and for thousands of polls, then DRQ with the
; data; BSY again between the blocks of a read and after a written block;
; the first write block asked for at once; HLT woken by the late IRQ 14;
; a soft reset during BSY cancels the pending completion.
; x86lab-args: --deterministic --disk-latency=200 -drive size=1M
        org     0x7c00
        bits    16

%include "lib.inc"
%include "dev_ata_lib.inc"

%define BUF 0x0000                  ; segment 0x2000

start:
        START16
        mov     ax, 0x2000
        mov     es, ax
        SETVEC16 0x2E, irq14
        PIC_PAIR 0x20, 0x28, 0xFB, 0xBF ; IRQ 2 (the slave) and 14 open
        call    ata_primary
        mov     al, 0xE0
        call    ata_select

        ; ---- IDENTIFY: BSY for a while, then the data ----
        mov     al, 0x02                    ; nIEN: polling first
        call    ata_devctl
        mov     bl, 0xEC
        call    ata_cmd
        call    ata_altstatus
        EXPECT8 al, 0x80, "IDENTIFY: BSY right after the command"
        call    count_busy
        CHECK   nc, "IDENTIFY: BSY clears"
        mov     [polls], ecx
        cmp     ecx, 1500
        CHECK   a, "IDENTIFY: BSY for over 1500 polls (11 instructions each)"
        cmp     ecx, 2200
        CHECK   b, "IDENTIFY: BSY for under 2200 polls (20000 instructions in all)"
        call    ata_altstatus
        EXPECT8 al, 0x58, "IDENTIFY: then DRQ"
        mov     di, BUF
        mov     cx, 256
        call    ata_read_block
        EXPECT16 [es:BUF], 0x0040, "IDENTIFY data arrives after the delay"

        ; ---- READ SECTORS x2: busy again between the blocks ----
        CMD28   7, 2, 0xE020
        call    count_busy
        call    ata_altstatus
        EXPECT8 al, 0x58, "READ block 1: DRQ after the delay"
        mov     cx, 256
        call    ata_read_block
        call    ata_altstatus
        EXPECT8 al, 0x80, "READ: BSY again before block 2"
        call    count_busy
        cmp     ecx, 1500
        CHECK   a, "READ block 2: over 1500 polls later"
        mov     cx, 256
        call    ata_read_block
        call    ata_altstatus
        EXPECT8 al, 0x50, "READ: done after the last block, no delay"

        ; ---- WRITE SECTORS: first block at once, then BSY ----
        CMD28   9, 1, 0xE030
        call    ata_altstatus
        EXPECT8 al, 0x58, "WRITE: the first block is asked for at once"
        mov     si, BUF
        mov     cx, 256
        call    ata_write_block
        call    ata_altstatus
        EXPECT8 al, 0x80, "WRITE: BSY after the block"
        call    count_busy
        call    ata_altstatus
        EXPECT8 al, 0x50, "WRITE: completes later"

        ; ---- HLT until the late IRQ 14 ----
        mov     al, 0x00
        call    ata_devctl
        mov     bl, 0xE7
        call    ata_cmd
        sti
        hlt
        cli
        EXPECT16 [counter_14], 1, "FLUSH CACHE: HLT woken by the late IRQ 14"
        INP     ATA_STATUS
        EXPECT8 al, 0x50, "FLUSH CACHE: done"

        ; ---- SRST while busy cancels the completion ----
        mov     bl, 0xE7
        call    ata_cmd
        call    ata_altstatus
        EXPECT8 al, 0x80, "FLUSH CACHE again: BSY"
        mov     al, 0x04
        call    ata_devctl
        mov     al, 0x00
        call    ata_devctl
        call    ata_altstatus
        EXPECT8 al, 0x50, "SRST: ready at once"
        sti
        mov     ecx, 20000
.spin:  dec     ecx
        jnz     .spin
        cli
        EXPECT16 [counter_14], 1, "SRST: the cancelled completion never interrupts"

        mov     si, polls_msg
        call    puts16
        mov     eax, [polls]
        call    putdec
        call    newline16
        call    finish
polls_msg: db "IDENTIFY busy polls: ", 0

; count_busy: polls the alternate status while BSY; ECX = polls, CF=1 on
; a timeout
count_busy:
        xor     ecx, ecx
.p:     call    ata_altstatus
        test    al, ST_BSY
        jz      .out
        inc     ecx
        cmp     ecx, ATA_POLL
        jb      .p
        stc
        ret
.out:   clc
        ret

irq14:  inc     word [cs:counter_14]
        jmp     eoi_slave_iret

counter_14: dw 0
polls:      dd 0

        LIB16
        DEVLIB
        ATALIB
fails:  dw 0
        ATADATA
