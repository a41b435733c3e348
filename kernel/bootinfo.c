/* Loader-neutral helpers for struct boot_info. */
#include "bootinfo.h"

void bootinfo_copy_string(char *dst, unsigned dst_size, const char *src, uint64_t src_max)
{
    if (dst_size == 0)
        return;                     /* no room even for the terminator */
    unsigned i = 0;
    for (; i + 1 < dst_size && i < src_max && src[i]; i++)
        dst[i] = src[i];
    dst[i] = '\0';
}

void bootinfo_add_module(struct boot_info *bi, uint64_t start, uint64_t end,
                         const char *string, uint64_t string_max)
{
    if (bi->nmodules == BOOT_MAX_MODULES) {
        bi->dropped_modules++;
        return;
    }
    struct boot_module *m = &bi->modules[bi->nmodules++];
    m->start = start;
    m->end = end;
    bootinfo_copy_string(m->string, sizeof m->string, string ? string : "", string ? string_max : 0);
    uint64_t n = 0;
    while (string && n < string_max && string[n])
        n++;
    m->cut = n >= sizeof m->string;
}

void bootinfo_add_region(struct boot_info *bi, uint64_t base, uint64_t len, uint32_t type)
{
    if (bi->nregions == BOOT_MAX_REGIONS) {
        bi->dropped_regions++;
        return;
    }
    bi->regions[bi->nregions++] = (struct mem_region){ base, len, type };
}

void bootinfo_module_name(const struct boot_module *m, char *name, unsigned size)
{
    if (size == 0)
        return;                     /* no room even for the terminator */
    const char *s = m->string, *word = s;
    while (*s && *s != ' ') {
        if (*s == '/')
            word = s + 1;
        s++;
    }
    unsigned n = 0;
    for (; word + n < s && n + 1 < size; n++)
        name[n] = word[n];
    name[n] = '\0';
}

err_t bootinfo_cmdline_get(const char *cmdline, const char *key, char *val, unsigned size)
{
    const char *p = cmdline;
    while (*p) {
        while (*p == ' ')
            p++;
        if (!*p)
            break;                  /* trailing spaces: no word left, not an empty one */
        const char *k = key;
        while (*k && *k != ' ' && *p == *k)     /* a key never spans two words */
            p++, k++;
        if (!*k && (*p == '=' || *p == ' ' || !*p)) {
            if (*p == '=')
                p++;
            if (size == 0)
                return E_OK;        /* found, but no room even for the terminator */
            unsigned n = 0;
            for (; p[n] && p[n] != ' ' && n + 1 < size; n++)
                val[n] = p[n];
            val[n] = '\0';
            return E_OK;
        }
        while (*p && *p != ' ')
            p++;
    }
    return E_NOENT;
}
