/* Machine power-off (see poweroff.h). Each step returns only when its device is
 * absent, so the next is tried. */
#include "cpu.h"
#include "poweroff.h"
#include "qemu_exit.h"

enum { PM1_SLEEP_S5 = 0x2000 };     /* PM1 control: SLP_EN, SLP_TYP 0 (S5 in QEMU) */

void machine_power_off(void)
{
    cpu_cli();
    qemu_exit(QEMU_EXIT_SUCCESS);
    outw(0x604, PM1_SLEEP_S5);
    outw(0xB004, PM1_SLEEP_S5);
    for (;;)
        cpu_hlt();
}
