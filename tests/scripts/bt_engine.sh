#!/bin/bash
# bt_engine.sh BUILD SHARED -- the binary translator against the
# interpreter, whole runs: with --deterministic, guests run under
# --engine=bt --bt-threshold=0 give byte-identical output and the same
# instruction count (--stats) as under the interpreter (the translator
# counts exactly); the code-generating guest (bt_flush) really fills a
# 1 MiB cache and flushes it; and the translator's statistics show
# translated instructions, chained exits and the trap classes; -d out_asm
# logs each block as it is translated (guest and host code side by side).
set -u
BUILD=${1:-build}
X=$BUILD/x86lab
G=$BUILD/tests/guest
GUESTS="bt_flush bt_timer bt_smc bt_faults bt_cr3 dev_pic_irq0 dev_pit_modes paging_basic pm_v86"
for f in "$X" $(for g in $GUESTS; do echo "$G/$g.bin"; done); do
    [ -e "$f" ] || { echo "FAIL $f is missing (run make BUILD=$BUILD first)"; exit 1; }
done
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fails=0
ok() { echo "ok   $*"; }
bad() { echo "FAIL $*"; fails=$((fails + 1)); }

# run OUT GUEST ARGS...: debug console in OUT.con, --stats in OUT.err.
run() {
    local out=$1 guest=$2
    shift 2
    timeout 120 "$X" -m 16 --load "$G/$guest.bin@0x7c00" --entry 0:0x7c00 --stats \
        --deterministic --max-insns 50000000 -debugcon "file:$out.con" "$@" \
        > /dev/null 2> "$out.err" < /dev/null
    echo $? > "$out.status"
}
insns() { sed -n 's/^x86lab: \([0-9]*\) instructions.*/\1/p' "$1.err"; }

for g in $GUESTS; do
    run "$T/$g.interp" "$g" --engine=interp --bt-cache-size=1
    run "$T/$g.bt" "$g" --engine=bt --bt-threshold=0 --bt-cache-size=1
    a=$(insns "$T/$g.interp") b=$(insns "$T/$g.bt")
    if [ "$(cat "$T/$g.interp.status")" = 1 ] && [ "$(cat "$T/$g.bt.status")" = 1 ]; then
        ok "$g passes under both engines"
    else
        bad "$g: exit status interp $(cat "$T/$g.interp.status"), bt $(cat "$T/$g.bt.status")"
    fi
    if [ -n "$a" ] && [ "$a" = "$b" ]; then
        ok "$g: the same instruction count ($a)"
    else
        bad "$g: instruction counts differ (interp '$a', bt '$b')"
    fi
    if cmp -s "$T/$g.interp.con" "$T/$g.bt.con"; then
        ok "$g: byte-identical output"
    else
        bad "$g: output differs"
        diff "$T/$g.interp.con" "$T/$g.bt.con" | head -5
    fi
done

flushes=$(sed -n 's/.*blocks invalidated, \([0-9]*\) cache flushes.*/\1/p' "$T/bt_flush.bt.err")
if [ "${flushes:-0}" -ge 2 ]; then
    ok "bt_flush filled the 1 MiB cache: $flushes flushes"
else
    bad "bt_flush: expected cache flushes, the report says '${flushes:-nothing}'"
fi
share=$(sed -n 's/.*interpreted (\([0-9.]*\)% translated).*/\1/p' "$T/bt_flush.bt.err")
if awk -v s="${share:-0}" 'BEGIN { exit !(s > 99) }'; then
    ok "bt_flush ran ${share}% of its instructions translated"
else
    bad "bt_flush: share translated '${share:-?}'"
fi
patches=$(sed -n 's/.*translator: \([0-9]*\) chain patches.*/\1/p' "$T/bt_timer.bt.err")
if [ "${patches:-0}" -gt 0 ]; then
    ok "bt_timer chained $patches exits"
else
    bad "bt_timer: no chained exits"
fi
if grep -q "translator trap port I/O" "$T/bt_timer.bt.err" &&
   grep -q "translator trap page fault" "$T/bt_faults.bt.err"; then
    ok "traps are counted by class (port I/O, page fault)"
else
    bad "trap classes missing from the report"
fi
# -d out_asm: the translation view of each new block in the log.
run "$T/out_asm" bt_cr3 --engine=bt --bt-threshold=0 -d out_asm -D "$T/out_asm.log"
nblocks=$(grep -c '^OUT: translated block' "$T/out_asm.log" 2>/dev/null)
if [ "$(cat "$T/out_asm.status")" = 1 ] && [ "${nblocks:-0}" -gt 5 ] &&
   grep -q '^  \[COPIED    \]' "$T/out_asm.log" && grep -q '^  \[TRANSLATED\]' "$T/out_asm.log" &&
   grep -q '^  \[TRAPPED   \]' "$T/out_asm.log" && grep -q '| .*  mov  *r12d\|lea  *r8d' "$T/out_asm.log"; then
    ok "-d out_asm: $nblocks blocks logged with COPIED/TRANSLATED/TRAPPED guest code and host code"
else
    bad "-d out_asm: status $(cat "$T/out_asm.status"), ${nblocks:-0} blocks in the log"
fi

if [ $fails -eq 0 ]; then
    echo "bt_engine: all checks passed"
    exit 0
fi
echo "bt_engine: $fails checks failed"
exit 1
