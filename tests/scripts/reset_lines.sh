#!/bin/bash
# reset_lines.sh BUILD SHARED -- the ways a guest resets the PC, each ending
# the run under -no-reboot: the 8042's pulse command 0xFE, its output port
# (0xD1 with bit 0 clear), port 0x92 bit 0 and port 0xCF9 (0x06).  For each
# a small guest (assembled here from the source below) first makes the
# writes that must NOT reset (8042 0xFF, 0xD1 with bit 0 set, 0x92 with
# bit 0 clear, 0xCF9 = 0x02) and says "alive", then resets and would
# print "after" and exit with EXIT_PASS if it went on.  Checked: exit
# status 0, the "guest requested a reset" message, "alive" without
# "after".  Also --trace=post: the POST codes written to port 0x80 appear
# on stderr as "POST xx" (and only with the option), port 0x80 reads the
# last code back, and --trace with an unknown name is refused (status 2).
set -u
BUILD=$(cd "${1:-build}" && pwd) || exit 1
cd "$(dirname "$0")/../.." || exit 1
X86LAB=$BUILD/x86lab
DIR=$BUILD/reset_lines
mkdir -p "$DIR"
failures=0

pass() { echo "ok   $*"; }
fail() { echo "FAIL $*"; failures=$((failures + 1)); }

cat > "$DIR/reset.asm" <<'ASM'
        org     0x7c00
        bits    16
%include "lib.inc"
start:  cli
        xor     ax, ax
        mov     ds, ax
        mov     ss, ax
        mov     sp, 0x7c00
        mov     al, 0x12                   ; POST codes, read back
        out     0x80, al
        mov     al, 0xAB
        out     0x80, al
        in      al, 0x80
        cmp     al, 0xAB
        jne     .nopost
        mov     si, postok
        call    puts16
.nopost:
%if METHOD == 1
        mov     al, 0xFF                   ; pulses nothing
        out     0x64, al
        call    alive
        mov     al, 0xFE                   ; pulses the reset line
        out     0x64, al
%elif METHOD == 2
        mov     al, 0xD1
        out     0x64, al
        mov     al, 0xDF                   ; bit 0 set: no reset
        out     0x60, al
        call    alive
        mov     al, 0xD1
        out     0x64, al
        mov     al, 0xDE                   ; bit 0 clear: reset
        out     0x60, al
%elif METHOD == 3
        mov     al, 0x02                   ; bit 0 clear: no reset
        out     0x92, al
        call    alive
        mov     al, 0x03                   ; 0 -> 1: fast reset
        out     0x92, al
%elif METHOD == 4
        mov     dx, 0xCF9
        mov     al, 0x02                   ; hard reset selected, not started
        out     dx, al
        in      al, dx
        cmp     al, 0x02
        jne     .no
        call    alive
.no:    mov     al, 0x06                   ; bit 2: reset
        out     dx, al
%endif
        mov     si, after
        call    puts16
        mov     al, EXIT_PASS
        jmp     exit16
alive:  mov     si, alivem
        jmp     puts16
        LIB16
alivem: db "alive", 10, 0
after:  db "after the reset", 10, 0
postok: db "post readback ok", 10, 0
ASM

names=("" "8042 command 0xFE" "8042 output port 0xD1 bit 0" "port 0x92 bit 0" "port 0xCF9 0x06")
for method in 1 2 3 4; do
    bin=$DIR/reset$method.bin
    if ! nasm -f bin -I tests/guest/ -DMETHOD=$method "$DIR/reset.asm" -o "$bin"; then
        fail "${names[$method]}: the guest does not assemble"
        continue
    fi
    out=$DIR/reset$method.out err=$DIR/reset$method.err
    "$X86LAB" -m 16 --load "$bin@0x7c00" --entry 0:0x7c00 --max-insns 1000000 -no-reboot \
        --trace=post > "$out" 2> "$err" < /dev/null
    status=$?
    if [ $status -eq 0 ] && grep -q "guest requested a reset" "$err" &&
       grep -q '^alive$' "$out" && ! grep -q after "$out"; then
        pass "${names[$method]}: the run ends with a reset request (status 0), not before, not after"
    else
        fail "${names[$method]}: status $status (want 0); stdout: $(tr '\n' '|' < "$out") stderr: $(tr '\n' '|' < "$err")"
    fi
done

# POST codes: in order on stderr with --trace=post, read back at port 0x80
err=$DIR/reset1.err out=$DIR/reset1.out
if [ "$(grep '^POST' "$err" | tr '\n' ' ')" = "POST 12 POST ab " ]; then
    pass "--trace=post prints POST 12, POST ab"
else
    fail "--trace=post: stderr was: $(tr '\n' '|' < "$err")"
fi
if grep -q "post readback ok" "$out"; then
    pass "port 0x80 reads back the last POST code"
else
    fail "port 0x80 readback: $(tr '\n' '|' < "$out")"
fi
"$X86LAB" -m 16 --load "$DIR/reset1.bin@0x7c00" --entry 0:0x7c00 --max-insns 1000000 \
    > /dev/null 2> "$DIR/notrace.err" < /dev/null
if ! grep -q '^POST' "$DIR/notrace.err"; then
    pass "no POST lines without --trace=post"
else
    fail "POST lines without --trace: $(tr '\n' '|' < "$DIR/notrace.err")"
fi
"$X86LAB" --trace=post,bogus > /dev/null 2> "$DIR/bad.err" < /dev/null
status=$?
if [ $status -eq 2 ] && grep -q -- "--trace: unknown trace 'bogus'" "$DIR/bad.err"; then
    pass "--trace=post,bogus is refused with status 2 and names 'bogus'"
else
    fail "--trace=post,bogus: status $status, stderr: $(cat "$DIR/bad.err")"
fi

[ $failures -eq 0 ] && echo "reset_lines: all checks passed" || echo "reset_lines: $failures failed"
[ $failures -eq 0 ]
