/* The data store's identities and rights: who a badge is, what RS declared for
 * it, who may read and write a name, and the rate-limited refusal log (see
 * store.h). Entries are in entries.c, subscriptions in subs.c. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <resurgo/errors.h>
#include "internal.h"

void ds_init(struct ds_store *s, const struct ds_env *env)
{
    memset(s, 0, sizeof *s);
    s->env = *env;
    s->clients[0].used = 1;
    strcpy(s->clients[0].decl.name, "rs");
}

/* The client index of a badge; -1 when it was never declared. */
static int client_index(const struct ds_store *s, uint64_t badge)
{
    for (int i = 0; i <= DS_SERVICES_MAX; i++)
        if (s->clients[i].used && s->clients[i].badge == badge)
            return i;
    return -1;
}

/* The client whose service name is p[0..n); -1 when none is. */
static int service_named(const struct ds_store *s, const char *p, size_t n)
{
    for (int i = 0; i <= DS_SERVICES_MAX; i++) {
        const char *name = s->clients[i].decl.name;
        if (s->clients[i].used && strlen(name) == n && !memcmp(name, p, n))
            return i;
    }
    return -1;
}

/* The client that declared the public name as owned; -1 when nobody did. */
static int public_owner(const struct ds_store *s, const char *name)
{
    for (int i = 1; i <= DS_SERVICES_MAX; i++)
        for (unsigned j = 0; s->clients[i].used && j < s->clients[i].decl.nowned; j++)
            if (!strcmp(s->clients[i].decl.owned[j], name))
                return i;
    return -1;
}

int ds_name_owner(const struct ds_store *s, const char *name)
{
    size_t n = ds_private_prefix(name);
    return n ? service_named(s, name, n) : public_owner(s, name);
}

/* Why a service other than the owner is refused a name. */
static void whose(const struct ds_store *s, const char *name, char *why, size_t size)
{
    size_t n = ds_private_prefix(name);
    int owner = ds_name_owner(s, name);
    if (n)
        snprintf(why, size, "private to %.*s", (int)n, name);
    else
        snprintf(why, size, "owned by %s", owner < 0 ? "nobody" : s->clients[owner].decl.name);
}

int ds_may_write(const struct ds_store *s, int ci, const char *name, char *why, size_t size)
{
    if (ci == 0 || (ci > 0 && ds_name_owner(s, name) == ci))
        return 1;
    whose(s, name, why, size);
    return 0;
}

int ds_may_read(const struct ds_store *s, int ci, const char *name, char *why, size_t size)
{
    if (ci == 0 || (ci > 0 && ds_name_owner(s, name) == ci))
        return 1;
    if (ci < 0 || ds_private_prefix(name)) {
        whose(s, name, why, size);
        return 0;
    }
    const struct ds_decl *d = &s->clients[ci].decl;
    for (unsigned i = 0; i < d->nreads; i++)
        if (ds_pattern_match(d->reads[i], name))
            return 1;
    snprintf(why, size, "not in its read patterns");
    return 0;
}

struct ds_call ds_call_begin(struct ds_store *s, uint64_t badge, const char *op,
                             const void *buf, size_t len)
{
    struct ds_call c = { .s = s, .badge = badge, .ci = client_index(s, badge), .op = op };
    ds_shown(buf, len, c.shown);
    return c;
}

/* Writes a line unless this second's lines are spent; counts what it holds back
 * and says how many with the first line of a later second. */
static void log_limited(struct ds_store *s, const char *line)
{
    uint64_t now = s->env.now_ms(s->env.ctx);
    if (now - s->log_window >= 1000) {
        if (s->log_dropped) {
            char note[64];
            snprintf(note, sizeof note, "refused: %u more refusals not logged", s->log_dropped);
            s->env.log(s->env.ctx, note);
        }
        s->log_window = now;
        s->log_lines = s->log_dropped = 0;
    }
    if (s->log_lines == DS_LOG_PER_SEC) {
        s->log_dropped++;
        return;
    }
    s->log_lines++;
    s->env.log(s->env.ctx, line);
}

uint32_t ds_refuse(const struct ds_call *c, uint32_t status, const char *fmt, ...)
{
    char why[96], who[48], what[DS_SHOWN_SIZE + 4], line[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, sizeof why, fmt, ap);
    va_end(ap);
    if (c->ci < 0)
        snprintf(who, sizeof who, "badge %#lx (undeclared)", (unsigned long)c->badge);
    else
        snprintf(who, sizeof who, "%s", c->s->clients[c->ci].decl.name);
    snprintf(what, sizeof what, c->shown[0] ? " '%s'" : "%s", c->shown);
    if (status == RS_E_RIGHTS)
        snprintf(line, sizeof line, "refused: %s may not %s%s%s (%s)", who,
                 c->shown[0] ? "" : "call ", c->op, what, why);
    else
        snprintf(line, sizeof line, "refused: %s %s%s: %s (error %u)", who, c->op, what, why,
                 status);
    log_limited(c->s, line);
    return status;
}

uint32_t ds_refuse_undeclared(const struct ds_call *c)
{
    return ds_refuse(c, RS_E_RIGHTS, "not declared by rs");
}

/* Whether a declaration of client ci (to be) clashes with another badge's. */
static uint32_t check_clash(const struct ds_call *c, int ci, const struct ds_decl *d)
{
    const struct ds_store *s = c->s;
    int other = service_named(s, d->name, strlen(d->name));
    if (other >= 0 && other != ci)
        return ds_refuse(c, RS_E_EXISTS, "service name taken by badge %#lx",
                         (unsigned long)s->clients[other].badge);
    for (unsigned i = 0; i < d->nowned; i++) {
        other = public_owner(s, d->owned[i]);
        if (other >= 0 && other != ci)
            return ds_refuse(c, RS_E_EXISTS, "'%s' is owned by %s", d->owned[i],
                             s->clients[other].decl.name);
    }
    return 0;
}

static int free_client(const struct ds_store *s)
{
    for (int i = 1; i <= DS_SERVICES_MAX; i++)
        if (!s->clients[i].used)
            return i;
    return -1;
}

uint32_t ds_declare(struct ds_store *s, uint64_t caller, uint64_t badge, const void *buf,
                    size_t len)
{
    struct ds_call c = ds_call_begin(s, caller, "declare", buf, len);
    if (caller != 0)
        return ds_refuse(&c, RS_E_RIGHTS, "only rs declares");
    if (badge == 0)
        return ds_refuse(&c, RS_E_INVAL, "badge 0 is rs");
    struct ds_decl d;
    const char *why;
    uint32_t e = ds_parse_decl(buf, len, &d, &why);
    if (e)
        return ds_refuse(&c, e, "%s", why);
    int ci = client_index(s, badge);
    e = check_clash(&c, ci, &d);
    if (e)
        return e;
    if (ci < 0 && (ci = free_client(s)) < 0)
        return ds_refuse(&c, RS_E_QUOTA, "%d services declared already", DS_SERVICES_MAX);
    s->clients[ci].used = 1;
    s->clients[ci].badge = badge;
    s->clients[ci].decl = d;
    return 0;
}
