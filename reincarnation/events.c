/* Event lines (see events.h). event_format() is pure; the output half is in
 * events_out.c so the unit tests link this file alone. */
#include <stdio.h>
#include <string.h>
#include "events.h"

struct out {
    char *buf;
    size_t size, len;
};

static void put(struct out *o, const char *s, size_t n)
{
    for (size_t i = 0; i < n && o->len + 1 < o->size; i++)
        o->buf[o->len++] = s[i];
    o->buf[o->len] = '\0';
}

static void puts_raw(struct out *o, const char *s)
{
    put(o, s, strlen(s));
}

/* A JSON string: quotes, backslashes and control characters escaped. */
static void put_string(struct out *o, const char *s)
{
    put(o, "\"", 1);
    for (; *s; s++) {
        char esc[8];
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            snprintf(esc, sizeof esc, "\\%c", c);
        else if (c < 0x20 || c == 0x7F)
            snprintf(esc, sizeof esc, "\\u%04x", c);
        else
            esc[0] = (char)c, esc[1] = '\0';
        puts_raw(o, esc);
    }
    put(o, "\"", 1);
}

static void put_field(struct out *o, const char *key, const char *value)
{
    char k[32];
    snprintf(k, sizeof k, ",\"%s\":", key);
    puts_raw(o, k);
    if (value)
        put_string(o, value);
    else
        puts_raw(o, "null");
}

static void put_number(struct out *o, const char *key, int64_t v)
{
    char k[48];
    if (v == EVENT_UNKNOWN)
        snprintf(k, sizeof k, ",\"%s\":null", key);
    else
        snprintf(k, sizeof k, ",\"%s\":%lld", key, (long long)v);
    puts_raw(o, k);
}

static size_t format(const struct event *e, const char *detail, uint64_t t_us, char *buf,
                     size_t size)
{
    struct out o = { buf, size, 0 };
    char head[40];
    snprintf(head, sizeof head, "{\"t_us\":%llu", (unsigned long long)t_us);
    puts_raw(&o, head);
    put_field(&o, "event", e->event ? e->event : "?");
    put_field(&o, "service", e->service ? e->service : "?");
    put_number(&o, "incarnation", e->incarnation);
    put_field(&o, "reason", e->reason);
    put_number(&o, "detect_us", e->detect_us);
    put_number(&o, "recover_us", e->recover_us);
    put_field(&o, "detail", detail);
    puts_raw(&o, "}\n");
    return o.len;
}

size_t event_format(const struct event *e, uint64_t t_us, char *buf, size_t size)
{
    if (size == 0)
        return 0;
    size_t n = format(e, e->detail, t_us, buf, size);
    if (n + 1 >= size || buf[n - 1] != '\n')
        n = format(e, "(cut)", t_us, buf, size);   /* a whole line, never half a string */
    return n;
}
