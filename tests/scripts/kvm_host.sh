#!/bin/bash
# kvm_host.sh BUILD SHARED -- the KVM engine on THIS host, outside the
# sandbox: whatever /dev/kvm is here (missing, unopenable, a backend that
# cannot run 32-bit paged guests, or a real one), `--engine=kvm` must
# either run the demo guest (exit status 1) or exit 2 with one sentence
# saying why and what to use instead, never crash; `--engines` must give
# kvm a line that says available, or unavailable with the same reason.
set -u
BUILD=${1:-build}
cd "$(dirname "$0")/../.." || exit 1
X=$BUILD/x86lab
G=$BUILD/tests/guest/hello.bin
DIR=$BUILD/kvm-host
mkdir -p "$DIR"
failures=0
pass() { echo "ok   $*"; }
fail() { echo "FAIL $*"; failures=$((failures + 1)); }

"$X" --engines > "$DIR/engines.out" 2>&1
st=$?
line=$(grep '^kvm ' "$DIR/engines.out")
[ $st -eq 0 ] && [ -n "$line" ] && pass "--engines lists kvm: $line" || fail "--engines: exit $st, no kvm line"

timeout 120 "$X" -m 16 --load "$G@0x7c00" --entry 0:0x7c00 --engine=kvm --max-insns 2000000000 \
    > "$DIR/run.out" 2> "$DIR/run.err" < /dev/null
st=$?
if [ $st -eq 1 ]; then
    [[ $line == *": available"* ]] && pass "--engine=kvm runs the demo guest here (exit 1)" \
        || fail "--engine=kvm ran although --engines says: $line"
elif [ $st -eq 2 ]; then
    msg=$(cat "$DIR/run.err")
    n=$(wc -l < "$DIR/run.err")
    [ "$n" -eq 1 ] && pass "--engine=kvm refused in one line: $msg" || fail "--engine=kvm: $n lines on stderr"
    [[ $msg == *"--engine=interp"* ]] && pass "the message names what to use instead" \
        || fail "the message does not say what to use instead: $msg"
    reason=${line#*unavailable: }
    [[ $line == *"unavailable: "* ]] && [[ $msg == *"$reason"* ]] && pass "--engines gives the same reason" \
        || fail "--engines and --engine=kvm disagree: '$line' vs '$msg'"
else
    fail "--engine=kvm: exit status $st (want 1, or 2 with a reason)"
    head -n 5 "$DIR/run.err"
fi

# A bad combination is refused in words too, never a crash.
"$X" --engine=kvm --kvm-irqchip --engines > /dev/null 2>&1
st=$?
[ $st -lt 128 ] && pass "--kvm-irqchip parses (exit $st)" || fail "--kvm-irqchip: exit $st"

if [ $failures -eq 0 ]; then echo "kvm_host: passed"; exit 0; fi
echo "kvm_host: $failures failed"
exit 1
