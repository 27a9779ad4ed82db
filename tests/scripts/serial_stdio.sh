#!/bin/bash
# serial_stdio.sh BUILD SHARED -- COM1 on stdio with stdin piped in: the
# interrupt-driven echo guest (dev_uart_echo) sends back what it reads.
# Checks: the echo is byte-exact (text, and 3000 random bytes through the
# FIFO at 115200 baud without an overrun); a '.' ends the run with the
# guest's exit value 0 (status 1), the end of the input drops carrier and
# the guest's hangup exit value 0x10 gives status 33; -nographic without a
# terminal streams COM1 on stdio by default, and -serial none leaves COM1
# unplugged.
set -u
BUILD=${1:-build}
X=$BUILD/x86lab
ECHO=$BUILD/tests/guest/dev_uart_echo.bin
for f in "$X" "$ECHO"; do
    [ -e "$f" ] || { echo "FAIL $f is missing (run make BUILD=$BUILD first)"; exit 1; }
done
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fails=0
ok() { echo "ok   $*"; }
bad() { echo "FAIL $*"; fails=$((fails + 1)); }

# run NAME ARGS...: the echo guest with stdin from $T/NAME.in; stdout in
# $T/NAME.out, debug console in $T/NAME.dbg; sets $status.
run() {
    local name=$1
    shift
    timeout 60 "$X" -m 16 --load "$ECHO@0x7c00" --entry 0:0x7c00 -debugcon "file:$T/$name.dbg" \
        "$@" < "$T/$name.in" > "$T/$name.out" 2> "$T/$name.err"
    status=$?
}

expect() {   # expect NAME STATUS WHAT
    local name=$1 want=$2 what=$3
    if [ "$status" -ne "$want" ]; then
        bad "$what: exit status $status, want $want ($(head -c 300 "$T/$name.err"))"
    elif grep -q FAIL "$T/$name.dbg"; then
        bad "$what: the guest reported $(grep FAIL "$T/$name.dbg" | head -n 3)"
    else
        ok "$what: exit status $status"
    fi
}

same() {     # same NAME WHAT: the output is the input
    if cmp -s "$T/$1.in" "$T/$1.out"; then
        ok "$2: echo identical ($(wc -c < "$T/$1.out") bytes)"
    else
        bad "$2: echo differs: $(cmp "$T/$1.in" "$T/$1.out" 2>&1 | head -n 1)"
    fi
}

printf 'hello, world\nsecond line.' > "$T/dot.in"
run dot -serial stdio
expect dot 1 "text ending with '.'"
same dot "text ending with '.'"

printf 'no full stop here\n' > "$T/eof.in"
run eof -serial stdio
expect eof 33 "input ending without '.' (hangup, exit value 0x10)"
same eof "input ending without '.'"

head -c 3000 /dev/urandom | tr -d . > "$T/bin.in"
run bin -serial stdio
expect bin 33 "3000 random bytes"
same bin "3000 random bytes"

# The pipe filled slowly: bytes come as they are written.
timeout 60 "$X" -m 16 --load "$ECHO@0x7c00" --entry 0:0x7c00 -debugcon "file:$T/slow.dbg" \
    -serial stdio < <( printf 'slow'; sleep 0.3; printf ' writer.' ) > "$T/slow.out" 2> "$T/slow.err"
status=$?
printf 'slow writer.' > "$T/slow.in"
expect slow 1 "input arriving in two parts 0.3 s apart"
same slow "input arriving in two parts"

printf 'headless.' > "$T/nog.in"
run nog -nographic
expect nog 1 "-nographic, stdin and stdout not a terminal: COM1 on stdio by default"
same nog "-nographic plain serial mode"

printf 'ignored.' > "$T/none.in"
run none -nographic -serial none
expect none 1 "-nographic -serial none"
if [ -s "$T/none.out" ]; then
    bad "-serial none: something reached stdout: $(head -c 100 "$T/none.out")"
elif grep -q "^ok nothing plugged into COM1" "$T/none.dbg"; then
    ok "-serial none: COM1 unplugged (guest saw MSR 00), nothing on stdout"
else
    bad "-serial none: the guest did not see an unplugged COM1"
fi

printf 'com2 only.' > "$T/com2.in"
run com2 -serial none -serial stdio
if [ "$status" -eq 1 ] && [ ! -s "$T/com2.out" ] && grep -q "^ok nothing plugged" "$T/com2.dbg"; then
    ok "-serial none -serial stdio: stdio is COM2, COM1 unplugged"
else
    bad "-serial none -serial stdio: status $status, $(wc -c < "$T/com2.out") bytes out"
fi

[ $fails -eq 0 ] && echo "serial_stdio: all checks passed" || echo "serial_stdio: $fails failed"
exit $((fails != 0))
