#!/bin/bash
# pv-compare.sh [BUILD] [ENGINE] -- examples/tasks and its paravirtual
# variant examples/tasks-pv booted under the same engine (default interp),
# deterministic, with --stats: prints their transitions side by side (port
# I/O, hypercalls by call, translator traps or trap-and-emulate traps) and
# whether the debug-console output agrees (tick numbers and code
# addresses, which differ between the two builds, masked).  Output files
# in BUILD/pv-compare/.  Exit status 0 when the outputs agree.
set -u
BUILD=${1:-build}
ENGINE=${2:-interp}
OUT=$BUILD/pv-compare
mkdir -p "$OUT"
for k in tasks tasks-pv; do
    timeout 120 "$BUILD/x86lab" -fda "$BUILD/examples/$k/$k-floppy.img" -display none \
        --deterministic --engine="$ENGINE" --stats -debugcon "file:$OUT/$k.e9" \
        > /dev/null 2> "$OUT/$k.err" < /dev/null
    echo $? > "$OUT/$k.status"
    sed -e 's/at tick [0-9]*/at tick N/' -e 's/EIP=[0-9A-F]*/EIP=X/' "$OUT/$k.e9" > "$OUT/$k.masked"
done
# figure FILE PATTERN: the number after PATTERN in FILE's --stats (0 if absent).
figure() { sed -n "s|^x86lab: *$2 *\([0-9]*\).*|\1|p" "$1" | head -n 1 | grep . || echo 0; }
row() { printf '%-34s %14s %14s\n' "$1" "$(figure "$OUT/tasks.err" "$2")" "$(figure "$OUT/tasks-pv.err" "$2")"; }
printf '%-34s %14s %14s\n' "engine $ENGINE" "tasks" "tasks-pv"
printf '%-34s %14s %14s\n' "exit status" "$(cat "$OUT/tasks.status")" "$(cat "$OUT/tasks-pv.status")"
row "instructions" ""
printf '%-34s %14s %14s\n' "port writes" \
    "$(sed -n 's/.*port writes \([0-9]*\).*/\1/p' "$OUT/tasks.err")" \
    "$(sed -n 's/.*port writes \([0-9]*\).*/\1/p' "$OUT/tasks-pv.err")"
row "hypercalls (all)" "hypercalls:"
for c in "disk read" console "set IF" "PTE update" "load CR3" ticks halt; do
    row "  hypercall $c" "hypercall $c"
done
for t in "port I/O" "interrupt flag" "halt"; do
    case $ENGINE in
    bt) row "  translator trap $t" "  translator trap $t" ;;
    trap-and-emulate) row "  monitor trap $t" "tae trap $t" ;;
    esac
done
if cmp -s "$OUT/tasks.masked" "$OUT/tasks-pv.masked"; then
    echo "debug console output: the same (ticks and addresses masked)"
else
    echo "debug console output: DIFFERENT (diff $OUT/tasks.masked $OUT/tasks-pv.masked)"
    exit 1
fi
