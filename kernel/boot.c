/* The root task and spawning tasks from boot modules (see boot.h). */
#include "boot.h"
#include "console.h"
#include "format.h"
#include "sched.h"
#include "hw.h"
#include "kstring.h"
#include "mm.h"
#include "modules.h"
#include "quota.h"
#include "task.h"
#include "thread.h"
#include "arch/x86_64/qemu_exit.h"
#include "uapi/resurgo/ops.h"

#define ROOT_PRIORITY 28
#define KERNEL_RESERVE_FRACTION 8       /* 1/8 of free memory stays the kernel's */

static struct task *root_task;
static int exit_with_root;
/* What outlives each incarnation of the root task: its module, quota, keep frame
 * and capability store; how many times it was started, and when the last
 * restarts were (a root task failing faster than ROOT_RESTARTS_PER_S is given
 * up: it cannot start). */
static unsigned root_module, root_starts;
static struct quota *root_quota;
static struct kobj *root_keep, *root_store;
static uint64_t root_window_ms;
static unsigned root_window_starts;
#define ROOT_RESTARTS_PER_S 500

err_t boot_spawn(unsigned index, struct quota *q, uint64_t bytes, unsigned prio,
                 const char *args, struct task *owner, struct cspace *cs, uint64_t dst,
                 struct task **out)
{
    const struct module *m = module_at(index);
    if (!m)
        return E_RANGE;
    if (m->kind != MODULE_ELF)
        return E_FORMAT;
    if (prio >= RS_PRIORITIES)
        return E_RANGE;
    err_t e = cs ? cap_check_empty(cs, dst) : E_OK;
    struct quota *child = q;
    if (!e && bytes)
        e = quota_create(q, owner, bytes, &child);
    struct task *t = 0;
    if (!e)
        e = task_create(m->name, child, owner, &t);
    if (!e && child != q)
        kobj_set_owner(&child->obj, t);     /* its quota dies with it, and only then:
                                               not with the spawner, which may die
                                               first (a restarted root task) */
    if (e && child != q)
        kobj_kill(&child->obj);     /* never reached a capability */
    struct thread *th;
    if (!e)
        e = task_load_elf(t, m->data, &m->elf, args ? args : m->args, prio, &th);
    if (e) {
        if (t)
            kobj_kill(&t->obj);
        return e;
    }
    if (cs)
        cap_install(cs, dst, &t->obj, RS_RIGHTS_ALL, 0);
    *out = t;
    return E_OK;
}

static err_t give_platform(struct task *t)
{
    struct kobj *o;
    err_t e = kobj_create(RS_OBJ_PLATFORM, 0, 0, 0, &o);
    if (e)
        return e;
    return cap_install(&t->cspace, RS_SLOT_PLATFORM, o, RS_RIGHTS_ALL, 0);
}

/* The keep frame and capability store every incarnation of the root gets. */
static err_t make_root_keep(struct quota *q)
{
    struct frame *f;
    struct task *store;
    err_t e = frame_new(q, 0, RS_ROOT_KEEP_PAGES, &f);
    if (e)
        return e;
    e = task_create("rs keep", q, 0, &store);
    if (e)
        return e;
    store->store_only = 1;
    cap_delete(&store->cspace.slots[RS_SLOT_TASK]);
    cap_delete(&store->cspace.slots[RS_SLOT_QUOTA]);
    /* The store holds the frame, so that it outlives each incarnation's capability
     * (a frame dies with its last one); nothing holds the store but the kernel. */
    cap_install(&store->cspace, RS_SLOT_THREAD, &f->obj, RS_RIGHT_READ, 0);
    root_keep = &f->obj, root_store = &store->obj;
    return E_OK;
}

/* Starts incarnation root_starts+1 of the root task. */
static err_t start_root(void)
{
    char args[BOOT_ARGS_MAX + 1];
    const struct module *m = module_at(root_module);
    fmt_snprintf(args, sizeof args, "%s incarnation=%u", m->args, root_starts + 1);
    err_t e = boot_spawn(root_module, root_quota, 0, ROOT_PRIORITY, root_starts ? args : 0, 0, 0,
                         0, &root_task);
    if (!e)
        root_task->log_unlimited = 1;
    if (!e)
        e = give_platform(root_task);
    if (!e && !root_keep)
        e = make_root_keep(root_quota);     /* after the root: it is task 1 */
    if (!e)
        e = cap_install(&root_task->cspace, RS_SLOT_KEEP, root_keep,
                        RS_RIGHT_READ | RS_RIGHT_WRITE, 0);
    if (!e)
        e = cap_install(&root_task->cspace, RS_SLOT_STORE, root_store, RS_RIGHT_MANAGE, 0);
    if (!e) {
        root_starts++;
        task_start(root_task);
    }
    return e;
}

err_t boot_start_root(const struct boot_info *bi)
{
    char name[64] = "rs.elf", flag[16];
    bootinfo_cmdline_get(bi->cmdline, "root", name, sizeof name);
    exit_with_root = !bootinfo_cmdline_get(bi->cmdline, "exit", flag, sizeof flag)
                     && !strcmp(flag, "root");
    unsigned index = 0;
    while (index < module_count() && strcmp(module_at(index)->name, name))
        index++;
    if (index == module_count()) {
        kprintf("boot: error: no root task: boot module '%s' is missing\n", name);
        return E_NOENT;
    }
    struct quota *q;
    uint64_t bytes = frames_free() * PAGE_SIZE;
    err_t e = quota_create(0, 0, bytes - bytes / KERNEL_RESERVE_FRACTION, &q);
    root_module = index, root_quota = q;
    if (!e)
        e = start_root();
    if (e) {
        kprintf("boot: error: cannot start root task '%s': %s\n", name, err_name(e));
        return e;
    }
    kprintf("boot: root task '%s' (id %u) starts with %lu KiB of quota\n", name,
            root_task->tid, q->limit / 1024);
    return E_OK;
}

/* Whether the root may be started again now (at most ROOT_RESTARTS_PER_S a second). */
static int root_may_restart(void)
{
    uint64_t now = sched_now_ms();
    if (now - root_window_ms >= 1000)
        root_window_ms = now, root_window_starts = 0;
    return ++root_window_starts <= ROOT_RESTARTS_PER_S;
}

void boot_task_ended(struct task *t)
{
    if (t != root_task)
        return;
    kprintf("boot: root task ended (status %ld)\n", t->exit_status);
    root_task = 0;
    if (exit_with_root)
        qemu_exit(t->exit_status == 0 ? QEMU_EXIT_SUCCESS : QEMU_EXIT_FAILURE);
    if (t->exit_status == 0 || !root_keep)
        return;                     /* it ended on purpose (halt), or never kept */
    if (!root_may_restart()) {
        kprintf("boot: error: the root task fails faster than %d times a second: "
                "not restarted\n", ROOT_RESTARTS_PER_S);
        return;
    }
    err_t e = start_root();
    if (e)
        kprintf("boot: error: cannot restart the root task: %s\n", err_name(e));
    else
        kprintf("boot: root task restarted (incarnation %u, id %u); every other task "
                "ran on meanwhile, its capabilities and quotas enforced as ever\n",
                root_starts, root_task->tid);
}
