/* libFuzzer harness for elf_validate (kernel/elf.c); the input is the ELF file.
 * Contract checked (kernel/elf.h): the result is E_OK, E_TRUNC or E_FORMAT; after an
 * error the reason is non-empty and NUL-terminated inside why[why_size] (ASan sees
 * any byte written past it). After success: 1 <= nsegments <= ELF_MAX_SEGMENTS; every
 * segment lies in [user_min, user_max), has memsz > 0 and filesz <= memsz, its file
 * bytes lie inside the input, vaddr and offset agree mod 4096, it is not both writable
 * and executable, and no two segments share a page; the entry point lies in an
 * executable segment; and the segments are exactly the non-empty PT_LOAD entries of
 * the program header table, in order, with the header's entry point. Each input is
 * validated with the kernel's bounds and with the widest ones, [0, 2^64 - 1): what
 * the narrow bounds accept the wide ones must accept too, as the same image. */
#include <stddef.h>
#include <stdint.h>
#include "elf.h"
#include "fuzz.h"

#define KERNEL_USER_MIN 0x1000ull                /* kernel/modules.c */
#define KERNEL_USER_MAX 0x00007FFFFFFFF000ull    /* USER_TOP */
#define PHDR_SIZE 56
#define PT_LOAD 1

typedef unsigned __int128 u128;

static void check_error(err_t e, const char *why, unsigned why_size)
{
    CHECK(e == E_TRUNC || e == E_FORMAT, "unexpected error %d", e);
    CHECK(terminated(why, why_size), "reason not NUL-terminated in %u bytes", why_size);
    CHECK(why_size < 2 || why[0] != '\0', "empty reason for error %d", e);
}

static void check_image(const uint8_t *data, size_t size, uint64_t lo, uint64_t hi,
                        const struct elf_image *img)
{
    CHECK(img->nsegments >= 1 && img->nsegments <= ELF_MAX_SEGMENTS, "%u segments",
          img->nsegments);
    int entry_ok = 0;
    for (unsigned i = 0; i < img->nsegments; i++) {
        const struct elf_segment *s = &img->segments[i];
        u128 vend = (u128)s->vaddr + s->memsz, fend = (u128)s->offset + s->filesz;
        CHECK(s->memsz > 0, "segment %u is empty", i);
        CHECK(s->vaddr >= lo && vend <= hi, "segment %u (%#lx+%#lx) outside [%#lx, %#lx)", i,
              s->vaddr, s->memsz, lo, hi);
        CHECK(s->filesz <= s->memsz, "segment %u: filesz %#lx > memsz %#lx", i, s->filesz,
              s->memsz);
        CHECK(fend <= size, "segment %u: file bytes %#lx+%#lx past the %zu-byte input", i,
              s->offset, s->filesz, size);
        CHECK(s->vaddr % 4096 == s->offset % 4096, "segment %u: vaddr/offset mod 4096", i);
        CHECK((s->flags & ~7u) == 0, "segment %u: flags %#x", i, s->flags);
        CHECK((s->flags & (ELF_PF_W | ELF_PF_X)) != (ELF_PF_W | ELF_PF_X),
              "segment %u at %#lx is writable and executable", i, s->vaddr);
        for (unsigned j = 0; j < i; j++) {
            const struct elf_segment *t = &img->segments[j];
            u128 a0 = s->vaddr / 4096, a1 = (vend + 4095) / 4096;
            u128 b0 = t->vaddr / 4096, b1 = ((u128)t->vaddr + t->memsz + 4095) / 4096;
            CHECK(a1 <= b0 || b1 <= a0, "segments %u (%#lx+%#lx) and %u (%#lx+%#lx) share a page",
                  j, t->vaddr, t->memsz, i, s->vaddr, s->memsz);
        }
        if ((s->flags & ELF_PF_X) && img->entry >= s->vaddr && img->entry < vend)
            entry_ok = 1;
    }
    CHECK(entry_ok, "entry %#lx not in an executable segment", img->entry);

    /* The image is what the file says: the header's entry, the non-empty PT_LOADs. */
    CHECK(size >= 64, "accepted a %zu-byte file", size);
    uint64_t phoff = ld64(data + 32);
    unsigned phnum = data[56] | data[57] << 8;
    CHECK(img->entry == ld64(data + 24), "entry %#lx is not the header's", img->entry);
    CHECK(phoff <= size && (u128)phnum * PHDR_SIZE <= size - phoff,
          "program headers at %#lx (%u) past the %zu-byte input", phoff, phnum, size);
    unsigned k = 0;
    for (unsigned i = 0; i < phnum; i++) {
        const uint8_t *p = data + phoff + (uint64_t)i * PHDR_SIZE;
        if (ld32(p) != PT_LOAD || ld64(p + 40) == 0)
            continue;
        CHECK(k < img->nsegments, "program header %u is missing from the image", i);
        const struct elf_segment *s = &img->segments[k++];
        CHECK(s->vaddr == ld64(p + 16) && s->memsz == ld64(p + 40) && s->offset == ld64(p + 8)
              && s->filesz == ld64(p + 32) && s->flags == (ld32(p + 4) & 7),
              "segment %u differs from program header %u", k - 1, i);
    }
    CHECK(k == img->nsegments, "%u segments from %u loadable program headers",
          img->nsegments, k);
}

/* Validates with a reason buffer of exactly why_size bytes; returns the result. */
static err_t run(const uint8_t *data, size_t size, uint64_t lo, uint64_t hi,
                 struct elf_image *img, unsigned why_size)
{
    char *why = buf_alloc(why_size);
    memset(img, 0xA5, sizeof *img);
    err_t e = elf_validate(data, size, lo, hi, img, why, why_size);
    if (e)
        check_error(e, why, why_size);
    else
        check_image(data, size, lo, hi, img);
    buf_free(why);
    return e;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct elf_image narrow, wide;
    unsigned why_size = size ? 1 + data[size - 1] % 160 : 128;
    err_t en = run(data, size, KERNEL_USER_MIN, KERNEL_USER_MAX, &narrow, 128);
    err_t ew = run(data, size, 0, UINT64_MAX, &wide, why_size);
    if (!en) {
        CHECK(!ew, "accepted with the kernel's bounds, refused (%d) with wider ones", ew);
        CHECK(narrow.entry == wide.entry && narrow.nsegments == wide.nsegments,
              "the bounds changed the image");
        for (unsigned i = 0; i < narrow.nsegments; i++) {
            const struct elf_segment *a = &narrow.segments[i], *b = &wide.segments[i];
            CHECK(a->vaddr == b->vaddr && a->memsz == b->memsz && a->offset == b->offset
                  && a->filesz == b->filesz && a->flags == b->flags,
                  "the bounds changed segment %u", i);
        }
    }
    return 0;
}
