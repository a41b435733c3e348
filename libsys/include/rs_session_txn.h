/* Session transactions (see rs_session.h): what rs_server uses to answer calls
 * exactly once from a session region. Pure: host-tested. */
#pragma once
#include <stddef.h>
#include <stdint.h>
#include <rsys.h>

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
    uint8_t *region;                /* the first half; the second follows it */
    uint8_t *committed, *work;      /* the halves; committed NULL: a fresh session */
    size_t half;                    /* bytes in each half */
    uint16_t version;
    uint32_t state_size;
    void *state;                    /* the working copy the handler changes */
};

/* Starts a call on region (bytes long): 0 with t->state the working state (zeros
 * for a fresh session), -1 when neither half is valid and the region is not
 * fresh, or state_size does not fit in a half (the session is corrupt: the call
 * must not run), -2 when the working copy did not come out as the committed
 * state (checked: a fault in the server, which must not run the call from it). */
int rs_session_txn_begin(struct rs_session_txn *t, void *region, size_t bytes, uint16_t version,
                         uint32_t state_size);
/* The committed record (NULL for a fresh session). */
const struct rs_session_record *rs_session_txn_record(const struct rs_session_txn *t);
/* Commits the working state with the answer to request id: 0; -1 if the reply
 * is too long to record, -2 if the sealed half does not check or the working
 * copy is not the region's other half (a fault in the server). Nothing is
 * committed on an error: the last committed half stands, so the call retried
 * runs again from it. */
int rs_session_txn_commit(struct rs_session_txn *t, uint16_t id, uint32_t status,
                          const struct rs_msg *words, const void *reply, size_t reply_len);
