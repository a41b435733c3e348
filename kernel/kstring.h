/* The few string and memory routines the freestanding kernel needs (and that the
 * compiler may call implicitly). */
#pragma once
#include <stddef.h>

void *memset(void *d, int c, size_t n);
void *memcpy(void *restrict d, const void *restrict s, size_t n);
void *memmove(void *d, const void *s, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
/* Copies at most size-1 characters and always terminates (size > 0). Returns strlen(s). */
size_t strlcpy(char *d, const char *s, size_t size);
