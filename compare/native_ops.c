/* native_ops.c -- the host's own cost of the nanobenchmark operations it
 * can run from a user process (the "native" column beside the engines):
 * CPUID, CALL/RET, PUSHF/POPF, a system call, and a divide error and a
 * page fault each taken as a signal and returned from.  Measured in a
 * forked child, so the signal handlers never touch x86lab itself. */
#include "compare/compare_int.h"

#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>

#if defined(__x86_64__)

static uint64_t rdtsc(void)
{
    uint32_t lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return (uint64_t)hi << 32 | lo;
}

/* The faulting instructions below are 2 bytes long (F7 F1, 8B 07): the
 * handler resumes after them, as a kernel's fixup would. */
static void skip_insn(int sig, siginfo_t *si, void *ctx)
{
    (void)sig;
    (void)si;
    ((ucontext_t *)ctx)->uc_mcontext.gregs[REG_RIP] += 2;
}

static __attribute__((noinline)) void empty_fn(void)
{
    __asm__ volatile("");
}

enum { OP_CPUID, OP_CALLRET, OP_PUSHF, OP_SYSCALL, OP_DIV, OP_PF };

static void one(int op, void *page)
{
    uint32_t a = 0, b, c = 0, d;
    switch (op) {
    case OP_CPUID: __asm__ volatile("cpuid" : "+a"(a), "=b"(b), "+c"(c), "=d"(d)); break;
    case OP_CALLRET: empty_fn(); break;
    case OP_PUSHF: __asm__ volatile("pushfq; popfq" ::: "cc", "memory"); break;
    case OP_SYSCALL: syscall(SYS_getppid); break;
    case OP_DIV:
        __asm__ volatile("xor %%edx, %%edx; mov $1, %%eax; xor %%ecx, %%ecx; divl %%ecx"
                         ::: "eax", "ecx", "edx", "cc");
        break;
    case OP_PF: __asm__ volatile("movl (%%rdi), %%eax" : : "D"(page) : "eax", "memory"); break;
    }
}

static void measure(struct native_op *r, int op, int n, void *page)
{
    for (int k = 0; k < n / 10; k++)
        one(op, page);                           /* warm up */
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    uint64_t c0 = rdtsc();
    for (int k = 0; k < n; k++)
        one(op, page);
    uint64_t c1 = rdtsc();
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double ns = (double)(t1.tv_sec - t0.tv_sec) * 1e9 + (double)(t1.tv_nsec - t0.tv_nsec);
    r->ns = ns / n;
    r->cycles = (double)(c1 - c0) / n;
    r->ok = true;
}

static void measure_all(struct native_result *out)
{
    static const struct { const char *op, *how; int code, n; } plan[] = {
        { "int80", "a Linux system call, getppid() (SYSCALL/SYSRET)", OP_SYSCALL, 200000 },
        { "callret", "CALL and RET of an empty function", OP_CALLRET, 2000000 },
        { "pushfpopf", "PUSHFQ, POPFQ", OP_PUSHF, 1000000 },
        { "cpuid", "CPUID leaf 0 (on a virtual host this itself exits to its hypervisor)",
          OP_CPUID, 20000 },
        { "divzero", "divide error: SIGFPE delivered, handler skips the DIV, sigreturn",
          OP_DIV, 20000 },
        { "pgfault", "page fault on a PROT_NONE page: SIGSEGV delivered, handler skips the "
          "load, sigreturn", OP_PF, 20000 },
    };
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = skip_insn;
    sa.sa_flags = SA_SIGINFO | SA_NODEFER;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGFPE, &sa, NULL);
    sigaction(SIGSEGV, &sa, NULL);
    void *page = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    for (size_t k = 0; k < sizeof plan / sizeof plan[0]; k++) {
        struct native_op *r = &out->ops[out->n++];
        r->op = plan[k].op;
        r->how = plan[k].how;
        if (plan[k].code != OP_PF || page != MAP_FAILED)
            measure(r, plan[k].code, plan[k].n, page);
    }
}

void native_measure(struct native_result *out)
{
    memset(out, 0, sizeof *out);
    int fd[2];
    if (pipe(fd) < 0)
        return;
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        struct native_result r;
        memset(&r, 0, sizeof r);
        close(fd[0]);
        measure_all(&r);
        ssize_t w = write(fd[1], &r, sizeof r);
        _exit(w == (ssize_t)sizeof r ? 0 : 1);
    }
    close(fd[1]);
    if (pid > 0) {
        struct native_result r;
        ssize_t got = read(fd[0], &r, sizeof r);
        waitpid(pid, NULL, 0);
        if (got == (ssize_t)sizeof r)
            *out = r;   /* the strings are the same literals in both processes */
    }
    close(fd[0]);
}

#else

void native_measure(struct native_result *out)
{
    memset(out, 0, sizeof *out);        /* only an x86-64 host runs these */
}

#endif
