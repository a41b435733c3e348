/* What store.c and subs.c share inside the store: the call being answered (for
 * refusal lines), who may read what, and change notices. Not for handlers. */
#pragma once
#include "names.h"
#include "store.h"

/* One call being answered: who made it, which call, on what name. */
struct ds_call {
    struct ds_store *s;
    uint64_t badge;
    int ci;                             /* the caller's client index; -1: undeclared */
    const char *op;
    char shown[DS_SHOWN_SIZE];          /* the name as the log shows it */
};

/* Starts a call: finds the caller, keeps a printable copy of buf's name. */
struct ds_call ds_call_begin(struct ds_store *s, uint64_t badge, const char *op,
                             const void *buf, size_t len);

/* Logs one refusal line (rate limited) and returns status. */
uint32_t ds_refuse(const struct ds_call *c, uint32_t status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Refuses an undeclared caller (RS_E_RIGHTS). */
uint32_t ds_refuse_undeclared(const struct ds_call *c);

/* The client index of a (checked) name's owner: the service it is private to or
 * the one that declared it owned; -1 when nobody (RS alone may write it). */
int ds_name_owner(const struct ds_store *s, const char *name);

/* Whether client ci may publish or delete, or read, the (checked) name; when not,
 * why says why (for the log). */
int ds_may_write(const struct ds_store *s, int ci, const char *name, char *why, size_t size);
int ds_may_read(const struct ds_store *s, int ci, const char *name, char *why, size_t size);

/* A name was published or removed: queues it for every subscriber that may read
 * it and signals them; subscriptions whose notification died are dropped. */
void ds_notify(struct ds_store *s, const char *name);
