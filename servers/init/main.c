/* init: reads init.lua from the boot module RS gave it (RS_GIVEN_SCRIPT), runs it
 * with Lua's base, string, table, math, utf8 and coroutine libraries and the
 * start-up API (declare.c), and reports what it declared. A syntax or run-time
 * error is reported with file and line; the services declared before it keep
 * their declarations, and RS's built-in ones (console, shell) run regardless.
 * Then it serves RS's requests to run failure hooks (hooks.c). RS enforces the
 * policies it was given whether or not init is alive. */
#include <stdlib.h>
#include <string.h>
#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>
#include <proto/datastore.h>
#include <proto/init.h>
#include <rs_ds.h>
#include <rs_invoke.h>
#include <rs_log.h>
#include <rs_server.h>
#include <rs_service.h>
#include "init.h"

#define SCRIPT_MAX (256 * 1024)
#define CHUNK 4096

enum { EP = RS_GIVEN_FIRST_FREE };

static unsigned declared, failed;
#define SUMMARY_ROOM 128            /* of the report's DS_VALUE_MAX bytes */
static char problems[DS_VALUE_MAX - SUMMARY_ROOM];  /* one message a line, while they fit */
static size_t problems_len;
static int problems_cut;

static void keep_problem(const char *message)
{
    size_t n = strlen(message);
    if (!problems_cut && problems_len + n + 1 <= sizeof problems) {
        memcpy(problems + problems_len, message, n);
        problems[problems_len + n] = '\n';
        problems_len += n + 1;
        return;
    }
    if (!problems_cut && problems_len + 4 <= sizeof problems) {
        memcpy(problems + problems_len, "...\n", 4);    /* and nothing after it */
        problems_len += 4;
    }
    problems_cut = 1;
}

void init_declared(const char *service)
{
    (void)service;
    declared++;
}

void init_failed(const char *message)
{
    rs_error("%s", message);
    keep_problem(message);
    failed++;
}

/* The summary and the problems as the data store's "startup" (a string init owns),
 * for the shell's ps to show which services init.lua did not declare, and why. */
static void publish_report(const char *summary)
{
    static char buf[sizeof "startup" + DS_VALUE_MAX];
    int n = snprintf(buf, sizeof buf, "startup%c%.*s\n%.*s", 0, SUMMARY_ROOM - 1, summary,
                     (int)problems_len, problems);
    uint64_t e = datastore_publish(RS_GIVEN_DS, DS_STRING, 0, buf, (size_t)n);
    if (e)
        rs_warn("could not publish the start-up report (error %lu)", e);
}

/* The script's bytes (malloc'd, NUL-terminated), or NULL with a logged reason. */
static char *read_script(size_t *len)
{
    uint64_t module = 0, size = 0;
    if (rs_image_info(RS_GIVEN_SCRIPT, &module, &size, 0, 0, 0, 0) || size > SCRIPT_MAX) {
        rs_error("no init.lua to run (no script capability, or over %d bytes)", SCRIPT_MAX);
        return 0;
    }
    char *text = malloc(size + 1);
    for (uint64_t at = 0, got = 1; text && at < size && got; at += got)
        if (rs_image_read(RS_GIVEN_SCRIPT, at, CHUNK, (uint64_t)(text + at), &got))
            got = 0;
    if (text)
        text[size] = '\0';
    *len = size;
    return text;
}

static int no_exit(lua_State *L)
{
    return luaL_error(L, "os.exit is not for init.lua: init would end and RS restart it");
}

/* Every standard library but package (no file system to load modules from); os
 * without exit; io on the boot modules init may read (io.open("/boot/init.lua"))
 * and the kernel log (io.write; io.read sees end of file). */
static void open_libraries(lua_State *L)
{
    static const luaL_Reg libs[] = {
        { LUA_GNAME, luaopen_base }, { LUA_STRLIBNAME, luaopen_string },
        { LUA_TABLIBNAME, luaopen_table }, { LUA_MATHLIBNAME, luaopen_math },
        { LUA_UTF8LIBNAME, luaopen_utf8 }, { LUA_COLIBNAME, luaopen_coroutine },
        { LUA_OSLIBNAME, luaopen_os }, { LUA_IOLIBNAME, luaopen_io },
    };
    for (unsigned i = 0; i < sizeof libs / sizeof libs[0]; i++) {
        luaL_requiref(L, libs[i].name, libs[i].func, 1);
        lua_pop(L, 1);
    }
    lua_getglobal(L, "os");
    lua_pushcfunction(L, no_exit);
    lua_setfield(L, -2, "exit");
    lua_pop(L, 1);
    init_open_declare(L);
}

static lua_State *lua;

lua_State *init_lua(void) { return lua; }

/* Runs the script; its mistakes are reported, not fatal (init still serves hooks). */
static uint64_t us_since(uint64_t tsc)
{
    uint64_t hz = rs_tsc_hz();
    return hz ? (uint64_t)((unsigned __int128)(rs_tsc() - tsc) * 1000000u / hz) : 0;
}

static int run_script(void *state)
{
    (void)state;
    uint64_t t0 = rs_tsc();
    size_t len = 0;
    char *text = read_script(&len);
    lua = luaL_newstate();
    if (!text || !lua) {
        rs_error(lua ? "nothing to run" : "no memory for Lua");
        free(text);
        return lua ? 0 : 1;
    }
    open_libraries(lua);
    uint64_t t1 = rs_tsc(), lua_us = us_since(t0);
    int e = luaL_loadbuffer(lua, text, len, "=init.lua");
    if (!e)
        e = lua_pcall(lua, 0, 0, 0);
    if (e) {
        rs_error("%s", lua_tostring(lua, -1));    /* "init.lua:LINE: message" */
        keep_problem(lua_tostring(lua, -1));
    }
    lua_settop(lua, 0);
    char summary[96];
    snprintf(summary, sizeof summary, "init.lua %s: %u services declared, %u refused",
             e ? "stopped by an error" : "done", declared, failed);
    rs_info("%s", summary);
    publish_report(summary);
    rs_info("timing: Lua ready in %lu us, the script ran in %lu us", lua_us, us_since(t1));
    free(text);
    return rs_create(RS_SLOT_QUOTA, RS_OBJ_ENDPOINT, EP, 0) ? 1 : 0;
}

static const rs_handler_fn handlers[INIT_LABELS] = {
    [INIT_HOOK] = init_hook_handler,
};

int main(void)
{
    static const struct rs_server server = {
        .name = "init", .endpoint = EP, .handlers = handlers, .nhandlers = INIT_LABELS,
        .init_fresh = run_script, .init_restart = run_script,
    };
    return rs_server_run(&server);
}
