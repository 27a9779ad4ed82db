/* lib.h -- the little of a C library this kernel needs: output through
 * COM1 with a small printf, and the memory and string functions (the
 * compiler may call memset/memcpy by itself even in -ffreestanding code). */
#ifndef MBK_LIB_H
#define MBK_LIB_H

#include <stddef.h>
#include <stdint.h>

void serial_init(void);
void serial_putc(char c);       /* '\n' goes out as "\r\n" */
int serial_getc(void);          /* waits for a byte (sleeping with HLT) */
void serial_flush(void);        /* waits until every byte has been sent */
void serial_accept_input(int on);   /* DTR/RTS: let the other side send, or not */

/* %s %c %d %u %x %% with an optional zero-pad width (%08x); %llx prints a
 * uint64_t in hex. */
void kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

void *memset(void *d, int c, size_t n);
void *memcpy(void *d, const void *s, size_t n);
size_t strlen(const char *s);
int strcmp(const char *a, const char *b);

#endif
