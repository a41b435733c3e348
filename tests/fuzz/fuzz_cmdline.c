/* libFuzzer harness for the string helpers of kernel/bootinfo.c: bootinfo_cmdline_get,
 * bootinfo_module_name and bootinfo_copy_string. Input: one byte for the value
 * buffer's size, one for the name (and copy) buffer's size, then the key up to a NUL,
 * then the command line (also the module's string) up to the next NUL or the end.
 * Contract checked (kernel/bootinfo.h): cmdline_get returns E_OK exactly when a
 * space-separated word of the command line is `key` or starts with `key=`, the first
 * such word giving the value ("" for a bare key), else E_NOENT; the value written is
 * NUL-terminated, fits in `size` bytes, and is that value cut to size - 1 characters.
 * module_name writes the first word of the string without anything up to its last
 * '/', cut to size - 1 characters. copy_string copies the string up to its NUL, at
 * most src_max bytes of it and at most dst_size - 1, terminated. None writes outside
 * its buffer, not even for size 0 (buf_alloc). Keys are whole words: a key with a
 * space in it never matches across two words, an empty one never after the last. */
#include <stddef.h>
#include <stdint.h>
#include "bootinfo.h"
#include "fuzz.h"

/* Copies bytes [0, n) of src into a fresh buffer of exactly n + 1 bytes, terminated. */
static char *dup_n(const uint8_t *src, size_t n)
{
    char *s = malloc(n + 1);
    memcpy(s, src, n);
    s[n] = '\0';
    return s;
}

/* The value of key in cmdline by the documented rule; NULL when absent. */
static const char *ref_value(const char *cmdline, const char *key, size_t *vlen)
{
    size_t klen = strlen(key);
    for (const char *w = cmdline; *w;) {
        if (*w == ' ') {
            w++;
            continue;
        }
        size_t wlen = strcspn(w, " ");
        if (wlen == klen && memcmp(w, key, klen) == 0) {
            *vlen = 0;
            return w + wlen;
        }
        if (wlen > klen && memcmp(w, key, klen) == 0 && w[klen] == '=') {
            *vlen = wlen - klen - 1;
            return w + klen + 1;
        }
        w += wlen;
    }
    return NULL;
}

static void fuzz_cmdline_get(const char *cmdline, const char *key, unsigned size)
{
    char *val = buf_alloc(size);
    err_t e = bootinfo_cmdline_get(cmdline, key, val, size);
    size_t vlen = 0;
    const char *want = ref_value(cmdline, key, &vlen);
    CHECK(e == (want ? E_OK : E_NOENT), "key \"%s\" in \"%s\": returned %d, expected %s", key,
          cmdline, e, want ? "E_OK" : "E_NOENT");
    if (want && size) {
        size_t keep = vlen < size - 1 ? vlen : size - 1;
        CHECK(terminated(val, size), "value not terminated in %u bytes", size);
        CHECK(strlen(val) == keep && memcmp(val, want, keep) == 0,
              "key \"%s\" in \"%s\" (size %u): value \"%s\", expected \"%.*s\"", key, cmdline,
              size, val, (int)keep, want);
    }
    buf_free(val);
}

static void fuzz_module_name(const char *string, unsigned size)
{
    struct boot_module m = { 0 };
    size_t n = strnlen(string, sizeof m.string - 1);
    memcpy(m.string, string, n);
    size_t wlen = strcspn(m.string, " ");
    const char *word = m.string;
    for (size_t i = 0; i < wlen; i++)
        if (m.string[i] == '/')
            word = m.string + i + 1;
    size_t want = (size_t)(m.string + wlen - word);
    char *name = buf_alloc(size);
    bootinfo_module_name(&m, name, size);
    if (size) {
        size_t keep = want < size - 1 ? want : size - 1;
        CHECK(terminated(name, size), "name not terminated in %u bytes", size);
        CHECK(strlen(name) == keep && memcmp(name, word, keep) == 0,
              "module \"%s\" (size %u): name \"%s\", expected \"%.*s\"", m.string, size, name,
              (int)keep, word);
    }
    buf_free(name);
}

static void fuzz_copy_string(const char *src, size_t src_len, unsigned dst_size, uint64_t src_max)
{
    char *dst = buf_alloc(dst_size);
    bootinfo_copy_string(dst, dst_size, src, src_max);
    if (dst_size) {
        size_t keep = src_len;
        if (keep > src_max)
            keep = src_max;
        if (keep > dst_size - 1)
            keep = dst_size - 1;
        CHECK(terminated(dst, dst_size), "copy not terminated in %u bytes", dst_size);
        CHECK(strlen(dst) == keep && memcmp(dst, src, keep) == 0,
              "copy of \"%s\" (max %lu, size %u) is \"%s\"", src, src_max, dst_size, dst);
    }
    buf_free(dst);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    unsigned vsize = data[0], nsize = data[1] % (BOOT_STRING_MAX + 2);
    const uint8_t *rest = data + 2, *end = data + size;
    const uint8_t *nul = memchr(rest, 0, (size_t)(end - rest));
    size_t klen = nul ? (size_t)(nul - rest) : (size_t)(end - rest);
    const uint8_t *line = nul ? nul + 1 : end;
    const uint8_t *nul2 = memchr(line, 0, (size_t)(end - line));
    size_t llen = nul2 ? (size_t)(nul2 - line) : (size_t)(end - line);
    char *key = dup_n(rest, klen), *cmdline = dup_n(line, llen);
    fuzz_cmdline_get(cmdline, key, vsize);
    fuzz_module_name(cmdline, nsize);
    fuzz_copy_string(cmdline, llen, nsize, vsize);
    free(key);
    free(cmdline);
    return 0;
}
