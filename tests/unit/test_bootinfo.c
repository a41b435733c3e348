/* Boot information: mb2_parse on built Multiboot2 buffers, mb1_parse through a fake
 * physical memory, and the bootinfo helpers (module names, command-line lookup). */
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "bootinfo.h"
#include "suites.h"

static void put32(uint8_t *p, uint32_t v)
{
    memcpy(p, &v, sizeof v);
}

static void put64(uint8_t *p, uint64_t v)
{
    memcpy(p, &v, sizeof v);
}

static struct boot_info bi;

/* ---- Multiboot2: an info structure built tag by tag in an aligned buffer ---- */

#define MB2_BUF 8192

static struct {
    _Alignas(8) uint8_t buf[MB2_BUF];
    uint32_t off;
} mb2;

static void mb2_setup(void)
{
    memset(&mb2, 0, sizeof mb2);
    memset(&bi, 0xA5, sizeof bi);
    mb2.off = 8;
}

/* Appends a tag header of `size` bytes (body zeroed) and returns the tag. */
static uint8_t *mb2_tag(uint32_t type, uint32_t size)
{
    ck_assert_uint_le(mb2.off + size, MB2_BUF);
    uint8_t *t = mb2.buf + mb2.off;
    put32(t, type);
    put32(t + 4, size);
    mb2.off += (size + 7) & ~7u;
    return t;
}

static uint8_t *mb2_string_tag(uint32_t type, const char *s)
{
    uint8_t *t = mb2_tag(type, 8 + (uint32_t)strlen(s) + 1);
    memcpy(t + 8, s, strlen(s) + 1);
    return t;
}

static uint8_t *mb2_module(uint32_t start, uint32_t end, const char *s)
{
    uint8_t *t = mb2_tag(3, 16 + (uint32_t)strlen(s) + 1);
    put32(t + 8, start);
    put32(t + 12, end);
    memcpy(t + 16, s, strlen(s) + 1);
    return t;
}

static uint8_t *mb2_mmap(const struct mem_region *r, unsigned n)
{
    uint8_t *t = mb2_tag(6, 16 + 24 * n);
    put32(t + 8, 24);
    put32(t + 12, 0);
    for (unsigned i = 0; i < n; i++) {
        uint8_t *e = t + 16 + 24 * i;
        put64(e, r[i].base);
        put64(e + 8, r[i].len);
        put32(e + 16, r[i].type);
    }
    return t;
}

/* Sets total_size to the bytes written so far (without adding an end tag). */
static void mb2_close(void)
{
    put32(mb2.buf, mb2.off);
}

static void mb2_end(void)
{
    mb2_tag(0, 8);
    mb2_close();
}

static err_t mb2_run(void)
{
    return mb2_parse(mb2.buf, 0x9000, &bi);
}

START_TEST(test_mb2_only_end_tag_parses_empty_info)
{
    mb2_end();
    ck_assert_int_eq(mb2_run(), E_OK);
    ck_assert_str_eq(bi.protocol, "multiboot2");
    ck_assert_uint_eq(bi.info_phys, 0x9000);
    ck_assert_uint_eq(bi.info_size, 16);
    ck_assert_str_eq(bi.cmdline, "");
    ck_assert_uint_eq(bi.nmodules, 0);
    ck_assert_uint_eq(bi.nregions, 0);
}
END_TEST

START_TEST(test_module_line_too_long_is_marked_cut)
{
    static char line[BOOT_STRING_MAX + 40];
    memset(line, 'a', sizeof line - 1);
    line[sizeof line - 1] = '\0';
    mb2_module(0x200000, 0x201000, line);
    line[BOOT_STRING_MAX - 1] = '\0';                  /* the longest that fits */
    mb2_module(0x300000, 0x301000, line);
    mb2_end();
    ck_assert_int_eq(mb2_run(), E_OK);
    ck_assert_int_eq(bi.modules[0].cut, 1);
    ck_assert_uint_eq(strlen(bi.modules[0].string), BOOT_STRING_MAX - 1);
    ck_assert_int_eq(bi.modules[1].cut, 0);
    ck_assert_str_eq(bi.modules[1].string, line);
}
END_TEST

START_TEST(test_mb2_cmdline_and_loader_name)
{
    mb2_string_tag(1, "ktest=mm quiet");
    mb2_string_tag(2, "GRUB 2.12");
    mb2_end();
    ck_assert_int_eq(mb2_run(), E_OK);
    ck_assert_str_eq(bi.cmdline, "ktest=mm quiet");
    ck_assert_str_eq(bi.loader_name, "GRUB 2.12");
}
END_TEST

START_TEST(test_mb2_modules_in_order)
{
    mb2_module(0x200000, 0x201000, "/boot/init.elf arg");
    mb2_module(0x300000, 0x300800, "second");
    mb2_end();
    ck_assert_int_eq(mb2_run(), E_OK);
    ck_assert_uint_eq(bi.nmodules, 2);
    ck_assert_uint_eq(bi.modules[0].start, 0x200000);
    ck_assert_uint_eq(bi.modules[0].end, 0x201000);
    ck_assert_str_eq(bi.modules[0].string, "/boot/init.elf arg");
    ck_assert_uint_eq(bi.modules[1].start, 0x300000);
    ck_assert_uint_eq(bi.modules[1].end, 0x300800);
    ck_assert_str_eq(bi.modules[1].string, "second");
}
END_TEST

START_TEST(test_mb2_mmap_entries)
{
    const struct mem_region r[] = {
        { 0, 0x9fc00, MEM_AVAILABLE },
        { 0x9fc00, 0x400, MEM_RESERVED },
        { 0x100000, 0x7ee0000, MEM_AVAILABLE },
        { 0xfffc0000, 0x40000, MEM_NVS },
    };
    mb2_mmap(r, 4);
    mb2_end();
    ck_assert_int_eq(mb2_run(), E_OK);
    ck_assert_uint_eq(bi.nregions, 4);
    for (unsigned i = 0; i < 4; i++) {
        ck_assert_uint_eq(bi.regions[i].base, r[i].base);
        ck_assert_uint_eq(bi.regions[i].len, r[i].len);
        ck_assert_uint_eq(bi.regions[i].type, r[i].type);
    }
}
END_TEST

START_TEST(test_mb2_unknown_tags_skipped)
{
    mb2_tag(21, 12);                /* load base address tag */
    mb2_string_tag(1, "after");
    mb2_end();
    ck_assert_int_eq(mb2_run(), E_OK);
    ck_assert_str_eq(bi.cmdline, "after");
}
END_TEST

START_TEST(test_mb2_total_size_below_16_is_trunc)
{
    mb2_end();
    put32(mb2.buf, 12);
    ck_assert_int_eq(mb2_run(), E_TRUNC);
    put32(mb2.buf, 0);
    ck_assert_int_eq(mb2_run(), E_TRUNC);
}
END_TEST

START_TEST(test_mb2_tag_size_below_8_is_format)
{
    mb2_tag(1, 8);
    put32(mb2.buf + 8 + 4, 4);
    mb2_end();
    ck_assert_int_eq(mb2_run(), E_FORMAT);
}
END_TEST

START_TEST(test_mb2_tag_past_total_size_is_trunc)
{
    uint8_t *t = mb2_string_tag(1, "abc");
    mb2_end();
    put32(t + 4, 64);               /* claims more bytes than the structure holds */
    ck_assert_int_eq(mb2_run(), E_TRUNC);
    mb2_setup();
    t = mb2.buf + mb2.off;
    mb2_end();
    put32(t + 4, 16);               /* an end tag running 8 bytes past total_size */
    ck_assert_int_eq(mb2_run(), E_TRUNC);
}
END_TEST

START_TEST(test_mb2_missing_end_tag_is_trunc)
{
    mb2_string_tag(1, "no end");
    mb2_close();
    ck_assert_int_eq(mb2_run(), E_TRUNC);
    ck_assert_str_eq(bi.cmdline, "no end");
    mb2_end();
    put32(mb2.buf, mb2.off - 8);    /* total_size stops just before the end tag */
    ck_assert_int_eq(mb2_run(), E_TRUNC);
}
END_TEST

START_TEST(test_mb2_mmap_bad_entry_size_is_format)
{
    const struct mem_region r[] = { { 0, 0x1000, MEM_AVAILABLE } };
    uint8_t *t = mb2_mmap(r, 1);
    put32(t + 8, 16);
    mb2_end();
    ck_assert_int_eq(mb2_run(), E_FORMAT);
    put32(t + 8, 28);               /* not a multiple of 8 either */
    ck_assert_int_eq(mb2_run(), E_FORMAT);
}
END_TEST

START_TEST(test_mb2_short_module_tag_is_format_and_keeps_earlier_tags)
{
    mb2_string_tag(1, "kept");
    mb2_module(0x1000, 0x2000, "m");
    mb2_tag(3, 12);
    mb2_end();
    ck_assert_int_eq(mb2_run(), E_FORMAT);
    ck_assert_str_eq(bi.cmdline, "kept");
    ck_assert_uint_eq(bi.nmodules, 1);
}
END_TEST

START_TEST(test_mb2_modules_beyond_max_are_dropped_and_counted)
{
    for (unsigned i = 0; i < BOOT_MAX_MODULES + 3; i++)
        mb2_module(0x100000 + i * 0x1000, 0x101000 + i * 0x1000, "mod");
    mb2_end();
    ck_assert_int_eq(mb2_run(), E_OK);
    ck_assert_uint_eq(bi.nmodules, BOOT_MAX_MODULES);
    ck_assert_uint_eq(bi.dropped_modules, 3);
    ck_assert_uint_eq(bi.modules[BOOT_MAX_MODULES - 1].start,
                      0x100000 + (BOOT_MAX_MODULES - 1) * 0x1000);
}
END_TEST

/* ---- Multiboot1: an info structure in a fake physical memory ---- */

#define PHYS_BASE   0x100000ull
#define PHYS_SIZE   0x4000u
#define INFO_AT     PHYS_BASE
#define CMDLINE_AT  (PHYS_BASE + 0x100)
#define LOADER_AT   (PHYS_BASE + 0x180)
#define MODS_AT     (PHYS_BASE + 0x200)
#define MODSTR_AT   (PHYS_BASE + 0x400)
#define MMAP_AT     (PHYS_BASE + 0x800)
#define UNMAPPED    0x5000ull

/* Byte offsets of struct multiboot_info fields. */
enum { MB1_FLAGS = 0, MB1_CMDLINE = 16, MB1_MODS_COUNT = 20, MB1_MODS_ADDR = 24,
       MB1_MMAP_LENGTH = 44, MB1_MMAP_ADDR = 48, MB1_LOADER = 64 };

static struct {
    _Alignas(8) uint8_t mem[PHYS_SIZE];
} phys;

static void mb1_setup(void)
{
    memset(&phys, 0, sizeof phys);
    memset(&bi, 0xA5, sizeof bi);
}

/* The phys_reader_t: a pointer into phys.mem, or NULL outside it. */
static const void *phys_read(void *ctx, uint64_t addr, uint64_t len)
{
    uint8_t *mem = ctx;
    if (addr < PHYS_BASE || addr - PHYS_BASE > PHYS_SIZE
        || len > PHYS_SIZE - (addr - PHYS_BASE))
        return NULL;
    return mem + (addr - PHYS_BASE);
}

static uint8_t *at(uint64_t addr)
{
    return phys.mem + (addr - PHYS_BASE);
}

static uint32_t info_get(unsigned field)
{
    uint32_t v;
    memcpy(&v, at(INFO_AT + field), sizeof v);
    return v;
}

static void info_set(unsigned field, uint32_t v)
{
    put32(at(INFO_AT + field), v);
}

static void info_flag(uint32_t flag)
{
    info_set(MB1_FLAGS, info_get(MB1_FLAGS) | flag);
}

static void mb1_cmdline(const char *s)
{
    memcpy(at(CMDLINE_AT), s, strlen(s) + 1);
    info_set(MB1_CMDLINE, (uint32_t)CMDLINE_AT);
    info_flag(1u << 2);
}

static void mb1_loader(const char *s)
{
    memcpy(at(LOADER_AT), s, strlen(s) + 1);
    info_set(MB1_LOADER, (uint32_t)LOADER_AT);
    info_flag(1u << 9);
}

/* Appends module i (string s at its own slot, or a NULL string pointer if s is NULL). */
static void mb1_module(uint32_t start, uint32_t end, const char *s)
{
    uint32_t i = info_get(MB1_MODS_COUNT);
    uint8_t *m = at(MODS_AT + 16 * i);
    uint64_t str = MODSTR_AT + 0x40 * i;
    put32(m, start);
    put32(m + 4, end);
    put32(m + 8, s ? (uint32_t)str : 0);
    if (s)
        memcpy(at(str), s, strlen(s) + 1);
    info_set(MB1_MODS_COUNT, i + 1);
    info_set(MB1_MODS_ADDR, (uint32_t)MODS_AT);
    info_flag(1u << 3);
}

/* Appends an mmap entry whose size field is `size` (20 for a plain entry). */
static void mb1_mmap_sized(uint64_t base, uint64_t len, uint32_t type, uint32_t size)
{
    uint32_t off = info_get(MB1_MMAP_LENGTH);
    uint8_t *e = at(MMAP_AT + off);
    put32(e, size);
    put64(e + 4, base);
    put64(e + 12, len);
    put32(e + 20, type);
    info_set(MB1_MMAP_LENGTH, off + 4 + size);
    info_set(MB1_MMAP_ADDR, (uint32_t)MMAP_AT);
    info_flag(1u << 6);
}

static void mb1_mmap(uint64_t base, uint64_t len, uint32_t type)
{
    mb1_mmap_sized(base, len, type, 20);
}

static err_t mb1_run(void)
{
    return mb1_parse(INFO_AT, phys_read, phys.mem, &bi);
}

START_TEST(test_mb1_cmdline_loader_name_and_protocol)
{
    mb1_cmdline("ktest=all");
    mb1_loader("qemu");
    mb1_mmap(0, 0x9fc00, MEM_AVAILABLE);
    ck_assert_int_eq(mb1_run(), E_OK);
    ck_assert_str_eq(bi.cmdline, "ktest=all");
    ck_assert_str_eq(bi.loader_name, "qemu");
    ck_assert_str_eq(bi.protocol, "multiboot1");
    ck_assert_uint_eq(bi.info_phys, INFO_AT);
    ck_assert_uint_ge(bi.info_size, 68);
}
END_TEST

START_TEST(test_mb1_fields_without_flag_are_ignored)
{
    mb1_cmdline("hidden");
    mb1_mmap(0, 0x1000, MEM_AVAILABLE);
    info_set(MB1_FLAGS, info_get(MB1_FLAGS) & ~(1u << 2));
    ck_assert_int_eq(mb1_run(), E_OK);
    ck_assert_str_eq(bi.cmdline, "");
}
END_TEST

START_TEST(test_mb1_modules)
{
    mb1_module(0x200000, 0x201000, "/boot/prog.elf x=1");
    mb1_module(0x300000, 0x300010, "two");
    mb1_module(0x400000, 0x400010, NULL);
    mb1_mmap(0, 0x9fc00, MEM_AVAILABLE);
    ck_assert_int_eq(mb1_run(), E_OK);
    ck_assert_uint_eq(bi.nmodules, 3);
    ck_assert_uint_eq(bi.modules[0].start, 0x200000);
    ck_assert_uint_eq(bi.modules[0].end, 0x201000);
    ck_assert_str_eq(bi.modules[0].string, "/boot/prog.elf x=1");
    ck_assert_uint_eq(bi.modules[1].start, 0x300000);
    ck_assert_str_eq(bi.modules[1].string, "two");
    ck_assert_str_eq(bi.modules[2].string, "");     /* no string pointer */
}
END_TEST

START_TEST(test_mb1_mmap_entries)
{
    mb1_mmap(0, 0x9fc00, MEM_AVAILABLE);
    mb1_mmap(0xf0000, 0x10000, MEM_RESERVED);
    mb1_mmap(0x100000, 0xfef0000, MEM_AVAILABLE);
    ck_assert_int_eq(mb1_run(), E_OK);
    ck_assert_uint_eq(bi.nregions, 3);
    ck_assert_uint_eq(bi.regions[1].base, 0xf0000);
    ck_assert_uint_eq(bi.regions[1].len, 0x10000);
    ck_assert_uint_eq(bi.regions[1].type, MEM_RESERVED);
    ck_assert_uint_eq(bi.regions[2].base, 0x100000);
    ck_assert_uint_eq(bi.regions[2].len, 0xfef0000);
}
END_TEST

START_TEST(test_mb1_mmap_larger_entries_are_stepped_by_size)
{
    mb1_mmap_sized(0x1000, 0x2000, MEM_AVAILABLE, 28);
    mb1_mmap(0x8000, 0x1000, MEM_NVS);
    ck_assert_int_eq(mb1_run(), E_OK);
    ck_assert_uint_eq(bi.nregions, 2);
    ck_assert_uint_eq(bi.regions[0].base, 0x1000);
    ck_assert_uint_eq(bi.regions[1].base, 0x8000);
    ck_assert_uint_eq(bi.regions[1].type, MEM_NVS);
}
END_TEST

START_TEST(test_mb1_missing_mmap_flag_is_noent)
{
    mb1_cmdline("still parsed");
    ck_assert_int_eq(mb1_run(), E_NOENT);
    ck_assert_str_eq(bi.cmdline, "still parsed");
}
END_TEST

START_TEST(test_mb1_unreadable_info_is_trunc)
{
    ck_assert_int_eq(mb1_parse(UNMAPPED, phys_read, phys.mem, &bi), E_TRUNC);
    ck_assert_int_eq(mb1_parse(PHYS_BASE + PHYS_SIZE - 8, phys_read, phys.mem, &bi),
                     E_TRUNC);
}
END_TEST

START_TEST(test_mb1_unreadable_cmdline_is_trunc)
{
    mb1_cmdline("x");
    mb1_mmap(0, 0x1000, MEM_AVAILABLE);
    info_set(MB1_CMDLINE, (uint32_t)UNMAPPED);
    ck_assert_int_eq(mb1_run(), E_TRUNC);
    uint64_t tail = PHYS_BASE + PHYS_SIZE - 3;
    memcpy(at(tail), "abc", 3);     /* no terminator before memory ends */
    info_set(MB1_CMDLINE, (uint32_t)tail);
    ck_assert_int_eq(mb1_run(), E_TRUNC);
}
END_TEST

START_TEST(test_mb1_unreadable_module_array_is_trunc)
{
    mb1_module(0x200000, 0x201000, "m");
    mb1_mmap(0, 0x1000, MEM_AVAILABLE);
    info_set(MB1_MODS_ADDR, (uint32_t)UNMAPPED);
    ck_assert_int_eq(mb1_run(), E_TRUNC);
    info_set(MB1_MODS_ADDR, (uint32_t)MODS_AT);
    info_set(MB1_MODS_COUNT, PHYS_SIZE / 16);  /* the array would run off the end */
    ck_assert_int_eq(mb1_run(), E_TRUNC);
}
END_TEST

START_TEST(test_mb1_unreadable_module_string_is_trunc)
{
    mb1_module(0x200000, 0x201000, "m");
    mb1_mmap(0, 0x1000, MEM_AVAILABLE);
    put32(at(MODS_AT + 8), (uint32_t)UNMAPPED);
    ck_assert_int_eq(mb1_run(), E_TRUNC);
}
END_TEST

START_TEST(test_mb1_unreadable_mmap_is_trunc)
{
    mb1_mmap(0, 0x1000, MEM_AVAILABLE);
    info_set(MB1_MMAP_ADDR, (uint32_t)UNMAPPED);
    ck_assert_int_eq(mb1_run(), E_TRUNC);
}
END_TEST

START_TEST(test_mb1_mmap_entry_size_below_20_is_format)
{
    mb1_mmap(0, 0x1000, MEM_AVAILABLE);
    put32(at(MMAP_AT), 16);
    ck_assert_int_eq(mb1_run(), E_FORMAT);
}
END_TEST

START_TEST(test_mb1_mmap_length_not_matching_entries_is_trunc)
{
    mb1_mmap(0, 0x1000, MEM_AVAILABLE);
    info_set(MB1_MMAP_LENGTH, 30);
    ck_assert_int_eq(mb1_run(), E_TRUNC);
}
END_TEST

/* ---- helpers: bootinfo_add_*, bootinfo_module_name, bootinfo_cmdline_get ---- */

static void module_name(const char *string, char *name, unsigned size)
{
    struct boot_module m = { 0 };
    strcpy(m.string, string);
    bootinfo_module_name(&m, name, size);
}

START_TEST(test_module_name_strips_directory_and_arguments)
{
    char name[32];
    module_name("/boot/modules/init.elf arg1 arg2", name, sizeof name);
    ck_assert_str_eq(name, "init.elf");
    module_name("shell", name, sizeof name);
    ck_assert_str_eq(name, "shell");
    module_name("prog path=/a/b", name, sizeof name);   /* '/' in an argument */
    ck_assert_str_eq(name, "prog");
}
END_TEST

START_TEST(test_module_name_truncated_to_size)
{
    char name[4] = { 'x', 'x', 'x', 'x' };
    module_name("/bin/longname", name, sizeof name);
    ck_assert_str_eq(name, "lon");
}
END_TEST

START_TEST(test_cmdline_get_key_value)
{
    char val[32];
    ck_assert_int_eq(bootinfo_cmdline_get("quiet ktest=pmm log=2", "ktest", val, sizeof val),
                     E_OK);
    ck_assert_str_eq(val, "pmm");
    ck_assert_int_eq(bootinfo_cmdline_get("quiet ktest=pmm log=2", "log", val, sizeof val),
                     E_OK);
    ck_assert_str_eq(val, "2");
    ck_assert_int_eq(bootinfo_cmdline_get("  a=1    b=22  ", "b", val, sizeof val), E_OK);
    ck_assert_str_eq(val, "22");
}
END_TEST

START_TEST(test_cmdline_get_bare_key_gives_empty_value)
{
    char val[8] = "junk";
    ck_assert_int_eq(bootinfo_cmdline_get("a=1 quiet b=2", "quiet", val, sizeof val), E_OK);
    ck_assert_str_eq(val, "");
    ck_assert_int_eq(bootinfo_cmdline_get("a=1 quiet", "quiet", val, sizeof val), E_OK);
    ck_assert_str_eq(val, "");
}
END_TEST

START_TEST(test_cmdline_get_absent_key_is_noent)
{
    char val[8];
    ck_assert_int_eq(bootinfo_cmdline_get("a=1 b=2", "c", val, sizeof val), E_NOENT);
    ck_assert_int_eq(bootinfo_cmdline_get("", "c", val, sizeof val), E_NOENT);
}
END_TEST

START_TEST(test_cmdline_get_matches_whole_keys_only)
{
    char val[8];
    ck_assert_int_eq(bootinfo_cmdline_get("ktestx=1", "ktest", val, sizeof val), E_NOENT);
    ck_assert_int_eq(bootinfo_cmdline_get("ktestx=1 ktest=2", "ktest", val, sizeof val),
                     E_OK);
    ck_assert_str_eq(val, "2");
    ck_assert_int_eq(bootinfo_cmdline_get("kt=1 kt", "ktest", val, sizeof val), E_NOENT);
    ck_assert_int_eq(bootinfo_cmdline_get("a=ktest xktest=1", "ktest", val, sizeof val),
                     E_NOENT);
}
END_TEST

START_TEST(test_cmdline_get_value_truncated_to_size)
{
    char val[4] = { 'x', 'x', 'x', 'x' };
    ck_assert_int_eq(bootinfo_cmdline_get("k=abcdef", "k", val, sizeof val), E_OK);
    ck_assert_str_eq(val, "abc");
}
END_TEST

START_TEST(test_add_region_beyond_max_counted_as_dropped)
{
    struct boot_info *b = &bi;
    memset(b, 0, sizeof *b);
    for (unsigned i = 0; i < BOOT_MAX_REGIONS + 5; i++)
        bootinfo_add_region(b, i, 1, MEM_AVAILABLE);
    ck_assert_uint_eq(b->nregions, BOOT_MAX_REGIONS);
    ck_assert_uint_eq(b->dropped_regions, 5);
    ck_assert_uint_eq(b->regions[BOOT_MAX_REGIONS - 1].base, BOOT_MAX_REGIONS - 1);
}
END_TEST

START_TEST(test_copy_string_stops_at_source_limit)
{
    char dst[16];
    bootinfo_copy_string(dst, sizeof dst, "abcdef", 3);
    ck_assert_str_eq(dst, "abc");
    bootinfo_copy_string(dst, 4, "abcdef", 100);
    ck_assert_str_eq(dst, "abc");
}
END_TEST

/* ---- Bugs found while writing these tests: they fail until the parser is fixed ---- */

static sigjmp_buf hang_jump;

static void on_alarm(int sig)
{
    (void)sig;
    siglongjmp(hang_jump, 1);
}

START_TEST(test_mb1_mmap_entry_size_wrapping_offset_terminates)
{
    /* off += e->size + 4 in a uint32_t wraps back to the same entry for size
     * 0xFFFFFFFC, so parse_mmap loops forever; it should fail with an error. */
    mb1_mmap(0, 0x1000, MEM_AVAILABLE);
    put32(at(MMAP_AT), 0xFFFFFFFCu);
    signal(SIGALRM, on_alarm);
    if (sigsetjmp(hang_jump, 1)) {
        signal(SIGALRM, SIG_DFL);
        ck_abort_msg("mb1_parse did not return within 2 s (endless mmap loop)");
    }
    alarm(2);
    err_t e = mb1_run();
    alarm(0);
    signal(SIGALRM, SIG_DFL);
    ck_assert_int_ne(e, E_OK);
}
END_TEST

/* ---- Found by the fuzzers (tests/fuzz/): they fail until the parser is fixed ---- */

START_TEST(test_mb2_total_size_over_the_limit_is_refused_unread)
{
    /* total_size 2^32 - 1 with a tag of 2^32 - 9 bytes at offset 8: the 32-bit offset
     * once wrapped to 0 (an endless walk), and reading such a structure walks off the
     * boot mapping. Now anything over MB2_INFO_MAX is refused before a tag is read:
     * only these 16 bytes exist (ASan reports a read past them). */
    uint8_t *info = malloc(16);
    put32(info, 0xFFFFFFFFu);       /* total_size */
    put32(info + 4, 8);
    put32(info + 8, 21);
    put32(info + 12, 0xFFFFFFF7u);
    memset(&bi, 0xA5, sizeof bi);
    ck_assert_int_eq(mb2_parse(info, 0x9000, &bi), E_FORMAT);
    ck_assert_uint_eq(bi.info_size, 0);
    ck_assert_uint_eq(bi.nmodules, 0);
    ck_assert_uint_eq(bi.nregions, 0);
    put32(info, MB2_INFO_MAX + 1);
    ck_assert_int_eq(mb2_parse(info, 0x9000, &bi), E_FORMAT);
    free(info);
}
END_TEST

START_TEST(test_mb1_misaligned_structures_are_read)
{
    /* The loader's pointers need not be aligned: mods_addr 0x10173 made UBSan stop on
     * a misaligned struct access. Module array and info structure at odd addresses. */
    mb1_module(0x200000, 0x201000, "/boot/a.elf");
    mb1_mmap(0, 0x1000, MEM_AVAILABLE);
    memmove(at(MODS_AT + 1), at(MODS_AT), 16);
    info_set(MB1_MODS_ADDR, (uint32_t)MODS_AT + 1);
    memmove(at(INFO_AT + 3), at(INFO_AT), 68);
    ck_assert_int_eq(mb1_parse(INFO_AT + 3, phys_read, phys.mem, &bi), E_OK);
    ck_assert_uint_eq(bi.nmodules, 1);
    ck_assert_uint_eq(bi.modules[0].start, 0x200000);
    ck_assert_uint_eq(bi.modules[0].end, 0x201000);
    ck_assert_str_eq(bi.modules[0].string, "/boot/a.elf");
    ck_assert_uint_eq(bi.nregions, 1);
}
END_TEST

START_TEST(test_cmdline_get_empty_key_does_not_match_trailing_spaces)
{
    /* After trailing spaces there is no word left, yet an empty key matched there. */
    char val[8] = "junk";
    ck_assert_int_eq(bootinfo_cmdline_get("a=1  ", "", val, sizeof val), E_NOENT);
    ck_assert_int_eq(bootinfo_cmdline_get(" ", "", val, sizeof val), E_NOENT);
    ck_assert_int_eq(bootinfo_cmdline_get("a=1 =x", "", val, sizeof val), E_OK);
    ck_assert_str_eq(val, "x");
}
END_TEST

START_TEST(test_cmdline_get_key_never_spans_two_words)
{
    /* The key matched across the space between two words ("$ " in "V   $  "). */
    char val[8] = "junk";
    ck_assert_int_eq(bootinfo_cmdline_get("V   $  ", "$ ", val, sizeof val), E_NOENT);
    ck_assert_int_eq(bootinfo_cmdline_get("a b=1", "a b", val, sizeof val), E_NOENT);
    ck_assert_int_eq(bootinfo_cmdline_get("a b=1", "b", val, sizeof val), E_OK);
    ck_assert_str_eq(val, "1");
}
END_TEST

START_TEST(test_zero_sized_buffers_are_not_written)
{
    /* With size 0 the terminator was still written, one byte past the buffer. */
    char buf[2] = { 'x', 'x' };
    ck_assert_int_eq(bootinfo_cmdline_get("k=v", "k", buf, 0), E_OK);
    ck_assert_int_eq(bootinfo_cmdline_get("k=v", "z", buf, 0), E_NOENT);
    ck_assert_int_eq(buf[0], 'x');
    module_name("/boot/prog", buf, 0);
    ck_assert_int_eq(buf[0], 'x');
    bootinfo_copy_string(buf, 0, "abc", 3);
    ck_assert_int_eq(buf[0], 'x');
}
END_TEST

Suite *bootinfo_suite(void)
{
    Suite *s = suite_create("bootinfo");
    TCase *tc = tcase_create("mb2");
    tcase_add_checked_fixture(tc, mb2_setup, NULL);
    tcase_add_test(tc, test_mb2_only_end_tag_parses_empty_info);
    tcase_add_test(tc, test_mb2_cmdline_and_loader_name);
    tcase_add_test(tc, test_mb2_modules_in_order);
    tcase_add_test(tc, test_module_line_too_long_is_marked_cut);
    tcase_add_test(tc, test_mb2_mmap_entries);
    tcase_add_test(tc, test_mb2_unknown_tags_skipped);
    tcase_add_test(tc, test_mb2_total_size_below_16_is_trunc);
    tcase_add_test(tc, test_mb2_tag_size_below_8_is_format);
    tcase_add_test(tc, test_mb2_tag_past_total_size_is_trunc);
    tcase_add_test(tc, test_mb2_missing_end_tag_is_trunc);
    tcase_add_test(tc, test_mb2_mmap_bad_entry_size_is_format);
    tcase_add_test(tc, test_mb2_short_module_tag_is_format_and_keeps_earlier_tags);
    tcase_add_test(tc, test_mb2_modules_beyond_max_are_dropped_and_counted);
    suite_add_tcase(s, tc);

    tc = tcase_create("mb1");
    tcase_add_checked_fixture(tc, mb1_setup, NULL);
    tcase_add_test(tc, test_mb1_cmdline_loader_name_and_protocol);
    tcase_add_test(tc, test_mb1_fields_without_flag_are_ignored);
    tcase_add_test(tc, test_mb1_modules);
    tcase_add_test(tc, test_mb1_mmap_entries);
    tcase_add_test(tc, test_mb1_mmap_larger_entries_are_stepped_by_size);
    tcase_add_test(tc, test_mb1_missing_mmap_flag_is_noent);
    tcase_add_test(tc, test_mb1_unreadable_info_is_trunc);
    tcase_add_test(tc, test_mb1_unreadable_cmdline_is_trunc);
    tcase_add_test(tc, test_mb1_unreadable_module_array_is_trunc);
    tcase_add_test(tc, test_mb1_unreadable_module_string_is_trunc);
    tcase_add_test(tc, test_mb1_unreadable_mmap_is_trunc);
    tcase_add_test(tc, test_mb1_mmap_entry_size_below_20_is_format);
    tcase_add_test(tc, test_mb1_mmap_length_not_matching_entries_is_trunc);
    suite_add_tcase(s, tc);

    tc = tcase_create("bootinfo_helpers");
    tcase_add_test(tc, test_module_name_strips_directory_and_arguments);
    tcase_add_test(tc, test_module_name_truncated_to_size);
    tcase_add_test(tc, test_cmdline_get_key_value);
    tcase_add_test(tc, test_cmdline_get_bare_key_gives_empty_value);
    tcase_add_test(tc, test_cmdline_get_absent_key_is_noent);
    tcase_add_test(tc, test_cmdline_get_matches_whole_keys_only);
    tcase_add_test(tc, test_cmdline_get_value_truncated_to_size);
    tcase_add_test(tc, test_add_region_beyond_max_counted_as_dropped);
    tcase_add_test(tc, test_copy_string_stops_at_source_limit);
    suite_add_tcase(s, tc);

    tc = tcase_create("bootinfo_regressions");
    tcase_add_checked_fixture(tc, mb1_setup, NULL);
    tcase_add_test(tc, test_mb1_mmap_entry_size_wrapping_offset_terminates);
    tcase_add_test(tc, test_mb2_total_size_over_the_limit_is_refused_unread);
    tcase_add_test(tc, test_mb1_misaligned_structures_are_read);
    tcase_add_test(tc, test_cmdline_get_empty_key_does_not_match_trailing_spaces);
    tcase_add_test(tc, test_cmdline_get_key_never_spans_two_words);
    tcase_add_test(tc, test_zero_sized_buffers_are_not_written);
    suite_add_tcase(s, tc);
    return s;
}
