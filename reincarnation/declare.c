/* Service declarations sent by init (system svc_declare): parsing and checking the
 * text, pure (unit-tested in tests/unit/test_policy.c). init is a user program:
 * every line is checked here, and a refusal says which key and why. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <rs_service.h>
#include "declare.h"

static int valid_word_chars(const char *s, const char *extra)
{
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9')
              || strchr(extra, *s)))
            return 0;
    return 1;
}

int declare_next_word(const char **p, char *out, size_t size)
{
    const char *s = *p ? *p + strspn(*p, " ") : 0;
    if (!s || !*s)
        return 0;
    size_t n = strcspn(s, " ");
    snprintf(out, size, "%.*s", (int)n, s);
    *p = s + n;
    return 1;
}

unsigned declare_words(const char *s)
{
    unsigned n = 0;
    char word[2];
    while (declare_next_word(&s, word, sizeof word))
        n++;
    return n;
}

static const char *copy(char *dst, size_t size, const char *v, size_t n, const char *extra)
{
    if (n >= size)
        return "value too long";
    memcpy(dst, v, n);
    dst[n] = '\0';
    return valid_word_chars(dst, extra) ? NULL : "value has characters it may not have";
}

static const char *number(const char *v, size_t n, uint64_t max, uint64_t *out)
{
    char buf[24], *end;
    if (n == 0 || n >= sizeof buf)
        return "not a number";
    memcpy(buf, v, n);
    buf[n] = '\0';
    unsigned long long x = strtoull(buf, &end, 0);
    if (*end || buf[0] == '-')
        return "not a number";
    if (x > max)
        return "number too large";
    *out = x;
    return NULL;
}

/* FIRST:COUNT into *port, *nports; NULL or why it is refused. */
static const char *ports(uint16_t *port, uint16_t *nports, const char *v, size_t n)
{
    const char *colon = memchr(v, ':', n);
    uint64_t first, count;
    const char *bad = colon ? number(v, (size_t)(colon - v), 0xFFFF, &first) : "expected FIRST:COUNT";
    if (!bad)
        bad = number(colon + 1, n - (size_t)(colon + 1 - v), 0x10000, &count);
    if (!bad && (count == 0 || first + count > 0x10000))
        bad = "port range outside 0..0xFFFF";
    if (!bad) {
        *port = (uint16_t)first;
        *nports = (uint16_t)count;
    }
    return bad;
}

/* "VVVV:DDDD": the PCI vendor and device ID of the device a driver may open. */
static const char *pci_ids(struct declared *d, const char *v, size_t n)
{
    const char *colon = memchr(v, ':', n);
    char buf[8];
    uint64_t vendor, device;
    if (!colon || colon - v != 4 || n != 9)
        return "expected VVVV:DDDD (hexadecimal vendor and device IDs)";
    snprintf(buf, sizeof buf, "0x%.4s", v);
    const char *bad = number(buf, strlen(buf), 0xFFFE, &vendor);
    snprintf(buf, sizeof buf, "0x%.4s", colon + 1);
    if (!bad)
        bad = number(buf, strlen(buf), 0xFFFF, &device);
    if (bad)
        return "expected VVVV:DDDD (hexadecimal vendor and device IDs)";
    d->def.pci_vendor = (uint16_t)vendor;
    d->def.pci_device = (uint16_t)device;
    return NULL;
}

/* One key=value; NULL or why it is refused. */
static const char *set(struct declared *d, const char *k, size_t kl, const char *v, size_t n)
{
    uint64_t x;
    const char *bad = NULL;
#define KEY(s) (kl == sizeof(s) - 1 && !strncmp(k, s, kl))
    if (KEY("name"))
        return copy(d->name, sizeof d->name, v, n, "_-");
    if (KEY("binary"))
        return copy(d->module, sizeof d->module, v, n, "._-");
    if (KEY("owns"))
        return copy(d->owns, sizeof d->owns, v, n, "._-/ ");
    if (KEY("reads"))
        return copy(d->reads, sizeof d->reads, v, n, "._-/* ");
    if (KEY("files"))
        return copy(d->files, sizeof d->files, v, n, "._- ");
    if (KEY("deps"))
        return copy(d->deps, sizeof d->deps, v, n, "_- ");
    if (KEY("args"))
        return copy(d->args, sizeof d->args, v, n, "._-=,:/ ");
    if (KEY("policy"))
        return n < sizeof d->policy_spec ? copy(d->policy_spec, sizeof d->policy_spec, v, n, "=,+-_")
                                         : "value too long";
    if (KEY("ports"))
        return ports(&d->def.port, &d->def.nports, v, n);
    if (KEY("pci"))
        return pci_ids(d, v, n);
    if (KEY("priority") && !(bad = number(v, n, DECLARE_PRIORITY_MAX, &x)))
        d->def.priority = (unsigned)x;
    else if (KEY("quota") && !(bad = number(v, n, DECLARE_QUOTA_MAX, &x)))
        d->def.quota = x;
    else if (KEY("irq") && !(bad = number(v, n, 15, &x)))
        d->def.irq = (uint8_t)x;
    else if (KEY("control") && !(bad = number(v, n, 1, &x)))
        d->def.flags = (d->def.flags & ~SVC_MAY_CONTROL) | (x ? SVC_MAY_CONTROL : 0);
    else if (KEY("hook") && !(bad = number(v, n, 1, &x)))
        d->def.flags = (d->def.flags & ~SVC_HAS_HOOK) | (x ? SVC_HAS_HOOK : 0);
    else if (KEY("pci_bus") && !(bad = number(v, n, 1, &x))) {
        d->def.flags = (d->def.flags & ~SVC_PCI_BUS) | (x ? SVC_PCI_BUS : 0);
        d->def.keep_pages = x ? 1 : 0;      /* where it keeps who holds which device */
    } else if (!KEY("priority") && !KEY("quota") && !KEY("irq") && !KEY("control")
             && !KEY("hook") && !KEY("pci_bus"))
        return "unknown key";
#undef KEY
    return bad;
}

const char *declare_parse(const char *text, size_t len, struct declared *d, char *key,
                          size_t key_size)
{
    memset(d, 0, sizeof *d);
    d->def.priority = DECLARE_PRIORITY_DEFAULT;
    d->def.quota = DECLARE_QUOTA_DEFAULT;
    d->def.policy = policy_default;
    key[0] = '\0';
    for (size_t at = 0; at < len;) {
        const char *line = text + at;
        const char *nl = memchr(line, '\n', len - at);
        size_t n = nl ? (size_t)(nl - line) : len - at;
        at += n + 1;
        if (n == 0)
            continue;
        const char *eq = memchr(line, '=', n);
        size_t kl = eq ? (size_t)(eq - line) : n;
        snprintf(key, key_size, "%.*s", (int)(kl < 31 ? kl : 31), line);
        if (!eq)
            return "expected key=value";
        const char *bad = set(d, line, kl, eq + 1, n - kl - 1);
        if (bad)
            return bad;
    }
    snprintf(key, key_size, "name");
    if (!d->name[0])
        return "missing";
    snprintf(key, key_size, "binary");
    if (!d->module[0])
        return "missing";
    snprintf(key, key_size, "files");
    if (declare_words(d->files) > RS_GIVEN_FILES_MAX)
        return "too many files (at most 4)";
    snprintf(key, key_size, "policy");
    const char *bad = d->policy_spec[0] ? policy_override(&d->def.policy, d->policy_spec) : 0;
    if (bad)
        return bad;
    key[0] = '\0';
    d->def.name = d->name;
    d->def.module = d->module;
    d->def.owns = d->owns;
    d->def.reads = d->reads;
    d->def.deps = d->deps;
    d->def.args = d->args;
    d->def.files = d->files[0] ? d->files : 0;
    return NULL;
}
