/* defs.h -- the kernel's constants, its per-CPU and trap-frame structures,
 * and every function one kernel file calls in another. */
#ifndef COURSE_DEFS_H
#define COURSE_DEFS_H

#include <stdint.h>

#define NCPU        8
#define KSTACKSIZE  4096
#define USERBASE    0x40000000u     /* where user programs live (virtual) */
#define USERSIZE    0x10000u        /* 64 KiB: code, data, stack */
#define USERPHYS    0x600000u       /* ... and its frames (physical) */
#define APBOOT      0x7000u         /* the APs' real-mode start (STARTUP vector 07h) */

/* Segment selectors of the one GDT (vm.c); CPU i's TSS is entry 5 + i. */
#define SEG_KCODE   0x08
#define SEG_KDATA   0x10
#define SEG_UCODE   (0x18 | 3)
#define SEG_UDATA   (0x20 | 3)
#define SEG_TSS(i)  ((5 + (i)) << 3)

/* Interrupt vectors. */
#define T_TIMER     32
#define T_SPURIOUS  0xFF

/* The exit port's values (isa-debug-exit: the emulator exits with v*2+1). */
#define EXIT_PASS   0x10            /* 33: init exited with status 0 */
#define EXIT_FAIL   0x11            /* 35: init failed or was killed */
#define EXIT_PANIC  0x12            /* 37: the kernel panicked */

struct tss {
    uint32_t link, esp0, ss0, esp1, ss1, esp2, ss2, cr3, eip, eflags;
    uint32_t eax, ecx, edx, ebx, esp, ebp, esi, edi;
    uint32_t es, cs, ss, ds, fs, gs, ldt;
    uint16_t trap, iomb;
};

struct cpu {
    uint8_t apicid;             /* its local APIC's ID (from the MP table) */
    volatile uint32_t started;  /* set by the CPU itself once it runs */
    volatile uint32_t ticks;    /* its timer interrupts */
    int ncli;                   /* pushcli() depth */
    int intena;                 /* were interrupts on before the first pushcli? */
    struct tss ts;
};

/* What alltraps (trapasm.asm) leaves on the stack for trap(). */
struct trapframe {
    uint32_t edi, esi, ebp, oesp, ebx, edx, ecx, eax;   /* PUSHAD */
    uint32_t gs, fs, es, ds;
    uint32_t trapno, err;
    uint32_t eip, cs, eflags;                           /* pushed by the CPU */
    uint32_t esp, ss;                                   /* only from ring 3 */
};

struct spinlock {
    volatile uint32_t locked;
    const char *name;
    int cpu;                    /* holder, -1 when free */
};

/* console.c */
void consoleinit(void);
void cprintf(const char *fmt, ...);
void console_write(const char *s, uint32_t n);
void panic(const char *fmt, ...) __attribute__((noreturn));

/* spinlock.c */
void initlock(struct spinlock *lk, const char *name);
void acquire(struct spinlock *lk);
void release(struct spinlock *lk);
void pushcli(void);
void popcli(void);

/* mp.c */
extern struct cpu cpus[NCPU];
extern int ncpu;
extern volatile uint32_t *lapic;
void mpinit(void);
struct cpu *mycpu(void);
int cpuid(void);

/* acpi.c */
int acpi_cpus(void);

/* lapic.c */
void lapicinit(void);
int lapicid(void);
void lapiceoi(void);
void lapicstartap(uint8_t apicid, uint32_t addr);

/* vm.c */
void kvminit(void);
void kvmload(void);
void seginit(void);
uint32_t kpgdir(void);

/* trap.c */
extern volatile uint32_t ticks;
void tvinit(void);
void idtinit(void);
void trap(struct trapframe *tf);

/* ide.c */
int ideinit(void);
int ide_read(uint32_t lba, void *dst, uint32_t nsect);

/* fs.c */
struct fs_dirent;
int fsinit(void);
const struct fs_dirent *fs_lookup(const char *name);
int fs_read(const struct fs_dirent *f, uint32_t off, void *dst, uint32_t n);

/* exec.c */
void run_init(const char *name) __attribute__((noreturn));
void finish(int status) __attribute__((noreturn));

/* syscall.c */
void syscall(struct trapframe *tf);

/* main.c */
int cpus_running(void);

/* entry.asm, trapasm.asm */
void enter_user(uint32_t eip, uint32_t esp) __attribute__((noreturn));
extern uint32_t vectors[256];
extern uint8_t kstacks[NCPU][KSTACKSIZE];

/* string.c */
void *memset(void *d, int c, uint32_t n);
void *memmove(void *d, const void *s, uint32_t n);
void *memcpy(void *d, const void *s, uint32_t n);
int strncmp(const char *a, const char *b, uint32_t n);

#endif
