/* Starting services: spawn the program, give it exactly its capabilities (its
 * ports, its IRQ, a badged capability to the root endpoint), make the root task
 * its supervisor, start it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <rs_invoke.h>
#include <rs_libc.h>
#include <rs_log.h>
#include <rsys.h>
#include "service.h"

#define MAX_SERVICES 16

/* Every service this root task knows; the boot configuration picks the set. */
static const struct service_def known[] = {
    { "uart", "uart.elf", 25, 1 << 20, 0x3F8, 8, 4 },
    { "shell", "shell.elf", 15, 1 << 20, 0, 0, 0 },
    { "chatter", "chatter.elf", 10, 1 << 20, 0, 0, 0 },
    { "conbench", "conbench.elf", 10, 1 << 20, 0, 0, 0 },
};
#define DEFAULT_SERVICES "uart,shell"

static struct service services[MAX_SERVICES];
static unsigned nservices;

static const struct service_def *find_def(const char *name)
{
    for (unsigned i = 0; i < sizeof known / sizeof known[0]; i++)
        if (!strcmp(known[i].name, name))
            return &known[i];
    return 0;
}

static uint64_t give_hardware(unsigned i, const struct service_def *d)
{
    uint64_t task = SVC_TASK_SLOT(i), e = 0;
    if (d->nports) {
        e = rs_platform_ioports(RS_SLOT_PLATFORM, d->port, d->nports, SVC_PORTS_SLOT(i));
        if (!e)
            e = rs_task_give_cap(task, SVC_PORTS_SLOT(i), SVC_GIVEN_PORTS, RS_RIGHT_MANAGE, 0);
    }
    if (!e && d->irq) {
        e = rs_platform_irq(RS_SLOT_PLATFORM, d->irq, SVC_IRQ_SLOT(i));
        if (!e)
            e = rs_task_give_cap(task, SVC_IRQ_SLOT(i), SVC_GIVEN_IRQ, RS_RIGHT_MANAGE, 0);
    }
    return e;
}

/* Makes root_ep, minted with the service's supervisor badge, the supervisor of
 * the task in slot task: the kernel stamps that badge on its notices. */
static uint64_t supervise(uint64_t task, uint64_t root_ep, unsigned id)
{
    uint64_t e = rs_cap_mint(root_ep, SVC_TEMP_SLOT, RS_RIGHT_WRITE, SVC_SUPERVISOR_BADGE | id);
    if (!e)
        e = rs_task_set_supervisor(task, SVC_TEMP_SLOT);
    rs_cap_delete(SVC_TEMP_SLOT);
    return e;
}

static uint64_t start_one(unsigned i, uint64_t root_ep)
{
    struct service *s = &services[i];
    char args[32];
    uint64_t task = SVC_TASK_SLOT(i);
    snprintf(args, sizeof args, "incarnation=%u", s->incarnation + 1);
    uint64_t e = rs_spawn(s->def->module, RS_SLOT_QUOTA, s->def->quota, task,
                          s->def->priority, args, &s->tid);
    if (!e)
        e = give_hardware(i, s->def);
    if (!e)
        e = rs_task_give_cap(task, root_ep, SVC_GIVEN_SYSTEM, RS_RIGHT_WRITE | RS_RIGHT_GRANT,
                             s->id);
    if (!e)
        e = supervise(task, root_ep, s->id);
    if (!e)
        e = rs_task_start(task);
    if (e) {
        rs_task_destroy(task);
        rs_cap_delete(task);
        return e;
    }
    s->state = SVC_RUNNING;
    s->incarnation++;
    rs_info("event=start service=%s incarnation=%u task=%lu", s->def->name, s->incarnation,
            s->tid);
    return 0;
}

unsigned services_start(const char *list, uint64_t root_endpoint)
{
    char names[128] = "";
    strncpy(names, list ? list : DEFAULT_SERVICES, sizeof names - 1);
    unsigned started = 0;
    for (char *n = strtok(names, ",+"); n && nservices < MAX_SERVICES; n = strtok(0, ",+")) {
        const struct service_def *d = find_def(n);
        if (!d) {
            rs_error("unknown service '%s' in the boot configuration", n);
            continue;
        }
        struct service *s = &services[nservices];
        *s = (struct service){ .def = d, .id = nservices + 1 };
        nservices++;
        uint64_t e = start_one(nservices - 1, root_endpoint);
        if (e)
            rs_error("cannot start service '%s' (error %lu)", n, e);
        started += !e;
    }
    return started;
}

struct service *service_by_name(const char *name)
{
    for (unsigned i = 0; i < nservices; i++)
        if (!strcmp(services[i].def->name, name))
            return &services[i];
    return 0;
}

struct service *service_by_badge(uint64_t badge)
{
    uint64_t id = badge & ~(uint64_t)SVC_SUPERVISOR_BADGE;
    return id >= 1 && id <= nservices ? &services[id - 1] : 0;
}

struct service *service_by_published(const char *name)
{
    for (unsigned i = 0; i < nservices; i++)
        if (services[i].state == SVC_RUNNING && !strcmp(services[i].published, name))
            return &services[i];
    return 0;
}

unsigned service_count(void) { return nservices; }
struct service *service_at(unsigned i) { return i < nservices ? &services[i] : 0; }

const char *service_state_name(enum service_state s)
{
    static const char *const names[] = { "stopped", "running", "crashed", "exited" };
    return names[s];
}
