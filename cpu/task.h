/* task.h -- hardware task switching (task.c): JMP/CALL to a TSS or task
 * gate, interrupts through task gates, IRET with NT; and the inner-ring
 * stacks kept in the current TSS. */
#ifndef X86LAB_TASK_H
#define X86LAB_TASK_H

#include <stdint.h>

#include "seg.h"

enum task_reason { TASK_JMP, TASK_CALL, TASK_IRET, TASK_INT };

/* Switches to the task whose TSS descriptor d was read for sel.  The caller
 * has made the checks that depend on how the switch began (privilege,
 * present, busy).  Faults before the commit point leave the old task
 * untouched; faults after it are raised in the new task (#TS, #NP, #SS
 * with the offending selector).  ext is the EXT bit for error codes. */
void task_switch(struct cpu *c, uint16_t sel, const struct descriptor *d,
                 enum task_reason why, uint32_t ext);

/* Reads SS:ESP for privilege level dpl from the current TSS and checks SS
 * as the stack of that ring (#TS or #SS with the selector). */
void tss_inner_stack(struct cpu *c, unsigned dpl, uint32_t ext, uint16_t *ss,
                     uint32_t *esp, struct descriptor *ssd);

/* The back link (selector of the previous task) of the current TSS. */
uint16_t tss_back_link(struct cpu *c);

#endif
