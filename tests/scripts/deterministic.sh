#!/bin/bash
# deterministic.sh BUILD SHARED -- --deterministic makes a run repeatable.
# The timing guest (dev_uart_timing) prints on COM1 how many times it
# polled LSR while characters went out and came in at 9600 baud, counts
# that depend on how virtual time relates to instructions.  Checks: two
# --deterministic runs with the same input give byte-identical serial
# output and the same instruction count (--stats); all the input came
# through; the interrupt-driven guests (dev_uart_irq, dev_uart_echo) give
# identical counts too; and two runs on host time give different output,
# so the comparison would catch time leaking into a deterministic run.
set -u
BUILD=${1:-build}
X=$BUILD/x86lab
G=$BUILD/tests/guest
for f in "$X" "$G/dev_uart_timing.bin" "$G/dev_uart_irq.bin" "$G/dev_uart_echo.bin"; do
    [ -e "$f" ] || { echo "FAIL $f is missing (run make BUILD=$BUILD first)"; exit 1; }
done
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fails=0
ok() { echo "ok   $*"; }
bad() { echo "FAIL $*"; fails=$((fails + 1)); }

printf 'the quick brown fox.' > "$T/in"

# run NAME GUEST ARGS...: stdin from $T/in, --stats on stderr.
run() {
    local name=$1 guest=$2
    shift 2
    timeout 120 "$X" -m 16 --load "$G/$guest.bin@0x7c00" --entry 0:0x7c00 --stats \
        -debugcon "file:$T/$name.dbg" "$@" < "$T/in" > "$T/$name.out" 2> "$T/$name.err"
    echo $? > "$T/$name.status"
}
insns() { sed -n 's/^x86lab: \([0-9]*\) instructions in .*/\1/p' "$T/$1.err"; }

run d1 dev_uart_timing --deterministic -serial stdio
run d2 dev_uart_timing --deterministic -serial stdio
for r in d1 d2; do
    s=$(cat "$T/$r.status")
    [ "$s" -eq 1 ] || bad "run $r: exit status $s: $(head -c 300 "$T/$r.err") $(grep FAIL "$T/$r.dbg")"
done
if cmp -s "$T/d1.out" "$T/d2.out"; then
    ok "two --deterministic runs: identical serial output ($(wc -c < "$T/d1.out") bytes)"
else
    bad "serial output differs between --deterministic runs:"
    diff <(tr -d '\r' < "$T/d1.out") <(tr -d '\r' < "$T/d2.out") | head -n 6
fi
n1=$(insns d1) n2=$(insns d2)
if [ -n "$n1" ] && [ "$n1" = "$n2" ]; then
    ok "same instruction count: $n1"
else
    bad "instruction counts differ: '$n1' vs '$n2'"
fi
rx=$(tr -d '\r' < "$T/d1.out" | sed -n 's/^rx polls: //p' | tr ' ' '\n' | sed -n 's/^[0-9a-f]*=//p' | tr -d '\n')
# (the space of "quick brown" is lost to the split above, so compare without spaces)
if [ "$rx" = "thequickbrownfox." ]; then
    ok "every input byte came through, with a poll count each"
else
    bad "received '$rx', want the input"
fi
if tr -d '\r' < "$T/d1.out" | grep -Eq '^tx polls: 00000000 00000000 ([0-9a-f]{8} ){14}$'; then
    ok "16 transmit counts: $(tr -d '\r' < "$T/d1.out" | sed -n 's/^tx polls: //p' | cut -c1-60)..."
else
    bad "no transmit counts in: $(head -c 300 "$T/d1.out")"
fi

# guest, its exit status, and whether COM1 is on stdio
for spec in "dev_uart_irq 1 none" "dev_uart_echo 1 stdio"; do
    read -r guest want serial <<< "$spec"
    run "${guest}1" $guest --deterministic -serial $serial
    run "${guest}2" $guest --deterministic -serial $serial
    a=$(insns "${guest}1") b=$(insns "${guest}2")
    s1=$(cat "$T/${guest}1.status") s2=$(cat "$T/${guest}2.status")
    if [ -n "$a" ] && [ "$a" = "$b" ] && [ "$s1" = "$want" ] && [ "$s2" = "$want" ] &&
       cmp -s "$T/${guest}1.out" "$T/${guest}2.out" &&
       cmp -s "$T/${guest}1.dbg" "$T/${guest}2.dbg"; then
        ok "$guest twice: same instruction count ($a), output and status ($s1)"
    else
        bad "$guest: counts '$a'/'$b', status $s1/$s2, or output differ"
    fi
done

# Host time: the same guest must not repeat itself (else this test could
# not notice a broken --deterministic).
run h1 dev_uart_timing -serial stdio
run h2 dev_uart_timing -serial stdio
if cmp -s "$T/h1.out" "$T/h2.out"; then
    bad "two runs on host time printed the same counts: the guest does not depend on time"
else
    ok "on host time the counts differ between runs ($(insns h1) vs $(insns h2) instructions)"
fi
if cmp -s "$T/d1.out" "$T/h1.out"; then
    bad "host time and --deterministic gave the same output"
fi

[ $fails -eq 0 ] && echo "deterministic: all checks passed" || echo "deterministic: $fails failed"
exit $((fails != 0))
