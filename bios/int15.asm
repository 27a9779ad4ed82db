; int15.asm -- INT 15h, the "system services" of the AT BIOS: memory
; sizes (E820h map, E801h, 88h), the block move through protected mode
; (87h), the switch to protected mode (89h), waits on the RTC's periodic
; interrupt (83h, 86h), the A20 gate (2400h-2403h), the configuration
; table (C0h), the EBDA (C1h), the PS/2 mouse (C2h, mouse.asm) and the
; hooks other handlers call (4Fh keyboard intercept, 85h SysReq, 90h/91h
; device busy/done).  Anything else: CF=1, AH=86h (not supported).

int15_handler:
        cmp     ah, 0x4F                        ; keyboard intercept: keep the key
        je      .intercept
        cmp     ah, 0x85                        ; SysReq key: nothing to do
        je      .nothing
        cmp     ah, 0x90                        ; device busy / interrupt complete
        je      .nothing
        cmp     ah, 0x91
        je      .nothing
        cmp     ah, 0x89                        ; returns in protected mode
        je      sys_fn_protected_mode
        sti
        cld
        FRAME_ENTER
        push    word BDA_SEG
        pop     ds
        mov     ax, [bp+R_AX]
        cmp     ah, 0x24
        je      sys_fn_a20
        cmp     ah, 0x83
        je      sys_fn_event_wait
        cmp     ah, 0x86
        je      sys_fn_wait
        cmp     ah, 0x87
        je      sys_fn_block_move
        cmp     ah, 0x88
        je      sys_fn_ext_memory
        cmp     ah, 0xC0
        je      sys_fn_config
        cmp     ah, 0xC1
        je      sys_fn_ebda
        cmp     ah, 0xC2
        je      sys_fn_mouse
        cmp     ax, 0xE801
        je      sys_fn_e801
        cmp     ax, 0xE820
        je      sys_fn_e820
        mov     al, 0x86                        ; not supported
        jmp     sys_fail
.intercept:
        stc
        jmp     iret_cf
.nothing:
        mov     ah, 0
        clc
        jmp     iret_cf

; sys_ok: AH = 0, CF = 0.   sys_fail: AH = AL, CF = 1.
sys_ok: mov     byte [bp+R_AH], 0
        CLEAR_CF
        FRAME_LEAVE
sys_fail:
        mov     [bp+R_AH], al
        SET_CF
        FRAME_LEAVE

; ---- memory sizes ----
; ext_memory_kb: EAX = KiB of RAM above 1 MiB, from the CMOS: 30h-31h
; (KiB, for up to 64 MiB) when 34h-35h (64 KiB blocks above 16 MiB) is
; zero, else 15 MiB plus those blocks.
ext_memory_kb:
        push    ecx
        mov     al, CMOS_HIGH_64K
        call    cmos_read_word
        movzx   ecx, ax
        test    ecx, ecx
        jz      .low
        shl     ecx, 6
        lea     eax, [ecx + 15 * 1024]
        pop     ecx
        ret
.low:   mov     al, CMOS_EXT2_KB
        call    cmos_read_word
        movzx   eax, ax
        pop     ecx
        ret

; AH=88h: AX = KiB above 1 MiB, at most 63 MiB (FC00h), as programs of
; the AT's time expect.
sys_fn_ext_memory:
        call    ext_memory_kb
        cmp     eax, 0xFC00
        jbe     .ok
        mov     eax, 0xFC00
.ok:    mov     [bp+R_AX], ax
        CLEAR_CF
        FRAME_LEAVE

; AX=E801h: AX = CX = KiB between 1 and 16 MiB, BX = DX = 64 KiB blocks
; above 16 MiB.
sys_fn_e801:
        call    ext_memory_kb
        mov     ecx, eax
        cmp     eax, 15 * 1024
        jbe     .low
        mov     eax, 15 * 1024
.low:   mov     [bp+R_AX], ax
        mov     [bp+R_CX], ax
        sub     ecx, eax
        shr     ecx, 6
        mov     [bp+R_BX], cx
        mov     [bp+R_DX], cx
        CLEAR_CF
        FRAME_LEAVE

; EAX=E820h: the memory map, one 20-byte entry per call: EDX = 'SMAP',
; EBX = 0 for the first entry, then what the last call returned, ES:DI a
; buffer of ECX >= 20 bytes.  Returns EAX = 'SMAP', ECX = 20, EBX = the
; next entry's number (0 after the last), CF=0.
;   0         - base memory    usable
;   base mem  - A0000h         reserved (the EBDA)
;   F0000h    - 100000h        reserved (this ROM)
;   100000h   - end of RAM     usable (when there is RAM above 1 MiB)
;   FFFF0000h - 100000000h     reserved (the ROM's copy at the reset vector)
SMAP            equ     0x534D4150
E820_RAM        equ     1
E820_RESERVED   equ     2
sys_fn_e820:
        cmp     dword [bp+R_EDX], SMAP
        jne     .bad
        cmp     dword [bp+R_ECX], 20
        jb      .bad
        mov     ebx, [bp+R_EBX]
        call    e820_entry                      ; EAX base, ECX length, DL type
        jc      .bad
        mov     es, [bp+R_ES]
        mov     di, [bp+R_DI]
        mov     [es:di], eax
        mov     dword [es:di + 4], 0
        mov     [es:di + 8], ecx
        mov     dword [es:di + 12], 0
        movzx   edx, dl
        mov     [es:di + 16], edx
        inc     ebx                             ; the next one, if there is one
        push    ebx
        call    e820_entry
        pop     ebx
        jnc     .more
        xor     ebx, ebx
.more:  mov     [bp+R_EBX], ebx
        mov     dword [bp+R_EAX], SMAP
        mov     dword [bp+R_ECX], 20
        CLEAR_CF
        FRAME_LEAVE
.bad:   mov     al, 0x86
        jmp     sys_fail

; e820_entry: entry EBX of the map: EAX = base, ECX = length, DL = type.
; CF=1 past the end.  The RAM above 1 MiB is left out when there is none.
e820_entry:
        push    ebx
        push    esi
        cmp     ebx, 3
        jb      .numbered
        call    ext_memory_kb                   ; entry 3 exists only with extended RAM
        test    eax, eax
        jnz     .numbered
        inc     ebx
.numbered:
        cmp     ebx, 0
        je      .base
        cmp     ebx, 1
        je      .ebda
        cmp     ebx, 2
        je      .rom
        cmp     ebx, 3
        je      .extended
        cmp     ebx, 4
        je      .alias
        stc
        jmp     .done
.base:  movzx   ecx, word [BDA_MEMSIZE]
        shl     ecx, 10
        xor     eax, eax
        mov     dl, E820_RAM
        jmp     .found
.ebda:  movzx   eax, word [BDA_MEMSIZE]
        shl     eax, 10
        mov     ecx, 0xA0000
        sub     ecx, eax
        mov     dl, E820_RESERVED
        jmp     .found
.rom:   mov     eax, 0xF0000
        mov     ecx, 0x10000
        mov     dl, E820_RESERVED
        jmp     .found
.extended:
        call    ext_memory_kb
        mov     ecx, eax
        shl     ecx, 10
        mov     eax, 0x100000
        mov     dl, E820_RAM
        jmp     .found
.alias: mov     eax, 0xFFFF0000
        mov     ecx, 0x10000
        mov     dl, E820_RESERVED
.found: clc
.done:  pop     esi
        pop     ebx
        ret

; AH=C0h: ES:BX = the configuration table (model FCh, an AT).
sys_fn_config:
        mov     word [bp+R_ES], BIOS_SEG
        mov     word [bp+R_BX], config_table
        jmp     sys_ok

; AH=C1h: ES = the EBDA's segment.
sys_fn_ebda:
        mov     ax, [BDA_EBDA]
        mov     [bp+R_ES], ax
        CLEAR_CF
        FRAME_LEAVE

; ---- A20 ----
; AX=2400h disable, 2401h enable (through port 92h), 2402h AL = state,
; 2403h BX = the ways the BIOS knows (bit 0: 8042, bit 1: port 92h).
sys_fn_a20:
        cmp     al, 0x03
        je      .support
        cmp     al, 0x02
        je      .status
        ja      .bad
        mov     ah, al                          ; 0 off, 1 on
        shl     ah, 1
        in      al, SYS_PORT_A
        and     al, ~0x03                       ; never the reset bit
        or      al, ah
        out     SYS_PORT_A, al
        jmp     sys_ok
.status:
        in      al, SYS_PORT_A
        shr     al, 1
        and     al, 1
        mov     [bp+R_AL], al
        jmp     sys_ok
.support:
        mov     word [bp+R_BX], 0x0003
        jmp     sys_ok
.bad:   mov     al, 0x86
        jmp     sys_fail

; ---- waiting ----
; AH=86h: waits CX:DX microseconds, counted by the RTC's periodic
; interrupt (1024 Hz: 976 us each, see int70_handler).  CF=1, AH=83h if a
; wait is already running.
sys_fn_wait:
        mov     al, 0x83
        test    byte [BDA_WAIT_ACTIVE], 0x01
        jnz     sys_fail
        mov     word [BDA_WAIT_PTR], BDA_WAIT_ACTIVE    ; the flag: BDA A0h bit 7
        mov     word [BDA_WAIT_PTR + 2], BDA_SEG
        mov     byte [BDA_WAIT_ACTIVE], 0x01
        call    wait_start
.sleep: cli
        test    byte [BDA_WAIT_ACTIVE], 0x80
        jnz     .over
        sti
        hlt
        jmp     .sleep
.over:  mov     byte [BDA_WAIT_ACTIVE], 0
        sti
        jmp     sys_ok

; AH=83h: AL=00h sets bit 7 of the byte at ES:BX after CX:DX microseconds
; (the caller goes on meanwhile); AL=01h cancels it.
sys_fn_event_wait:
        cmp     al, 0x01
        je      .cancel
        ja      .bad
        mov     al, 0x80
        test    byte [BDA_WAIT_ACTIVE], 0x01
        jnz     sys_fail
        mov     ax, [bp+R_BX]
        mov     [BDA_WAIT_PTR], ax
        mov     ax, [bp+R_ES]
        mov     [BDA_WAIT_PTR + 2], ax
        mov     byte [BDA_WAIT_ACTIVE], 0x01
        call    wait_start
        jmp     sys_ok
.cancel:
        call    wait_stop
        mov     byte [BDA_WAIT_ACTIVE], 0
        jmp     sys_ok
.bad:   mov     al, 0x86
        jmp     sys_fail

; wait_start: the count from the caller's CX:DX; periodic interrupts on.
wait_start:
        mov     ax, [bp+R_DX]
        mov     [BDA_WAIT_COUNT], ax
        mov     ax, [bp+R_CX]
        mov     [BDA_WAIT_COUNT + 2], ax
        mov     al, CMOS_REG_B
        call    cmos_read
        mov     ah, al
        or      ah, 0x40                        ; PIE
        mov     al, CMOS_REG_B
        jmp     cmos_write

; wait_stop: periodic interrupts off.
wait_stop:
        mov     al, CMOS_REG_B
        call    cmos_read
        mov     ah, al
        and     ah, ~0x40
        mov     al, CMOS_REG_B
        jmp     cmos_write

; ---- AH=89h: switch to protected mode ----
; The caller's GDT at ES:SI has eight descriptors: 0 null, 1 (08h) the
; GDT itself, 2 (10h) the IDT, 3 (18h) DS, 4 (20h) ES, 5 (28h) SS, 6 (30h)
; the caller's code, 7 (38h) left for the BIOS's code.  BH and BL are the
; new interrupt vector bases of the master and slave PICs.  The BIOS
; opens A20, reprograms the PICs (everything masked), loads GDTR and
; IDTR, sets PE and returns to the caller's IP with CS = 30h, DS = 18h,
; ES = 20h, SS = 28h (SP unchanged), interrupts off, AH = 0, CF = 0.
sys_fn_protected_mode:
        cli
        in      al, SYS_PORT_A                  ; A20 on
        or      al, 0x02
        and     al, ~0x01
        out     SYS_PORT_A, al
        mov     al, 0x11                        ; the PICs: ICW1-4 as POST does,
        out     PIC1_CMD, al                    ; with the caller's vectors
        out     PIC2_CMD, al
        mov     al, bh
        out     PIC1_DATA, al
        mov     al, bl
        out     PIC2_DATA, al
        mov     al, 0x04
        out     PIC1_DATA, al
        mov     al, 0x02
        out     PIC2_DATA, al
        mov     al, 0x01
        out     PIC1_DATA, al
        out     PIC2_DATA, al
        mov     al, 0xFF
        out     PIC1_DATA, al
        out     PIC2_DATA, al
        mov     word [es:si + 0x38], 0xFFFF     ; descriptor 7: this ROM, 16-bit code
        mov     dword [es:si + 0x3A], 0x9B000000 | (BIOS_SEG << 4)
        mov     word [es:si + 0x3E], 0
        lgdt    [es:si + 0x08]
        lidt    [es:si + 0x10]
        mov     eax, cr0
        or      al, 1
        mov     cr0, eax
        jmp     0x38:.protected
.protected:
        mov     ax, 0x18
        mov     ds, ax
        mov     ax, 0x20
        mov     es, ax
        mov     ax, 0x28
        mov     ss, ax
        push    bp                              ; the return frame: IP, CS, FLAGS
        mov     bp, sp
        mov     word [bp + 4], 0x30
        and     word [bp + 6], ~(FL_CF | FL_IF)
        pop     bp
        pushf                                   ; NT clear: this IRET is not a
        and     word [esp], ~FL_NT              ; return from a nested task
        popf
        xor     ah, ah
        iret

; ---- AH=87h: block move ----
; Copies CX words between any two addresses (up to 16 MiB) as the AT did:
; the caller's GDT at ES:SI has room for six descriptors; the caller fills
; 2 (source) and 3 (destination), the BIOS fills 1 (the GDT itself), 4
; (its code) and 5 (its stack), switches to protected mode, copies, and
; switches back.  A20 is on during the copy and as it was afterwards.
sys_fn_block_move:
        cli
        mov     es, [bp+R_ES]
        mov     si, [bp+R_SI]
        movzx   eax, word [bp+R_ES]             ; descriptor 1: the GDT
        shl     eax, 4
        movzx   ebx, si
        add     eax, ebx
        mov     word [es:si + 0x08], 0x2F
        mov     [es:si + 0x0A], eax             ; base 0-23 (the next byte is set below)
        mov     byte [es:si + 0x0D], 0x93
        mov     word [es:si + 0x0E], 0
        mov     word [es:si + 0x20], 0xFFFF     ; descriptor 4: this ROM's code
        mov     dword [es:si + 0x22], 0x9B000000 | (BIOS_SEG << 4)
        mov     word [es:si + 0x26], 0
        mov     word [es:si + 0x28], 0xFFFF     ; descriptor 5: the stack
        mov     ax, ss
        movzx   eax, ax
        shl     eax, 4
        or      eax, 0x93000000
        mov     [es:si + 0x2A], eax
        mov     word [es:si + 0x2E], 0
        in      al, SYS_PORT_A                  ; A20 on for the copy
        push    ax
        or      al, 0x02
        and     al, ~0x01
        out     SYS_PORT_A, al
        mov     cx, [bp+R_CX]
        mov     dx, ss
        lgdt    [es:si + 0x08]                  ; (a 16-bit LGDT takes 24 address bits)
        mov     eax, cr0
        or      al, 1
        mov     cr0, eax
        jmp     0x20:.protected
.protected:
        mov     ax, 0x28
        mov     ss, ax
        mov     ax, 0x10
        mov     ds, ax
        mov     ax, 0x18
        mov     es, ax
        xor     si, si
        xor     di, di
        rep     movsw
        mov     ax, 0x28                        ; 64 KiB limits again before real mode
        mov     ds, ax
        mov     es, ax
        mov     eax, cr0
        and     al, ~1
        mov     cr0, eax
        jmp     BIOS_SEG:.real
.real:  mov     ss, dx
        pop     ax
        out     SYS_PORT_A, al                  ; A20 as it was
        push    word BDA_SEG
        pop     ds
        sti
        jmp     sys_ok
