/* fmt.c -- vformat(), the one formatter of the kernel and of user
 * programs: no libc here, so both share this small one. */
#include "fmt.h"

#include <stdint.h>

struct out {
    char *buf;
    int size, len;
};

static void put(struct out *o, char c)
{
    if (o->len < o->size - 1)
        o->buf[o->len++] = c;
}

/* Writes v in `base`, at least `width` digits wide, padded with `pad`. */
static void number(struct out *o, uint32_t v, unsigned base, int neg, int width, char pad)
{
    char digits[12];
    int n = 0;
    do {
        digits[n++] = "0123456789abcdef"[v % base];
        v /= base;
    } while (v);
    if (neg)
        digits[n++] = '-';
    while (width-- > n)
        put(o, pad);
    while (n)
        put(o, digits[--n]);
}

int vformat(char *buf, int size, const char *fmt, va_list ap)
{
    struct out o = { buf, size, 0 };
    for (; *fmt; fmt++) {
        if (*fmt != '%') {
            put(&o, *fmt);
            continue;
        }
        char pad = ' ';
        int width = 0;
        if (*++fmt == '0')
            pad = *fmt++;
        while (*fmt >= '0' && *fmt <= '9')
            width = width * 10 + (*fmt++ - '0');
        switch (*fmt) {
        case 'd': {
            int v = va_arg(ap, int);
            number(&o, v < 0 ? 0u - (uint32_t)v : (uint32_t)v, 10, v < 0, width, pad);
            break;
        }
        case 'u': number(&o, va_arg(ap, uint32_t), 10, 0, width, pad); break;
        case 'p': put(&o, '0'); put(&o, 'x'); /* fall through */
        case 'x': number(&o, va_arg(ap, uint32_t), 16, 0, width, pad); break;
        case 'c': put(&o, (char)va_arg(ap, int)); break;
        case 's': {
            const char *s = va_arg(ap, const char *);
            for (s = s ? s : "(null)"; *s; s++)
                put(&o, *s);
            break;
        }
        case '\0': fmt--; break;
        default: put(&o, '%'); put(&o, *fmt); break;
        }
    }
    if (size > 0)
        o.buf[o.len] = '\0';
    return o.len;
}
