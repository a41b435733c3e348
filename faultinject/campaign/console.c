/* The console workload (the UART target): numbered lines "x EXP K" written
 * through the console driver; the host reads them back from the serial log and
 * compares them with the golden run's. A write that runs past the deadline means
 * the driver is stuck and RS has not noticed: the rest of the lines are not
 * written (a timeout). */
#include <stdio.h>
#include <proto/console.h>
#include <rs_console.h>
#include <rs_log.h>
#include <rs_session.h>
#include <rsys.h>
#include "workload.h"

void console_workload(uint64_t exp, unsigned lines, struct outcome *o)
{
    for (unsigned k = 1; k <= lines; k++) {
        char line[40];
        int n = snprintf(line, sizeof line, "x %lu %u\n", exp, k);
        uint64_t done = 0, e = rs_console_write(WORK, line, (size_t)n, &done);
        if (e == RS_E_TIMEOUT) {
            o->timeouts++;
            o->errors += lines - k + 1;
            return;
        }
        if (e == RS_E_SESSION && rs_session_reset(WORK))
            rs_warn("no new session with the target after a corrupt one");
        if (e == RS_E_UNKNOWN)
            o->unknown++;
        else if (e || done != (uint64_t)n)
            o->errors++;
        else
            o->ok++;
    }
}
