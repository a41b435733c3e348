/* The shell: a console client. It finds the console through the root task,
 * registers a capability-fault handler that finds it again, and runs commands
 * typed at its prompt (commands.c). Line editing (backspace) is the console's
 * line discipline. */
#include <stdio.h>
#include <string.h>
#include <proto/console.h>
#include <proto/system.h>
#include <rs_capfault.h>
#include <rs_console.h>
#include <rs_libc.h>
#include <rs_log.h>
#include <rsys.h>
#include "shell.h"

#define LOOKUP_TRIES 50

/* Gets a capability to the console into `slot` (waiting for it to appear). */
static int find_console(uint64_t slot, void *ctx)
{
    (void)ctx;
    for (int i = 0; i < LOOKUP_TRIES; i++) {
        rs_cap_delete(slot);
        if (!system_lookup(SHELL_SYSTEM, "console", 7, slot))
            return console_mode(slot, CONSOLE_MODE_LINE) ? -1 : 0;
        rs_sleep(100);
    }
    return -1;
}

int main(void)
{
    if (find_console(SHELL_CONSOLE, 0)) {
        rs_error("no console to run on");
        return 1;
    }
    rs_capfault_register(SHELL_CONSOLE, find_console, 0);
    rs_stdio_console(SHELL_CONSOLE);
    printf("\nResurgo shell. Type 'help' for the commands.\n");
    char line[256];
    for (;;) {
        printf("resurgo> ");
        fflush(stdout);
        if (!fgets(line, sizeof line, stdin)) {
            rs_error("console lost; trying to find it again");
            clearerr(stdin);
            if (find_console(SHELL_CONSOLE, 0))
                rs_sleep(1000);
            continue;
        }
        shell_run(line);
    }
}
