/* The root task and spawning tasks from boot modules (see boot.h). */
#include "boot.h"
#include "console.h"
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
    if (!e)
        e = boot_spawn(index, q, 0, ROOT_PRIORITY, 0, 0, 0, 0, &root_task);
    if (!e)
        e = give_platform(root_task);
    if (e) {
        kprintf("boot: error: cannot start root task '%s': %s\n", name, err_name(e));
        return e;
    }
    kprintf("boot: root task '%s' (id %u) starts with %lu KiB of quota\n", name,
            root_task->tid, q->limit / 1024);
    task_start(root_task);
    return E_OK;
}

void boot_task_ended(struct task *t)
{
    if (t != root_task)
        return;
    kprintf("boot: root task ended (status %ld)\n", t->exit_status);
    root_task = 0;
    if (exit_with_root)
        qemu_exit(t->exit_status == 0 ? QEMU_EXIT_SUCCESS : QEMU_EXIT_FAILURE);
}
