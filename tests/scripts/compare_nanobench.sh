#!/bin/bash
# compare_nanobench.sh BUILD SHARED -- examples/nanobench under `x86lab
# compare` (every engine this host runs: the interpreter, the translator,
# trap-and-emulate; KVM in tests/kvm/run-kvm.sh): every operation has its result
# under every engine that ran (operation count, guest TSC cycles, host
# time); under --deterministic the guest's TSC counts instructions, so the
# cycles per operation are the exact instruction counts of each loop, the
# same in both engines; the translator traps on the operations it cannot
# run as host code and the interpreter never traps; the host's native
# column has CPUID, call/ret, divide error and page fault; the terminal
# table shows the three nanobenchmark tables and the paper's reference.
set -u
. "$(dirname "$0")/compare_common.inc" "${1:-build}" compare_nanobench || exit 1
NB=$EX/nanobench/nanobench.elf
[ -f "$NB" ] || { echo "FAIL $NB not built (make examples)"; exit 1; }

timeout 300 "$X86LAB" compare --json="$OUT/nb.json" -- -kernel "$NB" \
    -append "n=2000" > "$OUT/nb.txt" 2> "$OUT/nb.err"
check "compare exits 0" [ $? -eq 0 ]
J=$OUT/nb.json
OPS='["int80","sysenter","in","out","cr3","ptemod","pgfault","divzero","callret","clisti","pushfpopf","cpuid","hypercall"]'
region='{r["name"]: r for r in e["regions"]}'
jcheck "$J" "every operation under every engine: 2000 ops, cycles, host time" \
    "all(all(r[o]['ops'] == 2000 and r[o]['guest_cycles'] is not None and r[o]['host_ns'] > 0 and r[o]['ns_per_op'] > 0
             for o in $OPS) for e in ran.values() for r in [$region])"
# (The translator interprets a block's first executions: --bt-threshold.)
# Instructions per operation, loop (DEC, JNZ) included: int80 = INT, IRET;
# pgfault = the faulting load does not retire, the handler's 7; divzero =
# XOR, MOV, the handler's 5 (DIV does not retire)...
jcheck "$J" "interp and bt (and trap-and-emulate where built) ran" \
    '"interp" in ran and "bt" in ran and ("trap-and-emulate" in ran or not any(e["name"] == "trap-and-emulate" for e in j["engines"]))'
jcheck "$J" "deterministic TSC: exact instructions per operation, the same in every deterministic engine" \
    "all(all(abs(r[o]['cycles_per_op'] - want) < 0.05 for o, want in
        dict(int80=4, sysenter=6, **{'in': 3}, out=3, cr3=4, ptemod=5, pgfault=9, divzero=9, callret=4,
             clisti=4, pushfpopf=4, cpuid=4, hypercall=4).items()) for e in ran.values() if e['deterministic'] for r in [$region])"
jcheck "$J" "the interpreter never traps" \
    "all(not r['traps'] for r in ran['interp']['regions'])"
jcheck "$J" "the translator traps on INT/IRET, SYSENTER/SYSEXIT, IN, OUT, CR3, INVLPG, #PF, CPUID, the hypercall" \
    "all(sum(t['count'] for t in r[o]['traps'].values()) >= 1900
         for o in ['int80','sysenter','in','out','cr3','ptemod','pgfault','cpuid','hypercall'] for r in [{x['name']: x for x in ran['bt']['regions']}])"
jcheck "$J" "... and not on CALL/RET" \
    "sum(t['count'] for t in {x['name']: x for x in ran['bt']['regions']}['callret']['traps'].values()) < 20"
jcheck "$J" "the outer region holds the others (depth 0 and 1)" \
    "all(r['nanobench']['depth'] == 0 and r['cpuid']['depth'] == 1 for e in ran.values() for r in [$region])"
jcheck "$J" "native: CPUID, call/ret, divide error, page fault measured on the host" \
    "all(any(n['op'] == o and n['ns'] and n['ns'] > 0 for n in j['native']) for o in ['cpuid','callret','divzero','pgfault'])"
for t in "host time per operation" "guest TSC cycles per operation" "transitions per operation" \
    "Adams and O. Agesen" "^int80 \[syscall\]" "^ptemod \[ptemod\]" "^cr3  .* n/a"; do
    check "table: '$t'" grep -q -E "$t" "$OUT/nb.txt"
done
# The kernel alone: its own report on the debug console, exit status 1.
timeout 60 "$X86LAB" --deterministic -kernel "$NB" -append "n=500" > "$OUT/alone.txt" 2>&1
check "nanobench alone: exit status 1" [ $? -eq 1 ]
check "nanobench alone: 'time: cpuid 4.0 cycles/op' (1 cycle per instruction)" \
    grep -q -x "time: cpuid 4.0 cycles/op" "$OUT/alone.txt"
check "nanobench alone: 13 'time:' lines and 'done'" \
    [ "$(grep -c '^time: ' "$OUT/alone.txt")" -eq 13 -a "$(grep -c -x 'nanobench: done' "$OUT/alone.txt")" -eq 1 ]
finish
