/* Freestanding implementations of the memory and string routines in kstring.h. */
#include <stdint.h>
#include "kstring.h"

/* memset and memcpy move eight bytes per step (rep stosq / rep movsq), then the
 * rest byte by byte: zeroing and filling the pages of a new task is most of the
 * work of spawning one (a restart), and a byte loop made that five instructions
 * per byte. DF is clear in the kernel (SFMASK clears it on entry). */
void *memset(void *d, int c, size_t n)
{
    uint64_t pattern = 0x0101010101010101ull * (unsigned char)c;
    size_t words = n / 8, rest = n % 8;
    void *p = d;
    __asm__ volatile("rep stosq" : "+D"(p), "+c"(words) : "a"(pattern) : "memory");
    __asm__ volatile("rep stosb" : "+D"(p), "+c"(rest) : "a"(pattern) : "memory");
    return d;
}

void *memcpy(void *restrict d, const void *restrict s, size_t n)
{
    size_t words = n / 8, rest = n % 8;
    void *dp = d;
    const void *sp = s;
    __asm__ volatile("rep movsq" : "+D"(dp), "+S"(sp), "+c"(words) : : "memory");
    __asm__ volatile("rep movsb" : "+D"(dp), "+S"(sp), "+c"(rest) : : "memory");
    return d;
}

void *memmove(void *d, const void *s, size_t n)
{
    unsigned char *dp = d;
    const unsigned char *sp = s;
    if (dp < sp) {
        while (n--)
            *dp++ = *sp++;
    } else {
        while (n--)
            dp[n] = sp[n];
    }
    return d;
}

int memcmp(const void *a, const void *b, size_t n)
{
    const unsigned char *x = a, *y = b;
    for (; n; n--, x++, y++)
        if (*x != *y)
            return *x - *y;
    return 0;
}

size_t strlen(const char *s)
{
    size_t n = 0;
    while (s[n])
        n++;
    return n;
}

size_t strnlen(const char *s, size_t max)
{
    size_t n = 0;
    while (n < max && s[n])
        n++;
    return n;
}

int strcmp(const char *a, const char *b)
{
    while (*a && *a == *b)
        a++, b++;
    return (unsigned char)*a - (unsigned char)*b;
}

int strncmp(const char *a, const char *b, size_t n)
{
    for (; n; n--, a++, b++) {
        if (*a != *b || !*a)
            return (unsigned char)*a - (unsigned char)*b;
    }
    return 0;
}

size_t strlcpy(char *d, const char *s, size_t size)
{
    size_t n = strlen(s);
    if (size) {
        size_t k = n < size - 1 ? n : size - 1;
        memcpy(d, s, k);
        d[k] = '\0';
    }
    return n;
}
