/* Root test: every isolation rule, tested negatively. For each rule a victim task
 * breaks it; the root, its supervisor, must get the expected fault message (or
 * exit status), destroy it, and get all of its quota back. */
#include <string.h>
#include <rs_invoke.h>
#include <rs_libc.h>
#include "check.h"

enum { EP = 10, VICTIM = 11, SECRET = 12, NOWRITE = 13, PORTS = 14 };

#define PEEK_ADDR 0x10000000ull

struct rule {
    const char *what;
    uint32_t label;             /* RS_LABEL_FAULT or RS_LABEL_EXIT */
    uint64_t reason, vector, addr; /* for faults; addr ~0: any */
    int resume;                 /* answer the fault, then expect an exit with status 0 */
};

static const struct rule rules[] = {
    [1] = { "unmapped memory", RS_LABEL_FAULT, RS_FAULT_PAGE, 14, 0x1000 },
    [2] = { "another task's memory", RS_LABEL_FAULT, RS_FAULT_PAGE, 14, PEEK_ADDR },
    [3] = { "kernel memory", RS_LABEL_FAULT, RS_FAULT_PAGE, 14, 0xFFFFFFFF80101000ull },
    [4] = { "I/O port without its capability", RS_LABEL_FAULT, RS_FAULT_EXCEPTION, 13, 0 },
    [5] = { "privileged instruction", RS_LABEL_FAULT, RS_FAULT_EXCEPTION, 13, 0 },
    [6] = { "unknown system call", RS_LABEL_FAULT, RS_FAULT_SYSCALL, 0, 0x4000 },
    [7] = { "write to its own code", RS_LABEL_FAULT, RS_FAULT_PAGE, 14, ~0ull },
    [8] = { "execute its stack", RS_LABEL_FAULT, RS_FAULT_PAGE, 14, ~0ull },
    [9] = { "divide by zero", RS_LABEL_FAULT, RS_FAULT_EXCEPTION, 0, 0 },
    [10] = { "IRQ without its capability", RS_LABEL_EXIT, 0, 0, 0 },
    [11] = { "I/O port after its capability is deleted", RS_LABEL_FAULT, RS_FAULT_EXCEPTION, 13, 0 },
    [12] = { "forged slot numbers", RS_LABEL_EXIT, 0, 0, 0 },
    [13] = { "invocation without the right", RS_LABEL_EXIT, 0, 0, 0 },
    [14] = { "RFLAGS.NT set, then a system call", RS_LABEL_EXIT, 0, 0, 0 },
    [15] = { "RFLAGS.NT set, then preempted", RS_LABEL_EXIT, 0, 0, 0 },
    [16] = { "int3 (breakpoint)", RS_LABEL_FAULT, RS_FAULT_BREAKPOINT, 3, ~0ull },
    [17] = { "int $2 (a fake NMI) from user mode", RS_LABEL_FAULT, RS_FAULT_EXCEPTION, 13, 0 },
    [18] = { "RFLAGS.TF set (single step)", RS_LABEL_FAULT, RS_FAULT_STEP, 1, ~0ull },
    [19] = { "forged supervisor, self-destroy, rights bits", RS_LABEL_EXIT, 0, 0, 0 },
    [20] = { "writable and executable mappings", RS_LABEL_EXIT, 0, 0, 0 },
    [21] = { "resume starts a never-started thread", RS_LABEL_FAULT, RS_FAULT_BREAKPOINT, 3,
             ~0ull, 1 },
    [22] = { "flood the kernel log (lines dropped)", RS_LABEL_EXIT, 0, 0, 0 },
};

static uint64_t quota_used(void)
{
    uint64_t a[6] = { 0 };
    rs_invoke(RS_SLOT_QUOTA, RS_OP_QUOTA_INFO, a);
    return a[1];
}

static void prepare(uint64_t mode)
{
    CHECK(spawn("victim.elf", VICTIM, 512 * 1024, 10) != 0);
    CHECK_OK(rs_invoke4(VICTIM, RS_OP_TASK_GIVE_CAP, EP, 8, RS_RIGHT_WRITE, mode));
    CHECK_OK(rs_invoke4(VICTIM, RS_OP_TASK_GIVE_CAP, NOWRITE, 9, RS_RIGHT_READ, 0));
    if (mode == 11)
        CHECK_OK(rs_invoke4(VICTIM, RS_OP_TASK_GIVE_CAP, PORTS, 11, RS_RIGHT_MANAGE, 0));
    CHECK_OK(set_supervisor(VICTIM, EP, 100 + mode));
    CHECK_OK(rs_invoke4(VICTIM, RS_OP_TASK_START, 0, 0, 0, 0));
}

/* Answers the victim's request for its mode, then returns its notice. */
static void serve_mode(uint64_t mode, struct rs_msg *notice, uint64_t *badge)
{
    struct rs_msg m;
    CHECK_OK(rs_recv(EP, &m, badge, 5000));
    CHECK(*badge == mode);
    m.w[0] = mode;
    CHECK_OK(rs_reply_recv(EP, &m, badge, 5000));
    *notice = m;
}

static void one_rule(uint64_t mode)
{
    const struct rule *r = &rules[mode];
    uint64_t before = quota_used(), badge = 0;
    struct rs_msg n;
    prepare(mode);
    serve_mode(mode, &n, &badge);
    int ok = RS_MSG_LABEL(n.info) == r->label && badge == 100 + mode;
    if (r->label == RS_LABEL_FAULT)
        ok &= n.w[1] == r->reason && RS_FAULT_VECTOR(n.w[2]) == r->vector && (r->addr == ~0ull || n.w[3] == r->addr);
    else
        ok &= n.w[1] == 0;          /* exit status 0: every refusal was right */
    if (ok && r->resume) {
        struct rs_msg m = { .info = 0 };
        CHECK_OK(rs_reply_recv(EP, &m, &badge, 5000));
        ok &= RS_MSG_LABEL(m.info) == RS_LABEL_EXIT && m.w[1] == 0 && badge == 100 + mode;
    }
    CHECK(ok);
    rs_printf("isolation: %-42s -> %s (reason %lu, vector %lu, address %#lx)\n", r->what,
              ok ? "refused" : "WRONG", n.w[1], RS_FAULT_VECTOR(n.w[2]), n.w[3]);
    CHECK_OK(rs_invoke4(VICTIM, RS_OP_TASK_DESTROY, 0, 0, 0, 0));
    CHECK_OK(rs_cap_delete(VICTIM));
    CHECK(quota_used() == before);
}

/* Spawn authority is its own capability (an image), separate from the platform;
 * every argument of a spawn is checked before anything is created. */
static void spawn_rules(void)
{
    enum { IMG = 20, IMG_RO = 21, KID = 22 };
    static char args[RS_ARGS_MAX + 2];
    uint64_t before = quota_used(), tid = 0;
    int m = rs_module_find("victim.elf");
    CHECK(m >= 0);
    CHECK_ERR(rs_platform_image(RS_SLOT_PLATFORM, 999, IMG), RS_E_RANGE);
    CHECK_OK(rs_platform_image(RS_SLOT_PLATFORM, (uint64_t)m, IMG));
    CHECK_OK(rs_cap_mint(IMG, IMG_RO, RS_RIGHT_READ, 0));
    CHECK_ERR(rs_image_spawn(IMG_RO, RS_SLOT_QUOTA, 1 << 19, KID, 10, 0, 0, &tid), RS_E_RIGHTS);
    memset(args, 'a', sizeof args - 1);
    CHECK_ERR(rs_image_spawn(IMG, RS_SLOT_QUOTA, 1 << 19, KID, 10, (uint64_t)args, RS_ARGS_MAX + 1,
                             &tid),
              RS_E_RANGE);
    CHECK_ERR(rs_image_spawn(IMG, RS_SLOT_QUOTA, 1 << 19, KID, 10, 0xFFFFFFFF80000000ull, 8, &tid),
              RS_E_FAULT);
    CHECK_ERR(rs_image_spawn(IMG, RS_SLOT_QUOTA, 1 << 19, KID, 31, 0, 0, &tid), RS_E_RIGHTS);
    CHECK_ERR(rs_image_spawn(IMG, RS_SLOT_QUOTA, 1ull << 62, KID, 10, 0, 0, &tid), RS_E_QUOTA);
    CHECK_ERR(rs_image_spawn(IMG, RS_SLOT_QUOTA, 1 << 19, RS_SLOT_QUOTA, 10, 0, 0, &tid),
              RS_E_EXISTS);
    uint64_t size = 0, index = 0;
    CHECK_OK(rs_image_info(IMG_RO, &index, &size, 0, 0, 0, 0));
    CHECK(index == (uint64_t)m && size > 0);
    CHECK_OK(rs_cap_delete(IMG_RO));
    CHECK_OK(rs_cap_delete(IMG));
    CHECK(quota_used() == before);
    rs_printf("isolation: spawn needs an image capability with MANAGE; bad arguments "
              "change nothing\n");
}

/* A task may enable at most 8 port ranges, so rebuilding its I/O bitmap is bounded. */
static void ioport_ranges_bounded(void)
{
    for (uint64_t i = 0; i < 9; i++) {
        uint64_t a[6] = { 0x300 + i, 1, 40 + i };
        CHECK_OK(rs_invoke(RS_SLOT_PLATFORM, RS_OP_PLATFORM_IOPORTS, a));
        CHECK_ERR(rs_ioports_enable(40 + i), i < 8 ? RS_OK : RS_E_BUSY);
    }
    CHECK_OK(rs_cap_delete(40));
    CHECK_OK(rs_ioports_enable(48));                /* room again */
    for (uint64_t i = 1; i < 9; i++)
        CHECK_OK(rs_cap_delete(40 + i));
    rs_printf("isolation: a ninth enabled port range is refused (bounded bitmap rebuilds)\n");
}

/* A Linux system call (what musl does inline for anything libsys does not
 * replace) comes back -ENOSYS; the caller keeps running. */
static void linux_calls_get_enosys(void)
{
    static const uint64_t numbers[] = { 0, 2, 39, 57, RS_LINUX_SYSCALLS - 1 };
    for (unsigned i = 0; i < sizeof numbers / sizeof numbers[0]; i++) {
        struct rs_regs r = { 0 };
        CHECK(rs_syscall(numbers[i], &r) == (uint64_t)-38);
    }
    rs_printf("isolation: Linux system calls are answered -ENOSYS\n");
}

/* Kernel-log writes are bounded: the longest fits whole, one byte more is
 * refused by its length, and an unmapped buffer is refused, not followed. */
static void log_writes_bounded(void)
{
    static char line[RS_LOG_WRITE_MAX];
    memset(line, '=', sizeof line);
    line[RS_LOG_WRITE_MAX - 2] = '\n';
    CHECK_OK(rs_debug_write(line, RS_LOG_WRITE_MAX - 1));
    CHECK_ERR(rs_debug_write(line, RS_LOG_WRITE_MAX), RS_E_RANGE);
    CHECK_ERR(rs_debug_write((const char *)0x1000, 8), RS_E_FAULT);
    rs_printf("isolation: kernel-log writes of %u bytes and more are refused\n",
              RS_LOG_WRITE_MAX);
}

int main(void)
{
    CHECK_OK(rs_create(RS_SLOT_QUOTA, RS_OBJ_ENDPOINT, EP, 0));
    CHECK_OK(rs_create(RS_SLOT_QUOTA, RS_OBJ_ENDPOINT, NOWRITE, 0));
    CHECK_OK(rs_create(RS_SLOT_QUOTA, RS_OBJ_FRAME, SECRET, 1));
    CHECK_OK(rs_invoke4(SECRET, RS_OP_FRAME_MAP, PEEK_ADDR, RS_MAP_WRITE, 0, 0));
    *(volatile uint64_t *)PEEK_ADDR = 0x5EC12E7;
    uint64_t pa[6] = { 0x2F8, 8, PORTS };
    CHECK_OK(rs_invoke(RS_SLOT_PLATFORM, RS_OP_PLATFORM_IOPORTS, pa));
    for (uint64_t mode = 1; mode < sizeof rules / sizeof rules[0]; mode++)
        one_rule(mode);
    CHECK(*(volatile uint64_t *)PEEK_ADDR == 0x5EC12E7);
    spawn_rules();
    ioport_ranges_bounded();
    linux_calls_get_enosys();
    log_writes_bounded();
    rs_printf("isolation: the root task still runs; its secret is intact\n");
    return check_done("isolation");
}
