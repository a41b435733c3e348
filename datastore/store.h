/* The data store's rules, as pure logic: typed values under names that have
 * owners. No system calls here (capabilities are opaque slot numbers, and what the
 * kernel says about them comes through struct ds_env), so the host unit tests link
 * this file; datastore/handlers.c turns requests into these calls.
 *
 * Identity. A caller is its badge, minted by RS and unforgeable. Badge 0 is RS
 * (it holds the unbadged endpoint) and may do everything. Any other badge may do
 * only what RS declared for it (`declare`); an undeclared badge may do nothing
 * (RS_E_RIGHTS).
 *
 * Names. 1..DS_NAME_MAX bytes of [A-Za-z0-9._/-] (empty or another byte:
 * RS_E_INVAL, longer: RS_E_RANGE). A name whose text before its first dot is a
 * service name ("uart.baud") is private to that service: only its badge (the same
 * in every incarnation) and RS may publish, read or delete it. Any other name is
 * public: published, overwritten and deleted only by the service that declared it
 * as owned (or RS; a name nobody owns only by RS); read by its owner, by a service
 * with a matching read pattern, and by RS. Patterns: an exact name, "prefix*" (a
 * trailing star only) or "*"; read patterns never grant private names. Name-only
 * buffers may end with one NUL.
 *
 * Values. DS_INT (a word), DS_STRING (no NUL inside, at most DS_VALUE_MAX bytes),
 * DS_BLOB (at most DS_VALUE_MAX bytes), DS_CAP (a capability the store keeps in a
 * slot; an unbadged endpoint is refused, so no client ever gets badge 0's
 * powers). Publishing an existing name overwrites it (the type may change; a
 * replaced capability is dropped). A stored capability whose object has died is
 * absent: a look-up finds RS_E_NOENT and removes the entry.
 *
 * Limits (rs_ds.h): DS_ENTRIES_MAX entries in all, DS_OWNER_SHARE per owner of
 * the names (RS exempt), DS_SUBS_MAX subscriptions, DS_CLIENT_SUBS_MAX per badge:
 * RS_E_QUOTA beyond them. Entries holding dead capabilities and subscriptions
 * whose notification died are swept before a limit refuses.
 *
 * Refusals (every status but 0 and RS_E_NOENT) are logged, one line each, naming
 * the caller's service, the call and the name, at most DS_LOG_PER_SEC lines a
 * second; the rest are counted and the count logged with the next line.
 *
 * Restart. The store outlives DS: after every call, before its answer, DS copies
 * it into a frame RS keeps for it and its capabilities into a capability store
 * RS keeps too (keep.c); a new incarnation starts from the newest sealed copy,
 * checked (keep_store_valid), with every entry, capability, subscription and
 * queued name. Only a copy found corrupt makes it start empty (as before: RS
 * declares every service again, and services publish again). */
#pragma once
#include <stddef.h>
#include <stdint.h>
#include <rs_ds.h>

/* What the kernel says about a capability. */
struct ds_capinfo {
    uint64_t kind;              /* RS_OBJ_* */
    uint64_t rights;            /* RS_RIGHT_* */
    uint64_t badge;
    uint64_t dead;              /* nonzero: a tombstone */
};

/* The store's window on the system; every function must be set. */
struct ds_env {
    void *ctx;
    /* Describes the capability in slot; nonzero when the slot holds none. */
    int (*cap_info)(void *ctx, uint64_t slot, struct ds_capinfo *out);
    /* Deletes the capability in slot and gives the slot back. */
    void (*cap_drop)(void *ctx, uint64_t slot);
    /* Signals the notification in slot with bits; nonzero when that failed (it
     * died): the subscription is then dropped. */
    int (*signal)(void *ctx, uint64_t slot, uint64_t bits);
    /* Writes one log line (no newline at its end). */
    void (*log)(void *ctx, const char *line);
    uint64_t (*now_ms)(void *ctx);
};

/* Changed names queued for one badge; overflow means "rescan". */
struct ds_queue {
    char names[DS_QUEUE_MAX][DS_NAME_MAX + 1];
    unsigned head, count;
    int overflow;
};

/* What RS declared for a badge. */
struct ds_decl {
    char name[DS_SERVICE_NAME_MAX + 1];
    char owned[DS_OWNED_MAX][DS_NAME_MAX + 1];
    char reads[DS_READS_MAX][DS_NAME_MAX + 1];
    unsigned nowned, nreads;
};

/* RS (index 0) or a declared service. */
struct ds_client {
    int used;
    uint64_t badge;
    struct ds_decl decl;
    unsigned entries;           /* entries charged to it */
    unsigned subs;              /* its subscriptions */
    struct ds_queue queue;
};

struct ds_entry {
    int used;
    char name[DS_NAME_MAX + 1];
    uint64_t type;              /* enum ds_type */
    uint64_t ival;              /* DS_INT */
    uint64_t cap;               /* DS_CAP: the slot holding it */
    unsigned charge;            /* index of the client charged for it */
    size_t len;
    uint8_t value[DS_VALUE_MAX];
};

struct ds_sub {
    int used;
    unsigned client;            /* index of the subscriber */
    char pattern[DS_NAME_MAX + 1];
    uint64_t bits;
    uint64_t ntfn;              /* slot of the notification */
};

struct ds_store {
    struct ds_env env;
    struct ds_client clients[1 + DS_SERVICES_MAX];
    struct ds_entry entries[DS_ENTRIES_MAX];
    struct ds_sub subs[DS_SUBS_MAX];
    unsigned nentries, nsubs;
    uint64_t log_window;        /* when the current second of logging began */
    unsigned log_lines, log_dropped;
};

/* What retrieve found: bytes point into the store, valid until the next call. */
struct ds_value {
    uint64_t type;
    uint64_t ival;              /* DS_INT: the value; DS_STRING, DS_BLOB: the length
                                   of the whole value, so a short read is seen */
    const uint8_t *bytes;       /* NULL for DS_INT and DS_CAP */
    size_t len;
};

/* An empty store with only RS declared (as "rs", badge 0). */
void ds_init(struct ds_store *s, const struct ds_env *env);

/* Every call below returns 0 or an RS_E_* status; caller is the request's badge.
 * buf/len is the request buffer exactly as received. */

/* Badge 0 only (else RS_E_RIGHTS): declares badge (not 0: RS_E_INVAL) from the
 * text "name\nowned names\nread patterns" (a final '\n' allowed, lists space
 * separated and possibly empty), replacing an earlier declaration of it. Malformed
 * text or a private owned name: RS_E_INVAL; a name too long or a list longer than
 * DS_OWNED_MAX/DS_READS_MAX: RS_E_RANGE; a service name or owned name another
 * badge declared: RS_E_EXISTS; a new badge beyond DS_SERVICES_MAX: RS_E_QUOTA.
 * Entries and subscriptions stay. */
uint32_t ds_declare(struct ds_store *s, uint64_t caller, uint64_t badge, const void *buf,
                    size_t len);

/* buf: name, NUL, value bytes (none for DS_INT, which carries ival). Missing NUL,
 * bad name, type not DS_INT/DS_STRING/DS_BLOB, bytes after a DS_INT or a NUL in a
 * DS_STRING: RS_E_INVAL; value over DS_VALUE_MAX: RS_E_RANGE; not the caller's to
 * publish: RS_E_RIGHTS; a new entry beyond a limit: RS_E_QUOTA. */
uint32_t ds_publish(struct ds_store *s, uint64_t caller, uint64_t type, uint64_t ival,
                    const void *buf, size_t len);

/* buf: name; slot: the capability (0: none, RS_E_INVAL). An unbadged endpoint or
 * a dead capability: RS_E_INVAL. On success the store owns slot (it drops it when
 * the entry is overwritten or deleted); on failure the caller still does. */
uint32_t ds_publish_cap(struct ds_store *s, uint64_t caller, const void *buf, size_t len,
                        uint64_t slot);

/* buf: name. Not readable: RS_E_RIGHTS; absent (or a dead capability): RS_E_NOENT.
 * A DS_CAP entry answers its type without bytes. */
uint32_t ds_retrieve(struct ds_store *s, uint64_t caller, const void *buf, size_t len,
                     struct ds_value *out);

/* Like ds_retrieve; a name that holds no capability: RS_E_TYPE. *slot: where the
 * store keeps it (the caller sends a copy, the store keeps the slot). */
uint32_t ds_retrieve_cap(struct ds_store *s, uint64_t caller, const void *buf, size_t len,
                         uint64_t *slot);

/* buf: name. Not the caller's to publish: RS_E_RIGHTS; absent: RS_E_NOENT. */
uint32_t ds_delete(struct ds_store *s, uint64_t caller, const void *buf, size_t len);

/* buf: pattern; slot: a live notification DS may signal (none, dead or bits 0:
 * RS_E_INVAL; another kind: RS_E_TYPE; without RS_RIGHT_WRITE: RS_E_RIGHTS). An exact name the caller may not read: RS_E_RIGHTS.
 * The same pattern again replaces the bits and notification. Beyond a limit:
 * RS_E_QUOTA. On success the store owns slot. Afterwards each publish or delete
 * (or removal of a dead capability) of a matching name the subscriber may read
 * queues the name for it and signals the notification with bits. */
uint32_t ds_subscribe(struct ds_store *s, uint64_t caller, uint64_t bits, const void *buf,
                      size_t len, uint64_t slot);

/* Pops the caller's next changed name into name (not NUL-terminated, *len bytes,
 * at most DS_NAME_MAX); "*" after its queue overflowed: rescan everything.
 * *more: how many names remain. Empty queue: RS_E_NOENT; max shorter than the
 * name: RS_E_RANGE (the name stays queued). */
uint32_t ds_changed(struct ds_store *s, uint64_t caller, uint64_t max, char *name,
                    size_t *len, uint64_t *more);
