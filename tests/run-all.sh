#!/bin/bash
# run-all.sh BUILD SHARED -- the whole test suite (`make test`): every unit
# test program in BUILD/tests/unit, the decoder cross-check against
# capstone, the 80286 conformance runner over SHARED/conformance/80286-real
# and every guest program BUILD/tests/guest/*.bin (pass = exit status 1,
# the guest's EXIT_PASS, unless its source names another status in an
# "EXPECTED RESULT: x86lab exits with status N" line).  One line per test
# program, then "N passed, N failed"; the exit status is non-zero when
# anything failed.  The output of each program is kept in BUILD/test-logs/.
#   CONFORMANCE_BAR  pass percentage each conformance file must reach (99.5)
#   TEST_TIMEOUT     seconds any one program may take (600)
#   KVM_SANDBOX_TIMEOUT  the KVM sandbox's (kvm_sandbox.sh) instead (1200)
#   ENGINES          engines the conformance suite and the guest programs
#                    run under, in turn ("interp bt"); results of engines
#                    other than the interpreter are named conformance-E/...
#                    and guest-E/...; engine_args gives each one's options
set -u
# x86lab opens its SDL window by default when there is a display: the
# suite runs without one (the sdl_*.sh scripts start their own Xvfb).
unset DISPLAY WAYLAND_DISPLAY
BUILD=${1:-build}
SHARED=${2:-../shared}
BAR=${CONFORMANCE_BAR:-99.5}
TIMEOUT=${TEST_TIMEOUT:-600}
LOGS=$BUILD/test-logs
ENGINES=${ENGINES:-interp bt}
GUEST_SRC=$(dirname "$0")/guest
mkdir -p "$LOGS"

passed=0
failed=0
failed_names=()

# The one-line summary of a log: the last line matching a pattern, or for
# guest programs the count of their "ok" and "FAIL" lines.
summarize() {
    local kind=$1 log=$2
    if [ "$kind" = guest ]; then
        echo "$(grep -c '^ok' "$log") checks ok, $(grep -c '^FAIL' "$log") FAIL"
    else
        grep -E "$kind" "$log" | tail -n 1
    fi
}

# run NAME SUMMARY EXPECTED-STATUS COMMAND...: runs COMMAND with its output
# in LOGS/NAME.log and prints one line: PASS/FAIL, the time, the summary
# (see summarize).
run() {
    local name=$1 kind=$2 want=$3
    shift 3
    local log=$LOGS/${name//\//_}.log
    local start secs status summary
    start=$EPOCHREALTIME
    # The KVM sandbox is one long program (tests/scripts/kvm_sandbox.sh):
    # it has a budget of its own, and knows it through TEST_TIMEOUT.
    local limit=$TIMEOUT
    [ "$name" = script/kvm_sandbox ] && limit=${KVM_SANDBOX_TIMEOUT:-1200}
    TEST_TIMEOUT=$limit timeout "$limit" "$@" > "$log" 2>&1 < /dev/null
    status=$?
    secs=$(awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }')
    summary=$(summarize "$kind" "$log")
    [ $status -eq 124 ] && summary="timed out after ${limit}s"
    if [ $status -eq "$want" ]; then
        passed=$((passed + 1))
        printf 'PASS  %-30s %6ss  %s\n' "$name" "$secs" "$summary"
    else
        failed=$((failed + 1))
        failed_names+=("$name")
        printf 'FAIL  %-30s %6ss  exit status %d (want %d)  %s\n' "$name" \
            "$secs" "$status" "$want" "$summary"
        grep -E "FAIL|ERROR|error|below" "$log" | head -n 15 | sed 's/^/      /'
        echo "      (full output: $log)"
    fi
}

# engine_args ENGINE: x86lab's options for it (the translator translates
# at the first execution, so that every instruction runs translated).
engine_args() {
    case $1 in
    interp) ;;
    bt) echo "--engine=bt --bt-threshold=0" ;;
    *) echo "--engine=$1" ;;
    esac
}

# The name prefix of an engine's results: "guest", "guest-bt", ...
engine_prefix() {
    if [ "$2" = interp ]; then echo "$1"; else echo "$1-$2"; fi
}

missing() {
    failed=$((failed + 1))
    failed_names+=("$1")
    printf 'FAIL  %-30s          %s\n' "$1" "$2"
}

# ---- unit tests ----
units=("$BUILD"/tests/unit/*)
if [ ! -e "${units[0]}" ]; then
    missing "unit" "no unit test programs in $BUILD/tests/unit (run make first)"
fi
for t in "${units[@]}"; do
    [ -x "$t" ] && [ -f "$t" ] || continue
    run "unit/$(basename "$t")" 'passed' 0 "$t"
done

# ---- decoder cross-check ----
if [ -x "$BUILD/tests/decoder/capstone_check" ]; then
    run "decoder/capstone_check" 'passed, .* failed' 0 "$BUILD/tests/decoder/capstone_check"
else
    missing "decoder/capstone_check" "not built"
fi

# ---- 80286 conformance ----
CONF=$SHARED/conformance/80286-real
if [ ! -d "$CONF" ]; then
    missing "conformance/80286-real" "$CONF not found"
elif [ -x "$BUILD/tests/conformance/runner" ]; then
    for e in $ENGINES; do
        run "$(engine_prefix conformance "$e")/80286-real" '^total:' 0 \
            "$BUILD/tests/conformance/runner" --engine "$e" --bar "$BAR" "$CONF"
    done
else
    missing "conformance/80286-real" "runner not built"
fi

# ---- scripted tests: host-side setup and checks (files, signals, runs
# compared with each other); each takes BUILD and SHARED, exit 0 = pass ----
for sc in "$(dirname "$0")"/scripts/*.sh; do
    [ -f "$sc" ] || continue
    run "script/$(basename "$sc" .sh)" 'passed|ok' 0 bash "$sc" "$BUILD" "$SHARED"
done

# ---- guest programs ----
guests=("$BUILD"/tests/guest/*.bin)
if [ ! -e "${guests[0]}" ]; then
    missing "guest" "no guest programs in $BUILD/tests/guest (run make first)"
fi
for g in "${guests[@]}"; do
    [ -f "$g" ] || continue
    name=$(basename "$g" .bin)
    # A guest that should end otherwise says so in its source, e.g.
    # "; EXPECTED RESULT: x86lab exits with status 3" for a triple fault.
    want=$(sed -n 's/.*EXPECTED RESULT: x86lab exits with status \([0-9]*\).*/\1/p' \
        "$GUEST_SRC/$name.asm" 2>/dev/null | head -n 1)
    # Extra options from a "; x86lab-args: ..." line in the first lines of
    # the source ($BUILD and $SHARED may appear in it).
    args=$(head -n 10 "$GUEST_SRC/$name.asm" 2>/dev/null | sed -n 's/^; x86lab-args: //p' | head -n 1)
    eval "extra=($args)"
    for e in $ENGINES; do
        read -r -a eargs <<< "$(engine_args "$e")"
        run "$(engine_prefix guest "$e")/$name" guest "${want:-1}" \
            "$BUILD/x86lab" -m 16 --load "$g@0x7c00" --entry 0:0x7c00 --max-insns 50000000 \
            "${eargs[@]}" "${extra[@]}"
    done
done

echo "$passed passed, $failed failed"
if [ $failed -ne 0 ]; then
    echo "failed: ${failed_names[*]}"
    exit 1
fi
exit 0
