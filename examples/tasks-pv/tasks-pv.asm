; tasks-pv.asm -- examples/tasks made paravirtual (the same source,
; ../tasks/tasks.asm, assembled with PV defined: its %ifdef PV parts are
; every change).  The kernel asks x86lab through the hypercall port
; (../common/pv.inc, docs/hypercall.md) instead of running privileged
; instructions: its console is one HC_CONSOLE_WRITE per line instead of an
; OUT per character, and it stops with HC_SET_IF + HC_HALT instead of
; CLI + HLT.  The tasks in ring 3 are unchanged.
;
%define PV
%include "../tasks/tasks.asm"
