/* The services RS starts, watches and restarts: their declarations (until init.lua
 * declares them, a built-in table, catalog.c) and their run-time state. */
#pragma once
#include <stdint.h>
#include "depends.h"
#include "policy.h"

#define SVC_MAX 16
#define SVC_NAME_MAX 15

#define SVC_MAY_CONTROL 1u      /* may call svc_* and halt (the shell) */
#define SVC_MAY_DECLARE 2u      /* may declare services (init) */
#define SVC_HAS_HOOK    4u      /* init runs a Lua hook on each of its failures */
#define SVC_MAY_INJECT  8u      /* may debug other services to make faults (fi) */
#define SVC_PCI_BUS     16u     /* the PCI server: given the bus windows (rs_pci.h) */
#define HOOK_BUDGET_MS  50      /* a hook's answer later than this is ignored */

struct service_def {
    const char *name;
    const char *module;         /* boot module with its program */
    unsigned priority;          /* below RS's own */
    uint64_t quota;             /* bytes */
    uint16_t port, nports;      /* I/O ports it may use (nports 0: none) */
    uint8_t irq;                /* its interrupt line (0: none) */
    uint16_t pci_vendor;        /* a PCI driver: the device it may open (vendor 0: */
    uint16_t pci_device;        /*   none), through the PCI server (RS_GIVEN_PCI) */
    const char *owns;           /* data-store names it owns, space-separated */
    const char *reads;          /* data-store patterns it may read */
    const char *deps;           /* services it depends on, space-separated */
    const char *args;           /* declared arguments, passed on every start */
    const char *files;          /* boot modules it may read, space-separated (at most
                                 * RS_GIVEN_FILES_MAX; init's first is init.lua), or NULL */
    unsigned flags;             /* SVC_MAY_CONTROL */
    uint32_t keep_pages;        /* nonzero: RS makes, once, a frame of this many pages
                                   and a capability store that every incarnation is
                                   given (RS_GIVEN_KEEP, RS_GIVEN_STORE) and that
                                   outlive each: where the data store keeps itself */
    struct policy policy;
};

enum service_state {
    SVC_STOPPED,                /* not running, not wanted */
    SVC_STARTING,               /* spawned, not ready yet */
    SVC_RUNNING,                /* reported ready */
    SVC_WAITING,                /* failed; restarts at restart_at_ms (back-off) */
    SVC_BLOCKED,                /* wanted, waiting for its dependencies */
    SVC_FAILED,                 /* the policy gave up: the system is degraded */
};

struct service {
    const struct service_def *def;
    unsigned index;             /* in the table; its badge to RS and DS is index + 1 */
    enum service_state state;
    unsigned incarnation;
    uint64_t tid;
    depset_t deps;
    struct policy policy;       /* the declared one, with the boot's overrides */
    struct policy_history hist;
    /* supervision, in ms of rs_time_ms() and TSC ticks */
    uint64_t beat_ms;           /* the heartbeat period this incarnation was given */
    unsigned beat_misses;
    uint64_t started_ms, last_beat_ms, restart_at_ms;
    uint64_t receives;          /* the kernel's count of its receives, when last seen */
    uint64_t received_ms;       /* when that count last moved */
    int busy_told;              /* its beats stopped counting: said once */
    uint64_t failed_tsc;        /* when the last failure happened */
    uint64_t detected_tsc;      /* when RS learnt of it */
    uint64_t injected_tsc;      /* when RS made it fail on request (0: it did not) */
    const char *last_reason;
    int hook_pending;           /* waiting for init's hook; then fallback applies */
    struct decision fallback;   /* what the policy decided, if the hook says nothing */
    /* counters the shell shows */
    uint64_t failures, restarts, hangs;
    int64_t last_detect_us, last_recover_us;
};

/* Slots RS keeps per service i. */
#define SVC_TASK_SLOT(i)     (32 + (i))
#define SVC_ENDPOINT_SLOT(i) (48 + (i))     /* its endpoint, unbadged, from ready */
#define SVC_PORTS_SLOT(i)    (64 + (i))
#define SVC_IRQ_SLOT(i)      (80 + (i))
#define SVC_KEEP_SLOT(i)     (96 + (i))     /* its keep frame and capability store, */
#define SVC_STORE_SLOT(i)    (112 + (i))    /* never deleted (keep_pages) */
#define SVC_BUS_SLOT(w)      (128 + (w))    /* the PCI bus windows (enum pci_window), */
                                            /* made once, never deleted */
#define SVC_FIXED_FIRST      32
#define SVC_FIXED_COUNT      112
#define SVC_SUPERVISOR_BADGE 0x100u         /* on kernel notices, with index + 1 */

/* catalog.c: the built-in declarations; NULL if none is called name. */
const struct service_def *catalog_find(const char *name);
extern const char catalog_default[];

/* service.c: the table. */
/* Declares the services named in list (separated by , or +), each with its
 * catalog policy changed by the boot argument `policy.NAME=SPEC` if there is one
 * (policy_override); returns how many were declared. */
int services_declare(const char *list);
/* Adds d (or replaces the declaration of the service of that name: its policy
 * applies from its next failure); NULL with *why when refused. d must stay. */
struct service *services_put(const struct service_def *d, const char **why);

struct service *service_by_name(const char *name);
/* Registers the table with keep.c (rskeep.c: what a restarted RS gets back). */
void services_keep(void);
struct service *service_by_badge(uint64_t badge);   /* index + 1, supervisor bit ignored */
struct service *service_at(unsigned i);
unsigned service_count(void);
depset_t service_wanted(void);
const char *service_state_name(enum service_state s);
