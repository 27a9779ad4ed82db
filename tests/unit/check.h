/* check.h -- how the unit test programs (tests/unit/test_*.c) report each
 * assertion: check() prints "ok ..." or "FAIL ..." and counts it in
 * passed / failed, which main() prints as "N passed, N failed" (the line
 * tests/run-all.sh reads) and turns into its exit status.  Each program
 * includes it once; the tally is per program, hence static. */
#ifndef TESTS_UNIT_CHECK_H
#define TESTS_UNIT_CHECK_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>

static int passed, failed;

/* check(ok, fmt, ...): one assertion, described printf-style. */
static void check(bool ok, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    printf("%s ", ok ? "ok" : "FAIL");
    vprintf(fmt, ap);
    printf("\n");
    va_end(ap);
    if (ok)
        passed++;
    else
        failed++;
}

#endif
