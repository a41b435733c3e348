/* Service declarations in text (what init sends with system svc_declare), one
 * key=value per line:
 *   name=uart  binary=uart.elf  priority=25  quota=1048576  ports=0x3F8:8  irq=4
 *   pci=8086:7010 (a PCI driver: the one device ID it may open)  pci_bus=0|1
 *   owns=console  reads=console crash-done  deps=uart  args=a=1 b=2  control=0|1
 *   files=init.lua notes.txt (boot modules it may read, at most RS_GIVEN_FILES_MAX)
 *   hook=0|1 (init has a Lua function to ask on each failure)
 *   policy=type=permanent+max=32+window=1000+base=1+cap=100+heartbeat=10 (policy.h)
 * name and binary are required; the rest default (priority 10, 1 MiB, no
 * hardware, the default policy). */
#pragma once
#include <stddef.h>
#include "service.h"

#define DECLARE_PRIORITY_DEFAULT 10
#define DECLARE_PRIORITY_MAX     27         /* below RS's own */
#define DECLARE_QUOTA_DEFAULT    (1u << 20)
#define DECLARE_QUOTA_MAX        (64ull << 20)

/* A declaration with the storage its strings point into. */
struct declared {
    struct service_def def;
    char name[SVC_NAME_MAX + 1];
    char module[32];
    char owns[96], reads[96], deps[96], args[128], files[96];
    char policy_spec[160];
};

/* The next space-separated word of a list (owns, files, ...) from *p into out
 * (cut to size - 1 bytes); 0 at the end of the list. *p moves past it; a NULL
 * list is empty. */
int declare_next_word(const char **p, char *out, size_t size);
/* How many space-separated words s has (NULL: none). */
unsigned declare_words(const char *s);

/* Parses text[0..len) into *d. Returns NULL, or why it was refused, with the
 * offending key in key (empty when the problem is not one key's). */
const char *declare_parse(const char *text, size_t len, struct declared *d, char *key,
                          size_t key_size);
