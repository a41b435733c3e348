/* Boot module validation (see modules.h). An ELF module is checked completely here,
 * so that loading later can trust it; a `.lua` module must be text. */
#include "console.h"
#include "kstring.h"
#include "mm.h"
#include "modules.h"

static struct module modules[BOOT_MAX_MODULES];
static unsigned nmodules;

/* Modules the system cannot start without. */
static const char *const required[] = { "init.lua" };

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && strcmp(s + n - k, suffix) == 0;
}

static int is_text(const uint8_t *p, uint64_t n)
{
    for (uint64_t i = 0; i < n; i++)
        if (p[i] == 0 || (p[i] < 0x20 && p[i] != '\n' && p[i] != '\r' && p[i] != '\t'))
            return 0;
    return 1;
}

static void classify(struct module *m)
{
    if (m->size == 0) {
        m->kind = MODULE_BAD;
        strlcpy(m->problem, "empty (0 bytes): missing file or truncated", sizeof m->problem);
    } else if (!m->data) {
        m->kind = MODULE_BAD;
        strlcpy(m->problem, "lies outside available RAM", sizeof m->problem);
    } else if (elf_is_elf(m->data, m->size)) {
        err_t e = elf_validate(m->data, m->size, 0x1000, USER_TOP, &m->elf, m->problem,
                               sizeof m->problem);
        m->kind = e ? MODULE_BAD : MODULE_ELF;
    } else if (ends_with(m->name, ".lua") && !is_text(m->data, m->size)) {
        m->kind = MODULE_BAD;
        strlcpy(m->problem, "a .lua module must be text, this one has binary bytes",
                sizeof m->problem);
    } else {
        m->kind = ends_with(m->name, ".lua") ? MODULE_TEXT : MODULE_DATA;
    }
}

static void describe(unsigned i, const struct module *m, const struct boot_module *bm)
{
    kprintf("  [%u] %-16s %8lu bytes at %#010lx  ", i, m->name, m->size, bm->start);
    switch (m->kind) {
    case MODULE_ELF:
        kprintf("ELF64 executable, entry %#lx, %u segments\n", m->elf.entry, m->elf.nsegments);
        break;
    case MODULE_TEXT: kprintf("text\n"); break;
    case MODULE_DATA: kprintf("data\n"); break;
    case MODULE_BAD: kprintf("REJECTED: %s\n", m->problem); break;
    }
    if (bm->cut)
        kprintf("  [%u] WARNING: its line is longer than %u bytes: it was cut there\n", i,
                BOOT_STRING_MAX - 1);
}

static void load_one(const struct boot_module *bm, struct module *m)
{
    bootinfo_module_name(bm, m->name, sizeof m->name);
    m->args = bm->string + strnlen(bm->string, sizeof bm->string);
    for (const char *s = bm->string; *s; s++) {
        if (*s == ' ') {
            m->args = s + 1;
            break;
        }
    }
    if (!m->name[0])
        strlcpy(m->name, "(unnamed)", sizeof m->name);
    m->size = bm->end > bm->start ? bm->end - bm->start : 0;
    m->data = mm_is_ram(bm->start, bm->end) ? phys_to_virt(bm->start) : 0;
    classify(m);
}

void modules_init(const struct boot_info *bi)
{
    kprintf("boot modules (%u):\n", bi->nmodules);
    for (unsigned i = 0; i < bi->nmodules; i++) {
        load_one(&bi->modules[i], &modules[i]);
        describe(i, &modules[i], &bi->modules[i]);
    }
    nmodules = bi->nmodules;
    if (bi->dropped_modules)
        kprintf("modules: error: %u modules beyond the limit of %d were ignored\n",
                bi->dropped_modules, BOOT_MAX_MODULES);
    for (unsigned r = 0; r < sizeof required / sizeof required[0]; r++)
        if (!module_find(required[r]))
            kprintf("modules: error: required module '%s' is missing or rejected "
                    "(add it to the boot configuration)\n", required[r]);
}

const struct module *module_find(const char *name)
{
    for (unsigned i = 0; i < nmodules; i++)
        if (modules[i].kind != MODULE_BAD && strcmp(modules[i].name, name) == 0)
            return &modules[i];
    return 0;
}

unsigned module_count(void) { return nmodules; }

const struct module *module_at(unsigned i) { return i < nmodules ? &modules[i] : 0; }
