/* Unit tests of the reincarnation server's policy engine (reincarnation/policy.c)
 * and dependency order (reincarnation/depends.c). */
#include <string.h>
#include "declare.h"
#include "depends.h"
#include "policy.h"
#include "suites.h"

static struct policy pol;
static struct policy_history hist;

static void setup(void)
{
    pol = policy_default;
    pol.max_restarts = 3;
    pol.window_ms = 1000;
    pol.backoff_base_ms = 10;
    pol.backoff_cap_ms = 50;
    pol.init_retries = 2;
    memset(&hist, 0, sizeof hist);
}

static struct decision decide(enum failure f, int in_init, uint64_t now)
{
    return policy_decide(&pol, &hist, f, in_init, now);
}

START_TEST(test_first_restart_is_immediate_then_backs_off)
{
    struct decision d = decide(FAIL_CRASH, 0, 100);
    ck_assert_int_eq(d.action, ACT_RESTART);
    ck_assert_uint_eq(d.delay_ms, 0);
    ck_assert_uint_eq(decide(FAIL_CRASH, 0, 110).delay_ms, 10);
    ck_assert_uint_eq(decide(FAIL_HANG, 0, 130).delay_ms, 20);
}
END_TEST

START_TEST(test_backoff_doubles_up_to_its_cap)
{
    ck_assert_uint_eq(policy_backoff(&pol, 0), 0);
    ck_assert_uint_eq(policy_backoff(&pol, 1), 10);
    ck_assert_uint_eq(policy_backoff(&pol, 2), 20);
    ck_assert_uint_eq(policy_backoff(&pol, 3), 40);
    ck_assert_uint_eq(policy_backoff(&pol, 4), 50);
    ck_assert_uint_eq(policy_backoff(&pol, 1000), 50);      /* no overflow */
}
END_TEST

START_TEST(test_intensity_exceeded_escalates)
{
    for (int i = 0; i < 3; i++)
        ck_assert_int_eq(decide(FAIL_CRASH, 0, 100 + i).action, ACT_RESTART);
    struct decision d = decide(FAIL_CRASH, 0, 200);
    ck_assert_int_eq(d.action, ACT_DEGRADE);
    ck_assert_str_eq(d.why, "restart intensity exceeded");
}
END_TEST

START_TEST(test_restarts_leave_the_window)
{
    for (int i = 0; i < 3; i++)
        decide(FAIL_CRASH, 0, 100 + i);
    struct decision d = decide(FAIL_CRASH, 0, 1200);  /* the three are 1.1 s old */
    ck_assert_int_eq(d.action, ACT_RESTART);
    ck_assert_uint_eq(d.delay_ms, 0);               /* immediate again */
}
END_TEST

START_TEST(test_temporary_is_never_restarted)
{
    pol.type = RESTART_TEMPORARY;
    ck_assert_int_eq(decide(FAIL_CRASH, 0, 1).action, ACT_STOP);
    ck_assert_int_eq(decide(FAIL_EXIT_ERROR, 0, 2).action, ACT_STOP);
}
END_TEST

START_TEST(test_transient_restarts_only_abnormal_ends)
{
    pol.type = RESTART_TRANSIENT;
    ck_assert_int_eq(decide(FAIL_EXIT_OK, 0, 1).action, ACT_STOP);
    ck_assert_int_eq(decide(FAIL_EXIT_ERROR, 0, 2).action, ACT_RESTART);
    ck_assert_int_eq(decide(FAIL_CRASH, 0, 3).action, ACT_RESTART);
    ck_assert_int_eq(decide(FAIL_HANG, 0, 4).action, ACT_RESTART);
}
END_TEST

START_TEST(test_permanent_restarts_even_a_normal_exit)
{
    ck_assert_int_eq(decide(FAIL_EXIT_OK, 0, 1).action, ACT_RESTART);
}
END_TEST

START_TEST(test_init_failures_are_bounded_and_back_off)
{
    pol.max_restarts = 30;
    struct decision d = decide(FAIL_CRASH, 1, 10);
    ck_assert_int_eq(d.action, ACT_RESTART);
    ck_assert_uint_eq(d.delay_ms, 0);
    d = decide(FAIL_CRASH, 1, 20);
    ck_assert_int_eq(d.action, ACT_RESTART);
    ck_assert_uint_eq(d.delay_ms, 10);              /* never a tight loop */
    d = decide(FAIL_CRASH, 1, 40);                    /* the third: beyond 2 retries */
    ck_assert_int_eq(d.action, ACT_DEGRADE);
    ck_assert_str_eq(d.why, "fails during initialisation");
}
END_TEST

START_TEST(test_ready_forgives_init_failures)
{
    pol.max_restarts = 30;
    decide(FAIL_CRASH, 1, 10);
    decide(FAIL_CRASH, 1, 20);
    policy_ready(&hist);
    ck_assert_int_eq(decide(FAIL_CRASH, 1, 30).action, ACT_RESTART);
}
END_TEST

START_TEST(test_escalation_restarts_dependents_once_per_window)
{
    pol.escalate = ESCALATE_RESTART_DEPENDENTS;
    for (int i = 0; i < 3; i++)
        decide(FAIL_CRASH, 0, 100 + i);
    struct decision d = decide(FAIL_CRASH, 0, 110);
    ck_assert_int_eq(d.action, ACT_RESTART_DEPENDENTS);
    for (int i = 0; i < 3; i++)                     /* the history starts again */
        ck_assert_int_eq(decide(FAIL_CRASH, 0, 120 + i).action, ACT_RESTART);
    ck_assert_int_eq(decide(FAIL_CRASH, 0, 130).action, ACT_DEGRADE);  /* twice: degrade */
}
END_TEST

START_TEST(test_escalation_can_stop_dependents)
{
    pol.escalate = ESCALATE_STOP_DEPENDENTS;
    for (int i = 0; i < 3; i++)
        decide(FAIL_CRASH, 0, 100 + i);
    ck_assert_int_eq(decide(FAIL_CRASH, 0, 110).action, ACT_STOP_DEPENDENTS);
}
END_TEST

START_TEST(test_requested_restart_is_not_counted)
{
    for (int i = 0; i < 10; i++)
        ck_assert_int_eq(decide(FAIL_KILLED, 0, 100 + i).action, ACT_RESTART);
    ck_assert_uint_eq(hist.nrestarts, 0);
}
END_TEST

START_TEST(test_history_is_bounded)
{
    pol.max_restarts = POLICY_HISTORY;
    pol.window_ms = ~0ull;
    for (unsigned i = 0; i < POLICY_HISTORY; i++)
        ck_assert_int_eq(decide(FAIL_CRASH, 0, i).action, ACT_RESTART);
    ck_assert_uint_eq(hist.nrestarts, POLICY_HISTORY);
    ck_assert_int_eq(decide(FAIL_CRASH, 0, 99).action, ACT_DEGRADE);
}
END_TEST

START_TEST(test_bad_policies_are_named)
{
    ck_assert_ptr_null(policy_check(&pol));
    pol.heartbeat_ms = 5;
    ck_assert_str_eq(policy_check(&pol), "heartbeat period below 10 ms");
    pol.heartbeat_ms = 10;
    ck_assert_ptr_null(policy_check(&pol));
    pol.max_restarts = 33;
    ck_assert_str_eq(policy_check(&pol), "max_restarts above 32");
    pol.max_restarts = 3;
    pol.backoff_cap_ms = 1;
    ck_assert_str_eq(policy_check(&pol), "backoff cap below its base");
    pol.backoff_cap_ms = 50;
    pol.type = 7;
    ck_assert_str_eq(policy_check(&pol), "unknown restart type");
}
END_TEST

START_TEST(test_override_sets_named_keys)
{
    ck_assert_ptr_null(policy_override(&pol, "max=20,window=2000,base=0,cap=0,type=transient,"
                                             "escalate=stop-dependents,heartbeat=10,misses=3"));
    ck_assert_uint_eq(pol.max_restarts, 20);
    ck_assert_uint_eq(pol.window_ms, 2000);
    ck_assert_uint_eq(pol.backoff_base_ms, 0);
    ck_assert_int_eq(pol.type, RESTART_TRANSIENT);
    ck_assert_int_eq(pol.escalate, ESCALATE_STOP_DEPENDENTS);
    ck_assert_uint_eq(pol.heartbeat_ms, 10);
    ck_assert_uint_eq(pol.heartbeat_misses, 3);
}
END_TEST

START_TEST(test_override_refuses_bad_specs_unchanged)
{
    struct policy before = pol;
    ck_assert_str_eq(policy_override(&pol, "max=3,colour=red"), "unknown policy key");
    ck_assert_str_eq(policy_override(&pol, "max"), "expected key=value");
    ck_assert_str_eq(policy_override(&pol, "max=12abc"), "a value is not a number below 2^32");
    ck_assert_str_eq(policy_override(&pol, "max=-1"), "a value is not a number below 2^32");
    ck_assert_str_eq(policy_override(&pol, "type=sometimes"),
                     "type is permanent, transient or temporary");
    ck_assert_str_eq(policy_override(&pol, "heartbeat=5"), "heartbeat period below 10 ms");
    ck_assert_int_eq(memcmp(&before, &pol, sizeof pol), 0);
}
END_TEST

#define BIT(i) ((depset_t)1 << (i))

START_TEST(test_order_puts_dependencies_first)
{
    /* 0 shell -> 2 uart -> 1 ds; 3 chatter -> 2 uart */
    depset_t deps[4] = { BIT(2), 0, BIT(1), BIT(2) };
    unsigned order[4], cycle;
    ck_assert_int_eq(depends_order(deps, 4, order, &cycle), 4);
    ck_assert_uint_eq(order[0], 1);
    ck_assert_uint_eq(order[1], 2);
    ck_assert_uint_eq(order[2], 0);
    ck_assert_uint_eq(order[3], 3);
}
END_TEST

START_TEST(test_order_finds_cycles_and_bad_indices)
{
    depset_t deps[3] = { BIT(1), BIT(2), BIT(0) };
    unsigned order[3], cycle = 99;
    ck_assert_int_eq(depends_order(deps, 3, order, &cycle), -1);
    ck_assert_uint_lt(cycle, 3);
    depset_t self[1] = { BIT(0) };
    ck_assert_int_eq(depends_order(self, 1, order, &cycle), -1);
    depset_t beyond[2] = { BIT(5), 0 };
    ck_assert_int_eq(depends_order(beyond, 2, order, &cycle), -1);
    ck_assert_uint_eq(cycle, 0);
}
END_TEST

START_TEST(test_dependents_are_transitive)
{
    depset_t deps[4] = { BIT(2), 0, BIT(1), BIT(2) };
    ck_assert_uint_eq(depends_dependents(deps, 4, 1), BIT(0) | BIT(2) | BIT(3));
    ck_assert_uint_eq(depends_dependents(deps, 4, 2), BIT(0) | BIT(3));
    ck_assert_uint_eq(depends_dependents(deps, 4, 0), 0);
}
END_TEST

static struct declared decl;
static char key[32];

static const char *parse(const char *text)
{
    return declare_parse(text, strlen(text), &decl, key, sizeof key);
}

START_TEST(test_declaration_fills_every_field)
{
    ck_assert_ptr_null(parse("name=uart\nbinary=uart.elf\npriority=25\nquota=65536\n"
                             "ports=0x3F8:8\npci=1af4:1042\npci_bus=1\nirq=4\nowns=console\nreads=a b*\ndeps=ds\n"
                             "control=1\nargs=x=1 y=2\npolicy=type=temporary+heartbeat=10\n"
                             "files=init.lua notes.txt\n"));
    ck_assert_str_eq(decl.def.name, "uart");
    ck_assert_str_eq(decl.def.module, "uart.elf");
    ck_assert_uint_eq(decl.def.priority, 25);
    ck_assert_uint_eq(decl.def.quota, 65536);
    ck_assert_uint_eq(decl.def.port, 0x3F8);
    ck_assert_uint_eq(decl.def.nports, 8);
    ck_assert_uint_eq(decl.def.pci_vendor, 0x1AF4);
    ck_assert_uint_eq(decl.def.pci_device, 0x1042);
    ck_assert_uint_eq(decl.def.irq, 4);
    ck_assert_str_eq(decl.def.owns, "console");
    ck_assert_str_eq(decl.def.reads, "a b*");
    ck_assert_str_eq(decl.def.deps, "ds");
    ck_assert_str_eq(decl.def.args, "x=1 y=2");
    ck_assert_str_eq(decl.def.files, "init.lua notes.txt");
    ck_assert_uint_eq(decl.def.flags, SVC_MAY_CONTROL | SVC_PCI_BUS);
    ck_assert_int_eq(decl.def.policy.type, RESTART_TEMPORARY);
    ck_assert_uint_eq(decl.def.policy.heartbeat_ms, 10);
}
END_TEST

START_TEST(test_declaration_defaults)
{
    ck_assert_ptr_null(parse("name=x\nbinary=x.elf"));
    ck_assert_uint_eq(decl.def.priority, DECLARE_PRIORITY_DEFAULT);
    ck_assert_uint_eq(decl.def.quota, DECLARE_QUOTA_DEFAULT);
    ck_assert_uint_eq(decl.def.nports, 0);
    ck_assert_uint_eq(decl.def.pci_vendor, 0);
    ck_assert_ptr_null(decl.def.files);
    ck_assert_int_eq(memcmp(&decl.def.policy, &policy_default, sizeof policy_default), 0);
}
END_TEST

START_TEST(test_declaration_refusals_name_the_key)
{
    ck_assert_str_eq(parse("binary=x.elf"), "missing");
    ck_assert_str_eq(key, "name");
    ck_assert_str_eq(parse("name=x"), "missing");
    ck_assert_str_eq(key, "binary");
    ck_assert_str_eq(parse("name=x\nbinary=x.elf\ncolour=red"), "unknown key");
    ck_assert_str_eq(key, "colour");
    ck_assert_str_eq(parse("name=x\nbinary=x.elf\npriority=28"), "number too large");
    ck_assert_str_eq(key, "priority");
    ck_assert_str_eq(parse("name=x\nbinary=x.elf\nirq=16"), "number too large");
    ck_assert_str_eq(parse("name=x\nbinary=x.elf\nquota=-1"), "not a number");
    ck_assert_str_eq(parse("name=x\nbinary=x.elf\nports=0xFFFF:2"), "port range outside 0..0xFFFF");
    ck_assert_str_eq(parse("name=x\nbinary=x.elf\nports=12"), "expected FIRST:COUNT");
    ck_assert_str_eq(parse("name=x\nbinary=x.elf\npci=8086"),
                     "expected VVVV:DDDD (hexadecimal vendor and device IDs)");
    ck_assert_str_eq(key, "pci");
    ck_assert_str_eq(parse("name=x\nbinary=x.elf\npci=80g6:7010"),
                     "expected VVVV:DDDD (hexadecimal vendor and device IDs)");
    ck_assert_str_eq(parse("name=x\nbinary=x.elf\npci=ffff:7010"),
                     "expected VVVV:DDDD (hexadecimal vendor and device IDs)");
    ck_assert_str_eq(parse("name=a;b\nbinary=x.elf"), "value has characters it may not have");
    ck_assert_str_eq(parse("name=waytoolongservicename\nbinary=x"), "value too long");
    ck_assert_str_eq(parse("name=x\nbinary=x.elf\nnonsense"), "expected key=value");
    ck_assert_str_eq(parse("name=x\nbinary=x.elf\nfiles=a b  c d e"), "too many files (at most 4)");
    ck_assert_str_eq(key, "files");
    ck_assert_str_eq(parse("name=x\nbinary=x.elf\nfiles=../etc"),
                     "value has characters it may not have");
    ck_assert_ptr_null(parse("name=x\nbinary=x.elf\nfiles= a  b c d "));
    ck_assert_str_eq(parse("name=x\nbinary=x.elf\npolicy=heartbeat=5"),
                     "heartbeat period below 10 ms");
    ck_assert_str_eq(key, "policy");
}
END_TEST

Suite *policy_suite(void)
{
    Suite *s = suite_create("policy");
    TCase *tc = tcase_create("restart policy");
    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_add_test(tc, test_first_restart_is_immediate_then_backs_off);
    tcase_add_test(tc, test_backoff_doubles_up_to_its_cap);
    tcase_add_test(tc, test_intensity_exceeded_escalates);
    tcase_add_test(tc, test_restarts_leave_the_window);
    tcase_add_test(tc, test_temporary_is_never_restarted);
    tcase_add_test(tc, test_transient_restarts_only_abnormal_ends);
    tcase_add_test(tc, test_permanent_restarts_even_a_normal_exit);
    tcase_add_test(tc, test_init_failures_are_bounded_and_back_off);
    tcase_add_test(tc, test_ready_forgives_init_failures);
    tcase_add_test(tc, test_escalation_restarts_dependents_once_per_window);
    tcase_add_test(tc, test_escalation_can_stop_dependents);
    tcase_add_test(tc, test_requested_restart_is_not_counted);
    tcase_add_test(tc, test_history_is_bounded);
    tcase_add_test(tc, test_bad_policies_are_named);
    tcase_add_test(tc, test_override_sets_named_keys);
    tcase_add_test(tc, test_override_refuses_bad_specs_unchanged);
    suite_add_tcase(s, tc);
    tc = tcase_create("declarations");
    tcase_add_test(tc, test_declaration_fills_every_field);
    tcase_add_test(tc, test_declaration_defaults);
    tcase_add_test(tc, test_declaration_refusals_name_the_key);
    suite_add_tcase(s, tc);
    tc = tcase_create("dependency order");
    tcase_add_test(tc, test_order_puts_dependencies_first);
    tcase_add_test(tc, test_order_finds_cycles_and_bad_indices);
    tcase_add_test(tc, test_dependents_are_transitive);
    suite_add_tcase(s, tc);
    return s;
}
