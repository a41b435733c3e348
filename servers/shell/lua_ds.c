/* The shell's Lua bindings to the data store (ds.*), the demonstration counter
 * (counter.*) and the fault injector (fi.inject(target, type [, seed])). Each answers nil and a message on failure, never raises:
 *   ds.get(name)          -> value, type ("int", "string", "blob", "capability")
 *   ds.set(name, value)   -> true   (an integer, or a string: "blob" if it has NUL)
 *   ds.delete(name)       -> true
 *   counter.get()         -> its count            (idempotent: retried after a crash)
 *   counter.add(n)        -> the new count        (not idempotent: after a crash
 *                                                  mid-call, "outcome unknown")
 * What the shell may read and write is what RS declared for it (its `reads`). */
#include <string.h>
#include <lauxlib.h>
#include <lua.h>
#include <proto/counter.h>
#include <proto/datastore.h>
#include <rs_ds.h>
#include <rs_log.h>
#include <rs_service.h>
#include <rsys.h>
#include "shell.h"

static int fail(lua_State *L, const char *what, uint64_t e)
{
    luaL_pushfail(L);
    lua_pushfstring(L, "%s: %s", what, rs_error_name(e));
    return 2;
}

static const char *checked_name(lua_State *L, size_t *len)
{
    const char *name = luaL_checklstring(L, 1, len);
    luaL_argcheck(L, *len >= 1 && *len <= DS_NAME_MAX, 1, "a data-store name has 1..47 bytes");
    return name;
}

static int ds_get(lua_State *L)
{
    static char value[DS_VALUE_MAX];
    size_t len, got = 0;
    uint64_t type = 0, ival = 0;
    const char *name = checked_name(L, &len);
    uint64_t e = datastore_retrieve(RS_GIVEN_DS, name, len, value, sizeof value, &got, &type,
                                    &ival);
    if (e)
        return fail(L, name, e);
    if (type == DS_INT)
        lua_pushinteger(L, (lua_Integer)ival);
    else if (type == DS_CAP)
        lua_pushboolean(L, 1);
    else
        lua_pushlstring(L, value, got);
    static const char *const types[] = { "?", "int", "string", "blob", "capability" };
    lua_pushstring(L, types[type <= DS_CAP ? type : 0]);
    return 2;
}

static int ds_set(lua_State *L)
{
    static char buf[DS_NAME_MAX + 1 + DS_VALUE_MAX];
    size_t len, vlen = 0;
    const char *name = checked_name(L, &len), *v = 0;
    uint64_t type = DS_INT, ival = 0;
    if (lua_isinteger(L, 2)) {
        ival = (uint64_t)lua_tointeger(L, 2);
    } else {
        v = luaL_checklstring(L, 2, &vlen);     /* numbers as their text */
        luaL_argcheck(L, vlen <= DS_VALUE_MAX, 2, "a value has at most 512 bytes");
        type = memchr(v, '\0', vlen) ? DS_BLOB : DS_STRING;
    }
    memcpy(buf, name, len);
    buf[len] = '\0';
    if (v)
        memcpy(buf + len + 1, v, vlen);
    uint64_t e = datastore_publish(RS_GIVEN_DS, type, ival, buf, len + 1 + vlen);
    if (e)
        return fail(L, name, e);
    lua_pushboolean(L, 1);
    return 1;
}

static int ds_delete(lua_State *L)
{
    size_t len;
    const char *name = checked_name(L, &len);
    uint64_t e = datastore_delete(RS_GIVEN_DS, name, len);
    if (e)
        return fail(L, name, e);
    lua_pushboolean(L, 1);
    return 1;
}

/* The counter's endpoint, looked up in the data store on first use. */
static uint64_t counter_slot(void)
{
    static int found;
    if (!found)
        found = !rs_lookup_recovering("counter", SHELL_COUNTER);
    return found ? SHELL_COUNTER : 0;
}

static int lua_counter_get(lua_State *L)
{
    uint64_t v = 0, e = counter_slot() ? counter_get(SHELL_COUNTER, &v) : RS_E_NOENT;
    if (e)
        return fail(L, "counter", e);
    lua_pushinteger(L, (lua_Integer)v);
    return 1;
}

static int lua_counter_add(lua_State *L)
{
    uint64_t amount = (uint64_t)luaL_checkinteger(L, 1), v = 0;
    uint64_t e = counter_slot() ? counter_add(SHELL_COUNTER, amount, &v) : RS_E_NOENT;
    if (e)
        return fail(L, "counter", e);
    lua_pushinteger(L, (lua_Integer)v);
    return 1;
}

/* fi.inject(target, type [, seed]) -> the address of the fault */
static int lua_fi_inject(lua_State *L)
{
    const char *target = luaL_checkstring(L, 1), *type = luaL_checkstring(L, 2);
    uint64_t addr = 0, e = shell_fi_inject(target, type, (uint64_t)luaL_optinteger(L, 3, 1), &addr);
    if (e)
        return fail(L, target, e);
    lua_pushinteger(L, (lua_Integer)addr);
    return 1;
}

void shell_lua_open_ds(lua_State *L)
{
    static const luaL_Reg ds[] = {
        { "get", ds_get }, { "set", ds_set }, { "delete", ds_delete }, { 0, 0 },
    };
    static const luaL_Reg counter[] = {
        { "get", lua_counter_get }, { "add", lua_counter_add }, { 0, 0 },
    };
    luaL_newlib(L, ds);
    lua_setglobal(L, "ds");
    luaL_newlib(L, counter);
    lua_setglobal(L, "counter");
    static const luaL_Reg fi[] = { { "inject", lua_fi_inject }, { 0, 0 } };
    luaL_newlib(L, fi);
    lua_setglobal(L, "fi");
}
