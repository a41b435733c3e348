/* init's Lua binding: `service "NAME" { key = value, ... }` checks every key of
 * the table against the schema below and sends RS one declaration (the text of
 * reincarnation/declare.h). A mistake is reported with file, line, service, key
 * and the type expected, that service is skipped, and the script goes on, so
 * the services declared correctly still start. */
#include <stdio.h>
#include <string.h>
#include <lauxlib.h>
#include <lua.h>
#include <proto/system.h>
#include <rs_log.h>
#include <rs_service.h>
#include "init.h"

enum kind { K_STRING, K_INTEGER, K_BOOLEAN, K_NAMES, K_PORTS, K_BACKOFF, K_CHOICE, K_FUNCTION };

struct key {
    const char *name;
    enum kind kind;
    const char *out;            /* the declaration's key (policy keys: "policy:KEY") */
    const char *choices;        /* K_CHOICE: the allowed words, space-separated */
};

static const struct key schema[] = {
    { "binary", K_STRING, "binary", 0 },
    { "args", K_STRING, "args", 0 },
    { "priority", K_INTEGER, "priority", 0 },
    { "quota", K_INTEGER, "quota", 0 },
    { "ports", K_PORTS, "ports", 0 },
    { "ports2", K_PORTS, "ports2", 0 },
    { "irq", K_INTEGER, "irq", 0 },
    { "owns", K_NAMES, "owns", 0 },
    { "reads", K_NAMES, "reads", 0 },
    { "depends", K_NAMES, "deps", 0 },
    { "files", K_NAMES, "files", 0 },
    { "control", K_BOOLEAN, "control", 0 },
    { "heartbeat", K_INTEGER, "policy:heartbeat", 0 },
    { "misses", K_INTEGER, "policy:misses", 0 },
    { "restart", K_CHOICE, "policy:type", "permanent transient temporary" },
    { "max_restarts", K_INTEGER, "policy:max", 0 },
    { "window", K_INTEGER, "policy:window", 0 },
    { "backoff", K_BACKOFF, 0, 0 },
    { "init_retries", K_INTEGER, "policy:init_retries", 0 },
    { "init_timeout", K_INTEGER, "policy:init_timeout", 0 },
    { "escalate", K_CHOICE, "policy:escalate", "degrade restart-dependents stop-dependents" },
    { "on_failure", K_FUNCTION, "hook", 0 },
};

static const char *const kind_names[] = {
    "a string", "an integer", "a boolean", "a list of names", "{first, count}",
    "{base = ms, cap = ms}", "one of", "a function",
};

struct text {
    char decl[768], policy[256];
    size_t used, pused;
};

static void put(struct text *t, const char *key, const char *value)
{
    const char *p = strncmp(key, "policy:", 7) ? 0 : key + 7;
    if (p)
        t->pused += (size_t)snprintf(t->policy + t->pused, sizeof t->policy - t->pused, "%s%s=%s",
                                     t->pused ? "+" : "", p, value);
    else
        t->used += (size_t)snprintf(t->decl + t->used, sizeof t->decl - t->used, "%s=%s\n", key,
                                    value);
    if (t->used >= sizeof t->decl)
        t->used = sizeof t->decl - 1;
    if (t->pused >= sizeof t->policy)
        t->pused = sizeof t->policy - 1;
}

/* The value at the top of the stack as the declaration's text, or NULL. */
static const char *value_text(lua_State *L, const struct key *k, char *buf, size_t size)
{
    switch (k->kind) {
    case K_STRING:
        return lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : 0;
    case K_INTEGER:
        if (!lua_isinteger(L, -1) || lua_tointeger(L, -1) < 0)
            return 0;
        snprintf(buf, size, "%lld", (long long)lua_tointeger(L, -1));
        return buf;
    case K_BOOLEAN:
        return lua_type(L, -1) == LUA_TBOOLEAN ? (lua_toboolean(L, -1) ? "1" : "0") : 0;
    case K_CHOICE: {
        const char *v = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : 0;
        size_t n = v ? strlen(v) : 0;
        const char *c = k->choices;
        while (v && *c) {
            size_t w = strcspn(c, " ");
            if (w == n && !strncmp(c, v, n))
                return v;
            c += w + (c[w] == ' ');
        }
        return 0;
    }
    case K_NAMES: {
        if (lua_type(L, -1) != LUA_TTABLE)
            return 0;
        size_t used = 0;
        buf[0] = '\0';
        for (lua_Integer i = 1; lua_rawgeti(L, -1, i) == LUA_TSTRING; i++) {
            used += (size_t)snprintf(buf + used, size - used, "%s%s", i > 1 ? " " : "",
                                     lua_tostring(L, -1));
            lua_pop(L, 1);
            if (used >= size)
                return 0;
        }
        int ok = lua_isnil(L, -1);
        lua_pop(L, 1);
        return ok ? buf : 0;
    }
    case K_PORTS: {
        if (lua_type(L, -1) != LUA_TTABLE)
            return 0;
        lua_rawgeti(L, -1, 1);
        lua_rawgeti(L, -2, 2);
        int ok = lua_isinteger(L, -2) && lua_isinteger(L, -1);
        if (ok)
            snprintf(buf, size, "%lld:%lld", (long long)lua_tointeger(L, -2),
                     (long long)lua_tointeger(L, -1));
        lua_pop(L, 2);
        return ok ? buf : 0;
    }
    case K_BACKOFF:
        return 0;               /* handled by backoff() */
    case K_FUNCTION:
        return lua_type(L, -1) == LUA_TFUNCTION ? "1" : 0;
    }
    return 0;
}

/* backoff = {base = ms, cap = ms}: two policy keys. */
static int backoff(lua_State *L, struct text *t)
{
    if (lua_type(L, -1) != LUA_TTABLE)
        return 0;
    int ok = 1;
    static const char *const parts[] = { "base", "cap" };
    for (int i = 0; i < 2; i++) {
        int type = lua_getfield(L, -1, parts[i]);
        char v[24];
        if (type != LUA_TNIL && (!lua_isinteger(L, -1) || lua_tointeger(L, -1) < 0))
            ok = 0;
        else if (type != LUA_TNIL) {
            snprintf(v, sizeof v, "%lld", (long long)lua_tointeger(L, -1));
            put(t, i ? "policy:cap" : "policy:base", v);
        }
        lua_pop(L, 1);
    }
    return ok;
}

static const struct key *find_key(const char *name)
{
    for (unsigned i = 0; i < sizeof schema / sizeof schema[0]; i++)
        if (!strcmp(schema[i].name, name))
            return &schema[i];
    return 0;
}

/* Reports a mistake in the declaration of `service` where the script called us. */
static void mistake(lua_State *L, const char *service, const char *fmt, const char *a,
                    const char *b)
{
    char what[160], line[256];
    snprintf(what, sizeof what, fmt, a, b);
    luaL_where(L, 1);
    snprintf(line, sizeof line, "%sservice '%s': %s", lua_tostring(L, -1), service, what);
    lua_pop(L, 1);
    init_failed(line);
}

/* Checks one key = value of the table at index -2/-1; 0 when wrong (reported). */
static int one_key(lua_State *L, const char *service, struct text *t)
{
    char buf[160];
    if (lua_type(L, -2) != LUA_TSTRING) {
        mistake(L, service, "keys are names, not %s%s", luaL_typename(L, -2), "");
        return 0;
    }
    const char *name = lua_tostring(L, -2);
    const struct key *k = find_key(name);
    if (!k) {
        mistake(L, service, "unknown key '%s'%s", name, "");
        return 0;
    }
    if (k->kind == K_BACKOFF ? backoff(L, t) : 0)
        return 1;
    const char *v = k->kind == K_BACKOFF ? 0 : value_text(L, k, buf, sizeof buf);
    if (!v) {
        char expected[96];
        snprintf(expected, sizeof expected, "%s%s%s", kind_names[k->kind],
                 k->choices ? " " : "", k->choices ? k->choices : "");
        mistake(L, service, "key '%s' must be %s", name, expected);
        return 0;
    }
    put(t, k->out, v);
    if (k->kind == K_FUNCTION)
        init_keep_hook(L, service);     /* the function is at the top */
    return 1;
}

/* The function `service "NAME"` returns: takes the table, declares. */
static int declare_table(lua_State *L)
{
    const char *service = lua_tostring(L, lua_upvalueindex(1));
    if (lua_type(L, 1) != LUA_TTABLE) {
        mistake(L, service, "expected a table of keys, got %s%s", luaL_typename(L, 1), "");
        lua_pushboolean(L, 0);
        return 1;
    }
    struct text t = { .used = 0 };
    put(&t, "name", service);
    int ok = 1;
    lua_pushnil(L);
    while (lua_next(L, 1)) {
        ok &= one_key(L, service, &t);
        lua_pop(L, 1);
    }
    if (ok && t.pused)
        put(&t, "policy", t.policy);
    uint64_t e = ok ? system_svc_declare(RS_GIVEN_SYSTEM, t.decl, t.used) : 0;
    if (ok && e) {
        char line[256];
        luaL_where(L, 1);
        snprintf(line, sizeof line, "%sservice '%s': RS refused the declaration (error %lu; "
                 "its event log says which key)", lua_tostring(L, -1), service, e);
        lua_pop(L, 1);
        init_failed(line);
        ok = 0;
    }
    if (ok)
        init_declared(service);
    lua_pushboolean(L, ok);
    return 1;
}

static int service(lua_State *L)
{
    const char *name = luaL_checkstring(L, 1);
    lua_pushstring(L, name);
    lua_pushcclosure(L, declare_table, 1);
    return 1;
}

void init_open_declare(lua_State *L)
{
    lua_register(L, "service", service);
}
