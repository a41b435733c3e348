/* The part of the Multiboot harnesses' contract that is the same for both loaders
 * (fuzz_mb1.c, fuzz_mb2.c): bounded, NUL-terminated output equal to what the
 * reference walk of the input (`source`: "the tags", "the structure") found. */
#pragma once
#include "bootinfo.h"
#include "fuzz.h"

static void check_boot_info(err_t e, err_t we, const struct boot_info *bi,
                            const struct boot_info *want, const char *source)
{
    CHECK(bi->nmodules <= BOOT_MAX_MODULES, "%u modules", bi->nmodules);
    CHECK(bi->nregions <= BOOT_MAX_REGIONS, "%u regions", bi->nregions);
    CHECK(terminated(bi->cmdline, sizeof bi->cmdline), "cmdline not terminated");
    CHECK(terminated(bi->loader_name, sizeof bi->loader_name), "loader name not terminated");
    for (unsigned i = 0; i < bi->nmodules; i++)
        CHECK(terminated(bi->modules[i].string, sizeof bi->modules[i].string),
              "module %u string not terminated", i);
    CHECK(e == we, "returned %d, %s say %d", e, source, we);
    CHECK(strcmp(bi->cmdline, want->cmdline) == 0, "cmdline \"%s\", %s say \"%s\"",
          bi->cmdline, source, want->cmdline);
    CHECK(strcmp(bi->loader_name, want->loader_name) == 0, "loader name \"%s\" vs \"%s\"",
          bi->loader_name, want->loader_name);
    CHECK(bi->nmodules == want->nmodules && bi->dropped_modules == want->dropped_modules,
          "%u+%u modules, %s hold %u+%u", bi->nmodules, bi->dropped_modules, source,
          want->nmodules, want->dropped_modules);
    for (unsigned i = 0; i < bi->nmodules; i++) {
        const struct boot_module *m = &bi->modules[i], *w = &want->modules[i];
        CHECK(m->start == w->start && m->end == w->end && strcmp(m->string, w->string) == 0,
              "module %u differs from %s", i, source);
    }
    CHECK(bi->nregions == want->nregions && bi->dropped_regions == want->dropped_regions,
          "%u+%u regions, %s hold %u+%u", bi->nregions, bi->dropped_regions, source,
          want->nregions, want->dropped_regions);
    for (unsigned i = 0; i < bi->nregions; i++) {
        const struct mem_region *g = &bi->regions[i], *w = &want->regions[i];
        CHECK(g->base == w->base && g->len == w->len && g->type == w->type,
              "region %u differs from its entry", i);
    }
}
