; pmode.asm -- from real mode to 32-bit protected mode, step by step:
; A20 on, a GDT, CR0.PE, a far jump, data segments, then text written
; straight into VGA memory at 0xB8000 (and port 0xE9), and a halt.
;
; A boot sector (../common/boot.inc) loads this program from the floppy
; to 0000:7E00 and jumps to `stage2` below, still in real mode.

        org     0x7C00
%include "boot.inc"                     ; sector 0: the loader

; ------------------------------------------------------------------------
; Real mode (16-bit code, segment:offset addresses, 1 MiB reachable).
        bits    16
stage2:
        mov     si, msg_real
        call    print16

        ; ---- Step 1: the A20 line ----
        ; The 8086 had 20 address lines: FFFF:0010 wrapped to 0000:0000.
        ; The AT kept that wrap by gating address line 20 (A20): while it
        ; is off, every odd megabyte is a mirror of the even one below.
        ; Our BIOS turned it on already; to see the wrap we turn it off
        ; (port 92h, below), check, and turn it on the classic way.
        mov     si, msg_a20_boot_on
        call    a20_check
        jnz     .said
        mov     si, msg_a20_boot_off
.said:  call    print16
        call    a20_disable_port92
        call    a20_check
        mov     si, msg_a20_wraps
        jz      .off
        mov     si, msg_a20_stuck       ; a machine where port 92h does not work
.off:   call    print16
        call    a20_enable_8042
        call    a20_check
        mov     si, msg_a20_8042
        jnz     .a20_done
        call    a20_enable_port92       ; no 8042 way: the fast way
        call    a20_check
        mov     si, msg_a20_port92
        jnz     .a20_done
        mov     si, msg_a20_fail
        call    print16
        cli
        hlt
.a20_done:
        call    print16

        ; ---- Step 2: the switch ----
        mov     si, msg_switch
        call    print16
        cli                             ; the real-mode IVT is useless in
                                        ; protected mode: no interrupts until
                                        ; there is an IDT (see ../interrupts)
        lgdt    [gdt_descriptor]        ; GDTR = base and limit of our GDT
        mov     eax, cr0
        or      eax, 1                  ; CR0 bit 0: PE, protection enable
        mov     cr0, eax
        ; We are in protected mode now, but CS still holds its real-mode
        ; hidden base and 16-bit size: a far jump loads CS from the GDT
        ; (selector 08h: the code segment) and continues in 32-bit code.
        jmp     CODE_SEL:pm_entry

; a20_check: ZF=0 (NZ) when A20 is on.  It writes different bytes at
; 0000:0500 and FFFF:0510; both are physical 0x000500 if the address
; wraps, else 0x000500 and 0x100500.
a20_check:
        push    ds
        push    es
        push    si
        push    di
        xor     ax, ax
        mov     ds, ax
        not     ax
        mov     es, ax                  ; ES = FFFFh
        mov     si, 0x0500
        mov     di, 0x0510
        mov     al, [ds:si]
        mov     ah, [es:di]
        push    ax                      ; what was there
        mov     byte [ds:si], 0x00
        mov     byte [es:di], 0xFF
        cmp     byte [ds:si], 0xFF      ; changed by the other write: wrapped
        pop     ax
        mov     [es:di], ah
        mov     [ds:si], al
        pop     di
        pop     si
        pop     es
        pop     ds
        ret

; The AT way: A20 is bit 1 of the keyboard controller's output port.
; Command D1h (write output port) to port 64h, then the byte to port 60h,
; each after the controller's input buffer is empty (status bit 1 clear).
a20_enable_8042:
        call    kbc_wait
        mov     al, 0xD1
        out     0x64, al
        call    kbc_wait
        mov     al, 0xDF                ; A20 on, no reset, keyboard enabled
        out     0x60, al
        call    kbc_wait
        ret
kbc_wait:
        in      al, 0x64
        test    al, 2
        jnz     kbc_wait
        ret

; The PS/2 way ("fast A20"): bit 1 of system control port 92h.  Bit 0
; would reset the machine, so keep it clear.
a20_enable_port92:
        in      al, 0x92
        or      al, 2
        and     al, 0xFE
        out     0x92, al
        ret
a20_disable_port92:
        in      al, 0x92
        and     al, 0xFC                ; bit 1 (A20) and bit 0 (reset) clear
        out     0x92, al
        ret

; ------------------------------------------------------------------------
; The Global Descriptor Table: 8-byte descriptors that the CPU reads when
; a segment register is loaded with a selector (index * 8 | TI | RPL).
; Both of ours are "flat": base 0, limit 4 GiB (limit FFFFFh in 4 KiB
; units, G=1), so offsets are physical addresses.
;   byte 5 (access): P=1, DPL=0, S=1, type 1010b code exec/read = 9Ah
;                                     type 0010b data read/write = 92h
;   byte 6 high nibble (flags): G=1 (4 KiB units), D/B=1 (32-bit) = Ch
        align   8
gdt:
        dq      0                       ; entry 0: the null descriptor (required)
gdt_code:
        dw      0xFFFF                  ; limit 15:0
        dw      0                       ; base 15:0
        db      0                       ; base 23:16
        db      0x9A                    ; access: present ring-0 code
        db      0xCF                    ; flags G=1 D=1, limit 19:16 = Fh
        db      0                       ; base 31:24
gdt_data:
        dw      0xFFFF
        dw      0
        db      0
        db      0x92                    ; access: present ring-0 data, writable
        db      0xCF
        db      0
gdt_end:
CODE_SEL equ    gdt_code - gdt          ; 08h
DATA_SEL equ    gdt_data - gdt          ; 10h

gdt_descriptor:                         ; what LGDT reads: limit, then base
        dw      gdt_end - gdt - 1
        dd      gdt

msg_real:     db "pmode: stage 2 running in real mode", 10, 0
msg_a20_boot_on:  db "pmode: A20 is on at boot (the BIOS enabled it)", 10, 0
msg_a20_boot_off: db "pmode: A20 is off at boot", 10, 0
msg_a20_wraps:    db "pmode: A20 off through port 92h: FFFF:0510 wraps to 0000:0500", 10, 0
msg_a20_stuck:    db "pmode: port 92h did not turn A20 off", 10, 0
msg_a20_8042:     db "pmode: A20 on through the 8042 output port (command D1h)", 10, 0
msg_a20_port92:   db "pmode: A20 on through port 92h", 10, 0
msg_a20_fail:     db "pmode: cannot enable A20", 10, 0
msg_switch:   db "pmode: loading the GDT and setting CR0.PE", 10, 0

; ------------------------------------------------------------------------
; Protected mode (32-bit code, selectors, flat 4 GiB).
        bits    32
pm_entry:
        ; CS is right; the data segment registers still hold real-mode
        ; values.  Load each with the flat data selector.
        mov     ax, DATA_SEL
        mov     ds, ax
        mov     es, ax
        mov     fs, ax
        mov     gs, ax
        mov     ss, ax
        mov     esp, 0x90000            ; a fresh stack in free low memory
        ; EFLAGS: real-mode code may have left IOPL or NT set (x86lab's
        ; BIOS hands over 7246h: look with `registers` in the debugger).
        ; They matter now: NT=1 turns IRET into a task return.  Clear all.
        push    dword 2                 ; bit 1 is always 1
        popfd

        call    scr_init                ; carry on below the BIOS's text
        mov     esi, msg_pm
        call    puts32

        ; Show the state that makes this protected mode.
        mov     esi, msg_cr0
        call    puts32
        mov     eax, cr0
        call    hex32
        mov     esi, msg_cs
        call    puts32
        mov     ax, cs
        movzx   eax, ax
        call    hex32
        mov     esi, msg_ds
        call    puts32
        mov     ax, ds
        movzx   eax, ax
        call    hex32
        mov     al, 10
        call    putc32

        ; Memory above 1 MiB is now one 32-bit offset away (and A20 makes
        ; 0x100000 a different byte from 0x000000).
        mov     dword [0x100000], 0x12345678
        mov     eax, [0x100000]
        mov     esi, msg_high
        call    puts32
        call    hex32
        mov     al, 10
        call    putc32

        ; The screen is just memory: "PM" in white on blue (attribute 1Fh)
        ; in the top right corner: row 0, columns 78 and 79.
        mov     word [0xB8000 + 78 * 2], 0x1F00 | 'P'
        mov     word [0xB8000 + 79 * 2], 0x1F00 | 'M'
        mov     esi, msg_corner
        call    puts32

        mov     esi, msg_done
        call    puts32
        cli                             ; x86lab: a halt with interrupts off
.halt:  hlt                             ; ends the run (exit status 0)
        jmp     .halt

%include "screen32.inc"

msg_pm:     db "pmode: in 32-bit protected mode, flat segments", 10, 0
msg_cr0:    db "pmode: CR0=", 0
msg_cs:     db " CS=", 0
msg_ds:     db " DS=", 0
msg_high:   db "pmode: read back from 0x00100000: ", 0
msg_corner: db "pmode: wrote 'PM' at 0xB8000 + 78*2 (top right, white on blue)", 10, 0
msg_done:   db "pmode: done, halting", 10, 0

program_end:
