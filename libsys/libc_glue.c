/* The few C-library functions that would make Linux system calls, replaced so
 * nothing in a Resurgo component ever issues one: stdio's backend (console or
 * kernel log), _Exit, abort, clocks, and the thread-pointer set-up. The FILE
 * fields used are those of Debian's musl 1.2.3, read off its libc.a (its
 * __stdio_write and __towrite); the static asserts keep our copy of the layout
 * at those offsets. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <proto/console.h>
#include <rs_console.h>
#include <rsys.h>
#include "rs_libc.h"
#include "rs_log.h"

/* The part of musl's struct _IO_FILE that its backend functions touch. */
struct musl_file {
    unsigned flags;
    unsigned char *rpos, *rend;
    int (*close)(FILE *);
    unsigned char *wend, *wpos, *mustbezero_1, *wbase;
    size_t (*read)(FILE *, unsigned char *, size_t);
    size_t (*write)(FILE *, const unsigned char *, size_t);
    off_t (*seek)(FILE *, off_t, int);
    unsigned char *buf;
    size_t buf_size;
    FILE *prev, *next;
    int fd;
};
_Static_assert(__builtin_offsetof(struct musl_file, wbase) == 0x38, "musl FILE layout");
_Static_assert(__builtin_offsetof(struct musl_file, fd) == 0x78, "musl FILE layout");

#define F_EOF 16
#define F_ERR 32

static uint64_t console;            /* endpoint slot, 0: kernel log */

void rs_stdio_console(uint64_t endpoint_slot)
{
    console = endpoint_slot;
}

/* Writes n bytes of one stream; returns 0 or -1. */
static int out(const unsigned char *p, size_t n)
{
    while (n) {
        size_t k = n < RS_BUFFER_MAX ? n : RS_BUFFER_MAX;
        uint64_t done = k;
        if (console) {
            if (rs_console_write(console, p, k, &done) || !done) {
                errno = EIO;
                return -1;
            }
            done = done < k ? done : k;     /* never trust a count beyond what was sent */
        } else {
            k = done = n < RS_LOG_WRITE_MAX - 1 ? n : RS_LOG_WRITE_MAX - 1;
            if (rs_debug_write((const char *)p, k))
                return -1;
        }
        p += done, n -= done;
    }
    return 0;
}

/* The kernel log prefixes each write that starts a line with the task's name:
 * what was buffered and what comes with it go out as one write when they fit,
 * so a line printed in pieces (Lua's print: the text, then "\n") stays whole. */
static int out_joined(const unsigned char *a, size_t na, const unsigned char *b, size_t nb)
{
    unsigned char line[255];
    if (console || na + nb > sizeof line)
        return out(a, na) || out(b, nb);
    memcpy(line, a, na);
    memcpy(line + na, b, nb);
    return out(line, na + nb);
}

size_t __stdio_write(FILE *file, const unsigned char *buf, size_t len)
{
    struct musl_file *f = (struct musl_file *)file;
    if (out_joined(f->wbase, (size_t)(f->wpos - f->wbase), buf, len)) {
        f->wpos = f->wbase = f->wend = 0;
        f->flags |= F_ERR;
        return 0;
    }
    f->wend = f->buf + f->buf_size;
    f->wpos = f->wbase = f->buf;
    return len;
}

size_t __stdout_write(FILE *f, const unsigned char *buf, size_t len)
{
    ((struct musl_file *)f)->write = __stdio_write;
    return __stdio_write(f, buf, len);
}

/* Reads into the FILE's buffer from the console, hands the caller what fits. */
size_t __stdio_read(FILE *file, unsigned char *buf, size_t len)
{
    struct musl_file *f = (struct musl_file *)file;
    size_t got = 0;
    if (!console || !f->buf_size
        || console_read(console, f->buf_size, f->buf, f->buf_size, &got) || !got) {
        f->flags |= console ? F_ERR : F_EOF;
        return 0;
    }
    size_t k = got < len ? got : len;
    memcpy(buf, f->buf, k);
    f->rpos = f->buf + k;
    f->rend = f->buf + got;
    return k;
}

off_t __stdio_seek(FILE *f, off_t off, int whence)
{
    (void)f, (void)off, (void)whence;
    errno = ESPIPE;
    return -1;
}

int __stdio_close(FILE *f)
{
    (void)f;
    return 0;
}

_Noreturn void _Exit(int status)
{
    rs_exit(status);
}

_Noreturn void abort(void)
{
    rs_panic("abort() called");
}

/* CLOCK_REALTIME: the RTC's time at boot plus the time since; every other clock
 * (monotonic, CPU time): the time since boot. */
int __clock_gettime(clockid_t clk, struct timespec *ts)
{
    uint64_t ms = rs_time_ms();
    ts->tv_sec = (time_t)(ms / 1000) + (clk == CLOCK_REALTIME ? (time_t)rs_boot_unix() : 0);
    ts->tv_nsec = (long)(ms % 1000) * 1000000;
    return 0;
}

/* Defined too, so musl's clock_gettime.o (which has its own __clock_gettime) is
 * never pulled in by clock_gettime or gettimeofday. */
int clock_gettime(clockid_t clk, struct timespec *ts)
{
    return __clock_gettime(clk, ts);
}

int __set_thread_area(void *p)
{
    return rs_set_fsbase((uint64_t)p) ? -1 : 0;
}
