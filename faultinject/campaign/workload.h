/* The campaign's workloads (faultinject/campaign): what ficamp runs through the
 * target in each experiment, and what it counts. Each request of a workload is
 * ok (answered, and the answer right), an error (refused or never answered: the
 * client was told), unknown (its outcome could not be known), corrupt (answered
 * wrongly: the client was given wrong data, a silent data corruption), or a
 * timeout (the workload stuck: the rest of its requests not made). */
#pragma once
#include <stdint.h>
#include <rs_service.h>

enum { WORK = RS_GIVEN_FIRST_FREE, FI };   /* the workload's server; the injector */

struct outcome {
    unsigned ok, unknown, errors, timeouts, corrupt;
};

/* One request asked once: PATIENT_OK answered right, PATIENT_WRONG answered
 * wrongly, PATIENT_AGAIN not (yet) answered, PATIENT_TIMEOUT a call timed out,
 * PATIENT_REFUSED the server refused a call (the session it found corrupt is
 * reset, as a client would: the next try has a fresh one). */
enum patient { PATIENT_OK = 1, PATIENT_AGAIN = 0, PATIENT_WRONG = -1, PATIENT_TIMEOUT = -2,
               PATIENT_REFUSED = -3 };

/* Requests 0..lines-1, each asked through once(k, o) until answered, within
 * PATIENCE_MS of the first (the time a driver gets to come back); past that,
 * those not yet answered are errors, unasked. A server that refuses
 * PATIENT_REFUSALS calls in a row is running but broken: patience ends there.
 * Each call is bounded by the deadline, so the workload never sticks. */
#define PATIENCE_MS 2000
#define PATIENT_REFUSALS 3
void patiently(unsigned lines, enum patient (*once)(unsigned k, struct outcome *o),
               struct outcome *o);
/* The answer to a failed call e: PATIENT_AGAIN (no server yet: a capability
 * fault that recovery could not mend within the deadline), PATIENT_TIMEOUT or
 * PATIENT_REFUSED. */
enum patient patient_failed(uint64_t e);

/* Numbered lines "x EXP K" written through the console driver (its log is read
 * back by the host). */
void console_workload(uint64_t exp, unsigned lines, struct outcome *o);

/* ARP exchanges with QEMU's user-network gateway through "ether". */
int ether_setup(void);
void ether_workload(unsigned lines, struct outcome *o);

/* 4 KiB blocks written through "block" and read back, every byte compared. */
int block_setup(void);
void block_workload(uint64_t exp, unsigned lines, struct outcome *o);
