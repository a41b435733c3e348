/* Which driver holds which device, kept outside the PCI server (in the keep frame
 * RS gives it) so that a restarted server still refuses a device to another
 * driver of the same ID while its holder lives. Two halves written in turn, each
 * with a generation and a checksum: a server that dies mid-write leaves the other
 * half whole, and a corrupted keep is found, not believed. Pure (unit-tested). */
#pragma once
#include <stdint.h>
#include "pci.h"

#define PCI_CLAIMS_MAGIC 0x50434943u   /* "PCIC" */

struct pci_claim {
    uint32_t bdf, owner;
};

struct pci_claims_half {
    uint32_t magic, gen, n, sum;
    struct pci_claim e[PCI_MAX_DEVICES];
};

struct pci_claims {
    struct pci_claims_half half[2];
};

/* Writes bus's owners into the older half, as the newest. */
void pci_claims_save(struct pci_claims *k, const struct pci_bus *bus);

/* Gives bus's devices the owners of the newest whole half (a claim for a function
 * not on the bus is passed over); how many, or -1 when no half is whole. */
int pci_claims_load(const struct pci_claims *k, struct pci_bus *bus);
