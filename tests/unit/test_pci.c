/* The PCI server's pure logic (drivers/pci/pci.c) against a simulated bus: BAR
 * sizing (I/O, 32- and 64-bit memory, unimplemented), multi-function devices,
 * the IDE compatibility ports, the configuration-write rules, and the claims kept
 * across the server's restarts (claims.c). */
#include <string.h>
#include <rsys.h>
#include "suites.h"
#include "../../drivers/pci/pci.h"
#include "../../drivers/pci/claims.h"

/* A bus of up to 4 functions: config words, and for each BAR the size mask its
 * hardware keeps (0: unimplemented), as a real device answers all-ones writes. */
struct fake_fn {
    uint32_t bdf;
    uint32_t cfg[64];
    uint32_t bar_mask[6];
};
static struct fake_fn fns[4];
static unsigned nfns, decode_writes;

static struct fake_fn *fn_at(uint32_t bdf)
{
    for (unsigned i = 0; i < nfns; i++)
        if (fns[i].bdf == bdf)
            return &fns[i];
    return 0;
}

static uint32_t fake_read(void *ctx, uint32_t bdf, uint8_t off)
{
    (void)ctx;
    struct fake_fn *f = fn_at(bdf);
    return f ? f->cfg[off / 4] : 0xFFFFFFFFu;
}

static void fake_write(void *ctx, uint32_t bdf, uint8_t off, uint32_t v)
{
    (void)ctx;
    struct fake_fn *f = fn_at(bdf);
    if (!f)
        return;
    unsigned bar = (off - 0x10u) / 4;
    if (off >= 0x10 && off < 0x28) {
        uint32_t kind = f->cfg[off / 4] & (f->cfg[off / 4] & 1 ? 0x3u : 0xFu);
        f->cfg[off / 4] = v == 0xFFFFFFFFu ? (f->bar_mask[bar] | (f->bar_mask[bar] ? kind : 0))
                                            : v;
        return;
    }
    if (off == PCI_COMMAND)
        decode_writes++;
    f->cfg[off / 4] = v;
}

static const struct pci_cfg cfg = { fake_read, fake_write, 0 };
static struct pci_bus bus;

static struct fake_fn *add(uint32_t bdf, uint16_t vendor, uint16_t device, uint32_t class)
{
    struct fake_fn *f = &fns[nfns++];
    memset(f, 0, sizeof *f);
    f->bdf = bdf;
    f->cfg[0] = vendor | (uint32_t)device << 16;
    f->cfg[1] = 0x0007;             /* command: I/O, memory, master on */
    f->cfg[2] = class;
    return f;
}

static void setup(void)
{
    nfns = decode_writes = 0;
    struct fake_fn *nic = add(PCI_BDF(0, 3, 0), 0x8086, 0x100E, 0x02000000);
    nic->cfg[4] = 0xFEBC0000;       /* BAR0: 128 KiB memory */
    nic->bar_mask[0] = 0xFFFE0000;
    nic->cfg[5] = 0xC001;           /* BAR1: 64 ports */
    nic->bar_mask[1] = 0xFFFFFFC0;
    nic->cfg[15] = 11;              /* line 11 */
    struct fake_fn *wide = add(PCI_BDF(0, 4, 0), 0x1AF4, 0x1042, 0x01000000);
    wide->cfg[8] = 0xFE000004;      /* BAR4: 64-bit, 16 KiB */
    wide->bar_mask[4] = 0xFFFFC000;
    wide->cfg[9] = 0;
    wide->bar_mask[5] = 0xFFFFFFFF;
    struct fake_fn *ide = add(PCI_BDF(0, 1, 1), 0x8086, 0x7010, 0x01018000);
    ide->cfg[8] = 0xC041;           /* BAR4: bus master, 16 ports */
    ide->bar_mask[4] = 0xFFFFFFF0;
    struct fake_fn *bridge = add(PCI_BDF(0, 1, 0), 0x8086, 0x7000, 0x06010000);
    bridge->cfg[3] = 0x00800000;    /* header type: multi-function */
    pci_enumerate(&bus, &cfg, 0);
}

START_TEST(test_enumerate_finds_every_function)
{
    setup();
    ck_assert_uint_eq(bus.ndev, 4);
    ck_assert_ptr_nonnull(pci_find(&bus, 0x8086, 0x7010, 0));   /* function 1 of slot 1 */
    ck_assert_ptr_null(pci_find(&bus, 0x8086, 0x7010, 1));
    ck_assert_ptr_null(pci_find(&bus, 0x1234, 0x1111, 0));
}
END_TEST

START_TEST(test_bars_sized)
{
    setup();
    const struct pci_dev *nic = pci_find(&bus, 0x8086, 0x100E, 0);
    ck_assert_uint_eq(nic->bar[0].kind, PCI_BAR_MEM);
    ck_assert_uint_eq(nic->bar[0].base, 0xFEBC0000);
    ck_assert_uint_eq(nic->bar[0].size, 0x20000);
    ck_assert_uint_eq(nic->bar[1].kind, PCI_BAR_IO);
    ck_assert_uint_eq(nic->bar[1].base, 0xC000);
    ck_assert_uint_eq(nic->bar[1].size, 0x40);
    ck_assert_uint_eq(nic->bar[2].kind, PCI_BAR_NONE);
    ck_assert_uint_eq(nic->irq, 11);
    const struct pci_dev *v = pci_find(&bus, 0x1AF4, 0x1042, 0);
    ck_assert_uint_eq(v->bar[4].kind, PCI_BAR_MEM);
    ck_assert(v->bar[4].wide);
    ck_assert_uint_eq(v->bar[4].size, 0x4000);
    ck_assert_uint_eq(v->bar[5].kind, PCI_BAR_NONE);   /* the upper half, not a BAR */
    /* decoding was turned off while sizing, then restored */
    ck_assert_uint_ge(decode_writes, 2);
    ck_assert_uint_eq(fns[0].cfg[1] & 0xFFFF, 0x0007);
    ck_assert_uint_eq(fns[0].cfg[4], 0xFEBC0000);     /* the BAR restored */
}
END_TEST

START_TEST(test_ide_compatibility_ports)
{
    setup();
    const struct pci_dev *ide = pci_find(&bus, 0x8086, 0x7010, 0);
    ck_assert_uint_eq(ide->bar[0].base, 0x1F0);
    ck_assert_uint_eq(ide->bar[0].size, 8);
    ck_assert(ide->bar[0].legacy);
    ck_assert_uint_eq(ide->bar[1].base, 0x3F6);
    ck_assert_uint_eq(ide->bar[4].base, 0xC040);
    ck_assert_uint_eq(ide->irq, 14);
}
END_TEST

START_TEST(test_config_write_rules)
{
    uint32_t out = 0;
    uint32_t cur = 0x02100107;      /* status 0x0210, command 0x0107 (SERR set) */
    ck_assert_uint_eq(pci_write_check(0x04, 2, 0x0103, cur, &out), 0);   /* master off */
    ck_assert_uint_eq(out & 0xFFFF, 0x0103);
    ck_assert_uint_eq(out >> 16, 0);                 /* status: nothing written to clear */
    ck_assert_uint_eq(pci_write_check(0x04, 2, 0x0007, cur, &out), RS_E_RIGHTS);  /* SERR */
    ck_assert_uint_eq(pci_write_check(0x06, 2, 0x0200, cur, &out), 0);   /* clear a bit */
    ck_assert_uint_eq(out, 0x02000107);
    ck_assert_uint_eq(pci_write_check(0x0D, 1, 0x40, 0, &out), 0);        /* latency */
    ck_assert_uint_eq(out, 0x4000);
    ck_assert_uint_eq(pci_write_check(0x0E, 1, 0x80, 0, &out), RS_E_RIGHTS);  /* header */
    ck_assert_uint_eq(pci_write_check(0x10, 4, 0, 0, &out), RS_E_RIGHTS);     /* a BAR */
    ck_assert_uint_eq(pci_write_check(0x3C, 1, 5, 0, &out), RS_E_RIGHTS);     /* the line */
    ck_assert_uint_eq(pci_write_check(0x30, 4, 0, 0, &out), RS_E_RIGHTS);     /* ROM */
    ck_assert_uint_eq(pci_write_check(0x80, 4, 0, 0, &out), RS_E_RIGHTS);
    ck_assert_uint_eq(pci_write_check(0x05, 2, 0, 0, &out), RS_E_ALIGN);
    ck_assert_uint_eq(pci_write_check(0x04, 3, 0, 0, &out), RS_E_ALIGN);
}
END_TEST

START_TEST(test_describe)
{
    setup();
    char line[256];
    int n = pci_describe(pci_find(&bus, 0x8086, 0x100E, 0), "e1000", line, sizeof line);
    ck_assert_int_gt(n, 0);
    ck_assert_str_eq(line, "00:03.0 8086:100e class 02.00.00 irq 11 bar0 mem 0xfebc0000/0x20000 "
                           "bar1 io 0xc000/0x40 driver e1000");
}
END_TEST

/* Claims saved and loaded into a freshly enumerated bus: the newest whole half
 * wins, a half cut off mid-write or corrupted is not believed, and a claim for a
 * function no longer on the bus is passed over. */
START_TEST(test_claims_survive_a_restart)
{
    static struct pci_claims k;
    memset(&k, 0, sizeof k);
    setup();
    ck_assert_int_eq(pci_claims_load(&k, &bus), -1);       /* a fresh keep: nothing */
    pci_find(&bus, 0x8086, 0x100E, 0)->owner = 7;
    pci_claims_save(&k, &bus);
    pci_find(&bus, 0x1AF4, 0x1042, 0)->owner = 9;
    pci_claims_save(&k, &bus);
    setup();                                                /* the next incarnation */
    ck_assert_int_eq(pci_claims_load(&k, &bus), 2);
    ck_assert_uint_eq(pci_find(&bus, 0x8086, 0x100E, 0)->owner, 7);
    ck_assert_uint_eq(pci_find(&bus, 0x1AF4, 0x1042, 0)->owner, 9);
    struct pci_claims_half *newer = k.half[0].gen > k.half[1].gen ? &k.half[0] : &k.half[1];
    newer->e[0].owner ^= 0x10;                              /* a flipped bit */
    setup();
    ck_assert_int_eq(pci_claims_load(&k, &bus), 1);         /* the older half */
    ck_assert_uint_eq(pci_find(&bus, 0x8086, 0x100E, 0)->owner, 7);
    ck_assert_uint_eq(pci_find(&bus, 0x1AF4, 0x1042, 0)->owner, 0);
    struct pci_claims_half *older = newer == &k.half[0] ? &k.half[1] : &k.half[0];
    older->magic = 0;                                       /* cut off mid-write */
    setup();
    ck_assert_int_eq(pci_claims_load(&k, &bus), -1);
    older->magic = PCI_CLAIMS_MAGIC;
    older->e[0].bdf = PCI_BDF(0, 9, 0);                     /* gone from the bus */
    older->sum ^= 1;
    ck_assert_int_eq(pci_claims_load(&k, &bus), -1);        /* and its sum no longer fits */
    older->n = PCI_MAX_DEVICES + 1;                         /* a count past the table */
    ck_assert_int_eq(pci_claims_load(&k, &bus), -1);
}
END_TEST

START_TEST(test_claims_for_gone_functions_passed_over)
{
    static struct pci_claims k;
    memset(&k, 0, sizeof k);
    setup();
    pci_find(&bus, 0x8086, 0x7010, 0)->owner = 3;
    pci_claims_save(&k, &bus);
    nfns = 0;                                               /* a bus with only the NIC */
    struct fake_fn *nic = add(PCI_BDF(0, 3, 0), 0x8086, 0x100E, 0x02000000);
    (void)nic;
    pci_enumerate(&bus, &cfg, 0);
    ck_assert_int_eq(pci_claims_load(&k, &bus), 0);
    ck_assert_uint_eq(pci_find(&bus, 0x8086, 0x100E, 0)->owner, 0);
}
END_TEST

Suite *pci_suite(void)
{
    Suite *s = suite_create("pci");
    TCase *t = tcase_create("pci");
    tcase_add_test(t, test_enumerate_finds_every_function);
    tcase_add_test(t, test_bars_sized);
    tcase_add_test(t, test_ide_compatibility_ports);
    tcase_add_test(t, test_config_write_rules);
    tcase_add_test(t, test_describe);
    tcase_add_test(t, test_claims_survive_a_restart);
    tcase_add_test(t, test_claims_for_gone_functions_passed_over);
    suite_add_tcase(s, t);
    return s;
}
