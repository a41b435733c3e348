/* Session region headers (see rs_session.h): pure, unit-tested. */
#include <string.h>
#include <rs_libc.h>
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

/* all_zero, read through volatile (the compiler may not assume a memset held). */
static int all_zero_checked(const void *p, size_t n)
{
    const volatile uint8_t *b = p;
    for (size_t i = 0; i < n; i++)
        if (b[i])
            return 0;
    return 1;
}

struct half {
    struct rs_session_header h;
    struct rs_session_record rec;
    uint8_t state[];
};

static int half_valid(const uint8_t *p, size_t half, uint16_t version, uint32_t state_size)
{
    const struct half *h = (const void *)p;
    return rs_session_check(p, half, version) == RS_SESSION_VALID
           && h->h.size == sizeof h->rec + state_size && h->rec.reply_len <= RS_SESSION_REPLY_MAX;
}

int rs_session_txn_begin(struct rs_session_txn *t, void *region, size_t bytes, uint16_t version,
                         uint32_t state_size)
{
    uint8_t *a = region, *b = a + bytes / 2;
    size_t half = bytes / 2;
    *t = (struct rs_session_txn){ .region = a, .half = half, .version = version,
                                  .state_size = state_size };
    if (half < sizeof(struct half) || state_size > half - sizeof(struct half))
        return -1;
    int va = half_valid(a, half, version, state_size), vb = half_valid(b, half, version, state_size);
    const struct half *ha = (const void *)a, *hb = (const void *)b;
    if (va && vb)
        t->committed = ha->h.seals >= hb->h.seals ? a : b;
    else if (va || vb)
        t->committed = va ? a : b;
    else if (!all_zero(a, sizeof(struct half)) && !all_zero(b, sizeof(struct half)))
        return -1;                  /* something was there, and none of it holds */
    t->work = t->committed == a ? b : a;
    struct half *w = (void *)t->work;
    t->state = w->state;
    if (t->committed)
        return rs_copy_checked(w->state, ((struct half *)t->committed)->state, state_size)
               ? -2 : 0;
    memset(w->state, 0, state_size);
    return all_zero_checked(w->state, state_size) ? 0 : -2;
}

const struct rs_session_record *rs_session_txn_record(const struct rs_session_txn *t)
{
    return t->committed ? &((const struct half *)t->committed)->rec : 0;
}

/* Whether w, the half a commit is about to seal, is the region's other half and
 * holds the state the handler changed (read again through volatile: a fault
 * that made begin pick a working copy elsewhere, on the stack say, would
 * otherwise seal it there and leave the region as it was, answered). */
static int work_is_other_half(const struct rs_session_txn *t, const struct half *w)
{
    const volatile struct rs_session_txn *v = t;
    const uint8_t *a = v->region, *b = a + v->half, *p = (const void *)w;
    return (p == a || p == b) && p != v->committed && v->state == (const void *)w->state;
}

int rs_session_txn_commit(struct rs_session_txn *t, uint16_t id, uint32_t status,
                          const struct rs_msg *words, const void *reply, size_t reply_len)
{
    struct half *w = (void *)t->work;
    if (!work_is_other_half(t, w))
        return -2;
    if (reply_len > RS_SESSION_REPLY_MAX)
        return -1;
    w->rec.id = id;
    w->rec.reply_len = (uint16_t)reply_len;
    w->rec.status = status;
    for (int i = 0; i < RS_MSG_WORDS; i++)
        w->rec.w[i] = words ? words->w[i] : 0;
    if (reply_len)
        memcpy(w->rec.reply, reply, reply_len);
    w->h.seals = t->committed ? ((struct half *)t->committed)->h.seals : 0;
    if (rs_session_seal(w, t->half, t->version, (uint32_t)(sizeof w->rec + t->state_size))
        || !half_valid(t->work, t->half, t->version, t->state_size))
        return -2;                  /* not sealed (a fault in the server): the committed
                                       half still stands, and a retry runs again */
    /* The commit point was the checksum's write. The other half is then made
     * invalid but never all zeros (it carries the newest seal count), so that
     * only the newest commit is ever valid alone: a region whose newest half is
     * damaged is found corrupt, never silently rolled back one answer, nor to a
     * fresh session after its first (a crash before these lines leaves both
     * valid, the newer winning, or after a first commit the other half zeros:
     * that commit was never answered, and the session is rightly fresh). */
    struct half *other = (void *)(t->work == t->region ? t->region + t->half : t->region);
    if ((const void *)other == ((const volatile struct rs_session_txn *)t)->work)
        return -2;                  /* a fault: this would unmake the commit just made */
    other->h.magic = 0;
    other->h.seals = w->h.seals;
    t->committed = t->work;
    return 0;
}
