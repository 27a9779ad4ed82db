/* init.c -- the test program, the first and only user process: checks
 * what the kernel promises a user program (ring 3, system calls and their
 * refusals, the timer, the file system on disk 1) and prints one line per
 * check, then "course: ALL TESTS PASSED"; its exit status is the number
 * of failed checks. */
#include "user.h"

/* files/greeting.txt, as mkfs put it on disk 1. */
#define GREETING "hello from the course file system\n"

static int failures;

static void check(const char *what, int ok)
{
    printf("init: %s %s\n", ok ? "ok  " : "FAIL", what);
    failures += !ok;
}

static uint32_t cs(void)
{
    uint32_t v;
    __asm__ volatile("movl %%cs, %0" : "=r"(v));
    return v;
}

static void check_calls(void)
{
    static const char hello[] = "init: hello from ring 3\n";
    check("running at ring 3 (CPL in CS is 3)", (cs() & 3) == 3);
    check("write returns the length written", write(1, hello, sizeof hello - 1) == sizeof hello - 1);
    check("write from kernel memory is refused", write(1, (const void *)0x100000, 16) == -1);
    check("write to a bad file descriptor is refused", write(7, hello, 4) == -1);
    check("an unknown system call returns -1", syscall(99, 0, 0) == -1);
    int n = ncpu();
    printf("init: the kernel runs %d cpus\n", n);
    check("ncpu counts at least one cpu", n >= 1);
}

/* uptime counts CPU 0's timer interrupts, which arrive while we spin. */
static void check_timer(void)
{
    int t0 = uptime(), t = t0;
    for (uint32_t i = 0; i < 100000000u && t < t0 + 3; i++)
        t = uptime();
    check("timer interrupts advance uptime by 3 ticks", t >= t0 + 3);
}

static void check_files(void)
{
    char buf[64];
    int fd = open("greeting.txt");
    check("open greeting.txt", fd >= 0);
    int a = read(fd, buf, 5);
    int b = read(fd, buf + 5, sizeof buf - 5);
    int len = (int)strlen(GREETING);
    check("read it in two parts: 5 bytes, then the rest", a == 5 && b == len - 5);
    check("its text is what mkfs stored", a + b == len && !memcmp(buf, GREETING, (uint32_t)len));
    check("read at the end returns 0", read(fd, buf, sizeof buf) == 0);
    check("close it", close(fd) == 0);
    check("read after close is refused", read(fd, buf, 1) == -1);
    check("open of a missing file is refused", open("no-such-file") == -1);
    check("read into kernel memory is refused", read(open("init"), (void *)0x100000, 4) == -1);
    fd = open("init");
    check("init reads its own ELF header", read(fd, buf, 4) == 4 && !memcmp(buf, "\177ELF", 4));
}

int main(void)
{
    printf("init: the course test program\n");
    check_calls();
    check_timer();
    check_files();
    if (failures == 0)
        printf("course: ALL TESTS PASSED\n");
    else
        printf("course: %d TESTS FAILED\n", failures);
    return failures;
}
