#!/bin/bash
# cli_options.sh BUILD SHARED -- the command line: every documented
# option (QEMU's forms included) is accepted -- the machine then starts
# its BIOS and stops at --max-insns (exit status 4), or boots the test
# kernel tests/kernels/mb_aout.bin (status 1) -- and every malformed form
# is refused with exit status 2 and one line on stderr naming the option.
# Also: --help lists the options in their groups and marks QEMU's.
set -u
BUILD=${1:-build}
X=$BUILD/x86lab
KERNEL=$BUILD/tests/kernels/mb_aout.bin
for f in "$X" "$BUILD/bios/bios.bin" "$KERNEL"; do
    [ -e "$f" ] || { echo "FAIL $f is missing (run make BUILD=$BUILD first)"; exit 1; }
done
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fails=0
checks=0
ok() { echo "ok   $*"; checks=$((checks + 1)); }
bad() { echo "FAIL $*"; fails=$((fails + 1)); }

truncate -s 1M "$T/hd.img"
truncate -s 1474560 "$T/fd.img"
truncate -s 2048000 "$T/cd.iso"

# accepts WANT-STATUS ARGS...: the options are taken
accepts() {
    local want=$1
    shift
    timeout 60 "$X" --max-insns 2000 "$@" > "$T/out" 2> "$T/err" < /dev/null
    local st=$?
    if [ $st -eq "$want" ]; then
        ok "accepted: $*"
    else
        bad "$*: exit status $st, want $want: $(head -c 300 "$T/err")"
    fi
}
# rejects OPTION ARGS...: exit status 2, one line naming OPTION
rejects() {
    local opt=$1
    shift
    timeout 60 "$X" --max-insns 2000 "$@" > "$T/out" 2> "$T/err" < /dev/null
    local st=$? lines
    lines=$(wc -l < "$T/err")
    if [ $st -eq 2 ] && [ "$lines" -eq 1 ] && grep -qF -- "$opt" "$T/err"; then
        ok "rejected: $* -- $(cat "$T/err")"
    else
        bad "$*: status $st, $lines lines, want 2 and one line naming $opt: $(head -c 300 "$T/err")"
    fi
}

# ---- machine ----
for m in 64 64M 64m 1G 1g size=128 size=128M 131072K; do accepts 4 -m "$m"; done
for c in qemu32 pentium pentium2 pentium3 486 486-v1 host max kvm32 p6 386; do
    accepts 4 -cpu "$c"
done
accepts 4 --cpu=pentium
for s in 1 cpus=1 1,sockets=1,cores=1,threads=1 1,maxcpus=1 2 cpus=4 8 sockets=2,cores=2 \
         4,sockets=4 2,maxcpus=2; do accepts 4 -smp "$s"; done
for mach in pc pc-i440fx-7.2 pc,accel=tcg isapc pc,acpi=off; do accepts 4 -machine "$mach"; done
accepts 4 -no-acpi
accepts 4 -M pc
accepts 4 -device isa-debug-exit,iobase=0xf4,iosize=0x04
accepts 4 -device isa-debug-exit,iosize=4,iobase=0xf4
accepts 4 -no-shutdown
for mon in stdio vc none; do accepts 4 -monitor "$mon"; done
accepts 4 -no-reboot
rejects -m -m 0
rejects -m -m abc
rejects -m -m 5000
rejects -m -m 4G
rejects -m -m 1.5G
rejects -m -m 100X
rejects -m -m 512K
rejects -m -m size=
rejects -m -m 64,slots=2
rejects -cpu -cpu pentium4
rejects -cpu -cpu bogus
rejects -cpu -cpu qemu32,+sse2
rejects -smp -smp 9
rejects -smp -smp cpus=16
rejects -smp -smp 2,maxcpus=4
rejects -smp -smp 2 -cpu 486
rejects -smp -smp 2 --engine=kvm
rejects -smp -smp 0
rejects -smp -smp x
rejects -smp -smp 1,cores=2
rejects -smp -smp 1,bogus=1
rejects -machine -machine q35
rejects -monitor -monitor tcp::4444
rejects -machine -M microvm
rejects -machine -machine pc,accel=hvf
rejects -device -device e1000
rejects -device -device isa-debug-exit,iobase=0x501
rejects -device -device isa-debug-exit,iobase=0xf4,iosize=2
rejects -device -device isa-debug-exit,bogus=1
rejects -device -device isa-debug-exit,iobase=
rejects -device -device isa-debug-exit,iosize=-4,iobase=0xf4
"$X" -machine help > "$T/out" 2>&1
st=$?
[ $st -eq 0 ] && grep -q '^pc ' "$T/out" && ok "-machine help lists pc"                                         || bad "-machine help: status $st: $(head -c 200 "$T/out")"

# ---- disks ----
accepts 4 -hda "$T/hd.img"
accepts 4 -hdb "$T/hd.img" -snapshot
accepts 4 -hdc "$T/hd.img"
accepts 4 -hdd "$T/hd.img"
accepts 4 -fda "$T/fd.img"
accepts 4 -fdb "$T/fd.img"
accepts 4 -cdrom "$T/cd.iso"
accepts 4 -drive "file=$T/hd.img,index=0,media=disk,format=raw,if=ide"
accepts 4 -drive "file=$T/cd.iso,index=2,media=cdrom"
accepts 4 -drive "file=$T/fd.img,if=floppy,index=0,format=raw"
accepts 4 -drive "if=floppy,file=$T/fd.img" -drive "if=floppy,file=$T/fd.img,readonly=on"
accepts 4 -snapshot -hda "$T/hd.img"
rejects -hda -hda "$T/none.img"
rejects -drive -drive "file=$T/hd.img,if=virtio"
rejects -drive -drive "if=floppy"
rejects -drive -drive "file=$T/fd.img,if=floppy,index=2"
rejects -drive -drive "file=$T/fd.img,if=floppy,bogus=1"
rejects -drive -drive "file=$T/fd.img,if=floppy" -drive "file=$T/fd.img,if=floppy" \
    -drive "file=$T/fd.img,if=floppy"
rejects -fda -fda "$T/hd.img"
rejects -cdrom -hdc "$T/hd.img" -cdrom "$T/cd.iso"

# ---- boot ----
for b in c order=c d dc order=dc,menu=on once=d menu=off acd; do accepts 4 -boot "$b"; done
accepts 4 -bios "$BUILD/bios/bios.bin"
accepts 1 -kernel "$KERNEL"
accepts 1 -kernel "$KERNEL" -append "console=ttyS0" -initrd "$T/hd.img"
rejects -boot -boot z
rejects -boot -boot order=
rejects -boot -boot cc
rejects -boot -boot ""
rejects -bios -bios "$T/none.bin"
rejects -kernel -kernel "$T/none"
rejects -kernel -kernel "$T/hd.img"
rejects -initrd -initrd "$T/hd.img"
rejects -append -append "quiet"
rejects -kernel -kernel "$KERNEL" --entry 0:0x7c00

# ---- display and serial ----
accepts 4 -nographic
accepts 4 -display none
for s in stdio mon:stdio "file:$T/com1.txt" none; do accepts 4 -serial "$s"; done
accepts 4 -serial none -serial "file:$T/com2.txt"
for d in stdio "file:$T/con.txt" none; do accepts 4 -debugcon "$d"; done
rejects -serial -serial bogus
rejects -serial -serial none -serial none -serial none
rejects -display -display gtk
rejects -debugcon -debugcon bogus

# ---- the rest ----
rejects --max-insns --max-insns abc
rejects "unknown option" -bogus-option
rejects "needs a value" -m
rejects "needs a value" -kernel
rejects "needs a value" -device

# ---- --help ----
"$X" --help > "$T/help" 2>&1
st=$?
[ $st -eq 0 ] && ok "--help exits with 0" || bad "--help: exit status $st"
for group in Machine: Disks: Boot: "Display and serial ports:" Debugging: Engines: Statistics:; do
    grep -qx -- "$group" "$T/help" && ok "--help has the group '$group'" \
                                    || bad "--help lacks the group '$group'"
done
for opt in -m -cpu -machine -smp -device -no-shutdown -fda -fdb -hda -cdrom -drive \
           -snapshot -bios -boot -kernel -initrd -append -no-reboot -nographic -display \
           -serial -debugcon; do
    grep -qE -- "^  $opt[ ,/].*\[Q\]" "$T/help" && ok "--help marks $opt as QEMU's" \
                                               || bad "--help: no '[Q]' line for $opt"
done

if [ $fails -eq 0 ]; then
    echo "$checks checks passed"
    exit 0
fi
echo "$fails FAIL, $checks ok"
exit 1
