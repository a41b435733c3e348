/* Runs every unit-test suite; exits non-zero if any test failed. */
#include <stdlib.h>
#include "suites.h"

int main(void)
{
    SRunner *sr = srunner_create(format_suite());
    srunner_add_suite(sr, bootinfo_suite());
    srunner_add_suite(sr, memmap_suite());
    srunner_add_suite(sr, pmm_suite());
    srunner_add_suite(sr, pagetable_suite());
    srunner_add_suite(sr, slab_suite());
    srunner_add_suite(sr, elf_suite());
    srunner_add_suite(sr, cap_suite());
    srunner_add_suite(sr, timerq_suite());
    srunner_add_suite(sr, tqueue_suite());
    srunner_add_suite(sr, libsys_suite());
    srunner_add_suite(sr, session_suite());
    srunner_add_suite(sr, pci_suite());
    srunner_add_suite(sr, heap_suite());
    srunner_add_suite(sr, faultinject_suite());
    srunner_add_suite(sr, uart_suite());
    srunner_add_suite(sr, store_suite());
    srunner_add_suite(sr, store_subs_suite());
    srunner_add_suite(sr, policy_suite());
    srunner_add_suite(sr, events_suite());
    srunner_add_suite(sr, civil_suite());
    /* Fork status is left at its default, CK_FORK_GETENV: CK_FORK=no disables it. */
    srunner_run_all(sr, CK_VERBOSE);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
