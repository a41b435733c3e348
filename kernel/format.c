/* Formatted printing for the kernel: a bounded vsnprintf with the common C99
 * conversions. Output past the buffer is counted but not stored. */
#include <stdbool.h>
#include <stdint.h>
#include "format.h"

struct fmt_out {
    char *buf;
    size_t size;
    size_t len;         /* characters produced so far, stored or not */
};

struct fmt_spec {
    bool left, zero, plus, space, alt;
    int width;
    int prec;           /* -1: none given */
    int length;         /* 0 int, 1 long, 2 long long, -1 short, -2 char, 3 size_t */
};

static void out_char(struct fmt_out *o, char c)
{
    if (o->len + 1 < o->size)
        o->buf[o->len] = c;
    o->len++;
}

static void out_pad(struct fmt_out *o, char c, int n)
{
    while (n-- > 0)
        out_char(o, c);
}

static void out_str(struct fmt_out *o, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        out_char(o, s[i]);
}

/* The sign or base prefix of a number (C99 rules for the flags). */
static const char *number_prefix(const struct fmt_spec *sp, uint64_t v, bool neg,
                                 bool is_signed, unsigned base, bool upper, int zeros,
                                 int ndigits, const char *digits)
{
    if (neg)
        return "-";
    if (is_signed && sp->plus)
        return "+";
    if (is_signed && sp->space)
        return " ";
    if (sp->alt && base == 16 && v)
        return upper ? "0X" : "0x";
    if (sp->alt && base == 8 && !zeros && (ndigits == 0 || digits[ndigits - 1] != '0'))
        return "0";     /* '#' raises the precision just enough for a leading zero */
    return "";
}

/* Emits a number's digits with sign/prefix, honouring width, precision and flags. */
static void out_number(struct fmt_out *o, const struct fmt_spec *sp, uint64_t v, bool neg,
                       bool is_signed, unsigned base, bool upper)
{
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char tmp[24];
    int n = 0;
    for (uint64_t x = v; x; x /= base)
        tmp[n++] = digits[x % base];
    if (n == 0 && sp->prec != 0)
        tmp[n++] = '0';
    int zeros = sp->prec > n ? sp->prec - n : 0;
    const char *prefix = number_prefix(sp, v, neg, is_signed, base, upper, zeros, n, tmp);
    int plen = 0;
    while (prefix[plen])
        plen++;
    int total = plen + zeros + n;
    int pad = sp->width > total ? sp->width - total : 0;
    if (sp->zero && !sp->left && sp->prec < 0) {
        zeros += pad;
        pad = 0;
    }
    if (!sp->left)
        out_pad(o, ' ', pad);
    out_str(o, prefix, (size_t)plen);
    out_pad(o, '0', zeros);
    while (n)
        out_char(o, tmp[--n]);
    if (sp->left)
        out_pad(o, ' ', pad);
}

static void out_text(struct fmt_out *o, const struct fmt_spec *sp, const char *s)
{
    if (!s)
        s = "(null)";
    size_t n = 0;
    while ((sp->prec < 0 || n < (size_t)sp->prec) && s[n])
        n++;
    int pad = sp->width > (int)n ? sp->width - (int)n : 0;
    if (!sp->left)
        out_pad(o, ' ', pad);
    out_str(o, s, n);
    if (sp->left)
        out_pad(o, ' ', pad);
}

/* Parses flags, width, precision and length; returns the conversion character. */
static const char *parse_spec(const char *f, struct fmt_spec *sp, va_list *ap)
{
    *sp = (struct fmt_spec){ .prec = -1 };
    for (;; f++) {
        if (*f == '-') sp->left = true;
        else if (*f == '0') sp->zero = true;
        else if (*f == '+') sp->plus = true;
        else if (*f == ' ') sp->space = true;
        else if (*f == '#') sp->alt = true;
        else break;
    }
    if (*f == '*') {
        sp->width = va_arg(*ap, int);
        if (sp->width < 0) {
            sp->left = true;
            sp->width = -sp->width;
        }
        f++;
    }
    while (*f >= '0' && *f <= '9')
        sp->width = sp->width * 10 + (*f++ - '0');
    if (*f == '.') {
        f++;
        sp->prec = 0;
        if (*f == '*') {
            sp->prec = va_arg(*ap, int);
            f++;
        }
        while (*f >= '0' && *f <= '9')
            sp->prec = sp->prec * 10 + (*f++ - '0');
    }
    if (*f == 'h') { sp->length = -1; if (*++f == 'h') { sp->length = -2; f++; } }
    else if (*f == 'l') { sp->length = 1; if (*++f == 'l') { sp->length = 2; f++; } }
    else if (*f == 'z') { sp->length = 3; f++; }
    return f;
}

static int64_t arg_signed(const struct fmt_spec *sp, va_list *ap)
{
    switch (sp->length) {
    case -2: return (signed char)va_arg(*ap, int);
    case -1: return (short)va_arg(*ap, int);
    case 1: return va_arg(*ap, long);
    case 2: return va_arg(*ap, long long);
    case 3: return (int64_t)va_arg(*ap, size_t);
    default: return va_arg(*ap, int);
    }
}

static uint64_t arg_unsigned(const struct fmt_spec *sp, va_list *ap)
{
    switch (sp->length) {
    case -2: return (unsigned char)va_arg(*ap, unsigned);
    case -1: return (unsigned short)va_arg(*ap, unsigned);
    case 1: return va_arg(*ap, unsigned long);
    case 2: return va_arg(*ap, unsigned long long);
    case 3: return va_arg(*ap, size_t);
    default: return va_arg(*ap, unsigned);
    }
}

static void convert(struct fmt_out *o, struct fmt_spec *sp, char c, va_list *ap)
{
    switch (c) {
    case 'd': case 'i': {
        int64_t v = arg_signed(sp, ap);
        out_number(o, sp, v < 0 ? -(uint64_t)v : (uint64_t)v, v < 0, true, 10, false);
        break;
    }
    case 'u': out_number(o, sp, arg_unsigned(sp, ap), false, false, 10, false); break;
    case 'x': out_number(o, sp, arg_unsigned(sp, ap), false, false, 16, false); break;
    case 'X': out_number(o, sp, arg_unsigned(sp, ap), false, false, 16, true); break;
    case 'o': out_number(o, sp, arg_unsigned(sp, ap), false, false, 8, false); break;
    case 'p':
        sp->alt = true;
        out_number(o, sp, (uintptr_t)va_arg(*ap, void *), false, false, 16, false);
        break;
    case 'c': {
        char ch = (char)va_arg(*ap, int);
        int pad = sp->width > 1 ? sp->width - 1 : 0;
        if (!sp->left) out_pad(o, ' ', pad);
        out_char(o, ch);
        if (sp->left) out_pad(o, ' ', pad);
        break;
    }
    case 's': out_text(o, sp, va_arg(*ap, const char *)); break;
    default: break;
    }
}

static bool is_conversion(char c)
{
    for (const char *k = "diuxXopcs"; *k; k++)
        if (*k == c)
            return true;
    return false;
}

int fmt_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
    struct fmt_out o = { .buf = buf, .size = size };
    va_list args;
    va_copy(args, ap);
    for (const char *f = fmt; *f; f++) {
        if (*f != '%') {
            out_char(&o, *f);
            continue;
        }
        const char *start = f;
        struct fmt_spec sp;
        f = parse_spec(f + 1, &sp, &args);
        if (*f == '%') {
            out_char(&o, '%');
        } else if (is_conversion(*f)) {
            convert(&o, &sp, *f, &args);
        } else {
            out_str(&o, start, (size_t)(f - start) + (*f ? 1 : 0));
            if (!*f)
                break;
        }
    }
    va_end(args);
    if (size)
        buf[o.len < size ? o.len : size - 1] = '\0';
    return (int)o.len;
}

int fmt_snprintf(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = fmt_vsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return n;
}
