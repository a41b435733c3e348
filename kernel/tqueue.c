/* FIFO queues of blocked threads (endpoint and notification waiters). Pure: uses
 * only the rq_next/rq_prev links of struct thread, so it runs in host unit tests. */
#include "thread.h"

void tqueue_push(struct thread_queue *q, struct thread *th)
{
    th->rq_next = 0;
    th->rq_prev = q->tail;
    if (q->tail)
        q->tail->rq_next = th;
    else
        q->head = th;
    q->tail = th;
}

void tqueue_remove(struct thread_queue *q, struct thread *th)
{
    if (th->rq_prev)
        th->rq_prev->rq_next = th->rq_next;
    else
        q->head = th->rq_next;
    if (th->rq_next)
        th->rq_next->rq_prev = th->rq_prev;
    else
        q->tail = th->rq_prev;
    th->rq_next = th->rq_prev = 0;
}

struct thread *tqueue_pop(struct thread_queue *q)
{
    struct thread *th = q->head;
    if (th)
        tqueue_remove(q, th);
    return th;
}
