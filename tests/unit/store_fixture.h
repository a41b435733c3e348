/* The data store tests' fixture (test_store.c, test_store_subs.c): a fake
 * capability space, log and clock behind struct ds_env, shorthands for the calls,
 * and setup() declaring three services. Static: each test file has its own. */
#pragma once
#include <stdio.h>
#include <string.h>
#include <check.h>
#include <resurgo/resurgo.h>
#include "store.h"

#define UART 1
#define SHELL 2
#define NET 3
#define STRANGER 9

/* --- a fake capability space, log and clock --- */

#define SLOTS 256
static __attribute__((unused)) struct fake_cap {
    int present, dead;
    uint64_t kind, rights, badge;
} caps[SLOTS];
static __attribute__((unused)) uint64_t next_slot;
static __attribute__((unused)) int drops, signals;
static __attribute__((unused)) uint64_t signalled_slot, signalled_bits;
static __attribute__((unused)) char lines[64][256];
static __attribute__((unused)) int nlines;
static __attribute__((unused)) uint64_t now;
static __attribute__((unused)) struct ds_store st;

static inline int fake_cap_info(void *ctx, uint64_t slot, struct ds_capinfo *out)
{
    (void)ctx;
    if (slot >= SLOTS || !caps[slot].present)
        return -1;
    *out = (struct ds_capinfo){ caps[slot].kind, caps[slot].rights, caps[slot].badge,
                                (uint64_t)caps[slot].dead };
    return 0;
}

static inline void fake_cap_drop(void *ctx, uint64_t slot)
{
    (void)ctx;
    ck_assert(caps[slot].present);          /* never dropped twice */
    caps[slot].present = 0;
    drops++;
}

static inline int fake_signal(void *ctx, uint64_t slot, uint64_t bits)
{
    (void)ctx;
    ck_assert(caps[slot].present);
    if (caps[slot].dead)
        return -1;
    signals++;
    signalled_slot = slot;
    signalled_bits = bits;
    return 0;
}

static inline void fake_log(void *ctx, const char *line)
{
    (void)ctx;
    ck_assert_uint_lt(strlen(line), sizeof lines[0]);
    if (nlines < 64)
        strcpy(lines[nlines], line);
    nlines++;
}

static inline uint64_t fake_now(void *ctx)
{
    (void)ctx;
    return now;
}

static inline uint64_t new_cap(uint64_t kind, uint64_t rights, uint64_t badge)
{
    uint64_t s = next_slot++;
    ck_assert_uint_lt(s, SLOTS);
    caps[s] = (struct fake_cap){ .present = 1, .kind = kind, .rights = rights, .badge = badge };
    return s;
}

static inline uint64_t new_endpoint(uint64_t badge)
{
    return new_cap(RS_OBJ_ENDPOINT, RS_RIGHT_WRITE | RS_RIGHT_GRANT, badge);
}

static inline uint64_t new_ntfn(void)
{
    return new_cap(RS_OBJ_NOTIFICATION, RS_RIGHT_WRITE, 0);
}

/* --- shorthands for calls --- */

static inline uint32_t declare(uint64_t badge, const char *text)
{
    return ds_declare(&st, 0, badge, text, strlen(text));
}

/* Publishes name = bytes (type t); the buffer is name, NUL, bytes. */
static inline uint32_t publish(uint64_t badge, uint64_t t, uint64_t ival, const char *name,
                        const void *bytes, size_t n)
{
    static uint8_t buf[RS_BUFFER_MAX];
    size_t k = strlen(name);
    memcpy(buf, name, k);
    buf[k] = '\0';
    memcpy(buf + k + 1, bytes, n);
    return ds_publish(&st, badge, t, ival, buf, k + 1 + n);
}

static inline uint32_t pub_int(uint64_t badge, const char *name, uint64_t v)
{
    return publish(badge, DS_INT, v, name, "", 0);
}

static inline uint32_t pub_str(uint64_t badge, const char *name, const char *v)
{
    return publish(badge, DS_STRING, 0, name, v, strlen(v));
}

static inline uint32_t pub_cap(uint64_t badge, const char *name, uint64_t slot)
{
    return ds_publish_cap(&st, badge, name, strlen(name), slot);
}

static inline uint32_t get(uint64_t badge, const char *name, struct ds_value *v)
{
    return ds_retrieve(&st, badge, name, strlen(name), v);
}

static inline uint32_t get_int(uint64_t badge, const char *name, uint64_t *ival)
{
    struct ds_value v;
    uint32_t e = get(badge, name, &v);
    if (!e)
        ck_assert_uint_eq(v.type, DS_INT);
    *ival = v.ival;
    return e;
}

static inline uint32_t get_cap(uint64_t badge, const char *name, uint64_t *slot)
{
    return ds_retrieve_cap(&st, badge, name, strlen(name), slot);
}

static inline uint32_t del(uint64_t badge, const char *name)
{
    return ds_delete(&st, badge, name, strlen(name));
}

static inline uint32_t subscribe(uint64_t badge, const char *pattern, uint64_t bits, uint64_t ntfn)
{
    return ds_subscribe(&st, badge, bits, pattern, strlen(pattern), ntfn);
}

/* The next changed name for badge, as a string ("" when none: NOENT). */
static inline const char *changed(uint64_t badge, uint64_t *more)
{
    static char name[DS_NAME_MAX + 1];
    size_t n;
    uint64_t m;
    uint32_t e = ds_changed(&st, badge, DS_NAME_MAX, name, &n, more ? more : &m);
    ck_assert(e == 0 || e == RS_E_NOENT);
    name[e ? 0 : n] = '\0';
    return name;
}

static inline void setup(void)
{
    memset(caps, 0, sizeof caps);
    next_slot = 32;
    drops = signals = nlines = 0;
    signalled_slot = signalled_bits = 0;
    now = 5000;
    struct ds_env env = { .cap_info = fake_cap_info, .cap_drop = fake_cap_drop,
                          .signal = fake_signal, .log = fake_log, .now_ms = fake_now };
    ds_init(&st, &env);
    ck_assert_uint_eq(declare(UART, "uart\nconsole\n"), 0);
    ck_assert_uint_eq(declare(SHELL, "shell\nhistory\nconsole net/*"), 0);
    ck_assert_uint_eq(declare(NET, "net\nnet/eth0 net/lo\n*\n"), 0);
}
