#!/bin/bash
# debug_monitor.sh BUILD SHARED -- scripted monitor sessions: each
# tests/debugger/NAME.cmds runs with --debug-script over the guest
# tests/debugger/pmguest.asm (a flat image at 0x7c00 plus its ELF for
# --symbols), and NAME.expect lists what the output must contain: the
# first line "status: N" is the exit status, every other line a fixed
# string that must appear, in this order, in the session's output.
# DEBUG_ENGINES (default "interp") runs the same sessions in other engines
# (--engine=bt, kvm); an engine this host cannot run is skipped.
set -u
BUILD=$(cd "${1:-build}" && pwd) || exit 1
HERE=$(cd "$(dirname "$0")/../debugger" && pwd) || exit 1
X86LAB=$BUILD/x86lab
DIR=$BUILD/debug_monitor
mkdir -p "$DIR"
failures=0

pass() { echo "ok   $*"; }
fail() { echo "FAIL $*"; failures=$((failures + 1)); }

if [ ! -x "$X86LAB" ]; then
    echo "FAIL $X86LAB missing"
    exit 1
fi
# The guest: ELF for the symbols, its flat image for --load.
if ! nasm -f elf32 "$HERE/pmguest.asm" -o "$DIR/pmguest.o" ||
   ! ld -m elf_i386 -Ttext=0x7c00 -e start "$DIR/pmguest.o" -o "$DIR/pmguest.elf" ||
   ! objcopy -O binary "$DIR/pmguest.elf" "$DIR/pmguest.bin"; then
    echo "FAIL cannot build the guest (nasm, ld, objcopy)"
    exit 1
fi

# check_session OUT EXPECT: every line of EXPECT but the first, in order.
check_session() {
    local out=$1 expect=$2 name=$3
    awk -v out="$out" '
        NR == 1 { next }
        { want[++n] = $0 }
        END {
            i = 1
            while (i <= n && (getline line < out) > 0)
                if (index(line, want[i]) > 0) i++
            if (i <= n) { print "missing (in order): " want[i]; exit 1 }
        }' "$expect" > "$DIR/$name.check" 2>&1
}

for engine in ${DEBUG_ENGINES:-interp}; do
    if ! "$X86LAB" --engines 2>/dev/null | grep -Eq "^$engine +.*(available|yes|ok)" &&
       [ "$engine" != interp ]; then
        echo "skip engine $engine: not available here"
        continue
    fi
    for cmds in "$HERE"/*.cmds; do
        name=$(basename "$cmds" .cmds)
        expect=$HERE/$name.expect
        out=$DIR/$name.$engine.out
        timeout 60 "$X86LAB" -m 16 --engine="$engine" --load "$DIR/pmguest.bin@0x7c00" \
            --entry 0:0x7c00 --symbols "$DIR/pmguest.elf" -debugcon none \
            --debug-script "$cmds" > "$out" 2>&1 < /dev/null
        status=$?
        want=$(sed -n '1s/^status: //p' "$expect")
        if [ "$status" != "$want" ]; then
            fail "$name ($engine): exit status $status, want $want (output: $out)"
        elif ! check_session "$out" "$expect" "$name.$engine"; then
            fail "$name ($engine): $(cat "$DIR/$name.$engine.check") (output: $out)"
        else
            pass "$name ($engine): $(grep -c '^(x86lab) ' "$out") commands, $(($(wc -l < "$expect") - 1)) expected lines"
        fi
    done
done

[ $failures -eq 0 ] && echo "debug_monitor: all checks passed" || echo "debug_monitor: $failures failed"
[ $failures -eq 0 ]
