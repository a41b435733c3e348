/* Root test for tests/system/cases.py's register-flip case: two busy tasks run
 * under this supervisor, spin.elf (only ever preempted: it leaves through IRETQ)
 * and sysloop.elf (a SYSCALL loop), while the host, through QEMU's gdb stub, flips
 * bits of the live RFLAGS (VM, NT, IOPL, RF, AC, VIF, VIP, ID, TF) whenever the CPU
 * is in one of them. A flipped task may fault (it is restarted); the kernel must
 * not. */
#include <rs_invoke.h>
#include <rs_libc.h>
#include "check.h"

enum { SUP = 10, SPIN = 11 };

static const char *const programs[2] = { "spin.elf", "sysloop.elf" };

#define WINDOW_MS 10000

/* Task i (0 or 1) in slot SPIN + i, supervised by us with badge 1 + i. */
static void start_busy(unsigned i)
{
    CHECK(spawn(programs[i], SPIN + i, 256 * 1024, 10) != 0);
    CHECK_OK(set_supervisor(SPIN + i, SUP, 1 + i));
    CHECK_OK(rs_task_start(SPIN + i));
}

int main(void)
{
    uint64_t faults = 0, badge;
    CHECK_OK(rs_create(RS_SLOT_QUOTA, RS_OBJ_ENDPOINT, SUP, 0));
    start_busy(0);
    start_busy(1);
    rs_printf("flip: ready\n");
    uint64_t t0 = rs_time_ms();
    while (rs_time_ms() - t0 < WINDOW_MS) {
        struct rs_msg m;
        uint64_t e = rs_recv(SUP, &m, &badge, 500);
        if (e == RS_E_TIMEOUT)
            continue;
        CHECK_OK(e);
        CHECK(RS_MSG_LABEL(m.info) == RS_LABEL_FAULT && (badge == 1 || badge == 2));
        unsigned i = badge == 2;
        faults++;
        rs_printf("flip: %s faulted (reason %lu, vector %lu); restarted\n", programs[i],
                  m.w[1], RS_FAULT_VECTOR(m.w[2]));
        CHECK_OK(rs_task_destroy(SPIN + i));
        CHECK_OK(rs_cap_delete(SPIN + i));
        start_busy(i);
    }
    CHECK_OK(rs_task_destroy(SPIN));
    CHECK_OK(rs_task_destroy(SPIN + 1));
    rs_printf("flip: the kernel survived %d ms of flipped RFLAGS bits; %lu task faults\n",
              WINDOW_MS, faults);
    return check_done("flip");
}
