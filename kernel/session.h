/* Session state regions (after CuriOS): pages bound to one client's capability
 * to a server, charged to the client, that the server sees only while it handles
 * a call made through that capability.
 *
 * A server asks for a region while handling a client's call (session_open); the
 * kernel makes a frame from the caller's quota and binds it to the capability the
 * caller called through (cap->session: kernel state, never the badge). From then
 * on every call through that capability, delivered to the server's first thread,
 * maps the region at RS_SESSION_WINDOW in the server's address space (flag
 * RS_MSG_SESSION in the message it receives), and the end of that call unmaps
 * it, however the call ends:
 *   - the server replies (reply, reply_recv, the fast paths);
 *   - the server saves the reply for later (reply_save): the mapping is dropped
 *     then, so a deferred reply never holds a region (rule: a server reads and
 *     writes the region only in the handler that received the call);
 *   - the caller times out, dies, or is killed while it waits (the wait ends);
 *   - the server thread is killed in the middle of the call.
 * So a server that fails while serving A can have written only into A's region.
 * The window's page tables are made once (task session_window), so mapping on a
 * call writes page-table entries and never allocates or fails for quota.
 *
 * The region outlives the server: when the server dies, the client's capability
 * becomes a tombstone that keeps it, and the client moves it to the capability it
 * gets for the new incarnation (endpoint session_move). It is freed when the
 * capability holding it is deleted (the client's death included). */
#pragma once
#include <stdint.h>
#include "err.h"

struct thread;
struct task;
struct cap;
struct frame;
struct endpoint;

/* The region the call of caller (through its ipc_slot) to ep carries, or NULL. */
struct frame *session_of_call(const struct thread *caller, const struct endpoint *ep);

/* Maps f (may be NULL: nothing) into server's window, for the call it now handles. */
void session_map(struct thread *server, struct frame *f);
/* Unmaps whatever region server has mapped (none: nothing). */
void session_unmap(struct thread *server);

/* The capability holding f is gone: f is unmapped wherever it is and freed
 * (cap_session_dropped, declared in cap.h, is this). */

/* System call and operations (calls.tbl). */
void sys_session_open(struct thread *th);
err_t session_window_create(struct task *t);
void endpoint_invoke(struct thread *th, struct cap *c, uint64_t op);
