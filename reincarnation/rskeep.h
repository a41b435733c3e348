/* RS kept outside itself, so that the kernel's next incarnation of it carries on
 * supervising every service (see rskeep.c). */
#pragma once
#include <stddef.h>
#include <stdint.h>

/* Adds n bytes at p (a table of RS's) to what is kept; before keep_load. */
void keep_add(void *p, size_t n);
/* The capabilities RS holds changed (a service started or buried, an endpoint
 * received): the next keep_save gives them to the capability store again. */
void keep_caps_changed(void);
/* RS let go of the capability in slot: the store's copy goes now too (a port
 * range or IRQ line is free again only when no capability to it is left). */
void keep_drop(uint64_t slot);
/* The call being handled changes nothing a restarted RS needs (a heartbeat: the
 * next RS gives every service a heartbeat's grace anyway): keep_save skips it. */
void keep_unchanged(void);
/* After a request or notice, before its answer: objects made for services are
 * adopted by RS's quota (so they outlive RS), the capabilities given to the
 * kernel's capability store, the tables sealed into the keep frame. */
void keep_save(void);
/* In a new incarnation: the tables and capabilities as the last keep_save left
 * them. 1 when restored, 0 when nothing was kept, -1 when what was is corrupt. */
int keep_load(void);
