/* libsys core: system-call wrappers for Resurgo user programs. Every wrapper
 * returns the kernel's error code (RS_OK = 0); results come back through pointers. */
#pragma once
#include <stddef.h>
#include <stdint.h>
#include <resurgo/resurgo.h>

/* A message: label (with RS_MSG_* flags) and six words. */
struct rs_msg {
    uint64_t info;
    uint64_t w[RS_MSG_WORDS];
};

/* The raw system call: every ABI register in and out (uapi/resurgo/syscall.h). */
struct rs_regs {
    uint64_t slot;          /* RDI: slot in; badge or capfault slot out */
    uint64_t info;          /* RSI: info/op in; info or capfault kind out */
    uint64_t w[RS_MSG_WORDS];
    uint64_t timeout;       /* R14 */
    void *extra;            /* RBX */
};

static inline uint64_t rs_syscall(uint64_t nr, struct rs_regs *r)
{
    register uint64_t rax __asm__("rax") = nr;
    register uint64_t rdi __asm__("rdi") = r->slot;
    register uint64_t rsi __asm__("rsi") = r->info;
    register uint64_t rdx __asm__("rdx") = r->w[0];
    register uint64_t r10 __asm__("r10") = r->w[1];
    register uint64_t r8 __asm__("r8") = r->w[2];
    register uint64_t r9 __asm__("r9") = r->w[3];
    register uint64_t r12 __asm__("r12") = r->w[4];
    register uint64_t r13 __asm__("r13") = r->w[5];
    register uint64_t r14 __asm__("r14") = r->timeout;
    register uint64_t rbx __asm__("rbx") = (uint64_t)r->extra;
    __asm__ volatile("syscall"
                     : "+r"(rax), "+r"(rdi), "+r"(rsi), "+r"(rdx), "+r"(r10), "+r"(r8),
                       "+r"(r9), "+r"(r12), "+r"(r13)
                     : "r"(r14), "r"(rbx)
                     : "rcx", "r11", "memory");
    r->slot = rdi;
    r->info = rsi;
    r->w[0] = rdx, r->w[1] = r10, r->w[2] = r8, r->w[3] = r9, r->w[4] = r12, r->w[5] = r13;
    return rax;
}

/* IPC. On success m holds the received message; *badge (may be NULL) the sender's.
 * A call that fails with RS_E_CAPFAULT, RS_E_TIMEOUT or RS_E_DROPPED leaves what the
 * kernel said in m: info = the kind of what died, w[0] = the phase
 * (RS_CAPFAULT_NOT_DELIVERED or RS_CAPFAULT_DELIVERED), w[1] = the dead object's id. */
uint64_t rs_call(uint64_t ep, struct rs_msg *m, uint64_t timeout);
uint64_t rs_call_x(uint64_t ep, struct rs_msg *m, uint64_t timeout, struct rs_ipc_extra *x);
uint64_t rs_send(uint64_t ep, const struct rs_msg *m, uint64_t timeout);
uint64_t rs_recv(uint64_t ep, struct rs_msg *m, uint64_t *badge, uint64_t timeout);
uint64_t rs_recv_x(uint64_t ep, struct rs_msg *m, uint64_t *badge, uint64_t timeout,
                   struct rs_ipc_extra *x);
uint64_t rs_reply(const struct rs_msg *m);
uint64_t rs_reply_recv(uint64_t ep, struct rs_msg *m, uint64_t *badge, uint64_t timeout);
uint64_t rs_signal(uint64_t ntfn, uint64_t bits);
uint64_t rs_wait(uint64_t ntfn, uint64_t *bits, uint64_t timeout);

/* Object invocation: op on the object in slot; a[0..5] in, results out. */
uint64_t rs_invoke(uint64_t slot, uint64_t op, uint64_t a[6]);
uint64_t rs_invoke4(uint64_t slot, uint64_t op, uint64_t a0, uint64_t a1, uint64_t a2,
                    uint64_t a3);

/* Capabilities. */
uint64_t rs_cap_copy(uint64_t src, uint64_t dst);
uint64_t rs_cap_mint(uint64_t src, uint64_t dst, uint64_t rights, uint64_t badge);
uint64_t rs_cap_move(uint64_t src, uint64_t dst);
uint64_t rs_cap_delete(uint64_t slot);
uint64_t rs_cap_revoke(uint64_t slot);
/* -> kind, rights, badge, dead (any may be NULL). */
uint64_t rs_cap_info(uint64_t slot, uint64_t *kind, uint64_t *rights, uint64_t *badge,
                     uint64_t *dead);
/* The id of the object the capability in slot names (kept in a tombstone), so a
 * re-obtained capability can be told from the old one. */
uint64_t rs_cap_id(uint64_t slot, uint64_t *id);
uint64_t rs_reply_save(uint64_t slot);

/* Miscellaneous. */
uint64_t rs_nop(void);
uint64_t rs_debug_write(const char *s, size_t n);
uint64_t rs_yield(void);
__attribute__((noreturn)) void rs_exit(int64_t status);
uint64_t rs_set_fsbase(uint64_t base);
uint64_t rs_sleep(uint64_t ms);
uint64_t rs_time_ms(void);
uint64_t rs_tsc(void);
/* Wall-clock Unix seconds at rs_time_ms() == 0 (the RTC at boot); 0: unknown. */
uint64_t rs_boot_unix(void);
/* TSC ticks per second, as the kernel measured them at boot. */
uint64_t rs_tsc_hz(void);

/* Formatted output to the kernel log (until a console server exists). */
int rs_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Creates an object from the quota in quota_slot into dst (size: pages or bytes). */
uint64_t rs_create(uint64_t quota_slot, unsigned kind, uint64_t dst, uint64_t size);
