/* Unit tests for libsys/session.c's region header: what a restarted server
 * checks before it trusts a session region an earlier incarnation wrote. */
#include <string.h>
#include "suites.h"
#include <rs_session.h>

#define BYTES 8192

static uint8_t region[BYTES];

static void setup(void)
{
    memset(region, 0, sizeof region);
}

START_TEST(a_new_region_is_fresh_and_a_sealed_one_valid)
{
    ck_assert_int_eq(rs_session_check(region, BYTES, 1), RS_SESSION_FRESH);
    memcpy(rs_session_state(region), "hello", 5);
    ck_assert_int_eq(rs_session_seal(region, BYTES, 1, 5), 0);
    ck_assert_int_eq(rs_session_check(region, BYTES, 1), RS_SESSION_VALID);
    ck_assert_int_eq(rs_session_seal(region, BYTES, 1, 5), 0);      /* sealed again */
    ck_assert_uint_eq(((struct rs_session_header *)region)->seals, 2);
    ck_assert_int_eq(rs_session_check(region, BYTES, 1), RS_SESSION_VALID);
}
END_TEST

START_TEST(any_changed_bit_makes_it_corrupt)
{
    const uint32_t size = 100;
    memset(rs_session_state(region), 0x5A, size);
    ck_assert_int_eq(rs_session_seal(region, BYTES, 3, size), 0);
    size_t covered = sizeof(struct rs_session_header) + size;
    for (size_t i = 0; i < covered; i++) {
        for (int bit = 0; bit < 8; bit++) {
            region[i] ^= (uint8_t)(1u << bit);
            ck_assert_msg(rs_session_check(region, BYTES, 3) == RS_SESSION_CORRUPT,
                          "byte %zu bit %d flipped, not seen", i, bit);
            region[i] ^= (uint8_t)(1u << bit);
        }
    }
    region[covered] ^= 1;           /* past the state: not covered, not wrong */
    ck_assert_int_eq(rs_session_check(region, BYTES, 3), RS_SESSION_VALID);
}
END_TEST

START_TEST(another_version_or_an_impossible_size_is_corrupt)
{
    ck_assert_int_eq(rs_session_seal(region, BYTES, 2, 16), 0);
    ck_assert_int_eq(rs_session_check(region, BYTES, 3), RS_SESSION_CORRUPT);
    ck_assert_int_eq(rs_session_check(region, sizeof(struct rs_session_header) + 15, 2),
                     RS_SESSION_CORRUPT);                  /* its state does not fit */
    ck_assert_int_eq(rs_session_check(region, 8, 2), RS_SESSION_CORRUPT);
    ck_assert_int_eq(rs_session_seal(region, BYTES, 2, BYTES), -1);         /* cannot fit */
    ck_assert_int_eq(rs_session_seal(region, 8, 2, 0), -1);
    ck_assert_int_eq(rs_session_check(region, BYTES, 2), RS_SESSION_VALID); /* unchanged */
}
END_TEST

struct kv_state {
    uint64_t count;
    char text[32];
};

static struct kv_state *begin(struct rs_session_txn *t)
{
    ck_assert_int_eq(rs_session_txn_begin(t, region, BYTES, 7, sizeof(struct kv_state)), 0);
    return t->state;
}

START_TEST(a_committed_call_is_what_the_next_one_sees)
{
    struct rs_session_txn t;
    struct kv_state *s = begin(&t);
    ck_assert_ptr_null(rs_session_txn_record(&t));          /* fresh */
    ck_assert_uint_eq(s->count, 0);
    s->count = 5;
    struct rs_msg w = { .w = { 11, 12 } };
    ck_assert_int_eq(rs_session_txn_commit(&t, 1, 0, &w, "ok", 2), 0);
    s = begin(&t);
    ck_assert_uint_eq(s->count, 5);
    const struct rs_session_record *r = rs_session_txn_record(&t);
    ck_assert(r && r->id == 1 && r->w[0] == 11 && r->reply_len == 2 && !memcmp(r->reply, "ok", 2));
    for (uint16_t id = 2; id < 6; id++) {                   /* the halves take turns */
        s = begin(&t);
        uint8_t *was = t.committed;
        s->count++;
        ck_assert_int_eq(rs_session_txn_commit(&t, id, 0, 0, 0, 0), 0);
        ck_assert_ptr_ne(t.committed, was);
    }
    s = begin(&t);
    ck_assert_uint_eq(s->count, 9);
    ck_assert_uint_eq(rs_session_txn_record(&t)->id, 5);
}
END_TEST

START_TEST(a_server_dying_mid_call_or_mid_commit_leaves_the_last_commit)
{
    struct rs_session_txn t;
    struct kv_state *s = begin(&t);
    s->count = 1;
    rs_session_txn_commit(&t, 1, 0, 0, 0, 0);
    s = begin(&t);
    s->count = 99;                                          /* dies before the commit */
    strcpy(s->text, "half-written");
    s = begin(&t);
    ck_assert_uint_eq(s->count, 1);
    ck_assert_str_eq(s->text, "");
    ck_assert_uint_eq(rs_session_txn_record(&t)->id, 1);
    memset(t.work, 0xEE, 40);                               /* dies in the commit itself */
    s = begin(&t);
    ck_assert_uint_eq(s->count, 1);
}
END_TEST

START_TEST(a_damaged_newest_commit_is_corrupt_not_rolled_back)
{
    struct rs_session_txn t;
    struct kv_state *s = begin(&t);
    s->count = 1;
    rs_session_txn_commit(&t, 1, 0, 0, 0, 0);
    s = begin(&t);
    s->count = 2;
    rs_session_txn_commit(&t, 2, 0, 0, 0, 0);
    uint8_t *newest = t.committed;
    newest[sizeof(struct rs_session_header) + 8] ^= 1;     /* the record of answer 2 */
    ck_assert_int_eq(rs_session_txn_begin(&t, region, BYTES, 7, sizeof(struct kv_state)), -1);
}
END_TEST

START_TEST(a_damaged_first_commit_is_corrupt_not_fresh)
{
    struct rs_session_txn t;
    struct kv_state *s = begin(&t);
    s->count = 1;
    rs_session_txn_commit(&t, 1, 0, 0, 0, 0);               /* the other half never used */
    t.committed[sizeof(struct rs_session_header) + 8] ^= 1; /* the record of answer 1 */
    ck_assert_int_eq(rs_session_txn_begin(&t, region, BYTES, 7, sizeof(struct kv_state)), -1);
    memset(region, 0, sizeof region);                       /* a first commit cut short */
    s = begin(&t);
    s->count = 1;
    memset(t.work, 0xEE, 40);
    s = begin(&t);
    ck_assert_ptr_null(rs_session_txn_record(&t));          /* never answered: fresh */
    ck_assert_uint_eq(s->count, 0);
}
END_TEST

START_TEST(a_commit_whose_seal_does_not_check_commits_nothing)
{
    struct rs_session_txn t;
    struct kv_state *s = begin(&t);
    s->count = 1;
    rs_session_txn_commit(&t, 1, 0, 0, 0, 0);
    s = begin(&t);
    s->count = 2;
    t.state_size = BYTES;                                   /* a fault in the server */
    ck_assert_int_eq(rs_session_txn_commit(&t, 2, 0, 0, 0, 0), -2);
    s = begin(&t);
    ck_assert_uint_eq(s->count, 1);                         /* the last commit stands */
    ck_assert_uint_eq(rs_session_txn_record(&t)->id, 1);
}
END_TEST

START_TEST(a_commit_whose_working_copy_is_elsewhere_commits_nothing)
{
    struct rs_session_txn t;
    struct kv_state *s = begin(&t);
    s->count = 1;
    rs_session_txn_commit(&t, 1, 0, 0, 0, 0);
    static uint8_t elsewhere[BYTES / 2];
    s = begin(&t);
    t.state = elsewhere + ((uint8_t *)t.state - t.work), t.work = elsewhere;   /* a fault */
    ck_assert_int_eq(rs_session_txn_commit(&t, 2, 0, 0, 0, 0), -2);
    s = begin(&t);
    t.work = t.committed;                                   /* the committed half itself */
    ck_assert_int_eq(rs_session_txn_commit(&t, 2, 0, 0, 0, 0), -2);
    s = begin(&t);
    ck_assert_uint_eq(s->count, 1);                         /* the last commit stands */
    ck_assert_uint_eq(rs_session_txn_record(&t)->id, 1);
}
END_TEST

START_TEST(a_region_with_no_valid_half_is_corrupt_not_fresh)
{
    struct rs_session_txn t;
    struct kv_state *s = begin(&t);
    s->count = 3;
    rs_session_txn_commit(&t, 1, 0, 0, 0, 0);
    begin(&t);
    rs_session_txn_commit(&t, 2, 0, 0, 0, 0);               /* both halves written */
    region[30] ^= 4;
    region[BYTES / 2 + 30] ^= 4;
    ck_assert_int_eq(rs_session_txn_begin(&t, region, BYTES, 7, sizeof(struct kv_state)), -1);
    ck_assert_int_eq(rs_session_txn_begin(&t, region, 64, 7, sizeof(struct kv_state)), -1);
    memset(region, 0, sizeof region);
    s = begin(&t);
    static char long_reply[RS_SESSION_REPLY_MAX + 1];
    ck_assert_int_eq(rs_session_txn_commit(&t, 1, 0, 0, long_reply, sizeof long_reply), -1);
    begin(&t);
    ck_assert_ptr_null(rs_session_txn_record(&t));          /* nothing was committed */
}
END_TEST

Suite *session_suite(void)
{
    Suite *s = suite_create("session regions");
    TCase *t = tcase_create("header");
    tcase_add_checked_fixture(t, setup, 0);
    tcase_add_test(t, a_new_region_is_fresh_and_a_sealed_one_valid);
    tcase_add_test(t, any_changed_bit_makes_it_corrupt);
    tcase_add_test(t, another_version_or_an_impossible_size_is_corrupt);
    tcase_add_test(t, a_committed_call_is_what_the_next_one_sees);
    tcase_add_test(t, a_server_dying_mid_call_or_mid_commit_leaves_the_last_commit);
    tcase_add_test(t, a_damaged_newest_commit_is_corrupt_not_rolled_back);
    tcase_add_test(t, a_damaged_first_commit_is_corrupt_not_fresh);
    tcase_add_test(t, a_commit_whose_seal_does_not_check_commits_nothing);
    tcase_add_test(t, a_commit_whose_working_copy_is_elsewhere_commits_nothing);
    tcase_add_test(t, a_region_with_no_valid_half_is_corrupt_not_fresh);
    suite_add_tcase(s, t);
    return s;
}
