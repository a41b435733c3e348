/* The Ethernet protocol's server, shared by every NIC driver (ether_driver.h).
 *
 * A send is at most once: a client's first send opens its session region; the
 * driver marks the request's progress word right before the store that gives the
 * frame to its device; a send sent again after a crash that finds the word set is
 * answered without sending, and one that does not is sent (its frame never reached
 * the device). A recv never waits: RS_E_NOENT when no frame is there. */
#include <stdlib.h>
#include <string.h>
#include <proto/ether.h>
#include "ether_driver.h"
#include <rs_invoke.h>
#include <rs_libc.h>
#include <rs_log.h>
#include <rs_server.h>
#include <rs_service.h>
#include <rsys.h>

enum { EP = RS_GIVEN_FIRST_FREE + 8 };   /* after the drivers' own slots */

struct ether_session {
    uint64_t sent;
};

static const struct rs_ether_device *dev;
static uint64_t mac, tx_frames, rx_frames, dropped;
static uint64_t crash_send;         /* the test's `crash_send=N`: see start */
static uint8_t frame[ETHER_MAX + 2];

void rs_ether_dropped(void)
{
    dropped++;
}

static void mark(uint64_t *progress)
{
    if (progress)
        *progress = 1;              /* from here the frame is the device's */
}

static uint32_t info_handler(struct rs_request *r, void *state)
{
    (void)state;
    r->reply.w[0] = mac;
    r->reply.w[1] = ETHER_MTU;
    r->reply.w[2] = dev->link ? (uint64_t)dev->link() : 1;
    return 0;
}

static uint32_t send_handler(struct rs_request *r, void *state)
{
    (void)state;
    if (r->len < ETHER_HEADER || r->len > ETHER_MAX)
        return RS_E_RANGE;
    if (!r->session)
        rs_server_session_open(r);  /* none: sent, but a retry could send it again */
    struct ether_session *s = r->session;
    if (r->progress && *r->progress == 1) {
        rs_info("a send cut short by a crash had reached the device: not sent again");
    } else {
        size_t n = r->len < ETHER_MIN ? ETHER_MIN : r->len;
        memcpy(frame, r->buf, r->len);
        memset(frame + r->len, 0, n - r->len + 1);
        if (rs_same_bytes(frame, r->buf, r->len))   /* the staged frame is the client's */
            rs_panic("a frame to send was staged wrong");   /* not sent: sent again */
        dev->transmit(frame, n, mark, r->progress);
        if (++tx_frames == crash_send)
            rs_panic("failing on purpose: send %lu is the device's, not yet answered",
                     (unsigned long)crash_send);
    }
    if (s)
        s->sent++;
    r->reply.w[0] = s ? s->sent : 0;
    return 0;
}

static uint32_t recv_handler(struct rs_request *r, void *state)
{
    (void)state;
    size_t len = dev->receive(frame);
    if (!len)
        return RS_E_NOENT;
    if (r->req.w[0] < len)
        return RS_E_RANGE;          /* the frame is dropped: ask with room for 1514 */
    rx_frames++;
    r->reply_buf = frame;
    r->reply_len = len;
    r->reply.w[0] = (uint64_t)dev->more();
    return 0;
}

static uint32_t stats_handler(struct rs_request *r, void *state)
{
    (void)state;
    r->reply.w[0] = tx_frames;
    r->reply.w[1] = rx_frames;
    r->reply.w[2] = dropped;
    return 0;
}

static int start(void *state)
{
    (void)state;
    uint8_t m[ETHER_ADDR];
    int e = dev->start(&mac);
    if (e)
        return e;
    ether_mac_bytes(mac, m);
    /* The at-most-once test (first incarnation only): the N-th send fails the
     * driver between the device taking the frame and the answer. */
    char v[24];
    crash_send = rs_incarnation() == 1 && rs_arg("crash_send", v, sizeof v)
                 ? strtoull(v, 0, 0) : 0;
    rs_info("MAC %02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4], m[5]);
    return rs_create(RS_SLOT_QUOTA, RS_OBJ_ENDPOINT, EP, 0) ? 1 : 0;
}

static const rs_handler_fn handlers[ETHER_LABELS] = {
    [ETHER_INFO] = info_handler, [ETHER_SEND] = send_handler, [ETHER_RECV] = recv_handler,
    [ETHER_STATS] = stats_handler,
};

int rs_ether_driver_run(const struct rs_ether_device *d)
{
    dev = d;
    struct rs_server server = {
        .name = d->name, .publish = "ether", .endpoint = EP,
        .handlers = handlers, .nhandlers = ETHER_LABELS,
        .init_fresh = start, .init_restart = start,
        .session_state = sizeof(struct ether_session), .session_version = 1, .session_pages = 1,
    };
    return rs_server_run(&server);
}
