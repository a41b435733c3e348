/* The console client's checked write (rs_console.h). */
#include <proto/console.h>
#include <rs_console.h>
#include <rsys.h>

uint64_t rs_console_write(uint64_t ep, const void *p, size_t n, uint64_t *done)
{
    uint64_t count = 0, sum = 0, e = console_write(ep, p, n, &count, &sum);
    if (done)
        *done = count;
    if (e)
        return e;
    return count == n && sum == console_sum(CONSOLE_SUM_BASIS, p, n) ? 0 : RS_E_FORMAT;
}
