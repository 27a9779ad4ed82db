; regions.asm -- the region-marking ports (docs/regions.md): port 0xEB
; reads back how many regions are open, BEGIN and END nest, the data port
; 0xEC keeps a dword, and a stray END (none open) is refused without
; harm.  tests/scripts/compare_regions.sh runs this program again with
; --stats-json and checks what the machine recorded: the names ("outer",
; "inner", then an unnamed one), the depths, the operation count and the
; 64-bit cycle value attached to "inner", and one bad mark.
        org     0x7c00
        bits    16

%include "lib.inc"

%macro NAME 1
        mov     si, %%s
        call    send_name
        jmp     %%e
%%s:    db      %1, 0
%%e:
%endmacro

start:
        START16
        in      al, 0xEB
        cmp     al, 0
        CHECK16 e, "no region open at the start"
        NAME    "outer"
        mov     al, 1
        out     0xEB, al                ; BEGIN outer
        in      al, 0xEB
        cmp     al, 1
        CHECK16 e, "one region open after BEGIN"
        NAME    "inner"
        mov     al, 1
        out     0xEB, al                ; BEGIN inner
        mov     cx, 100
.loop:  nop
        loop    .loop
        in      al, 0xEB
        cmp     al, 2
        CHECK16 e, "two regions open after a nested BEGIN"
        mov     al, 2
        out     0xEB, al                ; END inner
        mov     eax, 100
        out     0xEC, eax
        mov     al, 3
        out     0xEB, al                ; inner: 100 operations
        mov     eax, 0x89ABCDEF
        out     0xEC, eax
        in      eax, 0xEC
        cmp     eax, 0x89ABCDEF
        CHECK16 e, "the data port keeps a dword"
        mov     al, 4
        out     0xEB, al                ; inner: cycles low
        mov     eax, 0x1
        out     0xEC, eax
        mov     al, 5
        out     0xEB, al                ; inner: cycles high
        mov     al, 2
        out     0xEB, al                ; END outer
        in      al, 0xEB
        cmp     al, 0
        CHECK16 e, "none open after two ENDs"
        mov     al, 1
        out     0xEB, al                ; BEGIN, no name: "region2"
        mov     al, 2
        out     0xEB, al
        out     0xEB, al                ; END with none open: refused
        in      al, 0xEB
        cmp     al, 0
        CHECK16 e, "a stray END leaves none open"
        FINISH16

; send_name: the zero-terminated string at DS:SI to port 0xEA.
send_name:
        pusha
        mov     al, 0
        out     0xEA, al                ; start a new name
.next:  lodsb
        test    al, al
        jz      .done
        out     0xEA, al
        jmp     .next
.done:  popa
        ret

        LIB16
fails:  dw      0
