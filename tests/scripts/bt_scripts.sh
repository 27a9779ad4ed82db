#!/bin/bash
# bt_scripts.sh BUILD SHARED -- the boot, example and kernel-loader tests
# again with every x86lab run under the binary translator (issue #9:
# "every example and boot test ... also passes with --engine=bt"): the
# scripts tests/scripts/{boot_*,examples_*,kernel_boot}.sh run against a
# build directory whose x86lab adds --engine=bt (engine_wrap.inc), and
# linux_boot.sh with LINUX_ENGINE=bt.  Each must pass as it does in the
# interpreter; the translator translates at its default threshold.
set -u
BUILD=$(cd "${1:-build}" && pwd) || exit 1
SHARED=${2:-../shared}
cd "$(dirname "$0")/../.." || exit 1
. tests/scripts/engine_wrap.inc
WRAP=$BUILD/bt-wrap
make_engine_wrap "$BUILD" "$WRAP" bt
LOGS=$BUILD/test-logs/bt-scripts
mkdir -p "$LOGS"
passed=0 failed=0
check() {   # check NAME CMD...
    local name=$1 st
    shift
    "$@" > "$LOGS/$name.log" 2>&1 < /dev/null
    st=$?
    if [ $st -eq 0 ]; then
        passed=$((passed + 1))
        echo "ok   bt/$name ($(grep -c '^ok' "$LOGS/$name.log") checks)"
    else
        failed=$((failed + 1))
        echo "FAIL bt/$name: exit $st"
        grep '^FAIL' "$LOGS/$name.log" | head -n 5 | sed 's/^/      /'
    fi
}
for sc in tests/scripts/boot_*.sh tests/scripts/examples_*.sh tests/scripts/kernel_boot.sh; do
    name=$(basename "$sc" .sh)
    check "$name" timeout 600 bash "$sc" "$WRAP" "$SHARED"
done
check linux_boot env LINUX_ENGINE=bt timeout 600 bash tests/scripts/linux_boot.sh "$BUILD" "$SHARED"
echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
