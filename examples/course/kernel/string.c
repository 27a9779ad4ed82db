/* string.c -- the few memory and string functions the kernel needs (and
 * that gcc may call on its own for structure copies). */
#include "defs.h"

void *memset(void *d, int c, uint32_t n)
{
    uint8_t *p = d;
    while (n--)
        *p++ = (uint8_t)c;
    return d;
}

void *memmove(void *d, const void *s, uint32_t n)
{
    uint8_t *dp = d;
    const uint8_t *sp = s;
    if (dp < sp) {
        while (n--)
            *dp++ = *sp++;
    } else {
        while (n--)
            dp[n] = sp[n];
    }
    return d;
}

void *memcpy(void *d, const void *s, uint32_t n)
{
    return memmove(d, s, n);
}

int strncmp(const char *a, const char *b, uint32_t n)
{
    for (; n && *a && *a == *b; n--, a++, b++)
        ;
    return n ? (uint8_t)*a - (uint8_t)*b : 0;
}
