/* Root test: capability stores (quota create RS_OBJ_TASK; task take_cap and
 * drop_cap). A store holds capabilities given to it and gives out only those:
 * none of its own (no self or quota capability to take), no threads, and the
 * two operations refuse a task that is not a store. */
#include <rs_invoke.h>
#include <rs_libc.h>
#include "check.h"

enum { STORE = 10, NTFN = 11, TAKEN = 12, OTHER = 13, SPARE = 14, KEPT = 40 };

static uint64_t used(void)
{
    uint64_t limit = 0, u = 0;
    rs_quota_info(RS_SLOT_QUOTA, &limit, &u);
    return u;
}

int main(void)
{
    uint64_t before = used(), bits = 0, kind = 0, rights = 0, badge = 0, dead = 0;
    CHECK_OK(rs_create(RS_SLOT_QUOTA, RS_OBJ_TASK, STORE, 0));
    CHECK(used() > before);                                 /* charged to its creator */
    CHECK_OK(rs_create(RS_SLOT_QUOTA, RS_OBJ_NOTIFICATION, NTFN, 0));
    CHECK_OK(rs_task_give_cap(STORE, NTFN, KEPT, RS_RIGHT_WRITE, 5));
    CHECK_OK(rs_task_take_cap(STORE, KEPT, TAKEN, RS_RIGHT_WRITE, 5));
    CHECK_OK(rs_cap_info(TAKEN, &kind, &rights, &badge, &dead));
    CHECK(kind == RS_OBJ_NOTIFICATION && rights == RS_RIGHT_WRITE && badge == 5);
    CHECK_OK(rs_signal(TAKEN, 2));
    CHECK_OK(rs_wait(NTFN, &bits, RS_TIMEOUT_POLL));
    CHECK(bits == (2 | 5));
    CHECK_ERR(rs_task_take_cap(STORE, KEPT, TAKEN, RS_RIGHT_WRITE, 5), RS_E_EXISTS);
    CHECK_ERR(rs_task_take_cap(STORE, KEPT, OTHER, RS_RIGHT_WRITE | RS_RIGHT_READ, 5),
              RS_E_RIGHTS);                                 /* never more rights */
    CHECK_ERR(rs_task_take_cap(STORE, RS_SLOT_TASK, OTHER, RS_RIGHT_READ, 0), RS_E_NOCAP);
    CHECK_ERR(rs_task_take_cap(STORE, RS_SLOT_QUOTA, OTHER, RS_RIGHT_READ, 0), RS_E_NOCAP);
    CHECK_ERR(rs_task_take_cap(STORE, 1u << 20, OTHER, 0, 0), RS_E_NOCAP);
    CHECK_ERR(rs_task_take_cap(RS_SLOT_TASK, RS_SLOT_QUOTA, OTHER, RS_RIGHT_READ, 0),
              RS_E_TYPE);                                   /* not a store: not its own */
    CHECK_ERR(rs_task_drop_cap(RS_SLOT_TASK, NTFN), RS_E_TYPE);
    CHECK_ERR(rs_task_thread_create(STORE, 0x400000, 0x800000, 1, SPARE, 0), RS_E_TYPE);
    CHECK_OK(rs_task_drop_cap(STORE, KEPT));
    CHECK_ERR(rs_task_take_cap(STORE, KEPT, OTHER, RS_RIGHT_WRITE, 5), RS_E_NOCAP);
    CHECK_ERR(rs_task_drop_cap(STORE, KEPT), RS_E_NOCAP);
    CHECK_OK(rs_task_give_cap(STORE, NTFN, KEPT, RS_RIGHT_WRITE, 0));
    CHECK_OK(rs_task_destroy(STORE));                       /* its capabilities go */
    CHECK_OK(rs_cap_delete(STORE));
    CHECK_OK(rs_signal(NTFN, 1));                           /* the object lives on */
    rs_printf("store: gives out what it was given and nothing of its own\n");
    return check_done("store");
}
