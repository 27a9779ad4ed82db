#!/bin/bash
# sdl_input.sh BUILD SHARED -- keys and the mouse through the SDL window
# under Xvfb reach the guest as a PS/2 keyboard and IntelliMouse would
# send them: tests/sdl/input.asm prints every byte it reads from the 8042
# ("k XX" keyboard, set 1 after the 8042's translation; "m XX" mouse).
# xdotool types: a letter, Up, Pause, Print Screen, keypad Enter, right
# Ctrl, F12 (make and break codes, the extended E0 and Pause's E1 ones),
# holds a key for 1.5 s (the keyboard's own typematic repeat: several
# makes, one break), Ctrl-Alt-End (sends Ctrl-Alt-Del) and Ctrl-Alt-G (a
# hotkey: Ctrl and Alt reach the guest, the G does not).  Mouse: a click grabs (and is not passed on,
# the title then says how to release), motion to the right, the three
# buttons, the wheel both ways (4-byte packets), Ctrl-Alt-G releases.
set -u
. "$(dirname "$0")/sdl_common.inc" "${1:-build}" sdl_input || exit 1
start_xvfb || exit 1
LOG=$DIR/input.log

start_x86lab "$LOG" -m 16 --load "$SDLT/input.bin@0x7c00" --entry 0:0x7c00 \
    -display sdl --display-scale=1
if ! wait_for "$LOG" '^ready' 30; then
    echo "FAIL the guest never said ready:"
    tail -n 5 "$LOG"
    exit 1
fi
grep -q '^mouse id 03' "$LOG" && pass "the mouse is an IntelliMouse after the knock (id 03)" \
    || fail "mouse id: $(grep '^mouse id' "$LOG")"
WID=$(window_id)
[ -n "$WID" ] || { echo "FAIL no x86lab window"; exit 1; }

# ---- keys ----
key "$WID" a Up Pause Print KP_Enter Control_R F12
xdotool keydown b
sleep 1.5
xdotool keyup b
sleep 0.2
key "$WID" ctrl+alt+End
sleep 0.2
key "$WID" ctrl+alt+g
sleep 0.5

# ---- mouse ----
xdotool mousemove --window "$WID" 300 200
sleep 0.2
xdotool click 1                                   # grabs
title_grabbed=
for _ in $(seq 30); do
    title_grabbed=$(xdotool getwindowname "$WID")
    case $title_grabbed in *"Ctrl-Alt-G releases the mouse"*) break ;; esac
    sleep 0.1
done
sleep 0.2
for _ in 1 2 3 4; do
    xdotool mousemove_relative -- 10 0
    sleep 0.1
done
xdotool click 1
sleep 0.2
xdotool click 3
sleep 0.2
xdotool click 2
sleep 0.2
xdotool click 4
sleep 0.2
xdotool click 5
sleep 0.3
key "$WID" ctrl+alt+g
title_released=
for _ in $(seq 30); do
    title_released=$(xdotool getwindowname "$WID")
    case $title_released in *"click to grab"*) break ;; esac
    sleep 0.1
done
sleep 0.3

case $title_grabbed in
*"Ctrl-Alt-G releases the mouse"*) pass "grabbed: the title says '$title_grabbed'" ;;
*) fail "after the grabbing click the title is '$title_grabbed'" ;;
esac
case $title_released in
*"click to grab"*) pass "released: the title says '$title_released'" ;;
*) fail "after Ctrl-Alt-G the title is '$title_released'" ;;
esac

if close_x86lab "$WID" "$LOG"; then
    pass "closing the window ended x86lab with status 0"
else
    fail "closing the window did not end x86lab cleanly"
fi

python3 - "$LOG" <<'PYTHON' || failures=$((failures + 1))
import sys
lines = open(sys.argv[1], encoding="latin-1").read().split("\n")
start = lines.index("ready") + 1
kbd = [int(l[2:], 16) for l in lines[start:] if l.startswith("k ")]
mouse = [int(l[2:], 16) for l in lines[start:] if l.startswith("m ")]
fails = 0

def check(ok, what):
    global fails
    print(("ok   " if ok else "FAIL ") + what)
    fails += not ok

def hexs(seq):
    return " ".join("%02x" % b for b in seq)

def find(seq, start=0):
    for i in range(start, len(kbd) - len(seq) + 1):
        if kbd[i:i + len(seq)] == seq:
            return i
    return -1

print("keyboard bytes: " + hexs(kbd))
pos = 0
for name, seq in [("a", [0x1E, 0x9E]), ("Up", [0xE0, 0x48, 0xE0, 0xC8]),
                  ("Pause", [0xE1, 0x1D, 0x45, 0xE1, 0x9D, 0xC5]),
                  ("Print Screen", [0xE0, 0x2A, 0xE0, 0x37, 0xE0, 0xB7, 0xE0, 0xAA]),
                  ("keypad Enter", [0xE0, 0x1C, 0xE0, 0x9C]),
                  ("right Ctrl", [0xE0, 0x1D]), ("right Ctrl up", [0xE0, 0x9D]),
                  ("F12", [0x58, 0xD8])]:
    # (xdotool presses the left Ctrl around a right Ctrl: 1d/9d between)
    i = find(seq, pos)
    check(i >= 0, "%s: %s, in order" % (name, hexs(seq)))
    if i >= 0:
        pos = i + len(seq)
makes = kbd.count(0x30)
brk = find([0xB0])
check(makes >= 3 and kbd.count(0xB0) == 1 and brk > max(i for i, b in enumerate(kbd) if b == 0x30),
      "held b: %d makes (30) from typematic repeat, then one break (b0)" % makes)
i = find([0x1D, 0x38])
check(i >= 0 and find([0xB8], i) >= 0 and find([0x9D], i) >= 0,
      "Ctrl-Alt-G: Ctrl and Alt (1d 38 ... b8 9d) reach the guest")
check(0x22 not in kbd and 0xA2 not in kbd, "Ctrl-Alt-G: the G (22/a2) does not")
i = find([0x1D, 0x38, 0xE0, 0x53, 0xE0, 0xD3, 0xB8, 0x9D])
check(i >= 0, "Ctrl-Alt-End sends Ctrl-Alt-Del (1d 38 e0 53 e0 d3 b8 9d)")
check(find([0xE0, 0x4F]) < 0, "Ctrl-Alt-End: the End (e0 4f) does not reach the guest")

print("mouse bytes: " + hexs(mouse))
check(len(mouse) % 4 == 0 and len(mouse) > 0, "mouse: %d bytes, whole 4-byte packets" % len(mouse))
packets = [mouse[i:i + 4] for i in range(0, len(mouse) - 3, 4)]
check(all(p[0] & 0x08 for p in packets), "mouse: every packet's first byte has bit 3 set")
def dx(p):
    return p[1] - 256 if p[0] & 0x10 else p[1]
def dz(p):
    return (p[3] & 0x0F) - 16 if p[3] & 0x08 else p[3] & 0x0F
right = sum(dx(p) for p in packets)
check(right > 0, "mouse: motion to the right (dx total %d)" % right)
buttons = [p[0] & 7 for p in packets]
presses = {b: sum(1 for k in range(len(buttons)) if buttons[k] & b and (k == 0 or not buttons[k - 1] & b))
           for b in (1, 2, 4)}
check(presses[1] == 1, "mouse: one left click (the grabbing click is not passed on): %d" % presses[1])
check(presses[2] == 1, "mouse: one right click: %d" % presses[2])
check(presses[4] == 1, "mouse: one middle click: %d" % presses[4])
check(buttons and buttons[-1] == 0, "mouse: no button left pressed")
wheel = [dz(p) for p in packets if dz(p)]
check(wheel == [-1, 1], "mouse: wheel up then down, dz -1 then +1: %s" % wheel)
sys.exit(1 if fails else 0)
PYTHON

if [ $failures -eq 0 ]; then
    echo "sdl_input: all checks passed"
    exit 0
fi
echo "sdl_input: $failures checks failed"
exit 1
