/* The data store's value types and limits (the protocol is generated:
 * <proto/datastore.h>; the rules are in datastore/store.h). */
#pragma once

enum ds_type {
    DS_INT = 1,         /* a 64-bit integer, in a message word */
    DS_STRING = 2,      /* bytes, no NUL inside */
    DS_BLOB = 3,        /* any bytes */
    DS_CAP = 4,         /* a capability (publish_cap / retrieve_cap) */
};

/* Names and values. A name is 1..DS_NAME_MAX bytes of [A-Za-z0-9._/-]; a service
 * name (line 1 of a declaration, the part of a private name before its first dot)
 * is 1..DS_SERVICE_NAME_MAX bytes of [A-Za-z0-9_-]. */
#define DS_NAME_MAX          47
#define DS_SERVICE_NAME_MAX  15
#define DS_VALUE_MAX         512    /* bytes of a DS_STRING or DS_BLOB */

/* Declarations (RS's `declare`). */
#define DS_SERVICES_MAX      32     /* badges RS can declare */
#define DS_OWNED_MAX         8      /* public names one service owns */
#define DS_READS_MAX         8      /* read patterns of one service */

/* Capacity: entries in all, and the share of one owner (RS has none: only the
 * total bounds it). */
#define DS_ENTRIES_MAX       128
#define DS_OWNER_SHARE       32

/* Subscriptions: in all, per badge, and changed names queued per badge (beyond
 * that `changed` answers "*": rescan). */
#define DS_SUBS_MAX          32
#define DS_CLIENT_SUBS_MAX   4
#define DS_QUEUE_MAX         16

/* Pages of the frame the data store keeps itself in (datastore/keep.c): two
 * sealed copies of the store and what its capabilities were. */
#define DS_KEEP_PAGES        72

/* Refusals logged per second; the rest are counted and the count logged. */
#define DS_LOG_PER_SEC       8
