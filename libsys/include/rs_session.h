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

/* Client side: the region of capability src now belongs to dst; the pages of
 * slot's region (0: none, or not a live endpoint capability). */
uint64_t rs_session_move(uint64_t dst, uint64_t src);
uint64_t rs_session_pages(uint64_t slot);
/* Client side, after RS_E_SESSION: slot gets a new capability from its
 * capability-fault handler (rs_capfault_register) and the old one goes, with its
 * corrupt region; the server opens a new session as on a first call. 0, or
 * RS_E_NOENT (slot has no handler), or RS_E_CAPFAULT (none could be had). */
uint64_t rs_session_reset(uint64_t slot);

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

#include <rs_session_txn.h>
