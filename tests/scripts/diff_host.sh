#!/bin/bash
# diff_host.sh BUILD SHARED -- the differential tester (tests/diff) with the
# host CPU as the oracle: 1,000,000 random instruction sequences (fixed
# seed) run in x86lab's interpreter and natively, zero mismatches allowed.
# Then the tester itself is checked: with a made-up target bug
# (--inject-bug: EAX bit 0 wrong after ADC Ev,Gv) it must fail, shrink the
# mismatch to that one instruction and print it, and the printed
# reproduction (--seed/--first/--count 1) must find it again.
set -u
BUILD=${1:-build}
D=$BUILD/tests/diff/difftest
[ -x "$D" ] || { echo "FAIL $D is missing (run make BUILD=$BUILD first)"; exit 1; }
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fails=0
ok() { echo "ok   $*"; }
bad() { echo "FAIL $*"; fails=$((fails + 1)); }

"$D" --count 1000000 > "$T/main.out" 2>&1
s=$?
cat "$T/main.out"
if [ $s -eq 0 ] && grep -q '^0 mismatches' "$T/main.out" &&
   grep -q '^1000000 sequences' "$T/main.out"; then
    ok "1000000 sequences agree with the host CPU"
else
    bad "differential run vs the host: exit status $s"
fi

"$D" --count 3000 --inject-bug --show 1 > "$T/inj.out" 2>&1
s=$?
# The first mismatch's minimal sequence: the lines between MISMATCH and the
# first "ran to the end"/"exception" line.
minimal=$(sed -n '/^MISMATCH/,/^    x86lab/p' "$T/inj.out" | sed -n '2,$p' | grep -v '^    x86lab')
if [ $s -eq 1 ] && [ "$(echo "$minimal" | wc -l)" -eq 1 ] && echo "$minimal" | grep -q ' adc '; then
    ok "an injected bug is found and shrunk to one instruction: $(echo "$minimal" | sed 's/  */ /g')"
else
    bad "injected bug: exit status $s, minimal sequence: $minimal"
fi
repro=$(sed -n 's/.*reproduce: \(--seed [0-9]* --first [0-9]* --count 1\).*/\1/p' "$T/inj.out" | head -n 1)
# shellcheck disable=SC2086
if [ -n "$repro" ] && "$D" $repro --inject-bug > "$T/repro.out" 2>&1; then
    bad "the printed reproduction ($repro) did not fail again"
elif [ -n "$repro" ] && grep -q '^1 mismatches' "$T/repro.out"; then
    ok "the printed reproduction ($repro) finds it again"
else
    bad "no reproduction line in the output"
fi

if [ $fails -eq 0 ]; then
    echo "3 passed, 0 failed"
    exit 0
fi
echo "$((3 - fails)) passed, $fails failed"
exit 1
