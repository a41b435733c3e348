/* `lua` at the shell: Lua 5.4 with bindings to the services (svc.*), the data
 * store and the counter (ds.*, counter.*: lua_ds.c), for a student to restart a
 * driver or read a counter from Lua. `lua -e 'chunk'` runs one
 * chunk; `lua` alone is a prompt: an expression prints its values, a statement
 * runs, an unfinished one continues on the next line, an error is printed and the
 * prompt carries on; `exit` (or an empty line twice) leaves it. */
#include <stdio.h>
#include <string.h>
#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>
#include <proto/system.h>
#include <rs_service.h>
#include <rsys.h>
#include "shell.h"

#define CHUNK_MAX 4096

static const char *const state_names[] = { "stopped", "starting", "running", "waiting",
                                           "blocked", "failed" };

/* svc.status(name) -> {state=, incarnation=, failures=, restarts=} or nil, error */
static int svc_status(lua_State *L)
{
    const char *name = luaL_checkstring(L, 1);
    uint64_t st = 0, inc = 0, fails = 0, restarts = 0;
    uint64_t e = system_svc_info(SHELL_SYSTEM, name, strlen(name), &st, &inc, &fails, &restarts);
    if (e) {
        luaL_pushfail(L);
        lua_pushfstring(L, "no service '%s'", name);
        return 2;
    }
    lua_createtable(L, 0, 4);
    lua_pushstring(L, st < 6 ? state_names[st] : "?");
    lua_setfield(L, -2, "state");
    lua_pushinteger(L, (lua_Integer)inc);
    lua_setfield(L, -2, "incarnation");
    lua_pushinteger(L, (lua_Integer)fails);
    lua_setfield(L, -2, "failures");
    lua_pushinteger(L, (lua_Integer)restarts);
    lua_setfield(L, -2, "restarts");
    return 1;
}

/* svc.list() -> the names of every service, in RS's order */
static int svc_list(lua_State *L)
{
    static char text[RS_BUFFER_MAX];
    size_t n = 0;
    if (system_svc_list(SHELL_SYSTEM, sizeof text - 1, text, sizeof text - 1, &n))
        return luaL_error(L, "the reincarnation server did not answer");
    text[n] = '\0';
    lua_newtable(L);
    int i = 0;
    for (char *line = strtok(text, "\n"); line; line = strtok(0, "\n")) {
        char name[32];
        if (i++ == 0 || sscanf(line, "%31s", name) != 1 || !strcmp(name, "system"))
            continue;               /* the header, and the degraded note */
        lua_pushstring(L, name);
        lua_rawseti(L, -2, (lua_Integer)lua_rawlen(L, -2) + 1);
    }
    return 1;
}

/* restart, stop and start: true, or nil and the error */
static int svc_control(lua_State *L, uint64_t (*call)(uint64_t, const void *, size_t))
{
    const char *name = luaL_checkstring(L, 1);
    uint64_t e = call(SHELL_SYSTEM, name, strlen(name));
    if (!e) {
        lua_pushboolean(L, 1);
        return 1;
    }
    luaL_pushfail(L);
    lua_pushfstring(L, "%s: %s", name, e == RS_E_NOENT ? "no such service"
                                       : e == RS_E_RIGHTS ? "not allowed" : "refused");
    return 2;
}

static int svc_restart(lua_State *L) { return svc_control(L, system_svc_restart); }
static int svc_stop(lua_State *L) { return svc_control(L, system_svc_stop); }
static int svc_start(lua_State *L) { return svc_control(L, system_svc_start); }

/* svc.crash(name [, how]) with how = exception|pagefault|exit|hang|anywhere|busy */
static int svc_crash(lua_State *L)
{
    static const char *const hows[] = { "exception", "pagefault", "exit", "hang", "anywhere",
                                        "busy", NULL };
    const char *name = luaL_checkstring(L, 1);
    int how = luaL_checkoption(L, 2, "exception", hows);
    uint64_t e = system_svc_crash(SHELL_SYSTEM, SVC_CRASH_EXCEPTION + (uint64_t)how, name,
                                  strlen(name));
    lua_pushboolean(L, e == 0);
    return 1;
}

static int no_exit(lua_State *L)
{
    return luaL_error(L, "os.exit would end the shell; type 'exit' to leave the prompt");
}

static lua_State *new_state(void)
{
    static const luaL_Reg svc[] = {
        { "list", svc_list }, { "status", svc_status }, { "restart", svc_restart },
        { "stop", svc_stop }, { "start", svc_start }, { "crash", svc_crash }, { 0, 0 },
    };
    lua_State *L = luaL_newstate();
    if (!L)
        return 0;
    luaL_openlibs(L);
    luaL_newlib(L, svc);
    lua_setglobal(L, "svc");
    shell_lua_open_ds(L);
    lua_getglobal(L, "os");
    lua_pushcfunction(L, no_exit);
    lua_setfield(L, -2, "exit");
    lua_pop(L, 1);
    return L;
}

/* Runs chunk; prints what an expression returns, or the error. */
static void run(lua_State *L, const char *chunk, size_t len)
{
    char expr[CHUNK_MAX + 8];
    int e = LUA_ERRSYNTAX;
    if (len <= CHUNK_MAX) {
        int n = snprintf(expr, sizeof expr, "return %.*s", (int)len, chunk);
        e = luaL_loadbuffer(L, expr, (size_t)n, "=stdin");
        if (e)
            lua_pop(L, 1);
    }
    if (e)
        e = luaL_loadbuffer(L, chunk, len, "=stdin");
    int base = lua_gettop(L) - 1;
    if (!e)
        e = lua_pcall(L, 0, LUA_MULTRET, 0);
    if (e) {
        printf("%s\n", lua_tostring(L, -1));
    } else {
        int top = lua_gettop(L);
        for (int i = base + 1; i <= top; i++) {
            printf("%s%s", luaL_tolstring(L, i, 0), i < top ? "\t" : "\n");
            lua_pop(L, 1);
        }
    }
    lua_settop(L, base);
}

/* Whether chunk is cut short (more lines to come): neither an expression nor a
 * statement, and the statement's error is at the end of the input. */
static int incomplete(lua_State *L, const char *chunk, size_t len)
{
    char expr[CHUNK_MAX + 8];
    int w = snprintf(expr, sizeof expr, "return %.*s", (int)len, chunk);
    if (w < (int)sizeof expr) {
        int as_expression = luaL_loadbuffer(L, expr, (size_t)w, "=stdin");
        lua_pop(L, 1);                  /* the function, or the error */
        if (as_expression == LUA_OK)
            return 0;
    }
    if (luaL_loadbuffer(L, chunk, len, "=stdin") != LUA_ERRSYNTAX) {
        lua_pop(L, 1);
        return 0;
    }
    size_t n;
    const char *msg = lua_tolstring(L, -1, &n);
    int more = n >= 5 && !strcmp(msg + n - 5, "<eof>");
    lua_pop(L, 1);
    return more;
}

static void prompt(lua_State *L)
{
    static char chunk[CHUNK_MAX];
    char line[SHELL_LINE];
    size_t used = 0;
    printf("Lua 5.4: svc.list/status/restart/stop/start/crash, ds.get/set/delete, "
           "counter.get/add, io.open(\"/boot/NAME\"); 'exit' leaves\n");
    for (;;) {
        printf(used ? ">> " : "lua> ");
        fflush(stdout);
        if (!fgets(line, sizeof line, stdin) || (!used && !strcmp(line, "exit\n")))
            return;
        size_t n = strlen(line);
        if (used + n >= sizeof chunk) {
            printf("lua: input too long, dropped\n");
            used = 0;
            continue;
        }
        memcpy(chunk + used, line, n);
        used += n;
        if (incomplete(L, chunk, used))
            continue;
        run(L, chunk, used);
        used = 0;
    }
}

/* A chunk in matching quotes loses them: lua -e 'print(1)' */
static const char *unquote(char *s)
{
    size_t n = strlen(s);
    if (n >= 2 && (s[0] == '\'' || s[0] == '"') && s[n - 1] == s[0]) {
        s[n - 1] = '\0';
        return s + 1;
    }
    return s;
}

void shell_lua(char *arg)
{
    lua_State *L = new_state();
    if (!L) {
        printf("lua: no memory\n");
        return;
    }
    if (!strncmp(arg, "-e", 2) && (arg[2] == ' ' || !arg[2])) {
        const char *chunk = unquote(arg + 2 + strspn(arg + 2, " "));
        run(L, chunk, strlen(chunk));
    } else if (*arg) {
        printf("usage: lua          a Lua prompt\n       lua -e CHUNK  run one chunk\n");
    } else {
        prompt(L);
    }
    lua_close(L);
}
