/* kv: the demonstration of a restartable server (docs/writing-a-server.md). Each
 * client's keys, and its cursor for iterating over them, live in its session
 * region, not in the server: a kv that crashes, in the middle of a request or
 * between two, comes back with every session as its last answered request left
 * it, and a request that was cut short runs once when libsys sends it again.
 * The framework does the work (rs_server .session_state): it checks the region,
 * answers a repeated request from the region's record, and commits the state a
 * handler leaves together with its answer. This file is only the store. */
#include <string.h>
#include <proto/kv.h>
#include <rs_server.h>
#include <rs_service.h>
#include <rsys.h>

enum { EP = RS_GIVEN_FIRST_FREE };

#define KV_KEYS 32
#define KV_KEY_MAX 15
#define KV_VALUE_MAX 47
#define KV_VERSION 1
#define KV_PAGES 2

struct kv_entry {
    char key[KV_KEY_MAX + 1];
    char value[KV_VALUE_MAX + 1];
};

/* One client's state, in its session region. */
struct kv_session {
    uint32_t keys, cursor;
    uint64_t puts;
    struct kv_entry e[KV_KEYS];
};

/* The entry for key (n bytes), or NULL. */
static struct kv_entry *find(struct kv_session *s, const char *key, size_t n)
{
    for (uint32_t i = 0; i < s->keys && i < KV_KEYS; i++)
        if (strlen(s->e[i].key) == n && !memcmp(s->e[i].key, key, n))
            return &s->e[i];
    return 0;
}

static uint32_t open_handler(struct rs_request *r, void *state)
{
    (void)state;
    uint64_t e = rs_server_session_open(r);
    if (e)
        return (uint32_t)e;
    r->reply.w[0] = ((struct kv_session *)r->session)->keys;
    return 0;
}

static uint32_t put_handler(struct rs_request *r, void *state)
{
    (void)state;
    struct kv_session *s = r->session;
    const char *eq = memchr(r->buf, '=', r->len);
    size_t klen = eq ? (size_t)(eq - (const char *)r->buf) : 0, vlen = eq ? r->len - klen - 1 : 0;
    if (!s)
        return RS_E_NOENT;          /* open first */
    if (!eq || klen == 0 || klen > KV_KEY_MAX || vlen > KV_VALUE_MAX
        || memchr(r->buf, '\0', r->len))
        return RS_E_INVAL;
    struct kv_entry *x = find(s, (const char *)r->buf, klen);
    if (!x && s->keys == KV_KEYS)
        return RS_E_QUOTA;
    if (!x) {
        x = &s->e[s->keys++];
        memcpy(x->key, r->buf, klen);
        x->key[klen] = '\0';
    }
    memcpy(x->value, eq + 1, vlen);
    x->value[vlen] = '\0';
    s->puts++;
    r->reply.w[0] = s->keys;
    return 0;
}

static uint32_t get_handler(struct rs_request *r, void *state)
{
    (void)state;
    struct kv_session *s = r->session;
    struct kv_entry *x = s ? find(s, (const char *)r->buf, r->len) : 0;
    if (!s)
        return RS_E_NOENT;
    if (!x)
        return RS_E_NOENT;
    r->reply_buf = x->value;
    r->reply_len = strlen(x->value);
    return 0;
}

static uint32_t next_handler(struct rs_request *r, void *state)
{
    (void)state;
    static char line[KV_KEY_MAX + KV_VALUE_MAX + 2];
    struct kv_session *s = r->session;
    if (!s)
        return RS_E_NOENT;
    r->reply.w[0] = s->puts;
    if (s->cursor >= s->keys || s->cursor >= KV_KEYS)
        return RS_E_NOENT;
    struct kv_entry *x = &s->e[s->cursor++];
    size_t k = strlen(x->key), v = strlen(x->value);
    memcpy(line, x->key, k);
    line[k] = '=';
    memcpy(line + k + 1, x->value, v);
    r->reply_buf = line;
    r->reply_len = k + 1 + v;
    return 0;
}

static uint32_t rewind_handler(struct rs_request *r, void *state)
{
    (void)state;
    struct kv_session *s = r->session;
    if (!s)
        return RS_E_NOENT;
    s->cursor = 0;
    return 0;
}

static uint32_t stats_handler(struct rs_request *r, void *state)
{
    (void)state;
    struct kv_session *s = r->session;
    if (!s)
        return RS_E_NOENT;
    r->reply.w[0] = s->keys;
    r->reply.w[1] = s->puts;
    r->reply.w[2] = s->cursor;
    return 0;
}

static int start(void *state)
{
    (void)state;
    return rs_create(RS_SLOT_QUOTA, RS_OBJ_ENDPOINT, EP, 0) ? 1 : 0;
}

static const rs_handler_fn handlers[KV_LABELS] = {
    [KV_OPEN] = open_handler, [KV_PUT] = put_handler, [KV_GET] = get_handler,
    [KV_NEXT] = next_handler, [KV_REWIND] = rewind_handler, [KV_STATS] = stats_handler,
};

int main(void)
{
    static const struct rs_server server = {
        .name = "kv", .publish = "kv", .endpoint = EP,
        .handlers = handlers, .nhandlers = KV_LABELS,
        .init_fresh = start, .init_restart = start,
        .session_state = sizeof(struct kv_session), .session_version = KV_VERSION,
        .session_pages = KV_PAGES,
    };
    return rs_server_run(&server);
}
