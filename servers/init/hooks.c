/* Failure hooks: `on_failure = function(name, reason, incarnation, count) ... end`
 * in a service's declaration. RS sends init each failure of such a service; init
 * runs the function within HOOK_BUDGET_MS and answers with what it returned:
 *   nil                      the declared policy decides
 *   "restart"                restart now         ("restart", MS): after MS
 *   "stop"                   leave it stopped    "escalate": degrade
 *   "restart-dependents"     restart it and what depends on it
 * A hook that errors, runs too long or returns anything else leaves it to the
 * policy, and init logs why. RS applies the policy anyway if no answer comes. */
#include <string.h>
#include <lauxlib.h>
#include <proto/init.h>
#include <proto/system.h>
#include <rs_libc.h>
#include <rs_log.h>
#include <rs_service.h>
#include "init.h"

#define HOOK_BUDGET_MS 30           /* below RS's 50: the answer still counts */
#define HOOKS "resurgo.hooks"       /* registry table: service name -> function */

static uint64_t deadline_ms;

void init_keep_hook(lua_State *L, const char *service)
{
    if (luaL_getsubtable(L, LUA_REGISTRYINDEX, HOOKS) < 0)
        return;
    lua_pushvalue(L, -2);
    lua_setfield(L, -2, service);
    lua_pop(L, 1);
}

static void over_budget(lua_State *L, lua_Debug *ar)
{
    (void)ar;
    if (rs_time_ms() > deadline_ms)
        luaL_error(L, "hook ran longer than its %d ms budget", HOOK_BUDGET_MS);
}

/* Turns the hook's results (at 1 and 2 of a fresh frame) into an action. */
static uint64_t action_of(lua_State *L, uint64_t *delay, const char **why)
{
    static const char *const names[] = { "restart", "stop", "escalate", "restart-dependents" };
    static const uint64_t codes[] = { HOOK_RESTART, HOOK_STOP, HOOK_ESCALATE,
                                      HOOK_RESTART_DEPENDENTS };
    *delay = 0;
    if (lua_isnil(L, -2))
        return HOOK_POLICY;
    const char *a = lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2) : "";
    for (unsigned i = 0; i < 4; i++) {
        if (strcmp(a, names[i]))
            continue;
        if (i == 0 && lua_isinteger(L, -1) && lua_tointeger(L, -1) >= 0) {
            *delay = (uint64_t)lua_tointeger(L, -1);
            return HOOK_RESTART_AFTER;
        }
        return codes[i];
    }
    *why = "returned something that is not an action";
    return HOOK_POLICY;
}

static uint64_t run_hook(lua_State *L, const char *name, const char *reason,
                         const struct rs_request *r, uint64_t *delay)
{
    const char *why = 0;
    uint64_t action = HOOK_POLICY;
    lua_getfield(L, LUA_REGISTRYINDEX, HOOKS);
    if (lua_type(L, -1) != LUA_TTABLE || lua_getfield(L, -1, name) != LUA_TFUNCTION) {
        lua_settop(L, 0);
        return HOOK_POLICY;
    }
    lua_pushstring(L, name);
    lua_pushstring(L, reason);
    lua_pushinteger(L, (lua_Integer)r->req.w[0]);
    lua_pushinteger(L, (lua_Integer)r->req.w[1]);
    deadline_ms = rs_time_ms() + HOOK_BUDGET_MS;
    lua_sethook(L, over_budget, LUA_MASKCOUNT, 1000);
    if (lua_pcall(L, 4, 2, 0)) {
        rs_warn("hook of %s failed: %s; the policy decides", name, lua_tostring(L, -1));
    } else {
        action = action_of(L, delay, &why);
        if (why)
            rs_warn("hook of %s %s; the policy decides", name, why);
    }
    lua_sethook(L, 0, 0, 0);
    lua_settop(L, 0);
    return action;
}

uint32_t init_hook_handler(struct rs_request *r, void *state)
{
    (void)state;
    char text[64], *nl;             /* only RS holds init's endpoint */
    size_t n = r->len < sizeof text - 1 ? r->len : sizeof text - 1;
    memcpy(text, r->buf, n);
    text[n] = '\0';
    if (!(nl = strchr(text, '\n')))
        return RS_SERVER_DEFERRED;
    *nl = '\0';
    uint64_t delay = 0, action = run_hook(init_lua(), text, nl + 1, r, &delay);
    uint64_t e = system_hook_result(RS_GIVEN_SYSTEM, action, delay, text, strlen(text));
    if (e)
        rs_warn("RS did not take the hook's answer for %s (error %lu)", text, e);
    return RS_SERVER_DEFERRED;      /* a send: nobody waits for a reply */
}
