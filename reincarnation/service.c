/* The service table: which declared services this boot runs (see service.h). */
#include <stdio.h>
#include <string.h>
#include <rs_libc.h>
#include <rs_log.h>
#include "rskeep.h"
#include "service.h"

static struct service services[SVC_MAX];
static unsigned nservices;

static int index_of(const char *name, unsigned len)
{
    for (unsigned i = 0; i < nservices; i++)
        if (strlen(services[i].def->name) == len && !strncmp(services[i].def->name, name, len))
            return (int)i;
    return -1;
}

/* Turns each service's declared dependency names into a bit set. */
static void resolve_deps(void)
{
    int ds = index_of("ds", 2), init = index_of("init", 4);
    for (unsigned i = 0; i < nservices; i++) {
        struct service *s = &services[i];
        const char *p = s->def->deps ? s->def->deps : "";
        s->deps = ds >= 0 && (unsigned)ds != i ? (depset_t)1 << ds : 0;  /* all need DS */
        if (init >= 0 && (s->def->flags & SVC_HAS_HOOK))
            s->deps |= (depset_t)1 << init;     /* its hook must be there to be asked */
        while (*p) {
            unsigned len = (unsigned)strcspn(p, " ");
            int j = index_of(p, len);
            if (j >= 0)
                s->deps |= (depset_t)1 << j;
            else if (len)
                rs_warn("%s depends on '%.*s', which this boot does not run", s->def->name,
                        (int)len, p);
            p += len + strspn(p + len, " ");
        }
    }
}

/* The catalog's policy for d, with the boot's `policy.NAME=SPEC` applied. */
static const char *policy_for(const struct service_def *d, struct policy *p)
{
    char key[32], spec[160];
    *p = d->policy;
    snprintf(key, sizeof key, "policy.%s", d->name);
    const char *bad = rs_arg(key, spec, sizeof spec) ? policy_override(p, spec) : 0;
    return bad ? bad : policy_check(p);
}

int services_declare(const char *list)
{
    char names[128] = "";
    strncpy(names, list, sizeof names - 1);
    for (char *n = strtok(names, ",+"); n; n = strtok(0, ",+")) {
        const struct service_def *d = catalog_find(n);
        struct policy p;
        const char *bad = d ? policy_for(d, &p) : 0;
        if (!d || bad || nservices == SVC_MAX || index_of(n, (unsigned)strlen(n)) >= 0) {
            rs_error("service '%s' not declared: %s", n, !d ? "unknown service"
                     : bad ? bad : nservices == SVC_MAX ? "too many services" : "named twice");
            continue;
        }
        services[nservices] = (struct service){ .def = d, .index = nservices, .policy = p,
                                                .last_detect_us = -1, .last_recover_us = -1 };
        nservices++;
    }
    resolve_deps();
    return (int)nservices;
}

struct service *services_put(const struct service_def *d, const char **why)
{
    int i = index_of(d->name, (unsigned)strlen(d->name));
    struct service *s = i >= 0 ? &services[i] : 0;
    *why = policy_check(&d->policy);
    if (*why)
        return 0;
    if (!s && nservices == SVC_MAX) {
        *why = "too many services";
        return 0;
    }
    if (!s) {
        s = &services[nservices];
        *s = (struct service){ .index = nservices, .last_detect_us = -1, .last_recover_us = -1 };
        nservices++;
    }
    s->def = d;
    s->policy = d->policy;
    resolve_deps();
    return s;
}

struct service *service_by_name(const char *name)
{
    int i = index_of(name, (unsigned)strlen(name));
    return i >= 0 ? &services[i] : 0;
}

struct service *service_by_badge(uint64_t badge)
{
    uint64_t id = badge & ~(uint64_t)SVC_SUPERVISOR_BADGE;
    return id >= 1 && id <= nservices ? &services[id - 1] : 0;
}

struct service *service_at(unsigned i) { return i < nservices ? &services[i] : 0; }
unsigned service_count(void) { return nservices; }

const char *service_state_name(enum service_state s)
{
    static const char *const names[] = { "stopped", "starting", "running", "waiting",
                                         "blocked", "failed" };
    return s <= SVC_FAILED ? names[s] : "?";
}

void services_keep(void)
{
    keep_add(services, sizeof services);
    keep_add(&nservices, sizeof nservices);
}
