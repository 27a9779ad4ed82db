#!/bin/bash
# compare_examples.sh BUILD SHARED -- `x86lab compare` on the examples
# under the interpreter and the translator: examples/tasks (ring 3, INT
# 80h, the timer) and examples/hello (through the BIOS).  Checks: both
# engines ran and agree (output, exit status); the terminal table names
# the engines and its rows; the --json figures are consistent: the same
# non-zero instruction count in both deterministic runs, non-zero wall
# time and MIPS, translator traps only in the translator, VM exits only
# under KVM, an engine that did not run listed with its reason; and bad
# invocations fail with one line and status 2 (or 1 when a run fails).
set -u
. "$(dirname "$0")/compare_common.inc" "${1:-build}" compare_examples || exit 1

# consistent FILE: the checks every comparison's JSON must pass.
consistent() {
    local f=$1 tag=$2
    jcheck "$f" "$tag: interp and bt ran" '"interp" in ran and "bt" in ran'
    jcheck "$f" "$tag: outputs and exit statuses agree" 'j["agree"] is True'
    jcheck "$f" "$tag: the same non-zero instruction count in both" \
        'ran["interp"]["instructions"] > 0 and ran["interp"]["instructions"] == ran["bt"]["instructions"] and j["instructions_consistent"]'
    jcheck "$f" "$tag: wall time, MIPS and slowdown non-zero" \
        'all(e["wall_ns"] > 0 and e["mips"] > 0 and e["slowdown"] >= 1 for e in ran.values())'
    jcheck "$f" "$tag: traps only in the translator (and trap-and-emulate), and some there" \
        'ran["bt"]["traps"] and all(not e["traps"] for n, e in ran.items() if n not in ("bt", "trap-and-emulate"))'
    jcheck "$f" "$tag: VM exits only under KVM" \
        'all(not e["exits"] for n, e in ran.items() if n != "kvm") and ("kvm" not in ran or ran["kvm"]["exits"])'
    jcheck "$f" "$tag: an engine not run has a reason" \
        'all(e["ran"] or not e["selected"] or e["why"] or e.get("failure") for e in j["engines"])'
    jcheck "$f" "$tag: time split adds up to the wall time" \
        'all(abs(sum(e["time_ns"].values()) - e["wall_ns"]) <= e["wall_ns"] * 0.01 + 1000 for e in ran.values())'
}

# tasks: the table on the terminal and the JSON in a file, from one comparison.
timeout 300 "$X86LAB" compare --engines=interp,bt --no-native --json="$OUT/tasks.json" -- \
    -fda "$EX/tasks/tasks-floppy.img" --max-insns 500000000 > "$OUT/tasks.txt" 2> "$OUT/tasks.err"
check "tasks: compare exits 0" [ $? -eq 0 ]
for row in "engine  *interp  *bt" "guest instructions" "MIPS" "slowdown vs the fastest" \
    "translated code" "software interrupt/return" "cost per trap" \
    "guest output and exit status: the same under every engine" \
    "instructions retired: the same under every deterministic engine"; do
    check "tasks table: '$row'" grep -q -E "$row" "$OUT/tasks.txt"
done
check "tasks: progress shown for both runs" grep -q -E "\[2/2\] bt .*done in" "$OUT/tasks.err"
consistent "$OUT/tasks.json" tasks
jcheck "$OUT/tasks.json" "tasks: hardware interrupts (the timer) in both" \
    'all(e["hw_interrupts"] > 0 for e in ran.values())'

# hello through the BIOS, every engine built in (KVM listed if it cannot run).
timeout 300 "$X86LAB" compare --no-native --json -- -fda "$EX/hello/hello-floppy.img" --max-insns 200000000 \
    > "$OUT/hello.json" 2> "$OUT/hello.err"
check "hello: compare exits 0" [ $? -eq 0 ]
consistent "$OUT/hello.json" hello
jcheck "$OUT/hello.json" "hello: the interpreter, the translator and KVM listed" \
    '{"interp", "bt", "kvm"} <= {e["name"] for e in j["engines"]}'

# Errors: one line, status 2; a run that fails: status 1 with the reason.
"$X86LAB" compare -fda x > "$OUT/err1" 2>&1
check "no '--': status 2, one line" [ $? -eq 2 -a "$(wc -l < "$OUT/err1")" -eq 1 ]
"$X86LAB" compare --engines=nope -- -fda x > "$OUT/err2" 2>&1
check "unknown engine: status 2, one line" [ $? -eq 2 -a "$(wc -l < "$OUT/err2")" -eq 1 ]
"$X86LAB" compare -- --engine=bt -fda x > "$OUT/err3" 2>&1
check "--engine among the guest options: status 2" [ $? -eq 2 ]
"$X86LAB" compare --report=/nonexistent/dir/r.html -- -fda x > "$OUT/err5" 2>&1
check "--report into a missing directory: status 2 before any run" \
    [ $? -eq 2 -a "$(wc -l < "$OUT/err5")" -eq 1 ]
"$X86LAB" compare --engines=interp -- -kernel "$OUT/no-such-kernel" > "$OUT/err4.out" 2> "$OUT/err4"
check "a guest x86lab refuses: status 1" [ $? -eq 1 ]
check "... with x86lab's reason" grep -q "no-such-kernel" "$OUT/err4"
finish
