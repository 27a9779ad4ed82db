#!/bin/bash
# examples_tasks.sh BUILD SHARED -- examples/tasks booted from its floppy:
# two ring-3 tasks switched by the 100 Hz timer, system calls through
# INT 80h (write, ticks, exit).  Checks: exit status 0 (the kernel halts
# when no task is left), each task's five lines in order, the two tasks'
# lines interleaved (task B's first line before task A's last: the timer
# preempted A), tick numbers that grow, task A's exit(0), task B killed by
# #GP after CLI in ring 3, and the same lines on the VGA text screen.
set -u
. "$(dirname "$0")/examples_common.inc" "${1:-build}" examples_tasks || exit 1

boot floppy -fda "$EX/tasks/tasks-floppy.img"
expect_status floppy 0
E9=$OUT/floppy.e9
expect_lines floppy e9 "task A: hello from ring 3" "task B: hello from ring 3"
check_task() {   # check_task A|B: lines 1-5 in order, ticks increasing
    local t=$1
    local ticks
    ticks=$(grep -E "^task $t: line [1-5] at tick [0-9]+$" "$E9" | sed 's/.* line \([0-9]\) at tick \([0-9]*\)/\1 \2/')
    if [ "$(echo "$ticks" | awk '{ print $1 }' | tr -d '\n')" = 12345 ] &&
       echo "$ticks" | awk 'NR > 1 && $2 <= prev { bad = 1 } { prev = $2 } END { exit bad }'; then
        pass "task $t: lines 1-5 in order, ticks $(echo "$ticks" | awk '{ print $2 }' | tr '\n' ' ')"
    else
        fail "task $t: lines and ticks: $(echo "$ticks" | tr '\n' '|')"
    fi
}
check_task A
check_task B
b1=$(grep -n -x "task B: line 1 at tick [0-9]*" "$E9" | head -n 1 | cut -d: -f1)
a5=$(grep -n -x "task A: line 5 at tick [0-9]*" "$E9" | head -n 1 | cut -d: -f1)
if [ -n "$b1" ] && [ -n "$a5" ] && [ "$b1" -lt "$a5" ]; then
    pass "the tasks interleave: task B's line 1 (line $b1) before task A's line 5 (line $a5)"
else
    fail "no interleaving: task B line 1 at '${b1:-none}', task A line 5 at '${a5:-none}'"
fi
expect_lines floppy e9 "tasks: TSS loaded (LTR 28h): ESP0 is the running task's kernel stack" \
    "task A: calling exit(0)" "kernel: task A called exit, status 0"
if grep -q -x -E "kernel: task B: general protection fault at EIP=[0-9A-F]{8}, killed" "$E9" &&
   ! grep -q "CLI worked" "$E9"; then
    pass "task B: CLI in ring 3 raised #GP and the kernel killed it"
else
    fail "task B: no #GP kill line (or CLI worked)"
fi
expect_lines floppy e9 "task B: trying CLI in ring 3" "kernel: no tasks left, halting"
grep -q "unexpected exception" "$E9" && fail "an unexpected exception: $(grep unexpected "$E9")"
expect_lines floppy vga "task A: hello from ring 3" "task A: calling exit(0)" \
    "kernel: task A called exit, status 0" "task B: trying CLI in ring 3" "kernel: no tasks left, halting"
finish
