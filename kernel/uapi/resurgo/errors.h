/* Error codes returned by every Resurgo system call in RAX (0 = success). Shared by
 * the kernel (as err_t values) and user space. Keep in step with kernel/err.c. */
#pragma once

#define RS_OK         0
#define RS_E_INVAL    1   /* an argument is malformed */
#define RS_E_RANGE    2   /* a value is outside what is allowed */
#define RS_E_NOMEM    3   /* the kernel has no memory left */
#define RS_E_EXISTS   4   /* already there (slot occupied, page mapped) */
#define RS_E_NOENT    5   /* not there (nothing to reply to, page not mapped) */
#define RS_E_TRUNC    6   /* data ends before its declared length */
#define RS_E_FORMAT   7   /* data has the wrong format */
#define RS_E_ALIGN    8   /* address not aligned */
#define RS_E_BUSY     9   /* in use */
#define RS_E_NOCAP    10  /* the slot is empty or beyond the capability space */
#define RS_E_RIGHTS   11  /* the capability lacks the right for this operation */
#define RS_E_TYPE     12  /* the capability names the wrong kind of object */
#define RS_E_CAPFAULT 13  /* the object behind the capability has died (see below) */
#define RS_E_TIMEOUT  14  /* a blocking operation ran out of time */
#define RS_E_QUOTA    15  /* the memory quota would be exceeded */
#define RS_E_FAULT    16  /* a user pointer is not mapped readable/writable */
#define RS_E_NOSYS    17  /* no such operation on this object */
#define RS_E_DROPPED  18  /* the server is alive but dropped the reply: the call was
                             delivered and will never be answered (not a capability
                             fault: nothing died) */
#define RS_E_UNKNOWN  19  /* libsys: a call that is not idempotent was delivered and
                             its server died before answering: whether it took effect
                             is unknown, so it was not retried */
#define RS_E_SESSION  20  /* the server found the caller's session region corrupt and
                             refused the call without running it; the session's state
                             is lost (rs_session_reset starts a new one) */
#define RS_E_COUNT    21

/* What each code means, in words for messages: the one list kernel/err.c and
 * libsys (rs_error_name) both use. */
#define RS_ERROR_NAMES { "ok", "invalid argument", "out of range", "no memory", \
    "already exists", "not found", "truncated", "bad format", "misaligned", "busy", \
    "no capability in slot", "capability lacks the right", "wrong kind of object", \
    "capability fault (object died)", "timed out", "quota exceeded", "bad user address", \
    "no such operation", "reply dropped by the server", \
    "outcome unknown (server died after receiving)", "session state corrupt" }

/* A capability fault: RAX = RS_E_CAPFAULT, RDI = the slot that was invoked, RSI = the
 * kind of the object that died (RS_OBJ_*), RDX = the phase (below), R10 = the dead
 * object's id (the id RS_SYS_CAP_INFO reports, so a re-obtained capability can be
 * told from the old one). It is raised when a thread invokes a capability whose
 * object died, and when a thread blocked on such an object (a call waiting for a
 * server, a receive on an endpoint) is woken by its death. A call that times out
 * (RS_E_TIMEOUT) reports its phase in RDX too. */
#define RS_CAPFAULT_NOT_DELIVERED 1   /* the server never received the request: a
                                         retry is always safe */
#define RS_CAPFAULT_DELIVERED     2   /* the server received it and died (or timed
                                         out) before answering: the outcome is
                                         unknown; retry only an idempotent call */
