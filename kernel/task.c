/* Tasks: creation, program loading, starting, stopping and death (see task.h). */
#include "console.h"
#include "hw.h"
#include "ipc.h"
#include "kstring.h"
#include "mm.h"
#include "quota.h"
#include "sched.h"
#include "task.h"
#include "thread.h"
#include "boot.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/gdt.h"

#define CSPACE_BYTES (RS_CSPACE_SLOTS * sizeof(struct cap))
#define CSPACE_PAGES ((CSPACE_BYTES + PAGE_SIZE - 1) / PAGE_SIZE)

static struct task *all_tasks;
static uint32_t next_tid = 1;

static err_t pt_alloc(void *ctx, uint64_t *phys)
{
    struct task *t = ctx;
    if (quota_charge(t->quota, PAGE_SIZE))
        return E_QUOTA;
    err_t e = frame_alloc(phys);
    if (e)
        quota_uncharge(t->quota, PAGE_SIZE);
    return e;
}

static void pt_free(void *ctx, uint64_t phys)
{
    struct task *t = ctx;
    frame_free(phys);
    quota_uncharge(t->quota, PAGE_SIZE);
}

static void *pt_p2v(void *ctx, uint64_t phys)
{
    (void)ctx;
    return phys_to_virt(phys);
}

struct pt_env task_pt_env(struct task *t)
{
    return (struct pt_env){ t, pt_alloc, pt_free, pt_p2v };
}

struct task *task_first(void)
{
    return all_tasks;
}

/* Page tables and cspace storage for a new task; E_NOMEM leaves nothing behind. */
static err_t task_alloc_spaces(struct task *t)
{
    uint64_t pml4;
    if (frame_alloc(&pml4))
        return E_NOMEM;
    if (frame_alloc_contig(CSPACE_PAGES, &t->cspace_phys)) {
        frame_free(pml4);
        return E_NOMEM;
    }
    uint64_t *top = phys_to_virt(pml4), *kernel = phys_to_virt(mm_kernel_root());
    for (int i = 256; i < 512; i++)
        top[i] = kernel[i];
    t->pml4 = pml4;
    cspace_init(&t->cspace, phys_to_virt(t->cspace_phys), RS_CSPACE_SLOTS, t);
    return E_OK;
}

err_t task_create(const char *name, struct quota *q, struct task *owner, struct task **out)
{
    struct kobj *o;
    err_t e = kobj_create(RS_OBJ_TASK, owner, q, (CSPACE_PAGES + 1) * PAGE_SIZE, &o);
    if (e)
        return e;
    struct task *t = (struct task *)o;
    t->exit_status = -1;
    strlcpy(t->name, name, sizeof t->name);
    if (task_alloc_spaces(t)) {
        kobj_kill(o);
        return E_NOMEM;
    }
    t->quota = q;
    kobj_ref(&q->obj);
    q->users++;
    t->tid = next_tid++;
    t->log_credit = TASK_LOG_BURST;
    t->log_ms = sched_now_ms();
    t->state = RS_TASK_NEW;
    t->all_next = all_tasks;
    all_tasks = t;
    cap_install(&t->cspace, RS_SLOT_TASK, o, RS_RIGHTS_SELF, 0);
    cap_install(&t->cspace, RS_SLOT_QUOTA, &q->obj, RS_RIGHTS_ALL, 0);
    *out = t;
    return E_OK;
}

/* Copies the segment's file bytes that fall in page i of frame f (at va0). */
static void fill_page(struct frame *f, uint64_t i, uint64_t va0, const uint8_t *image,
                      const struct elf_segment *s)
{
    uint64_t pva = va0 + i * PAGE_SIZE;
    uint64_t from = s->vaddr > pva ? s->vaddr : pva;
    uint64_t to = s->vaddr + s->filesz < pva + PAGE_SIZE ? s->vaddr + s->filesz : pva + PAGE_SIZE;
    if (from < to)
        memcpy((uint8_t *)phys_to_virt(frame_page(f, i)) + (from - pva),
               image + s->offset + (from - s->vaddr), to - from);
}

static err_t load_segment(struct task *t, const uint8_t *image, const struct elf_segment *s)
{
    uint64_t va = s->vaddr & ~(uint64_t)(PAGE_SIZE - 1);
    uint64_t end = (s->vaddr + s->memsz + PAGE_SIZE - 1) & ~(uint64_t)(PAGE_SIZE - 1);
    unsigned mode = ((s->flags & ELF_PF_W) ? RS_MAP_WRITE : 0) | ((s->flags & ELF_PF_X) ? RS_MAP_EXEC : 0)
                    | FRAME_MAP_IMAGE;
    for (; va < end; va += FRAME_MAX_PAGES * PAGE_SIZE) {
        uint64_t n = (end - va) / PAGE_SIZE;
        n = n > FRAME_MAX_PAGES ? FRAME_MAX_PAGES : n;
        struct frame *f;
        err_t e = frame_new(t->quota, t, n, &f);
        if (e)
            return e;
        for (uint64_t i = 0; i < n; i++)
            fill_page(f, i, va, image, s);
        e = frame_map(f, t, va, mode);
        if (e)
            return e;
    }
    return E_OK;
}

/* A stack with the argument string at its top; returns the initial RSP and the
 * string's address. */
static err_t make_stack(struct task *t, const char *args, uint64_t *rsp, uint64_t *argp)
{
    struct frame *f;
    uint64_t base = USER_STACK_TOP - USER_STACK_PAGES * PAGE_SIZE;
    err_t e = frame_new(t->quota, t, USER_STACK_PAGES, &f);
    if (!e)
        e = frame_map(f, t, base, RS_MAP_WRITE);
    if (e)
        return e;
    uint64_t len = strnlen(args, BOOT_ARGS_MAX);
    *argp = USER_STACK_TOP - len - 1;
    char *top = (char *)phys_to_virt(frame_page(f, USER_STACK_PAGES - 1)) + PAGE_SIZE - len - 1;
    memcpy(top, args, len);
    top[len] = '\0';
    *rsp = (*argp & ~15ull) - 16;
    return E_OK;
}

err_t task_load_elf(struct task *t, const void *image, const struct elf_image *elf,
                    const char *args, unsigned prio, struct thread **out)
{
    for (unsigned i = 0; i < elf->nsegments; i++) {
        err_t e = load_segment(t, image, &elf->segments[i]);
        if (e)
            return e;
    }
    uint64_t rsp, argp;
    err_t e = make_stack(t, args, &rsp, &argp);
    if (!e)
        e = thread_create(t, elf->entry, rsp, argp, prio, out);
    if (!e)
        e = cap_install(&t->cspace, RS_SLOT_THREAD, &(*out)->obj, RS_RIGHTS_ALL, 0);
    return e;
}

void task_start(struct task *t)
{
    t->state = RS_TASK_RUNNING;
    for (struct thread *th = t->threads; th; th = th->task_next) {
        if (th->dbg_stop && th->state == TH_INACTIVE)
            th->state = TH_SUSPENDED;       /* started, but held by its debugger */
        else if (th->state == TH_INACTIVE || (th->state == TH_SUSPENDED && !th->dbg_stop)) {
            th->state = TH_RUNNABLE;
            if (th != sched_current)
                sched_enqueue(th);
        }
    }
}

void task_suspend(struct task *t, struct thread *except)
{
    for (struct thread *th = t->threads; th; th = th->task_next) {
        if (th != except && th->state == TH_RUNNABLE) {
            sched_dequeue(th);
            th->state = TH_SUSPENDED;
        }
    }
}

void task_resume_threads(struct task *t)
{
    t->state = RS_TASK_RUNNING;
    for (struct thread *th = t->threads; th; th = th->task_next) {
        if (th->state == TH_SUSPENDED && !th->dbg_stop) {
            th->state = TH_RUNNABLE;
            if (th != sched_current)
                sched_enqueue(th);
        }
    }
}

void task_notice_answered(struct thread *th)
{
    struct task *t = th->task;
    if (t->state == TASK_EXITING) {
        kobj_kill(&t->obj);
        return;
    }
    th->state = TH_SUSPENDED;       /* resumed with the others, context unchanged */
    task_resume_threads(t);
}

void task_exit(struct task *t, struct thread *th, int64_t status)
{
    t->exit_status = status;
    kprintf("task: '%s' (id %u) exited with status %ld\n", t->name, t->tid, status);
    if (!t->supervisor || t->supervisor->obj.dead) {
        kobj_kill(&t->obj);
        return;
    }
    t->state = TASK_EXITING;
    task_suspend(t, th);
    uint64_t words[6] = { t->tid, (uint64_t)status, rdtsc(), 0, 0, 0 };
    ipc_kernel_call(th, t->supervisor, t->supervisor_badge, RS_LABEL_EXIT, words);
}

static void unlink_task(struct task *t)
{
    for (struct task **p = &all_tasks; *p; p = &(*p)->all_next) {
        if (*p == t) {
            *p = t->all_next;
            return;
        }
    }
}

static void free_address_space(struct task *t)
{
    struct pt_env env = task_pt_env(t);
    sched_forget_address_space(t->pml4);
    pt_free_tables(&env, t->pml4, 0, 256);
    frame_free(t->pml4);
    t->pml4 = 0;
    t->session_pt = 0;
}

void task_kill(struct task *t)
{
    if (!t->pml4)
        return;                     /* creation failed half-way: nothing set up */
    t->state = RS_TASK_DEAD;
    unlink_task(t);
    while (t->owned)
        kobj_kill_cause(t->owned, KOBJ_OWNER_DIED);
    cspace_clear(&t->cspace);
    for (unsigned i = 0; i < CSPACE_PAGES; i++)
        frame_free(t->cspace_phys + i * PAGE_SIZE);
    if (t->iopb) {
        tss_io_bitmap_changed(t);
        quota_uncharge(t->quota, 2 * PAGE_SIZE);
        frame_free(virt_to_phys(t->iopb));
        frame_free(virt_to_phys(t->iopb + PAGE_SIZE));
        t->iopb = 0;
    }
    free_address_space(t);
    if (t->supervisor)
        kobj_unref(&t->supervisor->obj);
    t->supervisor = 0;
    if (t->debugger)
        kobj_unref(&t->debugger->obj);
    t->debugger = 0;
    kobj_quota_user_gone(t->quota);
    kobj_unref(&t->quota->obj);
    boot_task_ended(t);
}
