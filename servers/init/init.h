/* init: runs init.lua (a read-only boot module RS gives it) in Lua 5.4 with the
 * start-up API, and tells RS what it declares. */
#pragma once
#include <lua.h>

/* Registers `service "NAME" { ... }` (declare.c). */
void init_open_declare(lua_State *L);

/* Bookkeeping for the summary line: a service declared, or refused. */
void init_declared(const char *service);
void init_failed(const char *service);
