/* Dependency order (see depends.h): Kahn's algorithm over bit sets. */
#include "depends.h"

int depends_order(const depset_t *deps, unsigned n, unsigned *order, unsigned *cycle)
{
    depset_t placed = 0, all = n >= DEPENDS_MAX ? ~(depset_t)0 : ((depset_t)1 << n) - 1;
    for (unsigned i = 0; i < n; i++)
        if (deps[i] & ~all) {
            *cycle = i;
            return -1;
        }
    for (unsigned k = 0; k < n; k++) {
        unsigned i = 0;
        while (i < n && ((placed >> i & 1) || (deps[i] & ~placed)))
            i++;
        if (i == n) {           /* nothing left is free: the rest wait on a cycle */
            for (*cycle = 0; placed >> *cycle & 1; (*cycle)++)
                ;
            return -1;
        }
        placed |= (depset_t)1 << i;
        order[k] = i;
    }
    return (int)n;
}

depset_t depends_dependents(const depset_t *deps, unsigned n, unsigned i)
{
    depset_t found = (depset_t)1 << i, before;
    do {
        before = found;
        for (unsigned j = 0; j < n; j++)
            if (deps[j] & found)
                found |= (depset_t)1 << j;
    } while (found != before);
    return found & ~((depset_t)1 << i);
}
