#!/bin/bash
# sdl_nodisplay.sh BUILD SHARED -- the SDL window's options when there is
# no window to be had: -display sdl without DISPLAY/WAYLAND_DISPLAY, or
# with a DISPLAY no X server answers, ends at once with status 2 and one
# sentence saying so; without -display and without a display, x86lab runs
# as before (no window, the guest's own ending); bad window options are
# refused with status 2.
set -u
BUILD=$(cd "${1:-build}" && pwd) || exit 1
X86LAB=$BUILD/x86lab
GUEST=$BUILD/tests/sdl/text.bin
DIR=$BUILD/sdl_nodisplay
mkdir -p "$DIR"
failures=0
pass() { echo "ok   $*"; }
fail() { echo "FAIL $*"; failures=$((failures + 1)); }
[ -x "$X86LAB" ] && [ -f "$GUEST" ] || { echo "FAIL $X86LAB or $GUEST not built"; exit 1; }
RUN=(-m 16 --load "$GUEST@0x7c00" --entry 0:0x7c00)

# refused STATUS-PATTERN WHAT ENV... -- ARGS...: status 2, one stderr line matching
refused() {
    local pattern=$1 what=$2 status lines
    shift 2
    local envs=()
    while [ "$1" != -- ]; do envs+=("$1"); shift; done
    shift
    env "${envs[@]}" timeout 20 "$X86LAB" "$@" > "$DIR/out" 2> "$DIR/err" < /dev/null
    status=$?
    lines=$(wc -l < "$DIR/err")
    if [ $status -eq 2 ] && [ "$lines" -eq 1 ] && grep -q -- "$pattern" "$DIR/err"; then
        pass "$what: status 2, '$(cat "$DIR/err")'"
    else
        fail "$what: status $status, $lines lines on stderr:"
        sed 's/^/    /' "$DIR/err" | head -n 5
    fi
}

refused "x86lab: -display sdl: there is no display to open a window on" \
    "-display sdl without DISPLAY or WAYLAND_DISPLAY" -u DISPLAY -u WAYLAND_DISPLAY -- \
    "${RUN[@]}" -display sdl
refused "x86lab: -display sdl: SDL cannot reach the display" \
    "-display sdl with a DISPLAY nobody serves" -u WAYLAND_DISPLAY DISPLAY=:219 -- \
    "${RUN[@]}" -display sdl
refused "expected none, curses or sdl, not 'gtk'" "-display gtk" -- "${RUN[@]}" -display gtk
refused "display-scale: expected 1 to 8, not '9'" "--display-scale=9" -- \
    "${RUN[@]}" --display-scale=9 -display sdl

# Without a display and without -display: no window, the guest runs to its
# end (text.bin halts waiting for an interrupt that cannot come: status 5).
env -u DISPLAY -u WAYLAND_DISPLAY timeout 20 "$X86LAB" "${RUN[@]}" > "$DIR/out" 2> "$DIR/err" < /dev/null
status=$?
if [ $status -eq 5 ] && grep -q '^ready' "$DIR/out" && ! grep -qi "window\|display" "$DIR/err"; then
    pass "no display, no -display: the guest ran without a window (status 5, as it ends)"
else
    fail "no display, no -display: status $status:"
    sed 's/^/    /' "$DIR/err" | head -n 5
fi

if [ $failures -eq 0 ]; then
    echo "sdl_nodisplay: all checks passed"
    exit 0
fi
echo "sdl_nodisplay: $failures checks failed"
exit 1
