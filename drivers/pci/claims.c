/* The PCI server's kept claims (claims.h). */
#include "claims.h"

static uint32_t checksum(const struct pci_claims_half *h)
{
    uint32_t x = 2166136261u ^ h->gen ^ (h->n << 16);      /* FNV-1a over the entries */
    const uint8_t *p = (const uint8_t *)h->e;
    for (unsigned i = 0; i < h->n * sizeof h->e[0]; i++)
        x = (x ^ p[i]) * 16777619u;
    return x;
}

static int whole(const struct pci_claims_half *h)
{
    return h->magic == PCI_CLAIMS_MAGIC && h->n <= PCI_MAX_DEVICES && h->sum == checksum(h);
}

/* The newest whole half, or NULL. */
static const struct pci_claims_half *newest(const struct pci_claims *k)
{
    const struct pci_claims_half *a = &k->half[0], *b = &k->half[1];
    if (!whole(a))
        return whole(b) ? b : 0;
    if (!whole(b))
        return a;
    return (int32_t)(b->gen - a->gen) > 0 ? b : a;
}

void pci_claims_save(struct pci_claims *k, const struct pci_bus *bus)
{
    const struct pci_claims_half *last = newest(k);
    struct pci_claims_half *h = last == &k->half[0] ? &k->half[1] : &k->half[0];
    h->magic = 0;                   /* not whole while it is written */
    h->gen = last ? last->gen + 1 : 1;
    h->n = 0;
    for (unsigned i = 0; i < bus->ndev && i < PCI_MAX_DEVICES; i++)
        if (bus->dev[i].owner)
            h->e[h->n++] = (struct pci_claim){ bus->dev[i].bdf, bus->dev[i].owner };
    h->sum = checksum(h);
    __atomic_store_n(&h->magic, PCI_CLAIMS_MAGIC, __ATOMIC_RELEASE);
}

int pci_claims_load(const struct pci_claims *k, struct pci_bus *bus)
{
    const struct pci_claims_half *h = newest(k);
    if (!h)
        return -1;
    int given = 0;
    for (unsigned j = 0; j < h->n; j++)
        for (unsigned i = 0; i < bus->ndev; i++)
            if (bus->dev[i].bdf == h->e[j].bdf) {
                bus->dev[i].owner = h->e[j].owner;
                given++;
            }
    return given;
}
