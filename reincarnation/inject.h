/* RS's side of fault injection: a service with the inject right (the injector)
 * may get a debug capability over another service's current incarnation, and
 * have its record of each fault written on the event channel. */
#pragma once
#include <rs_server.h>

/* system svc_debug: buffer = the target's name; replies a DEBUG|READ capability
 * over its task and its incarnation. Refused (RS_E_RIGHTS) without the inject
 * right, for the caller itself, and for RS; RS_E_NOENT unless the target runs. */
uint32_t inject_debug_handler(struct rs_request *r, void *state);

/* system inject_event: buffer = "target\ntype\ndetail" (the inject right only);
 * written as an "inject" event of the target, or an "activated" one when type is
 * "activated" (an armed fault acted). */
uint32_t inject_event_handler(struct rs_request *r, void *state);
