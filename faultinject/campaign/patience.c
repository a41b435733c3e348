/* The rule by which the campaign's request workloads (ether, block) wait for a
 * driver to come back: see workload.h. */
#include <rs_libc.h>
#include <rs_log.h>
#include <rs_session.h>
#include <rsys.h>
#include "workload.h"

enum patient patient_failed(uint64_t e)
{
    if (e == RS_E_CAPFAULT || e == RS_E_NOCAP)
        return PATIENT_AGAIN;       /* no server to answer yet: it is coming back */
    if (e == RS_E_SESSION && rs_session_reset(WORK))
        rs_warn("no new session with the target after a corrupt one");
    return e == RS_E_TIMEOUT ? PATIENT_TIMEOUT : PATIENT_REFUSED;
}

void patiently(unsigned lines, enum patient (*once)(unsigned k, struct outcome *o),
               struct outcome *o)
{
    uint64_t until = rs_time_ms() + PATIENCE_MS;
    unsigned refused = 0;
    for (unsigned k = 0; k < lines; k++) {
        enum patient a = PATIENT_AGAIN;
        while (rs_time_ms() < until && (a = once(k, o)) != PATIENT_OK && a != PATIENT_WRONG) {
            refused = a == PATIENT_REFUSED ? refused + 1 : 0;   /* else: again */
            if (refused >= PATIENT_REFUSALS)
                until = 0;          /* running but broken: no more patience */
        }
        if (a == PATIENT_OK)
            o->ok++;
        else if (a == PATIENT_WRONG)
            o->corrupt++;
        else
            o->errors++;
    }
}
