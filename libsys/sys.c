/* libsys core: the system-call wrappers declared in rsys.h. */
#include <stdarg.h>
#include <stdio.h>
#include "rsys.h"
#include <rs_invoke.h>

static void msg_in(struct rs_regs *r, const struct rs_msg *m)
{
    r->info = m->info;
    for (int i = 0; i < RS_MSG_WORDS; i++)
        r->w[i] = m->w[i];
}

static void msg_out(const struct rs_regs *r, struct rs_msg *m)
{
    m->info = r->info;
    for (int i = 0; i < RS_MSG_WORDS; i++)
        m->w[i] = r->w[i];
}

uint64_t rs_call_x(uint64_t ep, struct rs_msg *m, uint64_t timeout, struct rs_ipc_extra *x)
{
    struct rs_regs r = { .slot = ep, .timeout = timeout, .extra = x };
    msg_in(&r, m);
    uint64_t e = rs_syscall(RS_SYS_CALL, &r);
    if (!e || e == RS_E_CAPFAULT || e == RS_E_TIMEOUT || e == RS_E_DROPPED)
        msg_out(&r, m);             /* on a failure: kind, phase, id (rsys.h) */
    return e;
}

uint64_t rs_call(uint64_t ep, struct rs_msg *m, uint64_t timeout)
{
    return rs_call_x(ep, m, timeout, 0);
}

uint64_t rs_send(uint64_t ep, const struct rs_msg *m, uint64_t timeout)
{
    struct rs_regs r = { .slot = ep, .timeout = timeout };
    msg_in(&r, m);
    return rs_syscall(RS_SYS_SEND, &r);
}

uint64_t rs_recv_x(uint64_t ep, struct rs_msg *m, uint64_t *badge, uint64_t timeout,
                   struct rs_ipc_extra *x)
{
    struct rs_regs r = { .slot = ep, .timeout = timeout, .extra = x };
    uint64_t e = rs_syscall(RS_SYS_RECV, &r);
    if (!e) {
        msg_out(&r, m);
        if (badge)
            *badge = r.slot;
    }
    return e;
}

uint64_t rs_recv(uint64_t ep, struct rs_msg *m, uint64_t *badge, uint64_t timeout)
{
    return rs_recv_x(ep, m, badge, timeout, 0);
}

uint64_t rs_reply(const struct rs_msg *m)
{
    struct rs_regs r = { 0 };
    msg_in(&r, m);
    return rs_syscall(RS_SYS_REPLY, &r);
}

uint64_t rs_reply_recv(uint64_t ep, struct rs_msg *m, uint64_t *badge, uint64_t timeout)
{
    struct rs_regs r = { .slot = ep, .timeout = timeout };
    msg_in(&r, m);
    uint64_t e = rs_syscall(RS_SYS_REPLY_RECV, &r);
    if (!e) {
        msg_out(&r, m);
        if (badge)
            *badge = r.slot;
    }
    return e;
}

uint64_t rs_signal(uint64_t ntfn, uint64_t bits)
{
    struct rs_regs r = { .slot = ntfn, .w = { bits } };
    return rs_syscall(RS_SYS_SIGNAL, &r);
}

uint64_t rs_wait(uint64_t ntfn, uint64_t *bits, uint64_t timeout)
{
    struct rs_regs r = { .slot = ntfn, .timeout = timeout };
    uint64_t e = rs_syscall(RS_SYS_WAIT, &r);
    if (!e && bits)
        *bits = r.w[0];
    return e;
}

uint64_t rs_invoke(uint64_t slot, uint64_t op, uint64_t a[6])
{
    struct rs_regs r = { .slot = slot, .info = op };
    for (int i = 0; i < 6; i++)
        r.w[i] = a[i];
    uint64_t e = rs_syscall(RS_SYS_INVOKE, &r);
    for (int i = 0; i < 6; i++)
        a[i] = r.w[i];
    return e;
}

uint64_t rs_invoke4(uint64_t slot, uint64_t op, uint64_t a0, uint64_t a1, uint64_t a2,
                    uint64_t a3)
{
    uint64_t a[6] = { a0, a1, a2, a3, 0, 0 };
    return rs_invoke(slot, op, a);
}

static uint64_t cap_op(uint64_t nr, uint64_t slot, uint64_t a0, uint64_t a1, uint64_t a2)
{
    struct rs_regs r = { .slot = slot, .w = { a0, a1, a2 } };
    return rs_syscall(nr, &r);
}

uint64_t rs_cap_copy(uint64_t src, uint64_t dst) { return cap_op(RS_SYS_CAP_COPY, src, dst, 0, 0); }
uint64_t rs_cap_move(uint64_t src, uint64_t dst) { return cap_op(RS_SYS_CAP_MOVE, src, dst, 0, 0); }
uint64_t rs_cap_delete(uint64_t slot) { return cap_op(RS_SYS_CAP_DELETE, slot, 0, 0, 0); }
uint64_t rs_cap_revoke(uint64_t slot) { return cap_op(RS_SYS_CAP_REVOKE, slot, 0, 0, 0); }
uint64_t rs_reply_save(uint64_t slot) { return cap_op(RS_SYS_REPLY_SAVE, slot, 0, 0, 0); }

uint64_t rs_cap_mint(uint64_t src, uint64_t dst, uint64_t rights, uint64_t badge)
{
    return cap_op(RS_SYS_CAP_MINT, src, dst, rights, badge);
}

uint64_t rs_cap_info(uint64_t slot, uint64_t *kind, uint64_t *rights, uint64_t *badge,
                     uint64_t *dead)
{
    struct rs_regs r = { .slot = slot };
    uint64_t e = rs_syscall(RS_SYS_CAP_INFO, &r);
    if (kind) *kind = r.w[0];
    if (rights) *rights = r.w[1];
    if (badge) *badge = r.w[2];
    if (dead) *dead = r.w[3];
    return e;
}

uint64_t rs_cap_id(uint64_t slot, uint64_t *id)
{
    struct rs_regs r = { .slot = slot };
    uint64_t e = rs_syscall(RS_SYS_CAP_INFO, &r);
    *id = e ? 0 : r.w[4];
    return e;
}

uint64_t rs_nop(void)
{
    struct rs_regs r = { 0 };
    return rs_syscall(RS_SYS_NOP, &r);
}

uint64_t rs_debug_write(const char *s, size_t n)
{
    struct rs_regs r = { .slot = (uint64_t)s, .info = n };
    return rs_syscall(RS_SYS_DEBUG_WRITE, &r);
}

uint64_t rs_yield(void)
{
    struct rs_regs r = { 0 };
    return rs_syscall(RS_SYS_YIELD, &r);
}

void rs_exit(int64_t status)
{
    struct rs_regs r = { .slot = (uint64_t)status };
    rs_syscall(RS_SYS_EXIT, &r);
    for (;;)
        ;
}

uint64_t rs_set_fsbase(uint64_t base)
{
    struct rs_regs r = { .slot = base };
    return rs_syscall(RS_SYS_SET_FSBASE, &r);
}

uint64_t rs_sleep(uint64_t ms)
{
    struct rs_regs r = { .timeout = ms };
    return rs_syscall(RS_SYS_SLEEP, &r);
}

uint64_t rs_time_ms(void)
{
    struct rs_regs r = { 0 };
    rs_syscall(RS_SYS_TIME, &r);
    return r.w[0];
}

uint64_t rs_boot_unix(void)
{
    struct rs_regs r = { 0 };
    rs_syscall(RS_SYS_TIME, &r);
    return r.w[3];
}

uint64_t rs_tsc_hz(void)
{
    struct rs_regs r = { 0 };
    rs_syscall(RS_SYS_TIME, &r);
    return r.w[2];
}

uint64_t rs_tsc(void)
{
    uint32_t lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return ((uint64_t)hi << 32) | lo;
}

int rs_printf(const char *fmt, ...)
{
    char buf[RS_LOG_WRITE_MAX];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    rs_debug_write(buf, n < (int)sizeof buf ? (size_t)n : sizeof buf - 1);
    return n;
}

uint64_t rs_create(uint64_t quota_slot, unsigned kind, uint64_t dst, uint64_t size)
{
    return rs_quota_create(quota_slot, kind, dst, size);
}
