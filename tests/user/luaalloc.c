/* The heap benchmark (make bench), as a root task:
 *  - heap_churn: malloc/free pairs of random sizes (16..512 bytes) with 100,
 *    10,000 and 100,000 blocks live: a constant-time allocator costs the same at
 *    every size, a linear scan grows with it;
 *  - lua_alloc: tests/lua/alloc.lua (built in) under an allocator function that
 *    counts Lua's calls and the TSC ticks spent in malloc/realloc/free.
 * Under -icount shift=0 a TSC tick is one instruction; the cost of reading the
 * TSC twice is measured and taken off. */
#include <stdlib.h>
#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>
#include <rs_libc.h>
#include <rsys.h>
#include "check.h"
#include "alloc_lua.h"

#define CHURN_OPS 100000

static uint64_t tsc_cost;               /* two back-to-back rs_tsc() calls */
static uint64_t seed = 12345;

static uint64_t next_random(void)
{
    seed = seed * 6364136223846793005ull + 1442695040888963407ull;
    return seed >> 33;
}

static void measure_tsc_cost(void)
{
    uint64_t best = ~0ull;
    for (int i = 0; i < 1000; i++) {
        uint64_t t0 = rs_tsc(), t1 = rs_tsc();
        best = t1 - t0 < best ? t1 - t0 : best;
    }
    tsc_cost = best;
}

static size_t churn_size(void) { return 16 + next_random() % 497; }

static void churn(int live)
{
    void **p = malloc(sizeof(void *) * (size_t)live);
    CHECK(p != 0);
    if (!p)
        return;
    for (int i = 0; i < live; i++)
        CHECK((p[i] = malloc(churn_size())) != 0);
    uint64_t ticks = 0;
    for (int op = 0; op < CHURN_OPS; op++) {
        int i = (int)(next_random() % (uint64_t)live);
        size_t n = churn_size();
        uint64_t t0 = rs_tsc();
        free(p[i]);
        p[i] = malloc(n);
        ticks += rs_tsc() - t0 - tsc_cost;
        CHECK(p[i] != 0);
    }
    for (int i = 0; i < live; i++)
        free(p[i]);
    free(p);
    rs_printf("bench: heap_churn live=%d ops=%d ticks_per_op=%lu\n", live, CHURN_OPS,
              ticks / CHURN_OPS);
}

struct lua_counts {
    uint64_t calls, ticks;
    size_t peak;
};

/* Lua's allocator function over malloc, counting and timing every call. */
static void *counting_alloc(void *ud, void *ptr, size_t osize, size_t nsize)
{
    struct lua_counts *c = ud;
    size_t in_use, mapped;
    void *r = 0;
    (void)osize;
    uint64_t t0 = rs_tsc();
    if (nsize == 0)
        free(ptr);
    else
        r = realloc(ptr, nsize);
    c->ticks += rs_tsc() - t0 - tsc_cost;
    c->calls++;
    rs_heap_stats(&in_use, &mapped);
    c->peak = in_use > c->peak ? in_use : c->peak;
    return r;
}

static void lua_workload(void)
{
    struct lua_counts c = { 0 };
    size_t in_use0, mapped0, in_use, mapped;
    rs_heap_stats(&in_use0, &mapped0);
    uint64_t t0 = rs_tsc();
    lua_State *L = lua_newstate(counting_alloc, &c);
    CHECK(L != 0);
    if (!L)
        return;
    luaL_openlibs(L);
    int e = luaL_loadbuffer(L, alloc_lua, alloc_lua_len, "=alloc.lua");
    if (!e)
        e = lua_pcall(L, 0, 1, 0);
    if (e)
        rs_printf("lua: error: %s\n", lua_tostring(L, -1));
    CHECK(e == LUA_OK && lua_tointeger(L, -1) == 20000);
    lua_close(L);
    uint64_t total = rs_tsc() - t0;
    rs_heap_stats(&in_use, &mapped);
    CHECK(in_use == in_use0);               /* lua_close gave every byte back */
    rs_printf("bench: lua_alloc calls=%lu script_ticks=%lu alloc_ticks=%lu "
              "ticks_per_call=%lu peak_kib=%lu mapped_kib=%lu\n", c.calls, total, c.ticks,
              c.calls ? c.ticks / c.calls : 0, (unsigned long)(c.peak >> 10),
              (unsigned long)((mapped - mapped0) >> 10));
}

int main(void)
{
    measure_tsc_cost();
    lua_workload();                     /* first: the heap it grows is its own */
    churn(100);
    churn(10000);
    churn(100000);
    return check_done("luaalloc");
}
