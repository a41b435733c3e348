/* The data store's text rules (see names.h). */
#include <string.h>
#include <resurgo/errors.h>
#include "names.h"

static int is_alnum(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

static int is_name_char(char c)
{
    return is_alnum(c) || c == '.' || c == '_' || c == '/' || c == '-';
}

static int is_service_char(char c)
{
    return is_alnum(c) || c == '_' || c == '-';
}

/* Length first (so a long name is RS_E_RANGE whatever it holds), then bytes. */
static uint32_t check_chars(const char *p, size_t n, size_t max, int (*ok)(char))
{
    if (n == 0)
        return RS_E_INVAL;
    if (n > max)
        return RS_E_RANGE;
    for (size_t i = 0; i < n; i++)
        if (!ok(p[i]))
            return RS_E_INVAL;
    return 0;
}

uint32_t ds_name_check(const char *p, size_t n)
{
    return check_chars(p, n, DS_NAME_MAX, is_name_char);
}

uint32_t ds_service_name_check(const char *p, size_t n)
{
    return check_chars(p, n, DS_SERVICE_NAME_MAX, is_service_char);
}

uint32_t ds_pattern_check(const char *p, size_t n)
{
    if (n == 1 && p[0] == '*')
        return 0;
    if (n > 1 && n <= DS_NAME_MAX && p[n - 1] == '*')
        n--;
    return ds_name_check(p, n);
}

int ds_pattern_match(const char *pattern, const char *name)
{
    size_t n = strlen(pattern);
    if (n && pattern[n - 1] == '*')
        return strncmp(pattern, name, n - 1) == 0;
    return strcmp(pattern, name) == 0;
}

size_t ds_private_prefix(const char *name)
{
    const char *dot = strchr(name, '.');
    if (!dot)
        return 0;
    size_t n = (size_t)(dot - name);
    return ds_service_name_check(name, n) ? 0 : n;
}

uint32_t ds_take(const void *buf, size_t len, char out[DS_NAME_MAX + 1],
                 uint32_t (*check)(const char *, size_t))
{
    const char *p = buf;
    if (len && p[len - 1] == '\0')
        len--;
    uint32_t e = check(p, len);
    if (e)
        return e;
    memcpy(out, p, len);
    out[len] = '\0';
    return 0;
}

void ds_shown(const void *buf, size_t len, char out[DS_SHOWN_SIZE])
{
    const char *p = buf;
    size_t n = 0;
    for (; n < len && n < DS_NAME_MAX && p[n] && p[n] != '\n'; n++)
        out[n] = p[n] >= 0x20 && p[n] < 0x7F && p[n] != '\'' ? p[n] : '?';
    if (n == DS_NAME_MAX && n < len && p[n] && p[n] != '\n')
        memcpy(out + n, "...", 3), n += 3;
    out[n] = '\0';
}

/* Copies each space-separated word of p[0..n) into list, checked with check;
 * more than max words: RS_E_RANGE. */
static uint32_t take_list(const char *p, size_t n, char (*list)[DS_NAME_MAX + 1],
                          unsigned max, unsigned *count, uint32_t (*check)(const char *, size_t))
{
    *count = 0;
    for (size_t i = 0, j; i < n; i = j) {
        if (p[i] == ' ') {
            j = i + 1;
            continue;
        }
        for (j = i; j < n && p[j] != ' '; j++)
            ;
        uint32_t e = check(p + i, j - i);
        if (e)
            return e;
        if (*count == max)
            return RS_E_RANGE;
        memcpy(list[*count], p + i, j - i);
        list[(*count)++][j - i] = '\0';
    }
    return 0;
}

/* Finds the three lines: [p, a) [a+1, b) [b+1, end), a final '\n' dropped. */
static int split_lines(const char *p, size_t len, size_t *a, size_t *b, size_t *end)
{
    const char *nl1 = len ? memchr(p, '\n', len) : 0;
    const char *nl2 = nl1 ? memchr(nl1 + 1, '\n', len - (size_t)(nl1 + 1 - p)) : 0;
    if (!nl2)
        return -1;
    *a = (size_t)(nl1 - p), *b = (size_t)(nl2 - p), *end = len;
    if (*end > *b + 1 && p[*end - 1] == '\n')
        (*end)--;
    return memchr(p + *b + 1, '\n', *end - *b - 1) ? -1 : 0;
}

uint32_t ds_parse_decl(const void *buf, size_t len, struct ds_decl *d, const char **why)
{
    const char *p = buf;
    size_t a, b, end;
    memset(d, 0, sizeof *d);
    *why = "not three lines";
    if (split_lines(p, len, &a, &b, &end))
        return RS_E_INVAL;
    *why = "bad service name";
    uint32_t e = ds_service_name_check(p, a);
    if (e)
        return e;
    memcpy(d->name, p, a);
    *why = "bad or too many owned names";
    e = take_list(p + a + 1, b - a - 1, d->owned, DS_OWNED_MAX, &d->nowned, ds_name_check);
    if (e)
        return e;
    *why = "a private name cannot be owned";
    for (unsigned i = 0; i < d->nowned; i++)
        if (ds_private_prefix(d->owned[i]))
            return RS_E_INVAL;
    *why = "bad or too many read patterns";
    return take_list(p + b + 1, end - b - 1, d->reads, DS_READS_MAX, &d->nreads,
                     ds_pattern_check);
}
