/* Mutators (see mutate.h). */
#include <string.h>
#include "mutate.h"

static const char *const names[FI_TYPES] = {
    "text-flip", "nop", "src", "dst", "pointer", "branch", "loop",
    "stack-flip", "heap-flip", "data-flip", "reg-flip", "crash", "hang", "wild-write",
    "bogus-ipc", "exhaust",
};

const char *fi_type_name(enum fi_type t) { return (unsigned)t < FI_TYPES ? names[t] : "?"; }

int fi_type_parse(const char *name)
{
    for (int t = 0; t < FI_TYPES; t++)
        if (!strcmp(name, names[t]))
            return t;
    return -1;
}

int fi_type_is_code(enum fi_type t) { return t <= FI_LOOP; }

int fi_type_is_remote(enum fi_type t) { return t == FI_BOGUS_IPC || t == FI_EXHAUST; }

uint64_t fi_random(uint64_t *state)
{
    uint64_t z = (*state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

int fi_site_fits(const struct fi_site *s, enum fi_type t)
{
    switch (t) {
    case FI_TEXT_FLIP:
    case FI_NOP: return 1;
    case FI_SRC: return (s->flags & FI_SITE_MODRM) && s->src != '-';
    case FI_DST: return (s->flags & FI_SITE_MODRM) && s->dst != '-';
    case FI_POINTER: return (s->flags & (FI_SITE_MEM | FI_SITE_MODRM)) == (FI_SITE_MEM | FI_SITE_MODRM);
    case FI_BRANCH: return (s->flags & FI_SITE_JCC) != 0;
    case FI_LOOP: return (s->flags & (FI_SITE_JCC | FI_SITE_BACKWARD)) == (FI_SITE_JCC | FI_SITE_BACKWARD);
    default: return 0;
    }
}

const struct fi_site *fi_pick_site(const struct fi_table *tab, enum fi_type t, uint64_t *rng)
{
    size_t fits = 0;
    for (size_t i = 0; i < tab->count; i++)
        fits += (size_t)fi_site_fits(&tab->sites[i], t);
    if (!fits)
        return 0;
    size_t n = (size_t)(fi_random(rng) % fits);
    for (size_t i = 0; i < tab->count; i++)
        if (fi_site_fits(&tab->sites[i], t) && n-- == 0)
            return &tab->sites[i];
    return 0;
}

/* The offset of a conditional branch's condition byte (0x7X, or 0x8X after 0x0F),
 * past any prefixes; -1 if the bytes are no such branch. */
static int condition_byte(const uint8_t *b, unsigned len)
{
    unsigned i = 0;
    while (i < len && (b[i] == 0x2E || b[i] == 0x3E || b[i] == 0xF2))
        i++;                        /* branch hints and BND */
    if (i < len && b[i] >= 0x70 && b[i] <= 0x7F)
        return (int)i;
    if (i + 1 < len && b[i] == 0x0F && b[i + 1] >= 0x80 && b[i + 1] <= 0x8F)
        return (int)i + 1;
    return -1;
}

/* A loop condition's off-by-one sibling: below <-> below-or-equal, above-or-equal
 * <-> above, less <-> less-or-equal, greater-or-equal <-> greater; the others
 * (equal, sign, overflow, parity) are inverted. */
static const uint8_t off_by_one[16] = { 1, 0, 6, 7, 5, 4, 2, 3, 9, 8, 11, 10, 14, 15, 12, 13 };

/* Whether an r/m field of rm under mod names memory through a SIB byte (100) or
 * RIP (mod 00, 101): changing into or out of those would change the length. */
static int rm_special(unsigned mod, unsigned rm)
{
    return mod != 3 && (rm == 4 || (mod == 0 && rm == 5));
}

/* Flips one bit of the ModRM field ('r' reg, 'm' r/m), keeping the instruction's
 * length: a memory r/m never turns into or out of a SIB or RIP-relative form.
 * 0, or -1 when no bit can be flipped so. */
static int flip_field(uint8_t *modrm, char field, uint64_t *rng)
{
    unsigned start = (unsigned)(fi_random(rng) % 3), mod = *modrm >> 6, rm = *modrm & 7;
    if (field == 'r') {
        *modrm ^= (uint8_t)(1u << (3 + start));
        return 0;
    }
    for (unsigned k = 0; k < 3; k++) {
        unsigned bit = (start + k) % 3;
        if (!rm_special(mod, rm) && !rm_special(mod, rm ^ (1u << bit))) {
            *modrm ^= (uint8_t)(1u << bit);
            return 0;
        }
    }
    return -1;
}

int fi_mutate_code(enum fi_type t, const struct fi_site *s, uint8_t *bytes, uint64_t *rng)
{
    int c;
    switch (t) {
    case FI_TEXT_FLIP:
        bytes[fi_random(rng) % s->len] ^= (uint8_t)(1u << (fi_random(rng) % 8));
        return 0;
    case FI_NOP:
        memset(bytes, 0x90, s->len);
        return 0;
    case FI_SRC:
    case FI_DST:
        if (!fi_site_fits(s, t))
            return -1;
        return flip_field(&bytes[s->modrm], t == FI_SRC ? s->src : s->dst, rng);
    case FI_POINTER:
        if (!fi_site_fits(s, t))
            return -1;
        if (!s->disp_len)
            return flip_field(&bytes[s->modrm], 'm', rng);  /* the base register */
        bytes[s->disp + fi_random(rng) % s->disp_len] ^= (uint8_t)(1u << (fi_random(rng) % 8));
        return 0;
    case FI_BRANCH:
    case FI_LOOP:
        if (!fi_site_fits(s, t) || (c = condition_byte(bytes, s->len)) < 0)
            return -1;
        bytes[c] = (uint8_t)((bytes[c] & 0xF0) | (t == FI_BRANCH ? (bytes[c] & 0x0F) ^ 1
                                                                 : off_by_one[bytes[c] & 0x0F]));
        return 0;
    default:
        return -1;
    }
}

void fi_pick_data(enum fi_type t, const struct fi_table *tab, uint64_t rsp, uint64_t *rng,
                  uint64_t *addr, unsigned *bit)
{
    uint64_t r = fi_random(rng);
    *bit = (unsigned)(fi_random(rng) % 8);
    if (t == FI_WILD_WRITE)         /* the stack or the data: always mapped */
        t = r % 2 ? FI_STACK_FLIP : FI_DATA_FLIP;
    r = fi_random(rng);
    if (t == FI_STACK_FLIP) {
        *addr = rsp + r % FI_STACK_SPAN;
    } else if (t == FI_DATA_FLIP && tab->ndata) {
        unsigned k = (unsigned)(r % tab->ndata);
        *addr = tab->data[k][0] + (fi_random(rng) % (tab->data[k][1] ? tab->data[k][1] : 1));
    } else {
        *addr = FI_HEAP_BASE + r % FI_HEAP_SPAN;
    }
}
