/* The services the root task starts and supervises. */
#pragma once
#include <stdint.h>

struct service_def {
    const char *name;
    const char *module;             /* boot module with its program */
    unsigned priority;
    uint64_t quota;                 /* bytes */
    uint16_t port, nports;          /* I/O ports it may use (nports 0: none) */
    uint8_t irq;                    /* its interrupt line (0: none) */
};

enum service_state { SVC_STOPPED, SVC_RUNNING, SVC_CRASHED, SVC_EXITED };

struct service {
    const struct service_def *def;
    unsigned id;                    /* badge of its capability to the root endpoint */
    enum service_state state;
    unsigned incarnation;
    uint64_t tid;
    char published[16];             /* name of the endpoint it published, or "" */
    uint64_t crashes;
};

/* Slots the root task keeps per service i (reserved from the slot allocator). */
#define SVC_FIXED_FIRST      48
#define SVC_FIXED_COUNT      64
#define SVC_TASK_SLOT(i)     (16 + (i))
#define SVC_ENDPOINT_SLOT(i) (48 + (i))
#define SVC_PORTS_SLOT(i)    (80 + 2 * (i))
#define SVC_IRQ_SLOT(i)      (81 + 2 * (i))
#define SVC_SUPERVISOR_BADGE 0x100u
#define SVC_TEMP_SLOT        13  /* scratch for minting */

/* Slots a service finds its capabilities in. */
#define SVC_GIVEN_PORTS  8
#define SVC_GIVEN_IRQ    9
#define SVC_GIVEN_SYSTEM 10

/* Builds the table from the names in `list` (separated by , or +; NULL: the default
 * set) and starts each service; returns how many started. */
unsigned services_start(const char *list, uint64_t root_endpoint);

struct service *service_by_name(const char *name);
struct service *service_by_badge(uint64_t badge);
struct service *service_by_published(const char *name);
unsigned service_count(void);
struct service *service_at(unsigned i);
const char *service_state_name(enum service_state s);
