#!/bin/bash
# bench-kvm.sh BUILD SHARED -- the KVM rows of `make bench` (tests/bench.sh
# calls it): the benchmark floppy (SHARED/bench/bench.img) under
# --engine=kvm, the port-I/O round trip (ns per OUT that exits, devices in
# user space vs --kvm-irqchip), and QEMU with -enable-kvm on the same
# image.  Where /dev/kvm cannot run the engine it says so and why, and
# exits 0.  Under nested KVM (the sandbox) it says the figures are not KVM
# performance; tests/kvm/run-kvm.sh runs it there with IO_N small and only
# checks that every run completes with the expected output (exit 0).
#   REPS  runs of the image (median; 3)    IO_N  OUTs per round trip run (200000)
set -u
BUILD=${1:-build}
SHARED=${2:-../shared}
REPS=${REPS:-3}
IO_N=${IO_N:-200000}
X=$BUILD/x86lab
IMG=$SHARED/bench/bench.img
IO=$BUILD/tests/kvm/io_roundtrip.bin
out=$BUILD/bench
mkdir -p "$out"
EXPECTED="x86lab-bench scale=1 kernels=0000000f
sieve rounds=8 check=229bcae9
crc32 rounds=192 check=5ed7ab86
matmul rounds=64 check=7bf36025
string rounds=320 check=9df63f83
X86LAB-BENCH-DONE check=0b848c75"

line=$("$X" --engines 2>/dev/null | grep '^kvm ')
if [[ $line != *": available"* ]]; then
    echo "KVM: skipped: ${line#*: unavailable: }"
    echo "QEMU KVM: skipped: no usable /dev/kvm on this host"
    exit 0
fi
nested=""
if grep -qw hypervisor /proc/cpuinfo; then
    nested=" [nested KVM under emulation: not KVM performance]"
    echo "KVM: this host is itself a virtual machine: the figures below are NOT KVM performance"
fi

median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
now() { date +%s.%N; }

# --- the benchmark image ---
times=()
for r in $(seq "$REPS"); do
    start=$(now)
    timeout 600 "$X" -m 32 -fda "$IMG" --engine=kvm -debugcon "file:$out/kvm.txt" --stats \
        2> "$out/kvm.err" < /dev/null
    status=$?
    end=$(now)
    if [ $status -ne 1 ] || [ "$(grep -v '^x86lab BIOS' "$out/kvm.txt" | head -6)" != "$EXPECTED" ]; then
        echo "bench: x86lab KVM FAILED (exit $status); output:" >&2
        cat "$out/kvm.txt" "$out/kvm.err" >&2
        exit 1
    fi
    times+=("$(awk "BEGIN{print $end - $start}")")
done
t_kvm=$(printf '%s\n' "${times[@]}" | median)
exits=$(sed -n 's/^x86lab:   kvm exit \(.*\)  *us handling.*/\1/p' "$out/kvm.err" | awk '{s += $(NF-1)} END {print s + 0}')
native=$out/native/native64-all-x1
ratio=""
if [ -x "$native" ]; then
    start=$(now); "$native" > /dev/null; end=$(now)
    ratio=$(awk "BEGIN{printf \"; KVM/native = %.2fx\", $t_kvm / ($end - $start)}")
fi
printf 'x86lab KVM:         %.2f s for the whole boot (median of %d), %d VM exits%s%s\n' \
    "$t_kvm" "$REPS" "$exits" "$ratio" "$nested"

# --- port-I/O round trip: ns per OUT that leaves the guest ---
roundtrip() {   # roundtrip PORT ARGS...: prints ns per OUT
    printf "$(printf '\\x%02x\\x%02x\\x%02x\\x%02x\\x%02x\\x%02x' \
        $((IO_N & 255)) $((IO_N >> 8 & 255)) $((IO_N >> 16 & 255)) $((IO_N >> 24 & 255)) \
        $(($1 & 255)) $(($1 >> 8)))" > "$out/io_n.bin"
    local start end st
    start=$(now)
    timeout 600 "$X" -m 16 --load "$IO@0x7c00" --load "$out/io_n.bin@0x600" --entry 0:0x7c00 \
        --engine=kvm "${@:2}" > "$out/io.out" 2>&1 < /dev/null
    st=$?
    end=$(now)
    if [ $st -ne 1 ]; then
        echo "bench: port-I/O round trip on port $1 ${*:2} FAILED (exit $st)" >&2
        cat "$out/io.out" >&2
        return 1
    fi
    awk "BEGIN{printf \"%.0f\", ($end - $start) * 1e9 / $IO_N}"
}
[ -f "$IO" ] || { echo "bench: $IO not built" >&2; exit 1; }
u80=$(roundtrip 0x80) && u21=$(roundtrip 0x21) && k80=$(roundtrip 0x80 --kvm-irqchip) &&
    k21=$(roundtrip 0x21 --kvm-irqchip) || exit 1
printf 'KVM port I/O:       %s ns per OUT to x86lab (port 0x80), PIC mask port 0x21: %s ns with x86lab'"'"'s PIC, %s ns with --kvm-irqchip (0x80 then: %s ns); %d OUTs%s\n' \
    "$u80" "$u21" "$k21" "$k80" "$IO_N" "$nested"

# --- QEMU's KVM on the same image ---
if ! command -v qemu-system-i386 > /dev/null; then
    echo "QEMU KVM: qemu-system-i386 not installed (apt-get install qemu-system-x86); skipped"
elif [ ! -d /sys/module/kvm_intel ] && [ ! -d /sys/module/kvm_amd ]; then
    echo "QEMU KVM: /dev/kvm is not backed by kvm_intel or kvm_amd here; skipped"
elif [ -n "$nested" ]; then
    echo "QEMU KVM: skipped: this /dev/kvm is nested KVM under emulation (the host is a virtual machine), so a comparison of times would mean nothing"
else
    start=$(now)
    timeout 600 qemu-system-i386 -enable-kvm -display none -m 32 \
        -drive "file=$IMG,format=raw,if=floppy,readonly=on" -boot a \
        -debugcon "file:$out/qemu-kvm.txt" -device isa-debug-exit,iobase=0xf4,iosize=0x04 \
        > "$out/qemu-kvm.err" 2>&1 < /dev/null
    end=$(now)
    if grep -q '^X86LAB-BENCH-DONE check=0b848c75' "$out/qemu-kvm.txt"; then
        t_q=$(awk "BEGIN{print $end - $start}")
        printf 'QEMU KVM (whole boot): %.2f s; x86lab KVM / QEMU KVM = %.2f%s\n' "$t_q" \
            "$(awk "BEGIN{print $t_kvm / $t_q}")" "$nested"
    else
        echo "QEMU KVM: did not complete the benchmark (see $out/qemu-kvm.err); skipped"
    fi
fi
exit 0
