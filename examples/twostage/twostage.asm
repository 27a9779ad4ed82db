; twostage.asm -- a boot sector that loads a second stage from the disk,
; twice: once with the old cylinder/head/sector call (INT 13h AH=02h) and
; once with the "enhanced disk drive" LBA call (INT 13h AH=42h).  It
; compares the two copies byte for byte, says so, and jumps to the first.
; Boot it as a hard disk (-hda): floppies have no AH=42h.
;
; Disk layout (one file, two parts):
;   LBA 0          the boot sector (section .boot, runs at 0000:7C00)
;   LBA 1..3       stage 2 (section .stage2, runs at 1000:0000)

%ifdef MAPFILE                          ; the Makefile asks for a symbol map:
[map symbols MAPFILE]                   ; every label's address, for the debugger
%endif
STAGE2_SEG   equ 0x1000                 ; CHS copy: physical 0x10000
LBA_COPY_SEG equ 0x2000                 ; LBA copy: physical 0x20000
STAGE2_SECTORS equ 3
DEBUGCON     equ 0xE9

        section .boot start=0 vstart=0x7C00
        bits    16
boot:
        cli
        xor     ax, ax
        mov     ds, ax
        mov     es, ax
        mov     ss, ax
        mov     sp, 0x7C00
        sti
        jmp     0:.go                   ; CS = 0, to match vstart=0x7C00
.go:    mov     [drive], dl

        mov     si, msg_start
        call    print

        ; ---- Copy 1: CHS.  Stage 2 sits in sectors 2..4 of cylinder 0,
        ; head 0 (sector numbers start at 1; sector 1 is us).  One call
        ; reads them all into ES:BX.
        mov     ax, STAGE2_SEG
        mov     es, ax
        xor     bx, bx                  ; ES:BX = 1000:0000
        mov     ah, 0x02                ; AH = 02h: read sectors (CHS)
        mov     al, STAGE2_SECTORS      ; AL = how many
        mov     ch, 0                   ; CH = cylinder (low 8 bits)
        mov     cl, 2                   ; CL = sector (bits 0-5), cyl bits 8-9 in 6-7
        mov     dh, 0                   ; DH = head
        mov     dl, [drive]             ; DL = drive (80h: first hard disk)
        int     0x13
        jc      disk_error              ; CF=1: error, status in AH
        mov     si, msg_chs
        call    print

        ; ---- Copy 2: LBA.  First ask whether the extensions exist:
        ; AH=41h with BX=55AAh answers BX=AA55h and CX bit 0 set when
        ; AH=42h works.
        mov     ah, 0x41
        mov     bx, 0x55AA
        mov     dl, [drive]
        int     0x13
        jc      no_edd
        cmp     bx, 0xAA55
        jne     no_edd
        test    cx, 1
        jz      no_edd
        ; AH=42h takes a "disk address packet" at DS:SI (see dap below):
        ; a plain sector number, no geometry at all.
        mov     ah, 0x42
        mov     dl, [drive]
        mov     si, dap
        int     0x13
        jc      disk_error
        mov     si, msg_lba
        call    print

        ; ---- Compare: DS:SI = the CHS copy, ES:DI = the LBA copy.
        push    ds
        mov     ax, STAGE2_SEG
        mov     ds, ax
        mov     ax, LBA_COPY_SEG
        mov     es, ax
        xor     si, si
        xor     di, di
        mov     cx, STAGE2_SECTORS * 512
        cld
        repe    cmpsb                   ; stops at the first difference
        pop     ds
        jne     differ
        mov     si, msg_same
        call    print
        jmp     start_stage2

no_edd:
        mov     si, msg_no_edd
        call    print
start_stage2:
        mov     si, msg_jump
        call    print
        mov     dl, [drive]
        ; A far jump sets CS and IP together: stage 2 runs at 1000:0000,
        ; assembled with vstart=0 so its own labels are offsets in CS.
        jmp     STAGE2_SEG:0

differ:
        mov     si, msg_differ
        call    print
        jmp     halt
disk_error:
        mov     si, msg_error
        call    print
halt:   cli
        hlt
        jmp     halt

; print: DS:SI to port 0xE9 and the screen (INT 10h AH=0Eh teletype).
print:
        pusha
.next:  lodsb
        test    al, al
        jz      .done
        out     DEBUGCON, al
        cmp     al, 10
        jne     .put
        mov     ax, 0x0E0D
        xor     bx, bx
        int     0x10
        mov     al, 10
.put:   mov     ah, 0x0E
        xor     bx, bx
        int     0x10
        jmp     .next
.done:  popa
        ret

        align   4
dap:    db      0x10                    ; size of this packet: 16 bytes
        db      0                       ; reserved
        dw      STAGE2_SECTORS          ; sectors to read
        dw      0, LBA_COPY_SEG         ; buffer: offset, then segment
        dq      1                       ; first sector: LBA 1

drive:      db 0
msg_start:  db "twostage: boot sector", 10, 0
msg_chs:    db "twostage: AH=02h CHS 0/0/2 -> 1000:0000", 10, 0
msg_lba:    db "twostage: AH=42h LBA 1 -> 2000:0000", 10, 0
msg_same:   db "twostage: copies identical", 10, 0
msg_differ: db "twostage: copies differ!", 10, 0
msg_no_edd: db "twostage: no AH=42h", 10, 0
msg_error:  db "twostage: read error", 10, 0
msg_jump:   db "twostage: jump to 1000:0000", 10, 0

        times   510 - ($ - $$) db 0
        dw      0xAA55

; ------------------------------------------------------------------------
; Stage 2: its own addresses start at 0 (vstart=0) because it runs with
; CS = DS = 1000h.  Nothing limits it to 512 bytes any more.
        section .stage2 follows=.boot vstart=0
        bits    16
stage2:
        mov     ax, cs                  ; 1000h: address our data through CS's segment
        mov     ds, ax
        mov     si, msg_stage2
        call    print2
        ; Prove where we are: print CS as four hex digits.
        mov     si, msg_cs
        call    print2
        mov     ax, cs
        call    hex16
        mov     si, msg_size
        call    print2
        mov     ax, stage2_end - stage2
        call    hex16
        mov     si, msg_bytes
        call    print2
        mov     si, msg_halt
        call    print2
        cli
.halt:  hlt
        jmp     .halt

; The boot sector's print is still in memory at 0000:7C00-something, but
; stage 2 keeps its own: a boot sector is not a library.
print2:
        pusha
.next:  lodsb
        test    al, al
        jz      .done
        out     DEBUGCON, al
        cmp     al, 10
        jne     .put
        mov     ax, 0x0E0D
        xor     bx, bx
        int     0x10
        mov     al, 10
.put:   mov     ah, 0x0E
        xor     bx, bx
        int     0x10
        jmp     .next
.done:  popa
        ret

hex16:
        pusha
        mov     cx, 4
.digit: rol     ax, 4
        push    ax
        and     al, 0x0F
        add     al, '0'
        cmp     al, '9'
        jbe     .out
        add     al, 'A' - '9' - 1
.out:   mov     [hexbuf], al
        mov     si, hexbuf
        call    print2
        pop     ax
        loop    .digit
        popa
        ret

hexbuf:     db 0, 0
msg_stage2: db "twostage: stage 2 running", 10, 0
msg_cs:     db "twostage: CS=", 0
msg_size:   db "h, stage 2 is ", 0
msg_bytes:  db "h bytes long", 10, 0
msg_halt:   db "twostage: done, halting", 10, 0
stage2_end:
        ; Fill the three sectors: stage 2's code and data fit in the first
        ; one; the other two hold a pattern, so that the comparison in the
        ; boot sector checks real data in every byte.
        times   512 - ($ - stage2) db 0
%assign i 0
%rep (STAGE2_SECTORS - 1) * 512
        db      (i * 7 + 3) & 0xFF
%assign i i + 1
%endrep
