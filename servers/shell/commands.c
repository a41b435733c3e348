/* Shell commands: a table of name, help text and function. */
#include <stdio.h>
#include <string.h>
#include <proto/system.h>
#include <rs_libc.h>
#include <rsys.h>
#include "shell.h"

static void cmd_help(const char *arg);

static void cmd_ps(const char *arg)
{
    (void)arg;
    static char text[RS_BUFFER_MAX];
    size_t n = 0;
    uint64_t e = system_ps(SHELL_SYSTEM, sizeof text - 1, text, sizeof text - 1, &n);
    if (e) {
        printf("ps: the root task did not answer (error %lu)\n", e);
        return;
    }
    text[n] = '\0';
    fputs(text, stdout);
}

static void cmd_kill(const char *arg)
{
    if (!*arg) {
        printf("usage: kill NAME   (makes the service crash)\n");
        return;
    }
    uint64_t e = system_kill(SHELL_SYSTEM, arg, strlen(arg));
    if (e == RS_E_NOENT)
        printf("kill: no running service '%s'\n", arg);
    else if (e)
        printf("kill: failed (error %lu)\n", e);
    else
        printf("kill: %s made to crash\n", arg);
}

static void cmd_uptime(const char *arg)
{
    (void)arg;
    uint64_t ms = rs_time_ms();
    printf("up %lu.%02lu s\n", ms / 1000, ms % 1000 / 10);
}

static void cmd_mem(const char *arg)
{
    (void)arg;
    uint64_t limit = 0, used = 0;
    size_t heap, mapped;
    if (system_mem(SHELL_SYSTEM, &limit, &used)) {
        printf("mem: the root task did not answer\n");
        return;
    }
    rs_heap_stats(&heap, &mapped);
    printf("system: %lu KiB of %lu KiB used (%lu KiB free)\n", used / 1024, limit / 1024,
           (limit - used) / 1024);
    printf("shell heap: %zu bytes in use, %zu KiB mapped\n", heap, mapped / 1024);
}

static const struct command {
    const char *name, *help;
    void (*run)(const char *arg);
} commands[] = {
    { "help", "list the commands", cmd_help },
    { "ps", "services: state, incarnation, task, crashes", cmd_ps },
    { "kill", "kill NAME: make a service crash (for demonstrations)", cmd_kill },
    { "uptime", "time since boot", cmd_uptime },
    { "mem", "memory used and free", cmd_mem },
};
#define NCOMMANDS (sizeof commands / sizeof commands[0])

static void cmd_help(const char *arg)
{
    (void)arg;
    for (unsigned i = 0; i < NCOMMANDS; i++)
        printf("  %-8s %s\n", commands[i].name, commands[i].help);
}

void shell_run(char *line)
{
    line[strcspn(line, "\r\n")] = '\0';
    char *name = line + strspn(line, " ");
    if (!*name)
        return;
    char *arg = name + strcspn(name, " ");
    if (*arg)
        *arg++ = '\0';
    arg += strspn(arg, " ");
    for (unsigned i = 0; i < NCOMMANDS; i++) {
        if (!strcmp(commands[i].name, name)) {
            commands[i].run(arg);
            return;
        }
    }
    printf("shell: unknown command '%s' (type 'help')\n", name);
}
