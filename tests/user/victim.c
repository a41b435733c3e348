/* A task that breaks one isolation rule, chosen by its supervisor: it asks for
 * its mode over the endpoint in slot 8, then does the forbidden thing. Modes that
 * test refused operations (not faults) exit with status 0 when refused. */
#include <rs_invoke.h>
#include <rs_libc.h>
#include <rsys.h>

#define PEEK_ADDR 0x10000000ull

extern char _start[];  /* libsys/start.asm: in the read-only text */

enum mode {
    V_UNMAPPED = 1, V_PEEK, V_KERNEL, V_IOPORT, V_CLI, V_SYSCALL, V_WRITE_TEXT,
    V_EXEC_STACK, V_DIVIDE, V_IRQ, V_IOPORT_REVOKED, V_FORGED_SLOT, V_NO_RIGHT,
    V_NT_SYSCALL, V_NT_PREEMPT, V_INT3, V_INT2, V_TRAP_FLAG, V_FORGE, V_WX, V_RESUME,
    V_LOG_FLOOD,
};

#define RFLAGS_TF (1ull << 8)
#define RFLAGS_NT (1ull << 14)
#define RFLAGS_AC (1ull << 18)

static uint64_t get_rflags(void)
{
    uint64_t f;
    __asm__ volatile("pushfq; popq %0" : "=r"(f));
    return f;
}

static void set_rflags(uint64_t f)
{
    __asm__ volatile("pushq %0; popfq" :: "r"(f) : "cc", "memory");
}

static void spin(void *arg)
{
    (void)arg;
    for (;;)
        ;
}

/* NT (and AC) set by user code, then a system call that switches to a thread
 * entered through IRETQ (a new one): the kernel's own IRETQ must not run with NT
 * (SFMASK clears it), and SYSRET hands back no NT. Exits 0 when survived. */
static int nt_syscall(void)
{
    if (rs_create(RS_SLOT_QUOTA, RS_OBJ_FRAME, 20, 4) || rs_frame_map(20, 0x30000000, RS_MAP_WRITE)
        || rs_thread_create(spin, 0, 0x30004000, 10, 21))
        return 2;
    set_rflags(get_rflags() | RFLAGS_NT | RFLAGS_AC);
    rs_yield();                     /* the spinner runs next, through IRETQ */
    uint64_t f = get_rflags();
    set_rflags(f & ~RFLAGS_AC);
    return (f & RFLAGS_NT) ? 1 : 0;
}

/* NT set, then spinning until the timer preempts us several times: each return is
 * an IRETQ from a saved frame holding NT, which the kernel must sanitise. */
static int nt_preempt(void)
{
    set_rflags(get_rflags() | RFLAGS_NT);
    uint64_t t0 = rs_tsc();
    while (rs_tsc() - t0 < 300000000ull)
        ;
    return (get_rflags() & RFLAGS_NT) ? 1 : 0;
}

static uint64_t read_at(uint64_t a)
{
    return *(volatile uint64_t *)a;
}

static int refused_irq(void)
{
    uint64_t a[6] = { 30, 1 };
    int ok = rs_invoke(30, RS_OP_IRQ_BIND, a) == RS_E_NOCAP;        /* no IRQ cap */
    uint64_t b[6] = { 3, 31 };
    ok &= rs_invoke(RS_SLOT_PLATFORM, RS_OP_PLATFORM_IRQ, b) == RS_E_NOCAP;
    return ok ? 0 : 1;
}

static int refused_slots(void)
{
    struct rs_msg m = { .info = 1 };
    int ok = rs_call(77, &m, RS_TIMEOUT_POLL) == RS_E_NOCAP;
    ok &= rs_call(1ull << 40, &m, RS_TIMEOUT_POLL) == RS_E_NOCAP;
    ok &= rs_call((uint64_t)-1, &m, RS_TIMEOUT_POLL) == RS_E_NOCAP;
    ok &= rs_cap_delete(0) == RS_E_NOCAP;
    return ok ? 0 : 1;
}

static int refused_right(void)
{
    /* slot 9: an endpoint capability with READ only (minted by the supervisor) */
    struct rs_msg m = { .info = 1 };
    int ok = rs_call(9, &m, RS_TIMEOUT_POLL) == RS_E_RIGHTS;
    ok &= rs_cap_mint(9, 10, RS_RIGHT_READ | RS_RIGHT_WRITE, 0) == RS_E_RIGHTS;
    return ok ? 0 : 1;
}

static void use_then_lose_ports(void)
{
    /* slot 11: an ioports capability for COM2 (0x2F8-0x2FF) */
    rs_invoke4(11, RS_OP_IOPORTS_ENABLE, 0, 0, 0, 0);
    uint8_t lsr;
    __asm__ volatile("inb %1, %0" : "=a"(lsr) : "Nd"((uint16_t)0x2FD));
    rs_printf("victim: read COM2 LSR %#x with the capability\n", lsr);
    rs_cap_delete(11);
    __asm__ volatile("inb %1, %0" : "=a"(lsr) : "Nd"((uint16_t)0x2FD));
}

/* A service's capability to itself cannot pick its supervisor, end it silently or
 * resume it; undefined rights bits are refused, not truncated; kernel labels
 * cannot be sent. Exits 0 when every attempt is refused. */
static int refused_forgery(void)
{
    uint64_t rights = 0;
    int ok = rs_task_set_supervisor(RS_SLOT_TASK, 8) == RS_E_RIGHTS;
    ok &= rs_task_destroy(RS_SLOT_TASK) == RS_E_RIGHTS;
    ok &= rs_task_resume(RS_SLOT_TASK) == RS_E_RIGHTS;
    ok &= rs_cap_info(RS_SLOT_TASK, 0, &rights, 0, 0) == 0 && rights == RS_RIGHTS_SELF;
    ok &= rs_cap_mint(RS_SLOT_TASK, 20, 0x100000001ull, 0) == RS_E_INVAL;
    ok &= rs_cap_mint(8, 20, 0x80, 0) == RS_E_INVAL;
    ok &= rs_cap_mint(8, 20, 1ull << 63 | RS_RIGHT_WRITE, 0) == RS_E_INVAL;
    ok &= rs_task_give_cap(RS_SLOT_TASK, 8, 21, 0x100000002ull, 0) == RS_E_INVAL;
    struct rs_msg m = { .info = RS_LABEL_EXIT };
    ok &= rs_send(8, &m, RS_TIMEOUT_POLL) == RS_E_INVAL;
    ok &= rs_platform_image(RS_SLOT_PLATFORM, 0, 22) == RS_E_NOCAP;
    return ok ? 0 : 1;
}

/* No mapping is writable and executable, and no frame is both at once anywhere;
 * executable mappings need the EXEC right. Exits 0 when every rule holds. */
static int wx_rules(void)
{
    if (rs_create(RS_SLOT_QUOTA, RS_OBJ_FRAME, 20, 1) || rs_cap_copy(20, 21)
        || rs_cap_mint(20, 22, RS_RIGHT_READ, 0))
        return 2;
    int ok = rs_frame_map(20, 0x31000000, RS_MAP_WRITE | RS_MAP_EXEC) == RS_E_INVAL;
    ok &= rs_frame_map(22, 0x31000000, RS_MAP_EXEC) == RS_E_RIGHTS;
    ok &= rs_frame_map(20, 0x31000000, RS_MAP_EXEC) == 0;
    ok &= rs_frame_map(21, 0x32000000, RS_MAP_WRITE) == RS_E_BUSY;     /* alias */
    ok &= rs_frame_map(21, 0x32000000, 0) == 0;                         /* read-only: fine */
    ok &= rs_frame_unmap(20) == 0;
    ok &= rs_frame_map(21, 0x33000000, RS_MAP_WRITE) == RS_E_EXISTS;   /* 21 is mapped */
    ok &= rs_frame_unmap(21) == 0 && rs_frame_map(21, 0x33000000, RS_MAP_WRITE) == 0;
    ok &= rs_frame_map(20, 0x31000000, RS_MAP_EXEC) == RS_E_BUSY;
    return ok ? 0 : 1;
}

static volatile int inactive_ran;

__attribute__((no_stack_protector)) static void never_started(void)
{
    inactive_ran = 1;
    for (;;)
        ;
}

/* A thread created but never started, then a breakpoint: when the supervisor
 * answers the fault, the task resumes without starting that thread. */
static int resume_not_start(void)
{
    if (rs_create(RS_SLOT_QUOTA, RS_OBJ_FRAME, 20, 4) || rs_frame_map(20, 0x30000000, RS_MAP_WRITE)
        || rs_task_thread_create(RS_SLOT_TASK, (uint64_t)never_started, 0x30004000 - 8, 10, 21, 0))
        return 2;
    __asm__ volatile("int3");
    rs_sleep(50);
    return inactive_ran ? 1 : 0;
}

/* 100,000 lines at the kernel log as fast as it can: most are dropped (task.h,
 * TASK_LOG_*), and once it has waited for credit again one line says how many. */
static int log_flood(void)
{
    static const char line[] = "victim: a line of the flood, far too many of them\n";
    for (int i = 0; i < 100000; i++)
        if (rs_debug_write(line, sizeof line - 1))
            return 1;
    rs_sleep(1200);
    static const char last[] = "victim: the flood is over\n";
    return rs_debug_write(last, sizeof last - 1) ? 1 : 0;
}

static int run(enum mode m)
{
    static const uint8_t ret = 0xC3;
    switch (m) {
    case V_UNMAPPED: return (int)read_at(0x1000);
    case V_PEEK: return (int)read_at(PEEK_ADDR);
    case V_KERNEL: return (int)read_at(0xFFFFFFFF80101000ull);
    case V_IOPORT: {
        uint8_t v;
        __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"((uint16_t)0x60));
        return v;
    }
    case V_CLI: __asm__ volatile("cli"); return 0;
    case V_SYSCALL: {
        struct rs_regs r = { 0 };
        return (int)rs_syscall(0x4000, &r);
    }
    case V_WRITE_TEXT: *(volatile uint8_t *)_start = 0x90; return 0;
    case V_EXEC_STACK: {
        volatile uint8_t code[16] = { ret };
        ((void (*)(void))(uint64_t)code)();
        return 0;
    }
    case V_DIVIDE: {
        uint64_t zero = 0;
        __asm__ volatile("xor %%edx, %%edx\n mov $1, %%eax\n divq %0" :: "r"(zero) : "rax", "rdx");
        return 0;
    }
    case V_IRQ: return refused_irq();
    case V_IOPORT_REVOKED: use_then_lose_ports(); return 0;
    case V_FORGED_SLOT: return refused_slots();
    case V_NO_RIGHT: return refused_right();
    case V_NT_SYSCALL: return nt_syscall();
    case V_NT_PREEMPT: return nt_preempt();
    case V_INT3: __asm__ volatile("int3"); return 0;
    case V_INT2: __asm__ volatile("int $2"); return 0;
    case V_TRAP_FLAG: set_rflags(get_rflags() | RFLAGS_TF); __asm__ volatile("nop"); return 0;
    case V_FORGE: return refused_forgery();
    case V_WX: return wx_rules();
    case V_RESUME: return resume_not_start();
    case V_LOG_FLOOD: return log_flood();
    }
    return 2;
}

int main(void)
{
    struct rs_msg m = { .info = 1 };
    if (rs_call(8, &m, RS_TIMEOUT_FOREVER))
        return 3;
    return run((enum mode)m.w[0]);
}
