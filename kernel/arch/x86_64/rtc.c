/* The CMOS real-time clock, read once at boot (see rtc.h). */
#include "../../civil.h"
#include "cpu.h"
#include "rtc.h"

enum { CMOS_INDEX = 0x70, CMOS_DATA = 0x71, REG_A = 0x0A, REG_B = 0x0B, CENTURY = 0x32 };

uint64_t rtc_boot_unix;

static unsigned cmos(unsigned reg)
{
    outb(CMOS_INDEX, (uint8_t)reg);
    return inb(CMOS_DATA);
}

/* Reads the six fields twice until two reads agree and no update ran between
 * them (an update can change several fields while we read). */
uint64_t rtc_unix_time(void)
{
    unsigned f[7], g[7];
    for (int tries = 0; tries < 8; tries++) {
        for (int spin = 0; spin < 100000 && (cmos(REG_A) & 0x80); spin++)
            ;
        static const unsigned regs[7] = { 0, 2, 4, 7, 8, 9, CENTURY };
        for (int i = 0; i < 7; i++)
            f[i] = cmos(regs[i]);
        for (int i = 0; i < 7; i++)
            g[i] = cmos(regs[i]);
        int same = 1;
        for (int i = 0; i < 7; i++)
            same &= f[i] == g[i];
        if (same)
            break;
    }
    unsigned b = cmos(REG_B);
    int bcd = !(b & 0x04), pm = f[2] & 0x80;
    f[2] &= 0x7F;
    for (int i = 0; bcd && i < 7; i++)
        f[i] = civil_bcd(f[i]);
    if (!(b & 0x02) && pm)
        f[2] = (f[2] % 12) + 12;        /* 12-hour mode */
    unsigned century = f[6] >= 19 && f[6] <= 99 ? f[6] : 20;
    return civil_to_unix(century * 100 + f[5], f[4], f[3], f[2], f[1], f[0]);
}
