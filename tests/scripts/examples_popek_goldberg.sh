#!/bin/bash
# examples_popek_goldberg.sh BUILD SHARED -- examples/popek-goldberg: the
# verdict for each of Robin and Irvine's sensitive unprivileged
# instructions, asserted per instruction in every engine.  Under the
# interpreter and the translator (and KVM when this host runs it) each one
# behaves as in ring 0 (exit status 1: none broken); under
# --engine=trap-and-emulate every one is broken (status 2*18+1), with its
# "why" line, and the monitor's trap counts (--stats) are the ones this
# kernel's privileged instructions must cause.
set -u
. "$(dirname "$0")/examples_common.inc" "${1:-build}" examples_popek_goldberg || exit 1
K=$EX/popek-goldberg/popek-goldberg.bin
INSNS=(SGDT SIDT SLDT SMSW PUSHF POPF LAR LSL VERR VERW PUSH POP CALL JMP "INT n" RET STR MOV)

# verdicts TAG WORD: every instruction's line says WORD ("ok" or "BROKEN").
verdicts() {
    local tag=$1 word=$2 bad=()
    for i in "${INSNS[@]}"; do
        grep -q -E "^$(printf '%-7s' "$i") $word" "$OUT/$tag.e9" || bad+=("$i")
    done
    if [ ${#bad[@]} -eq 0 ]; then
        pass "$tag: all ${#INSNS[@]} instructions $word"
    else
        fail "$tag: not $word: ${bad[*]}"
    fi
}

engines="interp bt"
"$X86LAB" --engines 2>/dev/null | grep -q '^kvm .*: available' && engines="$engines kvm"
for e in $engines; do
    boot "$e" -kernel "$K" -display none --engine="$e"
    expect_status "$e" 1
    verdicts "$e" ok
    expect_lines "$e" e9 "popek-goldberg: 18 behave as in ring 0, 0 broken"
done

boot tae -kernel "$K" -display none --engine=trap-and-emulate --stats --deterministic
expect_status tae 37
verdicts tae BROKEN
n=$(grep -c '^        why: ' "$OUT/tae.e9")
[ "$n" -eq 18 ] && pass "tae: 18 'why' lines" || fail "tae: $n 'why' lines, want 18"
expect_lines tae e9 "popek-goldberg: 0 behave as in ring 0, 18 broken"
# The privileged instructions of this kernel, each trapped and emulated:
# LGDT LIDT LTR LLDT; MOV from CR0; CLI (start, PUSHF test, POPF test) and
# STI; IN/OUT (the console, the PIC, the PIT, the wait loop); the INT n
# through a DPL-0 gate reflected as #GP; the timer ticks POPF let through.
trap_count() { sed -n "s|^x86lab:     tae trap $1 *\([0-9]*\)$|\1|p" "$OUT/tae.err"; }
check_count() {   # check_count NAME OP WANT
    local got
    got=$(trap_count "$1")
    if [ -n "$got" ] && [ "$got" "$2" "$3" ]; then
        pass "tae: $1 traps: $got ($2 $3)"
    else
        fail "tae: $1 traps: '${got}', want $2 $3"
    fi
}
check_count "descriptor tables" -eq 4
check_count "control/debug registers" -eq 1
check_count "interrupt flag" -eq 4
check_count "port I/O" -gt 20000
if grep -q "events reflected" "$OUT/tae.err" &&
   sed -n 's/.*emulated, \([0-9]*\) events reflected, \([0-9]*\) interrupts injected.*/\1 \2/p' \
       "$OUT/tae.err" | awk '{ exit !($1 >= 1 && $2 >= 1) }'; then
    pass "tae: the INT n #GP reflected and timer interrupts injected"
else
    fail "tae: reflected/injected counts: $(grep 'trap-and-emulate:' "$OUT/tae.err")"
fi
# Under the interpreter the monitor's counters do not exist.
boot interp-stats -kernel "$K" -display none --stats
if grep -q "tae trap" "$OUT/interp-stats.err"; then
    fail "interp: trap-and-emulate counters printed without that engine"
else
    pass "interp: no trap-and-emulate counters"
fi
finish
