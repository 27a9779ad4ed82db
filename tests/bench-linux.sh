#!/bin/bash
# bench-linux.sh BUILD -- make bench's Linux row (issue #12): Debian's i686
# kernel and the test initramfs (tools/linux_fetch.sh) booted to where the
# shell would start, then powered off (x86lab.poweroff on the command
# line), in x86lab's interpreter and translator and, when installed, in
# QEMU's TCG with the same kernel, initramfs and options.  Prints each
# boot-to-poweroff time (wall, and CPU time user+system) and the
# translator's time over QEMU TCG's (target: at most 1.0).
set -u
BUILD=${1:-build}
cd "$(dirname "$0")/.." || exit 1
X86LAB=$BUILD/x86lab
if ! tools/linux_fetch.sh "$BUILD" >/dev/null; then
    echo "Linux boot: the Debian kernel/busybox could not be fetched with apt; skipped"
    exit 0
fi
K=$BUILD/linux/vmlinuz
I=$BUILD/linux/initrd.gz
APPEND="console=ttyS0 cryptomgr.notests x86lab.poweroff"
out=$BUILD/bench/linux
mkdir -p "$out"

# run NAME CMD...: wall and CPU seconds of CMD into $wall/$cpu; its
# output in $out/NAME.txt; 0 when it reached the init (and powered off).
run() {
    local name=$1; shift
    local start end
    start=$(date +%s.%N)
    { TIMEFORMAT='%U %S'; time "$@" > "$out/$name.txt" 2> "$out/$name.err" < /dev/null; } 2> "$out/$name.cpu"
    end=$(date +%s.%N)
    wall=$(awk "BEGIN { print $end - $start }")
    cpu=$(awk '{ print $1 + $2 }' "$out/$name.cpu")
    grep -q X86LAB-LINUX-INIT-OK "$out/$name.txt"
}

declare -A walls cpus
for e in interp bt; do
    if run "x86lab-$e" timeout 600 "$X86LAB" -m 256 -kernel "$K" -initrd "$I" -append "$APPEND" \
            -nographic --engine="$e"; then
        walls[$e]=$wall cpus[$e]=$cpu
        printf 'Linux boot to the shell, x86lab %-6s: %6.2f s wall, %6.2f s CPU\n' "$e" "$wall" "$cpu"
    else
        echo "Linux boot, x86lab $e: did not reach the shell (see $out/x86lab-$e.txt)"
    fi
done
if command -v qemu-system-i386 >/dev/null; then
    if run qemu timeout 600 qemu-system-i386 -m 256 -kernel "$K" -initrd "$I" -append "$APPEND" \
            -nographic -no-reboot; then
        printf 'Linux boot to the shell, QEMU TCG    : %6.2f s wall, %6.2f s CPU\n' "$wall" "$cpu"
        [ -n "${walls[bt]:-}" ] &&
            printf 'Linux boot: x86lab translator / QEMU TCG = %.2f wall, %.2f CPU (target <= 1.0)\n' \
                "$(awk "BEGIN { print ${walls[bt]} / $wall }")" "$(awk "BEGIN { print ${cpus[bt]} / $cpu }")"
    else
        echo "Linux boot, QEMU TCG: did not reach the shell (see $out/qemu.txt)"
    fi
else
    echo "Linux boot, QEMU TCG: qemu-system-i386 not installed; skipped"
fi
exit 0
