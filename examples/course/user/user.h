/* user.h -- what a user program can call: the system calls (usys.asm) and
 * the small library (ulib.c). */
#ifndef COURSE_USER_H
#define COURSE_USER_H

#include <stdint.h>

void exit(int status) __attribute__((noreturn));
int write(int fd, const void *buf, uint32_t n);
int open(const char *name);
int read(int fd, void *buf, uint32_t n);
int close(int fd);
int uptime(void);
int ncpu(void);
int syscall(int n, int a, int b);

uint32_t strlen(const char *s);
int memcmp(const void *a, const void *b, uint32_t n);
void printf(const char *fmt, ...);

#endif
