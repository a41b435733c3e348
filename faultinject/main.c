/* The fault injector: makes one fault per request in a running service, through
 * the debug capability RS grants it over that service (system svc_debug, for
 * services with the inject right). Code faults go at instruction boundaries from
 * the target's site table (a boot module, TARGET.sites, in its `files`), armed
 * to act when the target reaches them, as are the faults the target is made to
 * make itself (trigger.h, remote.h); data and register faults go where the
 * thread stands, at once. The target's threads are stopped for the change and
 * resumed after it. Every fault is recorded on RS's event channel (system
 * inject_event) with its seed, type and exact place (binary, build id, address,
 * instruction and bytes), so it can be made again, and so is its activation. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <proto/faultinject.h>
#include <proto/system.h>
#include <rs_invoke.h>
#include <rs_libc.h>
#include <rs_log.h>
#include <rs_server.h>
#include <rs_service.h>
#include <rsys.h>
#include "mutate.h"
#include "site_table.h"
#include "trigger.h"

enum { EP = RS_GIVEN_FIRST_FREE, TARGET, NOTICE };

#define TABLES_MAX 4
#define SITE_TRIES 64               /* fitting sites tried after the drawn one */

struct loaded {
    char binary[32];
    char *text;
    struct fi_table tab;
};

static struct loaded tables[TABLES_MAX];

/* The site table of binary ("uart.elf" -> the file "uart.sites"), loaded once. */
static const struct fi_table *table_for(const char *binary)
{
    struct loaded *free_slot = 0;
    for (int i = 0; i < TABLES_MAX; i++) {
        if (!strcmp(tables[i].binary, binary))
            return &tables[i].tab;
        if (!tables[i].binary[0] && !free_slot)
            free_slot = &tables[i];
    }
    char file[40], why[96];
    snprintf(file, sizeof file, "%.*s.sites", (int)strcspn(binary, "."), binary);
    FILE *f = free_slot ? fopen(file, "r") : 0;
    if (!f) {
        rs_warn("no site table %s: code faults in %s cannot be made", file, binary);
        return 0;
    }
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *text = n > 0 ? malloc((size_t)n) : 0;
    int ok = text && fread(text, 1, (size_t)n, f) == (size_t)n;
    fclose(f);
    const char *bad = ok ? fi_table_parse(text, (size_t)n, &free_slot->tab, why, sizeof why)
                         : "cannot read it";
    if (bad) {
        rs_error("%s: %s", file, bad);
        fi_table_free(&free_slot->tab);
        free(text);
        return 0;
    }
    snprintf(free_slot->binary, sizeof free_slot->binary, "%.31s", binary);
    free_slot->text = text;
    rs_info("%s: %zu sites, build %s", file, free_slot->tab.count, free_slot->tab.build_id);
    return &free_slot->tab;
}

static void hex(const uint8_t *b, unsigned n, char *out)
{
    for (unsigned i = 0; i < n; i++)
        sprintf(out + 2 * i, "%02x", b[i]);
}

/* A code fault of type t: the drawn site, or the next ones that fit, armed to
 * be made when the target reaches it (trigger.h). */
static uint64_t code_fault(const struct fi_armed_info *what, const struct fi_table *tab,
                           uint64_t *rng, uint64_t *at, char *detail, size_t size)
{
    enum fi_type t = what->type;
    const struct fi_site *s = tab ? fi_pick_site(tab, t, rng) : 0;
    if (!s)
        return RS_E_NOENT;
    for (int tries = 0; tries < SITE_TRIES && s < tab->sites + tab->count; s++) {
        uint8_t before[16], after[16];
        if (!fi_site_fits(s, t))
            continue;
        tries++;
        if (rs_task_debug_read(TARGET, s->addr, s->len, (uint64_t)before))
            return RS_E_FAULT;
        memcpy(after, before, s->len);
        if (fi_mutate_code(t, s, after, rng))
            continue;
        uint64_t e = fi_trigger_arm_code(what, s->addr, before, after, s->len);
        char b[33], a[33];
        hex(before, s->len, b);
        hex(after, s->len, a);
        snprintf(detail, size, "binary=%s build=%.12s at=%#lx text+%#lx insn='%s' bytes=%s->%s",
                 tab->binary, tab->build_id, (unsigned long)s->addr,
                 (unsigned long)(s->addr - (tab->text_addr ? tab->text_addr : tab->sites[0].addr)),
                 s->text, b, a);
        *at = s->addr;
        return e;
    }
    return RS_E_NOENT;
}

/* A fault the target makes itself (remote.h), armed where thread 0 stands. */
static uint64_t remote_fault(const struct fi_armed_info *what, uint64_t *rng, uint64_t *at,
                             char *detail, size_t size)
{
    uint64_t e = fi_trigger_arm_remote(what, rng, at);
    if (!e)
        snprintf(detail, size, "armed at rip %#lx", (unsigned long)*at);
    return e;
}

/* A data, register or control fault of type t in the stopped target. */
static uint64_t state_fault(enum fi_type t, const struct fi_table *tab, uint64_t *rng,
                            uint64_t *at, char *detail, size_t size)
{
    static const char *const reg_names[16] = { "rax", "rbx", "rcx", "rdx", "rsi", "rdi",
        "rbp", "rsp", "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15" };
    struct rs_debug_regs r;
    static const struct fi_table none;
    uint64_t e = rs_task_debug_get_regs(TARGET, 0, (uint64_t)&r);
    if (e)
        return e;
    if (t == FI_REG_FLIP || t == FI_CRASH) {
        uint64_t *regs = &r.rax, k = fi_random(rng) % 16, bit = fi_random(rng) % 64;
        if (t == FI_REG_FLIP)
            regs[k] ^= 1ull << bit;
        else
            r.rip = FI_CRASH_ADDRESS;
        if (t == FI_CRASH)
            snprintf(detail, size, "rip %#lx -> %#x", (unsigned long)r.rip, FI_CRASH_ADDRESS);
        else
            snprintf(detail, size, "%s bit %lu", reg_names[k], (unsigned long)bit);
        *at = r.rip;
        return rs_task_debug_set_regs(TARGET, 0, (uint64_t)&r);
    }
    if (t == FI_HANG) {
        static const uint8_t spin[2] = { 0xEB, 0xFE };     /* jmp . */
        *at = r.rip;
        snprintf(detail, size, "jmp . written at rip %#lx", (unsigned long)r.rip);
        return rs_task_debug_write(TARGET, r.rip, 2, (uint64_t)spin);
    }
    uint64_t addr, word;
    unsigned bit;
    fi_pick_data(t, tab ? tab : &none, r.rsp, rng, &addr, &bit);
    if (t == FI_WILD_WRITE) {
        addr &= ~7ull;
        word = fi_random(rng);
        snprintf(detail, size, "%#lx := %#lx", (unsigned long)addr, (unsigned long)word);
        *at = addr;
        return rs_task_debug_write(TARGET, addr, 8, (uint64_t)&word);
    }
    uint8_t byte;
    *at = addr;
    snprintf(detail, size, "%#lx bit %u", (unsigned long)addr, bit);
    if ((e = rs_task_debug_read(TARGET, addr, 1, (uint64_t)&byte)))
        return e;                   /* nothing mapped there: no fault made */
    byte ^= (uint8_t)(1u << bit);
    return rs_task_debug_write(TARGET, addr, 1, (uint64_t)&byte);
}

/* The binary the target task runs, from its task name. */
static void target_binary(char *out, size_t size)
{
    uint64_t id, state, w[5] = { 0 };
    rs_task_info(TARGET, &id, &state, &w[0], &w[1], &w[2], &w[3]);
    snprintf(out, size, "%s", (const char *)w);
}

/* Makes fault `kind` in the stopped target. */
static uint64_t make_fault(const struct fi_armed_info *what, const struct fi_table *tab,
                           uint64_t *rng, uint64_t *at, char *detail, size_t size)
{
    if (fi_type_is_code(what->type))
        return code_fault(what, tab, rng, at, detail, size);
    if (fi_type_is_remote(what->type))
        return remote_fault(what, rng, at, detail, size);
    return state_fault(what->type, tab, rng, at, detail, size);
}

/* what->service's debug capability into TARGET (any armed fault or coverage
 * ended first) and its binary's site table (NULL if it has none); 0 or an error. */
static uint64_t take_target(const struct fi_armed_info *what, const struct fi_table **tab)
{
    char binary[40];
    uint64_t inc;
    if (fi_trigger_busy())
        return RS_E_BUSY;           /* the last fault is still being made */
    fi_trigger_disarm();
    rs_cap_delete(TARGET);
    uint64_t e = system_svc_debug(RS_GIVEN_SYSTEM, what->service, strlen(what->service), TARGET,
                                  &inc);
    if (e)
        return e;
    target_binary(binary, sizeof binary);
    *tab = table_for(binary);
    return 0;
}

/* "TARGET TYPE" with the seed in word 0: one fault, recorded; the debug
 * capability is kept until the next one (an armed fault acts later). */
static uint32_t inject_handler(struct rs_request *r, void *state)
{
    (void)state;
    char name[48], detail[200], record[280];
    uint64_t seed = r->req.w[0], rng = seed, at = 0;
    if (r->len == 0 || r->len >= sizeof name)
        return RS_E_INVAL;
    memcpy(name, r->buf, r->len);
    name[r->len] = '\0';
    char *space = strchr(name, ' ');
    int kind = space ? fi_type_parse(space + 1) : -1;
    struct fi_armed_info what = { .type = kind, .seed = seed };
    if (kind < 0 || space - name >= (long)sizeof what.service)
        return RS_E_INVAL;          /* "TARGET TYPE", a type by its name */
    *space = '\0';
    snprintf(what.service, sizeof what.service, "%.31s", name);
    const struct fi_table *tab;
    uint64_t e = take_target(&what, &tab);
    if (!e)
        e = rs_task_debug_stop(TARGET, RS_DEBUG_ALL_THREADS);
    if (!e) {
        e = make_fault(&what, tab, &rng, &at, detail, sizeof detail);
        rs_task_debug_resume(TARGET, RS_DEBUG_ALL_THREADS);
    }
    if (e) {
        rs_warn("%s in %s (seed %lu) not made: %s", fi_type_name(kind), name, seed,
                rs_error_name(e));
        return (uint32_t)e;
    }
    snprintf(record, sizeof record, "%s\n%s\nseed=%lu %s", name, fi_type_name(kind), seed, detail);
    system_inject_event(RS_GIVEN_SYSTEM, record, strlen(record));
    r->reply.w[0] = at;
    return 0;
}

/* "TARGET": coverage of its sites begins (trigger.h). */
static uint32_t cover_handler(struct rs_request *r, void *state)
{
    (void)state;
    struct fi_armed_info what = { .type = FI_TYPES };
    const struct fi_table *tab = 0;
    if (r->len == 0 || r->len >= sizeof what.service)
        return RS_E_INVAL;
    memcpy(what.service, r->buf, r->len);
    uint64_t e = take_target(&what, &tab);
    if (!e && !tab)
        e = RS_E_NOENT;             /* no site table: nothing to cover */
    if (!e)
        e = rs_task_debug_stop(TARGET, RS_DEBUG_ALL_THREADS);
    if (!e) {
        e = fi_trigger_cover(&what, tab);
        rs_task_debug_resume(TARGET, RS_DEBUG_ALL_THREADS);
    }
    r->reply.w[0] = e ? 0 : tab->count;
    return (uint32_t)e;
}

static uint32_t covered_handler(struct rs_request *r, void *state)
{
    (void)state;
    r->reply.w[0] = fi_trigger_covered();
    return 0;
}

static int start(void *state)
{
    (void)state;
    fi_trigger_init(TARGET, NOTICE);
    if (rs_create(RS_SLOT_QUOTA, RS_OBJ_ENDPOINT, EP, 0))
        return 1;
    return rs_cap_mint(EP, NOTICE, RS_RIGHT_WRITE, fi_trigger_notice_badge()) ? 1 : 0;
}

static const rs_handler_fn handlers[FAULTINJECT_LABELS] = {
    [FAULTINJECT_INJECT] = inject_handler,
    [FAULTINJECT_COVER] = cover_handler,
    [FAULTINJECT_COVERED] = covered_handler,
};

int main(void)
{
    static const struct rs_server server = {
        .name = "fi", .publish = "faultinject", .endpoint = EP,
        .handlers = handlers, .nhandlers = FAULTINJECT_LABELS,
        .init_fresh = start, .init_restart = start, .notice = fi_trigger_notice,
    };
    return rs_server_run(&server);
}
