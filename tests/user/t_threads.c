/* Root test: threads of one task. Each thread keeps its own SSE registers and FS
 * base across switches; priorities order who runs; sleep and time work; memory
 * frames map, refuse double mapping, and grow in place (a heap); quotas refuse
 * what they cannot hold. */
#include <errno.h>
#include <stdlib.h>
#include <sys/time.h>
#include <time.h>
#include <rs_invoke.h>
#include <rs_libc.h>
#include "check.h"

enum { NTFN = 10, STACKS = 11, T1 = 12, T2 = 13, FRAME = 14, SMALLQ = 15, SMALLF = 16 };

#define STACK_BASE 0x30000000ull
#define STACK_PAGES 4
#define ROUNDS 200

static volatile uint64_t result[3];

/* The mark each worker leaves at the end of its own thread block. */
static uint64_t read_fs(void)
{
    uint64_t v;
    __asm__ volatile("mov %%fs:%c1, %0" : "=r"(v) : "i"(RS_THREAD_BLOCK_SIZE - 8));
    return v;
}

/* Loads xmm0..xmm7 with `seed`, yields, and checks them ROUNDS times. */
static void fpu_worker(void *arg)
{
    uint64_t id = (uint64_t)arg;
    uint64_t *self = 0;
    __asm__ volatile("mov %%fs:0, %0" : "=r"(self));
    self[RS_THREAD_BLOCK_SIZE / 8 - 1] = 0xF5000000 + id;   /* a mark in its own block */
    double seed = 1.5 + (double)id, ok = 1;
    for (int i = 0; i < ROUNDS; i++) {
        double v = seed * (i + 1), back;
        __asm__ volatile("movsd %1, %%xmm7\n" "call *%2\n" "movsd %%xmm7, %0"
                         : "=x"(back) : "x"(v), "r"(rs_yield)
                         : "rax", "rcx", "rdx", "rsi", "rdi", "r8", "r9", "r10", "r11",
                           "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7",
                           "memory");
        ok = ok && back == v && read_fs() == 0xF5000000 + id;
    }
    result[id] = ok ? 1 : 2;
    rs_signal(NTFN, 1ull << id);
    for (;;)
        rs_sleep(1000000);
}

static void start_worker(uint64_t id, uint64_t slot, uint64_t prio)
{
    uint64_t top = STACK_BASE + id * STACK_PAGES * 4096;
    CHECK_OK(rs_thread_create(fpu_worker, (void *)id, top, (unsigned)prio, slot));
}

static void fpu_and_fs(void)
{
    CHECK_OK(rs_create(RS_SLOT_QUOTA, RS_OBJ_NOTIFICATION, NTFN, 0));
    CHECK_OK(rs_create(RS_SLOT_QUOTA, RS_OBJ_FRAME, STACKS, 3 * STACK_PAGES));
    CHECK_OK(rs_invoke4(STACKS, RS_OP_FRAME_MAP, STACK_BASE, RS_MAP_WRITE, 0, 0));
    start_worker(1, T1, 10);
    start_worker(2, T2, 10);
    uint64_t got = 0, bits;
    while (got != 6 && !rs_wait(NTFN, &bits, 5000))
        got |= bits;
    CHECK(got == 6);
    CHECK(result[1] == 1 && result[2] == 1);
    rs_printf("threads: two threads kept their SSE registers and FS base over %d switches\n",
              ROUNDS);
    uint64_t a[6] = { 31 };
    CHECK_ERR(rs_invoke(T1, RS_OP_THREAD_SET_PRIORITY, a), RS_E_RIGHTS); /* above ours */
}

static void time_and_sleep(void)
{
    uint64_t t0 = rs_time_ms();
    CHECK_OK(rs_sleep(100));
    uint64_t dt = rs_time_ms() - t0;
    CHECK(dt >= 100 && dt < 1000);
    rs_printf("threads: slept %lu ms for 100 ms\n", dt);
}

static void memory(void)
{
    CHECK_OK(rs_create(RS_SLOT_QUOTA, RS_OBJ_FRAME, FRAME, 4));
    CHECK_OK(rs_invoke4(FRAME, RS_OP_FRAME_MAP, 0x40000000, RS_MAP_WRITE, 0, 0));
    volatile uint64_t *p = (volatile uint64_t *)0x40000000;
    for (int i = 0; i < 4 * 512; i++)
        p[i] = (uint64_t)i * 3;
    int same = 1;
    for (int i = 0; i < 4 * 512; i++)
        same &= p[i] == (uint64_t)i * 3;
    CHECK(same);
    CHECK_ERR(rs_invoke4(FRAME, RS_OP_FRAME_MAP, 0x50000000, 0, 0, 0), RS_E_EXISTS);
    CHECK_OK(rs_cap_copy(FRAME, 17));
    CHECK_ERR(rs_invoke4(17, RS_OP_FRAME_MAP, 0x40001000, 0, 0, 0), RS_E_EXISTS);
    CHECK_OK(rs_invoke4(17, RS_OP_FRAME_MAP, 0x50000000, 0, 0, 0));   /* shared, read-only */
    CHECK(*(volatile uint64_t *)0x50000008 == 3);
    CHECK_ERR(rs_invoke4(FRAME, RS_OP_FRAME_MAP, 0x40000123, 0, 0, 0), RS_E_EXISTS);
    CHECK_OK(rs_invoke4(FRAME, RS_OP_FRAME_UNMAP, 0, 0, 0, 0));
    CHECK_ERR(rs_invoke4(FRAME, RS_OP_FRAME_MAP, 0x40000123, 0, 0, 0), RS_E_ALIGN);
    CHECK_ERR(rs_invoke4(FRAME, RS_OP_FRAME_MAP, 0x800000000000ull, 0, 0, 0), RS_E_RANGE);
    CHECK_ERR(rs_create(RS_SLOT_QUOTA, RS_OBJ_FRAME, 18, 0), RS_E_RANGE);
    CHECK_ERR(rs_create(RS_SLOT_QUOTA, RS_OBJ_FRAME, 18, 513), RS_E_RANGE);
    rs_printf("threads: frames map, share read-only and refuse bad addresses\n");
}

enum { GROWF = 40, GROWQ = 41, GROWCOPY = 42, GROWMINT = 43, BLOCKER = 44 };
#define GROW_AT 0x60000000ull

/* A frame grows in place: its mapping grows with it, through more than one list
 * page; growth is refused without MANAGE, over another mapping, into taken
 * addresses, past its limits or its quota, and a refusal changes nothing. */
static void frame_growth(void)
{
    uint64_t pages, used0, used1, used2, total;
    CHECK_OK(rs_create(RS_SLOT_QUOTA, RS_OBJ_QUOTA, GROWQ, 7u << 20));
    CHECK_OK(rs_create(GROWQ, RS_OBJ_FRAME, GROWF, 2));
    CHECK_OK(rs_frame_map(GROWF, GROW_AT, RS_MAP_WRITE));
    for (int i = 0; i < 3; i++)                     /* 2 + 3 x 500 pages: past 512 */
        CHECK_OK(rs_frame_grow(GROWF, 500, &total));
    CHECK(total == 1502);
    volatile uint64_t *p = (volatile uint64_t *)GROW_AT;
    p[0] = 1;
    p[1501 * 512] = 2;                              /* the last page, mapped by growing */
    CHECK(p[0] + p[1501 * 512] == 3);
    CHECK_ERR(rs_frame_grow(GROWF, 0, 0), RS_E_RANGE);
    CHECK_ERR(rs_frame_grow(GROWF, 513, 0), RS_E_RANGE);
    CHECK_OK(rs_cap_mint(GROWF, GROWMINT, RS_RIGHT_READ | RS_RIGHT_WRITE, 0));
    CHECK_ERR(rs_frame_grow(GROWMINT, 1, 0), RS_E_RIGHTS);
    CHECK_OK(rs_cap_copy(GROWF, GROWCOPY));
    CHECK_OK(rs_frame_map(GROWCOPY, 0x70000000, 0));
    CHECK_ERR(rs_frame_grow(GROWF, 1, 0), RS_E_BUSY);       /* it could not grow there */
    CHECK_OK(rs_cap_delete(GROWCOPY));
    CHECK_OK(rs_create(RS_SLOT_QUOTA, RS_OBJ_FRAME, BLOCKER, 1));
    CHECK_OK(rs_frame_map(BLOCKER, GROW_AT + 1503 * 4096ull, 0));
    CHECK_OK(rs_quota_info(GROWQ, 0, &used0));
    CHECK_ERR(rs_frame_grow(GROWF, 2, 0), RS_E_EXISTS);     /* the blocker is in the way */
    CHECK_ERR(rs_frame_grow(GROWF, 512, 0), RS_E_QUOTA);    /* 7 MiB holds no 2 more MiB... */
    CHECK_OK(rs_quota_info(GROWQ, 0, &used1));
    CHECK_OK(rs_frame_info(GROWF, &pages, 0));
    CHECK(used1 == used0 && pages == 1502);                  /* ...and nothing changed */
    CHECK_OK(rs_cap_delete(BLOCKER));
    CHECK_OK(rs_frame_grow(GROWF, 1, &total));
    CHECK(total == 1503 && p[1502 * 512] == 0);             /* zeroed */
    CHECK_OK(rs_cap_delete(GROWF));
    CHECK_OK(rs_cap_delete(GROWMINT));
    CHECK_OK(rs_quota_info(GROWQ, 0, &used2));
    CHECK(used2 == 0);                                       /* every page came back */
    rs_printf("threads: a frame grew in place to %lu pages; bad growth changed nothing\n",
              total);
}

static void quota_limits(void)
{
    CHECK_OK(rs_create(RS_SLOT_QUOTA, RS_OBJ_QUOTA, SMALLQ, 64 * 1024));
    CHECK_ERR(rs_create(SMALLQ, RS_OBJ_FRAME, SMALLF, 32), RS_E_QUOTA);
    uint64_t n = 0;
    while (rs_create(SMALLQ, RS_OBJ_FRAME, 20 + n, 1) == RS_OK)
        n++;
    CHECK(n >= 5 && n < 16);
    CHECK_ERR(rs_create(SMALLQ, RS_OBJ_FRAME, 20 + n, 1), RS_E_QUOTA);
    uint64_t big[6] = { RS_OBJ_QUOTA, 60, 1ull << 40 };
    CHECK_ERR(rs_invoke(RS_SLOT_QUOTA, RS_OP_QUOTA_CREATE, big), RS_E_QUOTA);
    rs_printf("threads: a 64 KiB quota held %lu frames, then said no\n", n);
}

/* 300 blocks of 300 KiB, more than 200 growths of the heap (the old limit was
 * about 224 in all), spend no capability slot beyond the first: the heap's frame
 * grows in place. */
static void heap_growth(void)
{
    enum { N = 300 };
    static void *p[N];
    uint64_t before = rs_slot_alloc(), after;
    rs_slot_free(before);
    size_t in_use, mapped0, mapped1;
    rs_heap_stats(&in_use, &mapped0);
    int ok = 1;
    for (int i = 0; i < N && ok; i++)
        ok = (p[i] = malloc(300 * 1024)) != 0;
    CHECK(ok);
    rs_heap_stats(&in_use, &mapped1);
    after = rs_slot_alloc();
    rs_slot_free(after);
    CHECK(mapped1 >= N * 300 * 1024ul && mapped1 - mapped0 > 200 * 256 * 1024ul);
    CHECK(after <= before + 1);
    for (int i = 0; i < N; i++)
        free(p[i]);
    rs_printf("threads: the heap grew %lu KiB for %d blocks on %lu new slots\n",
              (unsigned long)((mapped1 - mapped0) >> 10), N, (unsigned long)(after - before));
}

/* The C library on Resurgo: a heap block larger than one frame object, clocks. */
static void libc_use(void)
{
    size_t big = 5u << 20;
    uint8_t *p = malloc(big);
    CHECK(p != 0);
    if (p) {
        p[0] = 1;
        p[big - 1] = 2;
        CHECK(p[0] + p[big - 1] == 3);
        free(p);
    }
    heap_growth();
    uint8_t *z = calloc(10000, 3);      /* calloc returns (it once recursed into itself) */
    CHECK(z != 0 && z[0] == 0 && z[29999] == 0);
    volatile size_t huge = (size_t)1 << 40;     /* n * size overflows: refused */
    CHECK(calloc(huge, huge) == 0 && errno == ENOMEM);
    free(z);
    struct timespec ts;
    struct timeval tv;
    CHECK(clock_gettime(CLOCK_MONOTONIC, &ts) == 0 && gettimeofday(&tv, 0) == 0);
    CHECK(tv.tv_sec >= ts.tv_sec);
    rs_printf("threads: malloc gave a 5 MiB block, calloc a zeroed one; clock_gettime and "
              "gettimeofday work\n");
}

int main(void)
{
    fpu_and_fs();
    time_and_sleep();
    memory();
    frame_growth();
    quota_limits();
    libc_use();
    return check_done("threads");
}
