; io_roundtrip.asm -- the port-I/O round-trip microbenchmark of
; tests/bench.sh: N byte OUTs to one port, then the exit port (x86lab's
; exit status 1).  N (a dword at 0000:0600) and the port (a word at
; 0000:0604) are loaded beside it with --load, so one binary measures
; both a port x86lab's devices serve (0x80, POST codes: every OUT is a KVM
; exit to x86lab) and the PIC's mask register (0x21: a KVM exit to x86lab
; with devices in user space, served inside KVM with --kvm-irqchip).
%include "lib.inc"

        org     0x7c00
        bits    16
start:
        cli
        xor     ax, ax
        mov     ds, ax
        mov     ecx, [0x600]
        mov     dx, [0x604]
        mov     al, 0xFF                ; for 0x21: every IRQ stays masked
        jecxz   .done
.out:   out     dx, al
        dec     ecx
        jnz     .out
.done:  mov     al, EXIT_PASS
        out     EXITPORT, al
        hlt
