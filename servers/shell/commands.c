/* Shell commands: a table of name, help text and function. */
#include <stdio.h>
#include <string.h>
#include <proto/datastore.h>
#include <proto/system.h>
#include <rs_ds.h>
#include <rs_libc.h>
#include <rs_service.h>
#include <rsys.h>
#include "shell.h"

static void cmd_help(const char *arg);

#define CRASH_TRIES 100             /* RS_E_BUSY for a second: not running, or stuck */

/* Prints what RS answered a text request with, or why it did not. */
static void print_answer(const char *what, uint64_t e, char *text, size_t n)
{
    if (e == RS_E_NOENT)
        printf("%s: no such service\n", what);
    else if (e == RS_E_RIGHTS)
        printf("%s: not allowed\n", what);
    else if (e)
        printf("%s: the reincarnation server did not answer (error %lu)\n", what, e);
    else {
        text[n] = '\0';
        fputs(text, stdout);
    }
}

/* init's start-up report from the data store, when there is one: what init.lua
 * declared, and each service it did not, with the reason. */
static void print_startup_report(void)
{
    static char text[DS_VALUE_MAX + 1];
    size_t n = 0;
    uint64_t type = 0;
    if (datastore_retrieve(RS_GIVEN_DS, "startup", 7, text, DS_VALUE_MAX, &n, &type, 0)
        || type != DS_STRING)
        return;
    text[n] = '\0';
    fputs(text, stdout);
}

static void cmd_ps(const char *arg)
{
    (void)arg;
    static char text[RS_BUFFER_MAX];
    size_t n = 0;
    uint64_t e = system_svc_list(SHELL_SYSTEM, sizeof text - 1, text, sizeof text - 1, &n);
    print_answer("ps", e, text, n);
    print_startup_report();
}

static const struct crash_kind {
    const char *name;
    uint64_t kind;
} crash_kinds[] = {
    { "exception", SVC_CRASH_EXCEPTION }, { "pagefault", SVC_CRASH_PAGEFAULT },
    { "exit", SVC_CRASH_EXIT }, { "hang", SVC_CRASH_HANG }, { "anywhere", SVC_CRASH_ANYWHERE },
    { "busy", SVC_CRASH_BUSY },
};

static void svc_crash(const char *name, const char *how)
{
    uint64_t kind = 0;
    for (unsigned i = 0; i < sizeof crash_kinds / sizeof crash_kinds[0]; i++)
        if (!strcmp(how, crash_kinds[i].name))
            kind = crash_kinds[i].kind;
    if (!kind) {
        printf("svc crash: how is one of exception, pagefault, exit, hang, anywhere, busy\n");
        return;
    }
    uint64_t e;
    for (int tries = 0; tries < CRASH_TRIES; tries++) {  /* busy serving: ask again */
        e = system_svc_crash(SHELL_SYSTEM, kind, name, strlen(name));
        if (e != RS_E_BUSY)
            break;
        rs_sleep(10);
    }
    if (e == RS_E_BUSY)
        printf("svc crash: %s is not running or busy; try again\n", name);
    else if (e)
        print_answer("svc crash", e, 0, 0);
    else
        printf("svc crash: %s asked to fail (%s)\n", name, how);
}

/* restart, stop and start: no text comes back. */
static void svc_control(const char *verb, const char *name)
{
    uint64_t (*call)(uint64_t, const void *, size_t) =
        !strcmp(verb, "restart") ? system_svc_restart
        : !strcmp(verb, "stop") ? system_svc_stop : system_svc_start;
    uint64_t e = call(SHELL_SYSTEM, name, strlen(name));
    if (e)
        print_answer(verb, e, 0, 0);
    else
        printf("svc %s %s: done\n", verb, name);
}

static void cmd_svc(const char *arg)
{
    char verb[16] = "", name[32] = "", how[16] = "exception";
    sscanf(arg, "%15s %31s %15s", verb, name, how);
    static char text[RS_BUFFER_MAX];
    size_t n = 0;
    if (!strcmp(verb, "list") || !*verb) {
        cmd_ps(0);
    } else if (!*name) {
        printf("usage: svc list | svc status|restart|stop|start NAME | "
               "svc crash NAME [exception|pagefault|exit|hang|anywhere|busy]\n");
    } else if (!strcmp(verb, "status")) {
        uint64_t e = system_svc_status(SHELL_SYSTEM, name, strlen(name), text, sizeof text - 1,
                                       &n);
        print_answer("svc status", e, text, n);
    } else if (!strcmp(verb, "crash")) {
        svc_crash(name, how);
    } else if (!strcmp(verb, "restart") || !strcmp(verb, "stop") || !strcmp(verb, "start")) {
        svc_control(verb, name);
    } else {
        printf("svc: unknown verb '%s' (list, status, restart, stop, start, crash)\n", verb);
    }
}

static void cmd_kill(const char *arg)
{
    if (!*arg) {
        printf("usage: kill NAME   (the same as svc crash NAME exception)\n");
        return;
    }
    svc_crash(arg, "exception");
}

static void cmd_lua(const char *arg)
{
    char chunk[SHELL_LINE];
    snprintf(chunk, sizeof chunk, "%s", arg);
    shell_lua(chunk);
}

static void cmd_halt(const char *arg)
{
    (void)arg;
    printf("halting\n");
    fflush(stdout);
    uint64_t e = system_halt(SHELL_SYSTEM);
    printf("halt: refused (error %lu)\n", e);
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
        printf("mem: the reincarnation server did not answer\n");
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
    { "ps", "every task: RS, the data store and the services; what init.lua declared",
      cmd_ps },
    { "fi", "fi TARGET TYPE [COUNT] [SEED]: make faults in a service (fi alone: the types)",
      shell_fi },
    { "svc", "svc list|status|restart|stop|start|crash NAME [how]", cmd_svc },
    { "kill", "kill NAME: ask a service to crash itself (svc crash)", cmd_kill },
    { "lua", "lua: a Lua 5.4 prompt with svc.*; lua -e CHUNK runs one", cmd_lua },
    { "halt", "end the system (QEMU exits)", cmd_halt },
    { "uptime", "time since boot", cmd_uptime },
    { "mem", "memory used and free", cmd_mem },
    { "pci", "the PCI devices: vendor:device, class, BARs, IRQ and driver", cmd_pci },
};
#define NCOMMANDS (sizeof commands / sizeof commands[0])

static void cmd_help(const char *arg)
{
    (void)arg;
    for (unsigned i = 0; i < NCOMMANDS; i++)
        printf("  %-7s %s\n", commands[i].name, commands[i].help);
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
