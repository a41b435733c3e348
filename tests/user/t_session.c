/* Root test: session state regions (kernel/session.h). A server (sessrv) keeps a
 * counter per client in its session region; two capabilities to it stand for
 * clients A and B. Checked: a region is made only inside a call, bound to the
 * capability called through (a copy has none), charged to the client; each call
 * sees its own client's region and no other; nothing is mapped there after the
 * reply or once the reply is saved, and a write past the region while serving A
 * faults instead of reaching B's; the region keeps what a server wrote before it
 * died, and moves to the capability for the next incarnation; deleting the
 * capability gives the memory back. */
#include <rs_invoke.h>
#include <rs_libc.h>
#include <rs_session.h>
#include "check.h"

enum { BOOT = 10, SERVER = 11, SUP = 12, A = 13, B = 14, NEW_A = 15, NEW_B = 16,
       FRAME = 17 };
enum { OPEN = 1, ADD = 2, GET = 3, LATE = 4, WILD = 5, DIE = 6, SAVE = 7 };

struct answer {
    uint64_t err, w0, w1;
};

static struct answer call(uint64_t slot, uint32_t label, uint64_t w0, uint64_t timeout)
{
    struct rs_msg m = { .info = label, .w = { w0 } };
    struct answer a = { .err = rs_call(slot, &m, timeout) };
    a.w0 = m.w[0], a.w1 = m.w[1];
    return a;
}

static uint64_t used(void)
{
    uint64_t limit = 0, u = 0;
    rs_quota_info(RS_SLOT_QUOTA, &limit, &u);
    return u;
}

/* A new sessrv, supervised by us, its endpoint in slot ep. */
static void start_server(uint64_t ep)
{
    rs_cap_delete(SERVER);
    CHECK(spawn("sessrv.elf", SERVER, 512 * 1024, 10) != 0);
    CHECK_OK(rs_task_give_cap(SERVER, BOOT, 8, RS_RIGHT_WRITE | RS_RIGHT_GRANT, 0));
    CHECK_OK(set_supervisor(SERVER, SUP, 0));
    CHECK_OK(rs_task_start(SERVER));
    struct rs_ipc_extra x = { .recv_cap = (uint32_t)ep };
    struct rs_msg m;
    CHECK_OK(rs_recv_x(BOOT, &m, 0, 5000, &x));
    CHECK(x.recv_cap_received);
    m.info = 0;
    CHECK_OK(rs_reply(&m));
}

/* The server's fault notice: a page fault at addr. The server is destroyed. */
static void expect_page_fault(uint64_t addr)
{
    struct rs_msg m;
    CHECK_OK(rs_recv(SUP, &m, 0, 2000));
    CHECK(RS_MSG_LABEL(m.info) == RS_LABEL_FAULT && m.w[1] == RS_FAULT_PAGE && m.w[3] == addr);
    CHECK_OK(rs_task_destroy(SERVER));
}

/* After a server death: a new one, and each client's region moved to its new
 * capability (a and b are tombstones now). */
static void restart(uint64_t *a, uint64_t *b)
{
    uint64_t na = *a == A ? NEW_A : A, nb = *b == B ? NEW_B : B;
    rs_cap_delete(na);
    rs_cap_delete(nb);
    start_server(na);
    CHECK_OK(rs_cap_copy(na, nb));
    CHECK_OK(rs_session_move(na, *a));
    CHECK_OK(rs_session_move(nb, *b));
    CHECK_ERR(rs_session_move(nb, *b), RS_E_NOENT);      /* moved once, not copied */
    *a = na, *b = nb;
}

static void open_and_separate(void)
{
    uint64_t pages = 9, before = used();
    struct answer r = call(A, GET, 0, 1000);
    CHECK(r.err == 0 && r.w1 == 0);                      /* no region yet */
    CHECK_OK(rs_endpoint_session_info(A, &pages));
    CHECK(pages == 0);
    CHECK(call(A, OPEN, 0, 1000).w1 == RS_E_RANGE);
    CHECK(call(A, OPEN, RS_SESSION_MAX_PAGES + 1, 1000).w1 == RS_E_RANGE);
    r = call(A, OPEN, 2, 1000);
    CHECK(r.err == 0 && r.w0 == RS_SESSION_WINDOW && r.w1 == 0);
    CHECK(used() >= before + 2 * 4096);                  /* charged to the client */
    CHECK_OK(rs_endpoint_session_info(A, &pages));
    CHECK(pages == 2);
    CHECK_OK(rs_endpoint_session_info(B, &pages));
    CHECK(pages == 0);                                   /* a copy has none */
    CHECK(call(B, OPEN, 1, 1000).w1 == 0);
    CHECK(call(A, OPEN, 1, 1000).w1 == RS_E_EXISTS);
    call(A, ADD, 5, 1000);
    call(B, ADD, 7, 1000);
    r = call(A, ADD, 1, 1000);
    CHECK(r.w0 == 6 && r.w1 == 1);
    r = call(B, GET, 0, 1000);
    CHECK(r.w0 == 7 && r.w1 == 1);
    rs_printf("session: regions made in calls, bound to the capability (a copy has none), "
              "charged to the client; A counts 6, B 7, each call sees its own\n");
}

static void refusals(void)
{
    uint64_t e;
    CHECK(rs_session_open(1, &e) == 0 && e == RS_E_NOENT);       /* no call to serve */
    CHECK_OK(rs_create(RS_SLOT_QUOTA, RS_OBJ_FRAME, FRAME, 1));
    CHECK_ERR(rs_invoke4(FRAME, RS_OP_FRAME_MAP, RS_SESSION_WINDOW, RS_MAP_WRITE, 0, 0),
              RS_E_RANGE);
    CHECK_ERR(rs_invoke4(FRAME, RS_OP_FRAME_MAP, RS_SESSION_WINDOW + RS_SESSION_WINDOW_SPAN
                         - 4096, RS_MAP_WRITE, 0, 0), RS_E_RANGE);
    CHECK_OK(rs_cap_delete(FRAME));
    CHECK_ERR(rs_session_move(A, A), RS_E_NOCAP);
    CHECK_ERR(rs_session_move(A, B), RS_E_EXISTS);
    rs_printf("session: no region outside a call, the window cannot be mapped otherwise, "
              "a capability holds one region\n");
}

static void unmapped_after_the_call(uint64_t *a, uint64_t *b)
{
    CHECK(call(*a, LATE, 0, 1000).err == 0);
    expect_page_fault(RS_SESSION_WINDOW);
    restart(a, b);
    CHECK(call(*a, GET, 0, 1000).w0 == 6);
    CHECK(call(*b, GET, 0, 1000).w0 == 7);
    CHECK(call(*a, SAVE, 0, 300).err == RS_E_TIMEOUT);           /* the reply never comes */
    expect_page_fault(RS_SESSION_WINDOW);
    restart(a, b);
    rs_printf("session: nothing mapped after the reply, nor after the reply is saved; the "
              "regions outlived the server and moved to the new one's capabilities\n");
}

static void a_wild_write_misses_b(uint64_t *a, uint64_t *b)
{
    CHECK(call(*a, WILD, 2 * 4096, 300).err == RS_E_TIMEOUT);     /* past A's two pages */
    expect_page_fault(RS_SESSION_WINDOW + 2 * 4096);
    restart(a, b);
    CHECK(call(*b, GET, 0, 1000).w0 == 7);
    CHECK(call(*a, GET, 0, 1000).w0 == 6);
    CHECK(call(*a, WILD, 8, 1000).err == 0);                      /* inside its own region */
    CHECK(call(*a, GET, 0, 1000).w0 == 0xBAD);
    CHECK(call(*b, GET, 0, 1000).w0 == 7);
    rs_printf("session: a write past A's region while serving A faults; B's counter is "
              "intact (7)\n");
}

static void death_mid_call(uint64_t *a, uint64_t *b)
{
    struct rs_msg m;
    CHECK(call(*a, DIE, 100, 300).err == RS_E_TIMEOUT);
    CHECK_OK(rs_recv(SUP, &m, 0, 2000));
    CHECK(RS_MSG_LABEL(m.info) == RS_LABEL_FAULT && m.w[1] == RS_FAULT_EXCEPTION);
    CHECK_OK(rs_task_destroy(SERVER));
    restart(a, b);
    CHECK(call(*a, GET, 0, 1000).w0 == 0xBAD + 100);
    rs_printf("session: what a server wrote before it died mid-call is in the region for "
              "the next one\n");
}

static void freed_with_the_capability(uint64_t a, uint64_t b)
{
    uint64_t before = used();
    CHECK_OK(rs_cap_delete(a));
    CHECK(used() <= before - 2 * 4096);
    CHECK_OK(rs_cap_delete(b));
    CHECK(used() <= before - 3 * 4096);
    rs_printf("session: deleting the capabilities gave the regions' memory back\n");
}

int main(void)
{
    uint64_t a = A, b = B;
    CHECK_OK(rs_create(RS_SLOT_QUOTA, RS_OBJ_ENDPOINT, BOOT, 0));
    CHECK_OK(rs_create(RS_SLOT_QUOTA, RS_OBJ_ENDPOINT, SUP, 0));
    start_server(A);
    CHECK_OK(rs_cap_copy(A, B));
    open_and_separate();
    refusals();
    unmapped_after_the_call(&a, &b);
    a_wild_write_misses_b(&a, &b);
    death_mid_call(&a, &b);
    freed_with_the_capability(a, b);
    CHECK_OK(rs_task_destroy(SERVER));
    return check_done("session");
}
