/* Multiboot1 information parser, for QEMU's built-in loader (-kernel/-initrd), which
 * the fast system tests use. Physical pointers are followed through a reader that
 * refuses inaccessible ranges. */
#include "bootinfo.h"

enum {
    MB1_FLAG_CMDLINE = 1u << 2,
    MB1_FLAG_MODS = 1u << 3,
    MB1_FLAG_MMAP = 1u << 6,
    MB1_FLAG_LOADER = 1u << 9,
};

/* The loader's physical pointers need not be aligned (nothing in Multiboot1 says so),
 * so every structure read through them is packed: read at any address. */
struct mb1_info {
    uint32_t flags, mem_lower, mem_upper, boot_device, cmdline, mods_count, mods_addr;
    uint32_t syms[4];
    uint32_t mmap_length, mmap_addr;
    uint32_t drives_length, drives_addr, config_table, boot_loader_name;
} __attribute__((packed));

struct mb1_module {
    uint32_t start, end, string, reserved;
} __attribute__((packed));

struct mb1_mmap_entry {
    uint32_t size;          /* of the rest of the entry */
    uint64_t base;
    uint64_t len;
    uint32_t type;
} __attribute__((packed));

/* Copies a NUL-terminated string at physical `phys`; E_TRUNC if it is unreadable. */
static err_t read_string(phys_reader_t read, void *ctx, uint64_t phys, char *dst,
                         unsigned size)
{
    unsigned i = 0;
    for (; i + 1 < size; i++) {
        const char *c = read(ctx, phys + i, 1);
        if (!c)
            return E_TRUNC;
        if (!*c)
            break;
        dst[i] = *c;
    }
    dst[i] = '\0';
    return E_OK;
}

static err_t parse_modules(const struct mb1_info *mi, phys_reader_t read, void *ctx,
                           struct boot_info *out)
{
    uint64_t bytes = (uint64_t)mi->mods_count * sizeof(struct mb1_module);
    const struct mb1_module *m = read(ctx, mi->mods_addr, bytes);
    if (!m)
        return E_TRUNC;
    for (uint32_t i = 0; i < mi->mods_count; i++) {
        char s[BOOT_STRING_MAX + 1] = "";     /* one more: a cut one is told apart */
        if (m[i].string) {
            err_t e = read_string(read, ctx, m[i].string, s, sizeof s);
            if (e)
                return e;
        }
        bootinfo_add_module(out, m[i].start, m[i].end, s, sizeof s);
    }
    return E_OK;
}

static err_t parse_mmap(const struct mb1_info *mi, phys_reader_t read, void *ctx,
                        struct boot_info *out)
{
    const uint8_t *p = read(ctx, mi->mmap_addr, mi->mmap_length);
    if (!p)
        return E_TRUNC;
    uint64_t off = 0;
    while (off + sizeof(struct mb1_mmap_entry) <= mi->mmap_length) {
        const struct mb1_mmap_entry *e = (const void *)(p + off);
        if (e->size < sizeof *e - sizeof e->size)
            return E_FORMAT;
        bootinfo_add_region(out, e->base, e->len, e->type);
        off += (uint64_t)e->size + sizeof e->size;      /* 64-bit: cannot wrap */
    }
    return off == mi->mmap_length ? E_OK : E_TRUNC;
}

err_t mb1_parse(uint64_t info_phys, phys_reader_t read, void *ctx, struct boot_info *out)
{
    *out = (struct boot_info){ .protocol = "multiboot1", .info_phys = info_phys,
                               .info_size = sizeof(struct mb1_info) };
    const struct mb1_info *mi = read(ctx, info_phys, sizeof *mi);
    if (!mi)
        return E_TRUNC;
    err_t e = E_OK;
    if ((mi->flags & MB1_FLAG_CMDLINE) && mi->cmdline)
        e = read_string(read, ctx, mi->cmdline, out->cmdline, sizeof out->cmdline);
    if (!e && (mi->flags & MB1_FLAG_LOADER) && mi->boot_loader_name)
        e = read_string(read, ctx, mi->boot_loader_name, out->loader_name,
                        sizeof out->loader_name);
    if (!e && (mi->flags & MB1_FLAG_MODS))
        e = parse_modules(mi, read, ctx, out);
    if (!e && !(mi->flags & MB1_FLAG_MMAP))
        return E_NOENT;
    if (!e)
        e = parse_mmap(mi, read, ctx, out);
    return e;
}
