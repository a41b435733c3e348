/* Ending QEMU with a status through the isa-debug-exit device (iobase 0xf4). QEMU
 * exits with (value << 1) | 1; tests/system/run.py knows these numbers. */
#pragma once

enum qemu_exit_code {
    QEMU_EXIT_SUCCESS = 0x10,   /* QEMU status 33 */
    QEMU_EXIT_FAILURE = 0x11,   /* QEMU status 35 */
    QEMU_EXIT_PANIC = 0x12,     /* QEMU status 37 */
};

/* Asks QEMU to exit; returns only when no debug-exit device is present. */
void qemu_exit(enum qemu_exit_code code);
