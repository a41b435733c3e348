/* Faults made when the target reaches them (see trigger.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <proto/system.h>
#include <rs_invoke.h>
#include <rs_log.h>
#include <rs_service.h>
#include <rsys.h>
#include "trigger.h"

#define NOTICE_BADGE 0x6669000000000001ull
#define GADGET_LEN 3

enum arm_state { ARM_NONE, ARM_CODE, ARM_REMOTE, ARM_REMOTE_RUNNING, ARM_DONE, ARM_COVER };

static struct {
    enum arm_state state;
    struct fi_armed_info what;
    uint64_t site, rng, thread;
    uint8_t before[16], after[16];
    unsigned len;
    struct fi_remote plan;
    struct rs_debug_regs saved;
    const struct fi_table *cover;   /* coverage: the sites, */
    uint8_t *orig;                  /* each one's first byte, */
    uint8_t *reached;               /* and whether it was reached */
} arm;

static uint64_t target, notice_slot;

void fi_trigger_init(uint64_t target_slot, uint64_t notice)
{
    target = target_slot;
    notice_slot = notice;
}

uint64_t fi_trigger_notice_badge(void) { return NOTICE_BADGE; }

int fi_trigger_busy(void)
{
    uint64_t id, state = 0, w[4];
    if (arm.state != ARM_REMOTE_RUNNING)
        return 0;
    if (rs_task_info(target, &id, &state, &w[0], &w[1], &w[2], &w[3]) || state != RS_TASK_RUNNING)
        arm.state = ARM_NONE;       /* it died in the middle: nothing to wait for */
    return arm.state == ARM_REMOTE_RUNNING;
}

void fi_trigger_disarm(void)
{
    if (arm.state == ARM_CODE || arm.state == ARM_REMOTE)
        rs_task_debug_write(target, arm.site, 1, (uint64_t)arm.before);
    if (arm.state == ARM_COVER)
        fi_trigger_covered();
    arm.state = ARM_NONE;
}

static uint64_t plant(uint64_t site, const struct fi_armed_info *what)
{
    uint8_t int3 = 0xCC;
    uint64_t e = rs_task_debug_attach(target, notice_slot);
    if (!e)
        e = rs_task_debug_write(target, site, 1, (uint64_t)&int3);
    if (!e) {
        arm.what = *what;
        arm.site = site;
    }
    return e;
}

uint64_t fi_trigger_arm_code(const struct fi_armed_info *what, uint64_t site,
                             const uint8_t *before, const uint8_t *after, unsigned len)
{
    if (len > sizeof arm.after)
        return RS_E_RANGE;
    uint64_t e = len > 1 ? rs_task_debug_write(target, site + 1, len - 1, (uint64_t)(after + 1)) : 0;
    if (!e)
        e = plant(site, what);
    if (e)
        return e;
    memcpy(arm.before, before, len);
    memcpy(arm.after, after, len);
    arm.len = len;
    arm.state = ARM_CODE;
    return 0;
}

uint64_t fi_trigger_arm_remote(const struct fi_armed_info *what, uint64_t *rng, uint64_t *site)
{
    struct rs_debug_regs r;
    uint64_t e = rs_task_debug_get_regs(target, 0, (uint64_t)&r);
    if (!e)
        e = rs_task_debug_read(target, r.rip, GADGET_LEN, (uint64_t)arm.before);
    if (!e && fi_remote_start(&arm.plan, what->type, rng))
        e = RS_E_INVAL;
    if (!e)
        e = plant(r.rip, what);
    if (e)
        return e;
    arm.rng = fi_random(rng);
    arm.len = GADGET_LEN;
    arm.state = ARM_REMOTE;
    *site = r.rip;
    return 0;
}

/* The stopped thread whose RIP is rip, with its registers in *r; -1 if none. */
static int64_t thread_at(uint64_t rip, struct rs_debug_regs *r)
{
    uint64_t state, stopped, threads = 0;
    rs_task_debug_thread(target, 0, &state, &stopped, &threads);
    for (uint64_t i = 0; i < threads; i++)
        if (!rs_task_debug_get_regs(target, i, (uint64_t)r) && r->rip == rip)
            return (int64_t)i;
    return -1;
}

static void record(const char *detail)
{
    char rec[220];
    int n = snprintf(rec, sizeof rec, "%s\nactivated\nseed=%lu type=%s %s", arm.what.service,
                     (unsigned long)arm.what.seed, fi_type_name(arm.what.type), detail);
    system_inject_event(RS_GIVEN_SYSTEM, rec, (size_t)n);
}

/* The code fault's site was reached: the mutated instruction goes in whole. */
static void activate_code(int64_t th, struct rs_debug_regs *r)
{
    r->rip = arm.site;
    rs_task_debug_set_regs(target, (uint64_t)th, (uint64_t)r);
    rs_task_debug_write(target, arm.site, 1, (uint64_t)arm.after);
    arm.state = ARM_DONE;
    char detail[64];
    snprintf(detail, sizeof detail, "at=%#lx thread=%ld", (unsigned long)arm.site, (long)th);
    record(detail);
}

/* Sets up the plan's next call in thread th, or ends the plan: the code and
 * registers are put back and every thread runs on. */
static void remote_step(int64_t th, struct rs_debug_regs *r)
{
    if (fi_remote_next(&arm.plan, &arm.rng, r)) {
        r->rip = arm.site;
        rs_task_debug_set_regs(target, (uint64_t)th, (uint64_t)r);
        rs_task_debug_resume(target, (uint64_t)th);
        return;
    }
    rs_task_debug_write(target, arm.site, GADGET_LEN, (uint64_t)arm.before);
    rs_task_debug_set_regs(target, (uint64_t)th, (uint64_t)&arm.saved);
    rs_task_debug_resume(target, RS_DEBUG_ALL_THREADS);
    arm.state = ARM_DONE;
    rs_info("%s in %s (seed %lu) done: %u calls, %u answered, %lu pages taken",
            fi_type_name(arm.what.type), arm.what.service, (unsigned long)arm.what.seed,
            arm.plan.calls, arm.plan.ok, (unsigned long)arm.plan.pages_taken);
}

static void activate_remote(int64_t th, struct rs_debug_regs *r)
{
    static const uint8_t gadget[GADGET_LEN] = { 0x0F, 0x05, 0xCC };   /* syscall; int3 */
    arm.saved = *r;
    arm.saved.rip = arm.site;
    arm.thread = (uint64_t)th;
    rs_task_debug_write(target, arm.site, GADGET_LEN, (uint64_t)gadget);
    arm.state = ARM_REMOTE_RUNNING;
    char detail[80];
    snprintf(detail, sizeof detail, "at=%#lx thread=%ld calls=%u", (unsigned long)arm.site,
             (long)th, arm.plan.max);
    record(detail);                 /* now: a call may never come back */
    remote_step(th, r);
}

/* Puts back the first bytes of sites [0, n) not reached. */
static void restore_unreached(size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!arm.reached[i])
            rs_task_debug_write(target, arm.cover->sites[i].addr, 1, (uint64_t)&arm.orig[i]);
}

uint64_t fi_trigger_cover(const struct fi_armed_info *what, const struct fi_table *tab)
{
    static uint8_t page[4096];
    uint64_t at = 1, e = rs_task_debug_attach(target, notice_slot);
    uint8_t int3 = 0xCC;
    arm.orig = e ? 0 : malloc(tab->count);
    arm.reached = arm.orig ? calloc(tab->count, 1) : 0;
    if (!arm.reached) {
        free(arm.orig);
        return e ? e : RS_E_NOMEM;
    }
    arm.cover = tab;
    size_t i = 0;
    for (; i < tab->count && !e; i++) {
        uint64_t a = tab->sites[i].addr;
        if ((a & ~4095ull) != at && !(e = rs_task_debug_read(target, a & ~4095ull, 4096,
                                                               (uint64_t)page)))
            at = a & ~4095ull;
        arm.orig[i] = page[a & 4095];
        if (!e)
            e = rs_task_debug_write(target, a, 1, (uint64_t)&int3);
    }
    if (e) {
        arm.reached[i - 1] = 1;     /* not planted: nothing to put back */
        restore_unreached(i);
        free(arm.orig), free(arm.reached);
        return e;
    }
    arm.what = *what;
    arm.state = ARM_COVER;
    return 0;
}

uint64_t fi_trigger_covered(void)
{
    if (arm.state != ARM_COVER)
        return 0;
    const struct fi_table *tab = arm.cover;
    restore_unreached(tab->count);
    char line[480];
    uint64_t n = 0;
    int len = 0;
    for (size_t i = 0; i <= tab->count; i++) {
        int last = i == tab->count;
        if (len && (last || len > (int)sizeof line - 24)) {
            rs_info("reached %s%s", arm.what.service, line);
            len = 0;
        }
        if (!last && arm.reached[i]) {
            len += snprintf(line + len, sizeof line - (size_t)len, " %lx",
                            (unsigned long)tab->sites[i].addr);
            n++;
        }
    }
    rs_info("coverage of %s: %lu of %zu sites reached", arm.what.service, (unsigned long)n,
            tab->count);
    free(arm.orig), free(arm.reached);
    arm.state = ARM_NONE;
    return n;
}

/* A coverage breakpoint reached: the site is put back and recorded. */
static int cover_hit(uint64_t addr, int64_t th, struct rs_debug_regs *r)
{
    const struct fi_site *s = arm.cover->sites;
    size_t lo = 0, hi = arm.cover->count;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (s[mid].addr < addr)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == arm.cover->count || s[lo].addr != addr || arm.reached[lo])
        return 0;
    rs_task_debug_write(target, addr, 1, (uint64_t)&arm.orig[lo]);
    r->rip = addr;
    rs_task_debug_set_regs(target, (uint64_t)th, (uint64_t)r);
    arm.reached[lo] = 1;
    return 1;
}

uint32_t fi_trigger_notice(struct rs_request *req, void *state)
{
    (void)state;
    struct rs_debug_regs r;
    uint64_t reason = req->req.w[1], addr = req->req.w[3], rip = req->req.w[4];
    if (req->badge != NOTICE_BADGE || RS_MSG_LABEL(req->req.info) != RS_LABEL_FAULT)
        return RS_E_INVAL;
    rs_task_debug_stop(target, RS_DEBUG_ALL_THREADS);
    int64_t th = thread_at(rip, &r);
    int ours = reason == RS_FAULT_BREAKPOINT && th >= 0;
    if (ours && arm.state == ARM_COVER && cover_hit(addr, th, &r)) {
        ;                           /* recorded, and it runs on */
    } else if (ours && arm.state == ARM_CODE && addr == arm.site) {
        activate_code(th, &r);
    } else if (ours && arm.state == ARM_REMOTE && addr == arm.site) {
        activate_remote(th, &r);
        return 0;
    } else if (ours && arm.state == ARM_REMOTE_RUNNING && addr == arm.site + 2
               && (uint64_t)th == arm.thread) {
        fi_remote_result(&arm.plan, r.rax);
        remote_step(th, &r);
        return 0;
    } else if (th >= 0) {
        r.rip = FI_CRASH_ADDRESS;   /* not ours: it fails as it would have */
        rs_task_debug_set_regs(target, (uint64_t)th, (uint64_t)&r);
    }
    rs_task_debug_resume(target, RS_DEBUG_ALL_THREADS);
    return 0;
}
