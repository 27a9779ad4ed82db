#!/bin/bash
# analyze.sh BUILD -- GCC's static analyzer (-fanalyzer) over every C file
# of the product (make analyze): each finding fails the test.  The
# findings it made were fixed (NULL geometry after an eject mid-transfer
# in the FDC, NULL option values, a detached gdb stub); see the Makefile
# for the one class turned off and why.
cd "$(dirname "$0")/../.." || exit 1
out=$(make -s analyze 2>&1)
st=$?
n=$(grep -c 'error:' <<< "$out")
if [ $st -eq 0 ]; then
    echo "ok   gcc -fanalyzer: no findings"
    echo "1 passed, 0 failed"
    exit 0
fi
grep 'error:' <<< "$out" | head -n 20
echo "FAIL gcc -fanalyzer: $n findings"
echo "0 passed, 1 failed"
exit 1
