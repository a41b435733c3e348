/* Logging with the component's name: one line per call, "name: level: message",
 * to the kernel log (which adds the task's name the kernel knows, so a line can
 * always be traced to its task). */
#pragma once
#include <stdint.h>

enum rs_log_level { RS_LOG_ERROR, RS_LOG_WARN, RS_LOG_INFO, RS_LOG_DEBUG };

/* The name lines start with (default: the task's name). */
void rs_log_name(const char *name);
void rs_log(enum rs_log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define rs_error(...) rs_log(RS_LOG_ERROR, __VA_ARGS__)
#define rs_warn(...)  rs_log(RS_LOG_WARN, __VA_ARGS__)
#define rs_info(...)  rs_log(RS_LOG_INFO, __VA_ARGS__)

/* The RS_E_* code e in words ("not found"). */
const char *rs_error_name(uint64_t e);

/* Logs and crashes on purpose (an invalid-opcode fault its supervisor sees). */
__attribute__((noreturn, format(printf, 1, 2))) void rs_panic(const char *fmt, ...);
