/* Names of kernel error codes, for messages that say what went wrong. */
#include "err.h"

static const char *const err_names[] = RS_ERROR_NAMES;
_Static_assert(sizeof err_names / sizeof err_names[0] == E_COUNT, "a name for every code");

const char *err_name(err_t e)
{
    if ((unsigned)e >= E_COUNT || !err_names[e])
        return "unknown error";
    return err_names[e];
}
