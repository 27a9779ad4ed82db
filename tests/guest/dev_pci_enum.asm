; dev_pci_enum.asm -- PCI configuration mechanism #1: the address register
; (dword only, low bits and enable), enumerating bus 0 (functions 1-7
; only on multi-function devices) to find the i440FX host bridge, the
; PIIX3 ISA bridge and its IDE function with their IDs, class codes and
; header types; empty slots, bus 1 and a disabled cycle reading all ones;
; byte and word accesses at 0xCFC-0xCFF; read-only IDs; a writable chipset
; register; BAR sizing (BAR4) and the unused legacy BARs; the IDE command
; register's I/O enable and the IDETIM decode bits switching the ATA ports.
; x86lab-args: -drive size=1M
        org     0x7c00
        bits    16

%include "lib.inc"
%include "dev_ata_lib.inc"

; CFG bus/dev/fn/reg as a config address with the enable bit
%define CFG(d, f, r) (0x80000000 | ((d) << 11) | ((f) << 8) | (r))

start:
        START16

        ; ---- the address register ----
        mov     eax, 0x80000000
        call    set_addr
        mov     dx, 0xCF8
        in      eax, dx
        EXPECT32 eax, 0x80000000, "CONFIG_ADDRESS reads back"
        mov     eax, 0x8000FF03
        call    set_addr
        mov     dx, 0xCF8
        in      eax, dx
        EXPECT32 eax, 0x8000FF00, "CONFIG_ADDRESS: bits 1-0 read 0"
        mov     dx, 0xCF8
        mov     al, 0x55
        out     dx, al
        in      eax, dx
        EXPECT32 eax, 0x8000FF00, "a byte write does not reach CONFIG_ADDRESS"

        ; ---- enumerate bus 0 ----
        xor     bx, bx                      ; slot
.slot:  xor     cx, cx                      ; function
.func:  call    read_id
        cmp     ax, 0xFFFF
        je      .next_slot_if_f0
        call    record
        test    cx, cx
        jnz     .next_func
        mov     eax, CFG(0, 0, 0x0C)
        call    cfg_read_bfx
        test    eax, 0x00800000             ; header type bit 7
        jz      .next_slot
.next_func:
        inc     cx
        cmp     cx, 8
        jb      .func
        jmp     .next_slot
.next_slot_if_f0:
        test    cx, cx
        jnz     .next_func
.next_slot:
        inc     bx
        cmp     bx, 32
        jb      .slot
        mov     ax, [found]
        cmp     ax, 3
        CHECK   ae, "bus 0 has at least three functions"
        EXPECT16 [seen_host], 1, "00:00.0 8086:1237 class 060000 (i440FX)"
        EXPECT16 [seen_isa], 1, "00:01.0 8086:7000 class 060100 (PIIX3 ISA)"
        EXPECT16 [seen_ide], 1, "00:01.1 8086:7010 class 010180 (PIIX3 IDE)"

        mov     eax, CFG(1, 0, 0x0C)
        call    cfg_read
        and     eax, 0x00FF0000
        EXPECT32 eax, 0x00800000, "01.0 header type 80h: multi-function"
        mov     eax, CFG(0, 0, 0x0C)
        call    cfg_read
        and     eax, 0x00FF0000
        EXPECT32 eax, 0, "00.0 header type 00h"
        mov     eax, CFG(31, 0, 0)
        call    cfg_read
        EXPECT32 eax, 0xFFFFFFFF, "empty slot 31: all ones"
        mov     eax, CFG(1, 2, 0)
        call    cfg_read
        EXPECT32 eax, 0xFFFFFFFF, "01.2 (no such function): all ones"
        mov     eax, CFG(0, 0, 0) | (1 << 16)
        call    cfg_read
        EXPECT32 eax, 0xFFFFFFFF, "bus 1: all ones"
        mov     eax, CFG(0, 0, 0) & 0x7FFFFFFF
        call    cfg_read
        EXPECT32 eax, 0xFFFFFFFF, "enable bit clear: all ones"

        ; ---- byte and word accesses ----
        mov     eax, CFG(1, 1, 0)
        call    set_addr
        mov     dx, 0xCFC
        in      al, dx
        EXPECT8 al, 0x86, "byte at CFC: vendor low 86"
        mov     dx, 0xCFD
        in      al, dx
        EXPECT8 al, 0x80, "byte at CFD: vendor high 80"
        mov     dx, 0xCFE
        in      ax, dx
        EXPECT16 ax, 0x7010, "word at CFE: device 7010"
        mov     eax, CFG(1, 1, 8)
        call    set_addr
        mov     dx, 0xCFF
        in      al, dx
        EXPECT8 al, 0x01, "byte at CFF of register 08: class 01 (storage)"
        mov     dx, 0xCFE
        in      al, dx
        EXPECT8 al, 0x01, "byte at CFE of register 08: subclass 01 (IDE)"
        mov     eax, CFG(1, 1, 0)
        mov     ebx, 0x12345678
        call    cfg_write
        call    cfg_read
        EXPECT32 eax, 0x70108086, "IDs are read-only"
        mov     eax, CFG(0, 0, 0x58)
        call    set_addr
        mov     dx, 0xCFD
        mov     al, 0x30
        out     dx, al                      ; register 59h (PAM0)
        in      al, dx
        EXPECT8 al, 0x30, "i440FX register 59h is writable (byte)"

        ; ---- the IDE function's BARs and command register ----
        mov     eax, CFG(1, 1, 0x20)
        mov     ebx, 0xFFFFFFFF
        call    cfg_write
        call    cfg_read
        EXPECT32 eax, 0xFFFFFFF1, "BAR4 sizing: 16 bytes of I/O"
        mov     eax, CFG(1, 1, 0x20)
        mov     ebx, 0xC001
        call    cfg_write
        call    cfg_read
        EXPECT32 eax, 0x0000C001, "BAR4 takes C000h"
        mov     eax, CFG(1, 1, 0x10)
        mov     ebx, 0xFFFFFFFF
        call    cfg_write
        call    cfg_read
        EXPECT32 eax, 0, "BAR0 in legacy mode: not implemented (0)"
        mov     eax, CFG(1, 1, 0x04)
        call    cfg_read
        and     eax, 0xFFFF
        EXPECT32 eax, 0x0001, "IDE command register: I/O enabled"

        call    ata_primary
        mov     al, 0xE0
        call    ata_select
        EXPECT8 al, 0x50, "the primary disk answers"
        mov     eax, CFG(1, 1, 0x04)
        xor     ebx, ebx
        call    cfg_write
        INP     ATA_STATUS
        EXPECT8 al, 0xFF, "I/O disabled: the ATA ports float (FF)"
        mov     eax, CFG(1, 1, 0x04)
        mov     ebx, 1
        call    cfg_write
        INP     ATA_STATUS
        EXPECT8 al, 0x50, "I/O enabled again: the disk answers"
        mov     eax, CFG(1, 1, 0x40)
        call    cfg_read
        EXPECT32 eax, 0x80008000, "IDETIM: decode enabled on both channels"
        mov     eax, CFG(1, 1, 0x40)
        mov     ebx, 0x80000000
        call    cfg_write
        INP     ATA_STATUS
        EXPECT8 al, 0xFF, "IDETIM primary decode off: ports float"
        mov     eax, CFG(1, 1, 0x40)
        mov     ebx, 0x80008000
        call    cfg_write
        INP     ATA_STATUS
        EXPECT8 al, 0x50, "IDETIM primary decode on: the disk answers"

        call    finish

; set_addr: CONFIG_ADDRESS = EAX
set_addr:
        push    dx
        mov     dx, 0xCF8
        out     dx, eax
        pop     dx
        ret

; cfg_read: EAX = the dword at config address EAX
cfg_read:
        push    dx
        call    set_addr
        mov     dx, 0xCFC
        in      eax, dx
        pop     dx
        ret

; cfg_write: the dword EBX to config address EAX (EAX kept)
cfg_write:
        push    dx
        push    eax
        call    set_addr
        mov     eax, ebx
        mov     dx, 0xCFC
        out     dx, eax
        pop     eax
        pop     dx
        ret

; cfg_addr_bx_cx: EAX = config address of slot BX, function CX, reg in EAX
cfg_read_bfx:
        push    edx
        movzx   edx, bx
        shl     edx, 11
        or      eax, edx
        movzx   edx, cx
        shl     edx, 8
        or      eax, edx
        pop     edx
        jmp     cfg_read

; read_id: EAX = vendor/device of slot BX function CX
read_id:
        mov     eax, CFG(0, 0, 0)
        jmp     cfg_read_bfx

; record: prints and counts the function (ID in EAX) at BX/CX and marks
; the three chipset functions that are where and what they should be
record:
        pushad
        inc     word [found]
        mov     ebp, eax
        mov     eax, CFG(0, 0, 0x08)
        call    cfg_read_bfx
        shr     eax, 8                      ; class code
        mov     edi, eax
        mov     si, msg_fn
        call    puts16
        mov     ax, bx
        call    hex8
        mov     al, '.'
        out     DEBUGCON, al
        mov     ax, cx
        add     al, '0'
        out     DEBUGCON, al
        mov     al, ' '
        out     DEBUGCON, al
        mov     eax, ebp
        call    hex32r
        mov     al, ' '
        out     DEBUGCON, al
        mov     eax, edi
        call    hex32r
        call    newline16
        mov     dx, bx
        shl     dx, 3
        or      dx, cx                      ; devfn
        cmp     dx, 0x00
        jne     .isa
        cmp     ebp, 0x12378086
        jne     .out
        cmp     edi, 0x060000
        jne     .out
        inc     word [seen_host]
.isa:   cmp     dx, 0x08
        jne     .ide
        cmp     ebp, 0x70008086
        jne     .out
        cmp     edi, 0x060100
        jne     .out
        inc     word [seen_isa]
.ide:   cmp     dx, 0x09
        jne     .out
        cmp     ebp, 0x70108086
        jne     .out
        cmp     edi, 0x010180
        jne     .out
        inc     word [seen_ide]
.out:   popad
        ret

msg_fn:     db "found 00:", 0
found:      dw 0
seen_host:  dw 0
seen_isa:   dw 0
seen_ide:   dw 0

        LIB16
        DEVLIB
        ATALIB
fails:  dw 0
        ATADATA
