/* fs.c -- the course file system on disk 1 (layout in common/fs.h, made
 * by tools/mkfs.c): the superblock and directory read once, then files
 * read by name and offset through a one-sector buffer. */
#include "../common/fs.h"
#include "defs.h"

static struct fs_super sb;
static struct fs_dirent dir[FS_MAXFILES];
static uint8_t bounce[FS_SECTOR];
static struct spinlock fslock;

int fsinit(void)
{
    initlock(&fslock, "fs");
    if (ide_read(0, bounce, 1) < 0)
        return -1;
    memmove(&sb, bounce, sizeof sb);
    if (sb.magic != FS_MAGIC || sb.nfiles > FS_MAXFILES || sb.dir_sectors != FS_DIRSECTS)
        return -1;
    if (ide_read(sb.dir_start, dir, sb.dir_sectors) < 0)
        return -1;
    cprintf("fs: %d files in %d sectors on disk 1\n", sb.nfiles, sb.nsectors);
    return 0;
}

const struct fs_dirent *fs_lookup(const char *name)
{
    for (uint32_t i = 0; i < sb.nfiles; i++)
        if (!strncmp(dir[i].name, name, FS_NAMELEN))
            return &dir[i];
    return 0;
}

/* Up to n bytes from offset off: how many were read (0 at the end, -1 on
 * a disk error). */
int fs_read(const struct fs_dirent *f, uint32_t off, void *dst, uint32_t n)
{
    if (off >= f->size)
        return 0;
    if (n > f->size - off)
        n = f->size - off;
    acquire(&fslock);
    uint32_t done = 0;
    while (done < n) {
        uint32_t at = off + done, in = at % FS_SECTOR;
        uint32_t k = FS_SECTOR - in < n - done ? FS_SECTOR - in : n - done;
        if (ide_read(f->start + at / FS_SECTOR, bounce, 1) < 0) {
            release(&fslock);
            return -1;
        }
        memmove((uint8_t *)dst + done, bounce + in, k);
        done += k;
    }
    release(&fslock);
    return (int)done;
}
