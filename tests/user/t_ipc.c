/* Root test: IPC between two address spaces. Ping-pong calls with badges, a
 * buffer round trip, a capability transferred over IPC, timeouts and errors. */
#include "check.h"

enum { EP = 10, SERVER = 11, BADGED = 12, NTFN = 13, NOSEND = 14 };

static void ping_pong(void)
{
    int ok = 1;
    for (uint64_t i = 0; i < 1000; i++) {
        struct rs_msg m = { .info = 1, .w = { i, 0, 7, 8, 9, 10 } };
        uint64_t e = rs_call(BADGED, &m, RS_TIMEOUT_FOREVER);
        if (e || m.w[0] != i + 1 || m.w[1] != 0x42 || m.w[5] != 10) {
            rs_printf("call %lu: error %lu, w0 %lu, badge %#lx\n", i, e, m.w[0], m.w[1]);
            ok = 0;
            break;
        }
    }
    CHECK(ok);
    rs_printf("ipc: 1000 calls answered with the right badge\n");
}

static void buffer_round_trip(void)
{
    static char out[64] = "resurgo carries on", in[64];
    struct rs_ipc_extra x = { .send_buf = (uint64_t)out, .send_len = 18,
                              .recv_buf = (uint64_t)in, .recv_max = sizeof in };
    struct rs_msg m = { .info = 4 | RS_MSG_BUFFER };
    CHECK_OK(rs_call_x(BADGED, &m, RS_TIMEOUT_FOREVER, &x));
    CHECK(m.info & RS_MSG_BUFFER);
    CHECK(x.recv_len == 18);
    in[18] = 0;
    const char *want = "no seirrac ogruser";
    int same = 1;
    for (int i = 0; i < 18; i++)
        same &= in[i] == want[i];
    CHECK(same);
    rs_printf("ipc: buffer came back reversed: %s\n", in);
}

static void cap_transfer(void)
{
    CHECK_OK(rs_create(RS_SLOT_QUOTA, RS_OBJ_NOTIFICATION, NTFN, 0));
    struct rs_ipc_extra x = { .send_cap = NTFN };
    struct rs_msg m = { .info = 5 | RS_MSG_CAP, .w = { 0x5 } };
    CHECK_OK(rs_call_x(BADGED, &m, RS_TIMEOUT_FOREVER, &x));
    CHECK(m.w[0] == 1);                 /* the server got the capability */
    uint64_t bits = 0;
    CHECK_OK(rs_wait(NTFN, &bits, 1000));
    CHECK(bits == 0x5);                 /* and signalled us through it */
    rs_printf("ipc: notification capability transferred and used (bits %#lx)\n", bits);
}

static void errors(void)
{
    struct rs_msg m = { .info = 1 };
    CHECK_ERR(rs_call(200, &m, RS_TIMEOUT_FOREVER), RS_E_NOCAP);      /* empty slot */
    CHECK_ERR(rs_call(99999, &m, RS_TIMEOUT_FOREVER), RS_E_NOCAP);    /* forged slot */
    CHECK_ERR(rs_call(NTFN, &m, RS_TIMEOUT_FOREVER), RS_E_TYPE);      /* not an endpoint */
    CHECK_OK(rs_cap_mint(EP, NOSEND, RS_RIGHT_READ, 0));
    CHECK_ERR(rs_call(NOSEND, &m, RS_TIMEOUT_FOREVER), RS_E_RIGHTS);  /* no WRITE */
    CHECK_ERR(rs_cap_mint(NOSEND, 15, RS_RIGHT_WRITE, 0), RS_E_RIGHTS); /* no widening */
    CHECK_ERR(rs_cap_mint(BADGED, 15, RS_RIGHT_WRITE, 0x43), RS_E_INVAL); /* rebadge */
    CHECK_ERR(rs_reply(&m), RS_E_NOENT);                              /* nothing to answer */
    struct rs_msg forged = { .info = RS_LABEL_FAULT };
    CHECK_ERR(rs_call(BADGED, &forged, RS_TIMEOUT_POLL), RS_E_INVAL);  /* kernel labels */
    forged.info = RS_LABEL_NOTIFY;
    CHECK_ERR(rs_send(BADGED, &forged, RS_TIMEOUT_POLL), RS_E_INVAL);
    uint64_t t0 = rs_time_ms();
    CHECK_ERR(rs_recv(NOSEND, &m, 0, 50), RS_E_TIMEOUT);              /* nobody sends */
    CHECK(rs_time_ms() - t0 >= 50);
    CHECK_ERR(rs_recv(NOSEND, &m, 0, RS_TIMEOUT_POLL), RS_E_TIMEOUT);
    rs_printf("ipc: empty, forged, wrong-kind and rights-less slots refused\n");
}

/* A server that never answers: a bounded call ends with a timeout, not a hang. */
static void reply_timeout(void)
{
    struct rs_msg m = { .info = 2 };
    uint64_t t0 = rs_time_ms();
    CHECK_ERR(rs_call(BADGED, &m, 60), RS_E_TIMEOUT);
    uint64_t dt = rs_time_ms() - t0;
    CHECK(dt >= 60 && dt < 1000);
    rs_printf("ipc: a call the server never answers timed out after %lu ms\n", dt);
}

int main(void)
{
    CHECK_OK(rs_create(RS_SLOT_QUOTA, RS_OBJ_ENDPOINT, EP, 0));
    CHECK(spawn("echo.elf", SERVER, 1 << 20, 10) != 0);
    CHECK_OK(rs_invoke4(SERVER, RS_OP_TASK_GIVE_CAP, EP, 8, RS_RIGHT_READ, 0));
    CHECK_OK(rs_cap_mint(EP, BADGED, RS_RIGHT_WRITE | RS_RIGHT_GRANT, 0x42));
    CHECK_OK(rs_invoke4(SERVER, RS_OP_TASK_START, 0, 0, 0, 0));
    ping_pong();
    buffer_round_trip();
    cap_transfer();
    errors();
    reply_timeout();
    return check_done("ipc");
}
