/* Timer queue as a pointer-linked binary min-heap (see timerq.h). */
#include <stddef.h>
#include "timerq.h"

/* The node at position k (1 = the root): after k's leading one, each bit says
 * left (0) or right (1), from the top. */
static struct tq_node *node_at(const struct timerq *q, uint64_t k)
{
    struct tq_node *n = q->root;
    for (int bit = 62 - __builtin_clzll(k); bit >= 0 && n; bit--)
        n = (k >> bit) & 1 ? n->right : n->left;
    return n;
}

/* Swaps c with its parent p in the tree (nodes move, deadlines stay with them). */
static void swap_with_parent(struct timerq *q, struct tq_node *c)
{
    struct tq_node *p = c->parent, *g = p->parent, *cl = c->left, *cr = c->right;
    if (p->left == c) {
        c->left = p;
        c->right = p->right;
        if (c->right)
            c->right->parent = c;
    } else {
        c->right = p;
        c->left = p->left;
        if (c->left)
            c->left->parent = c;
    }
    p->parent = c;
    p->left = cl;
    p->right = cr;
    if (cl)
        cl->parent = p;
    if (cr)
        cr->parent = p;
    c->parent = g;
    if (!g)
        q->root = c;
    else if (g->left == p)
        g->left = c;
    else
        g->right = c;
}

static void sift_up(struct timerq *q, struct tq_node *n)
{
    while (n->parent && n->deadline < n->parent->deadline)
        swap_with_parent(q, n);
}

static void sift_down(struct timerq *q, struct tq_node *n)
{
    for (;;) {
        struct tq_node *m = n->left;
        if (n->right && n->right->deadline < m->deadline)
            m = n->right;
        if (!m || m->deadline >= n->deadline)
            return;
        swap_with_parent(q, m);
    }
}

void tq_insert(struct timerq *q, struct tq_node *n)
{
    n->left = n->right = NULL;
    n->queued = 1;
    uint64_t k = ++q->count;
    if (k == 1) {
        n->parent = NULL;
        q->root = n;
        return;
    }
    struct tq_node *p = node_at(q, k / 2);
    n->parent = p;
    if (k & 1)
        p->right = n;
    else
        p->left = n;
    sift_up(q, n);
}

/* Detaches the last node (position count) from its parent. */
static struct tq_node *take_last(struct timerq *q)
{
    struct tq_node *last = node_at(q, q->count);
    if (last->parent) {
        if (last->parent->right == last)
            last->parent->right = NULL;
        else
            last->parent->left = NULL;
    } else {
        q->root = NULL;
    }
    q->count--;
    return last;
}

/* Puts r where n is (n leaves the tree). */
static void replace(struct timerq *q, struct tq_node *n, struct tq_node *r)
{
    r->parent = n->parent;
    r->left = n->left;
    r->right = n->right;
    if (r->left)
        r->left->parent = r;
    if (r->right)
        r->right->parent = r;
    if (!r->parent)
        q->root = r;
    else if (r->parent->left == n)
        r->parent->left = r;
    else
        r->parent->right = r;
}

void tq_remove(struct timerq *q, struct tq_node *n)
{
    struct tq_node *last = take_last(q);
    if (last != n) {
        replace(q, n, last);
        sift_up(q, last);
        sift_down(q, last);
    }
    n->parent = n->left = n->right = NULL;
    n->queued = 0;
}
