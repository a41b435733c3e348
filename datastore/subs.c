/* The data store's subscriptions: who is told when a name changes, and the queue
 * of changed names each badge reads with `changed` (see store.h). */
#include <string.h>
#include <resurgo/resurgo.h>
#include "internal.h"

/* Queues a name once; a full queue turns into "rescan" and stays so until read. */
static void queue_push(struct ds_queue *q, const char *name)
{
    if (q->overflow)
        return;
    for (unsigned i = 0; i < q->count; i++)
        if (!strcmp(q->names[(q->head + i) % DS_QUEUE_MAX], name))
            return;
    if (q->count == DS_QUEUE_MAX) {
        q->overflow = 1;
        q->head = q->count = 0;
        return;
    }
    strcpy(q->names[(q->head + q->count++) % DS_QUEUE_MAX], name);
}

static void drop_sub(struct ds_store *s, struct ds_sub *sub)
{
    s->env.cap_drop(s->env.ctx, sub->ntfn);
    s->clients[sub->client].subs--;
    s->nsubs--;
    *sub = (struct ds_sub){ 0 };
}

void ds_notify(struct ds_store *s, const char *name)
{
    char why[64];
    for (unsigned i = 0; i < DS_SUBS_MAX; i++) {
        struct ds_sub *sub = &s->subs[i];
        if (!sub->used || !ds_pattern_match(sub->pattern, name)
            || !ds_may_read(s, (int)sub->client, name, why, sizeof why))
            continue;
        queue_push(&s->clients[sub->client].queue, name);
        if (s->env.signal(s->env.ctx, sub->ntfn, sub->bits))
            drop_sub(s, sub);
    }
}

/* Drops every subscription whose notification has died. */
static void sweep_dead(struct ds_store *s)
{
    for (unsigned i = 0; i < DS_SUBS_MAX; i++) {
        struct ds_capinfo info;
        struct ds_sub *sub = &s->subs[i];
        if (sub->used && (s->env.cap_info(s->env.ctx, sub->ntfn, &info) || info.dead))
            drop_sub(s, sub);
    }
}

static uint32_t check_notification(const struct ds_call *c, uint64_t bits, uint64_t slot)
{
    struct ds_capinfo info;
    if (!bits)
        return ds_refuse(c, RS_E_INVAL, "no bits to signal");
    if (!slot || c->s->env.cap_info(c->s->env.ctx, slot, &info))
        return ds_refuse(c, RS_E_INVAL, "no notification");
    if (info.kind != RS_OBJ_NOTIFICATION)
        return ds_refuse(c, RS_E_TYPE, "not a notification");
    if (info.dead)
        return ds_refuse(c, RS_E_INVAL, "a dead notification");
    if (!(info.rights & RS_RIGHT_WRITE))
        return ds_refuse(c, RS_E_RIGHTS, "a notification it cannot signal");
    return 0;
}

static struct ds_sub *find_sub(struct ds_store *s, int ci, const char *pattern)
{
    for (unsigned i = 0; i < DS_SUBS_MAX; i++)
        if (s->subs[i].used && s->subs[i].client == (unsigned)ci
            && !strcmp(s->subs[i].pattern, pattern))
            return &s->subs[i];
    return 0;
}

/* A new subscription for client ci, when the limits allow it. */
static uint32_t new_sub(const struct ds_call *c, const char *pattern, struct ds_sub **out)
{
    struct ds_store *s = c->s;
    struct ds_client *cl = &s->clients[c->ci];
    if (s->nsubs == DS_SUBS_MAX || cl->subs == DS_CLIENT_SUBS_MAX)
        sweep_dead(s);
    if (s->nsubs == DS_SUBS_MAX)
        return ds_refuse(c, RS_E_QUOTA, "%d subscriptions in all already", DS_SUBS_MAX);
    if (cl->subs == DS_CLIENT_SUBS_MAX)
        return ds_refuse(c, RS_E_QUOTA, "%d subscriptions already", DS_CLIENT_SUBS_MAX);
    struct ds_sub *sub = s->subs;
    while (sub->used)
        sub++;
    *sub = (struct ds_sub){ .used = 1, .client = (unsigned)c->ci };
    strcpy(sub->pattern, pattern);
    cl->subs++;
    s->nsubs++;
    *out = sub;
    return 0;
}

uint32_t ds_subscribe(struct ds_store *s, uint64_t caller, uint64_t bits, const void *buf,
                      size_t len, uint64_t slot)
{
    struct ds_call c = ds_call_begin(s, caller, "subscribe", buf, len);
    char pattern[DS_NAME_MAX + 1], why[64];
    if (c.ci < 0)
        return ds_refuse_undeclared(&c);
    uint32_t e = ds_take(buf, len, pattern, ds_pattern_check);
    if (e)
        return ds_refuse(&c, e, e == RS_E_RANGE ? "pattern too long" : "bad pattern");
    if (!strchr(pattern, '*') && !ds_may_read(s, c.ci, pattern, why, sizeof why))
        return ds_refuse(&c, RS_E_RIGHTS, "%s", why);
    if ((e = check_notification(&c, bits, slot)))
        return e;
    struct ds_sub *sub = find_sub(s, c.ci, pattern);
    if (sub)
        s->env.cap_drop(s->env.ctx, sub->ntfn);
    else if ((e = new_sub(&c, pattern, &sub)))
        return e;
    sub->bits = bits;
    sub->ntfn = slot;
    return 0;
}

uint32_t ds_changed(struct ds_store *s, uint64_t caller, uint64_t max, char *name,
                    size_t *len, uint64_t *more)
{
    struct ds_call c = ds_call_begin(s, caller, "changed", 0, 0);
    *len = 0;
    *more = 0;
    if (c.ci < 0)
        return ds_refuse_undeclared(&c);
    struct ds_queue *q = &s->clients[c.ci].queue;
    const char *next = q->overflow ? "*" : q->count ? q->names[q->head] : 0;
    if (!next)
        return RS_E_NOENT;
    size_t n = strlen(next);
    if (max < n)
        return ds_refuse(&c, RS_E_RANGE, "%lu bytes cannot hold the next name (%zu)",
                         (unsigned long)max, n);
    memcpy(name, next, n);
    if (q->overflow) {
        q->overflow = 0;
    } else {
        q->head = (q->head + 1) % DS_QUEUE_MAX;
        q->count--;
    }
    *len = n;
    *more = q->count;
    return 0;
}
