/* Shared helpers of the libFuzzer harnesses (tests/fuzz/fuzz_*.c): contract checks
 * that abort with a message, and little-endian loads from fuzz bytes. */
#pragma once
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A violated contract: say which and where, then abort so libFuzzer saves the input. */
#define CHECK(cond, ...)                                                            \
    do {                                                                            \
        if (!(cond)) {                                                              \
            fprintf(stderr, "%s:%d: contract violated: %s: ", __FILE__, __LINE__,   \
                    #cond);                                                         \
            fprintf(stderr, __VA_ARGS__);                                           \
            fputc('\n', stderr);                                                    \
            abort();                                                                \
        }                                                                           \
    } while (0)

static inline uint32_t ld32(const uint8_t *p)
{
    uint32_t v;
    memcpy(&v, p, sizeof v);
    return v;
}

static inline uint64_t ld64(const uint8_t *p)
{
    uint64_t v;
    memcpy(&v, p, sizeof v);
    return v;
}

/* Whether s holds a NUL within its n bytes. */
static inline int terminated(const char *s, size_t n)
{
    return memchr(s, '\0', n) != NULL;
}

/* A buffer of exactly n bytes for the code under test to write into, even for n = 0
 * (ASan gives malloc(0) one usable byte, which would hide a write of a terminator
 * into a zero-sized buffer): n bytes at the very end of a block, after a 16-byte
 * guard (keeping 16-byte alignment) that buf_free() checks is untouched. */
#define BUF_GUARD 16

static inline void *buf_alloc(size_t n)
{
    uint8_t *b = malloc(BUF_GUARD + n);
    memset(b, 0xA5, BUF_GUARD + n);
    return b + BUF_GUARD;
}

static inline void buf_free(void *p)
{
    uint8_t *b = (uint8_t *)p - BUF_GUARD;
    for (unsigned i = 0; i < BUF_GUARD; i++)
        CHECK(b[i] == 0xA5, "byte %d before the buffer written", (int)i - BUF_GUARD);
    free(b);
}
