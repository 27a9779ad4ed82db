#!/bin/bash
# diff_bt.sh BUILD SHARED -- the differential tester (tests/diff) with the
# binary translator as the target: 1,000,000 random instruction sequences
# (fixed seed; the 32-bit mix with memory operands that cross a page
# boundary and fault, PUSH/POP, near transfers) run in the interpreter and
# in a second machine under --engine=bt at threshold 0, comparing every
# register, the defined flags, the buffer and the exception taken.  Zero
# mismatches allowed.  Then the regression that found the AF bug (INC/DEC
# after a logic op) is run alone, so that it is named if it comes back.
set -u
BUILD=${1:-build}
D=$BUILD/tests/diff/difftest
[ -x "$D" ] || { echo "FAIL $D is missing (run make BUILD=$BUILD first)"; exit 1; }
COUNT=${DIFF_BT_COUNT:-1000000}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fails=0
ok() { echo "ok   $*"; }
bad() { echo "FAIL $*"; fails=$((fails + 1)); }

"$D" --target=bt --seed 1 --first 45646 --count 1 > "$T/af.out" 2>&1
s=$?
if [ $s -eq 0 ] && grep -q '^0 mismatches' "$T/af.out"; then
    ok "rcr edx,1; and eax,eax; dec ebx: AF after INC/DEC as the interpreter"
else
    cat "$T/af.out"
    bad "AF after INC/DEC following a logic op (seed 1, sequence 45646): exit status $s"
fi

start=$(date +%s.%N)
"$D" --target=bt --seed 1 --count "$COUNT" > "$T/main.out" 2>&1
s=$?
end=$(date +%s.%N)
grep -v '^x86lab:' "$T/main.out" | tail -n 40
if [ $s -eq 0 ] && grep -q '^0 mismatches' "$T/main.out" &&
   grep -q "^$COUNT sequences" "$T/main.out"; then
    ok "$COUNT sequences agree between the interpreter and the translator ($(awk "BEGIN{printf \"%.1f\", $end - $start}") s)"
else
    bad "differential run vs the translator: exit status $s"
fi

if [ $fails -eq 0 ]; then
    echo "2 passed, 0 failed"
    exit 0
fi
echo "$((2 - fails)) passed, $fails failed"
exit 1
