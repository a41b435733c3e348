/* Root test: a hostile task makes 100,000 random system calls with random
 * arguments, holding capabilities of every kind (endpoint, notification, frame,
 * quota, timer, image, and a debug capability over a running task). Its faults (unknown calls) are answered by resuming it. Afterwards the
 * kernel still runs, a well-behaved server still answers, and destroying the
 * hostile task gives back every byte of its quota. */
#include <rs_invoke.h>
#include <rs_libc.h>
#include "check.h"

enum { SUP = 10, HOSTILE = 11, EP = 12, ECHO = 13, NTFN = 14, FRAME = 15, QUOTA = 16,
       SPARE_EP = 17, TIMER = 18, IMAGE = 19, VICTIM = 20, DEBUG = 21 };

#define NGIFTS 7
static const uint64_t gifts[NGIFTS] = { SPARE_EP, NTFN, FRAME, QUOTA, TIMER, IMAGE, DEBUG };

static uint64_t quota_used(void)
{
    uint64_t a[6] = { 0 };
    rs_invoke(RS_SLOT_QUOTA, RS_OP_QUOTA_INFO, a);
    return a[1];
}

static void arm_hostile(void)
{
    CHECK(spawn("fuzz.elf", HOSTILE, 4 << 20, 10) != 0);
    CHECK_OK(rs_create(RS_SLOT_QUOTA, RS_OBJ_ENDPOINT, SPARE_EP, 0));
    CHECK_OK(rs_create(RS_SLOT_QUOTA, RS_OBJ_NOTIFICATION, NTFN, 0));
    CHECK_OK(rs_create(RS_SLOT_QUOTA, RS_OBJ_FRAME, FRAME, 2));
    CHECK_OK(rs_create(RS_SLOT_QUOTA, RS_OBJ_QUOTA, QUOTA, 256 * 1024));
    CHECK_OK(rs_create(RS_SLOT_QUOTA, RS_OBJ_TIMER, TIMER, 0));
    CHECK_OK(rs_platform_image(RS_SLOT_PLATFORM, (uint64_t)rs_module_find("spin.elf"), IMAGE));
    CHECK(spawn("spin.elf", VICTIM, 256 * 1024, 5) != 0);     /* the debug target */
    CHECK_OK(rs_task_start(VICTIM));
    CHECK_OK(rs_cap_mint(VICTIM, DEBUG, RS_RIGHT_DEBUG, 0));
    for (unsigned i = 0; i < NGIFTS; i++) {
        uint64_t rights = 0;
        CHECK_OK(rs_cap_info(gifts[i], 0, &rights, 0, 0));
        CHECK_OK(rs_invoke4(HOSTILE, RS_OP_TASK_GIVE_CAP, gifts[i], 8 + i, rights, 0));
    }
    CHECK_OK(set_supervisor(HOSTILE, SUP, 7));
    CHECK_OK(rs_invoke4(HOSTILE, RS_OP_TASK_START, 0, 0, 0, 0));
}

/* Serves the hostile task's notices: resumes it after each fault, until it exits. */
static void supervise(void)
{
    struct rs_msg m;
    uint64_t badge, faults = 0;
    for (;;) {
        CHECK_OK(rs_recv(SUP, &m, &badge, 120000));
        if (RS_MSG_LABEL(m.info) != RS_LABEL_FAULT)
            break;
        CHECK(m.w[1] == RS_FAULT_SYSCALL);
        faults++;
        m.info = 0;
        CHECK_OK(rs_reply(&m));     /* resume after the bad call */
    }
    CHECK(RS_MSG_LABEL(m.info) == RS_LABEL_EXIT && m.w[1] == 0);
    m.info = 0;
    CHECK_OK(rs_reply(&m));         /* answering an exit notice ends the task */
    rs_printf("fuzz: hostile task finished; %lu unknown-call faults resumed\n", faults);
}

static void well_behaved(void)
{
    CHECK(spawn("echo.elf", ECHO, 1 << 20, 10) != 0);
    CHECK_OK(rs_invoke4(ECHO, RS_OP_TASK_GIVE_CAP, EP, 8, RS_RIGHT_READ, 0));
    CHECK_OK(rs_invoke4(ECHO, RS_OP_TASK_START, 0, 0, 0, 0));
    int ok = 1;
    for (uint64_t i = 0; i < 100; i++) {
        struct rs_msg m = { .info = 1, .w = { i } };
        ok &= rs_call(EP, &m, 2000) == RS_OK && m.w[0] == i + 1;
    }
    CHECK(ok);
    rs_printf("fuzz: a well-behaved server still answers 100 calls\n");
}

int main(void)
{
    CHECK_OK(rs_create(RS_SLOT_QUOTA, RS_OBJ_ENDPOINT, SUP, 0));
    CHECK_OK(rs_create(RS_SLOT_QUOTA, RS_OBJ_ENDPOINT, EP, 0));
    uint64_t before = quota_used();
    arm_hostile();
    supervise();
    CHECK_OK(rs_cap_delete(HOSTILE));
    CHECK_OK(rs_task_destroy(VICTIM));
    CHECK_OK(rs_cap_delete(VICTIM));
    for (unsigned i = 0; i < NGIFTS; i++)
        CHECK_OK(rs_cap_delete(gifts[i]));
    CHECK(quota_used() == before);
    rs_printf("fuzz: quota after cleanup %lu bytes, before %lu\n", quota_used(), before);
    well_behaved();
    return check_done("fuzz");
}
