/* Root test: the debug capability, as the fault injector will use it on a running
 * target (dbgtarget.c). It is confined to its target and grants nothing else; it
 * stops and resumes threads; reads and writes registers (hostile values are
 * refused or masked, and the thread still runs: no RFLAGS value reaches the
 * kernel's IRETQ); reads and writes memory, read-only text included but nobody
 * else's read-only pages; plants a breakpoint and single-steps, each reported to
 * the attached debugger endpoint with its own reason. */
#include <string.h>
#include <rs_invoke.h>
#include <rs_libc.h>
#include "check.h"
#include "dbgtarget.h"

enum { BOOT = 10, TARGET = 11, DBG = 12, SHARED = 13, EVENTS = 14, EVENTS_B = 15,
       RO = 16, OTHER = 17 };

#define SHARED_HERE 0x60000000ull
#define SECRET 0x5EC12E75EC12E7ull

static struct dbg_layout L;

static uint64_t peek(uint64_t addr)
{
    uint64_t v = 0;
    CHECK_OK(rs_task_debug_read(DBG, addr, sizeof v, (uint64_t)&v));
    return v;
}

static uint64_t counter_after(unsigned ms)
{
    uint64_t before = peek(L.counter);
    rs_sleep(ms);
    return peek(L.counter) - before;
}

static void start_target(void)
{
    CHECK(spawn("dbgtarget.elf", TARGET, 1 << 20, 5) != 0);
    CHECK_OK(rs_create(RS_SLOT_QUOTA, RS_OBJ_FRAME, SHARED, 1));
    CHECK_OK(rs_frame_map(SHARED, SHARED_HERE, RS_MAP_WRITE));
    *(volatile uint64_t *)SHARED_HERE = SECRET;
    CHECK_OK(rs_cap_mint(SHARED, RO, RS_RIGHT_READ, 0));
    CHECK_OK(rs_task_give_cap(TARGET, BOOT, 8, RS_RIGHT_WRITE, 0));
    CHECK_OK(rs_task_give_cap(TARGET, RO, 9, RS_RIGHT_READ, 0));
    CHECK_OK(rs_cap_mint(TARGET, DBG, RS_RIGHT_DEBUG, 0));
    CHECK_OK(rs_task_start(TARGET));
    struct rs_msg m;
    CHECK_OK(rs_recv(BOOT, &m, 0, 5000));
    uint64_t layout = m.w[0];
    m.info = 0;
    CHECK_OK(rs_reply(&m));
    CHECK_OK(rs_task_debug_read(DBG, layout, sizeof L, (uint64_t)&L));
    CHECK(L.shared == 0x50000000ull && L.check_value > 0x400000);
}

/* A capability with DEBUG alone does nothing but debug, and only its target. */
static void confined(void)
{
    uint64_t id;
    CHECK_ERR(rs_task_start(DBG), RS_E_RIGHTS);
    CHECK_ERR(rs_task_destroy(DBG), RS_E_RIGHTS);
    CHECK_ERR(rs_task_give_cap(DBG, BOOT, 20, RS_RIGHT_WRITE, 0), RS_E_RIGHTS);
    CHECK_ERR(rs_task_info(DBG, &id, 0, 0, 0, 0, 0), RS_E_RIGHTS);
    CHECK_ERR(rs_task_debug_stop(TARGET + 100, 0), RS_E_NOCAP);
    CHECK_ERR(rs_cap_mint(TARGET, OTHER, RS_RIGHT_MANAGE, 0), 0);
    CHECK_ERR(rs_task_debug_stop(OTHER, 0), RS_E_RIGHTS);       /* MANAGE is not DEBUG */
    CHECK_OK(rs_cap_delete(OTHER));
    uint64_t v;
    CHECK_ERR(rs_task_debug_read(DBG, 0xFFFFFFFF80100000ull, 8, (uint64_t)&v), RS_E_FAULT);
    CHECK_ERR(rs_task_debug_read(DBG, L.counter, 4097, (uint64_t)&v), RS_E_RANGE);
    CHECK_ERR(rs_task_debug_read(DBG, L.counter, 8, 0xFFFFFFFF80100000ull), RS_E_FAULT);
    v = 0;
    CHECK_ERR(rs_task_debug_write(DBG, L.shared, 8, (uint64_t)&v), RS_E_FAULT);
    CHECK(*(volatile uint64_t *)SHARED_HERE == SECRET);
    CHECK(peek(L.shared) == SECRET);
    CHECK_ERR(rs_task_debug_get_regs(DBG, 0, (uint64_t)&v), RS_E_BUSY);  /* not stopped */
    CHECK_ERR(rs_task_debug_stop(DBG, 7), RS_E_NOENT);
    rs_printf("debug: a DEBUG capability cannot start, destroy, give or inspect; kernel "
              "memory and another task's read-only page are refused\n");
}

static void stop_and_resume(void)
{
    uint64_t state = 0, stopped = 0, threads = 0;
    CHECK(counter_after(20) > 0);
    CHECK_OK(rs_task_debug_stop(DBG, RS_DEBUG_ALL_THREADS));
    CHECK_OK(rs_task_debug_thread(DBG, 0, &state, &stopped, &threads));
    CHECK(state == RS_THREAD_STOPPED && stopped == 1 && threads == 2);
    CHECK(counter_after(20) == 0);
    CHECK_OK(rs_task_debug_resume(DBG, RS_DEBUG_ALL_THREADS));
    CHECK(counter_after(20) > 0);
    rs_printf("debug: stop held every thread (the counter stood still), resume let it run\n");
}

/* Hostile registers: refused when they name kernel or non-canonical addresses,
 * masked when they are flags; the thread runs on. Then a real redirection. */
static void registers(void)
{
    struct rs_debug_regs r, back;
    CHECK_OK(rs_task_debug_stop(DBG, 0));
    CHECK_OK(rs_task_debug_get_regs(DBG, 0, (uint64_t)&r));
    CHECK(r.rip > 0x400000 && r.rip < 0x800000 && r.rsp > 0x7FF000000000ull);
    struct rs_debug_regs bad = r;
    uint64_t wild[] = { 0xFFFF800000000000ull, 0x0000800000000000ull, ~0ull };
    for (unsigned i = 0; i < 3; i++) {
        bad = r, bad.rip = wild[i];
        CHECK_ERR(rs_task_debug_set_regs(DBG, 0, (uint64_t)&bad), RS_E_RANGE);
        bad = r, bad.rsp = wild[i];
        CHECK_ERR(rs_task_debug_set_regs(DBG, 0, (uint64_t)&bad), RS_E_RANGE);
        bad = r, bad.fs_base = wild[i];
        CHECK_ERR(rs_task_debug_set_regs(DBG, 0, (uint64_t)&bad), RS_E_RANGE);
    }
    bad = r, bad.rflags = ~0ull;                    /* IOPL, NT, RF, VM, VIF, VIP ... */
    CHECK_OK(rs_task_debug_set_regs(DBG, 0, (uint64_t)&bad));
    CHECK_OK(rs_task_debug_get_regs(DBG, 0, (uint64_t)&back));
    uint64_t masked = back.rflags;
    CHECK(masked == 0x240FD7ull);                   /* only user bits, IF, bit 1 */
    back.rflags &= ~0x100ull;                       /* but no single-stepping now */
    CHECK_OK(rs_task_debug_set_regs(DBG, 0, (uint64_t)&back));
    CHECK_OK(rs_task_debug_resume(DBG, 0));
    CHECK(counter_after(20) > 0);
    rs_printf("debug: wild RIP, RSP and FS base refused; RFLAGS of all ones masked to "
              "%#lx; the thread ran on\n", masked);

    CHECK_OK(rs_task_debug_stop(DBG, 0));
    CHECK_OK(rs_task_debug_get_regs(DBG, 0, (uint64_t)&r));
    r.rip = L.landing;
    r.rdi = 0x1234;
    r.rsp = (r.rsp & ~15ull) - 8;
    CHECK_OK(rs_task_debug_set_regs(DBG, 0, (uint64_t)&r));
    CHECK_OK(rs_task_debug_resume(DBG, 0));
    rs_sleep(20);
    CHECK(peek(L.landed) == 0x1234);
    rs_printf("debug: RIP and RDI set: the thread ran landing(0x1234)\n");
}

/* Thread 1 was made and never started: given all-ones RFLAGS (but TF), it is entered
 * through IRETQ for the first time when its task starts it. */
static void never_run_thread(void)
{
    struct rs_debug_regs r;
    CHECK_OK(rs_task_debug_stop(DBG, 1));
    CHECK_OK(rs_task_debug_get_regs(DBG, 1, (uint64_t)&r));
    r.rflags = ~0x100ull;           /* every bit but TF (which would mean: step it) */
    CHECK_OK(rs_task_debug_set_regs(DBG, 1, (uint64_t)&r));
    CHECK_OK(rs_task_debug_resume(DBG, 1));
    CHECK(peek(L.counter2) == 0);                   /* resume does not start it */
    CHECK_OK(rs_task_start(TARGET));
    rs_sleep(120);                  /* past thread 0's 50 ms time slice */
    CHECK(peek(L.counter2) > 0);
    rs_printf("debug: a never-run thread with all-ones RFLAGS entered user mode cleanly\n");
}

/* Waits for a fault notice on EVENTS; checks its badge and reason. */
static uint64_t expect_event(uint64_t reason, uint64_t *addr)
{
    struct rs_msg m;
    uint64_t badge = 0;
    CHECK_OK(rs_recv(EVENTS, &m, &badge, 2000));
    CHECK(RS_MSG_LABEL(m.info) == RS_LABEL_FAULT && badge == 0x77 && m.w[1] == reason);
    *addr = m.w[3];
    return m.w[4];
}

static void answer_event(void)
{
    struct rs_msg m = { .info = 0 };
    CHECK_OK(rs_reply(&m));
}

/* Text writes: patch check_value to return 7 and the target notices. */
static void patch_text(void)
{
    static const uint8_t mov7_ret[] = { 0xB8, 0x07, 0, 0, 0, 0xC3 };  /* mov eax,7; ret */
    uint8_t orig[sizeof mov7_ret];
    CHECK_OK(rs_task_debug_read(DBG, L.check_value, sizeof orig, (uint64_t)orig));
    CHECK(peek(L.changed) == 0);
    CHECK_OK(rs_task_debug_stop(DBG, 0));
    CHECK_OK(rs_task_debug_write(DBG, L.check_value, sizeof mov7_ret, (uint64_t)mov7_ret));
    CHECK_OK(rs_task_debug_resume(DBG, 0));
    rs_sleep(20);
    CHECK(peek(L.changed) == 1);
    CHECK_OK(rs_task_debug_stop(DBG, 0));
    CHECK_OK(rs_task_debug_write(DBG, L.check_value, sizeof orig, (uint64_t)orig));
    CHECK_OK(rs_task_debug_resume(DBG, 0));
    rs_printf("debug: the target's read-only text patched (check_value returned 7) and "
              "restored\n");
}

/* An int3 planted in the text reaches the attached debugger; then the original is
 * put back and the thread steps once past it, reported as a step. */
static void breakpoint_and_step(void)
{
    uint8_t orig, int3 = 0xCC;
    struct rs_debug_regs r;
    CHECK_OK(rs_create(RS_SLOT_QUOTA, RS_OBJ_ENDPOINT, EVENTS, 0));
    CHECK_OK(rs_cap_mint(EVENTS, EVENTS_B, RS_RIGHT_WRITE, 0x77));
    CHECK_OK(rs_task_debug_attach(DBG, EVENTS_B));
    CHECK_OK(rs_task_debug_read(DBG, L.check_value, 1, (uint64_t)&orig));
    CHECK_OK(rs_task_debug_write(DBG, L.check_value, 1, (uint64_t)&int3));
    uint64_t addr = 0;
    uint64_t rip = expect_event(RS_FAULT_BREAKPOINT, &addr);
    CHECK(addr == L.check_value && rip == L.check_value + 1);
    rs_printf("debug: the int3 planted in read-only text reached the debugger endpoint "
              "(badge 0x77) at %#lx\n", addr);

    CHECK_OK(rs_task_debug_stop(DBG, 0));           /* hold it while it is fixed up */
    answer_event();
    CHECK_OK(rs_task_debug_write(DBG, L.check_value, 1, (uint64_t)&orig));
    CHECK_OK(rs_task_debug_get_regs(DBG, 0, (uint64_t)&r));
    r.rip = L.check_value;
    CHECK_OK(rs_task_debug_set_regs(DBG, 0, (uint64_t)&r));
    CHECK_OK(rs_task_debug_step(DBG, 0));
    rip = expect_event(RS_FAULT_STEP, &addr);
    CHECK(rip > L.check_value && rip < L.check_value + 16 && rip == addr);
    answer_event();
    CHECK(counter_after(20) > 0);
    rs_printf("debug: restored, one step to %#lx reported as a step, then it ran on\n", rip);
}

int main(void)
{
    CHECK_OK(rs_create(RS_SLOT_QUOTA, RS_OBJ_ENDPOINT, BOOT, 0));
    start_target();
    confined();
    stop_and_resume();
    patch_text();
    breakpoint_and_step();
    registers();
    never_run_thread();
    CHECK_OK(rs_task_destroy(TARGET));
    return check_done("debug");
}
