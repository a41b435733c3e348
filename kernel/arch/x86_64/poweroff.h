/* Switching the machine off, for the platform's halt operation. */
#pragma once

/* Ends the machine: QEMU's isa-debug-exit with the success status (QEMU exits
 * 33); without that device, ACPI soft-off as QEMU's machines wire it (PM1a control
 * at 0x604 on pc and q35, 0xB004 on older QEMU and Bochs); failing both, stops the
 * processor with interrupts off. Never returns. */
__attribute__((noreturn)) void machine_power_off(void);
