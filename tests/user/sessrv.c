/* A server with session regions, raw IPC, for t_session: it makes its session
 * window, hands its endpoint to the bootstrap endpoint in slot 8, and serves:
 *   1 OPEN  w0 pages      a region for this client (w0 out: its address, w1 0,
 *                         or w1 = the error)
 *   2 ADD   w0 n          region counter += n (w0 out: the counter; w1: 1 if the
 *                         call carried a region)
 *   3 GET                 w0 out: the counter, w1 as ADD
 *   4 LATE                replies, then reads the window: nothing is mapped
 *                         there after the reply, so it faults
 *   5 WILD  w0 offset     writes at window + offset while serving this call (past
 *                         this client's region: faults, another's is not there)
 *   6 DIE   w0 n          adds n, then crashes before replying
 *   7 SAVE                saves the reply, then reads the window: the mapping
 *                         went with the reply it saved, so it faults */
#include <rs_invoke.h>
#include <rs_session.h>
#include <rsys.h>

enum { BOOT = 8, EP = 9, SAVED = 20 };

struct counter {
    uint64_t magic, value;
};

#define COUNTER_MAGIC 0x636f756e74657231ull

static volatile struct counter *region(const struct rs_msg *m)
{
    return (m->info & RS_MSG_SESSION) ? (volatile struct counter *)RS_SESSION_WINDOW : 0;
}

static void handle(struct rs_msg *m)
{
    volatile struct counter *c = region(m);
    uint64_t e;
    switch (RS_MSG_LABEL(m->info)) {
    case 1:
        c = rs_session_open(m->w[0], &e);
        m->w[0] = (uint64_t)c;
        m->w[1] = e;
        if (c)
            c->magic = COUNTER_MAGIC;
        break;
    case 6:
        if (c)
            c->value += m->w[0];
        __builtin_trap();
    case 2:
        if (c)
            c->value += m->w[0];
        /* fall through */
    case 3:
        m->w[0] = c && c->magic == COUNTER_MAGIC ? c->value : ~0ull;
        m->w[1] = c != 0;
        break;
    case 5:
        *(volatile uint64_t *)(RS_SESSION_WINDOW + m->w[0]) = 0xBAD;
        break;
    }
    m->info = 0;
}

int main(void)
{
    struct rs_msg m = { .info = 1 | RS_MSG_CAP };
    struct rs_ipc_extra x = { .send_cap = EP };
    if (rs_session_window() || rs_create(RS_SLOT_QUOTA, RS_OBJ_ENDPOINT, EP, 0)
        || rs_call_x(BOOT, &m, RS_TIMEOUT_FOREVER, &x))
        return 1;
    uint64_t e = rs_recv(EP, &m, 0, RS_TIMEOUT_FOREVER);
    for (; !e; e = rs_reply_recv(EP, &m, 0, RS_TIMEOUT_FOREVER)) {
        uint32_t label = RS_MSG_LABEL(m.info);
        if (label == 4 || label == 7) {
            if (label == 4)
                rs_reply(&(struct rs_msg){ .info = 0 });
            else
                rs_reply_save(SAVED);
            return (int)*(volatile uint64_t *)RS_SESSION_WINDOW;   /* faults */
        }
        handle(&m);
    }
    return 2;
}
