/* The one error type of the kernel. Every fallible kernel function returns err_t;
 * E_OK is zero so `if (err)` reads naturally. Pure: usable in host unit tests. */
#pragma once

typedef enum {
    E_OK = 0,
    E_INVAL,      /* an argument is malformed */
    E_RANGE,      /* a value lies outside what is allowed */
    E_NOMEM,      /* no memory (or quota) left */
    E_EXISTS,     /* the thing is already there */
    E_NOENT,      /* the thing is not there */
    E_TRUNC,      /* data ends before its declared length */
    E_FORMAT,     /* data is not in the expected format */
    E_ALIGN,      /* an address is not aligned as required */
    E_BUSY,       /* in use; try later or release it first */
    E_COUNT
} err_t;

/* Short lower-case name of an error, e.g. "no memory"; never NULL. */
const char *err_name(err_t e);
