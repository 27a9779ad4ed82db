; grub_mb.asm -- a tiny Multiboot (version 1) kernel for the boot-loader
; tests (tests/scripts/boot_grub*.sh, boot_syslinux*.sh): a flat binary
; whose header carries its load addresses (flag 16, the "a.out kludge"), so
; no ELF is needed.  It checks what the loader hands over (EAX magic, the
; information structure's memory fields and command line) and says so on
; the debug console (port E9h) and COM1, then exits through port F4h with
; 0 (x86lab status 1) when everything was right, 1 (status 3) otherwise.
        bits    32
        org     0x100000

MB_MAGIC        equ     0x1BADB002
MB_FLAGS        equ     0x00010003      ; page-aligned modules, memory info, addresses
LOADER_MAGIC    equ     0x2BADB002
COM1            equ     0x3F8

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
        mov     ebp, ebx                ; the Multiboot information
        mov     esi, msg_hello
        call    puts
        xor     edi, edi                ; failures
        cmp     eax, LOADER_MAGIC
        je      .magic_ok
        inc     edi
        mov     esi, msg_bad_magic
        call    puts
.magic_ok:
        test    byte [ebp], 0x01        ; mem_lower / mem_upper valid
        jz      .no_mem
        mov     esi, msg_mem
        call    puts
        mov     eax, [ebp + 4]
        call    putdec
        mov     esi, msg_kib_lower
        call    puts
        mov     eax, [ebp + 8]
        call    putdec
        mov     esi, msg_kib_upper
        call    puts
        cmp     dword [ebp + 4], 600    ; 639 KiB expected
        jae     .cmdline
.no_mem:
        inc     edi
        mov     esi, msg_bad_mem
        call    puts
.cmdline:
        test    byte [ebp], 0x04        ; cmdline valid
        jz      .done
        mov     esi, msg_cmdline
        call    puts
        mov     esi, [ebp + 16]
        call    puts
        mov     esi, msg_nl
        call    puts
.done:  mov     esi, msg_pass
        test    edi, edi
        jz      .say
        mov     esi, msg_fail
.say:   call    puts
        mov     eax, edi
        out     0xF4, al
        cli
.halt:  hlt
        jmp     .halt

; puts: the NUL-terminated string at ESI to port E9h and COM1.
puts:   push    eax
.next:  lodsb
        test    al, al
        jz      .done
        call    putc
        jmp     .next
.done:  pop     eax
        ret

putc:   push    edx
        push    eax
        out     0xE9, al
        mov     dx, COM1 + 5
.wait:  in      al, dx
        test    al, 0x20                ; transmitter holding register empty
        jz      .wait
        pop     eax
        mov     dx, COM1
        out     dx, al
        pop     edx
        ret

; putdec: EAX in decimal.
putdec: pushad
        mov     ebx, 10
        xor     ecx, ecx
.div:   xor     edx, edx
        div     ebx
        push    edx
        inc     ecx
        test    eax, eax
        jnz     .div
.out:   pop     eax
        add     al, '0'
        call    putc
        loop    .out
        popad
        ret

msg_hello:      db      "grub_mb: Multiboot kernel running", 10, 0
msg_bad_magic:  db      "grub_mb: FAIL bad loader magic in EAX", 10, 0
msg_mem:        db      "grub_mb: memory ", 0
msg_kib_lower:  db      " KiB lower, ", 0
msg_kib_upper:  db      " KiB upper", 10, 0
msg_bad_mem:    db      "grub_mb: FAIL no or bad memory information", 10, 0
msg_cmdline:    db      "grub_mb: command line '", 0
msg_nl:         db      "'", 10, 0
msg_pass:       db      "grub_mb: PASS", 10, 0
msg_fail:       db      "grub_mb: FAIL", 10, 0

load_end:

        section .bss                    ; (not in the file: the loader clears it)
        alignb  16
stack:  resb    4096
stack_top:
bss_end:
