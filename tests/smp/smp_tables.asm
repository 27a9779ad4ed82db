; smp_tables.asm -- a flat Multiboot kernel (tests/scripts/smp_tables.sh
; boots it with -kernel -smp N -append N) that checks the firmware's
; description of the CPUs as an OS reads it: the MP floating pointer and
; configuration table (checksums, the entries adding up to the length,
; processor entries first, N of them, enabled, APIC IDs 0..N-1 once each,
; the BSP flag on ID 0 alone), the ACPI MADT (checksum, N enabled local
; APICs, ACPI ID = APIC ID, IDs 0..N-1) and the DSDT (checksum, N
; Processor objects with IDs 0..N-1).  N is the last character of the
; command line.  Prints ok/FAIL lines on the debug console; exit status 1
; when all hold, 3 if not.
        bits    32
        org     0x100000
%include "lib.inc"

MB_MAGIC        equ     0x1BADB002
MB_FLAGS        equ     0x00010000      ; addresses in the header

header:
        dd      MB_MAGIC
        dd      MB_FLAGS
        dd      -(MB_MAGIC + MB_FLAGS)
        dd      header                  ; header_addr
        dd      header                  ; load_addr
        dd      load_end                ; load_end_addr
        dd      bss_end                 ; bss_end_addr
        dd      start                   ; entry_addr

start:
        mov     esp, stack_top
        mov     esi, msg_start
        call    puts32
        ; N: the last character of the command line
        mov     esi, [ebx + 16]
.eos:   lodsb
        test    al, al
        jnz     .eos
        movzx   eax, byte [esi - 2]
        sub     eax, '0'
        mov     [ncpus], eax
        mov     ecx, eax
        mov     eax, 1
        shl     eax, cl
        dec     eax
        mov     [all_ids], eax                  ; (1 << N) - 1
        mov     eax, [ncpus]
        cmp     eax, 1
        jb      .bad_n
        cmp     eax, 8
        jbe     .n_ok
.bad_n: mov     esi, msg_bad_n
        call    puts32
        mov     al, EXIT_FAIL
        jmp     exit32
.n_ok:  call    check_mp
        call    check_madt
        call    check_dsdt
        FINISH32

        LIB32

; CHECK cond, "text": CHECK32 keeping ESI (CHECK32 itself changes it).
%macro CHECK 2
        push    esi
        CHECK32 %1, %2
        pop     esi
%endmacro

; sum: AL = the sum of ECX bytes at ESI
sum:    push    ecx
        push    esi
        xor     eax, eax
.next:  add     al, [esi]
        inc     esi
        loop    .next
        pop     esi
        pop     ecx
        ret

; ---- MP ----
check_mp:
        mov     esi, 0xF0000
.scan:  cmp     dword [esi], '_MP_'
        jne     .skip
        mov     ecx, 16
        call    sum
        test    al, al
        jz      .found
.skip:  add     esi, 16
        cmp     esi, 0x100000
        jb      .scan
        xor     esi, esi
.found: test    esi, esi
        CHECK   nz, "MP floating pointer found, checksum right"
        test    esi, esi
        jz      .out
        mov     esi, [esi + 4]                  ; the configuration table
        cmp     dword [esi], 'PCMP'
        CHECK   e, "MP configuration table PCMP"
        movzx   ecx, word [esi + 4]
        call    sum
        test    al, al
        CHECK   z, "MP configuration table checksum"
        ; walk the entries
        movzx   ecx, word [esi + 34]            ; entry count
        movzx   ebp, word [esi + 4]
        add     ebp, esi                        ; the end
        lea     edi, [esi + 44]
        xor     ebx, ebx                        ; processor IDs seen
        xor     edx, edx                        ; trouble
.entry: jecxz   .walked
        cmp     byte [edi], 0
        jne     .other
        cmp     byte [seen_other], 0
        je      .ordered
        inc     edx                             ; a processor after other entries
.ordered:
        inc     dword [mp_cpus]
        movzx   eax, byte [edi + 1]             ; APIC ID
        bts     ebx, eax
        jnc     .fresh
        inc     edx                             ; twice
.fresh: test    byte [edi + 3], 1               ; enabled
        jnz     .en
        inc     edx
.en:    test    byte [edi + 3], 2               ; BSP flag: ID 0 alone
        setnz   al
        cmp     byte [edi + 1], 0
        sete    ah
        cmp     al, ah
        je      .bsp_ok
        inc     edx
.bsp_ok:
        add     edi, 20
        dec     ecx
        jmp     .entry
.other: mov     byte [seen_other], 1
        cmp     byte [edi], 4
        ja      .bad_type
        add     edi, 8
        dec     ecx
        jmp     .entry
.bad_type:
        inc     edx
        mov     edi, ebp
.walked:
        cmp     edi, ebp
        CHECK   e, "MP entries add up to the table's length"
        test    edx, edx
        CHECK   z, "MP processors first, enabled, once each, BSP flag on ID 0"
        mov     eax, [mp_cpus]
        cmp     eax, [ncpus]
        CHECK   e, "MP table: N processor entries"
        cmp     ebx, [all_ids]
        CHECK   e, "MP table: APIC IDs 0 to N-1"
.out:   ret

; ---- ACPI ----
; find_acpi: EAX = the table with signature EBX in the RSDT, or 0
find_acpi:
        push    ecx
        push    edx
        push    esi
        mov     esi, 0xE0000
.scan:  cmp     dword [esi], 'RSD '
        jne     .skip
        cmp     dword [esi + 4], 'PTR '
        jne     .skip
        mov     ecx, 20
        call    sum
        test    al, al
        jz      .rsdp
.skip:  add     esi, 16
        cmp     esi, 0x100000
        jb      .scan
        xor     eax, eax
        jmp     .done
.rsdp:  mov     edx, [esi + 16]                 ; the RSDT
        mov     ecx, [edx + 4]
        sub     ecx, 36
        shr     ecx, 2
        add     edx, 36
.next:  xor     eax, eax
        jecxz   .done
        mov     eax, [edx]
        cmp     [eax], ebx
        je      .done
        add     edx, 4
        dec     ecx
        jmp     .next
.done:  pop     esi
        pop     edx
        pop     ecx
        ret

check_madt:
        mov     ebx, 'APIC'
        call    find_acpi
        test    eax, eax
        CHECK   nz, "MADT listed in the RSDT"
        test    eax, eax
        jz      .out
        mov     esi, eax
        mov     ecx, [esi + 4]
        call    sum
        test    al, al
        CHECK   z, "MADT checksum"
        mov     ebp, [esi + 4]
        add     ebp, esi                        ; the end
        lea     edi, [esi + 44]
        xor     ebx, ebx                        ; APIC IDs seen
        xor     ecx, ecx                        ; local APIC entries
        xor     edx, edx                        ; trouble
.entry: cmp     edi, ebp
        jae     .walked
        cmp     byte [edi], 0
        jne     .next
        inc     ecx
        movzx   eax, byte [edi + 3]             ; APIC ID
        cmp     al, [edi + 2]                   ; = ACPI processor ID
        je      .same
        inc     edx
.same:  bts     ebx, eax
        jnc     .fresh
        inc     edx
.fresh: test    byte [edi + 4], 1               ; enabled
        jnz     .next
        inc     edx
.next:  movzx   eax, byte [edi + 1]
        test    eax, eax
        jz      .broken
        add     edi, eax
        jmp     .entry
.broken:
        inc     edx
.walked:
        test    edx, edx
        CHECK   z, "MADT local APICs enabled, once each, ACPI ID = APIC ID"
        cmp     ecx, [ncpus]
        CHECK   e, "MADT: N local APIC entries"
        cmp     ebx, [all_ids]
        CHECK   e, "MADT: APIC IDs 0 to N-1"
.out:   ret

check_dsdt:
        mov     ebx, 'FACP'
        call    find_acpi
        test    eax, eax
        jz      .none
        mov     esi, [eax + 40]                 ; the DSDT
        cmp     dword [esi], 'DSDT'
        je      .have
.none:  test    esp, esp                        ; ZF=0: not found
        CHECK   z, "DSDT found through the FADT"
        ret
.have:  mov     ecx, [esi + 4]
        call    sum
        test    al, al
        CHECK   z, "DSDT checksum"
        ; Processor objects: 5Bh 83h, PkgLength, \_PR_.CPUn, ID
        mov     ebp, [esi + 4]
        add     ebp, esi
        lea     edi, [esi + 36]
        xor     ebx, ebx
        xor     ecx, ecx
.scan:  lea     eax, [edi + 14]
        cmp     eax, ebp
        ja      .done
        cmp     word [edi], 0x835B
        jne     .skip
        cmp     dword [edi + 5], '_PR_'
        jne     .skip
        inc     ecx
        movzx   eax, byte [edi + 13]
        bts     ebx, eax
.skip:  inc     edi
        jmp     .scan
.done:  cmp     ecx, [ncpus]
        CHECK   e, "DSDT: N Processor objects"
        cmp     ebx, [all_ids]
        CHECK   e, "DSDT: processor IDs 0 to N-1"
        ret

msg_start: db "smp_tables: the MP table, MADT and DSDT list the CPUs", 10, 0
msg_bad_n: db "FAIL the command line does not end in a CPU count 1-8", 10, 0
        align   4
fail_count: dd 0
ncpus:      dd 0
all_ids:    dd 0
mp_cpus:    dd 0
seen_other: db 0
        align   4
load_end:
bss_end         equ     load_end + 8192
stack_top       equ     bss_end
