/* syscall.c -- the system calls (numbers in common/syscall.h): number in
 * EAX, arguments in EBX, ECX, EDX, result in EAX.  User pointers are
 * checked against the user memory before the kernel touches them. */
#include "../common/fs.h"
#include "../common/syscall.h"
#include "defs.h"

#define NFILE 8
#define FD0   3                 /* 0-2 are the console's */

struct file {
    const struct fs_dirent *f;  /* 0: a free slot */
    uint32_t off;
};

static struct file files[NFILE];

static int uptr_ok(uint32_t va, uint32_t n)
{
    return va >= USERBASE && n <= USERSIZE && va - USERBASE <= USERSIZE - n;
}

static struct file *getfile(uint32_t fd)
{
    if (fd < FD0 || fd >= FD0 + NFILE || !files[fd - FD0].f)
        return 0;
    return &files[fd - FD0];
}

int sys_write(uint32_t fd, uint32_t ubuf, uint32_t n)
{
    if ((fd != 1 && fd != 2) || !uptr_ok(ubuf, n))
        return -1;
    console_write((const char *)ubuf, n);
    return (int)n;
}

/* The name must end inside the user memory, in FS_NAMELEN bytes. */
int sys_open(uint32_t uname)
{
    char name[FS_NAMELEN];
    for (uint32_t i = 0;; i++) {
        if (i == FS_NAMELEN || !uptr_ok(uname + i, 1))
            return -1;
        if ((name[i] = ((const char *)uname)[i]) == '\0')
            break;
    }
    const struct fs_dirent *f = fs_lookup(name);
    for (int i = 0; f && i < NFILE; i++) {
        if (!files[i].f) {
            files[i].f = f;
            files[i].off = 0;
            return FD0 + i;
        }
    }
    return -1;
}

int sys_read(uint32_t fd, uint32_t ubuf, uint32_t n)
{
    struct file *file = getfile(fd);
    if (!file || !uptr_ok(ubuf, n))
        return -1;
    int r = fs_read(file->f, file->off, (void *)ubuf, n);
    if (r > 0)
        file->off += (uint32_t)r;
    return r;
}

int sys_close(uint32_t fd)
{
    struct file *file = getfile(fd);
    if (!file)
        return -1;
    file->f = 0;
    return 0;
}

void syscall(struct trapframe *tf)
{
    switch (tf->eax) {
    case SYS_exit: finish((int)tf->ebx);
    case SYS_write: tf->eax = sys_write(tf->ebx, tf->ecx, tf->edx); break;
    case SYS_open: tf->eax = sys_open(tf->ebx); break;
    case SYS_read: tf->eax = sys_read(tf->ebx, tf->ecx, tf->edx); break;
    case SYS_close: tf->eax = sys_close(tf->ebx); break;
    case SYS_uptime: tf->eax = ticks; break;
    case SYS_ncpu: tf->eax = cpus_running(); break;
    default:
        cprintf("kernel: unknown system call %d\n", tf->eax);
        tf->eax = (uint32_t)-1;
    }
}
