; x86lab-args: --load $BUILD/bios/bios.bin@0xF0000
; acpi_poweroff.asm -- ACPI soft-off as Linux does it: the PM1a control
; block from the FADT, SLP_TYPa from the DSDT's \_S5 package, then
; SLP_TYPa | SLP_EN written to PM1a_CNT.  x86lab must end at once with
; exit status 0; a guest still running after the write fails (status 3).
; The ROM image is copied to F0000h (no POST).
; EXPECTED RESULT: x86lab exits with status 0
%include "apic_lib.inc"
%include "acpi_lib.inc"

test_main:
        mov     esi, msg_start
        call    puts32
        call    find_rsdp
        test    eax, eax
        CHECK32 nz, "RSDP found"
        test    eax, eax
        jz      .fail
        mov     eax, [eax + 16]
        mov     [rsdt], eax
        mov     ebx, 'FACP'
        call    find_table
        test    eax, eax
        CHECK32 nz, "FADT found"
        test    eax, eax
        jz      .fail
        mov     ebp, eax
        mov     eax, [ebp + 64]
        mov     [pm1a_cnt], eax
        ; \_S5: NameOp, "_S5_", PackageOp, PkgLength, NumElements, SLP_TYPa
        mov     esi, [ebp + 40]                 ; DSDT
        mov     ecx, [esi + 4]
        sub     ecx, 8
        add     esi, 36
        sub     ecx, 36
.find:  cmp     dword [esi], '_S5_'
        jne     .next
        cmp     byte [esi + 4], 0x12
        je      .found
.next:  inc     esi
        loop    .find
        CHECK32 z, "\_S5 found in the DSDT"     ; (ZF=0 here: fails)
        jmp     .fail
.found: movzx   eax, byte [esi + 7]             ; the first element:
        cmp     al, 1                           ; ZeroOp 00h or OneOp 01h,
        jbe     .typ
        cmp     al, 0x0A                        ; or BytePrefix 0Ah and a byte
        mov     eax, 0xFF                       ; (anything else: not a value)
        jne     .typ
        movzx   eax, byte [esi + 8]
.typ:
        mov     [slp_typ], eax
        cmp     eax, 7
        CHECK32 be, "\_S5 SLP_TYPa read"
        cmp     dword [fail_count], 0
        jne     .fail
        mov     esi, msg_off
        call    puts32
        mov     edx, [pm1a_cnt]
        in      ax, dx
        and     eax, 0x0203                     ; keep SCI_EN, BM_RLD, GBL_RLS bits
        mov     ebx, [slp_typ]
        shl     ebx, 10
        or      eax, ebx
        out     dx, ax                          ; SLP_TYP first, as ACPICA does
        or      eax, 1 << 13                    ; SLP_EN
        out     dx, ax
        mov     ecx, 100000                     ; (the run should be over)
.wait:  loop    .wait
        mov     esi, msg_still
        call    puts32
.fail:  mov     al, EXIT_FAIL
        jmp     exit32

msg_start: db "acpi_poweroff: S5 through PM1a_CNT", 10, 0
msg_off:   db "writing SLP_TYPa | SLP_EN", 10, 0
msg_still: db "FAIL still running after SLP_EN", 10, 0
        align   4
pm1a_cnt:  dd 0
slp_typ:   dd 0
