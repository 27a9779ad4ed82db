#!/bin/bash
# sdl_display.sh BUILD SHARED -- the SDL window under Xvfb shows every kind
# of VGA screen exactly: guests from tests/sdl draw an 80x25 text screen
# (every character and attribute, glyphs of their own in plane 2, the
# cursor), mode 13h, planar mode 12h and VBE linear-framebuffer modes at
# 8, 15, 16, 24 and 32 bpp.  For each: the window takes the mode's size
# times its scale (a mode change resizes it), an X capture of the window
# (xwd) and the PNG of the screenshot hotkey (Ctrl-Alt-S) are compared by
# tests/sdl/shotcmp with what the guest drew (text: every cell decoded back
# with the font); the text screen again after Ctrl-Alt-+ (scale 2), with
# the menu (Ctrl-Alt-H) over it and after Esc closed it; closing the
# window (WM_DELETE_WINDOW) ends x86lab with status 0.
set -u
. "$(dirname "$0")/sdl_common.inc" "${1:-build}" sdl_display || exit 1
start_xvfb || exit 1

# capture_check WID KIND SCALE NAME: xwd of the window, compared.
capture_check() {
    xwd -id "$1" -silent -out "$DIR/$4.xwd"
    if "$SDLT/shotcmp" --scale "$3" "$2" "$DIR/$4.xwd" > "$DIR/$4.cmp" 2>&1; then
        pass "$4: window capture (scale $3) shows what the guest drew"
    else
        fail "$4: window capture (scale $3) differs from what the guest drew:"
        sed 's/^/    /' "$DIR/$4.cmp" | head -n 12
    fi
}

# screenshot_check WID KIND NAME: Ctrl-Alt-S, then the PNG compared.
screenshot_check() {
    local png=$DIR/$3/x86lab-0001.png
    key "$1" ctrl+alt+s
    if ! wait_for "$DIR/$3.log" "screenshot .*x86lab-0001.png" 5 || [ ! -f "$png" ]; then
        fail "$3: no screenshot after Ctrl-Alt-S"
        return
    fi
    if "$SDLT/shotcmp" "$2" "$png" > "$DIR/$3-png.cmp" 2>&1; then
        pass "$3: screenshot PNG shows what the guest drew"
    else
        fail "$3: screenshot PNG differs from what the guest drew:"
        sed 's/^/    /' "$DIR/$3-png.cmp" | head -n 12
    fi
}

# menu_check WID NAME: Ctrl-Alt-H draws the menu over the picture (the
# capture no longer matches), Esc closes it (it matches again).
menu_check() {
    key "$1" ctrl+alt+h
    sleep 0.3
    xwd -id "$1" -silent -out "$DIR/$2-menu.xwd"
    if "$SDLT/shotcmp" --scale 2 text "$DIR/$2-menu.xwd" > "$DIR/$2-menu.cmp" 2>&1; then
        fail "$2: Ctrl-Alt-H: no menu over the picture"
    else
        pass "$2: Ctrl-Alt-H draws the menu over the picture"
    fi
    key "$1" Escape
    sleep 0.3
    capture_check "$1" text 2 "$2-menu-closed"
}

# one NAME KIND WxH SCALE ENTRY...: a guest in the window, checked.
one() {
    local name=$1 kind=$2 size=$3 scale=$4 w h wid
    shift 4
    mkdir -p "$DIR/$name"
    start_x86lab "$DIR/$name.log" -m 16 --load "$SDLT/$kind.bin@0x7c00" "$@" \
        -display sdl --display-scale="$scale" --screenshot-dir "$DIR/$name"
    if ! wait_for "$DIR/$name.log" '^ready' 30; then
        fail "$name: the guest never said ready:"
        sed 's/^/    /' "$DIR/$name.log" | tail -n 5
        return
    fi
    wid=$(window_id)
    [ -n "$wid" ] || { fail "$name: no x86lab window"; return; }
    w=$((${size%x*} * scale))
    h=$((${size#*x} * scale))
    if wait_size "$wid" "${w}x$h" 5; then
        pass "$name: the window is ${w}x$h (the mode's size times $scale)"
    else
        fail "$name: the window is $(window_size "$wid"), not ${w}x$h"
    fi
    sleep 0.3                                # a frame or two after "ready"
    capture_check "$wid" "$kind" "$scale" "$name"
    if [ "$kind" = text ]; then              # Ctrl-Alt-+: the next scale
        key "$wid" ctrl+alt+equal
        if wait_size "$wid" "$((w * 2))x$((h * 2))" 5; then
            pass "$name: Ctrl-Alt-+ made the window $((w * 2))x$((h * 2))"
            sleep 0.3
            capture_check "$wid" "$kind" 2 "$name-x2"
            menu_check "$wid" "$name"
        else
            fail "$name: Ctrl-Alt-+ left the window $(window_size "$wid")"
        fi
    fi
    screenshot_check "$wid" "$kind" "$name"
    if close_x86lab "$wid" "$DIR/$name.log"; then
        pass "$name: closing the window powered the machine off (status 0)"
    else
        fail "$name: closing the window did not end x86lab cleanly"
    fi
}

one text text 720x400 1 --entry 0:0x7c00
one mode13 mode13 320x200 2 --entry 0:0x7c00
one mode12 mode12 640x480 1 --entry 0:0x7c00
for v in vbe8:640x480 vbe15:800x600 vbe16:640x400 vbe24:640x480 vbe32:1024x768; do
    one "${v%%:*}" "${v%%:*}" "${v#*:}" 1 --entry32 0x7c00
done

if [ $failures -eq 0 ]; then
    echo "sdl_display: all checks passed"
    exit 0
fi
echo "sdl_display: $failures checks failed"
exit 1
