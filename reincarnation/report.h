/* The text RS answers svc_list and svc_status with. */
#pragma once
#include <stddef.h>
#include "service.h"

/* One line per task: RS, then every declared service; a last line if degraded. */
const char *report_list(size_t *len);

/* Policy, counters and last failure of s. */
const char *report_status(const struct service *s, size_t *len);
