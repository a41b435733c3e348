/* The shell: a console client. It finds the console through the root task,
 * registers a capability-fault handler that finds it again, and runs commands
 * typed at its prompt (commands.c). Line editing (backspace, Ctrl-U, Ctrl-C) is
 * the console's line discipline: Ctrl-C arrives as an empty line (a fresh prompt),
 * an over-long line as CONSOLE_LINE_TOO_LONG. */
#include <stdio.h>
#include <string.h>
#include <proto/console.h>
#include <proto/datastore.h>
#include <proto/system.h>
#include <rs_capfault.h>
#include <rs_console.h>
#include <rs_libc.h>
#include <rs_log.h>
#include <rs_service.h>
#include <rsys.h>
#include "shell.h"

#define LOOKUP_TRIES 500


/* Gets a capability to the console into `slot`, once (the capability-fault
 * handler: libsys retries it with back-off). */
static int find_console(uint64_t slot, void *ctx)
{
    (void)ctx;
    if (rs_lookup("console", slot))
        return -1;
    return console_mode(slot, CONSOLE_MODE_LINE) ? -1 : 0;
}

/* Waits up to five seconds for the console to appear. */
static int wait_console(void)
{
    for (int i = 0; i < LOOKUP_TRIES; i++) {
        if (!find_console(SHELL_CONSOLE, 0))
            return 0;
        rs_sleep(10);
    }
    return -1;
}

/* Whether `line` (from fgets into `size` bytes) is a line too long to run: the
 * console's marker, or a line the buffer cut, whose rest is then read and
 * dropped. */
static int too_long(const char *line, size_t size)
{
    if (!strcmp(line, CONSOLE_LINE_TOO_LONG))
        return 1;
    if (strchr(line, '\n') || strlen(line) < size - 1)
        return 0;
    int c;
    while ((c = getchar()) != EOF && c != '\n')
        ;
    return 1;
}

/* The console went away (its driver died): say so once, wait quietly until RS
 * has brought it back, say that once. */
static void reconnect(void)
{
    clearerr(stdin);
    rs_warn("console lost; waiting for it to come back");
    while (wait_console())
        clearerr(stdin);
    rs_info("console back");
    printf("\n");
}

int main(void)
{
    if (wait_console()) {
        rs_error("no console to run on");
        return 1;
    }
    rs_capfault_register(SHELL_CONSOLE, find_console, 0);
    rs_service_ready();
    rs_stdio_console(SHELL_CONSOLE);
    printf("\nResurgo shell. Type 'help' for the commands.\n");
    char line[SHELL_LINE];
    for (;;) {
        printf("resurgo> ");
        fflush(stdout);
        if (!fgets(line, sizeof line, stdin)) {
            reconnect();
            continue;
        }
        if (too_long(line, sizeof line))
            printf("shell: line too long (max %d characters), ignored\n", CONSOLE_LINE_MAX);
        else
            shell_run(line);
    }
}
