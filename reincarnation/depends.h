/* Dependency order between services, as bit sets over service indices (at most
 * DEPENDS_MAX services). Pure logic, unit-tested (tests/unit/test_policy.c). */
#pragma once
#include <stdint.h>

#define DEPENDS_MAX 32

typedef uint32_t depset_t;      /* bit i: service i */

/* Writes into order[] an order in which every service comes after all it depends
 * on (deps[i] = what i depends on), keeping index order where free. Returns n, or
 * -1 when there is a cycle (*cycle = a service on it) or a dependency >= n. */
int depends_order(const depset_t *deps, unsigned n, unsigned *order, unsigned *cycle);

/* The services that depend on i, directly or through others (i excluded). */
depset_t depends_dependents(const depset_t *deps, unsigned n, unsigned i);
