#!/bin/bash
# trace_log.sh BUILD SHARED -- the -d traces and -D FILE.  The debugger
# test kernel (tests/gdb/guest.asm, with symbols) runs with
# -d int,exec,pcall,in_asm,cpu: the log must show its page fault with the
# error code, CR2, the faulting instruction and the handler, its INT 0x30,
# exec lines with symbol names (the faulting instruction's before the
# fault), its far call and return, each loop instruction once in in_asm
# but 1024 times in exec, and a register dump with the values it set.  A
# flat guest that triple-faults is logged by guest_errors and int; one
# that asks for a reset by cpu_reset; --trace-limit bounds the log; -d
# help lists the items and a bad item is a one-line error.
set -u
BUILD=${1:-build}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fails=0
ok() { echo "ok   $*"; }
bad() { echo "FAIL $*"; fails=$((fails + 1)); }
. "$(dirname "$0")/../gdb/common.inc"

[ -x "$X" ] || { echo "FAIL $X is missing (run make BUILD=$BUILD first)"; exit 1; }
build_guest || { echo "FAIL cannot build tests/gdb/guest.asm"; exit 1; }

# has LOG WHAT REGEX / hasnt LOG WHAT REGEX
has() {
    if grep -Eq -- "$3" "$T/$1"; then ok "$2"; else bad "$2 (no /$3/ in $1)"; fi
}
hasnt() {
    if grep -Eq -- "$3" "$T/$1"; then bad "$2 (/$3/ in $1)"; else ok "$2"; fi
}
# line LOG REGEX: the number of the first matching line (0: none)
line() {
    local n
    n=$(grep -nE -- "$2" "$T/$1" | head -n 1 | cut -d: -f1)
    echo "${n:-0}"
}

timeout 60 "$X" -kernel "$T/guest.elf" -debugcon none -d int,exec,pcall,in_asm,cpu \
    -D "$T/full.log" > "$T/full.out" 2>&1
s=$?
[ $s -eq 67 ] && ok "traced guest exits with 67" || bad "traced guest: exit status $s: $(tail -n 2 "$T/full.out")"
has full.log "#PF with error code, CR2, faulting instruction and handler" \
    "^int v=0x0e #PF exception error=0x0002 cr2=0x00400000 at 0008:0*$(sym fault_here | sed 's/0x0*//') <fault_here> \(pm32 cpl0 paging\) -> 0008:[0-9a-f]+ <isr_pf> \(pm32 cpl0, interrupt gate\)"
has full.log "INT 0x30 with its vector and handler" \
    "^int v=0x30 software at 0008:[0-9a-f]+ <soft_int> \(pm32 cpl0\) -> 0008:[0-9a-f]+ <isr_soft>"
has full.log "exec line with a symbol" "^exec 0008:0010000c <_start>: mov esp, 0x"
has full.log "exec line with symbol+offset" "^exec 0008:[0-9a-f]+ <set_regs\+0x5>: mov ebx, 0xcafebabe"
f_exec=$(line full.log "^exec .*<fault_here>: mov dword ptr \[0x400000\], 1")
f_int=$(line full.log "^int v=0x0e")
f_isr=$(line full.log "^exec .*<isr_pf>: push eax")
if [ "$f_exec" -gt 0 ] && [ "$f_exec" -lt "$f_int" ] && [ "$f_int" -lt "$f_isr" ]; then
    ok "faulting instruction, then the fault, then the handler (lines $f_exec < $f_int < $f_isr)"
else
    bad "order of exec/int lines: fault_here $f_exec, #PF $f_int, isr_pf $f_isr"
fi
has full.log "pcall: the far call to selector 0x18" \
    "^pcall 0008:[0-9a-f]+ <soft_int\+0x2> \(lcall 0x18:0x[0-9a-f]+\) cpl0 -> 0018:[0-9a-f]+ <far_func> cpl0"
has full.log "pcall: the far return" "^pcall 0018:[0-9a-f]+ <far_func> \(retf\) cpl0 -> 0008:"
has full.log "in_asm: a block header with its symbol" "^IN: <paging_on>"
n_asm=$(grep -c "^0x[0-9a-f]*:  mov dword ptr \[edi\], eax" "$T/full.log")
n_exec=$(grep -c "^exec .*<paging_on.fill>: mov dword ptr \[edi\], eax" "$T/full.log")
[ "$n_asm" -eq 1 ] && [ "$n_exec" -eq 1024 ] && ok "loop body: once in in_asm, 1024 times in exec" ||
    bad "loop body: $n_asm times in in_asm (want 1), $n_exec in exec (want 1024)"
has full.log "cpu: register dump with the guest's values" "^EAX=12345678 EBX=cafebabe ECX=[0-9a-f]{8} EDX=[0-9a-f]{8}$"
has full.log "cpu: control registers after paging is on" "^CR0=80000011 CR2=[0-9a-f]{8} CR3=[0-9a-f]{8} CR4=00000000$"

# -d int alone: interrupts logged, no per-instruction lines.
timeout 60 "$X" -kernel "$T/guest.elf" -debugcon none -d int -D "$T/int.log" > /dev/null 2>&1
s=$?
[ $s -eq 67 ] && ok "-d int: guest exits with 67" || bad "-d int: exit status $s"
has int.log "-d int: the page fault" "^int v=0x0e #PF exception error=0x0002 cr2=0x00400000"
hasnt int.log "-d int: no exec lines" "^exec "
[ "$(wc -l < "$T/int.log")" -eq 2 ] && ok "-d int: exactly the two events" ||
    bad "-d int: $(wc -l < "$T/int.log") lines (want 2)"

# --trace-limit: the log stops, the guest does not.
timeout 60 "$X" -kernel "$T/guest.elf" -debugcon none -d exec --trace-limit 100 \
    -D "$T/limit.log" > /dev/null 2>&1
s=$?
[ $s -eq 67 ] && ok "--trace-limit: guest still runs to 67" || bad "--trace-limit: exit status $s"
[ "$(grep -c '^exec ' "$T/limit.log")" -eq 100 ] && ok "--trace-limit 100: 100 exec lines" ||
    bad "--trace-limit 100: $(grep -c '^exec ' "$T/limit.log") exec lines"
has limit.log "--trace-limit: says why it stopped" "^trace: 100 lines written \(--trace-limit\)"

# guest_errors: a flat guest with an empty IDT: INT3 -> #GP -> #DF -> shutdown.
cat > "$T/triple.asm" <<'EOF'
        bits    32
        org     0x100000
        lidt    [idtr]
        int3
idtr:   dw      0
        dd      0
EOF
nasm -f bin "$T/triple.asm" -o "$T/triple.bin" || bad "cannot build the triple-fault guest"
timeout 60 "$X" --load "$T/triple.bin@0x100000" --entry32 0x100000 -debugcon none \
    -d int,guest_errors -D "$T/triple.log" > /dev/null 2>&1
s=$?
[ $s -eq 3 ] && ok "triple-fault guest: exit status 3" || bad "triple-fault guest: exit status $s"
has triple.log "int: #GP with the IDT selector as error code" \
    "^int v=0x0d #GP exception error=0x001a at 0008:00100007 \(pm32 cpl0\) -> \(outside the IDT\)"
has triple.log "guest_errors: the double fault" "^guest_errors: double fault at 0008:00100007"
has triple.log "guest_errors: the triple fault" "^guest_errors: triple fault \(shutdown\) at 0008:00100007"

# cpu_reset: a reset through port 0xCF9 (the run ends: --entry32 has no BIOS).
printf '\xb0\x06\xba\xf9\x0c\x00\x00\xee\xf4' > "$T/reset.bin"   # mov al,6; mov edx,0xcf9; out dx,al; hlt
timeout 60 "$X" --load "$T/reset.bin@0x100000" --entry32 0x100000 -debugcon none \
    -d cpu_reset -D "$T/reset.log" > /dev/null 2>&1
has reset.log "cpu_reset: the reset request" "^cpu_reset: the guest asked for a reset at 0008:"

# Options.
"$X" -d help > "$T/help.txt" 2>&1
[ $? -eq 0 ] && grep -q "^  guest_errors" "$T/help.txt" && grep -q "^  in_asm" "$T/help.txt" &&
    ok "-d help lists the items" || bad "-d help: $(head -n 3 "$T/help.txt")"
"$X" -d int,bogus --entry32 0 > "$T/bad.txt" 2>&1
s=$?
[ $s -eq 2 ] && [ "$(wc -l < "$T/bad.txt")" -eq 1 ] && grep -q "unknown item 'bogus'" "$T/bad.txt" &&
    ok "-d bogus: one-line error, status 2" || bad "-d bogus: status $s: $(cat "$T/bad.txt")"
"$X" -kernel "$T/guest.elf" -d int -D /nonexistent/dir/log > "$T/bad.txt" 2>&1
s=$?
[ $s -eq 2 ] && [ "$(wc -l < "$T/bad.txt")" -eq 1 ] && ok "-D unwritable: one-line error, status 2" ||
    bad "-D unwritable: status $s: $(cat "$T/bad.txt")"

echo "$fails failed"
[ $fails -eq 0 ] && echo "traces: passed"
[ $fails -eq 0 ]
