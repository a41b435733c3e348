/* Session state regions for servers and their clients (kernel/session.h has the
 * mechanism). A server that keeps per-client state outside itself:
 *
 *   at start:        rs_session_window() once (its page tables, from its quota);
 *   "open" handler:  void *s = rs_session_open(pages, &e): a region for this
 *                    client, charged to the client, all zeros, mapped now;
 *   any handler:     void *s = rs_session_region(r): the region of the client
 *                    making this call, or NULL if its capability has none; it is
 *                    unmapped when the call is answered (or its reply saved), so
 *                    keep no pointer into it beyond the handler.
 *
 * The region survives the server: a new incarnation finds it on the client's
 * next call and must check it before trusting it, since the old incarnation may
 * have died while writing it. rs_session_seal() and rs_session_check() do that
 * with a header at the region's start: magic, layout version, size and a
 * checksum over both. A client moves its region to the capability it gets for a
 * new incarnation with rs_session_move() (libsys's capability-fault recovery
 * does it for the slots it recovers). */
#pragma once
#include <stddef.h>
#include <stdint.h>
#include <rs_server.h>

#define RS_SESSION_MAGIC 0x52535331u    /* "RSS1" */

struct rs_session_header {
    uint32_t magic;
    uint16_t version;               /* the server's layout of what follows */
    uint16_t reserved;
    uint32_t size;                  /* bytes of state after the header */
    uint32_t checksum;              /* FNV-1a over the header (this field 0) and state */
    uint64_t seals;                 /* how many times it was sealed */
};

enum rs_session_state {
    RS_SESSION_FRESH,               /* all zeros: never sealed (a new session) */
    RS_SESSION_VALID,               /* sealed, this version, checksum right */
    RS_SESSION_CORRUPT,             /* anything else: never to be used */
};

/* Server side. */
uint64_t rs_session_window(void);
void *rs_session_open(uint64_t pages, uint64_t *err);
void *rs_session_region(const struct rs_request *r);
/* The region's bytes while it is mapped (pages * 4096), from its owner's call. */
size_t rs_session_bytes(const struct rs_request *r);

/* Client side: the region of capability src now belongs to dst. */
uint64_t rs_session_move(uint64_t dst, uint64_t src);

/* Pure (unit-tested): seals the header of a region of `bytes` whose state (after
 * the header) is `size` bytes of layout `version`; checks one. A size that does
 * not fit is refused (-1) rather than sealed. */
int rs_session_seal(void *region, size_t bytes, uint16_t version, uint32_t size);
enum rs_session_state rs_session_check(const void *region, size_t bytes, uint16_t version);
/* The state after the header. */
static inline void *rs_session_state(void *region)
{
    return (struct rs_session_header *)region + 1;
}

/* Exactly-once calls over a session region (what rs_server does for a server
 * that sets .session_version): the region is two halves, each a sealed header,
 * the record of the last request answered (its id and reply) and the server's
 * state. A call works on a copy of the committed state in the other half; its
 * answer commits it (recorded and sealed, so it becomes the committed half), so
 * a server that dies in the middle of a call leaves the last committed state
 * and record, and the call, retried with its request id, runs once. A retried
 * request whose answer was committed is answered from the record instead. */
#define RS_SESSION_REPLY_MAX 256

struct rs_session_record {
    uint16_t id;                    /* the request id it answers (0: none yet) */
    uint16_t reply_len;             /* bytes of reply, at most RS_SESSION_REPLY_MAX */
    uint32_t status;
    uint64_t w[RS_MSG_WORDS];
    uint8_t reply[RS_SESSION_REPLY_MAX];
};

struct rs_session_txn {
    uint8_t *committed, *work;      /* the halves; committed NULL: a fresh session */
    size_t half;                    /* bytes in each half */
    uint16_t version;
    uint32_t state_size;
    void *state;                    /* the working copy the handler changes */
};

/* Starts a call on region (bytes long): 0 with t->state the working state (zeros
 * for a fresh session), -1 when neither half is valid and the region is not
 * fresh, or state_size does not fit in a half (the session is corrupt: the call
 * must not run). */
int rs_session_txn_begin(struct rs_session_txn *t, void *region, size_t bytes, uint16_t version,
                         uint32_t state_size);
/* The committed record (NULL for a fresh session). */
const struct rs_session_record *rs_session_txn_record(const struct rs_session_txn *t);
/* Commits the working state with the answer to request id: 0, or -1 if the reply
 * is too long to record (nothing is committed then). */
int rs_session_txn_commit(struct rs_session_txn *t, uint16_t id, uint32_t status,
                          const struct rs_msg *words, const void *reply, size_t reply_len);
