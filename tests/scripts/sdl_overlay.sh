#!/bin/bash
# sdl_overlay.sh BUILD SHARED -- the statistics overlay and the engine
# hotkeys of the SDL window under Xvfb, read from --overlay-dump (the
# overlay's lines, rewritten at every update) while tests/sdl/spin.asm
# keeps the CPU busy: hidden at first, Ctrl-Alt-O shows it; the
# interpreter at a non-zero MIPS with nothing translated; Ctrl-Alt-2
# switches to the binary translator (then instructions run translated and
# its trap classes count) or, if this x86lab cannot run it, the overlay's
# note says why (as `x86lab --engines` does); Ctrl-Alt-3 likewise for KVM
# (no /dev/kvm here: the note); Ctrl-Alt-1 back to the interpreter;
# Ctrl-Alt-P pauses (overlay and title say so) and resumes; the sparkline
# fills; Ctrl-Alt-O hides the overlay; Ctrl-Alt-M (the monitor) says it
# needs a terminal; Ctrl-Alt-Q powers off (status 0).
set -u
. "$(dirname "$0")/sdl_common.inc" "${1:-build}" sdl_overlay || exit 1
start_xvfb || exit 1
LOG=$DIR/spin.log
DUMP=$DIR/overlay.txt
ENGINES=$("$X86LAB" --engines)
current=interpreter                 # the engine running now (a regex)

# expect PATTERN SECONDS WHAT: the dump matches (extended regex) in time.
expect() {
    if wait_for_re "$DUMP" "$1" "$2"; then
        pass "$3"
    else
        fail "$3: the overlay never showed /$1/; it shows:"
        sed 's/^/    /' "$DUMP"
    fi
}
wait_for_re() {
    local i
    for i in $(seq $(($3 * 10))); do
        grep -Eq -- "$2" "$1" 2> /dev/null && return 0
        sleep 0.1
    done
    return 1
}

# switch N ENGINE TITLE: Ctrl-Alt-N, then the engine runs or the note says why not.
switch() {
    local line why
    line=$(echo "$ENGINES" | grep "^$2 ")
    key "$WID" "ctrl+alt+$1"
    case $line in
    *": available"*)
        expect "^engine: $3\$" 5 "Ctrl-Alt-$1: the overlay says the engine is the $3"
        current=$3 ;;
    *"unavailable: "*)
        why=${line#*unavailable: }
        expect "^note: $3: unavailable: " 5 \
            "Ctrl-Alt-$1: the $3 cannot run here and the note says why ($why)"
        expect "^engine: $current\$" 2 "... and the $current goes on" ;;
    *)
        expect "^note: .*not built into this x86lab" 5 "Ctrl-Alt-$1: $2 is not built in, the note says so" ;;
    esac
}

start_x86lab "$LOG" -m 16 --load "$SDLT/spin.bin@0x7c00" --entry 0:0x7c00 \
    -display sdl --display-scale=1 --overlay-dump "$DUMP"
if ! wait_for "$LOG" '^ready' 30; then
    echo "FAIL the guest never said ready:"
    tail -n 5 "$LOG"
    exit 1
fi
WID=$(window_id)
[ -n "$WID" ] || { echo "FAIL no x86lab window"; exit 1; }

expect "^overlay: hidden" 5 "the overlay is off at first"
key "$WID" ctrl+alt+o
expect "^overlay: shown" 3 "Ctrl-Alt-O shows it"
expect "^engine: interpreter$" 3 "the engine is the interpreter"
expect "^speed: [0-9]*[1-9][0-9]*\.[0-9] MIPS|^speed: 0\.[1-9] MIPS" 5 "the interpreter runs at a measured speed"
expect "^translated: 0\.0% of instructions" 3 "nothing runs translated in the interpreter"
expect "^interrupts: [0-9]+/s" 3 "interrupts per second are shown"

switch 2 bt "binary translator"
if echo "$ENGINES" | grep -q "^bt .*: available"; then
    expect "^translated: ([1-9][0-9]*|0\.[1-9]|[1-9][0-9]*\.[0-9])% of instructions" 5 \
        "under the translator, instructions run translated"
    expect "^  port I/O +[1-9][0-9]*$" 5 "... and its port I/O traps are counted per second"
fi
switch 3 kvm "hardware-assisted \(KVM\)"
key "$WID" ctrl+alt+1
expect "^engine: interpreter$" 5 "Ctrl-Alt-1: back to the interpreter"

key "$WID" ctrl+alt+p
expect "^engine: interpreter \(paused\)" 5 "Ctrl-Alt-P pauses (the overlay says so)"
sleep 0.5
case $(xdotool getwindowname "$WID") in
*paused*) pass "the title says paused" ;;
*) fail "the title does not say paused: $(xdotool getwindowname "$WID")" ;;
esac
expect "^speed: 0\.0 MIPS" 3 "nothing runs while paused"
key "$WID" ctrl+alt+p
expect "^engine: interpreter$" 5 "Ctrl-Alt-P again resumes"
expect "^sparkline: [0-9]{3,}" 5 "the sparkline holds a value a second"

key "$WID" ctrl+alt+o
expect "^overlay: hidden" 3 "Ctrl-Alt-O hides the overlay again"
key "$WID" ctrl+alt+m
expect "^note: monitor: needs the terminal x86lab was started from" 3 \
    "Ctrl-Alt-M: the monitor needs a terminal on stdin (here /dev/null): the note says so"

key "$WID" ctrl+alt+q
for _ in $(seq 100); do
    kill -0 "$X86_PID" 2> /dev/null || break
    sleep 0.1
done
if kill -0 "$X86_PID" 2> /dev/null; then
    fail "Ctrl-Alt-Q did not power off in 10 s"
else
    wait "$X86_PID"
    status=$?
    X86_PID=
    if [ $status -eq 0 ] && grep -q "quit at the user's request" "$LOG"; then
        pass "Ctrl-Alt-Q powered off (status 0)"
    else
        fail "Ctrl-Alt-Q: status $status"
        tail -n 5 "$LOG"
    fi
fi

if [ $failures -eq 0 ]; then
    echo "sdl_overlay: all checks passed"
    exit 0
fi
echo "sdl_overlay: $failures checks failed"
exit 1
