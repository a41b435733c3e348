/* Checked copies (see rs_libc.h): what drivers use where a copy a fault got
 * wrong must not reach a device or a client as data that looks whole. */
#include <string.h>
#include <rs_libc.h>

int rs_same_bytes(const void *a, const void *b, size_t n)
{
    const volatile uint8_t *x = a, *y = b;     /* the compiler may not assume them equal */
    for (size_t i = 0; i < n; i++)
        if (x[i] != y[i])
            return -1;
    return 0;
}

int rs_copy_checked(void *dst, const void *src, size_t n)
{
    memcpy(dst, src, n);
    return rs_same_bytes(dst, src, n);
}
