/* Synchronous IPC through endpoints, replies, and asynchronous notifications. */
#pragma once
#include <stdint.h>
#include "object.h"
#include "thread.h"

/* An endpoint holds either waiting senders or waiting receivers, never both. */
struct endpoint {
    struct kobj obj;
    struct thread_queue q;          /* waiting threads */
    uint8_t receivers;              /* 1: the queue holds receivers */
};

/* The right to answer one call, saved with RS_SYS_REPLY_SAVE. While a server
 * thread handles a call, the caller hangs off thread->caller instead. A caller
 * blocked for its reply has blocked_on = the server thread or this object. */
struct reply {
    struct kobj obj;
    struct thread *caller;          /* TH_BLOCKED_REPLY, or NULL when answered */
};

struct notification {
    struct kobj obj;
    uint64_t word;                  /* pending bits */
    struct thread_queue q;          /* waiting threads */
    struct thread *bound_thread;    /* receives on endpoints also take our bits */
};

/* System calls. Each takes the current thread `th`, reads its arguments from
 * th->ctx and leaves results there; a call that blocks returns with th off the
 * run queue. They return nothing: errors land in th's RAX. */
void ipc_call(struct thread *th);
/* The fast path of call and reply-receive (ipc_fast.c); fall back to the above. */
void ipc_fast_call(struct thread *th);
void ipc_fast_reply_recv(struct thread *th);
void ipc_send(struct thread *th);
void ipc_recv(struct thread *th);
void ipc_reply(struct thread *th);
void ipc_reply_recv(struct thread *th);
void ipc_reply_save(struct thread *th);
void notify_signal(struct thread *th);
void notify_wait(struct thread *th);

/* Binds notification n to thread th (RS_OP_THREAD_BIND_NOTIFICATION): E_BUSY if
 * either is bound already. thread_kill undoes it. */
err_t notify_bind(struct notification *n, struct thread *th);
void notify_unbind(struct thread *th);

/* If th's bound notification has bits, takes them as th's received message
 * (label RS_LABEL_NOTIFY) and returns 1. */
int notify_take_bound(struct thread *th);

/* Signals notification n with bits from the kernel (IRQs). */
void notify_bits(struct notification *n, uint64_t bits);

/* Delivers a kernel-made message (fault or exit notice) from th to endpoint ep as
 * a call: th blocks until the supervisor replies or destroys th's task. */
void ipc_kernel_call(struct thread *th, struct endpoint *ep, uint64_t badge,
                     uint32_t label, const uint64_t words[6]);

/* Death actions. */
void endpoint_kill(struct endpoint *ep);
void reply_kill(struct reply *r);
void notification_kill(struct notification *n);
