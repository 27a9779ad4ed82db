#!/bin/bash
# course_makefile.sh BUILD SHARED -- issue #12: an OS-course Makefile that
# only calls $(QEMU) runs x86lab unchanged.  examples/course (a boot block
# and a kernel ELF on disk 0, a file system on disk 1, -smp 2) is built
# with `make -C examples/course O=BUILD/course` and run through its own
# `qemu` target with QEMU=x86lab (interpreter, then --engine=bt), and once
# with the real qemu-system-i386 as a cross-check: both CPUs start, every
# check of the test program passes, the exit status through isa-debug-exit
# is 33 (0x10*2+1).  Then `make qemu-gdb` (-S -gdb tcp::PORT) and Debian's
# gdb in batch mode: a breakpoint in the function that starts the APs
# (bt, registers, arguments, two `next`s), one in the write system call
# (the trap frame says ring 3), continue to the end.
set -u
. "$(dirname "$0")/examples_common.inc" "${1:-build}" course_makefile || exit 1
SRC=examples/course
O=$BUILD/course
T=$(mktemp -d)
BGPID=
cleanup() { [ -n "$BGPID" ] && kill "$BGPID" 2> /dev/null; rm -rf "$T"; }
trap cleanup EXIT

# The course Makefile, not influenced by a calling make's MAKEFLAGS
# (make test would pass BUILD=, CC=... down otherwise).
MK=(env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make --no-print-directory -C "$SRC" O="$O")

for tool in make gcc ld nasm gdb; do
    command -v "$tool" > /dev/null || { echo "FAIL $tool is not installed (make deps)"; exit 1; }
done

# ---- the build, the way the course builds it ----
mkdir -p "$O"
if "${MK[@]}" all > "$OUT/build.log" 2>&1; then
    pass "make all: xv6.img and fs.img built in $O"
else
    fail "make all: $(tail -n 5 "$OUT/build.log")"
    finish
fi
if [ "$(stat -c %s "$O/bootblock")" -eq 512 ] &&
   [ "$(od -An -tx1 -j510 -N2 "$O/bootblock" | tr -d ' ')" = 55aa ]; then
    pass "bootblock: 512 bytes ending in 55 AA"
else
    fail "bootblock: not a 512-byte boot sector"
fi
if [ "$(od -An -c -j513 -N3 "$O/xv6.img" | tr -d ' ')" = ELF ]; then
    pass "xv6.img: the kernel ELF from sector 1"
else
    fail "xv6.img: no ELF header at sector 1"
fi
if [ "$(head -c 4 "$O/fs.img")" = CSFS ]; then
    pass "fs.img: the superblock's magic"
else
    fail "fs.img: no CSFS superblock"
fi

# The test program's checks (examples/course/user/init.c), in order.
CHECKS=(
    "running at ring 3 (CPL in CS is 3)"
    "write returns the length written"
    "write from kernel memory is refused"
    "write to a bad file descriptor is refused"
    "an unknown system call returns -1"
    "ncpu counts at least one cpu"
    "timer interrupts advance uptime by 3 ticks"
    "open greeting.txt"
    "read it in two parts: 5 bytes, then the rest"
    "its text is what mkfs stored"
    "read at the end returns 0"
    "close it"
    "read after close is refused"
    "open of a missing file is refused"
    "read into kernel memory is refused"
    "init reads its own ELF header"
)

# run TAG CPUS QEMU [MAKE-ARGS...]: `make qemu`, stdin from /dev/null; its
# output (CRs dropped) in $OUT/TAG.txt.
run() {
    local tag=$1 cpus=$2 q=$3
    shift 3
    timeout 60 "${MK[@]}" QEMU="$q" CPUS="$cpus" "$@" qemu < /dev/null > "$OUT/$tag.raw" 2>&1
    tr -d '\r' < "$OUT/$tag.raw" > "$OUT/$tag.txt"
}

# expect_run TAG CPUS: what a complete run prints, and make's report of
# the emulator's exit status 33.
expect_run() {
    local tag=$1 cpus=$2 f=$OUT/$1.txt i lines=() ok=0
    for ((i = 0; i < cpus; i++)); do
        lines+=("cpu $i: starting (local APIC ID $i)")
    done
    lines+=("kernel: lock test: counter $((cpus * 10000)), expected $((cpus * 10000)) = $cpus cpus x 10000")
    expect_lines "$tag" txt "${lines[@]}" "init: the kernel runs $cpus cpus"
    for c in "${CHECKS[@]}"; do
        grep -q -F -x "init: ok   $c" "$f" && ok=$((ok + 1)) || fail "$tag: no 'init: ok   $c'"
    done
    [ $ok -eq ${#CHECKS[@]} ] && pass "$tag: all ${#CHECKS[@]} checks of init printed ok"
    if grep -q -F "FAIL" "$f"; then
        fail "$tag: $(grep -m 1 -F FAIL "$f")"
    fi
    expect_lines "$tag" txt "course: ALL TESTS PASSED" "kernel: init exited with status 0"
    local n
    for ((i = 0; i < cpus; i++)); do
        n=$(sed -n "s/^kernel: cpu $i took \([0-9]*\) timer interrupts$/\1/p" "$f")
        if [ -n "$n" ] && [ "$n" -gt 0 ]; then
            pass "$tag: cpu $i took $n timer interrupts"
        else
            fail "$tag: cpu $i: no timer interrupts counted"
        fi
    done
    if grep -q -E "^make: \*\*\* \[Makefile:[0-9]+: qemu(-gdb)?\] Error 33$" "$f"; then
        pass "$tag: the emulator exited with status 33 (isa-debug-exit, 0x10*2+1)"
    else
        fail "$tag: no 'Error 33' from make: $(tail -n 2 "$f" | tr '\n' ' ')"
    fi
}

X86=$X86LAB
run x86lab 2 "$X86"
expect_run x86lab 2
run x86lab-smp4 4 "$X86"
expect_run x86lab-smp4 4
if "$X86" --engines 2> /dev/null | grep -Eq "^bt .*: available"; then
    run bt 2 "$X86 --engine=bt"
    expect_run bt 2
else
    echo "skip bt: this host cannot run the translator"
fi

# QEMU options from such Makefiles through QEMUEXTRA: -machine, -cpu,
# -no-shutdown, -d int,cpu_reset -D FILE (the system calls from ring 3 in
# the log), and an unknown -cpu value refused with its name.
# (x86lab: "int v=0x40 software at 001b:... (pm32 cpl3 paging)"; QEMU:
# "N: v=40 e=0000 i=1 cpl=3 IP=001b:...")
run_opts() {
    local tag=$1 q=$2
    rm -f "$OUT/$tag.int.log"
    run "$tag" 2 "$q" QEMUEXTRA="-machine pc -cpu qemu32 -no-shutdown -d int,cpu_reset -D $OUT/$tag.int.log"
    expect_lines "$tag" txt "course: ALL TESTS PASSED" "kernel: init exited with status 0"
    if grep -Eq 'v=(0x)?40 .*cpl=?3' "$OUT/$tag.int.log" 2> /dev/null; then
        pass "$tag: -d int -D FILE logged INT 0x40 from ring 3"
    else
        fail "$tag: no INT 0x40 at CPL 3 in $OUT/$tag.int.log"
    fi
}
run_opts x86lab-opts "$X86"
run x86lab-badcpu 2 "$X86" QEMUEXTRA="-cpu nosuchcpu"
# (the error line: not make's echo of the command, which names it too)
err=$(grep -v -F -- "$X86 " "$OUT/x86lab-badcpu.txt" | grep -m 1 "nosuchcpu")
if [ -n "$err" ] && ! grep -q "^course:" "$OUT/x86lab-badcpu.txt" &&
   ! grep -q "Error 33$" "$OUT/x86lab-badcpu.txt"; then
    pass "x86lab-badcpu: -cpu nosuchcpu refused: $err"
else
    fail "x86lab-badcpu: -cpu nosuchcpu not refused by name"
fi

# ---- debugging through make qemu-gdb ----
# listening PORT: something listens on TCP PORT (IPv4 or IPv6).
listening() {
    local hex
    hex=$(printf ':%04X' "$1")
    awk -v p="$hex" '$4 == "0A" && substr($2, length($2) - 4) == p { f = 1 } END { exit !f }' \
        /proc/net/tcp /proc/net/tcp6 2> /dev/null
}

# A port from our PID (as gdb_stub.sh's), skipping ones in use.
free_port() {
    local p=$((20000 + ($$ * 7 + $1) % 20000))
    while listening "$p"; do p=$((p + 1)); done
    echo "$p"
}

cat > "$T/gdb.cmds" << 'EOF'
break lapicstartap
continue
bt
info registers eip cs
print apicid
print/x addr
next
next
break sys_write
continue
shell sleep 0.05
next
shell sleep 0.05
next
info threads
thread 2
bt 2
thread 1
up
print/x tf->cs
print tf->eax
print (char *)tf->ecx
delete
continue
EOF

# gdbexpect TAG WHAT REGEX: gdb's output for TAG must match.
gdbexpect() {
    if grep -Eq -- "$3" "$OUT/$1.gdb"; then pass "$1: $2"; else fail "$1: $2 (no /$3/ in $OUT/$1.gdb)"; fi
}

# gdb_session TAG QEMU N: make qemu-gdb in the background, gdb -batch
# with the Makefile's gdbinit (target remote, symbol-file) and gdb.cmds.
gdb_session() {
    local tag=$1 q=$2 port
    port=$(free_port "$3")
    timeout 60 "${MK[@]}" QEMU="$q" GDBPORT="$port" qemu-gdb < /dev/null > "$OUT/$tag.raw" 2>&1 &
    BGPID=$!
    for _ in $(seq 100); do
        listening "$port" && break
        sleep 0.1
    done
    if ! listening "$port"; then
        fail "$tag: nothing listens on port $port: $(head -c 300 "$OUT/$tag.raw")"
        return
    fi
    timeout 60 gdb -nx -batch -x "$O/gdbinit" -x "$T/gdb.cmds" > "$OUT/$tag.gdb" 2>&1 < /dev/null
    for _ in $(seq 300); do
        kill -0 "$BGPID" 2> /dev/null || break
        sleep 0.1
    done
    kill "$BGPID" 2> /dev/null
    wait "$BGPID"
    BGPID=
    tr -d '\r' < "$OUT/$tag.raw" > "$OUT/$tag.txt"
    gdbexpect "$tag" "breakpoint in the function that starts the APs" \
        "Breakpoint 1, lapicstartap \(apicid=1 '\\\\001', addr=(addr@entry=)?28672\) at kernel/lapic.c:"
    gdbexpect "$tag" "bt: called by startothers" "^#1 +0x[0-9a-f]+ in startothers \(\) at kernel/main.c:[0-9]+"
    gdbexpect "$tag" "bt: from main" "^#2 +0x[0-9a-f]+ in main \(\) at kernel/main.c:[0-9]+"
    gdbexpect "$tag" "eip at the breakpoint" "^eip +0x[0-9a-f]+ +0x[0-9a-f]+ <lapicstartap>"
    gdbexpect "$tag" "cs is the kernel's code segment" "^cs +0x8 "
    gdbexpect "$tag" "argument apicid" "^\\\$1 = 1 '\\\\001'"
    gdbexpect "$tag" "argument addr (the STARTUP page)" "^\\\$2 = 0x7000$"
    if grep -Eq "^[0-9]+[[:space:]]+outb\(0x70, 0x0F\);" "$OUT/$tag.gdb" &&
       grep -A1 -E "^[0-9]+[[:space:]]+outb\(0x70, 0x0F\);" "$OUT/$tag.gdb" |
           grep -Eq "^[0-9]+[[:space:]]+outb\(0x71, 0x0A\);"; then
        pass "$tag: next, next: the CMOS writes, one source line each"
    else
        fail "$tag: next did not step through lapicstartap's lines"
    fi
    gdbexpect "$tag" "breakpoint in the write system call" "Breakpoint 2, sys_write \(fd=1, ubuf=[0-9]+, n=30\)"
    # interrupts are on in the system call and a timer tick is due after
    # the 50 ms pauses: a step holds it back, as QEMU's stub does, so
    # `next` is the next line, not the timer handler
    if grep -A1 -E "^[0-9]+[[:space:]]+if \(\(fd != 1 && fd != 2\)" "$OUT/$tag.gdb" |
           grep -Eq "^[0-9]+[[:space:]]+console_write\("; then
        pass "$tag: next, next in sys_write (interrupts on): its lines, no interrupt handler"
    else
        fail "$tag: next in sys_write did not stay in its lines: $(grep -E '^[0-9]+[[:space:]]|vector' "$OUT/$tag.gdb" | tail -n 4 | tr '\n' '|')"
    fi
    gdbexpect "$tag" "info threads: one thread per CPU (CPU#1 the second)" "^ +2 +Thread [0-9.]+ \\(CPU#1"
    # (QEMU runs CPU 1 on host time: it may be in a timer interrupt then)
    gdbexpect "$tag" "thread 2: CPU 1's own stack (its idle loop or an interrupt)" "^#[01] +(0x[0-9a-f]+ in )?(mpenter|hlt|alltraps|trap|vector[0-9]+) \\(\\) at kernel/"
    gdbexpect "$tag" "the trap frame's cs: ring 3 (0x1b)" "^\\\$3 = 0x1b$"
    gdbexpect "$tag" "the trap frame's eax: SYS_write" "^\\\$4 = 2$"
    gdbexpect "$tag" "the user's buffer" "^\\\$5 = 0x4000[0-9a-f]+ \"init: the course test program\\\\n\"$"
    gdbexpect "$tag" "continue to the end" "exited with code 041|Remote connection closed"
    expect_run "$tag" 2
}

gdb_session gdb-x86lab "$X86" 0
# The kernel's other way to find the CPUs, the MP table: no ACPI tables.
run x86lab-mp 2 "$X86" CPUS=2 QEMUEXTRA="-machine pc,acpi=off"
expect_lines x86lab-mp txt "mp: 2 cpus in the MP table, local APICs at 0xfee00000" \
    "cpu 0: starting (local APIC ID 0)" "cpu 1: starting (local APIC ID 1)" \
    "course: ALL TESTS PASSED"
if command -v qemu-system-i386 > /dev/null; then
    run qemu 2 qemu-system-i386
    expect_run qemu 2
    gdb_session gdb-qemu qemu-system-i386 1
    run_opts qemu-opts qemu-system-i386
    # The kernel's other way to find the CPUs, the MP table (no ACPI; two
    # sockets, since SeaBIOS lists one CPU per package there).
    run qemu-mp 2 qemu-system-i386 CPUS=2,sockets=2 QEMUEXTRA="-machine pc,acpi=off"
    expect_lines qemu-mp txt "mp: 2 cpus in the MP table, local APICs at 0xfee00000" \
        "cpu 0: starting (local APIC ID 0)" "cpu 1: starting (local APIC ID 1)" \
        "course: ALL TESTS PASSED"
else
    echo "skip qemu: qemu-system-i386 is not installed (the cross-check needs it)"
fi
finish
