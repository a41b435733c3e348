/* The timer queue: an intrusive binary min-heap of deadlines, so arming, cancelling
 * and taking the earliest cost O(log n) however many timeouts and timers users
 * have armed (a sorted list would cost O(n) per arm, with interrupts off). Nodes
 * live inside their owners (threads, timer objects); the heap is kept as a
 * complete binary tree of pointers, position k's path read from k's bits. Pure:
 * unit-tested on the host. */
#pragma once
#include <stdint.h>

struct tq_node {
    uint64_t deadline;                  /* in timer ticks (milliseconds) */
    struct tq_node *parent, *left, *right;
    uint8_t queued;
    uint8_t kind;                       /* the owner's kind, for the one who pops it */
};

struct timerq {
    struct tq_node *root;
    uint64_t count;
};

/* Adds n (not queued) with n->deadline set. */
void tq_insert(struct timerq *q, struct tq_node *n);
/* Removes a queued n. */
void tq_remove(struct timerq *q, struct tq_node *n);
/* The node with the earliest deadline, or NULL. */
static inline struct tq_node *tq_min(const struct timerq *q)
{
    return q->root;
}
