/* fmt.h -- printf-style formatting into a buffer, compiled into both the
 * kernel (cprintf) and the user library (printf). */
#ifndef COURSE_FMT_H
#define COURSE_FMT_H

#include <stdarg.h>

/* %d %u %x %p %s %c %%, with a width and a '0' flag (%08x).  Writes at
 * most size-1 characters and a NUL; returns the length written. */
int vformat(char *buf, int size, const char *fmt, va_list ap);

#endif
