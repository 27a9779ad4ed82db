#!/bin/bash
# debug_kernel.sh BUILD SHARED -- the monitor over a Multiboot kernel
# (examples/mbkernel, booted with -kernel): it stops at the kernel's entry,
# knows the kernel's ELF symbols by itself (breakpoint on kmain, symbols in
# the disassembly), and the debugger's command-line errors are one line
# with exit status 2.
set -u
BUILD=$(cd "${1:-build}" && pwd) || exit 1
HERE=$(cd "$(dirname "$0")/../debugger" && pwd) || exit 1
X86LAB=$BUILD/x86lab
KERNEL=$BUILD/examples/mbkernel/kernel.elf
DIR=$BUILD/debug_kernel
mkdir -p "$DIR"
failures=0
pass() { echo "ok   $*"; }
fail() { echo "FAIL $*"; failures=$((failures + 1)); }

[ -x "$X86LAB" ] && [ -f "$KERNEL" ] || { echo "FAIL $X86LAB or $KERNEL missing (make all)"; exit 1; }

OUT=$DIR/session.out
timeout 60 "$X86LAB" -kernel "$KERNEL" -display none -serial none \
    --debug-script "$HERE/kernel.script" > "$OUT" 2>&1 < /dev/null
status=$?
[ $status -eq 0 ] && pass "session ends with the script's quit" || fail "exit status $status"
entry=$(nm "$KERNEL" | awk '$3 == "_start" { print $1 }')
kmain=$(nm "$KERNEL" | awk '$3 == "kmain" { print $1 }')
grep -q "^=>  0x$entry <_start>: " "$OUT" && pass "stopped at the kernel's entry _start (0x$entry)" ||
    fail "no stop at _start 0x$entry"
grep -q "^breakpoint 1: 0x$kmain <kmain>$" "$OUT" && pass "break kmain resolved from the kernel's ELF" ||
    fail "break kmain not resolved to 0x$kmain"
grep -q "^breakpoint 1 hit (0x$kmain <kmain>), 1 hit$" "$OUT" && pass "the breakpoint on kmain hit" ||
    fail "no hit on kmain"
grep -q '^eax=2badb002 ' "$OUT" && pass "EAX holds the Multiboot magic at kmain" || fail "EAX at kmain"
grep -q "^=>\* 0x$kmain <kmain>: " "$OUT" && pass "disassembly marks the current instruction and the breakpoint" ||
    fail "disassembly marks"
grep -Eq '^  [0-9a-f]{8} +[0-9]+ F serial_putc$' "$OUT" && pass "symbols lists serial_putc as a function" ||
    fail "symbols serial_put"

# Command-line errors: one line, status 2.
"$X86LAB" -kernel "$KERNEL" --symbols "$DIR/nonexistent.elf" --debug > "$DIR/err1" 2>&1 < /dev/null
s1=$?
"$X86LAB" -kernel "$KERNEL" --debug-script "$DIR/nonexistent.cmds" > "$DIR/err2" 2>&1 < /dev/null
s2=$?
"$X86LAB" -kernel "$KERNEL" --symbols "$0" --debug > "$DIR/err3" 2>&1 < /dev/null
s3=$?
if [ $s1 -eq 2 ] && [ $s2 -eq 2 ] && [ $s3 -eq 2 ] &&
   [ "$(cat "$DIR/err1" "$DIR/err2" "$DIR/err3" | wc -l)" -eq 3 ] &&
   grep -q 'No such file' "$DIR/err1" && grep -q 'not an ELF file' "$DIR/err3"; then
    pass "bad --symbols / --debug-script: one line each, exit status 2"
else
    fail "bad options: status $s1 $s2 $s3: $(cat "$DIR/err1" "$DIR/err2" "$DIR/err3" | tr '\n' '|')"
fi

[ $failures -eq 0 ] && echo "debug_kernel: all checks passed" || { echo "debug_kernel: $failures failed"; head -30 "$OUT"; }
[ $failures -eq 0 ]
