/* Parsing fault-site tables (see site_table.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "site_table.h"

static unsigned site_flags(const char *s)
{
    unsigned f = 0;
    for (; *s; s++)
        f |= *s == 'j' ? FI_SITE_JCC : *s == 'b' ? FI_SITE_BACKWARD : *s == 'm' ? FI_SITE_MODRM
           : *s == 'p' ? FI_SITE_MEM : 0;
    return f;
}

static int field_ok(char c) { return c == 'r' || c == 'm' || c == '-'; }

/* One S line into s; 0, or -1 when malformed. */
static int parse_site(char *line, struct fi_site *s)
{
    unsigned long addr;
    unsigned len, modrm, disp, dlen, imm, ilen;
    char flags[8], ds[3];
    int at = 0;
    if (sscanf(line, "S %lx %u %7s %u %u %u %u %u %2s %n", &addr, &len, flags, &modrm, &disp,
               &dlen, &imm, &ilen, ds, &at) != 9 || !at || strlen(ds) != 2)
        return -1;
    if (len == 0 || len > 15 || modrm >= len || disp + dlen > len || imm + ilen > len
        || dlen > 4 || ilen > 8 || !field_ok(ds[0]) || !field_ok(ds[1]))
        return -1;
    *s = (struct fi_site){ .addr = addr, .len = (uint8_t)len, .flags = (uint8_t)site_flags(flags),
                           .modrm = (uint8_t)modrm, .disp = (uint8_t)disp,
                           .disp_len = (uint8_t)dlen, .imm = (uint8_t)imm,
                           .imm_len = (uint8_t)ilen, .dst = ds[0], .src = ds[1],
                           .text = line + at };
    return 0;
}

/* One header or site line; NULL or what is wrong with it. */
static const char *parse_line(char *line, struct fi_table *t)
{
    unsigned long a, n;
    if (line[0] == 'S') {
        struct fi_site *s = &t->sites[t->count], *prev = t->count ? s - 1 : 0;
        if (parse_site(line, s))
            return "malformed site";
        if (prev && s->addr < prev->addr + prev->len)
            return "sites overlap or are out of order";
        t->count++;
        return NULL;
    }
    if (!strncmp(line, "binary ", 7))
        return snprintf(t->binary, sizeof t->binary, "%s", line + 7) < (int)sizeof t->binary
                   ? NULL : "name too long";
    if (!strncmp(line, "build-id ", 9))
        return snprintf(t->build_id, sizeof t->build_id, "%s", line + 9)
                       < (int)sizeof t->build_id ? NULL : "build id too long";
    if (sscanf(line, "data %lx %lx", &a, &n) == 2) {
        if (t->ndata == FI_DATA_MAX)
            return "too many data segments";
        t->data[t->ndata][0] = a;
        t->data[t->ndata++][1] = n;
        return NULL;
    }
    if (sscanf(line, "text %lx %lx", &a, &n) == 2) {
        if (!t->text_addr)
            t->text_addr = a;       /* the first: where text offsets count from */
        return NULL;
    }
    if (line[0] == '#' || !line[0])
        return NULL;
    return "unknown line";
}

const char *fi_table_parse(char *buf, size_t len, struct fi_table *t, char *why, size_t size)
{
    size_t lines = 0;
    memset(t, 0, sizeof *t);
    if (len < sizeof FI_SITES_MAGIC - 1 || memcmp(buf, FI_SITES_MAGIC, sizeof FI_SITES_MAGIC - 1)) {
        snprintf(why, size, "line 1: not a fault-site table");
        return why;
    }
    for (size_t i = 0; i < len; i++)
        lines += buf[i] == 'S' && (i == 0 || buf[i - 1] == '\n');
    t->sites = malloc((lines ? lines : 1) * sizeof *t->sites);
    if (!t->sites) {
        snprintf(why, size, "no memory for %zu sites", lines);
        return why;
    }
    unsigned lineno = 0;
    for (size_t at = 0; at < len;) {
        char *line = buf + at, *nl = memchr(line, '\n', len - at);
        if (!nl) {
            snprintf(why, size, "line %u: the table does not end with a newline", lineno + 1);
            return why;
        }
        *nl = '\0';
        at = (size_t)(nl - buf) + 1;
        lineno++;
        const char *bad = parse_line(line, t);
        if (bad) {
            snprintf(why, size, "line %u: %s", lineno, bad);
            return why;
        }
    }
    return NULL;
}

void fi_table_free(struct fi_table *t)
{
    free(t->sites);
    t->sites = 0;
    t->count = 0;
}
