#!/bin/bash
# serial_pty.sh BUILD SHARED -- -serial pty: x86lab prints the name of the
# pseudo-terminal on stderr; we open it as a user's terminal program would,
# type to the echo guest (dev_uart_echo) and read the echo back.  Checks:
# the name is printed and is a character device, the echo comes back
# byte-exact, and the '.' ends the run with exit status 1.
set -u
BUILD=${1:-build}
X=$BUILD/x86lab
ECHO=$BUILD/tests/guest/dev_uart_echo.bin
for f in "$X" "$ECHO"; do
    [ -e "$f" ] || { echo "FAIL $f is missing (run make BUILD=$BUILD first)"; exit 1; }
done
T=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$T"' EXIT
fails=0
ok() { echo "ok   $*"; }
bad() { echo "FAIL $*"; fails=$((fails + 1)); }

timeout 60 "$X" -m 16 --load "$ECHO@0x7c00" --entry 0:0x7c00 -serial pty \
    -debugcon "file:$T/dbg" > "$T/out" 2> "$T/err" < /dev/null &
pid=$!
name=
for _ in $(seq 100); do
    name=$(sed -n 's/^x86lab: COM1 on \(.*\)$/\1/p' "$T/err")
    [ -n "$name" ] && break
    sleep 0.05
done
if [ -n "$name" ] && [ -c "$name" ]; then
    ok "COM1 on $name (printed on stderr)"
else
    bad "no pty name on stderr: $(cat "$T/err")"
    exit 1
fi

exec 3<> "$name"
sent='typed on the pty'
printf '%s' "$sent" >&3
got=$(timeout 10 head -c ${#sent} <&3)
[ "$got" = "$sent" ] && ok "echo through the pty: '$got'" || bad "echo: got '$got', want '$sent'"
# The '.' ends the run; its echo may be lost when x86lab closes the pty
# (a hangup flushes what the reader has not read yet).
printf '.' >&3
exec 3>&-

wait "$pid"
status=$?
pid=
[ $status -eq 1 ] && ok "the guest's '.' ended the run: exit status 1" \
                  || bad "exit status $status, want 1: $(cat "$T/err")"
grep -q FAIL "$T/dbg" && bad "the guest reported: $(grep FAIL "$T/dbg")"

[ $fails -eq 0 ] && echo "serial_pty: all checks passed" || echo "serial_pty: $fails failed"
exit $((fails != 0))
