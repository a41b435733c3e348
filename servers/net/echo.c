/* The echo services the host-side workload talks to (tests/host/netload.py): UDP
 * echo (each datagram back to its sender) and TCP echo (each connection's bytes
 * back, in order, none lost: what lwIP cannot send now waits for room, in the
 * connection's own queue of received pbufs). */
#include <lwip/tcp.h>
#include <lwip/udp.h>
#include "net.h"

static struct net_echo_counts counts;

const struct net_echo_counts *net_echo_counts(void) { return &counts; }

static void udp_echo(void *arg, struct udp_pcb *pcb, struct pbuf *p, const ip_addr_t *addr,
                     u16_t port)
{
    (void)arg;
    counts.datagrams++;
    counts.udp_bytes += p->tot_len;
    udp_sendto(pcb, p, addr, port);
    pbuf_free(p);
}

/* One connection: the received bytes not yet written back. */
struct conn {
    struct pbuf *pending;
    u16_t offset;                   /* into pending's first pbuf */
};

/* Writes back as much of c's pending bytes as the send buffer takes (a pbuf of
 * no bytes, which lwIP may leave in a chain, is passed over, never waited on). */
static void flush(struct tcp_pcb *pcb, struct conn *c)
{
    while (c->pending) {
        struct pbuf *q = c->pending;
        u16_t n = (u16_t)(q->len - c->offset), room = tcp_sndbuf(pcb);
        if (n > room)
            n = room;
        if (n && tcp_write(pcb, (u8_t *)q->payload + c->offset, n, TCP_WRITE_FLAG_COPY))
            break;
        if (n == 0 && q->len > c->offset)
            break;                  /* no room now: on_sent comes back */
        c->offset = (u16_t)(c->offset + n);
        if (c->offset < q->len)
            break;
        c->pending = q->next;
        if (q->next)
            pbuf_ref(q->next);
        pbuf_free(q);
        c->offset = 0;
    }
    tcp_output(pcb);
}

static void close_conn(struct tcp_pcb *pcb, struct conn *c)
{
    if (c->pending)
        pbuf_free(c->pending);
    mem_free(c);
    tcp_arg(pcb, 0);
    tcp_recv(pcb, 0);
    tcp_sent(pcb, 0);
    tcp_err(pcb, 0);
    if (tcp_close(pcb) != ERR_OK)
        tcp_abort(pcb);
}

static err_t on_recv(void *arg, struct tcp_pcb *pcb, struct pbuf *p, err_t err)
{
    struct conn *c = arg;
    if (!p || err != ERR_OK) {
        if (p)
            pbuf_free(p);
        close_conn(pcb, c);
        return ERR_OK;
    }
    counts.tcp_bytes += p->tot_len;
    tcp_recved(pcb, p->tot_len);
    if (c->pending)
        pbuf_cat(c->pending, p);
    else
        c->pending = p;
    flush(pcb, c);
    return ERR_OK;
}

static err_t on_sent(void *arg, struct tcp_pcb *pcb, u16_t len)
{
    (void)len;
    flush(pcb, arg);
    return ERR_OK;
}

static void on_err(void *arg, err_t err)
{
    (void)err;
    struct conn *c = arg;       /* the pcb is gone already */
    if (c && c->pending)
        pbuf_free(c->pending);
    mem_free(c);
}

static err_t on_accept(void *arg, struct tcp_pcb *pcb, err_t err)
{
    (void)arg;
    if (err != ERR_OK || !pcb)
        return ERR_VAL;
    struct conn *c = mem_malloc(sizeof *c);
    if (!c)
        return ERR_MEM;
    c->pending = 0;
    c->offset = 0;
    counts.connections++;
    tcp_arg(pcb, c);
    tcp_recv(pcb, on_recv);
    tcp_sent(pcb, on_sent);
    tcp_err(pcb, on_err);
    return ERR_OK;
}

int net_echo_start(uint16_t port)
{
    struct udp_pcb *u = udp_new();
    struct tcp_pcb *t = tcp_new();
    if (!u || !t || udp_bind(u, IP_ADDR_ANY, port) != ERR_OK
        || tcp_bind(t, IP_ADDR_ANY, port) != ERR_OK)
        return -1;
    udp_recv(u, udp_echo, 0);
    struct tcp_pcb *l = tcp_listen(t);
    if (!l)
        return -1;
    tcp_accept(l, on_accept);
    return 0;
}
