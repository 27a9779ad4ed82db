#!/bin/bash
# run-kvm.sh BUILD SHARED -- `make test-kvm`: the KVM engine's tests.  They
# need a /dev/kvm that runs 32-bit paged guests, so `make test` runs them
# inside ../shared/tools/kvm-sandbox (tests/scripts/kvm_sandbox.sh).  One
# line per test, then "N passed, N failed"; logs in BUILD/test-logs/kvm/.
#
#  - engines:  `x86lab --engines` says kvm is available (and, in the
#              sandbox, that it is nested KVM under emulation);
#  - guest-kvm/NAME: every tests/guest program under --engine=kvm with the
#              exit status the interpreter must give (run-all.sh's rules:
#              EXPECTED RESULT and x86lab-args lines), except those listed
#              in tests/kvm/differs.txt with the reason they cannot match
#              under KVM: those must still end (exit status 1 or 3, or 4
#              at --max-insns) and count as "known" ("skip:" ones are not
#              run at all);
#  - boot-kvm/NAME: the BIOS boot scripts (tests/scripts/boot_*.sh) with
#              every x86lab run under --engine=kvm, as differs.txt allows;
#  - switch/...: tests/kvm/switch_checksum.asm switched between the
#              interpreter and KVM every millisecond ends with the same
#              output (checksum, registers, flags, selectors, control
#              registers) and exit status as an unswitched interpreter run;
#  - irqchip/...: the same guests with --kvm-irqchip (KVM's PIC and PIT);
#  - compare/...: `x86lab compare` on examples/nanobench with KVM among the
#              engines: the runs agree, every operation has its figures
#              under KVM, exits only under KVM, IN/OUT/the hypercall exit;
#  - scripts-kvm/NAME: direct kernel boot (kernel_boot.sh: Multiboot ELF and
#              a.out, Linux bzImage) and the examples (examples_*.sh) with
#              every x86lab run under --engine=kvm, as the boot scripts;
#  - diff/kvm: tests/diff's difftest, interpreter vs KVM, KVM_DIFF_COUNT
#              (20000) sequences with the 32-bit-only and system forms;
#              zero mismatches outside the classes tests/diff/known.c names;
#  - debug/...: a scripted monitor session (debug_monitor.sh) and Debian's
#              gdb on the gdb stub (gdb_stub.sh), both with --engine=kvm;
#  - linux/...: Debian's i686 kernel to the shell (linux_boot.sh with
#              LINUX_ENGINE=kvm: serial console, ext2 IDE disk, poweroff)
#              and contain_runaway.sh (watchdog, HLT, triple faults);
#  - bench/kvm: tests/kvm/bench-kvm.sh runs to its end with the expected
#              output (a small IO_N; the timings mean nothing here).
#   TEST_TIMEOUT  seconds any one program may take (300)
#   KVM_TESTS     the parts to run ("guests boots switch compare scripts diff
#                 debug linux bench"), for debugging
#   KVM_ONLY      a regular expression: only the guests/scripts it matches
#   KVM_BOOTS     the BIOS boot scripts run (default: all of them; "skip:"
#                 in differs.txt: boot_disksum, ~7.5 min; nested times
#                 measured: boot_memtest ~55 s, boot_services ~60 s,
#                 boot_grub ~20 s, the others 8-30 s each)
set -u
BUILD=${1:-build}
SHARED=${2:-../shared}
TIMEOUT=${TEST_TIMEOUT:-300}
TOP=$(cd "$(dirname "$0")/../.." && pwd)
X=$BUILD/x86lab
LOGS=$BUILD/test-logs/kvm
KBIN=$BUILD/tests/kvm
# KVM cannot count instructions: --max-insns bounds KVM's guest time at
# 10 ns per instruction, and guests under nested emulation exit slowly.
MAXI=2000000000
PARTS=${KVM_TESTS:-guests boots switch compare scripts diff debug linux bench}
BOOTS=${KVM_BOOTS:-boot_hdd boot_cdrom boot_grub boot_reset boot_bench boot_console boot_syslinux
boot_services boot_order boot_sysmisc boot_mptable boot_memtest boot_disksum}
T0=$(date +%s)
part_time() { echo "---- $1: $(( $(date +%s) - T0 )) s since the start"; }
mkdir -p "$LOGS"
passed=0 failed=0 known=0
failed_names=()

result() {   # result NAME OK(0/1) DETAIL
    if [ "$2" = 1 ]; then
        passed=$((passed + 1))
        printf 'PASS  %-34s %s\n' "$1" "$3"
    else
        failed=$((failed + 1))
        failed_names+=("$1")
        printf 'FAIL  %-34s %s\n' "$1" "$3"
    fi
}

# ---- the probe ----
"$X" --engines > "$LOGS/engines.log" 2>&1
line=$(grep '^kvm ' "$LOGS/engines.log")
if [[ $line == *": available"* ]]; then
    result engines 1 "$line"
else
    result engines 0 "${line:-no kvm line}"
fi
if grep -q 'hypervisor' /proc/cpuinfo; then
    if [[ $line == *"nested KVM under emulation"* ]]; then
        result engines/nested-note 1 "the report says the timings are not KVM's"
    else
        result engines/nested-note 0 "the host is virtual but --engines does not say so"
    fi
fi

# ---- guest programs ----
differs() {   # the reason NAME cannot match under KVM, or nothing
    sed -n "s/^$1[[:space:]]\{1,\}//p" "$TOP/tests/kvm/differs.txt" | head -n 1
}

for src in "$TOP"/tests/guest/*.asm; do
    [[ $PARTS == *guests* ]] || break
    name=$(basename "$src" .asm)
    [[ $name =~ ${KVM_ONLY:-.} ]] || continue
    case $name in boot_*) continue ;; esac
    why=$(differs "$name")
    if [[ $why == skip:* ]]; then
        known=$((known + 1))
        printf 'SKIP  %-34s %s\n' "guest-kvm/$name" "${why#skip: }"
        continue
    fi
    g=$BUILD/tests/guest/$name.bin
    [ -f "$g" ] || { result "guest-kvm/$name" 0 "$g not built"; continue; }
    want=$(sed -n 's/.*EXPECTED RESULT: x86lab exits with status \([0-9]*\).*/\1/p' "$src" | head -n 1)
    args=$(head -n 10 "$src" | sed -n 's/^; x86lab-args: //p' | head -n 1)
    eval "extra=($args)"
    log=$LOGS/guest_$name.log
    timeout "$TIMEOUT" "$X" -m 16 --load "$g@0x7c00" --entry 0:0x7c00 --max-insns $MAXI \
        --engine=kvm "${extra[@]}" > "$log" 2>&1 < /dev/null
    status=$?
    summary="$(grep -c '^ok' "$log") ok, $(grep -c '^FAIL' "$log") FAIL"
    if [ -n "$why" ]; then
        if [ $status -eq 1 ] || [ $status -eq 3 ] || [ $status -eq 4 ] || [ $status -eq "${want:-1}" ]; then
            known=$((known + 1))
            printf 'KNOWN %-34s exit %d, %s (%s)\n' "guest-kvm/$name" $status "$summary" "$why"
        else
            result "guest-kvm/$name" 0 "exit status $status: did not run to its end ($summary)"
        fi
    elif [ $status -eq "${want:-1}" ]; then
        result "guest-kvm/$name" 1 "$summary"
    else
        result "guest-kvm/$name" 0 "exit status $status (want ${want:-1}), $summary"
        grep -E '^FAIL|kvm:' "$log" | head -n 5 | cut -c1-160 | sed 's/^/      /'
    fi
done

# ---- BIOS boot scripts, every x86lab run under --engine=kvm ----
# A build directory whose x86lab adds --engine=kvm: everything else is the
# real build's (the BIOS is found next to the real binary).
# Its --max-insns limits are ENGINE_INSNS_SCALE (40) times larger: KVM's
# guest time counts at 10 ns per instruction, and every exit of nested KVM
# costs ~40 us.
. "$TOP/tests/scripts/engine_wrap.inc"
WRAP=$BUILD/kvm-wrap
make_engine_wrap "$BUILD" "$WRAP" kvm
export ENGINE_INSNS_SCALE=40
part_time guests
for name in $BOOTS; do
    [[ $PARTS == *boots* ]] || break
    sc=$TOP/tests/scripts/$name.sh
    [[ $name =~ ${KVM_ONLY:-.} ]] || continue
    why=$(differs "$name")
    if [[ $why == skip:* ]]; then
        known=$((known + 1))
        printf 'SKIP  %-34s %s\n' "boot-kvm/$name" "${why#skip: }"
        continue
    fi
    log=$LOGS/$name.log
    # Host-time waits (boot_console's 10 s for the banner) stretched 10
    # times; memtest runs until --max-insns and needs no 40-fold guest
    # time to show its first test (3 s key wait on the TSC): 4-fold.
    scale=40
    [ "$name" = boot_memtest ] && scale=4
    BOOT_WAIT_SCALE=10 ENGINE_INSNS_SCALE=$scale timeout "$TIMEOUT" bash "$sc" "$WRAP" "$SHARED" \
        > "$log" 2>&1 < /dev/null
    status=$?
    summary="$(grep -c '^ok' "$log") ok, $(grep -c '^FAIL' "$log") FAIL"
    if [ -n "$why" ]; then
        known=$((known + 1))
        printf 'KNOWN %-34s exit %d, %s (%s)\n' "boot-kvm/$name" $status "$summary" "$why"
    else
        result "boot-kvm/$name" $((status == 0)) "$summary"
        [ $status -eq 0 ] || grep -E '^FAIL' "$log" | head -n 5 | sed 's/^/      /'
    fi
done

part_time boots

# ---- kernel loaders and the examples, every x86lab run under KVM ----
for sc in "$TOP"/tests/scripts/kernel_boot.sh "$TOP"/tests/scripts/examples_*.sh; do
    [[ $PARTS == *scripts* ]] || break
    name=$(basename "$sc" .sh)
    [[ $name =~ ${KVM_ONLY:-.} ]] || continue
    why=$(differs "$name")
    log=$LOGS/$name.log
    timeout "$TIMEOUT" bash "$sc" "$WRAP" "$SHARED" > "$log" 2>&1 < /dev/null
    status=$?
    summary="$(grep -c '^ok' "$log") ok, $(grep -c '^FAIL' "$log") FAIL"
    if [ -n "$why" ]; then
        known=$((known + 1))
        printf 'KNOWN %-34s exit %d, %s (%s)\n' "scripts-kvm/$name" $status "$summary" "$why"
        grep -E '^FAIL' "$log" | head -n 5 | cut -c1-200 | sed 's/^/      /'
    else
        result "scripts-kvm/$name" $((status == 0)) "$summary"
        [ $status -eq 0 ] || grep -E '^FAIL' "$log" | head -n 5 | cut -c1-200 | sed 's/^/      /'
    fi
done
part_time scripts

# ---- live switching: interpreter <-> KVM every millisecond ----
SW=$KBIN/switch_checksum.bin
run_sw() {   # run_sw NAME ARGS...: output in LOGS/NAME.out, stats in .err
    timeout "$TIMEOUT" "$X" -m 16 --load "$SW@0x7c00" --entry 0:0x7c00 --stats "${@:2}" \
        > "$LOGS/$1.out" 2> "$LOGS/$1.err" < /dev/null
    echo $?
}
same_run() {   # same_run TEST-NAME REF-NAME NAME STATUS REF-STATUS
    if [ "$4" -eq "$5" ] && cmp -s "$LOGS/$2.out" "$LOGS/$3.out" && [ -s "$LOGS/$3.out" ]; then
        result "$1" 1 "exit $4, $(grep '^checksum' "$LOGS/$3.out")"
    else
        result "$1" 0 "exit $4 (interpreter: $5); output differs:"
        diff "$LOGS/$2.out" "$LOGS/$3.out" | head -n 10 | sed 's/^/      /'
    fi
}
if [[ $PARTS != *switch* ]]; then
    :
elif [ -f "$SW" ]; then
    ref=$(run_sw sw_interp)
    if [ "$ref" -ge 17 ] && [ "$ref" -le 79 ] && grep -q '^checksum' "$LOGS/sw_interp.out"; then
        result switch/reference 1 "interpreter: exit $ref, $(grep '^checksum' "$LOGS/sw_interp.out")"
    else
        result switch/reference 0 "interpreter run: exit $ref"
    fi
    st=$(run_sw sw_kvm --engine=kvm)
    same_run switch/kvm-only sw_interp sw_kvm "$st" "$ref"
    st=$(run_sw sw_switch --switch-engine-after=1ms --switch-engines=interp,kvm)
    same_run switch/interp-kvm-interp sw_interp sw_switch "$st" "$ref"
    n=$(sed -n 's/.*engine switches: \([0-9]*\).*/\1/p' "$LOGS/sw_switch.err")
    kvm_s=$(sed -n 's/.*engine kvm *\([0-9.]*\) s.*/\1/p' "$LOGS/sw_switch.err")
    int_i=$(sed -n 's/.*engine interp .* \([0-9]*\) instructions.*/\1/p' "$LOGS/sw_switch.err")
    if [ "${n:-0}" -ge 6 ] && [ -n "$kvm_s" ] && [ "${int_i:-0}" -gt 0 ]; then
        result switch/count 1 "$n switches; interpreter ran $int_i instructions, KVM $kvm_s s"
    else
        result switch/count 0 "switches ${n:-none}, kvm time ${kvm_s:-none}, interpreter ${int_i:-none}"
    fi
    st=$(run_sw sw_irqchip --engine=kvm --kvm-irqchip)
    same_run irqchip/switch_checksum sw_interp sw_irqchip "$st" "$ref"
else
    result switch 0 "$SW not built"
fi
g=$BUILD/tests/guest/hello.bin
timeout "$TIMEOUT" "$X" -m 16 --load "$g@0x7c00" --entry 0:0x7c00 --engine=kvm --kvm-irqchip \
    --stats > "$LOGS/irqchip_hello.log" 2>&1 < /dev/null
st=$?
result irqchip/hello $((st == 1)) "exit $st"

# ---- x86lab compare: the nanobenchmarks under the interpreter and KVM ----
NB=$BUILD/examples/nanobench/nanobench.elf
if [[ $PARTS == *compare* ]]; then
    timeout "$TIMEOUT" "$X" compare --engines=interp,kvm --no-native --json="$LOGS/compare.json" \
        -- -kernel "$NB" -append "n=1000" > "$LOGS/compare.log" 2>&1 < /dev/null
    st=$?
    result compare/agree $((st == 0)) "exit $st"
    for c in "kvm ran, its figures for every operation: 1000 ops, guest cycles, host time|
all(r['ops'] == 1000 and r['guest_cycles'] and r['host_ns'] > 0 for n in OPS for r in [R['kvm'][n]])" \
        "exits only under KVM, none from the interpreter|ran['kvm']['exits'] and not ran['interp']['exits']" \
        "IN, OUT and the hypercall exit to x86lab once per operation|
all(sum(x['count'] for x in R['kvm'][n]['exits'].values()) >= 1000 for n in ['in', 'out', 'hypercall'])" \
        "CALL/RET and CLI/STI run without exits|
all(sum(x['count'] for x in R['kvm'][n]['exits'].values()) < 50 for n in ['callret', 'clisti'])" \
        "KVM counts no instructions; reported as nested under emulation here|
ran['kvm']['instructions'] == 0 and 'nested' in [e for e in j['engines'] if e['name'] == 'kvm'][0]['why']"; do
        python3 - "$LOGS/compare.json" "${c#*|}" <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
ran = {e["name"]: e for e in j["engines"] if e.get("ran")}
R = {n: {r["name"]: r for r in e["regions"]} for n, e in ran.items()}
OPS = ["int80", "sysenter", "in", "out", "cr3", "ptemod", "pgfault", "divzero", "callret",
       "clisti", "pushfpopf", "cpuid", "hypercall"]
try:
    sys.exit(0 if eval(sys.argv[2]) else 1)
except Exception as ex:
    print("      exception: %r" % ex)
    sys.exit(1)
PY
        result "compare/${c%%|*}" $(($? == 0)) ""
    done
fi

part_time compare

# ---- the differential tester: interpreter vs KVM ----
if [[ $PARTS == *diff* ]]; then
    timeout "$TIMEOUT" "$BUILD/tests/diff/difftest" --target=kvm --count "${KVM_DIFF_COUNT:-20000}" \
        > "$LOGS/difftest.log" 2>&1 < /dev/null
    st=$?
    n=$(sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\1 passed, \2 failed/p' "$LOGS/difftest.log")
    result diff/kvm $((st == 0)) "exit $st: ${n:-no summary}, $(grep -c 'known mismatches' "$LOGS/difftest.log") known classes"
    grep 'known mismatches' "$LOGS/difftest.log" | sed 's/^ */      /'
    [ $st -eq 0 ] || grep -A12 '^MISMATCH' "$LOGS/difftest.log" | head -n 30 | sed 's/^/      /'
fi
part_time diff

# ---- the debugger under KVM: the monitor and gdb ----
if [[ $PARTS == *debug* ]]; then
    DEBUG_ENGINES=kvm timeout "$TIMEOUT" bash "$TOP/tests/scripts/debug_monitor.sh" "$BUILD" "$SHARED" \
        > "$LOGS/debug_monitor.log" 2>&1 < /dev/null
    ran=$(grep -c '^ok.*(kvm)' "$LOGS/debug_monitor.log")
    # A session listed in differs.txt as monitor_NAME may fail (its reason
    # is printed); any other failure fails the test.
    bad=0
    while read -r line; do
        sess=$(sed -n 's/^FAIL \([a-z0-9_]*\) (kvm).*/\1/p' <<< "$line")
        why=$(differs "monitor_${sess:-?}")
        if [ -n "$sess" ] && [ -n "$why" ]; then
            known=$((known + 1))
            printf 'KNOWN %-34s %s\n' "debug/monitor/$sess" "$why"
        else
            bad=$((bad + 1))
            echo "      $line" | cut -c1-200
        fi
    done < <(grep '^FAIL' "$LOGS/debug_monitor.log")
    result debug/monitor $((bad == 0 && ran > 0)) "$ran sessions pass under kvm, $bad unexplained failures"
    GDB_ENGINES=kvm timeout "$TIMEOUT" bash "$TOP/tests/scripts/gdb_stub.sh" "$BUILD" "$SHARED" \
        > "$LOGS/gdb_stub.log" 2>&1 < /dev/null
    st=$?
    ran=$(grep -c '^ok *kvm' "$LOGS/gdb_stub.log")
    result debug/gdb $((st == 0 && ran > 0)) "exit $st, $ran checks under kvm, $(grep -c '^FAIL' "$LOGS/gdb_stub.log") FAIL"
    [ $st -eq 0 ] || grep -E '^FAIL' "$LOGS/gdb_stub.log" | head -n 5 | cut -c1-200 | sed 's/^/      /'
fi
part_time debug

# ---- make bench's KVM rows: they must run to their end ----
# ---- Linux to the shell under KVM, and guests that never end ----
if [[ $PARTS == *linux* ]]; then
    LINUX_ENGINE=kvm LINUX_WATCHDOG=$((TIMEOUT - 20)) timeout "$TIMEOUT" \
        bash "$TOP/tests/scripts/linux_boot.sh" "$BUILD" "$SHARED" > "$LOGS/linux_boot.log" 2>&1 < /dev/null
    st=$?
    result linux/boot $((st == 0)) "exit $st, $(grep -c '^ok' "$LOGS/linux_boot.log") ok, $(grep -c '^FAIL' "$LOGS/linux_boot.log") FAIL"
    [ $st -eq 0 ] || grep '^FAIL' "$LOGS/linux_boot.log" | head -n 5 | sed 's/^/      /'
    RUNAWAY_ENGINES=kvm timeout "$TIMEOUT" bash "$TOP/tests/scripts/contain_runaway.sh" "$BUILD" "$SHARED" \
        > "$LOGS/contain_runaway.log" 2>&1 < /dev/null
    st=$?
    result linux/runaway $((st == 0)) "exit $st, $(grep -c '^ok' "$LOGS/contain_runaway.log") ok (watchdog, HLT, triple faults)"
    [ $st -eq 0 ] || grep '^FAIL' "$LOGS/contain_runaway.log" | head -n 5 | sed 's/^/      /'
fi
part_time linux

if [[ $PARTS == *bench* ]]; then
    REPS=1 IO_N=2000 timeout "$TIMEOUT" bash "$TOP/tests/kvm/bench-kvm.sh" "$BUILD" "$SHARED" \
        > "$LOGS/bench.log" 2>&1 < /dev/null
    st=$?
    ok=0
    [ $st -eq 0 ] && grep -q '^x86lab KVM: ' "$LOGS/bench.log" && grep -q '^KVM port I/O: ' "$LOGS/bench.log" &&
        grep -q '^QEMU KVM: ' "$LOGS/bench.log" && ok=1
    result bench/kvm $ok "exit $st"
    sed 's/^/      /' "$LOGS/bench.log" | head -n 8
fi
part_time bench

echo "$passed passed, $failed failed, $known known to differ under KVM (tests/kvm/differs.txt)"
if [ $failed -ne 0 ]; then
    echo "failed: ${failed_names[*]}"
    exit 1
fi
exit 0
