/* What the boot loader told us, in a loader-neutral form. Filled by mb2_parse() or
 * mb1_parse(); read by memory set-up and module loading. Pure. */
#pragma once
#include <stdint.h>
#include "err.h"

#define BOOT_MAX_MODULES 32
#define BOOT_MAX_REGIONS 64
#define BOOT_STRING_MAX  1024     /* a module line: name and arguments (root: RS) */
#define BOOT_CMDLINE_MAX 256

/* Memory-map region types, numbered as in Multiboot. */
enum mem_type {
    MEM_AVAILABLE = 1,
    MEM_RESERVED = 2,
    MEM_ACPI_RECLAIMABLE = 3,
    MEM_NVS = 4,
    MEM_BAD = 5,
};

struct mem_region {
    uint64_t base;
    uint64_t len;
    uint32_t type;
};

struct boot_module {
    uint64_t start;                 /* physical, inclusive */
    uint64_t end;                   /* physical, exclusive */
    char string[BOOT_STRING_MAX];   /* the loader's string: "name arg arg..." */
    int cut;                        /* the loader's string was longer: cut to fit */
};

struct boot_info {
    const char *protocol;           /* "multiboot2" or "multiboot1" */
    char cmdline[BOOT_CMDLINE_MAX];
    char loader_name[64];
    struct boot_module modules[BOOT_MAX_MODULES];
    unsigned nmodules;
    unsigned dropped_modules;       /* modules beyond BOOT_MAX_MODULES */
    struct mem_region regions[BOOT_MAX_REGIONS];
    unsigned nregions;
    unsigned dropped_regions;       /* regions beyond BOOT_MAX_REGIONS */
    uint64_t info_phys;             /* the loader's structure, to keep reserved */
    uint64_t info_size;
};

#define MB2_BOOT_MAGIC 0x36D76289u
#define MB1_BOOT_MAGIC 0x2BADB002u

/* The largest Multiboot2 information structure accepted. GRUB's, with a full memory
 * map, modules, framebuffer and ACPI tables, is a few KiB; a larger total_size is a
 * corrupt header, and reading it would walk off the boot mapping. */
#define MB2_INFO_MAX (1u << 20)

/* Parses a Multiboot2 information structure at `info` (readable for its declared
 * total size, which is at most MB2_INFO_MAX). E_TRUNC if a tag runs past the end or
 * the end tag is missing, E_FORMAT for a malformed tag or a total_size over
 * MB2_INFO_MAX (then nothing but the size field is read, and info_size is 0). On
 * error *out holds what was parsed before it. */
err_t mb2_parse(const void *info, uint64_t info_phys, struct boot_info *out);

/* Maps a physical range for reading; returns NULL when it is not accessible. */
typedef const void *(*phys_reader_t)(void *ctx, uint64_t phys, uint64_t len);

/* Parses a Multiboot1 information structure at physical `info_phys`, following its
 * physical pointers through `read`. Same error contract as mb2_parse(). */
err_t mb1_parse(uint64_t info_phys, phys_reader_t read, void *ctx, struct boot_info *out);

/* Appends a module or region, counting (not failing on) overflow. */
void bootinfo_add_module(struct boot_info *bi, uint64_t start, uint64_t end,
                         const char *string, uint64_t string_max);
void bootinfo_add_region(struct boot_info *bi, uint64_t base, uint64_t len, uint32_t type);

/* Copies at most src_max bytes of src, stopping at NUL; always terminates dst. */
void bootinfo_copy_string(char *dst, unsigned dst_size, const char *src, uint64_t src_max);

/* The module's name: the first word of its string, without any directory. Writes
 * at most `size` bytes including the terminator. */
void bootinfo_module_name(const struct boot_module *m, char *name, unsigned size);

/* The value of `key=value` in the kernel command line, copied into val; E_NOENT
 * when the key is absent. A bare `key` yields an empty value. */
err_t bootinfo_cmdline_get(const char *cmdline, const char *key, char *val, unsigned size);
