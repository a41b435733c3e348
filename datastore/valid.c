/* keep_store_valid (keep.h): whether a kept store holds together. Pure. */
#include <string.h>
#include "keep.h"

static int ended(const char *s, size_t size)
{
    return memchr(s, '\0', size) != 0;
}

static int client_valid(const struct ds_client *c)
{
    const struct ds_decl *d = &c->decl;
    const struct ds_queue *q = &c->queue;
    if (c->used > 1 || !ended(d->name, sizeof d->name) || d->nowned > DS_OWNED_MAX
        || d->nreads > DS_READS_MAX || c->entries > DS_ENTRIES_MAX
        || c->subs > DS_CLIENT_SUBS_MAX || q->head >= DS_QUEUE_MAX || q->count > DS_QUEUE_MAX)
        return 0;
    for (unsigned i = 0; i < DS_OWNED_MAX; i++)
        if (!ended(d->owned[i], sizeof d->owned[i]))
            return 0;
    for (unsigned i = 0; i < DS_READS_MAX; i++)
        if (!ended(d->reads[i], sizeof d->reads[i]))
            return 0;
    for (unsigned i = 0; i < DS_QUEUE_MAX; i++)
        if (!ended(q->names[i], sizeof q->names[i]))
            return 0;
    return 1;
}

int keep_store_valid(const struct ds_store *s)
{
    const unsigned nclients = sizeof s->clients / sizeof s->clients[0];
    unsigned entries = 0, subs = 0;
    for (unsigned i = 0; i < nclients; i++)
        if (!client_valid(&s->clients[i]))
            return 0;
    for (unsigned i = 0; i < DS_ENTRIES_MAX; i++) {
        const struct ds_entry *e = &s->entries[i];
        if (e->used > 1)
            return 0;
        if (!e->used)
            continue;
        entries++;
        if (!ended(e->name, sizeof e->name) || e->type < DS_INT || e->type > DS_CAP
            || e->len > DS_VALUE_MAX || e->charge >= nclients || !s->clients[e->charge].used)
            return 0;
    }
    for (unsigned i = 0; i < DS_SUBS_MAX; i++) {
        const struct ds_sub *b = &s->subs[i];
        if (b->used > 1)
            return 0;
        if (!b->used)
            continue;
        subs++;
        if (!ended(b->pattern, sizeof b->pattern) || b->client >= nclients
            || !s->clients[b->client].used)
            return 0;
    }
    return entries == s->nentries && subs == s->nsubs && s->clients[0].used;
}
