/* Boot modules: listing, validation and look-up by name. */
#pragma once
#include "bootinfo.h"
#include "elf.h"

enum module_kind { MODULE_BAD, MODULE_ELF, MODULE_TEXT, MODULE_DATA };

struct module {
    char name[64];
    const char *args;           /* the rest of the loader string, may be "" */
    const void *data;           /* through the direct map */
    uint64_t size;
    enum module_kind kind;
    struct elf_image elf;       /* when kind == MODULE_ELF */
    char problem[128];          /* when kind == MODULE_BAD */
};

/* Validates and lists every module on the console; checks the required ones are
 * there. A bad or missing module gets one clear line and is skipped. */
void modules_init(const struct boot_info *bi);

/* The module with this name that passed validation, or NULL. */
const struct module *module_find(const char *name);
unsigned module_count(void);
const struct module *module_at(unsigned i);
