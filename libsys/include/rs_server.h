/* The server framework: every Resurgo server has the same skeleton. main() fills a
 * struct rs_server and calls rs_server_run(); the framework runs a separate init
 * callback for a fresh start and for a restart (incarnation > 1), then receives,
 * dispatches through a table indexed by the message label and replies with the
 * handler's status.
 *
 * Under the reincarnation server (RS passes `heartbeat=MS` among the arguments) it
 * also: tells RS when initialisation is done (system ready, handing RS the
 * endpoint unbadged: RS alone keeps badge 0's powers); publishes a badged copy of
 * the endpoint in the data store under .publish; sends RS a heartbeat every MS
 * milliseconds between requests (never inside a handler: a handler that blocks
 * for two periods is taken for a hang, so a handler that must wait defers its
 * reply instead); and honours RS's request to fail (RS_LABEL_CRASH from badge 0,
 * word 0 an SVC_CRASH_* kind, see <rs_service.h>). */
#pragma once
#include <stdint.h>
#include <rsys.h>
#include <rs_session_txn.h>

/* One request being handled. A handler reads req, writes reply words into
 * reply.w (and a buffer through reply_buf/reply_len), and returns a status: 0 or
 * an RS_E_* code. Returning RS_SERVER_DEFERRED means it saved the reply (with
 * rs_server_defer) and will answer later. */
struct rs_request {
    uint64_t badge;                 /* who called (the badge of its capability) */
    struct rs_msg req;
    const uint8_t *buf;             /* bytes that came with the request */
    uint64_t len;
    uint64_t cap;                   /* slot of a capability that came with it, or 0;
                                       a handler keeping it sets this to 0 and then
                                       owns the slot (rs_slot_free it when done);
                                       otherwise it is deleted after the handler */
    struct rs_msg reply;
    const void *reply_buf;          /* bytes to send back, or NULL */
    uint64_t reply_len;
    uint64_t reply_cap;             /* slot of a capability to send back, or 0; the
                                       framework deletes that slot after replying */
    void *session;                  /* servers with sessions: the caller's session
                                       state (a working copy, committed when the call
                                       is answered), or NULL if it has none */
    uint64_t *progress;             /* servers with sessions, in a call with a request
                                       id: how far earlier tries of this same request
                                       got before their server died (0 the first
                                       time); the handler moves it on as its work
                                       reaches the world (bytes sent to a device), and
                                       a retry goes on from there. Not sealed: check it
                                       against the request before trusting it. */
    struct rs_session_txn txn;      /* the framework's */
};

#define RS_SERVER_DEFERRED 0xFFFFFFFFu

typedef uint32_t (*rs_handler_fn)(struct rs_request *r, void *state);

/* Labels the framework answers itself. */
#define RS_LABEL_HEARTBEAT 0xFFFF0010u    /* replied with the heartbeat count */
#define RS_LABEL_CRASH     0xFFFF0011u    /* from badge 0 only: crash on purpose */

struct rs_server {
    const char *name;
    const char *publish;            /* data-store name of the endpoint, or NULL */
    uint64_t endpoint;              /* slot of the endpoint to serve */
    const rs_handler_fn *handlers;  /* indexed by label */
    uint32_t nhandlers;
    void *state;
    int (*init_fresh)(void *state);     /* first incarnation */
    int (*init_restart)(void *state);   /* a later one: recover from saved state */
    /* After each request's handler (and each notification), before the answer:
     * a server that keeps its state outside itself (the data store) makes what
     * the call changed durable here, so nothing it answered is lost with it. */
    void (*commit)(void *state);
    /* Called with the bits when the thread's bound notification fires (IRQs). */
    void (*notified)(uint64_t bits, void *state);
    /* Called for kernel notices (RS_LABEL_FAULT, RS_LABEL_EXIT) on the endpoint;
     * returns a status like a handler: replying resumes the faulted task (or ends
     * the exited one); RS_SERVER_DEFERRED is right only after destroying it. */
    rs_handler_fn notice;
    /* Session regions (rs_session.h), for a server whose clients' state lives
     * there: state bytes per client, layout version, and region pages (0: none).
     * A call carrying a request id is then answered exactly once: from the
     * region's record if its answer was committed, else by the handler, whose
     * changes to r->session are committed with the answer. A call without one
     * (idempotent) sees the state but its changes are dropped. A corrupt region
     * is answered RS_E_SESSION without running the handler. */
    uint32_t session_state;         /* (a region's first RS_SESSION_PROGRESS bytes hold
                                       the progress word; the two halves follow) */
    uint16_t session_version;
    uint16_t session_pages;
};

/* In a handler: a session region for the caller, if it has none yet (then
 * r->session is its fresh state, zeros). 0, or the kernel's error. */
uint64_t rs_server_session_open(struct rs_request *r);
/* In a handler about to change the caller's session state through s: stops the
 * server (rs_panic) unless s is r->session as the request holds it now, read
 * again out of line, and the working copy the commit will seal. A fault that
 * took the pointer from another field would count the caller's work somewhere
 * else, and its next answer would be wrong. */
void rs_server_session_check(const struct rs_request *r, const void *s);

/* Looks up the handler for a label: NULL when the label is out of range or has
 * no handler (pure, unit-tested). */
rs_handler_fn rs_server_handler(const struct rs_server *s, uint64_t label);

/* Runs the init callback for this incarnation, then serves forever. Returns only
 * if init fails or receiving fails (the status to exit with). */
int rs_server_run(const struct rs_server *s);

/* For a handler doing long work that progresses (a driver waiting for its device):
 * sends the heartbeat if it is due, so the server is not taken for hung. A loop
 * that calls it is still a loop: call it only where progress was made. */
void rs_server_alive(void);

/* The heartbeat period RS asked for (`heartbeat=MS`), 0 for none. */
uint64_t rs_heartbeat_ms(void);

/* Whether RS started this component (it passes `heartbeat=`). */
int rs_supervised(void);

/* This component's incarnation: 1 on a fresh start, n on the n-th start, from
 * `incarnation=N` in its arguments. */
unsigned rs_incarnation(void);

/* Keeps the caller of the request being handled waiting: returns the slot of a
 * reply capability to answer it with later (rs_server_answer), or 0. */
uint64_t rs_server_defer(void);
uint64_t rs_server_answer(uint64_t reply_slot, uint32_t status, const struct rs_msg *words,
                          const void *buf, uint64_t len);
