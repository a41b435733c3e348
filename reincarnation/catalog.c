/* The services RS knows, with their capabilities and policies: the built-in table
 * that stands in for init.lua until the Lua start-up script declares them. The
 * boot configuration (`services=a+b+c`) picks which run. */
#include <string.h>
#include <rs_ds.h>
#include "service.h"

#define KIB 1024
#define MIB (1024 * 1024)

/* A restartable driver or server watched by heartbeats. */
#define WATCHED(period) {                                                   \
        .type = RESTART_PERMANENT, .max_restarts = 32, .window_ms = 1000,   \
        .backoff_base_ms = 1, .backoff_cap_ms = 100, .init_retries = 3,     \
        .escalate = ESCALATE_DEGRADE, .heartbeat_ms = (period),             \
        .heartbeat_misses = 2, .init_timeout_ms = 2000 }

static const struct service_def catalog[] = {
    /* The data store keeps its contents (and the capabilities stored in it) in a
     * frame and a capability store RS gives each incarnation (datastore/keep.c). */
    { .name = "ds", .module = "ds.elf", .priority = 26, .quota = 1 * MIB,
      .keep_pages = DS_KEEP_PAGES, .policy = WATCHED(100) },
    /* init runs init.lua, which declares the other services (svc_declare). If init
     * dies, RS keeps what it declared and restarts it. */
    { .name = "init", .module = "init.elf", .priority = 20, .quota = 8 * MIB,
      .files = "init.lua", .owns = "startup", .flags = SVC_MAY_DECLARE,
      .policy = { .type = RESTART_TRANSIENT, .max_restarts = 5, .window_ms = 10000,
                  .backoff_base_ms = 10, .backoff_cap_ms = 1000, .init_retries = 3,
                  .init_timeout_ms = 10000 } },
    { .name = "uart", .module = "uart.elf", .priority = 25, .quota = 1 * MIB,
      .port = 0x3F8, .nports = 8, .irq = 4, .owns = "console", .reads = "",
      .policy = WATCHED(10) },
    /* The PCI server: the configuration ports and the bus windows, from which it
     * gives each PCI driver its own device's BARs and line (drivers/pci/). */
    { .name = "pci", .module = "pci.elf", .priority = 24, .quota = 512 * KIB,
      .port = 0xCF8, .nports = 8, .owns = "pci", .flags = SVC_PCI_BUS, .keep_pages = 1,
      .policy = WATCHED(50) },
    /* PCI drivers: each may open only its declared device, through the PCI server. */
    { .name = "virtio_blk", .module = "virtio_blk.elf", .priority = 22, .quota = 512 * KIB,
      .pci_vendor = 0x1AF4, .pci_device = 0x1042, .owns = "block", .deps = "pci",
      .policy = WATCHED(50) },
    { .name = "e1000", .module = "e1000.elf", .priority = 22, .quota = 512 * KIB,
      .pci_vendor = 0x8086, .pci_device = 0x100E, .owns = "ether", .deps = "pci",
      .policy = WATCHED(50) },
    { .name = "ne2k", .module = "ne2k.elf", .priority = 22, .quota = 512 * KIB,
      .pci_vendor = 0x10EC, .pci_device = 0x8029, .owns = "ether", .deps = "pci",
      .policy = WATCHED(50) },
    { .name = "rtl8139", .module = "rtl8139.elf", .priority = 22, .quota = 512 * KIB,
      .pci_vendor = 0x10EC, .pci_device = 0x8139, .owns = "ether", .deps = "pci",
      .policy = WATCHED(50) },
    /* The network server: lwIP over whichever driver owns "ether" (servers/net). */
    { .name = "net", .module = "net.elf", .priority = 18, .quota = 2 * MIB,
      .reads = "ether",
      .policy = { .type = RESTART_PERMANENT, .max_restarts = 10, .window_ms = 10000,
                  .backoff_base_ms = 10, .backoff_cap_ms = 1000, .init_retries = 3,
                  .escalate = ESCALATE_DEGRADE, .init_timeout_ms = 10000 } },
    { .name = "blkbench", .module = "blkbench.elf", .priority = 10, .quota = 512 * KIB,
      .reads = "block", .flags = SVC_MAY_CONTROL,
      .policy = { .type = RESTART_TEMPORARY, .window_ms = 1000, .init_timeout_ms = 10000 } },
    { .name = "ethping", .module = "ethping.elf", .priority = 10, .quota = 512 * KIB,
      .reads = "ether crash-done", .deps = "",
      .policy = { .type = RESTART_TEMPORARY, .window_ms = 1000, .init_timeout_ms = 10000 } },
    { .name = "shell", .module = "shell.elf", .priority = 15, .quota = 1 * MIB,
      .reads = "console counter startup faultinject pci", .deps = "uart", .flags = SVC_MAY_CONTROL,
      .files = "init.lua",
      .policy = WATCHED(0) },         /* a client: blocked reading, no heartbeats */
    /* The fault injector: may debug the services whose site tables it reads. */
    { .name = "fi", .module = "fi.elf", .priority = 20, .quota = 4 * MIB,
      .port = 0, .nports = 0, .owns = "faultinject", .files = "uart.sites ds.sites",
      .flags = SVC_MAY_INJECT, .policy = WATCHED(0) },
    /* The in-OS half of a campaign: restarts the target, has fi fault it, runs
     * the workload through it (console, ether or block), halts the system at
     * the end. */
    { .name = "ficamp", .module = "ficamp.elf", .priority = 10, .quota = 1 * MIB,
      .reads = "console ether block faultinject", .deps = "uart fi", .flags = SVC_MAY_CONTROL,
      .policy = { .type = RESTART_TEMPORARY, .window_ms = 1000, .init_timeout_ms = 10000 } },
    /* The restartable-server demonstration: a key-value store whose clients'
     * state lives in their session regions (servers/kv). */
    { .name = "kv", .module = "kv.elf", .priority = 20, .quota = 512 * KIB,
      .owns = "kv", .policy = WATCHED(50) },
    /* The ATA disk driver (drivers/ata): the PIIX IDE function, whose primary
     * channel's command block and control register (for the reset) the PCI server
     * gives it as BARs 0 and 1; no IRQ (it polls). Transient: with no disk it says
     * so and exits 0, and is left stopped; any failure is restarted. */
    { .name = "ata", .module = "ata.elf", .priority = 23, .quota = 512 * KIB,
      .pci_vendor = 0x8086, .pci_device = 0x7010, .deps = "pci", .owns = "block",
      .policy = { .type = RESTART_TRANSIENT, .max_restarts = 32, .window_ms = 1000,
                  .backoff_base_ms = 1, .backoff_cap_ms = 100, .init_retries = 3,
                  .escalate = ESCALATE_DEGRADE, .heartbeat_ms = 50,
                  .heartbeat_misses = 2, .init_timeout_ms = 2000 } },
    /* Test and demonstration programs (tests/user/). */
    { .name = "chatter", .module = "chatter.elf", .priority = 10, .quota = 1 * MIB,
      .reads = "console crash-done", .deps = "uart",
      .policy = { .type = RESTART_TRANSIENT, .max_restarts = 3, .window_ms = 1000,
                  .backoff_base_ms = 10, .backoff_cap_ms = 100, .init_retries = 1,
                  .init_timeout_ms = 5000 } },
    { .name = "conbench", .module = "conbench.elf", .priority = 10, .quota = 1 * MIB,
      .reads = "console", .deps = "uart",
      .policy = { .type = RESTART_TEMPORARY, .window_ms = 1000, .init_timeout_ms = 5000 } },
    { .name = "counter", .module = "counter.elf", .priority = 20, .quota = 512 * KIB,
      .owns = "counter", .policy = WATCHED(50) },
    { .name = "crasher", .module = "crasher.elf", .priority = 27, .quota = 512 * KIB,
      .owns = "crash-done", .reads = "console counter kv faultinject", .flags = SVC_MAY_CONTROL,
      .policy = { .type = RESTART_TEMPORARY, .window_ms = 1000, .init_timeout_ms = 5000 } },
    { .name = "crashloop", .module = "crashloop.elf", .priority = 20, .quota = 512 * KIB,
      .policy = { .type = RESTART_PERMANENT, .max_restarts = 10, .window_ms = 10000,
                  .backoff_base_ms = 20, .backoff_cap_ms = 200, .init_retries = 3,
                  .escalate = ESCALATE_DEGRADE, .init_timeout_ms = 1000 } },
    { .name = "kvclient", .module = "kvclient.elf", .priority = 10, .quota = 1 * MIB,
      .reads = "kv crash-done", .deps = "kv",
      .policy = { .type = RESTART_TEMPORARY, .window_ms = 1000, .init_timeout_ms = 10000 } },
    { .name = "blkclient", .module = "blkclient.elf", .priority = 10, .quota = 1 * MIB,
      .reads = "block crash-done", .deps = "ata",
      .policy = { .type = RESTART_TEMPORARY, .window_ms = 1000, .init_timeout_ms = 10000 } },
    { .name = "dsclient", .module = "dsclient.elf", .priority = 10, .quota = 512 * KIB,
      .reads = "crash-done",
      .policy = { .type = RESTART_TEMPORARY, .window_ms = 1000, .init_timeout_ms = 5000 } },
    { .name = "tally", .module = "tally.elf", .priority = 20, .quota = 512 * KIB,
      .owns = "tally", .policy = WATCHED(50) },
    { .name = "tallyclient", .module = "tallyclient.elf", .priority = 10, .quota = 512 * KIB,
      .reads = "tally", .deps = "tally",
      .policy = { .type = RESTART_TEMPORARY, .window_ms = 1000, .init_timeout_ms = 5000 } },
    { .name = "pcievil", .module = "pcievil.elf", .priority = 10, .quota = 512 * KIB,
      .pci_vendor = 0x8086, .pci_device = 0x100E, .reads = "pci crash-done", .deps = "pci",
      .policy = { .type = RESTART_TEMPORARY, .window_ms = 1000, .init_timeout_ms = 5000 } },
    { .name = "forger", .module = "forger.elf", .priority = 10, .quota = 512 * KIB,
      .owns = "forger", .reads = "console", .deps = "uart",
      .policy = { .type = RESTART_TEMPORARY, .window_ms = 1000, .init_timeout_ms = 5000 } },
};

/* The console and the shell come from this table too, so that a broken init.lua
 * still leaves a console; init.lua declares them again with its own policies. */
const char catalog_default[] = "ds,uart,shell,init";

const struct service_def *catalog_find(const char *name)
{
    for (unsigned i = 0; i < sizeof catalog / sizeof catalog[0]; i++)
        if (!strcmp(catalog[i].name, name))
            return &catalog[i];
    return 0;
}
