/* ide.c -- disk 1 (the primary channel's slave: QEMU's -drive index=1)
 * read with ATA PIO: LBA28 READ SECTORS, polling the status register, no
 * interrupts.  The boot block reads disk 0 the same way, one sector at a
 * time. */
#include "defs.h"
#include "x86.h"

#define DATA    0x1F0
#define COUNT   0x1F2
#define LBA0    0x1F3
#define LBA1    0x1F4
#define LBA2    0x1F5
#define DRIVE   0x1F6
#define STATUS  0x1F7           /* reading; writing: the command */
#define CONTROL 0x3F6

#define BSY  0x80
#define DRDY 0x40
#define DF   0x20
#define DRQ  0x08
#define ERR  0x01

#define SLAVE_LBA 0xF0          /* drive 1, LBA addressing */

static struct spinlock idelock;

/* Until (status & mask) == want; -1 on an error bit or after a long time. */
static int idewait(uint8_t mask, uint8_t want)
{
    for (int i = 0; i < 1000000; i++) {
        uint8_t s = inb(STATUS);
        if (!(s & BSY) && (s & (DF | ERR)))
            return -1;
        if ((s & mask) == want)
            return 0;
        pause();
    }
    return -1;
}

/* 0 when disk 1 answers: its status reads non-zero once selected. */
int ideinit(void)
{
    initlock(&idelock, "ide");
    outb(CONTROL, 0x02);        /* nIEN: no interrupts, we poll */
    outb(DRIVE, SLAVE_LBA);
    for (int i = 0; i < 1000; i++) {
        uint8_t s = inb(STATUS);
        if (s != 0 && s != 0xFF)
            return idewait(BSY | DRDY, DRDY);
    }
    return -1;
}

/* One READ SECTORS command: up to 255 sectors, each after its DRQ. */
static int read_run(uint32_t lba, uint8_t *dst, uint32_t n)
{
    outb(DRIVE, SLAVE_LBA | ((lba >> 24) & 0x0F));
    if (idewait(BSY | DRDY, DRDY) < 0)
        return -1;
    outb(COUNT, (uint8_t)n);
    outb(LBA0, lba);
    outb(LBA1, lba >> 8);
    outb(LBA2, lba >> 16);
    outb(STATUS, 0x20);
    for (uint32_t i = 0; i < n; i++, dst += 512) {
        if (idewait(BSY | DRQ, DRQ) < 0)
            return -1;
        insl(DATA, dst, 512 / 4);
    }
    return 0;
}

int ide_read(uint32_t lba, void *dst, uint32_t nsect)
{
    int r = 0;
    acquire(&idelock);
    for (uint8_t *p = dst; nsect && r == 0;) {
        uint32_t n = nsect > 255 ? 255 : nsect;
        r = read_run(lba, p, n);
        lba += n;
        p += n * 512;
        nsect -= n;
    }
    release(&idelock);
    return r;
}
