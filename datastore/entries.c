/* The data store's entries: publish, retrieve and delete, values and capacity
 * (see store.h). */
#include <string.h>
#include <resurgo/resurgo.h>
#include "internal.h"

static struct ds_entry *find(struct ds_store *s, const char *name)
{
    for (unsigned i = 0; i < DS_ENTRIES_MAX; i++)
        if (s->entries[i].used && !strcmp(s->entries[i].name, name))
            return &s->entries[i];
    return 0;
}

static int cap_dead(const struct ds_store *s, uint64_t slot)
{
    struct ds_capinfo info;
    return s->env.cap_info(s->env.ctx, slot, &info) || info.dead;
}

static int entry_dead(const struct ds_store *s, const struct ds_entry *e)
{
    return e->type == DS_CAP && cap_dead(s, e->cap);
}

/* Drops what an entry holds, so a new value can go in. */
static void clear_value(struct ds_store *s, struct ds_entry *e)
{
    if (e->type == DS_CAP)
        s->env.cap_drop(s->env.ctx, e->cap);
    e->type = 0, e->ival = 0, e->cap = 0, e->len = 0;
}

static void remove_entry(struct ds_store *s, struct ds_entry *e)
{
    char name[DS_NAME_MAX + 1];
    strcpy(name, e->name);
    clear_value(s, e);
    s->clients[e->charge].entries--;
    s->nentries--;
    e->used = 0;
    ds_notify(s, name);
}

/* Removes every entry whose capability has died. */
static void sweep_dead(struct ds_store *s)
{
    for (unsigned i = 0; i < DS_ENTRIES_MAX; i++)
        if (s->entries[i].used && entry_dead(s, &s->entries[i]))
            remove_entry(s, &s->entries[i]);
}

static int full(const struct ds_store *s, int charge)
{
    return s->nentries >= DS_ENTRIES_MAX
        || (charge > 0 && s->clients[charge].entries >= DS_OWNER_SHARE);
}

/* The entry for name: the one there, or a new one charged to the name's owner
 * (RS for a name nobody owns) when the limits allow it. */
static uint32_t claim(const struct ds_call *c, const char *name, struct ds_entry **out)
{
    struct ds_store *s = c->s;
    struct ds_entry *e = find(s, name);
    if (!e) {
        int charge = ds_name_owner(s, name);
        charge = charge < 0 ? 0 : charge;
        if (full(s, charge))
            sweep_dead(s);
        if (s->nentries >= DS_ENTRIES_MAX)
            return ds_refuse(c, RS_E_QUOTA, "the store is full (%d entries)", DS_ENTRIES_MAX);
        if (full(s, charge))
            return ds_refuse(c, RS_E_QUOTA, "%s has its share of %d entries",
                             s->clients[charge].decl.name, DS_OWNER_SHARE);
        for (e = s->entries; e->used; e++)
            ;
        *e = (struct ds_entry){ .used = 1, .charge = (unsigned)charge };
        strcpy(e->name, name);
        s->clients[charge].entries++;
        s->nentries++;
    }
    *out = e;
    return 0;
}

static uint32_t bad_name(const struct ds_call *c, uint32_t e)
{
    return ds_refuse(c, e, e == RS_E_RANGE ? "name too long" : "bad name");
}

/* Takes a name-only buffer into name and checks that the caller may write it. */
static uint32_t writable(const struct ds_call *c, const void *buf, size_t len,
                         char name[DS_NAME_MAX + 1])
{
    char why[64];
    if (c->ci < 0)
        return ds_refuse_undeclared(c);
    uint32_t e = ds_take(buf, len, name, ds_name_check);
    if (e)
        return bad_name(c, e);
    if (!ds_may_write(c->s, c->ci, name, why, sizeof why))
        return ds_refuse(c, RS_E_RIGHTS, "%s", why);
    return 0;
}

static uint32_t check_value(const struct ds_call *c, uint64_t type, const uint8_t *v, size_t n)
{
    if (type != DS_INT && type != DS_STRING && type != DS_BLOB)
        return ds_refuse(c, RS_E_INVAL, "type %lu is not DS_INT, DS_STRING or DS_BLOB",
                         (unsigned long)type);
    if (type == DS_INT && n)
        return ds_refuse(c, RS_E_INVAL, "bytes after an integer");
    if (n > DS_VALUE_MAX)
        return ds_refuse(c, RS_E_RANGE, "%zu bytes (at most %d)", n, DS_VALUE_MAX);
    if (type == DS_STRING && memchr(v, '\0', n))
        return ds_refuse(c, RS_E_INVAL, "a NUL inside a string");
    return 0;
}

uint32_t ds_publish(struct ds_store *s, uint64_t caller, uint64_t type, uint64_t ival,
                    const void *buf, size_t len)
{
    struct ds_call c = ds_call_begin(s, caller, "publish", buf, len);
    const uint8_t *nul = len ? memchr(buf, '\0', len) : 0;
    if (c.ci < 0)
        return ds_refuse_undeclared(&c);
    if (!nul)
        return ds_refuse(&c, RS_E_INVAL, "no NUL after the name");
    char name[DS_NAME_MAX + 1];
    size_t n = (size_t)(nul - (const uint8_t *)buf);
    uint32_t e = writable(&c, buf, n, name);
    if (e)
        return e;
    e = check_value(&c, type, nul + 1, len - n - 1);
    struct ds_entry *en;
    if (e || (e = claim(&c, name, &en)))
        return e;
    clear_value(s, en);
    en->type = type;
    en->ival = type == DS_INT ? ival : 0;
    en->len = len - n - 1;
    memcpy(en->value, nul + 1, en->len);
    ds_notify(s, name);
    return 0;
}

static uint32_t check_cap(const struct ds_call *c, uint64_t slot)
{
    struct ds_capinfo info;
    if (!slot || c->s->env.cap_info(c->s->env.ctx, slot, &info))
        return ds_refuse(c, RS_E_INVAL, "no capability");
    if (info.dead)
        return ds_refuse(c, RS_E_INVAL, "a dead capability");
    if (info.kind == RS_OBJ_ENDPOINT && info.badge == 0)
        return ds_refuse(c, RS_E_INVAL, "an unbadged endpoint");
    return 0;
}

uint32_t ds_publish_cap(struct ds_store *s, uint64_t caller, const void *buf, size_t len,
                        uint64_t slot)
{
    struct ds_call c = ds_call_begin(s, caller, "publish_cap", buf, len);
    char name[DS_NAME_MAX + 1];
    struct ds_entry *en;
    uint32_t e = writable(&c, buf, len, name);
    if (e || (e = check_cap(&c, slot)) || (e = claim(&c, name, &en)))
        return e;
    clear_value(s, en);
    en->type = DS_CAP;
    en->cap = slot;
    ds_notify(s, name);
    return 0;
}

/* The entry the caller may read under the name in buf; a dead capability's entry
 * is removed and reported absent. */
static uint32_t lookup(const struct ds_call *c, const void *buf, size_t len,
                       struct ds_entry **out)
{
    char name[DS_NAME_MAX + 1], why[64];
    if (c->ci < 0)
        return ds_refuse_undeclared(c);
    uint32_t e = ds_take(buf, len, name, ds_name_check);
    if (e)
        return bad_name(c, e);
    if (!ds_may_read(c->s, c->ci, name, why, sizeof why))
        return ds_refuse(c, RS_E_RIGHTS, "%s", why);
    struct ds_entry *en = find(c->s, name);
    if (en && entry_dead(c->s, en)) {
        remove_entry(c->s, en);
        en = 0;
    }
    *out = en;
    return en ? 0 : RS_E_NOENT;
}

uint32_t ds_retrieve(struct ds_store *s, uint64_t caller, const void *buf, size_t len,
                     struct ds_value *out)
{
    struct ds_call c = ds_call_begin(s, caller, "retrieve", buf, len);
    struct ds_entry *en;
    *out = (struct ds_value){ 0 };
    uint32_t e = lookup(&c, buf, len, &en);
    if (e)
        return e;
    int bytes = en->type == DS_STRING || en->type == DS_BLOB;
    out->type = en->type;
    out->ival = bytes ? en->len : en->ival;
    out->bytes = bytes ? en->value : 0;
    out->len = bytes ? en->len : 0;
    return 0;
}

uint32_t ds_retrieve_cap(struct ds_store *s, uint64_t caller, const void *buf, size_t len,
                         uint64_t *slot)
{
    struct ds_call c = ds_call_begin(s, caller, "retrieve_cap", buf, len);
    struct ds_entry *en;
    *slot = 0;
    uint32_t e = lookup(&c, buf, len, &en);
    if (e)
        return e;
    if (en->type != DS_CAP)
        return ds_refuse(&c, RS_E_TYPE, "holds no capability");
    *slot = en->cap;
    return 0;
}

uint32_t ds_delete(struct ds_store *s, uint64_t caller, const void *buf, size_t len)
{
    struct ds_call c = ds_call_begin(s, caller, "delete", buf, len);
    char name[DS_NAME_MAX + 1];
    uint32_t e = writable(&c, buf, len, name);
    if (e)
        return e;
    struct ds_entry *en = find(s, name);
    if (!en)
        return RS_E_NOENT;
    remove_entry(s, en);
    return 0;
}
