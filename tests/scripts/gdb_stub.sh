#!/bin/bash
# gdb_stub.sh BUILD SHARED -- Debian's gdb drives x86lab's gdb stub.  The
# guest (tests/gdb/guest.asm, a Multiboot ELF with symbols) is started with
# -S -gdb tcp::0; gdb -batch connects, breaks on the symbol regs_done,
# continues, reads the registers the guest set (and cr0 from x86lab's
# target description), dumps memory, single-steps one 5-byte instruction,
# sets a watchpoint on `counter` (41 -> 42), runs a `monitor` command and
# detaches, after which the guest runs to its exit status (67).  Every
# engine this host can run (interp, bt) takes the same session.  Last, a
# `continue` to the guest's end: gdb reports the exit code.
# GDB_ENGINES overrides the engines tried (tests/kvm/run-kvm.sh: kvm).
set -u
BUILD=${1:-build}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fails=0
ok() { echo "ok   $*"; }
bad() { echo "FAIL $*"; fails=$((fails + 1)); }
. "$(dirname "$0")/../gdb/common.inc"

for tool in gdb nasm ld nm; do
    command -v "$tool" > /dev/null || { echo "FAIL $tool is not installed (make deps)"; exit 1; }
done
[ -x "$X" ] || { echo "FAIL $X is missing (run make BUILD=$BUILD first)"; exit 1; }
build_guest || { echo "FAIL cannot build tests/gdb/guest.asm"; exit 1; }

# expect ENGINE WHAT REGEX: gdb's output for ENGINE must match.
expect() {
    if grep -Eq -- "$3" "$T/$1.gdb"; then ok "$1: $2"; else bad "$1: $2 (no /$3/ in gdb's output)"; fi
}

session() {
    local e=$1
    start_stub "$e" --engine="$e"
    if [ -z "$PORT" ]; then
        bad "$e: x86lab did not listen: $(head -c 300 "$T/$e.err")"
        kill "$PID" 2> /dev/null
        return
    fi
    timeout 60 gdb -nx -batch \
        -ex 'set architecture i386' -ex "file $T/guest.elf" \
        -ex "target remote :$PORT" \
        -ex 'break regs_done' -ex 'continue' \
        -ex 'info registers' -ex 'info registers cr0' \
        -ex 'x/4xw &data_words' \
        -ex 'printf "pc-before %u\n", $pc' -ex 'stepi' -ex 'printf "pc-after %u\n", $pc' \
        -ex 'printf "ecx-after %x\n", $ecx' \
        -ex 'delete 1' \
        -ex 'watch *(int *)&counter' -ex 'continue' \
        -ex 'monitor x/2xw data_words' \
        -ex 'detach' > "$T/$e.gdb" 2>&1 < /dev/null
    local gs=$?
    finish_stub
    [ $gs -eq 0 ] || bad "$e: gdb exit status $gs: $(tail -n 5 "$T/$e.gdb")"
    expect "$e" "breakpoint on a symbol hit" "Breakpoint 1, 0x0*$(sym regs_done | sed 's/0x0*//') in regs_done"
    expect "$e" "eax as the guest set it" "^eax +0x12345678"
    expect "$e" "ebx as the guest set it" "^ebx +0xcafebabe"
    expect "$e" "esi as the guest set it" "^esi +0xbadf00d"
    expect "$e" "edi as the guest set it" "^edi +0x600dd00d"
    expect "$e" "eip at the breakpoint" "^eip +0x[0-9a-f]+ +0x[0-9a-f]+ <regs_done>"
    expect "$e" "cs from the target description" "^cs +0x8 "
    expect "$e" "cr0 with named bits" "^cr0 +0x11 +\[ PE ET \]"
    expect "$e" "memory at &data_words" "0x11111111.0x22222222.0x33333333.0x44444444"
    local before after
    before=$(sed -n 's/^pc-before //p' "$T/$e.gdb")
    after=$(sed -n 's/^pc-after //p' "$T/$e.gdb")
    if [ -n "$before" ] && [ -n "$after" ] && [ $((after - before)) -eq 5 ]; then
        ok "$e: stepi moved EIP by the instruction's 5 bytes"
    else
        bad "$e: stepi moved EIP from '${before:-?}' to '${after:-?}' (want +5)"
    fi
    expect "$e" "the stepped instruction ran" "^ecx-after deadbeef"
    expect "$e" "watchpoint triggered" "atchpoint 2: \*\(int \*\)&counter"
    expect "$e" "watchpoint old value" "^Old value = 41"
    expect "$e" "watchpoint new value" "^New value = 42"
    expect "$e" "stopped in the writing function" "in bump \(\)"
    expect "$e" "monitor command through qRcmd" "11111111 +(0x)?22222222"
    expect "$e" "detached" "Inferior 1 \(Remote target\) detached"
    if [ "$STATUS" -eq 67 ]; then
        ok "$e: after detach the guest ran to its exit status 67"
    else
        bad "$e: x86lab exit status $STATUS (want 67): $(tail -n 3 "$T/$e.err")"
    fi
}

for e in ${GDB_ENGINES:-interp bt}; do
    if "$X" --engines 2> /dev/null | grep -Eq "^$e .*: available"; then
        session "$e"
    else
        echo "skip $e: this host cannot run it"
    fi
done

# A guest that ends while gdb waits: gdb hears its exit code (W packet).
start_stub exit
if [ -n "$PORT" ]; then
    timeout 60 gdb -nx -batch -ex 'set architecture i386' -ex "file $T/guest.elf" \
        -ex "target remote :$PORT" -ex 'continue' > "$T/exit.gdb" 2>&1 < /dev/null
    finish_stub
    expect exit "gdb hears the guest's exit (67 = 0103)" "Inferior 1 \(Remote target\) exited with code 0103"
    [ "$STATUS" -eq 67 ] && ok "exit: x86lab status 67" || bad "exit: x86lab status $STATUS"
else
    bad "exit: x86lab did not listen: $(head -c 300 "$T/exit.err")"
    kill "$PID" 2> /dev/null
fi

echo "$fails failed"
[ $fails -eq 0 ] && echo "gdb stub: passed"
[ $fails -eq 0 ]
