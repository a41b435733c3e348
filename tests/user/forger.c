/* A hostile service for the negative tests: it tries to forge a kernel notice,
 * to report ready twice, to control another service without the control right,
 * to squat the name "console", to read a name it was not declared to read and to
 * publish an unbadged endpoint. Each must be refused; it reports every outcome
 * and exits 0 only if all were refused. */
#include <string.h>
#include <proto/datastore.h>
#include <proto/system.h>
#include <rs_ds.h>
#include <rs_invoke.h>
#include <rs_log.h>
#include <rs_service.h>
#include <rsys.h>

enum { EP = RS_GIVEN_FIRST_FREE, BADGED, GOT };

static int refused;

static void expect(const char *what, uint64_t got, uint64_t want)
{
    int ok = got == want;
    refused += ok;
    rs_info("%s: %s (error %lu, expected %lu)", what, ok ? "refused" : "NOT REFUSED", got, want);
}

int main(void)
{
    if (rs_create(RS_SLOT_QUOTA, RS_OBJ_ENDPOINT, EP, 0)
        || rs_cap_mint(EP, BADGED, RS_RIGHT_WRITE | RS_RIGHT_GRANT, 1))
        return 2;
    struct rs_msg forged = { .info = RS_LABEL_FAULT, .w = { 0, RS_FAULT_PAGE } };
    expect("forged fault notice to RS", rs_send(RS_GIVEN_SYSTEM, &forged, 100), RS_E_INVAL);
    uint64_t e = system_ready(RS_GIVEN_SYSTEM, EP);
    rs_info("first ready: error %lu", e);
    expect("second ready", system_ready(RS_GIVEN_SYSTEM, EP), RS_E_BUSY);
    expect("svc stop uart without the control right",
           system_svc_stop(RS_GIVEN_SYSTEM, "uart", 4), RS_E_RIGHTS);
    expect("halt without the control right", system_halt(RS_GIVEN_SYSTEM), RS_E_RIGHTS);
    expect("debugging uart without the inject right",
           system_svc_debug(RS_GIVEN_SYSTEM, "uart", 4, EP + 10, 0), RS_E_RIGHTS);
    expect("an inject event without the inject right",
           system_inject_event(RS_GIVEN_SYSTEM, "uart\nnop\nforged", 15), RS_E_RIGHTS);
    expect("squatting 'console'", datastore_publish_cap(RS_GIVEN_DS, "console", 7, BADGED),
           RS_E_RIGHTS);
    expect("reading 'counter.count'", datastore_retrieve(RS_GIVEN_DS, "counter.count", 13, 0, 0,
                                                         0, 0, 0), RS_E_RIGHTS);
    expect("publishing a name nobody owns",
           datastore_publish(RS_GIVEN_DS, DS_INT, 1, "forged\0", 7), RS_E_RIGHTS);
    expect("publishing its own name with an unbadged endpoint",
           datastore_publish_cap(RS_GIVEN_DS, "forger", 6, EP), RS_E_INVAL);
    rs_info("%d of 10 attempts refused", refused);
    return refused == 10 ? 0 : 1;
}
