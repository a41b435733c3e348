/* The server framework (see rs_server.h): receive, dispatch through the handler
 * table, reply with the handler's status, answer heartbeats; fresh start and
 * restart have their own init callbacks. */
#include <stdlib.h>
#include <string.h>
#include <proto/datastore.h>
#include <proto/system.h>
#include <rsys.h>
#include <rs_invoke.h>
#include <rs_server.h>
#include <rs_session.h>
#include <rs_service.h>
#include "rs_libc.h"
#include "rs_log.h"

#define HEARTBEAT_CALL_MS 50        /* a heartbeat never waits longer for RS */
#define PUBLISH_BADGE 1             /* the badge clients' copies of the endpoint carry */

static uint8_t request_buf[RS_BUFFER_MAX];
static uint64_t heartbeats;
static uint64_t beat_period_ms, next_beat_ms;

uint64_t rs_heartbeat_ms(void)
{
    char v[24];
    const char *s = rs_arg("heartbeat", v, sizeof v);
    return s ? strtoull(s, 0, 10) : 0;
}

int rs_supervised(void)
{
    char v[24];
    return rs_arg("heartbeat", v, sizeof v) != 0;
}

/* Tells RS we are alive; bounded, and RS's silence is not our failure. */
static void send_heartbeat(uint64_t now)
{
    struct rs_msg m = { .info = SYSTEM_HEARTBEAT };
    rs_call(RS_GIVEN_SYSTEM, &m, HEARTBEAT_CALL_MS);
    next_beat_ms = now + beat_period_ms;
}

static void beat_if_due(void)
{
    uint64_t now;
    if (beat_period_ms && (now = rs_time_ms()) >= next_beat_ms)
        send_heartbeat(now);
}

void rs_server_alive(void)
{
    beat_if_due();
}

/* How long a receive may wait before the next heartbeat is due. */
static uint64_t receive_timeout(void)
{
    if (!beat_period_ms)
        return RS_TIMEOUT_FOREVER;
    uint64_t now = rs_time_ms();
    return next_beat_ms > now ? next_beat_ms - now : 1;
}

static volatile uintptr_t crash_address = 8;   /* volatile: the compiler cannot see it */

/* Fails on RS's request, the way it asked (rs_service.h). */
static void crash_on_request(uint64_t kind)
{
    rs_warn("failing on request (kind %lu)", kind);
    if (kind == SVC_CRASH_PAGEFAULT) {
        volatile uint64_t *page0 = (volatile uint64_t *)crash_address;
        *page0 = 1;                             /* page 0 is never mapped */
    }
    if (kind == SVC_CRASH_EXIT)
        rs_exit(1);
    if (kind == SVC_CRASH_HANG)
        for (;;)
            __asm__ volatile("" ::: "memory");  /* spin: no requests, no heartbeats */
    if (kind == SVC_CRASH_BUSY)
        for (;;)
            beat_if_due();                      /* heartbeats, but no requests */
    __builtin_trap();                           /* SVC_CRASH_EXCEPTION and the rest */
}

/* After a successful init under RS: ready (endpoint to RS), then published. */
static int announce(const struct rs_server *s)
{
    uint64_t e = system_ready(RS_GIVEN_SYSTEM, s->endpoint);
    if (e) {
        rs_error("cannot report ready to RS (error %lu)", e);
        return (int)e;
    }
    if (!s->publish)
        return 0;
    uint64_t copy = rs_slot_alloc();
    e = copy ? rs_cap_mint(s->endpoint, copy, RS_RIGHT_WRITE | RS_RIGHT_GRANT, PUBLISH_BADGE)
             : RS_E_NOCAP;
    if (!e)
        e = datastore_publish_cap(RS_GIVEN_DS, s->publish, strlen(s->publish), copy);
    if (copy) {
        rs_cap_delete(copy);
        rs_slot_free(copy);
    }
    if (e)
        rs_error("cannot publish '%s' in the data store (error %lu)", s->publish, e);
    return (int)e;
}

unsigned rs_incarnation(void)
{
    char v[16];
    const char *s = rs_arg("incarnation", v, sizeof v);
    unsigned n = s ? (unsigned)strtoul(s, 0, 10) : 1;
    return n ? n : 1;
}

static int run_init(const struct rs_server *s)
{
    unsigned inc = rs_incarnation();
    int (*init)(void *) = inc > 1 && s->init_restart ? s->init_restart : s->init_fresh;
    rs_info("starting (incarnation %u, %s)", inc, inc > 1 ? "restart" : "fresh start");
    int err = init ? init(s->state) : 0;
    if (!err && rs_supervised())
        err = announce(s);
    return err;
}

static const struct rs_server *serving;  /* for rs_server_session_open */

/* A region: the progress of the request being served (unsealed), then the
 * transaction's two halves (rs_session_txn.h). */
struct session_progress {
    uint16_t id;                    /* the request it belongs to */
    uint16_t reserved[3];
    uint64_t value;
};
#define RS_SESSION_PROGRESS sizeof(struct session_progress)

static size_t session_bytes(const struct rs_server *s)
{
    return (size_t)s->session_pages * 4096 - RS_SESSION_PROGRESS;
}

static void *session_halves(void *region)
{
    return (uint8_t *)region + RS_SESSION_PROGRESS;
}

/* r's progress word: kept when the region's belongs to this request (a retry),
 * else started at 0. None for a call without a request id. */
static void session_progress(struct rs_request *r, void *region)
{
    struct session_progress *p = region;
    uint16_t id = RS_MSG_ID(r->req.info);
    if (!id)
        return;
    if (p->id != id)
        *p = (struct session_progress){ .id = id };
    /* Checked again (read back, so the compiler keeps it): a server whose check
     * above went wrong (a flipped branch) must not go on from another request's
     * progress; without one, the handler starts from the beginning. */
    if (*(volatile uint16_t *)&p->id == id)
        r->progress = &p->value;
}

/* Starts r's transaction on region: 0, or -1 for a corrupt session. A working
 * copy that did not come out whole is this server gone wrong: it stops. */
static int txn_begin(const struct rs_server *s, struct rs_request *r, void *region)
{
    int e = rs_session_txn_begin(&r->txn, session_halves(region), session_bytes(s),
                                 s->session_version, s->session_state);
    if (e == -2)
        rs_panic("a session's state did not copy whole");
    return e;
}

uint64_t rs_server_session_open(struct rs_request *r)
{
    const struct rs_server *s = serving;
    uint64_t e = 0;
    if (!s || !s->session_state)
        return RS_E_NOSYS;
    if (r->session)
        return 0;                   /* it has one (a retried open finds it) */
    void *region = rs_session_open(s->session_pages, &e);
    if (!region)
        return e;
    if (txn_begin(s, r, region))
        return RS_E_RANGE;          /* the server's sizes do not fit its pages */
    r->session = r->txn.state;
    session_progress(r, region);
    return 0;
}

/* Before the handler: the caller's session, checked. Returns 1 when the call is
 * answered without the handler (from the record, or refused), with *status. */
static int session_before(const struct rs_server *s, struct rs_request *r, uint32_t *status)
{
    void *region = rs_session_region(r);
    if (!s->session_state || !region)
        return 0;
    uint16_t id = RS_MSG_ID(r->req.info);
    if (txn_begin(s, r, region)) {
        rs_warn("session of badge %#lx is corrupt: refused", r->badge);
        *status = RS_E_SESSION;
        return 1;
    }
    const struct rs_session_record *rec = rs_session_txn_record(&r->txn);
    if (id && rec && rec->id == id) {       /* answered before: the same answer */
        if (*(const volatile uint16_t *)&rec->id != id)     /* checked again: a fault */
            rs_panic("request %u would be answered with request %u's answer", id, rec->id);
        for (int i = 0; i < RS_MSG_WORDS; i++)
            r->reply.w[i] = rec->w[i];
        r->reply_buf = rec->reply_len ? rec->reply : 0;
        r->reply_len = rec->reply_len;
        *status = rec->status;
        return 1;
    }
    r->session = r->txn.state;
    session_progress(r, region);
    return 0;
}

/* After the handler: its answer and the state it left are committed together. */
static uint32_t session_after(struct rs_request *r, uint32_t status)
{
    uint16_t id = RS_MSG_ID(r->req.info);
    if (!r->session || !id || status == RS_SERVER_DEFERRED)
        return status;              /* no request id: the state's changes are dropped */
    int e = rs_session_txn_commit(&r->txn, id, status, &r->reply, r->reply_buf, r->reply_len);
    if (e == -1)
        rs_warn("an answer of %lu bytes is too long to record: refused", r->reply_len);
    else if (e)
        rs_warn("request %u's answer did not seal: not committed, its outcome unknown", id);
    if (e)
        r->reply_buf = 0, r->reply_len = 0;
    /* Unknown, not failed: what the handler did outside the state (a write to a
     * disk) may have happened; the retry runs it again from the committed state. */
    return e == -1 ? RS_E_RANGE : e ? RS_E_UNKNOWN : status;
}

__attribute__((noipa)) void rs_server_session_check(const struct rs_request *r, const void *s)
{
    const volatile struct rs_request *v = r;
    if (v->session != s || v->txn.state != s)       /* the state the commit will seal */
        rs_panic("a session's state is not the caller's (%p, not %p)", s, r->session);
}

/* The commit checked again, apart from session_after (volatile reads, so the
 * compiler keeps the test): an answer to a request with an id in a session goes
 * out only once the record holds it. A server whose commit was skipped (a fault
 * in it) stops (fail-stop) rather than answer with state the session will
 * forget; the client's retry runs again from the committed state. RS_E_RANGE
 * and RS_E_UNKNOWN already say "not committed". Kept out of line (noipa), so
 * that the compiler cannot fold it into session_after's paths, where it would
 * know the answers to its tests and drop them. */
__attribute__((noipa)) static uint32_t answered_once(struct rs_request *r, uint32_t status)
{
    void *session = *(void *volatile *)&r->session;
    uint16_t id = RS_MSG_ID(*(volatile uint64_t *)&r->req.info);
    if (!session || !id || status == RS_SERVER_DEFERRED || status == RS_E_RANGE
        || status == RS_E_UNKNOWN)
        return status;
    const struct rs_session_record *rec = rs_session_txn_record(&r->txn);
    if (rec && *(const volatile uint16_t *)&rec->id == id)
        return status;
    rs_panic("request %u would be answered without its commit", id);
}

/* Handles one request; returns the status to reply with (or DEFERRED). */
static uint32_t dispatch(const struct rs_server *s, struct rs_request *r)
{
    uint32_t label = RS_MSG_LABEL(r->req.info);
    if (label == RS_LABEL_HEARTBEAT) {
        r->reply.w[0] = ++heartbeats;
        return 0;
    }
    if (label == RS_LABEL_CRASH && r->badge == 0)
        crash_on_request(r->req.w[0]);
    if ((label == RS_LABEL_FAULT || label == RS_LABEL_EXIT) && s->notice)
        return s->notice(r, s->state);
    rs_handler_fn h = rs_server_handler(s, label);
    if (!h) {
        rs_warn("unknown call %u from badge %#lx", label, r->badge);
        return RS_E_NOSYS;
    }
    uint32_t status;
    if (session_before(s, r, &status))
        return status;
    return answered_once(r, session_after(r, h(r, s->state)));
}

uint64_t rs_server_defer(void)
{
    uint64_t slot = rs_slot_alloc();
    if (slot && rs_reply_save(slot)) {
        rs_slot_free(slot);
        slot = 0;
    }
    return slot;
}

uint64_t rs_server_answer(uint64_t reply_slot, uint32_t status, const struct rs_msg *words,
                          const void *buf, uint64_t len)
{
    struct rs_ipc_extra x = { .send_buf = (uint64_t)buf, .send_len = len };
    struct rs_regs r = { .slot = reply_slot, .info = status | (buf ? RS_MSG_BUFFER : 0),
                         .extra = &x };
    for (int i = 0; words && i < RS_MSG_WORDS; i++)
        r.w[i] = words->w[i];
    uint64_t e = rs_syscall(RS_SYS_SEND, &r);
    rs_cap_delete(reply_slot);
    rs_slot_free(reply_slot);
    return e;
}

/* Replies (unless deferred) and receives the next request into r. */
static uint64_t answer_and_receive(const struct rs_server *s, struct rs_request *r,
                                   uint32_t status, struct rs_ipc_extra *x)
{
    int deferred = status == RS_SERVER_DEFERRED;
    struct rs_regs regs = { .slot = s->endpoint, .timeout = receive_timeout(), .extra = x };
    if (!deferred) {
        regs.info = status | (r->reply_buf ? RS_MSG_BUFFER : 0) | (r->reply_cap ? RS_MSG_CAP : 0);
        for (int i = 0; i < RS_MSG_WORDS; i++)
            regs.w[i] = r->reply.w[i];
        x->send_buf = (uint64_t)r->reply_buf;
        x->send_len = r->reply_len;
        x->send_cap = (uint32_t)r->reply_cap;
    }
    uint64_t e = rs_syscall(deferred ? RS_SYS_RECV : RS_SYS_REPLY_RECV, &regs);
    if (!deferred && r->reply_cap)
        rs_cap_delete(r->reply_cap);    /* what was sent is a child of it: it stays */
    r->badge = regs.slot;
    r->req.info = regs.info;
    for (int i = 0; i < RS_MSG_WORDS; i++)
        r->req.w[i] = regs.w[i];
    return e;
}

/* The reply or the receive failed (a reply the kernel refused, or a request left
 * unanswered): answer any pending caller with a bare RS_E_INVAL, then receive. */
static uint64_t recover_receive(const struct rs_server *s, struct rs_request *r,
                                struct rs_ipc_extra *x, uint64_t e)
{
    rs_warn("reply or receive failed (error %lu); answering the caller with an error", e);
    struct rs_msg bare = { .info = RS_E_INVAL };
    rs_reply(&bare);
    return answer_and_receive(s, r, RS_SERVER_DEFERRED, x);
}

int rs_server_run(const struct rs_server *s)
{
    rs_log_name(s->name);
    serving = s;
    if (s->session_state && rs_session_window()) {
        rs_error("cannot make the session window");
        return 1;
    }
    beat_period_ms = rs_heartbeat_ms();
    next_beat_ms = rs_time_ms() + beat_period_ms;
    int err = run_init(s);
    if (err) {
        rs_error("initialisation failed (%d)", err);
        return err;
    }
    uint64_t cap_slot = rs_slot_alloc();
    struct rs_ipc_extra x = { .recv_buf = (uint64_t)request_buf, .recv_max = sizeof request_buf,
                              .recv_cap = (uint32_t)cap_slot };
    struct rs_request r = { 0 };
    uint64_t e = answer_and_receive(s, &r, RS_SERVER_DEFERRED, &x);
    for (;;) {
        while (e == RS_E_TIMEOUT) {         /* a heartbeat fell due while idle */
            beat_if_due();
            e = answer_and_receive(s, &r, RS_SERVER_DEFERRED, &x);
        }
        if (e)
            e = recover_receive(s, &r, &x, e);
        if (e) {
            rs_error("receive failed (error %lu)", e);
            return (int)e;
        }
        r.buf = request_buf;
        r.len = (r.req.info & RS_MSG_BUFFER) ? x.recv_len : 0;
        r.cap = (r.req.info & RS_MSG_CAP) && x.recv_cap_received ? cap_slot : 0;
        r.reply = (struct rs_msg){ 0 };
        r.reply_buf = 0;
        r.reply_len = 0;
        r.reply_cap = 0;
        r.session = 0;
        r.progress = 0;
        uint32_t status;
        if (RS_MSG_LABEL(r.req.info) == RS_LABEL_NOTIFY) {
            if (s->notified)
                s->notified(r.req.w[0], s->state);
            status = RS_SERVER_DEFERRED;        /* nobody to answer */
        } else {
            status = dispatch(s, &r);
        }
        if (s->commit)
            s->commit(s->state);            /* durable before anyone is answered */
        if (r.cap)
            rs_cap_delete(cap_slot);        /* the handler did not keep it */
        else if (x.recv_cap_received)
            x.recv_cap = (uint32_t)(cap_slot = rs_slot_alloc());
        x.recv_len = 0;
        x.recv_cap_received = 0;
        beat_if_due();                      /* between requests, never inside one */
        e = answer_and_receive(s, &r, status, &x);
    }
}
