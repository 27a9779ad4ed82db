#!/bin/bash
# linux_boot.sh -- boots Debian's i686 kernel with a busybox initramfs
# (tools/linux_fetch.sh) to a shell on ttyS0, runs commands through the
# serial console and asserts their output; poweroff must end x86lab with 0.
# Env: LINUX_APPEND (extra kernel options; default cryptomgr.notests: the
# kernel's crypto self-tests are 40% of the boot's instructions; set it
# empty to run them), LINUX_ENGINE (default interp),
# LINUX_WATCHDOG (host seconds, default 540: run-all.sh kills at 600),
# LINUX_SMP (a CPU count: boots with -smp N and checks that /proc/cpuinfo
# and /sys/devices/system/cpu/online show the N CPUs; unset: one CPU, no
# -smp option, as before).
. "$(dirname "$0")/boot_common.inc" "${1:-build}" "linux_boot${LINUX_SMP:+_smp$LINUX_SMP}" || exit 1

if ! tools/linux_fetch.sh "$BUILD"; then
    echo "FAIL linux_boot: the Debian kernel/busybox could not be fetched with apt"
    exit 1
fi
OUT=$DIR/serial.txt
# The FIFO lives in /tmp: the KVM sandbox's shared directory (9p) has none.
FIFO=$(mktemp -u "${TMPDIR:-/tmp}/x86lab-linux.XXXXXX") || exit 1
rm -f "$OUT" "$DIR/done"
mkfifo "$FIFO" || exit 1

# The driver: waits for the shell prompt, then types each command after
# the previous one's prompt came back (the commands' order is the list's).
prompts() { grep -o '/ # ' "$OUT" 2>/dev/null | wc -l; }
cmds=('uname -a' 'cat /proc/cpuinfo' 'echo R=$((6*7))' 'cat /proc/interrupts')
# The ext2 disk on the first IDE channel (ata_piix, sd_mod, ext4 loaded by
# /init): read the file mke2fs -d put there, write one, unmount.
cmds+=('mount -t ext2 /dev/sda /mnt && echo MOUNTED' 'cat /mnt/hello.txt'
       'echo X86LAB-WROTE-$((6*7)) > /mnt/new.txt && umount /mnt && echo UNMOUNTED')
smp_opt=()
if [ -n "${LINUX_SMP:-}" ]; then
    smp_opt=(-smp "$LINUX_SMP")
    cmds+=('echo ONLINE=$(cat /sys/devices/system/cpu/online)')
fi
cmds+=('poweroff -f')
(
    exec 3>"$FIFO"
    n=0
    for c in "${cmds[@]}"; do
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
rm -rf "$DIR/ext2" "$DIR/ext2.img" && mkdir -p "$DIR/ext2" || exit 1
echo "hello from an ext2 disk made by mke2fs -d" > "$DIR/ext2/hello.txt"
if ! mke2fs -q -t ext2 -d "$DIR/ext2" "$DIR/ext2.img" 4M; then
    echo "FAIL linux: mke2fs -d could not make the ext2 image"
    exit 1
fi
start=$(date +%s.%N)
"$X86LAB" -m 256 -drive "file=$DIR/ext2.img,format=raw,index=0,media=disk" --write-disk -kernel "$BUILD/linux/vmlinuz" -initrd "$BUILD/linux/initrd.gz" \
    -append "console=ttyS0 ${LINUX_APPEND-cryptomgr.notests}" -nographic --stats \
    --engine="${LINUX_ENGINE:-interp}" --watchdog="${LINUX_WATCHDOG:-540}" "${smp_opt[@]}" \
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
# (one column per CPU: every CPU's count must be non-zero)
grep -a "^ *LOC:.*Local timer interrupts" "$OUT" | head -n 1 |
    awk '{ for (i = 2; i <= NF - 3; i++) if ($i + 0 == 0) exit 1; exit NF < 5 }' &&
    pass "linux: /proc/interrupts counts local APIC timer interrupts" ||
    fail "linux: /proc/interrupts shows no local APIC timer interrupts"
grep -q "^R=42" "$OUT" && pass "linux: echo \$((6*7))" || fail "linux: R=42 missing"
grep -q "^MOUNTED" "$OUT" && grep -q "^hello from an ext2 disk made by mke2fs -d" "$OUT" &&
    pass "linux: mounted the ext2 IDE disk and read its file" ||
    fail "linux: the ext2 disk: no mount or no file ($(grep -a -m1 'INSMOD-FAILED\|mount:\|ata1' "$OUT"))"
wrote=$(debugfs -R "cat /new.txt" "$DIR/ext2.img" 2>/dev/null)
grep -q "^UNMOUNTED" "$OUT" && [ "$wrote" = "X86LAB-WROTE-42" ] &&
    pass "linux: the file Linux wrote is in the image (debugfs)" ||
    fail "linux: the file Linux wrote: '$wrote' in the image, want X86LAB-WROTE-42"
if [ -n "${LINUX_SMP:-}" ]; then
    # processor 0 .. N-1 in /proc/cpuinfo, and all of them online
    want=$(seq 0 $((LINUX_SMP - 1)) | tr '\n' ' ' | sed 's/ $//')
    got=$(tr -d '\r' < "$OUT" | sed -n 's/^processor[[:space:]]*: \([0-9]*\)$/\1/p' | tr '\n' ' ' |
          sed 's/ $//')
    [ "$got" = "$want" ] && pass "linux: /proc/cpuinfo lists processors $got" ||
        fail "linux: /proc/cpuinfo lists processors '$got', want '$want'"
    online=$([ "$LINUX_SMP" -eq 1 ] && echo 0 || echo "0-$((LINUX_SMP - 1))")
    tr -d '\r' < "$OUT" | grep -q "^ONLINE=$online\$" && pass "linux: CPUs $online online" ||
        fail "linux: /sys/devices/system/cpu/online is not $online:" \
             "$(tr -d '\r' < "$OUT" | grep '^ONLINE=' | head -n 1)"
fi
[ $rc -eq 0 ] && pass "linux: poweroff ended x86lab with status 0" ||
    fail "linux: x86lab exited with status $rc (expected 0 after poweroff)"
insns=$(sed -n 's/^x86lab: \([0-9]*\) instructions in.*/\1/p' "$DIR/stderr.txt")
echo "linux: boot+commands took $(awk "BEGIN { printf \"%.1f\", $end - $start }") s," \
     "${insns:-?} instructions (engine ${LINUX_ENGINE:-interp}${LINUX_SMP:+, -smp $LINUX_SMP})"
[ $failures -eq 0 ]
