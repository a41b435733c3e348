/* Unit tests for kernel/cap.c: capability spaces, rights, badges, the derivation
 * tree (copy, mint, move, delete, revoke) and check-then-commit on failure. The
 * kernel's object-lifetime hooks are replaced by counters. */
#include <string.h>
#include "suites.h"
#include "cap.h"

#define SLOTS 16

static struct cap slots_a[SLOTS], slots_b[SLOTS];
static struct cspace A, B;
static struct kobj ep, frame;
static int releases, deleted_hooks, sessions_dropped;
static struct frame *last_dropped;

/* Stand-ins for kernel/object.c: count instead of freeing and killing. */
void kobj_unref(struct kobj *o)
{
    ck_assert_uint_gt(o->refs, 0);
    if (--o->refs == 0)
        releases++;
}

void kobj_cap_deleted(struct cap *c)
{
    deleted_hooks++;
    c->obj->ncaps--;
}

void cap_session_dropped(struct frame *f)
{
    sessions_dropped++;
    last_dropped = f;
}

static void setup(void)
{
    cspace_init(&A, slots_a, SLOTS, 0);
    cspace_init(&B, slots_b, SLOTS, 0);
    ep = (struct kobj){ .type = RS_OBJ_ENDPOINT, .refs = 1 };
    frame = (struct kobj){ .type = RS_OBJ_FRAME, .refs = 1 };
    releases = deleted_hooks = sessions_dropped = 0;
    last_dropped = 0;
}

static int count_children(const struct cap *c)
{
    int n = 0;
    for (const struct cap *ch = c->children; ch; ch = ch->next)
        n++;
    return n;
}

START_TEST(install_takes_a_reference)
{
    ck_assert_int_eq(cap_install(&A, 3, &ep, RS_RIGHTS_ALL, 0), E_OK);
    ck_assert_uint_eq(ep.refs, 2);
    ck_assert_uint_eq(ep.ncaps, 1);
    ck_assert_ptr_eq(A.slots[3].obj, &ep);
}
END_TEST

START_TEST(install_refuses_slot_zero_range_and_occupied)
{
    ck_assert_int_eq(cap_install(&A, 0, &ep, RS_RIGHTS_ALL, 0), E_NOCAP);
    ck_assert_int_eq(cap_install(&A, SLOTS, &ep, RS_RIGHTS_ALL, 0), E_NOCAP);
    ck_assert_int_eq(cap_install(&A, 2, &ep, RS_RIGHTS_ALL, 0), E_OK);
    ck_assert_int_eq(cap_install(&A, 2, &frame, RS_RIGHTS_ALL, 0), E_EXISTS);
    ck_assert_uint_eq(frame.refs, 1);
}
END_TEST

START_TEST(lookup_distinguishes_every_failure)
{
    struct cap *c;
    cap_install(&A, 1, &ep, RS_RIGHT_READ, 0);
    ck_assert_int_eq(cap_lookup(&A, 5, RS_OBJ_NONE, 0, &c), E_NOCAP);
    ck_assert_int_eq(cap_lookup(&A, 1u << 20, RS_OBJ_NONE, 0, &c), E_NOCAP);
    ck_assert_int_eq(cap_lookup(&A, 1, RS_OBJ_FRAME, 0, &c), E_TYPE);
    ck_assert_int_eq(cap_lookup(&A, 1, RS_OBJ_ENDPOINT, RS_RIGHT_WRITE, &c), E_RIGHTS);
    ck_assert_int_eq(cap_lookup(&A, 1, RS_OBJ_ENDPOINT, RS_RIGHT_READ, &c), E_OK);
    ck_assert_ptr_eq(c, &A.slots[1]);
    ep.dead = 1;
    ck_assert_int_eq(cap_lookup(&A, 1, RS_OBJ_ENDPOINT, RS_RIGHT_READ, &c), E_CAPFAULT);
}
END_TEST

START_TEST(derive_with_fewer_rights_and_a_badge)
{
    cap_install(&A, 1, &ep, RS_RIGHTS_ALL, 0);
    ck_assert_int_eq(cap_derive(&A.slots[1], &A, 2, RS_RIGHT_WRITE, 0x42), E_OK);
    ck_assert_uint_eq(A.slots[2].rights, RS_RIGHT_WRITE);
    ck_assert_uint_eq(A.slots[2].badge, 0x42);
    ck_assert_ptr_eq(A.slots[2].parent, &A.slots[1]);
    ck_assert_uint_eq(ep.refs, 3);
}
END_TEST

START_TEST(derive_refuses_more_rights)
{
    cap_install(&A, 1, &ep, RS_RIGHT_READ, 0);
    ck_assert_int_eq(cap_derive(&A.slots[1], &A, 2, RS_RIGHT_READ | RS_RIGHT_WRITE, 0),
                     E_RIGHTS);
    ck_assert_ptr_null(A.slots[2].obj);
    ck_assert_ptr_null(A.slots[1].children);
    ck_assert_uint_eq(ep.refs, 2);
}
END_TEST

START_TEST(derive_refuses_rebadging)
{
    cap_install(&A, 1, &ep, RS_RIGHTS_ALL, 7);
    ck_assert_int_eq(cap_derive(&A.slots[1], &A, 2, RS_RIGHT_WRITE, 8), E_INVAL);
    ck_assert_int_eq(cap_derive(&A.slots[1], &A, 2, RS_RIGHT_WRITE, 7), E_OK);
}
END_TEST

START_TEST(derive_refuses_badges_on_unbadgeable_kinds)
{
    cap_install(&A, 1, &frame, RS_RIGHTS_ALL, 0);
    ck_assert_int_eq(cap_derive(&A.slots[1], &A, 2, RS_RIGHT_READ, 1), E_INVAL);
    ck_assert_int_eq(cap_derive(&A.slots[1], &A, 2, RS_RIGHT_READ, 0), E_OK);
}
END_TEST

START_TEST(derive_into_another_cspace)
{
    cap_install(&A, 1, &ep, RS_RIGHTS_ALL, 0);
    ck_assert_int_eq(cap_derive(&A.slots[1], &B, 4, RS_RIGHT_WRITE, 0), E_OK);
    ck_assert_ptr_eq(B.slots[4].cs, &B);
    ck_assert_ptr_eq(B.slots[4].parent, &A.slots[1]);
}
END_TEST

START_TEST(delete_reparents_children)
{
    cap_install(&A, 1, &ep, RS_RIGHTS_ALL, 0);
    cap_derive(&A.slots[1], &A, 2, RS_RIGHTS_ALL, 0);
    cap_derive(&A.slots[2], &B, 3, RS_RIGHTS_ALL, 0);
    cap_derive(&A.slots[2], &B, 4, RS_RIGHTS_ALL, 0);
    cap_delete(&A.slots[2]);
    ck_assert_ptr_null(A.slots[2].obj);
    ck_assert_ptr_eq(B.slots[3].parent, &A.slots[1]);
    ck_assert_ptr_eq(B.slots[4].parent, &A.slots[1]);
    ck_assert_int_eq(count_children(&A.slots[1]), 2);
    ck_assert_int_eq(deleted_hooks, 1);
}
END_TEST

START_TEST(revoke_removes_every_descendant_and_keeps_the_root)
{
    cap_install(&A, 1, &ep, RS_RIGHTS_ALL, 0);
    cap_derive(&A.slots[1], &A, 2, RS_RIGHTS_ALL, 0);
    cap_derive(&A.slots[2], &B, 3, RS_RIGHTS_ALL, 0);
    cap_derive(&B.slots[3], &B, 4, RS_RIGHT_READ, 0);
    cap_derive(&A.slots[1], &B, 5, RS_RIGHT_READ, 0);
    cap_install(&A, 6, &frame, RS_RIGHTS_ALL, 0);
    ck_assert_int_eq(cap_revoke(&A.slots[1], ~0u), 0);
    ck_assert_ptr_eq(A.slots[1].obj, &ep);
    ck_assert_ptr_null(A.slots[1].children);
    ck_assert_ptr_null(A.slots[2].obj);
    ck_assert_ptr_null(B.slots[3].obj);
    ck_assert_ptr_null(B.slots[4].obj);
    ck_assert_ptr_null(B.slots[5].obj);
    ck_assert_ptr_eq(A.slots[6].obj, &frame);       /* unrelated: untouched */
    ck_assert_int_eq(deleted_hooks, 4);
    ck_assert_uint_eq(ep.refs, 2);
}
END_TEST

START_TEST(revoke_of_a_middle_cap_spares_its_parent_and_siblings)
{
    cap_install(&A, 1, &ep, RS_RIGHTS_ALL, 0);
    cap_derive(&A.slots[1], &A, 2, RS_RIGHTS_ALL, 0);
    cap_derive(&A.slots[1], &A, 3, RS_RIGHTS_ALL, 0);
    cap_derive(&A.slots[2], &A, 4, RS_RIGHTS_ALL, 0);
    ck_assert_int_eq(cap_revoke(&A.slots[2], ~0u), 0);
    ck_assert_ptr_null(A.slots[4].obj);
    ck_assert_ptr_eq(A.slots[2].obj, &ep);
    ck_assert_ptr_eq(A.slots[3].obj, &ep);
    ck_assert_int_eq(count_children(&A.slots[1]), 2);
}
END_TEST

START_TEST(move_keeps_the_tree)
{
    cap_install(&A, 1, &ep, RS_RIGHTS_ALL, 0);
    cap_derive(&A.slots[1], &A, 2, RS_RIGHTS_ALL, 0);
    cap_derive(&A.slots[2], &A, 3, RS_RIGHTS_ALL, 0);
    ck_assert_int_eq(cap_move(&A, 2, 9), E_OK);
    ck_assert_ptr_null(A.slots[2].obj);
    ck_assert_uint_eq(A.slots[9].slot, 9);
    ck_assert_ptr_eq(A.slots[9].parent, &A.slots[1]);
    ck_assert_ptr_eq(A.slots[1].children, &A.slots[9]);
    ck_assert_ptr_eq(A.slots[3].parent, &A.slots[9]);
    ck_assert_int_eq(cap_revoke(&A.slots[1], ~0u), 0);
    ck_assert_ptr_null(A.slots[9].obj);
    ck_assert_ptr_null(A.slots[3].obj);
}
END_TEST

START_TEST(move_refuses_empty_source_and_occupied_target)
{
    cap_install(&A, 1, &ep, RS_RIGHTS_ALL, 0);
    cap_install(&A, 2, &frame, RS_RIGHTS_ALL, 0);
    ck_assert_int_eq(cap_move(&A, 5, 6), E_NOCAP);
    ck_assert_int_eq(cap_move(&A, 1, 2), E_EXISTS);
    ck_assert_int_eq(cap_move(&A, 1, 0), E_NOCAP);
    ck_assert_ptr_eq(A.slots[1].obj, &ep);
}
END_TEST

START_TEST(cspace_clear_drops_every_reference)
{
    cap_install(&A, 1, &ep, RS_RIGHTS_ALL, 0);
    cap_derive(&A.slots[1], &A, 2, RS_RIGHTS_ALL, 0);
    cap_derive(&A.slots[2], &B, 3, RS_RIGHTS_ALL, 0);
    cspace_clear(&A);
    for (int i = 0; i < SLOTS; i++)
        ck_assert_ptr_null(A.slots[i].obj);
    ck_assert_ptr_eq(B.slots[3].obj, &ep);          /* derived elsewhere: survives */
    ck_assert_ptr_null(B.slots[3].parent);
    ck_assert_uint_eq(ep.refs, 2);
    ck_assert_uint_eq(ep.ncaps, 1);
}
END_TEST

START_TEST(derive_refuses_undefined_rights_bits)
{
    cap_install(&A, 1, &ep, RS_RIGHTS_ALL, 0);
    ck_assert_int_eq(cap_derive(&A.slots[1], &A, 2, 0x100000001ull, 0), E_INVAL);
    ck_assert_int_eq(cap_derive(&A.slots[1], &A, 2, RS_RIGHTS_ALL + 1, 0), E_INVAL);
    ck_assert_int_eq(cap_derive(&A.slots[1], &A, 2, 1ull << 63, 0), E_INVAL);
    ck_assert_ptr_null(A.slots[2].obj);
    ck_assert_uint_eq(ep.refs, 2);
}
END_TEST

static int listed(const struct kobj *o, const struct cap *c)
{
    for (const struct cap *x = o->caps; x; x = x->onext)
        if (x == c)
            return 1;
    return 0;
}

static int list_length(const struct kobj *o)
{
    int n = 0;
    for (const struct cap *x = o->caps; x; x = x->onext)
        n++;
    return n;
}

START_TEST(object_lists_every_capability_through_move_and_delete)
{
    ep.id = 77;
    cap_install(&A, 1, &ep, RS_RIGHTS_ALL, 0);
    cap_derive(&A.slots[1], &A, 2, RS_RIGHTS_ALL, 0);
    cap_derive(&A.slots[1], &B, 3, RS_RIGHT_READ, 0);
    ck_assert_int_eq(list_length(&ep), 3);
    ck_assert_uint_eq(B.slots[3].obj_id, 77);
    ck_assert_int_eq(cap_move(&A, 2, 9), E_OK);
    ck_assert(listed(&ep, &A.slots[9]));
    ck_assert(!listed(&ep, &A.slots[2]));
    ck_assert_int_eq(cap_move(&A, 1, 10), E_OK);   /* the list's head moves */
    ck_assert(listed(&ep, &A.slots[10]));
    ck_assert_int_eq(list_length(&ep), 3);
    cap_delete(&A.slots[9]);
    ck_assert_int_eq(list_length(&ep), 2);
    cap_delete(&A.slots[10]);
    cap_delete(&B.slots[3]);
    ck_assert_ptr_null(ep.caps);
}
END_TEST

START_TEST(tombstone_keeps_slot_id_and_tree_and_is_a_capability_fault)
{
    struct kobj tomb = { .type = RS_OBJ_ENDPOINT, .dead = 1, .tomb = 1, .refs = 1 };
    struct cap *c;
    ep.id = 5;
    cap_install(&A, 1, &ep, RS_RIGHTS_ALL, 0);
    cap_derive(&A.slots[1], &B, 2, RS_RIGHT_WRITE, 0);
    cap_entomb(&B.slots[2], &tomb);
    ck_assert_int_eq(list_length(&ep), 1);
    ck_assert_ptr_eq(B.slots[2].obj, &tomb);
    ck_assert_uint_eq(B.slots[2].obj_id, 5);
    ck_assert_int_eq(cap_lookup(&B, 2, RS_OBJ_ENDPOINT, RS_RIGHT_WRITE, &c), E_CAPFAULT);
    ck_assert_int_eq(cap_check_empty(&B, 2), E_EXISTS);
    ck_assert_int_eq(cap_derive(&B.slots[2], &B, 3, RS_RIGHT_WRITE, 0), E_CAPFAULT);
    ck_assert_int_eq(cap_move(&B, 2, 4), E_OK);     /* tombs move like any capability */
    ck_assert_ptr_null(tomb.caps);
    ck_assert_int_eq(cap_revoke(&A.slots[1], ~0u), 0);   /* and are revoked with them */
    ck_assert_ptr_null(B.slots[4].obj);
}
END_TEST

START_TEST(revoke_in_batches_finishes_a_deep_and_wide_tree)
{
    static struct cap big[600];
    struct cspace C;
    cspace_init(&C, big, 600, 0);
    cap_install(&C, 1, &ep, RS_RIGHTS_ALL, 0);
    for (int i = 2; i < 400; i++)               /* a chain 398 deep */
        ck_assert_int_eq(cap_derive(&C.slots[i - 1], &C, i, RS_RIGHTS_ALL, 0), E_OK);
    for (int i = 400; i < 600; i++)             /* and 200 siblings half-way down */
        ck_assert_int_eq(cap_derive(&C.slots[200], &C, i, RS_RIGHTS_ALL, 0), E_OK);
    int calls = 1;
    while (cap_revoke(&C.slots[1], 16))
        calls++;
    ck_assert_int_eq(calls, (598 + 15) / 16);
    ck_assert_int_eq(deleted_hooks, 598);
    for (int i = 2; i < 600; i++)
        ck_assert_ptr_null(C.slots[i].obj);
    ck_assert_uint_eq(ep.refs, 2);
    ck_assert_int_eq(list_length(&ep), 1);
}
END_TEST

START_TEST(badgeable_kinds)
{
    ck_assert(cap_type_badgeable(RS_OBJ_ENDPOINT));
    ck_assert(cap_type_badgeable(RS_OBJ_NOTIFICATION));
    ck_assert(!cap_type_badgeable(RS_OBJ_FRAME));
    ck_assert(!cap_type_badgeable(RS_OBJ_TASK));
}
END_TEST

START_TEST(a_session_moves_with_its_capability_never_to_copies)
{
    struct frame *region = (struct frame *)&frame;          /* only its address matters */
    ck_assert_int_eq(cap_install(&A, 3, &ep, RS_RIGHTS_ALL, 0), E_OK);
    A.slots[3].session = region;
    ck_assert_int_eq(cap_derive(&A.slots[3], &B, 4, RS_RIGHTS_ALL, 0), E_OK);
    ck_assert_ptr_null(B.slots[4].session);                 /* a copy has none */
    ck_assert_int_eq(cap_move(&A, 3, 5), E_OK);
    ck_assert_ptr_eq(A.slots[5].session, region);           /* it moves with the cap */
    ck_assert_ptr_null(A.slots[3].session);
    cap_delete(&B.slots[4]);
    ck_assert_int_eq(sessions_dropped, 0);
    cap_delete(&A.slots[5]);                                /* deleting the holder drops it */
    ck_assert_int_eq(sessions_dropped, 1);
    ck_assert_ptr_eq(last_dropped, region);
    ck_assert_ptr_null(A.slots[5].session);
}
END_TEST

Suite *cap_suite(void)
{
    Suite *s = suite_create("cap");
    TCase *t = tcase_create("cspace");
    tcase_add_checked_fixture(t, setup, 0);
    tcase_add_test(t, install_takes_a_reference);
    tcase_add_test(t, derive_refuses_undefined_rights_bits);
    tcase_add_test(t, object_lists_every_capability_through_move_and_delete);
    tcase_add_test(t, tombstone_keeps_slot_id_and_tree_and_is_a_capability_fault);
    tcase_add_test(t, revoke_in_batches_finishes_a_deep_and_wide_tree);
    tcase_add_test(t, install_refuses_slot_zero_range_and_occupied);
    tcase_add_test(t, lookup_distinguishes_every_failure);
    tcase_add_test(t, derive_with_fewer_rights_and_a_badge);
    tcase_add_test(t, derive_refuses_more_rights);
    tcase_add_test(t, derive_refuses_rebadging);
    tcase_add_test(t, derive_refuses_badges_on_unbadgeable_kinds);
    tcase_add_test(t, derive_into_another_cspace);
    tcase_add_test(t, delete_reparents_children);
    tcase_add_test(t, revoke_removes_every_descendant_and_keeps_the_root);
    tcase_add_test(t, revoke_of_a_middle_cap_spares_its_parent_and_siblings);
    tcase_add_test(t, move_keeps_the_tree);
    tcase_add_test(t, move_refuses_empty_source_and_occupied_target);
    tcase_add_test(t, cspace_clear_drops_every_reference);
    tcase_add_test(t, badgeable_kinds);
    tcase_add_test(t, a_session_moves_with_its_capability_never_to_copies);
    suite_add_tcase(s, t);
    return s;
}
