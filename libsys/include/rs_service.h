/* What a service started by the reincarnation server (RS) finds in its capability
 * space, and the ways RS can make it fail on request. Slots below
 * RS_GIVEN_FIRST_FREE are given at start; a service keeps its own from there up
 * (the dynamic allocator starts at RS_SLOT_DYNAMIC). */
#pragma once
#include <stdint.h>

#define RS_GIVEN_PORTS  8   /* its I/O ports, when declared */
#define RS_GIVEN_IRQ    9   /* its interrupt line, when declared */
#define RS_GIVEN_SYSTEM 10  /* RS's endpoint, badged with the service's id */
#define RS_GIVEN_DS     11  /* the data store's endpoint, badged with the same id */
#define RS_GIVEN_FILES  12  /* read-only images of the boot modules it declared as
                             * `files`, in order (fopen: libsys/files.c) */
#define RS_GIVEN_FILES_MAX 4
#define RS_GIVEN_SCRIPT RS_GIVEN_FILES  /* init: the first, init.lua */
#define RS_GIVEN_KEEP   16  /* a service that keeps itself outside itself (the data
                               store): memory that outlives each incarnation ... */
#define RS_GIVEN_STORE  17  /* ... and a capability store (MANAGE) that does too */
#define RS_GIVEN_PCI    18  /* a PCI driver: the PCI server's endpoint, badged by RS
                               with the device it may open (rs_pci.h) */
#define RS_GIVEN_FIRST_FREE 19

/* system svc_crash kinds. All but SVC_CRASH_ANYWHERE are what the service's own
 * server loop does when RS (badge 0 of its endpoint) asks it to fail, so they
 * happen between requests; SVC_CRASH_ANYWHERE is done to it by RS through the debug capability,
 * wherever its thread is (in the middle of a request too). */
enum svc_crash_kind {
    SVC_CRASH_EXCEPTION = 1,    /* an invalid-opcode exception (ud2) */
    SVC_CRASH_PAGEFAULT = 2,    /* a write to an unmapped address */
    SVC_CRASH_EXIT = 3,         /* exit with status 1 */
    SVC_CRASH_HANG = 4,         /* spin for ever: no requests, no heartbeats */
    SVC_CRASH_ANYWHERE = 5,     /* RS stops its thread and points it at an unmapped
                                   address: a page fault at whatever it was doing */
    SVC_CRASH_BUSY = 6,         /* spin in its loop, still sending heartbeats but
                                   never receiving (RS finds it hung: watch.h) */
};

/* What a failure hook in init.lua may decide (system hook_result's action). */
enum svc_hook_action {
    HOOK_POLICY = 0,            /* nothing: the declared policy decides */
    HOOK_RESTART = 1,           /* restart now */
    HOOK_RESTART_AFTER = 2,     /* restart after delay_ms */
    HOOK_STOP = 3,              /* leave it stopped */
    HOOK_ESCALATE = 4,          /* stop it; the system is degraded */
    HOOK_RESTART_DEPENDENTS = 5,/* restart it and what depends on it */
};

/* A capability to the server published under name in the data store, into slot
 * (emptied first); the data store's status (RS_E_NOENT: nobody publishes it now). */
uint64_t rs_lookup(const char *name, uint64_t slot);

/* The same, retried every 10 ms for up to ms milliseconds. */
uint64_t rs_lookup_wait(const char *name, uint64_t slot, uint64_t ms);

/* rs_lookup, and a capability-fault handler for slot that looks name up again
 * when its server dies (rs_capfault.h); name must outlive the slot's use. */
uint64_t rs_lookup_recovering(const char *name, uint64_t slot);

/* For a component that is a client, not a server (no rs_server_run): tells RS
 * that its initialisation is done, so RS stops its ready deadline (servers are
 * reported by the framework, with their endpoint). Nothing when RS did not
 * start it. */
uint64_t rs_service_ready(void);

/* RS's state word (system svc_info) of a service that is running. */
#define RS_SVC_RUNNING 2

/* Waits up to ms for the service `name` to be running, asking RS every 5 ms.
 * Returns its state word then (RS_SVC_RUNNING, or what it was when the time ran
 * out); 0 (stopped) when RS does not know it. */
uint64_t rs_service_wait_running(const char *name, uint64_t ms);
