/* elf_validate on a minimal ELF64 x86-64 executable built in memory, and one
 * rejection per malformation, each with a non-empty reason. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "elf.h"
#include "suites.h"

/* ELF64 layouts and constants from the System V ABI, written out here because
 * -Ikernel makes <elf.h> resolve to the kernel's own elf.h. */
typedef struct {
    uint8_t e_ident[16];
    uint16_t e_type, e_machine;
    uint32_t e_version;
    uint64_t e_entry, e_phoff, e_shoff;
    uint32_t e_flags;
    uint16_t e_ehsize, e_phentsize, e_phnum, e_shentsize, e_shnum, e_shstrndx;
} Elf64_Ehdr;

typedef struct {
    uint32_t p_type, p_flags;
    uint64_t p_offset, p_vaddr, p_paddr, p_filesz, p_memsz, p_align;
} Elf64_Phdr;

_Static_assert(sizeof(Elf64_Ehdr) == 64, "ELF64 header is 64 bytes");
_Static_assert(sizeof(Elf64_Phdr) == 56, "ELF64 program header is 56 bytes");

enum { EI_CLASS = 4, EI_DATA = 5, EI_VERSION = 6 };
enum { ELFCLASS32 = 1, ELFCLASS64 = 2, ELFDATA2LSB = 1, ELFDATA2MSB = 2, EV_CURRENT = 1 };
enum { ET_EXEC = 2, ET_DYN = 3, EM_X86_64 = 62, EM_AARCH64 = 183 };
enum { PT_LOAD = 1, PT_NOTE = 4, PT_GNU_STACK = 0x6474e551 };
enum { PF_X = 1, PF_W = 2, PF_R = 4 };

#define USER_MIN   0x400000ull
#define USER_MAX   0x800000000000ull
#define TEXT_VADDR 0x400000ull
#define DATA_VADDR 0x401000ull
#define ENTRY      (TEXT_VADDR + 0x80)
#define FILE_SIZE  0x1100u

static struct {
    _Alignas(8) uint8_t bytes[0x3000];
    uint64_t size;
} file;

static Elf64_Ehdr *eh;
static Elf64_Phdr *text, *data;
static struct elf_image img;
static char why[128];

/* A valid static executable: R+X text page at 0x400000 (file offset 0) and an RW
 * data segment at 0x401000 (file offset 0x1000, 0x100 bytes, 0x2000 in memory). */
static void setup(void)
{
    memset(&file, 0, sizeof file);
    file.size = FILE_SIZE;
    eh = (Elf64_Ehdr *)file.bytes;
    memcpy(eh->e_ident, "\x7f" "ELF", 4);
    eh->e_ident[EI_CLASS] = ELFCLASS64;
    eh->e_ident[EI_DATA] = ELFDATA2LSB;
    eh->e_ident[EI_VERSION] = EV_CURRENT;
    eh->e_type = ET_EXEC;
    eh->e_machine = EM_X86_64;
    eh->e_version = EV_CURRENT;
    eh->e_entry = ENTRY;
    eh->e_phoff = sizeof *eh;
    eh->e_ehsize = sizeof *eh;
    eh->e_phentsize = sizeof(Elf64_Phdr);
    eh->e_phnum = 2;
    text = (Elf64_Phdr *)(file.bytes + sizeof *eh);
    data = text + 1;
    *text = (Elf64_Phdr){ .p_type = PT_LOAD, .p_flags = PF_R | PF_X, .p_offset = 0,
                          .p_vaddr = TEXT_VADDR, .p_paddr = TEXT_VADDR,
                          .p_filesz = 0x1000, .p_memsz = 0x1000, .p_align = 0x1000 };
    *data = (Elf64_Phdr){ .p_type = PT_LOAD, .p_flags = PF_R | PF_W, .p_offset = 0x1000,
                          .p_vaddr = DATA_VADDR, .p_paddr = DATA_VADDR,
                          .p_filesz = 0x100, .p_memsz = 0x2000, .p_align = 0x1000 };
    memset(why, 0, sizeof why);
}

static err_t validate(void)
{
    return elf_validate(file.bytes, file.size, USER_MIN, USER_MAX, &img, why, sizeof why);
}

/* The image must be rejected with `want` and a non-empty reason. */
static void expect_reject(err_t want)
{
    ck_assert_int_eq(validate(), want);
    ck_assert_msg(why[0] != '\0', "no reason given for the rejection");
}

START_TEST(test_valid_executable_is_accepted)
{
    ck_assert_int_eq(validate(), E_OK);
    ck_assert_uint_eq(img.entry, ENTRY);
    ck_assert_uint_eq(img.nsegments, 2);
    ck_assert_uint_eq(img.segments[0].vaddr, TEXT_VADDR);
    ck_assert_uint_eq(img.segments[0].memsz, 0x1000);
    ck_assert_uint_eq(img.segments[0].offset, 0);
    ck_assert_uint_eq(img.segments[0].filesz, 0x1000);
    ck_assert_uint_eq(img.segments[0].flags, ELF_PF_R | ELF_PF_X);
    ck_assert_uint_eq(img.segments[1].vaddr, DATA_VADDR);
    ck_assert_uint_eq(img.segments[1].memsz, 0x2000);
    ck_assert_uint_eq(img.segments[1].offset, 0x1000);
    ck_assert_uint_eq(img.segments[1].filesz, 0x100);
    ck_assert_uint_eq(img.segments[1].flags, ELF_PF_R | ELF_PF_W);
}
END_TEST

START_TEST(test_is_elf_checks_magic_and_size)
{
    ck_assert(elf_is_elf(file.bytes, file.size));
    ck_assert(elf_is_elf(file.bytes, 4));
    ck_assert(!elf_is_elf(file.bytes, 3));
    file.bytes[1] = 'e';
    ck_assert(!elf_is_elf(file.bytes, file.size));
}
END_TEST

START_TEST(test_missing_magic_is_format)
{
    file.bytes[0] = 0;
    expect_reject(E_FORMAT);
}
END_TEST

START_TEST(test_smaller_than_header_is_trunc)
{
    file.size = sizeof(Elf64_Ehdr) - 1;
    expect_reject(E_TRUNC);
    /* Only the declared bytes exist: ASan catches a read of a header field past them. */
    const uint64_t sizes[] = { 4, 20 };
    for (unsigned i = 0; i < 2; i++) {
        uint8_t *copy = malloc(sizes[i]);
        memcpy(copy, file.bytes, sizes[i]);
        ck_assert_int_eq(elf_validate(copy, sizes[i], USER_MIN, USER_MAX, &img, why,
                                      sizeof why), E_TRUNC);
        free(copy);
    }
}
END_TEST

START_TEST(test_32_bit_class_is_format)
{
    eh->e_ident[EI_CLASS] = ELFCLASS32;
    expect_reject(E_FORMAT);
}
END_TEST

START_TEST(test_big_endian_is_format)
{
    eh->e_ident[EI_DATA] = ELFDATA2MSB;
    expect_reject(E_FORMAT);
}
END_TEST

START_TEST(test_shared_object_type_is_format)
{
    eh->e_type = ET_DYN;
    expect_reject(E_FORMAT);
}
END_TEST

START_TEST(test_wrong_machine_is_format)
{
    eh->e_machine = EM_AARCH64;
    expect_reject(E_FORMAT);
}
END_TEST

START_TEST(test_wrong_phentsize_or_no_phdrs_is_format)
{
    eh->e_phentsize = sizeof(Elf64_Phdr) - 8;
    expect_reject(E_FORMAT);
    eh->e_phentsize = sizeof(Elf64_Phdr);
    eh->e_phnum = 0;
    expect_reject(E_FORMAT);
}
END_TEST

START_TEST(test_phdr_table_beyond_file_is_trunc)
{
    eh->e_phoff = file.size - sizeof(Elf64_Phdr);   /* the second entry runs off */
    expect_reject(E_TRUNC);
    eh->e_phoff = file.size + 8;
    expect_reject(E_TRUNC);
    eh->e_phoff = UINT64_MAX - 8;                   /* offset + table size wraps */
    expect_reject(E_TRUNC);
}
END_TEST

START_TEST(test_segment_file_range_beyond_file_is_trunc)
{
    data->p_filesz = 0x200;          /* 0x1000 + 0x200 > 0x1100 */
    expect_reject(E_TRUNC);
    data->p_offset = UINT64_MAX - 0xfff;   /* offset + filesz wraps round to 0 */
    data->p_filesz = 0x1000;
    expect_reject(E_TRUNC);
}
END_TEST

START_TEST(test_filesz_above_memsz_is_format)
{
    data->p_memsz = 0x80;            /* filesz stays 0x100 */
    expect_reject(E_FORMAT);
}
END_TEST

START_TEST(test_segment_below_user_min_is_format)
{
    text->p_vaddr = USER_MIN - 0x1000;
    eh->e_entry = text->p_vaddr;
    expect_reject(E_FORMAT);
}
END_TEST

START_TEST(test_segment_past_user_max_is_format)
{
    data->p_vaddr = USER_MAX - 0x1000;     /* 0x2000 bytes of memory: ends past max */
    expect_reject(E_FORMAT);
    data->p_vaddr = 0xfffffffffffff000ull; /* vaddr + memsz wraps */
    ck_assert_int_eq(elf_validate(file.bytes, file.size, USER_MIN, UINT64_MAX, &img, why,
                                  sizeof why), E_FORMAT);
    data->p_vaddr = USER_MAX - 0x2000;     /* ending exactly at user_max is fine */
    ck_assert_int_eq(validate(), E_OK);
}
END_TEST

START_TEST(test_vaddr_and_offset_disagreeing_mod_4096_is_format)
{
    data->p_vaddr = DATA_VADDR + 0x10;
    expect_reject(E_FORMAT);
}
END_TEST

START_TEST(test_overlapping_segments_are_format)
{
    data->p_vaddr = TEXT_VADDR;          /* same page as text, offsets agree mod 4096 */
    expect_reject(E_FORMAT);
}
END_TEST

START_TEST(test_entry_not_in_executable_segment_is_format)
{
    eh->e_entry = DATA_VADDR + 0x10;
    expect_reject(E_FORMAT);
    eh->e_entry = DATA_VADDR + 0x3000;     /* past every segment */
    expect_reject(E_FORMAT);
    eh->e_entry = TEXT_VADDR - 1;
    expect_reject(E_FORMAT);
}
END_TEST

START_TEST(test_no_loadable_segment_is_format)
{
    text->p_type = PT_NOTE;
    data->p_type = PT_GNU_STACK;
    expect_reject(E_FORMAT);
}
END_TEST

START_TEST(test_non_load_and_empty_segments_are_ignored)
{
    data->p_type = PT_NOTE;
    data->p_offset = UINT64_MAX;         /* would be rejected if it were PT_LOAD */
    eh->e_phnum = 3;
    Elf64_Phdr *empty = text + 2;
    *empty = (Elf64_Phdr){ .p_type = PT_LOAD, .p_vaddr = 0x10, .p_memsz = 0 };
    ck_assert_int_eq(validate(), E_OK);
    ck_assert_uint_eq(img.nsegments, 1);
}
END_TEST

START_TEST(test_more_than_max_segments_is_format)
{
    eh->e_phnum = ELF_MAX_SEGMENTS + 1;
    for (unsigned i = 0; i < ELF_MAX_SEGMENTS + 1; i++)
        text[i] = (Elf64_Phdr){ .p_type = PT_LOAD, .p_flags = PF_R | PF_X,
                                .p_vaddr = TEXT_VADDR + i * 0x1000ull, .p_filesz = 0,
                                .p_memsz = 0x1000 };
    expect_reject(E_FORMAT);
}
END_TEST

START_TEST(test_reason_respects_buffer_size)
{
    char small[8];
    memset(small, 'x', sizeof small);
    eh->e_machine = EM_AARCH64;
    ck_assert_int_eq(elf_validate(file.bytes, file.size, USER_MIN, USER_MAX, &img, small,
                                  sizeof small), E_FORMAT);
    ck_assert_uint_eq(strlen(small), sizeof small - 1);
}
END_TEST

START_TEST(test_misaligned_program_headers_rejected)
{
    eh->e_phoff = sizeof *eh + 1;
    memmove(file.bytes + eh->e_phoff, file.bytes + sizeof *eh, 2 * sizeof(Elf64_Phdr));
    expect_reject(E_FORMAT);
}
END_TEST

/* ---- Found by the fuzzer (tests/fuzz/fuzz_elf.c); they fail until elf.c is fixed ---- */

START_TEST(test_phoff_that_would_overflow_the_pointer_is_trunc)
{
    /* data + phoff was computed before phoff was known to be inside the file: with
     * phoff near 2^64 the pointer wraps (undefined behaviour, clang's UBSan stops). */
    eh->e_phoff = 0xffffffffff000040ull;
    expect_reject(E_TRUNC);
}
END_TEST

START_TEST(test_writable_and_executable_segment_is_format)
{
    data->p_flags = PF_R | PF_W | PF_X;
    expect_reject(E_FORMAT);
    ck_assert_str_eq(why, "segment at 0x401000 is both writable and executable");
    data->p_flags = PF_R | PF_W;
    text->p_flags = PF_W | PF_X;
    expect_reject(E_FORMAT);
    ck_assert_str_eq(why, "segment at 0x400000 is both writable and executable");
}
END_TEST

START_TEST(test_segments_sharing_the_last_page_are_format)
{
    /* A segment ending in the last page of the address space rounded its end up to
     * 2^64, which wrapped to 0, so the overlap check never saw it. */
    const uint64_t last = 0xfffffffffffff000ull;
    *text = (Elf64_Phdr){ .p_type = PT_LOAD, .p_flags = PF_R | PF_X, .p_offset = 0,
                          .p_vaddr = last, .p_filesz = 0x800, .p_memsz = 0x800 };
    *data = (Elf64_Phdr){ .p_type = PT_LOAD, .p_flags = PF_R | PF_W, .p_offset = 0x800,
                          .p_vaddr = last + 0x800, .p_filesz = 0, .p_memsz = 0x7ff };
    eh->e_entry = last;
    ck_assert_int_eq(elf_validate(file.bytes, file.size, 0, UINT64_MAX, &img, why, sizeof why),
                     E_FORMAT);
    ck_assert_str_eq(why, "segment at 0xfffffffffffff800 overlaps another");
    /* And one reaching up into the last page from below, over the text segment. */
    *text = (Elf64_Phdr){ .p_type = PT_LOAD, .p_flags = PF_R | PF_X, .p_offset = 0,
                          .p_vaddr = TEXT_VADDR, .p_filesz = 0x1000, .p_memsz = 0x1000 };
    *data = (Elf64_Phdr){ .p_type = PT_LOAD, .p_flags = PF_R, .p_offset = 0,
                          .p_vaddr = 0, .p_filesz = 0, .p_memsz = 0xffffffffffffff00ull };
    eh->e_entry = ENTRY;
    ck_assert_int_eq(elf_validate(file.bytes, file.size, 0, UINT64_MAX, &img, why, sizeof why),
                     E_FORMAT);
    /* Apart, the last page is fine. */
    data->p_memsz = 0xfff;               /* ends at 2^64 - 1, the highest user_max allows */
    data->p_vaddr = last;
    ck_assert_int_eq(elf_validate(file.bytes, file.size, 0, UINT64_MAX, &img, why, sizeof why),
                     E_OK);
}
END_TEST

Suite *elf_suite(void)
{
    Suite *s = suite_create("elf");
    TCase *tc = tcase_create("elf");
    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_add_test(tc, test_misaligned_program_headers_rejected);
    tcase_add_test(tc, test_valid_executable_is_accepted);
    tcase_add_test(tc, test_is_elf_checks_magic_and_size);
    tcase_add_test(tc, test_missing_magic_is_format);
    tcase_add_test(tc, test_smaller_than_header_is_trunc);
    tcase_add_test(tc, test_32_bit_class_is_format);
    tcase_add_test(tc, test_big_endian_is_format);
    tcase_add_test(tc, test_shared_object_type_is_format);
    tcase_add_test(tc, test_wrong_machine_is_format);
    tcase_add_test(tc, test_wrong_phentsize_or_no_phdrs_is_format);
    tcase_add_test(tc, test_phdr_table_beyond_file_is_trunc);
    tcase_add_test(tc, test_segment_file_range_beyond_file_is_trunc);
    tcase_add_test(tc, test_filesz_above_memsz_is_format);
    tcase_add_test(tc, test_segment_below_user_min_is_format);
    tcase_add_test(tc, test_segment_past_user_max_is_format);
    tcase_add_test(tc, test_vaddr_and_offset_disagreeing_mod_4096_is_format);
    tcase_add_test(tc, test_overlapping_segments_are_format);
    tcase_add_test(tc, test_entry_not_in_executable_segment_is_format);
    tcase_add_test(tc, test_no_loadable_segment_is_format);
    tcase_add_test(tc, test_non_load_and_empty_segments_are_ignored);
    tcase_add_test(tc, test_more_than_max_segments_is_format);
    tcase_add_test(tc, test_reason_respects_buffer_size);
    tcase_add_test(tc, test_phoff_that_would_overflow_the_pointer_is_trunc);
    tcase_add_test(tc, test_writable_and_executable_segment_is_format);
    tcase_add_test(tc, test_segments_sharing_the_last_page_are_format);
    suite_add_tcase(s, tc);
    return s;
}
