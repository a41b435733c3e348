/* init: runs init.lua (a read-only boot module RS gives it) in Lua 5.4 with the
 * start-up API, and tells RS what it declares. */
#pragma once
#include <lua.h>
#include <rs_server.h>

/* Registers `service "NAME" { ... }` (declare.c). */
void init_open_declare(lua_State *L);

/* hooks.c: keeps the function at the top of L's stack as service's failure hook;
 * runs hooks when RS asks (the INIT_HOOK handler). */
void init_keep_hook(lua_State *L, const char *service);
uint32_t init_hook_handler(struct rs_request *r, void *state);
lua_State *init_lua(void);

/* Bookkeeping for the summary line and the report: a service declared, or one
 * refused, with the message that says why ("init.lua:LINE: service 'x': ..."),
 * which is logged and kept for the report init publishes as "startup". */
void init_declared(const char *service);
void init_failed(const char *message);
