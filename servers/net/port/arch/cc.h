/* lwIP's compiler and platform glue for Resurgo: musl's types, little endian, and
 * libsys's log for diagnostics; an lwIP assertion is a failure of the server
 * (RS restarts it), never an endless loop. */
#pragma once
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <rs_log.h>
#include <rsys.h>

#define BYTE_ORDER LITTLE_ENDIAN
#define LWIP_PLATFORM_DIAG(x) do { rs_printf x; } while (0)
#define LWIP_PLATFORM_ASSERT(x) rs_panic("lwIP: assertion failed: %s (%s:%d)", x, __FILE__, __LINE__)
#define LWIP_ERR_T int
