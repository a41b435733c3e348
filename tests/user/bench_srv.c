/* Benchmark server: answers every call on slot 8 with its first word plus one. */
#include "bench.h"

int main(void)
{
    struct rs_msg m;
    if (rs_recv(8, &m, 0, RS_TIMEOUT_FOREVER))
        return 1;
    uint64_t w = m.w[0];
    for (;;)
        w = bench_reply_recv(8, w + 1);
}
