/* The shell's commands. */
#pragma once

#define SHELL_SYSTEM  10    /* the root task's endpoint (given at start) */
#define SHELL_CONSOLE 20    /* the console endpoint (looked up) */
#define SHELL_COUNTER 21    /* the counter's endpoint, for counter.* in Lua (looked up) */
#define SHELL_FI      22    /* the fault injector's endpoint (looked up) */
#define SHELL_PCI     23    /* the PCI server's endpoint (looked up) */

#include <rs_console.h>
/* Room for the longest line the console delivers, its '\n' and the NUL. */
#define SHELL_LINE (CONSOLE_LINE_MAX + 2)

/* Runs one command line (with its newline); prints to stdout. */
void shell_run(char *line);

/* lua.c: `lua` (a prompt) or `lua -e CHUNK`; arg may be changed. */
void shell_lua(char *arg);
/* fi.c: the fi command, and one fault for Lua's fi.inject (the injector's status). */
void shell_fi(const char *arg);
/* `pci`: the PCI devices and their drivers. */
void cmd_pci(const char *arg);
uint64_t shell_fi_inject(const char *target, const char *type, uint64_t seed, uint64_t *addr);
struct lua_State;
/* Adds the ds.* and counter.* bindings (lua_ds.c) to a Lua state. */
void shell_lua_open_ds(struct lua_State *L);
