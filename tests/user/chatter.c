/* A console client that prints numbered lines, for the restart tests: it carries
 * on through every crash of the console driver. A write the kernel reports as
 * "outcome unknown" (delivered, then the driver died) is written again and
 * counted, so the test can allow exactly that many duplicates; a write that was
 * never delivered is retried by the stub itself. It also measures each outage as
 * a client sees it: how long a write that met a dead driver took until the new
 * driver served it (recovery included). Arguments: lines=N (0: for ever), pause=MS between lines,
 * until=NAME (stop once NAME is published in the data store, checked every 64
 * lines). It subscribes to "console" in the data store and counts the changes it
 * is told of (each new incarnation publishes it again). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <proto/datastore.h>
#include <proto/console.h>
#include <rs_console.h>
#include <rs_capfault.h>
#include <rs_libc.h>
#include <rs_log.h>
#include <rs_service.h>
#include <rs_invoke.h>
#include <rsys.h>
#include "outages.h"

enum { CONSOLE = 20, CHANGES = 21 };

static int find_console(uint64_t slot, void *ctx)
{
    (void)ctx;
    return rs_lookup("console", slot) ? -1 : 0;
}

static uint64_t arg(const char *key, uint64_t dflt)
{
    char v[24];
    return rs_arg(key, v, sizeof v) ? strtoull(v, 0, 10) : dflt;
}

/* Writes line n until the driver has taken it; counts unknown outcomes. */
static void write_line(uint64_t n, uint64_t *unknown, uint64_t *waits)
{
    char line[64];
    int len = snprintf(line, sizeof line, "chatter: line %lu\n", n);
    uint64_t start = rs_tsc(), recoveries = rs_capfault_recoveries();
    for (;;) {
        uint64_t e = rs_console_write(CONSOLE, line, (size_t)len, 0);
        if (!e) {
            int recovered = rs_capfault_recoveries() != recoveries;
            if (recovered)
                outage_add(rs_tsc() - start);
            return;
        }
        if (e == RS_E_UNKNOWN)
            (*unknown)++;       /* it may have been printed: written again below */
        else
            (*waits)++;         /* the driver is still down: wait for it */
        rs_sleep(e == RS_E_UNKNOWN ? 0 : 5);
        find_console(CONSOLE, 0);
    }
}

static uint64_t changes;

/* Subscribes to changes of "console"; 0 on success. */
static uint64_t subscribe(void)
{
    uint64_t e = rs_create(RS_SLOT_QUOTA, RS_OBJ_NOTIFICATION, CHANGES, 0);
    return e ? e : datastore_subscribe(RS_GIVEN_DS, 1, "console", 7, CHANGES);
}

/* Counts the changes the data store queued for us, without waiting. */
static void count_changes(void)
{
    uint64_t bits = 0, more = 0;
    char name[64];
    size_t len;
    if (rs_wait(CHANGES, &bits, RS_TIMEOUT_POLL))
        return;
    while (!datastore_changed(RS_GIVEN_DS, sizeof name, name, sizeof name, &len, &more))
        changes++;
}

static int published(const char *name)
{
    uint64_t type = 0, ival = 0;
    return !datastore_retrieve(RS_GIVEN_DS, name, strlen(name), 0, 0, 0, &type, &ival);
}

int main(void)
{
    uint64_t lines = arg("lines", 0), pause = arg("pause", 0), unknown = 0, waits = 0, n;
    char until[48] = "";
    rs_arg("until", until, sizeof until);
    if (rs_lookup_wait("console", CONSOLE, 5000)) {
        rs_error("no console");
        return 1;
    }
    rs_capfault_register(CONSOLE, find_console, 0);
    if (subscribe())
        rs_warn("cannot subscribe to console changes");
    rs_service_ready();
    for (n = 1; !lines || n <= lines; n++) {
        write_line(n, &unknown, &waits);
        if (pause)
            rs_sleep(pause);
        if (n % 64 == 0)
            count_changes();
        if (*until && n % 64 == 0 && published(until))
            break;
    }
    rs_info("done: %lu lines, %lu outcomes unknown (written again), %lu waits for the driver, "
            "%lu recoveries", n - (n > lines && lines), unknown, waits, rs_capfault_recoveries());
    count_changes();
    rs_info("told of %lu changes of console by the data store", changes);
    report_outages();
    return 0;
}
