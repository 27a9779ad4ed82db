/* mkfs.c -- builds the course file system image on the host (compiled
 * with the host's compiler): mkfs fs.img FILE...  writes the superblock,
 * the directory and each FILE (named by its last path component) in
 * consecutive sectors; layout in common/fs.h. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/fs.h"

#define FS_MINSECTS 1024            /* images are at least 512 KiB */

static void die(const char *what, const char *name)
{
    fprintf(stderr, "mkfs: %s: %s\n", name, what);
    exit(1);
}

static const char *basename_of(const char *path)
{
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

/* Appends the file at sector `start`; returns the sectors it took. */
static uint32_t add_file(FILE *img, struct fs_dirent *d, const char *path, uint32_t start)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        die(strerror(errno), path);
    const char *name = basename_of(path);
    if (strlen(name) >= FS_NAMELEN)
        die("name too long", name);
    memset(d, 0, sizeof *d);
    strcpy(d->name, name);
    d->start = start;
    if (fseek(img, (long)start * FS_SECTOR, SEEK_SET) != 0)
        die(strerror(errno), "image");
    char buf[FS_SECTOR];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0) {
        if (fwrite(buf, 1, n, img) != n)
            die(strerror(errno), "image");
        d->size += (uint32_t)n;
    }
    fclose(f);
    return (d->size + FS_SECTOR - 1) / FS_SECTOR;
}

int main(int argc, char **argv)
{
    if (argc < 2 || argc - 2 > FS_MAXFILES) {
        fprintf(stderr, "usage: mkfs fs.img FILE... (at most %d files)\n", FS_MAXFILES);
        return 2;
    }
    FILE *img = fopen(argv[1], "wb");
    if (!img)
        die(strerror(errno), argv[1]);
    struct fs_dirent dir[FS_MAXFILES];
    memset(dir, 0, sizeof dir);
    uint32_t next = FS_DIRSTART + FS_DIRSECTS;
    for (int i = 2; i < argc; i++)
        next += add_file(img, &dir[i - 2], argv[i], next);

    struct fs_super sb = { FS_MAGIC, next < FS_MINSECTS ? FS_MINSECTS : next,
                           (uint32_t)(argc - 2), FS_DIRSTART, FS_DIRSECTS };
    char sector[FS_SECTOR] = { 0 };
    memcpy(sector, &sb, sizeof sb);
    if (fseek(img, 0, SEEK_SET) || fwrite(sector, 1, FS_SECTOR, img) != FS_SECTOR ||
        fwrite(dir, 1, sizeof dir, img) != sizeof dir ||
        fseek(img, (long)sb.nsectors * FS_SECTOR - 1, SEEK_SET) || fputc(0, img) == EOF ||
        fclose(img))
        die(strerror(errno), argv[1]);
    printf("mkfs: %s: %u files, %u sectors\n", argv[1], sb.nfiles, sb.nsectors);
    return 0;
}
