/* Multiboot2 information parser (GRUB's boot protocol): command line, loader name,
 * modules and the memory map. Every tag is bounds-checked against total_size. */
#include "bootinfo.h"

enum {
    MB2_TAG_END = 0,
    MB2_TAG_CMDLINE = 1,
    MB2_TAG_LOADER = 2,
    MB2_TAG_MODULE = 3,
    MB2_TAG_MMAP = 6,
};

struct mb2_tag {
    uint32_t type;
    uint32_t size;
};

struct mb2_module_tag {
    struct mb2_tag tag;
    uint32_t mod_start;
    uint32_t mod_end;
    char string[];
};

struct mb2_mmap_tag {
    struct mb2_tag tag;
    uint32_t entry_size;
    uint32_t entry_version;
};

struct mb2_mmap_entry {
    uint64_t base;
    uint64_t len;
    uint32_t type;
    uint32_t reserved;
};

static err_t parse_mmap(const struct mb2_tag *t, struct boot_info *out)
{
    const struct mb2_mmap_tag *m = (const void *)t;
    if (t->size < sizeof *m || m->entry_size < sizeof(struct mb2_mmap_entry)
        || m->entry_size % 8)
        return E_FORMAT;
    /* Offsets, not pointers: p + entry_size could point far beyond the tag. */
    uint64_t off = sizeof *m;
    for (; off + m->entry_size <= t->size; off += m->entry_size) {
        const struct mb2_mmap_entry *e = (const void *)((const uint8_t *)t + off);
        bootinfo_add_region(out, e->base, e->len, e->type);
    }
    return off == t->size ? E_OK : E_TRUNC;
}

static err_t parse_tag(const struct mb2_tag *t, struct boot_info *out)
{
    const char *body = (const char *)(t + 1);
    uint64_t body_len = t->size - sizeof *t;
    switch (t->type) {
    case MB2_TAG_CMDLINE:
        bootinfo_copy_string(out->cmdline, sizeof out->cmdline, body, body_len);
        return E_OK;
    case MB2_TAG_LOADER:
        bootinfo_copy_string(out->loader_name, sizeof out->loader_name, body, body_len);
        return E_OK;
    case MB2_TAG_MODULE: {
        const struct mb2_module_tag *m = (const void *)t;
        if (t->size < sizeof *m)
            return E_FORMAT;
        bootinfo_add_module(out, m->mod_start, m->mod_end, m->string,
                            t->size - sizeof *m);
        return E_OK;
    }
    case MB2_TAG_MMAP:
        return parse_mmap(t, out);
    default:
        return E_OK;        /* tags we do not need are skipped */
    }
}

err_t mb2_parse(const void *info, uint64_t info_phys, struct boot_info *out)
{
    const uint8_t *base = info;
    uint32_t total = *(const uint32_t *)base;
    *out = (struct boot_info){ .protocol = "multiboot2", .info_phys = info_phys,
                               .info_size = total };
    if (total > MB2_INFO_MAX) {
        out->info_size = 0;         /* not a structure we will read, nor keep */
        return E_FORMAT;
    }
    if (total < 16)
        return E_TRUNC;
    /* 64-bit offset: rounding a tag of nearly 4 GiB up to 8 bytes must not wrap back
     * to the start (an endless loop); every step advances by at least 8 bytes. */
    for (uint64_t off = 8; off + sizeof(struct mb2_tag) <= total;) {
        const struct mb2_tag *t = (const void *)(base + off);
        if (t->size < sizeof *t)
            return E_FORMAT;
        if (t->size > total - off)
            return E_TRUNC;
        if (t->type == MB2_TAG_END)
            return E_OK;
        err_t e = parse_tag(t, out);
        if (e)
            return e;
        off += ((uint64_t)t->size + 7) & ~7ull;
    }
    return E_TRUNC;         /* ran out of bytes before the end tag */
}
