/* Unit tests for the data store's rules (datastore/store.h): identity and
 * declarations, ownership of names, read patterns, name and value checks,
 * capacity and capabilities (dead ones are absent). Subscriptions and the
 * refusal log: test_store_subs.c; the fixture: store_fixture.h. */
#include "suites.h"
#include "store_fixture.h"

/* --- identity and declarations --- */

START_TEST(the_owner_publishes_and_a_squatter_is_refused)
{
    uint64_t v;
    ck_assert_uint_eq(pub_int(UART, "console", 7), 0);
    ck_assert_uint_eq(pub_int(SHELL, "console", 666), RS_E_RIGHTS);
    ck_assert_int_eq(nlines, 1);
    ck_assert_str_eq(lines[0], "refused: shell may not publish 'console' (owned by uart)");
    ck_assert_uint_eq(del(SHELL, "console"), RS_E_RIGHTS);
    ck_assert_uint_eq(pub_cap(SHELL, "console", new_endpoint(5)), RS_E_RIGHTS);
    ck_assert_uint_eq(get_int(SHELL, "console", &v), 0);
    ck_assert_uint_eq(v, 7);                /* what the owner published is still there */
}
END_TEST

START_TEST(rs_may_publish_any_name_and_nobody_else_an_unowned_one)
{
    uint64_t v;
    ck_assert_uint_eq(pub_int(0, "console", 1), 0);
    ck_assert_uint_eq(pub_int(0, "uart.baud", 9600), 0);
    ck_assert_uint_eq(pub_int(0, "unowned", 2), 0);
    ck_assert_uint_eq(pub_int(UART, "unowned", 3), RS_E_RIGHTS);
    ck_assert_str_eq(lines[0], "refused: uart may not publish 'unowned' (owned by nobody)");
    ck_assert_uint_eq(get_int(0, "unowned", &v), 0);
    ck_assert_uint_eq(v, 2);
    ck_assert_uint_eq(del(0, "unowned"), 0);
    ck_assert_uint_eq(get_int(0, "unowned", &v), RS_E_NOENT);
}
END_TEST

START_TEST(private_names_belong_to_their_service_alone)
{
    uint64_t v;
    ck_assert_uint_eq(pub_int(UART, "uart.baud", 115200), 0);
    ck_assert_uint_eq(get_int(UART, "uart.baud", &v), 0);
    ck_assert_uint_eq(v, 115200);
    ck_assert_uint_eq(get_int(SHELL, "uart.baud", &v), RS_E_RIGHTS);
    ck_assert_str_eq(lines[0], "refused: shell may not retrieve 'uart.baud' (private to uart)");
    ck_assert_uint_eq(get_int(NET, "uart.baud", &v), RS_E_RIGHTS);   /* "*" is public only */
    ck_assert_uint_eq(pub_int(SHELL, "uart.baud", 1), RS_E_RIGHTS);
    ck_assert_uint_eq(del(SHELL, "uart.baud"), RS_E_RIGHTS);
    ck_assert_uint_eq(pub_int(SHELL, "shell.x", 1), 0);
    ck_assert_uint_eq(pub_int(UART, "shell.x", 1), RS_E_RIGHTS);
    ck_assert_uint_eq(get_int(0, "uart.baud", &v), 0);
    ck_assert_uint_eq(del(UART, "uart.baud"), 0);
}
END_TEST

START_TEST(a_private_name_of_an_undeclared_service_is_rs_only)
{
    uint64_t v;
    ck_assert_uint_eq(pub_int(NET, "disk.size", 1), RS_E_RIGHTS);
    ck_assert_uint_eq(pub_int(0, "disk.size", 1), 0);
    ck_assert_uint_eq(get_int(NET, "disk.size", &v), RS_E_RIGHTS);
    /* not a service name before the dot: a public name */
    ck_assert_uint_eq(declare(7, "fs\na/b.c .x\n"), 0);
    ck_assert_uint_eq(pub_int(7, "a/b.c", 1), 0);
    ck_assert_uint_eq(pub_int(7, ".x", 1), 0);
    ck_assert_uint_eq(get_int(NET, "a/b.c", &v), 0);
}
END_TEST

START_TEST(an_undeclared_badge_may_do_nothing)
{
    struct ds_value v;
    uint64_t slot, more;
    size_t n;
    char name[DS_NAME_MAX];
    ck_assert_uint_eq(pub_int(UART, "console", 1), 0);
    ck_assert_uint_eq(pub_int(STRANGER, "console", 1), RS_E_RIGHTS);
    ck_assert_str_eq(lines[0],
                     "refused: badge 0x9 (undeclared) may not publish 'console' (not declared by rs)");
    ck_assert_uint_eq(get(STRANGER, "console", &v), RS_E_RIGHTS);
    ck_assert_uint_eq(get_cap(STRANGER, "console", &slot), RS_E_RIGHTS);
    ck_assert_uint_eq(del(STRANGER, "console"), RS_E_RIGHTS);
    ck_assert_uint_eq(pub_cap(STRANGER, "stranger.ep", new_endpoint(3)), RS_E_RIGHTS);
    ck_assert_uint_eq(pub_int(STRANGER, "stranger.x", 1), RS_E_RIGHTS);
    ck_assert_uint_eq(subscribe(STRANGER, "*", 1, new_ntfn()), RS_E_RIGHTS);
    ck_assert_uint_eq(ds_changed(&st, STRANGER, 64, name, &n, &more), RS_E_RIGHTS);
    ck_assert_str_eq(lines[7], "refused: badge 0x9 (undeclared) may not call changed (not declared by rs)");
    ck_assert_uint_eq(drops, 0);            /* refused capabilities stay the caller's */
}
END_TEST

START_TEST(only_rs_declares)
{
    ck_assert_uint_eq(ds_declare(&st, UART, 5, "x\n\n", 3), RS_E_RIGHTS);
    const char *grab = "uart\nconsole history\n*";
    ck_assert_uint_eq(ds_declare(&st, UART, UART, grab, strlen(grab)), RS_E_RIGHTS);
    ck_assert_uint_eq(pub_int(UART, "history", 1), RS_E_RIGHTS);  /* nothing changed */
    ck_assert_uint_eq(declare(0, "rs2\n\n"), RS_E_INVAL);          /* badge 0 is RS */
    ck_assert_uint_eq(declare(5, "x\n\n"), 0);
}
END_TEST

START_TEST(declaring_again_replaces)
{
    uint64_t v;
    ck_assert_uint_eq(pub_int(UART, "console", 1), 0);
    ck_assert_uint_eq(pub_int(SHELL, "history", 1), 0);
    ck_assert_uint_eq(get_int(SHELL, "console", &v), 0);
    ck_assert_uint_eq(declare(SHELL, "shell\nhistory2\n"), 0);
    ck_assert_uint_eq(get_int(SHELL, "console", &v), RS_E_RIGHTS);
    ck_assert_str_eq(lines[0], "refused: shell may not retrieve 'console' (not in its read patterns)");
    ck_assert_uint_eq(pub_int(SHELL, "history", 2), RS_E_RIGHTS);
    ck_assert_uint_eq(pub_int(SHELL, "history2", 2), 0);
    ck_assert_uint_eq(get_int(0, "history", &v), 0);          /* entries stay */
    /* a name given up may be taken by another */
    ck_assert_uint_eq(declare(NET, "net\nhistory\n*"), 0);
    ck_assert_uint_eq(pub_int(NET, "history", 3), 0);
}
END_TEST

START_TEST(declarations_that_clash_are_refused)
{
    ck_assert_uint_eq(declare(5, "evil\nconsole\n"), RS_E_EXISTS);
    ck_assert_uint_eq(declare(5, "uart\n\n"), RS_E_EXISTS);
    ck_assert_uint_eq(declare(5, "rs\n\n"), RS_E_EXISTS);
    ck_assert_uint_eq(declare(SHELL, "shell\nnet/lo\n"), RS_E_EXISTS);
    ck_assert_uint_eq(declare(UART, "uart\nconsole\n"), 0);       /* its own: fine */
    ck_assert_uint_eq(declare(5, "evil\n\n"), 0);
}
END_TEST

START_TEST(malformed_declarations_are_refused_and_change_nothing)
{
    char long_svc[] = "abcdefghijklmnop\n\n";      /* 16 bytes */
    uint64_t v;
    ck_assert_uint_eq(declare(SHELL, ""), RS_E_INVAL);
    ck_assert_uint_eq(declare(SHELL, "shell"), RS_E_INVAL);
    ck_assert_uint_eq(declare(SHELL, "shell\nhistory"), RS_E_INVAL);
    ck_assert_uint_eq(declare(SHELL, "shell\n\n\nmore"), RS_E_INVAL);
    ck_assert_uint_eq(declare(SHELL, "\n\n"), RS_E_INVAL);
    ck_assert_uint_eq(declare(SHELL, "sh ell\n\n"), RS_E_INVAL);
    ck_assert_uint_eq(declare(SHELL, "sh.ell\n\n"), RS_E_INVAL);
    ck_assert_uint_eq(declare(SHELL, long_svc), RS_E_RANGE);
    long_svc[15] = '\n';
    ck_assert_uint_eq(declare(6, long_svc), 0);                 /* 15 bytes: fine */
    ck_assert_uint_eq(declare(SHELL, "shell\nshell.x\n"), RS_E_INVAL);   /* private */
    ck_assert_uint_eq(declare(SHELL, "shell\na b c d e f g h i\n"), RS_E_RANGE);
    ck_assert_uint_eq(declare(SHELL, "shell\na  b\tc\n"), RS_E_INVAL);
    ck_assert_uint_eq(declare(SHELL, "shell\n\na*b"), RS_E_INVAL);
    ck_assert_uint_eq(declare(SHELL, "shell\n\n**"), RS_E_INVAL);
    ck_assert_uint_eq(declare(SHELL, "shell\n\n1 2 3 4 5 6 7 8 9"), RS_E_RANGE);
    ck_assert_uint_eq(ds_declare(&st, 0, SHELL, "shell\n\0\n", 8), RS_E_INVAL);
    ck_assert_uint_eq(pub_int(UART, "console", 1), 0);
    ck_assert_uint_eq(get_int(SHELL, "console", &v), 0);        /* still as declared */
    ck_assert_uint_eq(pub_int(SHELL, "history", 1), 0);
    ck_assert_uint_eq(declare(SHELL, "shell\na  b  \n  console  "), 0);  /* spaces are fine */
}
END_TEST

START_TEST(the_service_table_is_bounded)
{
    int declared = 0;
    char text[32];
    uint32_t e = 0;
    for (uint64_t b = 100; !e; b++, declared++) {
        snprintf(text, sizeof text, "svc%lu\n\n", (unsigned long)b);
        e = declare(b, text);
    }
    ck_assert_uint_eq(e, RS_E_QUOTA);
    ck_assert_int_eq(declared - 1, DS_SERVICES_MAX - 3);
    ck_assert_uint_eq(declare(UART, "uart\nconsole\n"), 0);      /* re-declaring still works */
}
END_TEST

/* --- read patterns --- */

START_TEST(read_patterns_exact_prefix_and_star)
{
    uint64_t v;
    ck_assert_uint_eq(pub_int(UART, "console", 1), 0);
    ck_assert_uint_eq(pub_int(NET, "net/eth0", 2), 0);
    ck_assert_uint_eq(pub_int(0, "netx", 3), 0);
    ck_assert_uint_eq(pub_int(0, "consoles", 4), 0);
    ck_assert_uint_eq(get_int(SHELL, "console", &v), 0);        /* exact */
    ck_assert_uint_eq(get_int(SHELL, "consoles", &v), RS_E_RIGHTS);
    ck_assert_uint_eq(get_int(SHELL, "net/eth0", &v), 0);       /* prefix */
    ck_assert_uint_eq(v, 2);
    ck_assert_uint_eq(get_int(SHELL, "netx", &v), RS_E_RIGHTS);
    ck_assert_uint_eq(get_int(NET, "netx", &v), 0);             /* star */
    ck_assert_uint_eq(get_int(NET, "console", &v), 0);
    ck_assert_uint_eq(get_int(UART, "console", &v), 0);         /* an owner reads its own */
    ck_assert_uint_eq(get_int(UART, "netx", &v), RS_E_RIGHTS);  /* no patterns: nothing else */
    ck_assert_uint_eq(get_int(SHELL, "net/nothing", &v), RS_E_NOENT);
}
END_TEST

/* --- names --- */

START_TEST(bad_names_are_refused)
{
    struct ds_value v;
    char name[DS_NAME_MAX + 2];
    memset(name, 'a', sizeof name);
    name[DS_NAME_MAX] = '\0';
    ck_assert_uint_eq(pub_int(0, name, 1), 0);                  /* 47 bytes: fine */
    ck_assert_uint_eq(get(0, name, &v), 0);
    name[DS_NAME_MAX] = 'a', name[DS_NAME_MAX + 1] = '\0';
    ck_assert_uint_eq(pub_int(0, name, 1), RS_E_RANGE);
    ck_assert_uint_eq(get(0, name, &v), RS_E_RANGE);
    ck_assert_uint_eq(ds_retrieve(&st, 0, "", 0, &v), RS_E_INVAL);
    ck_assert_uint_eq(ds_retrieve(&st, 0, 0, 0, &v), RS_E_INVAL);
    ck_assert_uint_eq(ds_retrieve(&st, 0, "\0", 1, &v), RS_E_INVAL);
    ck_assert_uint_eq(ds_retrieve(&st, 0, "ab\0c", 4, &v), RS_E_INVAL);
    ck_assert_uint_eq(ds_retrieve(&st, 0, "ab\0\0", 4, &v), RS_E_INVAL);
    ck_assert_uint_eq(ds_retrieve(&st, 0, "aaaaaaaa\0", 9, &v), RS_E_NOENT);  /* one NUL: fine */
    const char *bad[] = { "a b", "a\x01", "caf\xc3\xa9", "a*", "*", "a:b", "a\n" };
    for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        ck_assert_uint_eq(get(0, bad[i], &v), RS_E_INVAL);
        ck_assert_uint_eq(pub_int(0, bad[i], 1), RS_E_INVAL);
        ck_assert_uint_eq(del(0, bad[i]), RS_E_INVAL);
    }
    ck_assert_uint_eq(ds_publish(&st, 0, DS_INT, 1, "abc", 3), RS_E_INVAL);    /* no NUL */
    ck_assert_uint_eq(ds_publish(&st, 0, DS_INT, 1, 0, 0), RS_E_INVAL);
    ck_assert_uint_eq(ds_publish(&st, 0, DS_INT, 1, "\0", 1), RS_E_INVAL);     /* empty */
    ck_assert_uint_eq(st.nentries, 1);
}
END_TEST

START_TEST(refusal_lines_show_names_safely)
{
    struct ds_value v;
    char name[80];
    memset(name, 'b', sizeof name);
    ck_assert_uint_eq(ds_retrieve(&st, SHELL, "a\x01\x1b'x", 5, &v), RS_E_INVAL);
    ck_assert_str_eq(lines[0], "refused: shell retrieve 'a???x': bad name (error 1)");
    ck_assert_uint_eq(ds_retrieve(&st, SHELL, name, sizeof name, &v), RS_E_RANGE);
    ck_assert_ptr_nonnull(strstr(lines[1], "'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb...'"));
}
END_TEST

/* --- values --- */

START_TEST(values_and_their_types)
{
    struct ds_value v;
    uint8_t blob[DS_VALUE_MAX + 1];
    for (unsigned i = 0; i < sizeof blob; i++)
        blob[i] = (uint8_t)(i * 7);             /* NULs included */
    ck_assert_uint_eq(pub_int(UART, "console", 0xFFFFFFFFFFFFFFFFull), 0);
    ck_assert_uint_eq(get(SHELL, "console", &v), 0);
    ck_assert_uint_eq(v.type, DS_INT);
    ck_assert_uint_eq(v.ival, 0xFFFFFFFFFFFFFFFFull);
    ck_assert_ptr_null(v.bytes);
    ck_assert_uint_eq(publish(UART, DS_INT, 1, "console", "x", 1), RS_E_INVAL);
    ck_assert_uint_eq(pub_str(UART, "console", "hello"), 0);
    ck_assert_uint_eq(get(SHELL, "console", &v), 0);
    ck_assert_uint_eq(v.type, DS_STRING);
    ck_assert_uint_eq(v.len, 5);
    ck_assert_uint_eq(v.ival, 5);
    ck_assert_mem_eq(v.bytes, "hello", 5);
    ck_assert_uint_eq(publish(UART, DS_STRING, 0, "console", "a\0b", 3), RS_E_INVAL);
    ck_assert_uint_eq(publish(UART, DS_STRING, 0, "console", blob + 1, DS_VALUE_MAX), RS_E_INVAL);
    memset(blob + DS_VALUE_MAX / 2, 'z', DS_VALUE_MAX / 2 + 1);
    ck_assert_uint_eq(publish(UART, DS_STRING, 0, "console", blob + DS_VALUE_MAX / 2, DS_VALUE_MAX / 2 + 1), 0);
    ck_assert_uint_eq(pub_str(UART, "console", ""), 0);         /* empty is a value */
    ck_assert_uint_eq(get(SHELL, "console", &v), 0);
    ck_assert_uint_eq(v.len, 0);
    for (unsigned i = 0; i < sizeof blob; i++)
        blob[i] = (uint8_t)(i * 7);
    ck_assert_uint_eq(publish(UART, DS_BLOB, 0, "console", blob, DS_VALUE_MAX), 0);
    ck_assert_uint_eq(get(SHELL, "console", &v), 0);
    ck_assert_uint_eq(v.type, DS_BLOB);
    ck_assert_uint_eq(v.len, DS_VALUE_MAX);
    ck_assert_mem_eq(v.bytes, blob, DS_VALUE_MAX);
    ck_assert_uint_eq(publish(UART, DS_BLOB, 0, "console", blob, DS_VALUE_MAX + 1), RS_E_RANGE);
    memset(blob, 'a', sizeof blob);
    ck_assert_uint_eq(publish(UART, DS_STRING, 0, "console", blob, DS_VALUE_MAX + 1), RS_E_RANGE);
    ck_assert_uint_eq(publish(UART, 0, 0, "console", "", 0), RS_E_INVAL);
    ck_assert_uint_eq(publish(UART, DS_CAP, 0, "console", "", 0), RS_E_INVAL);
    ck_assert_uint_eq(publish(UART, 99, 0, "console", "", 0), RS_E_INVAL);
    ck_assert_uint_eq(get(SHELL, "console", &v), 0);            /* refusals changed nothing */
    ck_assert_uint_eq(v.type, DS_BLOB);
    ck_assert_mem_eq(v.bytes + 1, "\x07\x0e", 2);
}
END_TEST

START_TEST(overwriting_may_change_the_type_and_drops_a_capability)
{
    struct ds_value v;
    uint64_t ep = new_endpoint(4), ep2 = new_endpoint(5);
    ck_assert_uint_eq(pub_int(UART, "console", 1), 0);
    ck_assert_uint_eq(pub_cap(UART, "console", ep), 0);
    ck_assert_uint_eq(get(SHELL, "console", &v), 0);
    ck_assert_uint_eq(v.type, DS_CAP);
    ck_assert_ptr_null(v.bytes);
    ck_assert_uint_eq(v.len, 0);
    ck_assert_uint_eq(pub_cap(UART, "console", ep2), 0);
    ck_assert(!caps[ep].present);                               /* the old one dropped */
    ck_assert(caps[ep2].present);
    ck_assert_uint_eq(pub_str(UART, "console", "text"), 0);
    ck_assert(!caps[ep2].present);
    ck_assert_uint_eq(drops, 2);
    ck_assert_uint_eq(st.nentries, 1);
    ck_assert_uint_eq(st.clients[UART].entries, 1);
}
END_TEST

START_TEST(delete_by_the_owner_only)
{
    uint64_t v, ep = new_endpoint(4);
    ck_assert_uint_eq(pub_cap(UART, "console", ep), 0);
    ck_assert_uint_eq(del(SHELL, "console"), RS_E_RIGHTS);
    ck_assert(caps[ep].present);
    ck_assert_uint_eq(del(UART, "console"), 0);
    ck_assert(!caps[ep].present);
    ck_assert_uint_eq(get_int(SHELL, "console", &v), RS_E_NOENT);
    ck_assert_uint_eq(del(UART, "console"), RS_E_NOENT);
    ck_assert_int_eq(nlines, 1);                                /* NOENT is not logged */
    ck_assert_uint_eq(st.nentries, 0);
    ck_assert_uint_eq(st.clients[UART].entries, 0);
}
END_TEST

/* --- capacity --- */

START_TEST(the_store_holds_a_bounded_number_of_entries)
{
    char name[16];
    for (int i = 0; i < DS_ENTRIES_MAX; i++) {
        snprintf(name, sizeof name, "n%d", i);
        ck_assert_uint_eq(pub_int(0, name, (uint64_t)i), 0);
    }
    ck_assert_uint_eq(pub_int(0, "one-more", 1), RS_E_QUOTA);
    ck_assert_str_eq(lines[0], "refused: rs publish 'one-more': the store is full (128 entries) (error 15)");
    ck_assert_uint_eq(pub_int(UART, "console", 1), RS_E_QUOTA);
    ck_assert_uint_eq(pub_int(0, "n5", 55), 0);                 /* overwriting still works */
    ck_assert_uint_eq(del(0, "n5"), 0);
    ck_assert_uint_eq(pub_int(UART, "console", 1), 0);
    ck_assert_uint_eq(pub_int(0, "one-more", 1), RS_E_QUOTA);
}
END_TEST

START_TEST(one_owner_cannot_fill_the_store)
{
    char name[24];
    for (int i = 0; i < DS_OWNER_SHARE; i++) {
        snprintf(name, sizeof name, "uart.n%d", i);
        ck_assert_uint_eq(pub_int(UART, name, 1), 0);
    }
    ck_assert_uint_eq(pub_int(UART, "uart.more", 1), RS_E_QUOTA);
    ck_assert_str_eq(lines[0], "refused: uart publish 'uart.more': uart has its share of 32 entries (error 15)");
    ck_assert_uint_eq(pub_int(UART, "console", 1), RS_E_QUOTA);   /* public ones count too */
    ck_assert_uint_eq(pub_int(0, "uart.more", 1), RS_E_QUOTA);    /* charged to uart */
    ck_assert_uint_eq(pub_int(SHELL, "shell.mine", 1), 0);        /* others have room */
    ck_assert_uint_eq(pub_int(UART, "uart.n0", 2), 0);            /* overwriting still works */
    ck_assert_uint_eq(del(UART, "uart.n0"), 0);
    ck_assert_uint_eq(pub_int(UART, "uart.more", 1), 0);
}
END_TEST

/* --- capabilities --- */

START_TEST(capabilities_are_kept_and_copied_out)
{
    uint64_t slot, ep = new_endpoint(4);
    ck_assert_uint_eq(pub_cap(UART, "console", ep), 0);
    ck_assert_uint_eq(get_cap(SHELL, "console", &slot), 0);
    ck_assert_uint_eq(slot, ep);
    ck_assert(caps[ep].present);                        /* the store keeps its own */
    ck_assert_uint_eq(get_cap(SHELL, "console", &slot), 0);
    ck_assert_uint_eq(get_cap(SHELL, "consoles", &slot), RS_E_RIGHTS);
    ck_assert_uint_eq(pub_int(UART, "uart.baud", 9600), 0);
    ck_assert_uint_eq(get_cap(UART, "uart.baud", &slot), RS_E_TYPE);
    ck_assert_uint_eq(slot, 0);
    ck_assert_uint_eq(get_cap(UART, "uart.none", &slot), RS_E_NOENT);
    uint64_t n = new_cap(RS_OBJ_NOTIFICATION, RS_RIGHT_WRITE, 0);
    ck_assert_uint_eq(pub_cap(UART, "uart.ntfn", n), 0);        /* only endpoints need badges */
}
END_TEST

START_TEST(unbadged_dead_or_missing_capabilities_are_refused)
{
    uint64_t slot, ep0 = new_endpoint(0), dead = new_endpoint(3);
    caps[dead].dead = 1;
    ck_assert_uint_eq(pub_cap(UART, "console", ep0), RS_E_INVAL);
    ck_assert_str_eq(lines[0], "refused: uart publish_cap 'console': an unbadged endpoint (error 1)");
    ck_assert_uint_eq(pub_cap(0, "console", ep0), RS_E_INVAL);  /* not even from RS */
    ck_assert_uint_eq(pub_cap(UART, "console", dead), RS_E_INVAL);
    ck_assert_uint_eq(pub_cap(UART, "console", 0), RS_E_INVAL);
    ck_assert_uint_eq(pub_cap(UART, "console", 200), RS_E_INVAL);   /* an empty slot */
    ck_assert_uint_eq(ds_publish_cap(&st, UART, "con sole", 8, new_endpoint(3)), RS_E_INVAL);
    ck_assert(caps[ep0].present && caps[dead].present);         /* still the caller's */
    ck_assert_uint_eq(drops, 0);
    ck_assert_uint_eq(get_cap(SHELL, "console", &slot), RS_E_NOENT);
}
END_TEST

START_TEST(a_dead_capability_is_absent_and_removed)
{
    struct ds_value v;
    uint64_t slot, ep = new_endpoint(4), ntfn = new_ntfn();
    ck_assert_uint_eq(pub_cap(UART, "console", ep), 0);
    ck_assert_uint_eq(subscribe(SHELL, "console", 2, ntfn), 0);
    signals = 0;
    caps[ep].dead = 1;                                  /* uart died */
    ck_assert_uint_eq(get_cap(SHELL, "console", &slot), RS_E_NOENT);
    ck_assert_uint_eq(slot, 0);
    ck_assert(!caps[ep].present);
    ck_assert_uint_eq(st.nentries, 0);
    ck_assert_uint_eq(st.clients[UART].entries, 0);
    ck_assert_int_eq(signals, 1);                       /* the removal is a change */
    ck_assert_str_eq(changed(SHELL, 0), "console");
    ck_assert_uint_eq(get(SHELL, "console", &v), RS_E_NOENT);
    ck_assert_int_eq(nlines, 0);
    /* retrieve (not _cap) sees the death too */
    uint64_t ep2 = new_endpoint(4);
    ck_assert_uint_eq(pub_cap(UART, "console", ep2), 0);
    caps[ep2].dead = 1;
    ck_assert_uint_eq(get(SHELL, "console", &v), RS_E_NOENT);
    ck_assert(!caps[ep2].present);
}
END_TEST

START_TEST(dead_capabilities_make_room)
{
    char name[24];
    uint64_t first = 0;
    for (int i = 0; i < DS_OWNER_SHARE; i++) {
        snprintf(name, sizeof name, "uart.ep%d", i);
        uint64_t ep = new_endpoint(4);
        first = first ? first : ep;
        ck_assert_uint_eq(pub_cap(UART, name, ep), 0);
    }
    ck_assert_uint_eq(pub_int(UART, "uart.x", 1), RS_E_QUOTA);
    caps[first].dead = 1;
    ck_assert_uint_eq(pub_int(UART, "uart.x", 1), 0);
    ck_assert(!caps[first].present);
    ck_assert_uint_eq(st.clients[UART].entries, DS_OWNER_SHARE);
}
END_TEST

Suite *store_suite(void)
{
    Suite *s = suite_create("datastore");
    TCase *t = tcase_create("rules");
    tcase_add_checked_fixture(t, setup, 0);
    tcase_add_test(t, the_owner_publishes_and_a_squatter_is_refused);
    tcase_add_test(t, rs_may_publish_any_name_and_nobody_else_an_unowned_one);
    tcase_add_test(t, private_names_belong_to_their_service_alone);
    tcase_add_test(t, a_private_name_of_an_undeclared_service_is_rs_only);
    tcase_add_test(t, an_undeclared_badge_may_do_nothing);
    tcase_add_test(t, only_rs_declares);
    tcase_add_test(t, declaring_again_replaces);
    tcase_add_test(t, declarations_that_clash_are_refused);
    tcase_add_test(t, malformed_declarations_are_refused_and_change_nothing);
    tcase_add_test(t, the_service_table_is_bounded);
    tcase_add_test(t, read_patterns_exact_prefix_and_star);
    tcase_add_test(t, bad_names_are_refused);
    tcase_add_test(t, refusal_lines_show_names_safely);
    tcase_add_test(t, values_and_their_types);
    tcase_add_test(t, overwriting_may_change_the_type_and_drops_a_capability);
    tcase_add_test(t, delete_by_the_owner_only);
    tcase_add_test(t, the_store_holds_a_bounded_number_of_entries);
    tcase_add_test(t, one_owner_cannot_fill_the_store);
    tcase_add_test(t, capabilities_are_kept_and_copied_out);
    tcase_add_test(t, unbadged_dead_or_missing_capabilities_are_refused);
    tcase_add_test(t, a_dead_capability_is_absent_and_removed);
    tcase_add_test(t, dead_capabilities_make_room);
    suite_add_tcase(s, t);
    return s;
}
