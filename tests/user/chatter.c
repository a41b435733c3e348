/* A console client for the driver-crash test: writes lines to the console without
 * pause. Its capability-fault handler looks the console up again; when that
 * fails (the driver is down and not restarted) the write returns a capability
 * fault, which it reports before exiting cleanly. */
#include <stdio.h>
#include <proto/console.h>
#include <proto/system.h>
#include <rs_capfault.h>
#include <rs_log.h>
#include <rsys.h>

enum { SYSTEM = 10, CONSOLE = 20 };

static int find_console(uint64_t slot, void *ctx)
{
    (void)ctx;
    rs_cap_delete(slot);
    return system_lookup(SYSTEM, "console", 7, slot) ? -1 : 0;
}

int main(void)
{
    for (int i = 0; i < 50 && find_console(CONSOLE, 0); i++)
        rs_sleep(100);
    rs_capfault_register(CONSOLE, find_console, 0);
    char line[64];
    for (uint64_t n = 1;; n++) {
        int len = snprintf(line, sizeof line, "chatter: line %lu\n", n);
        uint64_t e = console_write(CONSOLE, line, (size_t)len, 0);
        if (e) {
            rs_info("console lost after %lu writes: error %lu%s", n - 1, e,
                    e == RS_E_CAPFAULT ? " (capability fault)" : "");
            return 0;
        }
        rs_sleep(5);
    }
}
