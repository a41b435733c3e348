/* The client of tally (tests/user/tally.c), two sessions A and B: A's region is
 * damaged by its server, which crashes; the next incarnation must refuse A's
 * session (RS_E_SESSION, every call, never a wrong total) and serve B's intact,
 * and A, after giving up its capability, opens a new session from zero. */
#include <proto/tally.h>
#include <rs_log.h>
#include <rs_service.h>
#include <rs_session.h>
#include <rsys.h>

enum { A = 20, B = 21 };

static unsigned bad;

static void expect(const char *what, uint64_t got, uint64_t want)
{
    if (got != want && bad++ < 10)
        rs_error("%s: %lu, not %lu", what, (unsigned long)got, (unsigned long)want);
}

static uint64_t connect(uint64_t slot)
{
    uint64_t e = rs_lookup_wait("tally", slot, 5000);
    return e ? e : rs_lookup_recovering("tally", slot);
}

int main(void)
{
    uint64_t total = 0;
    if (connect(A) || connect(B)) {
        rs_error("cannot find tally");
        return 1;
    }
    rs_service_ready();
    expect("A's first add", tally_add(A, 5, &total), 0);
    expect("A's total", total, 5);
    expect("B's first add", tally_add(B, 7, &total), 0);
    expect("A's second add", tally_add(A, 10, &total), 0);
    expect("A's total", total, 15);
    expect("damage to A's region", tally_damage(A), RS_E_SESSION);   /* found by the next */
    expect("A's get", tally_get(A, &total), RS_E_SESSION);           /* no total at all */
    expect("A's add", tally_add(A, 1, &total), RS_E_SESSION);
    expect("B's get", tally_get(B, &total), 0);
    expect("B's total", total, 7);
    expect("B's add", tally_add(B, 1, &total), 0);
    expect("B's total", total, 8);
    expect("A's session reset", rs_session_reset(A), 0);   /* gives the damaged one up */
    expect("A's new session", tally_add(A, 3, &total), 0);
    expect("A's new total", total, 3);
    rs_info("%s: A refused after the damage, B intact, A's new session from zero",
            bad ? "DAMAGED SESSION NOT HANDLED" : "damaged session reported");
    return bad ? 1 : 0;
}
