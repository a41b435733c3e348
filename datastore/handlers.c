/* The data store's request handlers (see handlers.h). The store checks every
 * byte, word and capability; these only move them between the request and it. */
#include <rsys.h>
#include <rs_libc.h>
#include <rs_log.h>
#include "handlers.h"
#include "keep.h"

static uint64_t scratch;                /* retrieve_cap's copy; the framework deletes
                                           it after replying */
static char changed_name[DS_NAME_MAX];  /* changed's reply, sent after the handler */

static uint32_t publish_handler(struct rs_request *r, void *state)
{
    return ds_publish(state, r->badge, r->req.w[0], r->req.w[1], r->buf, r->len);
}

static uint32_t publish_cap_handler(struct rs_request *r, void *state)
{
    uint32_t e = ds_publish_cap(state, r->badge, r->buf, r->len, r->cap);
    if (!e)
        r->cap = 0;                     /* the store keeps the slot */
    return e;
}

/* Words: type and ival (for bytes, their whole length: a caller whose buffer was
 * smaller sees its copy cut short). The value is at most DS_VALUE_MAX bytes,
 * well under RS_BUFFER_MAX; the kernel clips it to the caller's buffer. */
static uint32_t retrieve_handler(struct rs_request *r, void *state)
{
    struct ds_value v;
    uint32_t e = ds_retrieve(state, r->badge, r->buf, r->len, &v);
    if (e)
        return e;
    r->reply.w[0] = v.type;
    r->reply.w[1] = v.ival;
    r->reply_buf = v.bytes;
    r->reply_len = v.len;
    return 0;
}

static uint32_t retrieve_cap_handler(struct rs_request *r, void *state)
{
    uint64_t slot;
    uint32_t e = ds_retrieve_cap(state, r->badge, r->buf, r->len, &slot);
    if (e)
        return e;
    rs_cap_delete(scratch);
    if (rs_cap_copy(slot, scratch))
        return RS_E_NOENT;              /* it died since the store looked */
    r->reply_cap = scratch;
    return 0;
}

static uint32_t delete_handler(struct rs_request *r, void *state)
{
    return ds_delete(state, r->badge, r->buf, r->len);
}

static uint32_t subscribe_handler(struct rs_request *r, void *state)
{
    uint32_t e = ds_subscribe(state, r->badge, r->req.w[0], r->buf, r->len, r->cap);
    if (!e)
        r->cap = 0;                     /* the store keeps the slot */
    return e;
}

static uint32_t changed_handler(struct rs_request *r, void *state)
{
    size_t n;
    uint32_t e = ds_changed(state, r->badge, r->req.w[0], changed_name, &n, &r->reply.w[0]);
    if (e)
        return e;
    r->reply_buf = changed_name;
    r->reply_len = n;
    return 0;
}

static uint32_t declare_handler(struct rs_request *r, void *state)
{
    return ds_declare(state, r->badge, r->req.w[0], r->buf, r->len);
}

const rs_handler_fn ds_handlers[DATASTORE_LABELS] = {
    [DATASTORE_PUBLISH] = publish_handler,
    [DATASTORE_PUBLISH_CAP] = publish_cap_handler,
    [DATASTORE_RETRIEVE] = retrieve_handler,
    [DATASTORE_RETRIEVE_CAP] = retrieve_cap_handler,
    [DATASTORE_DELETE] = delete_handler,
    [DATASTORE_SUBSCRIBE] = subscribe_handler,
    [DATASTORE_CHANGED] = changed_handler,
    [DATASTORE_DECLARE] = declare_handler,
};

static int cap_info(void *ctx, uint64_t slot, struct ds_capinfo *out)
{
    (void)ctx;
    return rs_cap_info(slot, &out->kind, &out->rights, &out->badge, &out->dead) ? -1 : 0;
}

static void cap_drop(void *ctx, uint64_t slot)
{
    (void)ctx;
    keep_forget(slot);
    rs_cap_delete(slot);
    rs_slot_free(slot);
}

static int signal_ntfn(void *ctx, uint64_t slot, uint64_t bits)
{
    (void)ctx;
    return rs_signal(slot, bits) ? -1 : 0;
}

static void log_line(void *ctx, const char *line)
{
    (void)ctx;
    rs_warn("%s", line);
}

static uint64_t now_ms(void *ctx)
{
    (void)ctx;
    return rs_time_ms();
}

struct ds_env ds_kernel_env(uint64_t scratch_slot)
{
    scratch = scratch_slot;
    return (struct ds_env){ .cap_info = cap_info, .cap_drop = cap_drop, .signal = signal_ntfn,
                            .log = log_line, .now_ms = now_ms };
}
