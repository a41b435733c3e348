/* The reincarnation server (RS), the root task: starts the system services in
 * dependency order, watches them (kernel notices of faults and exits, heartbeats,
 * ready deadlines), restarts them by their policies, and serves the system
 * protocol (<proto/system.h>). Callers are known by the badge RS minted for them
 * (service index + 1); kernel notices carry SVC_SUPERVISOR_BADGE as well, which no
 * service's own capability has. RS itself never blocks on a service. */
#include <stdio.h>
#include <string.h>
#include <proto/system.h>
#include <rs_invoke.h>
#include <rs_libc.h>
#include <rs_log.h>
#include <rs_server.h>
#include <rs_service.h>
#include "datastore.h"
#include "declare.h"
#include "events.h"
#include "inject.h"
#include "rskeep.h"
#include "lifecycle.h"
#include "report.h"
#include "watch.h"

#define ROOT_EP      10
#define TEMP_SLOT    12
#define EVENTS_PORTS 16

/* The name in a request's buffer, as a string; NULL when it cannot be one. */
static const char *request_name(const struct rs_request *r, char *name, size_t size)
{
    if (r->len == 0 || r->len >= size || memchr(r->buf, '\0', r->len))
        return 0;
    memcpy(name, r->buf, r->len);
    name[r->len] = '\0';
    return name;
}

/* Logs that the call of caller c (NULL: not one of ours) was refused, and why. */
static void refused(const struct service *c, const char *call, const char *why)
{
    struct event e = { "refused", c ? c->def->name : "?", c ? c->incarnation : 0, call,
                       EVENT_UNKNOWN, EVENT_UNKNOWN, why };
    event_emit(&e);
}

/* The caller, if it is one of ours and may control services; logs a refusal. */
static uint32_t check_control(const struct rs_request *r, const char *call)
{
    struct service *c = service_by_badge(r->badge);
    if (c && !(r->badge & SVC_SUPERVISOR_BADGE) && (c->def->flags & SVC_MAY_CONTROL))
        return 0;
    refused(c, call, "caller lacks the control right");
    return RS_E_RIGHTS;
}

/* The service a control request names, in *s; 0 or the status to answer. */
static uint32_t control_target(struct rs_request *r, const char *call, struct service **s)
{
    char name[SVC_NAME_MAX + 1];
    uint32_t st = check_control(r, call);
    if (st)
        return st;
    *s = request_name(r, name, sizeof name) ? service_by_name(name) : 0;
    return *s ? 0 : RS_E_NOENT;
}

static uint32_t ready_handler(struct rs_request *r, void *state)
{
    (void)state;
    struct service *s = service_by_badge(r->badge);
    if (!s || (r->badge & SVC_SUPERVISOR_BADGE))
        return RS_E_INVAL;
    uint64_t e = lifecycle_ready(s, r->cap);    /* 0: a client, no endpoint */
    if (e) {
        refused(s, "ready", "ready while not starting");
        return (uint32_t)e;
    }
    if (r->cap)
        rs_slot_free(r->cap);       /* moved away: the slot is ours to give back */
    r->cap = 0;
    keep_caps_changed();
    if (!strcmp(s->def->name, "ds")) {
        datastore_declare_later(SVC_ENDPOINT_SLOT(s->index));
        watch_soon();               /* after this answer: DS waits for it */
        return 0;
    }
    lifecycle_schedule();
    watch_tick();
    return 0;
}

static uint32_t heartbeat_handler(struct rs_request *r, void *state)
{
    (void)state;
    struct service *s = service_by_badge(r->badge);
    if (!s || (r->badge & SVC_SUPERVISOR_BADGE))
        return RS_E_INVAL;
    if (s->state == SVC_RUNNING)
        watch_beat(s, rs_time_ms());
    keep_unchanged();               /* the hot path: nothing to seal for it */
    return 0;
}

static uint32_t mem_handler(struct rs_request *r, void *state)
{
    (void)state;
    return (uint32_t)rs_quota_info(RS_SLOT_QUOTA, &r->reply.w[0], &r->reply.w[1]);
}

static uint32_t list_handler(struct rs_request *r, void *state)
{
    (void)state;
    r->reply_buf = report_list(&r->reply_len);
    if (r->reply_len > r->req.w[0])
        r->reply_len = r->req.w[0];
    return 0;
}

static uint32_t status_handler(struct rs_request *r, void *state)
{
    (void)state;
    char name[SVC_NAME_MAX + 1];
    struct service *s = request_name(r, name, sizeof name) ? service_by_name(name) : 0;
    if (!s)
        return RS_E_NOENT;
    r->reply_buf = report_status(s, &r->reply_len);
    return 0;
}

static uint32_t info_handler(struct rs_request *r, void *state)
{
    (void)state;
    char name[SVC_NAME_MAX + 1];
    struct service *s = request_name(r, name, sizeof name) ? service_by_name(name) : 0;
    if (!s)
        return RS_E_NOENT;
    r->reply.w[0] = s->state;
    r->reply.w[1] = s->incarnation;
    r->reply.w[2] = s->failures;
    r->reply.w[3] = s->restarts;
    return 0;
}

/* NULL when every boot module in the space-separated list exists; else why not,
 * with "files" as the key. */
static const char *missing_file(const char *files, char *key, size_t key_size)
{
    static char why[64];
    char name[32];
    for (const char *p = files; declare_next_word(&p, name, sizeof name);) {
        if (rs_module_find(name) < 0) {
            snprintf(key, key_size, "files");
            snprintf(why, sizeof why, "no boot module %s", name);
            return why;
        }
    }
    return 0;
}

static struct declared declared[SVC_MAX];
static unsigned ndeclared;

/* init declares a service (text, declare.h): checked, added, started in order. */
static uint32_t declare_handler(struct rs_request *r, void *state)
{
    (void)state;
    struct service *c = service_by_badge(r->badge);
    if (!c || (r->badge & SVC_SUPERVISOR_BADGE) || !(c->def->flags & SVC_MAY_DECLARE))
        return RS_E_RIGHTS;
    static struct declared check;
    char key[32], detail[100];
    const char *why = declare_parse((const char *)r->buf, r->len, &check, key, sizeof key);
    unsigned k = 0;
    while (k < ndeclared && strcmp(declared[k].name, check.name))
        k++;                    /* a service declared again keeps its storage */
    if (!why && k == SVC_MAX)
        why = "too many declarations";
    if (!why)
        why = missing_file(check.def.files, key, sizeof key);
    if (!why && k == ndeclared)
        ndeclared++;
    if (!why)
        declare_parse((const char *)r->buf, r->len, &declared[k], key, sizeof key);
    struct service *s = why ? 0 : services_put(&declared[k].def, &why);
    if (!s) {
        snprintf(detail, sizeof detail, "%.31s%s%.60s", key[0] ? key : "", key[0] ? ": " : "", why);
        refused(c, "svc_declare", detail);
        return RS_E_INVAL;
    }
    rs_info("%s declared %s (%s)", c->def->name, s->def->name, s->def->module);
    lifecycle_want(s);
    struct service *ds = service_by_name("ds");
    if (ds && ds->state == SVC_RUNNING)
        datastore_declare_later(SVC_ENDPOINT_SLOT(ds->index));
    watch_soon();               /* starts it after this answer, DS declared first */
    return 0;
}

/* init answers a hook: for the service named in the buffer, from init only. */
static uint32_t hook_result_handler(struct rs_request *r, void *state)
{
    (void)state;
    char name[SVC_NAME_MAX + 1];
    struct service *c = service_by_badge(r->badge);
    if (!c || (r->badge & SVC_SUPERVISOR_BADGE) || !(c->def->flags & SVC_MAY_DECLARE))
        return RS_E_RIGHTS;
    struct service *s = request_name(r, name, sizeof name) ? service_by_name(name) : 0;
    if (!s)
        return RS_E_NOENT;
    uint32_t st = (uint32_t)lifecycle_hook(s, r->req.w[0], r->req.w[1]);
    if (!st)
        watch_tick();
    return st;
}

static uint32_t restart_handler(struct rs_request *r, void *state)
{
    (void)state;
    struct service *s;
    uint32_t st = control_target(r, "svc_restart", &s);
    if (st)
        return st;
    if (s->state == SVC_STARTING || s->state == SVC_RUNNING)
        lifecycle_failed(s, FAIL_KILLED, "restart", 0, "restart requested");
    else
        lifecycle_want(s);
    lifecycle_schedule();
    watch_tick();
    return 0;
}

static uint32_t stop_handler(struct rs_request *r, void *state)
{
    (void)state;
    struct service *s;
    uint32_t st = control_target(r, "svc_stop", &s);
    if (!st)
        lifecycle_stop(s, "stop requested");
    return st;
}

static uint32_t start_handler(struct rs_request *r, void *state)
{
    (void)state;
    struct service *s;
    uint32_t st = control_target(r, "svc_start", &s);
    if (st)
        return st;
    lifecycle_want(s);
    lifecycle_schedule();
    watch_tick();
    return 0;
}

/* svc_crash of "rs": RS fails itself, the way asked, in the middle of the call
 * (the caller sees a capability fault); the kernel starts the next RS. */
static int crash_self(struct rs_request *r)
{
    char name[SVC_NAME_MAX + 1];
    if (check_control(r, "svc_crash") || !request_name(r, name, sizeof name)
        || strcmp(name, "rs"))
        return 0;
    rs_warn("failing on request (kind %lu), the kernel restarts RS", (unsigned long)r->req.w[0]);
    if (r->req.w[0] == SVC_CRASH_EXIT)
        rs_exit(1);
    if (r->req.w[0] == SVC_CRASH_PAGEFAULT)
        *(volatile uint64_t *)(uintptr_t)r->req.w[1] = 1;      /* w1 0: page 0 */
    __builtin_trap();
}

static uint32_t crash_handler(struct rs_request *r, void *state)
{
    (void)state;
    struct service *s;
    crash_self(r);
    uint32_t st = control_target(r, "svc_crash", &s);
    if (st)
        return st;
    if (r->req.w[0] < SVC_CRASH_EXCEPTION || r->req.w[0] > SVC_CRASH_BUSY)
        return RS_E_INVAL;
    if (s->state != SVC_RUNNING)
        return RS_E_BUSY;           /* not taking requests: nothing to crash yet */
    return (uint32_t)watch_crash(s, r->req.w[0]);
}

static uint32_t halt_handler(struct rs_request *r, void *state)
{
    (void)state;
    uint32_t st = check_control(r, "halt");
    if (st)
        return st;
    rs_info("halting the system on request of %s", service_by_badge(r->badge)->def->name);
    return (uint32_t)rs_platform_halt(RS_SLOT_PLATFORM);
}

static uint32_t ds_handler(struct rs_request *r, void *state)
{
    (void)state;
    struct service *s = service_by_badge(r->badge), *ds = service_by_name("ds");
    if (!s || (r->badge & SVC_SUPERVISOR_BADGE) || !ds || ds->state != SVC_RUNNING)
        return RS_E_NOENT;
    if (rs_cap_mint(SVC_ENDPOINT_SLOT(ds->index), TEMP_SLOT, RS_RIGHT_WRITE | RS_RIGHT_GRANT,
                    s->index + 1))
        return RS_E_NOENT;
    r->reply_cap = TEMP_SLOT;
    return 0;
}

static const char *fault_reason(uint64_t reason)
{
    return reason == RS_FAULT_PAGE ? "page-fault" : reason == RS_FAULT_DMA ? "dma-fault"
         : reason == RS_FAULT_SYSCALL ? "bad-system-call" : "exception";
}

/* A service faulted or exited (a kernel notice): its policy decides. */
static uint32_t notice_handler(struct rs_request *r, void *state)
{
    (void)state;
    struct service *s = service_by_badge(r->badge);
    if (!s || !(r->badge & SVC_SUPERVISOR_BADGE))
        return RS_E_INVAL;          /* not from the kernel about one of ours */
    const uint64_t *w = r->req.w;
    char detail[96];
    if (s->state != SVC_STARTING && s->state != SVC_RUNNING)
        return RS_SERVER_DEFERRED;  /* an incarnation already buried */
    if (RS_MSG_LABEL(r->req.info) == RS_LABEL_FAULT) {
        snprintf(detail, sizeof detail, "vector %lu address %#lx rip %#lx",
                 RS_FAULT_VECTOR(w[2]), w[3], w[4]);
        lifecycle_failed(s, FAIL_CRASH, fault_reason(w[1]), w[5], detail);
    } else {
        int64_t status = (int64_t)w[1];
        snprintf(detail, sizeof detail, "status %ld", status);
        lifecycle_failed(s, status ? FAIL_EXIT_ERROR : FAIL_EXIT_OK, "exit", w[2], detail);
    }
    watch_tick();
    return RS_SERVER_DEFERRED;      /* destroyed: nobody to answer */
}

static void timer_fired(uint64_t bits, void *state)
{
    (void)bits, (void)state;
    watch_tick();
}

static const rs_handler_fn handlers[SYSTEM_LABELS] = {
    [SYSTEM_READY] = ready_handler,
    [SYSTEM_HEARTBEAT] = heartbeat_handler,
    [SYSTEM_MEM] = mem_handler,
    [SYSTEM_SVC_LIST] = list_handler,
    [SYSTEM_SVC_STATUS] = status_handler,
    [SYSTEM_SVC_INFO] = info_handler,
    [SYSTEM_SVC_RESTART] = restart_handler,
    [SYSTEM_SVC_STOP] = stop_handler,
    [SYSTEM_SVC_START] = start_handler,
    [SYSTEM_SVC_CRASH] = crash_handler,
    [SYSTEM_HALT] = halt_handler,
    [SYSTEM_DS] = ds_handler,
    [SYSTEM_SVC_DECLARE] = declare_handler,
    [SYSTEM_HOOK_RESULT] = hook_result_handler,
    [SYSTEM_SVC_DEBUG] = inject_debug_handler,
    [SYSTEM_INJECT_EVENT] = inject_event_handler,
};

static int start_system(void *state);

/* What RS keeps outside itself (rskeep.c): the same order in every incarnation. */
static void keep_tables(void)
{
    services_keep();
    keep_add(declared, sizeof declared);
    keep_add(&ndeclared, sizeof ndeclared);
    lifecycle_keep();
}

static void commit(void *state)
{
    (void)state;
    keep_save();
}

/* A new incarnation (the kernel restarted RS): the services as the last one
 * left them, supervised again; without a kept table, a fresh start. */
static int restart_system(void *state)
{
    rs_slot_reserve(SVC_FIXED_FIRST, SVC_FIXED_COUNT);
    keep_tables();
    int kept = keep_load();
    if (kept <= 0) {
        rs_error(kept ? "the kept tables are corrupt: starting afresh"
                      : "nothing was kept: starting afresh");
        return start_system(state);
    }
    event_channel_open(RS_SLOT_PLATFORM, EVENTS_PORTS);
    if (watch_init()) {
        rs_error("cannot create the timer");
        return 1;
    }
    lifecycle_resume(ROOT_EP);
    rs_info("restarted: %u services supervised again", service_count());
    watch_tick();
    return 0;
}

static int start_system(void *state)
{
    (void)state;
    char list[128];
    rs_slot_reserve(SVC_FIXED_FIRST, SVC_FIXED_COUNT);
    keep_tables();
    event_channel_open(RS_SLOT_PLATFORM, EVENTS_PORTS);
    if (rs_create(RS_SLOT_QUOTA, RS_OBJ_ENDPOINT, ROOT_EP, 0) || watch_init()) {
        rs_error("cannot create the root endpoint and timer");
        return 1;
    }
    const char *names = rs_arg("services", list, sizeof list);
    int n = services_declare(names ? names : catalog_default);
    rs_info("%d services declared", n);
    lifecycle_init(ROOT_EP);
    watch_tick();
    return 0;
}

int main(void)
{
    static const struct rs_server server = {
        .name = "rs",
        .endpoint = ROOT_EP,
        .handlers = handlers,
        .nhandlers = SYSTEM_LABELS,
        .init_fresh = start_system,
        .init_restart = restart_system,
        .commit = commit,
        .notified = timer_fired,
        .notice = notice_handler,
    };
    return rs_server_run(&server);
}
