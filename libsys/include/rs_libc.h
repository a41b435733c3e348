/* What libsys adds to the C library for Resurgo components: start-up facts, the
 * capability-slot allocator, the heap, and where stdio goes. */
#pragma once
#include <stddef.h>
#include <stdint.h>

/* The task's name (from the kernel) and its argument string (from the boot
 * configuration or its parent). */
const char *rs_task_name(void);
const char *rs_args(void);

/* libsys/service.c: set-up for components RS starts (run before main). */
void rs_service_init(void);

/* The value of `key=value` in the argument string, or NULL. */
const char *rs_arg(const char *key, char *buf, size_t size);

/* Index of the boot module called `name` (needs the platform capability), or -1. */
int rs_module_find(const char *name);

/* Spawns boot module `module` (through a temporary image capability; needs the
 * platform capability) as a task in task_slot, not started, with a child quota of
 * `bytes` from quota_slot and argument string `args` (NULL: the boot
 * configuration's). *tid (may be NULL) gets its task id. Returns the kernel's error,
 * RS_E_NOENT for no such module. */
uint64_t rs_spawn(const char *module, uint64_t quota_slot, uint64_t bytes, uint64_t task_slot,
                  unsigned prio, const char *args, uint64_t *tid);

/* Slots from RS_SLOT_DYNAMIC up are handed out by these (slots below are fixed by
 * convention: the kernel's 1-4, and 8-31 for capabilities a parent gives). */
#define RS_SLOT_DYNAMIC 32
uint64_t rs_slot_alloc(void);           /* 0 when none is left */
void rs_slot_free(uint64_t slot);
/* Keeps slots [first, first+count) out of rs_slot_alloc (for fixed layouts). */
void rs_slot_reserve(uint64_t first, uint64_t count);

/* Console output and input for stdio: until rs_stdio_console() names a console
 * endpoint, stdout and stderr go to the kernel log and stdin reads nothing. */
void rs_stdio_console(uint64_t endpoint_slot);

/* A thread block for the C library (musl's struct pthread): every thread needs
 * one at its FS base before it runs C code built with the stack protector. */
#define RS_THREAD_BLOCK_SIZE 0x200
void rs_thread_block_init(uint8_t *tb, uint64_t canary, unsigned tid);
uint64_t rs_canary(void);

/* Starts fn(arg) in a new thread of this task at priority prio, on the stack
 * ending at stack_top, with its own thread block; its capability goes to
 * thread_slot. If fn returns, the thread sleeps forever. Returns the kernel's error. */
uint64_t rs_thread_create(void (*fn)(void *), void *arg, uint64_t stack_top,
                          unsigned prio, uint64_t thread_slot);

/* Heap statistics: bytes handed out and bytes of address space mapped. */
void rs_heap_stats(size_t *in_use, size_t *mapped);
/* The slot of the read-only file (a boot module RS gave this task) at path,
 * "NAME" or "/boot/NAME", with its size; 0 if there is none (libsys/files.c). */
uint64_t rs_file_find(const char *path, uint64_t *size);

/* Copies n bytes and checks the copy against its source (libsys/copy.c): a copy
 * a fault in the caller got wrong must not reach a device or a client as data
 * that looks whole (the NIC campaigns found exactly that: a received frame's
 * first 8 bytes never copied, an answer to someone else handed to the client).
 * 0, or -1 when the copy is not the source. */
int rs_copy_checked(void *dst, const void *src, size_t n);
/* Whether n bytes at a and b are the same (0, else -1), compared byte by byte
 * through volatile pointers (the compiler may not assume them equal). */
int rs_same_bytes(const void *a, const void *b, size_t n);
