/* Root test of Lua 5.4 in Resurgo's user space: runs tests/lua/oracle.lua (built in)
 * with the standard libraries and prints every line its print() makes as
 * "lua| LINE" on the kernel log; the system test compares them byte for byte with
 * the host's lua5.4 running the same file. print() is replaced by one that formats
 * exactly as Lua's (luaL_tolstring, tab-separated) but writes one log line per
 * printed line, so kernel log prefixes cannot split a line. Lines are cut at
 * LINE_MAX_BYTES and at a NUL (the oracle prints neither). */
#include <string.h>
#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>
#include <rsys.h>
#include "check.h"
#include "oracle_lua.h"

#define LINE_MAX_BYTES 200

static int oracle_print(lua_State *L)
{
    char line[LINE_MAX_BYTES + 1];
    size_t used = 0;
    int n = lua_gettop(L);
    for (int i = 1; i <= n; i++) {
        size_t len;
        const char *s = luaL_tolstring(L, i, &len);
        if (i > 1 && used < LINE_MAX_BYTES)
            line[used++] = '\t';
        size_t room = LINE_MAX_BYTES - used;
        memcpy(line + used, s, len < room ? len : room);
        used += len < room ? len : room;
        lua_pop(L, 1);
    }
    line[used] = '\0';
    for (char *p = line, *nl;; p = nl + 1) {    /* one log line per printed line */
        nl = strchr(p, '\n');
        if (nl)
            *nl = '\0';
        rs_printf("lua| %s\n", p);
        if (!nl)
            return 0;
    }
}

int main(void)
{
    lua_State *L = luaL_newstate();
    CHECK(L != 0);
    luaL_openlibs(L);
    lua_pushcfunction(L, oracle_print);
    lua_setglobal(L, "print");
    int e = luaL_loadbuffer(L, oracle_lua, oracle_lua_len, "=oracle.lua");
    if (!e)
        e = lua_pcall(L, 0, 0, 0);
    if (e)
        rs_printf("lua: error: %s\n", lua_tostring(L, -1));
    CHECK(e == LUA_OK);
    lua_close(L);
    rs_printf("lua: the oracle script ran to its end\n");
    return check_done("lua_oracle");
}
