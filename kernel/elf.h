/* ELF64 executable validation and segment description, for boot modules that hold
 * user programs. Pure: checks only bytes in memory, so it runs in host tests. */
#pragma once
#include <stdint.h>
#include "err.h"

#define ELF_MAX_SEGMENTS 8

struct elf_segment {
    uint64_t vaddr, memsz;      /* where it goes and how big it is in memory */
    uint64_t offset, filesz;    /* where its bytes are in the file */
    uint32_t flags;             /* ELF_PF_* */
};

#define ELF_PF_X 1
#define ELF_PF_W 2
#define ELF_PF_R 4

struct elf_image {
    uint64_t entry;
    unsigned nsegments;
    struct elf_segment segments[ELF_MAX_SEGMENTS];
};

/* Whether data starts with the ELF magic (the module claims to be an ELF file). */
int elf_is_elf(const void *data, uint64_t size);

/* Validates a static x86-64 ELF64 executable of `size` bytes whose loadable
 * segments must lie in [user_min, user_max). On success fills *img. On failure
 * returns E_TRUNC (the file ends before a header or segment it declares) or
 * E_FORMAT (anything else malformed), and writes a reason into why[why_size]. */
err_t elf_validate(const void *data, uint64_t size, uint64_t user_min, uint64_t user_max,
                   struct elf_image *img, char *why, unsigned why_size);
