#!/bin/bash
# debug_sigint.sh BUILD SHARED -- the monitor under --debug-script on a
# real-mode guest (tests/debugger/rmguest.asm): `next` runs an INT 80h
# handler through (CX set by the handler, the stop after the INT), and
# SIGINT during `continue` stops the guest back in the monitor (instead of
# ending x86lab), which then runs the rest of the script.
set -u
BUILD=$(cd "${1:-build}" && pwd) || exit 1
HERE=$(cd "$(dirname "$0")/../debugger" && pwd) || exit 1
X86LAB=$BUILD/x86lab
DIR=$BUILD/debug_sigint
mkdir -p "$DIR"
failures=0
pass() { echo "ok   $*"; }
fail() { echo "FAIL $*"; failures=$((failures + 1)); }

[ -x "$X86LAB" ] || { echo "FAIL $X86LAB missing"; exit 1; }
nasm -f bin "$HERE/rmguest.asm" -o "$DIR/rmguest.bin" || { echo "FAIL nasm"; exit 1; }

OUT=$DIR/session.out
"$X86LAB" -m 4 --load "$DIR/rmguest.bin@0x7c00" --entry 0:0x7c00 \
    --debug-script "$HERE/sigint.script" > "$OUT" 2>&1 < /dev/null &
pid=$!
# Wait until the guest runs the loop (the script's `continue` echoed).
for _ in $(seq 100); do
    grep -q '^(x86lab) continue' "$OUT" 2>/dev/null && break
    sleep 0.05
done
sleep 0.3
kill -INT $pid
for _ in $(seq 100); do
    kill -0 $pid 2>/dev/null || break
    sleep 0.05
done
if kill -0 $pid 2>/dev/null; then
    kill -KILL $pid
    fail "x86lab still running 5 s after SIGINT"
fi
wait $pid
status=$?

[ $status -eq 0 ] && pass "quit from the script after SIGINT: exit status 0" ||
    fail "exit status $status (want 0: the script's quit)"
grep -q '^=>  0000:7c10 0x00007c10: cd 80 ' "$OUT" && pass "step 4 stops at the INT 80h" ||
    fail "step 4: no stop at 0000:7c10"
grep -q '^=>  0000:7c12 0x00007c12: bb 01 00 ' "$OUT" && pass "next runs the handler through, stops after the INT" ||
    fail "next: no stop at 0000:7c12"
grep -q '^eax=00000000 ebx=00000000 ecx=00005678' "$OUT" && pass "the handler ran (CX=5678)" ||
    fail "CX after next is not 5678"
grep -q '^stopped by the user$' "$OUT" && pass "SIGINT stopped the guest into the monitor" ||
    fail "no 'stopped by the user' after SIGINT"
n=$(grep -c '^eip=' "$OUT")
[ "$n" -eq 2 ] && grep -q 'ebx=00000001' "$OUT" && pass "registers after the stop (BX=1, in the loop)" ||
    fail "registers after SIGINT: $n register views"
grep -q 'x86lab: quit at the user.s request' "$OUT" && pass "the script's quit ended the run" ||
    fail "no quit message"

[ $failures -eq 0 ] && echo "debug_sigint: all checks passed" || { echo "debug_sigint: $failures failed"; sed 's/^/    /' "$OUT" | head -40; }
[ $failures -eq 0 ]
