/* Checked copies (see rs_libc.h): what drivers use where a copy a fault got
 * wrong must not reach a device or a client as data that looks whole. */
#include <stdint.h>
#include <string.h>
#include <rs_libc.h>

typedef uint64_t __attribute__((may_alias)) word_t;

/* Word by word where both are aligned (a 4 KiB block in 512 compares, not 4096),
 * then byte by byte; every read volatile, so the compiler may not assume them
 * equal (it would, right after memcpy). */
int rs_same_bytes(const void *a, const void *b, size_t n)
{
    const volatile uint8_t *x = a, *y = b;
    size_t i = 0;
    if (((uintptr_t)a | (uintptr_t)b) % sizeof(word_t) == 0)
        for (; i + sizeof(word_t) <= n; i += sizeof(word_t))
            if (*(const volatile word_t *)(x + i) != *(const volatile word_t *)(y + i))
                return -1;
    for (; i < n; i++)
        if (x[i] != y[i])
            return -1;
    return 0;
}

int rs_copy_checked(void *dst, const void *src, size_t n)
{
    memcpy(dst, src, n);
    return rs_same_bytes(dst, src, n);
}
