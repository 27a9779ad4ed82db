/* x86.h -- the instructions C has no words for (port I/O, control
 * registers, descriptor tables, atomic exchange), one inline function each. */
#ifndef COURSE_X86_H
#define COURSE_X86_H

#include <stdint.h>

static inline uint8_t inb(uint16_t port)
{
    uint8_t v;
    __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}

static inline void outb(uint16_t port, uint8_t v)
{
    __asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline void outw(uint16_t port, uint16_t v)
{
    __asm__ volatile("outw %0, %1" : : "a"(v), "Nd"(port));
}

static inline void insl(uint16_t port, void *dst, uint32_t n)
{
    __asm__ volatile("cld; rep insl" : "+D"(dst), "+c"(n) : "d"(port) : "memory");
}

static inline void cli(void) { __asm__ volatile("cli" ::: "memory"); }
static inline void sti(void) { __asm__ volatile("sti" ::: "memory"); }
static inline void hlt(void) { __asm__ volatile("hlt" ::: "memory"); }
static inline void pause(void) { __asm__ volatile("pause" ::: "memory"); }

static inline uint32_t readeflags(void)
{
    uint32_t f;
    __asm__ volatile("pushfl; popl %0" : "=r"(f));
    return f;
}

/* Atomically: the old *p, and *p = v (XCHG with memory is always locked). */
static inline uint32_t xchg(volatile uint32_t *p, uint32_t v)
{
    __asm__ volatile("xchgl %0, %1" : "+m"(*p), "+r"(v) : : "memory");
    return v;
}

static inline void lcr3(uint32_t v) { __asm__ volatile("movl %0, %%cr3" : : "r"(v) : "memory"); }
static inline uint32_t rcr0(void)
{
    uint32_t v;
    __asm__ volatile("movl %%cr0, %0" : "=r"(v));
    return v;
}
static inline void lcr0(uint32_t v) { __asm__ volatile("movl %0, %%cr0" : : "r"(v) : "memory"); }
static inline uint32_t rcr2(void)
{
    uint32_t v;
    __asm__ volatile("movl %%cr2, %0" : "=r"(v));
    return v;
}

struct __attribute__((packed)) dtr {
    uint16_t limit;
    uint32_t base;
};

static inline void lidt(void *base, uint16_t size)
{
    struct dtr d = { (uint16_t)(size - 1), (uint32_t)base };
    __asm__ volatile("lidt %0" : : "m"(d));
}

static inline void ltr(uint16_t sel) { __asm__ volatile("ltr %0" : : "r"(sel)); }

#endif
