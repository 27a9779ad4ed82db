/* fs.h -- the course file system's layout on disk 1, shared by the host's
 * mkfs and the kernel: sector 0 holds the superblock, then the directory
 * (one 32-byte entry per file), then each file in consecutive sectors. */
#ifndef COURSE_FS_H
#define COURSE_FS_H

#include <stdint.h>

#define FS_MAGIC     0x53465343u        /* "CSFS" in the disk's bytes */
#define FS_SECTOR    512
#define FS_NAMELEN   24                 /* with its NUL */
#define FS_MAXFILES  32
#define FS_DIRSTART  1                  /* the directory's first sector */
#define FS_DIRSECTS  (FS_MAXFILES * 32 / FS_SECTOR)

struct fs_super {
    uint32_t magic;
    uint32_t nsectors;                  /* the whole image */
    uint32_t nfiles;
    uint32_t dir_start;
    uint32_t dir_sectors;
};

/* A file is one extent: `size` bytes from sector `start` on. */
struct fs_dirent {
    char name[FS_NAMELEN];
    uint32_t start;
    uint32_t size;
};

#endif
