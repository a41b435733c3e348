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

/* Gets a capability to the console into `slot`, once (the capability-fault
 * handler: libsys retries it with back-off). */
static int find_console(uint64_t slot, void *ctx)
{
    (void)ctx;
    rs_cap_delete(slot);
    if (system_lookup(SHELL_SYSTEM, "console", 7, slot))
        return -1;
    return console_mode(slot, CONSOLE_MODE_LINE) ? -1 : 0;
}

/* Waits up to five seconds for the console to appear. */
static int wait_console(void)
{
    for (int i = 0; i < LOOKUP_TRIES; i++) {
        if (!find_console(SHELL_CONSOLE, 0))
            return 0;
        rs_sleep(100);
    }
    return -1;
}

int main(void)
{
    if (wait_console()) {
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
            if (wait_console())
                rs_sleep(1000);
            continue;
        }
        shell_run(line);
    }
}
