/* Kernel self-tests selected by `ktest=NAME` on the kernel command line. They exist
 * for the QEMU system tests (tests/system) and do nothing unless asked for. */
#pragma once

/* Runs the named test; unknown names are reported. Some tests end in a panic by
 * design (that is what they test); others end QEMU with success or failure. */
void ktest_run(const char *name);
