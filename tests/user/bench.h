/* Minimal system-call sequences for benchmarks: only the registers each call
 * needs, so the numbers measure the kernel, not the library. Each has a twin
 * with the SYSCALL instruction replaced by a NOP, run in the same measuring loop:
 * its count is the loop's own cost, which sel4bench-style "kernel path only"
 * figures subtract. */
#pragma once
#include <rsys.h>

/* INSN is "syscall" or "nop": the real call, or its stand-in of one instruction. */
#define BENCH_NOP_SEQ(INSN)                                                         \
    register uint64_t rax __asm__("rax") = RS_SYS_NOP;                              \
    __asm__ volatile(INSN : "+r"(rax) :: "rcx", "r11", "memory");                   \
    return rax;

static inline uint64_t bench_nop(void) { BENCH_NOP_SEQ("syscall") }
static inline uint64_t bench_nop_dummy(void) { BENCH_NOP_SEQ("nop") }

/* A call or reply-receive (nr) on ep with label `info`, one word and a timeout;
 * returns the first word that comes back (the dummy returns w0). */
#define BENCH_IPC_SEQ(INSN)                                                         \
    register uint64_t rax __asm__("rax") = nr;                                      \
    register uint64_t rdi __asm__("rdi") = ep;                                      \
    register uint64_t rsi __asm__("rsi") = info;                                    \
    register uint64_t rdx __asm__("rdx") = w0;                                      \
    register uint64_t r14 __asm__("r14") = timeout;                                 \
    register uint64_t rbx __asm__("rbx") = 0;                                       \
    __asm__ volatile(INSN : "+r"(rax), "+r"(rdi), "+r"(rsi), "+r"(rdx)              \
                     : "r"(r14), "r"(rbx)                                           \
                     : "rcx", "r11", "r8", "r9", "r10", "r12", "r13", "memory");    \
    return rdx;

static inline uint64_t bench_ipc_t(uint64_t nr, uint64_t ep, uint64_t info, uint64_t w0,
                                   uint64_t timeout) { BENCH_IPC_SEQ("syscall") }
static inline uint64_t bench_ipc_dummy(uint64_t nr, uint64_t ep, uint64_t info, uint64_t w0,
                                       uint64_t timeout) { BENCH_IPC_SEQ("nop") }

static inline uint64_t bench_ipc(uint64_t nr, uint64_t ep, uint64_t info, uint64_t w0)
{
    return bench_ipc_t(nr, ep, info, w0, RS_TIMEOUT_FOREVER);
}

/* A call with a one-word message; returns the reply's first word. */
static inline uint64_t bench_call(uint64_t ep, uint64_t w0)
{
    return bench_ipc(RS_SYS_CALL, ep, 1, w0);
}

/* Replies with w0 and waits for the next call; returns its first word. */
static inline uint64_t bench_reply_recv(uint64_t ep, uint64_t w0)
{
    return bench_ipc(RS_SYS_REPLY_RECV, ep, 0, w0);
}

static inline uint64_t bench_tsc(void)
{
    uint32_t lo, hi;
    __asm__ volatile("lfence; rdtsc" : "=a"(lo), "=d"(hi) :: "memory");
    return ((uint64_t)hi << 32) | lo;
}
