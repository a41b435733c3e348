/* Starting, stopping, failing and restarting services (see lifecycle.h). Every
 * failure goes through lifecycle_failed(), which asks the policy what to do; every
 * start goes through start_one(), which gives the new incarnation exactly its
 * declared capabilities. */
#include <stdio.h>
#include <string.h>
#include <rs_invoke.h>
#include <rs_libc.h>
#include <rs_log.h>
#include <rs_pci.h>
#include <rs_service.h>
#include <proto/init.h>
#include <rsys.h>
#include "events.h"
#include "declare.h"
#include "rskeep.h"
#include "lifecycle.h"
#include "watch.h"

#define TEMP_SLOT 13                /* scratch for minting */

static uint64_t root_ep;
static int ask_hook(struct service *s, const char *reason, struct decision d);
static int degraded;

int64_t lifecycle_us(uint64_t from_tsc, uint64_t to_tsc)
{
    uint64_t hz = rs_tsc_hz();
    if (!from_tsc || to_tsc < from_tsc || !hz)
        return EVENT_UNKNOWN;
    return (int64_t)((unsigned __int128)(to_tsc - from_tsc) * 1000000u / hz);
}

int lifecycle_degraded(void) { return degraded; }

static void emit(const char *what, struct service *s, const char *reason, int64_t detect,
                 int64_t recover, const char *detail)
{
    struct event e = { what, s->def->name, s->incarnation, reason, detect, recover, detail };
    event_emit(&e);
}

static struct service *ds_service(void)
{
    struct service *ds = service_by_name("ds");
    return ds && ds->state == SVC_RUNNING ? ds : 0;
}

/* The PCI bus windows (rs_pci.h), made once into SVC_BUS_SLOT and kept: every
 * incarnation of the PCI server gets the same ones, at RS_GIVEN_FIRST_FREE on. */
static uint64_t make_window(unsigned w, uint64_t slot)
{
    static const uint8_t lines[] = { 5, 9, 10, 11, 14 };
    switch (w) {
    case PCI_WIN_IO:
        return rs_platform_ioports(RS_SLOT_PLATFORM, PCI_WIN_IO_FIRST, 0x10000 - PCI_WIN_IO_FIRST,
                                   slot);
    case PCI_WIN_IDE_CMD: return rs_platform_ioports(RS_SLOT_PLATFORM, 0x1F0, 8, slot);
    case PCI_WIN_IDE_CTL: return rs_platform_ioports(RS_SLOT_PLATFORM, 0x3F6, 1, slot);
    case PCI_WIN_MEM:
        return rs_platform_mmio(RS_SLOT_PLATFORM, PCI_WIN_MEM_BASE,
                                (PCI_WIN_MEM_END - PCI_WIN_MEM_BASE) / 4096, slot);
    case PCI_WIN_DMA: return rs_platform_dma(RS_SLOT_PLATFORM, slot);
    default:
        return rs_platform_irq(RS_SLOT_PLATFORM, lines[w - PCI_WIN_IRQ5], slot);
    }
}

static uint64_t rights_of_window(unsigned w)
{
    return w == PCI_WIN_MEM ? RS_RIGHT_READ | RS_RIGHT_WRITE : RS_RIGHT_MANAGE;
}

static uint64_t give_bus(uint64_t task)
{
    uint64_t kind, rights, badge, dead;
    for (unsigned w = 0; w < PCI_WIN_COUNT; w++) {
        uint64_t slot = SVC_BUS_SLOT(w), e = 0;
        if (rs_cap_info(slot, &kind, &rights, &badge, &dead)) {
            e = make_window(w, slot);
            keep_caps_changed();
        }
        if (!e)
            e = rs_task_give_cap(task, slot, RS_GIVEN_FIRST_FREE + w, rights_of_window(w), 0);
        if (e) {
            rs_warn("cannot give the PCI server bus window %u: %s", w, rs_error_name(e));
            return e;
        }
    }
    return 0;
}

/* A PCI driver's capability to the PCI server: its endpoint, badged by RS with
 * the one device ID the driver may open and the driver's id. */
static uint64_t give_pci(struct service *s, uint64_t task)
{
    const struct service_def *d = s->def;
    struct service *pci = 0;
    if (!d->pci_vendor)
        return 0;
    for (unsigned i = 0; i < service_count(); i++)
        if (service_at(i)->def->flags & SVC_PCI_BUS)
            pci = service_at(i);
    if (!pci || pci->state != SVC_RUNNING) {
        rs_warn("%s is a PCI driver, but no PCI server is running", d->name);
        return RS_E_NOENT;
    }
    return rs_task_give_cap(task, SVC_ENDPOINT_SLOT(pci->index), RS_GIVEN_PCI,
                            RS_RIGHT_WRITE | RS_RIGHT_GRANT,
                            PCI_BADGE(s->index + 1, d->pci_vendor, d->pci_device));
}

/* One port range, into RS's slot for it and the service's given slot. */
static uint64_t give_ports(uint64_t task, uint16_t first, uint16_t count, uint64_t slot,
                           uint64_t given)
{
    uint64_t e = rs_platform_ioports(RS_SLOT_PLATFORM, first, count, slot);
    return e ? e : rs_task_give_cap(task, slot, given, RS_RIGHT_MANAGE, 0);
}

static uint64_t give_hardware(struct service *s, uint64_t task)
{
    const struct service_def *d = s->def;
    uint64_t e = (d->flags & SVC_PCI_BUS) ? give_bus(task) : give_pci(s, task);
    if (!e && d->nports)
        e = give_ports(task, d->port, d->nports, SVC_PORTS_SLOT(s->index), RS_GIVEN_PORTS);
    if (!e && d->irq) {
        e = rs_platform_irq(RS_SLOT_PLATFORM, d->irq, SVC_IRQ_SLOT(s->index));
        if (!e)
            e = rs_task_give_cap(task, SVC_IRQ_SLOT(s->index), RS_GIVEN_IRQ, RS_RIGHT_MANAGE, 0);
    }
    return e;
}

/* Read-only image capabilities for the boot modules it declared as files, from
 * RS_GIVEN_FILES on, in order (init's first is init.lua). */
static uint64_t give_files(struct service *s, uint64_t task)
{
    char key[32], boot[128];
    snprintf(key, sizeof key, "files.%s", s->def->name);
    const char *p = rs_arg(key, boot, sizeof boot) ? boot : s->def->files;
    for (char *c = boot; p == boot && *c; c++)
        if (*c == '+')
            *c = ' ';               /* the boot's files.NAME=a+b: instead of the declared */
    char name[32];
    uint64_t e = 0;
    for (unsigned i = 0; !e && i < RS_GIVEN_FILES_MAX && declare_next_word(&p, name, sizeof name);
         i++) {
        int index = rs_module_find(name);
        e = index < 0 ? RS_E_NOENT : rs_platform_image(RS_SLOT_PLATFORM, (uint64_t)index, TEMP_SLOT);
        if (!e)
            e = rs_task_give_cap(task, TEMP_SLOT, RS_GIVEN_FILES + i, RS_RIGHT_READ, 0);
        rs_cap_delete(TEMP_SLOT);
    }
    return e;
}

/* The keep frame and capability store of a service declared with keep_pages:
 * made the first time (charged to RS, so that they outlive the service), the
 * same ones given to every incarnation. */
static uint64_t give_keep(struct service *s, uint64_t task)
{
    unsigned i = s->index;
    uint64_t e = 0, kind = 0, rights = 0, badge = 0, dead = 0;
    if (!s->def->keep_pages)
        return 0;
    if (rs_cap_info(SVC_KEEP_SLOT(i), &kind, &rights, &badge, &dead))
        e = rs_create(RS_SLOT_QUOTA, RS_OBJ_FRAME, SVC_KEEP_SLOT(i), s->def->keep_pages);
    if (!e && rs_cap_info(SVC_STORE_SLOT(i), &kind, &rights, &badge, &dead))
        e = rs_create(RS_SLOT_QUOTA, RS_OBJ_TASK, SVC_STORE_SLOT(i), 0);
    if (!e)
        e = rs_task_give_cap(task, SVC_KEEP_SLOT(i), RS_GIVEN_KEEP,
                             RS_RIGHT_READ | RS_RIGHT_WRITE, 0);
    if (!e)
        e = rs_task_give_cap(task, SVC_STORE_SLOT(i), RS_GIVEN_STORE, RS_RIGHT_MANAGE, 0);
    return e;
}

/* Its capabilities to RS and DS, badged with its id; RS as its supervisor, with the
 * supervisor bit in the badge the kernel stamps on its notices. */
static uint64_t give_system(struct service *s, uint64_t task)
{
    uint64_t id = s->index + 1;
    uint64_t e = rs_task_give_cap(task, root_ep, RS_GIVEN_SYSTEM, RS_RIGHT_WRITE | RS_RIGHT_GRANT,
                                  id);
    struct service *ds = ds_service();
    if (!e && ds && ds != s)
        e = rs_task_give_cap(task, SVC_ENDPOINT_SLOT(ds->index), RS_GIVEN_DS,
                             RS_RIGHT_WRITE | RS_RIGHT_GRANT, id);
    if (!e)
        e = rs_cap_mint(root_ep, TEMP_SLOT, RS_RIGHT_WRITE, SVC_SUPERVISOR_BADGE | id);
    if (!e)
        e = rs_task_set_supervisor(task, TEMP_SLOT);
    rs_cap_delete(TEMP_SLOT);
    return e;
}

/* Destroys what is left of the current incarnation: its task (and everything it
 * owns: endpoint, notifications, memory) and RS's capabilities for it. */
static void bury(struct service *s)
{
    unsigned i = s->index;
    rs_task_destroy(SVC_TASK_SLOT(i));
    rs_cap_delete(SVC_TASK_SLOT(i));
    rs_cap_delete(SVC_ENDPOINT_SLOT(i));
    rs_cap_delete(SVC_PORTS_SLOT(i));
    rs_cap_delete(SVC_IRQ_SLOT(i));
    keep_drop(SVC_TASK_SLOT(i));
    keep_drop(SVC_ENDPOINT_SLOT(i));
    keep_drop(SVC_PORTS_SLOT(i));
    keep_drop(SVC_IRQ_SLOT(i));
    s->injected_tsc = 0;
    watch_rs_was_busy();
}

/* The boot's `args.NAME=a=1+b=2` for s, as "a=1 b=2" (QEMU's -initrd splits module
 * lists at commas and module lines at spaces are the module's own). */
static const char *boot_args(const struct service *s, char *buf, size_t size)
{
    char key[32];
    snprintf(key, sizeof key, "args.%s", s->def->name);
    if (!rs_arg(key, buf, size))
        return "";
    for (char *p = buf; *p; p++)
        if (*p == '+')
            *p = ' ';
    return buf;
}

static uint64_t start_one(struct service *s)
{
    char args[RS_ARGS_MAX + 1], extra[RS_ARGS_MAX + 1];
    uint64_t task = SVC_TASK_SLOT(s->index);
    const char *boot = boot_args(s, extra, sizeof extra);
    int n = snprintf(args, sizeof args, "incarnation=%u heartbeat=%lu %s %s", s->incarnation + 1,
                     s->policy.heartbeat_ms, s->def->args ? s->def->args : "", boot);
    if (n < 0 || (size_t)n >= sizeof args || strlen(boot) >= sizeof extra - 1) {
        rs_error("arguments of '%s' too long: %d bytes or more, a task takes at most %zu: "
                 "not started (rather than with its arguments cut)", s->def->name,
                 n > (int)strlen(boot) ? n : (int)strlen(boot), sizeof args - 1);
        return RS_E_RANGE;
    }
    uint64_t e = rs_spawn(s->def->module, RS_SLOT_QUOTA, s->def->quota, task,
                          s->def->priority, args, &s->tid);
    if (!e)
        e = give_hardware(s, task);
    if (!e)
        e = give_system(s, task);
    if (!e)
        e = give_files(s, task);
    if (!e)
        e = give_keep(s, task);
    if (!e)
        e = rs_task_start(task);
    if (e) {
        bury(s);
        return e;
    }
    watch_rs_was_busy();
    keep_caps_changed();
    s->incarnation++;
    s->state = SVC_STARTING;
    s->beat_ms = s->policy.heartbeat_ms;        /* a new policy applies from the next start */
    s->beat_misses = s->policy.heartbeat_misses;
    s->started_ms = s->last_beat_ms = s->received_ms = rs_time_ms();
    s->receives = 0, s->busy_told = 0;
    rs_info("event=start service=%s incarnation=%u task=%lu", s->def->name, s->incarnation,
            s->tid);
    return 0;
}

static int deps_running(const struct service *s)
{
    for (unsigned j = 0; j < service_count(); j++)
        if ((s->deps >> j & 1) && service_at(j)->state != SVC_RUNNING)
            return 0;
    return 1;
}

/* Starts every wanted service whose time has come and whose dependencies run. */
void lifecycle_schedule(void)
{
    uint64_t now = rs_time_ms();
    for (unsigned i = 0; i < service_count(); i++) {
        struct service *s = service_at(i);
        int due = s->state == SVC_BLOCKED
                  || (s->state == SVC_WAITING && !s->hook_pending && now >= s->restart_at_ms);
        if (!due || !deps_running(s)) {
            if (due)
                s->state = SVC_BLOCKED;
            continue;
        }
        uint64_t e = start_one(s);
        if (e) {
            rs_error("cannot start service '%s': %s", s->def->name, rs_error_name(e));
            s->state = SVC_FAILED;
            degraded = 1;
            emit("degraded", s, "start-failed", EVENT_UNKNOWN, EVENT_UNKNOWN, "spawn refused");
        }
    }
}

void lifecycle_want(struct service *s)
{
    if (s->state == SVC_STOPPED || s->state == SVC_FAILED) {
        memset(&s->hist, 0, sizeof s->hist);
        s->state = SVC_BLOCKED;
    }
}

void lifecycle_stop(struct service *s, const char *why)
{
    if (s->state == SVC_STOPPED)
        return;
    bury(s);
    s->state = SVC_STOPPED;
    emit("stop", s, why, EVENT_UNKNOWN, EVENT_UNKNOWN, NULL);
}

/* Stops everything that depends on s (they come back when wanted again). */
static void stop_dependents(struct service *s, int want_back)
{
    depset_t deps[SVC_MAX];
    for (unsigned j = 0; j < service_count(); j++)
        deps[j] = service_at(j)->deps;
    depset_t set = depends_dependents(deps, service_count(), s->index);
    for (unsigned j = 0; j < service_count(); j++) {
        struct service *d = service_at(j);
        if (!(set >> j & 1) || d->state == SVC_STOPPED || d->state == SVC_FAILED)
            continue;
        lifecycle_stop(d, "dependency failed");
        if (want_back)
            d->state = SVC_BLOCKED;
    }
}

static void act(struct service *s, struct decision d)
{
    uint64_t now = rs_time_ms();
    switch (d.action) {
    case ACT_RESTART_DEPENDENTS:
        stop_dependents(s, 1);
        /* fall through */
    case ACT_RESTART:
        s->state = SVC_WAITING;
        s->restart_at_ms = now + d.delay_ms;
        break;
    case ACT_STOP:
        s->state = SVC_STOPPED;
        emit("stop", s, d.why, EVENT_UNKNOWN, EVENT_UNKNOWN, NULL);
        return;
    case ACT_STOP_DEPENDENTS:
        stop_dependents(s, 0);
        /* fall through */
    case ACT_DEGRADE:
        s->state = SVC_FAILED;
        degraded = 1;
        emit("degraded", s, d.why, EVENT_UNKNOWN, EVENT_UNKNOWN, "the policy gave up");
        return;
    }
    if (d.delay_ms) {
        char detail[48];
        snprintf(detail, sizeof detail, "restart in %lu ms", d.delay_ms);
        emit("backoff", s, d.why, EVENT_UNKNOWN, EVENT_UNKNOWN, detail);
    }
}

void lifecycle_failed(struct service *s, enum failure f, const char *reason, uint64_t failed_tsc,
                      const char *detail)
{
    uint64_t now_tsc = rs_tsc();
    int in_init = s->state == SVC_STARTING;
    uint64_t from = s->injected_tsc ? s->injected_tsc : failed_tsc;
    bury(s);
    s->failures += f != FAIL_EXIT_OK;
    s->hangs += f == FAIL_HANG;
    s->failed_tsc = from ? from : now_tsc;
    s->detected_tsc = now_tsc;
    s->last_reason = reason;
    s->last_detect_us = lifecycle_us(from, now_tsc);
    emit(f == FAIL_EXIT_OK ? "exit" : "failure", s, reason, s->last_detect_us, EVENT_UNKNOWN,
         detail);
    struct decision d = policy_decide(&s->policy, &s->hist, f, in_init, rs_time_ms());
    if (f == FAIL_KILLED || !ask_hook(s, reason, d))
        act(s, d);
    lifecycle_schedule();
}

/* Sends init the failure, for the service's Lua hook (a send that never waits);
 * the policy's decision d applies if init does not answer within the budget. */
static int ask_hook(struct service *s, const char *reason, struct decision d)
{
    struct service *init = service_by_name("init");
    if (!(s->def->flags & SVC_HAS_HOOK) || !init || init->state != SVC_RUNNING)
        return 0;
    char text[64];
    int n = snprintf(text, sizeof text, "%s\n%s", s->def->name, reason);
    struct rs_msg m = { .info = INIT_HOOK | RS_MSG_BUFFER, .w = { s->incarnation, s->failures } };
    struct rs_ipc_extra x = { .send_buf = (uint64_t)text, .send_len = (uint64_t)n };
    struct rs_regs r = { .slot = SVC_ENDPOINT_SLOT(init->index), .info = m.info,
                         .w = { m.w[0], m.w[1] }, .timeout = RS_TIMEOUT_POLL, .extra = &x };
    if (rs_syscall(RS_SYS_SEND, &r)) {
        emit("hook", s, "not asked", EVENT_UNKNOWN, EVENT_UNKNOWN, "init is busy: policy applies");
        return 0;
    }
    s->fallback = d;
    s->hook_pending = 1;
    s->state = SVC_WAITING;
    s->restart_at_ms = rs_time_ms() + HOOK_BUDGET_MS;
    return 1;
}

uint64_t lifecycle_hook(struct service *s, uint64_t action, uint64_t delay_ms)
{
    static const struct decision actions[] = {
        [HOOK_RESTART] = { ACT_RESTART, 0, "hook: restart" },
        [HOOK_RESTART_AFTER] = { ACT_RESTART, 0, "hook: restart later" },
        [HOOK_STOP] = { ACT_STOP, 0, "hook: stop" },
        [HOOK_ESCALATE] = { ACT_DEGRADE, 0, "hook: escalate" },
        [HOOK_RESTART_DEPENDENTS] = { ACT_RESTART_DEPENDENTS, 0, "hook: restart dependents" },
    };
    if (!s->hook_pending)
        return RS_E_BUSY;           /* too late (the policy applied) or never asked */
    if (action > HOOK_RESTART_DEPENDENTS || delay_ms > 3600000)
        return RS_E_INVAL;
    s->hook_pending = 0;
    struct decision d = action == HOOK_POLICY ? s->fallback : actions[action];
    if (action == HOOK_RESTART_AFTER)
        d.delay_ms = delay_ms;
    emit("hook", s, d.why, EVENT_UNKNOWN, EVENT_UNKNOWN,
         action == HOOK_POLICY ? "the hook left it to the policy" : "the hook decided");
    act(s, d);
    lifecycle_schedule();
    return 0;
}

void lifecycle_hook_expired(struct service *s)
{
    s->hook_pending = 0;
    emit("hook", s, "timeout", EVENT_UNKNOWN, EVENT_UNKNOWN,
         "no answer within the budget: policy applies");
    act(s, s->fallback);
    lifecycle_schedule();
}

uint64_t lifecycle_ready(struct service *s, uint64_t ep_slot)
{
    if (s->state != SVC_STARTING)
        return RS_E_BUSY;
    uint64_t slot = SVC_ENDPOINT_SLOT(s->index), kind = 0;
    if (ep_slot && (rs_cap_info(ep_slot, &kind, 0, 0, 0) || kind != RS_OBJ_ENDPOINT))
        return RS_E_TYPE;
    rs_cap_delete(slot);
    if (ep_slot && rs_cap_move(ep_slot, slot))
        return RS_E_INVAL;
    s->state = SVC_RUNNING;
    s->last_beat_ms = rs_time_ms();
    policy_ready(&s->hist);
    if (s->incarnation > 1 && s->detected_tsc) {
        s->restarts++;
        s->last_recover_us = lifecycle_us(s->detected_tsc, rs_tsc());
        emit("restart", s, s->last_reason, s->last_detect_us, s->last_recover_us, NULL);
    } else {
        emit("ready", s, NULL, EVENT_UNKNOWN, EVENT_UNKNOWN, NULL);
    }
    s->detected_tsc = 0;
    return 0;
}

void lifecycle_keep(void)
{
    keep_add(&degraded, sizeof degraded);
}

void lifecycle_resume(uint64_t root_endpoint)
{
    uint64_t now = rs_time_ms();
    root_ep = root_endpoint;
    for (unsigned i = 0; i < service_count(); i++)
        service_at(i)->last_beat_ms = service_at(i)->received_ms = now;   /* beats sent
                                                   to the last RS: a grace */
    lifecycle_schedule();
}

void lifecycle_init(uint64_t root_endpoint)
{
    root_ep = root_endpoint;
    for (unsigned i = 0; i < service_count(); i++)
        service_at(i)->state = SVC_BLOCKED;
    lifecycle_schedule();
}
