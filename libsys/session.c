/* Session state regions, libsys's side (see rs_session.h). */
#include <string.h>
#include <rs_invoke.h>
#include <rs_session.h>
#include <rsys.h>

uint64_t rs_session_window(void)
{
    return rs_task_session_window(RS_SLOT_TASK);
}

void *rs_session_open(uint64_t pages, uint64_t *err)
{
    struct rs_regs r = { .slot = pages };
    uint64_t e = rs_syscall(RS_SYS_SESSION_OPEN, &r);
    if (err)
        *err = e;
    return e ? 0 : (void *)r.slot;
}

void *rs_session_region(const struct rs_request *r)
{
    return (r->req.info & RS_MSG_SESSION) ? (void *)RS_SESSION_WINDOW : 0;
}

uint64_t rs_session_move(uint64_t dst, uint64_t src)
{
    return rs_endpoint_session_move(dst, src);
}

uint64_t rs_session_pages(uint64_t slot)
{
    uint64_t pages = 0;
    return rs_endpoint_session_info(slot, &pages) ? 0 : pages;
}
