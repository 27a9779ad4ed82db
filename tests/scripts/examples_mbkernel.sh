#!/bin/bash
# examples_mbkernel.sh BUILD SHARED -- examples/mbkernel, the Multiboot
# kernel in C, booted with `x86lab -kernel kernel.elf -nographic` and its
# serial shell driven through stdin (COM1 on stdin/stdout when they are
# not a terminal).  Checks, in the answers on stdout: the banner with the
# loader's name and the -append text; help; mem (the Multiboot memory map
# of a 128 MiB machine); cpuid on the P6 model (GenuineIntel, family 6,
# model 3, its feature flags), on the 486 model (family 4) and on the 386
# (no CPUID: EFLAGS.ID stays put); ticks growing between two calls; an
# unknown command; reboot through the 8042 and through port CF9h (with
# -no-reboot x86lab then ends: exit status 0, "requested a reset").
set -u
. "$(dirname "$0")/examples_common.inc" "${1:-build}" examples_mbkernel || exit 1
KERNEL=$EX/mbkernel/kernel.elf
[ -f "$KERNEL" ] || { echo "FAIL $KERNEL not built (make examples)"; exit 1; }

# shell TAG INPUT ARGS...: the kernel with INPUT on COM1; the answers in
# $OUT/TAG.txt (CRs dropped), stderr in $OUT/TAG.err; sets $status.
shell() {
    local tag=$1 input=$2
    shift 2
    printf '%b' "$input" | timeout 60 "$X86LAB" -kernel "$KERNEL" -m 128 -nographic -no-reboot \
        --deterministic "$@" > "$OUT/$tag.raw" 2> "$OUT/$tag.err"
    status=$?
    tr -d '\r' < "$OUT/$tag.raw" > "$OUT/$tag.txt"
}

reset_status() {   # reset_status TAG: ended by the guest's reset request
    if [ "$status" -eq 0 ] && grep -q "requested a reset" "$OUT/$1.err"; then
        pass "$1: the reset ended the run (exit status 0, -no-reboot)"
    else
        fail "$1: exit status $status, $(head -c 300 "$OUT/$1.err")"
    fi
}

# --serial-real-timing: the time that passes between the two "ticks" is
# the output of help, mem and cpuid at 115200 baud (~40 ms, 4 ticks).
shell p6 'ticks\nhelp\nmem\ncpuid\nticks\nbogus\nreboot\n' -append "x86lab-test" --serial-real-timing
reset_status p6
expect_lines p6 txt \
    "mbkernel: a Multiboot kernel in C, serial shell on COM1" \
    "mbkernel: loaded by x86lab" \
    "mbkernel> help" \
    "  cpuid         what the processor says it is" \
    "  reboot cf9    reset through port CF9h (PCI reset control)" \
    "mbkernel> mem" \
    "mem_lower: 639 KiB, mem_upper: 130048 KiB" \
    "memory map from the Multiboot loader:" \
    "  0000000000000000-000000000009fbff available" \
    "  0000000000100000-0000000007ffffff available" \
    "mbkernel> cpuid" \
    "vendor: GenuineIntel, highest leaf: 2" \
    "family: 6, model: 3, stepping: 3 (signature 00000633)" \
    "mbkernel> bogus" \
    "unknown command 'bogus' (try help)" \
    "mbkernel> reboot" \
    "reboot: pulsing the CPU reset line through the 8042 (command FEh to port 64h)"
if grep -q "^mbkernel: command line '.*x86lab-test'$" "$OUT/p6.txt"; then
    pass "p6: the -append text in the Multiboot command line"
else
    fail "p6: no command line with 'x86lab-test'"
fi
if grep -q -x "features (edx [0-9a-f]*, ecx [0-9a-f]*):.* tsc .*cx8.* cmov.*" "$OUT/p6.txt"; then
    pass "p6: feature flags named (tsc, cx8, cmov)"
else
    fail "p6: feature line: $(grep features "$OUT/p6.txt")"
fi
mapfile -t t < <(sed -n 's/^ticks: \([0-9]*\) ([0-9]*\.[0-9]* s at 100 Hz)$/\1/p' "$OUT/p6.txt")
if [ "${#t[@]}" -eq 2 ] && [ "${t[1]}" -gt "${t[0]}" ] && [ "${t[0]}" -gt 0 ]; then
    pass "p6: ticks ${t[0]} then ${t[1]} (IRQ 0 counting)"
else
    fail "p6: ticks lines: ${t[*]:-none}"
fi
if grep -q "the 8042 did not reset us" "$OUT/p6.txt"; then
    fail "p6: the 8042 reset did not work"
fi

shell cf9 'reboot cf9\n'
reset_status cf9
expect_lines cf9 txt "mbkernel> reboot cf9" "reboot: writing 06h to port CF9h"

shell i486 'cpuid\nreboot\n' --cpu=486
reset_status i486
expect_lines i486 txt "vendor: GenuineIntel, highest leaf: 1" \
    "family: 4, model: 2, stepping: 1 (signature 00000421)"

shell i386 'cpuid\nreboot\n' --cpu=386
reset_status i386
expect_lines i386 txt "mbkernel> cpuid" \
    "no CPUID instruction (EFLAGS.ID cannot be changed): a 386 or early 486"
finish
