#!/bin/bash
# contain_runaway.sh BUILD SHARED -- a guest that never ends by itself
# ends with a clear report on stderr and a documented exit status, in the
# interpreter and in the translator (x86lab --help, "Exit status"):
#   - spinning forever (jmp $, with interrupts on or off), and spinning in
#     a tight REP loop: --watchdog=1 stops it, status 6, "watchdog";
#   - HLT with interrupts off: status 0, "halted with interrupts off";
#   - a triple fault of a flat binary: status 3, "triple-faulted";
#   - a boot sector that triple-faults under the BIOS: with -no-reboot
#     status 3; without it the machine resets and boots again forever,
#     and --watchdog=2 ends that too (status 6).
# Exit status 0 when every check held.
set -u
BUILD=$(cd "${1:-build}" && pwd) || exit 1
X86LAB=$BUILD/x86lab
DIR=$BUILD/runaway
rm -rf "$DIR"
mkdir -p "$DIR"
failures=0
pass() { echo "ok   $*"; }
fail() { echo "FAIL $*"; failures=$((failures + 1)); }
[ -x "$X86LAB" ] || { echo "FAIL $X86LAB not built"; exit 1; }

# guest NAME HEX: a flat binary from machine code
guest() { printf "$(echo "$2" | sed 's/../\\x&/g')" > "$DIR/$1.bin"; }
guest spin_sti   "fbebfe"                 # sti; jmp $
guest spin_cli   "faebfe"                 # cli; jmp $
guest spin_rep   "fab800108ec031ffb9ffffb000f3aaebf5"   # cli; es=0x1000; xor di,di; mov cx,-1; mov al,0; rep stosb; jmp
guest halt       "faf4"                   # cli; hlt
guest triple     "fa0f011e0a7ccd030000000000000000"   # cli; lidt [7c0a] (limit 0); int3
# a boot sector: the same triple fault, under the BIOS
python3 - "$DIR/triple.img" <<'PY'
import sys
code = bytes.fromhex('fa0f011e0a7ccd03') + bytes(8)
sector = code + bytes(510 - len(code)) + b'\x55\xaa'
open(sys.argv[1], 'wb').write(sector + bytes(1474560 - 512))
PY

# expect WANT-STATUS TEXT LABEL ARGS...: run, check the status and stderr
expect() {
    local want=$1 text=$2 label=$3
    shift 3
    local start=$EPOCHREALTIME
    timeout 60 "$X86LAB" "$@" > "$DIR/out" 2> "$DIR/err" < /dev/null
    local status=$?
    local secs
    secs=$(awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }')
    if [ $status -eq "$want" ] && grep -q "$text" "$DIR/err"; then
        pass "$label: status $status in ${secs}s: $(head -n 1 "$DIR/err")"
    else
        fail "$label: status $status (want $want), stderr: $(head -c 300 "$DIR/err")"
    fi
}

for e in ${RUNAWAY_ENGINES:-interp bt}; do
    eng=(--engine="$e")
    [ "$e" = bt ] && eng+=(--bt-threshold=0)
    flat() { local g=$1; shift; echo -m 16 --load "$DIR/$g.bin@0x7c00" --entry 0:0x7c00 "$@"; }
    # shellcheck disable=SC2046
    expect 6 "watchdog: the guest was still running after 1 s" "$e: jmp \$, interrupts on" \
        $(flat spin_sti --watchdog=1) "${eng[@]}"
    # shellcheck disable=SC2046
    expect 6 "watchdog" "$e: jmp \$, interrupts off" $(flat spin_cli --watchdog=1) "${eng[@]}"
    # shellcheck disable=SC2046
    expect 6 "watchdog" "$e: endless REP STOSB loop" $(flat spin_rep --watchdog=1) "${eng[@]}"
    # shellcheck disable=SC2046
    expect 0 "halted with interrupts off" "$e: cli; hlt" $(flat halt) "${eng[@]}"
    # shellcheck disable=SC2046
    expect 3 "triple-faulted" "$e: triple fault (flat binary)" $(flat triple) "${eng[@]}"
    expect 3 "triple-faulted" "$e: triple fault at boot, -no-reboot" \
        -m 16 -fda "$DIR/triple.img" -no-reboot "${eng[@]}"
    expect 6 "watchdog" "$e: triple fault at boot, rebooting forever" \
        -m 16 -fda "$DIR/triple.img" --watchdog=2 "${eng[@]}"
done
expect 2 "watchdog: expected seconds" "--watchdog=0 is refused" --watchdog=0
expect 2 "watchdog: expected seconds" "--watchdog=x is refused" --watchdog=x

if [ $failures -eq 0 ]; then
    echo "contain_runaway: all checks passed"
    exit 0
fi
echo "contain_runaway: $failures checks failed"
exit 1
