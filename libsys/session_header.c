/* Session region headers (see rs_session.h): pure, unit-tested. */
#include <rs_session.h>

static uint32_t fnv1a(uint32_t h, const void *p, size_t n)
{
    const uint8_t *b = p;
    for (size_t i = 0; i < n; i++)
        h = (h ^ b[i]) * 16777619u;
    return h;
}

static uint32_t checksum(const struct rs_session_header *h)
{
    struct rs_session_header copy = *h;
    copy.checksum = 0;
    return fnv1a(fnv1a(2166136261u, &copy, sizeof copy), h + 1, h->size);
}

int rs_session_seal(void *region, size_t bytes, uint16_t version, uint32_t size)
{
    struct rs_session_header *h = region;
    if (bytes < sizeof *h || size > bytes - sizeof *h)
        return -1;
    h->magic = RS_SESSION_MAGIC;
    h->version = version;
    h->reserved = 0;
    h->size = size;
    h->seals++;
    h->checksum = checksum(h);
    return 0;
}

static int all_zero(const void *p, size_t n)
{
    const uint8_t *b = p;
    for (size_t i = 0; i < n; i++)
        if (b[i])
            return 0;
    return 1;
}

enum rs_session_state rs_session_check(const void *region, size_t bytes, uint16_t version)
{
    const struct rs_session_header *h = region;
    if (bytes < sizeof *h)
        return RS_SESSION_CORRUPT;
    if (all_zero(h, sizeof *h))
        return RS_SESSION_FRESH;
    if (h->magic != RS_SESSION_MAGIC || h->version != version || h->reserved
        || h->size > bytes - sizeof *h || h->checksum != checksum(h))
        return RS_SESSION_CORRUPT;
    return RS_SESSION_VALID;
}
