/* The root task (the reincarnation server, RS): starts the system services,
 * supervises them (their faults and exits come here as notices) and serves the
 * system protocol (<proto/system.h>) to them. Milestone M1-D adds restart
 * policies; for now a crashed service stays down and its clients get capability
 * faults. */
#include <stdio.h>
#include <string.h>
#include <proto/system.h>
#include <rs_invoke.h>
#include <rs_libc.h>
#include <rs_log.h>
#include <rs_server.h>
#include "service.h"

#define ROOT_EP 10
#define TEMP_SLOT 12

static char text[RS_BUFFER_MAX];

/* The name in a request's buffer, as a string (at most 31 characters). */
static const char *request_name(const struct rs_request *r, char *name)
{
    size_t n = r->len < 31 ? r->len : 31;
    memcpy(name, r->buf, n);
    name[n] = '\0';
    return name;
}

static uint32_t ps_handler(struct rs_request *r, void *state)
{
    (void)state;
    size_t n = (size_t)snprintf(text, sizeof text, "%-10s %-8s %4s %5s %8s\n", "NAME", "STATE",
                                "INC", "TASK", "CRASHES");
    for (unsigned i = 0; i < service_count() && n < sizeof text; i++) {
        struct service *s = service_at(i);
        n += (size_t)snprintf(text + n, sizeof text - n, "%-10s %-8s %4u %5lu %8lu\n",
                              s->def->name, service_state_name(s->state), s->incarnation,
                              s->tid, s->crashes);
    }
    n = n < sizeof text ? n : sizeof text - 1;
    r->reply_buf = text;
    r->reply_len = n < r->req.w[0] ? n : r->req.w[0];
    return 0;
}

/* Makes a service crash (a real CPU exception in it) for demonstrations. */
static uint32_t kill_handler(struct rs_request *r, void *state)
{
    (void)state;
    char name[32];
    struct service *s = service_by_name(request_name(r, name));
    if (!s || s->state != SVC_RUNNING)
        return RS_E_NOENT;
    unsigned i = s->id - 1;
    if (s->published[0]) {
        struct rs_msg m = { .info = RS_LABEL_CRASH };
        if (!rs_send(SVC_ENDPOINT_SLOT(i), &m, 1000))
            return 0;
    }
    rs_info("event=kill service=%s incarnation=%u", s->def->name, s->incarnation);
    rs_task_destroy(SVC_TASK_SLOT(i));
    rs_cap_delete(SVC_TASK_SLOT(i));
    s->state = SVC_CRASHED;
    s->crashes++;
    return 0;
}

static uint32_t mem_handler(struct rs_request *r, void *state)
{
    (void)state;
    return (uint32_t)rs_quota_info(RS_SLOT_QUOTA, &r->reply.w[0], &r->reply.w[1]);
}

static uint32_t lookup_handler(struct rs_request *r, void *state)
{
    (void)state;
    char name[32];
    struct service *s = service_by_published(request_name(r, name));
    if (!s)
        return RS_E_NOENT;
    if (rs_cap_mint(SVC_ENDPOINT_SLOT(s->id - 1), TEMP_SLOT, RS_RIGHT_WRITE | RS_RIGHT_GRANT,
                    r->badge))
        return RS_E_NOENT;
    r->reply_cap = TEMP_SLOT;
    return 0;
}

static uint32_t publish_handler(struct rs_request *r, void *state)
{
    (void)state;
    char name[32];
    struct service *s = service_by_badge(r->badge);
    if (!s || !r->cap || r->len == 0 || r->len >= sizeof s->published)
        return RS_E_INVAL;
    uint64_t slot = SVC_ENDPOINT_SLOT(s->id - 1);
    rs_cap_delete(slot);
    if (rs_cap_move(r->cap, slot))
        return RS_E_INVAL;
    rs_slot_free(r->cap);           /* the slot it came in is ours to give back */
    r->cap = 0;
    strcpy(s->published, request_name(r, name));
    rs_info("event=publish service=%s name=%s", s->def->name, s->published);
    return 0;
}

static const char *fault_reason(uint64_t reason)
{
    return reason == RS_FAULT_PAGE ? "page-fault"
         : reason == RS_FAULT_SYSCALL ? "bad-system-call" : "exception";
}

/* A service faulted or exited: log one event, destroy what is left of it. */
static uint32_t notice_handler(struct rs_request *r, void *state)
{
    (void)state;
    struct service *s = service_by_badge(r->badge);
    if (!s || !(r->badge & SVC_SUPERVISOR_BADGE))
        return RS_E_INVAL;          /* not from the kernel about one of ours */
    unsigned i = s->id - 1;
    const uint64_t *w = r->req.w;
    if (RS_MSG_LABEL(r->req.info) == RS_LABEL_FAULT) {
        s->state = SVC_CRASHED;
        s->crashes++;
        rs_warn("event=crash service=%s incarnation=%u reason=%s vector=%lu address=%#lx "
                "rip=%#lx", s->def->name, s->incarnation, fault_reason(w[1]), w[2], w[3], w[4]);
    } else {
        s->state = SVC_EXITED;
        rs_info("event=exit service=%s incarnation=%u status=%ld", s->def->name,
                s->incarnation, (int64_t)w[1]);
    }
    rs_task_destroy(SVC_TASK_SLOT(i));
    rs_cap_delete(SVC_TASK_SLOT(i));
    rs_cap_delete(SVC_ENDPOINT_SLOT(i));
    s->published[0] = '\0';
    return RS_SERVER_DEFERRED;
}

static const rs_handler_fn handlers[SYSTEM_LABELS] = {
    [SYSTEM_PS] = ps_handler,
    [SYSTEM_KILL] = kill_handler,
    [SYSTEM_MEM] = mem_handler,
    [SYSTEM_LOOKUP] = lookup_handler,
    [SYSTEM_PUBLISH] = publish_handler,
};

static int start_services(void *state)
{
    (void)state;
    char list[128];
    rs_slot_reserve(SVC_FIXED_FIRST, SVC_FIXED_COUNT);
    if (rs_create(RS_SLOT_QUOTA, RS_OBJ_ENDPOINT, ROOT_EP, 0))
        return 1;
    unsigned n = services_start(rs_arg("services", list, sizeof list), ROOT_EP);
    rs_info("%u services started", n);
    return 0;
}

int main(void)
{
    static const struct rs_server server = {
        .name = "rs",
        .endpoint = ROOT_EP,
        .handlers = handlers,
        .nhandlers = SYSTEM_LABELS,
        .init_fresh = start_services,
        .notice = notice_handler,
    };
    return rs_server_run(&server);
}
