/* cmos.h -- the MC146818 real-time clock and its 128 bytes of CMOS RAM at
 * ports 0x70 (index, bit 7 = NMI disable) and 0x71 (data): time and date,
 * alarm, periodic/alarm/update-ended interrupts on IRQ 8, and the NVRAM
 * layout a PC BIOS reads (memory sizes, drives, boot order, checksum). */
#ifndef X86LAB_CMOS_H
#define X86LAB_CMOS_H

#include <stdbool.h>
#include <stdint.h>

#include "machine/clock.h"
#include "machine/irq.h"

struct bus;

/* Register indexes and bits a BIOS or test names. */
enum {
    CMOS_SEC = 0x00, CMOS_SEC_ALARM = 0x01, CMOS_MIN = 0x02, CMOS_MIN_ALARM = 0x03,
    CMOS_HOUR = 0x04, CMOS_HOUR_ALARM = 0x05, CMOS_WDAY = 0x06, CMOS_MDAY = 0x07,
    CMOS_MON = 0x08, CMOS_YEAR = 0x09,
    CMOS_REG_A = 0x0A, CMOS_REG_B = 0x0B, CMOS_REG_C = 0x0C, CMOS_REG_D = 0x0D,
    CMOS_SHUTDOWN = 0x0F, CMOS_FLOPPY = 0x10, CMOS_DISK = 0x12, CMOS_EQUIP = 0x14,
    CMOS_BASE_LO = 0x15, CMOS_EXT_LO = 0x17, CMOS_CSUM_HI = 0x2E, CMOS_CSUM_LO = 0x2F,
    CMOS_EXT2_LO = 0x30, CMOS_CENTURY = 0x32, CMOS_HIGH_LO = 0x34,
    CMOS_BOOT_THIRD = 0x38, CMOS_BOOT_FIRST = 0x3D, CMOS_NCPUS = 0x5F,

    RTC_A_UIP = 0x80, RTC_A_DV = 0x70, RTC_A_RS = 0x0F,
    RTC_B_SET = 0x80, RTC_B_PIE = 0x40, RTC_B_AIE = 0x20, RTC_B_UIE = 0x10,
    RTC_B_SQWE = 0x08, RTC_B_DM = 0x04, RTC_B_24H = 0x02, RTC_B_DSE = 0x01,
    RTC_C_IRQF = 0x80, RTC_C_PF = 0x40, RTC_C_AF = 0x20, RTC_C_UF = 0x10,
    RTC_D_VRT = 0x80,
};

/* The running time, kept in binary with a 24-hour clock whatever register
 * B's format bits say; registers are encoded from it on every read. */
struct rtc_time {
    uint8_t sec, min, hour, wday, mday, mon, year, century;   /* wday 1 = Sunday */
};

struct cmos {
    struct vclock *clock;
    struct irq_line irq;          /* IRQ 8 */
    uint8_t ram[128];             /* NVRAM, alarm bytes, registers A and B */
    uint8_t index;
    bool nmi_masked;              /* bit 7 of the last index write */
    uint8_t reg_c;
    bool irq_level;
    struct rtc_time now;
    uint64_t next_update;         /* virtual ns of the next once-a-second update */
    uint64_t pf_seen;             /* last periodic-interrupt period observed */
    struct timer update_timer;    /* armed only while AIE or UIE is set */
    struct timer periodic_timer;  /* armed only while PIE is set */
};

/* What the board writes into the NVRAM at power-on (Bochs/SeaBIOS layout). */
struct cmos_pc_info {
    uint32_t ram_bytes;
    uint8_t floppy[2];            /* drive types: 0 none, 4 = 3.5" 1.44 MB ... */
    uint8_t disk[2];              /* hard disk types: 0 none, 0xF = see 0x19/0x1A */
    uint8_t boot[3];              /* boot devices in order: 1 floppy, 2 disk, 3 CD, 0 none */
    bool fpu;
};

/* deterministic: the clock starts at 2000-01-01 00:00:00 instead of the
 * host's time (UTC). */
int cmos_init(struct cmos *c, struct bus *b, struct vclock *clock,
              struct irq_line irq, bool deterministic);
/* The chip's RESET pin: interrupt enables and flags cleared; time and
 * NVRAM survive (they are battery-backed). */
void cmos_reset(struct cmos *c);
void cmos_free(struct cmos *c);
void cmos_setup_pc(struct cmos *c, const struct cmos_pc_info *info);

/* Byte access for the board, the debugger and tests: the same as a guest
 * access through port 0x71 (reading register C clears it). */
uint8_t cmos_read(struct cmos *c, uint8_t index);
void cmos_write(struct cmos *c, uint8_t index, uint8_t value);
/* Sum of bytes 0x10-0x2D stored big-endian at 0x2E-0x2F. */
void cmos_update_checksum(struct cmos *c);
/* Port 0x70 bit 7: whoever delivers NMIs must hold them while set. */
bool cmos_nmi_masked(const struct cmos *c);

#endif
