/* Names of kernel error codes, for messages that say what went wrong. */
#include "err.h"

static const char *const err_names[E_COUNT] = {
    [E_OK] = "ok",
    [E_INVAL] = "invalid argument",
    [E_RANGE] = "out of range",
    [E_NOMEM] = "no memory",
    [E_EXISTS] = "already exists",
    [E_NOENT] = "not found",
    [E_TRUNC] = "truncated",
    [E_FORMAT] = "bad format",
    [E_ALIGN] = "misaligned",
    [E_BUSY] = "busy",
    [E_NOCAP] = "no capability in slot",
    [E_RIGHTS] = "capability lacks the right",
    [E_TYPE] = "wrong kind of object",
    [E_CAPFAULT] = "capability fault (object died)",
    [E_TIMEOUT] = "timed out",
    [E_QUOTA] = "quota exceeded",
    [E_FAULT] = "bad user address",
    [E_NOSYS] = "no such operation",
    [E_DROPPED] = "reply dropped by the server",
    [E_UNKNOWN] = "outcome unknown (server died after receiving)",
};

const char *err_name(err_t e)
{
    if ((unsigned)e >= E_COUNT || !err_names[e])
        return "unknown error";
    return err_names[e];
}
