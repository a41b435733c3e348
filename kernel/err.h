/* The one error type of the kernel. Every fallible kernel function returns err_t;
 * E_OK is zero so `if (err)` reads naturally. The values are the user-visible
 * system-call error codes (uapi/resurgo/errors.h). Pure: usable in host unit tests. */
#pragma once
#include "uapi/resurgo/errors.h"

typedef enum {
    E_OK = RS_OK,
    E_INVAL = RS_E_INVAL,         /* an argument is malformed */
    E_RANGE = RS_E_RANGE,         /* a value lies outside what is allowed */
    E_NOMEM = RS_E_NOMEM,         /* no memory left */
    E_EXISTS = RS_E_EXISTS,       /* the thing is already there */
    E_NOENT = RS_E_NOENT,         /* the thing is not there */
    E_TRUNC = RS_E_TRUNC,         /* data ends before its declared length */
    E_FORMAT = RS_E_FORMAT,       /* data is not in the expected format */
    E_ALIGN = RS_E_ALIGN,         /* an address is not aligned as required */
    E_BUSY = RS_E_BUSY,           /* in use; try later or release it first */
    E_NOCAP = RS_E_NOCAP,         /* empty or out-of-range capability slot */
    E_RIGHTS = RS_E_RIGHTS,       /* the capability lacks a right */
    E_TYPE = RS_E_TYPE,           /* the capability names another kind of object */
    E_CAPFAULT = RS_E_CAPFAULT,   /* the object behind the capability died */
    E_TIMEOUT = RS_E_TIMEOUT,     /* a blocking operation timed out */
    E_QUOTA = RS_E_QUOTA,         /* the memory quota would be exceeded */
    E_FAULT = RS_E_FAULT,         /* a user pointer is not accessible */
    E_NOSYS = RS_E_NOSYS,         /* no such operation */
    E_DROPPED = RS_E_DROPPED,     /* a live server dropped the reply */
    E_UNKNOWN = RS_E_UNKNOWN,     /* delivered, server died: outcome unknown */
    E_SESSION = RS_E_SESSION,     /* a server refused a corrupt session region */
    E_COUNT = RS_E_COUNT
} err_t;

/* Short lower-case name of an error, e.g. "no memory"; never NULL. */
const char *err_name(err_t e);
