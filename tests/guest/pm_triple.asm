; pm_triple.asm -- a triple fault: with an IDT too small for any vector,
; INT3 raises #GP, delivering it raises #GP again (#DF), and delivering
; the #DF faults once more: the processor shuts down.
; EXPECTED RESULT: x86lab exits with status 3 ("guest triple-faulted");
; if execution goes on instead, the test exits with status 5.
%include "pm_lib.inc"

test_main:
        mov     esi, msg
        call    puts32
        lidt    [tiny_idtr]
        int3
        mov     esi, fail
        call    puts32
        mov     al, 2                   ; status 5: no triple fault
        call    exit32

msg:    db "ok triple fault setup done (expect shutdown, exit status 3)", 10, 0
fail:   db "FAIL execution continued after a triple fault", 10, 0
tiny_idtr:
        dw      7                       ; one gate: vector 0 only
        dd      IDT_BASE
