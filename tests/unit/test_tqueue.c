/* Unit tests for kernel/tqueue.c: the FIFO queues of threads blocked on endpoints
 * and notifications. */
#include "suites.h"
#include "thread.h"

static struct thread t[4];
static struct thread_queue q;

static void setup(void)
{
    for (int i = 0; i < 4; i++)
        t[i] = (struct thread){ 0 };
    q = (struct thread_queue){ 0 };
}

START_TEST(pop_is_first_in_first_out)
{
    for (int i = 0; i < 4; i++)
        tqueue_push(&q, &t[i]);
    for (int i = 0; i < 4; i++)
        ck_assert_ptr_eq(tqueue_pop(&q), &t[i]);
    ck_assert_ptr_null(tqueue_pop(&q));
    ck_assert_ptr_null(q.head);
    ck_assert_ptr_null(q.tail);
}
END_TEST

START_TEST(remove_from_the_middle_head_and_tail)
{
    for (int i = 0; i < 4; i++)
        tqueue_push(&q, &t[i]);
    tqueue_remove(&q, &t[1]);
    tqueue_remove(&q, &t[0]);
    tqueue_remove(&q, &t[3]);
    ck_assert_ptr_eq(q.head, &t[2]);
    ck_assert_ptr_eq(q.tail, &t[2]);
    ck_assert_ptr_null(t[2].rq_next);
    ck_assert_ptr_null(t[2].rq_prev);
    ck_assert_ptr_null(t[1].rq_next);
}
END_TEST

START_TEST(push_after_emptying_starts_afresh)
{
    tqueue_push(&q, &t[0]);
    tqueue_remove(&q, &t[0]);
    tqueue_push(&q, &t[1]);
    ck_assert_ptr_eq(q.head, &t[1]);
    ck_assert_ptr_eq(q.tail, &t[1]);
    ck_assert_ptr_eq(tqueue_pop(&q), &t[1]);
}
END_TEST

Suite *tqueue_suite(void)
{
    Suite *s = suite_create("tqueue");
    TCase *c = tcase_create("fifo");
    tcase_add_checked_fixture(c, setup, 0);
    tcase_add_test(c, pop_is_first_in_first_out);
    tcase_add_test(c, remove_from_the_middle_head_and_tail);
    tcase_add_test(c, push_after_emptying_starts_afresh);
    suite_add_tcase(s, c);
    return s;
}
