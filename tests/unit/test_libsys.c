/* Unit tests for libsys: the server dispatch table, the generated protocol stubs'
 * message marshalling, and the capability-fault retry logic. The kernel call is
 * replaced by recorders and scripted replies. */
#include <string.h>
#include "suites.h"
#include <proto/console.h>
#include <rs_console.h>
#include <proto/datastore.h>
#include <proto/system.h>
#include <rs_capfault.h>
#include <rs_libc.h>
#include <rs_server.h>
#include <rs_service.h>

/* --- a scripted "kernel": every call is recorded and answered from a script --- */

#define SCRIPT 12
#define SLOTS 64
static struct rs_msg sent[SCRIPT];
static struct rs_ipc_extra sent_x[SCRIPT];
static uint64_t sent_slot[SCRIPT];
static uint64_t script_err[SCRIPT], script_phase[SCRIPT];
static uint32_t script_status[SCRIPT];
static int calls, handler_runs, handler_fails, sleeps;
static uint64_t slept_ms, handler_slot;
/* A fake capability space: which slots hold a capability, and which are dead. */
static int present[SLOTS], dead[SLOTS], next_free;
/* A fault after which another thread has already put a live capability in place. */
static int script_keep[SCRIPT];

static int reply_words;             /* the mock's answers carry reply_w */
static uint64_t reply_w[2];
static int session_move_refusals;    /* how many moves fail first (a dead fresh cap) */
static uint64_t session_pages_of_slots;

static void reset(void)
{
    memset(sent, 0, sizeof sent);
    memset(script_err, 0, sizeof script_err);
    memset(script_phase, 0, sizeof script_phase);
    memset(script_status, 0, sizeof script_status);
    memset(present, 0, sizeof present);
    memset(dead, 0, sizeof dead);
    calls = handler_runs = handler_fails = sleeps = 0;
    slept_ms = handler_slot = 0;
    session_move_refusals = 0;
    reply_words = 0;
    session_pages_of_slots = 0;
    next_free = 40;
    for (uint64_t slot = 0; slot < SLOTS; slot++)
        rs_capfault_register(slot, 0, 0);
    for (int slot = 8; slot < 32; slot++)
        present[slot] = 1;
    memset(script_keep, 0, sizeof script_keep);
}

/* Stands in for the kernel's call (libsys/capfault.c's raw call). A scripted
 * capability fault kills the slot's object and reports the scripted phase. */
uint64_t rs_call_x(uint64_t ep, struct rs_msg *m, uint64_t timeout, struct rs_ipc_extra *x)
{
    (void)timeout;
    int i = calls < SCRIPT ? calls : SCRIPT - 1;
    sent[i] = *m;
    sent_x[i] = x ? *x : (struct rs_ipc_extra){ 0 };
    sent_slot[i] = ep;
    calls++;
    /* a kernel that leaves garbage behind, to see a retry restores the request */
    m->w[0] = 0xBAD;
    if (x)
        x->send_len = 0xBAD;
    if (!present[ep])
        return RS_E_NOCAP;
    if (dead[ep] || script_err[i] == RS_E_CAPFAULT) {
        dead[ep] = !script_keep[i];
        m->w[0] = script_phase[i] ? script_phase[i] : RS_CAPFAULT_NOT_DELIVERED;
        return RS_E_CAPFAULT;
    }
    if (script_err[i])
        return script_err[i];
    m->info = script_status[i];
    m->w[0] = reply_words ? reply_w[0] : 41 + (uint64_t)i;
    m->w[1] = reply_words ? reply_w[1] : m->w[1];
    if (x)
        x->recv_len = 5;
    return 0;
}

uint64_t rs_cap_info(uint64_t slot, uint64_t *kind, uint64_t *rights, uint64_t *badge,
                     uint64_t *is_dead)
{
    (void)kind, (void)rights, (void)badge;
    if (slot >= SLOTS || !present[slot])
        return RS_E_NOCAP;
    *is_dead = (uint64_t)dead[slot];
    return 0;
}

uint64_t rs_cap_delete(uint64_t slot)
{
    if (slot >= SLOTS || !present[slot])
        return RS_E_NOCAP;
    present[slot] = dead[slot] = 0;
    return 0;
}

uint64_t rs_cap_move(uint64_t src, uint64_t dst)
{
    if (!present[src] || present[dst])
        return RS_E_EXISTS;
    present[dst] = 1, dead[dst] = dead[src];
    present[src] = dead[src] = 0;
    return 0;
}

static uint64_t session_moved_to, session_moved_from;

uint64_t rs_session_move(uint64_t dst, uint64_t src)
{
    if (session_move_refusals > 0) {
        session_move_refusals--;
        return RS_E_CAPFAULT;
    }
    session_moved_to = dst, session_moved_from = src;
    return session_pages_of_slots ? 0 : RS_E_NOENT;
}

uint64_t rs_session_pages(uint64_t slot)
{
    (void)slot;
    return session_pages_of_slots;
}

uint64_t rs_slot_alloc(void) { return (uint64_t)next_free++; }
void rs_slot_free(uint64_t slot) { ck_assert_int_eq(present[slot], 0); }
uint64_t rs_sleep(uint64_t ms) { sleeps++; slept_ms += ms; return 0; }
uint64_t rs_yield(void) { return 0; }

/* The recovery handler: makes a live capability in the fresh slot, or fails when
 * ctx says how many times to fail first. */
static int reconnect(uint64_t fresh, void *ctx)
{
    handler_runs++;
    handler_slot = fresh;
    ck_assert_int_eq(present[fresh], 0);
    if (handler_fails < (int)(uintptr_t)ctx) {
        handler_fails++;
        return -1;
    }
    present[fresh] = 1;
    return 0;
}

/* --- dispatch table --- */

static uint32_t h_one(struct rs_request *r, void *s) { (void)r; (void)s; return 1; }
static uint32_t h_three(struct rs_request *r, void *s) { (void)r; (void)s; return 3; }
static const rs_handler_fn table[4] = { [1] = h_one, [3] = h_three };
static const struct rs_server server = { .handlers = table, .nhandlers = 4 };

START_TEST(same_bytes_finds_any_byte_that_differs)
{
    static uint8_t a[4096 + 16] __attribute__((aligned(8))), b[sizeof a] __attribute__((aligned(8)));
    for (size_t i = 0; i < sizeof a; i++)
        a[i] = b[i] = (uint8_t)(i * 7 + 1);
    size_t offsets[] = { 0, 3 };                        /* aligned: words; not: bytes */
    for (unsigned k = 0; k < 2; k++) {
        uint8_t *x = a + offsets[k], *y = b + offsets[k];
        size_t n = 4096 + 5;                            /* a tail past the last word */
        ck_assert_int_eq(rs_same_bytes(x, y, n), 0);
        size_t at[] = { 0, 7, 8, 2049, 4095, 4096, 4100 };
        for (unsigned j = 0; j < sizeof at / sizeof at[0]; j++) {
            y[at[j]] ^= 0x10;
            ck_assert_int_eq(rs_same_bytes(x, y, n), -1);
            ck_assert_int_eq(rs_same_bytes(x, y, at[j]), 0);   /* before it: the same */
            y[at[j]] ^= 0x10;
        }
    }
    ck_assert_int_eq(rs_same_bytes(a, b + 1, 64), -1);  /* misaligned against each other */
    ck_assert_int_eq(rs_copy_checked(b + 1, a, 64), 0);
    ck_assert_int_eq(rs_same_bytes(a, b + 1, 64), 0);
}
END_TEST

START_TEST(dispatch_finds_handlers_by_label)
{
    ck_assert_ptr_eq(rs_server_handler(&server, 1), h_one);
    ck_assert_ptr_eq(rs_server_handler(&server, 3), h_three);
}
END_TEST

START_TEST(dispatch_refuses_holes_and_out_of_range_labels)
{
    ck_assert_ptr_null(rs_server_handler(&server, 0));
    ck_assert_ptr_null(rs_server_handler(&server, 2));
    ck_assert_ptr_null(rs_server_handler(&server, 4));
    ck_assert_ptr_null(rs_server_handler(&server, 0xFFFF0010u));
    ck_assert_ptr_null(rs_server_handler(&server, ~0ull));
}
END_TEST

/* --- marshalling by the generated stubs --- */

START_TEST(write_stub_sends_label_buffer_and_reads_count)
{
    reset();
    uint64_t count = 0;
    ck_assert_uint_eq(console_write(9, "hello", 5, &count, 0), 0);
    ck_assert_uint_eq(sent_slot[0], 9);
    ck_assert_uint_eq(RS_MSG_LABEL(sent[0].info), CONSOLE_WRITE);
    ck_assert(sent[0].info & RS_MSG_BUFFER);
    ck_assert(!(sent[0].info & RS_MSG_CAP));
    ck_assert_uint_eq(sent_x[0].send_len, 5);
    ck_assert_str_eq((const char *)sent_x[0].send_buf, "hello");
    ck_assert_uint_eq(count, 41);
}
END_TEST

START_TEST(read_stub_passes_max_and_receive_buffer)
{
    reset();
    char buf[16];
    size_t got = 0;
    ck_assert_uint_eq(console_read(9, 16, buf, sizeof buf, &got), 0);
    ck_assert_uint_eq(RS_MSG_LABEL(sent[0].info), CONSOLE_READ);
    ck_assert_uint_eq(sent[0].w[0], 16);
    ck_assert_uint_eq(sent_x[0].recv_buf, (uint64_t)buf);
    ck_assert_uint_eq(sent_x[0].recv_max, sizeof buf);
    ck_assert_uint_eq(got, 5);
}
END_TEST

START_TEST(cap_stubs_name_the_slots)
{
    reset();
    ck_assert_uint_eq(datastore_publish_cap(11, "console", 7, 12), 0);
    ck_assert(sent[0].info & RS_MSG_CAP);
    ck_assert_uint_eq(sent_x[0].send_cap, 12);
    ck_assert_uint_eq(datastore_retrieve_cap(11, "console", 7, 20), RS_E_NOCAP); /* none came */
    ck_assert_uint_eq(sent_x[1].recv_cap, 20);
}
END_TEST

START_TEST(server_status_comes_back_as_the_result)
{
    reset();
    script_status[0] = RS_E_NOENT;
    ck_assert_uint_eq(system_svc_crash(10, SVC_CRASH_EXCEPTION, "nope", 4), RS_E_NOENT);
    ck_assert_int_eq(calls, 1);
}
END_TEST

/* --- capability-fault recovery --- */

START_TEST(capfault_without_handler_is_returned)
{
    reset();
    script_err[0] = RS_E_CAPFAULT;
    ck_assert_uint_eq(console_mode(9, 1), RS_E_CAPFAULT);
    ck_assert_int_eq(calls, 1);
}
END_TEST

START_TEST(not_delivered_recovers_into_a_fresh_slot_and_retries_the_same_call)
{
    reset();
    rs_capfault_register(9, reconnect, 0);
    script_err[0] = RS_E_CAPFAULT;
    uint64_t count = 0;
    ck_assert_uint_eq(console_write(9, "abc", 3, &count, 0), 0);    /* not idempotent */
    ck_assert_int_eq(handler_runs, 1);
    ck_assert_uint_ne(handler_slot, 9);                 /* a fresh slot ... */
    ck_assert(present[9] && !dead[9] && !present[handler_slot]);   /* ... moved in */
    ck_assert_int_eq(calls, 2);
    ck_assert_uint_eq(sent[1].info, sent[0].info);      /* restored, not the corrupted */
    ck_assert_uint_eq(sent_x[1].send_len, 3);
    ck_assert_uint_eq(count, 42);
    ck_assert_int_eq(sleeps, 0);                        /* success: no back-off */
    ck_assert_uint_eq(session_moved_from, 9);           /* a session region follows */
    ck_assert_uint_eq(session_moved_to, handler_slot);
}
END_TEST

/* A call marked RS_CALL_ONCE through slot 9, label 5. */
static uint64_t once_call(void)
{
    struct rs_msg m = { .info = 5, .w = { 7 } };
    return rs_client_call(9, &m, 0, RS_CALL_ONCE);
}

START_TEST(once_calls_carry_a_new_request_id_each_and_the_same_on_retry)
{
    reset();
    rs_capfault_register(9, reconnect, 0);
    ck_assert_uint_eq(once_call(), 0);
    ck_assert_uint_eq(once_call(), 0);
    uint16_t a = RS_MSG_ID(sent[0].info), b = RS_MSG_ID(sent[1].info);
    ck_assert(a != 0 && b != 0 && a != b);
    ck_assert_uint_eq(RS_MSG_LABEL(sent[1].info), 5);
    script_err[2] = RS_E_CAPFAULT;                      /* not delivered: sent again */
    ck_assert_uint_eq(once_call(), 0);
    ck_assert_uint_eq(RS_MSG_ID(sent[3].info), RS_MSG_ID(sent[2].info));
}
END_TEST

START_TEST(a_delivered_once_call_is_sent_again_only_with_a_session_region)
{
    reset();
    rs_capfault_register(9, reconnect, 0);
    script_err[0] = RS_E_CAPFAULT;
    script_phase[0] = RS_CAPFAULT_DELIVERED;
    session_pages_of_slots = 2;                         /* the server answers it once */
    ck_assert_uint_eq(once_call(), 0);
    ck_assert_int_eq(calls, 2);
    ck_assert_uint_eq(RS_MSG_ID(sent[1].info), RS_MSG_ID(sent[0].info));
    reset();
    rs_capfault_register(9, reconnect, 0);
    script_err[0] = RS_E_CAPFAULT;
    script_phase[0] = RS_CAPFAULT_DELIVERED;
    session_pages_of_slots = 0;                         /* nobody could answer it once */
    ck_assert_uint_eq(once_call(), RS_E_UNKNOWN);
    ck_assert_int_eq(calls, 1);
}
END_TEST

START_TEST(a_fresh_capability_that_cannot_take_the_region_is_no_recovery)
{
    reset();
    rs_capfault_register(9, reconnect, 0);
    script_err[0] = RS_E_CAPFAULT;
    script_phase[0] = RS_CAPFAULT_DELIVERED;
    session_pages_of_slots = 2;
    session_move_refusals = 1;      /* the first server found died too */
    ck_assert_uint_eq(once_call(), 0);
    ck_assert_int_eq(handler_runs, 2);                  /* looked up again ... */
    ck_assert_int_eq(sleeps, 1);                        /* ... after a back-off */
    ck_assert_uint_eq(session_moved_from, 9);           /* the region was kept for it */
    ck_assert_uint_eq(RS_MSG_ID(sent[1].info), RS_MSG_ID(sent[0].info));
}
END_TEST

START_TEST(a_delivered_once_call_that_runs_out_of_retries_is_unknown)
{
    reset();
    rs_capfault_register(9, reconnect, (void *)100);    /* no server comes back */
    script_err[0] = RS_E_CAPFAULT;
    script_phase[0] = RS_CAPFAULT_DELIVERED;
    session_pages_of_slots = 2;
    ck_assert_uint_eq(once_call(), RS_E_UNKNOWN);       /* never "capability fault": */
    ck_assert_int_eq(calls, RS_CAPFAULT_RETRIES + 1);   /* (a new call would get a new id) */
}
END_TEST

START_TEST(a_console_write_is_checked_end_to_end)
{
    reset();
    reply_words = 1;
    reply_w[0] = 5, reply_w[1] = console_sum(CONSOLE_SUM_BASIS, "hello", 5);
    uint64_t done = 0;
    ck_assert_uint_eq(rs_console_write(9, "hello", 5, &done), 0);
    ck_assert_uint_eq(done, 5);
    reply_w[1] = console_sum(CONSOLE_SUM_BASIS, "hellp", 5);  /* it sent another byte */
    ck_assert_uint_eq(rs_console_write(9, "hello", 5, &done), RS_E_FORMAT);
    reply_w[0] = 4, reply_w[1] = console_sum(CONSOLE_SUM_BASIS, "hello", 5);
    ck_assert_uint_eq(rs_console_write(9, "hello", 5, &done), RS_E_FORMAT);   /* a count */
}
END_TEST

START_TEST(capfault_retry_sends_the_original_words)
{
    reset();
    rs_capfault_register(9, reconnect, 0);
    script_err[0] = RS_E_CAPFAULT;
    ck_assert_uint_eq(console_mode(9, 1), 0);
    ck_assert_uint_eq(sent[0].w[0], 1);
    ck_assert_uint_eq(sent[1].w[0], 1);             /* not the 0xBAD left behind */
}
END_TEST

START_TEST(delivered_non_idempotent_call_is_outcome_unknown_and_runs_once)
{
    reset();
    rs_capfault_register(9, reconnect, 0);
    script_err[0] = RS_E_CAPFAULT;
    script_phase[0] = RS_CAPFAULT_DELIVERED;
    struct rs_msg m = { .info = 5 };                    /* neither idempotent nor once */
    ck_assert_uint_eq(rs_client_call(9, &m, 0, 0), RS_E_UNKNOWN);
    ck_assert_int_eq(calls, 1);
    ck_assert_int_eq(handler_runs, 0);
}
END_TEST

START_TEST(delivered_idempotent_call_is_recovered_and_retried)
{
    reset();
    rs_capfault_register(9, reconnect, 0);
    script_err[0] = RS_E_CAPFAULT;
    script_phase[0] = RS_CAPFAULT_DELIVERED;
    ck_assert_uint_eq(console_mode(9, 1), 0);           /* idempotent in the table */
    ck_assert_int_eq(calls, 2);
    ck_assert_int_eq(handler_runs, 1);
}
END_TEST

START_TEST(failed_recovery_keeps_the_old_slot_backs_off_and_tries_again)
{
    reset();
    rs_capfault_register(9, reconnect, (void *)3);      /* fails three times */
    script_err[0] = RS_E_CAPFAULT;
    ck_assert_uint_eq(console_mode(9, 1), 0);
    ck_assert_int_eq(handler_runs, 4);
    ck_assert_int_eq(sleeps, 3);
    ck_assert_uint_eq(slept_ms, 1 + 2 + 4);             /* exponential back-off */
    ck_assert(present[9] && !dead[9]);
    for (int s = 40; s < next_free; s++)
        ck_assert_int_eq(present[s], 0);                /* no slot leaked */
}
END_TEST

START_TEST(recovery_gives_up_after_bounded_attempts_and_the_next_call_tries_again)
{
    reset();
    rs_capfault_register(9, reconnect, (void *)100);    /* always fails */
    script_err[0] = RS_E_CAPFAULT;
    ck_assert_uint_eq(console_mode(9, 1), RS_E_CAPFAULT);
    ck_assert_int_eq(calls, RS_CAPFAULT_RETRIES + 1);
    ck_assert_int_eq(handler_runs, RS_CAPFAULT_RETRIES);
    ck_assert_uint_le(slept_ms, RS_CAPFAULT_RETRIES * RS_CAPFAULT_BACKOFF_MAX_MS);
    ck_assert(present[9] && dead[9]);                   /* the old one stays */
    rs_capfault_register(9, reconnect, 0);              /* the server is back */
    ck_assert_uint_eq(console_mode(9, 1), 0);           /* not given up for good */
}
END_TEST

START_TEST(an_empty_slot_with_a_handler_is_recovered)
{
    reset();
    rs_capfault_register(9, reconnect, 0);
    present[9] = 0;                                     /* lost: e.g. deleted */
    ck_assert_uint_eq(console_mode(9, 1), 0);
    ck_assert_int_eq(handler_runs, 1);
}
END_TEST

START_TEST(a_slot_recovered_meanwhile_is_not_recovered_twice)
{
    reset();
    rs_capfault_register(9, reconnect, 0);
    script_err[0] = RS_E_CAPFAULT;
    script_keep[0] = 1;             /* another thread recovered it before we looked */
    ck_assert_uint_eq(console_mode(9, 1), 0);
    ck_assert_int_eq(handler_runs, 0);
    ck_assert_int_eq(calls, 2);
}
END_TEST

START_TEST(handlers_are_per_slot)
{
    reset();
    rs_capfault_register(9, reconnect, 0);
    script_err[0] = RS_E_CAPFAULT;
    ck_assert_uint_eq(console_mode(8, 1), RS_E_CAPFAULT);   /* slot 8: no handler */
    ck_assert_int_eq(handler_runs, 0);
}
END_TEST

START_TEST(dropped_replies_and_other_errors_are_not_retried)
{
    reset();
    rs_capfault_register(9, reconnect, 0);
    script_err[0] = RS_E_DROPPED;
    ck_assert_uint_eq(console_mode(9, 1), RS_E_DROPPED);
    script_err[1] = RS_E_RIGHTS;
    ck_assert_uint_eq(console_mode(9, 1), RS_E_RIGHTS);
    ck_assert_int_eq(handler_runs, 0);
    ck_assert_int_eq(calls, 2);
}
END_TEST

Suite *libsys_suite(void)
{
    Suite *s = suite_create("libsys");
    TCase *d = tcase_create("dispatch");
    tcase_add_test(d, dispatch_finds_handlers_by_label);
    tcase_add_test(d, dispatch_refuses_holes_and_out_of_range_labels);
    suite_add_tcase(s, d);
    TCase *m = tcase_create("marshalling");
    tcase_add_test(m, write_stub_sends_label_buffer_and_reads_count);
    tcase_add_test(m, read_stub_passes_max_and_receive_buffer);
    tcase_add_test(m, cap_stubs_name_the_slots);
    tcase_add_test(m, server_status_comes_back_as_the_result);
    tcase_add_test(m, same_bytes_finds_any_byte_that_differs);
    suite_add_tcase(s, m);
    TCase *c = tcase_create("capfault");
    tcase_add_test(c, capfault_without_handler_is_returned);
    tcase_add_test(c, not_delivered_recovers_into_a_fresh_slot_and_retries_the_same_call);
    tcase_add_test(c, capfault_retry_sends_the_original_words);
    tcase_add_test(c, delivered_non_idempotent_call_is_outcome_unknown_and_runs_once);
    tcase_add_test(c, once_calls_carry_a_new_request_id_each_and_the_same_on_retry);
    tcase_add_test(c, a_delivered_once_call_is_sent_again_only_with_a_session_region);
    tcase_add_test(c, a_fresh_capability_that_cannot_take_the_region_is_no_recovery);
    tcase_add_test(c, a_console_write_is_checked_end_to_end);
    tcase_add_test(c, a_delivered_once_call_that_runs_out_of_retries_is_unknown);
    tcase_add_test(c, delivered_idempotent_call_is_recovered_and_retried);
    tcase_add_test(c, failed_recovery_keeps_the_old_slot_backs_off_and_tries_again);
    tcase_add_test(c, recovery_gives_up_after_bounded_attempts_and_the_next_call_tries_again);
    tcase_add_test(c, an_empty_slot_with_a_handler_is_recovered);
    tcase_add_test(c, a_slot_recovered_meanwhile_is_not_recovered_twice);
    tcase_add_test(c, handlers_are_per_slot);
    tcase_add_test(c, dropped_replies_and_other_errors_are_not_retried);
    suite_add_tcase(s, c);
    return s;
}
