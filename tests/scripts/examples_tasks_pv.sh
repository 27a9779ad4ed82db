#!/bin/bash
# examples_tasks_pv.sh BUILD SHARED -- examples/tasks-pv, the paravirtual
# variant of examples/tasks, against the original (tools/pv-compare.sh,
# interpreter, deterministic): both end with status 0, the debug-console
# output is the same (tick numbers and code addresses masked), the PV
# kernel's hypercalls are counted per call (one console call per line,
# set IF and halt once each) and it writes less than half as many ports.
set -u
. "$(dirname "$0")/examples_common.inc" "${1:-build}" examples_tasks_pv || exit 1
T=$OUT/table
if tools/pv-compare.sh "$BUILD" interp > "$T"; then
    pass "the outputs agree: $(tail -n 1 "$T")"
else
    fail "pv-compare: $(tail -n 1 "$T")"
fi
col() { awk -v k="$1" -v c="$2" 'index($0, k) == 1 { print $(NF - 2 + c) }' "$T"; }
check() {   # check LABEL COLUMN(1 tasks, 2 tasks-pv) OP WANT
    local v
    v=$(col "$1" "$2")
    if [ -n "$v" ] && [ "$v" "$3" "$4" ]; then pass "$1 (column $2): $v $3 $4"
    else fail "$1 (column $2): '$v', want $3 $4"; fi
}
check "exit status" 1 -eq 0
check "exit status" 2 -eq 0
check "  hypercall console" 1 -eq 0
check "  hypercall console" 2 -ge 15
check "  hypercall set IF" 2 -eq 1
check "  hypercall halt" 2 -eq 1
check "  hypercall disk read" 2 -eq "$(col "  hypercall disk read" 1)"
w1=$(col "port writes" 1) w2=$(col "port writes" 2)
if [ -n "$w1" ] && [ -n "$w2" ] && [ $((w2 * 2)) -lt "$w1" ]; then
    pass "port writes: $w1 unmodified, $w2 paravirtual"
else
    fail "port writes: '$w1' unmodified, '$w2' paravirtual"
fi
cat "$T"
finish
