/* ulib.c -- the user library: printf() through the write system call, and
 * the string functions the test program needs. */
#include <stdarg.h>

#include "../common/fmt.h"
#include "user.h"

uint32_t strlen(const char *s)
{
    uint32_t n = 0;
    while (s[n])
        n++;
    return n;
}

int memcmp(const void *a, const void *b, uint32_t n)
{
    const uint8_t *p = a, *q = b;
    for (; n; n--, p++, q++)
        if (*p != *q)
            return *p - *q;
    return 0;
}

void printf(const char *fmt, ...)
{
    char buf[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vformat(buf, sizeof buf, fmt, ap);
    va_end(ap);
    write(1, buf, (uint32_t)n);
}
