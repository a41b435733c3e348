/* Fault injection, RS's side (see inject.h). */
#include <string.h>
#include <rs_invoke.h>
#include <rsys.h>
#include "events.h"
#include "inject.h"
#include "service.h"

#define GRANT_SLOT 13               /* the capability being replied */
#define DETAIL_MAX 240

/* The calling service, when it has the inject right. */
static struct service *injector(const struct rs_request *r)
{
    struct service *c = service_by_badge(r->badge);
    return c && !(r->badge & SVC_SUPERVISOR_BADGE) && (c->def->flags & SVC_MAY_INJECT) ? c : 0;
}

static struct service *target_named(const char *buf, size_t len)
{
    char name[SVC_NAME_MAX + 1];
    if (len == 0 || len > SVC_NAME_MAX || memchr(buf, '\0', len))
        return 0;
    memcpy(name, buf, len);
    name[len] = '\0';
    return service_by_name(name);
}

uint32_t inject_debug_handler(struct rs_request *r, void *state)
{
    (void)state;
    struct service *c = injector(r), *t = c ? target_named((const char *)r->buf, r->len) : 0;
    if (!c)
        return RS_E_RIGHTS;
    if (!t || (t->state != SVC_RUNNING && t->state != SVC_STARTING))
        return RS_E_NOENT;
    if (t == c)
        return RS_E_RIGHTS;         /* an injector never debugs itself */
    rs_cap_delete(GRANT_SLOT);
    if (rs_cap_mint(SVC_TASK_SLOT(t->index), GRANT_SLOT, RS_RIGHT_DEBUG | RS_RIGHT_READ, 0))
        return RS_E_NOENT;
    r->reply.w[0] = t->incarnation;
    r->reply_cap = GRANT_SLOT;
    return 0;
}

/* Whether the n bytes at s are printable ASCII. */
static int printable(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < 0x20 || s[i] > 0x7E)
            return 0;
    return 1;
}

uint32_t inject_event_handler(struct rs_request *r, void *state)
{
    (void)state;
    const char *buf = (const char *)r->buf, *nl1, *nl2;
    if (!injector(r))
        return RS_E_RIGHTS;
    nl1 = memchr(buf, '\n', r->len);
    nl2 = nl1 ? memchr(nl1 + 1, '\n', r->len - (size_t)(nl1 + 1 - buf)) : 0;
    struct service *t = nl1 ? target_named(buf, (size_t)(nl1 - buf)) : 0;
    size_t type_len = nl2 ? (size_t)(nl2 - nl1 - 1) : 0;
    size_t detail_len = nl2 ? r->len - (size_t)(nl2 + 1 - buf) : 0;
    if (!t || type_len == 0 || type_len > 15 || detail_len > DETAIL_MAX
        || !printable(nl1 + 1, type_len) || !printable(nl2 + 1, detail_len))
        return RS_E_INVAL;
    char type[16], detail[DETAIL_MAX + 1];
    memcpy(type, nl1 + 1, type_len);
    type[type_len] = '\0';
    memcpy(detail, nl2 + 1, detail_len);
    detail[detail_len] = '\0';
    int activated = !strcmp(type, "activated");     /* a fault armed earlier acted */
    struct event e = { activated ? "activated" : "inject", t->def->name, t->incarnation,
                       activated ? 0 : type, EVENT_UNKNOWN, EVENT_UNKNOWN, detail };
    event_emit(&e);
    return 0;
}
