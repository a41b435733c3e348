/* Unit tests for kernel/timerq.c: the timer queue's heap order, removal from any
 * position, and its shape (complete tree, consistent parent links) under a long
 * random sequence checked against a plain array. */
#include <stdlib.h>
#include <string.h>
#include "suites.h"
#include "timerq.h"

#define N 2000

static struct tq_node nodes[N];
static struct timerq q;

static void setup(void)
{
    memset(nodes, 0, sizeof nodes);
    q = (struct timerq){ 0 };
}

/* Checks heap order and links below n; returns the number of nodes. */
static uint64_t check_subtree(const struct tq_node *n)
{
    if (!n)
        return 0;
    ck_assert(n->queued);
    const struct tq_node *kids[2] = { n->left, n->right };
    for (int i = 0; i < 2; i++) {
        if (kids[i]) {
            ck_assert_ptr_eq(kids[i]->parent, n);
            ck_assert_uint_le(n->deadline, kids[i]->deadline);
        }
    }
    ck_assert(n->left || !n->right);                /* complete: left fills first */
    return 1 + check_subtree(n->left) + check_subtree(n->right);
}

static void check_heap(void)
{
    if (q.root)
        ck_assert_ptr_null(q.root->parent);
    ck_assert_uint_eq(check_subtree(q.root), q.count);
}

START_TEST(empty_queue_has_no_minimum)
{
    ck_assert_ptr_null(tq_min(&q));
    nodes[0].deadline = 5;
    tq_insert(&q, &nodes[0]);
    ck_assert_ptr_eq(tq_min(&q), &nodes[0]);
    tq_remove(&q, &nodes[0]);
    ck_assert_ptr_null(tq_min(&q));
    ck_assert(!nodes[0].queued);
    ck_assert_uint_eq(q.count, 0);
}
END_TEST

START_TEST(pops_come_out_in_deadline_order)
{
    for (int i = 0; i < N; i++) {
        nodes[i].deadline = (uint64_t)((i * 7919) % 1000);     /* with duplicates */
        tq_insert(&q, &nodes[i]);
    }
    check_heap();
    uint64_t last = 0;
    for (int i = 0; i < N; i++) {
        struct tq_node *m = tq_min(&q);
        ck_assert_uint_ge(m->deadline, last);
        last = m->deadline;
        tq_remove(&q, m);
    }
    ck_assert_ptr_null(tq_min(&q));
}
END_TEST

START_TEST(random_inserts_and_removals_keep_the_heap)
{
    srand(12345);
    for (int step = 0; step < 20000; step++) {
        struct tq_node *n = &nodes[rand() % N];
        if (n->queued) {
            tq_remove(&q, n);
        } else {
            n->deadline = (uint64_t)(rand() % 5000);
            tq_insert(&q, n);
        }
        if (step % 997 == 0)
            check_heap();
        uint64_t min = ~0ull;
        for (int i = 0; i < N && step % 101 == 0; i++)
            if (nodes[i].queued && nodes[i].deadline < min)
                min = nodes[i].deadline;
        if (step % 101 == 0 && q.count)
            ck_assert_uint_eq(tq_min(&q)->deadline, min);
    }
    check_heap();
}
END_TEST

START_TEST(removing_the_last_node_and_the_root_work)
{
    for (int i = 0; i < 7; i++) {
        nodes[i].deadline = (uint64_t)i;
        tq_insert(&q, &nodes[i]);
    }
    tq_remove(&q, &nodes[6]);           /* the last position */
    check_heap();
    tq_remove(&q, &nodes[0]);           /* the root */
    check_heap();
    ck_assert_ptr_eq(tq_min(&q), &nodes[1]);
    tq_remove(&q, &nodes[3]);           /* an inner node */
    check_heap();
    ck_assert_uint_eq(q.count, 4);
}
END_TEST

Suite *timerq_suite(void)
{
    Suite *s = suite_create("timerq");
    TCase *t = tcase_create("heap");
    tcase_add_checked_fixture(t, setup, 0);
    tcase_add_test(t, empty_queue_has_no_minimum);
    tcase_add_test(t, pops_come_out_in_deadline_order);
    tcase_add_test(t, random_inserts_and_removals_keep_the_heap);
    tcase_add_test(t, removing_the_last_node_and_the_root_work);
    suite_add_tcase(s, t);
    return s;
}
