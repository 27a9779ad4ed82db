#!/bin/bash
# linux_boot.sh -- boots Debian's i686 kernel with a busybox initramfs
# (tools/linux_fetch.sh) to a shell on ttyS0, runs commands through the
# serial console and asserts their output; poweroff must end x86lab with 0.
# Env: LINUX_APPEND (extra kernel options; default cryptomgr.notests: the
# kernel's crypto self-tests are 40% of the boot's instructions; set it
# empty to run them), LINUX_ENGINE (default interp),
# LINUX_WATCHDOG (host seconds, default 540: run-all.sh kills at 600).
. "$(dirname "$0")/boot_common.inc" "${1:-build}" linux_boot || exit 1

if ! tools/linux_fetch.sh "$BUILD"; then
    echo "FAIL linux_boot: the Debian kernel/busybox could not be fetched with apt"
    exit 1
fi
OUT=$DIR/serial.txt
FIFO=$DIR/stdin.fifo
rm -f "$OUT" "$FIFO" "$DIR/done"
mkfifo "$FIFO" || exit 1

# The driver: waits for the shell prompt, then types each command after
# the previous one's prompt came back (the commands' order is the list's).
prompts() { grep -o '/ # ' "$OUT" 2>/dev/null | wc -l; }
(
    exec 3>"$FIFO"
    n=0
    for c in 'uname -a' 'cat /proc/cpuinfo' 'echo R=$((6*7))' \
             'cat /proc/interrupts' 'poweroff -f'; do
        n=$((n + 1))
        while [ "$(prompts)" -lt $n ]; do
            # x86lab gone (crash, watchdog): stop typing.
            [ -f "$DIR/done" ] && exit 0
            sleep 1
        done
        printf '%s\n' "$c" >&3
    done
    while [ ! -f "$DIR/done" ]; do sleep 1; done
) &
driver=$!
start=$(date +%s.%N)
"$X86LAB" -m 256 -kernel "$BUILD/linux/vmlinuz" -initrd "$BUILD/linux/initrd.gz" \
    -append "console=ttyS0 ${LINUX_APPEND-cryptomgr.notests}" -nographic --stats \
    --engine="${LINUX_ENGINE:-interp}" --watchdog="${LINUX_WATCHDOG:-540}" \
    <"$FIFO" >"$OUT" 2>"$DIR/stderr.txt"
rc=$?
end=$(date +%s.%N)
touch "$DIR/done"
kill "$driver" 2>/dev/null
rm -f "$FIFO"

grep -q "X86LAB-LINUX-INIT-OK" "$OUT" && pass "linux: /init ran (shell reached)" ||
    fail "linux: /init never ran (last line: $(tail -n 1 "$OUT"))"
grep -q "Linux .* 6\.[0-9.]*-.*686 .* i686 GNU/Linux" "$OUT" &&
    pass "linux: uname -a" || fail "linux: uname -a output missing"
grep -q "^model name.*: ." "$OUT" && grep -q "^flags.*: .*fpu.*tsc.*cx8" "$OUT" &&
    pass "linux: /proc/cpuinfo model name and flags" ||
    fail "linux: /proc/cpuinfo model name/flags (fpu tsc cx8) missing"
grep -q "^ *LOC: *[1-9][0-9]* *Local timer interrupts" "$OUT" &&
    pass "linux: /proc/interrupts counts local APIC timer interrupts" ||
    fail "linux: /proc/interrupts shows no local APIC timer interrupts"
grep -q "^R=42" "$OUT" && pass "linux: echo \$((6*7))" || fail "linux: R=42 missing"
[ $rc -eq 0 ] && pass "linux: poweroff ended x86lab with status 0" ||
    fail "linux: x86lab exited with status $rc (expected 0 after poweroff)"
insns=$(sed -n 's/^x86lab: \([0-9]*\) instructions in.*/\1/p' "$DIR/stderr.txt")
echo "linux: boot+commands took $(awk "BEGIN { printf \"%.1f\", $end - $start }") s," \
     "${insns:-?} instructions (engine ${LINUX_ENGINE:-interp})"
[ $failures -eq 0 ]
