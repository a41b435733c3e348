/* Capability-fault handler registry and the retrying call (see rs_capfault.h). */
#include <rs_capfault.h>

#define MAX_HANDLERS 32

static struct {
    uint64_t slot;
    rs_capfault_fn fn;
    void *ctx;
} handlers[MAX_HANDLERS];
static uint64_t recoveries;

int rs_capfault_register(uint64_t slot, rs_capfault_fn fn, void *ctx)
{
    int free_entry = -1;
    for (int i = 0; i < MAX_HANDLERS; i++) {
        if (handlers[i].fn && handlers[i].slot == slot) {
            handlers[i].fn = fn;
            handlers[i].ctx = ctx;
            return 0;
        }
        if (!handlers[i].fn && free_entry < 0)
            free_entry = i;
    }
    if (!fn)
        return 0;
    if (free_entry < 0)
        return -1;
    handlers[free_entry].slot = slot;
    handlers[free_entry].fn = fn;
    handlers[free_entry].ctx = ctx;
    return 0;
}

static int recover(uint64_t slot)
{
    for (int i = 0; i < MAX_HANDLERS; i++) {
        if (handlers[i].fn && handlers[i].slot == slot) {
            if (handlers[i].fn(slot, handlers[i].ctx))
                return -1;
            recoveries++;
            return 0;
        }
    }
    return -1;
}

uint64_t rs_call_with_recovery(rs_raw_call_fn raw, uint64_t slot, struct rs_msg *m,
                               struct rs_ipc_extra *x)
{
    struct rs_msg request = *m;
    struct rs_ipc_extra extra = x ? *x : (struct rs_ipc_extra){ 0 };
    for (int attempt = 0;; attempt++) {
        uint64_t e = raw(slot, m, x);
        if (e != RS_E_CAPFAULT)
            return e ? e : RS_MSG_LABEL(m->info);
        if (attempt == RS_CAPFAULT_RETRIES || recover(slot))
            return RS_E_CAPFAULT;
        *m = request;
        if (x)
            *x = extra;
    }
}

static uint64_t raw_call(uint64_t slot, struct rs_msg *m, struct rs_ipc_extra *x)
{
    return rs_call_x(slot, m, RS_TIMEOUT_FOREVER, x);
}

uint64_t rs_client_call(uint64_t slot, struct rs_msg *m, struct rs_ipc_extra *x)
{
    return rs_call_with_recovery(raw_call, slot, m, x);
}

uint64_t rs_capfault_recoveries(void)
{
    return recoveries;
}
