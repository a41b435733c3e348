/* Component logging (see rs_log.h). */
#include <stdarg.h>
#include <stdio.h>
#include <rsys.h>
#include "rs_libc.h"
#include "rs_log.h"

static const char *log_name;
static const char *const error_names[] = RS_ERROR_NAMES;

const char *rs_error_name(uint64_t e)
{
    return e < sizeof error_names / sizeof error_names[0] ? error_names[e] : "unknown error";
}
static const char *const level_names[] = { "error", "warning", "info", "debug" };

void rs_log_name(const char *name)
{
    log_name = name;
}

static void vlog(enum rs_log_level level, const char *fmt, va_list ap)
{
    char line[RS_LOG_WRITE_MAX];
    int n = snprintf(line, sizeof line, "%s: %s: ", log_name ? log_name : rs_task_name(),
                     level_names[level]);
    if (n < 0 || n >= (int)sizeof line - 2)
        n = 0;
    int m = vsnprintf(line + n, sizeof line - (size_t)n - 1, fmt, ap);
    n += m < 0 ? 0 : (m < (int)sizeof line - n - 1 ? m : (int)sizeof line - n - 2);
    line[n++] = '\n';
    rs_debug_write(line, (size_t)n);
}

void rs_log(enum rs_log_level level, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vlog(level, fmt, ap);
    va_end(ap);
}

void rs_panic(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vlog(RS_LOG_ERROR, fmt, ap);
    va_end(ap);
    __builtin_trap();
}
