/* syscall.h -- the system call numbers, shared by the kernel and the user
 * library.  A call is INT 0x40 with the number in EAX and its arguments in
 * EBX, ECX, EDX; the result comes back in EAX (-1: refused). */
#ifndef COURSE_SYSCALL_H
#define COURSE_SYSCALL_H

#define T_SYSCALL   0x40

#define SYS_exit    1       /* exit(status): does not return */
#define SYS_write   2       /* write(fd, buf, n): fd 1 or 2, the console */
#define SYS_open    3       /* open(name): a file of disk 1's file system */
#define SYS_read    4       /* read(fd, buf, n): from the file's offset on */
#define SYS_close   5       /* close(fd) */
#define SYS_uptime  6       /* uptime(): timer ticks of CPU 0 since boot */
#define SYS_ncpu    7       /* ncpu(): how many CPUs the kernel started */

#endif
