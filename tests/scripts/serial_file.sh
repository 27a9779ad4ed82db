#!/bin/bash
# serial_file.sh BUILD SHARED -- -serial file:F: the timing guest
# (dev_uart_timing) writes its report to COM1.  Checks: the file holds
# exactly what the guest sent (its message, then 16 counts), none of it
# reaches stdout, the exit status is the guest's (1); with -serial none
# -serial file:F the file is COM2 and stays empty; an existing file is
# truncated; and the option errors exit with status 2 and name -serial or
# -display.
set -u
BUILD=${1:-build}
X=$BUILD/x86lab
G=$BUILD/tests/guest/dev_uart_timing.bin
for f in "$X" "$G"; do
    [ -e "$f" ] || { echo "FAIL $f is missing (run make BUILD=$BUILD first)"; exit 1; }
done
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fails=0
ok() { echo "ok   $*"; }
bad() { echo "FAIL $*"; fails=$((fails + 1)); }
guest() { timeout 60 "$X" -m 16 --load "$G@0x7c00" --entry 0:0x7c00 --deterministic "$@"; }

echo "stale contents that must go" > "$T/com1.txt"
guest -serial "file:$T/com1.txt" > "$T/stdout" 2> "$T/stderr" < /dev/null
status=$?
[ $status -eq 1 ] && ok "exit status 1 (the guest's EXIT_PASS through port 0xF4)" \
                  || bad "exit status $status, want 1: $(head -c 300 "$T/stderr")"
if head -n 2 "$T/com1.txt" | tr -d '\r' | grep -q '^x86lab timing!$' &&
   grep -Eq $'^tx polls: ([0-9a-f]{8} ){16}\r$' "$T/com1.txt" && ! grep -q stale "$T/com1.txt"; then
    ok "the file holds the guest's COM1 output ($(wc -c < "$T/com1.txt") bytes, the old contents gone)"
else
    bad "unexpected file contents: $(head -c 200 "$T/com1.txt" | od -c | head -n 5)"
fi
lines=$(wc -l < "$T/com1.txt")
[ "$lines" -eq 2 ] && ok "two lines, CR LF ended" || bad "$lines lines in the file, want 2"
if grep -q "timing!" "$T/stdout"; then
    bad "COM1 output leaked to stdout"
elif grep -q "^ok every character" "$T/stdout"; then
    ok "stdout has the debug console only"
else
    bad "the debug console's lines are missing from stdout"
fi

guest -serial none -serial "file:$T/com2.txt" > "$T/stdout2" 2>&1 < /dev/null
status=$?
if [ $status -eq 1 ] && [ -e "$T/com2.txt" ] && [ ! -s "$T/com2.txt" ]; then
    ok "-serial none -serial file:F: the file is COM2 (created, empty: the guest wrote COM1)"
else
    bad "COM2 file: status $status, $(wc -c < "$T/com2.txt" 2>/dev/null) bytes"
fi

# Option errors: status 2 and a one-line message naming the option.
err() {
    local want=$1
    shift
    "$X" "$@" > "$T/out" 2> "$T/err" < /dev/null
    local s=$?
    if [ $s -eq 2 ] && [ "$(wc -l < "$T/err")" -eq 1 ] && grep -q -- "$want" "$T/err"; then
        ok "$* -> status 2: $(cat "$T/err")"
    else
        bad "$*: status $s, message '$(cat "$T/err")'"
    fi
}
err "-serial" -serial bogus
err "-serial" -serial file:
err "-serial" -serial "file:$T/no/such/dir/f"
err "-serial" -serial none -serial none -serial none
err "-serial" -serial stdio -serial stdio
err "-display" -display sdl
err "-display" -display gtk
err "-serial" -serial

[ $fails -eq 0 ] && echo "serial_file: all checks passed" || echo "serial_file: $fails failed"
exit $((fails != 0))
