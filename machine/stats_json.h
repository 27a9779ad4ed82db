/* stats_json.h -- one run's figures as JSON (--stats-json FILE): the
 * statistics set, the CPU's counters, the guest-marked regions, the wall
 * time and how the run ended; what `x86lab compare` reads from each run. */
#ifndef X86LAB_STATS_JSON_H
#define X86LAB_STATS_JSON_H

#include <stdbool.h>
#include <stdio.h>

#include "machine/stats.h"

struct machine;

struct stats_run {
    double wall_s;             /* host time the guest ran */
    int exit_status;           /* x86lab's exit status */
    const char *stop;          /* machine_stop_name() */
};

/* Short keys for JSON (trap_class_name/vmexit_reason_name are the titles). */
const char *trap_class_key(enum trap_class t);
const char *vmexit_reason_key(enum vmexit_reason r);
/* s as a JSON string, quotes included. */
void json_put_string(FILE *f, const char *s);
/* 0, or -1 when writing failed. */
int stats_write_json(const struct machine *m, const struct stats_run *run, FILE *f);

#endif
