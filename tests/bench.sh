#!/bin/bash
# bench.sh BUILD SHARED -- `make bench`: the interpreter on the benchmark guest
# (SHARED/bench/bench.img, the very image QEMU, Bochs and v86 are timed on),
# and the same workload built natively for x86-64, in one invocation.
#
# The image boots as on a PC: x86lab's BIOS loads its boot sector from the
# floppy, which reads the payload with INT 13h and enters protected mode.
# x86lab's TSC counts retired instructions, so the guest's TSC delta line
# is the instruction count of the workload (plus the BIOS's 18.2 Hz timer
# interrupts that land during it); --stats gives the whole run's count.
set -u
BUILD=${1:-build}
SHARED=${2:-../shared}
IMG=$SHARED/bench/bench.img
REPS=${REPS:-3}
X86LAB=$BUILD/x86lab
EXPECTED="x86lab-bench scale=1 kernels=0000000f
sieve rounds=8 check=229bcae9
crc32 rounds=192 check=5ed7ab86
matmul rounds=64 check=7bf36025
string rounds=320 check=9df63f83
X86LAB-BENCH-DONE check=0b848c75"

[ -f "$IMG" ] || { echo "bench: $IMG not found" >&2; exit 1; }
out=$BUILD/bench
mkdir -p "$out"

median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# --- x86lab interpreter ---
# The machines are shared: wall time says as much about the load as about
# x86lab, so the user + system CPU time of each run is reported too (bash's
# time into OUT.cpu) and the ratios are given for both.
cpu_of() { awk '{print $1 + $2}' "$1"; }
times=()
cpus=()
insns=0
for r in $(seq "$REPS"); do
    start=$(date +%s.%N)
    { TIMEFORMAT='%U %S'; time "$X86LAB" -m 32 -fda "$IMG" -debugcon "file:$out/interp.txt" --stats \
        2> "$out/interp.err"; } 2> "$out/interp.cpu"
    status=$?
    end=$(date +%s.%N)
    cpus+=("$(cpu_of "$out/interp.cpu")")
    if [ $status -ne 1 ] || [ "$(grep -v '^x86lab BIOS' "$out/interp.txt" | head -6)" != "$EXPECTED" ]; then
        echo "bench: x86lab interpreter FAILED (exit $status); output:" >&2
        cat "$out/interp.txt" "$out/interp.err" >&2
        exit 1
    fi
    times+=("$(awk "BEGIN{print $end - $start}")")
    insns=$(sed -n 's/^x86lab: \([0-9]*\) instructions.*/\1/p' "$out/interp.err")
done
t_interp=$(printf '%s\n' "${times[@]}" | median)
c_interp=$(printf '%s\n' "${cpus[@]}" | median)
tsc=$(sed -n 's/^X86LAB-TSC delta=0x//p' "$out/interp.txt")
printf 'x86lab interpreter: %d guest instructions (%s in the workload by TSC), %.2f s, %.1f MIPS (median of %d)\n' \
    "$insns" "$((16#${tsc:-0}))" "$t_interp" "$(awk "BEGIN{print $insns / $t_interp / 1000000}")" "$REPS"

# --- x86lab binary translator (--engine=bt, default threshold) ---
times=()
cpus=()
for r in $(seq "$REPS"); do
    start=$(date +%s.%N)
    { TIMEFORMAT='%U %S'; time "$X86LAB" -m 32 -fda "$IMG" -debugcon "file:$out/bt.txt" --stats --engine=bt \
        2> "$out/bt.err"; } 2> "$out/bt.cpu"
    status=$?
    end=$(date +%s.%N)
    cpus+=("$(cpu_of "$out/bt.cpu")")
    if [ $status -ne 1 ] || [ "$(grep -v '^x86lab BIOS' "$out/bt.txt" | head -6)" != "$EXPECTED" ]; then
        echo "bench: x86lab translator FAILED (exit $status); output:" >&2
        cat "$out/bt.txt" "$out/bt.err" >&2
        exit 1
    fi
    times+=("$(awk "BEGIN{print $end - $start}")")
done
t_bt=$(printf '%s\n' "${times[@]}" | median)
c_bt=$(printf '%s\n' "${cpus[@]}" | median)
bt_insns=$(sed -n 's/^x86lab: \([0-9]*\) instructions.*/\1/p' "$out/bt.err")
bt_share=$(sed -n 's/.*interpreted (\([0-9.]*\)% translated).*/\1/p' "$out/bt.err")
printf 'x86lab translator:  %d guest instructions, %.2f s, %.1f MIPS (median of %d); %.2fx the interpreter; %s%% of instructions ran translated\n' \
    "$bt_insns" "$t_bt" "$(awk "BEGIN{print $bt_insns / $t_bt / 1000000}")" "$REPS" \
    "$(awk "BEGIN{print $t_interp / $t_bt}")" "${bt_share:-?}"
printf 'by CPU time (user + system): interpreter %.2f s (%.1f MIPS), translator %.2f s (%.1f MIPS): %.2fx the interpreter\n' \
    "$c_interp" "$(awk "BEGIN{print $insns / $c_interp / 1000000}")" "$c_bt" \
    "$(awk "BEGIN{print $bt_insns / $c_bt / 1000000}")" "$(awk "BEGIN{print $c_interp / $c_bt}")"

# --- native x86-64 build of the same C source (a baseline for ratios) ---
if make -s -C "$SHARED/bench" B="$(realpath "$out")/native" "$(realpath "$out")/native/native64-all-x1" >/dev/null 2>&1; then
    times=()
    for r in $(seq "$REPS"); do
        start=$(date +%s.%N)
        "$out/native/native64-all-x1" > "$out/native.txt"
        end=$(date +%s.%N)
        times+=("$(awk "BEGIN{print $end - $start}")")
    done
    t_native=$(printf '%s\n' "${times[@]}" | median)
    printf 'native x86-64:      %.3f s; interpreter/native = %.0fx\n' "$t_native" "$(awk "BEGIN{print $t_interp / $t_native}")"
else
    echo "native x86-64: could not build (needs gcc); skipped"
fi

# --- QEMU TCG on the same image, when installed ---
if command -v qemu-system-i386 >/dev/null; then
    start=$(date +%s.%N)
    { TIMEFORMAT='%U %S'; time timeout 300 qemu-system-i386 -display none \
        -drive "file=$IMG,format=raw,if=floppy,readonly=on" -boot a \
        -debugcon "file:$out/qemu.txt" -device isa-debug-exit,iobase=0xf4,iosize=0x04 >/dev/null 2>&1; } \
        2> "$out/qemu.cpu"
    end=$(date +%s.%N)
    c_qemu=$(cpu_of "$out/qemu.cpu")
    t_qemu=$(awk "BEGIN{print $end - $start}")
    printf 'QEMU TCG (whole boot): %.2f s; x86lab interpreter / QEMU TCG = %.2f\n' "$t_qemu" "$(awk "BEGIN{print $t_interp / $t_qemu}")"
    printf 'x86lab translator speed / QEMU TCG speed = %.2f (QEMU time / translator time)\n' "$(awk "BEGIN{print $t_qemu / $t_bt}")"
    printf 'by CPU time: QEMU TCG %.2f s; x86lab translator speed / QEMU TCG speed = %.2f\n' \
        "$c_qemu" "$(awk "BEGIN{print $c_qemu / $c_bt}")"
else
    echo "QEMU TCG: qemu-system-i386 not installed (apt-get install qemu-system-x86); skipped"
fi

# --- KVM: the image, the port-I/O round trip, QEMU with -enable-kvm (tests/kvm/bench-kvm.sh) ---
bash "$(dirname "$0")/kvm/bench-kvm.sh" "$BUILD" "$SHARED"

# --- Linux i686 boot to the shell per engine and in QEMU TCG (tests/bench-linux.sh) ---
bash "$(dirname "$0")/bench-linux.sh" "$BUILD"
