/* Unit tests for the data store's subscriptions and its refusal log
 * (datastore/store.h); the fixture is store_fixture.h. */
#include "suites.h"
#include "store_fixture.h"
#include "keep.h"

/* --- subscriptions --- */

START_TEST(a_subscriber_is_told_of_matching_changes)
{
    uint64_t more, ntfn = new_ntfn();
    ck_assert_uint_eq(subscribe(SHELL, "console", 4, ntfn), 0);
    ck_assert_uint_eq(pub_int(UART, "console", 1), 0);
    ck_assert_int_eq(signals, 1);
    ck_assert_uint_eq(signalled_slot, ntfn);
    ck_assert_uint_eq(signalled_bits, 4);
    ck_assert_uint_eq(pub_int(NET, "net/eth0", 1), 0);          /* readable, not matching */
    ck_assert_int_eq(signals, 1);
    ck_assert_str_eq(changed(SHELL, &more), "console");
    ck_assert_uint_eq(more, 0);
    ck_assert_str_eq(changed(SHELL, &more), "");
    ck_assert_uint_eq(del(UART, "console"), 0);                 /* deletion is a change */
    ck_assert_int_eq(signals, 2);
    ck_assert_str_eq(changed(SHELL, &more), "console");
    ck_assert_str_eq(changed(UART, &more), "");                 /* others hear nothing */
}
END_TEST

START_TEST(names_a_subscriber_may_not_read_are_not_reported)
{
    uint64_t more;
    ck_assert_uint_eq(subscribe(SHELL, "*", 1, new_ntfn()), 0);
    ck_assert_uint_eq(pub_int(0, "other", 1), 0);               /* not readable by shell */
    ck_assert_uint_eq(pub_int(UART, "uart.baud", 1), 0);        /* private */
    ck_assert_int_eq(signals, 0);
    ck_assert_str_eq(changed(SHELL, &more), "");
    ck_assert_uint_eq(pub_int(NET, "net/lo", 1), 0);
    ck_assert_uint_eq(pub_int(SHELL, "shell.own", 1), 0);       /* its own private ones */
    ck_assert_int_eq(signals, 2);
    ck_assert_str_eq(changed(SHELL, &more), "net/lo");
    ck_assert_uint_eq(more, 1);
    ck_assert_str_eq(changed(SHELL, &more), "shell.own");
    ck_assert_uint_eq(more, 0);
}
END_TEST

START_TEST(bad_subscriptions_are_refused)
{
    uint64_t n = new_ntfn(), ep = new_endpoint(3), ro = new_cap(RS_OBJ_NOTIFICATION, RS_RIGHT_READ, 0);
    uint64_t dead = new_ntfn();
    caps[dead].dead = 1;
    ck_assert_uint_eq(subscribe(SHELL, "uart.baud", 1, n), RS_E_RIGHTS);
    ck_assert_uint_eq(subscribe(SHELL, "other", 1, n), RS_E_RIGHTS);
    ck_assert_uint_eq(subscribe(SHELL, "a*b", 1, n), RS_E_INVAL);
    ck_assert_uint_eq(subscribe(SHELL, "", 1, n), RS_E_INVAL);
    ck_assert_uint_eq(subscribe(SHELL, "**", 1, n), RS_E_INVAL);
    ck_assert_uint_eq(subscribe(SHELL, "console", 0, n), RS_E_INVAL);
    ck_assert_uint_eq(subscribe(SHELL, "console", 1, 0), RS_E_INVAL);
    ck_assert_uint_eq(subscribe(SHELL, "console", 1, ep), RS_E_TYPE);
    ck_assert_uint_eq(subscribe(SHELL, "console", 1, dead), RS_E_INVAL);
    ck_assert_uint_eq(subscribe(SHELL, "console", 1, ro), RS_E_RIGHTS);
    char long_pattern[DS_NAME_MAX + 2];
    memset(long_pattern, 'a', sizeof long_pattern);
    long_pattern[DS_NAME_MAX] = '*', long_pattern[DS_NAME_MAX + 1] = '\0';
    ck_assert_uint_eq(subscribe(SHELL, long_pattern, 1, n), RS_E_RANGE);
    ck_assert_uint_eq(st.nsubs, 0);
    ck_assert_uint_eq(drops, 0);
    ck_assert_uint_eq(subscribe(SHELL, "uart*", 1, n), 0);      /* a prefix may match nothing */
}
END_TEST

START_TEST(a_full_queue_turns_into_rescan)
{
    char name[16];
    uint64_t more;
    ck_assert_uint_eq(subscribe(NET, "*", 1, new_ntfn()), 0);
    for (int i = 0; i < DS_QUEUE_MAX; i++) {
        snprintf(name, sizeof name, "n%d", i);
        ck_assert_uint_eq(pub_int(0, name, 1), 0);
        ck_assert_uint_eq(pub_int(0, name, 2), 0);              /* queued once */
    }
    ck_assert_uint_eq(st.clients[NET].queue.count, DS_QUEUE_MAX);
    ck_assert_uint_eq(pub_int(0, "n-over", 1), 0);
    ck_assert_str_eq(changed(NET, &more), "*");
    ck_assert_uint_eq(more, 0);
    ck_assert_str_eq(changed(NET, &more), "");
    ck_assert_uint_eq(pub_int(0, "n3", 3), 0);                  /* then names again */
    ck_assert_str_eq(changed(NET, &more), "n3");
}
END_TEST

START_TEST(changed_with_too_small_a_buffer_keeps_the_name)
{
    char name[DS_NAME_MAX];
    size_t n;
    uint64_t more;
    ck_assert_uint_eq(subscribe(SHELL, "net/*", 1, new_ntfn()), 0);
    ck_assert_uint_eq(pub_int(NET, "net/eth0", 1), 0);
    ck_assert_uint_eq(ds_changed(&st, SHELL, 7, name, &n, &more), RS_E_RANGE);
    ck_assert_uint_eq(n, 0);
    ck_assert_uint_eq(ds_changed(&st, SHELL, 8, name, &n, &more), 0);
    ck_assert_uint_eq(n, 8);
    ck_assert_mem_eq(name, "net/eth0", 8);
}
END_TEST

START_TEST(subscriptions_are_bounded_per_badge_and_in_all)
{
    char text[32];
    uint64_t first = new_ntfn(), again = new_ntfn();
    ck_assert_uint_eq(subscribe(SHELL, "net/a*", 1, first), 0);
    ck_assert_uint_eq(subscribe(SHELL, "net/b*", 1, new_ntfn()), 0);
    ck_assert_uint_eq(subscribe(SHELL, "net/c*", 1, new_ntfn()), 0);
    ck_assert_uint_eq(subscribe(SHELL, "net/d*", 1, new_ntfn()), 0);
    ck_assert_uint_eq(subscribe(SHELL, "net/e*", 1, new_ntfn()), RS_E_QUOTA);
    ck_assert_uint_eq(subscribe(SHELL, "net/a*", 8, again), 0);     /* the same pattern replaces */
    ck_assert(!caps[first].present);
    ck_assert_uint_eq(st.clients[SHELL].subs, DS_CLIENT_SUBS_MAX);
    ck_assert_uint_eq(pub_int(0, "net/a1", 1), 0);
    ck_assert_uint_eq(signalled_slot, again);
    ck_assert_uint_eq(signalled_bits, 8);
    for (uint64_t b = 20; st.nsubs < DS_SUBS_MAX; b++) {
        snprintf(text, sizeof text, "svc%lu\n\n*", (unsigned long)b);
        ck_assert_uint_eq(declare(b, text), 0);
        for (int i = 0; i < DS_CLIENT_SUBS_MAX && st.nsubs < DS_SUBS_MAX; i++) {
            char pattern[8] = { (char)('a' + i), '*', 0 };
            ck_assert_uint_eq(subscribe(b, pattern, 1, new_ntfn()), 0);
        }
    }
    ck_assert_uint_eq(subscribe(NET, "*", 1, new_ntfn()), RS_E_QUOTA);
}
END_TEST

START_TEST(a_dead_notification_drops_its_subscription)
{
    uint64_t n[DS_CLIENT_SUBS_MAX];
    for (int i = 0; i < DS_CLIENT_SUBS_MAX; i++) {
        char pattern[8] = { (char)('a' + i), '*', 0 };
        ck_assert_uint_eq(subscribe(NET, pattern, 1, n[i] = new_ntfn()), 0);
    }
    caps[n[0]].dead = 1;
    ck_assert_uint_eq(pub_int(0, "a1", 1), 0);          /* the signal fails: dropped */
    ck_assert(!caps[n[0]].present);
    ck_assert_uint_eq(st.clients[NET].subs, DS_CLIENT_SUBS_MAX - 1);
    ck_assert_int_eq(nlines, 0);                        /* silently */
    ck_assert_uint_eq(subscribe(NET, "z*", 1, new_ntfn()), 0);
    /* a restarted subscriber's dead subscriptions do not block its new ones */
    for (int i = 1; i < DS_CLIENT_SUBS_MAX; i++)
        caps[n[i]].dead = 1;
    ck_assert_uint_eq(subscribe(NET, "y*", 1, new_ntfn()), 0);
    ck_assert_uint_eq(subscribe(NET, "x*", 1, new_ntfn()), 0);
    ck_assert_uint_eq(subscribe(NET, "w*", 1, new_ntfn()), 0);
    ck_assert_uint_eq(subscribe(NET, "v*", 1, new_ntfn()), RS_E_QUOTA);
}
END_TEST

/* --- the refusal log --- */

START_TEST(refusals_are_logged_at_a_bounded_rate)
{
    for (int i = 0; i < 20; i++)
        ck_assert_uint_eq(pub_int(SHELL, "console", 1), RS_E_RIGHTS);
    ck_assert_int_eq(nlines, DS_LOG_PER_SEC);
    now += 999;
    ck_assert_uint_eq(pub_int(SHELL, "console", 1), RS_E_RIGHTS);
    ck_assert_int_eq(nlines, DS_LOG_PER_SEC);
    now += 1;
    ck_assert_uint_eq(pub_int(SHELL, "console", 1), RS_E_RIGHTS);
    ck_assert_int_eq(nlines, DS_LOG_PER_SEC + 2);
    ck_assert_str_eq(lines[DS_LOG_PER_SEC], "refused: 13 more refusals not logged");
    ck_assert_str_eq(lines[DS_LOG_PER_SEC + 1],
                     "refused: shell may not publish 'console' (owned by uart)");
}
END_TEST

START_TEST(a_store_in_use_holds_together_and_damage_is_found)
{
    ck_assert_uint_eq(pub_int(UART, "console", 7), 0);
    ck_assert_uint_eq(pub_cap(UART, "uart.ep", new_endpoint(5)), 0);
    ck_assert_uint_eq(subscribe(SHELL, "console", 2, new_ntfn()), 0);
    ck_assert(keep_store_valid(&st));
    static struct ds_store damaged;
    damaged = st;
    damaged.nentries++;                                 /* a count that does not add up */
    ck_assert(!keep_store_valid(&damaged));
    damaged = st;
    memset(damaged.entries[0].name, 'x', sizeof damaged.entries[0].name);  /* unended */
    ck_assert(!keep_store_valid(&damaged));
    damaged = st;
    damaged.subs[0].client = 1000;                      /* points at nobody */
    ck_assert(!keep_store_valid(&damaged));
    damaged = st;
    damaged.clients[1].queue.count = DS_QUEUE_MAX + 1;
    ck_assert(!keep_store_valid(&damaged));
}
END_TEST

Suite *store_subs_suite(void)
{
    Suite *s = suite_create("datastore subscriptions");
    TCase *t = tcase_create("subscriptions and the refusal log");
    tcase_add_checked_fixture(t, setup, 0);
    tcase_add_test(t, a_subscriber_is_told_of_matching_changes);
    tcase_add_test(t, names_a_subscriber_may_not_read_are_not_reported);
    tcase_add_test(t, bad_subscriptions_are_refused);
    tcase_add_test(t, a_full_queue_turns_into_rescan);
    tcase_add_test(t, changed_with_too_small_a_buffer_keeps_the_name);
    tcase_add_test(t, subscriptions_are_bounded_per_badge_and_in_all);
    tcase_add_test(t, a_dead_notification_drops_its_subscription);
    tcase_add_test(t, refusals_are_logged_at_a_bounded_rate);
    tcase_add_test(t, a_store_in_use_holds_together_and_damage_is_found);
    suite_add_tcase(s, t);
    return s;
}
