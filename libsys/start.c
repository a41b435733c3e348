/* Start-up of every Resurgo component: the thread block at the FS base (what
 * musl's code expects there), the stack-protector canary, the argument vector,
 * then main(), then exit() so stdio is flushed. musl's own start-up is not used
 * because it makes Linux system calls. The field offsets are those of Debian's
 * musl 1.2.3 (struct pthread); a mismatch is caught at start, not later. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <rsys.h>
#include <rs_invoke.h>
#include "rs_libc.h"
#include "rs_log.h"

#define TB_SIZE RS_THREAD_BLOCK_SIZE

enum {                      /* offsets in musl 1.2.3's struct pthread (x86-64) */
    TB_SELF = 0x00, TB_PREV = 0x10, TB_NEXT = 0x18, TB_CANARY = 0x28, TB_TID = 0x30,
    TB_ERRNO = 0x34, TB_DETACH = 0x38, TB_ROBUST = 0x88, TB_LOCALE = 0xa8,
};
#define LIBC_GLOBAL_LOCALE 0x38     /* offset of global_locale in musl's __libc */
#define MAX_ARGS 16

extern char __libc[];               /* musl's global state (libc.a) */
extern char *__progname;
int main(int argc, char **argv);

static _Alignas(64) uint8_t thread_block[TB_SIZE];
static char name[33], argbuf[256];
static const char *arg_string = "";
static char *argv[MAX_ARGS + 2];

static void put(uint8_t *tb, size_t off, uint64_t v) { memcpy(tb + off, &v, sizeof v); }

__attribute__((no_stack_protector))
void rs_thread_block_init(uint8_t *tb, uint64_t canary, unsigned tid)
{
    memset(tb, 0, TB_SIZE);
    put(tb, TB_SELF, (uint64_t)tb);
    put(tb, TB_PREV, (uint64_t)tb);
    put(tb, TB_NEXT, (uint64_t)tb);
    put(tb, TB_CANARY, canary);
    put(tb, TB_ROBUST, (uint64_t)(tb + TB_ROBUST));
    put(tb, TB_LOCALE, (uint64_t)(__libc + LIBC_GLOBAL_LOCALE));
    tb[TB_DETACH] = 2;                          /* joinable */
    tb[TB_TID] = (uint8_t)tid;
}

uint64_t rs_canary(void)
{
    uint64_t c;
    memcpy(&c, thread_block + TB_CANARY, sizeof c);
    return c;
}

static void name_init(void)
{
    uint64_t w[4] = { 0 };
    rs_task_info(RS_SLOT_TASK, 0, 0, &w[0], &w[1], &w[2], &w[3]);
    memcpy(name, w, 32);
    char *dot = strrchr(name, '.');
    if (dot && !strcmp(dot, ".elf"))
        *dot = '\0';
    __progname = name;
}

static int split_args(const char *args)
{
    int argc = 0;
    argv[argc++] = name;
    strncpy(argbuf, args, sizeof argbuf - 1);
    for (char *p = strtok(argbuf, " "); p && argc <= MAX_ARGS; p = strtok(0, " "))
        argv[argc++] = p;
    argv[argc] = 0;
    return argc;
}

const char *rs_task_name(void) { return name; }
const char *rs_args(void) { return arg_string; }

const char *rs_arg(const char *key, char *buf, size_t size)
{
    size_t k = strlen(key);
    for (const char *p = arg_string; (p = strstr(p, key)); p += k) {
        if ((p == arg_string || p[-1] == ' ') && p[k] == '=') {
            size_t n = strcspn(p + k + 1, " ");
            n = n < size - 1 ? n : size - 1;
            memcpy(buf, p + k + 1, n);
            buf[n] = '\0';
            return buf;
        }
    }
    return 0;
}

/* Called by start.asm with the argument string the kernel put on the stack. */
__attribute__((no_stack_protector, noreturn)) void rs_start(const char *args)
{
    rs_thread_block_init(thread_block, (rs_tsc() * 0x9E3779B97F4A7C15ull) ^ (uint64_t)args, 1);
    rs_set_fsbase((uint64_t)thread_block);
    if ((uint8_t *)&errno != thread_block + TB_ERRNO)
        rs_panic("start: this C library's thread block differs from musl 1.2.3's");
    name_init();
    arg_string = args ? args : "";
    int argc = split_args(arg_string);
    rs_service_init();
    exit(main(argc, argv));
}
