/* `pci`: the devices the PCI server found, with the driver that opened each. The
 * server names a driver by its service id (badge), which is its row in RS's
 * service list (id N: the N-th service), so the names come from there. */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>
#include <proto/pci.h>
#include <proto/system.h>
#include <rs_ds.h>
#include <rs_log.h>
#include <rs_service.h>
#include "shell.h"

/* The name of the service with id (its row in svc_list, after the header and RS). */
static void service_name(const char *list, unsigned id, char *out, size_t n)
{
    const char *p = list;
    for (unsigned row = 0; p && row < id + 1; row++)
        p = strchr(p, '\n') ? strchr(p, '\n') + 1 : 0;
    if (!p || sscanf(p, "%15s", out) != 1)
        snprintf(out, n, "#%u", id);
}

/* Prints one line of the server's listing, its "driver #N" spelt as a name. */
static void print_line(const char *line, size_t len, const char *list)
{
    const char *d = memmem(line, len, "driver #", 8);
    unsigned id;
    char name[16];
    if (!d || sscanf(d + 8, "%u", &id) != 1) {
        printf("%.*s\n", (int)len, line);
        return;
    }
    service_name(list, id, name, sizeof name);
    printf("%.*sdriver %s\n", (int)(d - line), line, name);
}

void cmd_pci(const char *arg)
{
    (void)arg;
    static char text[RS_BUFFER_MAX + 1], list[RS_BUFFER_MAX + 1];
    static int found;
    size_t n = 0, ln = 0;
    uint64_t count = 0;
    if (!found)
        found = !rs_lookup_recovering("pci", SHELL_PCI);
    uint64_t e = found ? pci_list(SHELL_PCI, RS_BUFFER_MAX, text, RS_BUFFER_MAX, &n, &count)
                       : RS_E_NOENT;
    if (e) {
        printf("pci: no PCI server (%s)\n", rs_error_name(e));
        return;
    }
    if (system_svc_list(SHELL_SYSTEM, RS_BUFFER_MAX, list, RS_BUFFER_MAX, &ln))
        ln = 0;
    list[ln] = '\0';
    printf("%lu PCI functions\n", (unsigned long)count);
    for (size_t at = 0; at < n;) {
        const char *nl = memchr(text + at, '\n', n - at);
        size_t len = nl ? (size_t)(nl - (text + at)) : n - at;
        print_line(text + at, len, list);
        at += len + 1;
    }
}
