/* libFuzzer harness for memmap_sanitize (kernel/memmap.c). Input: one byte giving the
 * number of output slots, then 20-byte entries (base, len: 64-bit; type: 32-bit).
 * Contract checked (kernel/memmap.h): the result is E_OK, or E_RANGE exactly when
 * there are more than BOOT_MAX_REGIONS entries or the output needs more slots than
 * given (then nothing is written past them: ASan); with enough slots the output is
 * the same whatever their number. The output is sorted by base, disjoint, has no
 * empty region and none running past 2^64; adjacent regions of one type are merged;
 * it covers exactly the bytes the entries cover (an entry running past 2^64 is
 * clipped at 2^64 - 1); every output byte is covered by an entry of the output type
 * and by none of a more restrictive type, so in particular every available byte was
 * available in the input and is covered by no entry of another type ("reserved
 * wins"). The report counts empty and wrapped entries, the places where two or more
 * entries overlap, the holes between covered stretches, and the available bytes. */
#include <stddef.h>
#include <stdint.h>
#include "memmap.h"
#include "fuzz.h"

#define ENTRY_SIZE 20
#define MAX_IN (BOOT_MAX_REGIONS + 4)
#define BIG_OUT (2 * BOOT_MAX_REGIONS)

typedef unsigned __int128 u128;

struct ival {
    uint64_t a, b;      /* [a, b), a < b */
};

/* The documented order of restrictiveness; unknown types count as reserved. */
static int rank(uint32_t type)
{
    switch (type) {
    case MEM_AVAILABLE: return 0;
    case MEM_ACPI_RECLAIMABLE: return 1;
    case MEM_NVS: return 2;
    case MEM_BAD: return 4;
    default: return 3;
    }
}

/* An entry's bytes, clipped at 2^64 - 1; 0 when that leaves none. */
static int clip(const struct mem_region *r, struct ival *iv)
{
    uint64_t end = r->base + r->len < r->base ? UINT64_MAX : r->base + r->len;
    *iv = (struct ival){ r->base, end };
    return r->len && r->base < end;
}

static int by_start(const void *x, const void *y)
{
    const struct ival *p = x, *q = y;
    return p->a < q->a ? -1 : p->a > q->a;
}

/* Merges overlapping or touching intervals in place; returns how many remain. */
static unsigned merge(struct ival *v, unsigned n)
{
    if (!n)
        return 0;
    qsort(v, n, sizeof *v, by_start);
    unsigned k = 0;
    for (unsigned i = 1; i < n; i++) {
        if (v[i].a <= v[k].b) {
            if (v[i].b > v[k].b)
                v[k].b = v[i].b;
        } else {
            v[++k] = v[i];
        }
    }
    return k + 1;
}

static u128 measure(const struct ival *v, unsigned n)
{
    u128 m = 0;
    for (unsigned i = 0; i < n; i++)
        m += v[i].b - v[i].a;
    return m;
}

static void check_output(const struct mem_region *in, unsigned n, const struct mem_region *out,
                         unsigned nout, const struct memmap_report *rep)
{
    static struct ival cov[MAX_IN], two[MAX_IN * MAX_IN / 2], part[MAX_IN];
    unsigned ncov = 0, ntwo = 0, empty = 0, wrapped = 0;
    for (unsigned i = 0; i < n; i++) {
        empty += in[i].len == 0;
        wrapped += in[i].len && in[i].base + in[i].len < in[i].base;
        struct ival a, b;
        if (!clip(&in[i], &a))
            continue;
        cov[ncov++] = a;
        for (unsigned j = 0; j < i; j++)
            if (clip(&in[j], &b) && a.a < b.b && b.a < a.b)
                two[ntwo++] = (struct ival){ a.a > b.a ? a.a : b.a, a.b < b.b ? a.b : b.b };
    }
    u128 usable = 0, total = 0;
    for (unsigned i = 0; i < nout; i++) {
        const struct mem_region *r = &out[i];
        u128 end = (u128)r->base + r->len;
        CHECK(r->len > 0, "output %u is empty", i);
        CHECK(end <= UINT64_MAX, "output %u (%#lx+%#lx) runs past 2^64 - 1", i, r->base, r->len);
        if (i) {
            const struct mem_region *p = &out[i - 1];
            CHECK(p->base + p->len <= r->base, "outputs %u and %u unsorted or overlapping",
                  i - 1, i);
            CHECK(p->base + p->len < r->base || p->type != r->type,
                  "outputs %u and %u of type %u touch but were not merged", i - 1, i, r->type);
        }
        /* Covered by entries of its own type, and by nothing more restrictive. */
        unsigned np = 0;
        for (unsigned j = 0; j < n; j++) {
            struct ival a;
            if (!clip(&in[j], &a) || a.b <= r->base || a.a >= end)
                continue;
            CHECK(rank(in[j].type) <= rank(r->type),
                  "output %u (type %u) overlaps input %u of more restrictive type %u", i,
                  r->type, j, in[j].type);
            CHECK(r->type != MEM_AVAILABLE || in[j].type == MEM_AVAILABLE,
                  "available output %u overlaps input %u of type %u", i, j, in[j].type);
            if (in[j].type == r->type)
                part[np++] = (struct ival){ a.a > r->base ? a.a : r->base,
                                            (u128)a.b < end ? a.b : (uint64_t)end };
        }
        np = merge(part, np);
        CHECK(np == 1 && part[0].a == r->base && part[0].b == end,
              "output %u (%#lx+%#lx, type %u) is not all covered by entries of its type", i,
              r->base, r->len, r->type);
        total += r->len;
        if (r->type == MEM_AVAILABLE)
            usable += r->len;
    }
    ncov = merge(cov, ncov);
    ntwo = merge(two, ntwo);
    CHECK(total == measure(cov, ncov), "output covers other bytes than the input");
    CHECK(rep->usable == usable, "usable %lu, available output %lu", rep->usable,
          (uint64_t)usable);
    CHECK(rep->empty == empty, "empty %u, expected %u", rep->empty, empty);
    CHECK(rep->wrapped == wrapped, "wrapped %u, expected %u", rep->wrapped, wrapped);
    CHECK(rep->holes == (ncov ? ncov - 1 : 0), "holes %u, expected %u", rep->holes,
          ncov ? ncov - 1 : 0);
    CHECK(rep->overlaps == ntwo, "overlaps %u, expected %u", rep->overlaps, ntwo);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    unsigned max_out = data[0] % (BIG_OUT + 1), n = (unsigned)((size - 1) / ENTRY_SIZE);
    if (n > MAX_IN)
        n = MAX_IN;
    struct mem_region *in = malloc((n ? n : 1) * sizeof *in);
    for (unsigned i = 0; i < n; i++) {
        const uint8_t *e = data + 1 + i * ENTRY_SIZE;
        in[i] = (struct mem_region){ ld64(e), ld64(e + 8), ld32(e + 16) };
    }
    struct mem_region *out = buf_alloc(max_out * sizeof *out);
    struct mem_region big[BIG_OUT];
    struct memmap_report rep, big_rep;
    unsigned nout = 12345, nbig = 12345;
    err_t e = memmap_sanitize(in, n, out, max_out, &nout, &rep);
    err_t eb = memmap_sanitize(in, n, big, BIG_OUT, &nbig, &big_rep);
    CHECK(e == E_OK || e == E_RANGE, "unexpected error %d", e);
    if (n > BOOT_MAX_REGIONS) {
        CHECK(e == E_RANGE && eb == E_RANGE, "%u entries accepted", n);
    } else {
        CHECK(eb == E_OK, "%u entries refused (%d) with %u slots", n, eb, BIG_OUT);
        CHECK(nbig <= 2 * n, "%u outputs from %u entries", nbig, n);
        check_output(in, n, big, nbig, &big_rep);
        CHECK((e == E_RANGE) == (nbig > max_out), "%d with %u slots for %u regions", e,
              max_out, nbig);
        if (!e) {
            CHECK(nout == nbig && memcmp(&rep, &big_rep, sizeof rep) == 0,
                  "the number of slots changed the result");
            for (unsigned i = 0; i < nout; i++)
                CHECK(out[i].base == big[i].base && out[i].len == big[i].len
                      && out[i].type == big[i].type, "the number of slots changed output %u", i);
        }
    }
    buf_free(out);
    free(in);
    return 0;
}
