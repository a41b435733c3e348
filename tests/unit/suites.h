/* The Check suites of the host unit tests, one per kernel module; run by main.c. */
#pragma once
#include <check.h>

Suite *format_suite(void);
Suite *bootinfo_suite(void);
Suite *memmap_suite(void);
Suite *pmm_suite(void);
Suite *pagetable_suite(void);
Suite *slab_suite(void);
Suite *elf_suite(void);
Suite *cap_suite(void);
Suite *tqueue_suite(void);
Suite *libsys_suite(void);
Suite *heap_suite(void);
Suite *faultinject_suite(void);
Suite *uart_suite(void);
Suite *timerq_suite(void);
Suite *store_suite(void);
Suite *store_subs_suite(void);
Suite *policy_suite(void);
Suite *events_suite(void);
Suite *civil_suite(void);
Suite *session_suite(void);
Suite *pci_suite(void);
