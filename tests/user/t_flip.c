/* Root test for tests/system/cases.py's register-flip case: a busy task (spin.elf)
 * runs under this supervisor while the host, through QEMU's gdb stub, flips bits of
 * the live RFLAGS (VM, NT, IOPL, RF, AC, VIF, VIP, ID, TF) whenever the CPU is in
 * that task. The flipped task may fault (it is restarted); the kernel must not. */
#include <rs_invoke.h>
#include <rs_libc.h>
#include "check.h"

enum { SUP = 10, SPIN = 11 };

#define WINDOW_MS 10000

static void start_spin(void)
{
    CHECK(spawn("spin.elf", SPIN, 256 * 1024, 10) != 0);
    CHECK_OK(set_supervisor(SPIN, SUP, 1));
    CHECK_OK(rs_task_start(SPIN));
}

int main(void)
{
    uint64_t faults = 0, badge;
    CHECK_OK(rs_create(RS_SLOT_QUOTA, RS_OBJ_ENDPOINT, SUP, 0));
    start_spin();
    rs_printf("flip: ready\n");
    uint64_t t0 = rs_time_ms();
    while (rs_time_ms() - t0 < WINDOW_MS) {
        struct rs_msg m;
        uint64_t e = rs_recv(SUP, &m, &badge, 500);
        if (e == RS_E_TIMEOUT)
            continue;
        CHECK_OK(e);
        CHECK(RS_MSG_LABEL(m.info) == RS_LABEL_FAULT && badge == 1);
        faults++;
        rs_printf("flip: the flipped task faulted (reason %lu, vector %lu); restarted\n",
                  m.w[1], m.w[2]);
        CHECK_OK(rs_task_destroy(SPIN));
        CHECK_OK(rs_cap_delete(SPIN));
        start_spin();
    }
    CHECK_OK(rs_task_destroy(SPIN));
    rs_printf("flip: the kernel survived %d ms of flipped RFLAGS bits; %lu task faults\n",
              WINDOW_MS, faults);
    return check_done("flip");
}
