/* Root test: the platform's halt operation. A platform capability minted without
 * MANAGE (into other slots) cannot halt; then, unless the argument string says
 * halt=no, the full capability halts the system, and QEMU exits with the success
 * status from the kernel, not from this task ending. If halt returns, the task
 * exits with a failure, so QEMU's status says so too (exit=root). */
#include <string.h>
#include <rs_invoke.h>
#include <rs_libc.h>
#include "check.h"

enum { NO_MANAGE = 20, READ_ONLY = 21 };

static void refused_without_manage(void)
{
    uint64_t rights = 0;
    CHECK_OK(rs_cap_mint(RS_SLOT_PLATFORM, NO_MANAGE, RS_RIGHTS_ALL & ~RS_RIGHT_MANAGE, 0));
    CHECK_OK(rs_cap_mint(RS_SLOT_PLATFORM, READ_ONLY, RS_RIGHT_READ, 0));
    CHECK_OK(rs_cap_info(NO_MANAGE, 0, &rights, 0, 0));
    CHECK(!(rights & RS_RIGHT_MANAGE));
    CHECK_ERR(rs_platform_halt(NO_MANAGE), RS_E_RIGHTS);
    CHECK_ERR(rs_platform_halt(READ_ONLY), RS_E_RIGHTS);
    CHECK_ERR(rs_platform_halt(RS_SLOT_QUOTA), RS_E_NOSYS);    /* not a platform */
    rs_printf("halt: a platform capability without MANAGE is refused\n");
}

int main(void)
{
    char buf[8];
    const char *halt = rs_arg("halt", buf, sizeof buf);
    refused_without_manage();
    if (halt && !strcmp(halt, "no"))
        return check_done("halt_rights");
    if (check_failures)
        return check_done("halt");
    rs_printf("halt: asking the kernel to end the system\n");
    CHECK_OK(rs_platform_halt(RS_SLOT_PLATFORM));
    CHECK(!"halt returned");
    check_done("halt");
    return 1;
}
