/* Unit tests for the fault injector's pure parts: the site table of the real
 * console driver (build/uart.sites, from faultinject/host/sites.c) against an
 * independent disassembler (binutils' objdump: every site is on one of its
 * instruction boundaries), and every mutator checked by Capstone decoding the
 * mutated instruction (a destination fault changes operand 0 only, an inverted
 * branch keeps its target, ...); table parse errors name the line. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <capstone/capstone.h>
#include "suites.h"
#include "elf.h"
#include "mutate.h"
#include "remote.h"
#include <resurgo/calls.h>
#include <resurgo/errors.h>
#include <resurgo/objects.h>
#include "site_table.h"

#define ELF_PATH "build/uart.elf"
#define SITES_PATH "build/uart.sites"

static char *sites_text;
static struct fi_table tab;
static unsigned char *elf;
static size_t elf_len;
static struct elf_image image;
static csh cs;

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    ck_assert_msg(f != 0, "%s is missing: build it first (make user)", path);
    fseek(f, 0, SEEK_END);
    *len = (size_t)ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc(*len + 1);
    ck_assert_uint_eq(fread(buf, 1, *len, f), *len);
    fclose(f);
    buf[*len] = 0;
    return buf;
}

/* The instruction bytes at virtual address a, from the ELF's executable segment
 * (as the kernel's own loader reads it). */
static const uint8_t *code_at(uint64_t a)
{
    for (unsigned i = 0; i < image.nsegments; i++) {
        const struct elf_segment *g = &image.segments[i];
        if ((g->flags & ELF_PF_X) && a >= g->vaddr && a < g->vaddr + g->filesz)
            return elf + g->offset + (a - g->vaddr);
    }
    return 0;
}

static void setup(void)
{
    size_t len;
    char why[96];
    sites_text = slurp(SITES_PATH, &len);
    ck_assert_ptr_null(fi_table_parse(sites_text, len, &tab, why, sizeof why));
    elf = (unsigned char *)slurp(ELF_PATH, &elf_len);
    ck_assert_int_eq(elf_validate(elf, elf_len, 0x400000, 1ull << 47, &image, why, sizeof why), 0);
    ck_assert_int_eq(cs_open(CS_ARCH_X86, CS_MODE_64, &cs), CS_ERR_OK);
    cs_option(cs, CS_OPT_DETAIL, CS_OPT_ON);
}

static void teardown(void)
{
    cs_close(&cs);
    fi_table_free(&tab);
    free(sites_text);
    free(elf);
}

START_TEST(table_header_and_size)
{
    ck_assert_str_eq(tab.binary, "uart.elf");
    ck_assert_uint_eq(strlen(tab.build_id), 40);            /* a SHA-1 build id */
    ck_assert_uint_ge(tab.ndata, 1);
    ck_assert_uint_gt(tab.count, 5000);
}
END_TEST

START_TEST(every_site_is_an_objdump_instruction)
{
    FILE *p = popen("objdump -d --no-show-raw-insn " ELF_PATH, "r");
    ck_assert_ptr_nonnull(p);
    char line[512];
    size_t i = 0, matched = 0, objdump = 0;
    while (fgets(line, sizeof line, p)) {
        unsigned long a;
        if (sscanf(line, " %lx:\t", &a) != 1 || !strchr(line, '\t') || strstr(line, "(bad)"))
            continue;
        objdump++;
        while (i < tab.count && tab.sites[i].addr < a)
            i++;
        matched += i < tab.count && tab.sites[i].addr == a;
    }
    pclose(p);
    ck_assert_uint_eq(matched, tab.count);     /* no site between objdump's boundaries */
    ck_assert_uint_eq(objdump, tab.count);
}
END_TEST

START_TEST(operand_fields_are_where_capstone_decodes_them)
{
    cs_insn *in = cs_malloc(cs);
    for (size_t i = 0; i < tab.count; i++) {
        const struct fi_site *s = &tab.sites[i];
        const uint8_t *code = code_at(s->addr);
        size_t left = s->len;
        uint64_t a = s->addr;
        ck_assert_ptr_nonnull(code);
        ck_assert(cs_disasm_iter(cs, &code, &left, &a, in));
        ck_assert_uint_eq(in->size, s->len);
        ck_assert_uint_eq(in->detail->x86.encoding.modrm_offset, s->modrm);
        ck_assert_uint_eq(in->detail->x86.encoding.disp_offset, s->disp);
        ck_assert_uint_eq(in->detail->x86.encoding.imm_offset, s->imm);
    }
    cs_free(in, 1);
}
END_TEST

/* Decodes bytes as at s; returns the instruction (free with cs_free) or NULL. */
static cs_insn *decode(const struct fi_site *s, const uint8_t *bytes)
{
    cs_insn *in = 0;
    return cs_disasm(cs, bytes, s->len, s->addr, 1, &in) == 1 ? in : 0;
}

static int same_operand(const cs_x86_op *a, const cs_x86_op *b)
{
    if (a->type != b->type)
        return 0;
    if (a->type == X86_OP_REG)
        return a->reg == b->reg;
    if (a->type == X86_OP_MEM)
        return !memcmp(&a->mem, &b->mem, sizeof a->mem);
    return a->imm == b->imm;
}

/* Mutates every site that fits t with seed-driven choices; check() judges each. */
static void each_mutation(enum fi_type t, int (*check)(const cs_insn *, const cs_insn *))
{
    uint64_t rng = 7;
    size_t tried = 0, good = 0;
    for (size_t i = 0; i < tab.count; i++) {
        const struct fi_site *s = &tab.sites[i];
        if (!fi_site_fits(s, t))
            continue;
        uint8_t bytes[16];
        memcpy(bytes, code_at(s->addr), s->len);
        cs_insn *before = decode(s, bytes);
        if (fi_mutate_code(t, s, bytes, &rng)) {
            ck_assert_int_eq(memcmp(bytes, code_at(s->addr), s->len), 0);  /* untouched */
            cs_free(before, 1);
            continue;
        }
        cs_insn *after = decode(s, bytes);
        tried++;
        good += after && after->size == s->len && check(before, after);
        if (after && !(after->size == s->len && check(before, after)) && tried - good <= 3)
            fprintf(stderr, "%s at %lx: %s %s -> %s %s\n", fi_type_name(t),
                    (unsigned long)s->addr, before->mnemonic, before->op_str, after->mnemonic,
                    after->op_str);
        cs_free(before, 1);
        if (after)
            cs_free(after, 1);
    }
    ck_assert_uint_gt(tried, 20);
    ck_assert_msg(good == tried, "%s: %zu of %zu mutations as intended", fi_type_name(t), good,
                  tried);
}

static int dst_only(const cs_insn *b, const cs_insn *a)
{
    const cs_x86 *x = &b->detail->x86, *y = &a->detail->x86;
    return a->id == b->id && !same_operand(&x->operands[0], &y->operands[0])
           && (x->op_count < 2 || same_operand(&x->operands[1], &y->operands[1]));
}

static int src_only(const cs_insn *b, const cs_insn *a)
{
    const cs_x86 *x = &b->detail->x86, *y = &a->detail->x86;
    return a->id == b->id && same_operand(&x->operands[0], &y->operands[0])
           && !same_operand(&x->operands[1], &y->operands[1]);
}

static int memory_operand_changed(const cs_insn *b, const cs_insn *a)
{
    const cs_x86 *x = &b->detail->x86, *y = &a->detail->x86;
    for (int i = 0; i < x->op_count && i < y->op_count; i++)
        if (x->operands[i].type == X86_OP_MEM && !same_operand(&x->operands[i], &y->operands[i]))
            return 1;
    return 0;
}

static int other_condition_same_target(const cs_insn *b, const cs_insn *a)
{
    return a->id != b->id && cs_insn_group(cs, a, CS_GRP_JUMP)
           && a->detail->x86.operands[0].imm == b->detail->x86.operands[0].imm;
}

START_TEST(dst_faults_change_the_destination_only)
{
    each_mutation(FI_DST, dst_only);
}
END_TEST

START_TEST(src_faults_change_the_source_only)
{
    each_mutation(FI_SRC, src_only);
}
END_TEST

START_TEST(pointer_faults_change_a_memory_operand)
{
    each_mutation(FI_POINTER, memory_operand_changed);
}
END_TEST

START_TEST(branch_and_loop_faults_change_the_condition_not_the_target)
{
    each_mutation(FI_BRANCH, other_condition_same_target);
    each_mutation(FI_LOOP, other_condition_same_target);
}
END_TEST

START_TEST(nop_and_bit_flip)
{
    uint64_t rng = 1;
    const struct fi_site *s = fi_pick_site(&tab, FI_NOP, &rng);
    uint8_t bytes[16], orig[16];
    memcpy(orig, code_at(s->addr), s->len);
    memcpy(bytes, orig, s->len);
    fi_mutate_code(FI_NOP, s, bytes, &rng);
    for (unsigned i = 0; i < s->len; i++)
        ck_assert_uint_eq(bytes[i], 0x90);
    memcpy(bytes, orig, s->len);
    fi_mutate_code(FI_TEXT_FLIP, s, bytes, &rng);
    unsigned bits = 0;
    for (unsigned i = 0; i < s->len; i++)
        bits += (unsigned)__builtin_popcount(bytes[i] ^ orig[i]);
    ck_assert_uint_eq(bits, 1);
}
END_TEST

START_TEST(the_same_seed_makes_the_same_fault)
{
    for (int t = 0; t <= FI_LOOP; t++) {
        uint64_t r1 = 99, r2 = 99;
        ck_assert_ptr_eq(fi_pick_site(&tab, t, &r1), fi_pick_site(&tab, t, &r2));
    }
    uint64_t a1, a2, r1 = 5, r2 = 5;
    unsigned b1, b2;
    fi_pick_data(FI_DATA_FLIP, &tab, 0x7000, &r1, &a1, &b1);
    fi_pick_data(FI_DATA_FLIP, &tab, 0x7000, &r2, &a2, &b2);
    ck_assert(a1 == a2 && b1 == b2);
    ck_assert(a1 >= tab.data[0][0] || tab.ndata > 1);
}
END_TEST

START_TEST(type_names_round_trip)
{
    for (int t = 0; t < FI_TYPES; t++)
        ck_assert_int_eq(fi_type_parse(fi_type_name(t)), t);
    ck_assert_int_eq(fi_type_parse("meteor"), -1);
}
END_TEST

START_TEST(malformed_tables_name_the_line)
{
    struct fi_table t;
    char why[96];
    char bad1[] = "# resurgo fault sites 1\nbinary x\nS 401000 0 - 0 0 0 0 0 -- nop\n";
    ck_assert_str_eq(fi_table_parse(bad1, strlen(bad1), &t, why, sizeof why),
                     "line 3: malformed site");
    fi_table_free(&t);
    char bad2[] = "# resurgo fault sites 1\nS 401004 2 - 0 0 0 0 0 -- x\nS 401005 1 - 0 0 0 0 0 -- y\n";
    ck_assert_str_eq(fi_table_parse(bad2, strlen(bad2), &t, why, sizeof why),
                     "line 3: sites overlap or are out of order");
    fi_table_free(&t);
    char bad3[] = "ELF";
    ck_assert_str_eq(fi_table_parse(bad3, 3, &t, why, sizeof why), "line 1: not a fault-site table");
    fi_table_free(&t);
    char bad4[] = "# resurgo fault sites 1\nwhat\n";
    ck_assert_str_eq(fi_table_parse(bad4, strlen(bad4), &t, why, sizeof why), "line 2: unknown line");
    fi_table_free(&t);
}
END_TEST

START_TEST(exhaustion_takes_the_quota_in_halving_frames)
{
    struct fi_remote p;
    struct rs_debug_regs r = { .rsp = 0x7000 };
    uint64_t rng = 3;
    ck_assert_int_eq(fi_remote_start(&p, FI_NOP, &rng), -1);
    ck_assert_int_eq(fi_remote_start(&p, FI_EXHAUST, &rng), 0);
    /* the quota answers: two frames fit, then slot 253 is taken, then refusals */
    uint64_t answers[] = { RS_OK, RS_OK, RS_E_EXISTS, RS_E_QUOTA, RS_OK, RS_E_QUOTA };
    uint64_t want_pages[] = { 4096, 4096, 4096, 4096, 2048, 2048 };
    uint64_t want_slot[] = { 255, 254, 253, 252, 252, 251 };
    for (unsigned i = 0; i < 6; i++) {
        ck_assert_int_eq(fi_remote_next(&p, &rng, &r), 1);
        ck_assert(r.rax == RS_SYS_INVOKE && r.rdi == RS_SLOT_QUOTA && r.rsi == RS_OP_QUOTA_CREATE);
        ck_assert(r.rdx == RS_OBJ_FRAME && r.r8 == want_pages[i] && r.r10 == want_slot[i]);
        fi_remote_result(&p, answers[i]);
    }
    ck_assert_uint_eq(p.pages_taken, 4096 * 2 + 2048);
    unsigned calls = 6;
    while (fi_remote_next(&p, &rng, &r)) {  /* every size refused from here: ends at 0 pages */
        fi_remote_result(&p, RS_E_QUOTA);
        calls++;
    }
    ck_assert_uint_eq(calls, 6 + 11);       /* 1024 .. 1 pages */
    ck_assert_uint_eq(p.pages, 0);
    ck_assert_uint_eq(p.ok, 3);
}
END_TEST

START_TEST(bogus_calls_are_bounded_and_replay)
{
    for (uint64_t seed = 1; seed < 200; seed++) {
        struct fi_remote p, q;
        uint64_t r1 = seed, r2 = seed;
        ck_assert_int_eq(fi_remote_start(&p, FI_BOGUS_IPC, &r1), 0);
        fi_remote_start(&q, FI_BOGUS_IPC, &r2);
        ck_assert(p.max >= 1 && p.max <= FI_BOGUS_CALLS && p.max == q.max);
        struct rs_debug_regs a = { .rsp = 0x7FF000 }, b = a;
        unsigned n = 0;
        while (fi_remote_next(&p, &r1, &a)) {
            ck_assert(fi_remote_next(&q, &r2, &b));
            ck_assert(!memcmp(&a, &b, sizeof a));       /* the same seed, the same calls */
            ck_assert(a.rax == RS_SYS_CALL && a.rdi < FI_BOGUS_SLOTS);
            ck_assert(a.r14 == FI_BOGUS_TIMEOUT_MS);    /* never waits for ever */
            ck_assert(a.rbx == 0 || a.rbx == a.rsp - 256);
            ck_assert((a.rbx != 0) == ((a.rsi & RS_MSG_BUFFER) != 0));
            ck_assert((a.rsi & ~(RS_MSG_BUFFER | 0xFFFFFFFFull)) == 0);
            fi_remote_result(&p, RS_E_NOCAP);
            fi_remote_result(&q, RS_E_NOCAP);
            n++;
        }
        ck_assert_uint_eq(n, p.max);
        ck_assert_uint_eq(p.refused, n);
    }
}
END_TEST

Suite *faultinject_suite(void)
{
    Suite *s = suite_create("fault injection");
    TCase *t = tcase_create("sites and mutators");
    tcase_set_timeout(t, 60);
    tcase_add_checked_fixture(t, setup, teardown);
    tcase_add_test(t, table_header_and_size);
    tcase_add_test(t, every_site_is_an_objdump_instruction);
    tcase_add_test(t, operand_fields_are_where_capstone_decodes_them);
    tcase_add_test(t, dst_faults_change_the_destination_only);
    tcase_add_test(t, src_faults_change_the_source_only);
    tcase_add_test(t, pointer_faults_change_a_memory_operand);
    tcase_add_test(t, branch_and_loop_faults_change_the_condition_not_the_target);
    tcase_add_test(t, nop_and_bit_flip);
    tcase_add_test(t, the_same_seed_makes_the_same_fault);
    tcase_add_test(t, type_names_round_trip);
    tcase_add_test(t, malformed_tables_name_the_line);
    tcase_add_test(t, exhaustion_takes_the_quota_in_halving_frames);
    tcase_add_test(t, bogus_calls_are_bounded_and_replay);
    suite_add_tcase(s, t);
    return s;
}
