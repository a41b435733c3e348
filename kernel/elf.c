/* ELF64 validation (see elf.h): every offset, size and address is range-checked
 * before anything trusts it. */
#include <stdarg.h>
#include "elf.h"
#include "format.h"

struct elf64_ehdr {
    uint8_t ident[16];
    uint16_t type, machine;
    uint32_t version;
    uint64_t entry, phoff, shoff;
    uint32_t flags;
    uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};

struct elf64_phdr {
    uint32_t type, flags;
    uint64_t offset, vaddr, paddr, filesz, memsz, align;
};

#define PT_LOAD 1
#define ET_EXEC 2
#define EM_X86_64 62

/* Writes the reason for a rejection and returns its error code. */
__attribute__((format(printf, 4, 5)))
static err_t fail(err_t e, char *why, unsigned n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fmt_vsnprintf(why, n, fmt, ap);
    va_end(ap);
    return e;
}

int elf_is_elf(const void *data, uint64_t size)
{
    const uint8_t *b = data;
    return size >= 4 && b[0] == 0x7F && b[1] == 'E' && b[2] == 'L' && b[3] == 'F';
}

static err_t check_header(const struct elf64_ehdr *h, uint64_t size, char *why, unsigned n)
{
    if (h->ident[4] != 2 || h->ident[5] != 1)
        return fail(E_FORMAT, why, n, "not a little-endian 64-bit ELF");
    if (h->type != ET_EXEC)
        return fail(E_FORMAT, why, n, "ELF type %u is not a static executable", h->type);
    if (h->machine != EM_X86_64)
        return fail(E_FORMAT, why, n, "ELF machine %u is not x86-64", h->machine);
    if (h->phnum == 0 || h->phentsize != sizeof(struct elf64_phdr))
        return fail(E_FORMAT, why, n, "bad program header table (%u entries of %u bytes)",
                            h->phnum, h->phentsize);
    uint64_t end = h->phoff + (uint64_t)h->phnum * sizeof(struct elf64_phdr);
    if (h->phoff > size || end > size || end < h->phoff)
        return fail(E_TRUNC, why, n, "truncated: program headers end at byte %lu of %lu",
                    end, size);
    if (h->phoff % 8)
        return fail(E_FORMAT, why, n, "program header table at misaligned offset %lu", h->phoff);
    return E_OK;
}

static err_t check_segment(const struct elf64_phdr *p, uint64_t size, uint64_t lo,
                           uint64_t hi, char *why, unsigned n)
{
    uint64_t fend = p->offset + p->filesz, vend = p->vaddr + p->memsz;
    if (fend < p->offset || fend > size)
        return fail(E_TRUNC, why, n, "truncated: segment at %#lx needs bytes up to %lu of %lu",
                            p->vaddr, fend, size);
    if (p->filesz > p->memsz)
        return fail(E_FORMAT, why, n, "segment at %#lx: file size exceeds memory size",
                            p->vaddr);
    if (vend < p->vaddr || p->vaddr < lo || vend > hi)
        return fail(E_FORMAT, why, n, "segment %#lx-%#lx outside user space", p->vaddr, vend);
    if (p->vaddr % 4096 != p->offset % 4096)
        return fail(E_FORMAT, why, n, "segment at %#lx: address and offset disagree mod 4096",
                            p->vaddr);
    if ((p->flags & ELF_PF_W) && (p->flags & ELF_PF_X))     /* W^X for user programs */
        return fail(E_FORMAT, why, n, "segment at %#lx is both writable and executable",
                    p->vaddr);
    return E_OK;
}

/* Whether pages first..last (page numbers, inclusive) hold part of a segment already
 * in img. Page numbers, not rounded-up end addresses: a segment that ends in the last
 * page of the address space would round up to 2^64, which wraps to 0. */
static int overlaps(const struct elf_image *img, uint64_t first, uint64_t last)
{
    for (unsigned i = 0; i < img->nsegments; i++) {
        const struct elf_segment *s = &img->segments[i];
        if (first <= (s->vaddr + s->memsz - 1) / 4096 && s->vaddr / 4096 <= last)
            return 1;
    }
    return 0;
}

static err_t add_segment(struct elf_image *img, const struct elf64_phdr *p, char *why,
                         unsigned n)
{
    if (img->nsegments == ELF_MAX_SEGMENTS)
        return fail(E_FORMAT, why, n, "more than %d loadable segments", ELF_MAX_SEGMENTS);
    if (overlaps(img, p->vaddr / 4096, (p->vaddr + p->memsz - 1) / 4096))
        return fail(E_FORMAT, why, n, "segment at %#lx overlaps another", p->vaddr);
    img->segments[img->nsegments++] = (struct elf_segment){
        p->vaddr, p->memsz, p->offset, p->filesz, p->flags & 7 };
    return E_OK;
}

static int entry_ok(const struct elf_image *img)
{
    for (unsigned i = 0; i < img->nsegments; i++) {
        const struct elf_segment *s = &img->segments[i];
        if ((s->flags & ELF_PF_X) && img->entry >= s->vaddr && img->entry < s->vaddr + s->memsz)
            return 1;
    }
    return 0;
}

err_t elf_validate(const void *data, uint64_t size, uint64_t user_min, uint64_t user_max,
                   struct elf_image *img, char *why, unsigned why_size)
{
    const struct elf64_ehdr *h = data;
    *img = (struct elf_image){ 0 };
    if (!elf_is_elf(data, size))
        return fail(E_FORMAT, why, why_size, "no ELF magic");
    if (size < sizeof *h)
        return fail(E_TRUNC, why, why_size, "truncated: %lu bytes, ELF header needs %zu",
                            size, sizeof *h);
    err_t e = check_header(h, size, why, why_size);
    if (e)
        return e;
    /* Only now is phoff known to lie inside the file (data + phoff cannot overflow). */
    const struct elf64_phdr *ph = (const void *)((const uint8_t *)data + h->phoff);
    for (unsigned i = 0; !e && i < h->phnum; i++) {
        if (ph[i].type != PT_LOAD || ph[i].memsz == 0)
            continue;
        e = check_segment(&ph[i], size, user_min, user_max, why, why_size);
        if (!e)
            e = add_segment(img, &ph[i], why, why_size);
    }
    if (e)
        return e;
    if (img->nsegments == 0)
        return fail(E_FORMAT, why, why_size, "no loadable segment");
    img->entry = h->entry;
    if (!entry_ok(img))
        return fail(E_FORMAT, why, why_size, "entry point %#lx is not in an executable segment",
                            h->entry);
    return E_OK;
}
