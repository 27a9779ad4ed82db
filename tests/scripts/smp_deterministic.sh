#!/bin/bash
# smp_deterministic.sh BUILD SHARED -- -smp runs repeat exactly: the
# guest tests/guest/smp_ipi.asm (four CPUs started with INIT/STARTUP,
# IPIs between them, a loop over many scheduling turns) run twice with
# --deterministic, in the interpreter and in the translator, must print
# the same bytes, retire the same number of instructions and take every
# interrupt at the same instruction (-d int, which numbers them); so
# must -smp 2 with the same guest (whose checks then fail the same way).
# And Debian's kernel (tools/linux_fetch.sh) with -smp 2 in the
# translator, up to 3.5 billion instructions (past "Brought up 1 node,
# 2 CPUs": the AP's start and its first turns), twice: the same serial
# output byte for byte and the same count (~25 s).
set -u
BUILD=$(cd "${1:-build}" && pwd) || exit 1
cd "$(dirname "$0")/../.." || exit 1
X=$BUILD/x86lab
G=$BUILD/tests/guest/smp_ipi.bin
for f in "$X" "$G"; do
    [ -e "$f" ] || { echo "FAIL $f is missing (run make BUILD=$BUILD first)"; exit 1; }
done
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fails=0

# run NAME ARGS...: output in $T/NAME.out, the instruction count in $T/NAME.n
run() {
    local name=$1
    shift
    timeout 120 "$X" -m 16 --load "$G@0x7c00" --entry 0:0x7c00 --max-insns 50000000 \
        --deterministic --stats -d int -D "$T/$name.int" "$@" \
        > "$T/$name.out" 2> "$T/$name.err" < /dev/null
    echo "status $?" >> "$T/$name.out"
    sed -n 's/^x86lab: \([0-9]*\) instructions in.*/\1/p' "$T/$name.err" > "$T/$name.n"
}

for e in interp bt; do
    for n in 4 2; do
        run a "-smp" "$n" "--engine=$e"
        run b "-smp" "$n" "--engine=$e"
        insns=$(cat "$T/a.n")
        if [ -z "$insns" ]; then
            echo "FAIL -smp $n --engine=$e: no instruction count: $(head -c 300 "$T/a.err")"
            fails=$((fails + 1))
        elif cmp -s "$T/a.out" "$T/b.out" && [ "$insns" = "$(cat "$T/b.n")" ] &&
             cmp -s "$T/a.int" "$T/b.int" && [ -s "$T/a.int" ]; then
            echo "ok   -smp $n --engine=$e: two runs, same $(wc -l < "$T/a.out") lines," \
                 "$insns instructions, $(wc -l < "$T/a.int") interrupts at the same places"
        else
            echo "FAIL -smp $n --engine=$e: the runs differ: $insns vs $(cat "$T/b.n") instructions"
            diff "$T/a.out" "$T/b.out" | head -n 5
            diff "$T/a.int" "$T/b.int" | head -n 5
            fails=$((fails + 1))
        fi
    done
done
# Linux bringing its second CPU up, twice.
linux_run() {
    timeout 300 "$X" -m 256 -kernel "$BUILD/linux/vmlinuz" -initrd "$BUILD/linux/initrd.gz" \
        -append "console=ttyS0 cryptomgr.notests" -display none -serial "file:$T/$1.ser" \
        --deterministic -smp 2 --engine=bt --max-insns 3500000000 --stats \
        > /dev/null 2> "$T/$1.err" < /dev/null
    sed -n 's/^x86lab: \([0-9]*\) instructions in.*/\1/p' "$T/$1.err" > "$T/$1.n"
}
if ! tools/linux_fetch.sh "$BUILD" > /dev/null; then
    echo "FAIL the Debian kernel/busybox could not be fetched with apt"
    fails=$((fails + 1))
else
    linux_run la
    linux_run lb
    if ! grep -aq "smp: Brought up 1 node, 2 CPUs" "$T/la.ser"; then
        echo "FAIL linux -smp 2: the AP was not brought up: $(tail -n 2 "$T/la.ser" | tr '\n' '|')"
        fails=$((fails + 1))
    elif cmp -s "$T/la.ser" "$T/lb.ser" && [ -s "$T/la.n" ] &&
         [ "$(cat "$T/la.n")" = "$(cat "$T/lb.n")" ]; then
        echo "ok   linux -smp 2 --engine=bt: two runs, same $(wc -l < "$T/la.ser") lines" \
             "of console output and $(cat "$T/la.n") instructions"
    else
        echo "FAIL linux -smp 2: the runs differ ($(cat "$T/la.n") vs $(cat "$T/lb.n") instructions)"
        cmp "$T/la.ser" "$T/lb.ser"
        fails=$((fails + 1))
    fi
fi

# -smp 4 must pass its own checks (status 1) for the comparison to mean
# something.
run c -smp 4
grep -q "^status 1$" "$T/c.out" && ! grep -q FAIL "$T/c.out" &&
    echo "ok   -smp 4: the guest's checks passed" ||
    { echo "FAIL -smp 4: $(grep -E 'FAIL|status' "$T/c.out" | tr '\n' '|')"; fails=$((fails + 1)); }
[ $fails -eq 0 ]
