/* A hostile task: issues random system calls with random arguments. It first
 * deletes the capabilities to itself and its thread (so it cannot simply destroy
 * itself), keeps its timeouts short (so it cannot block forever), and never calls
 * exit or moves its own thread pointer (which its C library depends on). Anything
 * else is fair game. Arguments: the number of calls, and optionally a seed. */
#include <rsys.h>

static uint64_t state = 0x9E3779B97F4A7C15ull;

static uint64_t next(void)
{
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state;
}

/* Mostly small numbers (slots, kinds, ops), sometimes anything at all. */
static uint64_t arg(void)
{
    switch (next() % 4) {
    case 0: return next() % 64;
    case 1: return next() % 300;
    case 2: return next();
    default: return next() & 0xFFFFFFF000ull;
    }
}

/* Half the time a slot that holds something (quota, the gifts, free slots). */
static uint64_t slot(void)
{
    static const uint64_t useful[] = { 3, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 20 };
    return next() % 2 ? useful[next() % 13] : arg();
}

static struct rs_ipc_extra extra;
static char buffer[512];

static void *random_extra(void)
{
    switch (next() % 3) {
    case 0: return (void *)arg();
    case 1:
        extra = (struct rs_ipc_extra){ .send_buf = (uint64_t)buffer, .send_len = next() % 600,
                                       .recv_buf = arg(), .recv_max = arg(),
                                       .send_cap = (uint32_t)(next() % 40),
                                       .recv_cap = (uint32_t)(next() % 40) };
        return &extra;
    default: return 0;
    }
}

static uint64_t one_call(void)
{
    uint64_t nr = RS_SYS_BASE + next() % RS_SYS_COUNT;
    if (nr == RS_SYS_EXIT || nr == RS_SYS_SET_FSBASE)
        nr = RS_SYS_NOP;            /* the C library needs its own thread pointer */
    if (next() % 5000 == 0)
        nr = next() % 2 ? next() % 1000 : RS_SYS_END + next() % 1000;  /* unknown: a fault */
    struct rs_regs r = { .slot = slot(), .info = next() % 3 ? next() % 130 : next() };
    for (int i = 0; i < RS_MSG_WORDS; i++)
        r.w[i] = i < 2 && next() % 2 ? slot() : arg();
    r.timeout = next() % 16 ? RS_TIMEOUT_POLL : 1 + next() % 2;   /* mostly poll */
    r.extra = random_extra();
    if (nr == RS_SYS_DEBUG_WRITE && r.info > 64)
        r.info %= 64;
    return rs_syscall(nr, &r);
}

static uint64_t parse(const char *s)
{
    uint64_t v = 0;
    while (*s >= '0' && *s <= '9')
        v = v * 10 + (uint64_t)(*s++ - '0');
    return v;
}

/* Gives itself fresh objects (from its quota, if it still has it) in slots its
 * random calls may have emptied, so the calls keep reaching deep paths. */
static void replenish(void)
{
    static const unsigned kinds[] = { RS_OBJ_ENDPOINT, RS_OBJ_NOTIFICATION, RS_OBJ_FRAME,
                                      RS_OBJ_QUOTA, RS_OBJ_ENDPOINT, RS_OBJ_TIMER };
    for (unsigned i = 0; i < 6; i++)
        rs_create(RS_SLOT_QUOTA, kinds[i], 15 + i, kinds[i] == RS_OBJ_QUOTA ? 8192 : 1);
}

int main(int argc, char **argv)
{
    uint64_t n = argc > 1 ? parse(argv[1]) : 1000, errors[RS_E_COUNT + 1] = { 0 };
    if (argc > 2)
        state ^= parse(argv[2]) * 0x2545F4914F6CDD1Dull;   /* another seed */
    rs_cap_delete(RS_SLOT_TASK);
    rs_cap_delete(RS_SLOT_THREAD);
    for (uint64_t i = 1; i <= n; i++) {
        if (i % 500 == 0)
            replenish();
        uint64_t e = one_call();
        errors[e < RS_E_COUNT ? e : RS_E_COUNT]++;
        if (i % 25000 == 0)
            rs_printf("fuzz: %lu calls made\n", i);
    }
    rs_printf("fuzz: done: %lu ok, %lu no-cap, %lu wrong-kind, %lu no-right, %lu bad-address, "
              "%lu timeout, %lu other\n", errors[0], errors[RS_E_NOCAP], errors[RS_E_TYPE],
              errors[RS_E_RIGHTS], errors[RS_E_FAULT], errors[RS_E_TIMEOUT],
              n - errors[0] - errors[RS_E_NOCAP] - errors[RS_E_TYPE] - errors[RS_E_RIGHTS]
                - errors[RS_E_FAULT] - errors[RS_E_TIMEOUT]);
    return 0;
}
