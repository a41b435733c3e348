/* The data store's client for its restart test: it publishes numbered values, a
 * capability and a subscription, then keeps publishing and reading them back
 * while DS is crashed (crasher target=ds), until `until` is published. Checked
 * on every call: each value read is the last one published (none lost, none
 * old), the stored capability is still the same object (a signal through the
 * copy DS returns arrives on ours), and every publish is noticed through the
 * subscription made before the first crash. Arguments: until=NAME. */
#include <stdio.h>
#include <string.h>
#include <proto/datastore.h>
#include <rs_ds.h>
#include <rs_libc.h>
#include <rs_log.h>
#include <rs_service.h>
#include <rsys.h>

enum { NOTICES = 20, OBJECT = 21, COPY = 22, KEYS = 16 };

static uint64_t value[KEYS], publishes, reads, cap_checks, notices, bad;

static void fail(const char *what, uint64_t detail)
{
    if (bad++ < 10)
        rs_error("%s (%lu)", what, (unsigned long)detail);
}

/* A call through a data-store capability being recovered: tried again. */
#define AGAIN(call) ({ uint64_t e_; while ((e_ = (call)) == RS_E_CAPFAULT || e_ == RS_E_NOCAP) \
                       { rs_sleep(2); } e_; })

static int name_of(char *buf, unsigned k)
{
    return snprintf(buf, 32, "dsclient.k%u", k) + 1;     /* with its NUL */
}

static void publish(unsigned k, uint64_t n)
{
    char name[32];
    uint64_t bits = 0;
    if (AGAIN(datastore_publish(RS_GIVEN_DS, DS_INT, n, name, (size_t)name_of(name, k)))) {
        fail("publish failed", k);
        return;
    }
    value[k] = n, publishes++;
    if (rs_wait(NOTICES, &bits, RS_TIMEOUT_POLL) || !(bits & 1))
        fail("a publish was not noticed through the subscription", k);
    else
        notices++;
}

static void read_back(unsigned k)
{
    char name[32];
    uint64_t type = 0, ival = 0;
    size_t len = 0;
    int n = name_of(name, k) - 1;
    uint64_t e = AGAIN(datastore_retrieve(RS_GIVEN_DS, name, (size_t)n, 0, 0, &len, &type, &ival));
    reads++;
    if (value[k] ? e || type != DS_INT || ival != value[k] : e != RS_E_NOENT)
        fail("a value read back is not the last one published", k);
}

static void check_cap(void)
{
    uint64_t bits = 0;
    rs_cap_delete(COPY);
    if (AGAIN(datastore_retrieve_cap(RS_GIVEN_DS, "dsclient.cap", 12, COPY))
        || rs_signal(COPY, 4) || rs_wait(OBJECT, &bits, RS_TIMEOUT_POLL) || bits != 4)
        fail("the stored capability is not the one published", bits);
    else
        cap_checks++;
}

static int published(const char *name)
{
    uint64_t type = 0, ival = 0;
    return !datastore_retrieve(RS_GIVEN_DS, name, strlen(name), 0, 0, 0, &type, &ival);
}

int main(void)
{
    char until[48] = "";
    rs_arg("until", until, sizeof until);
    if (rs_create(RS_SLOT_QUOTA, RS_OBJ_NOTIFICATION, NOTICES, 0)
        || rs_create(RS_SLOT_QUOTA, RS_OBJ_NOTIFICATION, OBJECT, 0)
        || datastore_subscribe(RS_GIVEN_DS, 1, "dsclient.k*", 11, NOTICES)
        || datastore_publish_cap(RS_GIVEN_DS, "dsclient.cap", 12, OBJECT)) {
        rs_error("cannot set up");
        return 1;
    }
    rs_service_ready();
    uint64_t n = 1;
    for (; !(*until && n % 32 == 0 && published(until)); n++) {
        publish((unsigned)(n % KEYS), n);
        read_back((unsigned)((n * 7) % KEYS));
        if (n % 16 == 0)
            check_cap();
    }
    for (unsigned k = 0; k < KEYS; k++)
        read_back(k);
    check_cap();
    rs_info("%s: %lu publishes, %lu noticed, %lu read back, %lu capability checks, %lu errors",
            bad ? "DS LOST SOMETHING" : "ds kept everything", (unsigned long)publishes,
            (unsigned long)notices, (unsigned long)reads, (unsigned long)cap_checks,
            (unsigned long)bad);
    return bad ? 1 : 0;
}
